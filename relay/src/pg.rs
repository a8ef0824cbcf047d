//! The store on PostgreSQL, for several relays sharing one database.
//!
//! Tables as in SQLite (`bundles`, `snapshots`) plus `heads`: one row per
//! log holding its last seq. An append takes the row lock of every log of
//! its batch (in one order, so two relays never deadlock), and only then
//! looks for repeated bundle ids and numbers the new bundles: a relay
//! appending to the same log waits for the other's commit and numbers on
//! from its head, so seqs stay contiguous, with no gap and no duplicate,
//! however many relays write. A batch is one transaction; PostgreSQL's
//! commit (with its default `synchronous_commit = on`) has reached the
//! disk when `append_batch` returns.
//!
//! Each commit that appended also sends one NOTIFY on [`CHANNEL`] naming
//! each log it moved and its new head (PostgreSQL delivers it only if the
//! commit succeeds). Every relay LISTENs ([`listen`]) and hands what
//! another relay appended to its core as `RelayEvent::AppendedElsewhere`;
//! the core reads the bundles it needs from the store.
//!
//! The store holds ciphertext and identifiers, nothing it could read.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use lotse_sync::membership::MEMBERSHIP_EPOCH;
use lotse_sync::relay::{NewBundle, PageLimit, RelayStore, StoredBundle, StoredSnapshot};
use lotse_sync::{BundleId, DocAddr, DocumentId, Epoch, Generation, KeyId, Seq};
use postgres::fallible_iterator::FallibleIterator as _;
use postgres::{Client, NoTls, Statement};

use crate::actor::RelayHandle;

/// The NOTIFY channel of appends.
pub const CHANNEL: &str = "lotse_appended";

/// The schema version this build writes (`lotse_schema.version`): 2 added
/// `heads.generation`.
const SCHEMA_VERSION: i32 = 2;

/// 16 bytes no other log or renewal gets (uniqueness is what counts, not
/// secrecy; `gen_random_uuid` would need PostgreSQL 13).
const RANDOM16: &str = "decode(md5(random()::text || clock_timestamp()::text || pg_backend_pid()::text), 'hex')";

/// Taken while the schema is created or checked, so relays starting
/// together do not race (`pg_advisory_xact_lock`; "lotse" in ASCII).
const MIGRATE_LOCK: i64 = 0x006c_6f74_7365;

const SCHEMA: &str = "
CREATE TABLE bundles (
    doc       BYTEA  NOT NULL,
    epoch     BIGINT NOT NULL,
    seq       BIGINT NOT NULL,
    bundle_id BYTEA  NOT NULL,
    key_id    BIGINT NOT NULL,
    sealed    BYTEA  NOT NULL,
    PRIMARY KEY (doc, epoch, seq),
    UNIQUE (doc, epoch, bundle_id)
);
CREATE TABLE heads (
    doc        BYTEA  NOT NULL,
    epoch      BIGINT NOT NULL,
    seq        BIGINT NOT NULL,
    generation BYTEA,
    PRIMARY KEY (doc, epoch)
);
CREATE TABLE snapshots (
    doc    BYTEA  NOT NULL,
    epoch  BIGINT NOT NULL,
    covers BIGINT NOT NULL,
    key_id BIGINT NOT NULL,
    sealed BYTEA  NOT NULL,
    PRIMARY KEY (doc, epoch)
);
";

/// A NOTIFY payload stays under PostgreSQL's 8000 bytes.
const NOTICE_BYTES: usize = 7_000;

/// What went wrong in the PostgreSQL store.
#[derive(Debug, thiserror::Error)]
pub enum PgError {
    #[error("cannot connect to the relay database at {target}: {}; check --database (postgres://USER@HOST:PORT/DB) and that PostgreSQL accepts the relay", describe(.source))]
    Connect { target: String, source: postgres::Error },
    #[error("the relay database has schema version {found}, this relay knows up to {SCHEMA_VERSION}; run a newer lotse-relay")]
    NewerSchema { found: i32 },
    #[error("database error: {}", describe(.0))]
    Postgres(#[from] postgres::Error),
    #[error("the relay database holds a damaged row: {0}")]
    Corrupt(String),
    #[error("the connection to the database was lost")]
    Lost,
}

/// The error with what the server said (its own `Display` is only "db
/// error").
fn describe(e: &postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return format!("{} ({})", db.message(), db.code().code());
    }
    match std::error::Error::source(e) {
        Some(cause) => format!("{e}: {cause}"),
        None => e.to_string(),
    }
}

/// How another relay's appends are heard: the database and this store's
/// own mark, so its own notices are skipped.
#[derive(Debug, Clone)]
pub struct Peers {
    url: String,
    instance: String,
}

/// The PostgreSQL store. Any number of relays may open the same database.
pub struct PgStore {
    conn: RefCell<Conn>,
    url: String,
    /// Marks this store's notices (random per start).
    instance: String,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the URL: it may hold a password.
        f.debug_struct("PgStore").field("instance", &self.instance).finish_non_exhaustive()
    }
}

/// The URL without a password, for logs and errors.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let user = &url[scheme + 3..at];
            let user = user.split(':').next().unwrap_or_default();
            format!("{}{user}@{}", &url[..scheme + 3], &url[at + 1..])
        }
        _ => url.split_whitespace().filter(|kv| !kv.starts_with("password=")).collect::<Vec<_>>().join(" "),
    }
}

fn connect(url: &str) -> Result<Client, PgError> {
    Client::connect(url, NoTls).map_err(|source| PgError::Connect { target: redact(url), source })
}

impl PgStore {
    /// Connects to the database at `url` (`postgres://user@host:port/db`
    /// or `host=… user=… dbname=…`) and creates the schema if it is empty.
    pub fn open(url: &str) -> Result<Self, PgError> {
        let mut client = connect(url)?;
        migrate(&mut client)?;
        let mut mark = [0u8; 8];
        getrandom::fill(&mut mark)
            .map_err(|e| PgError::Corrupt(format!("no randomness for the instance mark: {e}")))?;
        let instance = mark.iter().map(|b| format!("{b:02x}")).collect();
        let sync: String = client.query_one("SHOW synchronous_commit", &[])?.get(0);
        if sync == "off" {
            tracing::warn!(synchronous_commit = %sync, "PostgreSQL acknowledges commits before they are on disk: a crash of the database may lose acknowledged pushes");
        }
        let conn = Conn { client, prepared: HashMap::new() };
        Ok(Self { conn: RefCell::new(conn), url: url.to_owned(), instance })
    }

    /// What [`listen`] needs to hear the other relays.
    pub fn peers(&self) -> Peers {
        Peers { url: self.url.clone(), instance: self.instance.clone() }
    }

    /// The database, without a password, for logs.
    pub fn target(&self) -> String {
        redact(&self.url)
    }

    /// The connection, opened again first if it was lost (the database
    /// restarted): the next call works once the database is back.
    fn conn(&self) -> Result<std::cell::RefMut<'_, Conn>, PgError> {
        let mut conn = self.conn.borrow_mut();
        if conn.client.is_closed() {
            tracing::warn!(database = %self.target(), "the database connection was lost; connecting again");
            *conn = Conn { client: connect(&self.url)?, prepared: HashMap::new() };
        }
        Ok(conn)
    }
}

/// The connection and its statements, each prepared once (a statement
/// prepared anew costs a round trip more).
struct Conn {
    client: Client,
    prepared: HashMap<&'static str, Statement>,
}

impl Conn {
    fn prepare(&mut self, sql: &'static str) -> Result<Statement, PgError> {
        if let Some(s) = self.prepared.get(sql) {
            return Ok(s.clone());
        }
        let statement = self.client.prepare(sql)?;
        self.prepared.insert(sql, statement.clone());
        Ok(statement)
    }
}

/// A log's row is made (with its generation: `RANDOM16`) by the first
/// append, in its transaction.
const LOCK_HEADS: &str = "INSERT INTO heads (doc, epoch, seq, generation)
     SELECT d, e, 0, decode(md5(random()::text || clock_timestamp()::text || pg_backend_pid()::text), 'hex')
     FROM unnest($1::bytea[], $2::bigint[]) WITH ORDINALITY AS t(d, e, o) ORDER BY o
     ON CONFLICT (doc, epoch) DO UPDATE SET seq = heads.seq
     RETURNING doc, epoch, seq";
const STORED_IDS: &str = "SELECT b.doc, b.epoch, b.bundle_id, b.seq
     FROM bundles b JOIN unnest($1::bytea[], $2::bigint[], $3::bytea[]) AS t(d, e, i)
       ON b.doc = t.d AND b.epoch = t.e AND b.bundle_id = t.i";
const INSERT_BUNDLES: &str = "INSERT INTO bundles (doc, epoch, seq, bundle_id, key_id, sealed)
     SELECT * FROM unnest($1::bytea[], $2::bigint[], $3::bigint[], $4::bytea[], $5::bigint[], $6::bytea[])";
const MOVE_HEADS: &str = "UPDATE heads SET seq = t.s FROM unnest($1::bytea[], $2::bigint[], $3::bigint[]) AS t(d, e, s)
     WHERE heads.doc = t.d AND heads.epoch = t.e";
const NOTIFY: &str = "SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p";
const HEAD: &str = "SELECT seq FROM heads WHERE doc = $1 AND epoch = $2";
const GENERATION: &str = "SELECT generation FROM heads WHERE doc = $1 AND epoch = $2";
const PAGE: &str = "SELECT seq, bundle_id, key_id, sealed FROM bundles
     WHERE doc = $1 AND epoch = $2 AND seq > $3 ORDER BY seq LIMIT $4";

fn migrate(client: &mut Client) -> Result<(), PgError> {
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATE_LOCK])?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS lotse_schema (version INTEGER NOT NULL)")?;
    let version: Option<i32> = tx.query_opt("SELECT version FROM lotse_schema", &[])?.map(|r| r.get(0));
    match version {
        None => {
            tx.batch_execute(SCHEMA)?;
            tx.execute("INSERT INTO lotse_schema (version) VALUES ($1)", &[&SCHEMA_VERSION])?;
        }
        Some(1) => {
            tx.batch_execute(&format!(
                "ALTER TABLE heads ADD COLUMN generation BYTEA; UPDATE heads SET generation = {RANDOM16};"
            ))?;
            tx.execute("UPDATE lotse_schema SET version = $1", &[&SCHEMA_VERSION])?;
        }
        Some(SCHEMA_VERSION) => {}
        Some(found) => return Err(PgError::NewerSchema { found }),
    }
    tx.commit()?;
    Ok(())
}

fn seq_to_sql(seq: Seq) -> Result<i64, PgError> {
    i64::try_from(seq.0).map_err(|_| PgError::Corrupt(format!("sequence number {} is out of range", seq.0)))
}

fn seq_from_sql(value: i64) -> Result<Seq, PgError> {
    u64::try_from(value).map(Seq).map_err(|_| PgError::Corrupt(format!("negative sequence number {value}")))
}

fn key_from_sql(value: i64) -> Result<KeyId, PgError> {
    u32::try_from(value).map(KeyId).map_err(|_| PgError::Corrupt(format!("key id {value} is out of range")))
}

fn id16(bytes: &[u8], what: &str) -> Result<[u8; 16], PgError> {
    <[u8; 16]>::try_from(bytes).map_err(|_| PgError::Corrupt(format!("a {what} of {} bytes, expected 16", bytes.len())))
}

fn addr_from_sql(doc: &[u8], epoch: i64) -> Result<DocAddr, PgError> {
    let epoch = u32::try_from(epoch).map_err(|_| PgError::Corrupt(format!("epoch {epoch} is out of range")))?;
    Ok(DocAddr { doc: DocumentId(id16(doc, "document id")?), epoch: Epoch(epoch) })
}

/// One log of a notice: `doc epoch seq`.
fn notice_line(addr: DocAddr, seq: Seq) -> String {
    let doc: String = addr.doc.0.iter().map(|b| format!("{b:02x}")).collect();
    format!("{doc} {} {}", addr.epoch.0, seq.0)
}

/// Reads a notice: the instance that sent it and each log with its head.
/// `None` if it is not one of ours.
fn parse_notice(payload: &str) -> Option<(&str, Vec<(DocAddr, Seq)>)> {
    let mut lines = payload.split('\n');
    let instance = lines.next()?;
    let logs = lines
        .map(|line| {
            let mut parts = line.split(' ');
            let hex = parts.next()?;
            let mut doc = [0u8; 16];
            if hex.len() != 32 {
                return None;
            }
            for (i, b) in doc.iter_mut().enumerate() {
                *b = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
            }
            let epoch = Epoch(parts.next()?.parse().ok()?);
            let seq = Seq(parts.next()?.parse().ok()?);
            Some((DocAddr { doc: DocumentId(doc), epoch }, seq))
        })
        .collect::<Option<Vec<_>>>()?;
    Some((instance, logs))
}

impl RelayStore for PgStore {
    type Error = PgError;

    fn append_batch(&mut self, batch: &[NewBundle<'_>]) -> Result<Vec<(Seq, bool)>, PgError> {
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        let mut conn = self.conn()?;
        let statements = [LOCK_HEADS, STORED_IDS, INSERT_BUNDLES, MOVE_HEADS, NOTIFY].map(|sql| conn.prepare(sql));
        let [lock_heads, stored_ids, insert_bundles, move_heads, notify] = statements;
        let (lock_heads, stored_ids, insert_bundles, move_heads, notify) =
            (lock_heads?, stored_ids?, insert_bundles?, move_heads?, notify?);
        let mut tx = conn.client.transaction()?;
        // Every log of the batch, in one order: each relay locks in the
        // same order, so two batches never wait for each other in a circle.
        let logs: BTreeMap<DocAddr, ()> = batch.iter().map(|b| (b.addr, ())).collect();
        let (docs, epochs): (Vec<&[u8]>, Vec<i64>) = logs.keys().map(|a| (&a.doc.0[..], i64::from(a.epoch.0))).unzip();
        // Takes each log's row lock (waiting for another relay's commit)
        // and returns its head as that commit left it.
        let rows = tx.query(&lock_heads, &[&docs, &epochs])?;
        let mut heads: HashMap<DocAddr, Seq> = HashMap::with_capacity(rows.len());
        for row in rows {
            heads.insert(addr_from_sql(row.get(0), row.get(1))?, seq_from_sql(row.get(2))?);
        }
        // Bundle ids already stored, read under the locks.
        let (docs, epochs, ids): (Vec<&[u8]>, Vec<i64>, Vec<&[u8]>) =
            batch.iter().fold((Vec::new(), Vec::new(), Vec::new()), |(mut d, mut e, mut i), b| {
                d.push(&b.addr.doc.0[..]);
                e.push(i64::from(b.addr.epoch.0));
                i.push(&b.bundle_id.0[..]);
                (d, e, i)
            });
        let rows = tx.query(&stored_ids, &[&docs, &epochs, &ids])?;
        let mut known: HashMap<(DocAddr, BundleId), Seq> = HashMap::with_capacity(rows.len());
        for row in rows {
            let addr = addr_from_sql(row.get(0), row.get(1))?;
            known.insert((addr, BundleId(id16(row.get(2), "bundle id")?)), seq_from_sql(row.get(3))?);
        }
        let mut done = Vec::with_capacity(batch.len());
        let (mut new_docs, mut new_epochs, mut new_seqs, mut new_ids, mut new_keys, mut new_sealed) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for b in batch {
            if let Some(&seq) = known.get(&(b.addr, b.bundle_id)) {
                done.push((seq, false));
                continue;
            }
            let head = heads.get_mut(&b.addr).ok_or_else(|| PgError::Corrupt(format!("no head row for {}", b.addr)))?;
            *head = head.next();
            known.insert((b.addr, b.bundle_id), *head);
            new_docs.push(&b.addr.doc.0[..]);
            new_epochs.push(i64::from(b.addr.epoch.0));
            new_seqs.push(seq_to_sql(*head)?);
            new_ids.push(&b.bundle_id.0[..]);
            new_keys.push(i64::from(b.key_id.0));
            new_sealed.push(b.sealed);
            done.push((*head, true));
        }
        if !new_seqs.is_empty() {
            tx.execute(&insert_bundles, &[&new_docs, &new_epochs, &new_seqs, &new_ids, &new_keys, &new_sealed])?;
            let moved: BTreeMap<DocAddr, Seq> = batch
                .iter()
                .zip(&done)
                .filter(|(_, (_, fresh))| *fresh)
                .map(|(b, _)| (b.addr, heads[&b.addr]))
                .collect();
            let (docs, epochs, seqs): (Vec<&[u8]>, Vec<i64>, Vec<i64>) =
                moved.iter().try_fold((Vec::new(), Vec::new(), Vec::new()), |(mut d, mut e, mut s), (a, seq)| {
                    d.push(&a.doc.0[..]);
                    e.push(i64::from(a.epoch.0));
                    s.push(seq_to_sql(*seq)?);
                    Ok::<_, PgError>((d, e, s))
                })?;
            tx.execute(&move_heads, &[&docs, &epochs, &seqs])?;
            // Sent by PostgreSQL when (and only if) this commit succeeds.
            let mut notices = vec![self.instance.clone()];
            for (addr, seq) in moved {
                let line = notice_line(addr, seq);
                let last = notices.last_mut().expect("one at least");
                if last.len() + 1 + line.len() > NOTICE_BYTES {
                    notices.push(format!("{}\n{line}", self.instance));
                } else {
                    last.push('\n');
                    last.push_str(&line);
                }
            }
            tx.execute(&notify, &[&CHANNEL, &notices])?;
        }
        // On any error above, or a failed commit, dropping the transaction
        // rolls back every row of the batch (and sends no notice).
        tx.commit()?;
        Ok(done)
    }

    fn head(&self, addr: DocAddr) -> Result<Seq, PgError> {
        let mut conn = self.conn()?;
        let head = conn.prepare(HEAD)?;
        let row = conn.client.query_opt(&head, &[&&addr.doc.0[..], &i64::from(addr.epoch.0)])?;
        row.map_or(Ok(Seq(0)), |r| seq_from_sql(r.get(0)))
    }

    fn bundles_page(&self, addr: DocAddr, since: Seq, limit: PageLimit) -> Result<Vec<StoredBundle>, PgError> {
        let count = i64::try_from(limit.bundles).unwrap_or(i64::MAX);
        let since = seq_to_sql(since)?;
        let epoch = i64::from(addr.epoch.0);
        let doc = &addr.doc.0[..];
        let mut conn = self.conn()?;
        let page_sql = conn.prepare(PAGE)?;
        let params: [&(dyn postgres::types::ToSql + Sync); 4] = [&doc, &epoch, &since, &count];
        let mut rows = conn.client.query_raw(&page_sql, params)?;
        let (mut page, mut bytes) = (Vec::new(), 0);
        // Rows are taken one by one: the byte budget ends the page early.
        while !limit.is_full(page.len(), bytes) {
            let Some(row) = rows.next()? else { break };
            let sealed: Vec<u8> = row.get(3);
            bytes += sealed.len();
            page.push(StoredBundle {
                seq: seq_from_sql(row.get(0))?,
                bundle_id: BundleId(id16(row.get(1), "bundle id")?),
                key_id: key_from_sql(row.get(2))?,
                sealed,
            });
        }
        Ok(page)
    }

    fn put_snapshot(&mut self, addr: DocAddr, snapshot: StoredSnapshot) -> Result<(), PgError> {
        // Kept only if it covers more than the one held, also when two
        // relays write at once: one statement, one commit.
        self.conn()?.client.execute(
            "INSERT INTO snapshots (doc, epoch, covers, key_id, sealed) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (doc, epoch) DO UPDATE
             SET covers = excluded.covers, key_id = excluded.key_id, sealed = excluded.sealed
             WHERE excluded.covers > snapshots.covers",
            &[
                &&addr.doc.0[..],
                &i64::from(addr.epoch.0),
                &seq_to_sql(snapshot.covers)?,
                &i64::from(snapshot.key_id.0),
                &snapshot.sealed,
            ],
        )?;
        Ok(())
    }

    fn snapshot(&self, addr: DocAddr) -> Result<Option<StoredSnapshot>, PgError> {
        let row = self.conn()?.client.query_opt(
            "SELECT covers, key_id, sealed FROM snapshots WHERE doc = $1 AND epoch = $2",
            &[&&addr.doc.0[..], &i64::from(addr.epoch.0)],
        )?;
        row.map(|r| {
            Ok(StoredSnapshot { covers: seq_from_sql(r.get(0))?, key_id: key_from_sql(r.get(1))?, sealed: r.get(2) })
        })
        .transpose()
    }

    fn membership_logs(&self) -> Result<Vec<(DocumentId, Vec<Vec<u8>>)>, PgError> {
        let rows = self.conn()?.client.query(
            "SELECT doc, sealed FROM bundles WHERE epoch = $1 ORDER BY doc, seq",
            &[&i64::from(MEMBERSHIP_EPOCH.0)],
        )?;
        let mut logs: Vec<(DocumentId, Vec<Vec<u8>>)> = Vec::new();
        for row in rows {
            let doc = DocumentId(id16(row.get(0), "document id")?);
            let sealed: Vec<u8> = row.get(1);
            match logs.last_mut() {
                Some((last, log)) if *last == doc => log.push(sealed),
                _ => logs.push((doc, vec![sealed])),
            }
        }
        Ok(logs)
    }

    fn generation(&self, addr: DocAddr) -> Result<Generation, PgError> {
        let mut conn = self.conn()?;
        let generation = conn.prepare(GENERATION)?;
        let (doc, epoch) = (&addr.doc.0[..], i64::from(addr.epoch.0));
        let row = conn.client.query_opt(&generation, &[&doc, &epoch])?;
        if let Some(bytes) = row.and_then(|r| r.get::<_, Option<Vec<u8>>>(0)) {
            return Ok(Generation(id16(&bytes, "log generation")?));
        }
        // First read of the log: it gets its generation now (another
        // relay's, if it was faster).
        let sql = format!(
            "INSERT INTO heads (doc, epoch, seq, generation) VALUES ($1, $2, 0, {RANDOM16})
             ON CONFLICT (doc, epoch) DO UPDATE SET generation = COALESCE(heads.generation, excluded.generation)
             RETURNING generation"
        );
        let row = conn.client.query_one(&sql, &[&doc, &epoch])?;
        Ok(Generation(id16(row.get(0), "log generation")?))
    }

    fn renew_generation(&mut self, addr: DocAddr) -> Result<Generation, PgError> {
        let sql = format!(
            "INSERT INTO heads (doc, epoch, seq, generation) VALUES ($1, $2, 0, {RANDOM16})
             ON CONFLICT (doc, epoch) DO UPDATE SET generation = excluded.generation
             RETURNING generation"
        );
        let row = self.conn()?.client.query_one(&sql, &[&&addr.doc.0[..], &i64::from(addr.epoch.0)])?;
        Ok(Generation(id16(row.get(0), "log generation")?))
    }

    fn renew_all_generations(&mut self) -> Result<usize, PgError> {
        let sql = format!("UPDATE heads SET generation = {RANDOM16}");
        Ok(self.conn()?.client.execute(&sql, &[])? as usize)
    }

    /// One transaction; the rows' bytes stay in the table's dead tuples
    /// until VACUUM (see docs/operating.md).
    fn delete_epoch(&mut self, addr: DocAddr) -> Result<(), PgError> {
        let mut conn = self.conn()?;
        let mut tx = conn.client.transaction()?;
        let (doc, epoch) = (&addr.doc.0[..], i64::from(addr.epoch.0));
        for table in ["bundles", "snapshots", "heads"] {
            tx.execute(&format!("DELETE FROM {table} WHERE doc = $1 AND epoch = $2"), &[&doc, &epoch])?;
        }
        tx.commit()?;
        Ok(())
    }
}

/// How long a listener waits for a notice before it looks whether it
/// should stop.
const LISTEN_TICK: Duration = Duration::from_millis(250);

/// Stops a [`listen`] thread when dropped or told.
#[derive(Debug)]
pub struct Listening {
    stop: Arc<AtomicBool>,
    thread: Option<thread::JoinHandle<()>>,
}

impl Listening {
    /// Stops the listener and waits for it (within a tick).
    pub fn stop(mut self) {
        self.halt();
    }

    fn halt(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Listening {
    fn drop(&mut self) {
        self.halt();
    }
}

/// Starts a thread that LISTENs for the other relays' appends and hands
/// each to `relay`. After every (re)connection it asks the relay to look at
/// every log it follows, so a notice missed before or while the connection
/// was down is made up for.
pub fn listen(peers: Peers, relay: RelayHandle) -> std::io::Result<Listening> {
    let stop = Arc::new(AtomicBool::new(false));
    let stopping = stop.clone();
    let thread = thread::Builder::new().name("lotse-relay-listen".into()).spawn(move || {
        while !stopping.load(Ordering::Acquire) {
            match hear(&peers, &relay, &stopping) {
                Ok(()) => break,
                Err(e) => {
                    tracing::error!(database = %redact(&peers.url), error = %e, "not hearing the other relays; connecting again");
                    thread::sleep(Duration::from_secs(1));
                }
            }
        }
    })?;
    Ok(Listening { stop, thread: Some(thread) })
}

/// One connection's listening; `Ok` when told to stop or the relay is gone.
fn hear(peers: &Peers, relay: &RelayHandle, stop: &AtomicBool) -> Result<(), PgError> {
    let mut client = connect(&peers.url)?;
    client.batch_execute(&format!("LISTEN {CHANNEL}"))?;
    // Whatever was appended before LISTEN took hold (at the start: since
    // the membership was read) is read now: every network's membership
    // log, also of networks this relay has not heard of, then every log
    // it has live subscribers of.
    let members =
        client.query("SELECT doc, epoch, seq FROM heads WHERE epoch = $1", &[&i64::from(MEMBERSHIP_EPOCH.0)])?;
    for row in members {
        let addr = addr_from_sql(row.get(0), row.get(1))?;
        if relay.blocking_appended_elsewhere(addr, seq_from_sql(row.get(2))?).is_err() {
            return Ok(());
        }
    }
    if relay.blocking_resync().is_err() {
        return Ok(());
    }
    while !stop.load(Ordering::Acquire) {
        {
            let mut notices = client.notifications();
            let mut heard = notices.timeout_iter(LISTEN_TICK);
            while let Some(n) = heard.next()? {
                let Some((instance, logs)) = parse_notice(n.payload()) else {
                    tracing::warn!(channel = CHANNEL, "a notice that is not a relay's; ignored");
                    continue;
                };
                if instance == peers.instance || stop.load(Ordering::Acquire) {
                    continue;
                }
                for (addr, seq) in logs {
                    if relay.blocking_appended_elsewhere(addr, seq).is_err() {
                        return Ok(());
                    }
                }
            }
        }
        if client.is_closed() {
            return Err(PgError::Lost);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_never_reaches_a_log() {
        assert_eq!(redact("postgres://lotse:secret@db:5432/lotse"), "postgres://lotse@db:5432/lotse");
        assert_eq!(redact("host=db user=lotse password=secret dbname=x"), "host=db user=lotse dbname=x");
    }

    #[test]
    fn a_notice_names_each_log_and_its_head() {
        let a = DocAddr { doc: DocumentId([0xab; 16]), epoch: Epoch(u32::MAX) };
        let payload = format!("cafe\n{}\n{}", notice_line(a, Seq(7)), notice_line(a, Seq(u64::MAX)));
        let (instance, logs) = parse_notice(&payload).unwrap();
        assert_eq!(instance, "cafe");
        assert_eq!(logs, [(a, Seq(7)), (a, Seq(u64::MAX))]);
        assert!(parse_notice("cafe\nnot a log").is_none());
    }
}
