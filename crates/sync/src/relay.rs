//! The relay's state machine: who is subscribed to which log, what to answer.
//!
//! It never holds a key and never looks inside `sealed` bytes. Storage is an
//! effect; a [`Batch`] carries out the store effects of a run of events
//! against a [`RelayStore`] and feeds their results back:
//!
//! - Pushes that arrive together are appended in one commit (group commit),
//!   and their Acks and live bundles go out only after that commit. If it
//!   fails, none of them is acknowledged or sent on; each pusher hears
//!   `StoreFailed`.
//! - Every read (a backlog, a snapshot's check) first commits the appends
//!   before it, so it sees exactly what a relay committing each push alone
//!   would have: a subscriber never misses a bundle nor gets one twice.
//! - A backlog is read and sent in pages ([`PageLimit`]). A subscription
//!   turns live only with the page that reaches the log's head, so live
//!   bundles never overtake the backlog. Between pages the edge may wait
//!   until the connection has sent what it was given ([`RelayEffect::WhenDrained`],
//!   [`RelayEvent::Drained`]).
//! - Several relays may share one store (PostgreSQL). A bundle another
//!   relay appended reaches this one's live subscribers by
//!   [`RelayEvent::AppendedElsewhere`]: the core reads the log after what
//!   each subscriber has ([`RelayEffect::Follow`]) and sends on in order,
//!   so a subscriber keeps getting every bundle once and in order, whoever
//!   stored it. A membership statement stored elsewhere makes the core read
//!   the network's whole log again and fold it in the store's order.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use sha2::{Digest, Sha512};

use crate::ids::{BundleId, DocAddr, DocumentId, Generation, KeyId, Seq};
use crate::membership::{self, Applied, DeviceId, Membership, MembershipError, Signed, Standing, MEMBERSHIP_EPOCH};
use crate::wire::{
    Ack, Authenticated, Bundle, CaughtUp, ClientFrame, ErrorCode, ErrorReply, RelayFrame, Snapshot, SnapshotStored,
    Welcome, WireError, PROTOCOL_VERSION,
};

/// A connection, numbered by the edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConnId(pub u64);

/// A bundle as the store keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredBundle {
    pub seq: Seq,
    pub bundle_id: BundleId,
    pub key_id: KeyId,
    pub sealed: Vec<u8>,
}

/// A bundle to append: what a push carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewBundle<'a> {
    pub addr: DocAddr,
    pub bundle_id: BundleId,
    pub key_id: KeyId,
    pub sealed: &'a [u8],
}

/// A snapshot as the store keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSnapshot {
    pub covers: Seq,
    pub key_id: KeyId,
    pub sealed: Vec<u8>,
}

/// How much of a log one read returns: at most `bundles` bundles, ending
/// with the first bundle that brings their sealed bytes to `bytes` or more
/// (so a page holds at least one bundle, however large, if any follow).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageLimit {
    pub bundles: usize,
    pub bytes: usize,
}

impl PageLimit {
    /// No limit: the whole rest of the log.
    pub const ALL: PageLimit = PageLimit { bundles: usize::MAX, bytes: usize::MAX };

    /// Whether a page of `bundles` bundles holding `bytes` sealed bytes is full.
    pub fn is_full(&self, bundles: usize, bytes: usize) -> bool {
        bundles >= self.bundles || bytes >= self.bytes
    }
}

/// Every network's membership log: the network and its statements' bytes,
/// in the log's order.
pub type MembershipLogs = Vec<(DocumentId, Vec<Vec<u8>>)>;

/// Where the relay keeps its logs.
pub trait RelayStore {
    type Error: std::error::Error;

    /// Appends every bundle of `batch`, in order, in one durable commit:
    /// when it returns `Ok`, all of them are durable; when it returns `Err`,
    /// none of them is stored and no seq was used up. Each result is the
    /// bundle's seq and whether it is new; a bundle id already in its log
    /// (or earlier in the batch) gets the seq it got first and `false`.
    fn append_batch(&mut self, batch: &[NewBundle<'_>]) -> Result<Vec<(Seq, bool)>, Self::Error>;

    fn head(&self, addr: DocAddr) -> Result<Seq, Self::Error>;

    /// Bundles with seq > `since`, in order, as many as `limit` allows.
    fn bundles_page(&self, addr: DocAddr, since: Seq, limit: PageLimit) -> Result<Vec<StoredBundle>, Self::Error>;

    /// Keeps the snapshot if it covers more than the one held.
    fn put_snapshot(&mut self, addr: DocAddr, snapshot: StoredSnapshot) -> Result<(), Self::Error>;

    fn snapshot(&self, addr: DocAddr) -> Result<Option<StoredSnapshot>, Self::Error>;

    /// Every network's membership log (the logs at
    /// [`MEMBERSHIP_EPOCH`]), each in order: the relay folds them on start.
    fn membership_logs(&self) -> Result<MembershipLogs, Self::Error>;

    /// The log's generation: 16 random bytes the store gives a log when it
    /// is first read or appended to (a durable write of its own), never
    /// [`Generation::NONE`]. So a device learns one with every `CaughtUp`,
    /// and a log that comes back empty (a fresh database, a backup from
    /// before it existed) gets a new one.
    fn generation(&self, addr: DocAddr) -> Result<Generation, Self::Error>;

    /// Gives the log a new random generation, durably, and returns it: the
    /// log went back (a device had read past its head). Devices whose
    /// cursor is of the old one push their documents again and read the
    /// log from 0.
    fn renew_generation(&mut self, addr: DocAddr) -> Result<Generation, Self::Error>;

    /// Gives every log a new random generation, in one commit (the
    /// operator's step after restoring a backup); returns how many logs.
    fn renew_all_generations(&mut self) -> Result<usize, Self::Error>;

    /// Deletes the log at `addr` (an old epoch of a rewritten document):
    /// its bundles, its snapshot and its generation, in one commit, so
    /// that no byte of them stays readable in the store (SQLite: its freed
    /// pages and its WAL). Deleting a log that is not there does nothing.
    fn delete_epoch(&mut self, addr: DocAddr) -> Result<(), Self::Error>;

    /// The generation of a log the last `append_batch` appended to, as of
    /// that commit: what the Acks of its bundles name. A store that read it
    /// in the commit answers without another read.
    fn appended_generation(&self, addr: DocAddr) -> Result<Generation, Self::Error> {
        self.generation(addr)
    }

    /// The id of the bundle at `seq` (`None` at 0 or past the head).
    fn bundle_id_at(&self, addr: DocAddr, seq: Seq) -> Result<Option<BundleId>, Self::Error> {
        let Some(before) = seq.0.checked_sub(1) else { return Ok(None) };
        let page = self.bundles_page(addr, Seq(before), PageLimit { bundles: 1, bytes: usize::MAX })?;
        Ok(page.first().filter(|b| b.seq == seq).map(|b| b.bundle_id))
    }

    /// Appends one bundle in a commit of its own.
    fn append(
        &mut self,
        addr: DocAddr,
        bundle_id: BundleId,
        key_id: KeyId,
        sealed: &[u8],
    ) -> Result<(Seq, bool), Self::Error> {
        let done = self.append_batch(&[NewBundle { addr, bundle_id, key_id, sealed }])?;
        Ok(done.first().copied().expect("append_batch answers every bundle of the batch"))
    }

    /// Every bundle with seq > `since`, in order.
    fn bundles_since(&self, addr: DocAddr, since: Seq) -> Result<Vec<StoredBundle>, Self::Error> {
        self.bundles_page(addr, since, PageLimit::ALL)
    }
}

/// Input to the relay.
#[derive(Debug, Clone)]
pub enum RelayEvent {
    Connected(ConnId),
    Disconnected(ConnId),
    Frame(ConnId, Vec<u8>),
    /// The bundle is durable in its log at `bundle.seq`, a seq of the
    /// log's `generation` (`Generation::NONE` if it could not be read).
    Appended {
        conn: ConnId,
        addr: DocAddr,
        bundle: StoredBundle,
        fresh: bool,
        generation: Generation,
    },
    /// A page of the log after `since`, with the log's head when it was
    /// read and, if it was asked for, the newest snapshot.
    Loaded {
        conn: ConnId,
        addr: DocAddr,
        since: Seq,
        head: Seq,
        /// The log's generation when it was read.
        generation: Generation,
        /// The id of the bundle the log holds at `since`, if the load was
        /// asked to check it (`RelayEffect::Load::at`).
        held: Option<BundleId>,
        /// The newest snapshot, if asked for, with the id of the bundle
        /// the log holds at its `covers`.
        snapshot: Option<(StoredSnapshot, Option<BundleId>)>,
        bundles: Vec<StoredBundle>,
    },
    SnapshotStored {
        conn: ConnId,
        addr: DocAddr,
        covers: Seq,
    },
    /// The backlog could not be read: the subscription is dropped so the
    /// device neither waits for a `CaughtUp` nor gets live bundles past a gap.
    LoadFailed {
        conn: ConnId,
        addr: DocAddr,
        since: Seq,
        error: String,
    },
    StoreFailed {
        conn: ConnId,
        addr: DocAddr,
        bundle_id: Option<BundleId>,
        error: String,
    },
    /// The connection has sent what it was given (after a `WhenDrained`).
    Drained(ConnId),
    /// Another relay sharing the store appended the log up to `seq` (the
    /// edge hears it from the store, e.g. PostgreSQL's NOTIFY).
    AppendedElsewhere {
        addr: DocAddr,
        seq: Seq,
    },
    /// Notices of other relays' appends may have been missed (the edge lost
    /// its line to the store for a while): every live log is read again.
    /// (Membership logs, including networks this relay has not heard of
    /// yet, the edge lists from the store: an `AppendedElsewhere` each.)
    MissedElsewhere,
    /// Time passed (the edge sends it now and then, after `set_now`): an
    /// old epoch whose rewrite's deadline passed is deleted.
    Tick,
    /// The store deleted the old epoch's log (`RelayEffect::DeleteEpoch`).
    EpochDeleted {
        addr: DocAddr,
    },
    /// The store could not delete it: tried again at the next `Tick`.
    DeleteFailed {
        addr: DocAddr,
        error: String,
    },
    /// The answer to a `Follow`: the log's bundles after `since`.
    Followed {
        addr: DocAddr,
        since: Seq,
        bundles: Vec<StoredBundle>,
    },
    /// A `Follow` could not be read: the subscriptions that need it are
    /// dropped (the devices subscribe again) rather than sent past a gap.
    FollowFailed {
        addr: DocAddr,
        since: Seq,
        error: String,
    },
}

/// What the relay wants done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RelayEffect {
    Send(ConnId, Vec<u8>),
    /// Append the bundle durably; answer `Appended` or `StoreFailed`.
    Append {
        conn: ConnId,
        addr: DocAddr,
        bundle_id: BundleId,
        key_id: KeyId,
        sealed: Vec<u8>,
    },
    /// Read the head and a page of the log after `since` (and, with
    /// `snapshot`, the newest snapshot, reading after it if it covers more);
    /// answer `Loaded` or `LoadFailed`.
    Load {
        conn: ConnId,
        addr: DocAddr,
        since: Seq,
        snapshot: bool,
        /// Read the id of the bundle at `since` too (the first page of a
        /// subscribe that named one).
        check: bool,
        limit: PageLimit,
    },
    /// A device proved that the log went back (it had read past the head):
    /// give the log a new generation (`RelayStore::renew_generation`), so
    /// every device that read it before pushes again and reads it anew.
    RenewGeneration {
        addr: DocAddr,
    },
    PutSnapshot {
        conn: ConnId,
        addr: DocAddr,
        snapshot: StoredSnapshot,
    },
    /// Send `Drained` once the connection has sent what it was given so
    /// far: a backlog's next page waits for it, so that a device far
    /// behind neither fills the relay's memory nor holds up the others.
    WhenDrained(ConnId),
    /// Delete the log of an old epoch (`RelayStore::delete_epoch`): every
    /// device that had to move did, or the rewrite's deadline passed.
    /// Answer `EpochDeleted` or `DeleteFailed`.
    DeleteEpoch {
        addr: DocAddr,
    },
    /// Read the log's bundles after `since` for its live subscribers (a
    /// bundle was appended elsewhere); answer `Followed` or `FollowFailed`.
    Follow {
        addr: DocAddr,
        since: Seq,
        limit: PageLimit,
    },
}

#[derive(Debug, Clone, Copy)]
pub struct RelayConfig {
    /// Largest frame accepted, in bytes.
    pub max_frame: usize,
    /// How much of a backlog is read and sent at a time.
    pub page: PageLimit,
    /// The secret each connection's challenge is derived from: random per
    /// start of the relay, so no answer can be replayed to another
    /// connection or another run.
    pub challenge_secret: [u8; 32],
    /// Connections held at once; one more is told `Busy`.
    pub max_connections: usize,
    /// How many document frames each device may send, over all its
    /// connections.
    pub rate: RateLimit,
    /// Added to the time the edge gives ([`RelayCore::set_now`]): a test
    /// reaches an erasure's deadline without waiting days. 0 otherwise.
    pub clock_ahead_ms: u64,
}

/// A device's frame budget: `burst` at once, refilled at `per_second`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    pub per_second: u32,
    pub burst: u32,
}

impl Default for RelayConfig {
    fn default() -> Self {
        Self {
            max_frame: 8 * 1024 * 1024,
            page: PageLimit { bundles: 512, bytes: 1024 * 1024 },
            challenge_secret: [0; 32],
            max_connections: 10_000,
            // A phone's backlog of a day offline goes out in one burst; a
            // device that keeps sending faster than this is broken or hostile.
            rate: RateLimit { per_second: 50, burst: 2_000 },
            clock_ahead_ms: 0,
        }
    }
}

/// A network as the relay knows it: its membership and the statements it
/// was folded from, those not yet committed marked so.
#[derive(Debug)]
struct Network {
    membership: Membership,
    log: Vec<(BundleId, Signed, bool)>,
}

/// A subscription whose backlog is still being sent.
#[derive(Debug, Clone, Copy)]
struct CatchUp {
    /// The last seq sent (before the first page: the `since` asked for).
    next: Seq,
    /// What the newest snapshot covered when the first page was read;
    /// `None` until then.
    snapshot: Option<Seq>,
    /// The device asked for the snapshot (`Subscribe::snapshot`); without
    /// it, the log only.
    with_snapshot: bool,
    /// The generation the device read its `since` in.
    generation: Generation,
    /// The bundle the device read at `since`.
    at: Option<BundleId>,
}

#[derive(Debug, Default)]
pub struct RelayCore {
    config: RelayConfig,
    /// Every open connection and the logs it is subscribed to live.
    conns: BTreeMap<ConnId, BTreeSet<DocAddr>>,
    /// Each live log's subscribers and the last seq each has (sent, or
    /// pushed by it).
    subscribers: BTreeMap<DocAddr, BTreeMap<ConnId, Seq>>,
    /// The highest seq known appended to a live log elsewhere, while its
    /// subscribers have not all been sent up to it.
    behind: BTreeMap<DocAddr, Seq>,
    catching_up: BTreeMap<(ConnId, DocAddr), CatchUp>,
    /// Connections whose `Hello` named another protocol version: every
    /// frame after it is refused, so an old app never pushes a bundle that
    /// current devices cannot open.
    outdated: BTreeSet<ConnId>,
    /// Who each connection proved to be: a device of a network.
    authed: BTreeMap<ConnId, (DocumentId, DeviceId)>,
    networks: BTreeMap<DocumentId, Network>,
    /// Which network each community document belongs to.
    doc_network: BTreeMap<DocumentId, DocumentId>,
    /// Unix milliseconds, from the edge: an invitation's expiry is checked
    /// against it, and each device's frame budget refills by it.
    now_ms: u64,
    /// Each device's frame budget (a token bucket): what it has left and
    /// when that was counted.
    budgets: BTreeMap<DeviceId, (f64, u64)>,
    /// The edge found the store's disk nearly full: nothing is appended or
    /// snapshotted until it says otherwise.
    disk_full: bool,
    /// Old epochs whose deletion was asked for (in this run; a restarted
    /// relay asks again, which deletes nothing twice).
    deleted: BTreeSet<DocAddr>,
}

fn error(
    conn: ConnId,
    code: ErrorCode,
    addr: Option<DocAddr>,
    bundle_id: Option<BundleId>,
    message: String,
) -> RelayEffect {
    RelayEffect::Send(conn, RelayFrame::Error(ErrorReply { code, addr, bundle_id, message }).encode())
}

fn left_behind(device: DeviceId, addr: DocAddr) -> String {
    format!(
        "device {device} did not move {} to its new epoch before the deadline: its old copy was deleted here; enrol this device again with a new invitation",
        addr.doc
    )
}

impl RelayCore {
    pub fn new(config: RelayConfig) -> Self {
        Self { config, ..Self::default() }
    }

    pub fn config(&self) -> RelayConfig {
        self.config
    }

    pub fn connection_count(&self) -> usize {
        self.conns.len()
    }

    /// Whether the connection is open and was taken (not refused as one too
    /// many).
    pub fn is_connected(&self, conn: ConnId) -> bool {
        self.conns.contains_key(&conn)
    }

    /// The time the edge says it is, in Unix milliseconds.
    pub fn set_now(&mut self, unix_ms: u64) {
        self.now_ms = unix_ms.saturating_add(self.config.clock_ahead_ms);
    }

    /// Whether the store's disk is nearly full (the edge measures it):
    /// while it is, pushes and snapshots are refused before they are
    /// written, so a full disk never fails a commit halfway.
    pub fn set_disk_full(&mut self, full: bool) {
        self.disk_full = full;
    }

    /// Takes one frame from the device's budget; `false` if it has none
    /// left.
    fn spend(&mut self, device: DeviceId) -> bool {
        let RateLimit { per_second, burst } = self.config.rate;
        let now = self.now_ms;
        let (left, at) = self.budgets.entry(device).or_insert((f64::from(burst), now));
        let refill = now.saturating_sub(*at) as f64 / 1000.0 * f64::from(per_second);
        *left = (*left + refill).min(f64::from(burst));
        *at = now;
        if *left < 1.0 {
            return false;
        }
        *left -= 1.0;
        true
    }

    /// Folds the stored membership logs (on start). Returns how many
    /// statements did not hold and were skipped.
    pub fn restore(&mut self, logs: Vec<(DocumentId, Vec<Vec<u8>>)>) -> usize {
        let mut skipped = 0;
        for (network, log) in logs {
            let signed: Vec<Signed> = log.iter().filter_map(|b| Signed::decode(b).ok()).collect();
            skipped += log.len() - signed.len();
            let entries = signed.into_iter().map(|s| (s.id(), s, true)).collect();
            skipped += self.refold(network, entries);
        }
        skipped
    }

    /// The membership of `network`, if the relay knows it.
    pub fn membership(&self, network: DocumentId) -> Option<&Membership> {
        self.networks.get(&network).map(|n| &n.membership)
    }

    /// The challenge of a connection: derived, so it needs no state and
    /// no randomness in the core.
    pub fn challenge(&self, conn: ConnId) -> [u8; 32] {
        let mut h = Sha512::new();
        h.update(b"lotse challenge\0");
        h.update(self.config.challenge_secret);
        h.update(conn.0.to_le_bytes());
        let mut out = [0u8; 32];
        out.copy_from_slice(&h.finalize()[..32]);
        out
    }

    /// Rebuilds a network from its statements, keeping those that hold
    /// (in order); returns how many did not.
    fn refold(&mut self, network: DocumentId, entries: Vec<(BundleId, Signed, bool)>) -> usize {
        self.doc_network.retain(|_, n| *n != network);
        let mut membership = Membership::new(network);
        if self.doc_network.contains_key(&network) {
            // Named after another network's document: it never counts.
            self.networks.insert(network, Network { membership, log: Vec::new() });
            return entries.len();
        }
        let mut log = Vec::with_capacity(entries.len());
        let mut skipped = 0;
        for (id, signed, committed) in entries {
            let taken = signed.claims().iter().any(|d| self.claimed_elsewhere(network, *d));
            if taken || membership.apply(&signed, None).is_err() {
                skipped += 1;
                continue;
            }
            for d in signed.claims() {
                self.doc_network.insert(*d, network);
            }
            log.push((id, signed, committed));
        }
        self.networks.insert(network, Network { membership, log });
        skipped
    }

    /// Whether `doc` belongs to a network other than `network`, or is
    /// another network's own document.
    fn claimed_elsewhere(&self, network: DocumentId, doc: DocumentId) -> bool {
        self.doc_network.get(&doc).is_some_and(|n| *n != network)
            || (doc != network && self.networks.get(&doc).is_some_and(|n| n.membership.is_founded()))
    }
    pub fn handle(&mut self, event: RelayEvent) -> Vec<RelayEffect> {
        match event {
            RelayEvent::Connected(conn) => {
                if self.conns.len() >= self.config.max_connections {
                    // Not registered: every frame from it is ignored until
                    // the edge closes it.
                    let msg = format!("the relay holds {} connections, its limit; try again later", self.conns.len());
                    return vec![error(conn, ErrorCode::Busy, None, None, msg)];
                }
                self.conns.insert(conn, BTreeSet::new());
                vec![]
            }
            RelayEvent::Disconnected(conn) => {
                for addr in self.conns.remove(&conn).unwrap_or_default() {
                    self.stop_live(conn, addr);
                }
                self.catching_up.retain(|(c, _), _| *c != conn);
                self.outdated.remove(&conn);
                self.authed.remove(&conn);
                vec![]
            }
            RelayEvent::Frame(conn, bytes) => self.frame(conn, &bytes),
            RelayEvent::Appended { conn, addr, bundle, fresh, generation } => {
                let mut out = Vec::new();
                if addr.epoch == MEMBERSHIP_EPOCH {
                    if let Some(n) = self.networks.get_mut(&addr.doc) {
                        n.log.iter_mut().filter(|e| e.0 == bundle.bundle_id).for_each(|e| e.2 = true);
                    }
                    // A `Moved` (or a retirement) may have been the last
                    // one an old epoch waited for: deleted once committed.
                    out.extend(self.deletions(addr.doc));
                }
                out.push(RelayEffect::Send(
                    conn,
                    RelayFrame::Ack(Ack { addr, bundle_id: bundle.bundle_id, seq: bundle.seq, generation }).encode(),
                ));
                if fresh {
                    // Only live subscribers: one still catching up reads
                    // this bundle in a later page of its backlog.
                    self.fan_out(addr, Some(conn), bundle, &mut out);
                    out.extend(self.follow(addr));
                }
                out
            }
            RelayEvent::Loaded { conn, addr, since, head, generation, held, snapshot, bundles } => {
                self.loaded(conn, addr, since, (head, generation, held), snapshot, bundles)
            }
            RelayEvent::SnapshotStored { conn, addr, covers } => {
                vec![RelayEffect::Send(conn, RelayFrame::SnapshotStored(SnapshotStored { addr, covers }).encode())]
            }
            RelayEvent::LoadFailed { conn, addr, since, error: e } => {
                if self.catching_up.get(&(conn, addr)).is_none_or(|c| c.next != since) {
                    return vec![];
                }
                self.catching_up.remove(&(conn, addr));
                vec![error(
                    conn,
                    ErrorCode::StoreFailed,
                    Some(addr),
                    None,
                    format!("the relay could not read the log of {addr} ({e}); subscribe again later"),
                )]
            }
            RelayEvent::StoreFailed { conn, addr, bundle_id, error: e } => {
                let mut out = vec![error(
                    conn,
                    ErrorCode::StoreFailed,
                    Some(addr),
                    bundle_id,
                    format!("the relay could not store this ({e}); nothing was acknowledged, send it again later"),
                )];
                // A statement applied ahead of its commit is taken back.
                if let (MEMBERSHIP_EPOCH, Some(id), Some(n)) = (addr.epoch, bundle_id, self.networks.get_mut(&addr.doc))
                {
                    if n.log.iter().any(|e| e.0 == id && !e.2) {
                        let mut entries = std::mem::take(&mut n.log);
                        entries.retain(|e| e.0 != id || e.2);
                        self.refold(addr.doc, entries);
                        out.extend(self.recheck(addr.doc));
                        // A commit reported failed may have been made (it
                        // outlived the connection to the database): the log
                        // is read again and folded in the store's order, as
                        // every device folds it.
                        out.push(RelayEffect::Follow { addr, since: Seq(0), limit: PageLimit::ALL });
                    }
                }
                out
            }
            RelayEvent::AppendedElsewhere { addr, seq } => {
                if addr.epoch == MEMBERSHIP_EPOCH {
                    // The whole log, folded in the store's order: who may
                    // do what must not depend on which relay heard first.
                    return vec![RelayEffect::Follow { addr, since: Seq(0), limit: PageLimit::ALL }];
                }
                let Some(subs) = self.subscribers.get(&addr) else { return vec![] };
                if subs.values().all(|&sent| sent >= seq) {
                    return vec![];
                }
                let known = self.behind.entry(addr).or_default();
                *known = (*known).max(seq);
                self.follow(addr)
            }
            RelayEvent::MissedElsewhere => {
                let live: Vec<DocAddr> =
                    self.subscribers.keys().copied().filter(|a| a.epoch != MEMBERSHIP_EPOCH).collect();
                live.into_iter()
                    .flat_map(|addr| self.handle(RelayEvent::AppendedElsewhere { addr, seq: Seq(u64::MAX) }))
                    .collect()
            }
            RelayEvent::Followed { addr, since, bundles } => {
                let mut out = Vec::new();
                if addr.epoch == MEMBERSHIP_EPOCH && since == Seq(0) {
                    out.extend(self.refold_stored(addr.doc, &bundles));
                }
                let progress = bundles.last().is_some_and(|b| b.seq > since);
                let head = bundles.last().map_or(since, |b| b.seq);
                if addr.epoch == MEMBERSHIP_EPOCH {
                    let known = self.behind.entry(addr).or_default();
                    *known = (*known).max(head);
                }
                for b in bundles {
                    self.fan_out(addr, None, b, &mut out);
                }
                if progress {
                    out.extend(self.follow(addr));
                } else {
                    // Nothing more in the store yet: the next notice asks again.
                    self.behind.remove(&addr);
                }
                out
            }
            RelayEvent::FollowFailed { addr, since, error: e } => {
                let known = self.behind.remove(&addr).unwrap_or(since.next());
                let lagging: Vec<ConnId> = self
                    .subscribers
                    .get(&addr)
                    .into_iter()
                    .flatten()
                    .filter(|(_, sent)| **sent < known)
                    .map(|(c, _)| *c)
                    .collect();
                let mut out = Vec::new();
                for conn in lagging {
                    self.unsubscribe(conn, addr);
                    out.push(error(
                        conn,
                        ErrorCode::StoreFailed,
                        Some(addr),
                        None,
                        format!("the relay could not read the log of {addr} ({e}); subscribe again later"),
                    ));
                }
                out
            }
            RelayEvent::Tick => {
                let networks: Vec<DocumentId> = self.networks.keys().copied().collect();
                networks.into_iter().flat_map(|n| self.deletions(n)).collect()
            }
            RelayEvent::EpochDeleted { .. } => vec![],
            RelayEvent::DeleteFailed { addr, .. } => {
                self.deleted.remove(&addr);
                vec![]
            }
            RelayEvent::Drained(conn) => self
                .catching_up
                .iter()
                .filter(|((c, _), _)| *c == conn)
                .map(|(&(conn, addr), c)| RelayEffect::Load {
                    conn,
                    addr,
                    since: c.next,
                    snapshot: false,
                    check: false,
                    limit: self.config.page,
                })
                .collect(),
        }
    }

    /// A page of a backlog: sends it, and either asks for the next once the
    /// connection has drained, or (at the head) turns the subscription live
    /// and says `CaughtUp`.
    fn loaded(
        &mut self,
        conn: ConnId,
        addr: DocAddr,
        since: Seq,
        (head, generation, held): (Seq, Generation, Option<BundleId>),
        snapshot: Option<(StoredSnapshot, Option<BundleId>)>,
        bundles: Vec<StoredBundle>,
    ) -> Vec<RelayEffect> {
        let key = (conn, addr);
        // Gone, unsubscribed or subscribed anew since the read was asked for.
        let Some(c) = self.catching_up.get_mut(&key).filter(|c| c.next == since) else { return vec![] };
        let mut out = Vec::new();
        // A page read for an earlier subscribe from the same `since` that
        // asked for the snapshot: this one asked for the log only, and its
        // own page (read from `since`, not from the snapshot) is coming.
        if snapshot.is_some() && !c.with_snapshot {
            return vec![];
        }
        if c.snapshot.is_none() {
            // A cursor read in another generation of the log: the device
            // read bundles the log may no longer have, or others at the
            // same seqs (the log was restored, then grew again).
            // Also at `since` 0: its acknowledged pushes may be gone.
            if !c.generation.matches(generation) {
                let read = c.generation;
                self.catching_up.remove(&key);
                let msg = format!(
                    "subscribe from {} of generation {read} but the log of {addr} is of generation {generation}: this relay lost data since; push your full document again and subscribe from 0",
                    since.0
                );
                return vec![error(conn, ErrorCode::CursorAhead, Some(addr), None, msg)];
            }
            if since > head {
                self.catching_up.remove(&key);
                let msg = format!(
                    "subscribe from {} but the log of {addr} ends at {}: this relay has lost data or is another relay; push your full document again and subscribe from 0",
                    since.0, head.0
                );
                // Proof that the log went back: whoever read past its head
                // before now learns it from the new generation, even once
                // the log has grown past where they are.
                return vec![
                    RelayEffect::RenewGeneration { addr },
                    error(conn, ErrorCode::CursorAhead, Some(addr), None, msg),
                ];
            }
            // The log holds another bundle at `since` than the one the
            // device read there: it went back (a restore from a backup)
            // and grew again past the cursor. The same proof as above.
            if let Some(at) = c.at.filter(|at| held != Some(*at)) {
                self.catching_up.remove(&key);
                let msg = format!(
                    "subscribe from {} after bundle {at} but the log of {addr} holds another bundle there: this relay has lost data; push your full document again and subscribe from 0",
                    since.0
                );
                return vec![
                    RelayEffect::RenewGeneration { addr },
                    error(conn, ErrorCode::CursorAhead, Some(addr), None, msg),
                ];
            }
            c.snapshot = Some(snapshot.as_ref().map_or(Seq(0), |(s, _)| s.covers));
            if let Some((s, at)) = snapshot.filter(|(s, _)| s.covers > since) {
                c.next = s.covers;
                out.push(RelayEffect::Send(
                    conn,
                    RelayFrame::Snapshot(Snapshot { addr, covers: s.covers, key_id: s.key_id, sealed: s.sealed, at })
                        .encode(),
                ));
            }
        }
        let from = c.next;
        for b in bundles.into_iter().filter(|b| b.seq > from) {
            c.next = b.seq;
            out.push(RelayEffect::Send(
                conn,
                RelayFrame::Bundle(Bundle {
                    addr,
                    seq: b.seq,
                    bundle_id: b.bundle_id,
                    key_id: b.key_id,
                    sealed: b.sealed,
                })
                .encode(),
            ));
        }
        let CatchUp { next, snapshot, .. } = *c;
        if next >= head {
            self.catching_up.remove(&key);
            self.conns.entry(conn).or_default().insert(addr);
            self.subscribers.entry(addr).or_default().insert(conn, next);
            out.push(RelayEffect::Send(
                conn,
                RelayFrame::CaughtUp(CaughtUp { addr, head, snapshot: snapshot.unwrap_or_default(), generation })
                    .encode(),
            ));
        } else if next > since {
            out.push(RelayEffect::WhenDrained(conn));
        } else {
            // The store had nothing after `next` though the head lies
            // beyond: asking again would loop.
            self.catching_up.remove(&key);
            out.push(error(
                conn,
                ErrorCode::StoreFailed,
                Some(addr),
                None,
                format!("the relay could not read the log of {addr} past {}; subscribe again later", next.0),
            ));
        }
        out
    }

    /// Ends the live part of a subscription.
    fn stop_live(&mut self, conn: ConnId, addr: DocAddr) {
        if let Some(s) = self.subscribers.get_mut(&addr) {
            s.remove(&conn);
            if s.is_empty() {
                self.subscribers.remove(&addr);
                self.behind.remove(&addr);
            }
        }
    }

    /// Sends `bundle` to each live subscriber of `addr` whose next it is
    /// (not back to `pusher`, whose own it is). A subscriber that has it
    /// already is skipped; one that lacks the bundles before it is left to
    /// `follow`, which reads them first.
    fn fan_out(&mut self, addr: DocAddr, pusher: Option<ConnId>, bundle: StoredBundle, out: &mut Vec<RelayEffect>) {
        let Some(subs) = self.subscribers.get_mut(&addr) else { return };
        let seq = bundle.seq;
        let mut frame = None;
        let mut lagging = false;
        for (&sub, sent) in subs.iter_mut() {
            if sent.next() != seq {
                lagging |= *sent < seq;
                continue;
            }
            *sent = seq;
            if Some(sub) == pusher {
                continue;
            }
            let bytes = frame.get_or_insert_with(|| {
                RelayFrame::Bundle(Bundle {
                    addr,
                    seq,
                    bundle_id: bundle.bundle_id,
                    key_id: bundle.key_id,
                    sealed: bundle.sealed.clone(),
                })
                .encode()
            });
            out.push(RelayEffect::Send(sub, bytes.clone()));
        }
        if lagging {
            // Only another relay's append leaves a gap before this one.
            let known = self.behind.entry(addr).or_default();
            *known = (*known).max(seq);
        }
    }

    /// Asks for the bundles the live subscribers of `addr` lack, if any.
    fn follow(&mut self, addr: DocAddr) -> Vec<RelayEffect> {
        let Some(&known) = self.behind.get(&addr) else { return vec![] };
        let since = self.subscribers.get(&addr).and_then(|s| s.values().copied().min());
        match since {
            Some(since) if since < known => vec![RelayEffect::Follow { addr, since, limit: self.config.page }],
            _ => {
                self.behind.remove(&addr);
                vec![]
            }
        }
    }

    /// Folds a network's membership log as the store holds it (it changed
    /// elsewhere), keeping this relay's statements not committed yet after
    /// it; then cuts off whom it no longer admits.
    fn refold_stored(&mut self, network: DocumentId, stored: &[StoredBundle]) -> Vec<RelayEffect> {
        let mut entries: Vec<(BundleId, Signed, bool)> =
            stored.iter().filter_map(|b| Signed::decode(&b.sealed).ok().map(|s| (b.bundle_id, s, true))).collect();
        let pending = self.networks.get(&network).into_iter().flat_map(|n| &n.log).filter(|e| !e.2);
        let pending: Vec<_> = pending.filter(|e| !entries.iter().any(|s| s.0 == e.0)).cloned().collect();
        entries.extend(pending);
        self.refold(network, entries);
        let mut out = self.recheck(network);
        out.extend(self.deletions(network));
        out
    }

    /// Whether the old epoch at `addr` is done with: the rewrite into the
    /// next one was stored and every device that had to move did, or its
    /// deadline passed.
    fn epoch_gone(&self, m: &Membership, addr: DocAddr) -> bool {
        let Some(next) = addr.epoch.0.checked_add(1) else { return false };
        let into = DocAddr { doc: addr.doc, epoch: crate::ids::Epoch(next) };
        m.epoch_move(into).is_some_and(|mv| self.now_ms / 1000 > mv.deadline || m.not_moved(into).is_empty())
    }

    /// The old epochs of `network` now done with and not deleted yet in
    /// this run: each is deleted, its subscribers told, and the devices
    /// that did not move in time lose the document.
    fn deletions(&mut self, network: DocumentId) -> Vec<RelayEffect> {
        let Some(n) = self.networks.get(&network) else { return vec![] };
        let m = &n.membership;
        let due: Vec<DocAddr> = m
            .moves()
            .values()
            .zip(m.moves().keys())
            .map(|(mv, into)| DocAddr { doc: into.doc, epoch: mv.from })
            .filter(|old| !self.deleted.contains(old) && self.epoch_gone(m, *old))
            .collect();
        let mut out = Vec::new();
        for old in due {
            self.deleted.insert(old);
            out.push(RelayEffect::DeleteEpoch { addr: old });
            let subscribed: Vec<ConnId> = self
                .conns
                .iter()
                .filter(|(_, docs)| docs.contains(&old))
                .map(|(c, _)| *c)
                .chain(self.catching_up.keys().filter(|(_, a)| *a == old).map(|(c, _)| *c))
                .collect();
            for conn in subscribed {
                self.unsubscribe(conn, old);
                out.push(error(
                    conn,
                    ErrorCode::Moved,
                    Some(old),
                    None,
                    format!("{old} was deleted: the document moved to a newer epoch"),
                ));
            }
        }
        // Devices left behind lose every epoch of the document.
        let now = self.now_ms / 1000;
        let authed: Vec<(ConnId, DeviceId)> =
            self.authed.iter().filter(|(_, (n, _))| *n == network).map(|(c, (_, d))| (*c, *d)).collect();
        for (conn, device) in authed {
            let m = &self.networks[&network].membership;
            let lost: Vec<DocAddr> = self
                .conns
                .get(&conn)
                .into_iter()
                .flatten()
                .copied()
                .chain(self.catching_up.keys().filter(|(c, _)| *c == conn).map(|(_, a)| *a))
                .filter(|a| a.epoch != MEMBERSHIP_EPOCH && m.left_behind(device, a.doc, now))
                .collect();
            for addr in lost {
                self.unsubscribe(conn, addr);
                out.push(error(conn, ErrorCode::LeftBehind, Some(addr), None, left_behind(device, addr)));
            }
        }
        out
    }

    /// Why a frame for a document's epoch is refused, if it is: the device
    /// was left behind by a move, the epoch is not the current one (a
    /// push or snapshot of an old epoch; a subscribe of one deleted, or of
    /// one not begun).
    fn epoch_refusal(&self, conn: ConnId, frame: &ClientFrame) -> Option<RelayEffect> {
        let (addr, bundle_id, write) = match frame {
            ClientFrame::Subscribe(s) => (s.addr, None, false),
            ClientFrame::Push(p) => (p.addr, Some(p.bundle_id), true),
            ClientFrame::PutSnapshot(p) => (p.addr, None, true),
            _ => return None,
        };
        let &(network, device) = self.authed.get(&conn)?;
        let m = &self.networks.get(&network)?.membership;
        if addr.epoch == MEMBERSHIP_EPOCH {
            return None;
        }
        let current = m.current_epoch(addr.doc);
        let refuse = |code, msg| Some(error(conn, code, Some(addr), bundle_id, msg));
        if m.left_behind(device, addr.doc, self.now_ms / 1000) {
            return refuse(ErrorCode::LeftBehind, left_behind(device, addr));
        }
        if addr.epoch > current {
            return refuse(
                ErrorCode::Forbidden,
                format!("{addr} is not begun: the document is at epoch {}", current.0),
            );
        }
        if addr.epoch < current && (write || self.epoch_gone(m, addr)) {
            let msg = format!(
                "the document moved to epoch {}: {addr} takes no writes{}; read the membership log and move",
                current.0,
                if self.epoch_gone(m, addr) { " and was deleted" } else { "" }
            );
            return refuse(ErrorCode::Moved, msg);
        }
        None
    }

    /// Forgets every subscription of the connection.
    fn unsubscribe_all(&mut self, conn: ConnId) {
        let addrs: Vec<DocAddr> = self.conns.get(&conn).into_iter().flatten().copied().collect();
        for addr in addrs {
            self.unsubscribe(conn, addr);
        }
        self.catching_up.retain(|(c, _), _| *c != conn);
    }

    /// Forgets the subscription, live or still catching up.
    fn unsubscribe(&mut self, conn: ConnId, addr: DocAddr) {
        if let Some(docs) = self.conns.get_mut(&conn) {
            docs.remove(&addr);
        }
        self.stop_live(conn, addr);
        self.catching_up.remove(&(conn, addr));
    }

    fn welcome(&self, conn: ConnId) -> RelayEffect {
        let welcome = Welcome {
            version: PROTOCOL_VERSION,
            max_frame: u32::try_from(self.config.max_frame).unwrap_or(u32::MAX),
            challenge: self.challenge(conn),
        };
        RelayEffect::Send(conn, RelayFrame::Welcome(welcome).encode())
    }

    /// Whether the connection proved a device that may use the log at
    /// `addr` (a membership log: its network's; never its snapshots).
    fn allowed(&self, conn: ConnId, addr: DocAddr) -> bool {
        let Some(&(network, device)) = self.authed.get(&conn) else { return false };
        let Some(n) = self.networks.get(&network) else { return false };
        if addr.epoch == MEMBERSHIP_EPOCH {
            return addr.doc == network && n.membership.may_use(device, network);
        }
        n.membership.may_use(device, addr.doc)
    }

    /// The error for a frame `allowed` refused.
    fn refusal(&self, conn: ConnId, addr: DocAddr, bundle_id: Option<BundleId>) -> RelayEffect {
        let (code, msg) = match self.authed.get(&conn) {
            None => (ErrorCode::Unauthenticated, format!("answer the challenge (Auth) before using {addr}")),
            Some(_) if addr.epoch == MEMBERSHIP_EPOCH && addr.doc != self.authed[&conn].0 => {
                (ErrorCode::Forbidden, format!("{addr} is another network's membership"))
            }
            Some(_) if addr.epoch == MEMBERSHIP_EPOCH => {
                (ErrorCode::Forbidden, "a membership log has no snapshots; push statements instead".into())
            }
            Some(_) => (ErrorCode::Forbidden, format!("this device may not use {addr}; ask a coordinator")),
        };
        error(conn, code, Some(addr), bundle_id, msg)
    }

    /// The answer to the challenge: checked, then the device's standing.
    fn auth(&mut self, conn: ConnId, a: crate::wire::Auth) -> Vec<RelayEffect> {
        // Whatever the connection was allowed before ends here.
        self.unsubscribe_all(conn);
        self.authed.remove(&conn);
        if membership::verify_auth(a.device, &self.challenge(conn), a.network, &a.signature).is_err() {
            let msg = "the answer to the challenge does not verify; reconnect and answer the new challenge".into();
            return vec![error(conn, ErrorCode::Unauthenticated, None, None, msg)];
        }
        let standing = self.networks.get(&a.network).map_or(Standing::Unknown, |n| n.membership.standing(a.device));
        match standing {
            Standing::Current(role) => {
                self.authed.insert(conn, (a.network, a.device));
                let ok = Authenticated { network: a.network, role };
                vec![RelayEffect::Send(conn, RelayFrame::Authenticated(ok).encode())]
            }
            Standing::Retired => vec![error(
                conn,
                ErrorCode::Retired,
                None,
                None,
                format!("device {} was retired from this network", a.device),
            )],
            Standing::Unknown => vec![error(
                conn,
                ErrorCode::Forbidden,
                None,
                None,
                format!("device {} is not a member of network {}; enrol with an invitation", a.device, a.network),
            )],
        }
    }

    /// A membership statement: checked against the network's membership
    /// and applied at once (so an `Auth` right behind an enrolment holds),
    /// then stored; taken back if the store fails.
    fn statement(&mut self, conn: ConnId, p: crate::wire::Push) -> Vec<RelayEffect> {
        let network = p.addr.doc;
        let refuse_as = |code, msg: String| vec![error(conn, code, Some(p.addr), Some(p.bundle_id), msg)];
        let refuse = |msg: String| refuse_as(ErrorCode::Refused, msg);
        let signed = match Signed::decode(&p.sealed) {
            Ok(s) => s,
            Err(e) => return refuse(e.to_string()),
        };
        if signed.id() != p.bundle_id {
            return refuse("a statement is pushed under its own id (membership::statement_id)".into());
        }
        // A network named after another network's document would make that
        // document's log its own (`may_use` lets members use their network's id).
        if self.doc_network.get(&network).is_some_and(|n| *n != network) {
            return refuse(format!("{network} is another network's document"));
        }
        if let Some(d) = signed.claims().iter().find(|d| self.claimed_elsewhere(network, **d)) {
            return refuse(format!("document {d} already belongs to another network"));
        }
        let now = self.now_ms / 1000;
        let n = self
            .networks
            .entry(network)
            .or_insert_with(|| Network { membership: Membership::new(network), log: Vec::new() });
        match n.membership.apply(&signed, Some(now)) {
            Ok(Applied::Already) => {}
            Ok(Applied::New) => {
                for d in signed.claims() {
                    self.doc_network.insert(*d, network);
                }
                let n = self.networks.get_mut(&network).expect("inserted");
                n.log.push((p.bundle_id, signed, false));
            }
            Err(e) => {
                if !n.membership.is_founded() {
                    self.networks.remove(&network);
                }
                // Not yet: the coordinator's device has not handed over the
                // invitation (or the founding) yet; the device tries again.
                let code = match e {
                    MembershipError::UnknownInvitation | MembershipError::NotFounded => ErrorCode::Forbidden,
                    _ => ErrorCode::Refused,
                };
                return refuse_as(code, e.to_string());
            }
        }
        let mut out = vec![RelayEffect::Append {
            conn,
            addr: p.addr,
            bundle_id: p.bundle_id,
            key_id: p.key_id,
            sealed: p.sealed,
        }];
        out.extend(self.recheck(network));
        out
    }

    /// After the membership changed: a connection whose device is no longer
    /// current is told so and loses everything; one that lost a document
    /// loses its subscription to it.
    fn recheck(&mut self, network: DocumentId) -> Vec<RelayEffect> {
        let conns: Vec<(ConnId, DeviceId)> =
            self.authed.iter().filter(|(_, (n, _))| *n == network).map(|(c, (_, d))| (*c, *d)).collect();
        let mut out = Vec::new();
        for (conn, device) in conns {
            let standing = self.networks.get(&network).map_or(Standing::Unknown, |n| n.membership.standing(device));
            if !matches!(standing, Standing::Current(_)) {
                self.unsubscribe_all(conn);
                self.authed.remove(&conn);
                let (code, why) = match standing {
                    Standing::Retired => (ErrorCode::Retired, "was retired from this network"),
                    _ => (ErrorCode::Forbidden, "is no longer a member of this network"),
                };
                out.push(error(conn, code, None, None, format!("device {device} {why}")));
                continue;
            }
            let subscribed: Vec<DocAddr> = self
                .conns
                .get(&conn)
                .into_iter()
                .flatten()
                .copied()
                .chain(self.catching_up.keys().filter(|(c, _)| *c == conn).map(|(_, a)| *a))
                .collect();
            for addr in subscribed {
                if !self.allowed(conn, addr) {
                    self.unsubscribe(conn, addr);
                    out.push(self.refusal(conn, addr, None));
                }
            }
        }
        out
    }

    fn frame(&mut self, conn: ConnId, bytes: &[u8]) -> Vec<RelayEffect> {
        // A frame from a connection that is gone (or never came) must not
        // leave a subscription behind that nobody cleans up.
        if !self.conns.contains_key(&conn) {
            return vec![];
        }
        if bytes.len() > self.config.max_frame {
            let msg = format!(
                "frame of {} bytes exceeds the limit of {} bytes; split the change",
                bytes.len(),
                self.config.max_frame
            );
            return vec![error(conn, ErrorCode::TooLarge, None, None, msg)];
        }
        let frame = match ClientFrame::decode(bytes) {
            Ok(f) => f,
            Err(e @ WireError::UnknownType(_)) => {
                return vec![error(
                    conn,
                    ErrorCode::UnknownType,
                    None,
                    None,
                    format!("{e}; this relay speaks protocol {PROTOCOL_VERSION}"),
                )]
            }
            Err(e) => return vec![error(conn, ErrorCode::Malformed, None, None, e.to_string())],
        };
        match frame {
            ClientFrame::Hello(h) if h.version != PROTOCOL_VERSION => {
                self.unsubscribe_all(conn);
                self.outdated.insert(conn);
                vec![error(
                    conn,
                    ErrorCode::VersionMismatch,
                    None,
                    None,
                    format!(
                        "protocol {} is not spoken here (this relay speaks {PROTOCOL_VERSION}); update the app",
                        h.version
                    ),
                )]
            }
            ClientFrame::Hello(_) if self.outdated.remove(&conn) => vec![self.welcome(conn)],
            _ if self.outdated.contains(&conn) => vec![error(
                conn,
                ErrorCode::VersionMismatch,
                None,
                None,
                format!("this connection said it speaks another protocol; this relay speaks {PROTOCOL_VERSION}: update the app"),
            )],
            ClientFrame::Hello(_) => vec![self.welcome(conn)],
            ClientFrame::Auth(a) => self.auth(conn, a),
            ClientFrame::Push(p) if p.addr.epoch == MEMBERSHIP_EPOCH => self.statement(conn, p),
            ClientFrame::Subscribe(s) if !self.allowed(conn, s.addr) => vec![self.refusal(conn, s.addr, None)],
            ClientFrame::Push(p) if !self.allowed(conn, p.addr) => vec![self.refusal(conn, p.addr, Some(p.bundle_id))],
            ClientFrame::PutSnapshot(p) if p.addr.epoch == MEMBERSHIP_EPOCH || !self.allowed(conn, p.addr) => {
                vec![self.refusal(conn, p.addr, None)]
            }
            ClientFrame::Subscribe(_) | ClientFrame::Push(_) | ClientFrame::PutSnapshot(_)
                if self.epoch_refusal(conn, &frame).is_some() =>
            {
                self.epoch_refusal(conn, &frame).into_iter().collect()
            }
            ClientFrame::Subscribe(_) | ClientFrame::Push(_) | ClientFrame::PutSnapshot(_)
                if !self.spend(self.authed[&conn].1) =>
            {
                let (addr, bundle_id) = match &frame {
                    ClientFrame::Push(p) => (Some(p.addr), Some(p.bundle_id)),
                    ClientFrame::Subscribe(s) => (Some(s.addr), None),
                    ClientFrame::PutSnapshot(p) => (Some(p.addr), None),
                    _ => (None, None),
                };
                let RateLimit { per_second, .. } = self.config.rate;
                let msg = format!("this device sends more than {per_second} frames a second; nothing was done, send it again later");
                vec![error(conn, ErrorCode::OverQuota, addr, bundle_id, msg)]
            }
            ClientFrame::Push(p) if self.disk_full => vec![error(
                conn,
                ErrorCode::StoreFailed,
                Some(p.addr),
                Some(p.bundle_id),
                "the relay's disk is nearly full; nothing was stored, send it again later".into(),
            )],
            ClientFrame::PutSnapshot(p) if self.disk_full => vec![error(
                conn,
                ErrorCode::StoreFailed,
                Some(p.addr),
                None,
                "the relay's disk is nearly full; the snapshot was not stored".into(),
            )],
            ClientFrame::Subscribe(s) => {
                // The subscription turns live with the page of its backlog
                // that reaches the head; until then new bundles reach it
                // through the backlog, never ahead of it.
                self.unsubscribe(conn, s.addr);
                let c = CatchUp {
                    next: s.since,
                    snapshot: None,
                    with_snapshot: s.snapshot,
                    generation: s.generation,
                    at: s.at,
                };
                self.catching_up.insert((conn, s.addr), c);
                vec![RelayEffect::Load {
                    conn,
                    addr: s.addr,
                    since: s.since,
                    snapshot: s.snapshot,
                    check: s.at.is_some(),
                    limit: self.config.page,
                }]
            }
            ClientFrame::Unsubscribe(u) => {
                self.unsubscribe(conn, u.addr);
                vec![]
            }
            ClientFrame::Push(p) => vec![RelayEffect::Append {
                conn,
                addr: p.addr,
                bundle_id: p.bundle_id,
                key_id: p.key_id,
                sealed: p.sealed,
            }],
            ClientFrame::PutSnapshot(p) => vec![RelayEffect::PutSnapshot {
                conn,
                addr: p.addr,
                snapshot: StoredSnapshot { covers: p.covers, key_id: p.key_id, sealed: p.sealed },
            }],
        }
    }
}

/// What a [`Batch`] leaves for the edge to do.
#[derive(Debug, Default)]
pub struct Output {
    /// Frames for connections, in the order the relay decided them.
    pub sends: Vec<(ConnId, Vec<u8>)>,
    /// Connections to answer with `Drained` once they have sent what they
    /// were given (only in a paced batch).
    pub when_drained: BTreeSet<ConnId>,
}

/// Frames for connections, in order.
type Frames = Vec<(ConnId, Vec<u8>)>;

/// Where a frame of the output will be: decided, or waiting for the commit
/// of the append with this number.
#[derive(Debug)]
enum Slot {
    Send(ConnId, Vec<u8>),
    Appended(usize),
}

#[derive(Debug)]
struct Appending {
    conn: ConnId,
    addr: DocAddr,
    bundle_id: BundleId,
    key_id: KeyId,
    sealed: Vec<u8>,
}

/// Carries out the store effects of a run of events against `store`, as
/// the relay's actor does with what arrived together.
///
/// Appends are held and committed together (one `append_batch`) when the
/// batch finishes, or earlier when a read or a snapshot write comes after
/// them. Every frame the events cause is held until the batch finishes,
/// so none goes out before the commits it follows: an Ack and a live
/// bundle only after their append is durable, and frames keep the order of
/// the events that caused them.
pub struct Batch<'a, S: RelayStore> {
    core: &'a mut RelayCore,
    store: &'a mut S,
    pace: bool,
    out: Vec<Slot>,
    /// Appends not committed yet, in order, numbered from `committed.len()`.
    appending: Vec<Appending>,
    /// The frames each committed (or failed) append caused, by number.
    committed: Vec<Frames>,
    when_drained: BTreeSet<ConnId>,
}

impl<'a, S: RelayStore> Batch<'a, S> {
    /// A batch that reads a backlog page after page at once.
    pub fn new(core: &'a mut RelayCore, store: &'a mut S) -> Self {
        Self {
            core,
            store,
            pace: false,
            out: Vec::new(),
            appending: Vec::new(),
            committed: Vec::new(),
            when_drained: BTreeSet::new(),
        }
    }

    /// A batch that leaves a backlog's next page to a later `Drained`
    /// event, which the edge sends for the connections in
    /// [`Output::when_drained`].
    pub fn paced(core: &'a mut RelayCore, store: &'a mut S) -> Self {
        Self { pace: true, ..Self::new(core, store) }
    }

    pub fn handle(&mut self, event: RelayEvent) {
        let effects = self.core.handle(event);
        self.run(effects);
    }

    fn run(&mut self, effects: Vec<RelayEffect>) {
        let mut queue: VecDeque<RelayEffect> = effects.into();
        while let Some(effect) = queue.pop_front() {
            match effect {
                RelayEffect::Send(conn, bytes) => self.out.push(Slot::Send(conn, bytes)),
                RelayEffect::Append { conn, addr, bundle_id, key_id, sealed } => {
                    self.out.push(Slot::Appended(self.committed.len() + self.appending.len()));
                    self.appending.push(Appending { conn, addr, bundle_id, key_id, sealed });
                }
                RelayEffect::Load { conn, addr, since, snapshot, check, limit } => {
                    // The read sees every append before it, as if each had
                    // been committed alone, and none after it.
                    self.commit();
                    queue.extend(self.core.handle(load(self.store, conn, addr, since, (snapshot, check), limit)));
                }
                RelayEffect::PutSnapshot { conn, addr, snapshot } => {
                    self.commit();
                    let covers = snapshot.covers;
                    let result = match self.store.head(addr) {
                        Ok(head) if covers > head => {
                            self.out.push(Slot::Send(
                                conn,
                                RelayFrame::Error(ErrorReply {
                                    code: ErrorCode::CursorAhead,
                                    addr: Some(addr),
                                    bundle_id: None,
                                    message: format!("snapshot covers {} but the log ends at {}", covers.0, head.0),
                                })
                                .encode(),
                            ));
                            continue;
                        }
                        Ok(_) => match self.store.put_snapshot(addr, snapshot) {
                            Ok(()) => RelayEvent::SnapshotStored { conn, addr, covers },
                            Err(e) => RelayEvent::StoreFailed { conn, addr, bundle_id: None, error: e.to_string() },
                        },
                        Err(e) => RelayEvent::StoreFailed { conn, addr, bundle_id: None, error: e.to_string() },
                    };
                    queue.extend(self.core.handle(result));
                }
                RelayEffect::Follow { addr, since, limit } => {
                    self.commit();
                    queue.extend(self.core.handle(follow(self.store, addr, since, limit)));
                }
                RelayEffect::RenewGeneration { addr } => {
                    self.commit();
                    // If it fails, the device that proved the loss still
                    // pushes again; the next device past the head proves it
                    // again.
                    let _ = self.store.renew_generation(addr);
                }
                RelayEffect::DeleteEpoch { addr } => {
                    self.commit();
                    let result = match self.store.delete_epoch(addr) {
                        Ok(()) => RelayEvent::EpochDeleted { addr },
                        Err(e) => RelayEvent::DeleteFailed { addr, error: e.to_string() },
                    };
                    queue.extend(self.core.handle(result));
                }
                RelayEffect::WhenDrained(conn) => {
                    if self.pace {
                        self.when_drained.insert(conn);
                    } else {
                        queue.extend(self.core.handle(RelayEvent::Drained(conn)));
                    }
                }
            }
        }
    }

    /// Commits the appends held so far, all in one `append_batch`, and
    /// lets the core answer each: Ack and live bundles, or `StoreFailed`.
    fn commit(&mut self) {
        if self.appending.is_empty() {
            return;
        }
        let appending = std::mem::take(&mut self.appending);
        let batch: Vec<NewBundle<'_>> = appending
            .iter()
            .map(|a| NewBundle { addr: a.addr, bundle_id: a.bundle_id, key_id: a.key_id, sealed: &a.sealed })
            .collect();
        let result = match self.store.append_batch(&batch) {
            Ok(done) if done.len() == batch.len() => Ok(done),
            Ok(done) => Err(format!("the store answered {} of {} appends", done.len(), batch.len())),
            Err(e) => Err(e.to_string()),
        };
        drop(batch);
        // Each log's generation, read once per commit: every Ack names it.
        // Unreadable (the bundle is durable all the same): none, and the
        // device keeps the generation it knows.
        let mut generations: BTreeMap<DocAddr, Generation> = BTreeMap::new();
        for (i, a) in appending.into_iter().enumerate() {
            let event = match &result {
                Ok(done) => {
                    let (seq, fresh) = done[i];
                    let store = &*self.store;
                    let generation = *generations
                        .entry(a.addr)
                        .or_insert_with(|| store.appended_generation(a.addr).unwrap_or(Generation::NONE));
                    let bundle = StoredBundle { seq, bundle_id: a.bundle_id, key_id: a.key_id, sealed: a.sealed };
                    RelayEvent::Appended { conn: a.conn, addr: a.addr, bundle, fresh, generation }
                }
                Err(e) => RelayEvent::StoreFailed {
                    conn: a.conn,
                    addr: a.addr,
                    bundle_id: Some(a.bundle_id),
                    error: e.clone(),
                },
            };
            let mut frames = Vec::new();
            let mut rest = Vec::new();
            let mut effects: VecDeque<RelayEffect> = self.core.handle(event).into();
            while let Some(effect) = effects.pop_front() {
                match effect {
                    RelayEffect::Send(conn, bytes) => frames.push((conn, bytes)),
                    // The bundles before this one that were appended
                    // elsewhere: read now (everything before is committed)
                    // and sent in this append's place, before the next
                    // append's live bundles.
                    RelayEffect::Follow { addr, since, limit } => {
                        effects.extend(self.core.handle(follow(self.store, addr, since, limit)));
                    }
                    other => rest.push(other),
                }
            }
            self.committed.push(frames);
            self.run(rest);
        }
    }

    /// Commits what is still held and hands over the frames, in order.
    pub fn finish(mut self) -> Output {
        self.commit();
        let mut committed: Vec<Option<Frames>> = self.committed.into_iter().map(Some).collect();
        let mut sends = Vec::with_capacity(self.out.len());
        for slot in self.out {
            match slot {
                Slot::Send(conn, bytes) => sends.push((conn, bytes)),
                Slot::Appended(n) => sends.extend(committed[n].take().expect("each append is answered once")),
            }
        }
        Output { sends, when_drained: self.when_drained }
    }
}

fn follow<S: RelayStore>(store: &S, addr: DocAddr, since: Seq, limit: PageLimit) -> RelayEvent {
    match store.bundles_page(addr, since, limit) {
        Ok(bundles) => RelayEvent::Followed { addr, since, bundles },
        Err(e) => RelayEvent::FollowFailed { addr, since, error: e.to_string() },
    }
}

fn load<S: RelayStore>(
    store: &S,
    conn: ConnId,
    addr: DocAddr,
    since: Seq,
    (with_snapshot, check): (bool, bool),
    limit: PageLimit,
) -> RelayEvent {
    let loaded = (|| {
        let head = store.head(addr)?;
        let generation = store.generation(addr)?;
        let held = if check && since <= head { store.bundle_id_at(addr, since)? } else { None };
        let snapshot = match with_snapshot.then(|| store.snapshot(addr)).transpose()?.flatten() {
            // Only a snapshot that is sent needs the bundle at its `covers`.
            Some(s) if s.covers > since && s.covers <= head => {
                let at = store.bundle_id_at(addr, s.covers)?;
                Some((s, at))
            }
            other => other.map(|s| (s, None)),
        };
        let from = match &snapshot {
            Some((s, _)) if s.covers > since => s.covers,
            _ => since,
        };
        let bundles = if since > head { vec![] } else { store.bundles_page(addr, from, limit)? };
        Ok::<_, S::Error>((head, generation, held, snapshot, bundles))
    })();
    match loaded {
        Ok((head, generation, held, snapshot, bundles)) => {
            RelayEvent::Loaded { conn, addr, since, head, generation, held, snapshot, bundles }
        }
        Err(e) => RelayEvent::LoadFailed { conn, addr, since, error: e.to_string() },
    }
}

/// Runs `event` through the core and every store effect it causes against
/// `store`, in order, until only sends remain (a backlog is read whole, a
/// page at a time). Returns the sends.
pub fn drive<S: RelayStore>(core: &mut RelayCore, store: &mut S, event: RelayEvent) -> Vec<(ConnId, Vec<u8>)> {
    let mut batch = Batch::new(core, store);
    batch.handle(event);
    batch.finish().sends
}

/// The in-memory store: for simulation, tests and as the reference that the
/// durable stores are checked against.
#[derive(Debug, Default, Clone)]
pub struct MemoryStore {
    logs: BTreeMap<DocAddr, Vec<StoredBundle>>,
    snapshots: BTreeMap<DocAddr, StoredSnapshot>,
    generations: std::cell::RefCell<BTreeMap<DocAddr, Generation>>,
}

/// A generation no memory store handed out before, in this process (a copy
/// of a store, as a restored backup is, must not make the same ones again).
fn fresh_generation() -> Generation {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut bytes = [0x6d; 16];
    bytes[8..].copy_from_slice(&n.to_be_bytes());
    Generation(bytes)
}

/// The memory store cannot fail.
#[derive(Debug, thiserror::Error)]
#[error("unreachable")]
pub enum Never {}

impl MemoryStore {
    fn append_one(&mut self, b: &NewBundle<'_>) -> (Seq, bool) {
        let log = self.logs.entry(b.addr).or_default();
        if let Some(old) = log.iter().find(|old| old.bundle_id == b.bundle_id) {
            return (old.seq, false);
        }
        let seq = Seq(log.len() as u64 + 1);
        self.generations.borrow_mut().entry(b.addr).or_insert_with(fresh_generation);
        log.push(StoredBundle { seq, bundle_id: b.bundle_id, key_id: b.key_id, sealed: b.sealed.to_vec() });
        (seq, true)
    }
}

impl RelayStore for MemoryStore {
    type Error = Never;

    fn append_batch(&mut self, batch: &[NewBundle<'_>]) -> Result<Vec<(Seq, bool)>, Never> {
        Ok(batch.iter().map(|b| self.append_one(b)).collect())
    }

    fn head(&self, addr: DocAddr) -> Result<Seq, Never> {
        Ok(Seq(self.logs.get(&addr).map_or(0, |l| l.len() as u64)))
    }

    fn bundles_page(&self, addr: DocAddr, since: Seq, limit: PageLimit) -> Result<Vec<StoredBundle>, Never> {
        let mut page = Vec::new();
        let mut bytes = 0;
        for b in self.logs.get(&addr).into_iter().flatten().filter(|b| b.seq > since) {
            if limit.is_full(page.len(), bytes) {
                break;
            }
            bytes += b.sealed.len();
            page.push(b.clone());
        }
        Ok(page)
    }

    fn put_snapshot(&mut self, addr: DocAddr, snapshot: StoredSnapshot) -> Result<(), Never> {
        match self.snapshots.get(&addr) {
            Some(old) if old.covers >= snapshot.covers => {}
            _ => {
                self.snapshots.insert(addr, snapshot);
            }
        }
        Ok(())
    }

    fn snapshot(&self, addr: DocAddr) -> Result<Option<StoredSnapshot>, Never> {
        Ok(self.snapshots.get(&addr).cloned())
    }

    fn membership_logs(&self) -> Result<Vec<(DocumentId, Vec<Vec<u8>>)>, Never> {
        Ok(self
            .logs
            .iter()
            .filter(|(a, _)| a.epoch == MEMBERSHIP_EPOCH)
            .map(|(a, log)| (a.doc, log.iter().map(|b| b.sealed.clone()).collect()))
            .collect())
    }

    fn generation(&self, addr: DocAddr) -> Result<Generation, Never> {
        Ok(*self.generations.borrow_mut().entry(addr).or_insert_with(fresh_generation))
    }

    fn renew_generation(&mut self, addr: DocAddr) -> Result<Generation, Never> {
        let generation = fresh_generation();
        self.generations.get_mut().insert(addr, generation);
        Ok(generation)
    }

    fn renew_all_generations(&mut self) -> Result<usize, Never> {
        let all = self.generations.get_mut();
        all.values_mut().for_each(|g| *g = fresh_generation());
        Ok(all.len())
    }
    fn delete_epoch(&mut self, addr: DocAddr) -> Result<(), Never> {
        self.logs.remove(&addr);
        self.snapshots.remove(&addr);
        self.generations.get_mut().remove(&addr);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{DocumentId, Epoch};
    use crate::membership::{testing, Role};
    use crate::wire::{Push, Subscribe};

    fn addr() -> DocAddr {
        DocAddr { doc: DocumentId([1; 16]), epoch: Epoch(0) }
    }

    fn subscribe(since: u64) -> Vec<u8> {
        ClientFrame::Subscribe(Subscribe {
            addr: addr(),
            since: Seq(since),
            snapshot: true,
            generation: Generation::NONE,
            at: None,
        })
        .encode()
    }

    fn push(n: u8) -> Vec<u8> {
        ClientFrame::Push(Push { addr: addr(), bundle_id: BundleId([n; 16]), key_id: KeyId(1), sealed: vec![n] })
            .encode()
    }

    /// A store whose reads fail, as a disk error would.
    #[derive(Default)]
    struct UnreadableStore(MemoryStore);

    #[derive(Debug, thiserror::Error)]
    #[error("disk read error")]
    struct ReadError;

    impl RelayStore for UnreadableStore {
        type Error = ReadError;
        fn append_batch(&mut self, batch: &[NewBundle<'_>]) -> Result<Vec<(Seq, bool)>, ReadError> {
            Ok(self.0.append_batch(batch).unwrap_or_else(|n| match n {}))
        }
        fn head(&self, _: DocAddr) -> Result<Seq, ReadError> {
            Err(ReadError)
        }
        fn bundles_page(&self, _: DocAddr, _: Seq, _: PageLimit) -> Result<Vec<StoredBundle>, ReadError> {
            Err(ReadError)
        }
        fn put_snapshot(&mut self, _: DocAddr, _: StoredSnapshot) -> Result<(), ReadError> {
            Ok(())
        }
        fn membership_logs(&self) -> Result<Vec<(DocumentId, Vec<Vec<u8>>)>, ReadError> {
            Err(ReadError)
        }
        fn snapshot(&self, _: DocAddr) -> Result<Option<StoredSnapshot>, ReadError> {
            Err(ReadError)
        }
        fn generation(&self, _: DocAddr) -> Result<Generation, ReadError> {
            Err(ReadError)
        }
        fn renew_generation(&mut self, a: DocAddr) -> Result<Generation, ReadError> {
            Ok(self.0.renew_generation(a).unwrap_or_else(|n| match n {}))
        }
        fn renew_all_generations(&mut self) -> Result<usize, ReadError> {
            Ok(self.0.renew_all_generations().unwrap_or_else(|n| match n {}))
        }
        fn delete_epoch(&mut self, _: DocAddr) -> Result<(), ReadError> {
            Err(ReadError)
        }
    }

    #[test]
    fn a_backlog_that_cannot_be_read_drops_the_subscription_instead_of_sending_past_a_gap() {
        let mut core = connected(&[1, 2], RelayConfig::default());
        let mut store = UnreadableStore::default();
        let (reader, writer) = (ConnId(1), ConnId(2));
        let sent = drive(&mut core, &mut store, RelayEvent::Frame(reader, subscribe(0)));
        let RelayFrame::Error(e) = RelayFrame::decode(&sent[0].1).unwrap() else { panic!("{sent:?}") };
        assert_eq!((e.code, e.bundle_id), (ErrorCode::StoreFailed, None));
        let sent = drive(&mut core, &mut store, RelayEvent::Frame(writer, push(1)));
        assert!(sent.iter().all(|(c, _)| *c == writer), "no live bundle to a device that has no backlog: {sent:?}");
    }

    #[test]
    fn a_subscribe_for_the_log_only_gets_every_bundle_after_since_and_no_snapshot() {
        let (a, reader) = (ConnId(1), ConnId(2));
        let mut core = connected(&[1, 2], RelayConfig::default());
        let mut store = Recording::default();
        for n in 1..=4 {
            drive(&mut core, &mut store, RelayEvent::Frame(a, push(n)));
        }
        let put = ClientFrame::PutSnapshot(crate::wire::PutSnapshot {
            addr: addr(),
            covers: Seq(3),
            key_id: KeyId(1),
            sealed: vec![9],
        });
        drive(&mut core, &mut store, RelayEvent::Frame(a, put.encode()));
        let sent = drive(&mut core, &mut store, RelayEvent::Frame(reader, subscribe(1)));
        assert_eq!(heard(&sent, reader), ["snapshot 3", "bundle 4 [4]", "caught-up 4"]);
        let log_only = ClientFrame::Subscribe(Subscribe {
            addr: addr(),
            since: Seq(1),
            snapshot: false,
            generation: Generation::NONE,
            at: None,
        })
        .encode();
        let sent = drive(&mut core, &mut store, RelayEvent::Frame(reader, log_only.clone()));
        assert_eq!(heard(&sent, reader), ["bundle 2 [2]", "bundle 3 [3]", "bundle 4 [4]", "caught-up 4"]);
        // A page read for the earlier subscribe, with the snapshot, that
        // turns up after the log-only one: dropped, never sent.
        let mut batch = Batch::paced(&mut core, &mut store);
        batch.handle(RelayEvent::Frame(reader, log_only));
        let stale = RelayEvent::Loaded {
            conn: reader,
            addr: addr(),
            since: Seq(1),
            head: Seq(4),
            generation: Generation::NONE,
            held: None,
            snapshot: Some((StoredSnapshot { covers: Seq(3), key_id: KeyId(1), sealed: vec![9] }, None)),
            bundles: vec![],
        };
        batch.handle(stale);
        assert_eq!(
            heard(&batch.finish().sends, reader),
            ["bundle 2 [2]", "bundle 3 [3]", "bundle 4 [4]", "caught-up 4"]
        );
    }

    #[test]
    fn after_a_hello_of_another_version_the_relay_acts_on_nothing_from_that_connection() {
        let (old, reader) = (ConnId(1), ConnId(2));
        let mut core = connected(&[1, 2], RelayConfig::default());
        let mut store = Recording::default();
        drive(&mut core, &mut store, RelayEvent::Frame(reader, subscribe(0)));
        let hello = |version| ClientFrame::Hello(crate::wire::Hello { version }).encode();
        let sent = drive(&mut core, &mut store, RelayEvent::Frame(old, hello(1)));
        assert_eq!(heard(&sent, old), ["error VersionMismatch None"]);
        let sent = drive(&mut core, &mut store, RelayEvent::Frame(old, push(1)));
        assert_eq!(heard(&sent, old), ["error VersionMismatch None"]);
        assert!(heard(&sent, reader).is_empty());
        assert_eq!(store.head(addr()).unwrap(), Seq(0), "nothing stored");
        let sent = drive(&mut core, &mut store, RelayEvent::Frame(old, hello(PROTOCOL_VERSION)));
        assert!(matches!(RelayFrame::decode(&sent[0].1), Ok(RelayFrame::Welcome(_))));
        let sent = drive(&mut core, &mut store, RelayEvent::Frame(old, push(1)));
        assert_eq!(heard(&sent, old), ["ack 1 [1]"]);
    }

    #[test]
    fn a_frame_from_a_connection_that_is_gone_leaves_nothing_behind() {
        let mut core = connected(&[1], RelayConfig::default());
        let mut store = MemoryStore::default();
        core.handle(RelayEvent::Disconnected(ConnId(1)));
        let sent = drive(&mut core, &mut store, RelayEvent::Frame(ConnId(1), subscribe(0)));
        assert!(sent.is_empty());
        assert_eq!(core.connection_count(), 0);
        core.handle(RelayEvent::Connected(ConnId(2)));
        auth(&mut core, 2, 2);
        let sent = drive(&mut core, &mut store, RelayEvent::Frame(ConnId(2), push(1)));
        assert!(sent.iter().all(|(c, _)| *c == ConnId(2)), "nothing fanned out to the departed: {sent:?}");
    }

    #[test]
    fn unsubscribing_the_last_device_forgets_the_document() {
        let mut core = connected(&[1], RelayConfig::default());
        let mut store = MemoryStore::default();
        drive(&mut core, &mut store, RelayEvent::Frame(ConnId(1), subscribe(0)));
        assert_eq!(core.subscribers.len(), 1);
        let unsub = ClientFrame::Unsubscribe(crate::wire::Unsubscribe { addr: addr() }).encode();
        drive(&mut core, &mut store, RelayEvent::Frame(ConnId(1), unsub));
        assert!(core.subscribers.is_empty());
    }

    /// The memory store, recording what it was asked, and failing every
    /// commit while `fail` is set (storing none of the batch, unless
    /// `made_anyway`: the commit outlived the connection to the database).
    #[derive(Default)]
    struct Recording {
        inner: MemoryStore,
        fail: bool,
        made_anyway: bool,
        batches: Vec<usize>,
        pages: std::cell::RefCell<Vec<usize>>,
    }

    #[derive(Debug, thiserror::Error)]
    #[error("the disk is full")]
    struct DiskFull;

    impl RelayStore for Recording {
        type Error = DiskFull;
        fn append_batch(&mut self, batch: &[NewBundle<'_>]) -> Result<Vec<(Seq, bool)>, DiskFull> {
            self.batches.push(batch.len());
            if self.fail {
                if self.made_anyway {
                    self.inner.append_batch(batch).unwrap_or_else(|n| match n {});
                }
                return Err(DiskFull);
            }
            Ok(self.inner.append_batch(batch).unwrap_or_else(|n| match n {}))
        }
        fn head(&self, a: DocAddr) -> Result<Seq, DiskFull> {
            Ok(self.inner.head(a).unwrap_or_else(|n| match n {}))
        }
        fn bundles_page(&self, a: DocAddr, since: Seq, limit: PageLimit) -> Result<Vec<StoredBundle>, DiskFull> {
            let page = self.inner.bundles_page(a, since, limit).unwrap_or_else(|n| match n {});
            self.pages.borrow_mut().push(page.len());
            Ok(page)
        }
        fn put_snapshot(&mut self, a: DocAddr, s: StoredSnapshot) -> Result<(), DiskFull> {
            self.inner.put_snapshot(a, s).unwrap_or_else(|n| match n {});
            Ok(())
        }
        fn snapshot(&self, a: DocAddr) -> Result<Option<StoredSnapshot>, DiskFull> {
            Ok(self.inner.snapshot(a).unwrap_or_else(|n| match n {}))
        }
        fn membership_logs(&self) -> Result<Vec<(DocumentId, Vec<Vec<u8>>)>, DiskFull> {
            Ok(self.inner.membership_logs().unwrap_or_else(|n| match n {}))
        }
        fn generation(&self, a: DocAddr) -> Result<Generation, DiskFull> {
            Ok(self.inner.generation(a).unwrap_or_else(|n| match n {}))
        }
        fn renew_generation(&mut self, a: DocAddr) -> Result<Generation, DiskFull> {
            Ok(self.inner.renew_generation(a).unwrap_or_else(|n| match n {}))
        }
        fn renew_all_generations(&mut self) -> Result<usize, DiskFull> {
            Ok(self.inner.renew_all_generations().unwrap_or_else(|n| match n {}))
        }
        fn delete_epoch(&mut self, a: DocAddr) -> Result<(), DiskFull> {
            self.inner.delete_epoch(a).unwrap_or_else(|n| match n {});
            Ok(())
        }
    }

    /// What each connection received, in order, in short: `ack 3`,
    /// `bundle 3 [n]`, `caught-up 3`, `snapshot 2`, `error StoreFailed [n]`.
    fn heard(sends: &[(ConnId, Vec<u8>)], conn: ConnId) -> Vec<String> {
        sends
            .iter()
            .filter(|(c, _)| *c == conn)
            .map(|(_, bytes)| match RelayFrame::decode(bytes).unwrap() {
                RelayFrame::Ack(a) => format!("ack {} [{}]", a.seq.0, a.bundle_id.0[0]),
                RelayFrame::Bundle(b) => format!("bundle {} {:?}", b.seq.0, b.sealed),
                RelayFrame::CaughtUp(c) => format!("caught-up {}", c.head.0),
                RelayFrame::Snapshot(s) => format!("snapshot {}", s.covers.0),
                RelayFrame::Error(e) => format!("error {:?} {:?}", e.code, e.bundle_id.map(|b| b.0[0])),
                RelayFrame::Authenticated(_) => "Authenticated".into(),
                other => format!("{other:?}"),
            })
            .collect()
    }

    const NET: DocumentId = DocumentId([9; 16]);

    /// A relay that knows a network holding `addr()`'s document, founded by
    /// key 0, with mentors' keys 1 to 8 admitted to it; each of `conns`
    /// connected and proved as the key of its number.
    /// `NET` founded by key 0, keys 1 to 8 mentors of `addr()`.
    fn founding_log() -> Vec<Signed> {
        let founder = testing::key(0);
        let mut log = vec![testing::found(&founder, NET, &[addr().doc])];
        for n in 1..=8 {
            log.push(testing::admit(&founder, NET, testing::key(n).id(), Role::Mentor, &[addr().doc]));
        }
        log
    }

    fn connected(conns: &[u64], config: RelayConfig) -> RelayCore {
        let mut core = RelayCore::new(config);
        assert_eq!(core.restore(vec![(NET, founding_log().iter().map(Signed::encode).collect())]), 0);
        for &c in conns {
            core.handle(RelayEvent::Connected(ConnId(c)));
            assert_eq!(auth(&mut core, c, c), ["Authenticated"]);
        }
        core
    }

    /// `conn` answers its challenge as key `key`; what it hears, in short.
    fn auth(core: &mut RelayCore, conn: u64, key: u64) -> Vec<String> {
        let k = testing::key(key);
        let answer =
            crate::wire::Auth { network: NET, device: k.id(), signature: k.answer(&core.challenge(ConnId(conn)), NET) };
        let sends: Vec<_> = core
            .handle(RelayEvent::Frame(ConnId(conn), ClientFrame::Auth(answer).encode()))
            .into_iter()
            .filter_map(|e| match e {
                RelayEffect::Send(c, bytes) => Some((c, bytes)),
                _ => None,
            })
            .collect();
        heard(&sends, ConnId(conn))
    }

    #[test]
    fn pushes_that_arrive_together_are_committed_once_and_answered_after_it_in_order() {
        let (a, b, reader) = (ConnId(1), ConnId(2), ConnId(3));
        let mut core = connected(&[1, 2, 3], RelayConfig::default());
        let mut store = Recording::default();
        drive(&mut core, &mut store, RelayEvent::Frame(reader, subscribe(0)));
        let mut batch = Batch::paced(&mut core, &mut store);
        batch.handle(RelayEvent::Frame(a, push(1)));
        batch.handle(RelayEvent::Frame(b, push(2)));
        batch.handle(RelayEvent::Frame(a, push(3)));
        // A frame that needs no store: it keeps its place behind the Ack.
        batch.handle(RelayEvent::Frame(a, vec![0x7e]));
        let out = batch.finish();
        assert_eq!(store.batches, [3], "one commit for the three pushes");
        assert_eq!(heard(&out.sends, a), ["ack 1 [1]", "ack 3 [3]", "error UnknownType None"]);
        assert_eq!(heard(&out.sends, b), ["ack 2 [2]"]);
        assert_eq!(heard(&out.sends, reader), ["bundle 1 [1]", "bundle 2 [2]", "bundle 3 [3]"]);
    }

    #[test]
    fn a_failed_commit_acknowledges_nothing_sends_nothing_on_and_stores_nothing() {
        let (a, b, reader) = (ConnId(1), ConnId(2), ConnId(3));
        let mut core = connected(&[1, 2, 3], RelayConfig::default());
        let mut store = Recording::default();
        drive(&mut core, &mut store, RelayEvent::Frame(reader, subscribe(0)));
        store.fail = true;
        let mut batch = Batch::paced(&mut core, &mut store);
        batch.handle(RelayEvent::Frame(a, push(1)));
        batch.handle(RelayEvent::Frame(b, push(2)));
        let out = batch.finish();
        assert_eq!(heard(&out.sends, a), ["error StoreFailed Some(1)"]);
        assert_eq!(heard(&out.sends, b), ["error StoreFailed Some(2)"]);
        assert_eq!(heard(&out.sends, reader), Vec::<String>::new(), "no live bundle of a failed commit");
        assert_eq!(store.head(addr()).unwrap(), Seq(0));
        // Sent again, they get the first seqs: the failure used none up.
        store.fail = false;
        let sent = drive(&mut core, &mut store, RelayEvent::Frame(b, push(2)));
        assert_eq!(heard(&sent, b), ["ack 1 [2]"]);
        assert_eq!(heard(&sent, reader), ["bundle 1 [2]"]);
    }

    #[test]
    fn a_subscribe_between_pushes_reads_the_first_in_its_backlog_and_gets_the_second_live() {
        let (a, reader) = (ConnId(1), ConnId(2));
        let mut core = connected(&[1, 2], RelayConfig::default());
        let mut store = Recording::default();
        let mut batch = Batch::paced(&mut core, &mut store);
        batch.handle(RelayEvent::Frame(a, push(1)));
        batch.handle(RelayEvent::Frame(reader, subscribe(0)));
        batch.handle(RelayEvent::Frame(a, push(2)));
        let out = batch.finish();
        assert_eq!(store.batches, [1, 1], "the read committed the push before it");
        assert_eq!(heard(&out.sends, reader), ["bundle 1 [1]", "caught-up 1", "bundle 2 [2]"]);
        assert_eq!(heard(&out.sends, a), ["ack 1 [1]", "ack 2 [2]"]);
    }

    #[test]
    fn a_backlog_goes_out_in_pages_and_the_subscription_turns_live_only_at_the_head() {
        let (a, reader) = (ConnId(1), ConnId(2));
        let page = PageLimit { bundles: 3, bytes: usize::MAX };
        let mut core = connected(&[1, 2], RelayConfig { page, ..RelayConfig::default() });
        let mut store = Recording::default();
        for n in 1..=10 {
            drive(&mut core, &mut store, RelayEvent::Frame(a, push(n)));
        }
        let run = |core: &mut RelayCore, store: &mut Recording, events: Vec<RelayEvent>| {
            let mut batch = Batch::paced(core, store);
            events.into_iter().for_each(|e| batch.handle(e));
            batch.finish()
        };
        let out = run(&mut core, &mut store, vec![RelayEvent::Frame(reader, subscribe(0))]);
        assert_eq!(heard(&out.sends, reader), ["bundle 1 [1]", "bundle 2 [2]", "bundle 3 [3]"]);
        assert_eq!(out.when_drained, BTreeSet::from([reader]));
        // A push while the reader is still behind: not sent to it live.
        let out = run(&mut core, &mut store, vec![RelayEvent::Frame(a, push(11))]);
        assert_eq!(heard(&out.sends, reader), Vec::<String>::new());
        let mut got = Vec::new();
        loop {
            let out = run(&mut core, &mut store, vec![RelayEvent::Drained(reader)]);
            got.extend(heard(&out.sends, reader));
            if out.when_drained.is_empty() {
                break;
            }
        }
        let want: Vec<String> =
            (4..=11).map(|n| format!("bundle {n} [{n}]")).chain(["caught-up 11".to_string()]).collect();
        assert_eq!(got, want);
        assert!(store.pages.borrow().iter().all(|&n| n <= 3), "pages: {:?}", store.pages.borrow());
        let out = run(&mut core, &mut store, vec![RelayEvent::Frame(a, push(12))]);
        assert_eq!(heard(&out.sends, reader), ["bundle 12 [12]"], "live from the head on");
        // Nothing is left to page through.
        assert!(core.handle(RelayEvent::Drained(reader)).is_empty());
    }

    #[test]
    fn a_page_that_answers_an_old_subscribe_is_ignored() {
        let reader = ConnId(2);
        let page = PageLimit { bundles: 2, bytes: usize::MAX };
        let mut core = connected(&[1, 2], RelayConfig { page, ..RelayConfig::default() });
        let mut store = Recording::default();
        for n in 1..=6 {
            drive(&mut core, &mut store, RelayEvent::Frame(ConnId(1), push(n)));
        }
        let mut batch = Batch::paced(&mut core, &mut store);
        batch.handle(RelayEvent::Frame(reader, subscribe(0)));
        assert_eq!(heard(&batch.finish().sends, reader), ["bundle 1 [1]", "bundle 2 [2]"]);
        // Subscribed anew from 4: a page of the old backlog no longer counts.
        let old_page = store.inner.bundles_page(addr(), Seq(2), page).unwrap();
        let mut batch = Batch::paced(&mut core, &mut store);
        batch.handle(RelayEvent::Frame(reader, subscribe(4)));
        let stale = RelayEvent::Loaded {
            conn: reader,
            addr: addr(),
            since: Seq(2),
            head: Seq(6),
            generation: Generation::NONE,
            held: None,
            snapshot: None,
            bundles: old_page,
        };
        batch.handle(stale);
        batch.handle(RelayEvent::Drained(reader));
        assert_eq!(
            heard(&batch.finish().sends, reader),
            ["bundle 5 [5]", "bundle 6 [6]", "caught-up 6"],
            "only the new backlog, once"
        );
        // Unsubscribed while catching up: nothing more comes.
        let mut batch = Batch::paced(&mut core, &mut store);
        batch.handle(RelayEvent::Frame(reader, subscribe(0)));
        let unsub = ClientFrame::Unsubscribe(crate::wire::Unsubscribe { addr: addr() }).encode();
        batch.handle(RelayEvent::Frame(reader, unsub));
        batch.handle(RelayEvent::Drained(reader));
        assert_eq!(heard(&batch.finish().sends, reader), ["bundle 1 [1]", "bundle 2 [2]"]);
    }

    // Access: every attempt below is refused with its code while the
    // store stays as it was.

    fn put_snapshot(covers: u64) -> Vec<u8> {
        let snap = crate::wire::PutSnapshot { addr: addr(), covers: Seq(covers), key_id: KeyId(1), sealed: vec![1] };
        ClientFrame::PutSnapshot(snap).encode()
    }

    fn frame(core: &mut RelayCore, store: &mut Recording, conn: u64, bytes: Vec<u8>) -> Vec<String> {
        heard(&drive(core, store, RelayEvent::Frame(ConnId(conn), bytes)), ConnId(conn))
    }

    fn statement(signed: &Signed, network: DocumentId) -> Vec<u8> {
        let push = Push {
            addr: membership::membership_addr(network),
            bundle_id: signed.id(),
            key_id: KeyId(0),
            sealed: signed.encode(),
        };
        ClientFrame::Push(push).encode()
    }

    #[test]
    fn a_connection_that_has_not_answered_the_challenge_may_not_read_write_or_snapshot_anything() {
        let mut core = connected(&[], RelayConfig::default());
        let mut store = Recording::default();
        core.handle(RelayEvent::Connected(ConnId(1)));
        let snap = put_snapshot(0);
        assert_eq!(frame(&mut core, &mut store, 1, subscribe(0)), ["error Unauthenticated None"]);
        assert_eq!(frame(&mut core, &mut store, 1, push(1)), ["error Unauthenticated Some(1)"]);
        assert_eq!(frame(&mut core, &mut store, 1, snap), ["error Unauthenticated None"]);
        assert!(store.batches.is_empty() && store.inner.snapshot(addr()).unwrap().is_none(), "nothing stored");
    }

    #[test]
    fn an_answer_for_another_connection_a_forged_one_and_a_stranger_are_refused() {
        let mut core = connected(&[1], RelayConfig::default());
        core.handle(RelayEvent::Connected(ConnId(2)));
        // Conn 1's answer, replayed on conn 2 (whose challenge differs).
        let k = testing::key(1);
        let replayed =
            crate::wire::Auth { network: NET, device: k.id(), signature: k.answer(&core.challenge(ConnId(1)), NET) };
        let sent = core.handle(RelayEvent::Frame(ConnId(2), ClientFrame::Auth(replayed).encode()));
        let RelayEffect::Send(_, bytes) = &sent[0] else { panic!("{sent:?}") };
        assert!(matches!(RelayFrame::decode(bytes), Ok(RelayFrame::Error(e)) if e.code == ErrorCode::Unauthenticated));
        // Key 2's answer claimed as key 1's.
        let forged = crate::wire::Auth {
            network: NET,
            device: testing::key(1).id(),
            signature: testing::key(2).answer(&core.challenge(ConnId(2)), NET),
        };
        let sent = core.handle(RelayEvent::Frame(ConnId(2), ClientFrame::Auth(forged).encode()));
        let RelayEffect::Send(_, bytes) = &sent[0] else { panic!("{sent:?}") };
        assert!(matches!(RelayFrame::decode(bytes), Ok(RelayFrame::Error(e)) if e.code == ErrorCode::Unauthenticated));
        // A key the network never admitted, answering correctly.
        assert_eq!(auth(&mut core, 2, 50), ["error Forbidden None"]);
        let mut store = Recording::default();
        assert_eq!(frame(&mut core, &mut store, 2, subscribe(0)), ["error Unauthenticated None"]);
    }

    #[test]
    fn a_mentor_may_not_use_a_document_not_named_for_them_nor_another_networks_membership() {
        let mut core = connected(&[1], RelayConfig::default());
        let mut store = Recording::default();
        let other = DocAddr { doc: DocumentId([5; 16]), epoch: Epoch(0) };
        let sub = ClientFrame::Subscribe(Subscribe {
            addr: other,
            since: Seq(0),
            snapshot: true,
            generation: Generation::NONE,
            at: None,
        })
        .encode();
        assert_eq!(frame(&mut core, &mut store, 1, sub), ["error Forbidden None"]);
        let elsewhere = membership::membership_addr(DocumentId([5; 16]));
        let sub = ClientFrame::Subscribe(Subscribe {
            addr: elsewhere,
            since: Seq(0),
            snapshot: true,
            generation: Generation::NONE,
            at: None,
        })
        .encode();
        assert_eq!(frame(&mut core, &mut store, 1, sub), ["error Forbidden None"]);
        let own = membership::membership_addr(NET);
        let sub = ClientFrame::Subscribe(Subscribe {
            addr: own,
            since: Seq(0),
            snapshot: true,
            generation: Generation::NONE,
            at: None,
        })
        .encode();
        assert_eq!(frame(&mut core, &mut store, 1, sub), ["caught-up 0"], "its own network's membership");
    }

    #[test]
    fn a_network_is_founded_and_an_invited_device_enrols_and_syncs_on_the_same_connection() {
        let mut core = RelayCore::new(RelayConfig::default());
        core.set_now(1_000_000);
        let mut store = Recording::default();
        let net = DocumentId([7; 16]);
        let (founder, invite, device) = (testing::key(0), testing::key(10), testing::key(11));
        core.handle(RelayEvent::Connected(ConnId(1)));
        let found = testing::found(&founder, net, &[addr().doc]);
        assert_eq!(
            frame(&mut core, &mut store, 1, statement(&found, net)),
            ["ack 1 [".to_owned() + &found.id().0[0].to_string() + "]"]
        );
        let inv = founder.sign(
            net,
            membership::Statement::Invite {
                invite: invite.id(),
                role: Role::Mentor,
                docs: vec![addr().doc],
                expires: 2_000,
            },
        );
        frame(&mut core, &mut store, 1, statement(&inv, net));
        // The new device, in one batch: its enrolment, its answer, a subscribe.
        core.handle(RelayEvent::Connected(ConnId(2)));
        let enrol = testing::enrol(&invite, net, &device);
        let answer = crate::wire::Auth {
            network: net,
            device: device.id(),
            signature: device.answer(&core.challenge(ConnId(2)), net),
        };
        let mut batch = Batch::paced(&mut core, &mut store);
        batch.handle(RelayEvent::Frame(ConnId(2), statement(&enrol, net)));
        batch.handle(RelayEvent::Frame(ConnId(2), ClientFrame::Auth(answer).encode()));
        batch.handle(RelayEvent::Frame(ConnId(2), subscribe(0)));
        let sends = batch.finish().sends;
        assert_eq!(heard(&sends, ConnId(2))[1..], ["Authenticated".to_owned(), "caught-up 0".into()]);
        // The invitation is used: a second device cannot take it.
        core.handle(RelayEvent::Connected(ConnId(3)));
        let again = testing::enrol(&invite, net, &testing::key(12));
        let id = again.id().0[0];
        assert_eq!(frame(&mut core, &mut store, 3, statement(&again, net)), [format!("error Refused Some({id})")]);
        // After a restart, the relay folds the same membership from its store.
        let mut restarted = RelayCore::new(RelayConfig::default());
        assert_eq!(restarted.restore(store.membership_logs().unwrap()), 0);
        assert_eq!(restarted.membership(net), core.membership(net));
        assert!(restarted.membership(net).unwrap().may_use(device.id(), addr().doc));
    }

    #[test]
    fn an_expired_invitation_and_a_document_of_another_network_are_refused() {
        let mut core = connected(&[], RelayConfig::default());
        core.set_now(5_000_000);
        let mut store = Recording::default();
        let founder = testing::key(0);
        core.handle(RelayEvent::Connected(ConnId(1)));
        let invite = testing::key(10);
        let inv = founder.sign(
            NET,
            membership::Statement::Invite { invite: invite.id(), role: Role::Mentor, docs: vec![], expires: 4_999 },
        );
        frame(&mut core, &mut store, 1, statement(&inv, NET));
        let enrol = testing::enrol(&invite, NET, &testing::key(11));
        let id = enrol.id().0[0];
        assert_eq!(frame(&mut core, &mut store, 1, statement(&enrol, NET)), [format!("error Refused Some({id})")]);
        // A stranger founds a network of their own claiming NET's document.
        let squat = testing::found(&testing::key(40), DocumentId([8; 16]), &[addr().doc]);
        let id = squat.id().0[0];
        let sent = frame(&mut core, &mut store, 1, statement(&squat, DocumentId([8; 16])));
        assert_eq!(sent, [format!("error Refused Some({id})")]);
        assert!(core.membership(DocumentId([8; 16])).is_none());
        // A stranger founds a network named after NET's document: as a
        // network's own id that document would be theirs.
        let named = testing::found(&testing::key(41), addr().doc, &[]);
        let id = named.id().0[0];
        assert_eq!(
            frame(&mut core, &mut store, 1, statement(&named, addr().doc)),
            [format!("error Refused Some({id})")]
        );
        assert!(core.membership(addr().doc).is_none_or(|m| !m.is_founded()));
        core.handle(RelayEvent::Connected(ConnId(2)));
        let k = testing::key(41);
        let answer = crate::wire::Auth {
            network: addr().doc,
            device: k.id(),
            signature: k.answer(&core.challenge(ConnId(2)), addr().doc),
        };
        core.handle(RelayEvent::Frame(ConnId(2), ClientFrame::Auth(answer).encode()));
        assert_eq!(frame(&mut core, &mut store, 2, subscribe(0)), ["error Unauthenticated None"]);
    }

    #[test]
    fn a_retired_device_is_cut_off_at_once_and_refused_after() {
        let mut core = connected(&[1, 2], RelayConfig::default());
        let mut store = Recording::default();
        frame(&mut core, &mut store, 2, subscribe(0));
        let retire = testing::key(0).sign(NET, membership::Statement::Retire { device: testing::key(2).id() });
        // The founder is not connected: any connection may hand over a
        // statement, its signature is what counts.
        let sent = drive(&mut core, &mut store, RelayEvent::Frame(ConnId(1), statement(&retire, NET)));
        assert_eq!(heard(&sent, ConnId(2)), ["error Retired None"]);
        assert_eq!(frame(&mut core, &mut store, 2, push(1)), ["error Unauthenticated Some(1)"]);
        assert_eq!(auth(&mut core, 2, 2), ["error Retired None"]);
        let sent = drive(&mut core, &mut store, RelayEvent::Frame(ConnId(1), push(3)));
        assert!(heard(&sent, ConnId(2)).is_empty(), "nothing new reaches it");
    }

    fn holding_the_founding() -> Recording {
        let mut store = Recording::default();
        for s in founding_log() {
            let bytes = s.encode();
            let addr = membership::membership_addr(NET);
            let b = NewBundle { addr, bundle_id: s.id(), key_id: KeyId(0), sealed: &bytes };
            store.inner.append_batch(&[b]).unwrap_or_else(|n| match n {});
        }
        store
    }

    /// A commit reported failed that was made after all: the relay reads
    /// the membership log again and counts the statement, as every device
    /// that folds the log does (else a coordinator's next statement is
    /// judged against another membership than the devices').
    #[test]
    fn a_statement_whose_commit_was_reported_failed_but_made_counts_as_the_store_holds_it() {
        let mut core = connected(&[1], RelayConfig::default());
        let mut store = holding_the_founding();
        let invite = testing::key(10);
        let docs = vec![addr().doc];
        let stmt = membership::Statement::Invite { invite: invite.id(), role: Role::Mentor, docs, expires: u64::MAX };
        frame(&mut core, &mut store, 1, statement(&testing::key(0).sign(NET, stmt), NET));
        (store.fail, store.made_anyway) = (true, true);
        core.handle(RelayEvent::Connected(ConnId(20)));
        let enrol = testing::enrol(&invite, NET, &testing::key(20));
        let sent = drive(&mut core, &mut store, RelayEvent::Frame(ConnId(20), statement(&enrol, NET)));
        assert_eq!(heard(&sent, ConnId(20))[0], format!("error StoreFailed Some({})", enrol.id().0[0]));
        assert_eq!(core.membership(NET).unwrap().standing(testing::key(20).id()), Standing::Current(Role::Mentor));
        store.fail = false;
        assert_eq!(auth(&mut core, 20, 20), ["Authenticated"]);
    }

    #[test]
    fn an_enrolment_whose_commit_fails_is_taken_back() {
        let mut core = connected(&[1], RelayConfig::default());
        // The store holds the log the relay folded: after a failed commit
        // it reads it again.
        let mut store = holding_the_founding();
        let founder = testing::key(0);
        let invite = testing::key(10);
        let inv = founder.sign(
            NET,
            membership::Statement::Invite {
                invite: invite.id(),
                role: Role::Mentor,
                docs: vec![addr().doc],
                expires: u64::MAX,
            },
        );
        frame(&mut core, &mut store, 1, statement(&inv, NET));
        store.fail = true;
        core.handle(RelayEvent::Connected(ConnId(20)));
        let enrol = testing::enrol(&invite, NET, &testing::key(20));
        let mut batch = Batch::paced(&mut core, &mut store);
        batch.handle(RelayEvent::Frame(ConnId(20), statement(&enrol, NET)));
        batch.handle(RelayEvent::Frame(ConnId(20), subscribe(0)));
        let sends = batch.finish().sends;
        assert_eq!(heard(&sends, ConnId(20))[0], format!("error StoreFailed Some({})", enrol.id().0[0]));
        assert_eq!(core.membership(NET).unwrap().standing(testing::key(20).id()), Standing::Unknown);
        store.fail = false;
        assert_eq!(auth(&mut core, 20, 20), ["error Forbidden None"]);
        // Handed over again, it holds.
        frame(&mut core, &mut store, 20, statement(&enrol, NET));
        assert_eq!(auth(&mut core, 20, 20), ["Authenticated"]);
    }

    #[test]
    fn a_connection_past_the_cap_is_told_busy_and_acted_on_for_nothing() {
        let mut core = connected(&[1, 2], RelayConfig { max_connections: 2, ..RelayConfig::default() });
        let mut store = Recording::default();
        let sent = core.handle(RelayEvent::Connected(ConnId(3)));
        let RelayEffect::Send(ConnId(3), bytes) = &sent[0] else { panic!("{sent:?}") };
        assert!(matches!(RelayFrame::decode(bytes), Ok(RelayFrame::Error(e)) if e.code == ErrorCode::Busy));
        assert!(frame(
            &mut core,
            &mut store,
            3,
            ClientFrame::Hello(crate::wire::Hello { version: PROTOCOL_VERSION }).encode()
        )
        .is_empty());
        assert_eq!(core.connection_count(), 2);
    }

    #[test]
    fn a_device_over_its_frame_budget_is_refused_until_it_refills_over_all_its_connections() {
        let rate = RateLimit { per_second: 2, burst: 3 };
        // Connections 1 and 2 are the same device (key 1): the budget is
        // the device's, not the connection's.
        let mut core = connected(&[1], RelayConfig { rate, ..RelayConfig::default() });
        core.handle(RelayEvent::Connected(ConnId(2)));
        auth(&mut core, 2, 1);
        core.set_now(10_000);
        let mut store = Recording::default();
        assert_eq!(frame(&mut core, &mut store, 1, push(1)), ["ack 1 [1]"]);
        assert_eq!(frame(&mut core, &mut store, 2, push(2)), ["ack 2 [2]"]);
        assert_eq!(frame(&mut core, &mut store, 1, push(3)), ["ack 3 [3]"]);
        // Tried: a fourth frame in the same instant, from either connection.
        assert_eq!(frame(&mut core, &mut store, 2, push(4)), ["error OverQuota Some(4)"]);
        assert_eq!(frame(&mut core, &mut store, 1, subscribe(0)), ["error OverQuota None"]);
        assert_eq!(store.inner.head(addr()).unwrap(), Seq(3), "nothing of the refused push was stored");
        // Half a second later one frame's worth has come back.
        core.set_now(10_500);
        assert_eq!(frame(&mut core, &mut store, 2, push(4)), ["ack 4 [4]"]);
        assert_eq!(frame(&mut core, &mut store, 2, push(5)), ["error OverQuota Some(5)"]);
        // Another device has its own budget.
        core.handle(RelayEvent::Connected(ConnId(3)));
        auth(&mut core, 3, 3);
        assert_eq!(frame(&mut core, &mut store, 3, push(6)), ["ack 5 [6]"]);
    }

    #[test]
    fn while_the_disk_is_nearly_full_pushes_and_snapshots_are_refused_before_anything_is_written() {
        let mut core = connected(&[1], RelayConfig::default());
        let mut store = Recording::default();
        core.set_disk_full(true);
        assert_eq!(frame(&mut core, &mut store, 1, push(1)), ["error StoreFailed Some(1)"]);
        let snap = put_snapshot(0);
        assert_eq!(frame(&mut core, &mut store, 1, snap), ["error StoreFailed None"]);
        assert!(store.batches.is_empty() && store.inner.snapshot(addr()).unwrap().is_none());
        assert_eq!(frame(&mut core, &mut store, 1, subscribe(0)), ["caught-up 0"], "reading goes on");
        core.set_disk_full(false);
        assert_eq!(frame(&mut core, &mut store, 1, push(1)), ["ack 1 [1]"]);
    }

    /// Another relay sharing the store: appends straight to it.
    fn elsewhere(store: &mut Recording, n: u8) -> Seq {
        let b = NewBundle { addr: addr(), bundle_id: BundleId([n; 16]), key_id: KeyId(1), sealed: &[n] };
        store.inner.append_batch(&[b]).unwrap_or_else(|n| match n {})[0].0
    }

    #[test]
    fn a_bundle_appended_elsewhere_reaches_every_live_subscriber_once_and_in_order() {
        let (a, b) = (ConnId(1), ConnId(2));
        let mut core = connected(&[1, 2], RelayConfig::default());
        let mut store = Recording::default();
        frame(&mut core, &mut store, 1, subscribe(0));
        frame(&mut core, &mut store, 2, subscribe(0));
        let seq = elsewhere(&mut store, 1);
        let sent = drive(&mut core, &mut store, RelayEvent::AppendedElsewhere { addr: addr(), seq });
        assert_eq!(heard(&sent, a), ["bundle 1 [1]"]);
        assert_eq!(heard(&sent, b), ["bundle 1 [1]"]);
        // Stored elsewhere, its notice still on the way; then a push here
        // takes the seq after it: the gap is read before the push goes on.
        elsewhere(&mut store, 2);
        let sent = drive(&mut core, &mut store, RelayEvent::Frame(a, push(3)));
        assert_eq!(heard(&sent, b), ["bundle 2 [2]", "bundle 3 [3]"]);
        // The pusher lacked 2 as well: it reads 2 and 3 (its own, which a
        // device's cursor has passed by then, so it skips it) in order.
        assert_eq!(heard(&sent, a), ["ack 3 [3]", "bundle 2 [2]", "bundle 3 [3]"]);
        // The late notice finds everyone there already.
        let sent = drive(&mut core, &mut store, RelayEvent::AppendedElsewhere { addr: addr(), seq: Seq(2) });
        assert!(sent.is_empty(), "{sent:?}");
    }

    #[test]
    fn pushes_committed_together_behind_a_gap_go_out_in_seq_order() {
        let (a, reader) = (ConnId(1), ConnId(2));
        let mut core = connected(&[1, 2], RelayConfig::default());
        let mut store = Recording::default();
        frame(&mut core, &mut store, 2, subscribe(0));
        elsewhere(&mut store, 1);
        let mut batch = Batch::paced(&mut core, &mut store);
        batch.handle(RelayEvent::Frame(a, push(2)));
        batch.handle(RelayEvent::Frame(a, push(3)));
        let out = batch.finish();
        assert_eq!(heard(&out.sends, reader), ["bundle 1 [1]", "bundle 2 [2]", "bundle 3 [3]"]);
        assert_eq!(store.batches, [2]);
    }

    #[test]
    fn a_subscriber_that_turned_live_past_a_notice_gets_nothing_twice() {
        let (a, b) = (ConnId(1), ConnId(2));
        let mut core = connected(&[1, 2], RelayConfig::default());
        let mut store = Recording::default();
        frame(&mut core, &mut store, 1, subscribe(0));
        elsewhere(&mut store, 1);
        // B's backlog holds bundle 1 before its notice arrives; A lacks it.
        assert_eq!(frame(&mut core, &mut store, 2, subscribe(0)), ["bundle 1 [1]", "caught-up 1"]);
        let sent = drive(&mut core, &mut store, RelayEvent::AppendedElsewhere { addr: addr(), seq: Seq(1) });
        assert_eq!(heard(&sent, a), ["bundle 1 [1]"]);
        assert!(heard(&sent, b).is_empty(), "{sent:?}");
    }

    #[test]
    fn a_log_that_cannot_be_followed_drops_only_the_subscriptions_behind() {
        let (a, b) = (ConnId(1), ConnId(2));
        let mut core = connected(&[1, 2], RelayConfig::default());
        let mut store = Recording::default();
        frame(&mut core, &mut store, 1, subscribe(0));
        frame(&mut core, &mut store, 2, subscribe(0));
        let sent = core.handle(RelayEvent::AppendedElsewhere { addr: addr(), seq: Seq(1) });
        assert_eq!(sent, [RelayEffect::Follow { addr: addr(), since: Seq(0), limit: RelayConfig::default().page }]);
        let failed = RelayEvent::FollowFailed { addr: addr(), since: Seq(0), error: "gone".into() };
        let sent: Vec<_> = core
            .handle(failed)
            .into_iter()
            .filter_map(|e| if let RelayEffect::Send(c, f) = e { Some((c, f)) } else { None })
            .collect();
        assert_eq!(heard(&sent, a), ["error StoreFailed None"]);
        assert_eq!(heard(&sent, b), ["error StoreFailed None"]);
        assert!(core.subscribers.is_empty());
    }

    #[test]
    fn a_membership_statement_stored_elsewhere_takes_effect_here() {
        let founder = testing::key(0);
        let mut store = Recording::default();
        let log = membership::membership_addr(NET);
        let put = |store: &mut Recording, signed: &Signed| {
            let bytes = signed.encode();
            let b = NewBundle { addr: log, bundle_id: signed.id(), key_id: KeyId(0), sealed: &bytes };
            store.inner.append_batch(&[b]).unwrap_or_else(|n| match n {})[0].0
        };
        put(&mut store, &testing::found(&founder, NET, &[addr().doc]));
        put(&mut store, &testing::admit(&founder, NET, testing::key(1).id(), Role::Mentor, &[addr().doc]));
        let mut core = RelayCore::new(RelayConfig::default());
        assert_eq!(core.restore(store.inner.membership_logs().unwrap_or_else(|n| match n {})), 0);
        core.handle(RelayEvent::Connected(ConnId(1)));
        core.handle(RelayEvent::Connected(ConnId(2)));
        assert_eq!(auth(&mut core, 1, 1), ["Authenticated"]);
        assert_eq!(auth(&mut core, 2, 2), ["error Forbidden None"], "not admitted yet");
        // Another relay admits key 2 and retires key 1.
        put(&mut store, &testing::admit(&founder, NET, testing::key(2).id(), Role::Mentor, &[addr().doc]));
        let seq = put(&mut store, &founder.sign(NET, membership::Statement::Retire { device: testing::key(1).id() }));
        let sent = drive(&mut core, &mut store, RelayEvent::AppendedElsewhere { addr: log, seq });
        assert_eq!(heard(&sent, ConnId(1)), ["error Retired None"], "cut off at once");
        assert_eq!(auth(&mut core, 2, 2), ["Authenticated"]);
        assert_eq!(frame(&mut core, &mut store, 2, push(1)), ["ack 1 [1]"]);
    }

    /// `NET` founded by key 0 holding `addr()`'s key 0, keys 1 and 2 its
    /// mentors, enrolled (so they hold keys and owe a move); each of
    /// `conns` connected and proved as the key of its number.
    fn moving(conns: &[u64]) -> (RelayCore, Recording) {
        let founder = testing::key(0);
        let grant = membership::Grant { addr: addr(), key: KeyId(0) };
        let mut log = vec![testing::found_holding(&founder, NET, &[addr().doc], &[grant])];
        for n in 1..=2 {
            let invite = testing::key(100 + n);
            let stmt = membership::Statement::Invite {
                invite: invite.id(),
                role: Role::Mentor,
                docs: vec![addr().doc],
                expires: 9,
            };
            log.push(founder.sign(NET, stmt));
            log.push(testing::enrol(&invite, NET, &testing::key(n)));
        }
        let mut core = RelayCore::new(RelayConfig::default());
        assert_eq!(core.restore(vec![(NET, log.iter().map(Signed::encode).collect())]), 0);
        for &c in conns {
            core.handle(RelayEvent::Connected(ConnId(c)));
            assert_eq!(auth(&mut core, c, c), ["Authenticated"]);
        }
        (core, Recording::default())
    }

    fn at(epoch: u32) -> DocAddr {
        DocAddr { epoch: Epoch(epoch), ..addr() }
    }

    fn rewrite(deadline: u64) -> Signed {
        let grant = membership::Grant { addr: at(1), key: KeyId(1) };
        let stmt = membership::Statement::Rewrite { grant, to: vec![], base: Seq(1), heads: vec![[1; 32]], deadline };
        testing::key(0).sign(NET, stmt)
    }

    fn moved(n: u64) -> Signed {
        testing::key(n).sign(NET, membership::Statement::Moved { addr: at(1) })
    }

    fn in_epoch(frame: Vec<u8>, epoch: u32) -> Vec<u8> {
        match ClientFrame::decode(&frame).unwrap() {
            ClientFrame::Push(p) => ClientFrame::Push(Push { addr: at(epoch), ..p }).encode(),
            ClientFrame::Subscribe(s) => ClientFrame::Subscribe(Subscribe { addr: at(epoch), ..s }).encode(),
            other => other.encode(),
        }
    }

    #[test]
    fn a_rewritten_documents_old_epoch_takes_no_writes_and_is_deleted_once_every_device_moved() {
        let (mut core, mut store) = moving(&[1, 2]);
        core.set_now(500_000);
        assert_eq!(frame(&mut core, &mut store, 1, push(1)), ["ack 1 [1]"]);
        assert_eq!(frame(&mut core, &mut store, 2, in_epoch(push(2), 1)), ["error Forbidden Some(2)"], "not begun");
        assert_eq!(frame(&mut core, &mut store, 1, statement(&rewrite(1_000), NET)).len(), 1);
        assert_eq!(core.membership(NET).unwrap().current_epoch(addr().doc), Epoch(1));
        assert_eq!(frame(&mut core, &mut store, 2, push(3)), ["error Moved Some(3)"], "the old epoch takes no push");
        assert_eq!(frame(&mut core, &mut store, 2, put_snapshot(1)), ["error Moved None"]);
        assert_eq!(frame(&mut core, &mut store, 2, in_epoch(push(4), 1)), ["ack 1 [4]"], "the new one does");
        // Until every device moved, the old log is read (to the rewrite's base).
        assert_eq!(frame(&mut core, &mut store, 2, subscribe(0)), ["bundle 1 [1]", "caught-up 1"]);
        frame(&mut core, &mut store, 1, statement(&moved(1), NET));
        assert_eq!(store.inner.head(addr()).unwrap(), Seq(1), "device 2 has not moved");
        let sent = drive(&mut core, &mut store, RelayEvent::Frame(ConnId(1), statement(&moved(2), NET)));
        assert_eq!(store.inner.head(addr()).unwrap(), Seq(0), "deleted");
        assert_eq!(heard(&sent, ConnId(2)), ["error Moved None"], "its subscriber is told");
        assert_eq!(frame(&mut core, &mut store, 2, subscribe(0)), ["error Moved None"], "and refused from then on");
        assert_eq!(frame(&mut core, &mut store, 1, in_epoch(subscribe(0), 1)), ["bundle 1 [4]", "caught-up 1"]);
    }

    #[test]
    fn at_the_deadline_the_old_epoch_is_deleted_and_a_device_that_did_not_move_is_refused_on_the_document() {
        let (mut core, mut store) = moving(&[1, 2]);
        core.set_now(500_000);
        frame(&mut core, &mut store, 1, push(1));
        frame(&mut core, &mut store, 1, statement(&rewrite(1_000), NET));
        frame(&mut core, &mut store, 1, statement(&moved(1), NET));
        frame(&mut core, &mut store, 2, subscribe(0));
        assert!(drive(&mut core, &mut store, RelayEvent::Tick).is_empty(), "before the deadline: nothing");
        assert_eq!(store.inner.head(addr()).unwrap(), Seq(1));
        core.set_now(1_001_000);
        let sent = drive(&mut core, &mut store, RelayEvent::Tick);
        assert_eq!(store.inner.head(addr()).unwrap(), Seq(0), "deleted at the deadline");
        assert_eq!(heard(&sent, ConnId(2)), ["error Moved None"]);
        // Named: the membership says who did not move.
        let m = core.membership(NET).unwrap();
        assert_eq!(m.not_moved(at(1)), BTreeSet::from([testing::key(2).id()]));
        assert_eq!(frame(&mut core, &mut store, 2, in_epoch(subscribe(0), 1)), ["error LeftBehind None"]);
        let late = moved(2);
        let refused = format!("error Refused Some({})", late.id().0[0]);
        assert_eq!(frame(&mut core, &mut store, 2, statement(&late, NET)), [refused], "too late to say it moved");
        assert_eq!(frame(&mut core, &mut store, 1, in_epoch(subscribe(0), 1)), ["caught-up 0"], "who moved goes on");
    }
}
