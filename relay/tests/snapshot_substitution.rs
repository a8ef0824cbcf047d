//! Snapshot substitution over a real socket, against the relay binary: an
//! attacker who holds no document key (since protocol 3 it must be a
//! device the relay admits: a member of the network) re-uploads a captured snapshot with a raised
//! `covers`, then a garbage one. Honest devices (the real `ClientCore`,
//! sealing with the community's key) that join afterwards refuse both, read
//! the log instead and get every bundle; a device of protocol version 1 is
//! told to update and stores nothing.

mod common;

use std::collections::BTreeMap;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ReadDoc, ROOT};
use common::{relay_command, start, Client, QUIET};
use lotse_sync::client::{ClientConfig, ClientCore, ClientEffect, ClientEvent, OpenDoc, Problem, SnapshotError};
use lotse_sync::envelope::{CommunityKey, EnvelopeError};
use lotse_sync::wire::{ClientFrame, ErrorCode, Hello, Push, PutSnapshot, RelayFrame};
use lotse_sync::{BundleId, DocAddr, DocumentId, Entropy, Epoch, KeyId, Millis, Seq};

const DOC: DocAddr = DocAddr { doc: DocumentId([0x5a; 16]), epoch: Epoch(0) };

fn key() -> CommunityKey {
    CommunityKey::from_bytes(KeyId(1), [0x42; 32])
}

fn config() -> ClientConfig {
    ClientConfig { resend_after: 1_000, resync_every: 60_000, snapshot_every: 4, compact_every: 1_000 }
}

struct Counter(u64);

impl Entropy for Counter {
    fn fill(&mut self, buf: &mut [u8]) {
        for b in buf {
            self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            *b = (self.0 >> 56) as u8;
        }
    }
}

/// A device: the real state machine over a real socket, its store in memory
/// (every write succeeds at once), its clock advanced by hand.
struct Device {
    core: ClientCore<Counter>,
    socket: Client,
    now: Millis,
    problems: Vec<Problem>,
    snapshots_received: usize,
}

impl Device {
    async fn join(relay: std::net::SocketAddr, seed: u64) -> Self {
        let mut core = ClientCore::new(Counter(seed), config());
        let open = OpenDoc { addr: DOC, key: key(), doc: AutoCommit::new(), cursor: Seq(0), outbox: vec![], chunks: 0 };
        assert!(core.open(0, open).is_empty());
        let mut device =
            Device { core, socket: Client::connect(relay).await, now: 0, problems: vec![], snapshots_received: 0 };
        let effects = device.core.handle(0, ClientEvent::Connected);
        device.run(effects).await;
        device.settle().await;
        device
    }

    /// Carries out effects as the app's runner does; the store answers each
    /// write at once.
    async fn run(&mut self, effects: Vec<ClientEffect>) {
        let mut queue = std::collections::VecDeque::from(effects);
        while let Some(effect) = queue.pop_front() {
            match effect {
                ClientEffect::Send(bytes) => self.socket.send_raw(bytes).await,
                ClientEffect::Persist(p) => {
                    queue.extend(self.core.handle(self.now, ClientEvent::Persisted { addr: p.addr() }))
                }
                ClientEffect::Problem(p) => self.problems.push(p),
                ClientEffect::Changed(_)
                | ClientEffect::Durable { .. }
                | ClientEffect::Discarded { .. }
                | ClientEffect::StatementStored(_)
                | ClientEffect::MembershipChanged
                | ClientEffect::KeysGranted(_) => {}
            }
        }
    }

    /// Receives and ticks until the relay has nothing more to say and the
    /// device is caught up with nothing to push.
    async fn settle(&mut self) {
        for _ in 0..200 {
            match self.socket.try_recv(QUIET).await {
                Some(frame) => {
                    if matches!(frame, RelayFrame::Snapshot(_)) {
                        self.snapshots_received += 1;
                    }
                    let effects = self.core.handle(self.now, ClientEvent::Received(frame.encode()));
                    self.run(effects).await;
                }
                None => {
                    let status = self.core.status();
                    if status.caught_up && status.pending == 0 {
                        return;
                    }
                    self.now += config().resend_after;
                    let effects = self.core.handle(self.now, ClientEvent::Tick);
                    self.run(effects).await;
                }
            }
        }
        panic!("the device did not settle: {:?}, problems {:?}", self.core.status(), self.problems);
    }

    async fn write(&mut self, key: &str, value: &str) {
        let change = self.core.change(self.now, DOC, |doc| doc.put(ROOT, key, value)).unwrap();
        self.run(change.effects).await;
        self.settle().await;
    }

    fn records(&self) -> BTreeMap<String, String> {
        let doc = self.core.doc(DOC).unwrap();
        doc.keys(ROOT).map(|k| (k.clone(), doc.get(ROOT, &k).unwrap().unwrap().0.to_string())).collect()
    }

    fn cursor(&self) -> u64 {
        self.core.cursor(DOC).unwrap().0
    }
}

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
