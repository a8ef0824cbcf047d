//! Likely duplicate contacts in a notebook: by phone in any usual form, by
//! name in any order, case, accents and script; a pair said to be two
//! people is not suggested again.

use std::collections::BTreeSet;

use automerge::ActorId;
use lotse_model::duplicates::{LikelyPair, Why};
use lotse_model::forms::Stamp;
use lotse_model::record;
use lotse_model::*;

fn contact(n: u8, name: &str, phone: &str) -> Contact {
    let draft = ContactDraft {
        target_group: "parent".into(),
        name: name.into(),
        phone: phone.into(),
        consent_given: true,
        consent_date: "2026-03-16".into(),
        consent_scope: "advice".into(),
        ..ContactDraft::default()
    };
    let stamp = Stamp { me: MentorId::from_random([1; 16]), now_ms: 1_773_662_400_000 };
    Contact::validate(&draft, ContactId::from_random([n; 16]), stamp, None).unwrap()
}

fn pair(a: &Contact, b: &Contact, why: &[Why]) -> LikelyPair {
    let (a, b) = if a.id < b.id { (a.id, b.id) } else { (b.id, a.id) };
    LikelyPair { a, b, why: why.to_vec() }
}

#[test]
fn the_same_family_written_down_on_two_phones_is_suggested_once_with_every_reason() {
    let ayse = contact(1, "Ayşe Demir", "+49 541 1000001");
    let ayse_ru = contact(2, "Айше Демир", "");
    let ayse_b = contact(3, "demir ayse", "0541 1000001");
    let omar = contact(4, "Omar Haddad", "0541 2000002");
    let omar_father = contact(5, "Khalil Haddad", "0541 2000002");
    let olga = contact(6, "Olga Nowak", "0541 3000003");
    let (c1, c2) = (CommunityId::from_random([10; 16]), CommunityId::from_random([11; 16]));
    let network = NetworkDoc::genesis(ActorId::from([1; 16]));
    let mut first = CommunityDoc::genesis(ActorId::from([1; 16]));
    let mut second = CommunityDoc::genesis(ActorId::from([2; 16]));
    for c in [&ayse, &ayse_ru, &omar, &omar_father, &olga] {
        record::put(&mut first, c, 1).unwrap();
    }
    // Written down in another community too.
    record::put(&mut second, &ayse_b, 1).unwrap();
    let nb = Notebook::load(&network, &[(c1, &first), (c2, &second)]).unwrap();

    let mut want = vec![
        pair(&ayse, &ayse_ru, &[Why::SameName]),
        pair(&ayse, &ayse_b, &[Why::SamePhone, Why::SameName]),
        pair(&ayse_ru, &ayse_b, &[Why::SameName]),
        pair(&omar, &omar_father, &[Why::SamePhone]),
    ];
    want.sort_by_key(|p| (p.a, p.b));
    assert_eq!(nb.likely_duplicates(&BTreeSet::new()), want);

    // "Not the same person": Omar and his father share a phone.
    let family = pair(&omar, &omar_father, &[Why::SamePhone]);
    let two_people = BTreeSet::from([(family.a, family.b)]);
    let left = nb.likely_duplicates(&two_people);
    assert_eq!(left.len(), 3);
    assert!(!left.contains(&family));
}
