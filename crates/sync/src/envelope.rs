//! The encryption envelope: XChaCha20-Poly1305 with the community's key.
//!
//! `sealed = nonce (24 bytes) || ciphertext || tag (16 bytes)`. The
//! associated data binds a sealed blob to its document, epoch, key id and
//! kind, and to where it sits in that log: a bundle to its bundle id, a
//! snapshot to the seq it covers. So the relay (or anyone who pushes to it)
//! cannot move a bundle into another log or under another id, nor raise
//! what a snapshot claims to cover, without the device noticing.
//!
//! Inside, every bundle and snapshot is signed by the device that made it
//! (protocol version 5): the plaintext is `signer (32) || read (u64,
//! big-endian) || signature (64) || body`, the signature Ed25519 over
//! [`CommunityKey::signed_message`]. The signer travels sealed, so the
//! relay learns nothing it did not know: who wrote a bundle is for the
//! devices, which check it against the membership before they apply it.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};

use crate::ids::{BundleId, DocAddr, KeyId, Seq};
use crate::membership::{self, DeviceId, DeviceKey};
use crate::Entropy;

pub const NONCE_LEN: usize = 24;

/// The first bytes of the associated data: the envelope's version.
pub const AAD_PREFIX: &[u8; 7] = b"lotse/5";

/// The first bytes of the message a bundle's or snapshot's signature covers.
pub const SIGNED_PREFIX: &[u8; 16] = b"lotse sealed v5\0";

/// What precedes the body in a sealed blob's plaintext: the signer's key
/// (32 bytes), the membership log's seq it had read (8), the signature (64).
pub const SIGNED_HEADER_LEN: usize = 32 + 8 + 64;

/// A sealed blob opened and its signature checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    /// The device that signed it (checked against the membership by the caller).
    pub signer: DeviceId,
    /// How far its signer had read the network's membership log when it
    /// sealed it: a bundle of a retired device that had read its own
    /// retirement was written after it.
    pub read: Seq,
    /// Automerge's bytes.
    pub body: Vec<u8>,
}

/// What a sealed blob holds, and where in its log it belongs: both are
/// bound into the associated data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A bundle, pushed under this id.
    Bundle(BundleId),
    /// A snapshot of the log up to and including this seq.
    Snapshot(Seq),
}

impl Kind {
    /// The kind byte of the associated data: 1 bundle, 2 snapshot.
    pub fn byte(self) -> u8 {
        match self {
            Kind::Bundle(_) => 1,
            Kind::Snapshot(_) => 2,
        }
    }
}

/// A document's symmetric key and its id. Leaves a device only sealed to
/// another device's agreement key (see `grant`).
#[derive(Clone, PartialEq, Eq)]
pub struct CommunityKey {
    pub id: KeyId,
    bytes: [u8; 32],
}

impl std::fmt::Debug for CommunityKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CommunityKey({}, <secret>)", self.id.0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnvelopeError {
    #[error("sealed data of {0} bytes is too short to hold a nonce and a tag")]
    TooShort(usize),
    #[error("sealed with key {found}, but this device's newest key is {have}")]
    UnknownKey { found: u32, have: u32 },
    #[error("does not decrypt with the community key: altered, or sealed for another document")]
    Undecryptable,
    #[error("opened, but its {0} bytes hold no signature")]
    Unsigned(usize),
    #[error("the signature of device {signer} does not verify")]
    BadSignature { signer: DeviceId },
}

impl CommunityKey {
    pub fn from_bytes(id: KeyId, bytes: [u8; 32]) -> Self {
        Self { id, bytes }
    }

    /// A document's first key: id 0. Each rotation makes the next id
    /// ([`Self::next`]), so "newest" is the highest id a device holds.
    pub fn generate(entropy: &mut impl Entropy) -> Self {
        let mut bytes = [0u8; 32];
        entropy.fill(&mut bytes);
        Self { id: KeyId(0), bytes }
    }

    /// A fresh key to replace this one: the next id. `None` past `u32::MAX`
    /// rotations of one document.
    pub fn next(&self, entropy: &mut impl Entropy) -> Option<Self> {
        let id = KeyId(self.id.0.checked_add(1)?);
        let mut bytes = [0u8; 32];
        entropy.fill(&mut bytes);
        Some(Self { id, bytes })
    }

    pub fn bytes(&self) -> &[u8; 32] {
        &self.bytes
    }

    /// The associated data of a blob sealed with this key (see
    /// `docs/protocol.md`, "The envelope"): 48 bytes for a bundle, 40 for a
    /// snapshot.
    pub fn aad(&self, addr: DocAddr, kind: Kind) -> Vec<u8> {
        let mut aad = AAD_PREFIX.to_vec();
        aad.extend(addr.doc.0);
        aad.extend(addr.epoch.0.to_be_bytes());
        aad.extend(self.id.0.to_be_bytes());
        aad.push(kind.byte());
        match kind {
            Kind::Bundle(id) => aad.extend(id.0),
            Kind::Snapshot(covers) => aad.extend(covers.0.to_be_bytes()),
        }
        aad
    }

    pub fn seal(&self, entropy: &mut impl Entropy, addr: DocAddr, kind: Kind, plaintext: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_LEN];
        entropy.fill(&mut nonce);
        let cipher = XChaCha20Poly1305::new(&Key::from(self.bytes));
        let aad = self.aad(addr, kind);
        let ct = cipher
            .encrypt(&XNonce::from(nonce), Payload { msg: plaintext, aad: &aad })
            .expect("XChaCha20-Poly1305 encrypts any length we send");
        let mut out = nonce.to_vec();
        out.extend(ct);
        out
    }

    /// The bytes a bundle's or snapshot's signature covers (see
    /// `docs/protocol.md`, "The envelope"): the domain, the associated data
    /// (so the signature, too, holds only where the blob was sealed for),
    /// `read`, then the body. Automerge's document chunk names its heads
    /// and a load checks them (`VerificationMode::Check`), so a snapshot's
    /// heads are signed with its body.
    pub fn signed_message(&self, addr: DocAddr, kind: Kind, read: Seq, body: &[u8]) -> Vec<u8> {
        let mut m = SIGNED_PREFIX.to_vec();
        m.extend(self.aad(addr, kind));
        m.extend(read.0.to_be_bytes());
        m.extend(body);
        m
    }

    /// Signs `body` with `signer`'s key and seals it. `read` is how far the
    /// signer has read its network's membership log.
    pub fn seal_signed(
        &self,
        entropy: &mut impl Entropy,
        addr: DocAddr,
        kind: Kind,
        signer: &DeviceKey,
        read: Seq,
        body: &[u8],
    ) -> Vec<u8> {
        let signature = signer.sign_bytes(&self.signed_message(addr, kind, read, body));
        let mut plain = Vec::with_capacity(SIGNED_HEADER_LEN + body.len());
        plain.extend(signer.id().0);
        plain.extend(read.0.to_be_bytes());
        plain.extend(signature);
        plain.extend(body);
        self.seal(entropy, addr, kind, &plain)
    }

    /// Opens a blob [`Self::seal_signed`] made and checks its signature
    /// (strictly). Who the signer is, and whether it may have written it,
    /// is the caller's to check against the membership.
    pub fn open_signed(
        &self,
        key_id: KeyId,
        addr: DocAddr,
        kind: Kind,
        sealed: &[u8],
    ) -> Result<Opened, EnvelopeError> {
        let mut plain = self.open(key_id, addr, kind, sealed)?;
        if plain.len() < SIGNED_HEADER_LEN {
            return Err(EnvelopeError::Unsigned(plain.len()));
        }
        let signer = DeviceId(plain[..32].try_into().expect("32 bytes"));
        let read = Seq(u64::from_be_bytes(plain[32..40].try_into().expect("8 bytes")));
        let signature: [u8; 64] = plain[40..SIGNED_HEADER_LEN].try_into().expect("64 bytes");
        let body = plain.split_off(SIGNED_HEADER_LEN);
        membership::verify(signer, &self.signed_message(addr, kind, read, &body), &signature)
            .map_err(|_| EnvelopeError::BadSignature { signer })?;
        Ok(Opened { signer, read, body })
    }

    pub fn open(&self, key_id: KeyId, addr: DocAddr, kind: Kind, sealed: &[u8]) -> Result<Vec<u8>, EnvelopeError> {
        if key_id != self.id {
            return Err(EnvelopeError::UnknownKey { found: key_id.0, have: self.id.0 });
        }
        if sealed.len() < NONCE_LEN + 16 {
            return Err(EnvelopeError::TooShort(sealed.len()));
        }
        let (nonce, ct) = sealed.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().expect("split at NONCE_LEN");
        let cipher = XChaCha20Poly1305::new(&Key::from(self.bytes));
        cipher
            .decrypt(&XNonce::from(nonce), Payload { msg: ct, aad: &self.aad(addr, kind) })
            .map_err(|_| EnvelopeError::Undecryptable)
    }
}

/// Every key a device holds of one document, by id: it seals with the
/// newest and opens each blob with the key its id names, so the log from
/// before a rotation still opens (see `docs/protocol.md`, "Rotating a
/// document's key").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keyring {
    /// By id, oldest first: a handful at most (a sorted `Vec`, not a map:
    /// every instance of a map costs the engine's binary kilobytes).
    keys: Vec<CommunityKey>,
}

impl Keyring {
    /// A keyring holding one key.
    pub fn new(key: CommunityKey) -> Self {
        Self { keys: vec![key] }
    }

    /// A keyring of several keys; `None` if there are none. Of two keys
    /// with one id the first stays.
    pub fn of(keys: impl IntoIterator<Item = CommunityKey>) -> Option<Self> {
        let mut keys = keys.into_iter();
        let mut ring = Self::new(keys.next()?);
        for key in keys {
            ring.insert(key);
        }
        Some(ring)
    }

    /// Adds `key`; whether it was new. A key of an id already held never
    /// replaces it: one id names one key for good (the membership lets a
    /// rotation name each id once).
    pub fn insert(&mut self, key: CommunityKey) -> bool {
        match self.keys.binary_search_by_key(&key.id, |k| k.id) {
            Ok(_) => false,
            Err(at) => {
                self.keys.insert(at, key);
                true
            }
        }
    }

    /// The key new bundles and snapshots are sealed with.
    pub fn newest(&self) -> &CommunityKey {
        self.keys.last().expect("a keyring holds a key")
    }

    pub fn get(&self, id: KeyId) -> Option<&CommunityKey> {
        self.keys.iter().find(|k| k.id == id)
    }

    pub fn ids(&self) -> impl Iterator<Item = KeyId> + '_ {
        self.keys.iter().map(|k| k.id)
    }

    pub fn keys(&self) -> impl Iterator<Item = &CommunityKey> {
        self.keys.iter()
    }

    /// Opens a blob with the key its id names ([`CommunityKey::open_signed`]);
    /// `UnknownKey` if this device does not hold that key (yet).
    pub fn open_signed(
        &self,
        key_id: KeyId,
        addr: DocAddr,
        kind: Kind,
        sealed: &[u8],
    ) -> Result<Opened, EnvelopeError> {
        match self.get(key_id) {
            Some(key) => key.open_signed(key_id, addr, kind, sealed),
            None => Err(EnvelopeError::UnknownKey { found: key_id.0, have: self.newest().id.0 }),
        }
    }
}

/// Randomness that counts up: the same bytes on every run of a test.
#[cfg(test)]
pub(crate) struct Counter(pub u8);

#[cfg(test)]
impl Entropy for Counter {
    fn fill(&mut self, buf: &mut [u8]) {
        for b in buf {
            self.0 = self.0.wrapping_add(1);
            *b = self.0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{DocumentId, Epoch};

    fn addr(n: u8) -> DocAddr {
        DocAddr { doc: DocumentId([n; 16]), epoch: Epoch(0) }
    }

    const B: Kind = Kind::Bundle(BundleId([5; 16]));

    #[test]
    fn sealed_data_opens_only_where_it_was_sealed_for() {
        let mut e = Counter(0);
        let key = CommunityKey::generate(&mut e);
        let sealed = key.seal(&mut e, addr(1), B, b"Ayse");
        assert!(!sealed.windows(4).any(|w| w == b"Ayse"));
        assert_eq!(key.open(key.id, addr(1), B, &sealed).unwrap(), b"Ayse");
        assert_eq!(key.open(key.id, addr(2), B, &sealed), Err(EnvelopeError::Undecryptable));
        assert_eq!(key.open(key.id, addr(1), Kind::Snapshot(Seq(1)), &sealed), Err(EnvelopeError::Undecryptable));
        let mut tampered = sealed.clone();
        tampered[30] ^= 1;
        assert_eq!(key.open(key.id, addr(1), B, &tampered), Err(EnvelopeError::Undecryptable));
        let other = CommunityKey::generate(&mut e);
        assert!(other.open(key.id, addr(1), B, &sealed).is_err());
        assert_eq!(key.open(key.id, addr(1), B, &[0; 10]), Err(EnvelopeError::TooShort(10)));
    }

    #[test]
    fn a_bundle_under_another_id_or_a_snapshot_with_a_raised_covers_does_not_open() {
        let mut e = Counter(0);
        let key = CommunityKey::generate(&mut e);
        let bundle = key.seal(&mut e, addr(1), B, b"change");
        let moved = Kind::Bundle(BundleId([6; 16]));
        assert_eq!(key.open(key.id, addr(1), moved, &bundle), Err(EnvelopeError::Undecryptable));
        let snapshot = key.seal(&mut e, addr(1), Kind::Snapshot(Seq(7)), b"document");
        assert_eq!(key.open(key.id, addr(1), Kind::Snapshot(Seq(7)), &snapshot).unwrap(), b"document");
        for covers in [0, 6, 8, 1 << 40] {
            let raised = Kind::Snapshot(Seq(covers));
            assert_eq!(key.open(key.id, addr(1), raised, &snapshot), Err(EnvelopeError::Undecryptable), "{covers}");
        }
    }

    fn device(n: u8) -> DeviceKey {
        DeviceKey::from_secret([n; 32])
    }

    #[test]
    fn a_signed_blob_opens_with_its_signer_and_what_it_had_read() {
        let mut e = Counter(0);
        let key = CommunityKey::generate(&mut e);
        let sealed = key.seal_signed(&mut e, addr(1), B, &device(1), Seq(7), b"change");
        let opened = key.open_signed(key.id, addr(1), B, &sealed).unwrap();
        assert_eq!(opened, Opened { signer: device(1).id(), read: Seq(7), body: b"change".to_vec() });
        assert!(!sealed.windows(32).any(|w| w == device(1).id().0), "the signer travels sealed");
        let snapshot = Kind::Snapshot(Seq(3));
        let sealed = key.seal_signed(&mut e, addr(1), snapshot, &device(1), Seq(0), b"");
        assert_eq!(key.open_signed(key.id, addr(1), snapshot, &sealed).unwrap().body, b"");
    }

    #[test]
    fn a_blob_signed_by_another_key_altered_inside_or_unsigned_is_refused() {
        let mut e = Counter(0);
        let key = CommunityKey::generate(&mut e);
        // A key holder swaps the signer (or the read seq, or the body) and
        // seals again: the signature no longer verifies.
        let good = key.open(key.id, addr(1), B, &key.seal_signed(&mut e, addr(1), B, &device(1), Seq(7), b"change"));
        let plain = good.unwrap();
        type Alteration = fn(&mut Vec<u8>);
        let tries: [(&str, Alteration); 4] = [
            ("another signer", |p| p[..32].copy_from_slice(&device(2).id().0)),
            ("another read seq", |p| p[39] ^= 1),
            ("the signature altered", |p| p[50] ^= 1),
            ("the body altered", |p| *p.last_mut().unwrap() ^= 1),
        ];
        for (what, alter) in tries {
            let mut p = plain.clone();
            alter(&mut p);
            let resealed = key.seal(&mut e, addr(1), B, &p);
            let error = key.open_signed(key.id, addr(1), B, &resealed).unwrap_err();
            assert!(matches!(error, EnvelopeError::BadSignature { .. }), "{what}: {error:?}");
        }
        // Signed by a key for another place: the signature covers the
        // associated data, so it holds only where it was sealed for.
        let elsewhere = key.open(key.id, addr(2), B, &key.seal_signed(&mut e, addr(2), B, &device(1), Seq(7), b"c"));
        let moved = key.seal(&mut e, addr(1), B, &elsewhere.unwrap());
        assert_eq!(
            key.open_signed(key.id, addr(1), B, &moved),
            Err(EnvelopeError::BadSignature { signer: device(1).id() })
        );
        // A version-4 blob: plain Automerge, no signature.
        let unsigned = key.seal(&mut e, addr(1), B, b"short");
        assert_eq!(key.open_signed(key.id, addr(1), B, &unsigned), Err(EnvelopeError::Unsigned(5)));
        // A signature that is not a curve point's, or all zeroes.
        let mut zero = plain.clone();
        zero[40..104].fill(0);
        let resealed = key.seal(&mut e, addr(1), B, &zero);
        assert!(matches!(key.open_signed(key.id, addr(1), B, &resealed), Err(EnvelopeError::BadSignature { .. })));
    }

    #[test]
    fn a_keyring_seals_with_the_newest_key_and_opens_with_the_key_each_blob_names() {
        let mut e = Counter(0);
        let first = CommunityKey::generate(&mut e);
        assert_eq!(first.id, KeyId(0));
        let second = first.next(&mut e).unwrap();
        assert_eq!(second.id, KeyId(1));
        assert_ne!(first.bytes(), second.bytes());
        let old = first.seal_signed(&mut e, addr(1), B, &device(1), Seq(1), b"before");
        let mut ring = Keyring::new(first.clone());
        assert_eq!(ring.newest().id, KeyId(0));
        assert!(ring.insert(second.clone()));
        assert_eq!(ring.newest().id, KeyId(1), "the rotated key is the newest");
        let new = ring.newest().seal_signed(&mut e, addr(1), B, &device(1), Seq(2), b"after");
        assert_eq!(ring.open_signed(KeyId(0), addr(1), B, &old).unwrap().body, b"before", "the old log still opens");
        assert_eq!(ring.open_signed(KeyId(1), addr(1), B, &new).unwrap().body, b"after");
        // What was sealed after the rotation does not open with the old key,
        // even relabelled to its id.
        assert_eq!(first.open(KeyId(0), addr(1), B, &new), Err(EnvelopeError::Undecryptable));
        assert!(ring.open_signed(KeyId(0), addr(1), B, &new).is_err());
        // A device that holds only the old key is told which one it lacks.
        let retired = Keyring::new(first.clone());
        assert_eq!(
            retired.open_signed(KeyId(1), addr(1), B, &new),
            Err(EnvelopeError::UnknownKey { found: 1, have: 0 })
        );
    }

    #[test]
    fn a_keyring_keeps_the_first_key_of_an_id_and_its_ids_in_order() {
        let mut e = Counter(0);
        let first = CommunityKey::generate(&mut e);
        let impostor = CommunityKey::from_bytes(KeyId(0), [9; 32]);
        let third = first.next(&mut e).unwrap().next(&mut e).unwrap();
        let mut ring = Keyring::of([third.clone(), first.clone()]).unwrap();
        assert!(!ring.insert(impostor), "one id names one key");
        assert_eq!(ring.get(KeyId(0)), Some(&first));
        assert_eq!(ring.ids().collect::<Vec<_>>(), vec![KeyId(0), KeyId(2)]);
        assert_eq!(ring.newest(), &third);
        assert!(Keyring::of([]).is_none());
        assert!(CommunityKey::from_bytes(KeyId(u32::MAX), [1; 32]).next(&mut e).is_none());
    }
}
