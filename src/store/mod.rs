//! The device's document store: Automerge changes appended as chunks, the
//! outbox of bundles the relay has not acknowledged, and the sync cursor.
//!
//! Beside them, drafts of forms not saved yet ([`DraftStore`]).
//!
//! Every `Persist` is one atomic write, so a crash at any moment leaves
//! either the old state or the new one, never half of a save.

pub mod idb;
pub mod memory;

use lotse_sync::client::Persist;
use lotse_sync::{BundleId, DocAddr, Generation, Seq};

/// What the store holds of one document.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Loaded {
    pub chunks: Vec<Vec<u8>>,
    pub cursor: Seq,
    /// The generation of the relay's log the cursor was read in.
    pub generation: Generation,
    /// The id of the bundle the relay's log held at the cursor.
    pub at: Option<BundleId>,
    pub outbox: Vec<(BundleId, Vec<u8>)>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum StoreError {
    #[error("the browser's storage is full ({0}); free space or delete old data")]
    Full(String),
    #[error("the browser refused to store data ({0})")]
    Refused(String),
    #[error("IndexedDB failed: {0}")]
    Idb(String),
}

/// A place for documents. The same contract suite (tests/store_contract.rs)
/// runs against every implementation.
#[allow(async_fn_in_trait)]
pub trait DocStore {
    async fn load(&self, addr: DocAddr) -> Result<Loaded, StoreError>;
    async fn persist(&self, op: &Persist) -> Result<(), StoreError>;
    /// Deletes everything the store holds of one epoch of a document — its
    /// chunks, outbox, cursor, generation, the bundle id at the cursor, its
    /// rows and its keys — in one write, so an erasure never leaves half an
    /// epoch behind. Other epochs of the document stay.
    async fn delete_epoch(&self, addr: DocAddr) -> Result<(), StoreError>;
}

/// A place for drafts: what a mentor typed into a form and has not saved,
/// as JSON text under the form's key, so it survives the app being closed.
/// Drafts are personal data: the forms delete them once saved or
/// cancelled. The same contract suite covers every implementation.
#[allow(async_fn_in_trait)]
pub trait DraftStore {
    /// Puts `json` under `key`, replacing what was there.
    async fn put_draft(&self, key: &str, json: &str) -> Result<(), StoreError>;
    async fn get_draft(&self, key: &str) -> Result<Option<String>, StoreError>;
    /// Deletes the draft under `key`, if there is one.
    async fn delete_draft(&self, key: &str) -> Result<(), StoreError>;
}

/// The key text of a document in the store.
pub fn doc_key(addr: DocAddr) -> String {
    addr.to_string()
}

/// The entries of `keys` that hold keys of `addr` are named this, or this
/// followed by `:<key id>` (`engine::identity` writes them; the store
/// deletes them with their epoch).
pub fn key_entries(addr: DocAddr) -> String {
    format!("doc:{}:{}", addr.doc, addr.epoch.0)
}
