//! A throwaway PostgreSQL for the tests: one cluster per test binary, from
//! Debian's package, on loopback in a temporary folder, and a fresh
//! database for each test. Nothing is skipped: a test that needs it fails
//! with what to do if the cluster cannot be started.
//!
//! The cluster is started on first use. A watcher process stops it
//! (`pg_ctl stop -m immediate`) and deletes its folder once the test
//! binary has exited, however it ended.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

use lotse_relay::PgStore;

pub(crate) struct Cluster {
    port: u16,
    next: AtomicU32,
}

static CLUSTER: OnceLock<Cluster> = OnceLock::new();

/// The newest `/usr/lib/postgresql/<version>/bin` holding `initdb`.
fn bin_dir() -> PathBuf {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .collect();
    found.sort();
    match found.pop() {
        Some((_, bin)) => bin,
        None => panic!(
            "PostgreSQL is not installed: the relay's PostgreSQL tests start a throwaway cluster from Debian's \
             package. Install it with `cargo xtask setup` (or `apt-get install -y postgresql`) and run the tests again."
        ),
    }
}

fn is_root() -> bool {
    // PostgreSQL refuses to run as root: then it runs as `postgres`.
    Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

/// `program` from PostgreSQL's bin dir, as `postgres` when we are root.
fn pg_command(bin: &Path, program: &str) -> Command {
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(bin.join(program));
        c
    } else {
        Command::new(bin.join(program))
    }
}

fn check(what: &str, output: std::io::Result<Output>, log: Option<&Path>) {
    let output = output.unwrap_or_else(|e| panic!("cannot run {what}: {e}"));
    if !output.status.success() {
        let log = log.and_then(|l| std::fs::read_to_string(l).ok()).unwrap_or_default();
        panic!(
            "{what} failed ({}):\n{}{}\n{log}\nThe relay's PostgreSQL tests need Debian's postgresql package \
             and a `postgres` user when run as root (`cargo xtask setup` installs both).",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

fn start() -> Cluster {
    let bin = bin_dir();
    let dir = tempfile::Builder::new().prefix("lotse-pg-").tempdir().expect("a temp dir for PostgreSQL").keep();
    if is_root() {
        check("chown postgres", Command::new("chown").arg("postgres").arg(&dir).output(), None);
    }
    let data = dir.join("db");
    let log = dir.join("log");
    let initdb = pg_command(&bin, "initdb")
        .arg("-D")
        .arg(&data)
        .args(["-A", "trust", "-U", "lotse", "-E", "UTF8", "--no-sync"])
        .output();
    check("initdb", initdb, None);
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    // fsync off: the tests check the relay's transactions, not the disk's.
    let options = format!(
        "-k {} -p {port} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=300",
        dir.display()
    );
    let mut started = pg_command(&bin, "pg_ctl");
    started.arg("-D").arg(&data).arg("-o").arg(options).arg("-l").arg(&log).arg("-w").arg("start");
    check("pg_ctl start", started.stdin(Stdio::null()).output(), Some(&log));
    // Stops the cluster and removes it once this process is gone.
    let stop = pg_command(&bin, "pg_ctl");
    let stop = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; {prog:?} {args} -D {data:?} stop -m immediate >/dev/null 2>&1; rm -rf {dir:?}",
        pid = std::process::id(),
        prog = stop.get_program(),
        args = stop.get_args().map(|a| format!("{a:?}")).collect::<Vec<_>>().join(" "),
    );
    // Outlives this process on purpose: it is what stops the cluster.
    #[allow(clippy::zombie_processes)]
    Command::new("sh")
        .arg("-c")
        .arg(stop)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the watcher that stops PostgreSQL after the tests");
    Cluster { port, next: AtomicU32::new(0) }
}

/// Runs `f` on a thread of its own: the sync PostgreSQL client runs its own
/// runtime, which it may not do inside a test's tokio runtime.
pub(crate) fn off_runtime<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::spawn(f).join().unwrap_or_else(|e| std::panic::resume_unwind(e))
}

/// The URL of a new, empty database in the binary's cluster.
pub(crate) fn database() -> String {
    off_runtime(|| {
        let cluster = CLUSTER.get_or_init(start);
        let name = format!("t{}", cluster.next.fetch_add(1, Ordering::Relaxed));
        let admin = format!("postgres://lotse@127.0.0.1:{}/postgres", cluster.port);
        let mut client = postgres::Client::connect(&admin, postgres::NoTls)
            .unwrap_or_else(|e| panic!("cannot reach the test cluster at {admin}: {e}"));
        client.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
        format!("postgres://lotse@127.0.0.1:{}/{name}", cluster.port)
    })
}

/// A store on `url`, opened off the runtime.
pub(crate) fn open(url: &str) -> PgStore {
    let url = url.to_owned();
    off_runtime(move || PgStore::open(&url).unwrap())
}

/// A store on a new, empty database.
pub(crate) fn store() -> PgStore {
    open(&database())
}
