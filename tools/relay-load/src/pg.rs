//! A throwaway PostgreSQL cluster from Debian's package, on loopback, in a
//! temporary folder: for the load runs with several relays on one database
//! (`--postgres N`) and for the relay's own PostgreSQL tests
//! (`relay/tests/common/pg.rs`), which share this one way of starting it.
//! A fresh database for each step or test ([`Cluster::database`]).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

use anyhow::{bail, Context as _, Result};

/// What the cluster is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Figures: PostgreSQL's defaults, fsync on, so that commits cost what
    /// they cost in production.
    Measure,
    /// Tests: no fsync (they check the relay's transactions, not the
    /// disk's), and room for many connections.
    Test,
}

pub struct Cluster {
    bin: PathBuf,
    dir: tempfile::TempDir,
    port: u16,
    next: AtomicU32,
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

/// `program` of PostgreSQL, as the `postgres` user when we are root (it
/// refuses to run as root).
fn pg(bin: &Path, program: &str) -> Command {
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(bin.join(program));
        c
    } else {
        Command::new(bin.join(program))
    }
}

fn ok(what: &str, command: &mut Command, log: Option<&Path>) -> Result<()> {
    let out = command.stdin(Stdio::null()).output().with_context(|| format!("running {what}"))?;
    if !out.status.success() {
        let log = log.and_then(|l| std::fs::read_to_string(l).ok()).unwrap_or_default();
        bail!(
            "{what} failed ({}): {}{}{log}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(())
}

/// The newest `/usr/lib/postgresql/<version>/bin` holding `initdb`.
fn bin_dir() -> Result<PathBuf> {
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
    found.pop().map(|(_, bin)| bin).context(
        "PostgreSQL is not installed: install Debian's package with `cargo xtask setup` (or `apt-get install -y postgresql`)",
    )
}

impl Cluster {
    /// Starts a cluster in a new folder under `base` (a real disk for
    /// [`Purpose::Measure`]). Dropping it stops it and deletes the folder.
    pub fn start(base: &Path, purpose: Purpose) -> Result<Self> {
        let bin = bin_dir()?;
        std::fs::create_dir_all(base)?;
        let dir = tempfile::Builder::new().prefix("lotse-pg-").tempdir_in(base)?;
        if is_root() {
            ok("chown postgres", Command::new("chown").arg("postgres").arg(dir.path()), None)?;
        }
        let data = dir.path().join("db");
        let mut initdb = pg(&bin, "initdb");
        initdb.arg("-D").arg(&data).args(["-A", "trust", "-U", "lotse", "-E", "UTF8"]);
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let mut options = format!("-k {} -p {port} -c listen_addresses=127.0.0.1", dir.path().display());
        match purpose {
            Purpose::Measure => options.push_str(" -c max_connections=100"),
            Purpose::Test => {
                initdb.arg("--no-sync");
                options.push_str(" -c fsync=off -c full_page_writes=off -c max_connections=300");
            }
        }
        ok("initdb", &mut initdb, None)?;
        let log = dir.path().join("log");
        ok(
            "pg_ctl start",
            pg(&bin, "pg_ctl").arg("-D").arg(&data).arg("-o").arg(options).arg("-l").arg(&log).args(["-w", "start"]),
            Some(&log),
        )?;
        Ok(Self { bin, dir, port, next: AtomicU32::new(0) })
    }

    /// The URL of a new, empty database.
    pub fn database(&self) -> Result<String> {
        let name = format!("db{}", self.next.fetch_add(1, Ordering::Relaxed));
        let port = self.port.to_string();
        ok("createdb", pg(&self.bin, "createdb").args(["-h", "127.0.0.1", "-p", &port, "-U", "lotse", &name]), None)?;
        Ok(format!("postgres://lotse@127.0.0.1:{port}/{name}"))
    }

    /// For a cluster that is never dropped (a test binary's static): a
    /// watcher process stops it and deletes its folder once this process
    /// has exited, however it ended.
    pub fn stop_after_exit(&self) -> Result<()> {
        let stop = self.stop_command("immediate");
        let watch = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; {prog:?} {args} >/dev/null 2>&1; rm -rf {dir:?}",
            pid = std::process::id(),
            prog = stop.get_program(),
            args = stop.get_args().map(|a| format!("{a:?}")).collect::<Vec<_>>().join(" "),
            dir = self.dir.path(),
        );
        // Outlives this process on purpose: it is what stops the cluster.
        #[allow(clippy::zombie_processes)]
        Command::new("sh")
            .arg("-c")
            .arg(watch)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("the watcher that stops PostgreSQL")?;
        Ok(())
    }

    fn stop_command(&self, mode: &str) -> Command {
        let mut stop = pg(&self.bin, "pg_ctl");
        stop.arg("-D").arg(self.dir.path().join("db")).args(["-m", mode, "stop"]);
        stop
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.stop_command("fast").stdout(Stdio::null()).stderr(Stdio::null()).status();
    }
}
