//! The relay's state machine: who is subscribed to which log, what to answer.
//!
//! It never holds a key and never looks inside `sealed` bytes. Storage is an
//! effect; [`drive`] runs the store effects of one event in order against a
//! [`RelayStore`] and feeds their results back, so a subscriber never misses
//! a bundle appended while its backlog was being read.

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

/// A snapshot as the store keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSnapshot {
    pub covers: Seq,
    pub key_id: KeyId,
    pub sealed: Vec<u8>,
}

/// Where the relay keeps its logs. `append` returns only once the bundle is
/// durable; a bundle id already in the log returns its old seq and `false`.
pub trait RelayStore {
    type Error: std::error::Error;
    fn append(
        &mut self,
        addr: DocAddr,
        bundle_id: BundleId,
        key_id: KeyId,
        sealed: &[u8],
    ) -> Result<(Seq, bool), Self::Error>;
    fn head(&self, addr: DocAddr) -> Result<Seq, Self::Error>;
    /// Bundles with seq > `since`, in order.
    fn bundles_since(&self, addr: DocAddr, since: Seq) -> Result<Vec<StoredBundle>, Self::Error>;
    /// Keeps the snapshot if it covers more than the one held.
    fn put_snapshot(&mut self, addr: DocAddr, snapshot: StoredSnapshot) -> Result<(), Self::Error>;
    fn snapshot(&self, addr: DocAddr) -> Result<Option<StoredSnapshot>, Self::Error>;
}

/// Input to the relay.
#[derive(Debug, Clone)]
pub enum RelayEvent {
    Connected(ConnId),
    Disconnected(ConnId),
    Frame(ConnId, Vec<u8>),
    Appended {
        conn: ConnId,
        addr: DocAddr,
        bundle: StoredBundle,
        fresh: bool,
    },
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
    StoreFailed {
        conn: ConnId,
        addr: DocAddr,
        bundle_id: Option<BundleId>,
        error: String,
    },
}

/// What the relay wants done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RelayEffect {
    Send(ConnId, Vec<u8>),
    Append { conn: ConnId, addr: DocAddr, bundle_id: BundleId, key_id: KeyId, sealed: Vec<u8> },
    Load { conn: ConnId, addr: DocAddr, since: Seq },
    PutSnapshot { conn: ConnId, addr: DocAddr, snapshot: StoredSnapshot },
}

#[derive(Debug, Clone, Copy)]
pub struct RelayConfig {
    /// Largest frame accepted, in bytes.
    pub max_frame: usize,
}

impl Default for RelayConfig {
    fn default() -> Self {
        Self { max_frame: 8 * 1024 * 1024 }
    }
}

#[derive(Debug, Default)]
pub struct RelayCore {
    config: RelayConfig,
    conns: BTreeMap<ConnId, BTreeSet<DocAddr>>,
    subscribers: BTreeMap<DocAddr, BTreeSet<ConnId>>,
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
                    if let Some(s) = self.subscribers.get_mut(&addr) {
                        s.remove(&conn);
                        if s.is_empty() {
                            self.subscribers.remove(&addr);
                        }
                    }
                }
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
                        key_id: bundle.key_id,
                        sealed: bundle.sealed,
                    })
                    .encode();
                    for &sub in self.subscribers.get(&addr).into_iter().flatten() {
                        if sub != conn {
                            out.push(RelayEffect::Send(sub, frame.clone()));
                        }
                    }
                }
                out
            }
            RelayEvent::Loaded { conn, addr, since, head, snapshot, bundles } => {
                if since > head {
                    self.unsubscribe(conn, addr);
                    let msg = format!(
                        "subscribe from {} but the log of {addr} ends at {}: this relay has lost data or is another relay; push your full document again and subscribe from 0",
                        since.0, head.0
                    );
                    return vec![error(conn, ErrorCode::CursorAhead, Some(addr), None, msg)];
                }
                let mut out = Vec::new();
                let mut from = since;
                let snap_covers = snapshot.as_ref().map_or(Seq(0), |s| s.covers);
                if let Some(s) = snapshot.filter(|s| s.covers > since) {
                    from = s.covers;
                    out.push(RelayEffect::Send(
                        conn,
                        RelayFrame::Snapshot(Snapshot { addr, covers: s.covers, key_id: s.key_id, sealed: s.sealed })
                            .encode(),
                    ));
                }
                for b in bundles.into_iter().filter(|b| b.seq > from) {
                    out.push(RelayEffect::Send(
                        conn,
                        RelayFrame::Bundle(Bundle { addr, seq: b.seq, key_id: b.key_id, sealed: b.sealed }).encode(),
                    ));
                }
                out.push(RelayEffect::Send(
                    conn,
                    RelayFrame::CaughtUp(CaughtUp { addr, head, snapshot: snap_covers }).encode(),
                ));
                out
            }
            RelayEvent::SnapshotStored { conn, addr, covers } => {
                vec![RelayEffect::Send(conn, RelayFrame::SnapshotStored(SnapshotStored { addr, covers }).encode())]
            }
            RelayEvent::StoreFailed { conn, addr, bundle_id, error: e } => vec![error(
                conn,
                ErrorCode::StoreFailed,
                Some(addr),
                bundle_id,
                format!("the relay could not store this ({e}); nothing was acknowledged, send it again later"),
            )],
        }
    }

    fn unsubscribe(&mut self, conn: ConnId, addr: DocAddr) {
        if let Some(docs) = self.conns.get_mut(&conn) {
            docs.remove(&addr);
        }
        if let Some(s) = self.subscribers.get_mut(&addr) {
            s.remove(&conn);
        }
    }

    fn frame(&mut self, conn: ConnId, bytes: &[u8]) -> Vec<RelayEffect> {
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
            ClientFrame::Hello(h) if h.version != PROTOCOL_VERSION => vec![error(
                conn,
                ErrorCode::VersionMismatch,
                None,
                None,
                format!(
                    "protocol {} is not spoken here (this relay speaks {PROTOCOL_VERSION}); update the app",
                    h.version
                ),
            )],
            ClientFrame::Hello(_) => vec![RelayEffect::Send(
                conn,
                RelayFrame::Welcome(Welcome { version: PROTOCOL_VERSION, max_frame: self.config.max_frame as u32 })
                    .encode(),
            )],
            ClientFrame::Subscribe(s) => {
                self.conns.entry(conn).or_default().insert(s.addr);
                self.subscribers.entry(s.addr).or_default().insert(conn);
                vec![RelayEffect::Load { conn, addr: s.addr, since: s.since }]
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

/// Runs `event` through the core and every store effect it causes against
/// `store`, in order, until only sends remain. Returns the sends.
pub fn drive<S: RelayStore>(core: &mut RelayCore, store: &mut S, event: RelayEvent) -> Vec<(ConnId, Vec<u8>)> {
    let mut sends = Vec::new();
    let mut queue: VecDeque<RelayEffect> = core.handle(event).into();
    while let Some(effect) = queue.pop_front() {
        let result = match effect {
            RelayEffect::Send(conn, bytes) => {
                sends.push((conn, bytes));
                continue;
            }
            RelayEffect::Append { conn, addr, bundle_id, key_id, sealed } => {
                match store.append(addr, bundle_id, key_id, &sealed) {
                    Ok((seq, fresh)) => RelayEvent::Appended {
                        conn,
                        addr,
                        bundle: StoredBundle { seq, bundle_id, key_id, sealed },
                        fresh,
                    },
                    Err(e) => RelayEvent::StoreFailed { conn, addr, bundle_id: Some(bundle_id), error: e.to_string() },
                }
            }
            RelayEffect::Load { conn, addr, since } => {
                let loaded = (|| {
                    let head = store.head(addr)?;
                    let snapshot = store.snapshot(addr)?;
                    let from = match &snapshot {
                        Some(s) if s.covers > since => s.covers,
                        _ => since,
                    };
                    let bundles = if since > head { vec![] } else { store.bundles_since(addr, from)? };
                    Ok::<_, S::Error>((head, snapshot, bundles))
                })();
                match loaded {
                    Ok((head, snapshot, bundles)) => RelayEvent::Loaded { conn, addr, since, head, snapshot, bundles },
                    Err(e) => RelayEvent::StoreFailed { conn, addr, bundle_id: None, error: e.to_string() },
                }
            }
            RelayEffect::PutSnapshot { conn, addr, snapshot } => {
                let covers = snapshot.covers;
                match store.head(addr) {
                    Ok(head) if covers > head => {
                        sends.push((
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
                    Ok(_) => match store.put_snapshot(addr, snapshot) {
                        Ok(()) => RelayEvent::SnapshotStored { conn, addr, covers },
                        Err(e) => RelayEvent::StoreFailed { conn, addr, bundle_id: None, error: e.to_string() },
                    },
                    Err(e) => RelayEvent::StoreFailed { conn, addr, bundle_id: None, error: e.to_string() },
                }
            }
        };
        queue.extend(core.handle(result));
    }
    sends
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

impl RelayStore for MemoryStore {
    type Error = Never;

    fn append(
        &mut self,
        addr: DocAddr,
        bundle_id: BundleId,
        key_id: KeyId,
        sealed: &[u8],
    ) -> Result<(Seq, bool), Never> {
        let log = self.logs.entry(addr).or_default();
        if let Some(b) = log.iter().find(|b| b.bundle_id == bundle_id) {
            return Ok((b.seq, false));
        }
        let seq = Seq(log.len() as u64 + 1);
        log.push(StoredBundle { seq, bundle_id, key_id, sealed: sealed.to_vec() });
        Ok((seq, true))
    }

    fn head(&self, addr: DocAddr) -> Result<Seq, Never> {
        Ok(Seq(self.logs.get(&addr).map_or(0, |l| l.len() as u64)))
    }

    fn bundles_since(&self, addr: DocAddr, since: Seq) -> Result<Vec<StoredBundle>, Never> {
        Ok(self.logs.get(&addr).map_or_else(Vec::new, |l| l.iter().filter(|b| b.seq > since).cloned().collect()))
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
