//! A worker process: its share of the devices (or connections), all on one
//! single-threaded runtime, so that each process uses at most one core.
//!
//! Every connection proves its device (protocol 3): it answers the relay's
//! challenge with `Auth`. In the fan-out run the first device of each
//! document founds a network holding it and admits the other four; the
//! worker connects those founders first, prints `founded <n>` once their
//! statements are acknowledged, and waits for `connect` on stdin (every
//! worker's founders are done by then), so that no device proves itself
//! before its network admits it. Then it connects and subscribes the rest,
//! prints `ready <n>`, waits for `go <t0>` on stdin (t0 in wall-clock ns,
//! shared by every worker), runs its schedule from t0, and prints
//! `result <json Tally>`.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{bail, Context as _, Result};
use futures_util::{FutureExt as _, SinkExt, StreamExt};
use lotse_sync::envelope::CommunityKey;
use lotse_sync::membership::{membership_addr, testing, DeviceKey, Signed};
use lotse_sync::wire::{Auth, ClientFrame, Hello, Push, RelayFrame, Subscribe, PROTOCOL_VERSION};
use lotse_sync::{DocAddr, DocumentId, KeyId, Seq};
use tokio::net::TcpStream;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::bundle::{community_key, device_change, doc_addr, push_frame, push_of, Stamp};
use crate::identity::{device_key, founding, network};
use crate::plan::{members, offset_ns, Job, Tally, WorkerPlan, PER_DOC};

pub(crate) type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Connections opened at once; more only overflows the relay's accept queue.
const CONNECTING: usize = 64;
/// Different changes a worker makes up front; its devices take turns with them.
const CHANGES: u64 = 32;
/// tungstenite allocates this much per connection up front (128 KiB by
/// default); frames here are a few hundred bytes.
const READ_BUFFER: usize = 4 * 1024;
/// How long opening one connection may take.
const OPEN_TIMEOUT: Duration = Duration::from_secs(60);

/// Runs the worker described by `plan` (JSON) and prints its report.
pub(crate) fn main(plan: &str) -> Result<()> {
    let plan: WorkerPlan = serde_json::from_str(plan).context("the worker's plan")?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let tally = runtime.block_on(async {
        match plan.job {
            Job::Fanout { devices, warmup_ms, window_ms, drain_ms } => {
                fanout(&plan, devices, Window { warmup_ms, window_ms, drain_ms }).await
            }
            Job::Throughput { connections, in_flight, warmup_ms, window_ms } => {
                throughput(&plan, connections, in_flight, Window { warmup_ms, window_ms, drain_ms: 0 }).await
            }
        }
    })?;
    println!("result {}", serde_json::to_string(&tally)?);
    Ok(())
}

fn wall_ns() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64)
}

#[derive(Debug, Clone, Copy)]
struct Window {
    warmup_ms: u64,
    window_ms: u64,
    drain_ms: u64,
}

/// The run's timeline in wall-clock ns (which every process shares), and
/// this process's monotonic clock to sleep by.
#[derive(Debug, Clone, Copy)]
struct Timeline {
    t0: u64,
    /// The measured window: from the end of the warm-up to its end.
    from: u64,
    to: u64,
    /// Devices stop listening here.
    end: u64,
    wall_then: u64,
    instant_then: Instant,
}

impl Timeline {
    fn new(t0: u64, w: Window) -> Self {
        let from = t0 + w.warmup_ms * 1_000_000;
        let to = from + w.window_ms * 1_000_000;
        Self { t0, from, to, end: to + w.drain_ms * 1_000_000, wall_then: wall_ns(), instant_then: Instant::now() }
    }

    fn instant(&self, wall: u64) -> Instant {
        match wall.checked_sub(self.wall_then) {
            Some(ahead) => self.instant_then + Duration::from_nanos(ahead),
            None => self.instant_then,
        }
    }

    fn in_window(&self, wall: u64) -> bool {
        (self.from..self.to).contains(&wall)
    }
}

/// Opens a connection, says `Hello` and reads the `Welcome`: the
/// connection's challenge.
pub(crate) async fn open(relay: SocketAddr) -> Result<(Ws, [u8; 32])> {
    let config = WebSocketConfig::default().read_buffer_size(READ_BUFFER);
    // No Nagle: browsers send WebSocket frames at once too.
    let connect = tokio_tungstenite::connect_async_with_config(format!("ws://{relay}/sync"), Some(config), true);
    let (mut ws, _) = tokio::time::timeout(OPEN_TIMEOUT, connect).await.context("connecting timed out")??;
    send(&mut ws, ClientFrame::Hello(Hello { version: PROTOCOL_VERSION })).await?;
    let challenge = expect(&mut ws, "the Welcome", |f| match f {
        RelayFrame::Welcome(w) => Some(w.challenge),
        _ => None,
    })
    .await?;
    Ok((ws, challenge))
}

pub(crate) async fn send(ws: &mut Ws, frame: ClientFrame) -> Result<()> {
    ws.send(Message::Binary(frame.encode().into())).await.context("sending a frame")
}

pub(crate) async fn next_frame(ws: &mut Ws) -> Result<RelayFrame> {
    loop {
        match ws.next().await {
            Some(Ok(Message::Binary(bytes))) => return RelayFrame::decode(&bytes).context("a frame from the relay"),
            Some(Ok(Message::Close(close))) => bail!("the relay closed the connection: {close:?}"),
            Some(Ok(_)) => {}
            Some(Err(e)) => return Err(e).context("reading from the relay"),
            None => bail!("the relay closed the connection"),
        }
    }
}

/// Reads until `want` takes a frame; an `Error` frame is a refusal.
pub(crate) async fn expect<T>(ws: &mut Ws, what: &str, mut want: impl FnMut(RelayFrame) -> Option<T>) -> Result<T> {
    let wait = async {
        loop {
            match next_frame(ws).await? {
                RelayFrame::Error(e) => bail!("the relay refused ({what}): {:?}: {}", e.code, e.message),
                frame => {
                    if let Some(t) = want(frame) {
                        return Ok(t);
                    }
                }
            }
        }
    };
    tokio::time::timeout(OPEN_TIMEOUT, wait).await.with_context(|| format!("no answer from the relay ({what})"))?
}

/// Hands statements to the relay and reads an `Ack` for each: the network
/// holds them before anyone relies on them.
pub(crate) async fn hand_over(ws: &mut Ws, network: DocumentId, statements: &[Signed]) -> Result<()> {
    let addr = membership_addr(network);
    let mut waiting: Vec<_> = statements.iter().map(Signed::id).collect();
    for s in statements {
        let push = Push { addr, bundle_id: s.id(), key_id: KeyId(0), sealed: s.encode() };
        send(ws, ClientFrame::Push(push)).await?;
    }
    while !waiting.is_empty() {
        let acked = expect(ws, "the founding", |f| match f {
            RelayFrame::Ack(a) if a.addr == addr => Some(a.bundle_id),
            _ => None,
        })
        .await?;
        waiting.retain(|id| *id != acked);
    }
    Ok(())
}

/// Answers the connection's challenge as `key`, a device of `network`, and
/// reads the relay's `Authenticated`.
pub(crate) async fn prove(ws: &mut Ws, challenge: &[u8; 32], key: &DeviceKey, network: DocumentId) -> Result<()> {
    let auth = Auth { network, device: key.id(), signature: key.answer(challenge, network) };
    send(ws, ClientFrame::Auth(auth)).await?;
    expect(ws, "the answer to the challenge", |f| matches!(f, RelayFrame::Authenticated(_)).then_some(())).await
}

/// Subscribes to `addr` from the start and reads until its `CaughtUp`.
async fn subscribe(ws: &mut Ws, addr: DocAddr) -> Result<()> {
    send(
        ws,
        ClientFrame::Subscribe(Subscribe {
            addr,
            since: Seq(0),
            snapshot: true,
            generation: lotse_sync::Generation::NONE,
            at: None,
        }),
    )
    .await?;
    expect(ws, "the subscription", |f| matches!(f, RelayFrame::CaughtUp(c) if c.addr == addr).then_some(())).await
}

/// Says that this worker's founders are done and waits until every
/// worker's are.
async fn founded_then_connect(founded: usize) -> Result<()> {
    println!("founded {founded}");
    let line = read_line().await?;
    if line.trim() != "connect" {
        bail!("expected `connect`, got {line:?}");
    }
    Ok(())
}

async fn read_line() -> Result<String> {
    let line = tokio::task::spawn_blocking(|| {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).map(|_| line)
    })
    .await??;
    Ok(line)
}

/// Says how many connections are up and waits for the coordinator's start time.
async fn ready_then_go(connected: usize) -> Result<u64> {
    println!("ready {connected}");
    let line = read_line().await?;
    line.trim()
        .strip_prefix("go ")
        .and_then(|t| t.parse().ok())
        .with_context(|| format!("expected `go <t0>`, got {line:?}"))
}

/// Opens every connection of `ids` with `opening`, a few at a time.
async fn open_all<T, F, Fut>(ids: Vec<u32>, opening: F) -> Result<Vec<T>>
where
    F: Fn(u32) -> Fut,
    Fut: std::future::Future<Output = Result<T>>,
{
    let total = ids.len();
    let results: Vec<Result<T>> =
        futures_util::stream::iter(ids).map(opening).buffer_unordered(CONNECTING).collect().await;
    let failed = results.iter().filter(|r| r.is_err()).count();
    let mut opened = Vec::with_capacity(total);
    for result in results {
        match result {
            Ok(t) => opened.push(t),
            Err(e) => bail!("{failed} of {total} connections could not be opened; the first: {e:#}"),
        }
    }
    Ok(opened)
}

struct Device {
    id: u32,
    addr: DocAddr,
    /// The other devices of its document, which must each receive its pushes.
    peers: u32,
    plaintext: Arc<Vec<u8>>,
    ws: Ws,
}

async fn fanout(plan: &WorkerPlan, devices: u32, window: Window) -> Result<Tally> {
    let salt = plan.salt;
    let changes: Vec<Arc<Vec<u8>>> =
        (0..CHANGES).map(|n| device_change(doc_addr(salt, n), n).map(Arc::new)).collect::<Result<_>>()?;
    let connect = |id: u32| {
        let (relay, plaintext) = (plan.relay_of(id), changes[(id as usize) % changes.len()].clone());
        async move {
            let group = u64::from(id / PER_DOC);
            let (addr, network) = (doc_addr(salt, group), network(salt, group));
            let (mut ws, challenge) = open(relay).await?;
            if id.is_multiple_of(PER_DOC) {
                hand_over(&mut ws, network, &founding(salt, devices, id, addr.doc)).await?;
            }
            prove(&mut ws, &challenge, &device_key(salt, id), network).await?;
            subscribe(&mut ws, addr).await?;
            Ok(Device { id, addr, peers: members(devices, id) - 1, plaintext, ws })
        }
    };
    let (founders, others): (Vec<u32>, Vec<u32>) = plan.mine(devices).partition(|id| id.is_multiple_of(PER_DOC));
    let mut opened = open_all(founders, &connect).await?;
    founded_then_connect(opened.len()).await?;
    opened.extend(open_all(others, &connect).await?);
    let t0 = ready_then_go(opened.len()).await?;
    let timeline = Timeline::new(t0, window);
    let key = Arc::new(community_key());
    let tasks: Vec<_> = opened
        .into_iter()
        .map(|device| tokio::spawn(run_device(device, devices, timeline, key.clone(), salt)))
        .collect();
    let mut tally = Tally::default();
    for task in tasks {
        tally.merge(&task.await?);
    }
    Ok(tally)
}

/// One device: pushes on its schedule, receives what the others push.
async fn run_device(mut dev: Device, devices: u32, t: Timeline, key: Arc<CommunityKey>, salt: u64) -> Tally {
    let mut tally = Tally { connected: 1, ..Tally::default() };
    // Pushes not acknowledged yet: (push number, sent at, counted).
    let mut awaiting: VecDeque<(u32, u64, bool)> = VecDeque::new();
    let offset = offset_ns(devices, dev.id);
    let end = t.instant(t.end);
    let mut k = 0u32;
    loop {
        let scheduled = t.t0 + offset + u64::from(k) * 1_000_000_000;
        let pushing = scheduled < t.to;
        tokio::select! {
            () = tokio::time::sleep_until(t.instant(scheduled)), if pushing => {
                let sent_ns = wall_ns();
                let counted = t.in_window(scheduled);
                let stamp = Stamp { sent_ns, device: dev.id, push: k, counted };
                let frame = push_frame(&key, dev.addr, salt, &dev.plaintext, stamp);
                if dev.ws.send(Message::Binary(frame.into())).await.is_err() {
                    tally.closed += 1;
                    break;
                }
                if counted {
                    tally.lag.record(sent_ns.saturating_sub(scheduled) / 1_000);
                    tally.pushed += 1;
                    tally.expected += u64::from(dev.peers);
                }
                awaiting.push_back((k, sent_ns, counted));
                k += 1;
            }
            message = dev.ws.next() => match message {
                Some(Ok(Message::Binary(bytes))) => receive(&bytes, wall_ns(), &dev, &mut awaiting, &mut tally),
                Some(Ok(Message::Close(_)) | Err(_)) | None => {
                    tally.closed += 1;
                    break;
                }
                Some(Ok(_)) => {}
            },
            () = tokio::time::sleep_until(end) => break,
        }
    }
    tally
}

fn receive(bytes: &[u8], now: u64, dev: &Device, awaiting: &mut VecDeque<(u32, u64, bool)>, tally: &mut Tally) {
    match RelayFrame::decode(bytes) {
        Ok(RelayFrame::Bundle(bundle)) if bundle.addr != dev.addr => tally.stray += 1,
        Ok(RelayFrame::Bundle(bundle)) => {
            if let Some(stamp) = Stamp::read(&bundle.sealed).filter(|s| s.counted) {
                tally.received += 1;
                tally.fanout.record(now.saturating_sub(stamp.sent_ns) / 1_000);
            }
        }
        Ok(RelayFrame::Ack(ack)) => {
            let push = push_of(ack.bundle_id);
            if let Some(i) = awaiting.iter().position(|(p, ..)| *p == push) {
                let (_, sent, counted) = awaiting.remove(i).expect("found at i");
                if counted {
                    tally.acked += 1;
                    tally.ack.record(now.saturating_sub(sent) / 1_000);
                }
            }
        }
        Ok(RelayFrame::Error(e)) => error(tally, format!("{:?}: {}", e.code, e.message)),
        Ok(_) => {}
        Err(e) => error(tally, e.to_string()),
    }
}

fn error(tally: &mut Tally, what: String) {
    tally.errors += 1;
    tally.first_error.get_or_insert(what);
}

async fn throughput(plan: &WorkerPlan, connections: u32, in_flight: u32, window: Window) -> Result<Tally> {
    let salt = plan.salt;
    let plaintext = Arc::new(device_change(doc_addr(salt, 0), 0)?);
    let opened = open_all(plan.mine(connections).collect(), |id| {
        let relay = plan.relay_of(id);
        async move {
            // A network of its own for each connection, founded with its document.
            let n = throughput_doc(id);
            let (addr, network) = (doc_addr(salt, n), network(salt, n));
            let key = device_key(salt, u32::MAX - id);
            let (mut ws, challenge) = open(relay).await?;
            hand_over(&mut ws, network, &[testing::found(&key, network, &[addr.doc])]).await?;
            prove(&mut ws, &challenge, &key, network).await?;
            Ok((id, ws))
        }
    })
    .await?;
    founded_then_connect(opened.len()).await?;
    let t0 = ready_then_go(opened.len()).await?;
    let timeline = Timeline::new(t0, window);
    let key = Arc::new(community_key());
    let tasks: Vec<_> = opened
        .into_iter()
        .map(|(id, ws)| {
            let pushing = Pushing { id, in_flight: in_flight.max(1) as usize, key: key.clone(), salt };
            tokio::spawn(push_pipelined(pushing, ws, timeline, plaintext.clone()))
        })
        .collect();
    let mut tally = Tally::default();
    for task in tasks {
        tally.merge(&task.await?);
    }
    Ok(tally)
}

/// One throughput connection: who it pushes as, and how many of its
/// pushes may wait for their Acks at once.
struct Pushing {
    id: u32,
    in_flight: usize,
    key: Arc<CommunityKey>,
    salt: u64,
}

/// One connection to a document of its own that keeps `in_flight` pushes
/// unacknowledged, as a device sends its whole outbox without waiting for
/// Acks (`ClientCore` pushes every stored outbox entry at once); counts the
/// Acks that arrive in the window. Only an Ack counts: the relay sends it
/// after the push's commit is durable.
async fn push_pipelined(p: Pushing, mut ws: Ws, t: Timeline, plaintext: Arc<Vec<u8>>) -> Tally {
    let mut tally = Tally { connected: 1, ..Tally::default() };
    let addr = doc_addr(p.salt, throughput_doc(p.id));
    tokio::time::sleep_until(t.instant(t.t0)).await;
    let patience = t.instant(t.to) + Duration::from_secs(30);
    // Pushes sent and not acknowledged yet: (push number, sent at).
    let mut awaiting: VecDeque<(u32, u64)> = VecDeque::with_capacity(p.in_flight);
    let mut next = 0u32;
    loop {
        // Tops the window up; the frames go out in one write, as a
        // browser's socket writes what a task sent together.
        let mut fed = false;
        while awaiting.len() < p.in_flight {
            let sent_ns = wall_ns();
            if sent_ns >= t.to {
                break;
            }
            let stamp = Stamp { sent_ns, device: p.id, push: next, counted: false };
            let frame = push_frame(&p.key, addr, p.salt, &plaintext, stamp);
            if ws.feed(Message::Binary(frame.into())).await.is_err() {
                tally.closed += 1;
                return tally;
            }
            awaiting.push_back((next, sent_ns));
            next += 1;
            fed = true;
        }
        if fed && ws.flush().await.is_err() {
            tally.closed += 1;
            return tally;
        }
        if awaiting.is_empty() {
            return tally;
        }
        // Every frame that is already here, then the window is topped up.
        let mut first = true;
        loop {
            let frame = if first {
                match tokio::time::timeout_at(patience, next_frame(&mut ws)).await {
                    Ok(frame) => frame,
                    Err(_) => {
                        error(&mut tally, "no Ack within 30 s of the window's end".into());
                        return tally;
                    }
                }
            } else {
                match next_frame(&mut ws).now_or_never() {
                    Some(frame) => frame,
                    None => break,
                }
            };
            first = false;
            match frame {
                Ok(RelayFrame::Ack(ack)) => {
                    let push = push_of(ack.bundle_id);
                    let Some(i) = awaiting.iter().position(|(k, _)| *k == push) else { continue };
                    let (_, sent_ns) = awaiting.remove(i).expect("found at i");
                    let now = wall_ns();
                    if t.in_window(now) {
                        tally.pushed += 1;
                        tally.acked += 1;
                        tally.ack.record(now.saturating_sub(sent_ns) / 1_000);
                    }
                }
                Ok(RelayFrame::Error(e)) => {
                    error(&mut tally, format!("{:?}: {}", e.code, e.message));
                    tally.closed += 1;
                    return tally;
                }
                Ok(_) => {}
                Err(e) => {
                    error(&mut tally, format!("{e:#}"));
                    tally.closed += 1;
                    return tally;
                }
            }
        }
    }
}

/// The document of throughput connection `id`: beyond the first documents'
/// numbers, so no overlap with a fan-out run.
fn throughput_doc(id: u32) -> u64 {
    u64::from(u32::MAX - id)
}
