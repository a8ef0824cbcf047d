//! A release relay process on loopback, as the load runs and the soak start
//! it: its data directory, its log, the port it listens on.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{Context as _, Result};

/// A relay listening on 127.0.0.1, its files in a folder of its own:
/// `data/` (the store), `relay.log` (its warnings), `app/`.
pub(crate) struct RelayProcess {
    child: Child,
    pub addr: SocketAddr,
    dir: PathBuf,
    /// The folder, when it is the relay's alone and goes with it.
    _temp: Option<tempfile::TempDir>,
}

impl RelayProcess {
    /// A relay on any free port with a fresh folder under `base`.
    pub(crate) fn fresh(bin: &Path, base: &Path, env: &[(&str, &str)]) -> Result<Self> {
        std::fs::create_dir_all(base).with_context(|| format!("creating {}", base.display()))?;
        let temp = tempfile::Builder::new().prefix("relay-load-").tempdir_in(base)?;
        let mut relay = Self::start_in(bin, temp.path(), "127.0.0.1:0".parse()?, env)?;
        relay._temp = Some(temp);
        Ok(relay)
    }

    /// A relay on `listen` with its files in `dir`: what an earlier relay
    /// there stored, it opens again. Its log is appended to.
    pub(crate) fn start_in(bin: &Path, dir: &Path, listen: SocketAddr, env: &[(&str, &str)]) -> Result<Self> {
        let log = std::fs::OpenOptions::new().create(true).append(true).open(dir.join("relay.log"))?;
        // An app directory with an index.html, so that the relay's only
        // warnings are about the load.
        let app = dir.join("app");
        std::fs::create_dir_all(&app)?;
        std::fs::write(app.join("index.html"), "<!doctype html><title>relay-load</title>")?;
        let mut child = Command::new(bin)
            .env("LOTSE_DATA_DIR", dir.join("data"))
            .env("LOTSE_LISTEN", listen.to_string())
            .env("LOTSE_APP_DIR", &app)
            // The load is what is measured, not the cap; and a device that
            // waits for the others to connect sends nothing meanwhile.
            .env("LOTSE_MAX_CONNECTIONS", "1000000")
            .env("LOTSE_IDLE_TIMEOUT", "3600")
            .envs(env.iter().copied())
            .env("RUST_LOG", "warn")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .with_context(|| format!("starting {} (build it: cargo build --release -p lotse-relay)", bin.display()))?;
        let lines = lines_of(child.stdout.take().expect("piped"));
        let line = lines.recv_timeout(Duration::from_secs(30));
        let addr = line.as_deref().ok().and_then(|l| l.strip_prefix("lotse-relay listening on http://"));
        let Some(addr) = addr.and_then(|a| a.parse().ok()) else {
            let _ = child.kill();
            let _ = child.wait();
            let log = std::fs::read_to_string(dir.join("relay.log")).unwrap_or_default();
            anyhow::bail!("the relay did not say where it listens (it said {line:?}); its log:\n{log}");
        };
        Ok(Self { child, addr, dir: dir.to_owned(), _temp: None })
    }

    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Ends it with SIGKILL, as a power cut or the OOM killer would: no
    /// chance to finish anything.
    pub(crate) fn kill(mut self) -> Result<()> {
        self.child.kill().context("killing the relay")?;
        self.child.wait().context("waiting for the killed relay")?;
        Ok(())
    }

    /// Warnings the relay logged (connections it dropped, store failures).
    pub(crate) fn warnings(&self) -> Vec<String> {
        let log = std::fs::read_to_string(self.dir.join("relay.log")).unwrap_or_default();
        log.lines().map(str::to_owned).collect()
    }
}

impl Drop for RelayProcess {
    fn drop(&mut self) {
        // Already ended (killed): its pid may be another process's now.
        if let Ok(Some(_)) = self.child.try_wait() {
            return;
        }
        // SIGTERM first, as a service manager stops it (and a profiler
        // wrapped around it gets to write its data); SIGKILL if it hangs.
        let asked = Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status();
        if asked.is_ok_and(|s| s.success()) {
            for _ in 0..100 {
                if let Ok(Some(_)) = self.child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The lines `out` prints, as they come.
pub(crate) fn lines_of(out: impl std::io::Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}
