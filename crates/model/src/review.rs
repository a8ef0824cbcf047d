//! Review: what mentors changed, field by field from old to new value, and
//! which changes a coordinator has marked as reviewed.
//!
//! A change here is one commit that names a record ([`record::tag`]) of a
//! kind a coordinator reviews ([`Kind::reviewed`]: not an export); its
//! old values are the record as its author saw it (at the commit's
//! dependencies), its new values the record right after it. Changes are
//! listed newest first in the document's causal order: a device's clock can
//! be wrong, so its time is shown as that device's, never used to order.
//!
//! Review marks live in the document of the records they are about, in a
//! `reviews` map (the change's hash → who reviewed it), so every coordinator
//! sees the same marks and a deleted record's last change can be marked
//! too. Documents made before review existed lack the map: it is added by a
//! change every device writes identically (the genesis actor, right after
//! genesis, time 0), so two coordinators adding it offline do not make
//! rival maps.

use std::collections::{HashMap, HashSet};

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{AutoCommit, ChangeHash, ObjId, ObjType, ReadDoc, ScalarValue, Value, ROOT};
use serde::{Deserialize, Serialize};

use crate::ids::MentorId;
use crate::kind::Kind;
use crate::record::DocError;

/// The root map of review marks.
pub const REVIEWS: &str = "reviews";

/// Hex digits of a change hash a mark is stored under (64 bits: a document
/// holds far too few changes for two to share them).
const MARK_HEX: usize = 16;

/// One field a change wrote: its value before and after, as text (a code
/// for a closed list, ids as written, a list's items joined by ", ").
/// Fields of a nested map are named `field.sub` (`consent.scope`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    /// `None`: the field was not there (a new record).
    pub old: Option<String>,
    /// `None`: the field is gone (a deleted record).
    pub new: Option<String>,
}

/// One change to one record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub hash: [u8; 32],
    pub collection: String,
    pub key: String,
    /// The Automerge actor that made it, as hex.
    pub actor_hex: String,
    /// The time its device stamped, in milliseconds: that device's clock.
    pub time_ms: i64,
    pub created: bool,
    pub deleted: bool,
    pub fields: Vec<FieldChange>,
    /// Who marked it reviewed (a mentor id as text), if anyone did.
    pub reviewed_by: Option<String>,
}

/// Which changes to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewQuery {
    /// Only these collections (`None`: every kind).
    pub collections: Option<Vec<String>>,
    /// Only changes by these actors, as hex (a mentor's devices).
    pub actors: Option<Vec<String>>,
    /// List changes already marked reviewed too.
    pub with_reviewed: bool,
    /// At most this many, newest first.
    pub limit: usize,
}

/// A page of changes of one document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewPage {
    pub changes: Vec<Change>,
    /// How many changes the query matches in all (beyond `limit`).
    pub total: usize,
    /// How many record changes of the document are not yet reviewed.
    pub unreviewed: usize,
}

fn mark_key(hash: &ChangeHash) -> String {
    hash.to_string()[..MARK_HEX].to_owned()
}

/// The review marks of `doc`: mark key → reviewer.
fn marks(doc: &AutoCommit) -> HashMap<String, String> {
    let Ok(Some((Value::Object(ObjType::Map), obj))) = doc.get(ROOT, REVIEWS) else {
        return HashMap::new();
    };
    doc.map_range(&obj, ..)
        .map(|i| {
            let who = match Value::from(i.value) {
                Value::Scalar(s) => scalar_text(&s),
                Value::Object(_) => String::new(),
            };
            (i.key.to_string(), who)
        })
        .collect()
}

/// The `reviews` map, added the same way on every device if it is missing.
fn reviews_obj(doc: &mut AutoCommit) -> Result<ObjId, DocError> {
    // The genesis actor: the map was made so before each map had its own.
    crate::record::late_collection(doc, REVIEWS, crate::community::GENESIS_ACTOR)
}

/// Marks the changes `hashes` as reviewed by `by`, as one commit (which
/// names no record, so it is in no record's history).
pub fn mark_reviewed(doc: &mut AutoCommit, hashes: &[[u8; 32]], by: MentorId, now_ms: i64) -> Result<(), DocError> {
    let obj = reviews_obj(doc)?;
    for h in hashes {
        doc.put(&obj, mark_key(&ChangeHash(*h)), by.to_string())?;
    }
    doc.commit_with(CommitOptions::default().with_message(REVIEWS.to_owned()).with_time(now_ms.div_euclid(1000)));
    Ok(())
}

/// The changes of `doc` that `q` asks for, newest first (causal order).
pub fn review(doc: &mut AutoCommit, q: &ReviewQuery) -> ReviewPage {
    let marks = marks(doc);
    let wanted_collections: Option<HashSet<&str>> =
        q.collections.as_ref().map(|c| c.iter().map(String::as_str).collect());
    let wanted_actors: Option<HashSet<&str>> = q.actors.as_ref().map(|a| a.iter().map(String::as_str).collect());
    // Causal order, oldest first: each change after the ones it depends on.
    let metas = doc.get_changes_meta(&[]);
    let mut unreviewed = 0;
    // Each listed change with its dependencies; fields are read only for
    // the page asked for.
    let mut matched: Vec<(Vec<ChangeHash>, Change)> = Vec::new();
    for m in metas.into_iter().rev() {
        let Some((collection, key)) = m.message.as_deref().and_then(|t| t.split_once('/')) else { continue };
        if Kind::from_collection(collection).is_some_and(|k| !k.reviewed()) {
            continue;
        }
        let reviewed_by = marks.get(&mark_key(&m.hash)).cloned();
        if reviewed_by.is_none() {
            unreviewed += 1;
        }
        let actor_hex = m.actor.to_hex_string();
        if wanted_collections.as_ref().is_some_and(|w| !w.contains(collection))
            || wanted_actors.as_ref().is_some_and(|w| !w.contains(actor_hex.as_str()))
            || (reviewed_by.is_some() && !q.with_reviewed)
        {
            continue;
        }
        let change = Change {
            hash: m.hash.0,
            collection: collection.to_owned(),
            key: key.to_owned(),
            actor_hex,
            time_ms: m.timestamp.saturating_mul(1000),
            created: false,
            deleted: false,
            fields: Vec::new(),
            reviewed_by,
        };
        matched.push((m.deps, change));
    }
    let total = matched.len();
    let changes = matched
        .into_iter()
        .take(q.limit)
        .map(|(deps, mut c)| {
            (c.created, c.deleted, c.fields) = field_changes(doc, &c.collection, &c.key, &deps, ChangeHash(c.hash));
            c
        })
        .collect();
    ReviewPage { changes, total, unreviewed }
}

/// What the change `hash` (with dependencies `deps`) did to the record
/// `key` of `collection`: (created, deleted, each field from old to new).
pub(crate) fn field_changes(
    doc: &AutoCommit,
    collection: &str,
    key: &str,
    deps: &[ChangeHash],
    hash: ChangeHash,
) -> (bool, bool, Vec<FieldChange>) {
    let Ok(Some((Value::Object(_), coll))) = doc.get(ROOT, collection) else {
        return (false, false, Vec::new());
    };
    let after_heads = [hash];
    let record_at = |heads: &[ChangeHash]| match doc.get_at(&coll, key, heads) {
        Ok(Some((Value::Object(ObjType::Map), obj))) => Some(obj),
        _ => None,
    };
    let before = if deps.is_empty() { None } else { record_at(deps) };
    let after = record_at(&after_heads);
    let old = before.as_ref().map(|o| fields_at(doc, o, deps)).unwrap_or_default();
    let new = after.as_ref().map(|o| fields_at(doc, o, &after_heads)).unwrap_or_default();
    let mut names: Vec<&String> = old.keys().chain(new.keys()).collect();
    crate::order::sort(&mut names);
    names.dedup();
    let fields = names
        .into_iter()
        .filter_map(|f| {
            let (o, n) = (old.get(f).cloned(), new.get(f).cloned());
            (o != n).then(|| FieldChange { field: f.clone(), old: o, new: n })
        })
        .collect();
    (after.is_some() && before != after, before.is_some() && after.is_none(), fields)
}

/// Every field of the record map `obj` at `heads`, as text; a nested map's
/// fields as `field.sub`.
fn fields_at(doc: &AutoCommit, obj: &ObjId, heads: &[ChangeHash]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for item in doc.map_range_at(obj, .., heads) {
        let field = item.key.to_string();
        let id = item.id();
        match Value::from(item.value) {
            Value::Scalar(s) => {
                out.insert(field, scalar_text(&s));
            }
            Value::Object(ObjType::Map) => {
                for sub in doc.map_range_at(&id, .., heads) {
                    let sub_id = sub.id();
                    let text = match Value::from(sub.value) {
                        Value::Scalar(s) => scalar_text(&s),
                        Value::Object(o) => object_text(doc, &sub_id, o, heads),
                    };
                    out.insert(format!("{field}.{}", sub.key), text);
                }
            }
            Value::Object(o) => {
                out.insert(field, object_text(doc, &id, o, heads));
            }
        }
    }
    out
}

/// A list's scalar items joined by ", " (a text object as its text).
fn object_text(doc: &AutoCommit, obj: &ObjId, kind: ObjType, heads: &[ChangeHash]) -> String {
    match kind {
        ObjType::List => doc
            .list_range_at(obj, .., heads)
            .filter_map(|i| match Value::from(i.value) {
                Value::Scalar(s) => Some(scalar_text(&s)),
                Value::Object(_) => None,
            })
            .collect::<Vec<_>>()
            .join(", "),
        ObjType::Text => doc.text_at(obj, heads).unwrap_or_default(),
        ObjType::Map | ObjType::Table => String::new(),
    }
}

fn scalar_text(s: &ScalarValue) -> String {
    match s {
        ScalarValue::Str(t) => t.to_string(),
        ScalarValue::Null => String::new(),
        other => other.to_string(),
    }
}
