//! The encryption envelope: XChaCha20-Poly1305 with the community's key.
//!
//! `sealed = nonce (24 bytes) || ciphertext || tag (16 bytes)`. The
//! associated data binds a sealed blob to its document, epoch, key id and
//! kind, and to where it sits in that log: a bundle to its bundle id, a
//! snapshot to the seq it covers. So the relay (or anyone who pushes to it)
//! cannot move a bundle into another log or under another id, nor raise
//! what a snapshot claims to cover, without the device noticing.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};

use crate::ids::{BundleId, DocAddr, KeyId, Seq};
use crate::Entropy;

pub const NONCE_LEN: usize = 24;

/// The first bytes of the associated data: the envelope's version.
pub const AAD_PREFIX: &[u8; 7] = b"lotse/2";

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

/// A community's symmetric key and its id. Never leaves a device except in a
/// join link's URL fragment.
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
    #[error("sealed with key {found}, but this device has key {have}")]
    UnknownKey { found: u32, have: u32 },
    #[error("does not decrypt with the community key: altered, or sealed for another document")]
    Undecryptable,
}

impl CommunityKey {
    pub fn from_bytes(id: KeyId, bytes: [u8; 32]) -> Self {
        Self { id, bytes }
    }

    pub fn generate(entropy: &mut impl Entropy) -> Self {
        let mut bytes = [0u8; 32];
        entropy.fill(&mut bytes);
        let mut id = [0u8; 4];
        entropy.fill(&mut id);
        Self { id: KeyId(u32::from_be_bytes(id)), bytes }
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
}
