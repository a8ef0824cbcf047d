//! Fields that hold concurrent values.
//!
//! When two devices change the same field of a record while apart, Automerge
//! keeps both values and shows one. Lotse lists every such field with each
//! value, who wrote it and when, so a person can keep one (or type a new
//! one): settling is a change like any other, and then the field holds one
//! value again on every device.

use std::collections::HashMap;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjId, ObjType, ReadDoc, ScalarValue, Value};
use serde::{Deserialize, Serialize};

use crate::record::{self, DocError};

/// One field of a record with concurrent values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    /// The field's name in the record (`phone`, `outcome`, …).
    pub field: String,
    /// Every value the field holds; the one the notebook shows first.
    pub values: Vec<Concurrent>,
}

/// One of a field's concurrent values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Concurrent {
    /// The value as text (a code for a closed list, a date as written);
    /// `None` for a value that is not plain (a list, a nested record).
    pub text: Option<String>,
    /// The Automerge actor that wrote it, as hex.
    pub actor_hex: String,
    /// Its operation: what [`settle`] is told to keep.
    pub op: Vec<u8>,
    /// When its device says it was written, in milliseconds (0 until
    /// [`stamp_times`] has looked it up).
    pub time_ms: i64,
    /// The operation's counter (with the actor, it finds its change).
    counter: u64,
}

/// The conflicts of the record map `obj`, for the keys the caller found
/// conflicted (`keys`), in key order.
pub(crate) fn conflicts_of(doc: &AutoCommit, obj: &ObjId, keys: &[String]) -> Vec<Conflict> {
    let mut out: Vec<Conflict> = keys
        .iter()
        .filter_map(|field| {
            let all = doc.get_all(obj, field.as_str()).ok()?;
            // The value shown (the last of `get_all`) first.
            let values: Vec<Concurrent> = all.into_iter().rev().filter_map(|(v, id)| concurrent(&v, &id)).collect();
            (values.len() > 1).then(|| Conflict { field: field.clone(), values })
        })
        .collect();
    crate::order::sort_by(&mut out, |a, b| a.field.cmp(&b.field));
    out
}

fn concurrent(value: &Value<'_>, id: &ObjId) -> Option<Concurrent> {
    let ObjId::Id(counter, actor, _) = id else { return None };
    let text = match value {
        Value::Scalar(s) => Some(scalar_text(s)),
        Value::Object(_) => None,
    };
    Some(Concurrent { text, actor_hex: actor.to_hex_string(), op: id.to_bytes(), time_ms: 0, counter: *counter })
}

fn scalar_text(s: &ScalarValue) -> String {
    match s {
        ScalarValue::Str(t) => t.to_string(),
        ScalarValue::Null => String::new(),
        other => other.to_string(),
    }
}

/// Fills in when each value was written: the time of the change that holds
/// its operation. Done once for a batch, as it reads every change's
/// metadata.
pub fn stamp_times<'a>(doc: &mut AutoCommit, conflicts: impl IntoIterator<Item = &'a mut Conflict>) {
    let mut pending: Vec<&mut Concurrent> = conflicts.into_iter().flat_map(|c| c.values.iter_mut()).collect();
    if pending.is_empty() {
        return;
    }
    // Per actor: (first op, last op, time in seconds) of each change.
    let mut spans: HashMap<String, Vec<(u64, u64, i64)>> = HashMap::new();
    for meta in doc.get_changes_meta(&[]) {
        spans.entry(meta.actor.to_hex_string()).or_default().push((meta.start_op, meta.max_op, meta.timestamp));
    }
    for v in pending.iter_mut() {
        let found = spans
            .get(&v.actor_hex)
            .and_then(|list| list.iter().find(|(first, last, _)| (*first..=*last).contains(&v.counter)));
        if let Some((_, _, seconds)) = found {
            v.time_ms = seconds.saturating_mul(1000);
        }
    }
}

/// Why a conflict could not be settled.
#[derive(Debug, thiserror::Error)]
pub enum SettleError {
    #[error(transparent)]
    Doc(Box<DocError>),
    #[error("the record {0} is not in the document")]
    NoRecord(String),
    #[error("the value to keep is no longer one of the field's values")]
    Gone,
    #[error("the value to keep is not plain text or a number: edit the record instead")]
    NotPlain,
}

impl From<DocError> for SettleError {
    fn from(e: DocError) -> Self {
        SettleError::Doc(Box::new(e))
    }
}

impl From<automerge::AutomergeError> for SettleError {
    fn from(e: automerge::AutomergeError) -> Self {
        SettleError::Doc(Box::new(e.into()))
    }
}

/// Keeps the value `op` of the record's `field` (`name`, or `consent.scope`
/// for a field of a map within it; one of its concurrent values): written again, it replaces all of them, as its own commit that
/// names the record (so it shows in the record's history).
pub fn settle(
    doc: &mut AutoCommit,
    collection: &'static str,
    key: &str,
    field: &str,
    op: &[u8],
    now_ms: i64,
) -> Result<(), SettleError> {
    let coll = record::collection_obj(doc, collection)?;
    let mut obj = match doc.get(&coll, key)? {
        Some((Value::Object(ObjType::Map), obj)) => obj,
        _ => return Err(SettleError::NoRecord(key.to_owned())),
    };
    // `consent.scope`: a field of a map within the record.
    let (path, field) = field.rsplit_once('.').map_or((None, field), |(p, f)| (Some(p), f));
    if let Some(inner) = path {
        obj = match doc.get(&obj, inner)? {
            Some((Value::Object(ObjType::Map), o)) => o,
            _ => return Err(SettleError::Gone),
        };
    }
    let keep = doc.get_all(&obj, field)?.into_iter().find(|(_, id)| id.to_bytes() == op).ok_or(SettleError::Gone)?;
    let Value::Scalar(value) = keep.0 else { return Err(SettleError::NotPlain) };
    let value = value.into_owned();
    // Deleted first, then written: a new operation replaces every value.
    // A plain put of the value shown would only drop the others, which
    // changes nothing visible, so no patch would tell a view to look again.
    doc.delete(&obj, field)?;
    doc.put(&obj, field, value)?;
    record::commit(doc, collection, key, now_ms);
    Ok(())
}
