//! `relay-load`: how many devices one relay holds, and how many durable
//! pushes a second it takes (`cargo xtask bench relay-load`); and whether
//! it loses anything while it is killed again and again (`relay-load soak`,
//! `cargo xtask soak`).
//!
//! It starts the release relay itself (a fresh data directory on loopback
//! for every step) and drives it from one worker process per core, each a
//! share of the devices on one single-threaded runtime. The figures come
//! out as `BENCH` lines for xtask's table.
//!
//! The library is the binary's body, and what the relay's own tests take
//! from it: the soak (`relay/tests/soak.rs` runs a short one) and the
//! throwaway PostgreSQL cluster ([`pg`]).

mod bundle;
mod identity;
pub mod pg;
mod plan;
mod procfs;
mod relay;
pub mod soak;
mod stats;
mod sweep;
mod worker;

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Result;
use clap::Parser;

/// Drives a release lotse-relay with simulated devices over real WebSockets.
///
/// Sweep: N devices, five per document, each subscribed to its document
/// and pushing a sealed change (a few hundred bytes) once a second,
/// staggered. Each document's devices are a network of their own: the
/// first founds it and admits the other four before they connect, and
/// every device answers the relay's challenge before it subscribes; after the warm-up, a window in which it measures fan-out
/// latency from a push to every other device of the document, receptions
/// lost, the relay's CPU per write and its peak memory. N grows until p99
/// reaches 100 ms or anything is lost.
///
/// Throughput: connections that each keep a window of pushes
/// unacknowledged (a device sends its whole outbox without waiting for
/// Acks), each to a document of a network it founded; only pushes whose
/// Ack came back (after their durable commit) count.
#[derive(Debug, Parser)]
#[command(name = "relay-load")]
struct Cli {
    /// The relay binary to start (a release build).
    #[arg(long, default_value = "target/release/lotse-relay", value_name = "PATH")]
    relay: PathBuf,

    /// The device counts to sweep, smallest first.
    #[arg(long, value_delimiter = ',', default_value = "256,512,1024,2048,4096,6144,8192,10240,12288")]
    devices: Vec<u32>,

    /// Seconds of warm-up before each step's window.
    #[arg(long, default_value_t = 5)]
    warmup: u64,

    /// Seconds each step measures.
    #[arg(long, default_value_t = 30)]
    window: u64,

    /// Seconds a step waits after the last push for the receptions still on their way.
    #[arg(long, default_value_t = 3)]
    drain: u64,

    /// Worker processes (default: one per core).
    #[arg(long)]
    workers: Option<u32>,

    /// Connections of the throughput run.
    #[arg(long, default_value_t = 32)]
    connections: u32,

    /// Pushes each throughput connection keeps unacknowledged. A device
    /// sends every stored outbox entry at once; 16 is an outbox of a few
    /// minutes' work. 1 waits for each Ack (the figure is then bounded by
    /// one commit's latency per 32 pushes).
    #[arg(long, default_value_t = 16)]
    in_flight: u32,

    /// Seconds of warm-up, then of measuring, in the throughput run.
    #[arg(long, default_value_t = 2)]
    throughput_warmup: u64,
    #[arg(long, default_value_t = 10)]
    throughput_window: u64,

    /// Where the relays' temporary data directories go (a real disk, so
    /// that commits cost what they cost in production).
    #[arg(long, value_name = "DIR")]
    data_dir: Option<PathBuf>,

    /// Run this many relays on one PostgreSQL database (a throwaway
    /// cluster of Debian's package) instead of one relay on SQLite; each
    /// document's devices are spread over them.
    #[arg(long, value_name = "N")]
    postgres: Option<u32>,

    /// Only the sweep; only the throughput run.
    #[arg(long, conflicts_with = "only_throughput")]
    only_sweep: bool,
    #[arg(long)]
    only_throughput: bool,
}

/// The binary: `relay-load [FLAGS]` (the load figures), `relay-load soak
/// [FLAGS]`, or `relay-load worker <plan>` (started by the first).
pub fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        // The coordinator starts this binary again as its workers.
        Some("worker") => return worker::main(args.get(2).map(String::as_str).unwrap_or_default()),
        Some("soak") => return soak::main(&args[1..]),
        _ => {}
    }
    let cli = Cli::parse();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as u32;
    let mut devices = cli.devices;
    devices.sort_unstable();
    sweep::run(&sweep::Settings {
        relay: cli.relay,
        devices,
        warmup: Duration::from_secs(cli.warmup),
        window: Duration::from_secs(cli.window),
        drain: Duration::from_secs(cli.drain),
        workers: cli.workers.unwrap_or(cores).max(1),
        connections: cli.connections,
        in_flight: cli.in_flight,
        throughput_warmup: Duration::from_secs(cli.throughput_warmup),
        throughput_window: Duration::from_secs(cli.throughput_window),
        data_dir: cli.data_dir.unwrap_or_else(std::env::temp_dir),
        sweep: !cli.only_throughput,
        throughput: !cli.only_sweep,
        postgres: cli.postgres.unwrap_or(0),
    })
}
