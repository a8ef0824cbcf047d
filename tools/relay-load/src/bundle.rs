//! Pushes as a device sends them.
//!
//! Each plaintext is a real Automerge change (a consultation record, a few
//! hundred bytes) made by `lotse_sync`'s `ClientCore` and taken from the
//! `Push` frame it sends. Like `ClientCore`, the generator seals the change
//! afresh for every push; the 24-byte nonce it seals with is a [`Stamp`]
//! (send time, device, push number) instead of random bytes, so a receiver
//! measures the fan-out latency from the sealed bytes without opening them.
//! A stamp is unique per device and push, which is all a nonce needs.

use anyhow::{bail, Context as _, Result};
use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjType, ROOT};
use lotse_sync::client::{ClientConfig, ClientCore, ClientEffect, ClientEvent, Identity, OpenDoc};
use lotse_sync::envelope::{CommunityKey, Kind, NONCE_LEN};
use lotse_sync::wire::{ClientFrame, Push, RelayFrame, Welcome, PROTOCOL_VERSION};
use lotse_sync::{BundleId, DocAddr, DocumentId, Entropy, Epoch, KeyId, Seq};

/// Every simulated community's key; the relay never sees it.
pub(crate) fn community_key() -> CommunityKey {
    CommunityKey::from_bytes(KeyId(1), [0x5a; 32])
}

/// Document `n` of a run. `salt` keeps runs apart should two share a relay.
pub(crate) fn doc_addr(salt: u64, n: u64) -> DocAddr {
    let mut id = [0u8; 16];
    id[..8].copy_from_slice(&salt.to_be_bytes());
    id[8..].copy_from_slice(&n.to_be_bytes());
    DocAddr { doc: DocumentId(id), epoch: Epoch(0) }
}

/// SplitMix64, seeded: the randomness `ClientCore` asks for while a change
/// is made (its bundle id, its nonce), and the soak's schedule.
#[derive(Debug, Clone)]
pub(crate) struct Seeded(pub u64);

impl Seeded {
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    pub(crate) fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi.saturating_sub(lo) + 1)
    }
}

impl Entropy for Seeded {
    fn fill(&mut self, buf: &mut [u8]) {
        for chunk in buf.chunks_mut(8) {
            let n = self.next_u64();
            chunk.copy_from_slice(&n.to_be_bytes()[..chunk.len()]);
        }
    }
}

/// Writes consultation `n` the way the app stores a record: a map under
/// its id in the collection, one field per entry.
pub(crate) fn consultation(doc: &mut AutoCommit, n: u64) -> Result<(), automerge::AutomergeError> {
    let list = doc.put_object(ROOT, "consultations", ObjType::Map)?;
    let record = doc.put_object(&list, format!("0d4c6e1a-77f3-4b7e-9a51-{n:012x}"), ObjType::Map)?;
    doc.put(&record, "contact", format!("5b2f0c44-1e0a-4d3c-8f6e-{:012x}", n * 7 + 1))?;
    doc.put(&record, "mentor", "a41c9d7e-3b5f-4e21-b0d8-6c2e9f17a3b4")?;
    doc.put(&record, "date", "2026-11-30")?;
    doc.put(&record, "target_group", "Parent")?;
    doc.put(&record, "topics", "school-to-work transition; apprenticeship search")?;
    doc.put(&record, "outcome", "referred to the Berufsberatung, follow-up in two weeks")?;
    doc.put(
        &record,
        "notes",
        format!("Mother of two asks about training places in the trades; daughter in year 9 ({n})."),
    )?;
    Ok(())
}

/// The plaintext of a change a device makes to `addr`: what `ClientCore`
/// seals into its `Push` once the change is stored (its signature header,
/// then the Automerge change). The load test seals it again under its own
/// bundle ids, so the signature no longer holds there: its receivers read
/// the stamp, never the plaintext; the size is a real push's.
pub(crate) fn device_change(addr: DocAddr, n: u64) -> Result<Vec<u8>> {
    let key = community_key();
    let mut core = ClientCore::new(Seeded(n), ClientConfig::default());
    // A device pushes only once it has answered the relay's challenge.
    let identity = Identity { key: crate::identity::device_key(n, 0), network: crate::identity::network(n, 0) };
    core.set_identity(identity);
    let open = OpenDoc {
        addr,
        keys: lotse_sync::envelope::Keyring::new(key.clone()),
        doc: AutoCommit::new(),
        cursor: Seq(0),
        generation: lotse_sync::Generation::NONE,
        at: None,
        outbox: vec![],
        chunks: 0,
    };
    core.open(0, open);
    core.handle(0, ClientEvent::Connected);
    let welcome = Welcome { version: PROTOCOL_VERSION, max_frame: u32::MAX, challenge: [0; 32] };
    core.handle(0, ClientEvent::Received(RelayFrame::Welcome(welcome).encode()));
    core.change(0, addr, |doc| consultation(doc, n)).context("making a consultation")?;
    // The app's store answers the write; only then does the change go out.
    for effect in core.handle(0, ClientEvent::Persisted { addr }) {
        if let ClientEffect::Send(bytes) = effect {
            if let Ok(ClientFrame::Push(push)) = ClientFrame::decode(&bytes) {
                return key
                    .open(push.key_id, addr, Kind::Bundle(push.bundle_id), &push.sealed)
                    .context("opening our own push");
            }
        }
    }
    bail!("ClientCore stored the change but did not push it")
}

/// What a load-test push carries in its nonce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    /// Wall-clock time just before the push was sent, in ns since the Unix
    /// epoch: the one clock every process of the run shares.
    pub sent_ns: u64,
    pub device: u32,
    pub push: u32,
    /// Sent in the measured window (not in the warm-up).
    pub counted: bool,
}

impl Stamp {
    fn nonce(&self) -> [u8; NONCE_LEN] {
        let mut nonce = [0u8; NONCE_LEN];
        nonce[..8].copy_from_slice(&self.sent_ns.to_be_bytes());
        nonce[8..12].copy_from_slice(&self.device.to_be_bytes());
        nonce[12..16].copy_from_slice(&self.push.to_be_bytes());
        nonce[16] = u8::from(self.counted);
        nonce
    }

    /// The stamp at the front of a sealed bundle.
    pub(crate) fn read(sealed: &[u8]) -> Option<Stamp> {
        let nonce = sealed.get(..NONCE_LEN)?;
        let u32_at = |i: usize| u32::from_be_bytes(nonce[i..i + 4].try_into().expect("4 bytes"));
        Some(Stamp {
            sent_ns: u64::from_be_bytes(nonce[..8].try_into().expect("8 bytes")),
            device: u32_at(8),
            push: u32_at(12),
            counted: nonce[16] == 1,
        })
    }
}

/// Hands the seal its nonce.
struct NonceOf([u8; NONCE_LEN]);

impl Entropy for NonceOf {
    fn fill(&mut self, buf: &mut [u8]) {
        for (b, n) in buf.iter_mut().zip(self.0.iter().cycle()) {
            *b = *n;
        }
    }
}

/// The bundle id of a device's push: unique in the run, and the Ack names it.
pub(crate) fn bundle_id(salt: u64, device: u32, push: u32) -> BundleId {
    let mut id = [0u8; 16];
    id[..4].copy_from_slice(&device.to_be_bytes());
    id[4..8].copy_from_slice(&push.to_be_bytes());
    id[8..].copy_from_slice(&salt.to_be_bytes());
    BundleId(id)
}

/// The push number in a bundle id made by [`bundle_id`].
pub(crate) fn push_of(id: BundleId) -> u32 {
    u32::from_be_bytes(id.0[4..8].try_into().expect("4 bytes"))
}

/// The `Push` frame of `plaintext`, sealed with `stamp` as its nonce.
pub(crate) fn push_frame(key: &CommunityKey, addr: DocAddr, salt: u64, plaintext: &[u8], stamp: Stamp) -> Vec<u8> {
    let bundle_id = bundle_id(salt, stamp.device, stamp.push);
    let sealed = key.seal(&mut NonceOf(stamp.nonce()), addr, Kind::Bundle(bundle_id), plaintext);
    ClientFrame::Push(Push { addr, bundle_id, key_id: key.id, sealed }).encode()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_push_is_a_real_sealed_automerge_change_of_a_few_hundred_bytes() {
        let addr = doc_addr(9, 3);
        let plaintext = device_change(addr, 3).unwrap();
        let stamp = Stamp { sent_ns: 1_764_000_000_123_456_789, device: 17, push: 4, counted: true };
        let frame = push_frame(&community_key(), addr, 9, &plaintext, stamp);
        let ClientFrame::Push(push) = ClientFrame::decode(&frame).unwrap() else { panic!("not a push") };
        assert_eq!((push.addr, push.bundle_id, push_of(push.bundle_id)), (addr, bundle_id(9, 17, 4), 4));
        assert!((300..=700).contains(&push.sealed.len()), "sealed bundle of {} bytes", push.sealed.len());
        // It opens, and after the signature header is an Automerge change.
        let opened = community_key().open(push.key_id, addr, Kind::Bundle(push.bundle_id), &push.sealed).unwrap();
        assert_eq!(opened, plaintext);
        let mut doc = AutoCommit::new();
        doc.load_incremental(&opened[lotse_sync::envelope::SIGNED_HEADER_LEN..]).unwrap();
        assert_eq!(doc.get_changes(&[]).len(), 1);
        // A receiver reads the stamp without the key.
        assert_eq!(Stamp::read(&push.sealed), Some(stamp));
    }

    #[test]
    fn devices_make_different_changes_and_documents_have_different_ids() {
        assert_ne!(device_change(doc_addr(1, 1), 1).unwrap(), device_change(doc_addr(1, 1), 2).unwrap());
        assert_ne!(doc_addr(1, 1), doc_addr(1, 2));
        assert_ne!(doc_addr(1, 1), doc_addr(2, 1));
        assert_ne!(bundle_id(1, 2, 3), bundle_id(1, 3, 2));
    }
}
