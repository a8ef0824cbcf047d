//! Who changed a record, when, and which fields: read from the commits that
//! name it (see [`record::put`]).

use automerge::{AutoCommit, ChangeHash, PatchAction, Prop};

use crate::record;

/// One commit that touched a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    /// The Automerge actor that made the change, as hex (see
    /// [`Notebook::mentor_by_actor`](crate::Notebook::mentor_by_actor)).
    pub actor_hex: String,
    /// The time the device stamped, in milliseconds (stored in seconds).
    pub time_ms: i64,
    /// The record's fields it wrote, in field order of first touch.
    pub fields: Vec<String>,
    /// It wrote the record as a whole (created it, or replaced it).
    pub created: bool,
    /// It deleted the record.
    pub deleted: bool,
}

/// The history of the record `key` of `collection`, oldest first (by the
/// time each device stamped; a device with a wrong clock sorts out of
/// place, ties keep causal order).
pub fn history(doc: &mut AutoCommit, collection: &str, key: &str) -> Vec<HistoryEntry> {
    let tag = record::tag(collection, key);
    let changes: Vec<(String, i64, Vec<ChangeHash>, ChangeHash)> = doc
        .get_changes_meta(&[])
        .into_iter()
        .filter(|c| c.message.as_deref() == Some(tag.as_str()))
        .map(|c| (c.actor.to_hex_string(), c.timestamp, c.deps, c.hash))
        .collect();
    let mut entries: Vec<HistoryEntry> = changes
        .into_iter()
        .map(|(actor_hex, seconds, deps, hash)| {
            let mut entry = HistoryEntry {
                actor_hex,
                time_ms: seconds.saturating_mul(1000),
                fields: Vec::new(),
                created: false,
                deleted: false,
            };
            for patch in doc.diff(&deps, &[hash]) {
                let field = match patch.path.as_slice() {
                    [(_, Prop::Map(c)), ..] if c != collection => continue,
                    [(_, _)] => {
                        match &patch.action {
                            PatchAction::PutMap { key: k, .. } if k == key => entry.created = true,
                            PatchAction::DeleteMap { key: k } if k == key => entry.deleted = true,
                            _ => {}
                        }
                        continue;
                    }
                    [_, (_, Prop::Map(k))] if k == key => match &patch.action {
                        PatchAction::PutMap { key: f, .. } | PatchAction::DeleteMap { key: f } => f.clone(),
                        PatchAction::Increment { prop: Prop::Map(f), .. }
                        | PatchAction::Conflict { prop: Prop::Map(f) } => f.clone(),
                        _ => continue,
                    },
                    [_, (_, Prop::Map(k)), (_, Prop::Map(f)), ..] if k == key => f.clone(),
                    _ => continue,
                };
                if !entry.fields.contains(&field) {
                    entry.fields.push(field);
                }
            }
            entry
        })
        .collect();
    entries.sort_by_key(|e| e.time_ms);
    entries
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
                deleted: false
            }
        );
        assert_eq!(
            h[2],
            HistoryEntry {
                actor_hex: hex(BEKIR),
                time_ms: 3_000_000,
                fields: vec!["outcome".into()],
                created: false,
                deleted: false
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
    fn a_record_never_written_has_no_history() {
        let mut doc = CommunityDoc::genesis(ActorId::from(AMINA));
        assert!(history(&mut doc, "consultations", &ConsultationId::from_random([5; 16]).to_string()).is_empty());
    }
}
