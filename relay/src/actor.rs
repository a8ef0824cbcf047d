//! The relay actor: one thread owns the [`RelayCore`] and the store.
//!
//! It takes whatever waits in its inbox as one [`Batch`] (group commit):
//! the pushes among it are appended in one transaction with one fsync, and
//! every frame the batch causes goes out after that commit. Within a
//! batch, events are handled in arrival order and every read first commits
//! the appends before it, so the guarantee of a serial relay holds: a push
//! is either in a subscriber's backlog or sent to it live, never neither,
//! never both. While the actor commits (the disk takes its time), the next
//! pushes gather in the inbox and make the next batch.
//!
//! Connections reach the actor over one bounded channel; the actor answers
//! into each connection's own outbox. A backlog is sent a page at a time:
//! the next page is read when the connection's outbox has drained
//! ([`Outbox::recv`] tells the actor). The store's calls block, so the
//! actor is a plain thread, not a task on the async runtime.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use lotse_sync::relay::{
    drive, Batch, ConnId, NewBundle, PageLimit, RelayConfig, RelayCore, RelayEvent, RelayStore, StoredBundle,
    StoredSnapshot,
};
use lotse_sync::{DocAddr, DocumentId, Generation, Seq};
use tokio::sync::{mpsc, oneshot};

use crate::metrics::Metrics;

/// How many events may wait for the actor before connections are slowed
/// down: a flood of pushes waits in the sockets, not in memory.
/// How often the relay looks for old epochs past their deadline (at the
/// next message after it: a relay nobody talks to deletes nothing, and
/// nobody reads from it either).
const TICK_EVERY: Duration = Duration::from_secs(60);

const INBOX: usize = 1024;

/// The most messages, and frame bytes, one batch takes from the inbox:
/// a batch's frames wait for its commit, so it must not grow without end.
const BATCH_MESSAGES: usize = 512;
const BATCH_BYTES: usize = 16 * 1024 * 1024;

/// A connection whose unsent frames exceed this many bytes when the next
/// frames for it are ready is dropped; the device reconnects and catches up
/// from its cursor. Backlogs come in pages, so only a steady stream the
/// device does not read can reach it.
pub const OUTBOX_LIMIT: usize = 64 * 1024 * 1024;

/// A connection counts as drained (ready for a backlog's next page) once
/// fewer bytes than this wait in its outbox: the next page is read while
/// the socket still has this much to send.
const DRAINED: usize = 256 * 1024;

enum Msg {
    Connected {
        conn: ConnId,
        outbox: OutboxSender,
    },
    Frame {
        conn: ConnId,
        bytes: Vec<u8>,
    },
    Disconnected {
        conn: ConnId,
    },
    /// The connection's outbox drained after the actor asked to hear.
    Drained {
        conn: ConnId,
    },
    /// Answered as soon as the actor takes it: it is alive and not stuck.
    Ping(oneshot::Sender<()>),
    /// Another relay on the same database appended to a log.
    Elsewhere {
        addr: DocAddr,
        seq: Seq,
    },
    /// Notices from other relays may have been missed: every followed log
    /// is looked at again.
    Resync,
}

/// The actor's end of a connection's outbox.
struct OutboxSender {
    tx: mpsc::UnboundedSender<Vec<u8>>,
    queued: Arc<AtomicUsize>,
    /// Set by the actor when a backlog page waits for this connection.
    wants_drained: Arc<AtomicBool>,
}

/// A connection's end of its outbox: the frames the relay sends it, in order.
/// `None` from [`Outbox::recv`] means the relay dropped the connection (it
/// fell behind, or the relay is stopping).
#[derive(Debug)]
pub struct Outbox {
    conn: ConnId,
    rx: mpsc::UnboundedReceiver<Vec<u8>>,
    queued: Arc<AtomicUsize>,
    wants_drained: Arc<AtomicBool>,
    /// The actor is still to be told that this outbox drained.
    drained_due: bool,
    relay: mpsc::Sender<Msg>,
    metrics: Arc<Metrics>,
}

impl Drop for Outbox {
    /// Frames never written leave the fan-out queue's gauge too.
    fn drop(&mut self) {
        self.rx.close();
        while let Ok(frame) = self.rx.try_recv() {
            self.metrics.dequeued(frame.len());
        }
    }
}

impl Outbox {
    /// The next frame to send. Cancel-safe: a frame taken is returned, and
    /// a `Drained` for the actor is sent on the next call if this one was
    /// dropped before it went.
    pub async fn recv(&mut self) -> Option<Vec<u8>> {
        if self.drained_due {
            // The frames before were written to the socket: the actor may
            // read the next page. If it is gone there is no one to tell.
            let _ = self.relay.send(Msg::Drained { conn: self.conn }).await;
            self.drained_due = false;
        }
        let frame = self.rx.recv().await?;
        self.metrics.dequeued(frame.len());
        let left = self.queued.fetch_sub(frame.len(), Ordering::Relaxed) - frame.len();
        if left < DRAINED && self.wants_drained.swap(false, Ordering::AcqRel) {
            self.drained_due = true;
        }
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
    idle_timeout: Duration,
    metrics: Arc<Metrics>,
}

impl std::fmt::Debug for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the frame's bytes: they are a device's ciphertext.
        match self {
            Msg::Connected { conn, .. } => write!(f, "Connected({})", conn.0),
            Msg::Frame { conn, bytes } => write!(f, "Frame({}, {} bytes)", conn.0, bytes.len()),
            Msg::Disconnected { conn } => write!(f, "Disconnected({})", conn.0),
            Msg::Drained { conn } => write!(f, "Drained({})", conn.0),
            Msg::Ping(_) => write!(f, "Ping"),
            Msg::Elsewhere { seq, .. } => write!(f, "Elsewhere({})", seq.0),
            Msg::Resync => write!(f, "Resync"),
        }
    }
}

impl RelayHandle {
    /// The largest frame the relay accepts.
    pub fn max_frame(&self) -> usize {
        self.max_frame
    }

    /// How long a connection may send no frame before it is closed.
    pub fn idle_timeout(&self) -> Duration {
        self.idle_timeout
    }

    /// What the relay counts, for `/metrics`.
    pub fn metrics(&self) -> &Arc<Metrics> {
        &self.metrics
    }

    /// Whether the actor takes messages: answers once it took this one.
    pub async fn ping(&self) -> Result<(), RelayGone> {
        let (tx, rx) = oneshot::channel();
        self.tx.send(Msg::Ping(tx)).await.map_err(|_| RelayGone)?;
        rx.await.map_err(|_| RelayGone)
    }

    /// Registers a new connection and returns its id and outbox.
    pub async fn connect(&self) -> Result<(ConnId, Outbox), RelayGone> {
        let conn = ConnId(self.next_conn.fetch_add(1, Ordering::Relaxed));
        let (tx, rx) = mpsc::unbounded_channel();
        let queued = Arc::new(AtomicUsize::new(0));
        let wants_drained = Arc::new(AtomicBool::new(false));
        let outbox = OutboxSender { tx, queued: queued.clone(), wants_drained: wants_drained.clone() };
        self.tx.send(Msg::Connected { conn, outbox }).await.map_err(|_| RelayGone)?;
        let relay = self.tx.clone();
        let metrics = self.metrics.clone();
        Ok((conn, Outbox { conn, rx, queued, wants_drained, drained_due: false, relay, metrics }))
    }

    /// Hands one frame from `conn` to the relay. Waits while the relay is busy.
    pub async fn frame(&self, conn: ConnId, bytes: Vec<u8>) -> Result<(), RelayGone> {
        self.tx.send(Msg::Frame { conn, bytes }).await.map_err(|_| RelayGone)
    }

    /// Another relay sharing the store appended `addr` up to `seq`. Blocks
    /// while the relay is busy: for a listener's own thread.
    pub fn blocking_appended_elsewhere(&self, addr: DocAddr, seq: Seq) -> Result<(), RelayGone> {
        self.tx.blocking_send(Msg::Elsewhere { addr, seq }).map_err(|_| RelayGone)
    }

    /// Notices from other relays may have been missed (the listener
    /// reconnected): the relay reads every log it follows again.
    pub fn blocking_resync(&self) -> Result<(), RelayGone> {
        self.tx.blocking_send(Msg::Resync).map_err(|_| RelayGone)
    }

    pub async fn disconnect(&self, conn: ConnId) {
        // If the actor is gone there is nothing left to tell.
        let _ = self.tx.send(Msg::Disconnected { conn }).await;
    }
}

/// Starts the actor on its own thread. It runs until every [`RelayHandle`]
/// (and every [`Outbox`]) is dropped, then drops the store; join the
/// returned handle to know the store is closed.
pub fn spawn<S>(
    store: S,
    config: RelayConfig,
    idle_timeout: Duration,
) -> std::io::Result<(RelayHandle, thread::JoinHandle<()>)>
where
    S: RelayStore + Send + 'static,
{
    spawn_guarded(store, config, idle_timeout, None)
}

/// Where the store's files are and how much room must stay free there:
/// below it, pushes and snapshots are refused before they are written.
#[derive(Debug, Clone)]
pub struct DiskGuard {
    pub dir: std::path::PathBuf,
    pub min_free_bytes: u64,
}

impl DiskGuard {
    /// Whether the disk has less room than it must keep; a disk that cannot
    /// be measured counts as having room (the commit's own error remains).
    fn nearly_full(&self) -> bool {
        match rustix::fs::statvfs(&self.dir) {
            Ok(s) => s.f_bavail.saturating_mul(s.f_frsize) < self.min_free_bytes,
            Err(e) => {
                tracing::warn!(dir = %self.dir.display(), error = %e, "cannot measure the free disk space");
                false
            }
        }
    }
}

/// How often the free disk space is measured.
const DISK_CHECK_EVERY: Duration = Duration::from_secs(1);

/// [`spawn`], with the disk's free space watched.
pub fn spawn_guarded<S>(
    store: S,
    config: RelayConfig,
    idle_timeout: Duration,
    guard: Option<DiskGuard>,
) -> std::io::Result<(RelayHandle, thread::JoinHandle<()>)>
where
    S: RelayStore + Send + 'static,
{
    let (tx, rx) = mpsc::channel(INBOX);
    let metrics = Arc::new(Metrics::default());
    let counted = metrics.clone();
    let join = thread::Builder::new()
        .name("lotse-relay-actor".into())
        .spawn(move || run(store, config, rx, counted, guard))?;
    let handle =
        RelayHandle { tx, next_conn: Arc::new(AtomicU64::new(1)), max_frame: config.max_frame, idle_timeout, metrics };
    Ok((handle, join))
}

fn run<S: RelayStore>(
    store: S,
    config: RelayConfig,
    mut rx: mpsc::Receiver<Msg>,
    metrics: Arc<Metrics>,
    guard: Option<DiskGuard>,
) {
    let mut disk_checked: Option<Instant> = None;
    let mut ticked: Option<Instant> = None;
    let mut core = RelayCore::new(config);
    let mut store = Logged { store, metrics: metrics.clone() };
    // Who may use what: folded from the stored membership logs before the
    // first connection is served. A store that cannot say lets nobody in
    // (every device is refused until it can), rather than guessing.
    match store.membership_logs() {
        Ok(logs) => {
            let networks = logs.len();
            let skipped = core.restore(logs);
            tracing::info!(networks, skipped, "membership restored");
        }
        Err(e) => tracing::error!(error = %e, "cannot read the membership logs; every device is refused"),
    }
    let mut outboxes: HashMap<ConnId, OutboxSender> = HashMap::new();
    while let Some(first) = rx.blocking_recv() {
        core.set_now(SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64));
        if let Some(guard) = &guard {
            if disk_checked.is_none_or(|t| t.elapsed() >= DISK_CHECK_EVERY) {
                disk_checked = Some(Instant::now());
                let full = guard.nearly_full();
                if full {
                    tracing::error!(dir = %guard.dir.display(), "the disk is nearly full: pushes and snapshots are refused");
                }
                core.set_disk_full(full);
            }
        }
        // Whatever waits joins the batch: pushes that arrived together are
        // committed together.
        let mut batch = Batch::paced(&mut core, &mut store);
        // Old epochs whose rewrite's deadline passed are deleted (at the
        // first batch after a start too: what a stopped relay left).
        if ticked.is_none_or(|t| t.elapsed() >= TICK_EVERY) {
            ticked = Some(Instant::now());
            batch.handle(RelayEvent::Tick);
        }
        let (mut taken, mut bytes) = (0, 0);
        let mut fresh = Vec::new();
        let mut next = Some(first);
        while let Some(msg) = next {
            taken += 1;
            match &msg {
                Msg::Frame { bytes: frame, .. } => bytes += frame.len(),
                Msg::Connected { conn, .. } => fresh.push(*conn),
                _ => {}
            }
            if let Some(event) = event(msg, &mut outboxes) {
                batch.handle(event);
            }
            next = if taken < BATCH_MESSAGES && bytes < BATCH_BYTES { rx.try_recv().ok() } else { None };
        }
        let out = batch.finish();
        metrics.batch();
        // A connection the core did not take (past the cap) gets its refusal
        // and is then closed.
        let refused: Vec<ConnId> = fresh.into_iter().filter(|c| !core.is_connected(*c)).collect();
        // Armed before the page goes into the outbox, so the outbox cannot
        // drain unnoticed in between.
        for conn in &out.when_drained {
            if let Some(outbox) = outboxes.get(conn) {
                outbox.wants_drained.store(true, Ordering::Release);
            }
        }
        let behind = deliver(&outboxes, out.sends, &metrics);
        for conn in refused {
            outboxes.remove(&conn);
        }
        for conn in behind {
            tracing::warn!(conn = conn.0, "dropping a connection that does not read its frames");
            metrics.dropped();
            outboxes.remove(&conn);
            drive(&mut core, &mut store, RelayEvent::Disconnected(conn));
        }
    }
    tracing::debug!("relay actor stopped");
}

/// The event a message is for the core, if any; keeps `outboxes` current.
fn event(msg: Msg, outboxes: &mut HashMap<ConnId, OutboxSender>) -> Option<RelayEvent> {
    match msg {
        Msg::Connected { conn, outbox } => {
            outboxes.insert(conn, outbox);
            tracing::debug!(conn = conn.0, connections = outboxes.len(), "connected");
            Some(RelayEvent::Connected(conn))
        }
        // A frame still in flight from a connection the actor dropped.
        Msg::Frame { conn, .. } | Msg::Drained { conn } if !outboxes.contains_key(&conn) => None,
        Msg::Frame { conn, bytes } => Some(RelayEvent::Frame(conn, bytes)),
        Msg::Ping(answer) => {
            let _ = answer.send(());
            None
        }
        Msg::Drained { conn } => Some(RelayEvent::Drained(conn)),
        Msg::Elsewhere { addr, seq } => Some(RelayEvent::AppendedElsewhere { addr, seq }),
        Msg::Resync => Some(RelayEvent::MissedElsewhere),
        Msg::Disconnected { conn } => {
            outboxes.remove(&conn)?;
            tracing::debug!(conn = conn.0, connections = outboxes.len(), "disconnected");
            Some(RelayEvent::Disconnected(conn))
        }
    }
}

/// Puts each frame into its connection's outbox. Returns the connections
/// that were already too far behind before these frames.
fn deliver(outboxes: &HashMap<ConnId, OutboxSender>, sends: Vec<(ConnId, Vec<u8>)>, metrics: &Metrics) -> Vec<ConnId> {
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
            let len = frame.len();
            outbox.queued.fetch_add(len, Ordering::Relaxed);
            // A closed outbox means the connection is ending; its
            // Disconnected is on the way.
            if outbox.tx.send(frame).is_ok() {
                metrics.queued(len);
            }
        }
    }
    behind
}

/// Logs store failures for the operator (the device only gets an error
/// frame) and counts commits, their time, and failures.
struct Logged<S> {
    store: S,
    metrics: Arc<Metrics>,
}

impl<S: RelayStore> Logged<S> {
    fn log<T>(&self, what: &str, addr: DocAddr, result: Result<T, S::Error>) -> Result<T, S::Error> {
        if let Err(e) = &result {
            self.metrics.store_error();
            tracing::error!(%addr, error = %e, "store {what} failed");
        }
        result
    }
}

impl<S: RelayStore> RelayStore for Logged<S> {
    type Error = S::Error;

    fn append_batch(&mut self, batch: &[NewBundle<'_>]) -> Result<Vec<(Seq, bool)>, S::Error> {
        let started = Instant::now();
        let result = self.store.append_batch(batch);
        match &result {
            Ok(done) => {
                let fresh = done.iter().filter(|(_, fresh)| *fresh).count() as u64;
                let bytes = batch.iter().zip(done).filter(|(_, (_, fresh))| *fresh).map(|(b, _)| b.sealed.len() as u64);
                self.metrics.committed(started.elapsed(), fresh, done.len() as u64 - fresh, bytes.sum());
            }
            Err(e) => {
                self.metrics.store_error();
                tracing::error!(bundles = batch.len(), error = %e, "store append failed; nothing of the batch was acknowledged");
            }
        }
        result
    }

    fn head(&self, addr: DocAddr) -> Result<Seq, S::Error> {
        self.log("head", addr, self.store.head(addr))
    }

    fn bundles_page(&self, addr: DocAddr, since: Seq, limit: PageLimit) -> Result<Vec<StoredBundle>, S::Error> {
        self.log("read", addr, self.store.bundles_page(addr, since, limit))
    }

    fn put_snapshot(&mut self, addr: DocAddr, snapshot: StoredSnapshot) -> Result<(), S::Error> {
        let result = self.store.put_snapshot(addr, snapshot);
        self.log("snapshot write", addr, result)
    }

    fn snapshot(&self, addr: DocAddr) -> Result<Option<StoredSnapshot>, S::Error> {
        self.log("snapshot read", addr, self.store.snapshot(addr))
    }

    fn membership_logs(&self) -> Result<Vec<(DocumentId, Vec<Vec<u8>>)>, S::Error> {
        let result = self.store.membership_logs();
        if let Err(e) = &result {
            self.metrics.store_error();
            tracing::error!(error = %e, "store membership read failed");
        }
        result
    }

    fn generation(&self, addr: DocAddr) -> Result<Generation, S::Error> {
        self.log("generation read", addr, self.store.generation(addr))
    }

    fn renew_generation(&mut self, addr: DocAddr) -> Result<Generation, S::Error> {
        let result = self.store.renew_generation(addr);
        if result.is_ok() {
            tracing::warn!(%addr, "a device had read past the end of this log: the relay lost data (restored from an old backup?); the log has a new generation, and its devices push their documents again");
        }
        self.log("generation renewal", addr, result)
    }

    fn renew_all_generations(&mut self) -> Result<usize, S::Error> {
        self.store.renew_all_generations()
    }

    fn delete_epoch(&mut self, addr: DocAddr) -> Result<(), S::Error> {
        let result = self.store.delete_epoch(addr);
        self.log("delete an old epoch of", addr, result)
    }

    fn appended_generation(&self, addr: DocAddr) -> Result<Generation, S::Error> {
        self.log("generation read", addr, self.store.appended_generation(addr))
    }
}
