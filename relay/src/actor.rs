//! The relay actor: one thread owns the [`RelayCore`] and the store and
//! handles every event in arrival order with [`drive`].
//!
//! That serial order is the guarantee that a subscriber misses nothing: a
//! push is either stored before a subscribe's backlog is read (and is in the
//! backlog) or after it (and is fanned out live). Connections reach the
//! actor over one bounded channel; the actor answers into each connection's
//! own outbox. The store's calls block (a commit waits for the disk), so the
//! actor is a plain thread, not a task on the async runtime.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;

use lotse_sync::relay::{drive, ConnId, RelayConfig, RelayCore, RelayEvent, RelayStore, StoredBundle, StoredSnapshot};
use lotse_sync::{BundleId, DocAddr, KeyId, Seq};
use tokio::sync::mpsc;

/// How many events may wait for the actor before connections are slowed
/// down: a flood of pushes waits in the sockets, not in memory.
const INBOX: usize = 1024;

/// A connection whose unsent frames exceed this many bytes when the next
/// frames for it are ready is dropped; the device reconnects and catches up
/// from its cursor. One backlog may exceed it, a steady stream may not.
pub const OUTBOX_LIMIT: usize = 64 * 1024 * 1024;

enum Msg {
    Connected { conn: ConnId, outbox: OutboxSender },
    Frame { conn: ConnId, bytes: Vec<u8> },
    Disconnected { conn: ConnId },
}

/// The actor's end of a connection's outbox.
struct OutboxSender {
    tx: mpsc::UnboundedSender<Vec<u8>>,
    queued: Arc<AtomicUsize>,
}

/// A connection's end of its outbox: the frames the relay sends it, in order.
/// `None` from [`Outbox::recv`] means the relay dropped the connection (it
/// fell behind, or the relay is stopping).
#[derive(Debug)]
pub struct Outbox {
    rx: mpsc::UnboundedReceiver<Vec<u8>>,
    queued: Arc<AtomicUsize>,
}

impl Outbox {
    pub async fn recv(&mut self) -> Option<Vec<u8>> {
        let frame = self.rx.recv().await?;
        self.queued.fetch_sub(frame.len(), Ordering::Relaxed);
        Some(frame)
    }
}

/// The actor has stopped; the relay is shutting down.
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("the relay is shutting down")]
pub struct RelayGone;

/// How connections talk to the actor. Cheap to clone.
#[derive(Debug, Clone)]
pub struct RelayHandle {
    tx: mpsc::Sender<Msg>,
    next_conn: Arc<AtomicU64>,
    max_frame: usize,
}

impl std::fmt::Debug for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the frame's bytes: they are a device's ciphertext.
        match self {
            Msg::Connected { conn, .. } => write!(f, "Connected({})", conn.0),
            Msg::Frame { conn, bytes } => write!(f, "Frame({}, {} bytes)", conn.0, bytes.len()),
            Msg::Disconnected { conn } => write!(f, "Disconnected({})", conn.0),
        }
    }
}

impl RelayHandle {
    /// The largest frame the relay accepts.
    pub fn max_frame(&self) -> usize {
        self.max_frame
    }

    /// Registers a new connection and returns its id and outbox.
    pub async fn connect(&self) -> Result<(ConnId, Outbox), RelayGone> {
        let conn = ConnId(self.next_conn.fetch_add(1, Ordering::Relaxed));
        let (tx, rx) = mpsc::unbounded_channel();
        let queued = Arc::new(AtomicUsize::new(0));
        let outbox = OutboxSender { tx, queued: queued.clone() };
        self.tx.send(Msg::Connected { conn, outbox }).await.map_err(|_| RelayGone)?;
        Ok((conn, Outbox { rx, queued }))
    }

    /// Hands one frame from `conn` to the relay. Waits while the relay is busy.
    pub async fn frame(&self, conn: ConnId, bytes: Vec<u8>) -> Result<(), RelayGone> {
        self.tx.send(Msg::Frame { conn, bytes }).await.map_err(|_| RelayGone)
    }

    pub async fn disconnect(&self, conn: ConnId) {
        // If the actor is gone there is nothing left to tell.
        let _ = self.tx.send(Msg::Disconnected { conn }).await;
    }
}

/// Starts the actor on its own thread. It runs until every [`RelayHandle`]
/// is dropped, then drops the store; join the returned handle to know the
/// store is closed.
pub fn spawn<S>(store: S, config: RelayConfig) -> std::io::Result<(RelayHandle, thread::JoinHandle<()>)>
where
    S: RelayStore + Send + 'static,
{
    let (tx, rx) = mpsc::channel(INBOX);
    let join = thread::Builder::new().name("lotse-relay-actor".into()).spawn(move || run(store, config, rx))?;
    Ok((RelayHandle { tx, next_conn: Arc::new(AtomicU64::new(1)), max_frame: config.max_frame }, join))
}

fn run<S: RelayStore>(store: S, config: RelayConfig, mut rx: mpsc::Receiver<Msg>) {
    let mut core = RelayCore::new(config);
    let mut store = Logged(store);
    let mut outboxes: HashMap<ConnId, OutboxSender> = HashMap::new();
    while let Some(msg) = rx.blocking_recv() {
        let event = match msg {
            Msg::Connected { conn, outbox } => {
                outboxes.insert(conn, outbox);
                tracing::debug!(conn = conn.0, connections = outboxes.len(), "connected");
                RelayEvent::Connected(conn)
            }
            // A frame still in flight from a connection the actor dropped.
            Msg::Frame { conn, .. } if !outboxes.contains_key(&conn) => continue,
            Msg::Frame { conn, bytes } => RelayEvent::Frame(conn, bytes),
            Msg::Disconnected { conn } => {
                if outboxes.remove(&conn).is_none() {
                    continue;
                }
                tracing::debug!(conn = conn.0, connections = outboxes.len(), "disconnected");
                RelayEvent::Disconnected(conn)
            }
        };
        let sends = drive(&mut core, &mut store, event);
        for conn in deliver(&outboxes, sends) {
            tracing::warn!(conn = conn.0, "dropping a connection that does not read its frames");
            outboxes.remove(&conn);
            drive(&mut core, &mut store, RelayEvent::Disconnected(conn));
        }
    }
    tracing::debug!("relay actor stopped");
}

/// Puts each frame into its connection's outbox. Returns the connections
/// that were already too far behind before these frames.
fn deliver(outboxes: &HashMap<ConnId, OutboxSender>, sends: Vec<(ConnId, Vec<u8>)>) -> Vec<ConnId> {
    let mut by_conn: BTreeMap<ConnId, Vec<Vec<u8>>> = BTreeMap::new();
    for (conn, bytes) in sends {
        by_conn.entry(conn).or_default().push(bytes);
    }
    let mut behind = Vec::new();
    for (conn, frames) in by_conn {
        let Some(outbox) = outboxes.get(&conn) else { continue };
        if outbox.queued.load(Ordering::Relaxed) > OUTBOX_LIMIT {
            behind.push(conn);
            continue;
        }
        for frame in frames {
            outbox.queued.fetch_add(frame.len(), Ordering::Relaxed);
            // A closed outbox means the connection is ending; its
            // Disconnected is on the way.
            let _ = outbox.tx.send(frame);
        }
    }
    behind
}

/// Logs store failures for the operator; the device only gets an error frame.
struct Logged<S>(S);

impl<S: RelayStore> Logged<S> {
    fn log<T>(what: &str, addr: DocAddr, result: Result<T, S::Error>) -> Result<T, S::Error> {
        if let Err(e) = &result {
            tracing::error!(%addr, error = %e, "store {what} failed");
        }
        result
    }
}

impl<S: RelayStore> RelayStore for Logged<S> {
    type Error = S::Error;

    fn append(
        &mut self,
        addr: DocAddr,
        bundle_id: BundleId,
        key_id: KeyId,
        sealed: &[u8],
    ) -> Result<(Seq, bool), S::Error> {
        Self::log("append", addr, self.0.append(addr, bundle_id, key_id, sealed))
    }

    fn head(&self, addr: DocAddr) -> Result<Seq, S::Error> {
        Self::log("head", addr, self.0.head(addr))
    }

    fn bundles_since(&self, addr: DocAddr, since: Seq) -> Result<Vec<StoredBundle>, S::Error> {
        Self::log("read", addr, self.0.bundles_since(addr, since))
    }

    fn put_snapshot(&mut self, addr: DocAddr, snapshot: StoredSnapshot) -> Result<(), S::Error> {
        Self::log("snapshot write", addr, self.0.put_snapshot(addr, snapshot))
    }

    fn snapshot(&self, addr: DocAddr) -> Result<Option<StoredSnapshot>, S::Error> {
        Self::log("snapshot read", addr, self.0.snapshot(addr))
    }
}
