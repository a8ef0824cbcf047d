//! `lotse-relay`: the relay binary. Reads its settings, opens the store,
//! listens, and stops cleanly on Ctrl-C or SIGTERM.

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;

use anyhow::Context as _;
use clap::Parser;
use lotse_relay::{Options, PgStore, SqliteStore};
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

/// Lotse's relay: syncs sealed (end-to-end encrypted) documents between a
/// community's devices and serves the app. It stores ciphertext only and
/// never holds a key.
///
/// Every setting can be given as a flag or as the environment variable named
/// beside it; a flag wins. Logging follows RUST_LOG (default: info).
#[derive(Debug, Parser)]
#[command(name = "lotse-relay", version)]
struct Config {
    /// Address and port to listen on. Use 0.0.0.0:8080 to accept other
    /// machines (put a TLS-terminating proxy in front), or port 0 for any free port.
    #[arg(long, env = "LOTSE_LISTEN", default_value = "127.0.0.1:8080", value_name = "ADDR:PORT")]
    listen: SocketAddr,

    /// Directory of the relay's database (lotse.sqlite3 and its -wal/-shm
    /// files); created if missing. Back it up; see docs/operating.md.
    #[arg(long, env = "LOTSE_DATA_DIR", default_value = "./data", value_name = "DIR")]
    data_dir: PathBuf,

    /// Directory of the built app (Trunk's output) served at /. Unknown paths
    /// without a file extension get its index.html.
    #[arg(long, env = "LOTSE_APP_DIR", default_value = "./dist", value_name = "DIR")]
    app_dir: PathBuf,

    /// Keep the logs in PostgreSQL instead of SQLite, e.g.
    /// postgres://lotse@db.internal:5432/lotse (or key=value form). Any
    /// number of relays may share one database (behind a load balancer):
    /// they hear each other's appends by LISTEN/NOTIFY. --data-dir is then
    /// not used. See docs/operating.md.
    #[arg(long, env = "LOTSE_DATABASE", value_name = "URL")]
    database: Option<String>,

    /// Largest protocol frame accepted, in bytes (a device's pushed bundle
    /// or snapshot, plus a few bytes). Larger frames are refused with a
    /// TooLarge error.
    #[arg(
        long,
        env = "LOTSE_MAX_FRAME",
        default_value_t = 8 * 1024 * 1024,
        value_name = "BYTES",
        value_parser = clap::value_parser!(u32).range(1024..)
    )]
    max_frame: u32,

    /// Seconds the relay's clock runs ahead of the system's: for the tests
    /// of an erasure's deadline only (a device that did not move by then is
    /// refused). Never set in production.
    #[arg(long, env = "LOTSE_CLOCK_AHEAD", default_value_t = 0, value_name = "SECONDS", hide = true)]
    clock_ahead: u64,

    /// Connections held at once; one more is refused (Busy) and closed.
    #[arg(long, env = "LOTSE_MAX_CONNECTIONS", default_value_t = 10_000, value_name = "N")]
    max_connections: usize,

    /// Seconds a connection may send no frame before it is closed (devices
    /// send one at least every 30 s while they sync).
    #[arg(long, env = "LOTSE_IDLE_TIMEOUT", default_value_t = 120, value_name = "SECONDS",
          value_parser = clap::value_parser!(u64).range(5..))]
    idle_timeout: u64,

    /// Document frames (pushes, subscribes, snapshots) each device may send
    /// a second, over all its connections; more are refused (OverQuota) and
    /// sent again later by the device.
    #[arg(long, env = "LOTSE_RATE_PER_SECOND", default_value_t = 50, value_name = "N")]
    rate_per_second: u32,

    /// How many frames a device may send at once before the rate applies
    /// (a phone's backlog after days offline).
    #[arg(long, env = "LOTSE_RATE_BURST", default_value_t = 2000, value_name = "N")]
    rate_burst: u32,

    /// Free space (MiB) to keep on the data directory's disk: below it,
    /// pushes and snapshots are refused with a clear error before anything
    /// is written.
    #[arg(long, env = "LOTSE_MIN_FREE_MIB", default_value_t = 512, value_name = "MIB")]
    min_free_mib: u64,

    /// Instead of running a relay, ask the one at --listen whether it is
    /// healthy (GET /healthz) and exit 0 if it is, 1 if not: a container's
    /// health check, with no curl needed.
    #[arg(long)]
    check_health: bool,

    /// Instead of running a relay, give every log of the database a new
    /// generation and exit: optional after restoring a backup (with every
    /// relay stopped; devices find the loss without it since protocol 8),
    /// so that every device pushes its documents again and reads the logs
    /// anew at once.
    #[arg(long)]
    renew_generations: bool,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config = Config::parse();
    if config.check_health {
        return check_health(config.listen);
    }
    let filter: Targets = std::env::var("RUST_LOG")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "info".into())
        .parse()
        .context("RUST_LOG is not a valid filter; try RUST_LOG=info or RUST_LOG=lotse_relay=debug")?;
    tracing_subscriber::registry()
        .with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr))
        .with(filter)
        .init();

    let store = match &config.database {
        Some(url) => {
            anyhow::ensure!(
                url.starts_with("postgres://") || url.starts_with("postgresql://") || url.contains('='),
                "--database takes a PostgreSQL URL (postgres://USER@HOST:PORT/DB); leave it out for SQLite in --data-dir"
            );
            // The sync client runs a runtime of its own: not on this one's threads.
            let url = url.clone();
            Store::Postgres(tokio::task::spawn_blocking(move || PgStore::open(&url)).await??)
        }
        None => {
            std::fs::create_dir_all(&config.data_dir)
                .with_context(|| format!("cannot create the data directory {}", config.data_dir.display()))?;
            Store::Sqlite(SqliteStore::open_in(&config.data_dir)?)
        }
    };
    if config.renew_generations {
        use lotse_sync::relay::RelayStore as _;
        let renewed = match store {
            Store::Sqlite(mut s) => s.renew_all_generations()?,
            Store::Postgres(mut s) => tokio::task::spawn_blocking(move || s.renew_all_generations()).await??,
        };
        println!("lotse-relay renewed the generation of {renewed} logs");
        return Ok(());
    }
    if !config.app_dir.join("index.html").is_file() {
        tracing::warn!(
            app_dir = %config.app_dir.display(),
            "no index.html in the app directory: only /sync will work; build the app (cargo xtask run) or set --app-dir"
        );
    }
    let listener = tokio::net::TcpListener::bind(config.listen).await.with_context(|| {
        format!("cannot listen on {}: is another relay running there? choose another with --listen", config.listen)
    })?;
    let addr = listener.local_addr().context("the listening socket has no address")?;
    let database = match &store {
        Store::Sqlite(s) => s.path().display().to_string(),
        Store::Postgres(s) => s.target(),
    };
    tracing::info!(
        %database,
        app_dir = %config.app_dir.display(),
        max_frame = config.max_frame,
        "relay ready"
    );
    // Tests and scripts wait for this exact line on stdout.
    println!("lotse-relay listening on http://{addr}");

    let options = Options {
        max_frame: config.max_frame as usize,
        max_connections: config.max_connections,
        idle_timeout: std::time::Duration::from_secs(config.idle_timeout),
        clock_ahead: std::time::Duration::from_secs(config.clock_ahead),
        rate: lotse_sync::relay::RateLimit { per_second: config.rate_per_second, burst: config.rate_burst },
        // PostgreSQL's disk is the database server's to watch.
        disk_guard: matches!(store, Store::Sqlite(_)).then(|| lotse_relay::actor::DiskGuard {
            dir: config.data_dir.clone(),
            min_free_bytes: config.min_free_mib.saturating_mul(1024 * 1024),
        }),
        ..Options::new(config.app_dir)
    };
    match store {
        Store::Sqlite(store) => lotse_relay::serve(listener, store, options, stop_signal()).await?,
        Store::Postgres(store) => {
            let options = Options { peers: Some(store.peers()), ..options };
            lotse_relay::serve(listener, store, options, stop_signal()).await?
        }
    }
    tracing::info!("stopped");
    Ok(())
}

enum Store {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

/// `GET /healthz` from the relay listening at `listen` (an unspecified
/// address means this machine); fails unless it answers 200.
fn check_health(listen: SocketAddr) -> anyhow::Result<()> {
    use std::io::{Read, Write};
    let mut addr = listen;
    if addr.ip().is_unspecified() {
        addr.set_ip(if addr.is_ipv4() { Ipv4Addr::LOCALHOST.into() } else { Ipv6Addr::LOCALHOST.into() });
    }
    let timeout = std::time::Duration::from_secs(5);
    let mut tcp =
        std::net::TcpStream::connect_timeout(&addr, timeout).with_context(|| format!("no relay answers at {addr}"))?;
    tcp.set_read_timeout(Some(timeout))?;
    write!(tcp, "GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n")?;
    let mut response = String::new();
    tcp.read_to_string(&mut response).context("the relay did not answer /healthz in time")?;
    let status = response.lines().next().unwrap_or_default();
    if status.split(' ').nth(1) != Some("200") {
        anyhow::bail!("the relay at {addr} is not healthy: {status}");
    }
    println!("healthy");
    Ok(())
}

/// Ctrl-C, or SIGTERM from a service manager.
async fn stop_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
}
