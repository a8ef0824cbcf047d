//! Erasure that erases: a document rewritten into a new epoch without one
//! person's records, and the writes that reach the old epoch afterwards
//! carried over into the new one.
//!
//! Automerge cannot cut history, so deleting a record leaves its bytes in
//! every change. [`rewrite`] instead starts from the document's genesis
//! (the same root maps every device makes) and writes the current state of
//! every other record as one change: the old history is not in it.
//! [`carry_over`] then re-applies what devices wrote to the old epoch after
//! the rewrite's heads, field by field, except writes about the erased
//! person, which are dropped and counted.
//!
//! Pure: the sync core decides when to rewrite, moves devices to the new
//! epoch and deletes the old one.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Display;

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{AutoCommit, ChangeHash, ObjId, ObjType, Prop, ReadDoc, ScalarValue, Value, ROOT};
use serde::{Deserialize, Serialize};

use crate::advice::{Consultation, FollowUp, Referral};
use crate::community::CommunityDoc;
use crate::contact::Contact;
use crate::ids::{CommunityId, ContactId, HouseholdId};
use crate::kind::Kind;
use crate::network_doc::NetworkDoc;
use crate::notebook::{touched, Notebook, Touch};
use crate::record::{self, DocError};

/// The root map of a rewritten document that remembers, per actor (hex),
/// the last sequence number of that actor's old-epoch changes already
/// carried over: carrying the same writes again changes nothing.
pub const CARRIED: &str = "carried";

/// The actor of the change that makes the `carried` map (see
/// `record::late_collection`).
const CARRIED_ACTOR: [u8; 16] = *b"lotse-carried-01";

/// The root map of a rewritten document where each device that carried
/// its late writes into it counts those it dropped (about the erased
/// person), under its actor (hex), by collection: what the coordinator's
/// receipt reports. Counts only, never what was written.
pub const DROPPED: &str = "dropped";

/// The actor of the change that makes the `dropped` map.
const DROPPED_ACTOR: [u8; 16] = *b"lotse-dropped-01";

/// The commit message of a rewrite: it names no record, so it is in no
/// record's history.
pub const REWRITE_MESSAGE: &str = "epoch";

/// The person a plan is asked for is not in the notebook. An error of its
/// own, apart from [`ErasureError`], which carries Automerge's: the page
/// plans (the erasure preview, the access export) and must not link
/// Automerge (an e2e test looks for its error texts in the page's binary).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("no contact {0} in the notebook")]
pub struct UnknownContact(pub ContactId);

#[derive(Debug, thiserror::Error)]
pub enum ErasureError {
    #[error(transparent)]
    Doc(Box<DocError>),
    #[error("the old document lacks the rewrite's heads; read the old epoch's log up to them first")]
    MissingHeads,
}

impl From<DocError> for ErasureError {
    fn from(e: DocError) -> Self {
        ErasureError::Doc(Box::new(e))
    }
}

impl From<automerge::AutomergeError> for ErasureError {
    fn from(e: automerge::AutomergeError) -> Self {
        DocError::from(e).into()
    }
}

/// Record ids per kind, as their map keys. Ids only: random, they say
/// nothing about the person, so a receipt may keep their counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErasedIds {
    by_kind: BTreeMap<Kind, BTreeSet<String>>,
}

impl ErasedIds {
    pub fn insert(&mut self, kind: Kind, id: impl Display) {
        self.by_kind.entry(kind).or_default().insert(id.to_string());
    }

    pub fn contains(&self, kind: Kind, key: &str) -> bool {
        self.by_kind.get(&kind).is_some_and(|s| s.contains(key))
    }

    /// How many of each kind: what a receipt holds.
    pub fn counts(&self) -> BTreeMap<Kind, usize> {
        self.by_kind.iter().filter(|(_, s)| !s.is_empty()).map(|(k, s)| (*k, s.len())).collect()
    }

    pub fn is_empty(&self) -> bool {
        self.by_kind.values().all(BTreeSet::is_empty)
    }

    /// Adds every id of `other` (erasing several people in one step).
    pub fn extend(&mut self, other: &ErasedIds) {
        for (kind, ids) in &other.by_kind {
            self.by_kind.entry(*kind).or_default().extend(ids.iter().cloned());
        }
    }

    pub fn ids(&self, kind: Kind) -> impl Iterator<Item = &str> {
        self.by_kind.get(&kind).into_iter().flatten().map(String::as_str)
    }

    /// Every id of every kind: a kept record's field that holds one of
    /// these is cleared.
    fn all(&self) -> BTreeSet<&str> {
        self.by_kind.values().flatten().map(String::as_str).collect()
    }

    fn has<I: Display>(&self, kind: Kind, id: Option<I>) -> bool {
        id.is_some_and(|i| self.contains(kind, &i.to_string()))
    }
}

/// What erasing one person takes: the records that name them, in the
/// community documents to rewrite, and the network records that only link
/// to them by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Erasure {
    /// The community documents that hold the erased records (the person's
    /// and their merged duplicates'); each is rewritten into a new epoch.
    pub communities: BTreeSet<CommunityId>,
    /// Removed: contacts, households, consultations, referrals, follow-ups.
    pub erased: ErasedIds,
    /// Kept but unlinked: training places filled by the person. The place
    /// is the company's and counts for the funders as filled; only its
    /// `filled_by` id is cleared (a rewrite of the network document with
    /// [`Erasure::erased`] clears it, see [`rewrite`]).
    pub unlinked: ErasedIds,
}

impl Erasure {
    /// Everything that names `contact`.
    ///
    /// - The contact and every contact merged with it (a duplicate is the
    ///   same person).
    /// - Their household, if no one else belongs to it: its name is the
    ///   family's and its notes are about them. A household with other
    ///   members stays (it is theirs too); only the erased contact's link
    ///   to it goes, with the contact.
    /// - Consultations with them, or with their erased household and no
    ///   other contact; their referrals and follow-ups.
    /// - Training places they filled: unlinked, not removed.
    ///
    /// Events hold head counts, never names: nothing there to erase.
    pub fn plan(nb: &Notebook, contact: ContactId) -> Result<Erasure, UnknownContact> {
        nb.contact(contact).ok_or(UnknownContact(contact))?;
        let person = nb.kept_contact(contact);
        let group: Vec<_> = nb.every_contact().filter(|c| nb.kept_contact(c.record.id) == person).collect();
        let ids: BTreeSet<ContactId> = group.iter().map(|c| c.record.id).collect();
        let mut erased = ErasedIds::default();
        let mut communities = BTreeSet::new();
        for c in &group {
            erased.insert(Kind::Contact, c.record.id);
            communities.insert(c.community);
        }
        let households: BTreeSet<HouseholdId> = group.iter().filter_map(|c| c.record.household).collect();
        for h in households {
            let others = nb.every_contact().any(|c| c.record.household == Some(h) && !ids.contains(&c.record.id));
            if !others {
                erased.insert(Kind::Household, h);
            }
        }
        let named = |c: Option<ContactId>| c.is_some_and(|c| ids.contains(&c));
        for c in nb.consultations() {
            let r = &c.record;
            if named(r.contact) || (r.contact.is_none() && erased.has(Kind::Household, r.household)) {
                erased.insert(Kind::Consultation, r.id);
            }
        }
        for r in nb.referrals().filter(|r| named(Some(r.record.contact))) {
            erased.insert(Kind::Referral, r.record.id);
        }
        for f in nb.follow_ups().filter(|f| named(f.record.contact)) {
            erased.insert(Kind::FollowUp, f.record.id);
        }
        let mut unlinked = ErasedIds::default();
        for p in nb.training_places().into_iter().filter(|p| named(p.filled_by)) {
            unlinked.insert(Kind::TrainingPlace, p.id);
        }
        Ok(Erasure { communities, erased, unlinked })
    }
}

/// A value read out of a document: the current state only, no history.
#[derive(Debug, Clone, PartialEq)]
enum Node {
    Scalar(ScalarValue),
    Map(BTreeMap<String, Node>),
    List(Vec<Node>),
    Text(String),
}

/// Reads values at fixed heads, leaving out every string that is an
/// erased id (a map's field becomes null, a list's item goes).
/// `heads`: `None` reads the current state.
struct Reader<'a> {
    doc: &'a AutoCommit,
    heads: Option<&'a [ChangeHash]>,
    scrub: &'a BTreeSet<&'a str>,
}

impl Reader<'_> {
    fn get(&self, obj: &ObjId, prop: impl Into<Prop>) -> Result<Option<Node>, ErasureError> {
        let got = match self.heads {
            Some(heads) => self.doc.get_at(obj, prop, heads)?,
            None => self.doc.get(obj, prop)?,
        };
        Ok(match got {
            None => None,
            Some((value, id)) => self.node(value, &id)?,
        })
    }

    /// `None`: a scrubbed id.
    fn node(&self, value: Value<'_>, id: &ObjId) -> Result<Option<Node>, ErasureError> {
        Ok(Some(match value {
            Value::Scalar(s) => match s.as_ref() {
                ScalarValue::Str(t) if self.scrub.contains(t.as_str()) => return Ok(None),
                other => Node::Scalar(other.clone()),
            },
            Value::Object(ObjType::Map | ObjType::Table) => {
                let mut map = BTreeMap::new();
                let items = match self.heads {
                    Some(heads) => self.doc.map_range_at(id, .., heads),
                    None => self.doc.map_range(id, ..),
                };
                for item in items {
                    let node = self.node(Value::from(item.value.clone()), &item.id())?;
                    map.insert(item.key.to_string(), node.unwrap_or(Node::Scalar(ScalarValue::Null)));
                }
                Node::Map(map)
            }
            Value::Object(ObjType::List) => {
                let mut list = Vec::new();
                let items = match self.heads {
                    Some(heads) => self.doc.list_range_at(id, .., heads),
                    None => self.doc.list_range(id, ..),
                };
                for item in items {
                    list.extend(self.node(Value::from(item.value.clone()), &item.id())?);
                }
                Node::List(list)
            }
            Value::Object(ObjType::Text) => Node::Text(match self.heads {
                Some(heads) => self.doc.text_at(id, heads)?,
                None => self.doc.text(id)?,
            }),
        }))
    }
}

/// Makes `dst[key]` hold `node`, writing only what differs. Returns
/// whether it wrote.
fn sync_key(dst: &mut AutoCommit, obj: &ObjId, key: &str, node: &Node) -> Result<bool, ErasureError> {
    let current = dst.get(obj, key)?;
    match (node, current) {
        (Node::Scalar(s), Some((Value::Scalar(c), _))) if c.as_ref() == s => Ok(false),
        (Node::Scalar(s), _) => {
            dst.put(obj, key, s.clone())?;
            Ok(true)
        }
        (Node::Map(m), Some((Value::Object(ObjType::Map), id))) => sync_map(dst, &id, m),
        (Node::Map(m), _) => {
            let id = dst.put_object(obj, key, ObjType::Map)?;
            sync_map(dst, &id, m)?;
            Ok(true)
        }
        (Node::Text(t), Some((Value::Object(ObjType::Text), id))) => {
            if dst.text(&id)? == *t {
                return Ok(false);
            }
            dst.update_text(&id, t)?;
            Ok(true)
        }
        (Node::Text(t), _) => {
            let id = dst.put_object(obj, key, ObjType::Text)?;
            dst.splice_text(&id, 0, 0, t)?;
            Ok(true)
        }
        (Node::List(items), current) => {
            if let Some((Value::Object(ObjType::List), id)) = &current {
                let empty = BTreeSet::new();
                let same = Reader { doc: dst, heads: None, scrub: &empty }
                    .node(Value::Object(ObjType::List), id)?
                    .is_some_and(|n| n == *node);
                if same {
                    return Ok(false);
                }
            }
            // A list is written whole: its items are a record's small
            // lists (languages, topics), never edited by position.
            let id = dst.put_object(obj, key, ObjType::List)?;
            for (i, item) in items.iter().enumerate() {
                insert_item(dst, &id, i, item)?;
            }
            Ok(true)
        }
    }
}

fn sync_map(dst: &mut AutoCommit, obj: &ObjId, map: &BTreeMap<String, Node>) -> Result<bool, ErasureError> {
    let mut wrote = false;
    let gone: Vec<String> = dst.keys(obj).filter(|k| !map.contains_key(k)).collect();
    for k in gone {
        dst.delete(obj, k.as_str())?;
        wrote = true;
    }
    for (k, v) in map {
        wrote |= sync_key(dst, obj, k, v)?;
    }
    Ok(wrote)
}

fn insert_item(dst: &mut AutoCommit, list: &ObjId, at: usize, node: &Node) -> Result<(), ErasureError> {
    match node {
        Node::Scalar(s) => dst.insert(list, at, s.clone())?,
        Node::Map(m) => {
            let id = dst.insert_object(list, at, ObjType::Map)?;
            sync_map(dst, &id, m)?;
        }
        Node::List(items) => {
            let id = dst.insert_object(list, at, ObjType::List)?;
            for (i, item) in items.iter().enumerate() {
                insert_item(dst, &id, i, item)?;
            }
        }
        Node::Text(t) => {
            let id = dst.insert_object(list, at, ObjType::Text)?;
            dst.splice_text(&id, 0, 0, t)?;
        }
    }
    Ok(())
}

/// The collections of a record kind in `doc`'s root, with their kinds.
fn collections(doc: &AutoCommit) -> Vec<(Kind, ObjId)> {
    Kind::ALL
        .iter()
        .filter_map(|k| match doc.get(ROOT, k.collection()) {
            Ok(Some((Value::Object(ObjType::Map), id))) => Some((*k, id)),
            _ => None,
        })
        .collect()
}

/// A fresh document holding the current state of every record of `old`
/// except the `erased` ones, as one change by `actor` at `now_ms` on top
/// of the document's genesis (so it shares the root maps every device
/// makes, and a device that starts the document offline merges with it).
///
/// In the records kept, a field holding an erased id is cleared (a list
/// loses the item): a referral that named an erased consultation, another
/// contact's `not_the_same`, a training place's `filled_by` (rewriting the
/// network document with a person's ids unlinks their places).
///
/// Not carried: review marks (they name changes of the old history, which
/// is gone) and the history itself (every record's history starts again;
/// concurrent values are settled to Automerge's winner). Device statuses
/// are copied but written by `actor` now, so each counts again once its
/// device writes it.
pub fn rewrite(
    old: &AutoCommit,
    erased: &ErasedIds,
    actor: automerge::ActorId,
    now_ms: i64,
) -> Result<AutoCommit, ErasureError> {
    let mut new = if matches!(old.get(ROOT, Kind::Contact.collection())?, Some((Value::Object(ObjType::Map), _))) {
        CommunityDoc::genesis(actor)
    } else if matches!(old.get(ROOT, Kind::Community.collection())?, Some((Value::Object(ObjType::Map), _))) {
        NetworkDoc::genesis(actor)
    } else {
        return Err(DocError::NotALotseDoc(Kind::Contact.collection()).into());
    };
    let scrub = erased.all();
    let read = Reader { doc: old, heads: None, scrub: &scrub };
    if let Some((Value::Object(ObjType::Map), _)) = old.get(ROOT, crate::device_status::DEVICES)? {
        // Made as every device makes it, so no rival map can appear.
        record::late_collection(&mut new, crate::device_status::DEVICES, crate::device_status::DEVICES_ACTOR)?;
    }
    for key in old.keys(ROOT) {
        let collection = Kind::from_collection(&key);
        if key == crate::review::REVIEWS || key == CARRIED || key == DROPPED || collection.is_some() {
            continue;
        }
        // A root map of a newer version: kept as it is.
        if let Some(node) = read.get(&ROOT, key.as_str())? {
            sync_key(&mut new, &ROOT, &key, &node)?;
        }
    }
    for (kind, obj) in collections(old) {
        let dst = record::collection_obj(&new, kind.collection())?;
        let mut keep = BTreeMap::new();
        for key in old.keys(&obj).filter(|k| !erased.contains(kind, k)) {
            if let Some(node) = read.get(&obj, key.as_str())? {
                keep.insert(key, node);
            }
        }
        sync_map(&mut new, &dst, &keep)?;
    }
    new.commit_with(
        CommitOptions::default().with_message(REWRITE_MESSAGE.to_owned()).with_time(now_ms.div_euclid(1000)),
    );
    Ok(new)
}

/// What [`carry_over`] did, in counts of records: never their content.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CarryReport {
    /// Records created or changed after the rewrite, written into the new
    /// document.
    pub carried: BTreeMap<Kind, usize>,
    /// Records deleted after the rewrite, deleted in the new document too.
    pub deleted: BTreeMap<Kind, usize>,
    /// Records whose late writes were about the erased person: dropped.
    pub dropped: BTreeMap<Kind, usize>,
}

impl CarryReport {
    pub fn is_empty(&self) -> bool {
        self.carried.is_empty() && self.deleted.is_empty() && self.dropped.is_empty()
    }
}

/// True if the record `key`, as `doc` holds it now, is about an erased
/// person: it names an erased contact (or, with no contact, an erased
/// household) as whom it is about, or is a contact merged into one.
fn about_erased(doc: &AutoCommit, kind: Kind, key: &str, erased: &ErasedIds) -> bool {
    let c = |id: Option<ContactId>| erased.has(Kind::Contact, id);
    match kind {
        Kind::Contact => record::get::<Contact>(doc, key).ok().flatten().is_some_and(|r| c(r.merged_into)),
        Kind::Consultation => record::get::<Consultation>(doc, key)
            .ok()
            .flatten()
            .is_some_and(|r| c(r.contact) || (r.contact.is_none() && erased.has(Kind::Household, r.household))),
        Kind::Referral => record::get::<Referral>(doc, key).ok().flatten().is_some_and(|r| c(Some(r.contact))),
        Kind::FollowUp => record::get::<FollowUp>(doc, key).ok().flatten().is_some_and(|r| c(r.contact)),
        _ => false,
    }
}

/// Re-applies to `new` what was written to the old epoch after
/// `rewritten_at` (the heads `old_now` had when it was rewritten), field
/// by field: a field changed in the old epoch is written, a counter gets
/// the old epoch's increments, a record deleted there is deleted here; a
/// field the old epoch did not change keeps what the new epoch wrote. A
/// record the new epoch deleted is not brought back (as Automerge itself
/// drops an edit inside a deleted map).
///
/// Writes to an erased record, or to one that is about the erased person
/// (a consultation about them written offline), are dropped and counted.
///
/// Every late change is carried once: `new` remembers in [`CARRIED`] the
/// last one of each actor, so carrying again changes nothing. One device
/// should carry a given change (its author, when it moves to the new
/// epoch): two carrying the same counter increment at once would add it
/// twice.
pub fn carry_over(
    rewritten_at: &[ChangeHash],
    old_now: &mut AutoCommit,
    new: &mut AutoCommit,
    erased: &ErasedIds,
    now_ms: i64,
) -> Result<CarryReport, ErasureError> {
    if rewritten_at.iter().any(|h| old_now.get_change_by_hash(h).is_none()) {
        return Err(ErasureError::MissingHeads);
    }
    let carried_obj = record::late_collection(new, CARRIED, CARRIED_ACTOR)?;
    let done: HashMap<String, u64> = new
        .map_range(&carried_obj, ..)
        .filter_map(|i| match Value::from(i.value) {
            Value::Scalar(s) => s.as_u64().map(|n| (i.key.to_string(), n)),
            Value::Object(_) => None,
        })
        .collect();
    let late: Vec<(String, u64, ChangeHash, Vec<ChangeHash>)> = old_now
        .get_changes(rewritten_at)
        .into_iter()
        .map(|c| (c.actor_id().to_hex_string(), c.seq(), c.hash(), c.deps().to_vec()))
        .collect();
    // The old epoch's state already carried: the rewrite's and every late
    // change carried before.
    let already: Vec<&(String, u64, ChangeHash, Vec<ChangeHash>)> =
        late.iter().filter(|(a, seq, ..)| done.get(a).is_some_and(|d| seq <= d)).collect();
    let covered: BTreeSet<ChangeHash> = already.iter().flat_map(|(.., deps)| deps.iter().copied()).collect();
    let before: Vec<ChangeHash> = rewritten_at
        .iter()
        .copied()
        .chain(already.iter().map(|(_, _, h, _)| *h))
        .filter(|h| !covered.contains(h))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let now = old_now.get_heads();
    let mut touched_records: BTreeSet<(Kind, String)> = BTreeSet::new();
    for patch in old_now.diff(&before, &now) {
        if let Some(Touch::Record(collection, key)) = touched(&patch) {
            if let Some(kind) = Kind::from_collection(&collection) {
                touched_records.insert((kind, key));
            }
        }
    }

    let scrub = erased.all();
    let mut report = CarryReport::default();
    let old_read = Reader { doc: old_now, heads: Some(&before), scrub: &scrub };
    let now_read = Reader { doc: old_now, heads: None, scrub: &scrub };
    for (kind, key) in touched_records {
        if erased.contains(kind, &key) || about_erased(old_now, kind, &key, erased) {
            *report.dropped.entry(kind).or_default() += 1;
            continue;
        }
        let (Ok(old_obj), Ok(dst)) =
            (record::collection_obj(old_now, kind.collection()), record::collection_obj(new, kind.collection()))
        else {
            continue;
        };
        let was = old_read.get(&old_obj, key.as_str())?;
        let is = now_read.get(&old_obj, key.as_str())?;
        let wrote = carry_key(new, &dst, &key, was.as_ref(), is.as_ref(), true)?;
        if wrote {
            let tally = if is.is_none() { &mut report.deleted } else { &mut report.carried };
            *tally.entry(kind).or_default() += 1;
        }
    }
    let mut last: BTreeMap<&str, u64> = BTreeMap::new();
    for (actor, seq, ..) in &late {
        let at = last.entry(actor.as_str()).or_default();
        *at = (*at).max(*seq);
    }
    for (actor, seq) in last {
        if done.get(actor).is_none_or(|d| *d < seq) {
            new.put(&carried_obj, actor, ScalarValue::Uint(seq))?;
        }
    }
    new.commit_with(CommitOptions::default().with_message(CARRIED.to_owned()).with_time(now_ms.div_euclid(1000)));
    Ok(report)
}

/// The records the rewrite in `new` left out of `old` as it was at
/// `base` (the rewrite's heads): what was erased. A device that did not
/// plan the erasure learns it so: the statement names no record.
///
/// Read at the rewrite itself (the first change with [`REWRITE_MESSAGE`]),
/// so a record deleted in the new epoch since is not taken for erased.
pub fn erased_between(old: &AutoCommit, base: &[ChangeHash], new: &mut AutoCommit) -> ErasedIds {
    let rewrite: Vec<ChangeHash> = new
        .get_changes(&[])
        .into_iter()
        .find(|c| c.message() == Some(REWRITE_MESSAGE))
        .map(|c| vec![c.hash()])
        .unwrap_or_else(|| new.get_heads());
    let mut erased = ErasedIds::default();
    for kind in Kind::ALL {
        let Ok(Some((Value::Object(ObjType::Map), was))) = old.get_at(ROOT, kind.collection(), base) else { continue };
        let kept: BTreeSet<String> = match new.get_at(ROOT, kind.collection(), &rewrite) {
            Ok(Some((Value::Object(ObjType::Map), obj))) => new.keys_at(&obj, &rewrite).collect(),
            _ => BTreeSet::new(),
        };
        for key in old.keys_at(&was, base).filter(|k| !kept.contains(k)) {
            erased.insert(*kind, key);
        }
    }
    erased
}

/// Carries one device's own late writes into the new epoch: [`carry_over`]
/// of `old` as it was at `base` with only the changes `own` on top (the
/// sync core's `Carrying`), so each device carries what it wrote and a
/// counter's increments count once. If one of them builds on another
/// device's late change (read before the device wrote), every late change
/// is carried instead: nothing of this device's is dropped for it. The
/// erased records are read from the rewrite ([`erased_between`]).
pub fn carry_own(
    old: &mut AutoCommit,
    base: &[ChangeHash],
    own: &[ChangeHash],
    new: &mut AutoCommit,
    now_ms: i64,
) -> Result<CarryReport, ErasureError> {
    if base.iter().any(|h| old.get_change_by_hash(h).is_none()) {
        return Err(ErasureError::MissingHeads);
    }
    let erased = erased_between(old, base, new);
    let changes: Vec<automerge::Change> = own.iter().filter_map(|h| old.get_change_by_hash(h)).collect();
    let mut mine = old.fork_at(base)?;
    mine.apply_changes(changes)?;
    let report = if mine.get_missing_deps(&[]).is_empty() {
        carry_over(base, &mut mine, new, &erased, now_ms)?
    } else {
        carry_over(base, old, new, &erased, now_ms)?
    };
    if !report.dropped.is_empty() {
        let me = new.get_actor().to_hex_string();
        let all = record::late_collection(new, DROPPED, DROPPED_ACTOR)?;
        let counts = match new.get(&all, me.as_str())? {
            Some((Value::Object(ObjType::Map), obj)) => obj,
            _ => new.put_object(&all, me.as_str(), ObjType::Map)?,
        };
        for (kind, n) in &report.dropped {
            let was = new.get(&counts, kind.collection())?.and_then(|(v, _)| v.as_u64()).unwrap_or(0);
            new.put(&counts, kind.collection(), ScalarValue::Uint(was + *n as u64))?;
        }
        new.commit_with(CommitOptions::default().with_message(DROPPED.to_owned()).with_time(now_ms.div_euclid(1000)));
    }
    Ok(report)
}

/// What each device dropped when it carried its late writes into `doc`
/// (see [`DROPPED`]): by actor (hex), counts by kind.
pub fn dropped_by_device(doc: &AutoCommit) -> BTreeMap<String, BTreeMap<Kind, usize>> {
    let Ok(Some((Value::Object(ObjType::Map), all))) = doc.get(ROOT, DROPPED) else { return BTreeMap::new() };
    doc.keys(&all)
        .filter_map(|actor| {
            let Ok(Some((Value::Object(ObjType::Map), counts))) = doc.get(&all, actor.as_str()) else { return None };
            let by_kind = doc
                .keys(&counts)
                .filter_map(|c| {
                    let n = doc.get(&counts, c.as_str()).ok()??.0.as_u64()?;
                    Some((Kind::from_collection(&c)?, n as usize))
                })
                .collect();
            Some((actor, by_kind))
        })
        .collect()
}

/// Writes into `dst[key]` what changed from `was` to `is`. `record`: at a
/// record's own key, where a record the new epoch deleted stays deleted.
fn carry_key(
    dst: &mut AutoCommit,
    obj: &ObjId,
    key: &str,
    was: Option<&Node>,
    is: Option<&Node>,
    record: bool,
) -> Result<bool, ErasureError> {
    if was == is {
        return Ok(false);
    }
    let current = dst.get(obj, key)?;
    match (was, is, current) {
        (_, None, Some(_)) => {
            dst.delete(obj, key)?;
            Ok(true)
        }
        (_, None, None) => Ok(false),
        (Some(Node::Map(w)), Some(Node::Map(i)), Some((Value::Object(ObjType::Map), id))) => {
            let keys: BTreeSet<&String> = w.keys().chain(i.keys()).collect();
            let mut wrote = false;
            for k in keys {
                wrote |= carry_key(dst, &id, k, w.get(k), i.get(k), false)?;
            }
            Ok(wrote)
        }
        (Some(Node::Map(_)), Some(_), None) if record => Ok(false),
        (
            Some(Node::Scalar(ScalarValue::Counter(w))),
            Some(Node::Scalar(ScalarValue::Counter(i))),
            Some((Value::Scalar(c), _)),
        ) if matches!(c.as_ref(), ScalarValue::Counter(_)) => {
            dst.increment(obj, key, i64::from(i) - i64::from(w))?;
            Ok(true)
        }
        (_, Some(node), _) => sync_key(dst, obj, key, node),
    }
}
