//! How many pushes per second the relay acknowledges with durable commits.
//!
//! `cargo bench -p lotse-relay` prints, for 256-byte sealed bundles:
//! - the SQLite store alone, one `append` (one fsynced commit) after another,
//!   then in batches of 32 (`append_batch`: one commit each, as the relay's
//!   actor commits pushes that arrive together), to one document and to 32;
//! - one device over a real WebSocket on 127.0.0.1, waiting for each Ack;
//! - one device over the socket keeping 32 pushes in flight;
//! - the same two with the in-memory store, to show what the disk costs.
//!
//! The database lives in a temp dir under the target directory (a real disk,
//! not a tmpfs), or in LOTSE_BENCH_DIR. LOTSE_BENCH_PUSHES sets the count.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, Stream, StreamExt};
use lotse_relay::{Options, SqliteStore};
use lotse_sync::membership::{membership_addr, testing};
use lotse_sync::relay::{MemoryStore, NewBundle, RelayStore};
use lotse_sync::wire::{Ack, Auth, ClientFrame, Hello, Push, RelayFrame, PROTOCOL_VERSION};
use lotse_sync::{BundleId, DocAddr, DocumentId, Epoch, KeyId};
use tokio_tungstenite::tungstenite::Message;

const SEALED: usize = 256;
const WINDOW: usize = 32;

fn doc() -> DocAddr {
    DocAddr { doc: DocumentId([7; 16]), epoch: Epoch(0) }
}

fn bundle_id(n: usize) -> BundleId {
    let mut id = [0; 16];
    id[..8].copy_from_slice(&(n as u64).to_be_bytes());
    BundleId(id)
}

fn push_frame(n: usize) -> Vec<u8> {
    ClientFrame::Push(Push { addr: doc(), bundle_id: bundle_id(n), key_id: KeyId(1), sealed: vec![0xa5; SEALED] })
        .encode()
}

fn bench_dir() -> tempfile::TempDir {
    let base =
        std::env::var_os("LOTSE_BENCH_DIR").map(PathBuf::from).unwrap_or_else(|| env!("CARGO_TARGET_TMPDIR").into());
    std::fs::create_dir_all(&base).unwrap();
    tempfile::tempdir_in(base).unwrap()
}

fn report(what: &str, n: usize, elapsed: Duration, latencies: &mut [Duration]) {
    let rate = n as f64 / elapsed.as_secs_f64();
    let line = format!("{what:<52} {n:>6} pushes in {:>7.2} s = {rate:>8.0} pushes/s", elapsed.as_secs_f64());
    if latencies.is_empty() {
        println!("{line}");
    } else {
        latencies.sort();
        let pct = |p: usize| latencies[(latencies.len() * p / 100).min(latencies.len() - 1)].as_secs_f64() * 1000.0;
        println!("{line}  (ack latency p50 {:.2} ms, p99 {:.2} ms)", pct(50), pct(99));
    }
}

fn store_alone(n: usize) {
    let dir = bench_dir();
    let mut store = SqliteStore::open_in(dir.path()).unwrap();
    let sealed = vec![0xa5; SEALED];
    let mut latencies = Vec::with_capacity(n);
    let start = Instant::now();
    for i in 0..n {
        let t = Instant::now();
        let (_, fresh) = store.append(doc(), bundle_id(i), KeyId(1), &sealed).unwrap();
        assert!(fresh);
        latencies.push(t.elapsed());
    }
    report("SQLite store, append after append", n, start.elapsed(), &mut latencies);
}

fn store_in_batches(n: usize, docs: usize) {
    let dir = bench_dir();
    let mut store = SqliteStore::open_in(dir.path()).unwrap();
    let sealed = vec![0xa5; SEALED];
    let addr = |i: usize| DocAddr { doc: DocumentId([(i % docs) as u8; 16]), epoch: Epoch(0) };
    let mut latencies = Vec::with_capacity(n / WINDOW);
    let start = Instant::now();
    for first in (0..n).step_by(WINDOW) {
        let batch: Vec<NewBundle<'_>> = (first..(first + WINDOW).min(n))
            .map(|i| NewBundle { addr: addr(i), bundle_id: bundle_id(i), key_id: KeyId(1), sealed: &sealed })
            .collect();
        let t = Instant::now();
        assert!(store.append_batch(&batch).unwrap().iter().all(|(_, fresh)| *fresh));
        latencies.push(t.elapsed());
    }
    let what = format!("SQLite store, batches of {WINDOW} to {docs} document{}", if docs == 1 { "" } else { "s" });
    report(&what, n, start.elapsed(), &mut latencies);
}

async fn over_socket<S: RelayStore + Send + 'static>(what: &str, store: S, n: usize, window: usize) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    // One device pushes as fast as the relay takes it: no frame budget.
    let rate = lotse_sync::relay::RateLimit { per_second: u32::MAX, burst: u32::MAX };
    let options = Options { rate, ..Options::new("/nonexistent") };
    let server = tokio::spawn(lotse_relay::serve(listener, store, options, async {
        let _ = stopped.await;
    }));

    let (ws, _) = tokio_tungstenite::connect_async(format!("ws://{addr}/sync")).await.unwrap();
    let (mut sink, mut stream) = ws.split();
    let hello = ClientFrame::Hello(Hello { version: PROTOCOL_VERSION }).encode();
    sink.send(Message::Binary(hello.into())).await.unwrap();
    admitted(&mut sink, &mut stream).await;
    let mut sent_at = vec![Instant::now(); n];
    let mut latencies = Vec::with_capacity(n);
    let start = Instant::now();
    let (mut sent, mut acked) = (0, 0);
    while acked < n {
        while sent < n && sent - acked < window {
            sent_at[sent] = Instant::now();
            sink.send(Message::Binary(push_frame(sent).into())).await.unwrap();
            sent += 1;
        }
        let ack = next_ack(&mut stream).await;
        let i = u64::from_be_bytes(ack.bundle_id.0[..8].try_into().unwrap()) as usize;
        latencies.push(sent_at[i].elapsed());
        acked += 1;
    }
    report(what, n, start.elapsed(), &mut latencies);
    drop(sink);
    let _ = stop.send(());
    server.await.unwrap().unwrap();
}

/// Founds a network holding `doc()` and answers the challenge as its
/// founder (since protocol 3 nothing else may push), before the clock runs.
async fn admitted<K, S>(sink: &mut K, stream: &mut S)
where
    K: futures_util::Sink<Message> + Unpin,
    K::Error: std::fmt::Debug,
    S: Stream<Item = Result<Message, tokio_tungstenite::tungstenite::Error>> + Unpin,
{
    let net = lotse_sync::DocumentId([0xee; 16]);
    let founder = testing::key(0);
    let found = testing::found(&founder, net, &[doc().doc]);
    let push = Push { addr: membership_addr(net), bundle_id: found.id(), key_id: KeyId(0), sealed: found.encode() };
    loop {
        let Some(Ok(Message::Binary(bytes))) = stream.next().await else { continue };
        match RelayFrame::decode(&bytes).unwrap() {
            RelayFrame::Welcome(w) => {
                sink.send(Message::Binary(ClientFrame::Push(push.clone()).encode().into())).await.unwrap();
                let auth = Auth { network: net, device: founder.id(), signature: founder.answer(&w.challenge, net) };
                sink.send(Message::Binary(ClientFrame::Auth(auth).encode().into())).await.unwrap();
            }
            RelayFrame::Ack(_) => {}
            RelayFrame::Authenticated(_) => return,
            other => panic!("unexpected {other:?}"),
        }
    }
}

async fn next_ack<S>(stream: &mut S) -> Ack
where
    S: Stream<Item = Result<Message, tokio_tungstenite::tungstenite::Error>> + Unpin,
{
    loop {
        match stream.next().await {
            Some(Ok(Message::Binary(bytes))) => match RelayFrame::decode(&bytes).unwrap() {
                RelayFrame::Ack(ack) => return ack,
                RelayFrame::Welcome(_) => {}
                other => panic!("unexpected {other:?}"),
            },
            Some(Ok(_)) => {}
            other => panic!("the socket ended: {other:?}"),
        }
    }
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument is not supported.
    let n: usize = std::env::var("LOTSE_BENCH_PUSHES").ok().and_then(|s| s.parse().ok()).unwrap_or(2000);
    println!("pushes of {SEALED}-byte sealed bundles to one document; every Ack follows a durable commit");
    store_alone(n);
    store_in_batches(n * 4, 1);
    store_in_batches(n * 4, WINDOW);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let dir = bench_dir();
        let store = SqliteStore::open_in(dir.path()).unwrap();
        over_socket("WebSocket + SQLite, one at a time", store, n, 1).await;
        let dir = bench_dir();
        let store = SqliteStore::open_in(dir.path()).unwrap();
        over_socket(&format!("WebSocket + SQLite, {WINDOW} in flight"), store, n, WINDOW).await;
        over_socket("WebSocket + memory store, one at a time (no disk)", MemoryStore::default(), n, 1).await;
        over_socket(
            &format!("WebSocket + memory store, {WINDOW} in flight (no disk)"),
            MemoryStore::default(),
            n,
            WINDOW,
        )
        .await;
    });
}
