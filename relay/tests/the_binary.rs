//! The compiled `lotse-relay` as an operator runs it: settings from flags
//! and the environment, a clean stop, and no acknowledged push lost when the
//! process is killed with SIGKILL in the middle of a stream.

mod common;

use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::{addr, push, relay_command, start, Client, BIN};
use futures_util::{SinkExt, StreamExt};
use lotse_relay::DB_FILE;
use lotse_sync::wire::RelayFrame;
use tokio::sync::Semaphore;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::Message;

fn sealed_for(n: u32) -> Vec<u8> {
    let mut sealed = format!("ciphertext of bundle {n} ").into_bytes();
    sealed.resize(256, n as u8);
    sealed
}

#[tokio::test]
async fn every_acknowledged_push_survives_a_kill_9_in_the_middle_of_a_stream() {
    const KILL_AFTER_ACKS: usize = 200;
    const WINDOW: usize = 32;
    let data = tempfile::tempdir().unwrap();
    let mut relay = start(relay_command(data.path()));
    assert!(data.path().join(DB_FILE).exists(), "LOTSE_DATA_DIR was used");

    let (mut sink, mut stream) = Client::connect(relay.addr).await.into_socket().split();

    // The writer streams pushes, at most WINDOW without an Ack; `attempted`
    // is the highest bundle number it started to send.
    let window = Arc::new(Semaphore::new(WINDOW));
    let attempted = Arc::new(AtomicU32::new(0));
    let writer = tokio::spawn({
        let (window, attempted) = (window.clone(), attempted.clone());
        async move {
            for n in 1.. {
                let Ok(permit) = window.acquire().await else { break };
                permit.forget();
                attempted.store(n, Ordering::SeqCst);
                if sink.send(Message::Binary(push(addr(1), n, &sealed_for(n)).encode().into())).await.is_err() {
                    break;
                }
            }
        }
    });

    // Every Ack, bundle number → seq, including those still arriving after
    // the kill (the relay sent them before it died).
    let mut acked: BTreeMap<u32, u64> = BTreeMap::new();
    let mut killed = false;
    loop {
        let message = tokio::time::timeout(Duration::from_secs(30), stream.next()).await.expect("stream stalled");
        match message {
            Some(Ok(Message::Binary(bytes))) => match RelayFrame::decode(&bytes).unwrap() {
                RelayFrame::Welcome(_) => {}
                RelayFrame::Ack(ack) => {
                    let n = u32::from_be_bytes(ack.bundle_id.0[..4].try_into().unwrap());
                    assert_eq!(acked.insert(n, ack.seq.0), None, "bundle {n} acked twice");
                    window.add_permits(1);
                }
                other => panic!("unexpected {other:?}"),
            },
            Some(Ok(_)) => {}
            None | Some(Err(_)) => break,
        }
        if acked.len() >= KILL_AFTER_ACKS && !killed {
            relay.child.kill().unwrap(); // SIGKILL: no chance to flush anything
            killed = true;
        }
    }
    assert!(killed, "the stream ended before the kill");
    window.close(); // the writer may be waiting for a permit no Ack will bring
    relay.child.wait().unwrap();
    tokio::time::timeout(Duration::from_secs(30), writer).await.expect("the writer did not stop").unwrap();
    let attempted = attempted.load(Ordering::SeqCst);
    assert!(acked.len() >= KILL_AFTER_ACKS);
    // Usually some pushes were in flight, unacknowledged, at the kill.
    eprintln!("killed with {} acked of {attempted} sent", acked.len());

    // Restart on the same data and read the whole log back.
    let relay = start(relay_command(data.path()));
    let mut device = Client::connect(relay.addr).await;
    let log = device.subscribe(addr(1), 0).await;
    let seqs = log.seqs();
    assert_eq!(seqs, (1..=log.head).collect::<Vec<_>>(), "seqs are contiguous from 1, in order");
    for (&n, &seq) in &acked {
        let (_, sealed) =
            log.bundles.get(seq as usize - 1).unwrap_or_else(|| panic!("acked bundle {n} at seq {seq} is lost"));
        assert_eq!(sealed, &sealed_for(n), "seq {seq} holds the bundle acked for it ({n})");
    }
    assert!(log.head <= u64::from(attempted), "nothing stored that was not sent");

    // The device pushes again everything it has no Ack for (and, to be
    // sure, what it has): acked bundles keep their seq, the log ends up
    // holding every bundle exactly once, still contiguous.
    for n in 1..=attempted {
        let seq = device.push(addr(1), n, &sealed_for(n)).await;
        if let Some(&old) = acked.get(&n) {
            assert_eq!(seq, old, "bundle {n} keeps its seq after the restart");
        }
    }
    let log = device.subscribe(addr(1), 0).await;
    assert_eq!(log.head, u64::from(attempted));
    assert_eq!(log.seqs(), (1..=u64::from(attempted)).collect::<Vec<_>>());
    let mut held: Vec<&Vec<u8>> = log.bundles.iter().map(|(_, s)| s).collect();
    held.sort();
    held.dedup();
    assert_eq!(held.len() as u32, attempted, "each bundle once");
}

#[tokio::test]
async fn sigterm_closes_connections_and_stops_cleanly() {
    let data = tempfile::tempdir().unwrap();
    let mut relay = start(relay_command(data.path()));
    let mut device = Client::connect(relay.addr).await;
    assert_eq!(device.push(addr(1), 1, b"kept").await, 1);

    let status = Command::new("kill").arg("-TERM").arg(relay.child.id().to_string()).status().unwrap();
    assert!(status.success());
    match device.next_message().await {
        Some(Ok(Message::Close(Some(frame)))) => assert_eq!(frame.code, CloseCode::Away),
        other => panic!("expected a close with 1001 going away, got {other:?}"),
    }
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let exit = loop {
        if let Some(exit) = relay.child.try_wait().unwrap() {
            break exit;
        }
        assert!(std::time::Instant::now() < deadline, "the relay did not stop within 10 s of SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "{exit}");

    let relay = start(relay_command(data.path()));
    assert_eq!(Client::connect(relay.addr).await.subscribe(addr(1), 0).await.seqs(), [1]);
}

#[test]
fn the_help_explains_every_flag_and_its_environment_variable() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for (flag, env, default) in [
        ("--listen", "LOTSE_LISTEN", "127.0.0.1:8080"),
        ("--data-dir", "LOTSE_DATA_DIR", "./data"),
        ("--app-dir", "LOTSE_APP_DIR", "./dist"),
        ("--max-frame", "LOTSE_MAX_FRAME", "8388608"),
        ("--max-connections", "LOTSE_MAX_CONNECTIONS", "10000"),
        ("--idle-timeout", "LOTSE_IDLE_TIMEOUT", "120"),
        ("--min-free-mib", "LOTSE_MIN_FREE_MIB", "512"),
        ("--rate-per-second", "LOTSE_RATE_PER_SECOND", "50"),
        ("--rate-burst", "LOTSE_RATE_BURST", "2000"),
    ] {
        assert!(help.contains(flag), "{flag} in\n{help}");
        assert!(help.contains(env), "{env} in\n{help}");
        assert!(help.contains(&format!("[default: {default}]")), "{default} in\n{help}");
    }
}

#[test]
fn a_flag_wins_over_the_environment_and_a_bad_setting_is_named() {
    let data = tempfile::tempdir().unwrap();
    let mut command = relay_command(data.path());
    command.env("LOTSE_LISTEN", "not an address").arg("--listen").arg("127.0.0.1:0");
    let relay = start(command);
    assert!(relay.addr.ip().is_loopback());

    let out = relay_command(data.path()).env("LOTSE_MAX_FRAME", "12").stderr(Stdio::piped()).output().unwrap();
    assert!(!out.status.success(), "a 12-byte frame limit is refused");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("max-frame") && stderr.contains("1024"), "{stderr}");
}

#[tokio::test]
async fn a_relay_whose_disk_has_less_room_than_it_must_keep_refuses_pushes_before_writing() {
    let data = tempfile::tempdir().unwrap();
    let mut command = relay_command(data.path());
    // More free space than any disk here has: the guard trips at once.
    command.env("LOTSE_MIN_FREE_MIB", (u64::MAX / (1024 * 1024)).to_string());
    let relay = start(command);
    let mut client = Client::connect(relay.addr).await;
    // Tried: a push while the disk is "full".
    client.send(push(addr(1), 1, b"no room for this")).await;
    match client.recv().await {
        RelayFrame::Error(e) => {
            assert_eq!(e.code, lotse_sync::wire::ErrorCode::StoreFailed);
            assert!(e.message.contains("disk is nearly full"), "{}", e.message);
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(client.subscribe(addr(1), 0).await.head, 0, "nothing was stored; reading goes on");
}
