//! The demo data set: deterministic, consistent, and as large as asked.

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use automerge::{ActorId, AutoCommit, ReadDoc};
use lotse_model::demo::{self, Demo, DemoSize};
use lotse_model::network_doc::seed_institution_id;
use lotse_model::record::{self, Record};
use lotse_model::validate::is_valid_date;
use lotse_model::{
    Community, Company, Consultation, Contact, Event, EventKind, FollowUp, Household, Institution, Measure, Mentor,
    PartnerOrganisation, PlaceStatus, Referral, Role, TargetGroup, TrainingPlace,
};

const TODAY: &str = "2026-11-12";

fn device() -> ActorId {
    ActorId::from([0xC0; 16])
}

fn small(seed: u64) -> Demo {
    demo::generate(&DemoSize::SMALL, seed, TODAY, device()).unwrap()
}

fn all<R: Record>(doc: &AutoCommit) -> Vec<R> {
    record::all(doc).unwrap()
}

/// How many records of a type a document holds, without hydrating them.
fn count<R: Record>(doc: &AutoCommit) -> usize {
    match doc.get(automerge::ROOT, R::COLLECTION).unwrap() {
        Some((_, obj)) => doc.length(&obj),
        None => panic!("no {} map", R::COLLECTION),
    }
}

/// Every document's saved bytes, network first.
fn saved(d: &mut Demo) -> Vec<Vec<u8>> {
    let mut out = vec![d.network.save()];
    out.extend(d.communities.iter_mut().map(|(_, doc)| doc.save()));
    out
}

fn ids<R: Record>(list: &[R]) -> HashSet<String> {
    list.iter().map(Record::record_key).collect()
}

#[test]
fn the_same_seed_gives_the_same_bytes_and_another_seed_other_data() {
    let mut a = small(7);
    let mut b = small(7);
    assert_eq!(saved(&mut a), saved(&mut b));
    assert_eq!(a.me, b.me);

    let mut c = small(8);
    assert_ne!(saved(&mut a), saved(&mut c));
    let names = |d: &Demo| {
        let mut n: Vec<String> = all::<Contact>(&d.communities[0].1).into_iter().map(|c| c.name).collect();
        n.sort();
        n
    };
    assert_ne!(names(&a), names(&c), "another seed gives other people, not just other ids");
}

#[test]
fn a_bad_today_is_refused() {
    assert!(demo::generate(&DemoSize::SMALL, 1, "12.11.2026", device()).is_err());
    assert!(demo::generate(&DemoSize::SMALL, 1, "2026-02-30", device()).is_err());
}

#[test]
fn the_small_set_is_a_consistent_year_of_a_service_centre() {
    let started = Instant::now();
    let d = small(2026);
    eprintln!("SMALL generated in {:?}", started.elapsed());
    let size = DemoSize::SMALL;
    let today = TODAY.to_owned();
    let in_days = |n: i64| {
        // TODAY + n, for n in 0..=14, within November 2026.
        format!("2026-11-{:02}", 12 + n)
    };

    // The network document.
    let net = &d.network;
    let communities: Vec<Community> = all(net);
    let mentors: Vec<Mentor> = all(net);
    let partners: Vec<PartnerOrganisation> = all(net);
    let institutions: Vec<Institution> = all(net);
    let events: Vec<Event> = all(net);
    let companies: Vec<Company> = all(net);
    let places: Vec<TrainingPlace> = all(net);
    let measures: Vec<Measure> = all(net);
    assert_eq!(communities.len(), size.communities);
    assert_eq!(d.communities.len(), size.communities);
    assert_eq!(events.len(), size.events);
    assert_eq!(companies.len(), size.companies);
    assert_eq!(institutions.len(), 6, "the seeded institutions, no more");
    assert!(!places.is_empty() && !measures.is_empty() && !partners.is_empty());

    // Me: a coordinator on this device.
    assert_eq!(d.me.role, Role::Coordinator);
    assert!(d.me.devices.contains(&device().to_hex_string()));
    assert!(mentors.contains(&d.me));
    let community_ids: HashSet<_> = communities.iter().map(|c| c.id).collect();
    for c in &communities {
        let n = mentors.iter().filter(|m| m.community == Some(c.id) && m.role == Role::Mentor).count();
        assert!((2..=3).contains(&n), "{} has {n} mentors", c.name);
        assert!(partners.iter().any(|p| p.community == Some(c.id) && p.name.contains("(Demo)")));
    }
    assert!(communities.iter().any(|c| c.name == "Türkische Community"));
    let mentor_ids: HashSet<_> = mentors.iter().map(|m| m.id).collect();

    // The community documents.
    let mut contacts: HashMap<_, Contact> = HashMap::new();
    let (mut n_contacts, mut n_consultations, mut referrals_overdue, mut referrals_today) = (0, 0, 0, 0);
    let (mut n_referrals, mut follow_ups_overdue, mut follow_ups_today) = (0, 0, 0);
    for (community, doc) in &d.communities {
        assert!(community_ids.contains(&community.id));
        let people: Vec<Contact> = all(doc);
        let households: Vec<Household> = all(doc);
        let consultations: Vec<Consultation> = all(doc);
        let referrals: Vec<Referral> = all(doc);
        let follow_ups: Vec<FollowUp> = all(doc);
        n_contacts += people.len();
        n_consultations += consultations.len();
        n_referrals += referrals.len();
        let people_ids: HashSet<_> = people.iter().map(|c| c.id).collect();
        let household_ids: HashSet<_> = households.iter().map(|h| h.id).collect();
        let consultation_ids: HashSet<_> = consultations.iter().map(|c| c.id).collect();
        assert!(!households.is_empty(), "some contacts share a household");

        for c in &people {
            assert!(c.notes.contains("Demo"), "{} is marked as fictional", c.name);
            assert!(is_valid_date(&c.consent.given_on));
            assert!(c.consent.given_on <= today);
            assert!(c.household.is_none_or(|h| household_ids.contains(&h)));
            assert!(mentor_ids.contains(&c.created_by));
            assert!(c.phone.is_empty() || lotse_model::validate::is_valid_phone(&c.phone), "{}", c.phone);
        }
        for g in TargetGroup::ALL {
            assert!(people.iter().any(|c| c.target_group == g), "{} has no {g:?}", community.name);
        }
        for c in &consultations {
            assert!(is_valid_date(&c.date) && c.date <= today, "{}", c.date);
            assert!(c.contact.is_some() || c.household.is_some());
            assert!(c.contact.is_none_or(|id| people_ids.contains(&id)));
            assert!(c.household.is_none_or(|id| household_ids.contains(&id)));
            assert!((1..=3).contains(&c.topics.len()));
            assert!(mentor_ids.contains(&c.mentor));
        }
        for r in &referrals {
            assert!(people_ids.contains(&r.contact));
            assert!(r.consultation.is_none_or(|id| consultation_ids.contains(&id)));
            assert!(institutions.iter().any(|i| i.id == r.institution));
            assert!((0..6).any(|n| seed_institution_id(n) == r.institution));
            assert!(is_valid_date(&r.date));
            if let Some(due) = &r.follow_up_on {
                assert!(is_valid_date(due) && *due >= r.date, "{due} before {}", r.date);
                if r.status.is_open() {
                    referrals_overdue += usize::from(*due < today);
                    referrals_today += usize::from(*due == today);
                }
            }
        }
        for f in &follow_ups {
            assert!(is_valid_date(&f.due_on));
            assert!(f.contact.is_none_or(|id| people_ids.contains(&id)));
            if !f.done {
                follow_ups_overdue += usize::from(f.due_on < today);
                follow_ups_today += usize::from(f.due_on == today);
            }
        }
        contacts.extend(people.into_iter().map(|c| (c.id, c)));
    }
    assert_eq!(n_contacts, size.contacts);
    assert_eq!(n_consultations, size.consultations);
    let share = n_referrals as f64 / n_consultations as f64;
    assert!((0.15..0.35).contains(&share), "about one consultation in four is referred, not {share}");
    assert!(referrals_overdue > 0 && referrals_today > 0, "{referrals_overdue} overdue, {referrals_today} today");
    assert!(follow_ups_overdue > 0 && follow_ups_today > 0, "{follow_ups_overdue} overdue, {follow_ups_today} today");

    // Events: every kind, dated, some in the coming two weeks, counted.
    for kind in EventKind::ALL {
        assert!(events.iter().any(|e| e.kind == *kind), "no {kind:?}");
    }
    let next_two_weeks: HashSet<String> = (0..=14).map(in_days).collect();
    assert!(events.iter().any(|e| next_two_weeks.contains(&e.date)));
    let company_ids = ids(&companies);
    let partner_ids: HashSet<_> = partners.iter().map(|p| p.id).collect();
    for e in &events {
        assert!(is_valid_date(&e.date), "{}", e.date);
        assert!(e.community.is_none_or(|c| community_ids.contains(&c)));
        assert!(e.partner.is_none_or(|p| partner_ids.contains(&p)));
        assert!(e.company.is_none_or(|c| company_ids.contains(&c.to_string())));
        assert!(mentor_ids.contains(&e.created_by));
        if e.date < today {
            assert!(e.attendance.total() > 0, "{} on {} had people", e.title, e.date);
        } else {
            assert_eq!(e.attendance.total(), 0, "nobody has come to a future event yet");
        }
        if e.kind == EventKind::SchoolInfoSession {
            assert!(!e.school.is_empty());
        }
    }

    // Companies and their training places.
    assert!(companies.iter().any(|c| c.name == "Bäckerei Yıldız (Demo)"));
    for c in &companies {
        assert!(c.name.contains("(Demo)"));
        assert!(is_valid_date(&c.member_since) && c.member_since <= today);
        assert!(c.community.is_none_or(|id| community_ids.contains(&id)));
    }
    let mut placed = HashSet::new();
    for p in &places {
        assert!(company_ids.contains(&p.company.to_string()));
        assert!(is_valid_date(&p.start_on) && p.start_on.ends_with("-08-01"));
        assert!(is_valid_date(&p.acquired_on) && p.acquired_on <= today);
        match (p.status, p.filled_by) {
            (PlaceStatus::Filled, Some(youth)) => {
                let c = contacts.get(&youth).expect("the placed young person is a contact");
                assert_eq!(c.target_group, TargetGroup::Youth);
                assert!(placed.insert(youth), "one place per young person");
            }
            (PlaceStatus::Filled, None) => panic!("a filled place names who filled it"),
            (_, filled_by) => assert_eq!(filled_by, None),
        }
    }
    assert!(places.iter().any(|p| p.status == PlaceStatus::Filled));

    // This year's action plan.
    for m in &measures {
        assert_eq!(m.year, 2026);
        assert!(m.target > 0);
    }
    assert!(measures.iter().any(|m| m.title == "Erstberatungen"));
}

#[test]
fn the_bench_set_has_the_size_asked_for_and_is_quick_to_make() {
    let started = Instant::now();
    let d = demo::generate(&DemoSize::BENCH, 42, TODAY, device()).unwrap();
    eprintln!("BENCH generated in {:?}", started.elapsed());
    let size = DemoSize::BENCH;
    // Counted by keys: hydrating 25,000 records would take longer than making them.
    assert_eq!(count::<Community>(&d.network), size.communities);
    assert_eq!(d.communities.len(), size.communities);
    assert_eq!(count::<Event>(&d.network), size.events);
    assert_eq!(count::<Company>(&d.network), size.companies);
    let contacts: usize = d.communities.iter().map(|(_, doc)| count::<Contact>(doc)).sum();
    let consultations: usize = d.communities.iter().map(|(_, doc)| count::<Consultation>(doc)).sum();
    assert_eq!(contacts, size.contacts);
    assert_eq!(consultations, size.consultations);
    // A sample hydrates.
    let (_, doc) = &d.communities[0];
    let first = all::<Referral>(doc).into_iter().next().expect("referrals");
    assert!(record::get::<Contact>(doc, &first.contact.to_string()).unwrap().is_some());
}

#[test]
fn each_demo_record_has_one_commit_by_its_mentors_phone_and_the_device_carries_on_as_itself() {
    let mut d = small(3);
    let mentors: Vec<Mentor> = all(&d.network);
    let phone_of: HashMap<_, _> = mentors.iter().map(|m| (m.id, m.devices[0].clone())).collect();
    let (_, doc) = &mut d.communities[1];
    let by_message: HashMap<String, (String, i64)> = doc
        .get_changes(&[])
        .iter()
        .filter_map(|c| Some((c.message()?.to_owned(), (c.actor_id().to_hex_string(), c.timestamp()))))
        .collect();
    for c in all::<Contact>(doc) {
        let (actor, seconds) = &by_message[&record::tag("contacts", &c.id.to_string())];
        assert_eq!(actor, &phone_of[&c.created_by], "{} was written on its mentor's phone", c.name);
        assert_eq!(*seconds, c.created_at / 1000);
    }
    for c in all::<Consultation>(doc) {
        let (actor, _) = &by_message[&record::tag("consultations", &c.id.to_string())];
        assert_eq!(actor, &phone_of[&c.mentor]);
    }

    // This device edits a demo record as itself, field by field.
    assert_eq!(doc.get_actor(), &device());
    let mut contact = all::<Contact>(doc).remove(0);
    contact.district = "Sutthausen".into();
    record::put(doc, &contact, 1_800_000_000_000).unwrap();
    let again: Contact = record::get(doc, &contact.id.to_string()).unwrap().unwrap();
    assert_eq!(again, contact);
    let last = doc.get_last_local_change().expect("a local change");
    assert_eq!(last.actor_id(), &device());
    let mut reloaded = AutoCommit::load(&doc.save()).unwrap();
    assert_eq!(record::get::<Contact>(&reloaded, &contact.id.to_string()).unwrap(), Some(contact));
    assert_eq!(reloaded.get_heads(), doc.get_heads());
}

#[test]
fn on_new_years_day_nothing_is_written_after_today_and_the_plan_is_for_the_new_year() {
    let today = "2027-01-01";
    let end_of_today_s = 1_798_848_000; // 2027-01-02T00:00:00Z
    let mut d = demo::generate(&DemoSize::SMALL, 11, today, device()).unwrap();
    let measures: Vec<Measure> = all(&d.network);
    assert!(measures.iter().all(|m| m.year == 2027));
    let mut docs = vec![&mut d.network];
    docs.extend(d.communities.iter_mut().map(|(_, doc)| doc));
    for doc in docs {
        for change in doc.get_changes(&[]) {
            assert!(change.timestamp() < end_of_today_s, "{:?} is stamped after today", change.message());
        }
    }
    for (_, doc) in &d.communities {
        for c in all::<Consultation>(doc) {
            assert!(is_valid_date(&c.date) && c.date.as_str() <= today, "{}", c.date);
        }
        for c in all::<Contact>(doc) {
            assert!(c.consent.given_on.as_str() >= "2026-01-01", "within the past twelve months");
        }
    }
}

/// The retention page has something to show in the demo: the first
/// community keeps contacts half a year, and some are idle longer.
#[test]
fn the_demo_has_a_community_with_a_retention_period_and_contacts_past_it() {
    let d = small(7);
    let c: Vec<Community> = all(&d.network);
    let with: Vec<&Community> = c.iter().filter(|c| c.retention_months.is_some()).collect();
    assert_eq!(with.len(), 1, "{c:?}");
    let docs: Vec<(lotse_model::CommunityId, &AutoCommit)> = d.communities.iter().map(|(c, doc)| (c.id, doc)).collect();
    let nb = lotse_model::Notebook::load(&d.network, &docs).unwrap();
    assert!(!lotse_model::retention::expired(&nb, with[0].id, TODAY).is_empty(), "someone is past it");
}
