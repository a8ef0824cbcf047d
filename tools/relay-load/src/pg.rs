//! A PostgreSQL cluster for the runs with several relays on one database
//! (`--postgres N`): Debian's package, on loopback, in a folder under the
//! data directory (a real disk: commits cost what they cost), with its
//! defaults (fsync on). A fresh database for each step.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

use anyhow::{bail, Context as _, Result};

pub(crate) struct Cluster {
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

fn ok(what: &str, command: &mut Command) -> Result<()> {
    let out = command.stdin(Stdio::null()).output().with_context(|| format!("running {what}"))?;
    if !out.status.success() {
        bail!("{what} failed: {}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    }
    Ok(())
}

impl Cluster {
    pub(crate) fn start(base: &Path) -> Result<Self> {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path().join("bin"))
            .filter(|b| b.join("initdb").is_file())
            .max()
            .context("PostgreSQL is not installed (cargo xtask setup installs it)")?;
        std::fs::create_dir_all(base)?;
        let dir = tempfile::Builder::new().prefix("relay-load-pg-").tempdir_in(base)?;
        if is_root() {
            ok("chown", Command::new("chown").arg("postgres").arg(dir.path()))?;
        }
        let data = dir.path().join("db");
        ok("initdb", pg(&bin, "initdb").arg("-D").arg(&data).args(["-A", "trust", "-U", "lotse", "-E", "UTF8"]))?;
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let options =
            format!("-k {} -p {port} -c listen_addresses=127.0.0.1 -c max_connections=100", dir.path().display());
        let log = dir.path().join("log");
        ok(
            "pg_ctl start",
            pg(&bin, "pg_ctl").arg("-D").arg(&data).arg("-o").arg(options).arg("-l").arg(&log).args(["-w", "start"]),
        )?;
        Ok(Self { bin, dir, port, next: AtomicU32::new(0) })
    }

    /// The URL of a new, empty database.
    pub(crate) fn database(&self) -> Result<String> {
        let name = format!("step{}", self.next.fetch_add(1, Ordering::Relaxed));
        let port = self.port.to_string();
        ok("createdb", pg(&self.bin, "createdb").args(["-h", "127.0.0.1", "-p", &port, "-U", "lotse", &name]))?;
        Ok(format!("postgres://lotse@127.0.0.1:{port}/{name}"))
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.dir.path().join("db");
        let _ = pg(&self.bin, "pg_ctl")
            .arg("-D")
            .arg(data)
            .args(["-m", "fast", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}
