//! The relay's actor with a real SQLite store: pushes that wait while a
//! commit is under way become one commit; a failed commit acknowledges none
//! of its pushes and sends none of them on; a backlog goes out page by page
//! as the connection takes it.
//!
//! The tests hold a commit at a gate, so what arrives meanwhile is known
//! exactly: no timing decides what they see.

use std::sync::mpsc;
use std::time::Duration;

use lotse_relay::actor::{self, Outbox, RelayHandle};
use lotse_relay::{SqliteStore, StoreError};
use lotse_sync::membership::{membership_addr, testing};
use lotse_sync::relay::{
    ConnId, NewBundle, PageLimit, RelayConfig, RelayCore, RelayStore, StoredBundle, StoredSnapshot,
};
use lotse_sync::wire::{Auth, ClientFrame, ErrorCode, Push, RelayFrame, Subscribe};
use lotse_sync::{BundleId, DocAddr, DocumentId, Epoch, Generation, KeyId, Seq};

const PATIENCE: Duration = Duration::from_secs(10);
const IDLE: Duration = Duration::from_secs(600);
const NET: DocumentId = DocumentId([9; 16]);

/// A store that holds the founding of `NET` (with `doc()`), as a relay
/// that has served it before.
fn founded(dir: &std::path::Path) -> SqliteStore {
    let mut store = SqliteStore::open_in(dir).unwrap();
    let found = testing::found(&testing::key(0), NET, &[doc().doc]);
    store.append(membership_addr(NET), found.id(), KeyId(0), &found.encode()).unwrap();
    store
}

/// A connection that answered its challenge as the founder (the default
/// config's challenge is the one a fresh core derives for its number).
async fn connect(relay: &RelayHandle) -> (ConnId, Outbox) {
    let (conn, mut out) = relay.connect().await.unwrap();
    let key = testing::key(0);
    let challenge = RelayCore::new(RelayConfig::default()).challenge(conn);
    let auth = Auth { network: NET, device: key.id(), signature: key.answer(&challenge, NET) };
    relay.frame(conn, ClientFrame::Auth(auth).encode()).await.unwrap();
    assert!(next(&mut out).await.starts_with("Authenticated"));
    (conn, out)
}

fn doc() -> DocAddr {
    DocAddr { doc: DocumentId([5; 16]), epoch: Epoch(0) }
}

fn sealed(n: u8) -> Vec<u8> {
    vec![n; 64]
}

fn push(n: u8) -> Vec<u8> {
    ClientFrame::Push(Push { addr: doc(), bundle_id: BundleId([n; 16]), key_id: KeyId(1), sealed: sealed(n) }).encode()
}

fn subscribe(since: u64) -> Vec<u8> {
    ClientFrame::Subscribe(Subscribe {
        addr: doc(),
        since: Seq(since),
        snapshot: true,
        generation: lotse_sync::Generation::NONE,
        at: None,
    })
    .encode()
}

/// The next frame for a connection, in short: `ack <seq> of <n>`,
/// `bundle <seq> of <n>`, `caught-up <head>`, `failed <n>`.
async fn next(outbox: &mut Outbox) -> String {
    let bytes = tokio::time::timeout(PATIENCE, outbox.recv()).await.expect("a frame in time").expect("open");
    match RelayFrame::decode(&bytes).unwrap() {
        RelayFrame::Ack(a) => format!("ack {} of {}", a.seq.0, a.bundle_id.0[0]),
        RelayFrame::Bundle(b) => format!("bundle {} of {}", b.seq.0, b.sealed[0]),
        RelayFrame::CaughtUp(c) => format!("caught-up {}", c.head.0),
        RelayFrame::Error(e) if e.code == ErrorCode::StoreFailed => {
            format!("failed {}", e.bundle_id.map_or(0, |b| b.0[0]))
        }
        other => format!("{other:?}"),
    }
}

/// The SQLite store, but every commit of appends first tells the test how
/// many it holds and waits for its word: go ahead, or fail (storing nothing).
struct Gated {
    inner: SqliteStore,
    asked: mpsc::Sender<usize>,
    verdict: mpsc::Receiver<bool>,
}

#[derive(Debug, thiserror::Error)]
enum GateError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the disk is full")]
    Refused,
}

impl RelayStore for Gated {
    type Error = GateError;

    fn append_batch(&mut self, batch: &[NewBundle<'_>]) -> Result<Vec<(Seq, bool)>, GateError> {
        self.asked.send(batch.len()).expect("the test listens");
        match self.verdict.recv().expect("the test answers") {
            true => Ok(self.inner.append_batch(batch)?),
            false => Err(GateError::Refused),
        }
    }
    fn head(&self, addr: DocAddr) -> Result<Seq, GateError> {
        Ok(self.inner.head(addr)?)
    }
    fn bundles_page(&self, addr: DocAddr, since: Seq, limit: PageLimit) -> Result<Vec<StoredBundle>, GateError> {
        Ok(self.inner.bundles_page(addr, since, limit)?)
    }
    fn put_snapshot(&mut self, addr: DocAddr, snapshot: StoredSnapshot) -> Result<(), GateError> {
        Ok(self.inner.put_snapshot(addr, snapshot)?)
    }
    fn snapshot(&self, addr: DocAddr) -> Result<Option<StoredSnapshot>, GateError> {
        Ok(self.inner.snapshot(addr)?)
    }
    fn membership_logs(&self) -> Result<Vec<(DocumentId, Vec<Vec<u8>>)>, GateError> {
        Ok(self.inner.membership_logs()?)
    }
    fn generation(&self, addr: DocAddr) -> Result<Generation, GateError> {
        Ok(self.inner.generation(addr)?)
    }
    fn renew_generation(&mut self, addr: DocAddr) -> Result<Generation, GateError> {
        Ok(self.inner.renew_generation(addr)?)
    }
    fn renew_all_generations(&mut self) -> Result<usize, GateError> {
        Ok(self.inner.renew_all_generations()?)
    }

    fn delete_epoch(&mut self, addr: DocAddr) -> Result<(), GateError> {
        Ok(self.inner.delete_epoch(addr)?)
    }
}

#[tokio::test]
async fn pushes_that_waited_for_a_commit_are_one_commit_and_a_failed_one_acknowledges_none_of_them() {
    let dir = tempfile::tempdir().unwrap();
    let (asked_tx, asked) = mpsc::channel();
    let (verdict, verdict_rx) = mpsc::channel();
    let store = Gated { inner: founded(dir.path()), asked: asked_tx, verdict: verdict_rx };
    let (relay, actor) = actor::spawn(store, RelayConfig::default(), IDLE).unwrap();
    let (a, mut a_out) = connect(&relay).await;
    let (b, mut b_out) = connect(&relay).await;
    let (reader, mut reader_out) = connect(&relay).await;
    relay.frame(reader, subscribe(0)).await.unwrap();
    assert_eq!(next(&mut reader_out).await, "caught-up 0");

    // Push 1's commit waits at the gate; pushes 2 and 3 arrive meanwhile.
    relay.frame(a, push(1)).await.unwrap();
    assert_eq!(asked.recv_timeout(PATIENCE).unwrap(), 1);
    relay.frame(a, push(2)).await.unwrap();
    relay.frame(b, push(3)).await.unwrap();
    verdict.send(true).unwrap();
    assert_eq!(asked.recv_timeout(PATIENCE).unwrap(), 2, "the two pushes that waited are one commit");
    verdict.send(false).unwrap();

    assert_eq!(next(&mut a_out).await, "ack 1 of 1");
    assert_eq!(next(&mut a_out).await, "failed 2", "no Ack for a push whose commit failed");
    assert_eq!(next(&mut b_out).await, "failed 3");
    assert_eq!(next(&mut reader_out).await, "bundle 1 of 1");

    // Sent again, push 2 gets seq 2: the failed commit stored nothing and
    // used up no seq. The reader's next frame is it: nothing of the failed
    // commit reached it in between.
    relay.frame(a, push(2)).await.unwrap();
    assert_eq!(asked.recv_timeout(PATIENCE).unwrap(), 1);
    verdict.send(true).unwrap();
    assert_eq!(next(&mut a_out).await, "ack 2 of 2");
    assert_eq!(next(&mut reader_out).await, "bundle 2 of 2");

    let (late, mut late_out) = connect(&relay).await;
    relay.frame(late, subscribe(0)).await.unwrap();
    assert_eq!(
        [next(&mut late_out).await, next(&mut late_out).await, next(&mut late_out).await],
        ["bundle 1 of 1", "bundle 2 of 2", "caught-up 2"]
    );

    drop((relay, a_out, b_out, reader_out, late_out));
    tokio::task::spawn_blocking(move || actor.join().unwrap()).await.unwrap();
}

#[tokio::test]
async fn a_backlog_goes_out_page_by_page_as_the_connection_takes_it_and_then_live() {
    let dir = tempfile::tempdir().unwrap();
    let store = founded(dir.path());
    let page = PageLimit { bundles: 2, bytes: usize::MAX };
    let (relay, actor) = actor::spawn(store, RelayConfig { page, ..RelayConfig::default() }, IDLE).unwrap();
    let (a, mut a_out) = connect(&relay).await;
    for n in 1..=7 {
        relay.frame(a, push(n)).await.unwrap();
        assert_eq!(next(&mut a_out).await, format!("ack {n} of {n}"));
    }
    let (reader, mut reader_out) = connect(&relay).await;
    relay.frame(reader, subscribe(0)).await.unwrap();
    assert_eq!(next(&mut reader_out).await, "bundle 1 of 1");
    assert_eq!(next(&mut reader_out).await, "bundle 2 of 2");
    // Pushed while the reader is still behind: it comes in the backlog,
    // in order, not live ahead of it.
    relay.frame(a, push(8)).await.unwrap();
    assert_eq!(next(&mut a_out).await, "ack 8 of 8");
    let mut rest = Vec::new();
    for _ in 3..=9 {
        rest.push(next(&mut reader_out).await);
    }
    let want: Vec<String> = (3..=8).map(|n| format!("bundle {n} of {n}")).chain(["caught-up 8".into()]).collect();
    assert_eq!(rest, want);
    relay.frame(a, push(9)).await.unwrap();
    assert_eq!(next(&mut reader_out).await, "bundle 9 of 9", "live once caught up");

    drop((relay, a_out, reader_out));
    tokio::task::spawn_blocking(move || actor.join().unwrap()).await.unwrap();
}
