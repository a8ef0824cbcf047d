//! A simulated world for the sync protocol: devices (each a `ClientCore`
//! with a simulated disk), one relay (`RelayCore` + `MemoryStore` run by
//! `drive`), and a network between them that can delay, drop, duplicate and
//! reorder single messages, partition devices, and close connections.
//!
//! A device's disk answers every `Persist` with `Persisted` or
//! `PersistFailed` after a delay, as the app's runner does, and can be made
//! to fail a fraction of its writes. After each failure the harness checks
//! that the device, once it has written all it had to, holds in memory what
//! a restart from its disk would give.
//!
//! Everything runs on one thread from one seeded PRNG, so a seed replays
//! exactly. Both `simulation.rs` and `client_scenarios.rs` use it; each uses
//! a part of it.
#![allow(dead_code)]

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{ActorId, AutoCommit, AutomergeError, ChangeHash, ReadDoc, ROOT};
use lotse_sync::client::{ClientConfig, ClientCore, ClientEffect, ClientEvent, Identity, OpenDoc, Persist, Problem};
use lotse_sync::envelope::{CommunityKey, Keyring, Kind};
use lotse_sync::membership::{membership_addr, testing, DeviceKey, Grant, Role, Signed, Statement};
use lotse_sync::relay::{
    drive, Batch, ConnId, MemoryStore, NewBundle, Output, PageLimit, RelayConfig, RelayCore, RelayEvent, RelayStore,
    StoredBundle, StoredSnapshot,
};
use lotse_sync::wire::{Auth, ClientFrame, RelayFrame};
use lotse_sync::{BundleId, DocAddr, DocumentId, Entropy, Epoch, Generation, KeyId, Millis, Seq};

/// The one document every simulated device syncs.
pub(crate) const ADDR: DocAddr = DocAddr { doc: DocumentId([7; 16]), epoch: Epoch(0) };

/// The network every simulated device belongs to.
pub(crate) const NET: DocumentId = DocumentId([0x4e; 16]);

/// The most devices a world admits (each device's key is `device_key(d)`).
pub(crate) const ADMITTED: usize = 8;

/// The founder of `NET`: a coordinator that is no simulated device.
pub(crate) fn founder() -> DeviceKey {
    testing::key(1_000)
}

/// Device `d`'s key (the same across its crashes and replacements).
pub(crate) fn device_key(d: usize) -> DeviceKey {
    testing::key(d as u64 + 1)
}

/// A member no simulated device is: the tests' insider.
pub(crate) fn insider_key() -> DeviceKey {
    device_key(ADMITTED - 1)
}

/// A member the founder admitted and then retired, at [`RETIRED_AT`] of
/// the membership log: what it signed before counts, what it signed after
/// (having read its retirement) must be applied nowhere.
pub(crate) fn retired_key() -> DeviceKey {
    device_key(ADMITTED)
}

/// The seq of the statement that retired [`retired_key`]: after the
/// founding, `ADMITTED` admissions and its own.
pub(crate) const RETIRED_AT: Seq = Seq(ADMITTED as u64 + 3);

/// A change that puts `key = value`, made by nobody's device, signed by
/// `signer` as having read the membership log to `read`, and sealed as the
/// bundle `bundle_id` of `ADDR`: what an attacker who holds the community
/// key pushes.
pub(crate) fn signed_change(signer: &DeviceKey, read: Seq, bundle_id: BundleId, key: &str, value: &str) -> Vec<u8> {
    let mut doc = AutoCommit::new().with_actor(ActorId::from(bundle_id.0));
    put(&mut doc, 0, key, value).expect("a fresh document");
    let body = doc.save_after(&[]);
    let mut entropy = SimEntropy(Rng::new(u64::from_le_bytes(bundle_id.0[..8].try_into().expect("8 bytes"))));
    community_key().seal_signed(&mut entropy, ADDR, Kind::Bundle(bundle_id), signer, read, &body)
}

/// The community key every device holds.
pub(crate) fn community_key() -> CommunityKey {
    CommunityKey::from_bytes(KeyId(1), [42; 32])
}

/// Small numbers, so that a short run resends, resyncs, compacts and
/// uploads snapshots many times over.
pub(crate) fn fast_config() -> ClientConfig {
    ClientConfig { resend_after: 800, resync_every: 2_500, snapshot_every: 5, compact_every: 6 }
}

/// SplitMix64: small, fast, and good enough to drive a simulation.
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Self(seed ^ 0x5eed_1075_e000_0000)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    pub(crate) fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo + 1)
    }

    /// True with probability `p`.
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        p > 0.0 && ((self.next_u64() >> 11) as f64) < p * (1u64 << 53) as f64
    }

    pub(crate) fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.next_u64() as usize % items.len()]
    }

    pub(crate) fn fork(&mut self) -> Rng {
        Rng(self.next_u64())
    }
}

/// The randomness a `ClientCore` draws bundle ids and nonces from.
pub(crate) struct SimEntropy(pub Rng);

impl Entropy for SimEntropy {
    fn fill(&mut self, buf: &mut [u8]) {
        for chunk in buf.chunks_mut(8) {
            let bytes = self.0.next_u64().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }
}

/// A device's store, applying `Persist` effects exactly as a real one must:
/// each variant is one atomic write.
#[derive(Debug, Clone, Default)]
pub(crate) struct Disk {
    pub chunks: Vec<Vec<u8>>,
    pub cursor: Seq,
    /// The bundle the log held at the cursor.
    pub at: Option<BundleId>,
    pub generation: Generation,
    /// In the order the changes were made.
    pub outbox: Vec<(BundleId, Vec<u8>)>,
    /// Keys handed to the device (beside the community key every device
    /// starts with), kept as the app keeps them: at once, for good.
    pub keys: Vec<CommunityKey>,
}

impl Disk {
    pub(crate) fn apply(&mut self, persist: &Persist) {
        match persist {
            Persist::Local { bundle_id, bytes, .. } => {
                self.chunks.push(bytes.clone());
                if !self.outbox.iter().any(|(id, _)| id == bundle_id) {
                    self.outbox.push((*bundle_id, bytes.clone()));
                }
            }
            Persist::Remote { bytes, cursor, at, .. } => {
                if let Some(bytes) = bytes {
                    self.chunks.push(bytes.clone());
                }
                (self.cursor, self.at) = (*cursor, *at);
            }
            Persist::Acked { bundle_id, cursor, at, .. } => {
                self.outbox.retain(|(id, _)| id != bundle_id);
                (self.cursor, self.at) = (*cursor, *at);
            }
            Persist::Compact { bytes, .. } => self.chunks = vec![bytes.clone()],
            Persist::Generation { generation, .. } => self.generation = *generation,
        }
    }

    /// What a device's store hands back after a restart.
    pub(crate) fn load(&self, actor: &ActorId) -> OpenDoc {
        let mut doc = AutoCommit::new().with_actor(actor.clone());
        for chunk in &self.chunks {
            doc.load_incremental(chunk).expect("every chunk on disk loads");
        }
        OpenDoc {
            addr: ADDR,
            keys: Keyring::of(std::iter::once(community_key()).chain(self.keys.iter().cloned())).expect("one key"),
            doc,
            cursor: self.cursor,
            generation: self.generation,
            at: self.at,
            outbox: self.outbox.clone(),
            chunks: self.chunks.len(),
        }
    }
}

/// The store failed (a full disk, a lost database connection).
#[derive(Debug)]
pub(crate) struct StoreDown;

impl std::fmt::Display for StoreDown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the simulated store is down")
    }
}

impl std::error::Error for StoreDown {}

/// The memory store, failing now and then: a write (a whole batch of
/// appends) fails before it is made, or is made and then reported as failed
/// (its commit outlived the connection to the database); a read fails.
pub(crate) struct FlakyStore {
    pub inner: MemoryStore,
    pub fail: f64,
    /// Every snapshot write fails.
    pub fail_snapshots: bool,
    /// How many appends each commit held.
    pub batches: Vec<usize>,
    rng: RefCell<Rng>,
}

impl FlakyStore {
    pub(crate) fn new(fail: f64, rng: Rng) -> Self {
        Self { inner: MemoryStore::default(), fail, fail_snapshots: false, batches: Vec::new(), rng: RefCell::new(rng) }
    }

    /// None: works. Some(true): fails after the write is made.
    fn roll(&self) -> Option<bool> {
        let mut rng = self.rng.borrow_mut();
        rng.chance(self.fail).then(|| rng.chance(0.5))
    }
}

impl RelayStore for FlakyStore {
    type Error = StoreDown;

    fn append_batch(&mut self, batch: &[NewBundle<'_>]) -> Result<Vec<(Seq, bool)>, StoreDown> {
        self.batches.push(batch.len());
        match self.roll() {
            None => Ok(self.inner.append_batch(batch).expect("memory")),
            Some(true) => {
                self.inner.append_batch(batch).expect("memory");
                Err(StoreDown)
            }
            Some(false) => Err(StoreDown),
        }
    }

    fn head(&self, addr: DocAddr) -> Result<Seq, StoreDown> {
        Ok(self.inner.head(addr).expect("memory"))
    }

    fn bundles_page(&self, addr: DocAddr, since: Seq, limit: PageLimit) -> Result<Vec<StoredBundle>, StoreDown> {
        match self.roll() {
            None => Ok(self.inner.bundles_page(addr, since, limit).expect("memory")),
            Some(_) => Err(StoreDown),
        }
    }

    fn put_snapshot(&mut self, addr: DocAddr, snapshot: StoredSnapshot) -> Result<(), StoreDown> {
        if self.fail_snapshots {
            return Err(StoreDown);
        }
        match self.roll() {
            None => {
                self.inner.put_snapshot(addr, snapshot).expect("memory");
                Ok(())
            }
            Some(true) => {
                self.inner.put_snapshot(addr, snapshot).expect("memory");
                Err(StoreDown)
            }
            Some(false) => Err(StoreDown),
        }
    }

    fn snapshot(&self, addr: DocAddr) -> Result<Option<StoredSnapshot>, StoreDown> {
        Ok(self.inner.snapshot(addr).expect("memory"))
    }

    fn membership_logs(&self) -> Result<Vec<(DocumentId, Vec<Vec<u8>>)>, StoreDown> {
        Ok(self.inner.membership_logs().expect("memory"))
    }

    fn generation(&self, addr: DocAddr) -> Result<Generation, StoreDown> {
        Ok(self.inner.generation(addr).expect("memory"))
    }

    fn renew_generation(&mut self, addr: DocAddr) -> Result<Generation, StoreDown> {
        match self.roll() {
            None => Ok(self.inner.renew_generation(addr).expect("memory")),
            Some(_) => Err(StoreDown),
        }
    }

    fn renew_all_generations(&mut self) -> Result<usize, StoreDown> {
        Ok(self.inner.renew_all_generations().expect("memory"))
    }

    fn delete_epoch(&mut self, addr: DocAddr) -> Result<(), StoreDown> {
        match self.roll() {
            None => {
                self.inner.delete_epoch(addr).expect("memory");
                Ok(())
            }
            Some(_) => Err(StoreDown),
        }
    }
}

/// The relay: its state machine, its store, and a record of every
/// acknowledgement it ever sent.
pub(crate) struct Relay {
    pub core: RelayCore,
    pub store: FlakyStore,
    pub acked: BTreeMap<BundleId, Seq>,
    /// Connections the relay still considers open.
    pub open: BTreeSet<ConnId>,
    /// Like the relay's actor: events wait in an inbox and are handled
    /// together, their appends in one commit, a backlog's next page only
    /// once the connection drained. Off: each event alone, at once.
    pub batching: Option<Batching>,
    /// Events waiting for the relay's next turn (when batching).
    pub inbox: Vec<RelayEvent>,
    /// The largest commit and the most pages of one backlog so far: the
    /// batching must actually happen.
    pub largest_batch: usize,
    pub paged: usize,
}

/// How the batching relay takes its turns.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Batching {
    /// A turn starts this long (at most) after an event reaches an idle inbox.
    pub turn_delay: Millis,
}

impl Default for Relay {
    fn default() -> Self {
        Self::new()
    }
}

/// The network's membership log, as the relay holds it from the start.
pub(crate) fn membership_log() -> Vec<Signed> {
    // Documents [0; 16] to [0x3f; 16] (`ADDR` among them); the devices
    // are coordinators, so each may use all of them.
    let docs: Vec<DocumentId> = (0..0x40).map(|d| DocumentId([d; 16])).collect();
    // The founder made (and so holds) every document's key: nobody
    // hands it keys.
    let held: Vec<Grant> = std::iter::once(NET)
        .chain(docs.iter().copied())
        .map(|doc| Grant { addr: DocAddr { doc, epoch: Epoch(0) }, key: community_key().id })
        .collect();
    let mut statements = vec![testing::found_holding(&founder(), NET, &docs, &held)];
    for d in 0..ADMITTED {
        statements.push(testing::admit(&founder(), NET, device_key(d).id(), Role::Coordinator, &[]));
    }
    statements.push(testing::admit(&founder(), NET, retired_key().id(), Role::Mentor, &[]));
    statements.push(founder().sign(NET, Statement::Retire { device: retired_key().id() }));
    assert_eq!(statements.len() as u64, RETIRED_AT.0);
    statements
}

/// A network founded by `founder`, who made (and so holds) the key of
/// `ADDR` and of the network document; each of `members` (a device and its
/// role, a mentor of `ADDR`) enrolled with an invitation of its own (so it
/// has an agreement key to be handed keys to) and was handed `ADDR`'s key.
pub(crate) fn enrolled_network(founder: &DeviceKey, members: impl IntoIterator<Item = (usize, Role)>) -> Vec<Signed> {
    let key = community_key();
    let net = Grant { addr: DocAddr { doc: NET, epoch: Epoch(0) }, key: key.id };
    let mut log = vec![testing::found_holding(founder, NET, &[ADDR.doc], &[net, Grant { addr: ADDR, key: key.id }])];
    let mut entropy = SimEntropy(Rng::new(9));
    for (d, role) in members {
        let invite = testing::key(3_000 + d as u64);
        let docs = if role == Role::Coordinator { vec![] } else { vec![ADDR.doc] };
        log.push(founder.sign(NET, Statement::Invite { invite: invite.id(), role, docs, expires: u64::MAX }));
        log.push(testing::enrol(&invite, NET, &device_key(d)));
        let to = device_key(d).agreement().public();
        let keys = lotse_sync::grant::seal_keys(&mut entropy, NET, device_key(d).id(), to, &[(ADDR, key.clone())])
            .expect("a real key");
        log.push(founder.sign(NET, keys));
    }
    log
}

impl Relay {
    pub(crate) fn new() -> Self {
        // The store holds the network's membership as a relay that served
        // it before would: founded, every device admitted to `ADDR`.
        Self::with_log(&membership_log())
    }

    /// A relay whose store holds `log` as the network's membership log.
    pub(crate) fn with_log(log: &[Signed]) -> Self {
        let mut store = FlakyStore::new(0.0, Rng::new(0));
        for s in log {
            store.inner.append(membership_addr(NET), s.id(), KeyId(0), &s.encode()).expect("memory");
        }
        let mut core = RelayCore::new(RelayConfig::default());
        assert_eq!(core.restore(store.membership_logs().expect("memory")), 0);
        Self {
            core,
            store,
            acked: BTreeMap::new(),
            open: BTreeSet::new(),
            batching: None,
            inbox: Vec::new(),
            largest_batch: 0,
            paged: 0,
        }
    }

    /// A connection of a member of the network that holds no document key
    /// (a device of another community, a stolen phone): what the tests'
    /// attackers use since the relay admits members only.
    pub(crate) fn connect_insider(&mut self, conn: ConnId) -> Vec<(ConnId, Vec<u8>)> {
        let mut sends = self.handle(RelayEvent::Connected(conn));
        let key = insider_key();
        let auth = Auth { network: NET, device: key.id(), signature: key.answer(&self.core.challenge(conn), NET) };
        sends.extend(self.handle(RelayEvent::Frame(conn, ClientFrame::Auth(auth).encode())));
        assert!(
            sends.iter().any(|(_, b)| matches!(RelayFrame::decode(b), Ok(RelayFrame::Authenticated(_)))),
            "the insider is admitted: {sends:?}"
        );
        sends
    }

    /// The relay process restarts: every connection and subscription is
    /// gone, and what waited in its inbox; the store keeps what it committed.
    pub(crate) fn restart(&mut self) {
        self.core = RelayCore::new(self.core.config());
        self.core.restore(self.store.membership_logs().expect("memory"));
        self.open.clear();
        self.inbox.clear();
    }

    /// A copy of the store as a backup holds it, with what was acknowledged
    /// by then.
    pub(crate) fn backup(&self) -> (MemoryStore, BTreeMap<BundleId, Seq>) {
        (self.store.inner.clone(), self.acked.clone())
    }

    /// The relay is restored from `backup` (its store replaced by the
    /// earlier copy) and started again: what was acknowledged after the
    /// backup is gone from it, and only the devices still hold it. With
    /// `renew` the operator renews every log's generation
    /// (`--renew-generations`, optional since protocol 8).
    pub(crate) fn put_back(&mut self, backup: (MemoryStore, BTreeMap<BundleId, Seq>), renew: bool) {
        (self.store.inner, self.acked) = backup;
        if renew {
            self.store.inner.renew_all_generations().expect("memory");
        }
        self.restart();
    }

    /// Reads backlogs `page` at a time.
    pub(crate) fn set_page(&mut self, page: PageLimit) {
        self.core = RelayCore::new(RelayConfig { page, ..self.core.config() });
        self.core.restore(self.store.membership_logs().expect("memory"));
    }

    fn note(&mut self, event: &RelayEvent) {
        match event {
            RelayEvent::Connected(c) => {
                self.open.insert(*c);
            }
            RelayEvent::Disconnected(c) => {
                self.open.remove(c);
            }
            _ => {}
        }
    }

    fn check_acks(&mut self, sends: &[(ConnId, Vec<u8>)]) {
        for (_, bytes) in sends {
            // The document's log (statements, handed over again after a
            // lost membership log, are acknowledged in theirs).
            if let Ok(RelayFrame::Ack(a)) = RelayFrame::decode(bytes) {
                if a.addr != ADDR {
                    continue;
                }
                let seq = *self.acked.entry(a.bundle_id).or_insert(a.seq);
                assert_eq!(seq, a.seq, "bundle {} acknowledged at two seqs", a.bundle_id);
            }
        }
    }

    pub(crate) fn handle(&mut self, event: RelayEvent) -> Vec<(ConnId, Vec<u8>)> {
        self.note(&event);
        let sends = drive(&mut self.core, &mut self.store, event);
        self.check_acks(&sends);
        sends
    }

    /// The relay's turn: everything in the inbox as one batch.
    pub(crate) fn turn(&mut self) -> Output {
        let events = std::mem::take(&mut self.inbox);
        for event in &events {
            self.note(event);
        }
        let done = self.store.batches.len();
        let mut batch = Batch::paced(&mut self.core, &mut self.store);
        for event in events {
            batch.handle(event);
        }
        let out = batch.finish();
        self.largest_batch = self.store.batches[done..].iter().copied().fold(self.largest_batch, usize::max);
        self.paged += out.when_drained.len();
        self.check_acks(&out.sends);
        out
    }

    pub(crate) fn log(&self) -> Vec<StoredBundle> {
        self.store.inner.bundles_since(ADDR, Seq(0)).expect("memory store")
    }

    pub(crate) fn head(&self) -> Seq {
        self.store.inner.head(ADDR).expect("memory store")
    }

    pub(crate) fn snapshot(&self) -> Option<StoredSnapshot> {
        self.store.inner.snapshot(ADDR).expect("memory store")
    }

    /// Every acknowledged bundle is in the log at the seq it was acked with,
    /// and the log is numbered 1, 2, 3, … without gaps.
    pub(crate) fn check_log(&self) -> Result<(), String> {
        let log = self.log();
        for (i, b) in log.iter().enumerate() {
            if b.seq != Seq(i as u64 + 1) {
                return Err(format!("log position {i} holds seq {}", b.seq.0));
            }
        }
        if self.head() != Seq(log.len() as u64) {
            return Err(format!("head {} but {} bundles", self.head().0, log.len()));
        }
        for (id, seq) in &self.acked {
            match log.iter().find(|b| b.bundle_id == *id) {
                None => return Err(format!("acked bundle {id} (seq {}) is not in the log", seq.0)),
                Some(b) if b.seq != *seq => {
                    return Err(format!("bundle {id} acked at seq {} but logged at {}", seq.0, b.seq.0))
                }
                Some(_) => {}
            }
        }
        Ok(())
    }
}

/// Reads the root map as key → string value.
pub(crate) fn root_map(doc: &AutoCommit) -> BTreeMap<String, String> {
    doc.keys(ROOT)
        .map(|k| {
            let v = match doc.get(ROOT, &k).expect("readable") {
                Some((v, _)) => v.as_str().map_or_else(|| format!("{v:?}"), str::to_owned),
                None => String::new(),
            };
            (k, v)
        })
        .collect()
}

pub(crate) fn heads(doc: &AutoCommit) -> Vec<ChangeHash> {
    let mut heads = doc.clone().get_heads();
    heads.sort();
    heads
}

/// Puts `key = value` in the root map as one change stamped with `now`, so
/// that change hashes, and so the whole run, depend only on the seed.
pub(crate) fn put(doc: &mut AutoCommit, now: Millis, key: &str, value: &str) -> Result<(), AutomergeError> {
    doc.put(ROOT, key, value)?;
    doc.commit_with(CommitOptions::default().with_time(now as i64));
    Ok(())
}

pub(crate) fn actor(device: usize, incarnation: u64) -> ActorId {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&(device as u64).to_be_bytes());
    bytes[8..].copy_from_slice(&incarnation.to_be_bytes());
    ActorId::from(bytes)
}

/// A local change a device made whose fate (`Durable` or `Discarded`) is
/// known, or still to come.
#[derive(Debug, Clone)]
pub(crate) struct Made {
    pub device: usize,
    pub bundle_id: BundleId,
    pub hash: ChangeHash,
    pub key: String,
    pub value: String,
    /// Under the device's own key (goes to the ledger once durable).
    pub own: bool,
}

pub(crate) struct Device {
    pub core: ClientCore<SimEntropy>,
    pub actor: ActorId,
    /// Bumped when the device is replaced by a new one (a new phone).
    pub incarnation: u64,
    pub disk: Disk,
    /// The write the disk is carrying out (the core has one out per
    /// document, and the simulation syncs one document).
    pub writing: Option<Persist>,
    /// Bumped at every restart, so that the answer to a write of the
    /// state machine before it is not handed to the new one.
    pub generation: u64,
    /// How many of its writes the disk fails, 0.0..=1.0.
    pub disk_fail: f64,
    /// A write takes `min..=max` ms.
    pub disk_delay: (Millis, Millis),
    /// Decides which writes fail and how long they take; seeded from the
    /// world's seed and the device, so runs replay.
    pub disk_rng: Rng,
    /// Local changes neither `Durable` nor `Discarded` yet.
    pub made: BTreeMap<BundleId, Made>,
    /// A write failed: compare with a restart from disk once recovered.
    pub verify_restart: bool,
    /// How often the check against a restart from disk ran.
    pub restart_checks: usize,
    pub conn: Option<ConnId>,
    pub partitioned: bool,
    /// Edits this device made, across crashes; numbers the keys it writes.
    pub edits: u64,
    pub problems: Vec<Problem>,
    /// Every frame this device received, decoded, for tests to inspect.
    pub received: Vec<RelayFrame>,
    /// Every document key a coordinator handed this device, as opened.
    pub granted: Vec<(DocAddr, CommunityKey)>,
}

/// How the network misbehaves.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Faults {
    pub drop: f64,
    pub duplicate: f64,
    pub min_delay: Millis,
    pub max_delay: Millis,
}

impl Faults {
    pub(crate) const NONE: Faults = Faults { drop: 0.0, duplicate: 0.0, min_delay: 1, max_delay: 1 };
}

/// Decides which messages a test loses on purpose.
pub(crate) type Lose = Box<dyn FnMut(&Msg) -> bool>;

#[derive(Debug, Clone)]
pub(crate) enum Msg {
    ToRelay {
        conn: ConnId,
        bytes: Vec<u8>,
    },
    ToDevice {
        device: usize,
        conn: ConnId,
        bytes: Vec<u8>,
    },
    /// The relay notices that a connection closed.
    RelayDisconnected(ConnId),
    /// The batching relay takes its inbox.
    RelayTurn,
    /// A connection has sent what the relay gave it (it asked to hear).
    RelayDrained(ConnId),
    /// A device's disk finishes its write.
    DiskDone {
        device: usize,
        generation: u64,
    },
}

pub(crate) struct World {
    pub now: Millis,
    pub seed: u64,
    pub rng: Rng,
    pub relay: Relay,
    pub devices: Vec<Device>,
    pub config: ClientConfig,
    pub faults: Faults,
    /// In flight, by delivery time then send order.
    pub net: BTreeMap<(Millis, u64), Msg>,
    sent: u64,
    next_conn: u64,
    conn_owner: BTreeMap<ConnId, usize>,
    /// Every key → value a device wrote under its own keys and stored.
    pub ledger: BTreeMap<String, String>,
    /// Every value any device wrote to the shared key.
    pub shared: BTreeSet<String>,
    /// Local changes for which `Durable` was emitted.
    pub durable: Vec<Made>,
    /// Local changes for which `Discarded` was emitted.
    pub discarded: Vec<Made>,
    /// Every bundle id `Discarded` was emitted for.
    pub discarded_bundles: BTreeSet<BundleId>,
    /// Every bundle id a device ever sent a `Push` of.
    pub pushed: BTreeSet<BundleId>,
    /// When something last changed: a write to a disk, or to the relay's log.
    pub last_activity: Millis,
    pub trace: bool,
    /// Times the relay was restored from an old backup.
    pub restores: usize,
    /// Loses every message for which it returns true (a test's scalpel).
    pub lose: Option<Lose>,
    /// A `RelayTurn` is on its way.
    turn_due: bool,
    /// Pushes and snapshots a device sealed with another key than the
    /// newest it held: none may be.
    pub sealed_stale: Vec<String>,
}

impl World {
    pub(crate) fn new(seed: u64, devices: usize, config: ClientConfig) -> Self {
        Self::with_relay(seed, devices, config, Relay::new())
    }

    pub(crate) fn with_relay(seed: u64, devices: usize, config: ClientConfig, relay: Relay) -> Self {
        let mut world = World {
            now: 0,
            seed,
            rng: Rng::new(seed),
            relay,
            devices: Vec::new(),
            config,
            faults: Faults::NONE,
            net: BTreeMap::new(),
            sent: 0,
            next_conn: 0,
            conn_owner: BTreeMap::new(),
            ledger: BTreeMap::new(),
            shared: BTreeSet::new(),
            durable: Vec::new(),
            discarded: Vec::new(),
            discarded_bundles: BTreeSet::new(),
            pushed: BTreeSet::new(),
            last_activity: 0,
            trace: std::env::var_os("LOTSE_SIM_TRACE").is_some(),
            restores: 0,
            lose: None,
            turn_due: false,
            sealed_stale: Vec::new(),
        };
        for _ in 0..devices {
            world.add_device();
        }
        world
    }

    fn log(&self, what: impl FnOnce() -> String) {
        if self.trace {
            eprintln!("{:>7} {}", self.now, what());
        }
    }

    fn new_core(&mut self, d: usize) -> ClientCore<SimEntropy> {
        let mut core = ClientCore::new(SimEntropy(self.rng.fork()), self.config);
        core.set_identity(Identity { key: device_key(d), network: NET });
        core
    }

    /// A new device with an empty disk; not connected yet.
    pub(crate) fn add_device(&mut self) -> usize {
        let d = self.devices.len();
        let actor = actor(d, 0);
        let core = self.new_core(d);
        // Not drawn from `self.rng`: a world without disk faults replays as
        // it did before disks could fail.
        let disk_rng = Rng::new(self.seed ^ (d as u64 + 1).wrapping_mul(0x0d15_c0de_0000_0001));
        self.devices.push(Device {
            core,
            actor,
            incarnation: 0,
            disk: Disk::default(),
            writing: None,
            generation: 0,
            disk_fail: 0.0,
            disk_delay: (0, 0),
            disk_rng,
            made: BTreeMap::new(),
            verify_restart: false,
            restart_checks: 0,
            conn: None,
            partitioned: false,
            edits: 0,
            problems: Vec::new(),
            received: Vec::new(),
            granted: Vec::new(),
        });
        let open = self.devices[d].disk.load(&self.devices[d].actor);
        let effects = self.devices[d].core.open(self.now, open);
        self.apply(d, effects);
        d
    }

    pub(crate) fn connect(&mut self, d: usize) {
        if self.devices[d].conn.is_some() {
            return;
        }
        self.next_conn += 1;
        let conn = ConnId(self.next_conn);
        self.log(|| format!("dev{d} connects as conn{}", conn.0));
        self.conn_owner.insert(conn, d);
        let sends = self.relay.handle(RelayEvent::Connected(conn));
        self.route(sends);
        self.devices[d].conn = Some(conn);
        let effects = self.devices[d].core.handle(self.now, ClientEvent::Connected);
        self.apply(d, effects);
    }

    /// The device sees its connection close at once; the relay notices later.
    pub(crate) fn disconnect(&mut self, d: usize) {
        let Some(conn) = self.devices[d].conn.take() else { return };
        self.log(|| format!("dev{d} loses conn{}", conn.0));
        let effects = self.devices[d].core.handle(self.now, ClientEvent::Disconnected);
        self.apply(d, effects);
        let delay = self.delay();
        self.schedule(delay, Msg::RelayDisconnected(conn));
    }

    /// The relay process restarts: every device loses its connection at once.
    pub(crate) fn restart_relay(&mut self) {
        self.log(|| "the relay restarts".into());
        self.relay.restart();
        self.drop_connections();
    }

    /// The relay is restored from an old backup under running devices (its
    /// store replaced by the earlier copy, then started again), without the
    /// operator's renewal of its generations: devices find the loss by the
    /// bundle they name at their cursor (protocol 8).
    pub(crate) fn restore_relay(&mut self, backup: (MemoryStore, BTreeMap<BundleId, Seq>)) {
        self.log(|| format!("the relay is restored from a backup at head {}", backup.0.head(ADDR).expect("memory").0));
        self.relay.put_back(backup, false);
        self.restores += 1;
        self.drop_connections();
    }

    fn drop_connections(&mut self) {
        for d in 0..self.devices.len() {
            if self.devices[d].conn.take().is_some() {
                let effects = self.devices[d].core.handle(self.now, ClientEvent::Disconnected);
                self.apply(d, effects);
            }
        }
    }

    /// Throws the device's state machine away and builds a new one from
    /// what its disk holds (a restart of the app). It comes back
    /// disconnected. A write the disk was carrying out is made or not.
    pub(crate) fn crash(&mut self, d: usize) {
        self.log(|| format!("dev{d} crashes"));
        if let Some(conn) = self.devices[d].conn.take() {
            let delay = self.delay();
            self.schedule(delay, Msg::RelayDisconnected(conn));
        }
        let dev = &mut self.devices[d];
        if let Some(p) = dev.writing.take() {
            if dev.disk_rng.chance(0.5) {
                dev.disk.apply(&p);
            }
        }
        dev.generation += 1;
        dev.made.clear();
        dev.verify_restart = false;
        self.devices[d].core = self.new_core(d);
        let open = self.devices[d].disk.load(&self.devices[d].actor);
        let effects = self.devices[d].core.open(self.now, open);
        self.apply(d, effects);
    }

    /// The device is replaced by a new one with an empty disk (a new phone).
    /// Only when the old one has nothing unacknowledged, or edits would be
    /// lost by the user, not by the protocol.
    pub(crate) fn replace(&mut self, d: usize) -> bool {
        if !self.devices[d].disk.outbox.is_empty() {
            return false;
        }
        self.crash(d);
        self.log(|| format!("dev{d} is replaced by a new device"));
        let dev = &mut self.devices[d];
        dev.incarnation += 1;
        dev.actor = actor(d, dev.incarnation);
        dev.disk = Disk::default();
        self.devices[d].core = self.new_core(d);
        let open = self.devices[d].disk.load(&self.devices[d].actor);
        let effects = self.devices[d].core.open(self.now, open);
        self.apply(d, effects);
        true
    }

    /// Writes the device's next own key; it joins the ledger once stored.
    pub(crate) fn edit(&mut self, d: usize) {
        let n = self.devices[d].edits;
        let key = format!("d{d}-{n}");
        let value = format!("v{n}@{}", self.now);
        self.write_change(d, &key, &value, true);
    }

    /// Sets the key every device writes concurrently.
    pub(crate) fn edit_shared(&mut self, d: usize) {
        let value = format!("d{d}-{}@{}", self.devices[d].edits, self.now);
        self.shared.insert(value.clone());
        self.write_change(d, "shared", &value, false);
    }

    /// Puts `key = value` on device `d`; returns the bundle and the hash of
    /// the change.
    pub(crate) fn write(&mut self, d: usize, key: &str, value: &str) -> (BundleId, ChangeHash) {
        self.write_change(d, key, value, false)
    }

    fn write_change(&mut self, d: usize, key: &str, value: &str, own: bool) -> (BundleId, ChangeHash) {
        self.log(|| format!("dev{d} writes {key} = {value}"));
        self.devices[d].edits += 1;
        let now = self.now;
        let dev = &mut self.devices[d];
        let change = dev.core.change(now, ADDR, |doc| put(doc, now, key, value)).expect("a put on the root map");
        let bundle_id = change.bundle.expect("a put changes the document");
        let hash = dev.core.inspect(ADDR, |doc| doc.get_last_local_change().expect("just made").hash()).expect("open");
        let made = Made { device: d, bundle_id, hash, key: key.into(), value: value.into(), own };
        dev.made.insert(bundle_id, made);
        self.apply(d, change.effects);
        (bundle_id, hash)
    }

    pub(crate) fn tick(&mut self, d: usize) {
        let effects = self.devices[d].core.handle(self.now, ClientEvent::Tick);
        self.apply(d, effects);
    }

    fn delay(&mut self) -> Millis {
        self.rng.range(self.faults.min_delay, self.faults.max_delay)
    }

    fn schedule(&mut self, delay: Millis, msg: Msg) {
        self.sent += 1;
        self.net.insert((self.now + delay, self.sent), msg);
    }

    /// Puts a message on the wire, where it may be lost or doubled.
    fn send(&mut self, msg: Msg) {
        if self.rng.chance(self.faults.drop) || self.lose.as_mut().is_some_and(|lose| lose(&msg)) {
            return;
        }
        let copies = if self.rng.chance(self.faults.duplicate) { 2 } else { 1 };
        for _ in 0..copies {
            let delay = self.delay();
            self.schedule(delay, msg.clone());
        }
    }

    /// Carries out a device's effects, as the app's runner does: a write
    /// goes to the disk, which answers it later.
    pub(crate) fn apply(&mut self, d: usize, effects: Vec<ClientEffect>) {
        for effect in effects {
            match effect {
                ClientEffect::Send(bytes) => {
                    let newest = self.devices[d].core.key_ids(ADDR).and_then(|ids| ids.last().copied());
                    let sealed_with = match ClientFrame::decode(&bytes) {
                        Ok(ClientFrame::Push(p)) => {
                            self.pushed.insert(p.bundle_id);
                            (p.addr == ADDR).then_some(p.key_id)
                        }
                        Ok(ClientFrame::PutSnapshot(p)) => (p.addr == ADDR).then_some(p.key_id),
                        _ => None,
                    };
                    if let Some(key) = sealed_with.filter(|k| Some(*k) != newest) {
                        let stale = format!("dev{d} at {} sealed with key {} holding {newest:?}", self.now, key.0);
                        self.sealed_stale.push(stale);
                    }
                    if let Some(conn) = self.devices[d].conn {
                        if self.trace {
                            self.log(|| format!("dev{d} sends {}", describe_client(&bytes)));
                        }
                        if !self.devices[d].partitioned {
                            self.send(Msg::ToRelay { conn, bytes });
                        }
                    }
                }
                ClientEffect::Persist(p) => {
                    let dev = &mut self.devices[d];
                    assert!(dev.writing.is_none(), "dev{d} has two writes of one document out: {p:?}");
                    let (lo, hi) = dev.disk_delay;
                    let delay = if hi == 0 { 0 } else { dev.disk_rng.range(lo, hi) };
                    let generation = dev.generation;
                    dev.writing = Some(p);
                    self.schedule(delay, Msg::DiskDone { device: d, generation });
                }
                // One epoch here: moves are `epoch.rs`'s.
                ClientEffect::Changed(_)
                | ClientEffect::StatementStored(_)
                | ClientEffect::MembershipChanged
                | ClientEffect::Moving { .. }
                | ClientEffect::StatementMade(_)
                | ClientEffect::Carry { .. }
                | ClientEffect::DeleteEpoch { .. } => {}
                ClientEffect::KeysGranted(keys) => {
                    let dev = &mut self.devices[d];
                    for (addr, key) in &keys {
                        if *addr == ADDR && !dev.disk.keys.contains(key) {
                            dev.disk.keys.push(key.clone());
                        }
                    }
                    dev.granted.extend(keys);
                }
                ClientEffect::Problem(p) => {
                    self.log(|| format!("dev{d} problem {p:?}"));
                    self.devices[d].problems.push(p);
                }
                ClientEffect::Durable { bundle_id, .. } => {
                    if let Some(made) = self.devices[d].made.remove(&bundle_id) {
                        if made.own {
                            self.ledger.insert(made.key.clone(), made.value.clone());
                        }
                        self.durable.push(made);
                    }
                }
                ClientEffect::Discarded { bundle_id, .. } => {
                    self.log(|| format!("dev{d} discards {}", short(&bundle_id)));
                    self.discarded_bundles.insert(bundle_id);
                    if let Some(made) = self.devices[d].made.remove(&bundle_id) {
                        self.discarded.push(made);
                    }
                }
            }
        }
    }

    /// The disk finishes the device's write: makes it or fails it, and
    /// tells the device.
    fn disk_done(&mut self, d: usize) {
        let dev = &mut self.devices[d];
        let Some(p) = dev.writing.take() else { return };
        let fail = dev.disk_rng.chance(dev.disk_fail);
        let addr = ADDR;
        let event = if fail {
            dev.verify_restart = true;
            ClientEvent::PersistFailed { addr }
        } else {
            dev.disk.apply(&p);
            ClientEvent::Persisted { addr }
        };
        self.log(|| format!("dev{d} {} {}", if fail { "fails" } else { "writes" }, describe_persist(&p)));
        self.last_activity = self.now;
        let effects = self.devices[d].core.handle(self.now, event);
        self.apply(d, effects);
        self.check_restart(d);
    }

    /// Once a device that had a write fail has written all it had to, its
    /// document is what a restart from its disk gives: nothing half-done
    /// kept, nothing durable lost, no change stored without what it
    /// depends on.
    fn check_restart(&mut self, d: usize) {
        let dev = &mut self.devices[d];
        if !dev.verify_restart || dev.core.pending_writes(ADDR) > 0 {
            return;
        }
        dev.verify_restart = false;
        dev.restart_checks += 1;
        let mut restarted = dev.disk.load(&dev.actor).doc;
        let mut in_memory = dev.core.doc(ADDR).expect("open").clone();
        // Changes that wait for a dependency wait after a restart too, no more.
        let waiting = restarted.get_missing_deps(&[]);
        if heads(&restarted) != heads(&in_memory) || waiting != in_memory.get_missing_deps(&[]) {
            let describe = |changes: Vec<automerge::Change>| -> Vec<String> {
                changes.iter().map(|c| format!("{} {:?} t={}", c.hash(), c.actor_id(), c.timestamp())).collect()
            };
            panic!(
                "dev{d} at {}: a restart from its disk differs from memory\n  only on disk: {:?}\n  only in memory: {:?}\n  missing on disk: {waiting:?}",
                self.now,
                describe(in_memory.get_changes_added(&mut restarted)),
                describe(restarted.get_changes_added(&mut in_memory)),
            );
        }
    }

    /// Whether device `d`'s document holds the change `hash`.
    pub(crate) fn has_change(&mut self, d: usize, hash: ChangeHash) -> bool {
        self.devices[d].core.inspect(ADDR, |doc| doc.get_change_by_hash(&hash).is_some()).expect("open")
    }

    fn route(&mut self, sends: Vec<(ConnId, Vec<u8>)>) {
        for (conn, bytes) in sends {
            if let Some(&device) = self.conn_owner.get(&conn) {
                if !self.devices[device].partitioned {
                    self.send(Msg::ToDevice { device, conn, bytes });
                }
            }
        }
    }

    /// Hands the relay a frame on a connection, as the edge would.
    pub(crate) fn relay_frame(&mut self, conn: ConnId, bytes: Vec<u8>) {
        self.hand_to_relay(RelayEvent::Frame(conn, bytes));
    }

    /// The relay handles the event at once, or (batching) on its next turn.
    fn hand_to_relay(&mut self, event: RelayEvent) {
        let Some(batching) = self.relay.batching else {
            let head = self.relay.head();
            let sends = self.relay.handle(event);
            if self.relay.head() != head {
                self.last_activity = self.now;
            }
            self.route(sends);
            return;
        };
        self.relay.inbox.push(event);
        if !self.turn_due {
            self.turn_due = true;
            let delay = self.rng.range(0, batching.turn_delay);
            self.schedule(delay, Msg::RelayTurn);
        }
    }

    fn relay_turn(&mut self) {
        self.turn_due = false;
        let head = self.relay.head();
        let out = self.relay.turn();
        if self.relay.head() != head {
            self.last_activity = self.now;
        }
        if self.trace && !out.when_drained.is_empty() {
            self.log(|| format!("the relay waits for {:?} to drain", out.when_drained));
        }
        self.route(out.sends);
        for conn in out.when_drained {
            let delay = self.delay();
            self.schedule(delay, Msg::RelayDrained(conn));
        }
    }

    pub(crate) fn deliver(&mut self, msg: Msg) {
        match msg {
            Msg::ToRelay { conn, bytes } => {
                let from = self.conn_owner[&conn];
                if self.relay.open.contains(&conn) && !self.devices[from].partitioned {
                    self.relay_frame(conn, bytes);
                }
            }
            Msg::ToDevice { device, conn, bytes } => {
                let dev = &self.devices[device];
                if dev.conn == Some(conn) && !dev.partitioned {
                    if self.trace {
                        self.log(|| format!("dev{device} receives {}", describe_relay(&bytes)));
                    }
                    if let Ok(f) = RelayFrame::decode(&bytes) {
                        self.devices[device].received.push(f);
                    }
                    let effects = self.devices[device].core.handle(self.now, ClientEvent::Received(bytes));
                    self.apply(device, effects);
                }
            }
            Msg::RelayDisconnected(conn) => self.hand_to_relay(RelayEvent::Disconnected(conn)),
            Msg::RelayTurn => self.relay_turn(),
            Msg::RelayDrained(conn) => {
                if self.relay.open.contains(&conn) {
                    self.hand_to_relay(RelayEvent::Drained(conn));
                }
            }
            Msg::DiskDone { device, generation } => {
                if self.devices[device].generation == generation {
                    self.disk_done(device);
                }
            }
        }
    }

    /// Delivers everything due by `until`, in order, advancing the clock.
    pub(crate) fn run_net_until(&mut self, until: Millis) {
        while let Some(entry) = self.net.first_entry() {
            if entry.key().0 > until {
                break;
            }
            let ((at, _), msg) = entry.remove_entry();
            self.now = self.now.max(at);
            self.deliver(msg);
        }
        self.now = self.now.max(until);
    }

    /// Delivers until nothing is in flight (no ticks).
    pub(crate) fn drain(&mut self) {
        let mut rounds = 0;
        while let Some(((at, _), msg)) = self.net.pop_first() {
            rounds += 1;
            assert!(rounds < 1_000_000, "the network never empties");
            self.now = self.now.max(at);
            self.deliver(msg);
        }
    }

    /// Ticks every device every `tick` ms for `duration` ms, delivering
    /// messages in between.
    pub(crate) fn run_for(&mut self, duration: Millis, tick: Millis) {
        let end = self.now + duration;
        while self.now < end {
            let next = (self.now + tick).min(end);
            self.run_net_until(next);
            for d in 0..self.devices.len() {
                self.tick(d);
            }
        }
    }

    /// Runs with ticks until nothing has changed for `quiet` ms, then empties
    /// the network. Fails if that takes longer than `limit` ms.
    pub(crate) fn settle(&mut self, tick: Millis, quiet: Millis, limit: Millis) -> Result<(), String> {
        let start = self.now;
        self.last_activity = self.now;
        while self.now < self.last_activity + quiet {
            if self.now > start + limit {
                return Err(format!("still busy {limit} ms after healing"));
            }
            self.run_for(tick, tick);
        }
        self.drain();
        Ok(())
    }
}

pub(crate) fn describe_client(bytes: &[u8]) -> String {
    match ClientFrame::decode(bytes) {
        Ok(ClientFrame::Hello(_)) => "Hello".into(),
        Ok(ClientFrame::Subscribe(s)) => format!("Subscribe since {}", s.since.0),
        Ok(ClientFrame::Push(p)) if p.addr == membership_addr(NET) => match Signed::decode(&p.sealed) {
            Ok(signed) => {
                let statement = format!("{:?}", signed.statement);
                let kind: String = statement.chars().take_while(|c| c.is_alphanumeric()).collect();
                let about = match &signed.statement {
                    Statement::Retire { device } | Statement::Keys { device, .. } => format!(" of {device}"),
                    Statement::Rotate { grant, to } => {
                        let to: Vec<String> = to.iter().map(|w| w.device.to_string()).collect();
                        format!(" to key {} for {}", grant.key.0, to.join(","))
                    }
                    _ => String::new(),
                };
                format!("Push {} (statement {kind}{about})", short(&p.bundle_id))
            }
            Err(_) => format!("Push {} (no statement)", short(&p.bundle_id)),
        },
        Ok(ClientFrame::Push(p)) => format!("Push {}", short(&p.bundle_id)),
        Ok(ClientFrame::PutSnapshot(p)) => format!("PutSnapshot covers {}", p.covers.0),
        Ok(ClientFrame::Unsubscribe(_)) => "Unsubscribe".into(),
        Ok(ClientFrame::Auth(a)) => format!("Auth as {}", a.device),
        Err(e) => format!("garbage ({e})"),
    }
}

pub(crate) fn describe_relay(bytes: &[u8]) -> String {
    match RelayFrame::decode(bytes) {
        Ok(RelayFrame::Welcome(_)) => "Welcome".into(),
        Ok(RelayFrame::Ack(a)) => format!("Ack {} at {}", short(&a.bundle_id), a.seq.0),
        Ok(RelayFrame::Bundle(b)) => format!("Bundle {}", b.seq.0),
        Ok(RelayFrame::Snapshot(s)) => format!("Snapshot covers {}", s.covers.0),
        Ok(RelayFrame::CaughtUp(c)) => format!("CaughtUp head {} snapshot {}", c.head.0, c.snapshot.0),
        Ok(RelayFrame::SnapshotStored(s)) => format!("SnapshotStored {}", s.covers.0),
        Ok(RelayFrame::Error(e)) => format!("Error {:?}: {}", e.code, e.message),
        Ok(RelayFrame::Authenticated(a)) => format!("Authenticated as {:?}", a.role),
        Err(e) => format!("garbage ({e})"),
    }
}

pub(crate) fn describe_persist(p: &Persist) -> String {
    match p {
        Persist::Local { bundle_id, .. } => format!("Local {}", short(bundle_id)),
        Persist::Remote { bytes, cursor, .. } => {
            format!("Remote cursor {} ({} bytes)", cursor.0, bytes.as_ref().map_or(0, Vec::len))
        }
        Persist::Acked { bundle_id, cursor, .. } => format!("Acked {} cursor {}", short(bundle_id), cursor.0),
        Persist::Compact { bytes, .. } => format!("Compact ({} bytes)", bytes.len()),
        Persist::Generation { generation, .. } => format!("Generation {}", &generation.to_string()[..8]),
    }
}

fn short(id: &BundleId) -> String {
    id.to_string()[..8].to_owned()
}

pub(crate) fn env_u64(name: &str) -> Option<u64> {
    let v = std::env::var(name).ok()?;
    Some(v.parse().unwrap_or_else(|_| panic!("{name}={v} is not a number")))
}

/// Runs seeds, and names the first that fails in a way that replays it:
/// `default_seeds` of them, `LOTSE_SIM_SEEDS` if set, or the one
/// `LOTSE_SIM_SEED`.
///
/// Each seed is its own single-threaded world; the seeds are shared out to
/// one worker per core so that the default run stays short.
pub(crate) fn run_seeds(default_seeds: u64, run: fn(u64) -> Result<(), String>) {
    use std::panic::{catch_unwind, AssertUnwindSafe};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;
    let seeds: Vec<u64> = match (env_u64("LOTSE_SIM_SEED"), env_u64("LOTSE_SIM_SEEDS")) {
        (Some(seed), _) => vec![seed],
        (None, Some(n)) => (0..n).collect(),
        (None, None) => (0..default_seeds).collect(),
    };
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(&seed) = seeds.get(i) else { break };
                let failure = match catch_unwind(AssertUnwindSafe(|| run(seed))) {
                    Ok(Ok(())) => continue,
                    Ok(Err(e)) => e,
                    Err(panic) => panic
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_else(|| "panicked".into()),
                };
                failures.lock().unwrap().push((seed, failure));
                // Stop handing out seeds; the others finish theirs.
                next.store(seeds.len(), Ordering::Relaxed);
            });
        }
    });
    let mut failures = failures.into_inner().unwrap();
    failures.sort();
    if let Some((seed, failure)) = failures.first() {
        panic!("seed {seed} failed: {failure}\nreplay with LOTSE_SIM_SEED={seed}");
    }
}
