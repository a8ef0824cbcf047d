//! Records in documents: each record type has its collection (a map at the
//! document's root, made by the genesis change) and is stored under its id.
//!
//! Every write is its own commit, stamped with the time the caller passes
//! and a message `<collection>/<id>`: the history of a record is the list of
//! commits that name it.

use std::collections::HashMap;

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{AutoCommit, ObjType, ReadDoc, ROOT};
use autosurgeon::{Hydrate, Reconcile};

#[derive(Debug, thiserror::Error)]
pub enum DocError {
    #[error("the document is not valid Automerge: {0}")]
    Automerge(#[from] automerge::AutomergeError),
    #[error("a record in the document has an unexpected shape: {0}")]
    Hydrate(#[from] autosurgeon::HydrateError),
    #[error("the record could not be written: {0}")]
    Reconcile(#[from] autosurgeon::ReconcileError),
    #[error("the document has no {0} map; it was not made by Lotse")]
    NotALotseDoc(&'static str),
    #[error("the conflict could not be settled: {0}")]
    NotSettled(String),
}

/// A record type and where it lives (implemented for every kind in
/// [`crate::kind`]).
pub trait Record: Reconcile + Hydrate + Clone {
    /// The root map that holds this record type.
    const COLLECTION: &'static str;
    /// The map key: the record's id as text.
    fn record_key(&self) -> String;
}

/// The commit message that names a record.
pub fn tag(collection: &str, key: &str) -> String {
    format!("{collection}/{key}")
}

pub(crate) fn collection_obj(doc: &impl ReadDoc, collection: &'static str) -> Result<automerge::ObjId, DocError> {
    match doc.get(ROOT, collection)? {
        Some((automerge::Value::Object(ObjType::Map), id)) => Ok(id),
        _ => Err(DocError::NotALotseDoc(collection)),
    }
}

pub(crate) fn make_collections(doc: &mut AutoCommit, collections: &[&str]) {
    for c in collections {
        doc.put_object(ROOT, *c, ObjType::Map).expect("a fresh document takes maps");
    }
}

/// A root map documents made before it lack (`reviews`, `devices`,
/// `exports`, `carried`): got, or added by its own change that every device writes
/// identically (the fixed `actor`, on the genesis change alone, time 0), so
/// its hash is the same everywhere and two devices that add it apart make
/// the same map, never two rival ones (one of which would hide the other's
/// records). Each map has an actor of its own: two maps made by one actor
/// would be two different changes with the same sequence number, which
/// Automerge refuses to hold together. The genesis itself never changes:
/// every device writes it locally, and a device of an older version would
/// write the old one.
pub(crate) fn late_collection(
    doc: &mut AutoCommit,
    name: &'static str,
    actor: [u8; 16],
) -> Result<automerge::ObjId, DocError> {
    if let Some((automerge::Value::Object(ObjType::Map), obj)) = doc.get(ROOT, name)? {
        return Ok(obj);
    }
    // The genesis change is the document's first: the one without deps.
    let genesis: Vec<automerge::ChangeHash> =
        doc.get_changes_meta(&[]).into_iter().filter(|c| c.deps.is_empty()).map(|c| c.hash).take(1).collect();
    let mut at = doc.fork_at(&genesis)?.with_actor(automerge::ActorId::from(actor));
    at.put_object(ROOT, name, ObjType::Map)?;
    at.commit_with(CommitOptions::default().with_time(0));
    let change = at.get_last_local_change().ok_or(DocError::NotALotseDoc(name))?;
    doc.apply_changes([change])?;
    collection_obj(doc, name)
}

/// Writes one record field by field (a concurrent edit of another field on
/// another device survives) as its own commit at `now_ms`.
pub fn put<R: Record>(doc: &mut AutoCommit, record: &R, now_ms: i64) -> Result<(), DocError> {
    let obj = collection_obj(doc, R::COLLECTION)?;
    let key = record.record_key();
    autosurgeon::reconcile_prop(doc, obj, key.as_str(), record)?;
    commit(doc, R::COLLECTION, &key, now_ms);
    Ok(())
}

/// Deletes a record (its key leaves the map; erasure of its bytes from the
/// history is a later, document-wide rewrite).
pub fn remove<R: Record>(doc: &mut AutoCommit, key: &str, now_ms: i64) -> Result<(), DocError> {
    let obj = collection_obj(doc, R::COLLECTION)?;
    doc.delete(&obj, key)?;
    commit(doc, R::COLLECTION, key, now_ms);
    Ok(())
}

pub(crate) fn commit(doc: &mut AutoCommit, collection: &str, key: &str, now_ms: i64) {
    doc.commit_with(CommitOptions::default().with_message(tag(collection, key)).with_time(now_ms.div_euclid(1000)));
}

pub fn get<R: Record>(doc: &(impl ReadDoc + autosurgeon::ReadDoc), key: &str) -> Result<Option<R>, DocError> {
    let obj = collection_obj(doc, R::COLLECTION)?;
    Ok(autosurgeon::hydrate_prop(doc, obj, key)?)
}

/// Every record of a type, in no particular order.
pub fn all<R: Record>(doc: &(impl ReadDoc + autosurgeon::ReadDoc)) -> Result<Vec<R>, DocError> {
    collection_obj(doc, R::COLLECTION)?;
    let map: HashMap<String, R> = autosurgeon::hydrate_prop(doc, ROOT, R::COLLECTION)?;
    Ok(map.into_values().collect())
}
