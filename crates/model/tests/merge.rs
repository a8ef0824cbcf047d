//! Two devices work offline on the same documents and merge: every edit
//! survives, counters add up, and both devices end with the same records.

use automerge::{ActorId, AutoCommit};
use lotse_model::advice::{Outcome, Topic};
use lotse_model::network::{Attendance, Chamber, EventKind, LicenceStatus};
use lotse_model::record::{self, Record};
use lotse_model::{
    CommunityDoc, CommunityId, Company, CompanyId, Consultation, ConsultationId, ContactId, DocRef, Event, EventId,
    MentorId, NetworkDoc, Notebook, TargetGroup,
};

const AT_NOON: i64 = 1_773_662_400_000;

fn mentor() -> MentorId {
    MentorId::from_random([9; 16])
}

fn actor(n: u8) -> ActorId {
    ActorId::from([n; 16])
}

fn consultation() -> Consultation {
    Consultation {
        id: ConsultationId::from_random([1; 16]),
        date: "2026-03-16".into(),
        contact: Some(ContactId::from_random([2; 16])),
        household: None,
        topics: vec![Topic::VocationalOrientation],
        outcome: Outcome::Informed,
        notes: "Sohn sucht Ausbildung".into(),
        mentor: mentor(),
        created_at: AT_NOON,
    }
}

fn info_evening(parents: i64) -> Event {
    let mut attendance = Attendance::default();
    attendance.add(TargetGroup::Parent, parents);
    Event {
        id: EventId::from_random([3; 16]),
        kind: EventKind::ParentEvening,
        title: "Elternabend Ausbildung".into(),
        date: "2026-03-16".into(),
        time: String::new(),
        place: String::new(),
        community: Some(CommunityId::from_random([4; 16])),
        partner: None,
        school: String::new(),
        company: None,
        attendance,
        notes: String::new(),
        created_by: mentor(),
        created_at: AT_NOON,
    }
}

fn company() -> Company {
    Company {
        id: CompanyId::from_random([5; 16]),
        name: "Kfz-Werkstatt Demir".into(),
        trade: "Kfz-Mechatronik".into(),
        chamber: Chamber::Hwk,
        licence: LicenceStatus::InPreparation,
        contact_person: "Herr Demir".into(),
        phone: "0541 111".into(),
        community: None,
        member_since: "2025-09-01".into(),
        notes: String::new(),
        created_by: mentor(),
        created_at: AT_NOON,
    }
}

fn get<R: Record>(doc: &AutoCommit, key: impl ToString) -> R {
    record::get(doc, &key.to_string()).unwrap().expect("the record is there")
}

/// Merges both ways, as two devices do when they meet the relay.
fn meet(a: &mut AutoCommit, b: &mut AutoCommit) {
    a.merge(b).unwrap();
    b.merge(a).unwrap();
    assert_eq!(a.get_heads(), b.get_heads());
}

#[test]
fn two_mentors_edit_the_same_consultation_offline_and_both_edits_survive() {
    let mut a = CommunityDoc::genesis(actor(1));
    record::put(&mut a, &consultation(), AT_NOON).unwrap();
    let mut b = a.fork().with_actor(actor(2));

    let mut on_a: Consultation = get(&a, consultation().id);
    on_a.topics.push(Topic::Applications);
    on_a.outcome = Outcome::Referred;
    record::put(&mut a, &on_a, AT_NOON + 60_000).unwrap();

    let mut on_b: Consultation = get(&b, consultation().id);
    on_b.notes = "Sohn sucht Ausbildung als Elektroniker; Zeugnis fehlt".into();
    record::put(&mut b, &on_b, AT_NOON + 90_000).unwrap();

    meet(&mut a, &mut b);
    let seen_a: Consultation = get(&a, consultation().id);
    let seen_b: Consultation = get(&b, consultation().id);
    assert_eq!(seen_a, seen_b);
    assert_eq!(seen_a.topics, [Topic::VocationalOrientation, Topic::Applications]);
    assert_eq!(seen_a.outcome, Outcome::Referred);
    assert_eq!(seen_a.notes, "Sohn sucht Ausbildung als Elektroniker; Zeugnis fehlt");
}

#[test]
fn two_phones_tally_the_same_evening_and_the_counts_add_up() {
    let mut a = NetworkDoc::genesis(actor(1));
    record::put(&mut a, &info_evening(4), AT_NOON).unwrap();
    let mut b = a.fork().with_actor(actor(2));

    let mut on_a: Event = get(&a, info_evening(0).id);
    on_a.attendance.add(TargetGroup::Parent, 5);
    record::put(&mut a, &on_a, AT_NOON + 60_000).unwrap();

    let mut on_b: Event = get(&b, info_evening(0).id);
    on_b.attendance.add(TargetGroup::Parent, 3);
    on_b.attendance.add(TargetGroup::Youth, 2);
    record::put(&mut b, &on_b, AT_NOON + 60_000).unwrap();

    meet(&mut a, &mut b);
    for doc in [&a, &b] {
        let ev: Event = get(doc, info_evening(0).id);
        assert_eq!(ev.attendance.counts(), [12, 2, 0], "4 + 5 + 3 parents, 2 young people");
    }
}

#[test]
fn a_mis_tap_corrected_on_one_phone_while_the_other_counts_on() {
    let mut a = NetworkDoc::genesis(actor(1));
    record::put(&mut a, &info_evening(10), AT_NOON).unwrap();
    let mut b = a.fork().with_actor(actor(2));
    let mut on_a: Event = get(&a, info_evening(0).id);
    on_a.attendance.add(TargetGroup::Parent, -1);
    record::put(&mut a, &on_a, AT_NOON + 1_000).unwrap();
    let mut on_b: Event = get(&b, info_evening(0).id);
    on_b.attendance.add(TargetGroup::Parent, 2);
    record::put(&mut b, &on_b, AT_NOON + 1_000).unwrap();
    meet(&mut a, &mut b);
    assert_eq!(get::<Event>(&b, info_evening(0).id).attendance.count(TargetGroup::Parent), 11);
}

#[test]
fn a_company_gets_its_licence_on_one_device_and_a_new_contact_person_on_another() {
    let mut a = NetworkDoc::genesis(actor(1));
    record::put(&mut a, &company(), AT_NOON).unwrap();
    let mut b = a.fork().with_actor(actor(2));

    let mut on_a: Company = get(&a, company().id);
    on_a.licence = LicenceStatus::Has;
    record::put(&mut a, &on_a, AT_NOON + 60_000).unwrap();
    let mut on_b: Company = get(&b, company().id);
    on_b.contact_person = "Frau Demir".into();
    record::put(&mut b, &on_b, AT_NOON + 60_000).unwrap();

    meet(&mut a, &mut b);
    let (seen_a, seen_b): (Company, Company) = (get(&a, company().id), get(&b, company().id));
    assert_eq!(seen_a, seen_b);
    assert_eq!((seen_a.licence, seen_a.contact_person.as_str()), (LicenceStatus::Has, "Frau Demir"));
}

#[test]
fn both_devices_change_the_same_phone_number_and_agree_on_one() {
    let mut a = NetworkDoc::genesis(actor(1));
    record::put(&mut a, &company(), AT_NOON).unwrap();
    let mut b = a.fork().with_actor(actor(2));
    let mut on_a: Company = get(&a, company().id);
    on_a.phone = "0541 222".into();
    record::put(&mut a, &on_a, AT_NOON + 60_000).unwrap();
    let mut on_b: Company = get(&b, company().id);
    on_b.phone = "0541 333".into();
    record::put(&mut b, &on_b, AT_NOON + 60_000).unwrap();

    meet(&mut a, &mut b);
    let (seen_a, seen_b): (Company, Company) = (get(&a, company().id), get(&b, company().id));
    assert_eq!(seen_a, seen_b);
    assert!(["0541 222", "0541 333"].contains(&seen_a.phone.as_str()));
}

#[test]
fn devices_that_started_from_their_own_genesis_merge_into_one_notebook() {
    let community = CommunityId::from_random([4; 16]);
    let (mut net_a, mut net_b) = (NetworkDoc::genesis(actor(1)), NetworkDoc::genesis(actor(2)));
    let (mut tr_a, mut tr_b) = (CommunityDoc::genesis(actor(1)), CommunityDoc::genesis(actor(2)));
    let mut nb_a = Notebook::load(&net_a, &[(community, &tr_a)]).unwrap();
    let mut nb_b = Notebook::load(&net_b, &[(community, &tr_b)]).unwrap();
    for doc in [&mut net_a, &mut net_b, &mut tr_a, &mut tr_b] {
        doc.diff_incremental();
    }

    record::put(&mut tr_a, &consultation(), AT_NOON).unwrap();
    record::put(&mut net_a, &company(), AT_NOON).unwrap();
    let mut other = consultation();
    other.id = ConsultationId::from_random([6; 16]);
    record::put(&mut tr_b, &other, AT_NOON).unwrap();
    record::put(&mut net_b, &info_evening(7), AT_NOON).unwrap();

    meet(&mut tr_a, &mut tr_b);
    meet(&mut net_a, &mut net_b);
    for (nb, net, tr) in [(&mut nb_a, &mut net_a, &mut tr_a), (&mut nb_b, &mut net_b, &mut tr_b)] {
        let patches = net.diff_incremental();
        nb.apply_patches(DocRef::Network, net, &patches);
        let patches = tr.diff_incremental();
        nb.apply_patches(DocRef::Community(community), tr, &patches);
    }
    for nb in [&nb_a, &nb_b] {
        assert_eq!(nb.consultations().count(), 2);
        assert_eq!(nb.companies().len(), 1);
        assert_eq!(nb.events().len(), 1);
        assert_eq!(nb.institutions().len(), 6, "the seeded institutions once, not twice");
    }
    assert_eq!(nb_a.event(info_evening(0).id), nb_b.event(info_evening(0).id));
    assert_eq!(nb_a.consultation(other.id).map(|c| &c.record), nb_b.consultation(other.id).map(|c| &c.record));
}
