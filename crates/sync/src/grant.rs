//! Document keys handed from a coordinator's device to another device,
//! sealed to that device's agreement key with HPKE (RFC 9180, base mode,
//! DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305).
//!
//! A join link carries no document key: the new device enrols with its
//! agreement key, and a coordinator's device, when it next reads the
//! membership, seals the keys the device may hold into a
//! [`Statement::Keys`] in the membership log. The relay stores it and checks
//! who may hold what; only the device opens it.
//!
//! `sealed = encapsulated key (32) || ciphertext (32 per key) || tag (16)`.
//! The HPKE `info` binds the network and the device, the associated data
//! the grants (documents, epochs, key ids) in their order: a sealed blob
//! cannot be handed to another device, moved to another network, or
//! relabelled to another document.

use hpke::aead::ChaCha20Poly1305;
use hpke::kdf::HkdfSha256;
use hpke::kem::X25519HkdfSha256;
use hpke::rand_core::{TryCryptoRng, TryRng};
use hpke::{Deserializable, Kem as _, OpModeR, OpModeS, Serializable};
use sha2::{Digest, Sha512};

use crate::envelope::CommunityKey;
use crate::ids::{DocAddr, DocumentId};
use crate::membership::{AgreementKey, DeviceId, DeviceKey, Grant, Statement, Wrapped};
use crate::Entropy;

type Kem = X25519HkdfSha256;

/// The length of the encapsulated key at the front of `sealed`.
pub const ENCAPPED_LEN: usize = 32;

/// Why sealed keys could not be opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GrantError {
    #[error("the statement hands out no keys")]
    NotKeys,
    #[error("the keys are for another device")]
    NotForThisDevice,
    #[error("the sealed keys are {0} bytes, not what their grants need")]
    BadLength(usize),
    #[error("the sealed keys do not open with this device's agreement key: altered, or sealed for another")]
    Unopenable,
    #[error("the agreement key {0:02x?} is not a valid X25519 public key")]
    BadAgreementKey([u8; 4]),
}

/// A device's X25519 secret for opening keys sealed to it.
pub struct AgreementSecret {
    secret: <Kem as hpke::Kem>::PrivateKey,
    public: AgreementKey,
}

impl std::fmt::Debug for AgreementSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AgreementSecret({:02x?}, <secret>)", &self.public.0[..4])
    }
}

impl AgreementSecret {
    pub fn public(&self) -> AgreementKey {
        self.public
    }
}

impl DeviceKey {
    /// The device's agreement key pair, derived from its signing secret
    /// under a label of its own: the two keys share a seed, never a use.
    pub fn agreement(&self) -> AgreementSecret {
        let mut ikm = Sha512::new();
        ikm.update(b"lotse agreement v1\0");
        ikm.update(self.secret());
        let (secret, public) = Kem::derive_keypair(&ikm.finalize());
        let bytes: [u8; 32] = public.to_bytes().into();
        AgreementSecret { secret, public: AgreementKey(bytes) }
    }
}

/// `Entropy` as the RNG HPKE asks for (the ephemeral key of each seal).
struct Rng<'a, E: Entropy>(&'a mut E);

impl<E: Entropy> TryRng for Rng<'_, E> {
    type Error = core::convert::Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        let mut b = [0u8; 4];
        self.0.fill(&mut b);
        Ok(u32::from_le_bytes(b))
    }

    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        let mut b = [0u8; 8];
        self.0.fill(&mut b);
        Ok(u64::from_le_bytes(b))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        self.0.fill(dst);
        Ok(())
    }
}

// The entropy handed in is the device's CSPRNG (a seeded one only in
// simulation).
impl<E: Entropy> TryCryptoRng for Rng<'_, E> {}

fn info(network: DocumentId, device: DeviceId) -> Vec<u8> {
    let mut info = b"lotse keys v1\0".to_vec();
    info.extend(network.0);
    info.extend(device.0);
    info
}

fn aad(grants: &[Grant]) -> Vec<u8> {
    postcard::to_allocvec(grants).expect("postcard into a Vec")
}

/// The statement that hands `keys` to `device`, sealed to its agreement
/// key `to`; a coordinator signs it.
pub fn seal_keys(
    entropy: &mut impl Entropy,
    network: DocumentId,
    device: DeviceId,
    to: AgreementKey,
    keys: &[(DocAddr, CommunityKey)],
) -> Result<Statement, GrantError> {
    let public = <Kem as hpke::Kem>::PublicKey::from_bytes(&to.0)
        .map_err(|_| GrantError::BadAgreementKey(to.0[..4].try_into().expect("4 bytes")))?;
    let grants: Vec<Grant> = keys.iter().map(|(addr, key)| Grant { addr: *addr, key: key.id }).collect();
    let plain: Vec<u8> = keys.iter().flat_map(|(_, key)| *key.bytes()).collect();
    let (encapped, ciphertext) = hpke::single_shot_seal_with_rng::<ChaCha20Poly1305, HkdfSha256, Kem>(
        &OpModeS::Base,
        &public,
        &info(network, device),
        &plain,
        &aad(&grants),
        &mut Rng(entropy),
    )
    .map_err(|_| GrantError::BadAgreementKey(to.0[..4].try_into().expect("4 bytes")))?;
    let mut sealed = encapped.to_bytes().to_vec();
    sealed.extend(ciphertext);
    Ok(Statement::Keys { device, grants, sealed })
}

/// Opens a [`Statement::Keys`] for this device: the keys, each with the
/// document it opens.
pub fn open_keys(
    secret: &AgreementSecret,
    network: DocumentId,
    me: DeviceId,
    statement: &Statement,
) -> Result<Vec<(DocAddr, CommunityKey)>, GrantError> {
    let Statement::Keys { device, grants, sealed } = statement else { return Err(GrantError::NotKeys) };
    if *device != me {
        return Err(GrantError::NotForThisDevice);
    }
    if sealed.len() != ENCAPPED_LEN + 32 * grants.len() + 16 {
        return Err(GrantError::BadLength(sealed.len()));
    }
    let (encapped, ciphertext) = sealed.split_at(ENCAPPED_LEN);
    let encapped = <Kem as hpke::Kem>::EncappedKey::from_bytes(encapped).map_err(|_| GrantError::Unopenable)?;
    let plain = hpke::single_shot_open::<ChaCha20Poly1305, HkdfSha256, Kem>(
        &OpModeR::Base,
        &secret.secret,
        &encapped,
        &info(network, me),
        ciphertext,
        &aad(grants),
    )
    .map_err(|_| GrantError::Unopenable)?;
    Ok(grants
        .iter()
        .zip(plain.chunks_exact(32))
        .map(|(g, key)| (g.addr, CommunityKey::from_bytes(g.key, key.try_into().expect("chunks of 32"))))
        .collect())
}

/// The statement that moves `addr` to the new key `key`, sealed to each of
/// `to` as a [`Statement::Keys`] of that one grant would be: the same
/// bytes, the same binding to the network, the device and the grant. A
/// device whose agreement key is no curve point is left out (and named),
/// so that one bad enrolment cannot hold a rotation up.
pub fn seal_rotation(
    entropy: &mut impl Entropy,
    network: DocumentId,
    addr: DocAddr,
    key: &CommunityKey,
    to: &[(DeviceId, AgreementKey)],
) -> (Statement, Vec<(DeviceId, GrantError)>) {
    let mut wrapped = Vec::with_capacity(to.len());
    let mut left_out = Vec::new();
    for (device, agreement) in to {
        match seal_keys(entropy, network, *device, *agreement, &[(addr, key.clone())]) {
            Ok(Statement::Keys { sealed, .. }) => wrapped.push(Wrapped { device: *device, sealed }),
            Ok(_) => unreachable!("seal_keys makes a Keys statement"),
            Err(e) => left_out.push((*device, e)),
        }
    }
    (Statement::Rotate { grant: Grant { addr, key: key.id }, to: wrapped }, left_out)
}

/// Opens this device's copy of a rotation's new key: `Ok(None)` if the
/// rotation hands it none (a retired device's case).
pub fn open_rotation(
    secret: &AgreementSecret,
    network: DocumentId,
    me: DeviceId,
    statement: &Statement,
) -> Result<Option<(DocAddr, CommunityKey)>, GrantError> {
    // A rewrite hands its new epoch's first key the same way.
    let (Statement::Rotate { grant, to } | Statement::Rewrite { grant, to, .. }) = statement else {
        return Err(GrantError::NotKeys);
    };
    let Some(mine) = to.iter().find(|w| w.device == me) else { return Ok(None) };
    let keys = Statement::Keys { device: me, grants: vec![*grant], sealed: mine.sealed.clone() };
    Ok(open_keys(secret, network, me, &keys)?.pop())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envelope::Counter;
    use crate::ids::{Epoch, KeyId};
    use crate::membership::testing::key;

    const NET: DocumentId = DocumentId([1; 16]);

    fn addr(n: u8) -> DocAddr {
        DocAddr { doc: DocumentId([n; 16]), epoch: Epoch(0) }
    }

    fn keys(e: &mut Counter) -> Vec<(DocAddr, CommunityKey)> {
        vec![(addr(1), CommunityKey::generate(e)), (addr(2), CommunityKey::generate(e))]
    }

    #[test]
    fn the_device_opens_the_keys_sealed_to_it_and_nobody_else_does() {
        let mut e = Counter(0);
        let keys = keys(&mut e);
        let device = key(2);
        let stmt = seal_keys(&mut e, NET, device.id(), device.agreement().public(), &keys).unwrap();
        let Statement::Keys { sealed, grants, .. } = &stmt else { panic!("{stmt:?}") };
        assert_eq!(grants.len(), 2);
        assert_eq!(sealed.len(), ENCAPPED_LEN + 64 + 16);
        for (_, k) in &keys {
            assert!(!sealed.windows(32).any(|w| w == k.bytes()), "a key in the clear");
        }
        let opened = open_keys(&device.agreement(), NET, device.id(), &stmt).unwrap();
        assert_eq!(opened, keys);
        // Another device, even holding the statement and naming itself.
        let other = key(3);
        assert_eq!(open_keys(&other.agreement(), NET, device.id(), &stmt), Err(GrantError::Unopenable));
        assert_eq!(open_keys(&other.agreement(), NET, other.id(), &stmt), Err(GrantError::NotForThisDevice));
        // The same device in another network.
        assert_eq!(
            open_keys(&device.agreement(), DocumentId([9; 16]), device.id(), &stmt),
            Err(GrantError::Unopenable)
        );
    }

    #[test]
    fn relabelled_reordered_or_altered_grants_do_not_open() {
        let mut e = Counter(0);
        let keys = keys(&mut e);
        let device = key(2);
        let me = device.id();
        let stmt = seal_keys(&mut e, NET, me, device.agreement().public(), &keys).unwrap();
        let Statement::Keys { grants, sealed, .. } = stmt else { unreachable!() };
        let tries: Vec<(&str, Vec<Grant>, Vec<u8>)> = vec![
            ("grants swapped", vec![grants[1], grants[0]], sealed.clone()),
            ("another document", vec![Grant { addr: addr(3), ..grants[0] }, grants[1]], sealed.clone()),
            ("another key id", vec![Grant { key: KeyId(7), ..grants[0] }, grants[1]], sealed.clone()),
            ("a bit flipped", grants.clone(), {
                let mut s = sealed.clone();
                s[40] ^= 1;
                s
            }),
        ];
        for (what, grants, sealed) in tries {
            let stmt = Statement::Keys { device: me, grants, sealed };
            assert_eq!(open_keys(&device.agreement(), NET, me, &stmt), Err(GrantError::Unopenable), "{what}");
        }
        let short = Statement::Keys { device: me, grants: grants[..1].to_vec(), sealed };
        assert_eq!(open_keys(&device.agreement(), NET, me, &short), Err(GrantError::BadLength(112)));
    }

    #[test]
    fn the_agreement_key_is_the_same_for_the_same_device_and_differs_between_devices() {
        assert_eq!(key(2).agreement().public(), key(2).agreement().public());
        assert_ne!(key(2).agreement().public(), key(3).agreement().public());
        assert_ne!(key(2).agreement().public().0, key(2).id().0, "not the signing key's bytes");
    }

    #[test]
    fn a_rotation_opens_for_each_device_it_names_and_for_no_other() {
        let mut e = Counter(0);
        let old = CommunityKey::generate(&mut e);
        let new = old.next(&mut e).unwrap();
        let (a, b, retired) = (key(2), key(3), key(4));
        let to = [(a.id(), a.agreement().public()), (b.id(), b.agreement().public())];
        let bad = (key(5).id(), AgreementKey([0; 32]));
        let (stmt, left_out) = seal_rotation(&mut e, NET, addr(1), &new, &[to[0], bad, to[1]]);
        assert!(matches!(left_out.as_slice(), [(d, GrantError::BadAgreementKey(_))] if *d == bad.0), "{left_out:?}");
        let Statement::Rotate { grant, to: wrapped } = &stmt else { panic!("{stmt:?}") };
        assert_eq!(*grant, Grant { addr: addr(1), key: KeyId(1) });
        assert_eq!(wrapped.len(), 2);
        assert!(!wrapped.iter().any(|w| w.sealed.windows(32).any(|x| x == new.bytes())), "the key in the clear");
        for d in [&a, &b] {
            assert_eq!(open_rotation(&d.agreement(), NET, d.id(), &stmt), Ok(Some((addr(1), new.clone()))));
        }
        assert_eq!(open_rotation(&retired.agreement(), NET, retired.id(), &stmt), Ok(None), "not named: nothing");
        // Another device's copy, taken as one's own, does not open.
        let mut stolen = stmt.clone();
        if let Statement::Rotate { to, .. } = &mut stolen {
            to[0].device = retired.id();
        }
        assert_eq!(open_rotation(&retired.agreement(), NET, retired.id(), &stolen), Err(GrantError::Unopenable));
        // Relabelled to another id, it does not open either.
        let mut relabelled = stmt.clone();
        if let Statement::Rotate { grant, .. } = &mut relabelled {
            grant.key = KeyId(2);
        }
        assert_eq!(open_rotation(&a.agreement(), NET, a.id(), &relabelled), Err(GrantError::Unopenable));
    }
}
