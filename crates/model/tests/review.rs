//! Review: the changes of a document, newest first in causal order, with
//! each field from old to new value, equal to a slow reference that forks
//! the document before and after every change and reads the record there;
//! review marks are shared through the document and hide what they mark.
//!
//! A property test over seeds: `LOTSE_SEEDS=n` runs more of them, and a
//! failure prints the seed to replay with `LOTSE_SEED=s`.

use std::collections::{BTreeMap, HashMap, HashSet};

use automerge::{ActorId, AutoCommit, ChangeHash, ObjId, ObjType, ReadDoc, ScalarValue, Value, ROOT};
use lotse_model::record;
use lotse_model::review::{mark_reviewed, review, Change, FieldChange, ReviewQuery};
use lotse_model::*;

use lotse_model::demo::Rng;

const T0: i64 = 1_773_662_400_000;
const NAMES: [&str; 4] = ["Ayşe Demir", "Omar Haddad", "Olga Nowak", "Karim Aziz"];

fn contact(n: usize, rng: &mut Rng) -> Contact {
    let me = MentorId::from_random([1; 16]);
    Contact {
        id: ContactId::from_random([n as u8 + 1; 16]),
        target_group: TargetGroup::ALL[rng.below(3)],
        name: NAMES[rng.below(NAMES.len())].into(),
        phone: format!("0541 {}", rng.below(1000)),
        languages: ["tr", "ar", "de"][..1 + rng.below(3)].iter().map(|l| l.to_string()).collect(),
        district: String::new(),
        household: None,
        notes: ["", "Elternabend", "Anruf"][rng.below(3)].into(),
        consent: Consent {
            given_on: format!("2026-03-{:02}", 1 + rng.below(28)),
            scope: ConsentScope::ALL[rng.below(2)],
            recorded_by: me,
        },
        created_by: me,
        created_at: T0,
        merged_into: None,
        not_the_same: vec![],
    }
}

fn text(s: &ScalarValue) -> String {
    match s {
        ScalarValue::Str(t) => t.to_string(),
        ScalarValue::Null => String::new(),
        other => other.to_string(),
    }
}

/// The reference: the record read with the plain (current-state) API from
/// a fork of the document at `heads`.
fn fields_in_fork(doc: &mut AutoCommit, key: &str, heads: &[ChangeHash]) -> Option<(ObjId, BTreeMap<String, String>)> {
    if heads.is_empty() {
        return None;
    }
    let fork = doc.fork_at(heads).unwrap();
    let (_, coll) = fork.get(ROOT, "contacts").unwrap()?;
    let Some((Value::Object(ObjType::Map), obj)) = fork.get(&coll, key).unwrap() else { return None };
    let mut out = BTreeMap::new();
    let read = |obj: &ObjId, k: &str| -> (Value<'static>, ObjId) {
        let (v, id) = fork.get(obj, k).unwrap().unwrap();
        (v.into_owned(), id)
    };
    for k in fork.keys(&obj) {
        match read(&obj, &k) {
            (Value::Scalar(s), _) => {
                out.insert(k, text(&s));
            }
            (Value::Object(ObjType::Map), sub) => {
                for k2 in fork.keys(&sub) {
                    if let (Value::Scalar(s), _) = read(&sub, &k2) {
                        out.insert(format!("{k}.{k2}"), text(&s));
                    }
                }
            }
            (Value::Object(_), list) => {
                let items: Vec<String> = (0..fork.length(&list))
                    .filter_map(|i| match fork.get(&list, i).unwrap() {
                        Some((Value::Scalar(s), _)) => Some(text(&s)),
                        _ => None,
                    })
                    .collect();
                out.insert(k, items.join(", "));
            }
        }
    }
    Some((obj, out))
}

fn reference(doc: &mut AutoCommit, marked: &HashSet<[u8; 32]>) -> Vec<Change> {
    type Meta = (ChangeHash, Vec<ChangeHash>, Option<String>, String, i64);
    let metas: Vec<Meta> = doc
        .get_changes_meta(&[])
        .into_iter()
        .map(|m| (m.hash, m.deps, m.message.map(|t| t.to_string()), m.actor.to_hex_string(), m.timestamp))
        .collect();
    let mut out = Vec::new();
    for (hash, deps, message, actor_hex, timestamp) in metas.into_iter().rev() {
        let Some((collection, key)) = message.as_deref().and_then(|t| t.split_once('/')) else { continue };
        if marked.contains(&hash.0) {
            continue;
        }
        let (collection, key) = (collection.to_owned(), key.to_owned());
        let before = fields_in_fork(doc, &key, &deps);
        let after = fields_in_fork(doc, &key, &[hash]);
        let fields =
            |r: &Option<(ObjId, BTreeMap<String, String>)>| r.as_ref().map(|r| r.1.clone()).unwrap_or_default();
        let (b, a) = (fields(&before), fields(&after));
        let mut names: Vec<&String> = b.keys().chain(a.keys()).collect();
        names.sort();
        names.dedup();
        let fields = names
            .into_iter()
            .filter(|f| b.get(*f) != a.get(*f))
            .map(|f| FieldChange { field: f.clone(), old: b.get(f).cloned(), new: a.get(f).cloned() })
            .collect();
        out.push(Change {
            hash: hash.0,
            collection,
            key,
            actor_hex,
            time_ms: timestamp * 1000,
            // A new map under the key: the record was written whole.
            created: after.is_some() && before.as_ref().map(|b| &b.0) != after.as_ref().map(|a| &a.0),
            deleted: before.is_some() && after.is_none(),
            fields,
            reviewed_by: None,
        });
    }
    out
}

/// Every change an ancestor of `hash` (by its deps).
fn ancestors(doc: &mut AutoCommit, hash: ChangeHash) -> HashSet<ChangeHash> {
    let deps: HashMap<ChangeHash, Vec<ChangeHash>> =
        doc.get_changes_meta(&[]).into_iter().map(|m| (m.hash, m.deps)).collect();
    let mut seen = HashSet::new();
    let mut todo = deps.get(&hash).cloned().unwrap_or_default();
    while let Some(h) = todo.pop() {
        if seen.insert(h) {
            todo.extend(deps.get(&h).cloned().unwrap_or_default());
        }
    }
    seen
}

fn run(seed: u64) -> usize {
    let mut rng = Rng(seed);
    let actors: Vec<ActorId> = (0..3u8).map(|n| ActorId::from([0xa0 + n; 16])).collect();
    let start = CommunityDoc::genesis(actors[0].clone());
    let mut docs: Vec<AutoCommit> = actors.iter().map(|a| start.clone().with_actor(a.clone())).collect();
    let mut marked: HashSet<[u8; 32]> = HashSet::new();
    let mut time = T0;
    for _ in 0..30 {
        let d = rng.below(docs.len());
        time += 60_000 - 120_000 * i64::from(rng.below(4) == 0); // clocks go back too
        match rng.below(10) {
            0..=5 => {
                let c = contact(rng.below(4), &mut rng);
                record::put(&mut docs[d], &c, time).unwrap();
            }
            6 => {
                let key = ContactId::from_random([rng.below(4) as u8 + 1; 16]).to_string();
                let exists =
                    docs[d].get(ROOT, "contacts").unwrap().and_then(|(_, c)| docs[d].get(&c, key.as_str()).unwrap());
                if exists.is_some() {
                    record::remove::<Contact>(&mut docs[d], &key, time).unwrap();
                }
            }
            7 => {
                // A coordinator marks some listed changes reviewed.
                let listed = review(&mut docs[d], &ReviewQuery { limit: 100, ..Default::default() });
                let pick: Vec<[u8; 32]> = listed.changes.iter().filter(|_| rng.below(2) == 0).map(|c| c.hash).collect();
                mark_reviewed(&mut docs[d], &pick, MentorId::from_random([9; 16]), time).unwrap();
                marked.extend(pick);
            }
            _ => {
                let o = (d + 1 + rng.below(docs.len() - 1)) % docs.len();
                let (x, y) = if d < o { (d, o) } else { (o, d) };
                let (left, right) = docs.split_at_mut(y);
                left[x].merge(&mut right[0]).unwrap();
                right[0].merge(&mut left[x]).unwrap();
            }
        }
    }
    let mut all = docs.remove(0);
    for mut d in docs {
        all.merge(&mut d).unwrap();
    }
    let got = review(&mut all, &ReviewQuery { limit: usize::MAX, ..Default::default() });
    let want = reference(&mut all, &marked);
    assert_eq!(got.changes, want, "seed {seed}");
    assert_eq!(got.unreviewed, want.len(), "seed {seed}");
    assert_eq!(got.total, want.len(), "seed {seed}");
    // Newest first: nothing is listed after a change it depends on.
    for (n, c) in got.changes.iter().enumerate() {
        let before = ancestors(&mut all, ChangeHash(c.hash));
        for later in &got.changes[..n] {
            assert!(!before.contains(&ChangeHash(later.hash)), "seed {seed}: a change listed before its cause");
        }
    }
    // With the reviewed ones: every record change, each reviewed one named.
    let every = review(&mut all, &ReviewQuery { limit: usize::MAX, with_reviewed: true, ..Default::default() });
    let reviewed: HashSet<[u8; 32]> =
        every.changes.iter().filter(|c| c.reviewed_by.is_some()).map(|c| c.hash).collect();
    assert_eq!(reviewed, marked, "seed {seed}");
    marked.len()
}

#[test]
fn the_review_list_equals_a_slow_reference_after_random_edits_by_three_actors() {
    if let Some(seed) = std::env::var("LOTSE_SEED").ok().and_then(|s| s.parse().ok()) {
        run(seed);
        return;
    }
    let seeds: u64 = std::env::var("LOTSE_SEEDS").ok().and_then(|s| s.parse().ok()).unwrap_or(40);
    let marked: usize = (0..seeds).map(run).sum();
    assert!(marked > 0, "some runs marked changes reviewed");
}

#[test]
fn a_change_shows_old_and_new_values_and_marks_filter_by_kind_and_author() {
    let amina = ActorId::from([0xa1; 16]);
    let bekir = ActorId::from([0xb2; 16]);
    let mut a = CommunityDoc::genesis(amina.clone());
    let mut rng = Rng(7);
    let mut c = contact(0, &mut rng);
    c.phone = "0541 111111".into();
    c.consent.scope = ConsentScope::Advice;
    record::put(&mut a, &c, T0).unwrap();
    let mut b = a.fork().with_actor(bekir.clone());
    let mut by_b = c.clone();
    by_b.phone = "0541 222222".into();
    by_b.consent.scope = ConsentScope::AdviceAndReferral;
    // Bekir's clock is a day behind: his change is still listed first, as
    // it came after Amina's.
    record::put(&mut b, &by_b, T0 - 86_400_000).unwrap();
    a.merge(&mut b).unwrap();

    let page = review(&mut a, &ReviewQuery { limit: 10, ..Default::default() });
    assert_eq!(page.unreviewed, 2);
    let newest = &page.changes[0];
    assert_eq!(newest.actor_hex, bekir.to_hex_string());
    assert_eq!(newest.time_ms, T0 - 86_400_000, "the device's own time, as it stamped it");
    assert_eq!(
        newest.fields,
        [
            FieldChange {
                field: "consent.scope".into(),
                old: Some("Advice".into()),
                new: Some("AdviceAndReferral".into())
            },
            FieldChange { field: "phone".into(), old: Some("0541 111111".into()), new: Some("0541 222222".into()) },
        ]
    );
    assert!(page.changes[1].created && page.changes[1].fields.iter().all(|f| f.old.is_none()));

    let only_bekir = ReviewQuery { actors: Some(vec![bekir.to_hex_string()]), limit: 10, ..Default::default() };
    assert_eq!(review(&mut a, &only_bekir).changes.len(), 1);
    let only_events = ReviewQuery { collections: Some(vec!["events".into()]), limit: 10, ..Default::default() };
    assert_eq!(review(&mut a, &only_events).total, 0);

    // Marked on one device, hidden on the other once they meet; the mark
    // is in no record's history.
    let mut b = a.fork().with_actor(bekir);
    mark_reviewed(&mut a, &[newest.hash], MentorId::from_random([9; 16]), T0).unwrap();
    // Bekir's device (a coordinator too) adds the review map on its own.
    mark_reviewed(&mut b, &[page.changes[1].hash], MentorId::from_random([8; 16]), T0).unwrap();
    a.merge(&mut b).unwrap();
    let left = review(&mut a, &ReviewQuery { limit: 10, ..Default::default() });
    assert_eq!((left.unreviewed, left.total), (0, 0), "both marks count: the two review maps are one");
    assert_eq!(history(&mut a, "contacts", &c.id.to_string()).len(), 2);
}

#[test]
fn marking_changes_reviewed_touches_no_record_in_the_notebook() {
    let mut doc = CommunityDoc::genesis(ActorId::from([0xa1; 16]));
    let mut rng = Rng(3);
    let c = contact(0, &mut rng);
    record::put(&mut doc, &c, T0).unwrap();
    let before = doc.get_heads();
    let page = review(&mut doc, &ReviewQuery { limit: 10, ..Default::default() });
    Edit::Review { hashes: vec![page.changes[0].hash], by: MentorId::from_random([9; 16]) }
        .apply(&mut doc, T0)
        .unwrap();
    let after = doc.get_heads();
    let patches = doc.diff(&before, &after);
    assert!(!patches.is_empty(), "the mark is a change");
    let which = DocRef::Community(CommunityId::from_random([10; 16]));
    let mut nb = Notebook::default();
    nb.load_community(CommunityId::from_random([10; 16]), &doc).unwrap();
    let update = Notebook::update_from_patches(which, &mut doc, &after, &patches);
    let mut page_nb = nb.clone();
    page_nb.apply_update(which, &update).unwrap();
    assert_eq!(page_nb.contacts().count(), 1, "the contact stays");
    assert_eq!(review(&mut doc, &ReviewQuery { limit: 10, ..Default::default() }).unreviewed, 0);
}
