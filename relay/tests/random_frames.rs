//! The compiled relay under a stream of random frames from many
//! connections: it stays up, answers honest devices (every push
//! acknowledged in order, every bundle fanned out), and its store holds
//! exactly the honest bundles, in order, and passes SQLite's integrity check.
//!
//! The frames: the fuzz corpus's device frames (`fuzz/corpus/client_frame`)
//! mutated, frames of random fields, random bytes, oversized frames, text
//! messages (the relay closes those connections; they come back), and
//! connections dropped mid-stream. A few seconds in the normal test run;
//! `cargo xtask fuzz` runs it longer (`LOTSE_RELAY_FUZZ_SECONDS`).

mod common;

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{relay_command, start, Client};
use futures_util::{SinkExt, StreamExt};
use lotse_relay::{SqliteStore, DB_FILE};
use lotse_sync::relay::RelayStore;
use lotse_sync::wire::{ClientFrame, Push, PutSnapshot, Subscribe, Unsubscribe};
use lotse_sync::{BundleId, DocAddr, DocumentId, Epoch, KeyId, Seq};
use tokio_tungstenite::tungstenite::Message;

const ATTACKERS: usize = 32;
const MAX_FRAME: usize = 4096;

/// SplitMix64, seeded per connection.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

fn corpus() -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus/client_frame");
    let mut frames: Vec<Vec<u8>> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    frames.sort();
    assert!(!frames.is_empty(), "the client_frame corpus is empty");
    frames
}

/// A stranger's address: a handful of documents they share (so their
/// pushes, subscriptions and snapshots meet), never the honest one.
fn stranger_addr(rng: &mut Rng) -> DocAddr {
    DocAddr { doc: DocumentId([rng.below(4) as u8; 16]), epoch: Epoch(rng.below(2) as u32) }
}

/// One message a stranger sends.
fn garbage(rng: &mut Rng, corpus: &[Vec<u8>]) -> Message {
    let frame = match rng.below(20) {
        0..=7 => {
            let mut f = corpus[rng.below(corpus.len())].clone();
            for _ in 0..1 + rng.below(4) {
                let len = f.len();
                match rng.below(5) {
                    0 if len > 0 => f[rng.below(len)] ^= 1 << rng.below(8),
                    1 if len > 0 => f[rng.below(len)] = [0x00, 0x7f, 0x80, 0xff][rng.below(4)],
                    2 => f.truncate(rng.below(len + 1)),
                    3 => {
                        let at = rng.below(len + 1);
                        let n = 1 + rng.below(8);
                        let extra = rng.bytes(n);
                        f.splice(at..at, extra);
                    }
                    _ => f.push(rng.next() as u8),
                }
            }
            f
        }
        8..=13 => {
            let addr = stranger_addr(rng);
            let n = rng.below(300);
            let sealed = rng.bytes(n);
            let seq = Seq(if rng.below(4) == 0 { rng.next() } else { rng.below(20) as u64 });
            match rng.below(4) {
                0 => ClientFrame::Subscribe(Subscribe {
                    addr,
                    since: seq,
                    snapshot: rng.below(2) == 0,
                    generation: lotse_sync::Generation::NONE,
                    at: None,
                }),
                1 => ClientFrame::PutSnapshot(PutSnapshot { addr, covers: seq, key_id: KeyId(1), sealed }),
                2 => ClientFrame::Unsubscribe(Unsubscribe { addr }),
                _ => ClientFrame::Push(Push {
                    addr,
                    bundle_id: BundleId([rng.below(64) as u8; 16]),
                    key_id: KeyId(rng.next() as u32),
                    sealed,
                }),
            }
            .encode()
        }
        14..=16 => {
            let len = rng.below(64);
            rng.bytes(len)
        }
        17 => vec![0x03; MAX_FRAME + 1 + rng.below(1024)],
        18 => return Message::Text("GET /sync HTTP/1.1".into()),
        _ => return Message::Ping(rng.bytes(4).into()),
    };
    Message::Binary(frame.into())
}

/// A stranger: connects, sends random messages as fast as the relay takes
/// them, reads and drops whatever comes back; reconnects when the relay
/// closes the connection, and now and then drops it itself.
async fn stranger(
    addr: std::net::SocketAddr,
    seed: u64,
    until: Instant,
    corpus: Arc<Vec<Vec<u8>>>,
    sent: Arc<AtomicU64>,
) {
    let mut rng = Rng(seed);
    while Instant::now() < until {
        let Ok((ws, _)) = tokio_tungstenite::connect_async(format!("ws://{addr}/sync")).await else {
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let (mut sink, mut stream) = ws.split();
        let reader = tokio::spawn(async move { while let Some(Ok(_)) = stream.next().await {} });
        let lifetime = 20 + rng.below(400);
        for _ in 0..lifetime {
            if Instant::now() >= until || sink.send(garbage(&mut rng, &corpus)).await.is_err() {
                break;
            }
            sent.fetch_add(1, Ordering::Relaxed);
            if rng.below(16) == 0 {
                tokio::task::yield_now().await;
            }
        }
        if rng.below(2) == 0 {
            let _ = sink.close().await;
        }
        drop(sink);
        reader.abort();
    }
}

fn honest_sealed(n: u32) -> Vec<u8> {
    let mut sealed = format!("an honest device's bundle {n} ").into_bytes();
    sealed.resize(200 + n as usize % 100, n as u8);
    sealed
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_under_random_frames_stays_up_serves_honest_devices_and_keeps_its_store() {
    let seconds: u64 = std::env::var("LOTSE_RELAY_FUZZ_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(3);
    let data = tempfile::tempdir().unwrap();
    let mut command = relay_command(data.path());
    command.env("LOTSE_MAX_FRAME", MAX_FRAME.to_string());
    let mut relay = start(command);
    // A document of the network the honest devices belong to; the
    // strangers answer no challenge.
    let honest = common::addr(0x42);

    let started = Instant::now();
    let until = started + Duration::from_secs(seconds);
    let corpus = Arc::new(corpus());
    let sent = Arc::new(AtomicU64::new(0));
    let strangers: Vec<_> = (0..ATTACKERS)
        .map(|i| tokio::spawn(stranger(relay.addr, 0x5eed + i as u64, until, corpus.clone(), sent.clone())))
        .collect();

    // Two honest devices: one pushes, one reads along live.
    let mut reader = Client::connect(relay.addr).await;
    assert_eq!(reader.subscribe(honest, 0).await.head, 0);
    let mut writer = Client::connect(relay.addr).await;
    let mut pushed = Vec::new();
    while Instant::now() < until || pushed.len() < 10 {
        let n = pushed.len() as u32 + 1;
        let seq = writer.push(honest, n, &honest_sealed(n)).await;
        assert_eq!(seq, u64::from(n), "push {n} was acknowledged at seq {seq}");
        pushed.push(n);
        match reader.recv().await {
            lotse_sync::wire::RelayFrame::Bundle(b) if b.addr == honest => {
                assert_eq!((b.seq.0, b.sealed), (u64::from(n), honest_sealed(n)), "fan-out of push {n}");
            }
            other => panic!("the reader expected bundle {n}, got {other:?}"),
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    for s in strangers {
        s.await.unwrap();
    }
    let frames = sent.load(Ordering::Relaxed);
    eprintln!(
        "{frames} random messages from {ATTACKERS} connections in {:.1} s; {} honest pushes acknowledged and fanned out",
        started.elapsed().as_secs_f64(),
        pushed.len()
    );
    assert!(frames > 1_000, "only {frames} random messages were sent");
    assert!(relay.child.try_wait().unwrap().is_none(), "the relay process died");

    // A device that comes later reads exactly the honest log.
    let mut late = Client::connect(relay.addr).await;
    let backlog = late.subscribe(honest, 0).await;
    let expected: Vec<(u64, Vec<u8>)> = pushed.iter().map(|&n| (u64::from(n), honest_sealed(n))).collect();
    assert_eq!(backlog.bundles, expected, "the honest log as a late device reads it");
    assert_eq!(backlog.head, pushed.len() as u64);
    drop((reader, writer, late));

    // And so does the store itself, after the relay stopped.
    drop(relay);
    let store = SqliteStore::open_in(data.path()).unwrap();
    let stored: Vec<(u64, Vec<u8>)> =
        store.bundles_since(honest, Seq(0)).unwrap().into_iter().map(|b| (b.seq.0, b.sealed)).collect();
    assert_eq!(stored, expected, "the honest log in the store");
    drop(store);
    let db = rusqlite::Connection::open(data.path().join(DB_FILE)).unwrap();
    let check: String = db.query_row("PRAGMA integrity_check", [], |row| row.get(0)).unwrap();
    assert_eq!(check, "ok", "SQLite's integrity check");
    // Since protocol 3 a stranger stores nothing at all: the store holds
    // the honest log and the network's founding, no more.
    let rows: i64 = db.query_row("SELECT COUNT(*) FROM bundles", [], |row| row.get(0)).unwrap();
    assert_eq!(rows, pushed.len() as i64 + 1, "nothing of the strangers was stored");
}
