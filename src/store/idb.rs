//! The IndexedDB store.
//!
//! Object stores, all with out-of-line keys:
//! - `chunks`: key `[doc, time, random]` → `Uint8Array` (Automerge changes
//!   or a full save). Keys are unique per write, so two tabs never overwrite
//!   each other's chunk.
//! - `outbox`: key `[doc, bundle id hex]` → `Uint8Array` (the bundle's bytes).
//! - `meta`: key `doc` → cursor (a number); key `doc#generation` → the
//!   generation of the relay's log the cursor was read in (hex text); key
//!   `doc#at` → the id of the bundle the log held at the cursor (hex text;
//!   absent at 0), written with the cursor.
//! - `drafts` (since version 2): key form key → JSON text of a form a mentor
//!   has not saved yet.
//! - `rows` (since version 3): key `doc` → `[rows, stamp]`: the read model
//!   of the document (`lotse_model` rows) and the chunk keys it reflects,
//!   flattened into a `Float64Array`. Rows whose stamp is not exactly the
//!   document's chunk keys are stale (see [`IdbStore::current_rows`]).
//! - `keys` (since version 4): key name → what the engine keeps to prove
//!   who this device is: `device` holds the device's signing key, encrypted
//!   by a WebCrypto key that cannot be read out of the browser (see
//!   `engine::identity`). Never synced, never in localStorage.
//! - `statements` (since version 4): key statement id hex → `[made at,
//!   bytes]`: membership statements this device signed that the relay has
//!   not stored yet (an invitation made offline, an enrolment), so they
//!   survive a reload.
//!
//! Compaction deletes only the chunks this tab has read or written, so a
//! chunk another tab appended meanwhile survives. Deleting an epoch
//! ([`DocStore::delete_epoch`]) deletes every chunk of it, whoever wrote it,
//! with its outbox, `meta` entries, rows and keys (`doc:<document>:<epoch>`
//! and `…:<key id>`) in one transaction.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use futures::channel::oneshot;
use js_sys::{Array, Uint8Array};
use lotse_sync::client::Persist;
use lotse_sync::{BundleId, DocAddr, Seq};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{IdbDatabase, IdbFactory, IdbKeyRange, IdbObjectStore, IdbRequest, IdbTransaction, IdbTransactionMode};

use super::{doc_key, DocStore, DraftStore, Loaded, StoreError};

const CHUNKS: &str = "chunks";
const OUTBOX: &str = "outbox";
const META: &str = "meta";
const DRAFTS: &str = "drafts";
const ROWS: &str = "rows";
const KEYS: &str = "keys";
const STATEMENTS: &str = "statements";

/// The database's version: 1 had `chunks`, `outbox`, `meta`; 2 adds
/// `drafts`; 3 adds `rows`; 4 adds `keys` and `statements`. Opening creates
/// whatever store is missing, so an older database upgrades in place and
/// keeps its documents.
const DB_VERSION: u32 = 4;

/// A chunk's key within its document: (time, random).
/// The names of the values [`IdbStore::scrub`] writes in `keys`.
const SCRUB: &str = "scrub-";
/// How much [`IdbStore::scrub`] writes after an erasure: LevelDB compacted
/// what was deleted once about this much more was written
/// (`e2e/tests/27-erasure-on-disk`, Chromium 156).
pub const SCRUB_BYTES: usize = 32 << 20;

/// The database every tab and the engine share.
pub const DB_NAME: &str = "lotse";

pub type ChunkKey = (f64, f64);

/// IndexedDB of the page or of the worker, whichever this runs in.
fn factory() -> Option<IdbFactory> {
    js_sys::Reflect::get(&js_sys::global(), &"indexedDB".into()).ok()?.dyn_into().ok()
}

fn js_err(v: JsValue) -> StoreError {
    let name = js_sys::Reflect::get(&v, &"name".into()).ok().and_then(|n| n.as_string()).unwrap_or_default();
    let msg = js_sys::Reflect::get(&v, &"message".into()).ok().and_then(|n| n.as_string()).unwrap_or_default();
    classify(&name, &msg)
}

fn classify(name: &str, msg: &str) -> StoreError {
    let text = if msg.is_empty() { name.to_owned() } else { format!("{name}: {msg}") };
    match name {
        "QuotaExceededError" => StoreError::Full(text),
        "InvalidStateError" | "SecurityError" | "UnknownError" => StoreError::Refused(text),
        _ => StoreError::Idb(text),
    }
}

/// Resolves when `req` succeeds or fails.
async fn request(req: &IdbRequest) -> Result<JsValue, StoreError> {
    let (tx, rx) = oneshot::channel();
    let tx = Rc::new(RefCell::new(Some(tx)));
    let on_ok = {
        let (tx, req) = (tx.clone(), req.clone());
        Closure::<dyn FnMut()>::new(move || {
            if let Some(t) = tx.borrow_mut().take() {
                let _ = t.send(req.result().map_err(js_err));
            }
        })
    };
    let on_err = {
        let (tx, req) = (tx.clone(), req.clone());
        Closure::<dyn FnMut()>::new(move || {
            let e = match req.error() {
                Ok(Some(d)) => classify(&d.name(), &d.message()),
                _ => StoreError::Idb("request failed".into()),
            };
            if let Some(t) = tx.borrow_mut().take() {
                let _ = t.send(Err(e));
            }
        })
    };
    req.set_onsuccess(Some(on_ok.as_ref().unchecked_ref()));
    req.set_onerror(Some(on_err.as_ref().unchecked_ref()));
    let result = rx.await.unwrap_or_else(|_| Err(StoreError::Idb("request abandoned".into())));
    req.set_onsuccess(None);
    req.set_onerror(None);
    result
}

/// Resolves when the transaction has committed (durable) or failed.
async fn committed(txn: &IdbTransaction) -> Result<(), StoreError> {
    let (tx, rx) = oneshot::channel();
    let tx = Rc::new(RefCell::new(Some(tx)));
    let done = {
        let tx = tx.clone();
        Closure::<dyn FnMut()>::new(move || {
            if let Some(t) = tx.borrow_mut().take() {
                let _ = t.send(Ok(()));
            }
        })
    };
    let failed = {
        let (tx, txn) = (tx.clone(), txn.clone());
        Closure::<dyn FnMut()>::new(move || {
            let e = match txn.error() {
                Some(d) => classify(&d.name(), &d.message()),
                None => StoreError::Idb("transaction aborted".into()),
            };
            if let Some(t) = tx.borrow_mut().take() {
                let _ = t.send(Err(e));
            }
        })
    };
    txn.set_oncomplete(Some(done.as_ref().unchecked_ref()));
    txn.set_onerror(Some(failed.as_ref().unchecked_ref()));
    txn.set_onabort(Some(failed.as_ref().unchecked_ref()));
    rx.await.unwrap_or_else(|_| Err(StoreError::Idb("transaction abandoned".into())))
}

fn doc_range(doc: &str) -> Result<IdbKeyRange, StoreError> {
    // Arrays sort after numbers, so [doc, []] bounds every [doc, n, m].
    let lower = Array::of1(&doc.into());
    let upper = Array::of2(&doc.into(), &Array::new());
    IdbKeyRange::bound(&lower, &upper).map_err(js_err)
}

/// Runs the requests of one write; if queueing any of them fails, the
/// transaction is aborted so the ones already queued do not commit alone.
fn all_or_nothing<T>(txn: &IdbTransaction, f: impl FnOnce() -> Result<T, StoreError>) -> Result<T, StoreError> {
    let result = f();
    if result.is_err() {
        let _ = txn.abort();
    }
    result
}

/// (time, random) of a chunk key `[doc, time, random]`.
/// The parts of stored rows (`stored`) if their stamp is exactly the
/// document's chunk keys (`keys`).
fn current(stored: &JsValue, keys: JsValue) -> Option<Vec<Vec<u8>>> {
    let stored = stored.dyn_ref::<Array>()?;
    let mut now: Vec<ChunkKey> = keys.unchecked_into::<Array>().iter().map(|k| key_parts(&k)).collect();
    let flat = js_sys::Float64Array::new(&stored.get(1)).to_vec();
    let mut stamp: Vec<ChunkKey> = flat.chunks_exact(2).map(|p| (p[0], p[1])).collect();
    let order = |a: &ChunkKey, b: &ChunkKey| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal);
    now.sort_by(order);
    stamp.sort_by(order);
    if now != stamp {
        return None;
    }
    // Rows written before they came in parts are one blob: read as one
    // part (its schema is then refused).
    Some(match stored.get(0).dyn_into::<Array>() {
        Ok(parts) => parts.iter().map(|p| Uint8Array::new(&p).to_vec()).collect(),
        Err(blob) => vec![Uint8Array::new(&blob).to_vec()],
    })
}

fn key_parts(key: &JsValue) -> ChunkKey {
    let part = |i: u32| Array::from(key).get(i).as_f64().unwrap_or(f64::NAN);
    (part(1), part(2))
}

fn bytes_value(bytes: &[u8]) -> JsValue {
    Uint8Array::from(bytes).into()
}

pub struct IdbStore {
    db: IdbDatabase,
    /// Chunk keys this tab knows are in its documents, per document.
    known: RefCell<HashMap<String, Vec<(f64, f64)>>>,
    /// When the last statement was kept (see [`IdbStore::put_statement`]).
    last_statement: std::cell::Cell<f64>,
}

impl IdbStore {
    /// Opens (and on first use creates) the database `name`.
    pub async fn open(name: &str) -> Result<IdbStore, StoreError> {
        let factory =
            factory().ok_or_else(|| StoreError::Refused("IndexedDB is not available in this browser mode".into()))?;
        let open = factory.open_with_u32(name, DB_VERSION).map_err(js_err)?;
        let upgrade = {
            let open = open.clone();
            Closure::<dyn FnMut()>::new(move || {
                if let Ok(db) = open.result().and_then(|r| r.dyn_into::<IdbDatabase>()) {
                    for store in [CHUNKS, OUTBOX, META, DRAFTS, ROWS, KEYS, STATEMENTS] {
                        if !db.object_store_names().contains(store) {
                            let _ = db.create_object_store(store);
                        }
                    }
                }
            })
        };
        open.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
        let db = request(&open).await?;
        open.set_onupgradeneeded(None);
        let db: IdbDatabase = db.dyn_into().map_err(|_| StoreError::Idb("open did not return a database".into()))?;
        // A newer version of the app in another tab wants to upgrade the
        // database: step aside (this tab's next write fails and says so)
        // rather than block it.
        let on_version_change = {
            let db = db.clone();
            Closure::<dyn FnMut()>::new(move || db.close())
        };
        db.set_onversionchange(Some(on_version_change.as_ref().unchecked_ref()));
        on_version_change.forget(); // as long as the connection
        Ok(IdbStore { db, known: RefCell::new(HashMap::new()), last_statement: std::cell::Cell::new(0.0) })
    }

    /// Deletes the whole database `name` (tests, and erasure of a device).
    pub async fn delete(name: &str) -> Result<(), StoreError> {
        let factory = factory().ok_or_else(|| StoreError::Refused("IndexedDB is not available".into()))?;
        let req = factory.delete_database(name).map_err(js_err)?;
        request(&req).await.map(|_| ())
    }

    pub fn close(&self) {
        self.db.close();
    }

    /// The database's name.
    pub fn name(&self) -> String {
        self.db.name()
    }

    /// A transaction; a read-write one asks for `durability: "strict"`, so
    /// its `complete` means the data reached the disk (Chromium's default,
    /// "relaxed", may report success before that). `durability` is not in
    /// web-sys's stable API yet, hence the call through `Reflect`.
    fn txn(&self, stores: &[&str], mode: IdbTransactionMode) -> Result<IdbTransaction, StoreError> {
        let names = Array::new();
        for s in stores {
            names.push(&(*s).into());
        }
        if mode == IdbTransactionMode::Readwrite {
            let options = js_sys::Object::new();
            js_sys::Reflect::set(&options, &"durability".into(), &"strict".into()).map_err(js_err)?;
            let open = js_sys::Reflect::get(&self.db, &"transaction".into()).map_err(js_err)?;
            if let Some(open) = open.dyn_ref::<js_sys::Function>() {
                let args = Array::of3(&names, &"readwrite".into(), &options);
                return js_sys::Reflect::apply(open, &self.db, &args).map_err(js_err).map(JsCast::unchecked_into);
            }
        }
        self.db.transaction_with_str_sequence_and_mode(&names, mode).map_err(js_err)
    }

    /// A read-write transaction with the browser's default durability
    /// ("relaxed" in Chromium): for what can be rebuilt from the documents
    /// (the read model), so it never waits for the disk ahead of a save.
    fn txn_relaxed(&self, stores: &[&str]) -> Result<IdbTransaction, StoreError> {
        let names = Array::new();
        for s in stores {
            names.push(&(*s).into());
        }
        self.db.transaction_with_str_sequence_and_mode(&names, IdbTransactionMode::Readwrite).map_err(js_err)
    }

    fn store(txn: &IdbTransaction, name: &str) -> Result<IdbObjectStore, StoreError> {
        txn.object_store(name).map_err(js_err)
    }

    /// The keys of every chunk of `addr` in the store (no values: cheap).
    pub async fn chunk_keys(&self, addr: DocAddr) -> Result<Vec<ChunkKey>, StoreError> {
        let txn = self.txn(&[CHUNKS], IdbTransactionMode::Readonly)?;
        let req =
            Self::store(&txn, CHUNKS)?.get_all_keys_with_key(&doc_range(&doc_key(addr))?.into()).map_err(js_err)?;
        let keys: Array = request(&req).await?.unchecked_into();
        Ok(keys.iter().map(|k| key_parts(&k)).collect())
    }

    /// The chunk keys this tab has read or written of `addr`: what its
    /// in-memory document holds, once the effects queue is idle.
    pub fn known_chunks(&self, addr: DocAddr) -> Vec<ChunkKey> {
        self.known.borrow().get(&doc_key(addr)).cloned().unwrap_or_default()
    }

    /// The stored rows of `addr` if they reflect exactly the chunks the
    /// store holds now; `None` if there are none or they are stale (another
    /// tab wrote since, the app stopped between a save and the rows' write,
    /// a compaction ran).
    /// The rows come in parts (see `lotse_model::Notebook::stored_rows`):
    /// the first draws the first screen, the others can wait.
    pub async fn current_rows(&self, addr: DocAddr) -> Result<Option<Vec<Vec<u8>>>, StoreError> {
        Ok(self.current_rows_of(&[addr]).await?.pop().flatten())
    }

    /// [`IdbStore::current_rows`] of several documents in one transaction,
    /// every read asked for at once: the start does not wait for one
    /// document's rows before it asks for the next.
    pub async fn current_rows_of(&self, addrs: &[DocAddr]) -> Result<Vec<Option<Vec<Vec<u8>>>>, StoreError> {
        let txn = self.txn(&[ROWS, CHUNKS], IdbTransactionMode::Readonly)?;
        let (rows, chunks) = (Self::store(&txn, ROWS)?, Self::store(&txn, CHUNKS)?);
        let mut asked = Vec::with_capacity(addrs.len());
        for addr in addrs {
            let doc = doc_key(*addr);
            let rows_req = rows.get(&doc.as_str().into()).map_err(js_err)?;
            let keys_req = chunks.get_all_keys_with_key(&doc_range(&doc)?.into()).map_err(js_err)?;
            asked.push((rows_req, keys_req));
        }
        let mut found = Vec::with_capacity(addrs.len());
        for (rows_req, keys_req) in asked {
            let (stored, keys) = (request(&rows_req).await?, request(&keys_req).await?);
            found.push(current(&stored, keys));
        }
        Ok(found)
    }

    /// Stores the rows of `addr` (its parts), stamped with the chunk keys
    /// they reflect.
    pub async fn put_rows(&self, addr: DocAddr, parts: &[Vec<u8>], stamp: &[ChunkKey]) -> Result<(), StoreError> {
        let flat: Vec<f64> = stamp.iter().flat_map(|&(t, r)| [t, r]).collect();
        let blobs: Array = parts.iter().map(|p| bytes_value(p)).collect();
        let value = Array::of2(&blobs, &js_sys::Float64Array::from(flat.as_slice()));
        // Rows lost to a power cut are only stale rows: the stamp check
        // reads the documents instead.
        let txn = self.txn_relaxed(&[ROWS])?;
        Self::store(&txn, ROWS)?.put_with_key(&value, &doc_key(addr).into()).map_err(js_err)?;
        committed(&txn).await
    }

    /// Makes LevelDB drop what was deleted from the disk: it keeps a deleted
    /// value in its log and tables until it compacts the files that hold
    /// it, and compacts once enough was written after. Writes `bytes` of
    /// random values (they do not compress) into `keys` in 64 KiB
    /// transactions and deletes them again. Slow on purpose: only after an
    /// erasure.
    pub async fn scrub(&self, bytes: usize) -> Result<(), StoreError> {
        const VALUE: usize = 8 << 10;
        const PER_TXN: usize = 8;
        for n in 0..bytes.div_ceil(VALUE * PER_TXN) {
            let txn = self.txn_relaxed(&[KEYS])?;
            let keys = Self::store(&txn, KEYS)?;
            for k in 0..PER_TXN {
                let value = js_sys::Uint8Array::from(crate::device::random::<VALUE>().as_slice());
                keys.put_with_key(&value, &format!("{SCRUB}{n:06}-{k}").into()).map_err(js_err)?;
            }
            committed(&txn).await?;
        }
        let txn = self.txn(&[KEYS], IdbTransactionMode::Readwrite)?;
        let range = IdbKeyRange::bound(&SCRUB.into(), &format!("{SCRUB}\u{ffff}").into()).map_err(js_err)?;
        Self::store(&txn, KEYS)?.delete(&range).map_err(js_err)?;
        committed(&txn).await
    }

    /// Drops the rows of `addr` (they name records an erasure removed).
    pub async fn delete_rows(&self, addr: DocAddr) -> Result<(), StoreError> {
        let txn = self.txn(&[ROWS], IdbTransactionMode::Readwrite)?;
        Self::store(&txn, ROWS)?.delete(&doc_key(addr).into()).map_err(js_err)?;
        committed(&txn).await
    }

    fn chunk_key(doc: &str, (time, rand): (f64, f64)) -> JsValue {
        Array::of3(&doc.into(), &time.into(), &rand.into()).into()
    }

    fn append_chunk(&self, chunks: &IdbObjectStore, doc: &str, bytes: &[u8]) -> Result<(f64, f64), StoreError> {
        let id = (js_sys::Date::now(), (js_sys::Math::random() * 4_294_967_296.0).floor());
        chunks.put_with_key(&bytes_value(bytes), &Self::chunk_key(doc, id)).map_err(js_err)?;
        Ok(id)
    }

    /// Chunks of `doc` whose keys this tab has not seen yet: what another
    /// tab appended. Their keys become known.
    pub async fn unseen_chunks(&self, addr: DocAddr) -> Result<Vec<Vec<u8>>, StoreError> {
        let doc = doc_key(addr);
        let txn = self.txn(&[CHUNKS], IdbTransactionMode::Readonly)?;
        let chunks = Self::store(&txn, CHUNKS)?;
        let range = doc_range(&doc)?;
        let keys_req = chunks.get_all_keys_with_key(&range).map_err(js_err)?;
        let vals_req = chunks.get_all_with_key(&range).map_err(js_err)?;
        let keys: Array = request(&keys_req).await?.unchecked_into();
        let vals: Array = request(&vals_req).await?.unchecked_into();
        let mut known = self.known.borrow_mut();
        let known = known.entry(doc).or_default();
        let mut out = Vec::new();
        for (k, v) in keys.iter().zip(vals.iter()) {
            let id = key_parts(&k);
            if !known.contains(&id) {
                out.push(Uint8Array::new(&v).to_vec());
                known.push(id);
            }
        }
        Ok(out)
    }

    /// The value stored under `name` in `keys` (undefined if none).
    pub async fn get_key(&self, name: &str) -> Result<JsValue, StoreError> {
        let txn = self.txn(&[KEYS], IdbTransactionMode::Readonly)?;
        let req = Self::store(&txn, KEYS)?.get(&name.into()).map_err(js_err)?;
        request(&req).await
    }

    /// Stores `value` under `name` in `keys` unless something is there
    /// already: `Ok(false)` then, and the value there stays. Two engines
    /// that start at once therefore keep one key, not the last one written.
    pub async fn add_key(&self, name: &str, value: &JsValue) -> Result<bool, StoreError> {
        let txn = self.txn(&[KEYS], IdbTransactionMode::Readwrite)?;
        let keys = Self::store(&txn, KEYS)?;
        // One read-write transaction: nothing can come between the look and the write.
        let there = request(&keys.get(&name.into()).map_err(js_err)?).await?;
        let added = there.is_undefined();
        if added {
            all_or_nothing(&txn, || keys.put_with_key(value, &name.into()).map_err(js_err))?;
        }
        committed(&txn).await?;
        Ok(added)
    }

    /// Replaces what is under `name` in `keys`.
    pub async fn put_key(&self, name: &str, value: &JsValue) -> Result<(), StoreError> {
        let txn = self.txn(&[KEYS], IdbTransactionMode::Readwrite)?;
        Self::store(&txn, KEYS)?.put_with_key(value, &name.into()).map_err(js_err)?;
        committed(&txn).await
    }

    /// Every entry of `keys` whose name starts with `prefix`, with its name.
    pub async fn keys_named(&self, prefix: &str) -> Result<Vec<(String, JsValue)>, StoreError> {
        let txn = self.txn(&[KEYS], IdbTransactionMode::Readonly)?;
        let keys = Self::store(&txn, KEYS)?;
        // Every string that starts with the prefix sorts below it followed by U+FFFF.
        let range = IdbKeyRange::bound(&prefix.into(), &format!("{prefix}\u{ffff}").into()).map_err(js_err)?;
        let names_req = keys.get_all_keys_with_key(&range).map_err(js_err)?;
        let vals_req = keys.get_all_with_key(&range).map_err(js_err)?;
        let names: Array = request(&names_req).await?.unchecked_into();
        let vals: Array = request(&vals_req).await?.unchecked_into();
        Ok(names.iter().zip(vals.iter()).filter_map(|(n, v)| Some((n.as_string()?, v))).collect())
    }

    /// Puts `puts` and deletes `deletes` in `keys`, all in one transaction:
    /// the app lock turned on or off leaves every key under one wrapping.
    pub async fn replace_keys(&self, puts: &[(String, JsValue)], deletes: &[&str]) -> Result<(), StoreError> {
        let txn = self.txn(&[KEYS], IdbTransactionMode::Readwrite)?;
        let keys = Self::store(&txn, KEYS)?;
        all_or_nothing(&txn, || {
            for (name, value) in puts {
                keys.put_with_key(value, &name.as_str().into()).map_err(js_err)?;
            }
            for name in deletes {
                keys.delete(&(*name).into()).map_err(js_err)?;
            }
            Ok(())
        })?;
        committed(&txn).await
    }

    /// Sets the number field `field` of the object under `name` in `keys`
    /// to what `to` makes of it, in one read-write transaction (two tabs
    /// counting at once both count); the new value, or `None` if nothing
    /// is under `name`.
    pub async fn update_count(
        &self,
        name: &str,
        field: &str,
        to: impl FnOnce(u32) -> u32,
    ) -> Result<Option<u32>, StoreError> {
        let txn = self.txn(&[KEYS], IdbTransactionMode::Readwrite)?;
        let keys = Self::store(&txn, KEYS)?;
        let there = request(&keys.get(&name.into()).map_err(js_err)?).await?;
        if there.is_undefined() {
            return Ok(None);
        }
        let now = js_sys::Reflect::get(&there, &field.into()).ok().and_then(|v| v.as_f64()).unwrap_or(0.0);
        let next = to(now as u32);
        all_or_nothing(&txn, || {
            js_sys::Reflect::set(&there, &field.into(), &f64::from(next).into()).map_err(js_err)?;
            keys.put_with_key(&there, &name.into()).map_err(js_err).map(|_| ())
        })?;
        committed(&txn).await?;
        Ok(Some(next))
    }

    /// Empties every object store in one transaction: every key, every
    /// document's chunks, rows, outbox and cursor, the drafts and the
    /// statements (the app lock's wipe).
    pub async fn wipe(&self) -> Result<(), StoreError> {
        let all = [CHUNKS, OUTBOX, META, DRAFTS, ROWS, KEYS, STATEMENTS];
        let txn = self.txn(&all, IdbTransactionMode::Readwrite)?;
        all_or_nothing(&txn, || {
            for name in all {
                Self::store(&txn, name)?.clear().map_err(js_err)?;
            }
            Ok(())
        })?;
        committed(&txn).await
    }

    pub async fn delete_key(&self, name: &str) -> Result<(), StoreError> {
        let txn = self.txn(&[KEYS], IdbTransactionMode::Readwrite)?;
        Self::store(&txn, KEYS)?.delete(&name.into()).map_err(js_err)?;
        committed(&txn).await
    }

    /// Keeps a signed statement (its bytes, under its id) until the relay
    /// stored or refused it. The same statement again keeps its first
    /// place in the order.
    pub async fn put_statement(&self, id: BundleId, bytes: &[u8]) -> Result<(), StoreError> {
        // Two statements made within one millisecond still keep their order.
        let made = js_sys::Date::now().max(self.last_statement.get() + 0.001);
        self.last_statement.set(made);
        let value = Array::of2(&made.into(), &bytes_value(bytes));
        let key: JsValue = id.to_string().into();
        let txn = self.txn(&[STATEMENTS], IdbTransactionMode::Readwrite)?;
        let statements = Self::store(&txn, STATEMENTS)?;
        if request(&statements.get(&key).map_err(js_err)?).await?.is_undefined() {
            all_or_nothing(&txn, || statements.put_with_key(&value, &key).map_err(js_err))?;
        }
        committed(&txn).await
    }

    /// The statements kept, in the order they were made (the relay takes
    /// them in that order: an invitation before the one that depends on it).
    pub async fn statements(&self) -> Result<Vec<Vec<u8>>, StoreError> {
        let txn = self.txn(&[STATEMENTS], IdbTransactionMode::Readonly)?;
        let req = Self::store(&txn, STATEMENTS)?.get_all().map_err(js_err)?;
        let all: Array = request(&req).await?.unchecked_into();
        let mut kept: Vec<(f64, Vec<u8>)> = all
            .iter()
            .filter_map(|v| {
                let v = v.dyn_into::<Array>().ok()?;
                Some((v.get(0).as_f64()?, Uint8Array::new(&v.get(1)).to_vec()))
            })
            .collect();
        kept.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal));
        Ok(kept.into_iter().map(|(_, b)| b).collect())
    }

    pub async fn delete_statement(&self, id: BundleId) -> Result<(), StoreError> {
        let txn = self.txn(&[STATEMENTS], IdbTransactionMode::Readwrite)?;
        Self::store(&txn, STATEMENTS)?.delete(&id.to_string().into()).map_err(js_err)?;
        committed(&txn).await
    }
}

/// The `meta` key of the bundle id at a document's cursor.
fn at_key(doc: &str) -> JsValue {
    format!("{doc}#at").into()
}

/// Stores the cursor and the bundle id at it, in `txn`.
fn put_cursor(meta: &IdbObjectStore, doc: &str, cursor: Seq, at: Option<BundleId>) -> Result<(), StoreError> {
    meta.put_with_key(&(cursor.0 as f64).into(), &doc.into()).map_err(js_err)?;
    match at {
        Some(id) => meta.put_with_key(&id.to_string().into(), &at_key(doc)).map_err(js_err)?,
        None => meta.delete(&at_key(doc)).map_err(js_err)?,
    };
    Ok(())
}

/// The `meta` key of a document's log generation.
fn generation_key(doc: &str) -> JsValue {
    format!("{doc}#generation").into()
}

impl DocStore for IdbStore {
    async fn load(&self, addr: DocAddr) -> Result<Loaded, StoreError> {
        let doc = doc_key(addr);
        self.known.borrow_mut().remove(&doc);
        let chunks = self.unseen_chunks(addr).await?;
        let txn = self.txn(&[OUTBOX, META], IdbTransactionMode::Readonly)?;
        let range = doc_range(&doc)?;
        let outbox = Self::store(&txn, OUTBOX)?;
        let keys_req = outbox.get_all_keys_with_key(&range).map_err(js_err)?;
        let vals_req = outbox.get_all_with_key(&range).map_err(js_err)?;
        let cursor_req = Self::store(&txn, META)?.get(&doc.as_str().into()).map_err(js_err)?;
        let generation_req = Self::store(&txn, META)?.get(&generation_key(&doc)).map_err(js_err)?;
        let at_req = Self::store(&txn, META)?.get(&at_key(&doc)).map_err(js_err)?;
        let (keys, vals, cursor) = (request(&keys_req).await?, request(&vals_req).await?, request(&cursor_req).await?);
        let generation =
            request(&generation_req).await?.as_string().and_then(|hex| hex.parse::<lotse_sync::Generation>().ok());
        let at = request(&at_req).await?.as_string().and_then(|hex| hex.parse::<BundleId>().ok());
        let keys: Array = keys.unchecked_into();
        let vals: Array = vals.unchecked_into();
        let mut outbox = Vec::new();
        for (k, v) in keys.iter().zip(vals.iter()) {
            let id_hex = js_sys::Reflect::get(&k, &1.into()).ok().and_then(|s| s.as_string()).unwrap_or_default();
            let id: BundleId = id_hex.parse().map_err(|e| StoreError::Idb(format!("outbox key: {e}")))?;
            outbox.push((id, Uint8Array::new(&v).to_vec()));
        }
        let cursor = Seq(cursor.as_f64().unwrap_or(0.0) as u64);
        Ok(Loaded { chunks, cursor, generation: generation.unwrap_or_default(), at, outbox })
    }

    async fn persist(&self, op: &Persist) -> Result<(), StoreError> {
        let outbox_key = |addr: &DocAddr, id: &BundleId| -> JsValue {
            Array::of2(&doc_key(*addr).into(), &id.to_string().into()).into()
        };
        match op {
            Persist::Local { addr, bundle_id, bytes } => {
                let doc = doc_key(*addr);
                let txn = self.txn(&[CHUNKS, OUTBOX], IdbTransactionMode::Readwrite)?;
                let key = all_or_nothing(&txn, || {
                    let key = self.append_chunk(&Self::store(&txn, CHUNKS)?, &doc, bytes)?;
                    Self::store(&txn, OUTBOX)?
                        .put_with_key(&bytes_value(bytes), &outbox_key(addr, bundle_id))
                        .map_err(js_err)?;
                    Ok(key)
                })?;
                committed(&txn).await?;
                self.known.borrow_mut().entry(doc).or_default().push(key);
            }
            Persist::Remote { addr, bytes, cursor, at } => {
                let doc = doc_key(*addr);
                let txn = self.txn(&[CHUNKS, META], IdbTransactionMode::Readwrite)?;
                let key = all_or_nothing(&txn, || {
                    let key = match bytes {
                        Some(b) => Some(self.append_chunk(&Self::store(&txn, CHUNKS)?, &doc, b)?),
                        None => None,
                    };
                    put_cursor(&Self::store(&txn, META)?, &doc, *cursor, *at)?;
                    Ok(key)
                })?;
                committed(&txn).await?;
                self.known.borrow_mut().entry(doc).or_default().extend(key);
            }
            Persist::Acked { addr, bundle_id, cursor, at } => {
                let doc = doc_key(*addr);
                let txn = self.txn(&[OUTBOX, META], IdbTransactionMode::Readwrite)?;
                all_or_nothing(&txn, || {
                    Self::store(&txn, OUTBOX)?.delete(&outbox_key(addr, bundle_id)).map_err(js_err)?;
                    put_cursor(&Self::store(&txn, META)?, &doc, *cursor, *at)?;
                    Ok(())
                })?;
                committed(&txn).await?;
            }
            Persist::Generation { addr, generation } => {
                let doc = doc_key(*addr);
                let txn = self.txn(&[META], IdbTransactionMode::Readwrite)?;
                all_or_nothing(&txn, || {
                    Self::store(&txn, META)?
                        .put_with_key(&generation.to_string().into(), &generation_key(&doc))
                        .map_err(js_err)?;
                    Ok(())
                })?;
                committed(&txn).await?;
            }
            Persist::Compact { addr, bytes } => {
                let doc = doc_key(*addr);
                let txn = self.txn(&[CHUNKS], IdbTransactionMode::Readwrite)?;
                let old = self.known.borrow().get(&doc).cloned().unwrap_or_default();
                let key = all_or_nothing(&txn, || {
                    let chunks = Self::store(&txn, CHUNKS)?;
                    for &id in &old {
                        chunks.delete(&Self::chunk_key(&doc, id)).map_err(js_err)?;
                    }
                    self.append_chunk(&chunks, &doc, bytes)
                })?;
                committed(&txn).await?;
                let mut known = self.known.borrow_mut();
                let list = known.entry(doc).or_default();
                list.retain(|k| !old.contains(k));
                list.push(key);
            }
        }
        Ok(())
    }

    async fn delete_epoch(&self, addr: DocAddr) -> Result<(), StoreError> {
        let doc = doc_key(addr);
        let entries = super::key_entries(addr);
        let txn = self.txn(&[CHUNKS, OUTBOX, META, ROWS, KEYS], IdbTransactionMode::Readwrite)?;
        all_or_nothing(&txn, || {
            let range = doc_range(&doc)?;
            Self::store(&txn, CHUNKS)?.delete(&range).map_err(js_err)?;
            Self::store(&txn, OUTBOX)?.delete(&range).map_err(js_err)?;
            let meta = Self::store(&txn, META)?;
            for key in [doc.as_str().into(), generation_key(&doc), at_key(&doc)] {
                meta.delete(&key).map_err(js_err)?;
            }
            Self::store(&txn, ROWS)?.delete(&doc.as_str().into()).map_err(js_err)?;
            let keys = Self::store(&txn, KEYS)?;
            keys.delete(&entries.as_str().into()).map_err(js_err)?;
            // `…:<key id>` only: `doc:<document>:1` is a prefix of epoch 12's names too.
            let ids = IdbKeyRange::bound(&format!("{entries}:").into(), &format!("{entries}:\u{ffff}").into())
                .map_err(js_err)?;
            keys.delete(&ids).map_err(js_err)?;
            Ok(())
        })?;
        committed(&txn).await?;
        self.known.borrow_mut().remove(&doc);
        Ok(())
    }
}

impl DraftStore for IdbStore {
    async fn put_draft(&self, key: &str, json: &str) -> Result<(), StoreError> {
        let txn = self.txn(&[DRAFTS], IdbTransactionMode::Readwrite)?;
        Self::store(&txn, DRAFTS)?.put_with_key(&json.into(), &key.into()).map_err(js_err)?;
        committed(&txn).await
    }

    async fn get_draft(&self, key: &str) -> Result<Option<String>, StoreError> {
        let txn = self.txn(&[DRAFTS], IdbTransactionMode::Readonly)?;
        let req = Self::store(&txn, DRAFTS)?.get(&key.into()).map_err(js_err)?;
        Ok(request(&req).await?.as_string())
    }

    async fn delete_draft(&self, key: &str) -> Result<(), StoreError> {
        let txn = self.txn(&[DRAFTS], IdbTransactionMode::Readwrite)?;
        Self::store(&txn, DRAFTS)?.delete(&key.into()).map_err(js_err)?;
        committed(&txn).await
    }
}
