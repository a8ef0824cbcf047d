//! Focused scenarios of the device's state machine against a real relay
//! core on a well-behaved simulated network: bad bundles in the log, a new
//! device starting from a snapshot, a relay that lost its log, and one
//! regression test for each bug the simulation found.

mod support;

use std::collections::VecDeque;

use automerge::AutoCommit;
use lotse_sync::client::{ClientConfig, ClientCore, ClientEffect, ClientEvent, OpenDoc, Problem};
use lotse_sync::envelope::{CommunityKey, EnvelopeError, Kind};
use lotse_sync::relay::{ConnId, RelayEvent, RelayStore};
use lotse_sync::wire::{ClientFrame, ErrorCode, Push, RelayFrame};
use lotse_sync::{BundleId, DocAddr, DocumentId, Epoch, KeyId, Millis, Seq};
use support::{community_key, heads, root_map, Msg, Relay, SimEntropy, World, ADDR};

const TICK: Millis = 100;

fn config() -> ClientConfig {
    ClientConfig { resend_after: 1_000, resync_every: 4_000, snapshot_every: 4, compact_every: 5 }
}

/// No snapshots: a device that joins reads the whole log.
fn config_without_snapshots() -> ClientConfig {
    ClientConfig { snapshot_every: 1_000, ..config() }
}

/// Runs until nothing has happened for a while and nothing is in flight.
fn settle(w: &mut World) {
    w.settle(TICK, 3 * w.config.resync_every, 60_000).expect("the world goes quiet");
}

fn assert_converged(w: &World) {
    let want = w.devices[0].core.doc(ADDR).expect("open");
    for (d, dev) in w.devices.iter().enumerate() {
        let doc = dev.core.doc(ADDR).expect("open");
        assert_eq!(root_map(doc), root_map(want), "device {d}");
        assert_eq!(heads(doc), heads(want), "device {d}");
        assert_eq!(dev.core.cursor(ADDR), Some(w.relay.head()), "device {d}");
        assert_eq!(dev.core.status().pending, 0, "device {d}");
    }
    w.relay.check_log().unwrap();
}

/// Something that is not a device of the community pushes `sealed` into the
/// log over a connection of its own.
fn push_foreign(w: &mut World, key_id: KeyId, sealed: Vec<u8>) {
    let conn = ConnId(1_000_000);
    w.relay.handle(RelayEvent::Connected(conn));
    let bundle_id = BundleId(w.rng.next_u64().to_le_bytes().repeat(2).try_into().unwrap());
    w.relay_frame(conn, ClientFrame::Push(Push { addr: ADDR, bundle_id, key_id, sealed }).encode());
}

fn seal_with(key: &CommunityKey, plaintext: &[u8]) -> Vec<u8> {
    key.seal(&mut SimEntropy(support::Rng::new(99)), ADDR, Kind::Bundle, plaintext)
}

fn problems_at(w: &World, d: usize) -> Vec<(Seq, &Problem)> {
    w.devices[d]
        .problems
        .iter()
        .map(|p| match p {
            Problem::Undecryptable { seq, .. } | Problem::NotAutomerge { seq, .. } => (*seq, p),
            other => (Seq(0), other),
        })
        .collect()
}

#[test]
fn a_bundle_that_does_not_decrypt_is_reported_and_skipped_without_losing_later_bundles() {
    let mut w = World::new(1, 2, config_without_snapshots());
    w.connect(0);
    w.connect(1);
    w.write(0, "before", "1");
    settle(&mut w);

    // Sealed with another community's key under our key id, garbage, and
    // sealed under a key id this community does not have.
    let stranger = CommunityKey::from_bytes(KeyId(1), [9; 32]);
    push_foreign(&mut w, KeyId(1), seal_with(&stranger, b"someone else's change"));
    push_foreign(&mut w, KeyId(1), [0xde, 0xad, 0xbe, 0xef].repeat(20));
    push_foreign(&mut w, KeyId(77), seal_with(&stranger, b"rotated away"));
    w.write(0, "after", "2");
    settle(&mut w);

    // Devices 0 and 1 saw the bad bundles live; device 2 joins later and
    // reads them from the backlog.
    w.add_device();
    w.connect(2);
    settle(&mut w);

    assert_converged(&w);
    assert_eq!(w.relay.head(), Seq(5));
    for d in [0, 1, 2] {
        let map = root_map(w.devices[d].core.doc(ADDR).unwrap());
        assert_eq!(map.get("before").map(String::as_str), Some("1"), "device {d}");
        assert_eq!(map.get("after").map(String::as_str), Some("2"), "device {d}");
        let problems = problems_at(&w, d);
        assert!(
            matches!(
                problems.as_slice(),
                [
                    (Seq(2), Problem::Undecryptable { error: EnvelopeError::Undecryptable, .. }),
                    (Seq(3), Problem::Undecryptable { error: EnvelopeError::Undecryptable, .. }),
                    (Seq(4), Problem::Undecryptable { error: EnvelopeError::UnknownKey { found: 77, have: 1 }, .. }),
                ]
            ),
            "device {d}: {problems:?}"
        );
    }
}

#[test]
fn a_bundle_that_decrypts_but_is_not_automerge_is_reported_and_skipped() {
    let mut w = World::new(2, 2, config_without_snapshots());
    w.connect(0);
    w.connect(1);
    w.write(0, "before", "1");
    settle(&mut w);

    let key = community_key();
    push_foreign(&mut w, key.id, seal_with(&key, b"plain text, not a change"));
    w.write(0, "after", "2");
    settle(&mut w);

    w.add_device();
    w.connect(2);
    settle(&mut w);

    assert_converged(&w);
    for d in [0, 1, 2] {
        let map = root_map(w.devices[d].core.doc(ADDR).unwrap());
        assert_eq!(map.get("before").map(String::as_str), Some("1"), "device {d}");
        assert_eq!(map.get("after").map(String::as_str), Some("2"), "device {d}");
        let problems = problems_at(&w, d);
        assert!(matches!(problems.as_slice(), [(Seq(2), Problem::NotAutomerge { .. })]), "device {d}: {problems:?}");
    }
}

/// Bug: `AutoCommit::load_incremental` into a document that already has
/// content loads the chunks it can parse and silently drops the rest. A
/// device with a document applied half of such a bundle and reported
/// nothing; plain garbage passed as an empty bundle.
#[test]
fn a_bundle_with_garbage_after_a_valid_change_is_reported_not_half_applied() {
    let mut w = World::new(5, 2, config_without_snapshots());
    w.connect(0);
    w.connect(1);
    w.write(0, "before", "1");
    settle(&mut w);

    let key = community_key();
    let mut bytes = {
        let mut doc = AutoCommit::new();
        support::put(&mut doc, 0, "smuggled", "x").unwrap();
        doc.save()
    };
    bytes.extend(b"trailing garbage");
    push_foreign(&mut w, key.id, seal_with(&key, &bytes));
    w.write(0, "after", "2");
    settle(&mut w);
    w.add_device();
    w.connect(2);
    settle(&mut w);

    assert_converged(&w);
    for d in [0, 1, 2] {
        let map = root_map(w.devices[d].core.doc(ADDR).unwrap());
        assert_eq!(map.get("smuggled"), None, "device {d} applied part of a bad bundle");
        assert_eq!(map.get("after").map(String::as_str), Some("2"), "device {d}");
        let problems = problems_at(&w, d);
        assert!(matches!(problems.as_slice(), [(Seq(2), Problem::NotAutomerge { .. })]), "device {d}: {problems:?}");
    }
}

#[test]
fn a_new_device_starts_from_the_newest_snapshot() {
    let mut w = World::new(3, 1, config());
    w.connect(0);
    for i in 0..10 {
        w.write(0, &format!("k{i}"), &i.to_string());
        w.run_for(50, 50);
    }
    settle(&mut w);
    let snapshot = w.relay.snapshot().expect("the relay got a PutSnapshot");
    assert!(snapshot.covers >= Seq(config().snapshot_every), "snapshot covers {}", snapshot.covers.0);
    assert!(snapshot.covers < w.relay.head(), "this test wants bundles after the snapshot");

    w.add_device();
    w.connect(1);
    settle(&mut w);

    let frames: Vec<&RelayFrame> =
        w.devices[1].received.iter().filter(|f| matches!(f, RelayFrame::Snapshot(_) | RelayFrame::Bundle(_))).collect();
    let RelayFrame::Snapshot(first) = frames[0] else { panic!("first frame is not a snapshot: {frames:?}") };
    assert_eq!(first.covers, snapshot.covers);
    let later: Vec<u64> = frames[1..]
        .iter()
        .map(|f| match f {
            RelayFrame::Bundle(b) => b.seq.0,
            other => panic!("a second snapshot: {other:?}"),
        })
        .collect();
    let expected: Vec<u64> = (snapshot.covers.0 + 1..=w.relay.head().0).collect();
    assert_eq!(later, expected);
    assert_converged(&w);
    assert_eq!(root_map(w.devices[1].core.doc(ADDR).unwrap()).len(), 10);
}

#[test]
fn a_relay_that_lost_its_log_gets_every_document_pushed_again() {
    let mut w = World::new(4, 2, config());
    w.connect(0);
    w.connect(1);
    for i in 0..3 {
        w.write(0, &format!("a{i}"), "x");
        w.write(1, &format!("b{i}"), "y");
        w.run_for(50, 50);
    }
    settle(&mut w);
    assert!(w.relay.head() >= Seq(6));

    // The relay comes back from an empty disk; every connection drops.
    w.relay = Relay::new();
    w.disconnect(0);
    w.disconnect(1);
    w.write(1, "offline", "z");
    w.connect(0);
    w.connect(1);
    settle(&mut w);

    for d in [0, 1] {
        assert!(
            w.devices[d].problems.iter().any(|p| matches!(p, Problem::Relay { code: ErrorCode::CursorAhead, .. })),
            "device {d}: {:?}",
            w.devices[d].problems
        );
    }
    w.devices.iter_mut().for_each(|d| d.problems.clear());
    w.add_device();
    w.connect(2);
    w.write(2, "late", "w");
    settle(&mut w);
    assert_converged(&w);
    let map = root_map(w.devices[2].core.doc(ADDR).unwrap());
    assert_eq!(map.len(), 3 + 3 + 2, "{map:?}");
    assert!(w.devices.iter().all(|d| d.problems.is_empty()));
}

/// Bug: a snapshot upload that got no answer (the frame was lost) or was
/// refused (the store failed) left the device waiting for
/// `SnapshotStored` for as long as the connection lasted: it never uploaded
/// a snapshot again, and new devices replayed an ever longer log.
#[test]
fn a_lost_snapshot_upload_is_sent_again() {
    let mut w = World::new(6, 1, config());
    let mut lost = false;
    w.lose = Some(Box::new(move |msg| match msg {
        Msg::ToRelay { bytes, .. }
            if !lost && matches!(ClientFrame::decode(bytes), Ok(ClientFrame::PutSnapshot(_))) =>
        {
            lost = true;
            true
        }
        _ => false,
    }));
    w.connect(0);
    for i in 0..6 {
        w.write(0, &format!("k{i}"), "v");
        w.run_for(50, 50);
    }
    settle(&mut w);
    let snapshot = w.relay.snapshot().expect("a snapshot is uploaded after the lost one");
    assert!(snapshot.covers >= Seq(config().snapshot_every));
}

#[test]
fn a_snapshot_the_relay_failed_to_store_is_sent_again() {
    let mut w = World::new(7, 1, config());
    w.relay.store.fail_snapshots = true;
    w.connect(0);
    for i in 0..6 {
        w.write(0, &format!("k{i}"), "v");
        w.run_for(50, 50);
    }
    settle(&mut w);
    assert!(w.relay.snapshot().is_none());
    assert!(w.devices[0].problems.iter().any(|p| matches!(p, Problem::Relay { code: ErrorCode::StoreFailed, .. })));
    w.relay.store.fail_snapshots = false;
    settle(&mut w);
    let snapshot = w.relay.snapshot().expect("the snapshot is uploaded again once the store works");
    assert_eq!(snapshot.covers, Seq(6));
}

/// Devices and one relay, frames delivered at once in order; for tests
/// that need more than one document.
struct Pair {
    relay: Relay,
    devices: Vec<(ConnId, ClientCore<SimEntropy>)>,
    problems: Vec<Vec<Problem>>,
}

impl Pair {
    fn new(n: usize) -> Self {
        let mut relay = Relay::new();
        let devices = (0..n)
            .map(|i| {
                let conn = ConnId(i as u64 + 1);
                relay.handle(RelayEvent::Connected(conn));
                let core = ClientCore::new(SimEntropy(support::Rng::new(i as u64)), config());
                (conn, core)
            })
            .collect();
        Pair { relay, devices, problems: vec![Vec::new(); n] }
    }

    /// Carries out effects until nothing is left to deliver.
    fn run(&mut self, device: usize, effects: Vec<ClientEffect>) {
        let mut queue: VecDeque<(usize, ClientEffect)> = effects.into_iter().map(|e| (device, e)).collect();
        while let Some((d, effect)) = queue.pop_front() {
            let bytes = match effect {
                ClientEffect::Send(bytes) => bytes,
                ClientEffect::Problem(p) => {
                    self.problems[d].push(p);
                    continue;
                }
                _ => continue,
            };
            let replies = self.relay.handle(RelayEvent::Frame(self.devices[d].0, bytes));
            queue.extend(self.deliver(replies));
        }
    }

    /// Hands the relay's frames to the devices they are for (frames for a
    /// connection that is no device are dropped); returns what they do next.
    fn deliver(&mut self, replies: Vec<(ConnId, Vec<u8>)>) -> Vec<(usize, ClientEffect)> {
        let mut next = Vec::new();
        for (conn, reply) in replies {
            let Some(to) = self.devices.iter().position(|(c, _)| *c == conn) else { continue };
            let effects = self.devices[to].1.handle(0, ClientEvent::Received(reply));
            next.extend(effects.into_iter().map(|e| (to, e)));
        }
        next
    }

    fn open(&mut self, d: usize, addr: DocAddr) {
        self.open_with(d, addr, community_key());
    }

    fn open_with(&mut self, d: usize, addr: DocAddr, key: CommunityKey) {
        let open = OpenDoc {
            addr,
            key,
            doc: AutoCommit::new().with_actor(support::actor(d, addr.epoch.0.into())),
            cursor: Seq(0),
            outbox: vec![],
            chunks: 0,
        };
        let effects = self.devices[d].1.open(0, open);
        self.run(d, effects);
    }

    fn connect(&mut self, d: usize) {
        let effects = self.devices[d].1.handle(0, ClientEvent::Connected);
        self.run(d, effects);
    }

    fn write(&mut self, d: usize, addr: DocAddr, key: &str) {
        let ((), effects) = self.devices[d].1.change(0, addr, |doc| support::put(doc, 0, key, "v")).unwrap();
        self.run(d, effects);
    }

    /// Something that is no device pushes `sealed` into `addr`'s log.
    fn push_foreign(&mut self, addr: DocAddr, key_id: KeyId, sealed: Vec<u8>) {
        let conn = ConnId(1_000_000);
        self.relay.handle(RelayEvent::Connected(conn));
        let push = ClientFrame::Push(Push { addr, bundle_id: BundleId([0xf0; 16]), key_id, sealed });
        let replies = self.relay.handle(RelayEvent::Frame(conn, push.encode()));
        for (d, effect) in self.deliver(replies) {
            self.run(d, vec![effect]);
        }
    }

    fn keys(&self, d: usize, addr: DocAddr) -> Vec<String> {
        root_map(self.devices[d].1.doc(addr).unwrap()).into_keys().collect()
    }
}

#[test]
fn two_epochs_of_one_document_are_separate_logs() {
    let old = ADDR;
    let new = DocAddr { epoch: Epoch(1), ..ADDR };
    let mut p = Pair::new(2);
    p.open(0, old);
    p.open(0, new);
    p.open(1, new);
    p.connect(0);
    p.connect(1);
    p.write(0, old, "erased");
    p.write(0, new, "kept");
    p.write(1, new, "added");

    assert_eq!(p.keys(0, old), ["erased"]);
    assert_eq!(p.keys(0, new), ["added", "kept"]);
    assert_eq!(p.keys(1, new), ["added", "kept"]);
    assert!(p.devices[1].1.doc(old).is_none());
    let log = |addr| p.relay.store.inner.bundles_since(addr, Seq(0)).unwrap().len();
    assert_eq!((log(old), log(new)), (1, 2));
    assert_eq!(p.devices[0].1.cursor(new), Some(Seq(2)));
    assert_eq!(p.devices[0].1.cursor(old), Some(Seq(1)));
}

#[test]
fn each_document_is_sealed_with_its_own_key_and_a_bundle_sealed_with_the_wrong_one_is_refused() {
    // Same key id, different bytes: only the document's own key tells them apart.
    let (a, key_a) = (ADDR, CommunityKey::from_bytes(KeyId(1), [1; 32]));
    let (b, key_b) =
        (DocAddr { doc: DocumentId([8; 16]), epoch: Epoch(0) }, CommunityKey::from_bytes(KeyId(1), [2; 32]));
    let mut p = Pair::new(2);
    for d in [0, 1] {
        p.open_with(d, a, key_a.clone());
        p.open_with(d, b, key_b.clone());
        p.connect(d);
    }
    p.write(0, a, "network");
    p.write(0, b, "community");

    // A bundle for A, sealed (for A's address) with B's key.
    let sealed = key_b.seal(&mut SimEntropy(support::Rng::new(99)), a, Kind::Bundle, b"someone else's change");
    p.push_foreign(a, key_b.id, sealed);
    p.write(1, a, "after");
    p.write(1, b, "after");

    for d in [0, 1] {
        assert_eq!(p.keys(d, a), ["after", "network"], "device {d}");
        assert_eq!(p.keys(d, b), ["after", "community"], "device {d}");
        assert_eq!(p.devices[d].1.cursor(a), Some(Seq(3)), "device {d}");
        assert_eq!(p.devices[d].1.status().pending, 0, "device {d}");
        assert!(
            matches!(
                p.problems[d].as_slice(),
                [Problem::Undecryptable { addr, seq: Seq(2), error: EnvelopeError::Undecryptable }] if *addr == a
            ),
            "device {d}: {:?}",
            p.problems[d]
        );
    }
    // What went to the relay for B is sealed with B's key, not A's.
    let log_b = p.relay.store.inner.bundles_since(b, Seq(0)).unwrap();
    assert_eq!(log_b.len(), 2);
    for bundle in &log_b {
        assert!(key_b.open(bundle.key_id, b, Kind::Bundle, &bundle.sealed).is_ok());
        assert!(key_a.open(bundle.key_id, b, Kind::Bundle, &bundle.sealed).is_err());
    }
}

#[test]
fn incremental_patches_report_each_change_once_and_change_nothing() {
    let mut p = Pair::new(2);
    for d in [0, 1] {
        p.open(d, ADDR);
        p.connect(d);
    }
    p.write(0, ADDR, "first");
    let heads_before = heads(p.devices[1].1.doc(ADDR).unwrap());
    let first = p.devices[1].1.diff_incremental(ADDR).unwrap();
    assert_eq!(first.len(), 1, "{first:?}");
    assert!(p.devices[1].1.diff_incremental(ADDR).unwrap().is_empty());
    assert_eq!(heads(p.devices[1].1.doc(ADDR).unwrap()), heads_before);
    assert_eq!(p.devices[1].1.status().pending, 0);

    p.write(0, ADDR, "second");
    let second = p.devices[1].1.diff_incremental(ADDR).unwrap();
    assert_eq!(second.len(), 1, "{second:?}");
    assert!(p.devices[1].1.diff_incremental(DocAddr { epoch: Epoch(9), ..ADDR }).is_none());
}

/// Bug: an edit that failed halfway left its operations in the document's
/// open transaction, and the next successful change committed and pushed
/// them along.
#[test]
fn a_failed_edit_leaves_nothing_behind_for_the_next_change() {
    use automerge::transaction::Transactable;
    let mut p = Pair::new(2);
    for d in [0, 1] {
        p.open(d, ADDR);
        p.connect(d);
    }
    let failed = p.devices[0].1.change(0, ADDR, |doc| {
        doc.put(automerge::ROOT, "half", "made")?;
        Err::<(), _>(automerge::AutomergeError::Fail)
    });
    assert!(failed.is_err());
    assert_eq!(p.devices[0].1.status().pending, 0);
    p.write(0, ADDR, "whole");
    assert_eq!(p.keys(0, ADDR), ["whole"]);
    assert_eq!(p.keys(1, ADDR), ["whole"]);
}
