//! The relay restored from an old backup under running devices (issue 11,
//! part 5): the relay binary on SQLite, devices (the real `ClientCore`)
//! writing; the database is copied with SQLite's online backup, more is
//! written and acknowledged, the relay is stopped, the copy put back and
//! the relay started again, with and without the operator's
//! `--renew-generations` (optional since protocol 8), and with the log
//! grown back past the others' cursors before they return. Every device
//! ends with every change, and the
//! relay's log holds them all again: a device that joins afterwards reads
//! them from the log alone.

mod common;

use std::path::Path;

use common::device::{config, Device};
use common::{relay_command, start, RelayProcess};
use lotse_relay::DB_FILE;
use lotse_sync::client::{ClientConfig, Problem};
use lotse_sync::wire::ErrorCode;

/// No snapshots: a device that joins reads the log itself.
fn log_only() -> ClientConfig {
    ClientConfig { snapshot_every: 1_000_000, ..config() }
}

/// What the operator does with `sqlite3 … ".backup …"`: a consistent copy
/// of the live database (its WAL included), taken while the relay runs.
fn online_backup(data: &Path, to: &Path) {
    let live = rusqlite::Connection::open(data.join(DB_FILE)).unwrap();
    live.execute("VACUUM INTO ?1", [to.to_str().unwrap()]).unwrap();
}

/// Stops the relay, puts `backup` in place of its database (the WAL and
/// shared-memory files removed, as docs/operating.md says), renews every
/// log's generation if the operator remembers to, and starts it again.
fn restore(relay: RelayProcess, data: &Path, backup: &Path, renew: bool) -> RelayProcess {
    drop(relay);
    std::fs::copy(backup, data.join(DB_FILE)).unwrap();
    for side in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(data.join(format!("{DB_FILE}{side}")));
    }
    if renew {
        let out = relay_command(data).arg("--renew-generations").output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(said.starts_with("lotse-relay renewed the generation of "), "{said}");
    }
    start(relay_command(data))
}

/// `offline`: what device c writes while offline and pushes first after
/// the restore.
async fn restored_under_running_devices(renew: bool, offline: &[&str]) {
    let data = tempfile::tempdir().unwrap();
    let copies = tempfile::tempdir().unwrap();
    let backup = copies.path().join("backup.sqlite3");
    let relay = start(relay_command(data.path()));

    let mut a = Device::join_with(relay.addr, 1, log_only()).await;
    let mut b = Device::join_with(relay.addr, 2, log_only()).await;
    let mut c = Device::join_with(relay.addr, 3, log_only()).await;
    a.write("a1", "before").await;
    b.write("b1", "before").await;
    c.write("c1", "before").await;
    for d in [&mut a, &mut b, &mut c] {
        d.settle().await;
    }
    online_backup(data.path(), &backup);

    // Acknowledged after the backup: on the devices only, once it is back.
    // Device c goes offline before and writes on there.
    c.go_offline().await;
    a.write("a2", "after").await;
    b.write("b2", "after").await;
    a.write("a3", "after").await;
    for d in [&mut a, &mut b] {
        d.settle().await;
    }
    assert_eq!(a.cursor(), 6);
    for key in offline {
        c.write_offline(key, "offline").await;
    }

    let relay = restore(relay, data.path(), &backup, renew);

    // Device c first: its cursor lies within the restored log, and its
    // pushes make the log grow again before the others come back.
    c.reconnect(relay.addr).await;
    if !renew {
        // (With renewal c pushes its whole document first.)
        let regrown = 3 + offline.len() as u64;
        assert_eq!(c.cursor(), regrown, "c's pushes are the restored log's seqs 4 on");
    }
    a.reconnect(relay.addr).await;
    b.reconnect(relay.addr).await;
    for _ in 0..2 {
        for d in [&mut a, &mut b, &mut c] {
            d.settle().await;
        }
    }

    let mut every: Vec<&str> = vec!["a1", "a2", "a3", "b1", "b2", "c1"];
    every.extend(offline);
    every.sort();
    for (name, d) in [("a", &a), ("b", &b), ("c", &c)] {
        let records = d.records();
        assert_eq!(records.keys().map(String::as_str).collect::<Vec<_>>(), every, "device {name}");
    }
    assert_eq!(a.records(), b.records());
    assert_eq!(a.records(), c.records());
    for (name, d) in [("a", &a), ("b", &b)] {
        assert!(
            d.problems.iter().any(|p| matches!(p, Problem::Relay { code: ErrorCode::CursorAhead, .. })),
            "device {name} noticed the relay lost data: {:?}",
            d.problems
        );
    }

    // The relay's log holds every change again.
    let late = Device::join_with(relay.addr, 4, log_only()).await;
    assert_eq!(late.snapshots_received, 0);
    assert_eq!(late.records(), a.records(), "a device that joins now reads every change from the log");
}

#[tokio::test]
async fn a_relay_restored_from_an_old_sqlite_backup_and_renewed_loses_nothing() {
    restored_under_running_devices(true, &["c2"]).await;
}

/// The operator forgot `--renew-generations`: the devices that had read
/// past the restored log prove the loss at their first subscribe, and the
/// relay renews that log's generation itself.
#[tokio::test]
async fn a_relay_restored_from_an_old_sqlite_backup_without_renewal_loses_nothing() {
    restored_under_running_devices(false, &["c2"]).await;
}

/// No renewal, and device c's pushes make the restored log grow past where
/// a and b had read (seq 6) before they come back: their subscribes lie
/// inside the log, of its own generation. They name the bundle they read
/// at seq 6 (a's "a3"); the relay holds one of c's there, answers
/// `CursorAhead` and renews the log's generation, and a and b push again
/// what it lost. Before protocol 8 the relay could not tell, and "a2",
/// "a3" and "b2" never came back to it.
#[tokio::test]
async fn a_relay_restored_without_renewal_whose_log_grew_back_past_the_cursors_loses_nothing() {
    restored_under_running_devices(false, &["c2", "c3", "c4", "c5"]).await;
}
