//! The relay over a real socket: devices push, subscribe and receive live;
//! bad input gets a clear error and harms neither the log nor anyone else.

mod common;

use common::{addr, push, subscribe, Backlog, Client, TestRelay};
use lotse_sync::wire::{ClientFrame, ErrorCode, Hello, PutSnapshot, RelayFrame, PROTOCOL_VERSION};
use lotse_sync::{KeyId, Seq};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::Message;

const MAX_FRAME: usize = 64 * 1024;

#[tokio::test]
async fn a_push_is_acknowledged_with_the_next_seq() {
    let relay = TestRelay::start(MAX_FRAME).await;
    let mut device = relay.client().await;
    assert_eq!(device.push(addr(1), 1, b"one").await, 1);
    assert_eq!(device.push(addr(1), 2, b"two").await, 2);
    assert_eq!(device.push(addr(2), 3, b"other doc").await, 1, "each document has its own log");
    assert_eq!(device.push(addr(1), 4, b"three").await, 3);
    relay.stop().await;
}

/// A device sends its whole outbox without waiting for Acks; the relay
/// writes the Acks (and the live bundles) of a batch together, and none is
/// lost or reordered on the way.
#[tokio::test]
async fn an_outbox_sent_without_waiting_is_acknowledged_in_order_and_fanned_out_in_order() {
    let relay = TestRelay::start(MAX_FRAME).await;
    let (mut phone, mut laptop) = (relay.client().await, relay.client().await);
    laptop.subscribe(addr(1), 0).await;
    const OUTBOX: u32 = 200;
    for n in 1..=OUTBOX {
        phone.send(push(addr(1), n, &n.to_be_bytes())).await;
    }
    for n in 1..=OUTBOX {
        match phone.recv().await {
            RelayFrame::Ack(a) => assert_eq!((a.bundle_id, a.seq.0), (common::bundle_id(n), u64::from(n))),
            other => panic!("expected the Ack of bundle {n}, got {other:?}"),
        }
        match laptop.recv().await {
            RelayFrame::Bundle(b) => assert_eq!((b.seq.0, b.sealed), (u64::from(n), n.to_be_bytes().to_vec())),
            other => panic!("expected bundle {n}, got {other:?}"),
        }
    }
    relay.stop().await;
}

#[tokio::test]
async fn a_device_subscribing_from_zero_gets_the_backlog_then_caught_up() {
    let relay = TestRelay::start(MAX_FRAME).await;
    let mut first = relay.client().await;
    for (n, body) in [(1, b"a"), (2, b"b"), (3, b"c")] {
        first.push(addr(1), n, body).await;
    }
    let mut second = relay.client().await;
    let backlog = second.subscribe(addr(1), 0).await;
    assert_eq!(
        backlog,
        Backlog { snapshot: None, bundles: vec![(1, b"a".to_vec()), (2, b"b".to_vec()), (3, b"c".to_vec())], head: 3 }
    );
    let mut third = relay.client().await;
    let backlog = third.subscribe(addr(1), 2).await;
    assert_eq!(backlog.seqs(), [3], "only what follows the cursor");
    assert_eq!(third.subscribe(addr(7), 0).await, Backlog::default(), "an unknown document is an empty log");
    relay.stop().await;
}

#[tokio::test]
async fn a_second_device_receives_a_push_live_and_the_pusher_gets_no_echo() {
    let relay = TestRelay::start(MAX_FRAME).await;
    let mut phone = relay.client().await;
    let mut laptop = relay.client().await;
    phone.subscribe(addr(1), 0).await;
    laptop.subscribe(addr(1), 0).await;

    assert_eq!(phone.push(addr(1), 1, b"sealed change").await, 1);
    match laptop.recv().await {
        RelayFrame::Bundle(b) => {
            assert_eq!(
                (b.addr, b.seq, b.key_id, b.sealed.as_slice()),
                (addr(1), Seq(1), KeyId(1), &b"sealed change"[..])
            )
        }
        other => panic!("expected the live bundle, got {other:?}"),
    }
    phone.assert_silent("the pusher already has its own bundle").await;

    // A push to another document reaches no one subscribed to this one.
    phone.push(addr(2), 2, b"elsewhere").await;
    laptop.assert_silent("the laptop is not subscribed to document 2").await;
    relay.stop().await;
}

#[tokio::test]
async fn a_fresh_device_starts_from_the_newest_snapshot_then_gets_only_later_bundles() {
    let relay = TestRelay::start(MAX_FRAME).await;
    let mut device = relay.client().await;
    for n in 1..=4 {
        device.push(addr(1), n, format!("b{n}").as_bytes()).await;
    }
    device
        .send(ClientFrame::PutSnapshot(PutSnapshot {
            addr: addr(1),
            covers: Seq(3),
            key_id: KeyId(1),
            sealed: b"snapshot to 3".to_vec(),
        }))
        .await;
    match device.recv().await {
        RelayFrame::SnapshotStored(s) => assert_eq!((s.addr, s.covers), (addr(1), Seq(3))),
        other => panic!("expected SnapshotStored, got {other:?}"),
    }
    device.push(addr(1), 5, b"b5").await;

    let mut fresh = relay.client().await;
    let backlog = fresh.subscribe(addr(1), 0).await;
    assert_eq!(backlog.snapshot, Some((3, b"snapshot to 3".to_vec())));
    assert_eq!(backlog.bundles, [(4, b"b4".to_vec()), (5, b"b5".to_vec())]);
    assert_eq!(backlog.head, 5);
    relay.stop().await;
}

#[tokio::test]
async fn a_bundle_far_larger_than_a_socket_read_arrives_whole() {
    let relay = TestRelay::start(4 * 1024 * 1024).await;
    let (mut writer, mut reader) = (relay.client().await, relay.client().await);
    assert_eq!(reader.subscribe(addr(1), 0).await.head, 0);
    let large: Vec<u8> = (0..3_000_000u32).map(|i| (i % 253) as u8).collect();
    assert_eq!(writer.push(addr(1), 1, &large).await, 1);
    match reader.recv().await {
        RelayFrame::Bundle(b) => assert!(b.seq.0 == 1 && b.sealed == large, "the bundle came back altered"),
        other => panic!("expected the bundle, got {other:?}"),
    }
    relay.stop().await;
}

#[tokio::test]
async fn a_repeated_push_is_acked_with_the_same_seq_and_not_fanned_out_twice() {
    let relay = TestRelay::start(MAX_FRAME).await;
    let mut phone = relay.client().await;
    let mut laptop = relay.client().await;
    laptop.subscribe(addr(1), 0).await;

    assert_eq!(phone.push(addr(1), 1, b"once").await, 1);
    assert!(matches!(laptop.recv().await, RelayFrame::Bundle(b) if b.seq == Seq(1)));
    // The phone lost the Ack (say, the network dropped) and pushes again.
    assert_eq!(phone.push(addr(1), 1, b"once").await, 1, "the same seq");
    laptop.assert_silent("a repeat is not news").await;
    assert_eq!(relay.client().await.subscribe(addr(1), 0).await.seqs(), [1], "stored once");
    relay.stop().await;
}

#[tokio::test]
async fn the_sync_endpoint_carries_the_security_headers() {
    let relay = TestRelay::start(MAX_FRAME).await;
    let (_ws, response) = tokio_tungstenite::connect_async(format!("ws://{}/sync", relay.addr)).await.unwrap();
    let csp = response.headers().get("content-security-policy").expect("a CSP on the upgrade");
    assert!(csp.to_str().unwrap().contains("connect-src 'self'"));
    assert_eq!(response.headers().get("x-content-type-options").unwrap(), "nosniff");
    relay.stop().await;
}

// ---------------------------------------------------------------------------
// Bad input. Each scenario seeds a log of two bundles and two well-behaved
// devices, sends one kind of bad input from a third, and then checks:
// the error code; that the well-behaved devices heard nothing of it; that
// the stored log is unchanged; that they still push and receive live; and,
// where the connection is kept, that the offender can still push too.
// ---------------------------------------------------------------------------

struct Scene {
    relay: TestRelay,
    watcher: Client,
    pusher: Client,
    offender: Client,
    before: Backlog,
}

async fn scene() -> Scene {
    let relay = TestRelay::start(MAX_FRAME).await;
    let mut pusher = relay.client().await;
    pusher.push(addr(1), 1, b"first").await;
    pusher.push(addr(1), 2, b"second").await;
    let mut watcher = relay.client().await;
    let before = watcher.subscribe(addr(1), 0).await;
    assert_eq!(before.seqs(), [1, 2]);
    let offender = relay.client().await;
    Scene { relay, watcher, pusher, offender, before }
}

async fn expect_error(client: &mut Client, code: ErrorCode) -> String {
    match client.recv().await {
        RelayFrame::Error(e) => {
            assert_eq!(e.code, code, "{}", e.message);
            assert!(!e.message.is_empty(), "an error says what went wrong");
            e.message
        }
        other => panic!("expected an {code:?} error, got {other:?}"),
    }
}

impl Scene {
    /// Everyone else is unaffected and nothing stored changed.
    async fn assert_unharmed(mut self, offender_still_connected: bool) {
        self.watcher.assert_silent("the bad input concerns only its sender").await;
        let mut fresh = self.relay.client().await;
        assert_eq!(fresh.subscribe(addr(1), 0).await, self.before, "the stored log is unchanged");

        assert_eq!(self.pusher.push(addr(1), 10, b"after").await, 3);
        match self.watcher.recv().await {
            RelayFrame::Bundle(b) => assert_eq!((b.seq, b.sealed.as_slice()), (Seq(3), &b"after"[..])),
            other => panic!("expected the live bundle, got {other:?}"),
        }
        if offender_still_connected {
            assert_eq!(self.offender.push(addr(1), 11, b"behaving now").await, 4, "the connection was kept");
        }
        self.relay.stop().await;
    }
}

#[tokio::test]
async fn a_malformed_frame_is_refused_and_harms_nothing() {
    let mut s = scene().await;
    // Tried: a Push (type 0x03) whose body is cut off after the first bytes
    // of the document id, then a frame with no bytes at all, then a valid
    // Push with a trailing byte after its body.
    s.offender.send_raw(vec![0x03, 0x01, 0x02]).await;
    expect_error(&mut s.offender, ErrorCode::Malformed).await;
    s.offender.send_raw(vec![]).await;
    expect_error(&mut s.offender, ErrorCode::Malformed).await;
    let mut trailing = push(addr(1), 9, b"nine").encode();
    trailing.push(0);
    s.offender.send_raw(trailing).await;
    expect_error(&mut s.offender, ErrorCode::Malformed).await;
    s.assert_unharmed(true).await;
}

#[tokio::test]
async fn an_oversized_frame_is_refused_as_too_large_and_harms_nothing() {
    let mut s = scene().await;
    // Tried: an otherwise valid Push to the seeded document whose frame is
    // one byte over the relay's limit (it must not be stored), and one 60 KiB
    // over (still within the socket's grace, so it reaches the relay).
    let frame_of = |len: usize| {
        // The length prefix of `sealed` grows from 1 to 3 bytes at this size.
        let overhead = push(addr(1), 9, &[]).encode().len() + 2;
        push(addr(1), 9, &vec![0x55; len - overhead]).encode()
    };
    let just_over = frame_of(MAX_FRAME + 1);
    assert_eq!(just_over.len(), MAX_FRAME + 1);
    s.offender.send_raw(just_over).await;
    let message = expect_error(&mut s.offender, ErrorCode::TooLarge).await;
    assert!(message.contains(&MAX_FRAME.to_string()), "the error names the limit: {message}");
    s.offender.send_raw(frame_of(MAX_FRAME + 60 * 1024)).await;
    expect_error(&mut s.offender, ErrorCode::TooLarge).await;
    s.assert_unharmed(true).await;
}

#[tokio::test]
async fn a_frame_far_beyond_the_limit_closes_only_that_connection() {
    let mut s = scene().await;
    // Tried: a 1 MiB binary message, far past the limit plus the grace the
    // socket allows; the socket refuses to read it, so the connection ends.
    s.offender.send_raw(vec![0x03; 1024 * 1024]).await;
    loop {
        match s.offender.next_message().await {
            None | Some(Err(_)) | Some(Ok(Message::Close(_))) => break,
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
            Some(Ok(other)) => panic!("expected the connection to end, got {other:?}"),
        }
    }
    s.assert_unharmed(false).await;
}

#[tokio::test]
async fn an_unknown_message_type_is_refused_and_harms_nothing() {
    let mut s = scene().await;
    // Tried: type byte 0x7e, which no protocol version defines, with a body;
    // then 0x83, a relay-to-device type sent the wrong way.
    s.offender.send_raw(vec![0x7e, 1, 2, 3]).await;
    let message = expect_error(&mut s.offender, ErrorCode::UnknownType).await;
    assert!(message.contains("0x7e"), "{message}");
    s.offender.send_raw(vec![0x83, 0]).await;
    expect_error(&mut s.offender, ErrorCode::UnknownType).await;
    s.assert_unharmed(true).await;
}

#[tokio::test]
async fn a_subscribe_from_past_the_end_is_refused_as_cursor_ahead() {
    let mut s = scene().await;
    // Tried: subscribing to the seeded log (head 2) from seq 99, as a device
    // would after the relay lost data. The device must not be left
    // subscribed: a later push must not reach it.
    s.offender.send(subscribe(addr(1), 99)).await;
    let message = expect_error(&mut s.offender, ErrorCode::CursorAhead).await;
    assert!(message.contains("99") && message.contains('2'), "{message}");
    s.pusher.push(addr(1), 20, b"not for the offender").await;
    s.offender.assert_silent("a refused subscription receives nothing live").await;
    // That push changed the log on purpose; account for it in the check.
    s.before.bundles.push((3, b"not for the offender".to_vec()));
    s.before.head = 3;
    s.watcher.recv().await;
    let mut fresh = s.relay.client().await;
    assert_eq!(fresh.subscribe(addr(1), 0).await, s.before);
    // The offender can still subscribe properly.
    assert_eq!(s.offender.subscribe(addr(1), 0).await.head, 3);
    s.relay.stop().await;
}

#[tokio::test]
async fn a_snapshot_covering_past_the_end_is_refused_as_cursor_ahead() {
    let mut s = scene().await;
    // Tried: a snapshot claiming to cover seq 50 of a log whose head is 2.
    s.offender
        .send(ClientFrame::PutSnapshot(PutSnapshot {
            addr: addr(1),
            covers: Seq(50),
            key_id: KeyId(1),
            sealed: vec![1],
        }))
        .await;
    expect_error(&mut s.offender, ErrorCode::CursorAhead).await;
    s.assert_unharmed(true).await;
}

#[tokio::test]
async fn another_protocol_version_is_refused_with_advice() {
    let mut s = scene().await;
    // Tried: Hello with protocol version 99.
    s.offender.send(ClientFrame::Hello(Hello { version: 99 })).await;
    let message = expect_error(&mut s.offender, ErrorCode::VersionMismatch).await;
    assert!(message.contains("update"), "{message}");
    // Then a push, as an old app sends its outbox: refused too, so nothing
    // sealed the old way reaches the log.
    s.offender.send(push(addr(1), 12, b"sealed the old way")).await;
    let message = expect_error(&mut s.offender, ErrorCode::VersionMismatch).await;
    assert!(message.contains("update"), "{message}");
    // An updated app on the same connection is welcome again.
    s.offender.send(ClientFrame::Hello(Hello { version: PROTOCOL_VERSION })).await;
    assert!(matches!(s.offender.recv().await, RelayFrame::Welcome(w) if w.version == PROTOCOL_VERSION));
    s.assert_unharmed(true).await;
}

#[tokio::test]
async fn a_text_message_is_refused_with_close_code_1003() {
    let mut s = scene().await;
    // Tried: a WebSocket text message; the protocol is binary only, so the
    // relay closes that connection with "unsupported data".
    s.offender.send_text("{\"push\": 1}").await;
    match s.offender.next_message().await {
        Some(Ok(Message::Close(Some(frame)))) => assert_eq!(frame.code, CloseCode::Unsupported),
        other => panic!("expected a close with 1003, got {other:?}"),
    }
    s.assert_unharmed(false).await;
}

#[tokio::test]
async fn the_bundle_ids_of_bad_pushes_stay_free() {
    let mut s = scene().await;
    // Tried: an oversized push with bundle id 30, then the same id in a
    // proper push: it is fresh (seq 3), so the refused one left no trace.
    s.offender.send_raw(push(addr(1), 30, &vec![0; MAX_FRAME]).encode()).await;
    expect_error(&mut s.offender, ErrorCode::TooLarge).await;
    assert_eq!(s.offender.push(addr(1), 30, b"small").await, 3);
    assert!(matches!(s.watcher.recv().await, RelayFrame::Bundle(b) if b.seq == Seq(3)));
    s.relay.stop().await;
}
