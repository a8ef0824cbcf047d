//! Erasing one person: a community with several people, one of whom (Yusuf
//! Demir, with a duplicate merged into him, his own household, a
//! consultation, a household consultation, a referral, a follow-up and a
//! training place he filled) asks to be erased. The community's document is
//! rewritten; an offline phone's late writes are carried over, except its
//! consultation about Yusuf.

use std::collections::{BTreeMap, BTreeSet};

use automerge::{ActorId, AutoCommit, ChangeHash};
use lotse_model::erasure::{
    carry_over, carry_own, dropped_by_device, erased_between, rewrite, CarryReport, ErasedIds, Erasure, ErasureError,
    UnknownContact,
};
use lotse_model::record;
use lotse_model::*;

const T0: i64 = 1_773_662_400_000;
const COORDINATOR: [u8; 16] = [0xc0; 16];
const OFFLINE: [u8; 16] = [0x0f; 16];

/// Every string of Yusuf's records: none may be left in the new document.
const YUSUF_STRINGS: &[&str] = &[
    "Yusuf",
    "Demir",
    "0541 777 1234",
    "0176 555 0199",
    "Vater arbeitet nachts",
    "Bewerbung als Kfz-Mechatroniker",
    "Zeugnisse mitbringen",
    "Familie wohnt beengt",
    "Hausbesuch bei Demirs",
];

fn community() -> CommunityId {
    CommunityId::from_random([10; 16])
}

fn mentor() -> MentorId {
    MentorId::from_random([1; 16])
}

/// Ids of every kind differ (as random ones do): the number, then the
/// first letters of the type's name.
fn id<T>(n: u16, make: fn([u8; 16]) -> T) -> T {
    let name = std::any::type_name::<T>().rsplit("::").next().unwrap_or_default().as_bytes();
    let mut b = [0x55u8; 16];
    b[..2].copy_from_slice(&n.to_be_bytes());
    b[2..6].copy_from_slice(&name[..4]);
    make(b)
}

fn contact(n: u16, name: &str, phone: &str, notes: &str, household: Option<HouseholdId>) -> Contact {
    Contact {
        id: id(n, ContactId::from_random),
        target_group: TargetGroup::Youth,
        name: name.into(),
        phone: phone.into(),
        languages: vec!["tr".into(), "de".into()],
        district: "Schinkel".into(),
        household,
        notes: notes.into(),
        consent: Consent { given_on: "2026-03-01".into(), scope: ConsentScope::Advice, recorded_by: mentor() },
        created_by: mentor(),
        created_at: T0,
        merged_into: None,
        not_the_same: vec![],
    }
}

fn household(n: u16, name: &str, notes: &str) -> Household {
    Household {
        id: id(n, HouseholdId::from_random),
        name: name.into(),
        district: "Schinkel".into(),
        notes: notes.into(),
        created_by: mentor(),
        created_at: T0,
    }
}

fn consultation(n: u16, contact: Option<ContactId>, household: Option<HouseholdId>, notes: &str) -> Consultation {
    Consultation {
        id: id(n, ConsultationId::from_random),
        date: "2026-03-20".into(),
        contact,
        household,
        topics: vec![Topic::FindingTrainingPlace],
        outcome: Outcome::Informed,
        notes: notes.into(),
        mentor: mentor(),
        created_at: T0,
    }
}

fn referral(n: u16, contact: ContactId, consultation: Option<ConsultationId>, reason: &str) -> Referral {
    Referral {
        id: id(n, ReferralId::from_random),
        contact,
        consultation,
        institution: lotse_model::network_doc::seed_institution_id(1),
        reason: reason.into(),
        status: ReferralStatus::Open,
        follow_up_on: Some("2026-04-01".into()),
        date: "2026-03-20".into(),
        mentor: mentor(),
        created_at: T0,
    }
}

fn follow_up(n: u16, contact: Option<ContactId>, note: &str) -> FollowUp {
    FollowUp {
        id: id(n, FollowUpId::from_random),
        due_on: "2026-04-02".into(),
        note: note.into(),
        contact,
        mentor: mentor(),
        done: false,
        created_at: T0,
    }
}

fn yusuf() -> ContactId {
    id(1, ContactId::from_random)
}

/// The ids the fixture gives Yusuf's records, computed by hand.
struct Fixture {
    network: AutoCommit,
    community: AutoCommit,
    lena: Contact,
    elif: Contact,
    ali: Contact,
    referral_of_ali: Referral,
    follow_up_of_ali: FollowUp,
}

fn fixture() -> Fixture {
    let mut doc = CommunityDoc::genesis(ActorId::from([0xa1; 16]));
    let demir = household(1, "Familie Demir", "Familie wohnt beengt");
    let kaya = household(2, "Familie Kaya", "");
    let mut yusuf_c = contact(1, "Yusuf Demir", "0541 777 1234", "Vater arbeitet nachts", Some(demir.id));
    // His duplicate, merged into him: the same person.
    let mut dup = contact(2, "Y. Demir", "0176 555 0199", "", None);
    dup.merged_into = Some(yusuf_c.id);
    yusuf_c.not_the_same = vec![];
    let mut lena = contact(3, "Lena Schmidt", "0541 222 3333", "", None);
    // Someone once said Lena is not Yusuf: the id must go with him.
    lena.not_the_same = vec![yusuf_c.id];
    let ali = contact(4, "Ali Kaya", "0541 444 5555", "", Some(kaya.id));
    let elif = contact(5, "Elif Kaya", "0541 666 7777", "", Some(kaya.id));
    for c in [&yusuf_c, &dup, &lena, &ali, &elif] {
        record::put(&mut doc, c, T0).unwrap();
    }
    for h in [&demir, &kaya] {
        record::put(&mut doc, h, T0).unwrap();
    }
    let yc = consultation(1, Some(yusuf_c.id), Some(demir.id), "Bewerbung als Kfz-Mechatroniker");
    record::put(&mut doc, &yc, T0).unwrap();
    record::put(&mut doc, &consultation(2, None, Some(demir.id), "Hausbesuch bei Demirs"), T0).unwrap();
    record::put(&mut doc, &referral(1, yusuf_c.id, Some(yc.id), "HWK"), T0).unwrap();
    record::put(&mut doc, &follow_up(1, Some(dup.id), "Zeugnisse mitbringen"), T0).unwrap();
    // Ali's referral names Yusuf's consultation by mistake: the link goes.
    let referral_of_ali = referral(2, ali.id, Some(yc.id), "Jobcenter");
    record::put(&mut doc, &referral_of_ali, T0).unwrap();
    let follow_up_of_ali = follow_up(2, Some(ali.id), "Ali anrufen");
    record::put(&mut doc, &follow_up_of_ali, T0).unwrap();
    // A year of the others' consultations.
    for n in 0..300u16 {
        let who = [lena.id, ali.id, elif.id][usize::from(n % 3)];
        record::put(&mut doc, &consultation(100 + n, Some(who), None, &format!("Gespräch {n}")), T0).unwrap();
    }

    let mut network = NetworkDoc::genesis(ActorId::from([0xa1; 16]));
    let company = Company {
        id: id(1, CompanyId::from_random),
        name: "Autohaus Öztürk".into(),
        trade: "Kfz".into(),
        chamber: Chamber::Hwk,
        licence: LicenceStatus::Has,
        contact_person: "Herr Öztürk".into(),
        phone: "0541 888".into(),
        community: Some(community()),
        member_since: "2025-01-01".into(),
        notes: String::new(),
        created_by: mentor(),
        created_at: T0,
    };
    record::put(&mut network, &company, T0).unwrap();
    for (n, filled_by) in [(1, Some(yusuf_c.id)), (2, Some(ali.id))] {
        let place = TrainingPlace {
            id: id(n, TrainingPlaceId::from_random),
            company: company.id,
            occupation: "Kfz-Mechatroniker/in".into(),
            start_on: "2026-08-01".into(),
            status: PlaceStatus::Filled,
            filled_by,
            acquired_on: "2026-02-01".into(),
            created_at: T0,
        };
        record::put(&mut network, &place, T0).unwrap();
    }
    Fixture { network, community: doc, lena, elif, ali, referral_of_ali, follow_up_of_ali }
}

fn notebook(f: &Fixture) -> Notebook {
    Notebook::load(&f.network, &[(community(), &f.community)]).unwrap()
}

fn holds(bytes: &[u8], needle: &str) -> bool {
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// The strings of Yusuf's records and his records' ids found in `doc`'s
/// saved bytes, compressed and not.
fn traces(doc: &mut AutoCommit, erased: &ErasedIds) -> Vec<String> {
    let (a, b) = (doc.save(), doc.save_nocompress());
    let all_ids: Vec<String> = Kind::ALL.iter().flat_map(|k| erased.ids(*k).map(str::to_owned)).collect();
    YUSUF_STRINGS.iter().map(|s| (*s).to_owned()).chain(all_ids).filter(|s| holds(&a, s) || holds(&b, s)).collect()
}

fn hashes(doc: &mut AutoCommit) -> BTreeSet<ChangeHash> {
    doc.get_changes(&[]).iter().map(|c| c.hash()).collect()
}

fn sorted<R: record::Record + RecordKind>(doc: &AutoCommit) -> Vec<R> {
    let mut list: Vec<R> = record::all(doc).unwrap();
    list.sort_by_key(|r| r.id());
    list
}

#[test]
fn the_plan_names_everything_about_the_person_and_counts_it() {
    let f = fixture();
    let plan = Erasure::plan(&notebook(&f), yusuf()).unwrap();
    // By hand: Yusuf and his merged duplicate; the Demir household (he was
    // its only member); his consultation and the household's; his referral;
    // the follow-up about his duplicate. Ali's referral and the Kaya
    // household stay.
    let counts: BTreeMap<Kind, usize> =
        [(Kind::Contact, 2), (Kind::Household, 1), (Kind::Consultation, 2), (Kind::Referral, 1), (Kind::FollowUp, 1)]
            .into();
    assert_eq!(plan.erased.counts(), counts);
    assert_eq!(plan.unlinked.counts(), [(Kind::TrainingPlace, 1)].into());
    assert_eq!(plan.communities, [community()].into());
    assert!(plan.erased.contains(Kind::Household, &id(1, HouseholdId::from_random).to_string()));
    assert!(!plan.erased.contains(Kind::Referral, &f.referral_of_ali.id.to_string()));
}

#[test]
fn a_shared_household_stays_when_one_member_is_erased() {
    let f = fixture();
    let plan = Erasure::plan(&notebook(&f), f.ali.id).unwrap();
    assert_eq!(plan.erased.counts().get(&Kind::Household), None);
    // His hundred consultations, his referral and follow-up go with him.
    assert_eq!(plan.erased.counts().get(&Kind::Consultation), Some(&100));
    assert_eq!(plan.erased.counts().get(&Kind::FollowUp), Some(&1));
    assert!(matches!(Erasure::plan(&notebook(&f), id(999, ContactId::from_random)), Err(UnknownContact(_))));
}

#[test]
fn the_rewrite_holds_nothing_of_the_person_and_everyone_else_as_before() {
    let mut f = fixture();
    let plan = Erasure::plan(&notebook(&f), yusuf()).unwrap();
    // The control: the search finds Yusuf in the old document.
    assert_eq!(traces(&mut f.community, &plan.erased).len(), YUSUF_STRINGS.len() + 7);

    let mut new = rewrite(&f.community, &plan.erased, ActorId::from(COORDINATOR), T0 + 1000).unwrap();
    assert_eq!(traces(&mut new, &plan.erased), Vec::<String>::new());

    // Everyone else hydrates as before; Lena's "not the same" loses Yusuf,
    // Ali's referral its link to Yusuf's consultation.
    let mut lena = f.lena.clone();
    lena.not_the_same.clear();
    let mut ali_ref = f.referral_of_ali.clone();
    ali_ref.consultation = None;
    let lena_after = lena.clone();
    assert_eq!(CommunityDoc::contact(&new, lena.id).unwrap(), Some(lena));
    assert_eq!(CommunityDoc::contact(&new, f.elif.id).unwrap(), Some(f.elif.clone()));
    assert_eq!(record::get::<Referral>(&new, &ali_ref.id.to_string()).unwrap(), Some(ali_ref.clone()));
    let kept = |list: Vec<Consultation>| -> Vec<Consultation> {
        list.into_iter().filter(|c| !plan.erased.contains(Kind::Consultation, &c.id.to_string())).collect()
    };
    assert_eq!(sorted::<Consultation>(&new), kept(sorted(&f.community)));
    assert_eq!(sorted::<Consultation>(&new).len(), 300);
    let kaya = record::get::<Household>(&f.community, &f.ali.household.unwrap().to_string()).unwrap();
    assert_eq!(sorted::<Household>(&new), Vec::from_iter(kaya));
    assert_eq!(sorted::<FollowUp>(&new), vec![f.follow_up_of_ali.clone()]);
    let mut people = vec![lena_after, f.ali.clone(), f.elif.clone()];
    people.sort_by_key(|c| c.id);
    assert_eq!(sorted::<Contact>(&new), people);
    assert_eq!(sorted::<Referral>(&new), vec![ali_ref]);

    // None of the old history: only the genesis every device writes is
    // shared, and the rewrite is one change on top of it.
    let old = hashes(&mut f.community);
    let shared: Vec<_> = hashes(&mut new).intersection(&old).copied().collect();
    assert_eq!(shared, CommunityDoc::genesis(ActorId::from([9; 16])).get_heads());
    assert_eq!(new.get_changes(&[]).len(), 2);

    // The notebook reads the new epoch whole, and Yusuf is not in it.
    let nb = Notebook::load(&f.network, &[(community(), &new)]).unwrap();
    assert_eq!(nb.skipped(), 0);
    assert!(matches!(Erasure::plan(&nb, yusuf()), Err(UnknownContact(_))));

    // A device that starts the document offline still merges with it.
    let mut fresh = CommunityDoc::genesis(ActorId::from([7; 16]));
    fresh.merge(&mut new).unwrap();
    assert_eq!(CommunityDoc::contacts(&fresh).unwrap().len(), 3);
}

#[test]
fn rewriting_the_network_document_unlinks_the_places_the_person_filled() {
    let f = fixture();
    let plan = Erasure::plan(&notebook(&f), yusuf()).unwrap();
    let new = rewrite(&f.network, &plan.erased, ActorId::from(COORDINATOR), T0).unwrap();
    let places: Vec<TrainingPlace> = sorted(&new);
    let before: Vec<TrainingPlace> = sorted(&f.network);
    assert_eq!(places.len(), 2);
    for (now, was) in places.iter().zip(&before) {
        let unlinked = plan.unlinked.contains(Kind::TrainingPlace, &was.id.to_string());
        assert_eq!(now.filled_by, if unlinked { None } else { was.filled_by });
        assert_eq!((now.status, &now.occupation), (was.status, &was.occupation));
    }
    assert_eq!(record::all::<Institution>(&new).unwrap().len(), 6);
}

/// The erased document, its rewrite and the heads it was made from; then
/// an offline phone's late writes merged into the old epoch.
fn erased_with_late_writes() -> (Fixture, Erasure, Vec<ChangeHash>, AutoCommit, Contact) {
    let mut f = fixture();
    let plan = Erasure::plan(&notebook(&f), yusuf()).unwrap();
    let heads = f.community.get_heads();
    let mut new = rewrite(&f.community, &plan.erased, ActorId::from(COORDINATOR), T0 + 1000).unwrap();

    // On the new epoch meanwhile, a mentor changes Lena's district.
    let mut lena_new = CommunityDoc::contact(&new, f.lena.id).unwrap().unwrap();
    lena_new.district = "Eversburg".into();
    record::put(&mut new, &lena_new, T0 + 2000).unwrap();

    // The offline phone, still on the old epoch: Lena's new phone, a
    // consultation about Yusuf, Ali's follow-up deleted.
    let mut phone = f.community.fork_at(&heads).unwrap().with_actor(ActorId::from(OFFLINE));
    let mut lena_old = f.lena.clone();
    lena_old.phone = "0160 123 4567".into();
    record::put(&mut phone, &lena_old, T0 + 3000).unwrap();
    record::put(&mut phone, &consultation(900, Some(yusuf()), None, "Yusuf kam wieder vorbei"), T0 + 3000).unwrap();
    record::remove::<FollowUp>(&mut phone, &f.follow_up_of_ali.id.to_string(), T0 + 3000).unwrap();
    f.community.merge(&mut phone).unwrap();
    let expected = Contact { phone: "0160 123 4567".into(), district: "Eversburg".into(), ..lena_new };
    (f, plan, heads, new, expected)
}

/// What carrying the offline phone's late writes (of
/// [`erased_with_late_writes`]) reports: Lena's contact carried, Ali's
/// follow-up deleted, the consultation about Yusuf dropped.
fn late_writes_report() -> CarryReport {
    CarryReport {
        carried: [(Kind::Contact, 1)].into(),
        deleted: [(Kind::FollowUp, 1)].into(),
        dropped: [(Kind::Consultation, 1)].into(),
    }
}

#[test]
fn late_writes_about_others_are_carried_and_those_about_the_erased_person_dropped() {
    let (mut f, plan, heads, mut new, lena) = erased_with_late_writes();
    let report = carry_over(&heads, &mut f.community, &mut new, &plan.erased, T0 + 4000).unwrap();
    assert_eq!(report, late_writes_report());
    // Both epochs' edits of Lena survive, field by field.
    assert_eq!(CommunityDoc::contact(&new, lena.id).unwrap(), Some(lena));
    assert_eq!(record::all::<FollowUp>(&new).unwrap(), vec![]);
    assert_eq!(sorted::<Consultation>(&new).len(), 300);
    assert_eq!(traces(&mut new, &plan.erased), Vec::<String>::new());
    assert!(!holds(&new.save_nocompress(), "kam wieder vorbei"));
}

/// Another device (`actor`) writes `contact` on top of everything `doc`
/// holds, and `doc` reads it.
fn write_as(doc: &mut AutoCommit, actor: [u8; 16], contact: &Contact) {
    let mut other = doc.fork().with_actor(ActorId::from(actor));
    record::put(&mut other, contact, T0 + 3500).unwrap();
    doc.merge(&mut other).unwrap();
}

/// The changes `actor` made after `heads`: what that device carries.
fn changes_of(doc: &mut AutoCommit, heads: &[ChangeHash], actor: [u8; 16]) -> Vec<ChangeHash> {
    let actor = ActorId::from(actor);
    doc.get_changes(heads).iter().filter(|c| *c.actor_id() == actor).map(|c| c.hash()).collect()
}

#[test]
fn a_device_that_did_not_plan_the_erasure_reads_what_was_erased_from_the_rewrite() {
    let (f, plan, heads, mut new, _) = erased_with_late_writes();
    // Lena's district was changed in the new epoch since; a record deleted
    // there later would not count as erased either (read at the rewrite).
    assert_eq!(erased_between(&f.community, &heads, &mut new), plan.erased);
}

#[test]
fn a_device_carries_only_its_own_late_writes() {
    let (mut f, plan, heads, mut new, _) = erased_with_late_writes();
    // Another device's late write, read by this one: the offline phone's
    // own writes are carried, not this one.
    let elif = Contact { notes: "von einem anderen Telefon".into(), ..f.elif.clone() };
    write_as(&mut f.community, [0x77; 16], &elif);
    let own = changes_of(&mut f.community, &heads, OFFLINE);
    assert_eq!(own.len(), 3);
    let report = carry_own(&mut f.community, &heads, &own, &mut new, T0 + 4000).unwrap();
    assert_eq!(report, late_writes_report());
    assert_ne!(CommunityDoc::contact(&new, elif.id).unwrap().unwrap().notes, elif.notes);
    assert_eq!(traces(&mut new, &plan.erased), Vec::<String>::new());
    // The drop is counted in the new document, under the carrying device
    // (the new document's actor here: the coordinator's), with no content.
    let dropped = dropped_by_device(&new);
    assert_eq!(dropped, [(ActorId::from(COORDINATOR).to_hex_string(), [(Kind::Consultation, 1)].into())].into());
    assert!(!holds(&new.save_nocompress(), "kam wieder vorbei"));
    // Carried once: again, nothing, and counted once.
    let again = carry_own(&mut f.community, &heads, &own, &mut new, T0 + 5000).unwrap();
    assert!(again.is_empty(), "{again:?}");
    assert_eq!(dropped_by_device(&new), dropped);
    // A later rewrite of the new epoch does not keep the old counts.
    let later = rewrite(&new, &ErasedIds::default(), ActorId::from(COORDINATOR), T0 + 6000).unwrap();
    assert!(dropped_by_device(&later).is_empty());
}

#[test]
fn an_own_write_on_top_of_another_devices_carries_both() {
    let (mut f, plan, heads, mut new, _) = erased_with_late_writes();
    let mut elif = Contact { notes: "erst".into(), ..f.elif.clone() };
    write_as(&mut f.community, [0x77; 16], &elif);
    // This device read it, then wrote on top of it.
    elif.district = "Wüste".into();
    write_as(&mut f.community, [0x88; 16], &elif);
    let own = changes_of(&mut f.community, &heads, [0x88; 16]);
    carry_own(&mut f.community, &heads, &own, &mut new, T0 + 4000).unwrap();
    assert_eq!(CommunityDoc::contact(&new, elif.id).unwrap(), Some(elif));
    assert_eq!(traces(&mut new, &plan.erased), Vec::<String>::new());
}

#[test]
fn carrying_the_same_writes_twice_changes_nothing() {
    let (mut f, plan, heads, mut new, lena) = erased_with_late_writes();
    carry_over(&heads, &mut f.community, &mut new, &plan.erased, T0 + 4000).unwrap();
    let after_first = new.get_heads();
    let again = carry_over(&heads, &mut f.community, &mut new, &plan.erased, T0 + 5000).unwrap();
    assert!(again.is_empty(), "{again:?}");
    assert_eq!(new.get_heads(), after_first);
    assert_eq!(CommunityDoc::contact(&new, lena.id).unwrap(), Some(lena));
}

#[test]
fn a_late_write_after_a_first_carry_is_carried_on_its_own() {
    let (mut f, plan, heads, mut new, _) = erased_with_late_writes();
    carry_over(&heads, &mut f.community, &mut new, &plan.erased, T0 + 4000).unwrap();
    let mut elif = f.elif.clone();
    elif.notes = "neu".into();
    let mut phone = f.community.fork().with_actor(ActorId::from(OFFLINE));
    record::put(&mut phone, &elif, T0 + 6000).unwrap();
    f.community.merge(&mut phone).unwrap();
    let report = carry_over(&heads, &mut f.community, &mut new, &plan.erased, T0 + 7000).unwrap();
    assert_eq!(report, CarryReport { carried: [(Kind::Contact, 1)].into(), ..CarryReport::default() });
    assert_eq!(CommunityDoc::contact(&new, elif.id).unwrap(), Some(elif));
}

#[test]
fn late_tallies_of_an_event_add_to_the_new_epochs() {
    let mut network = NetworkDoc::genesis(ActorId::from([0xa1; 16]));
    let mut attendance = Attendance::default();
    attendance.add(TargetGroup::Parent, 10);
    let event = Event {
        id: id(1, EventId::from_random),
        kind: EventKind::ParentEvening,
        title: "Elternabend".into(),
        date: "2026-03-20".into(),
        time: String::new(),
        place: String::new(),
        community: Some(community()),
        partner: None,
        school: String::new(),
        company: None,
        attendance,
        notes: String::new(),
        created_by: mentor(),
        created_at: T0,
    };
    record::put(&mut network, &event, T0).unwrap();
    let heads = network.get_heads();
    let erased = ErasedIds::default();
    let mut new = rewrite(&network, &erased, ActorId::from(COORDINATOR), T0).unwrap();
    let tap = |doc: &mut AutoCommit, by: i64| {
        let mut e: Event = record::get(doc, &event.id.to_string()).unwrap().unwrap();
        e.attendance.add(TargetGroup::Parent, by);
        record::put(doc, &e, T0 + 1000).unwrap();
    };
    tap(&mut new, 2);
    let mut phone = network.fork_at(&heads).unwrap().with_actor(ActorId::from(OFFLINE));
    tap(&mut phone, 3);
    network.merge(&mut phone).unwrap();
    for _ in 0..2 {
        carry_over(&heads, &mut network, &mut new, &erased, T0 + 2000).unwrap();
    }
    let e: Event = record::get(&new, &event.id.to_string()).unwrap().unwrap();
    assert_eq!(e.attendance.count(TargetGroup::Parent), 15);
}

#[test]
fn carrying_needs_the_old_epoch_up_to_the_rewrite() {
    let (f, plan, heads, mut new, _) = erased_with_late_writes();
    // A phone that never read the old epoch to the rewrite's heads.
    let mut short = CommunityDoc::genesis(ActorId::from(OFFLINE));
    record::put(&mut short, &f.lena, T0).unwrap();
    assert!(matches!(carry_over(&heads, &mut short, &mut new, &plan.erased, T0), Err(ErasureError::MissingHeads)));
}

/// Art. 15: the export holds every record the erasure would remove, with
/// their fields, and not a byte of anyone else's: Lena's, Ali's and Elif's
/// names, phones and notes, the Kaya household, the others' consultations.
#[test]
fn an_access_request_holds_everything_about_the_person_and_nothing_about_anyone_else() {
    use lotse_model::access::Access;
    let f = fixture();
    let access = Access::of(&notebook(&f), yusuf(), "2026-05-04").unwrap();
    let json = serde_json::to_string(&access).unwrap();
    let html = access.html("de", false, &|key: &str| format!("[{key}]"), &|d: &str| format!("<{d}>"));
    for text in [
        "Yusuf Demir",
        "0541 777 1234",
        "Vater arbeitet nachts",
        "Y. Demir",
        "0176 555 0199",
        "Familie Demir",
        "Familie wohnt beengt",
        "Bewerbung als Kfz-Mechatroniker",
        "Hausbesuch bei Demirs",
        "HWK",
        "Zeugnisse mitbringen",
        "Kfz-Mechatroniker/in",
        "Autohaus Öztürk",
        "2026-03-20",
        "training-place",
    ] {
        assert!(json.contains(text), "the JSON holds {text:?}");
    }
    for text in
        ["Yusuf Demir", "Vater arbeitet nachts", "Autohaus Öztürk", "[topic-training-place]", "[art15-consultations]"]
    {
        assert!(html.contains(text), "the page holds {text:?}");
    }
    assert!(html.contains("&lt;2026-03-20&gt;"), "dates in the reader's form, and what is typed never markup");
    assert_eq!(
        (access.contacts.len(), access.consultations.len(), access.referrals.len(), access.follow_ups.len()),
        (2, 2, 1, 1)
    );
    assert_eq!(access.training_places.len(), 1);
    let others = [&f.lena, &f.ali, &f.elif];
    for text in others.iter().flat_map(|c| [c.name.as_str(), c.phone.as_str(), c.id.to_string().leak()]).chain([
        "Familie Kaya",
        "Gespräch",
        "Ali anrufen",
    ]) {
        assert!(!json.contains(text), "the JSON holds nothing of anyone else: {text:?}");
        assert!(!html.contains(text), "the page holds nothing of anyone else: {text:?}");
    }
}

/// Ali shares the Kaya household with Elif: its name is his family's too,
/// its notes and his sister are not his.
#[test]
fn an_access_request_shows_a_shared_household_without_its_notes_or_other_members() {
    use lotse_model::access::Access;
    let mut f = fixture();
    let mut kaya = household(2, "Familie Kaya", "Elif braucht Nachhilfe");
    kaya.district = "Wüste".into();
    record::put(&mut f.community, &kaya, T0).unwrap();
    let access = Access::of(&notebook(&f), f.ali.id, "2026-05-04").unwrap();
    let household = access.household.as_ref().unwrap();
    assert_eq!((household.name.as_str(), household.shared, household.notes.as_str()), ("Familie Kaya", true, ""));
    let json = serde_json::to_string(&access).unwrap();
    for text in ["Elif", "Nachhilfe", "0541 666 7777"] {
        assert!(!json.contains(text), "nothing of Elif: {text:?}");
    }
    assert_eq!(access.consultations.len(), 100, "his own consultations");
    assert_eq!(access.language(&["de", "en", "tr", "ar", "ru"]), Some("tr"), "his first language the app speaks");
}

fn with_retention(f: &mut Fixture, months: Option<u32>) {
    let c = Community {
        id: community(),
        name: "Türkische Gemeinde".into(),
        languages: vec![],
        created_at: T0,
        retention_months: months,
    };
    record::put(&mut f.network, &c, T0).unwrap();
}

/// Everyone's last activity is in March 2026 (consultations on the 20th);
/// Yusuf and Ali have checks and follow-ups set for April.
#[test]
fn contacts_idle_past_the_retention_period_are_listed_for_review() {
    use lotse_model::retention::expired;
    let mut f = fixture();
    assert_eq!(expired(&notebook(&f), community(), "2030-01-01"), vec![], "no community record: no period");
    with_retention(&mut f, None);
    assert_eq!(expired(&notebook(&f), community(), "2030-01-01"), vec![], "no period set");
    with_retention(&mut f, Some(12));
    let nb = notebook(&f);
    assert_eq!(expired(&nb, community(), "2027-03-20"), vec![], "a year to the day is not past it");
    let listed: Vec<(ContactId, String)> =
        expired(&nb, community(), "2027-03-25").into_iter().map(|e| (e.contact, e.last_activity)).collect();
    assert_eq!(
        listed,
        vec![(f.lena.id, "2026-03-20".to_owned()), (f.elif.id, "2026-03-20".to_owned())],
        "Yusuf's and Ali's checks in April keep them; the merged duplicate is not listed on its own"
    );
    let all = expired(&nb, community(), "2027-08-02");
    assert_eq!(all.len(), 4, "a year after the places started, everyone: {all:?}");
    assert!(
        all.iter().any(|e| e.contact == yusuf() && e.last_activity == "2026-08-01"),
        "the place he filled counts for him"
    );
}

#[test]
fn months_before_counts_calendar_months() {
    use lotse_model::retention::months_before;
    assert_eq!(months_before("2026-03-31", 1).as_deref(), Some("2026-02-28"));
    assert_eq!(months_before("2024-03-31", 1).as_deref(), Some("2024-02-29"));
    assert_eq!(months_before("2026-01-15", 1).as_deref(), Some("2025-12-15"));
    assert_eq!(months_before("2026-01-15", 24).as_deref(), Some("2024-01-15"));
    assert_eq!(months_before("someday", 1), None);
}

/// A community written before the retention period existed reads with none,
/// and a period set on one device merges with a rename on another.
#[test]
fn an_old_community_reads_without_a_period_and_a_period_merges() {
    use automerge::{transaction::Transactable, ReadDoc, ROOT};
    let mut f = fixture();
    with_retention(&mut f, Some(24));
    let (_, communities) = f.network.get(ROOT, "communities").unwrap().unwrap();
    let (_, old) = f.network.get(&communities, community().to_string()).unwrap().unwrap();
    f.network.delete(&old, "retention_months").unwrap();
    assert_eq!(notebook(&f).community(community()).unwrap().retention_months, None, "missing reads as none");

    // A period set on one device; an older app renames the community on
    // another, writing only the name.
    let mut other = f.network.fork();
    let mut c = notebook(&f).community(community()).unwrap().clone();
    c.retention_months = Some(24);
    record::put(&mut f.network, &c, T0).unwrap();
    other.put(&old, "name", "Türkische Gemeinde Osnabrück").unwrap();
    f.network.merge(&mut other).unwrap();
    let merged = notebook(&f).community(community()).unwrap().clone();
    assert_eq!((merged.name.as_str(), merged.retention_months), ("Türkische Gemeinde Osnabrück", Some(24)));
}
