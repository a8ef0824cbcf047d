//! Snapshot substitution over a real socket, against the relay binary: an
//! attacker who holds no document key (since protocol 3 it must be a
//! device the relay admits: a member of the network) re-uploads a captured snapshot with a raised
//! `covers`, then a garbage one. Honest devices (the real `ClientCore`,
//! sealing with the community's key) that join afterwards refuse both, read
//! the log instead and get every bundle; a device of protocol version 1 is
//! told to update and stores nothing. A member who holds the key pushes
//! bundles signed by someone else (protocol 5): the relay cannot look
//! inside and stores them; every device sets them aside, says so, and
//! syncs on.

mod common;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ROOT};
use common::device::{key, Counter, Device, DOC};
use common::{relay_command, start, Client};
use lotse_sync::client::{Problem, SnapshotError};
use lotse_sync::envelope::{EnvelopeError, Kind};
use lotse_sync::membership::testing;
use lotse_sync::wire::{ClientFrame, ErrorCode, Hello, Push, PutSnapshot, RelayFrame};
use lotse_sync::{BundleId, KeyId, Seq};

async fn put_snapshot(attacker: &mut Client, covers: u64, sealed: Vec<u8>) {
    attacker
        .send(ClientFrame::PutSnapshot(PutSnapshot { addr: DOC, covers: Seq(covers), key_id: KeyId(1), sealed }))
        .await;
    loop {
        match attacker.recv().await {
            // It subscribed to capture the snapshot: new bundles come live.
            RelayFrame::Bundle(_) => continue,
            RelayFrame::SnapshotStored(s) => break assert_eq!(s.covers, Seq(covers)),
            other => panic!("the relay cannot tell a forged snapshot from a real one and stores it; got {other:?}"),
        }
    }
}

#[tokio::test]
async fn snapshots_with_a_raised_covers_or_garbage_cost_a_joining_device_nothing() {
    let data = tempfile::tempdir().unwrap();
    let relay = start(relay_command(data.path()));

    // An honest device writes six records; at four it uploads a snapshot.
    let mut author = Device::join(relay.addr, 1).await;
    for n in 1..=6 {
        author.write(&format!("r{n}"), &format!("v{n}")).await;
    }
    assert_eq!(author.cursor(), 6);

    // The attacker (no key) reads the log, captures the snapshot, and puts
    // it back claiming to cover the head: a device trusting `covers` would
    // skip bundles 5 and 6 and still say "synced".
    let mut attacker = Client::connect(relay.addr).await;
    let captured = attacker.subscribe(DOC, 0).await;
    let (covers, sealed) = captured.snapshot.clone().expect("the author uploaded a snapshot");
    assert_eq!(covers, 4);
    assert_eq!(captured.seqs(), [5, 6]);
    put_snapshot(&mut attacker, 6, sealed).await;

    let mut joiner = Device::join(relay.addr, 2).await;
    assert_eq!(joiner.records(), author.records(), "every bundle, 1 to 6");
    assert_eq!(joiner.cursor(), 6);
    assert!(
        matches!(
            joiner.problems.as_slice(),
            [Problem::SnapshotRefused {
                covers: Seq(6),
                error: SnapshotError::Envelope(EnvelopeError::Undecryptable),
                ..
            }]
        ),
        "{:?}",
        joiner.problems
    );
    assert_eq!(joiner.snapshots_received, 1, "the device read the log without the snapshot, once");

    // Garbage, covering the head after one more write.
    author.write("r7", "v7").await;
    put_snapshot(&mut attacker, 7, vec![0xee; 64]).await;
    let late = Device::join(relay.addr, 3).await;
    assert_eq!(late.records(), author.records(), "every bundle, 1 to 7");
    assert!(
        matches!(late.problems.as_slice(), [Problem::SnapshotRefused { covers: Seq(7), .. }]),
        "{:?}",
        late.problems
    );
    assert_eq!(late.snapshots_received, 1);

    // The device that joined first hears the new bundle live and is not
    // bothered by the snapshot at all.
    joiner.settle().await;
    assert_eq!(joiner.records(), author.records());
    assert_eq!(joiner.problems.len(), 1);

    // An app of protocol version 1 is told to update, and what it pushes
    // after that is refused: it never reaches the log.
    let mut old = Client::connect(relay.addr).await;
    old.send(ClientFrame::Hello(Hello { version: 1 })).await;
    let refused = |frame: RelayFrame| match frame {
        RelayFrame::Error(e) if e.code == ErrorCode::VersionMismatch => {
            assert!(e.message.contains("update"), "{}", e.message)
        }
        other => panic!("expected VersionMismatch, got {other:?}"),
    };
    refused(old.recv().await);
    let push = Push { addr: DOC, bundle_id: BundleId([1; 16]), key_id: KeyId(1), sealed: vec![0; 64] };
    old.send(ClientFrame::Push(push)).await;
    refused(old.recv().await);
    let mut reader = Client::connect(relay.addr).await;
    let log = reader.subscribe(DOC, 0).await;
    assert_eq!(log.head, 7, "nothing of the old app's push was stored");
}

/// Pushes `body` as the attacker: a member holding the community key,
/// sealing a bundle it signed (or mis-signed) as `seal` does.
async fn push_signed(attacker: &mut Client, n: u8, seal: impl FnOnce(BundleId) -> Vec<u8>) -> u64 {
    let bundle_id = BundleId([n; 16]);
    let sealed = seal(bundle_id);
    attacker.send(ClientFrame::Push(Push { addr: DOC, bundle_id, key_id: KeyId(1), sealed })).await;
    loop {
        match attacker.recv().await {
            RelayFrame::Ack(a) if a.bundle_id == bundle_id => break a.seq.0,
            RelayFrame::Bundle(_) => continue,
            other => panic!("the relay cannot see who signed a bundle and stores it; got {other:?}"),
        }
    }
}

/// A change putting `key`, as an attacker makes it.
fn change(key: &str) -> Vec<u8> {
    let mut doc = AutoCommit::new();
    doc.put(ROOT, key, "forged").unwrap();
    doc.save()
}

#[tokio::test]
async fn a_bundle_signed_by_someone_else_is_set_aside_by_every_device_and_sync_goes_on() {
    let data = tempfile::tempdir().unwrap();
    let relay = start(relay_command(data.path()));
    let mut author = Device::join(relay.addr, 1).await;
    author.write("before", "1").await;

    // Signed by a key that is no member's; then the attacker's own
    // signature under the founder's name (the signer swapped after signing).
    let mut attacker = Client::connect(relay.addr).await;
    let stranger = testing::key(4_242);
    let unknown = push_signed(&mut attacker, 0xa1, |id| {
        key().seal_signed(&mut Counter(9), DOC, Kind::Bundle(id), &stranger, Seq(1), &change("stranger"))
    })
    .await;
    let renamed = push_signed(&mut attacker, 0xa2, |id| {
        let sealed = key().seal_signed(&mut Counter(10), DOC, Kind::Bundle(id), &stranger, Seq(1), &change("renamed"));
        let mut plain = key().open(KeyId(1), DOC, Kind::Bundle(id), &sealed).unwrap();
        plain[..32].copy_from_slice(&common::founder().id().0);
        key().seal(&mut Counter(11), DOC, Kind::Bundle(id), &plain)
    })
    .await;
    assert_eq!((unknown, renamed), (2, 3));

    // A device that joins reads them from the log (there is no snapshot
    // yet), sets them aside and writes on; the author hears all three live
    // and does the same.
    let mut joiner = Device::join(relay.addr, 2).await;
    joiner.write("after", "2").await;
    author.settle().await;
    for device in [&author, &joiner] {
        let records = device.records();
        assert_eq!(records.get("before").map(String::as_str), Some("\"1\""));
        assert_eq!(records.get("after").map(String::as_str), Some("\"2\""));
        assert!(!records.contains_key("stranger") && !records.contains_key("renamed"), "{records:?}");
        assert_eq!(device.cursor(), 4);
        let founder = common::founder().id();
        assert!(
            matches!(
                device.problems.as_slice(),
                [
                    Problem::UnknownSigner { seq: Seq(2), signer, .. },
                    Problem::Undecryptable { seq: Seq(3), error: EnvelopeError::BadSignature { signer: named }, .. },
                ] if *signer == stranger.id() && *named == founder
            ),
            "{:?}",
            device.problems
        );
    }
}
