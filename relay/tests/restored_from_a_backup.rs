//! The relay restored from an old backup under running devices (issue 11,
//! part 5): the relay binary on SQLite, devices (the real `ClientCore`)
//! writing; the database is copied with SQLite's online backup, more is
//! written and acknowledged, the relay is stopped, the copy put back and
//! the relay started again, with and without the operator's
//! `--renew-generations`. Every device ends with every change, and the
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

async fn restored_under_running_devices(renew: bool) {
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
    c.write_offline("c2", "offline").await;

    let relay = restore(relay, data.path(), &backup, renew);

    // Device c first: its cursor lies within the restored log, and its
    // push makes the log grow again before the others come back.
    c.reconnect(relay.addr).await;
    a.reconnect(relay.addr).await;
    b.reconnect(relay.addr).await;
    for _ in 0..2 {
        for d in [&mut a, &mut b, &mut c] {
            d.settle().await;
        }
    }

    let every: Vec<&str> = vec!["a1", "a2", "a3", "b1", "b2", "c1", "c2"];
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
    restored_under_running_devices(true).await;
}

/// The operator forgot `--renew-generations`: the devices that had read
/// past the restored log prove the loss at their first subscribe, and the
/// relay renews that log's generation itself. (What stays open without
/// the renewal: docs/protocol.md, "Log generations".)
#[tokio::test]
async fn a_relay_restored_from_an_old_sqlite_backup_without_renewal_loses_nothing_here() {
    restored_under_running_devices(false).await;
}
