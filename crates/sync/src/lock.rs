//! The app lock: the keys a device keeps (its signing key, every key of
//! every document) wrapped under a key that only a PIN opens.
//!
//! Two layers, so a new PIN rewraps one key, not every kept one: a random
//! [`StorageKey`] wraps each kept key (XChaCha20-Poly1305, the entry's name
//! as associated data, so a wrapped key cannot be moved to another entry),
//! and a [`Lock`] holds the storage key wrapped under a key derived from
//! the PIN with Argon2id and a per-device random salt. Nothing here stores,
//! counts time or draws randomness itself: the engine worker keeps the
//! [`Lock`] in IndexedDB and passes entropy in.
//!
//! What this does not stop: whoever copies the raw files gets the salt and
//! the wrapped key, and can try every PIN offline, at [`COST`] per try, with
//! no counter to stop them (see [`TRIES`]). Only a secret the files do not
//! hold (a platform authenticator's, through WebAuthn's PRF extension)
//! would prevent that.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};

use crate::Entropy;

/// A PIN has at least this many digits: 10^6 PINs at about a second of
/// Argon2id each on a phone are eleven days for one guesser on one core,
/// enough to make the counter, not the guessing, what ends a thief's tries
/// on the device, while still typed in a few seconds; four digits (10^4)
/// would fall in hours even offline.
pub const MIN_DIGITS: usize = 6;
/// And at most this many (a longer one is a mistake, not more safety).
pub const MAX_DIGITS: usize = 32;

/// Wrong PINs in a row that wipe the device: enough for a person who
/// mistypes, or confuses it with a phone's PIN, a few times on several
/// days; at 10 tries a thief guesses a random 6-digit PIN with odds of
/// 1 in 100,000.
pub const TRIES: u32 = 10;

/// Argon2id's cost: memory in KiB and passes, one lane (a worker has one
/// thread). OWASP's least (19 MiB, two passes) took about 40 ms in the
/// release engine worker on the build machine (`e2e/bench/browser.mjs
/// pin`); this is about five times that work, for 0.5–1 s on a phone four
/// times slower. Time rather than more memory: a wasm worker never gives
/// memory back, and this one also holds the documents.
pub const COST: Cost = Cost { memory_kib: 32 * 1024, passes: 6 };

// A GPU guesses a cheap KDF by the billion; Argon2id's memory is what
// makes each guess cost (OWASP's least: 19 MiB, two passes).
const _: () = assert!(COST.memory_kib >= 19 * 1024 && COST.passes >= 2);

const NONCE_LEN: usize = 24;
const SALT_LEN: usize = 16;
/// Associated data of the storage key wrapped under the PIN's key.
const LOCK_AAD: &[u8] = b"lotse app lock v1";
/// Associated data of a kept key, before the entry's name.
const KEPT_AAD: &[u8] = b"lotse kept key v1\0";

/// How much work one derivation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cost {
    pub memory_kib: u32,
    pub passes: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LockError {
    /// The PIN is not 6 to 32 digits.
    #[error("a PIN is {MIN_DIGITS} to {MAX_DIGITS} digits")]
    NotAPin,
    /// The PIN does not open the lock.
    #[error("the PIN is wrong")]
    WrongPin,
    /// A kept key does not open with the storage key (altered, or of another lock).
    #[error("a kept key does not open")]
    Damaged,
    /// The stored cost or salt cannot be used.
    #[error("the lock's parameters are not usable: {0}")]
    Parameters(String),
}

/// A PIN as typed: digits only.
#[derive(Clone, PartialEq, Eq)]
pub struct Pin(String);

impl Pin {
    pub fn parse(text: &str) -> Result<Pin, LockError> {
        let ok = (MIN_DIGITS..=MAX_DIGITS).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit());
        if ok {
            Ok(Pin(text.to_owned()))
        } else {
            Err(LockError::NotAPin)
        }
    }
}

impl std::fmt::Debug for Pin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pin(..)")
    }
}

/// The key every kept key is wrapped under while the lock is on.
#[derive(Clone, PartialEq, Eq)]
pub struct StorageKey([u8; 32]);

impl std::fmt::Debug for StorageKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StorageKey(..)")
    }
}

fn seal(key: &[u8; 32], entropy: &mut impl Entropy, aad: &[u8], plain: &[u8]) -> Vec<u8> {
    let mut nonce = [0u8; NONCE_LEN];
    entropy.fill(&mut nonce);
    let ct = XChaCha20Poly1305::new(&Key::from(*key))
        .encrypt(&XNonce::from(nonce), Payload { msg: plain, aad })
        .expect("XChaCha20-Poly1305 encrypts 32 bytes");
    let mut out = nonce.to_vec();
    out.extend(ct);
    out
}

fn open(key: &[u8; 32], aad: &[u8], sealed: &[u8]) -> Option<[u8; 32]> {
    if sealed.len() < NONCE_LEN {
        return None;
    }
    let (nonce, ct) = sealed.split_at(NONCE_LEN);
    let nonce: [u8; NONCE_LEN] = nonce.try_into().ok()?;
    let plain =
        XChaCha20Poly1305::new(&Key::from(*key)).decrypt(&XNonce::from(nonce), Payload { msg: ct, aad }).ok()?;
    plain.try_into().ok()
}

fn kept_aad(name: &str) -> Vec<u8> {
    let mut aad = KEPT_AAD.to_vec();
    aad.extend(name.as_bytes());
    aad
}

impl StorageKey {
    pub fn new(entropy: &mut impl Entropy) -> StorageKey {
        let mut bytes = [0u8; 32];
        entropy.fill(&mut bytes);
        StorageKey(bytes)
    }

    /// `secret` (a kept key) wrapped for the entry `name`.
    pub fn wrap(&self, entropy: &mut impl Entropy, name: &str, secret: &[u8; 32]) -> Vec<u8> {
        seal(&self.0, entropy, &kept_aad(name), secret)
    }

    /// The kept key of the entry `name`.
    pub fn unwrap(&self, name: &str, wrapped: &[u8]) -> Result<[u8; 32], LockError> {
        open(&self.0, &kept_aad(name), wrapped).ok_or(LockError::Damaged)
    }
}

/// What the device keeps of its lock: the salt, the cost, and the storage
/// key wrapped under the PIN's key. Stored as postcard bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lock {
    pub salt: [u8; SALT_LEN],
    pub cost: Cost,
    pub wrapped: Vec<u8>,
}

/// The PIN's key: Argon2id over the PIN and the salt.
fn derive(pin: &Pin, salt: &[u8], cost: Cost) -> Result<[u8; 32], LockError> {
    let params = argon2::Params::new(cost.memory_kib, cost.passes, 1, Some(32))
        .map_err(|e| LockError::Parameters(e.to_string()))?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut out = [0u8; 32];
    argon.hash_password_into(pin.0.as_bytes(), salt, &mut out).map_err(|e| LockError::Parameters(e.to_string()))?;
    Ok(out)
}

impl Lock {
    /// `storage` locked under `pin`, with a new salt.
    pub fn new(entropy: &mut impl Entropy, pin: &Pin, storage: &StorageKey, cost: Cost) -> Result<Lock, LockError> {
        let mut salt = [0u8; SALT_LEN];
        entropy.fill(&mut salt);
        let key = derive(pin, &salt, cost)?;
        Ok(Lock { salt, cost, wrapped: seal(&key, entropy, LOCK_AAD, &storage.0) })
    }

    /// The storage key, if `pin` is the right one. Takes one derivation.
    pub fn open(&self, pin: &Pin) -> Result<StorageKey, LockError> {
        let key = derive(pin, &self.salt, self.cost)?;
        open(&key, LOCK_AAD, &self.wrapped).map(StorageKey).ok_or(LockError::WrongPin)
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        postcard::to_allocvec(self).expect("a lock always encodes")
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Lock, LockError> {
        postcard::from_bytes(bytes).map_err(|e| LockError::Parameters(e.to_string()))
    }
}

/// What `wrong` tries in a row (this one counted) leave: how many are
/// left, or none (`None`: wipe the device).
pub fn tries_left(wrong: u32) -> Option<u32> {
    TRIES.checked_sub(wrong).filter(|left| *left > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fast cost for tests (the real one is for phones).
    const CHEAP: Cost = Cost { memory_kib: 64, passes: 1 };

    struct Counting(u8);
    impl Entropy for Counting {
        fn fill(&mut self, buf: &mut [u8]) {
            for b in buf {
                self.0 = self.0.wrapping_add(1);
                *b = self.0;
            }
        }
    }

    fn pin(s: &str) -> Pin {
        Pin::parse(s).unwrap()
    }

    #[test]
    fn the_right_pin_opens_the_storage_key_and_a_wrong_one_does_not() {
        let mut e = Counting(0);
        let storage = StorageKey::new(&mut e);
        let lock = Lock::new(&mut e, &pin("271828"), &storage, CHEAP).unwrap();
        assert_eq!(lock.open(&pin("271828")).unwrap(), storage);
        assert_eq!(lock.open(&pin("271829")), Err(LockError::WrongPin));
        assert_eq!(lock.open(&pin("2718280")), Err(LockError::WrongPin));
        // Stored and read back, it still opens.
        let back = Lock::from_bytes(&lock.to_bytes()).unwrap();
        assert_eq!(back.open(&pin("271828")).unwrap(), storage);
    }

    #[test]
    fn the_lock_holds_neither_the_pin_nor_the_storage_key() {
        let mut e = Counting(100);
        let storage = StorageKey::new(&mut e);
        let bytes = Lock::new(&mut e, &pin("123456"), &storage, CHEAP).unwrap().to_bytes();
        assert!(!bytes.windows(6).any(|w| w == b"123456"));
        assert!(!bytes.windows(32).any(|w| w == storage.0));
    }

    #[test]
    fn the_same_pin_on_two_devices_makes_different_keys() {
        // The salt is per device: one PIN's derivation opens no other lock.
        let mut e = Counting(7);
        let storage = StorageKey::new(&mut e);
        let a = Lock::new(&mut e, &pin("111111"), &storage, CHEAP).unwrap();
        let b = Lock::new(&mut e, &pin("111111"), &storage, CHEAP).unwrap();
        assert_ne!(a.salt, b.salt);
        let key_a = derive(&pin("111111"), &a.salt, CHEAP).unwrap();
        assert!(open(&key_a, LOCK_AAD, &b.wrapped).is_none());
    }

    #[test]
    fn a_kept_key_opens_only_under_its_own_name_and_storage_key() {
        let mut e = Counting(9);
        let storage = StorageKey::new(&mut e);
        let other = StorageKey::new(&mut e);
        let secret = [42u8; 32];
        let wrapped = storage.wrap(&mut e, "device", &secret);
        assert_eq!(storage.unwrap("device", &wrapped).unwrap(), secret);
        assert_eq!(storage.unwrap("doc:a:0:0", &wrapped), Err(LockError::Damaged));
        assert_eq!(other.unwrap("device", &wrapped), Err(LockError::Damaged));
        let mut altered = wrapped.clone();
        altered[30] ^= 1;
        assert_eq!(storage.unwrap("device", &altered), Err(LockError::Damaged));
        assert_eq!(storage.unwrap("device", &wrapped[..10]), Err(LockError::Damaged));
    }

    #[test]
    fn a_pin_is_six_to_thirty_two_digits() {
        for bad in ["", "12345", "12345a", "１２３４５６", "123 456", &"1".repeat(33)] {
            assert_eq!(Pin::parse(bad), Err(LockError::NotAPin), "{bad:?}");
        }
        assert!(Pin::parse("000000").is_ok());
        assert!(Pin::parse(&"9".repeat(32)).is_ok());
    }

    #[test]
    fn the_tenth_wrong_try_wipes() {
        assert_eq!(tries_left(0), Some(10));
        assert_eq!(tries_left(1), Some(9));
        assert_eq!(tries_left(9), Some(1));
        assert_eq!(tries_left(10), None);
        assert_eq!(tries_left(11), None);
    }

    #[test]
    fn the_phone_cost_is_one_argon2_accepts() {
        assert!(argon2::Params::new(COST.memory_kib, COST.passes, 1, Some(32)).is_ok());
    }
}
