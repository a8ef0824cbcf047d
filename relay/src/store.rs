//! The durable store: one SQLite file in the data directory.
//!
//! Every log is a run of rows in `bundles`, keyed by (doc, epoch, seq); the
//! newest snapshot of a log is one row in `snapshots`. The journal is a WAL
//! with `synchronous=FULL`, so a commit has reached the disk when
//! `append_batch` returns, and an Ack is only ever sent after that. A batch
//! of appends is one transaction: one fsync for all of them, and a failure
//! anywhere in it leaves none of them behind.
//!
//! Each log's generation (see `RelayStore::generation`) is a row of
//! `generations`, made in the commit that stores the log's first bundle.
//!
//! Every push would read its log's head and, for its Ack, its generation:
//! the store keeps both in memory once read ([`Known`]), and forgets them
//! whenever another connection has written to the file (`data_version`),
//! so they are never older than the file.
//!
//! The store holds ciphertext and identifiers, nothing it could read.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use lotse_sync::membership::MEMBERSHIP_EPOCH;
use lotse_sync::relay::{NewBundle, PageLimit, RelayStore, StoredBundle, StoredSnapshot};
use lotse_sync::{BundleId, DocAddr, DocumentId, Generation, KeyId, Seq};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

/// The file name of the database inside the data directory.
pub const DB_FILE: &str = "lotse.sqlite3";

/// `PRAGMA user_version` of the schema this build writes: 2 added
/// `generations`.
const SCHEMA_VERSION: i64 = 2;

/// From version 1: every log that has bundles gets a generation.
const GENERATIONS: &str = "
CREATE TABLE generations (
    doc        BLOB    NOT NULL,
    epoch      INTEGER NOT NULL,
    generation BLOB    NOT NULL,
    PRIMARY KEY (doc, epoch)
);
INSERT INTO generations (doc, epoch, generation) SELECT DISTINCT doc, epoch, randomblob(16) FROM bundles;
";

const SCHEMA: &str = "
CREATE TABLE bundles (
    doc       BLOB    NOT NULL,
    epoch     INTEGER NOT NULL,
    seq       INTEGER NOT NULL,
    bundle_id BLOB    NOT NULL,
    key_id    INTEGER NOT NULL,
    sealed    BLOB    NOT NULL,
    PRIMARY KEY (doc, epoch, seq),
    UNIQUE (doc, epoch, bundle_id)
);
CREATE TABLE snapshots (
    doc    BLOB    NOT NULL,
    epoch  INTEGER NOT NULL,
    covers INTEGER NOT NULL,
    key_id INTEGER NOT NULL,
    sealed BLOB    NOT NULL,
    PRIMARY KEY (doc, epoch)
);
";

/// What went wrong in the SQLite store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the relay database {path}: {source}; check that the data directory exists and is writable")]
    Open { path: PathBuf, source: rusqlite::Error },
    #[error("the relay database {path} could not switch to WAL journaling (it reports {mode:?}); put the data directory on a local file system")]
    NoWal { path: PathBuf, mode: String },
    #[error("the relay database {path} has schema version {found}, this relay knows up to {SCHEMA_VERSION}; run a newer lotse-relay")]
    NewerSchema { path: PathBuf, found: i64 },
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("the relay database holds a damaged row: {0}")]
    Corrupt(String),
}

/// The SQLite store. One relay process owns the file; open it once.
#[derive(Debug)]
pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
    /// Filled by reads too, which take `&self`.
    known: RefCell<Known>,
    /// The generations of the logs the last batch appended to, read in its
    /// transaction.
    appended: HashMap<DocAddr, Generation>,
}

/// So many logs' heads and generations are kept at most; past it they are
/// forgotten and read again as needed, so memory stays bounded.
const KNOWN_LOGS: usize = 64 * 1024;

/// What this connection read or wrote of the file, valid while
/// `data_version` (which moves only when another connection commits)
/// stays the same.
#[derive(Debug, Default)]
struct Known {
    data_version: i64,
    heads: HashMap<DocAddr, Seq>,
    generations: HashMap<DocAddr, Generation>,
}

impl Known {
    /// Forgets everything if another connection wrote to the file since
    /// the last look (an operator's tool, say).
    fn check(&mut self, conn: &Connection) -> Result<(), StoreError> {
        let version: i64 = conn.prepare_cached("PRAGMA data_version")?.query_row([], |row| row.get(0))?;
        if version != self.data_version {
            *self = Known { data_version: version, ..Known::default() };
        }
        Ok(())
    }

    fn remember<V>(map: &mut HashMap<DocAddr, V>, addr: DocAddr, value: V) {
        if map.len() >= KNOWN_LOGS && !map.contains_key(&addr) {
            map.clear();
        }
        map.insert(addr, value);
    }
}

impl SqliteStore {
    /// Opens the database in `data_dir` (see [`DB_FILE`]), creating it if
    /// it does not exist. The directory must exist.
    pub fn open_in(data_dir: &Path) -> Result<Self, StoreError> {
        Self::open(&data_dir.join(DB_FILE))
    }

    /// Opens (or creates) the database file at `path`.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let open_err = |source| StoreError::Open { path: path.to_owned(), source };
        let conn = Connection::open(path).map_err(open_err)?;
        // A backup tool holding a read lock for a moment must not fail a push.
        conn.busy_timeout(Duration::from_secs(5)).map_err(open_err)?;
        let mode: String =
            conn.pragma_update_and_check(None, "journal_mode", "wal", |row| row.get(0)).map_err(open_err)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::NoWal { path: path.to_owned(), mode });
        }
        // FULL: in WAL mode every commit syncs the log, so a returned
        // `append` survives a crash of the process or of the machine.
        conn.pragma_update(None, "synchronous", "FULL").map_err(open_err)?;
        // A deleted row's bytes are overwritten with zeros, not left in a
        // free page or a page's free space: an erased epoch's ciphertext
        // must not stay readable in the file (see `delete_epoch`).
        conn.pragma_update(None, "secure_delete", "ON").map_err(open_err)?;
        let mut store = Self { conn, path: path.to_owned(), known: RefCell::default(), appended: HashMap::new() };
        store.migrate()?;
        Ok(store)
    }

    fn read_generation(conn: &Connection, addr: DocAddr) -> Result<Option<Generation>, StoreError> {
        let (doc, epoch) = doc_key(addr);
        let found: Option<Vec<u8>> = conn
            .prepare_cached("SELECT generation FROM generations WHERE doc = ?1 AND epoch = ?2")?
            .query_row(params![doc, epoch], |row| row.get(0))
            .optional()?;
        found.map(generation_from_sql).transpose()
    }

    fn read_head(conn: &Connection, addr: DocAddr) -> Result<Seq, StoreError> {
        let (doc, epoch) = doc_key(addr);
        let head: i64 = conn
            .prepare_cached("SELECT COALESCE(MAX(seq), 0) FROM bundles WHERE doc = ?1 AND epoch = ?2")?
            .query_row(params![doc, epoch], |row| row.get(0))?;
        seq_from_sql(head)
    }

    /// Where the database file lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version: i64 = tx.pragma_query_value(None, "user_version", |row| row.get(0))?;
        match version {
            0 => {
                tx.execute_batch(SCHEMA)?;
                tx.execute_batch(GENERATIONS)?;
                tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
            }
            1 => {
                tx.execute_batch(GENERATIONS)?;
                tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
            }
            SCHEMA_VERSION => {}
            found => return Err(StoreError::NewerSchema { path: self.path.clone(), found }),
        }
        tx.commit()?;
        Ok(())
    }
}

fn seq_to_sql(seq: Seq) -> Result<i64, StoreError> {
    i64::try_from(seq.0).map_err(|_| StoreError::Corrupt(format!("sequence number {} is out of range", seq.0)))
}

fn seq_from_sql(value: i64) -> Result<Seq, StoreError> {
    u64::try_from(value).map(Seq).map_err(|_| StoreError::Corrupt(format!("negative sequence number {value}")))
}

fn key_from_sql(value: i64) -> Result<KeyId, StoreError> {
    u32::try_from(value).map(KeyId).map_err(|_| StoreError::Corrupt(format!("key id {value} is out of range")))
}

fn bundle_id_from_sql(bytes: Vec<u8>) -> Result<BundleId, StoreError> {
    let len = bytes.len();
    <[u8; 16]>::try_from(bytes)
        .map(BundleId)
        .map_err(|_| StoreError::Corrupt(format!("a bundle id of {len} bytes, expected 16")))
}

fn doc_key(addr: DocAddr) -> ([u8; 16], i64) {
    let DocumentId(doc) = addr.doc;
    (doc, i64::from(addr.epoch.0))
}

impl RelayStore for SqliteStore {
    type Error = StoreError;

    fn membership_logs(&self) -> Result<Vec<(DocumentId, Vec<Vec<u8>>)>, StoreError> {
        let mut stmt = self.conn.prepare("SELECT doc, sealed FROM bundles WHERE epoch = ?1 ORDER BY doc, seq")?;
        let rows = stmt.query_map(params![i64::from(MEMBERSHIP_EPOCH.0)], |row| {
            Ok((row.get::<_, Vec<u8>>(0)?, row.get::<_, Vec<u8>>(1)?))
        })?;
        let mut logs: Vec<(DocumentId, Vec<Vec<u8>>)> = Vec::new();
        for row in rows {
            let (doc, sealed) = row?;
            let len = doc.len();
            let doc = <[u8; 16]>::try_from(doc)
                .map(DocumentId)
                .map_err(|_| StoreError::Corrupt(format!("a document id of {len} bytes, expected 16")))?;
            match logs.last_mut() {
                Some((last, log)) if *last == doc => log.push(sealed),
                _ => logs.push((doc, vec![sealed])),
            }
        }
        Ok(logs)
    }

    fn append_batch(&mut self, batch: &[NewBundle<'_>]) -> Result<Vec<(Seq, bool)>, StoreError> {
        // IMMEDIATE: take the write lock before reading a head, so a number
        // cannot be taken twice even if another process writes; and so no
        // one writes between the look at what is known and the commit.
        self.appended.clear();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let known = self.known.get_mut();
        known.check(&tx)?;
        let known = &*known;
        let mut done = Vec::with_capacity(batch.len());
        // The heads this batch moves, kept only once it is committed.
        let mut moved: HashMap<DocAddr, Seq> = HashMap::new();
        {
            // A bundle id already in its log (or earlier in this batch)
            // makes the insert do nothing, and only then is its seq read.
            let mut insert = tx.prepare_cached(
                "INSERT INTO bundles (doc, epoch, seq, bundle_id, key_id, sealed) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (doc, epoch, bundle_id) DO NOTHING",
            )?;
            let mut existing =
                tx.prepare_cached("SELECT seq FROM bundles WHERE doc = ?1 AND epoch = ?2 AND bundle_id = ?3")?;
            let mut born = tx.prepare_cached(
                "INSERT INTO generations (doc, epoch, generation) VALUES (?1, ?2, randomblob(16))
                 ON CONFLICT (doc, epoch) DO NOTHING",
            )?;
            for b in batch {
                let (doc, epoch) = doc_key(b.addr);
                let last = match moved.get(&b.addr).or_else(|| known.heads.get(&b.addr)) {
                    Some(&seq) => seq,
                    None => Self::read_head(&tx, b.addr)?,
                };
                let seq = last.next();
                let inserted = insert.execute(params![
                    doc,
                    epoch,
                    seq_to_sql(seq)?,
                    b.bundle_id.0,
                    i64::from(b.key_id.0),
                    b.sealed
                ])?;
                if inserted == 0 {
                    let old: i64 = existing.query_row(params![doc, epoch, b.bundle_id.0], |row| row.get(0))?;
                    moved.insert(b.addr, last);
                    done.push((seq_from_sql(old)?, false));
                    continue;
                }
                if seq == Seq(1) {
                    born.execute(params![doc, epoch])?;
                }
                moved.insert(b.addr, seq);
                done.push((seq, true));
            }
        }
        let mut appended = HashMap::with_capacity(moved.len());
        for &addr in moved.keys() {
            let generation = match known.generations.get(&addr) {
                Some(&generation) => generation,
                None => Self::read_generation(&tx, addr)?
                    .ok_or_else(|| StoreError::Corrupt(format!("the log {addr} has bundles but no generation")))?,
            };
            appended.insert(addr, generation);
        }
        // On any error above, or a failed commit, dropping the transaction
        // rolls back every row of the batch, and no head moves.
        tx.commit()?;
        let known = self.known.get_mut();
        for (addr, seq) in moved {
            Known::remember(&mut known.heads, addr, seq);
        }
        for (&addr, &generation) in &appended {
            Known::remember(&mut known.generations, addr, generation);
        }
        self.appended = appended;
        Ok(done)
    }

    /// Without the sealed bytes the default reads: a subscribe checks it.
    fn bundle_id_at(&self, addr: DocAddr, seq: Seq) -> Result<Option<BundleId>, StoreError> {
        let (doc, epoch) = doc_key(addr);
        let id: Option<Vec<u8>> = self
            .conn
            .prepare_cached("SELECT bundle_id FROM bundles WHERE doc = ?1 AND epoch = ?2 AND seq = ?3")?
            .query_row(params![doc, epoch, seq_to_sql(seq)?], |row| row.get(0))
            .optional()?;
        id.map(bundle_id_from_sql).transpose()
    }

    fn head(&self, addr: DocAddr) -> Result<Seq, StoreError> {
        let mut known = self.known.borrow_mut();
        known.check(&self.conn)?;
        if let Some(&seq) = known.heads.get(&addr) {
            return Ok(seq);
        }
        let head = Self::read_head(&self.conn, addr)?;
        Known::remember(&mut known.heads, addr, head);
        Ok(head)
    }

    fn bundles_page(&self, addr: DocAddr, since: Seq, limit: PageLimit) -> Result<Vec<StoredBundle>, StoreError> {
        let (doc, epoch) = doc_key(addr);
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, bundle_id, key_id, sealed FROM bundles
             WHERE doc = ?1 AND epoch = ?2 AND seq > ?3 ORDER BY seq LIMIT ?4",
        )?;
        let count = i64::try_from(limit.bundles).unwrap_or(i64::MAX);
        let mut rows = stmt.query(params![doc, epoch, seq_to_sql(since)?, count])?;
        let (mut page, mut bytes) = (Vec::new(), 0);
        // Rows are read one by one: the byte budget ends the page early.
        while !limit.is_full(page.len(), bytes) {
            let Some(row) = rows.next()? else { break };
            let sealed: Vec<u8> = row.get(3)?;
            bytes += sealed.len();
            page.push(StoredBundle {
                seq: seq_from_sql(row.get(0)?)?,
                bundle_id: bundle_id_from_sql(row.get(1)?)?,
                key_id: key_from_sql(row.get(2)?)?,
                sealed,
            });
        }
        Ok(page)
    }

    fn put_snapshot(&mut self, addr: DocAddr, snapshot: StoredSnapshot) -> Result<(), StoreError> {
        let (doc, epoch) = doc_key(addr);
        // Kept only if it covers more than the one held; one statement, so
        // one durable commit.
        self.conn
            .prepare_cached(
                "INSERT INTO snapshots (doc, epoch, covers, key_id, sealed) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (doc, epoch) DO UPDATE
                 SET covers = excluded.covers, key_id = excluded.key_id, sealed = excluded.sealed
                 WHERE excluded.covers > snapshots.covers",
            )?
            .execute(params![
                doc,
                epoch,
                seq_to_sql(snapshot.covers)?,
                i64::from(snapshot.key_id.0),
                snapshot.sealed
            ])?;
        Ok(())
    }

    fn snapshot(&self, addr: DocAddr) -> Result<Option<StoredSnapshot>, StoreError> {
        let (doc, epoch) = doc_key(addr);
        let row = self
            .conn
            .prepare_cached("SELECT covers, key_id, sealed FROM snapshots WHERE doc = ?1 AND epoch = ?2")?
            .query_row(params![doc, epoch], |row| {
                Ok((row.get::<_, i64>(0)?, row.get::<_, i64>(1)?, row.get::<_, Vec<u8>>(2)?))
            })
            .optional()?;
        row.map(|(covers, key_id, sealed)| {
            Ok(StoredSnapshot { covers: seq_from_sql(covers)?, key_id: key_from_sql(key_id)?, sealed })
        })
        .transpose()
    }

    fn generation(&self, addr: DocAddr) -> Result<Generation, StoreError> {
        let mut known = self.known.borrow_mut();
        known.check(&self.conn)?;
        if let Some(&generation) = known.generations.get(&addr) {
            return Ok(generation);
        }
        let generation = match Self::read_generation(&self.conn, addr)? {
            Some(found) => found,
            None => {
                // First read of the log: it gets its generation now.
                let (doc, epoch) = doc_key(addr);
                self.conn
                    .prepare_cached(
                        "INSERT INTO generations (doc, epoch, generation) VALUES (?1, ?2, randomblob(16))
                         ON CONFLICT (doc, epoch) DO NOTHING",
                    )?
                    .execute(params![doc, epoch])?;
                Self::read_generation(&self.conn, addr)?
                    .ok_or_else(|| StoreError::Corrupt(format!("the log {addr} has no generation")))?
            }
        };
        Known::remember(&mut known.generations, addr, generation);
        Ok(generation)
    }

    fn renew_generation(&mut self, addr: DocAddr) -> Result<Generation, StoreError> {
        let (doc, epoch) = doc_key(addr);
        let bytes: Vec<u8> = self
            .conn
            .prepare_cached(
                "INSERT INTO generations (doc, epoch, generation) VALUES (?1, ?2, randomblob(16))
                 ON CONFLICT (doc, epoch) DO UPDATE SET generation = excluded.generation
                 RETURNING generation",
            )?
            .query_row(params![doc, epoch], |row| row.get(0))?;
        let generation = generation_from_sql(bytes)?;
        Known::remember(&mut self.known.get_mut().generations, addr, generation);
        Ok(generation)
    }

    /// Read in the batch's own transaction: the generation its bundles
    /// were appended under, whatever was written since.
    fn appended_generation(&self, addr: DocAddr) -> Result<Generation, StoreError> {
        match self.appended.get(&addr) {
            Some(&generation) => Ok(generation),
            None => self.generation(addr),
        }
    }

    fn renew_all_generations(&mut self) -> Result<usize, StoreError> {
        let renewed = self.conn.execute("UPDATE generations SET generation = randomblob(16)", [])?;
        self.known.get_mut().generations.clear();
        Ok(renewed)
    }

    /// With `secure_delete` the freed cells and pages are zeroed in the
    /// commit; the checkpoint then writes them into the file and truncates
    /// the WAL, which held the old pages (and their ciphertext) until now.
    fn delete_epoch(&mut self, addr: DocAddr) -> Result<(), StoreError> {
        let (doc, epoch) = doc_key(addr);
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        for table in ["bundles", "snapshots", "generations"] {
            tx.execute(&format!("DELETE FROM {table} WHERE doc = ?1 AND epoch = ?2"), params![doc, epoch])?;
        }
        tx.commit()?;
        // The log is gone: its head and generation are read again (as 0
        // and a new one) if it is ever asked for.
        let known = self.known.get_mut();
        known.heads.remove(&addr);
        known.generations.remove(&addr);
        self.appended.remove(&addr);
        let (busy, _, _): (i64, i64, i64) =
            self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        if busy != 0 {
            // A reader (an online backup) holds the WAL: the relay asks
            // again at its next tick, and the rows are gone meanwhile.
            return Err(StoreError::Corrupt(format!(
                "the WAL could not be checkpointed after deleting {addr}: a reader holds it"
            )));
        }
        Ok(())
    }
}

fn generation_from_sql(bytes: Vec<u8>) -> Result<Generation, StoreError> {
    let len = bytes.len();
    <[u8; 16]>::try_from(bytes)
        .map(Generation)
        .map_err(|_| StoreError::Corrupt(format!("a log generation of {len} bytes, expected 16")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_from_a_newer_relay_is_refused_with_advice() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DB_FILE);
        drop(SqliteStore::open(&path).unwrap());
        Connection::open(&path).unwrap().pragma_update(None, "user_version", 99).unwrap();
        let err = SqliteStore::open(&path).unwrap_err();
        assert!(matches!(err, StoreError::NewerSchema { found: 99, .. }), "{err}");
        assert!(err.to_string().contains("run a newer lotse-relay"), "{err}");
    }

    fn pushes(n: u8) -> Vec<(BundleId, Vec<u8>)> {
        (1..=n).map(|i| (BundleId([i; 16]), vec![i; 300])).collect()
    }

    fn append_all(
        store: &mut SqliteStore,
        addr: DocAddr,
        bundles: &[(BundleId, Vec<u8>)],
    ) -> Result<Vec<(Seq, bool)>, StoreError> {
        let batch: Vec<NewBundle<'_>> =
            bundles.iter().map(|(id, sealed)| NewBundle { addr, bundle_id: *id, key_id: KeyId(1), sealed }).collect();
        store.append_batch(&batch)
    }

    fn addr() -> DocAddr {
        DocAddr { doc: DocumentId([4; 16]), epoch: lotse_sync::Epoch(0) }
    }

    #[test]
    fn a_batch_whose_commit_fails_leaves_nothing_and_uses_up_no_seq() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open_in(dir.path()).unwrap();
        append_all(&mut store, addr(), &pushes(1)).unwrap();
        // SQLite turns the commit into a rollback, as a failing disk would.
        store.conn.commit_hook(Some(|| true));
        let err = append_all(&mut store, addr(), &pushes(4)[1..]).unwrap_err();
        assert!(matches!(err, StoreError::Sqlite(_)), "{err}");
        store.conn.commit_hook(None::<fn() -> bool>);
        assert_eq!(store.head(addr()).unwrap(), Seq(1), "none of the batch is stored");
        drop(store);
        let mut store = SqliteStore::open_in(dir.path()).unwrap();
        assert_eq!(store.head(addr()).unwrap(), Seq(1), "none of it is on the disk either");
        let done = append_all(&mut store, addr(), &pushes(4)[1..]).unwrap();
        assert_eq!(done, [(Seq(2), true), (Seq(3), true), (Seq(4), true)], "sent again, it gets the next seqs");
    }

    #[test]
    fn a_batch_that_fails_in_its_middle_leaves_none_of_its_first_rows() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open_in(dir.path()).unwrap();
        // The third row of the batch cannot be written.
        store
            .conn
            .execute_batch(
                "CREATE TRIGGER refuse BEFORE INSERT ON bundles WHEN NEW.seq = 3
                 BEGIN SELECT RAISE(ABORT, 'disk full'); END;",
            )
            .unwrap();
        let err = append_all(&mut store, addr(), &pushes(4)).unwrap_err();
        assert!(err.to_string().contains("disk full"), "{err}");
        assert_eq!(store.head(addr()).unwrap(), Seq(0), "rows 1 and 2 were rolled back with it");
        store.conn.execute_batch("DROP TRIGGER refuse").unwrap();
        assert_eq!(append_all(&mut store, addr(), &pushes(4)).unwrap().len(), 4);
        assert_eq!(store.head(addr()).unwrap(), Seq(4));
    }

    /// A store in a fresh folder holding `pushes(n)`.
    fn with_pushes(n: u8) -> (tempfile::TempDir, SqliteStore) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open_in(dir.path()).unwrap();
        append_all(&mut store, addr(), &pushes(n)).unwrap();
        (dir, store)
    }

    /// Another connection to the store's file, which gave every log a new
    /// generation.
    fn renew_elsewhere(store: &SqliteStore) -> Connection {
        let other = Connection::open(store.path()).unwrap();
        other.execute("UPDATE generations SET generation = randomblob(16)", []).unwrap();
        other
    }

    #[test]
    fn heads_and_generations_another_connection_wrote_are_read_again() {
        let (_dir, mut store) = with_pushes(2);
        let generation = store.generation(addr()).unwrap();
        assert_eq!(store.head(addr()).unwrap(), Seq(2));
        // Someone else's connection (an operator's tool) writes to the file.
        let other = renew_elsewhere(&store);
        let (doc, epoch) = doc_key(addr());
        other
            .execute(
                "INSERT INTO bundles (doc, epoch, seq, bundle_id, key_id, sealed) VALUES (?1, ?2, 3, ?3, 1, x'00')",
                params![doc, epoch, [9u8; 16]],
            )
            .unwrap();
        assert_eq!(store.head(addr()).unwrap(), Seq(3), "the head it wrote");
        assert_ne!(store.generation(addr()).unwrap(), generation, "the generation it wrote");
        let done = append_all(&mut store, addr(), &pushes(4)[2..]).unwrap();
        assert_eq!(done, [(Seq(4), true), (Seq(5), true)], "numbering goes on after its row");
    }

    #[test]
    fn an_ack_names_the_generation_its_bundle_was_committed_under() {
        let (_dir, mut store) = with_pushes(1);
        let first = store.appended_generation(addr()).unwrap();
        assert_eq!(first, store.generation(addr()).unwrap(), "the log's generation, read in the commit");
        // Renewed by someone else after the commit: the commit's stands,
        // a read sees the new one.
        renew_elsewhere(&store);
        assert_eq!(store.appended_generation(addr()).unwrap(), first);
        let renewed = store.generation(addr()).unwrap();
        assert_ne!(renewed, first);
        append_all(&mut store, addr(), &pushes(2)[1..]).unwrap();
        assert_eq!(store.appended_generation(addr()).unwrap(), renewed, "the next commit's is the new one");
    }

    #[test]
    fn the_journal_is_a_wal_and_commits_are_fully_synced() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open_in(dir.path()).unwrap();
        let mode: String = store.conn.pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
        let sync: i64 = store.conn.pragma_query_value(None, "synchronous", |r| r.get(0)).unwrap();
        assert_eq!(mode, "wal");
        assert_eq!(sync, 2, "synchronous=FULL is 2");
    }

    /// Whether the database file or its WAL holds `marker` anywhere.
    fn on_disk(path: &Path, marker: &[u8]) -> bool {
        let mut wal = path.as_os_str().to_owned();
        wal.push("-wal");
        [path.to_owned(), PathBuf::from(wal)].iter().any(|p| {
            let bytes = std::fs::read(p).unwrap_or_default();
            bytes.windows(marker.len()).any(|w| w == marker)
        })
    }

    #[test]
    fn a_deleted_epoch_leaves_no_byte_of_its_ciphertext_in_the_file_or_its_wal() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DB_FILE);
        let mut store = SqliteStore::open(&path).unwrap();
        let (old, new) = (addr(), DocAddr { doc: addr().doc, epoch: lotse_sync::Epoch(1) });
        // Stands for the erased records' ciphertext: small rows in a page
        // of their own and large ones in overflow pages.
        let marker = b"erased-epoch-ciphertext-5f3a";
        let sealed = |n: usize| marker.repeat(n);
        let kept = b"kept-epoch-ciphertext-77c1".repeat(40);
        append_all(&mut store, old, &[(BundleId([1; 16]), sealed(2)), (BundleId([2; 16]), sealed(400))]).unwrap();
        store.put_snapshot(old, StoredSnapshot { covers: Seq(2), key_id: KeyId(1), sealed: sealed(300) }).unwrap();
        append_all(&mut store, new, &[(BundleId([3; 16]), kept.clone())]).unwrap();
        // The control: before, the scan finds it (in the WAL, and after a
        // checkpoint in the file).
        assert!(on_disk(&path, marker), "the scan finds the marker before the deletion");
        store.conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())).unwrap();
        assert!(on_disk(&path, marker));

        store.delete_epoch(old).unwrap();
        assert!(!on_disk(&path, marker), "a byte of the deleted epoch is still in the file or its WAL");
        assert!(on_disk(&path, b"kept-epoch-ciphertext-77c1"), "the new epoch is still there");
        drop(store);
        assert!(!on_disk(&path, marker), "nor after closing");
        let store = SqliteStore::open(&path).unwrap();
        assert_eq!(store.bundles_since(new, Seq(0)).unwrap()[0].sealed, kept);
    }
}
