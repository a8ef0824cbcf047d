//! A community's document: the personal data of one community (contacts,
//! households, consultations, referrals, follow-ups).
//!
//! Its maps are made by a genesis change that every device writes
//! identically (fixed actor, time 0), so two devices that start the same
//! document offline do not create rival maps, one of which would hide the
//! other's records.

use automerge::{ActorId, AutoCommit, ReadDoc};

use crate::contact::Contact;
use crate::ids::ContactId;
use crate::record::{self, DocError, Record};

pub(crate) const GENESIS_ACTOR: [u8; 16] = *b"lotse-genesis-01";

/// The collections of a community document.
pub use crate::kind::COMMUNITY_COLLECTIONS;

/// Reading and writing a community document.
pub struct CommunityDoc;

impl CommunityDoc {
    /// The genesis change every device writes identically, then continues
    /// as `actor`.
    pub fn genesis(actor: ActorId) -> AutoCommit {
        let mut doc = AutoCommit::new().with_actor(ActorId::from(GENESIS_ACTOR));
        record::make_collections(&mut doc, COMMUNITY_COLLECTIONS);
        doc.commit_with(automerge::transaction::CommitOptions::default().with_time(0));
        doc.set_actor(actor);
        doc
    }

    /// Writes one contact, stamped with its `created_at` time; forms use
    /// [`record::put`] with the time of the edit.
    pub fn put_contact(doc: &mut AutoCommit, contact: &Contact) -> Result<(), DocError> {
        record::put(doc, contact, contact.created_at)
    }

    pub fn contact(doc: &(impl ReadDoc + autosurgeon::ReadDoc), id: ContactId) -> Result<Option<Contact>, DocError> {
        record::get(doc, &id.to_string())
    }

    /// Every contact, sorted by name (then id, so the order is stable).
    pub fn contacts(doc: &(impl ReadDoc + autosurgeon::ReadDoc)) -> Result<Vec<Contact>, DocError> {
        let mut list: Vec<Contact> = record::all(doc)?;
        crate::order::sort_by(&mut list, |a, b| {
            a.name.to_lowercase().cmp(&b.name.to_lowercase()).then(a.id.cmp(&b.id))
        });
        Ok(list)
    }
}

/// True if `R` lives in a community document (personal data).
pub fn is_community_record<R: Record>() -> bool {
    COMMUNITY_COLLECTIONS.contains(&R::COLLECTION)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contact::{Consent, ConsentScope, TargetGroup};
    use crate::ids::MentorId;

    fn contact(n: u8, name: &str) -> Contact {
        let me = MentorId::from_random([n; 16]);
        Contact {
            id: ContactId::from_random([n; 16]),
            target_group: TargetGroup::Youth,
            name: name.into(),
            phone: String::new(),
            languages: vec!["ar".into()],
            district: "Eversburg".into(),
            household: None,
            notes: String::new(),
            consent: Consent { given_on: "2026-11-01".into(), scope: ConsentScope::Advice, recorded_by: me },
            created_by: me,
            created_at: 0,
            merged_into: None,
            not_the_same: vec![],
        }
    }

    #[test]
    fn two_devices_that_start_offline_share_one_contacts_map() {
        let mut a = CommunityDoc::genesis(ActorId::from([1u8; 16]));
        let mut b = CommunityDoc::genesis(ActorId::from([2u8; 16]));
        CommunityDoc::put_contact(&mut a, &contact(1, "Omar")).unwrap();
        CommunityDoc::put_contact(&mut b, &contact(2, "Lena")).unwrap();
        a.merge(&mut b).unwrap();
        b.merge(&mut a).unwrap();
        let names = |d: &AutoCommit| CommunityDoc::contacts(d).unwrap().into_iter().map(|c| c.name).collect::<Vec<_>>();
        assert_eq!(names(&a), vec!["Lena", "Omar"]);
        assert_eq!(names(&a), names(&b));
    }

    #[test]
    fn concurrent_edits_of_different_fields_both_survive() {
        let mut a = CommunityDoc::genesis(ActorId::from([1u8; 16]));
        let c = contact(1, "Omar");
        CommunityDoc::put_contact(&mut a, &c).unwrap();
        let mut b = a.fork().with_actor(ActorId::from([2u8; 16]));
        let mut ca = c.clone();
        ca.phone = "0541 123456".into();
        let mut cb = c.clone();
        cb.district = "Schinkel".into();
        CommunityDoc::put_contact(&mut a, &ca).unwrap();
        CommunityDoc::put_contact(&mut b, &cb).unwrap();
        a.merge(&mut b).unwrap();
        let merged = CommunityDoc::contact(&a, c.id).unwrap().unwrap();
        assert_eq!((merged.phone.as_str(), merged.district.as_str()), ("0541 123456", "Schinkel"));
    }

    #[test]
    fn a_document_not_made_by_lotse_is_named_as_such() {
        let doc = AutoCommit::new();
        assert!(matches!(CommunityDoc::contacts(&doc), Err(DocError::NotALotseDoc("contacts"))));
    }
}
