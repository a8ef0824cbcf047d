//! A device: the real sync state machine (`ClientCore`) over a real
//! socket, its store in memory (every write succeeds at once), its clock
//! advanced by hand.

use std::collections::{BTreeMap, VecDeque};
use std::net::SocketAddr;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ReadDoc, ROOT};
use lotse_sync::client::{ClientConfig, ClientCore, ClientEffect, ClientEvent, Identity, OpenDoc, Problem};
use lotse_sync::envelope::CommunityKey;
use lotse_sync::wire::RelayFrame;
use lotse_sync::{DocAddr, DocumentId, Entropy, Epoch, Generation, KeyId, Millis, Seq};

use super::{Client, QUIET};

/// The document the devices share.
pub(crate) const DOC: DocAddr = DocAddr { doc: DocumentId([0x5a; 16]), epoch: Epoch(0) };

pub(crate) fn key() -> CommunityKey {
    CommunityKey::from_bytes(KeyId(1), [0x42; 32])
}

pub(crate) fn config() -> ClientConfig {
    ClientConfig { resend_after: 1_000, resync_every: 60_000, snapshot_every: 4, compact_every: 1_000 }
}

pub(crate) struct Counter(pub u64);

impl Entropy for Counter {
    fn fill(&mut self, buf: &mut [u8]) {
        for b in buf {
            self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            *b = (self.0 >> 56) as u8;
        }
    }
}

pub(crate) struct Device {
    pub core: ClientCore<Counter>,
    pub socket: Client,
    pub now: Millis,
    pub problems: Vec<Problem>,
    pub snapshots_received: usize,
}

impl Device {
    pub(crate) async fn join(relay: SocketAddr, seed: u64) -> Self {
        Self::join_with(relay, seed, config()).await
    }

    pub(crate) async fn join_with(relay: SocketAddr, seed: u64, config: ClientConfig) -> Self {
        let mut core = ClientCore::new(Counter(seed), config);
        // The founder's key signs what it seals (the socket proved it too).
        core.set_identity(Identity { key: super::founder(), network: super::NET });
        let open = OpenDoc {
            addr: DOC,
            keys: lotse_sync::envelope::Keyring::new(key()),
            doc: AutoCommit::new(),
            cursor: Seq(0),
            generation: Generation::NONE,
            at: None,
            outbox: vec![],
            chunks: 0,
        };
        assert!(core.open(0, open).is_empty());
        let mut device =
            Device { core, socket: Client::connect(relay).await, now: 0, problems: vec![], snapshots_received: 0 };
        let effects = device.core.handle(0, ClientEvent::Connected);
        device.run(effects).await;
        device.settle().await;
        device
    }

    /// The connection is lost; the device connects again to `relay` (the
    /// same relay restarted, or another one) and settles.
    pub(crate) async fn reconnect(&mut self, relay: SocketAddr) {
        let effects = self.core.handle(self.now, ClientEvent::Disconnected);
        self.run(effects).await;
        self.socket = Client::connect(relay).await;
        let effects = self.core.handle(self.now, ClientEvent::Connected);
        self.run(effects).await;
        self.settle().await;
    }

    /// The device has no connection: what it would send is lost.
    pub(crate) async fn go_offline(&mut self) {
        let effects = self.core.handle(self.now, ClientEvent::Disconnected);
        self.run(effects).await;
    }

    /// Carries out effects as the app's runner does; the store answers each
    /// write at once. Frames are not sent while offline.
    pub(crate) async fn run(&mut self, effects: Vec<ClientEffect>) {
        let mut queue = VecDeque::from(effects);
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
                | ClientEffect::KeysGranted(_)
                // No document moves to a new epoch in these tests.
                | ClientEffect::Moving { .. }
                | ClientEffect::Carry { .. }
                | ClientEffect::DeleteEpoch { .. }
                | ClientEffect::StatementMade(_) => {}
            }
        }
    }

    /// Receives and ticks until the relay has nothing more to say and the
    /// device is caught up with nothing to push.
    pub(crate) async fn settle(&mut self) {
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

    /// Writes `key` and, online, settles.
    pub(crate) async fn write(&mut self, key: &str, value: &str) {
        self.write_offline(key, value).await;
        self.settle().await;
    }

    /// Writes `key` and stores it; nothing is waited for.
    pub(crate) async fn write_offline(&mut self, key: &str, value: &str) {
        let change = self.core.change(self.now, DOC, |doc| doc.put(ROOT, key, value)).unwrap();
        self.run(change.effects).await;
    }

    pub(crate) fn records(&self) -> BTreeMap<String, String> {
        let doc = self.core.doc(DOC).unwrap();
        doc.keys(ROOT).map(|k| (k.clone(), doc.get(ROOT, &k).unwrap().unwrap().0.to_string())).collect()
    }

    pub(crate) fn cursor(&self) -> u64 {
        self.core.cursor(DOC).unwrap().0
    }
}
