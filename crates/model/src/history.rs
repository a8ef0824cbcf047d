//! Who changed a record, when, and which fields: read from the commits that
//! name it (see [`record::put`]).

use automerge::{AutoCommit, ChangeHash, ObjId, ObjType, Patch, PatchAction, Prop, ReadDoc, Value, ROOT};

use crate::record;
use crate::review::{field_changes, FieldChange};

/// One commit that touched a record.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HistoryEntry {
    /// The Automerge actor that made the change, as hex (see
    /// [`Notebook::mentor_by_actor`](crate::Notebook::mentor_by_actor)).
    pub actor_hex: String,
    /// The time the device stamped, in milliseconds (stored in seconds).
    pub time_ms: i64,
    /// The record's fields it wrote, by name.
    pub fields: Vec<String>,
    /// It wrote the record as a whole (created it, or replaced it).
    pub created: bool,
    /// It deleted the record.
    pub deleted: bool,
    /// Each field it changed, from the value its author saw to the one it
    /// wrote (see [`crate::review::FieldChange`]).
    pub values: Vec<FieldChange>,
}

/// The history of the record `key` of `collection`, oldest first in the
/// document's causal order: a change after every change it depends on,
/// whatever its device's clock said (the time is shown as that device's).
///
/// The commits that name the record are found by their message
/// ([`record::tag`]). For each, the record's map before and after it tells
/// whether it created (or replaced) or deleted the record, and a diff of the
/// record's own object gives the fields it wrote. Diffing only that object
/// keeps this to about a millisecond per commit in a document of 20,000
/// records, where a diff of the whole document takes tens.
pub fn history(doc: &mut AutoCommit, collection: &str, key: &str) -> Vec<HistoryEntry> {
    let tag = record::tag(collection, key);
    let changes: Vec<(String, i64, Vec<ChangeHash>, ChangeHash)> = doc
        .get_changes_meta(&[])
        .into_iter()
        .filter(|c| c.message.as_deref() == Some(tag.as_str()))
        .map(|c| (c.actor.to_hex_string(), c.timestamp, c.deps, c.hash))
        .collect();
    let coll = match doc.get(ROOT, collection) {
        Ok(Some((Value::Object(_), coll))) => coll,
        _ => return Vec::new(),
    };
    let entries: Vec<HistoryEntry> = changes
        .into_iter()
        .map(|(actor_hex, seconds, deps, hash)| {
            let record_at = |heads: &[ChangeHash]| match doc.get_at(&coll, key, heads) {
                Ok(Some((Value::Object(ObjType::Map), obj))) => Some(obj),
                _ => None,
            };
            let before = if deps.is_empty() { None } else { record_at(&deps) };
            let after = record_at(&[hash]);
            let mut fields = Vec::new();
            if let Some(obj) = &after {
                for patch in doc.diff_obj(obj, &deps, &[hash], true).unwrap_or_default() {
                    if let Some(field) = field_of(obj, &patch) {
                        if !fields.contains(&field) {
                            fields.push(field);
                        }
                    }
                }
            }
            crate::order::sort(&mut fields);
            let (_, _, values) = field_changes(doc, collection, key, &deps, hash);
            HistoryEntry {
                actor_hex,
                time_ms: seconds.saturating_mul(1000),
                fields,
                created: after.is_some() && before != after,
                deleted: before.is_some() && after.is_none(),
                values,
            }
        })
        .collect();
    entries
}

/// The field of the record `record` that a patch of its diff writes: the
/// key of a patch on the record's map, or the record's prop in the path of
/// a patch deeper down (a list or a counter map within a field).
fn field_of(record: &ObjId, patch: &Patch) -> Option<String> {
    let prop = if patch.obj == *record {
        match &patch.action {
            PatchAction::PutMap { key, .. } | PatchAction::DeleteMap { key } => Prop::Map(key.clone()),
            PatchAction::Increment { prop, .. } | PatchAction::Conflict { prop } => prop.clone(),
            _ => return None,
        }
    } else {
        // Each step of the path is an object and the prop within it.
        patch.path.iter().find(|(obj, _)| obj == record).map(|(_, prop)| prop.clone())?
    };
    match prop {
        Prop::Map(field) => Some(field),
        Prop::Seq(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use automerge::ActorId;

    use super::*;
    use crate::advice::{Consultation, Outcome};
    use crate::ids::ConsultationId;
    use crate::notebook::fixture;
    use crate::record::Record;
    use crate::CommunityDoc;

    const AMINA: [u8; 16] = [0xa1; 16];
    const BEKIR: [u8; 16] = [0xb2; 16];

    #[test]
    fn two_mentors_edit_one_consultation_and_history_names_each_with_time_and_fields() {
        let mut a = CommunityDoc::genesis(ActorId::from(AMINA));
        let c = fixture::consultation(1, "2026-03-01", None, "Erstgespräch");
        let other = fixture::consultation(2, "2026-03-02", None, "jemand anderes");
        record::put(&mut a, &c, 1_000_000).unwrap();
        let mut b = a.fork().with_actor(ActorId::from(BEKIR));

        let mut by_a = c.clone();
        by_a.notes = "Erstgespräch, Mutter spricht Arabisch".into();
        record::put(&mut a, &by_a, 2_000_000).unwrap();
        record::put(&mut a, &other, 2_500_000).unwrap();

        let mut by_b = c.clone();
        by_b.outcome = Outcome::Referred;
        record::put(&mut b, &by_b, 3_000_000).unwrap();
        a.merge(&mut b).unwrap();

        let h = history(&mut a, Consultation::COLLECTION, &c.id.to_string());
        let hex = |bytes: [u8; 16]| ActorId::from(bytes).to_hex_string();
        assert_eq!(h.len(), 3, "{h:#?}");
        assert_eq!((h[0].actor_hex.as_str(), h[0].time_ms, h[0].created), (hex(AMINA).as_str(), 1_000_000, true));
        assert!(h[0].fields.contains(&"notes".to_owned()) && h[0].fields.contains(&"outcome".to_owned()));
        assert_eq!(
            h[1],
            HistoryEntry {
                actor_hex: hex(AMINA),
                time_ms: 2_000_000,
                fields: vec!["notes".into()],
                created: false,
                deleted: false,
                values: vec![FieldChange {
                    field: "notes".into(),
                    old: Some("Erstgespräch".into()),
                    new: Some("Erstgespräch, Mutter spricht Arabisch".into())
                }],
            }
        );
        assert_eq!(
            h[2],
            HistoryEntry {
                actor_hex: hex(BEKIR),
                time_ms: 3_000_000,
                fields: vec!["outcome".into()],
                created: false,
                deleted: false,
                values: vec![FieldChange {
                    field: "outcome".into(),
                    old: Some("Informed".into()),
                    new: Some("Referred".into())
                }],
            }
        );
    }

    #[test]
    fn a_list_edit_names_the_list_and_a_deletion_is_marked() {
        let mut doc = CommunityDoc::genesis(ActorId::from(AMINA));
        let mut c = fixture::consultation(1, "2026-03-01", None, "");
        record::put(&mut doc, &c, 1_000).unwrap();
        c.topics.push(crate::advice::Topic::Funding);
        record::put(&mut doc, &c, 2_000).unwrap();
        record::remove::<Consultation>(&mut doc, &c.id.to_string(), 3_000).unwrap();
        let h = history(&mut doc, "consultations", &c.id.to_string());
        assert_eq!(h.len(), 3);
        assert_eq!(h[1].fields, ["topics"]);
        assert!(h[2].deleted && h[2].fields.is_empty() && !h[2].created);
    }

    #[test]
    fn a_tally_names_the_attendance_and_the_other_fields_stay_out() {
        let mut doc = crate::NetworkDoc::genesis(ActorId::from(AMINA));
        let mut ev = fixture::event(1, crate::network::EventKind::ParentEvening, "2026-03-16");
        record::put(&mut doc, &ev, 1_000).unwrap();
        ev.attendance.add(crate::TargetGroup::Parent, 4);
        record::put(&mut doc, &ev, 2_000).unwrap();
        ev.title = "Elternabend".into();
        ev.attendance.add(crate::TargetGroup::Youth, 1);
        record::put(&mut doc, &ev, 3_000).unwrap();
        let h = history(&mut doc, "events", &ev.id.to_string());
        assert_eq!(
            h.iter().map(|e| e.fields.clone()).skip(1).collect::<Vec<_>>(),
            [vec!["attendance".to_owned()], vec!["attendance".to_owned(), "title".to_owned()]]
        );
    }

    #[test]
    fn a_device_with_its_clock_behind_is_listed_after_what_it_saw() {
        let mut a = CommunityDoc::genesis(ActorId::from(AMINA));
        let mut c = fixture::consultation(1, "2026-03-01", None, "");
        record::put(&mut a, &c, 5_000_000).unwrap();
        let mut b = a.fork().with_actor(ActorId::from(BEKIR));
        c.notes = "später, mit falscher Uhr".into();
        record::put(&mut b, &c, 1_000_000).unwrap();
        a.merge(&mut b).unwrap();
        let h = history(&mut a, "consultations", &c.id.to_string());
        assert_eq!(h.iter().map(|e| e.time_ms).collect::<Vec<_>>(), [5_000_000, 1_000_000]);
        assert_eq!(h[1].values[0].new.as_deref(), Some("später, mit falscher Uhr"));
    }

    #[test]
    fn a_record_never_written_has_no_history() {
        let mut doc = CommunityDoc::genesis(ActorId::from(AMINA));
        assert!(history(&mut doc, "consultations", &ConsultationId::from_random([5; 16]).to_string()).is_empty());
    }
}
