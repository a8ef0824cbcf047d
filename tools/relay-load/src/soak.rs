//! `relay-load soak` (`cargo xtask soak --minutes N`): devices keep syncing
//! through a relay that is killed with SIGKILL and started again at random
//! moments, on the same SQLite file and port, while their connections are
//! cut at random. At the end every bundle the relay acknowledged must be in
//! its store (read after one more kill and restart) at the seq it was
//! acknowledged with, and on every device of its document, applied in seq
//! order.
//!
//! The devices are the real client: `lotse_sync`'s `ClientCore`, its writes
//! answered at once by a store in memory, driven over WebSockets with a
//! `Tick` every [`TICK`]. So what is checked is what the app guarantees:
//! its outbox pushed again after every reconnect, its cursor, its gaps
//! filled. Each document's five devices are a network of their own (see
//! `identity`), founded before the devices start. The runner beside each
//! core watches every frame (the `Ack`s with their seqs, the bundles at
//! each seq) and the core's cursor, which gives the order the device
//! applied the log in; [`check`] judges that record.
//!
//! Everything random (when the relay dies and for how long, when a device
//! edits, when its connection is cut, the cores' bundle ids) comes from one
//! seed, printed first, so a run can be replayed (`--seed`); the timing of
//! the sockets themselves is the machine's.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _, Result};
use automerge::ChangeHash;
use clap::Parser;
use futures_util::{SinkExt as _, StreamExt as _};
use lotse_sync::client::{Access, ClientConfig, ClientCore, ClientEffect, ClientEvent, OpenDoc};
use lotse_sync::wire::{ClientFrame, RelayFrame, Subscribe};
use lotse_sync::{BundleId, DocAddr, Seq};
use tokio::sync::watch;
use tokio_tungstenite::tungstenite::Message;

use crate::bundle::{community_key, consultation, doc_addr, Seeded};
use crate::identity::{device_key, founding, network};
use crate::plan::PER_DOC;
use crate::relay::RelayProcess;
use crate::worker::{hand_over, next_frame, open, prove, send, Ws};

/// How often a device's core gets a `Tick`.
const TICK: Duration = Duration::from_millis(200);
/// The core's timers, short so that a soak of minutes resends, resyncs,
/// compacts and uploads snapshots many times over.
const CLIENT: ClientConfig =
    ClientConfig { resend_after: 1_000, resync_every: 5_000, snapshot_every: 32, compact_every: 48 };
/// How long the relay stays dead after a kill.
const DOWN_MS: (u64, u64) = (50, 1_500);
/// How long a device waits before it connects again after a failure or a cut.
const RECONNECT_MS: (u64, u64) = (20, 400);
/// How long a connection attempt may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// Findings printed at most; the rest are counted.
const SHOWN: usize = 20;

/// A range of durations, written `2..8` (seconds) or `5` on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub lo: Duration,
    pub hi: Duration,
}

impl Span {
    pub fn secs(lo: f64, hi: f64) -> Self {
        Self { lo: Duration::from_secs_f64(lo), hi: Duration::from_secs_f64(hi) }
    }

    fn draw(&self, rng: &mut Seeded) -> Duration {
        Duration::from_millis(rng.range(self.lo.as_millis() as u64, self.hi.as_millis() as u64))
    }
}

impl std::str::FromStr for Span {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let secs = |t: &str| t.trim().parse::<f64>().ok().filter(|v| v.is_finite() && *v >= 0.0);
        let (lo, hi) = match s.split_once("..") {
            Some((lo, hi)) => (secs(lo), secs(hi)),
            None => (secs(s), secs(s)),
        };
        match (lo, hi) {
            (Some(lo), Some(hi)) if lo <= hi => Ok(Span::secs(lo, hi)),
            _ => Err(format!("expected seconds as `LO..HI` or `N`, got {s:?}")),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    /// The relay binary (a release build for `cargo xtask soak`).
    pub relay: PathBuf,
    /// Where the run's folder (the relay's database and log) is made.
    pub data_dir: PathBuf,
    /// How long the devices edit while the relay is killed and connections are cut.
    pub duration: Duration,
    /// Devices, five to a document.
    pub devices: u32,
    pub seed: u64,
    /// How long the relay runs between kills.
    pub kill_every: Span,
    /// How long each device's connection lasts before it is cut.
    pub cut_every: Span,
    /// How often each device makes a change.
    pub edit_every: Span,
    /// How long the devices get, after the last restart, to push and read
    /// everything; what is missing then is reported.
    pub settle: Duration,
    /// The last restart is on an empty database (the networks founded
    /// again), as a relay restored from nothing: everything acknowledged
    /// before is lost, which the check must report. For the test of the
    /// soak itself.
    pub lose_store_at_end: bool,
}

impl Settings {
    /// The defaults of `relay-load soak` for a run of `duration`.
    pub fn new(relay: PathBuf, data_dir: PathBuf, duration: Duration, seed: u64) -> Self {
        Self {
            relay,
            data_dir,
            duration,
            devices: 15,
            seed,
            kill_every: Span::secs(3.0, 12.0),
            cut_every: Span::secs(2.0, 10.0),
            edit_every: Span::secs(0.15, 0.8),
            settle: Duration::from_secs(60),
            lose_store_at_end: false,
        }
    }
}

/// Soaks a relay: devices syncing through a relay killed with SIGKILL and
/// restarted at random (seeded) moments, their connections cut at random;
/// then checks that every acknowledged bundle is in the relay's store and
/// on every device of its document, in order. Exits 1 on any loss.
#[derive(Debug, Parser)]
#[command(name = "relay-load soak", bin_name = "relay-load soak")]
struct Cli {
    /// The relay binary to start (a release build).
    #[arg(long, default_value = "target/release/lotse-relay", value_name = "PATH")]
    relay: PathBuf,
    /// Where the run's folder goes (kept when something was lost).
    #[arg(long, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Minutes the devices edit while the relay is killed.
    #[arg(long, conflicts_with = "seconds")]
    minutes: Option<u64>,
    /// Seconds, for a short run.
    #[arg(long)]
    seconds: Option<u64>,
    /// Devices, five to a document.
    #[arg(long, default_value_t = 15)]
    devices: u32,
    /// The seed of every random choice (default: the clock); printed first.
    #[arg(long)]
    seed: Option<u64>,
    /// Seconds the relay runs between kills, `LO..HI`.
    #[arg(long, value_name = "SECONDS")]
    kill_every: Option<Span>,
    /// Seconds a device's connection lasts before it is cut, `LO..HI`.
    #[arg(long, value_name = "SECONDS")]
    cut_every: Option<Span>,
    /// Seconds between a device's changes, `LO..HI`.
    #[arg(long, value_name = "SECONDS")]
    edit_every: Option<Span>,
}

/// `relay-load soak [FLAGS]`: prints the summary; an error if anything was lost.
pub(crate) fn main(args: &[String]) -> Result<()> {
    let cli = Cli::parse_from(args);
    let duration = match (cli.minutes, cli.seconds) {
        (_, Some(s)) => Duration::from_secs(s),
        (Some(m), None) => Duration::from_secs(m * 60),
        (None, None) => Duration::from_secs(60),
    };
    let seed = cli.seed.unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64)
    });
    let data_dir = cli.data_dir.unwrap_or_else(std::env::temp_dir);
    let mut settings = Settings::new(cli.relay, data_dir, duration, seed);
    settings.devices = cli.devices.max(1);
    settings.kill_every = cli.kill_every.unwrap_or(settings.kill_every);
    settings.cut_every = cli.cut_every.unwrap_or(settings.cut_every);
    settings.edit_every = cli.edit_every.unwrap_or(settings.edit_every);
    let summary = run(&settings)?;
    println!("{summary}");
    if !summary.held() {
        bail!("the soak lost or reordered acknowledged bundles (replay with --seed {seed})");
    }
    Ok(())
}

/// What a soak did and found.
#[derive(Debug)]
pub struct Summary {
    pub seed: u64,
    pub duration: Duration,
    pub devices: u32,
    pub documents: u32,
    /// Distinct bundles the relay acknowledged.
    pub acked: u64,
    /// Bundles in the relay's store at the end.
    pub stored: u64,
    /// Times the relay was killed with SIGKILL (the last after the devices stopped editing).
    pub kills: u64,
    /// Connections cut by the devices.
    pub cuts: u64,
    /// Connections opened again after the first.
    pub reconnects: u64,
    /// Problems the devices' cores reported (the relay's error answers,
    /// such as `StoreFailed` or `OverQuota`, after which they send again):
    /// worth a look, not losses.
    pub problems: u64,
    pub first_problem: Option<String>,
    /// Whether every device was caught up with nothing to push before the settle time ran out.
    pub settled: bool,
    /// The run's folder, kept when anything was found.
    pub kept: Option<PathBuf>,
    pub findings: Vec<Finding>,
}

impl Summary {
    /// Nothing acknowledged was lost or moved, and every device holds it all in order.
    pub fn held(&self) -> bool {
        self.findings.is_empty()
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "soak: seed {} (replay: --seed {})", self.seed, self.seed)?;
        writeln!(
            f,
            "soak: {} s, {} devices, {} documents; pushes acknowledged {}, bundles in the store {}",
            self.duration.as_secs(),
            self.devices,
            self.documents,
            self.acked,
            self.stored
        )?;
        writeln!(
            f,
            "soak: relay killed (SIGKILL) {} times, connections cut {}, reconnects {}, problems the devices reported {}{}",
            self.kills,
            self.cuts,
            self.reconnects,
            self.problems,
            self.first_problem.as_deref().map_or(String::new(), |e| format!(" (first: {e})"))
        )?;
        if self.held() {
            write!(
                f,
                "soak: verdict: held: every acknowledged bundle is in the relay's store after a restart and on every device of its document, in order"
            )
        } else {
            writeln!(f, "soak: verdict: LOST OR REORDERED: {} findings", self.findings.len())?;
            for finding in self.findings.iter().take(SHOWN) {
                writeln!(f, "soak:   {finding}")?;
            }
            if self.findings.len() > SHOWN {
                writeln!(f, "soak:   ... and {} more", self.findings.len() - SHOWN)?;
            }
            match &self.kept {
                Some(dir) => write!(f, "soak: the relay's database and log are kept in {}", dir.display()),
                None => write!(f, "soak: the relay's folder could not be kept"),
            }
        }
    }
}

/// Runs a soak as `settings` say and checks what it left.
pub fn run(settings: &Settings) -> Result<Summary> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(soak(settings))
}

/// Where the phases stand, for the devices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Edit, and cut the connection now and then.
    Run,
    /// No more edits or cuts: push and read what is left.
    Settle,
    Stop,
}

/// What a device shows the coordinator while it settles.
#[derive(Debug, Clone, Copy, Default)]
struct Status {
    synced: bool,
    cursor: Seq,
}

async fn soak(settings: &Settings) -> Result<Summary> {
    let salt = settings.seed;
    let mut rng = Seeded(settings.seed);
    let documents = settings.devices.div_ceil(PER_DOC);
    std::fs::create_dir_all(&settings.data_dir).with_context(|| format!("creating {}", settings.data_dir.display()))?;
    let dir = tempfile::Builder::new().prefix("soak-").tempdir_in(&settings.data_dir)?;
    let listen = free_port(settings.seed)?;
    // Plenty of disk is no part of the test: the relay refuses pushes only
    // on an almost full one.
    let env: &[(&str, &str)] = &[("LOTSE_MIN_FREE_MIB", "16")];
    let start = {
        let (bin, path) = (settings.relay.clone(), dir.path().to_owned());
        move || {
            let (bin, path) = (bin.clone(), path.clone());
            tokio::task::spawn_blocking(move || RelayProcess::start_in(&bin, &path, listen, env))
        }
    };
    let mut relay = start().await??;
    found_networks(listen, salt, settings.devices).await?;

    let started = Instant::now();
    let (phase_tx, phase) = watch::channel(Phase::Run);
    let statuses = Arc::new(Mutex::new(vec![Status::default(); settings.devices as usize]));
    let tasks: Vec<_> = (0..settings.devices)
        .map(|id| {
            let device = Device::new(id, settings, salt, Seeded(rng.next_u64()));
            tokio::spawn(device.run(listen, started, phase.clone(), statuses.clone()))
        })
        .collect();

    // Kill the relay at random moments until the time is up.
    let mut kills = 0;
    let end = started + settings.duration;
    loop {
        let at = Instant::now() + settings.kill_every.draw(&mut rng);
        if at >= end {
            tokio::time::sleep_until(end.into()).await;
            break;
        }
        tokio::time::sleep_until(at.into()).await;
        tokio::task::spawn_blocking(move || relay.kill()).await??;
        kills += 1;
        tokio::time::sleep(Duration::from_millis(rng.range(DOWN_MS.0, DOWN_MS.1))).await;
        relay = start().await??;
    }
    // Once more with nothing going on: what is checked is the store as the
    // relay finds it after a kill.
    phase_tx.send_replace(Phase::Settle);
    tokio::task::spawn_blocking(move || relay.kill()).await??;
    kills += 1;
    if settings.lose_store_at_end {
        std::fs::remove_dir_all(dir.path().join("data")).context("removing the relay's database")?;
    }
    let relay = start().await??;
    if settings.lose_store_at_end {
        found_networks(listen, salt, settings.devices).await?;
    }

    let unsettled = settle(settings, documents, &statuses).await;
    let mut logs = Vec::new();
    for group in 0..documents {
        logs.push(read_log(listen, salt, group).await.with_context(|| format!("reading document {group}'s log"))?);
    }
    phase_tx.send_replace(Phase::Stop);
    let mut reports = Vec::new();
    for task in tasks {
        reports.push(task.await?);
    }
    drop(relay);

    let seen = gather(salt, documents, logs, &reports);
    let mut findings = check(&seen);
    if !unsettled.is_empty() {
        findings.push(Finding::Unsettled { devices: unsettled.clone() });
    }
    let acked = seen
        .iter()
        .map(|d| d.devices.iter().flat_map(|v| v.acked.keys()).collect::<BTreeSet<_>>().len())
        .sum::<usize>();
    let first_problem = reports.iter().find_map(|r| r.first_problem.clone());
    let kept = if findings.is_empty() { None } else { Some(dir.keep()) };
    Ok(Summary {
        seed: settings.seed,
        duration: settings.duration,
        devices: settings.devices,
        documents,
        acked: acked as u64,
        stored: seen.iter().map(|d| d.log.len() as u64).sum(),
        kills,
        cuts: reports.iter().map(|r| r.cuts).sum(),
        reconnects: reports.iter().map(|r| r.connections.saturating_sub(1)).sum(),
        problems: reports.iter().map(|r| r.problems).sum(),
        first_problem,
        settled: unsettled.is_empty(),
        kept,
        findings,
    })
}

/// Each document's network, founded with its document (before its devices connect).
async fn found_networks(relay: SocketAddr, salt: u64, devices: u32) -> Result<()> {
    for group in 0..devices.div_ceil(PER_DOC) {
        let (mut ws, _) = open(relay).await?;
        let doc = doc_addr(salt, u64::from(group)).doc;
        hand_over(&mut ws, network(salt, u64::from(group)), &founding(salt, devices, group * PER_DOC, doc)).await?;
    }
    Ok(())
}

/// A port on 127.0.0.1 below the range the kernel hands out to outgoing
/// connections: a device connecting while the relay is dead could
/// otherwise be given the relay's own port and connect to itself.
fn free_port(seed: u64) -> Result<SocketAddr> {
    let ephemeral = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|r| r.split_whitespace().next()?.parse::<u64>().ok())
        .unwrap_or(32768);
    let mut rng = Seeded(seed ^ 0x5eed_90a7);
    for _ in 0..200 {
        let port = rng.range(10_000, ephemeral.max(10_001) - 1) as u16;
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        if TcpListener::bind(addr).is_ok() {
            return Ok(addr);
        }
    }
    bail!("no free port on 127.0.0.1 below {ephemeral}")
}

/// Waits until every device is connected, a member, caught up, with
/// nothing to push, and the devices of each document at one cursor.
/// Returns the devices that were not, when the settle time ran out.
async fn settle(settings: &Settings, documents: u32, statuses: &Mutex<Vec<Status>>) -> Vec<u32> {
    let deadline = Instant::now() + settings.settle;
    loop {
        tokio::time::sleep(TICK).await;
        let statuses = statuses.lock().expect("not poisoned").clone();
        let one_cursor = (0..documents).all(|group| {
            let of_doc = statuses.iter().skip((group * PER_DOC) as usize).take(PER_DOC as usize);
            of_doc.map(|s| s.cursor).collect::<BTreeSet<_>>().len() == 1
        });
        if one_cursor && statuses.iter().all(|s| s.synced) {
            return vec![];
        }
        if Instant::now() >= deadline {
            return (0..settings.devices).filter(|&d| !statuses[d as usize].synced).collect();
        }
    }
}

/// The log of document `group` as the relay's store has it: every bundle
/// from seq 1 (no snapshot), read as the document's founder.
async fn read_log(relay: SocketAddr, salt: u64, group: u32) -> Result<Vec<(Seq, BundleId)>> {
    let addr = doc_addr(salt, u64::from(group));
    let (mut ws, challenge) = open(relay).await?;
    prove(&mut ws, &challenge, &device_key(salt, group * PER_DOC), network(salt, u64::from(group))).await?;
    send(
        &mut ws,
        ClientFrame::Subscribe(Subscribe {
            addr,
            since: Seq(0),
            snapshot: false,
            generation: lotse_sync::Generation::NONE,
            at: None,
        }),
    )
    .await?;
    let mut log = Vec::new();
    let read = async {
        loop {
            match next_frame(&mut ws).await? {
                RelayFrame::Bundle(b) if b.addr == addr => log.push((b.seq, b.bundle_id)),
                RelayFrame::CaughtUp(c) if c.addr == addr => {
                    if c.head != Seq(log.len() as u64) {
                        bail!("the relay says its head is {} but sent {} bundles", c.head.0, log.len());
                    }
                    return Ok(());
                }
                RelayFrame::Error(e) => bail!("the relay refused to read the log: {:?}: {}", e.code, e.message),
                _ => {}
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(60), read).await.context("the log did not come within 60 s")??;
    Ok(log)
}

/// One simulated device: `ClientCore` and the record of what it saw.
struct Device {
    id: u32,
    addr: DocAddr,
    core: ClientCore<Seeded>,
    rng: Seeded,
    edit_every: Span,
    cut_every: Span,
    report: Report,
}

/// What a device saw, for [`check`].
#[derive(Debug, Default)]
struct Report {
    device: u32,
    /// Each bundle the relay acknowledged to it, with the seq.
    acked: BTreeMap<BundleId, Seq>,
    /// The bundle at each seq, as the relay sent it (or acknowledged it).
    at: BTreeMap<Seq, BundleId>,
    /// The seqs in the order its cursor passed them; `None`: taken from a
    /// snapshot, its bundle never seen on its own.
    applied: Vec<(Seq, Option<BundleId>)>,
    /// The change each of its bundles carries.
    made: Vec<(BundleId, ChangeHash)>,
    /// The changes its document holds at the end.
    holds: BTreeSet<ChangeHash>,
    /// What it saw the relay contradict itself in.
    anomalies: Vec<String>,
    cuts: u64,
    connections: u64,
    problems: u64,
    first_problem: Option<String>,
}

impl Device {
    fn new(id: u32, settings: &Settings, salt: u64, mut rng: Seeded) -> Self {
        let group = u64::from(id / PER_DOC);
        let addr = doc_addr(salt, group);
        let mut core = ClientCore::new(Seeded(rng.next_u64()), CLIENT);
        core.set_identity(lotse_sync::client::Identity { key: device_key(salt, id), network: network(salt, group) });
        let open = OpenDoc {
            addr,
            keys: lotse_sync::envelope::Keyring::new(community_key()),
            doc: automerge::AutoCommit::new(),
            cursor: Seq(0),
            generation: lotse_sync::Generation::NONE,
            at: None,
            outbox: vec![],
            chunks: 0,
        };
        // Not connected yet: opening sends nothing.
        let _ = core.open(0, open);
        Self {
            id,
            addr,
            core,
            rng,
            edit_every: settings.edit_every,
            cut_every: settings.cut_every,
            report: Report { device: id, ..Report::default() },
        }
    }

    async fn run(
        mut self,
        relay: SocketAddr,
        started: Instant,
        mut phase: watch::Receiver<Phase>,
        statuses: Arc<Mutex<Vec<Status>>>,
    ) -> Report {
        let now = || started.elapsed().as_millis() as u64;
        let mut ws: Option<Ws> = None;
        let mut tick = tokio::time::interval(TICK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut edit_at = Instant::now() + self.edit_every.draw(&mut self.rng);
        let mut cut_at = Instant::now();
        let mut connect_at = Instant::now();
        let mut edits = 0u64;
        loop {
            let running = *phase.borrow() == Phase::Run;
            if *phase.borrow() == Phase::Stop {
                break;
            }
            if ws.is_none() && Instant::now() >= connect_at {
                let config = tokio_tungstenite::tungstenite::protocol::WebSocketConfig::default();
                let connect =
                    tokio_tungstenite::connect_async_with_config(format!("ws://{relay}/sync"), Some(config), true);
                match tokio::time::timeout(CONNECT_TIMEOUT, connect).await {
                    Ok(Ok((socket, _))) => {
                        ws = Some(socket);
                        self.report.connections += 1;
                        cut_at = Instant::now() + self.cut_every.draw(&mut self.rng);
                        let effects = self.core.handle(now(), ClientEvent::Connected);
                        self.carry_out(&mut ws, now(), effects).await;
                    }
                    _ => connect_at = Instant::now() + self.reconnect_delay(),
                }
                continue;
            }
            let had = ws.is_some();
            tokio::select! {
                _ = tick.tick() => {
                    let effects = self.core.handle(now(), ClientEvent::Tick);
                    self.carry_out(&mut ws, now(), effects).await;
                    let status = self.status();
                    statuses.lock().expect("not poisoned")[self.id as usize] = status;
                }
                () = tokio::time::sleep_until(edit_at.into()), if running => {
                    edits += 1;
                    let n = u64::from(self.id) << 32 | edits;
                    match self.core.change(now(), self.addr, |doc| consultation(doc, n)) {
                        Ok(change) => {
                            // A local change depends on every head: it is the one head now.
                            let heads = self.core.inspect(self.addr, |doc| doc.get_heads()).unwrap_or_default();
                            if let (Some(bundle), Some(hash)) = (change.bundle, heads.first()) {
                                self.report.made.push((bundle, *hash));
                            }
                            self.carry_out(&mut ws, now(), change.effects).await;
                        }
                        Err(e) => self.report.anomalies.push(format!("device {} could not edit: {e}", self.id)),
                    }
                    edit_at = Instant::now() + self.edit_every.draw(&mut self.rng);
                }
                () = tokio::time::sleep_until(cut_at.into()), if running && ws.is_some() => {
                    // Cut: the socket dropped without a close frame.
                    ws = None;
                    self.report.cuts += 1;
                    self.disconnected(now()).await;
                }
                () = tokio::time::sleep_until(connect_at.into()), if ws.is_none() => {}
                message = next_message(&mut ws) => match message {
                    Some(Ok(Message::Binary(bytes))) => {
                        self.observe(&bytes);
                        let effects = self.core.handle(now(), ClientEvent::Received(bytes.to_vec()));
                        self.carry_out(&mut ws, now(), effects).await;
                    }
                    Some(Ok(_)) => {}
                    Some(Err(_)) | None => {
                        ws = None;
                        self.disconnected(now()).await;
                    }
                },
                _ = phase.changed() => {}
            }
            // Cut, or broken: a moment before the next attempt, as the app waits.
            if had && ws.is_none() {
                connect_at = Instant::now() + self.reconnect_delay();
            }
        }
        self.report.holds = self
            .core
            .inspect(self.addr, |doc| doc.get_changes(&[]).iter().map(|c| c.hash()).collect())
            .unwrap_or_default();
        self.report
    }

    fn reconnect_delay(&mut self) -> Duration {
        Duration::from_millis(self.rng.range(RECONNECT_MS.0, RECONNECT_MS.1))
    }

    async fn disconnected(&mut self, now: u64) {
        let effects = self.core.handle(now, ClientEvent::Disconnected);
        let mut none = None;
        self.carry_out(&mut none, now, effects).await;
        self.core_cursor();
    }

    fn status(&self) -> Status {
        let s = self.core.status();
        let synced = s.connected
            && matches!(s.access, Access::Member(_))
            && s.pending == 0
            && s.caught_up
            && self.core.pending_writes(self.addr) == 0;
        Status { synced, cursor: self.core.cursor(self.addr).unwrap_or_default() }
    }

    /// Carries out the core's effects in order; its writes succeed at once
    /// (the store is memory), and their answers go back to it.
    async fn carry_out(&mut self, ws: &mut Option<Ws>, now: u64, effects: Vec<ClientEffect>) {
        let mut queue: std::collections::VecDeque<ClientEffect> = effects.into();
        while let Some(effect) = queue.pop_front() {
            match effect {
                ClientEffect::Send(bytes) => {
                    let Some(socket) = ws.as_mut() else { continue };
                    if socket.send(Message::Binary(bytes.into())).await.is_err() {
                        *ws = None;
                        queue.extend(self.core.handle(now, ClientEvent::Disconnected));
                    }
                }
                ClientEffect::Persist(persist) => {
                    queue.extend(self.core.handle(now, ClientEvent::Persisted { addr: persist.addr() }));
                }
                ClientEffect::Problem(problem) => {
                    self.report.problems += 1;
                    self.report.first_problem.get_or_insert_with(|| format!("{problem:?}"));
                }
                _ => {}
            }
        }
        self.core_cursor();
    }

    /// Notes the frames that say what the relay holds: its `Ack`s and the
    /// bundles it sends, each with its seq.
    fn observe(&mut self, bytes: &[u8]) {
        let (seq, bundle) = match RelayFrame::decode(bytes) {
            Ok(RelayFrame::Ack(ack)) if ack.addr == self.addr => {
                if let Some(before) = self.report.acked.insert(ack.bundle_id, ack.seq) {
                    if before != ack.seq {
                        let what = format!(
                            "bundle {} acknowledged at seq {} and again at {}",
                            ack.bundle_id, before.0, ack.seq.0
                        );
                        self.report.anomalies.push(what);
                    }
                }
                (ack.seq, ack.bundle_id)
            }
            Ok(RelayFrame::Bundle(b)) if b.addr == self.addr => (b.seq, b.bundle_id),
            _ => return,
        };
        if let Some(before) = self.report.at.insert(seq, bundle) {
            if before != bundle {
                let what = format!("seq {} held bundle {before} and then {bundle}", seq.0);
                self.report.anomalies.push(what);
            }
        }
    }

    /// Records the seqs the core's cursor passed since the last look.
    fn core_cursor(&mut self) {
        let cursor = self.core.cursor(self.addr).unwrap_or_default();
        let last = self.report.applied.last().map_or(Seq(0), |(s, _)| *s);
        if cursor < last {
            self.report.anomalies.push(format!("the cursor went back from {} to {}", last.0, cursor.0));
            self.report.applied.retain(|(s, _)| *s <= cursor);
        }
        for s in last.0 + 1..=cursor.0 {
            self.report.applied.push((Seq(s), self.report.at.get(&Seq(s)).copied()));
        }
    }
}

/// The next message on the socket; never, without one.
async fn next_message(ws: &mut Option<Ws>) -> Option<Result<Message, tokio_tungstenite::tungstenite::Error>> {
    match ws {
        Some(ws) => ws.next().await,
        None => std::future::pending().await,
    }
}

/// One document at the end of a run: its log as the relay's store has it,
/// and each of its devices.
#[derive(Debug, Clone)]
struct DocSeen {
    addr: DocAddr,
    /// The relay's log, read after its last restart.
    log: Vec<(Seq, BundleId)>,
    devices: Vec<DeviceSeen>,
}

#[derive(Debug, Clone, Default)]
struct DeviceSeen {
    device: u32,
    acked: BTreeMap<BundleId, Seq>,
    applied: Vec<(Seq, Option<BundleId>)>,
    /// Acknowledged bundles (any device's) whose change its document lacks.
    lacks: Vec<BundleId>,
    anomalies: Vec<String>,
}

/// Puts the devices' reports beside the logs, by document.
fn gather(salt: u64, documents: u32, logs: Vec<Vec<(Seq, BundleId)>>, reports: &[Report]) -> Vec<DocSeen> {
    let made: BTreeMap<BundleId, ChangeHash> = reports.iter().flat_map(|r| r.made.iter().copied()).collect();
    logs.into_iter()
        .zip(0..documents)
        .map(|(log, group)| {
            let members: Vec<&Report> = reports.iter().filter(|r| r.device / PER_DOC == group).collect();
            let acked: BTreeSet<BundleId> = members.iter().flat_map(|r| r.acked.keys().copied()).collect();
            let devices = members
                .iter()
                .map(|r| DeviceSeen {
                    device: r.device,
                    acked: r.acked.clone(),
                    applied: r.applied.clone(),
                    lacks: acked
                        .iter()
                        .filter(|b| made.get(b).is_some_and(|h| !r.holds.contains(h)))
                        .copied()
                        .collect(),
                    anomalies: r.anomalies.clone(),
                })
                .collect();
            DocSeen { addr: doc_addr(salt, u64::from(group)), log, devices }
        })
        .collect()
}

/// Something a soak found lost or out of order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// The relay's log is not seqs 1..=head, each bundle once.
    LogBroken { doc: DocAddr, what: String },
    /// Acknowledged, and not in the relay's store.
    Lost { doc: DocAddr, bundle: BundleId, seq: u64, device: u32 },
    /// Acknowledged at one seq, stored at another.
    Moved { doc: DocAddr, bundle: BundleId, acked: u64, stored: u64 },
    /// A device did not apply seq `seq` where it should have (it skipped it,
    /// or applied another first).
    OutOfOrder { doc: DocAddr, device: u32, expected: u64, got: Option<u64> },
    /// A device applied at `seq` a bundle other than the store's.
    Different { doc: DocAddr, device: u32, seq: u64, applied: BundleId, stored: BundleId },
    /// A device's document lacks the change of an acknowledged bundle.
    Lacks { doc: DocAddr, device: u32, bundle: BundleId },
    /// A device saw the relay contradict itself.
    Anomaly { doc: DocAddr, device: u32, what: String },
    /// Devices still had pushes unacknowledged, or had not read the log to
    /// its head, when the settle time ran out.
    Unsettled { devices: Vec<u32> },
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Finding::LogBroken { doc, what } => write!(f, "document {doc}: the relay's log is broken: {what}"),
            Finding::Lost { doc, bundle, seq, device } => write!(
                f,
                "document {doc}: bundle {bundle}, acknowledged to device {device} at seq {seq}, is not in the relay's store"
            ),
            Finding::Moved { doc, bundle, acked, stored } => {
                write!(f, "document {doc}: bundle {bundle} was acknowledged at seq {acked} but is stored at seq {stored}")
            }
            Finding::OutOfOrder { doc, device, expected, got: Some(got) } => {
                write!(f, "document {doc}: device {device} applied seq {got} where seq {expected} was next")
            }
            Finding::OutOfOrder { doc, device, expected, got: None } => {
                write!(f, "document {doc}: device {device} never applied seq {expected} (and what follows)")
            }
            Finding::Different { doc, device, seq, applied, stored } => write!(
                f,
                "document {doc}: device {device} applied bundle {applied} at seq {seq}, where the store has {stored}"
            ),
            Finding::Lacks { doc, device, bundle } => {
                write!(f, "document {doc}: device {device}'s document lacks the change of acknowledged bundle {bundle}")
            }
            Finding::Anomaly { doc, device, what } => write!(f, "document {doc}: device {device} saw: {what}"),
            Finding::Unsettled { devices } => write!(
                f,
                "devices {devices:?} still had pushes unacknowledged or were not caught up when the settle time ran out"
            ),
        }
    }
}

/// Judges a run: the relay's log is seqs 1..=head, each bundle once; each
/// acknowledged bundle is in it at the seq it was acknowledged with; each
/// device applied exactly that log, seq after seq, up to its head, and its
/// document holds every acknowledged change.
fn check(docs: &[DocSeen]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for d in docs {
        let doc = d.addr;
        let mut stored_at: BTreeMap<BundleId, u64> = BTreeMap::new();
        for (i, (seq, bundle)) in d.log.iter().enumerate() {
            if seq.0 != i as u64 + 1 {
                findings.push(Finding::LogBroken { doc, what: format!("seq {} at place {}", seq.0, i + 1) });
            }
            if let Some(first) = stored_at.insert(*bundle, seq.0) {
                let what = format!("bundle {bundle} at seq {first} and again at {}", seq.0);
                findings.push(Finding::LogBroken { doc, what });
            }
        }
        // Every acknowledged bundle once, in the order of its seq, with the
        // first device it was acknowledged to.
        let mut acked: BTreeMap<(Seq, BundleId), u32> = BTreeMap::new();
        for v in &d.devices {
            for (bundle, seq) in &v.acked {
                acked.entry((*seq, *bundle)).or_insert(v.device);
            }
        }
        for (&(seq, bundle), &device) in &acked {
            match stored_at.get(&bundle) {
                None => findings.push(Finding::Lost { doc, bundle, seq: seq.0, device }),
                Some(&stored) if stored != seq.0 => {
                    findings.push(Finding::Moved { doc, bundle, acked: seq.0, stored });
                }
                Some(_) => {}
            }
        }
        let at = |seq: u64| d.log.get((seq as usize).wrapping_sub(1)).map(|(_, b)| *b);
        let head = d.log.len() as u64;
        for v in &d.devices {
            let device = v.device;
            let mut next = 1;
            for (seq, bundle) in &v.applied {
                if seq.0 != next {
                    findings.push(Finding::OutOfOrder { doc, device, expected: next, got: Some(seq.0) });
                    break;
                }
                if let (Some(applied), Some(stored)) = (*bundle, at(seq.0)) {
                    if applied != stored {
                        findings.push(Finding::Different { doc, device, seq: seq.0, applied, stored });
                    }
                }
                next += 1;
            }
            if next <= head && v.applied.len() as u64 + 1 == next {
                findings.push(Finding::OutOfOrder { doc, device, expected: next, got: None });
            }
            findings.extend(v.lacks.iter().map(|&bundle| Finding::Lacks { doc, device, bundle }));
            findings.extend(v.anomalies.iter().map(|what| Finding::Anomaly { doc, device, what: what.clone() }));
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u8) -> BundleId {
        BundleId([n; 16])
    }

    /// A document whose log is bundles 1..=n, pushed by device 0 and
    /// applied in order by devices 0 and 1.
    fn whole(n: u8) -> DocSeen {
        let log: Vec<(Seq, BundleId)> = (1..=n).map(|k| (Seq(u64::from(k)), id(k))).collect();
        let device = |d: u32| DeviceSeen {
            device: d,
            acked: if d == 0 { log.iter().map(|(s, b)| (*b, *s)).collect() } else { BTreeMap::new() },
            applied: log.iter().map(|(s, b)| (*s, Some(*b))).collect(),
            ..DeviceSeen::default()
        };
        DocSeen { addr: doc_addr(1, 0), log: log.clone(), devices: vec![device(0), device(1)] }
    }

    #[test]
    fn a_run_where_everything_arrived_in_order_holds() {
        assert_eq!(check(&[whole(5)]), vec![]);
        // A device that took the first seqs from a snapshot still holds.
        let mut doc = whole(5);
        doc.devices[1].applied[0].1 = None;
        doc.devices[1].applied[1].1 = None;
        assert_eq!(check(&[doc]), vec![]);
    }

    #[test]
    fn an_acknowledged_bundle_missing_from_the_store_is_reported_lost_by_name() {
        // The relay acknowledged bundle 5 at seq 5, then lost it.
        let mut doc = whole(5);
        doc.log.pop();
        let findings = check(&[doc]);
        assert!(
            findings.contains(&Finding::Lost { doc: doc_addr(1, 0), bundle: id(5), seq: 5, device: 0 }),
            "{findings:?}"
        );
        let said = findings.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n");
        assert!(
            said.contains("bundle 05050505050505050505050505050505, acknowledged to device 0 at seq 5, is not in the relay's store"),
            "{said}"
        );
    }

    #[test]
    fn a_bundle_stored_at_another_seq_than_its_ack_said_is_reported() {
        let mut doc = whole(3);
        doc.devices[0].acked.insert(id(2), Seq(3));
        let findings = check(&[doc]);
        assert!(findings.iter().any(|f| matches!(f, Finding::Moved { acked: 3, stored: 2, .. })), "{findings:?}");
    }

    #[test]
    fn a_device_that_skipped_a_bundle_or_stopped_short_is_named() {
        let mut skipped = whole(4);
        skipped.devices[1].applied.remove(1);
        let findings = check(&[skipped]);
        assert_eq!(findings, vec![Finding::OutOfOrder { doc: doc_addr(1, 0), device: 1, expected: 2, got: Some(3) }]);

        let mut short_of_head = whole(4);
        short_of_head.devices[1].applied.truncate(2);
        let findings = check(&[short_of_head]);
        assert!(findings.iter().any(|f| matches!(f, Finding::OutOfOrder { device: 1, expected: 3, got: None, .. })));
    }

    #[test]
    fn a_device_that_applied_another_bundle_at_a_seq_or_lacks_a_change_is_named() {
        let mut doc = whole(3);
        doc.devices[1].applied[2].1 = Some(id(9));
        doc.devices[1].lacks.push(id(2));
        let findings = check(&[doc]);
        assert!(findings.iter().any(|f| matches!(f, Finding::Different { device: 1, seq: 3, .. })), "{findings:?}");
        assert!(findings.iter().any(|f| matches!(f, Finding::Lacks { device: 1, .. })), "{findings:?}");
    }

    #[test]
    fn a_log_with_a_gap_or_a_bundle_twice_is_broken() {
        let mut gap = whole(3);
        gap.log.remove(1);
        assert!(check(&[gap]).iter().any(|f| matches!(f, Finding::LogBroken { .. })));
        let mut twice = whole(3);
        twice.log[2].1 = id(1);
        assert!(check(&[twice]).iter().any(|f| matches!(f, Finding::LogBroken { .. })));
    }

    #[test]
    fn spans_are_read_as_seconds() {
        assert_eq!("2..8".parse::<Span>(), Ok(Span::secs(2.0, 8.0)));
        assert_eq!("0.5".parse::<Span>(), Ok(Span::secs(0.5, 0.5)));
        assert!("8..2".parse::<Span>().is_err());
        assert!("x".parse::<Span>().is_err());
    }
}
