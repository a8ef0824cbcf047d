//! Merging duplicates on two phones: each creates the same family while
//! apart and both change one phone number; after they meet, both list one
//! conflict and one likely pair, one phone settles and merges, a late
//! consultation written on the other before it heard of the merge still
//! lands on the kept contact, and both phones converge with nothing lost.

use automerge::{ActorId, AutoCommit};
use lotse_model::duplicates::{MergeError, Why};
use lotse_model::forms::Stamp;
use lotse_model::*;

const AMINA: [u8; 16] = [0xa1; 16];
const BEKIR: [u8; 16] = [0xb2; 16];
const T0: i64 = 1_773_662_400_000;

fn community() -> CommunityId {
    CommunityId::from_random([10; 16])
}

fn contact(n: u8, name: &str, phone: &str, scope: &str, languages: &str) -> Contact {
    let draft = ContactDraft {
        target_group: "youth".into(),
        name: name.into(),
        phone: phone.into(),
        languages: languages.into(),
        consent_given: true,
        consent_date: "2026-03-16".into(),
        consent_scope: scope.into(),
        ..ContactDraft::default()
    };
    let stamp = Stamp { me: MentorId::from_random([n; 16]), now_ms: T0 };
    Contact::validate(&draft, ContactId::from_random([n; 16]), stamp, None).unwrap()
}

fn consultation(n: u8, contact: ContactId) -> Consultation {
    Consultation {
        id: ConsultationId::from_random([n; 16]),
        date: "2026-03-20".into(),
        contact: Some(contact),
        household: None,
        topics: vec![Topic::FindingTrainingPlace],
        outcome: Outcome::Informed,
        notes: format!("consultation {n}"),
        mentor: MentorId::from_random([1; 16]),
        created_at: T0,
    }
}

/// One phone: the network's document and the community's.
struct Phone {
    network: AutoCommit,
    community: AutoCommit,
}

impl Phone {
    fn notebook(&self) -> Notebook {
        Notebook::load(&self.network, &[(community(), &self.community)]).unwrap()
    }

    fn put<R: Row>(&mut self, at: DocRef, record: R) {
        self.write(at, Edit::of(record));
    }

    fn write(&mut self, at: DocRef, edit: Edit) {
        let doc = match at {
            DocRef::Network => &mut self.network,
            DocRef::Community(_) => &mut self.community,
        };
        edit.apply(doc, T0 + 600_000).unwrap();
    }

    fn meet(&mut self, other: &mut Phone) {
        self.network.merge(&mut other.network).unwrap();
        other.network.merge(&mut self.network).unwrap();
        self.community.merge(&mut other.community).unwrap();
        other.community.merge(&mut self.community).unwrap();
    }
}

/// Two phones from one start, holding `aylin`.
fn two_phones(aylin: &Contact) -> (Phone, Phone) {
    let mut a = Phone {
        network: NetworkDoc::genesis(ActorId::from(AMINA)),
        community: CommunityDoc::genesis(ActorId::from(AMINA)),
    };
    a.put(DocRef::Community(community()), aylin.clone());
    let b = Phone {
        network: a.network.fork().with_actor(ActorId::from(BEKIR)),
        community: a.community.fork().with_actor(ActorId::from(BEKIR)),
    };
    (a, b)
}

fn place(n: u8, filled_by: Option<ContactId>) -> TrainingPlace {
    TrainingPlace {
        id: TrainingPlaceId::from_random([n; 16]),
        company: CompanyId::from_random([n; 16]),
        occupation: "Bäcker/in".into(),
        start_on: "2026-08-01".into(),
        status: PlaceStatus::Filled,
        filled_by,
        acquired_on: "2026-03-01".into(),
        created_at: T0,
    }
}

#[test]
fn a_family_created_on_two_phones_merges_and_both_phones_converge_with_nothing_lost() {
    let at = DocRef::Community(community());
    let aylin = contact(1, "Aylin Demir", "0541 111111", "advice", "tr");
    let (mut a, mut b) = two_phones(&aylin);

    // Apart: both change Aylin's phone; each writes down the same young man.
    a.put(at, Contact { phone: "0541 222222".into(), ..aylin.clone() });
    b.put(at, Contact { phone: "0541 333333".into(), ..aylin.clone() });
    let murat_a = contact(2, "Murat Yılmaz", "0541 777777", "advice", "tr");
    let mut murat_b = contact(3, "Мурат Йылмаз", "+49 541 777777", "advice-referral", "ru, de");
    murat_b.district = "Schinkel".into();
    a.put(at, murat_a.clone());
    a.put(at, consultation(11, murat_a.id));
    b.put(at, murat_b.clone());
    b.put(at, consultation(12, murat_b.id));
    let referral = Referral {
        id: ReferralId::from_random([13; 16]),
        contact: murat_b.id,
        consultation: Some(ConsultationId::from_random([12; 16])),
        institution: InstitutionId::from_random([1; 16]),
        reason: "Ausbildungsberatung".into(),
        status: ReferralStatus::Open,
        follow_up_on: None,
        date: "2026-03-21".into(),
        mentor: MentorId::from_random([3; 16]),
        created_at: T0,
    };
    b.put(at, referral.clone());
    let follow_up = FollowUp {
        id: FollowUpId::from_random([14; 16]),
        due_on: "2026-04-01".into(),
        note: "nachfragen".into(),
        contact: Some(murat_b.id),
        mentor: MentorId::from_random([3; 16]),
        done: false,
        created_at: T0,
    };
    b.put(at, follow_up.clone());
    b.put(DocRef::Network, place(15, Some(murat_b.id)));
    a.meet(&mut b);

    // Both phones list one conflict with both values and authors, and one pair.
    for phone in [&a, &b] {
        let nb = phone.notebook();
        let conflicts = nb.conflicts_of(at, "contacts", &aylin.id.to_string());
        assert_eq!(conflicts.len(), 1, "{conflicts:#?}");
        let mut authors: Vec<&str> = conflicts[0].values.iter().map(|v| v.actor_hex.as_str()).collect();
        authors.sort();
        assert_eq!(authors, [ActorId::from(AMINA).to_hex_string(), ActorId::from(BEKIR).to_hex_string()]);
        let pairs = nb.likely_duplicates(&Default::default());
        assert_eq!(pairs.len(), 1, "{pairs:#?}");
        assert_eq!((pairs[0].a, pairs[0].b), (murat_a.id, murat_b.id));
        assert_eq!(pairs[0].why, [Why::SamePhone, Why::SameName]);
    }

    // Amina settles the phone (keeps Bekir's value) and merges Bekir's Murat
    // into hers; Bekir, not yet told, writes one more consultation for his.
    let nb = a.notebook();
    let conflict = &nb.conflicts_of(at, "contacts", &aylin.id.to_string())[0];
    let bekirs = conflict.values.iter().find(|v| v.text.as_deref() == Some("0541 333333")).unwrap();
    let settle = Edit::Settle {
        collection: "contacts".into(),
        key: aylin.id.to_string(),
        field: conflict.field.clone(),
        op: bekirs.op.clone(),
    };
    a.write(at, settle);
    let merge = nb.merge(murat_a.id, murat_b.id).unwrap();
    assert_eq!(merge.moved, [1, 1, 1, 1], "one consultation, referral, follow-up and training place move");
    for (doc, rows) in merge.writes() {
        a.write(doc, Edit::Put(Box::new(rows)));
    }
    b.put(at, consultation(16, murat_b.id));
    a.meet(&mut b);

    let (na, nb) = (a.notebook(), b.notebook());
    for n in [&na, &nb] {
        assert_eq!(n.conflicts().count(), 0, "settled on both");
        assert_eq!(n.contact(aylin.id).unwrap().record.phone, "0541 333333");
        assert!(n.likely_duplicates(&Default::default()).is_empty());
        let listed: Vec<ContactId> = n.contacts().map(|c| c.record.id).collect();
        assert_eq!(listed.len(), 2, "Aylin and one Murat");
        assert!(listed.contains(&murat_a.id) && !listed.contains(&murat_b.id));
        assert_eq!(n.kept_contact(murat_b.id), murat_a.id);
        let kept = &n.contact(murat_a.id).unwrap().record;
        assert_eq!(kept.name, "Murat Yılmaz", "the kept contact's name stays");
        assert_eq!(kept.consent.scope, ConsentScope::AdviceAndReferral, "the stronger consent is kept");
        assert_eq!(kept.district, "Schinkel", "what only the other held is kept");
        assert_eq!(kept.languages, ["tr", "ru", "de"]);
        assert_eq!(n.contact(murat_b.id).unwrap().record.merged_into, Some(murat_a.id), "the merge is recorded");
        let mut notes: Vec<&str> = n.consultations_of(murat_a.id).iter().map(|c| c.record.notes.as_str()).collect();
        notes.sort();
        assert_eq!(notes, ["consultation 11", "consultation 12", "consultation 16"], "nothing linked is lost");
        assert_eq!(n.referrals_of(murat_a.id).len(), 1);
        assert_eq!(n.follow_up(follow_up.id).unwrap().record.contact, Some(murat_a.id));
        assert_eq!(n.training_places()[0].filled_by, Some(murat_a.id));
        let (_, title) = n.title_of("consultations", &ConsultationId::from_random([16; 16]).to_string()).unwrap();
        assert!(title.contains("Murat Yılmaz"), "a late record is titled with the kept contact: {title}");
    }
    assert_eq!(na.contacts().count(), nb.contacts().count());
}

#[test]
fn two_phones_that_merge_a_pair_each_the_other_way_keep_the_same_one() {
    let at = DocRef::Community(community());
    let x = contact(4, "Hassan Aziz", "0541 444444", "advice", "ar");
    let y = contact(5, "حسن عزيز", "0541 444444", "advice", "ar");
    let (mut a, mut b) = two_phones(&x);
    a.put(at, y.clone());
    a.put(at, consultation(21, x.id));
    a.put(at, consultation(22, y.id));
    a.meet(&mut b);
    for (phone, keep, gone) in [(&mut a, x.id, y.id), (&mut b, y.id, x.id)] {
        let merge = phone.notebook().merge(keep, gone).unwrap();
        for (doc, rows) in merge.writes() {
            phone.write(doc, Edit::Put(Box::new(rows)));
        }
    }
    a.meet(&mut b);
    let smaller = x.id.min(y.id);
    for n in [a.notebook(), b.notebook()] {
        let listed: Vec<ContactId> = n.contacts().map(|c| c.record.id).collect();
        assert_eq!(listed, [smaller], "the smaller id stands for both");
        assert_eq!((n.kept_contact(x.id), n.kept_contact(y.id)), (smaller, smaller));
        assert_eq!(n.consultations_of(smaller).len(), 2);
        assert_eq!(n.contacts_matching(&Filter::default(), 10).items.len(), 1);
    }
}

#[test]
fn not_the_same_person_is_remembered_on_every_phone_and_bad_merges_are_refused() {
    let at = DocRef::Community(community());
    let omar = contact(6, "Omar Haddad", "0541 200002", "advice", "ar");
    let father = contact(7, "Khalil Haddad", "0541 200002", "advice", "ar");
    let (mut a, mut b) = two_phones(&omar);
    a.put(at, father.clone());
    a.meet(&mut b);
    assert_eq!(b.notebook().likely_duplicates(&Default::default()).len(), 1);

    let (doc, record) = a.notebook().not_the_same(father.id, omar.id).unwrap();
    a.put(doc, record);
    a.meet(&mut b);
    for n in [a.notebook(), b.notebook()] {
        assert!(n.likely_duplicates(&Default::default()).is_empty(), "the pair is not suggested again");
        assert_eq!(n.contacts().count(), 2, "both are still listed");
    }

    let n = a.notebook();
    assert_eq!(n.merge(omar.id, omar.id).unwrap_err(), MergeError::SameContact);
    let stranger = ContactId::from_random([99; 16]);
    assert_eq!(n.merge(omar.id, stranger).unwrap_err(), MergeError::NotFound(stranger));
    for (doc, rows) in n.merge(omar.id, father.id).unwrap().writes() {
        a.write(doc, Edit::Put(Box::new(rows)));
    }
    assert_eq!(a.notebook().merge(father.id, omar.id).unwrap_err(), MergeError::AlreadyMerged(father.id));

    // A pair in two communities is not merged: the records of one
    // community's document would name a person its mentors cannot see.
    let other = CommunityId::from_random([11; 16]);
    let mut second = CommunityDoc::genesis(ActorId::from(AMINA));
    let twin = contact(8, "Omar Haddad", "", "advice", "ar");
    Edit::of(twin.clone()).apply(&mut second, T0).unwrap();
    let both = Notebook::load(&a.network, &[(community(), &a.community), (other, &second)]).unwrap();
    assert_eq!(both.merge(omar.id, twin.id).unwrap_err(), MergeError::OtherCommunities);
}
