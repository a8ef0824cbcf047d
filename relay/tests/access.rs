//! Who may use the relay, over a real socket with the SQLite store: each
//! attempt below is refused with its error code while an honest device's
//! sync goes on and the store keeps nothing of the attempt.

mod common;

use std::time::Duration;

use common::{addr, founder, statement, Client, TestRelay, NET, PATIENCE};
use lotse_relay::Options;
use lotse_sync::membership::{membership_addr, testing, Role, Statement};
use lotse_sync::relay::RelayStore;
use lotse_sync::wire::{ClientFrame, ErrorCode, PutSnapshot, RelayFrame};
use lotse_sync::{KeyId, Seq};
use tokio_tungstenite::tungstenite::Message;

async fn expect_error(client: &mut Client, code: ErrorCode) -> String {
    match client.recv().await {
        RelayFrame::Error(e) if e.code == code => e.message,
        other => panic!("expected {code:?}, got {other:?}"),
    }
}

fn relay_options() -> Options {
    Options::new("/nonexistent-app-dir")
}

#[tokio::test]
async fn a_connection_that_proves_nothing_reads_writes_and_snapshots_nothing() {
    let relay = TestRelay::start_with_options(relay_options()).await;
    let mut honest = Client::connect(relay.addr).await;
    honest.push(addr(1), 1, b"an honest bundle").await;
    let mut stranger = Client::stranger(relay.addr).await;
    // Tried: subscribe, push and snapshot with no Auth.
    stranger.send(common::subscribe(addr(1), 0)).await;
    expect_error(&mut stranger, ErrorCode::Unauthenticated).await;
    stranger.send(common::push(addr(1), 2, b"a stranger's bundle")).await;
    expect_error(&mut stranger, ErrorCode::Unauthenticated).await;
    let snap = PutSnapshot { addr: addr(1), covers: Seq(1), key_id: KeyId(1), sealed: vec![0; 40] };
    stranger.send(ClientFrame::PutSnapshot(snap)).await;
    expect_error(&mut stranger, ErrorCode::Unauthenticated).await;
    // Tried: the honest device's answer, replayed on this connection.
    let key = founder();
    let replayed =
        lotse_sync::wire::Auth { network: NET, device: key.id(), signature: key.answer(&honest.challenge, NET) };
    stranger.send(ClientFrame::Auth(replayed)).await;
    expect_error(&mut stranger, ErrorCode::Unauthenticated).await;
    // Tried: a correct answer by a key the network never admitted.
    stranger.auth(&testing::key(77), NET).await;
    expect_error(&mut stranger, ErrorCode::Forbidden).await;

    honest.push(addr(1), 3, b"still syncing").await;
    let backlog = honest.subscribe(addr(1), 0).await;
    assert_eq!(backlog.bundles, [(1, b"an honest bundle".to_vec()), (2, b"still syncing".to_vec())]);
    assert!(backlog.snapshot.is_none(), "no snapshot was stored");
    relay.stop().await;
}

#[tokio::test]
async fn a_mentor_is_refused_a_document_not_named_for_them_and_a_retired_one_is_cut_off() {
    let relay = TestRelay::start_with_options(relay_options()).await;
    let mut coordinator = Client::connect(relay.addr).await;
    let mentor = testing::key(5);
    let admit = testing::admit(&founder(), NET, mentor.id(), Role::Mentor, &[addr(1).doc]);
    coordinator.send(statement(NET, &admit)).await;
    assert!(matches!(coordinator.recv().await, RelayFrame::Ack(a) if a.addr == membership_addr(NET)));

    let mut phone = Client::stranger(relay.addr).await;
    phone.auth(&mentor, NET).await;
    assert!(matches!(phone.recv().await, RelayFrame::Authenticated(a) if a.role == Role::Mentor));
    assert_eq!(phone.subscribe(addr(1), 0).await.head, 0);
    // Tried: a community document the mentor was not admitted to.
    phone.send(common::subscribe(addr(2), 0)).await;
    expect_error(&mut phone, ErrorCode::Forbidden).await;
    phone.send(common::push(addr(2), 9, b"into another community")).await;
    expect_error(&mut phone, ErrorCode::Forbidden).await;

    // The coordinator retires the phone: it hears so at once, and what it
    // pushes afterwards is refused and reaches nobody.
    coordinator.subscribe(addr(1), 0).await;
    let retire = founder().sign(NET, Statement::Retire { device: mentor.id() });
    coordinator.send(statement(NET, &retire)).await;
    assert!(matches!(coordinator.recv().await, RelayFrame::Ack(_)));
    expect_error(&mut phone, ErrorCode::Retired).await;
    phone.send(common::push(addr(1), 10, b"written after retirement")).await;
    expect_error(&mut phone, ErrorCode::Unauthenticated).await;
    phone.auth(&mentor, NET).await;
    expect_error(&mut phone, ErrorCode::Retired).await;
    coordinator.assert_silent("nothing of the retired phone reaches the coordinator").await;
    coordinator.push(addr(1), 11, b"the network goes on").await;
    relay.stop().await;
}

#[tokio::test]
async fn the_membership_is_kept_across_a_restart_of_the_relay() {
    let data = tempfile::tempdir().unwrap();
    let mentor = testing::key(5);
    for run in 0..2 {
        let store = lotse_relay::SqliteStore::open_in(data.path()).unwrap();
        if run == 1 {
            let logs = store.membership_logs().unwrap();
            assert_eq!(logs.len(), 1, "one network's membership was stored");
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let at = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(lotse_relay::serve(listener, store, relay_options(), async {
            let _ = stopped.await;
        }));
        if run == 0 {
            let mut coordinator = Client::connect(at).await;
            let admit = testing::admit(&founder(), NET, mentor.id(), Role::Mentor, &[addr(1).doc]);
            coordinator.send(statement(NET, &admit)).await;
            assert!(matches!(coordinator.recv().await, RelayFrame::Ack(_)));
        } else {
            // After the restart the mentor is admitted without anyone
            // handing over a statement again.
            let mut phone = Client::stranger(at).await;
            phone.auth(&mentor, NET).await;
            assert!(matches!(phone.recv().await, RelayFrame::Authenticated(_)));
        }
        let _ = stop.send(());
        task.await.unwrap().unwrap();
    }
}

#[tokio::test]
async fn a_connection_past_the_cap_is_told_busy_and_closed_and_an_idle_one_is_closed() {
    let options = Options { max_connections: 2, idle_timeout: Duration::from_secs(5), ..relay_options() };
    let relay = TestRelay::start_with_options(options).await;
    let mut first = Client::connect(relay.addr).await;
    let _second = Client::connect(relay.addr).await;
    // Tried: a third connection.
    let (ws, _) = tokio_tungstenite::connect_async(format!("ws://{}/sync", relay.addr)).await.unwrap();
    let mut third = common::Client::from_socket(ws);
    expect_error(&mut third, ErrorCode::Busy).await;
    match third.next_message().await {
        Some(Ok(Message::Close(Some(frame)))) => assert_eq!(u16::from(frame.code), 1013),
        other => panic!("expected a close frame, got {other:?}"),
    }
    // The first stays idle (it answers pings, sends no frame) and is closed.
    let closed = tokio::time::timeout(PATIENCE, async {
        loop {
            match first.next_message().await {
                Some(Ok(Message::Close(_))) | None => return,
                _ => {}
            }
        }
    })
    .await;
    assert!(closed.is_ok(), "an idle connection was closed");
    // Its place is free again.
    Client::connect(relay.addr).await.push(addr(1), 1, b"after the idle one left").await;
    relay.stop().await;
}
