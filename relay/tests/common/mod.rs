//! A relay on a real socket, and a device-side client that speaks the wire
//! format over tokio-tungstenite.

#![allow(dead_code)] // each test binary uses its own part of this

pub(crate) mod device;
pub(crate) mod pg;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use lotse_relay::{Options, SqliteStore};
use lotse_sync::membership::{membership_addr, testing, DeviceKey, Signed};
use lotse_sync::relay::RelayStore;
use lotse_sync::wire::{Auth, ClientFrame, Hello, Push, RelayFrame, Subscribe, PROTOCOL_VERSION};
use lotse_sync::{BundleId, DocAddr, DocumentId, Epoch, KeyId, Seq};
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// How long a test waits for a frame that must come.
pub(crate) const PATIENCE: Duration = Duration::from_secs(10);
/// How long a test listens to be sure a frame does not come.
pub(crate) const QUIET: Duration = Duration::from_millis(300);

/// The network every test client belongs to: founded by `founder()`,
/// holding the documents `addr(0)` to `addr(0x5f)` (a founding small
/// enough for a relay with a 4 KiB frame limit).
pub(crate) const NET: DocumentId = DocumentId([0xff; 16]);

pub(crate) fn founder() -> DeviceKey {
    testing::key(0)
}

pub(crate) fn founding() -> Signed {
    let docs: Vec<DocumentId> = (0..0x60u8).map(|d| DocumentId([d; 16])).collect();
    testing::found(&founder(), NET, &docs)
}

/// The frame that hands a membership statement to the relay.
pub(crate) fn statement(network: DocumentId, signed: &Signed) -> ClientFrame {
    ClientFrame::Push(Push {
        addr: membership_addr(network),
        bundle_id: signed.id(),
        key_id: KeyId(0),
        sealed: signed.encode(),
    })
}

pub(crate) fn addr(doc: u8) -> DocAddr {
    DocAddr { doc: DocumentId([doc; 16]), epoch: Epoch(0) }
}

pub(crate) fn bundle_id(n: u32) -> BundleId {
    let mut id = [0xb0; 16];
    id[..4].copy_from_slice(&n.to_be_bytes());
    BundleId(id)
}

pub(crate) fn push(at: DocAddr, n: u32, sealed: &[u8]) -> ClientFrame {
    ClientFrame::Push(Push { addr: at, bundle_id: bundle_id(n), key_id: KeyId(1), sealed: sealed.to_vec() })
}

pub(crate) fn subscribe(at: DocAddr, since: u64) -> ClientFrame {
    ClientFrame::Subscribe(Subscribe {
        addr: at,
        since: Seq(since),
        snapshot: true,
        generation: lotse_sync::Generation::NONE,
        at: None,
    })
}

/// An in-process relay on 127.0.0.1:0 with a SQLite store in a temp dir.
pub(crate) struct TestRelay {
    pub addr: SocketAddr,
    pub data_dir: tempfile::TempDir,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl TestRelay {
    pub(crate) async fn start(max_frame: usize) -> Self {
        Self::start_with_app(max_frame, Path::new("/nonexistent-app-dir")).await
    }

    pub(crate) async fn start_with_app(max_frame: usize, app_dir: &Path) -> Self {
        let data_dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open_in(data_dir.path()).unwrap();
        let options = Options { max_frame, ..Options::new(PathBuf::from(app_dir)) };
        Self::start_with(store, options, data_dir).await
    }

    pub(crate) async fn start_with_options(options: Options) -> Self {
        let data_dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open_in(data_dir.path()).unwrap();
        Self::start_with(store, options, data_dir).await
    }

    /// A relay on `store` (any of them), with `options`.
    pub(crate) async fn start_with<S: RelayStore + Send + 'static>(
        store: S,
        options: Options,
        data_dir: tempfile::TempDir,
    ) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            lotse_relay::serve(listener, store, options, async {
                let _ = stopped.await;
            })
            .await
            .unwrap();
        });
        Self { addr, data_dir, stop: Some(stop), task: Some(task) }
    }

    pub(crate) async fn client(&self) -> Client {
        Client::connect(self.addr).await
    }

    /// Stops the relay and waits until its store is closed.
    pub(crate) async fn stop(mut self) {
        let _ = self.stop.take().unwrap().send(());
        self.task.take().unwrap().await.unwrap();
    }
}

/// The compiled `lotse-relay`, as an operator runs it.
pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_lotse-relay");

pub(crate) struct RelayProcess {
    pub child: Child,
    pub addr: SocketAddr,
}

impl Drop for RelayProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn relay_command(data_dir: &Path) -> Command {
    let mut command = Command::new(BIN);
    command
        .env("LOTSE_DATA_DIR", data_dir)
        .env("LOTSE_LISTEN", "127.0.0.1:0")
        .env("LOTSE_APP_DIR", data_dir.join("no-app-here"))
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    command
}

/// Starts the binary and waits for its "listening on" line.
pub(crate) fn start(mut command: Command) -> RelayProcess {
    let mut child = command.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            let _ = tx.send(line);
        }
    });
    let line = rx.recv_timeout(Duration::from_secs(30)).expect("the relay printed no line within 30 s");
    let addr = line
        .strip_prefix("lotse-relay listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .parse()
        .unwrap();
    RelayProcess { child, addr }
}

pub(crate) struct Client {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    /// The relay's challenge to this connection.
    pub challenge: [u8; 32],
}

impl Client {
    /// Connects to `/sync`, says Hello, hands over the founding of `NET`
    /// (the same statement every time: the relay stores it once) and
    /// answers the challenge as its founder; panics unless the relay
    /// welcomes and admits it.
    pub(crate) async fn connect(addr: SocketAddr) -> Self {
        let mut client = Self::stranger(addr).await;
        client.send(statement(NET, &founding())).await;
        match client.recv().await {
            RelayFrame::Ack(a) if a.addr == membership_addr(NET) => {}
            other => panic!("expected the founding's Ack, got {other:?}"),
        }
        client.auth(&founder(), NET).await;
        match client.recv().await {
            RelayFrame::Authenticated(a) => assert_eq!(a.network, NET),
            other => panic!("expected Authenticated, got {other:?}"),
        }
        client
    }

    /// Connects and says Hello, and no more: a connection that has not
    /// proved anything.
    pub(crate) async fn stranger(addr: SocketAddr) -> Self {
        let (ws, _) = tokio_tungstenite::connect_async(format!("ws://{addr}/sync")).await.unwrap();
        let mut client = Client { ws, challenge: [0; 32] };
        client.send(ClientFrame::Hello(Hello { version: PROTOCOL_VERSION })).await;
        match client.recv().await {
            RelayFrame::Welcome(w) => {
                assert_eq!(w.version, PROTOCOL_VERSION);
                client.challenge = w.challenge;
            }
            other => panic!("expected Welcome, got {other:?}"),
        }
        client
    }

    /// A socket that has said nothing yet.
    pub(crate) fn from_socket(ws: WebSocketStream<MaybeTlsStream<TcpStream>>) -> Self {
        Client { ws, challenge: [0; 32] }
    }

    /// The socket itself, for a test that streams.
    pub(crate) fn into_socket(self) -> WebSocketStream<MaybeTlsStream<TcpStream>> {
        self.ws
    }

    /// Answers this connection's challenge as `key`, for `network`.
    pub(crate) async fn auth(&mut self, key: &DeviceKey, network: DocumentId) {
        let answer = Auth { network, device: key.id(), signature: key.answer(&self.challenge, network) };
        self.send(ClientFrame::Auth(answer)).await;
    }

    pub(crate) async fn send(&mut self, frame: ClientFrame) {
        self.send_raw(frame.encode()).await;
    }

    pub(crate) async fn send_raw(&mut self, bytes: Vec<u8>) {
        self.ws.send(Message::Binary(bytes.into())).await.unwrap();
    }

    pub(crate) async fn send_text(&mut self, text: &str) {
        self.ws.send(Message::Text(text.into())).await.unwrap();
    }

    /// The next protocol frame; panics on a timeout or a closed socket.
    pub(crate) async fn recv(&mut self) -> RelayFrame {
        self.try_recv(PATIENCE).await.unwrap_or_else(|| panic!("no frame within {PATIENCE:?}"))
    }

    /// The next protocol frame, or `None` if none comes within `wait`.
    pub(crate) async fn try_recv(&mut self, wait: Duration) -> Option<RelayFrame> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let message = tokio::time::timeout_at(deadline, self.ws.next()).await.ok()?;
            match message {
                Some(Ok(Message::Binary(bytes))) => return Some(RelayFrame::decode(&bytes).unwrap()),
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                other => panic!("expected a binary frame, got {other:?}"),
            }
        }
    }

    /// Asserts that nothing arrives for a while.
    pub(crate) async fn assert_silent(&mut self, why: &str) {
        if let Some(frame) = self.try_recv(QUIET).await {
            panic!("{why}, but got {frame:?}");
        }
    }

    /// Pushes and returns the seq of the Ack.
    pub(crate) async fn push(&mut self, at: DocAddr, n: u32, sealed: &[u8]) -> u64 {
        self.send(push(at, n, sealed)).await;
        match self.recv().await {
            RelayFrame::Ack(ack) if ack.bundle_id == bundle_id(n) && ack.addr == at => ack.seq.0,
            other => panic!("expected the Ack of bundle {n}, got {other:?}"),
        }
    }

    /// Subscribes and collects everything up to CaughtUp:
    /// (snapshot covers and bytes, [(seq, sealed)], head).
    pub(crate) async fn subscribe(&mut self, at: DocAddr, since: u64) -> Backlog {
        self.send(subscribe(at, since)).await;
        let mut backlog = Backlog::default();
        loop {
            match self.recv().await {
                RelayFrame::Snapshot(s) => backlog.snapshot = Some((s.covers.0, s.sealed)),
                RelayFrame::Bundle(b) => backlog.bundles.push((b.seq.0, b.sealed)),
                RelayFrame::CaughtUp(c) => {
                    backlog.head = c.head.0;
                    return backlog;
                }
                other => panic!("expected the backlog, got {other:?}"),
            }
        }
    }

    /// The raw next message, for close frames.
    pub(crate) async fn next_message(&mut self) -> Option<Result<Message, tokio_tungstenite::tungstenite::Error>> {
        tokio::time::timeout(PATIENCE, self.ws.next()).await.expect("no message in time")
    }
}

#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Backlog {
    pub snapshot: Option<(u64, Vec<u8>)>,
    pub bundles: Vec<(u64, Vec<u8>)>,
    pub head: u64,
}

impl Backlog {
    pub(crate) fn seqs(&self) -> Vec<u64> {
        self.bundles.iter().map(|(s, _)| *s).collect()
    }
}
