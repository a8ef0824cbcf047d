//! A community's document: the personal data of one community's contacts.
//!
//! Layout: `{ "contacts": { <contact id>: Contact } }`. The `contacts` map is
//! made by a genesis change that every device writes identically (fixed
//! actor, time 0), so two devices that start the same document offline do not
//! create two rival maps, one of which would hide the other's contacts.

use std::collections::HashMap;

use automerge::{transaction::Transactable, ActorId, AutoCommit, ObjType, ReadDoc, ROOT};

use crate::contact::Contact;
use crate::ids::ContactId;

const CONTACTS: &str = "contacts";
const GENESIS_ACTOR: [u8; 16] = *b"lotse-genesis-01";

#[derive(Debug, thiserror::Error)]
pub enum DocError {
    #[error("the document is not valid Automerge: {0}")]
    Automerge(#[from] automerge::AutomergeError),
    #[error("a record in the document has an unexpected shape: {0}")]
    Hydrate(#[from] autosurgeon::HydrateError),
    #[error("the record could not be written: {0}")]
    Reconcile(#[from] autosurgeon::ReconcileError),
    #[error("the document has no contacts map; it was not made by Lotse")]
    NotACommunityDoc,
}

/// Reading and writing contacts in a community document.
pub struct CommunityDoc;

impl CommunityDoc {
    /// The genesis change every device writes identically, then continues
    /// as `actor`.
    pub fn genesis(actor: ActorId) -> AutoCommit {
        let mut doc = AutoCommit::new().with_actor(ActorId::from(GENESIS_ACTOR));
        doc.put_object(ROOT, CONTACTS, ObjType::Map).expect("fresh doc");
        doc.commit_with(automerge::transaction::CommitOptions::default().with_time(0));
        doc.set_actor(actor);
        doc
    }

    fn contacts_obj(doc: &(impl ReadDoc + autosurgeon::ReadDoc)) -> Result<automerge::ObjId, DocError> {
        match ReadDoc::get(doc, ROOT, CONTACTS)? {
            Some((automerge::Value::Object(ObjType::Map), id)) => Ok(id),
            _ => Err(DocError::NotACommunityDoc),
        }
    }

    /// Writes one contact (creating or updating it field by field, so a
    /// concurrent edit of another field on another device survives).
    pub fn put_contact(doc: &mut AutoCommit, contact: &Contact) -> Result<(), DocError> {
        let obj = Self::contacts_obj(doc)?;
        autosurgeon::reconcile_prop(doc, obj, contact.id.to_string().as_str(), contact)?;
        doc.commit();
        Ok(())
    }

    pub fn contact(doc: &(impl ReadDoc + autosurgeon::ReadDoc), id: ContactId) -> Result<Option<Contact>, DocError> {
        let obj = Self::contacts_obj(doc)?;
        Ok(autosurgeon::hydrate_prop(doc, obj, id.to_string().as_str())?)
    }

    /// Every contact, sorted by name (then id, so the order is stable).
    pub fn contacts(doc: &(impl ReadDoc + autosurgeon::ReadDoc)) -> Result<Vec<Contact>, DocError> {
        Self::contacts_obj(doc)?;
        let map: HashMap<String, Contact> = autosurgeon::hydrate_prop(doc, ROOT, CONTACTS)?;
        let mut list: Vec<Contact> = map.into_values().collect();
        list.sort_by(|a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase()).then(a.id.cmp(&b.id)));
        Ok(list)
    }
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
        assert!(matches!(CommunityDoc::contacts(&doc), Err(DocError::NotACommunityDoc)));
    }
}
