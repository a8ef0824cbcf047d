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

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use crate::ids::{BundleId, DocAddr, KeyId, Seq};
use crate::wire::{
    Ack, Bundle, CaughtUp, ClientFrame, ErrorCode, ErrorReply, RelayFrame, Snapshot, SnapshotStored, Welcome,
    WireError, PROTOCOL_VERSION,
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
    /// The bundle is durable in its log at `bundle.seq`.
    Appended {
        conn: ConnId,
        addr: DocAddr,
        bundle: StoredBundle,
        fresh: bool,
    },
    /// A page of the log after `since`, with the log's head when it was
    /// read and, if it was asked for, the newest snapshot.
    Loaded {
        conn: ConnId,
        addr: DocAddr,
        since: Seq,
        head: Seq,
        snapshot: Option<StoredSnapshot>,
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
        limit: PageLimit,
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
}

#[derive(Debug, Clone, Copy)]
pub struct RelayConfig {
    /// Largest frame accepted, in bytes.
    pub max_frame: usize,
    /// How much of a backlog is read and sent at a time.
    pub page: PageLimit,
}

impl Default for RelayConfig {
    fn default() -> Self {
        Self { max_frame: 8 * 1024 * 1024, page: PageLimit { bundles: 512, bytes: 1024 * 1024 } }
    }
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
}

#[derive(Debug, Default)]
pub struct RelayCore {
    config: RelayConfig,
    /// Every open connection and the logs it is subscribed to live.
    conns: BTreeMap<ConnId, BTreeSet<DocAddr>>,
    subscribers: BTreeMap<DocAddr, BTreeSet<ConnId>>,
    catching_up: BTreeMap<(ConnId, DocAddr), CatchUp>,
    /// Connections whose `Hello` named another protocol version: every
    /// frame after it is refused, so an old app never pushes a bundle that
    /// current devices cannot open.
    outdated: BTreeSet<ConnId>,
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

    pub fn handle(&mut self, event: RelayEvent) -> Vec<RelayEffect> {
        match event {
            RelayEvent::Connected(conn) => {
                self.conns.insert(conn, BTreeSet::new());
                vec![]
            }
            RelayEvent::Disconnected(conn) => {
                for addr in self.conns.remove(&conn).unwrap_or_default() {
                    self.stop_live(conn, addr);
                }
                self.catching_up.retain(|(c, _), _| *c != conn);
                self.outdated.remove(&conn);
                vec![]
            }
            RelayEvent::Frame(conn, bytes) => self.frame(conn, &bytes),
            RelayEvent::Appended { conn, addr, bundle, fresh } => {
                let mut out = vec![RelayEffect::Send(
                    conn,
                    RelayFrame::Ack(Ack { addr, bundle_id: bundle.bundle_id, seq: bundle.seq }).encode(),
                )];
                if fresh {
                    let frame = RelayFrame::Bundle(Bundle {
                        addr,
                        seq: bundle.seq,
                        bundle_id: bundle.bundle_id,
                        key_id: bundle.key_id,
                        sealed: bundle.sealed,
                    })
                    .encode();
                    // Only live subscribers: one still catching up reads
                    // this bundle in a later page of its backlog.
                    for &sub in self.subscribers.get(&addr).into_iter().flatten() {
                        if sub != conn {
                            out.push(RelayEffect::Send(sub, frame.clone()));
                        }
                    }
                }
                out
            }
            RelayEvent::Loaded { conn, addr, since, head, snapshot, bundles } => {
                self.loaded(conn, addr, since, head, snapshot, bundles)
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
            RelayEvent::StoreFailed { conn, addr, bundle_id, error: e } => vec![error(
                conn,
                ErrorCode::StoreFailed,
                Some(addr),
                bundle_id,
                format!("the relay could not store this ({e}); nothing was acknowledged, send it again later"),
            )],
            RelayEvent::Drained(conn) => self
                .catching_up
                .iter()
                .filter(|((c, _), _)| *c == conn)
                .map(|(&(conn, addr), c)| RelayEffect::Load {
                    conn,
                    addr,
                    since: c.next,
                    snapshot: false,
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
        head: Seq,
        snapshot: Option<StoredSnapshot>,
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
            if since > head {
                self.catching_up.remove(&key);
                let msg = format!(
                    "subscribe from {} but the log of {addr} ends at {}: this relay has lost data or is another relay; push your full document again and subscribe from 0",
                    since.0, head.0
                );
                return vec![error(conn, ErrorCode::CursorAhead, Some(addr), None, msg)];
            }
            c.snapshot = Some(snapshot.as_ref().map_or(Seq(0), |s| s.covers));
            if let Some(s) = snapshot.filter(|s| s.covers > since) {
                c.next = s.covers;
                out.push(RelayEffect::Send(
                    conn,
                    RelayFrame::Snapshot(Snapshot { addr, covers: s.covers, key_id: s.key_id, sealed: s.sealed })
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
            self.subscribers.entry(addr).or_default().insert(conn);
            out.push(RelayEffect::Send(
                conn,
                RelayFrame::CaughtUp(CaughtUp { addr, head, snapshot: snapshot.unwrap_or_default() }).encode(),
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
            }
        }
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
            ClientFrame::Hello(_) if self.outdated.remove(&conn) => vec![RelayEffect::Send(
                conn,
                RelayFrame::Welcome(Welcome {
                    version: PROTOCOL_VERSION,
                    max_frame: u32::try_from(self.config.max_frame).unwrap_or(u32::MAX),
                })
                .encode(),
            )],
            _ if self.outdated.contains(&conn) => vec![error(
                conn,
                ErrorCode::VersionMismatch,
                None,
                None,
                format!("this connection said it speaks another protocol; this relay speaks {PROTOCOL_VERSION}: update the app"),
            )],
            ClientFrame::Hello(_) => vec![RelayEffect::Send(
                conn,
                RelayFrame::Welcome(Welcome {
                    version: PROTOCOL_VERSION,
                    max_frame: u32::try_from(self.config.max_frame).unwrap_or(u32::MAX),
                })
                .encode(),
            )],
            ClientFrame::Subscribe(s) => {
                // The subscription turns live with the page of its backlog
                // that reaches the head; until then new bundles reach it
                // through the backlog, never ahead of it.
                self.unsubscribe(conn, s.addr);
                let c = CatchUp { next: s.since, snapshot: None, with_snapshot: s.snapshot };
                self.catching_up.insert((conn, s.addr), c);
                vec![RelayEffect::Load {
                    conn,
                    addr: s.addr,
                    since: s.since,
                    snapshot: s.snapshot,
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
                RelayEffect::Load { conn, addr, since, snapshot, limit } => {
                    // The read sees every append before it, as if each had
                    // been committed alone, and none after it.
                    self.commit();
                    queue.extend(self.core.handle(load(self.store, conn, addr, since, snapshot, limit)));
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
        for (i, a) in appending.into_iter().enumerate() {
            let event = match &result {
                Ok(done) => {
                    let (seq, fresh) = done[i];
                    let bundle = StoredBundle { seq, bundle_id: a.bundle_id, key_id: a.key_id, sealed: a.sealed };
                    RelayEvent::Appended { conn: a.conn, addr: a.addr, bundle, fresh }
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
            for effect in self.core.handle(event) {
                match effect {
                    RelayEffect::Send(conn, bytes) => frames.push((conn, bytes)),
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

fn load<S: RelayStore>(
    store: &S,
    conn: ConnId,
    addr: DocAddr,
    since: Seq,
    with_snapshot: bool,
    limit: PageLimit,
) -> RelayEvent {
    let loaded = (|| {
        let head = store.head(addr)?;
        let snapshot = if with_snapshot { store.snapshot(addr)? } else { None };
        let from = match &snapshot {
            Some(s) if s.covers > since => s.covers,
            _ => since,
        };
        let bundles = if since > head { vec![] } else { store.bundles_page(addr, from, limit)? };
        Ok::<_, S::Error>((head, snapshot, bundles))
    })();
    match loaded {
        Ok((head, snapshot, bundles)) => RelayEvent::Loaded { conn, addr, since, head, snapshot, bundles },
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{DocumentId, Epoch};
    use crate::wire::{Push, Subscribe};

    fn addr() -> DocAddr {
        DocAddr { doc: DocumentId([1; 16]), epoch: Epoch(0) }
    }

    fn subscribe(since: u64) -> Vec<u8> {
        ClientFrame::Subscribe(Subscribe { addr: addr(), since: Seq(since), snapshot: true }).encode()
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
        fn snapshot(&self, _: DocAddr) -> Result<Option<StoredSnapshot>, ReadError> {
            Err(ReadError)
        }
    }

    #[test]
    fn a_backlog_that_cannot_be_read_drops_the_subscription_instead_of_sending_past_a_gap() {
        let mut core = RelayCore::new(RelayConfig::default());
        let mut store = UnreadableStore::default();
        let (reader, writer) = (ConnId(1), ConnId(2));
        core.handle(RelayEvent::Connected(reader));
        core.handle(RelayEvent::Connected(writer));
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
        let log_only = ClientFrame::Subscribe(Subscribe { addr: addr(), since: Seq(1), snapshot: false }).encode();
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
            snapshot: Some(StoredSnapshot { covers: Seq(3), key_id: KeyId(1), sealed: vec![9] }),
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
        let mut core = RelayCore::new(RelayConfig::default());
        let mut store = MemoryStore::default();
        core.handle(RelayEvent::Connected(ConnId(1)));
        core.handle(RelayEvent::Disconnected(ConnId(1)));
        let sent = drive(&mut core, &mut store, RelayEvent::Frame(ConnId(1), subscribe(0)));
        assert!(sent.is_empty());
        assert_eq!(core.connection_count(), 0);
        core.handle(RelayEvent::Connected(ConnId(2)));
        let sent = drive(&mut core, &mut store, RelayEvent::Frame(ConnId(2), push(1)));
        assert!(sent.iter().all(|(c, _)| *c == ConnId(2)), "nothing fanned out to the departed: {sent:?}");
    }

    #[test]
    fn unsubscribing_the_last_device_forgets_the_document() {
        let mut core = RelayCore::new(RelayConfig::default());
        let mut store = MemoryStore::default();
        core.handle(RelayEvent::Connected(ConnId(1)));
        drive(&mut core, &mut store, RelayEvent::Frame(ConnId(1), subscribe(0)));
        assert_eq!(core.subscribers.len(), 1);
        let unsub = ClientFrame::Unsubscribe(crate::wire::Unsubscribe { addr: addr() }).encode();
        drive(&mut core, &mut store, RelayEvent::Frame(ConnId(1), unsub));
        assert!(core.subscribers.is_empty());
    }

    /// The memory store, recording what it was asked, and failing every
    /// commit while `fail` is set (storing none of the batch).
    #[derive(Default)]
    struct Recording {
        inner: MemoryStore,
        fail: bool,
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
                other => format!("{other:?}"),
            })
            .collect()
    }

    fn connected(conns: &[u64], config: RelayConfig) -> RelayCore {
        let mut core = RelayCore::new(config);
        for &c in conns {
            core.handle(RelayEvent::Connected(ConnId(c)));
        }
        core
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
}
