//! A throwaway PostgreSQL for the tests: one cluster per test binary, from
//! Debian's package, on loopback in a temporary folder (started as the load
//! generator starts its own: `lotse_relay_load::pg`), and a fresh database
//! for each test. Nothing is skipped: a test that needs it fails with what
//! to do if the cluster cannot be started.
//!
//! The cluster is started on first use. A watcher process stops it and
//! deletes its folder once the test binary has exited, however it ended.

use std::sync::OnceLock;

use lotse_relay::PgStore;
use lotse_relay_load::pg::{Cluster, Purpose};

static CLUSTER: OnceLock<Cluster> = OnceLock::new();

fn start() -> Cluster {
    let started = Cluster::start(&std::env::temp_dir(), Purpose::Test).and_then(|c| c.stop_after_exit().map(|()| c));
    started.unwrap_or_else(|e| {
        panic!(
            "{e:#}\nThe relay's PostgreSQL tests start a throwaway cluster from Debian's postgresql package, \
             as a `postgres` user when run as root: `cargo xtask setup` installs both."
        )
    })
}

/// Runs `f` on a thread of its own: the sync PostgreSQL client runs its own
/// runtime, which it may not do inside a test's tokio runtime.
pub(crate) fn off_runtime<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::spawn(f).join().unwrap_or_else(|e| std::panic::resume_unwind(e))
}

/// The URL of a new, empty database in the binary's cluster.
pub(crate) fn database() -> String {
    off_runtime(|| CLUSTER.get_or_init(start).database().unwrap_or_else(|e| panic!("{e:#}")))
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
