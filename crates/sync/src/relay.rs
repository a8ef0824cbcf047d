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
    /// The backlog could not be read: the subscription is dropped so the
    /// device neither waits for a `CaughtUp` nor gets live bundles past a gap.
    LoadFailed {
        conn: ConnId,
        addr: DocAddr,
        error: String,
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
            RelayEvent::LoadFailed { conn, addr, error: e } => {
                self.unsubscribe(conn, addr);
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
        }
    }

    fn unsubscribe(&mut self, conn: ConnId, addr: DocAddr) {
        if let Some(docs) = self.conns.get_mut(&conn) {
            docs.remove(&addr);
        }
        if let Some(s) = self.subscribers.get_mut(&addr) {
            s.remove(&conn);
            if s.is_empty() {
                self.subscribers.remove(&addr);
            }
        }
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
                RelayFrame::Welcome(Welcome {
                    version: PROTOCOL_VERSION,
                    max_frame: u32::try_from(self.config.max_frame).unwrap_or(u32::MAX),
                })
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
                    Err(e) => RelayEvent::LoadFailed { conn, addr, error: e.to_string() },
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{DocumentId, Epoch};
    use crate::wire::{Push, Subscribe};

    fn addr() -> DocAddr {
        DocAddr { doc: DocumentId([1; 16]), epoch: Epoch(0) }
    }

    fn subscribe(since: u64) -> Vec<u8> {
        ClientFrame::Subscribe(Subscribe { addr: addr(), since: Seq(since) }).encode()
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
        fn append(&mut self, a: DocAddr, b: BundleId, k: KeyId, s: &[u8]) -> Result<(Seq, bool), ReadError> {
            Ok(self.0.append(a, b, k, s).unwrap_or_else(|n| match n {}))
        }
        fn head(&self, _: DocAddr) -> Result<Seq, ReadError> {
            Err(ReadError)
        }
        fn bundles_since(&self, _: DocAddr, _: Seq) -> Result<Vec<StoredBundle>, ReadError> {
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
}
