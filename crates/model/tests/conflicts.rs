//! Two devices change the same field while apart: both values are kept and
//! listed with their authors and times, on both devices and through the
//! read model; keeping one settles the field everywhere and shows in the
//! record's history.

use automerge::{ActorId, AutoCommit};
use lotse_model::conflict::{settle, SettleError};
use lotse_model::forms::Stamp;
use lotse_model::record;
use lotse_model::*;

const AMINA: [u8; 16] = [0xa1; 16];
const BEKIR: [u8; 16] = [0xb2; 16];
const T0: i64 = 1_773_662_400_000;

fn contact() -> Contact {
    let draft = ContactDraft {
        target_group: "parent".into(),
        name: "Aylin Demir".into(),
        phone: "0541 111111".into(),
        consent_given: true,
        consent_date: "2026-03-16".into(),
        consent_scope: "advice".into(),
        ..ContactDraft::default()
    };
    let stamp = Stamp { me: MentorId::from_random([1; 16]), now_ms: T0 };
    Contact::validate(&draft, ContactId::from_random([2; 16]), stamp, None).unwrap()
}

fn hex(actor: [u8; 16]) -> String {
    ActorId::from(actor).to_hex_string()
}

/// Amina and Bekir start from the same document, then each changes the
/// contact offline; `phone_b` is Bekir's phone number (or the old one).
fn apart(phone_b: &str, district_b: &str) -> (AutoCommit, AutoCommit, Contact) {
    let mut a = CommunityDoc::genesis(ActorId::from(AMINA));
    let c = contact();
    record::put(&mut a, &c, T0).unwrap();
    let mut b = a.fork().with_actor(ActorId::from(BEKIR));
    let by_a = Contact { phone: "0541 222222".into(), ..c.clone() };
    record::put(&mut a, &by_a, T0 + 60_000).unwrap();
    let by_b = Contact { phone: phone_b.into(), district: district_b.into(), ..c.clone() };
    record::put(&mut b, &by_b, T0 + 120_000).unwrap();
    (a, b, c)
}

fn meet(a: &mut AutoCommit, b: &mut AutoCommit) {
    a.merge(b).unwrap();
    b.merge(a).unwrap();
}

fn community() -> CommunityId {
    CommunityId::from_random([10; 16])
}

fn notebook(doc: &AutoCommit) -> Notebook {
    let mut nb = Notebook::default();
    nb.load_community(community(), doc).unwrap();
    nb
}

#[test]
fn the_same_phone_changed_on_two_phones_is_listed_with_both_values_and_authors_on_both() {
    let (mut a, mut b, c) = apart("0541 333333", "");
    meet(&mut a, &mut b);
    let key = c.id.to_string();
    let at = DocRef::Community(community());
    for doc in [&a, &b] {
        let nb = notebook(doc);
        let list = nb.conflicts_of(at, "contacts", &key);
        assert_eq!(list.len(), 1, "{list:#?}");
        assert_eq!(list[0].field, "phone");
        let shown = nb.contact(c.id).unwrap().record.phone.clone();
        let values: Vec<(String, String)> =
            list[0].values.iter().map(|v| (v.text.clone().unwrap(), v.actor_hex.clone())).collect();
        assert_eq!(values[0].0, shown, "the value the notebook shows comes first");
        let mut sorted = values.clone();
        sorted.sort();
        assert_eq!(sorted, vec![("0541 222222".into(), hex(AMINA)), ("0541 333333".into(), hex(BEKIR))]);
        assert_eq!(nb.conflicts().count(), 1);
    }
}

#[test]
fn different_fields_changed_apart_are_no_conflict() {
    // Bekir leaves the phone as it was and changes the district.
    let (mut a, mut b, c) = apart("0541 111111", "Schinkel");
    meet(&mut a, &mut b);
    let nb = notebook(&a);
    assert_eq!(nb.conflicts().count(), 0);
    let merged = &nb.contact(c.id).unwrap().record;
    assert_eq!((merged.phone.as_str(), merged.district.as_str()), ("0541 222222", "Schinkel"));
}

#[test]
fn the_read_model_carries_conflicts_with_the_time_each_value_was_written() {
    let (mut a, mut b, c) = apart("0541 333333", "");
    let at = DocRef::Community(community());
    let mut page = notebook(&a);
    a.update_diff_cursor();
    a.merge(&mut b).unwrap();
    let patches = a.diff_incremental();
    let heads = a.get_heads();
    let update = Notebook::update_from_patches(at, &mut a, &heads, &patches);
    page.apply_update(at, &update).unwrap();
    let list = page.conflicts_of(at, "contacts", &c.id.to_string());
    let mut times: Vec<(String, i64)> = list[0].values.iter().map(|v| (v.actor_hex.clone(), v.time_ms)).collect();
    times.sort();
    // Stored in seconds: each device's own clock, to the second.
    assert_eq!(times, vec![(hex(AMINA), T0 + 60_000), (hex(BEKIR), T0 + 120_000)]);

    // Stored rows keep them; a later update of the record without a
    // conflict clears them on the page.
    let mut fresh = Notebook::default();
    for part in page.stored_rows(at, &heads) {
        fresh.load_rows(at, &part).unwrap();
    }
    assert_eq!(fresh.conflicts_of(at, "contacts", &c.id.to_string()), list);
    let keep = list[0].values[1].op.clone();
    settle(&mut a, "contacts", &c.id.to_string(), "phone", &keep, T0 + 180_000).unwrap();
    let patches = a.diff_incremental();
    let heads = a.get_heads();
    fresh.apply_update(at, &Notebook::update_from_patches(at, &mut a, &heads, &patches)).unwrap();
    assert_eq!(fresh.conflicts().count(), 0);
}

#[test]
fn keeping_one_value_settles_the_field_on_both_devices_and_shows_in_history() {
    let (mut a, mut b, c) = apart("0541 333333", "");
    meet(&mut a, &mut b);
    let key = c.id.to_string();
    let at = DocRef::Community(community());
    let list = notebook(&a).conflicts_of(at, "contacts", &key).to_vec();
    // Keep the value the notebook does not show: the harder case.
    let kept = list[0].values[1].clone();
    settle(&mut a, "contacts", &key, "phone", &kept.op, T0 + 180_000).unwrap();
    meet(&mut a, &mut b);
    for doc in [&a, &b] {
        let nb = notebook(doc);
        assert_eq!(nb.conflicts().count(), 0);
        assert_eq!(Some(nb.contact(c.id).unwrap().record.phone.clone()), kept.text);
    }
    let h = history(&mut b, "contacts", &key);
    let last = h.last().unwrap();
    assert_eq!(
        (last.actor_hex.as_str(), last.time_ms, last.fields.as_slice()),
        (hex(AMINA).as_str(), T0 + 180_000, &["phone".to_owned()][..])
    );
}

#[test]
fn a_value_that_is_no_longer_there_is_not_kept() {
    let (mut a, mut b, c) = apart("0541 333333", "");
    meet(&mut a, &mut b);
    let key = c.id.to_string();
    let at = DocRef::Community(community());
    let stale = notebook(&a).conflicts_of(at, "contacts", &key)[0].values[0].op.clone();
    // Bekir settles first; Amina's device still shows the old list.
    let other = notebook(&b).conflicts_of(at, "contacts", &key)[0].values[1].op.clone();
    settle(&mut b, "contacts", &key, "phone", &other, T0 + 200_000).unwrap();
    meet(&mut a, &mut b);
    let err = settle(&mut a, "contacts", &key, "phone", &stale, T0 + 210_000).unwrap_err();
    assert!(matches!(err, SettleError::Gone), "{err}");
    let err = settle(&mut a, "contacts", "not-a-record", "phone", &stale, T0).unwrap_err();
    assert!(matches!(err, SettleError::NoRecord(_)), "{err}");
}

#[test]
fn consent_changed_on_two_phones_is_a_conflict_within_the_consent_and_settles() {
    let mut a = CommunityDoc::genesis(ActorId::from(AMINA));
    let c = contact();
    record::put(&mut a, &c, T0).unwrap();
    let mut b = a.fork().with_actor(ActorId::from(BEKIR));
    let mut by_a = c.clone();
    by_a.consent.given_on = "2026-03-18".into();
    by_a.consent.scope = ConsentScope::AdviceAndReferral;
    record::put(&mut a, &by_a, T0 + 60_000).unwrap();
    let mut by_b = c.clone();
    by_b.consent.given_on = "2026-03-17".into();
    by_b.name = "Aylin Demir-Kaya".into();
    record::put(&mut b, &by_b, T0 + 120_000).unwrap();
    meet(&mut a, &mut b);
    let at = DocRef::Community(community());
    let key = c.id.to_string();
    let nb = notebook(&a);
    let fields: Vec<&str> = nb.conflicts_of(at, "contacts", &key).iter().map(|f| f.field.as_str()).collect();
    // Only Amina changed the scope and only Bekir the name: no conflict there.
    assert_eq!(fields, ["consent.given_on"]);
    let list = nb.conflicts_of(at, "contacts", &key)[0].values.clone();
    let bekirs = list.iter().find(|v| v.text.as_deref() == Some("2026-03-17")).expect("Bekir's date is listed");
    assert_eq!(bekirs.actor_hex, hex(BEKIR));
    settle(&mut a, "contacts", &key, "consent.given_on", &bekirs.op, T0 + 180_000).unwrap();
    meet(&mut a, &mut b);
    let nb = notebook(&b);
    assert_eq!(nb.conflicts().count(), 0);
    let merged = &nb.contact(c.id).unwrap().record;
    assert_eq!(
        (merged.consent.given_on.as_str(), merged.consent.scope),
        ("2026-03-17", ConsentScope::AdviceAndReferral)
    );
}

#[test]
fn keeping_the_value_shown_clears_the_conflict_on_a_page_that_follows_updates() {
    let (mut a, mut b, c) = apart("0541 333333", "");
    let at = DocRef::Community(community());
    meet(&mut a, &mut b);
    let mut page = notebook(&a);
    a.update_diff_cursor();
    let key = c.id.to_string();
    let shown = page.conflicts_of(at, "contacts", &key)[0].values[0].clone();
    assert_eq!(shown.text, Some(page.contact(c.id).unwrap().record.phone.clone()));
    settle(&mut a, "contacts", &key, "phone", &shown.op, T0 + 180_000).unwrap();
    let patches = a.diff_incremental();
    let heads = a.get_heads();
    page.apply_update(at, &Notebook::update_from_patches(at, &mut a, &heads, &patches)).unwrap();
    assert_eq!(page.conflicts().count(), 0, "patches: {patches:?}");
    // And on the other device, which learns of it by sync.
    let mut other = notebook(&b);
    b.update_diff_cursor();
    b.merge(&mut a).unwrap();
    let patches = b.diff_incremental();
    let heads = b.get_heads();
    other.apply_update(at, &Notebook::update_from_patches(at, &mut b, &heads, &patches)).unwrap();
    assert_eq!(other.conflicts().count(), 0, "patches: {patches:?}");
}
