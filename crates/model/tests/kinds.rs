//! The record kinds through their one trait: every kind's draft round-trips
//! and is checked the same way, a record is found where it lives, and a new
//! record goes to the document of the contact it is about.

use automerge::{ActorId, AutoCommit};
use lotse_model::forms::*;
use lotse_model::record;
use lotse_model::*;

const NOW: i64 = 1_773_662_400_000;

fn stamp() -> Stamp {
    Stamp { me: MentorId::from_random([1; 16]), now_ms: NOW }
}

fn contact(id: u8, name: &str) -> Contact {
    let draft = ContactDraft {
        target_group: "parent".into(),
        name: name.into(),
        consent_given: true,
        consent_date: "2026-03-16".into(),
        consent_scope: "advice".into(),
        ..ContactDraft::default()
    };
    Contact::validate(&draft, ContactId::from_random([id; 16]), stamp(), None).expect("a valid contact")
}

/// A network and two communities; `aylin` lives in the second.
fn notebook() -> (Notebook, CommunityId, CommunityId, Contact) {
    let (a, b) = (CommunityId::from_random([10; 16]), CommunityId::from_random([11; 16]));
    let network = NetworkDoc::genesis(ActorId::from([1; 16]));
    let first = CommunityDoc::genesis(ActorId::from([1; 16]));
    let mut second: AutoCommit = CommunityDoc::genesis(ActorId::from([1; 16]));
    let aylin = contact(2, "Aylin Demir");
    record::put(&mut second, &aylin, NOW).unwrap();
    let nb = Notebook::load(&network, &[(a, &first), (b, &second)]).unwrap();
    (nb, a, b, aylin)
}

#[test]
fn every_kind_is_declared_once_with_its_collection_and_segment() {
    assert_eq!(Kind::ALL.len(), 14);
    assert_eq!(Contact::KIND.collection(), Contact::COLLECTION);
    assert_eq!(FollowUp::KIND.segment(), "follow-ups");
    assert_eq!(Kind::from_segment("training-places"), Some(Kind::TrainingPlace));
    assert_eq!(Kind::from_collection("training_places"), Some(Kind::TrainingPlace));
    // The genesis of each document makes exactly the collections of its kinds.
    for k in Kind::ALL {
        let list = if k.is_network() { network_doc::NETWORK_COLLECTIONS } else { community::COMMUNITY_COLLECTIONS };
        assert!(list.contains(&k.collection()), "{k:?}");
    }
}

#[test]
fn a_record_is_found_where_it_lives_and_its_draft_round_trips() {
    let (nb, _, b, aylin) = notebook();
    let (found, at) = Contact::find(&nb, aylin.id).expect("the contact is in the notebook");
    assert_eq!(at, DocRef::Community(b));
    assert_eq!(found, &aylin);
    // Its draft checks back into the same record (an edit with no change).
    let again = Contact::validate(&found.to_draft(), aylin.id, stamp(), Some(found)).unwrap();
    assert_eq!(again, aylin);
    assert!(Contact::find(&nb, ContactId::from_random([99; 16])).is_none());
}

#[test]
fn a_new_record_goes_to_the_community_of_the_contact_it_is_about() {
    let (nb, home, b, aylin) = notebook();
    let about = |contact: Option<ContactId>| FollowUpDraft {
        due_on: "2026-03-23".into(),
        note: "Anrufen".into(),
        contact: contact.map(|c| c.to_string()).unwrap_or_default(),
        done: false,
    };
    let id = FollowUp::new_id([5; 16]);
    let linked = FollowUp::validate(&about(Some(aylin.id)), id, stamp(), None).unwrap();
    assert_eq!(linked.home(&nb, home), DocRef::Community(b), "the contact's community, not home");
    let free = FollowUp::validate(&about(None), id, stamp(), None).unwrap();
    assert_eq!(free.home(&nb, home), DocRef::Community(home), "about nobody: the fallback");
    // A contact this device does not hold: the fallback, never a guess.
    let stranger = FollowUp::validate(&about(Some(ContactId::from_random([77; 16]))), id, stamp(), None).unwrap();
    assert_eq!(stranger.home(&nb, home), DocRef::Community(home));
    // A network record goes to the network document whatever the fallback.
    let place = Institution::validate(
        &InstitutionDraft { name: "Agentur für Arbeit".into(), kind: "jobcenter".into(), ..Default::default() },
        Institution::new_id([6; 16]),
        stamp(),
        None,
    )
    .unwrap();
    assert_eq!(place.home(&nb, home), DocRef::Network);
}

#[test]
fn an_existing_record_stays_in_its_document_when_its_contact_moves() {
    let (nb, home, b, aylin) = notebook();
    // Aylin herself, edited on a device whose home is the first community:
    // she stays in the second.
    assert_eq!(aylin.home(&nb, home), DocRef::Community(b));
}

#[test]
fn an_event_keeps_only_the_fields_its_kind_shows() {
    let draft = EventDraft {
        kind: "parent-evening".into(),
        date: "2026-03-16".into(),
        school: "Gesamtschule Schinkel".into(),
        company: "not an id".into(),
        ..EventDraft::default()
    };
    // A parent evening has no school and no company: what the form hid is
    // neither checked (the bad company id) nor saved.
    let e = Event::validate(&draft, Event::new_id([7; 16]), stamp(), None).unwrap();
    assert_eq!((e.school.as_str(), e.company), ("", None));
    let info = EventDraft { kind: "school-info".into(), ..draft.clone() };
    let e = Event::validate(&info, Event::new_id([7; 16]), stamp(), None).unwrap();
    assert_eq!(e.school, "Gesamtschule Schinkel");
    let visit = EventDraft { kind: "company-visit".into(), ..draft };
    let problems: Vec<Field> = Event::validate(&visit, Event::new_id([7; 16]), stamp(), None)
        .unwrap_err()
        .into_iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(problems, vec![Field::Company]);
}

#[test]
fn a_record_is_titled_by_what_a_person_calls_it() {
    let (nb, _, _, aylin) = notebook();
    assert_eq!(nb.title_of("contacts", &aylin.id.to_string()), Some((Kind::Contact, "Aylin Demir".to_owned())));
    assert_eq!(nb.title_of("contacts", "not an id"), None);
    assert_eq!(nb.title_of("nothing", &aylin.id.to_string()), None);
    let f = FollowUp::validate(
        &FollowUpDraft {
            due_on: "2026-03-23".into(),
            note: "Anrufen".into(),
            contact: aylin.id.to_string(),
            done: false,
        },
        FollowUp::new_id([5; 16]),
        stamp(),
        None,
    )
    .unwrap();
    assert_eq!(f.title(&nb), "Aylin Demir", "a follow-up about someone is called by their name");
}
