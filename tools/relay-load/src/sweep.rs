//! The coordinator: starts a release relay on loopback with a fresh data
//! directory for every step, one worker process per core, gives them a
//! common start time, reads the relay's CPU time and peak memory from
//! /proc, adds up the workers' reports and prints the figures.

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{bail, Context as _, Result};

use crate::pg;
use crate::plan::{Job, Tally, WorkerPlan};
use crate::procfs;
use crate::relay::{lines_of, RelayProcess};
use crate::stats::ms;

/// What the issue asks of the relay on two shared cores.
const P99_LIMIT_MS: f64 = 100.0;
const TARGET_DEVICES: &str = ">= 6000";
const TARGET_CPU_PER_WRITE: &str = "<= 0.15 ms";
const TARGET_PUSHES: &str = ">= 30000";
const TARGET_MEMORY: &str = "<= 60 KB";

/// A worker at or above this share of a core is the limit itself.
const SATURATED: f64 = 0.9;
/// Pushes leaving this late (p99) mean the generator cannot keep its schedule.
const SLIPPING_MS: f64 = 20.0;
/// Other processes using this much CPU in a window disturb its figures.
const DISTURBED: f64 = 0.2;
/// The relay's actor thread (`comm`, as Linux cuts it to 15 bytes): the one
/// thread every push goes through.
const ACTOR_THREAD: &str = "lotse-relay-act";

/// The same figures measured on the relay before group commit (commit
/// 508fa83: one transaction and one fsync per push, Nagle on, 128 KiB read
/// buffers), the best of four runs on the same shared two cores, for the
/// `before` column.
const BEFORE: Before = Before {
    devices: "1024",
    fanout: "0.9 / 46.6 / 63.0 ms at 1024",
    cpu_per_write: "0.328 ms at 1024",
    memory: "145 KB at 1024",
    // One push in flight per connection then.
    pushes: "2705 (1 in flight)",
};

struct Before {
    devices: &'static str,
    fanout: &'static str,
    cpu_per_write: &'static str,
    memory: &'static str,
    pushes: &'static str,
}

#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub relay: PathBuf,
    pub devices: Vec<u32>,
    pub warmup: Duration,
    pub window: Duration,
    pub drain: Duration,
    pub workers: u32,
    pub connections: u32,
    pub in_flight: u32,
    pub throughput_warmup: Duration,
    pub throughput_window: Duration,
    pub data_dir: PathBuf,
    pub sweep: bool,
    pub throughput: bool,
    /// How many relays share one PostgreSQL database; 0: one relay on SQLite.
    pub postgres: u32,
}

impl Settings {
    /// What the figures are of.
    fn label(&self) -> String {
        match self.postgres {
            0 => "relay".into(),
            n => format!("{n} relays on PostgreSQL"),
        }
    }
}

/// The relays of one run: one on SQLite, or several on one database.
struct Relays {
    procs: Vec<RelayProcess>,
    /// PostgreSQL's processes count as the relays' CPU.
    postgres: bool,
}

impl Relays {
    fn start(settings: &Settings, cluster: Option<&pg::Cluster>, env: &[(&str, &str)]) -> Result<Self> {
        let Some(cluster) = cluster else {
            return Ok(Self {
                procs: vec![RelayProcess::fresh(&settings.relay, &settings.data_dir, env)?],
                postgres: false,
            });
        };
        let url = cluster.database()?;
        let mut env = env.to_vec();
        env.push(("LOTSE_DATABASE", &url));
        let procs = (0..settings.postgres.max(1))
            .map(|_| RelayProcess::fresh(&settings.relay, &settings.data_dir, &env))
            .collect::<Result<_>>()?;
        Ok(Self { procs, postgres: true })
    }

    fn addrs(&self) -> Vec<SocketAddr> {
        self.procs.iter().map(|p| p.addr).collect()
    }

    /// CPU ticks of the relays (and of PostgreSQL).
    fn ticks(&self) -> Result<u64> {
        let relays = self.procs.iter().map(|p| procfs::cpu_ticks(p.pid())).sum::<Result<u64>>()?;
        Ok(relays + if self.postgres { procfs::named_ticks("postgres") } else { 0 })
    }

    fn actor_ticks(&self) -> Option<u64> {
        self.procs.iter().map(|p| procfs::thread_ticks(p.pid(), ACTOR_THREAD)).sum()
    }

    fn peak_rss_kib(&self) -> Result<u64> {
        self.procs.iter().map(|p| procfs::peak_rss_kib(p.pid())).sum()
    }

    fn warnings(&self) -> Vec<String> {
        self.procs.iter().flat_map(|p| p.warnings()).collect()
    }
}

fn machine_cores() -> f64 {
    std::thread::available_parallelism().map_or(1, |n| n.get()) as f64
}

fn wall_ns() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64)
}

fn sleep_until_wall(wall: u64) {
    if let Some(wait) = wall.checked_sub(wall_ns()) {
        std::thread::sleep(Duration::from_nanos(wait));
    }
}

struct WorkerProcess {
    child: Child,
    stdin: ChildStdin,
    lines: mpsc::Receiver<String>,
}

impl WorkerProcess {
    fn spawn(plan: &WorkerPlan) -> Result<Self> {
        let exe = std::env::current_exe().context("finding relay-load itself")?;
        let mut child = Command::new(exe)
            .arg("worker")
            .arg(serde_json::to_string(plan)?)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .context("starting a worker")?;
        let stdin = child.stdin.take().expect("piped");
        let lines = lines_of(child.stdout.take().expect("piped"));
        Ok(Self { child, stdin, lines })
    }

    /// The rest of the next line that starts with `prefix`.
    fn expect(&self, prefix: &str, within: Duration) -> Result<String> {
        let line = self
            .lines
            .recv_timeout(within)
            .with_context(|| format!("a worker said nothing within {within:?} (expected `{prefix}`)"))?;
        match line.strip_prefix(prefix) {
            Some(rest) => Ok(rest.trim().to_owned()),
            None => bail!("a worker said {line:?}, expected `{prefix} …`"),
        }
    }
}

impl Drop for WorkerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What one run (a step of the sweep, or the throughput run) measured.
#[derive(Debug)]
struct Measured {
    tally: Tally,
    window_s: f64,
    /// CPU time in the window, in cores (seconds of CPU per second).
    relay_cores: f64,
    /// The relay's actor thread alone (if found).
    actor_cores: Option<f64>,
    worker_cores: Vec<f64>,
    /// Everything else the machine ran in the window: other people's builds.
    others_cores: f64,
    peak_rss_kib: u64,
    relay_warnings: Vec<String>,
}

impl Measured {
    fn relay_ms_per_write(&self) -> f64 {
        if self.tally.pushed == 0 {
            return f64::NAN;
        }
        self.relay_cores * self.window_s * 1000.0 / self.tally.pushed as f64
    }

    /// What held the figure back, if not the relay alone: the load
    /// generator, or a machine too busy for both.
    fn generator_limit(&self) -> Option<String> {
        let busiest = self.worker_cores.iter().copied().fold(0.0, f64::max);
        let lag = ms(self.tally.lag.quantile(0.99));
        if busiest >= SATURATED {
            Some(format!("the load generator: one of its processes used {:.0} % of a core", busiest * 100.0))
        } else if self.machine_saturated() {
            Some(format!(
                "the machine: relay, generator and other processes used {:.2} of {:.0} cores",
                self.machine_used(),
                machine_cores()
            ))
        } else if lag >= SLIPPING_MS {
            Some(format!("the load generator: its pushes left {lag:.1} ms late (p99), its schedule slipped"))
        } else {
            None
        }
    }

    /// Other processes took enough CPU to move the figures.
    fn disturbed(&self) -> bool {
        self.others_cores >= DISTURBED
    }

    fn machine_used(&self) -> f64 {
        self.relay_cores + self.worker_cores.iter().sum::<f64>() + self.others_cores
    }

    fn machine_saturated(&self) -> bool {
        self.machine_used() >= 0.9 * machine_cores()
    }

    fn machine_note(&self) -> String {
        let generator: f64 = self.worker_cores.iter().sum();
        let actor = self.actor_cores.map_or(String::new(), |a| format!(" (its actor thread {a:.2})"));
        let mut note = format!(
            "relay {:.2} cores{actor}, generator {:.2} cores ({}), other processes {:.2} cores, of {:.0}",
            self.relay_cores,
            generator,
            self.worker_cores.iter().map(|c| format!("{c:.2}")).collect::<Vec<_>>().join(" + "),
            self.others_cores,
            machine_cores(),
        );
        if self.machine_saturated() {
            note.push_str("; the machine was saturated");
        }
        if self.disturbed() {
            note.push_str("; other processes disturbed this run, rerun it to be sure");
        }
        note
    }
}

/// Starts the workers on `relay`, starts them together, measures the window.
fn measure(settings: &Settings, relay: &Relays, job: Job, warmup: Duration, window: Duration) -> Result<Measured> {
    let salt = wall_ns();
    let workers = (0..settings.workers)
        .map(|index| {
            WorkerProcess::spawn(&WorkerPlan { relays: relay.addrs(), salt, workers: settings.workers, index, job })
        })
        .collect::<Result<Vec<_>>>()?;
    // The networks first (each document's founder), then every other device.
    for w in &workers {
        w.expect("founded", Duration::from_secs(180))?;
    }
    for w in &workers {
        let mut stdin = &w.stdin;
        writeln!(stdin, "connect").context("letting a worker connect its devices")?;
    }
    for w in &workers {
        w.expect("ready", Duration::from_secs(180))?;
    }
    // Everyone starts half a second from now, by the wall clock all share.
    let t0 = wall_ns() + 500_000_000;
    for w in &workers {
        let mut stdin = &w.stdin;
        writeln!(stdin, "go {t0}").context("starting a worker")?;
    }
    let sample = || -> Result<(u64, Option<u64>, Vec<u64>, u64)> {
        let workers = workers.iter().map(|w| procfs::cpu_ticks(w.child.id())).collect::<Result<_>>()?;
        let actor = relay.actor_ticks();
        Ok((relay.ticks()?, actor, workers, procfs::machine_ticks()?.0))
    };
    let from = t0 + warmup.as_nanos() as u64;
    sleep_until_wall(from);
    let (relay0, actor0, workers0, machine0) = sample()?;
    let started = wall_ns();
    sleep_until_wall(from + window.as_nanos() as u64);
    let (relay1, actor1, workers1, machine1) = sample()?;
    let window_s = (wall_ns() - started) as f64 / 1e9;

    let mut tally = Tally::default();
    for w in &workers {
        let report = w.expect("result", Duration::from_secs(120) + settings.drain)?;
        tally.merge(&serde_json::from_str(&report).context("a worker's report")?);
    }
    let hz = procfs::ticks_per_second() as f64;
    let cores = |ticks: u64| ticks as f64 / hz / window_s;
    let relay_cores = cores(relay1 - relay0);
    let actor_cores = actor0.zip(actor1).map(|(a, b)| cores(b - a));
    let worker_cores: Vec<f64> = workers0.iter().zip(&workers1).map(|(a, b)| cores(b - a)).collect();
    let others_cores = (cores(machine1 - machine0) - relay_cores - worker_cores.iter().sum::<f64>()).max(0.0);
    Ok(Measured {
        tally,
        window_s,
        relay_cores,
        actor_cores,
        worker_cores,
        others_cores,
        peak_rss_kib: relay.peak_rss_kib()?,
        relay_warnings: relay.warnings(),
    })
}

struct Step {
    devices: u32,
    m: Measured,
}

impl Step {
    fn p(&self, q: f64) -> f64 {
        ms(self.m.tally.fanout.quantile(q))
    }

    fn held(&self) -> bool {
        let t = &self.m.tally;
        t.received > 0 && t.lost() == 0 && t.errors == 0 && t.closed == 0 && t.stray == 0 && self.p(0.99) < P99_LIMIT_MS
    }

    fn kib_per_device(&self) -> f64 {
        self.m.peak_rss_kib as f64 / f64::from(self.devices)
    }

    fn describe(&self) -> String {
        let t = &self.m.tally;
        let mut line = format!(
            "{} devices: fan-out p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; lost {} of {}; ack p99 {:.1} ms; \
             relay CPU {:.3} ms per write, peak RSS {:.0} MB ({:.0} KB per device); push schedule lag p99 {:.1} ms; {}",
            self.devices,
            self.p(0.5),
            self.p(0.99),
            ms(t.fanout.max()),
            t.lost(),
            t.expected,
            ms(t.ack.quantile(0.99)),
            self.m.relay_ms_per_write(),
            self.m.peak_rss_kib as f64 / 1024.0,
            self.kib_per_device(),
            ms(t.lag.quantile(0.99)),
            self.m.machine_note(),
        );
        if t.errors > 0 || t.closed > 0 || t.stray > 0 {
            line.push_str(&format!(
                "; {} errors (first: {}), {} connections closed, {} stray bundles",
                t.errors,
                t.first_error.as_deref().unwrap_or("-"),
                t.closed,
                t.stray
            ));
        }
        line
    }
}

/// One figure for xtask's table, named after what was measured (`label`);
/// the `before` column is of the single SQLite relay only.
fn bench(settings: &Settings, figure: &str, value: &str, target: &str, before: &str) {
    let label = settings.label();
    let before = if settings.postgres == 0 { before } else { "-" };
    println!("BENCH\t{label}: {figure}\t{value}\t{target}\t{before}");
}

pub(crate) fn run(settings: &Settings) -> Result<()> {
    let most = settings.devices.iter().copied().max().unwrap_or(0);
    if let Some(limit) = procfs::open_files_limit() {
        // The relay holds one socket per device, the workers share the other ends.
        if u64::from(most) + 256 > limit {
            bail!("{most} devices need more open files than the limit of {limit}: raise it (ulimit -n) or sweep fewer devices");
        }
    }
    let cluster = match settings.postgres {
        0 => None,
        _ => Some(pg::Cluster::start(&settings.data_dir, pg::Purpose::Measure).context("starting PostgreSQL")?),
    };
    if settings.sweep {
        sweep(settings, cluster.as_ref())?;
    }
    if settings.throughput {
        throughput(settings, cluster.as_ref())?;
    }
    Ok(())
}

/// One step of the sweep, on a relay of its own.
fn fanout_step(settings: &Settings, cluster: Option<&pg::Cluster>, devices: u32) -> Result<Step> {
    // Devices push once a second: well within each device's frame budget,
    // which stays as the relay ships it.
    let relay = Relays::start(settings, cluster, &[])?;
    let job = Job::Fanout {
        devices,
        warmup_ms: settings.warmup.as_millis() as u64,
        window_ms: settings.window.as_millis() as u64,
        drain_ms: settings.drain.as_millis() as u64,
    };
    let m = measure(settings, &relay, job, settings.warmup, settings.window)
        .with_context(|| format!("the step with {devices} devices"))?;
    drop(relay);
    let step = Step { devices, m };
    println!("relay-load: {}", step.describe());
    for warning in step.m.relay_warnings.iter().take(3) {
        println!("relay-load:   the relay logged: {warning}");
    }
    Ok(step)
}

fn sweep(settings: &Settings, cluster: Option<&pg::Cluster>) -> Result<()> {
    println!(
        "relay-load ({}): devices pushing a sealed change once a second, five per document, staggered; {} s warm-up, {} s window, {} worker processes",
        settings.label(),
        settings.warmup.as_secs(),
        settings.window.as_secs(),
        settings.workers
    );
    let mut steps: Vec<Step> = Vec::new();
    for &devices in &settings.devices {
        let mut step = fanout_step(settings, cluster, devices)?;
        // The machine is shared: a step that failed while other processes
        // took CPU gets a second chance before the sweep stops on it.
        if !step.held() && step.m.disturbed() {
            println!("relay-load:   other processes took CPU during this step; running it again");
            step = fanout_step(settings, cluster, devices)?;
        }
        let held = step.held();
        steps.push(step);
        if !held {
            break;
        }
    }

    let held = steps.iter().rev().find(|s| s.held());
    let failed = steps.last().filter(|s| !s.held());
    bench(
        settings,
        "devices held at p99 fan-out < 100 ms, nothing lost",
        &held.map_or("none".into(), |s| s.devices.to_string()),
        TARGET_DEVICES,
        BEFORE.devices,
    );
    if let Some(s) = held {
        bench(
            settings,
            &format!("fan-out p50 / p99 / max at {} devices", s.devices),
            &format!("{:.1} / {:.1} / {:.1} ms", s.p(0.5), s.p(0.99), ms(s.m.tally.fanout.max())),
            "p99 < 100 ms",
            BEFORE.fanout,
        );
        bench(
            settings,
            &format!(
                "CPU per write at {} devices{}",
                s.devices,
                if settings.postgres > 0 { " (relays and PostgreSQL)" } else { "" }
            ),
            &format!("{:.3} ms", s.m.relay_ms_per_write()),
            TARGET_CPU_PER_WRITE,
            BEFORE.cpu_per_write,
        );
        bench(
            settings,
            &format!("memory per connected device at {} devices (peak RSS / devices)", s.devices),
            &format!("{:.0} KB ({:.0} MB)", s.kib_per_device(), s.m.peak_rss_kib as f64 / 1024.0),
            TARGET_MEMORY,
            BEFORE.memory,
        );
    }
    let limit = match failed {
        Some(s) => {
            let t = &s.m.tally;
            let what = format!("{} devices: p99 {:.0} ms, lost {}", s.devices, s.p(0.99), t.lost());
            match s.m.generator_limit() {
                Some(why) => format!("{what}; the limit there is {why}"),
                None => format!("{what}; the relay is the limit ({})", s.m.machine_note()),
            }
        }
        None => "every step held".into(),
    };
    bench(settings, "where the sweep stopped", &limit, "-", "-");
    Ok(())
}

fn throughput(settings: &Settings, cluster: Option<&pg::Cluster>) -> Result<()> {
    // Each connection is a device pushing as fast as the relay answers,
    // far past a device's frame budget: lifted, to measure the relay.
    let unlimited = u32::MAX.to_string();
    let env = [("LOTSE_RATE_PER_SECOND", unlimited.as_str()), ("LOTSE_RATE_BURST", unlimited.as_str())];
    let relay = Relays::start(settings, cluster, &env)?;
    let job = Job::Throughput {
        connections: settings.connections,
        in_flight: settings.in_flight,
        warmup_ms: settings.throughput_warmup.as_millis() as u64,
        window_ms: settings.throughput_window.as_millis() as u64,
    };
    let m = measure(settings, &relay, job, settings.throughput_warmup, settings.throughput_window)
        .context("the throughput run")?;
    drop(relay);
    let t = &m.tally;
    let rate = t.acked as f64 / m.window_s;
    println!(
        "relay-load: {} connections, each keeping {} pushes unacknowledged: {rate:.0} durable pushes/s; ack p50 {:.2} ms, p99 {:.2} ms; relay CPU {:.3} ms per push; {}",
        settings.connections,
        settings.in_flight,
        ms(t.ack.quantile(0.5)),
        ms(t.ack.quantile(0.99)),
        m.relay_ms_per_write(),
        m.machine_note(),
    );
    if t.errors > 0 || t.closed > 0 {
        println!(
            "relay-load:   {} errors (first: {}), {} closed",
            t.errors,
            t.first_error.as_deref().unwrap_or("-"),
            t.closed
        );
    }
    let mut value = format!("{rate:.0}");
    if let Some(why) = m.generator_limit() {
        value.push_str(&format!(" (limited by {why})"));
    }
    bench(
        settings,
        &format!(
            "durable pushes per second, {} connections, {} in flight each",
            settings.connections, settings.in_flight
        ),
        &value,
        TARGET_PUSHES,
        BEFORE.pushes,
    );
    Ok(())
}
