//! Two relays on one PostgreSQL database, over real sockets: one in this
//! process, one the `lotse-relay` binary run with `--database`. Device A
//! syncs through the first, device B through the second.

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use common::{addr, founder, statement, Client, TestRelay, NET, PATIENCE};
use lotse_relay::Options;
use lotse_sync::membership::{testing, DeviceKey, Role, Statement};
use lotse_sync::wire::{ErrorCode, RelayFrame};

/// The relay in this process, on the database at `url`.
async fn in_process(url: &str) -> TestRelay {
    let store = common::pg::open(url);
    let options = Options { peers: Some(store.peers()), ..Options::new("/nonexistent-app-dir") };
    TestRelay::start_with(store, options, tempfile::tempdir().unwrap()).await
}

/// The binary, on the database at `url`.
fn binary(url: &str, data_dir: &std::path::Path) -> common::RelayProcess {
    let mut command = common::relay_command(data_dir);
    command.env("LOTSE_DATABASE", url);
    common::start(command)
}

/// Connects as `key`; the relay may hear of the key's admission from the
/// other relay a moment after it was stored there.
async fn member(at: std::net::SocketAddr, key: &DeviceKey) -> Client {
    let mut client = Client::stranger(at).await;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        client.auth(key, NET).await;
        match client.recv().await {
            RelayFrame::Authenticated(_) => return client,
            RelayFrame::Error(e) if e.code == ErrorCode::Forbidden && tokio::time::Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            other => panic!("expected Authenticated, got {other:?}"),
        }
    }
}

/// Pushes bundles `from..from + n` without waiting, then reads until each
/// is acknowledged and the log is complete up to `head` (the other
/// device's pushes arriving live). Returns the acknowledged seqs and the
/// seqs of the bundles received, in the order they came.
async fn push_and_listen(client: &mut Client, from: u32, n: u32, head: u64, after: u64) -> (Vec<u64>, Vec<u64>) {
    for k in from..from + n {
        client.send(common::push(addr(1), k, format!("bundle {k}").as_bytes())).await;
    }
    let (mut acks, mut bundles) = (Vec::new(), Vec::new());
    loop {
        let have: BTreeSet<u64> = acks.iter().chain(&bundles).copied().collect();
        if acks.len() == n as usize && (after + 1..=head).all(|s| have.contains(&s)) {
            return (acks, bundles);
        }
        match client.recv().await {
            RelayFrame::Ack(a) => acks.push(a.seq.0),
            RelayFrame::Bundle(b) => bundles.push(b.seq.0),
            other => panic!("expected Acks and live bundles, got {other:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn devices_on_two_relays_sharing_one_database_sync_offline_edits_and_then_live() {
    let url = common::pg::database();
    let first = in_process(&url).await;
    let data_dir = tempfile::tempdir().unwrap();
    let second = binary(&url, data_dir.path());
    let mentor = testing::key(1);

    // A founds the network on the first relay and admits B's device; B is
    // admitted on the second.
    let mut a = Client::connect(first.addr).await;
    let admit = testing::admit(&founder(), NET, mentor.id(), Role::Mentor, &[addr(1).doc]);
    a.send(statement(NET, &admit)).await;
    assert!(matches!(a.recv().await, RelayFrame::Ack(_)));
    drop(member(second.addr, &mentor).await);

    // Both edit while the other is away.
    for n in 1..=5 {
        assert_eq!(a.push(addr(1), n, format!("bundle {n}").as_bytes()).await, u64::from(n));
    }
    drop(a);
    let mut b = member(second.addr, &mentor).await;
    for n in 6..=10 {
        assert_eq!(b.push(addr(1), n, format!("bundle {n}").as_bytes()).await, u64::from(n), "numbered on");
    }
    let backlog = b.subscribe(addr(1), 0).await;
    assert_eq!(backlog.seqs(), (1..=10).collect::<Vec<_>>());
    let mut a = Client::connect(first.addr).await;
    assert_eq!(a.subscribe(addr(1), 0).await, backlog, "the same log through either relay");

    // Live, one at a time, each way.
    assert_eq!(a.push(addr(1), 11, b"bundle 11").await, 11);
    assert!(matches!(b.recv().await, RelayFrame::Bundle(x) if x.seq.0 == 11 && x.sealed == b"bundle 11"));
    assert_eq!(b.push(addr(1), 12, b"bundle 12").await, 12);
    assert!(matches!(a.recv().await, RelayFrame::Bundle(x) if x.seq.0 == 12 && x.sealed == b"bundle 12"));

    // Live, both at once: every seq once, each side's stream in order.
    let ((a_acks, a_got), (b_acks, b_got)) =
        tokio::join!(push_and_listen(&mut a, 100, 30, 72, 12), push_and_listen(&mut b, 200, 30, 72, 12));
    for (who, acks, got) in [("A", &a_acks, &a_got), ("B", &b_acks, &b_got)] {
        assert!(got.windows(2).all(|w| w[0] < w[1]), "{who} got each bundle once, in order: {got:?}");
        let all: BTreeSet<u64> = acks.iter().chain(got.iter()).copied().collect();
        assert_eq!(all, (13..=72).collect(), "{who} has every seq");
    }
    let acked: BTreeSet<u64> = a_acks.iter().chain(&b_acks).copied().collect();
    assert_eq!(acked.len(), 60, "no seq given twice");
    let log = a.subscribe(addr(1), 0).await;
    assert_eq!(log.seqs(), (1..=72).collect::<Vec<_>>(), "nothing lost, no gap");
    assert_eq!(b.subscribe(addr(1), 0).await, log);

    // A retirement stored through the first relay cuts B off on the second.
    let retire = founder().sign(NET, Statement::Retire { device: mentor.id() });
    a.send(statement(NET, &retire)).await;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        match tokio::time::timeout_at(deadline, b.recv()).await.expect("B was not cut off") {
            RelayFrame::Error(e) if e.code == ErrorCode::Retired => break,
            RelayFrame::Bundle(_) => {}
            other => panic!("expected Retired, got {other:?}"),
        }
    }

    drop((a, b, second));
    first.stop().await;
}
