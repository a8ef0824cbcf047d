//! The notebook: every record of the network document and of the community
//! documents, hydrated once and kept current from Automerge patches, so a
//! page renders its list without touching a document.
//!
//! The app holds one [`Notebook`]. After opening the documents it calls
//! [`Notebook::load`], then `diff_incremental()` once on every document and
//! discards the result (the first call returns the whole document, which the
//! load has already read). From then on, after each local change or merge it
//! passes that document's `diff_incremental()` to
//! [`Notebook::apply_patches`], which re-reads only the records the patches
//! touch.
//!
//! A record that does not hydrate (written by a newer version, or damaged)
//! is left out and counted in [`Notebook::skipped`]; it never fails the
//! whole notebook.

use std::borrow::Cow;
use std::cell::RefCell;
use std::cmp::{Ordering, Reverse};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::Hash;
use std::sync::Arc;

use automerge::iter::DocItem;
use automerge::{AutoCommit, ObjId, ObjType, Patch, PatchAction, Prop, ReadDoc, Value, ValueRef};

use crate::advice::{Consultation, FollowUp, Household, Referral};
use crate::conflict::{self, Conflict};
use crate::contact::{Contact, TargetGroup};
use crate::export::Export;
use crate::ids::{
    CommunityId, CompanyId, ConsultationId, ContactId, EventId, ExportId, FollowUpId, HouseholdId, InstitutionId,
    MeasureId, MentorId, PartnerId, ReferralId, TrainingPlaceId,
};
use crate::kind::{Kind, RecordKind};
use crate::network::{Community, Company, Event, Institution, Measure, Mentor, PartnerOrganisation, TrainingPlace};
use crate::record::{self, DocError, Record};

mod rows;
pub use rows::{Edit, Row, RowSet, RowsError, LATER, ROWS_SCHEMA};

/// The static name of a collection the notebook holds.
fn collection_name(name: &str) -> Option<&'static str> {
    Kind::from_collection(name).map(Kind::collection)
}

/// Which document a set of patches came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum DocRef {
    Network,
    Community(CommunityId),
}

/// A record of a community document, with the community it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct InCommunity<T> {
    pub community: CommunityId,
    pub record: T,
    /// The record's searchable text, [folded](fold) once when it is read.
    folded: String,
    /// Its date (consultations, referrals: `date`; follow-ups: `due_on`) as
    /// days since 1970, or `i64::MIN` if it has none: lists sort and filter
    /// on this number.
    pub(crate) day: i64,
}

fn in_community<T: Searchable>(community: CommunityId, record: T) -> InCommunity<T> {
    let day = record.day().and_then(days_from_iso).unwrap_or(i64::MIN);
    InCommunity { community, folded: record.fold(), day, record }
}

/// One page of a list: the first `limit` matches and how many there are.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<'a, T> {
    pub items: Vec<&'a T>,
    pub total: usize,
}

impl<T> Page<'_, T> {
    /// How many matches are not on this page.
    pub fn more(&self) -> usize {
        self.total - self.items.len()
    }
}

/// What a list page filters by. Empty fields do not filter.
///
/// - `community`: the record's community (events and companies: their
///   optional community).
/// - `target_group`: contacts' own group; consultations and referrals via
///   their contact (a consultation with a household only does not match).
///   Not applied to events and companies.
/// - `status`: a code — consultations: the [`Outcome`](crate::Outcome),
///   referrals: the [`ReferralStatus`](crate::ReferralStatus), events: the
///   [`EventKind`](crate::EventKind), companies: the
///   [`LicenceStatus`](crate::LicenceStatus). Not applied to contacts. An
///   unknown code matches nothing.
/// - `from`, `to`: ISO dates, both inclusive — consultations, referrals and
///   events: their date; companies: `member_since`. A record without a
///   valid date is left out when either is set. Not applied to contacts.
/// - `text`: ignores case and accents ([`fold`]); see each query for the
///   fields it searches.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub community: Option<CommunityId>,
    pub target_group: Option<TargetGroup>,
    pub status: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub text: String,
    /// Dated lists: the soonest first (upcoming events) instead of the
    /// newest first.
    pub soonest_first: bool,
}

impl Filter {
    fn in_range(&self, date: &str) -> bool {
        self.day_range().contains(&days_from_iso(date).unwrap_or(i64::MIN))
    }

    /// `from` and `to` as days since 1970 (see [`InCommunity`]'s `day`): a
    /// bound that is not a date does not bound, and a record without a date
    /// is in the range only if nothing bounds it.
    fn day_range(&self) -> std::ops::RangeInclusive<i64> {
        let from = self.from.as_deref().and_then(days_from_iso);
        let to = self.to.as_deref().and_then(days_from_iso);
        let undated = if from.is_none() && to.is_none() { i64::MIN } else { i64::MIN + 1 };
        from.unwrap_or(undated)..=to.unwrap_or(i64::MAX)
    }

    fn status_is(&self, code: &str) -> bool {
        self.status.as_deref().is_none_or(|s| s == code)
    }

    fn community_is(&self, community: Option<CommunityId>) -> bool {
        self.community.is_none_or(|c| community == Some(c))
    }
}

/// A reminder that needs the mentor: a follow-up not done, or an open
/// referral whose follow-up date has come.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Due<'a> {
    FollowUp(&'a InCommunity<FollowUp>),
    Referral(&'a InCommunity<Referral>),
}

impl Due<'_> {
    /// The ISO date it is due.
    pub fn date(&self) -> &str {
        match self {
            Due::FollowUp(f) => &f.record.due_on,
            Due::Referral(r) => r.record.follow_up_on.as_deref().unwrap_or_default(),
        }
    }

    pub fn community(&self) -> CommunityId {
        match self {
            Due::FollowUp(f) => f.community,
            Due::Referral(r) => r.community,
        }
    }

    pub fn contact(&self) -> Option<ContactId> {
        match self {
            Due::FollowUp(f) => f.record.contact,
            Due::Referral(r) => Some(r.record.contact),
        }
    }

    pub fn mentor(&self) -> MentorId {
        match self {
            Due::FollowUp(f) => f.record.mentor,
            Due::Referral(r) => r.record.mentor,
        }
    }

    /// By date; on one day follow-ups first; then by id, so the order is
    /// stable.
    fn sort_key(&self) -> (&str, u8, uuid::Uuid) {
        match self {
            Due::FollowUp(f) => (self.date(), 0, f.record.id.0),
            Due::Referral(r) => (self.date(), 1, r.record.id.0),
        }
    }
}

/// The start page: what is overdue, what is due today, what comes next.
#[derive(Debug, Clone, PartialEq)]
pub struct Today<'a> {
    /// Due before today, the most recently due first.
    pub overdue: Vec<Due<'a>>,
    /// Due today.
    pub due_today: Vec<Due<'a>>,
    /// Events from today to 14 days ahead, soonest first.
    pub upcoming_events: Vec<&'a Event>,
}

/// How many days ahead [`Notebook::today`] lists events.
pub const UPCOMING_DAYS: i64 = 14;

/// Every record, hydrated. See the module documentation for how to keep it
/// current.
#[derive(Debug, Clone, Default)]
pub struct Notebook {
    communities: HashMap<CommunityId, Community>,
    mentors: HashMap<MentorId, Mentor>,
    partners: HashMap<PartnerId, PartnerOrganisation>,
    institutions: HashMap<InstitutionId, Institution>,
    events: HashMap<EventId, Event>,
    companies: HashMap<CompanyId, Company>,
    training_places: HashMap<TrainingPlaceId, TrainingPlace>,
    measures: HashMap<MeasureId, Measure>,
    exports: HashMap<ExportId, Export>,
    /// Device actor (lower-case hex) → the mentor whose device it is.
    mentor_by_device: HashMap<String, MentorId>,

    contacts: HashMap<ContactId, InCommunity<Contact>>,
    households: HashMap<HouseholdId, InCommunity<Household>>,
    consultations: HashMap<ConsultationId, InCommunity<Consultation>>,
    referrals: HashMap<ReferralId, InCommunity<Referral>>,
    follow_ups: HashMap<FollowUpId, InCommunity<FollowUp>>,

    /// Records that did not hydrate: (document, collection, key).
    skipped: BTreeSet<(DocRef, &'static str, String)>,
    /// Fields with concurrent values, per record (document, collection, key).
    conflicts: Conflicts,
}

/// Fields with concurrent values, per record: (document, collection, key).
type Conflicts = BTreeMap<(DocRef, &'static str, String), Vec<Conflict>>;

/// What a community record is searched by, [folded](fold) once.
trait Searchable {
    fn fold(&self) -> String;
    /// The date lists sort and filter by.
    fn day(&self) -> Option<&str> {
        None
    }
}

/// Separates the parts of a folded text, so a query never matches across two
/// fields.
const SEP: char = '\u{1f}';

impl Searchable for Contact {
    /// Name, district, languages, then the phone without spaces (last).
    fn fold(&self) -> String {
        let mut s = String::with_capacity(self.name.len() + self.district.len() + self.phone.len() + 16);
        s.push_str(&fold(&self.name));
        s.push(SEP);
        s.push_str(&fold(&self.district));
        for l in &self.languages {
            s.push(SEP);
            s.push_str(&fold(l));
        }
        s.push(SEP);
        s.push_str(&self.phone.replace(' ', ""));
        s
    }
}

impl Searchable for Household {
    fn fold(&self) -> String {
        fold(&format!("{}{SEP}{}{SEP}{}", self.name, self.district, self.notes))
    }
}

impl Searchable for Consultation {
    fn fold(&self) -> String {
        fold(&self.notes)
    }
    fn day(&self) -> Option<&str> {
        Some(&self.date)
    }
}

impl Searchable for Referral {
    fn fold(&self) -> String {
        fold(&self.reason)
    }
    fn day(&self) -> Option<&str> {
        Some(&self.date)
    }
}

impl Searchable for FollowUp {
    fn fold(&self) -> String {
        fold(&self.note)
    }
    fn day(&self) -> Option<&str> {
        Some(&self.due_on)
    }
}

impl InCommunity<Contact> {
    /// The folded name (the list is sorted by it).
    fn folded_name(&self) -> &str {
        self.folded.split(SEP).next().unwrap_or_default()
    }

    /// [`Contact::matches`] on the folded text (so accents do not matter);
    /// `q` is trimmed and folded.
    fn matches_folded(&self, q: &Query) -> bool {
        if q.is_empty() {
            return true;
        }
        let (text, phone) = self.folded.rsplit_once(SEP).unwrap_or((&self.folded, ""));
        q.found_in(text) || phone.contains(q.unspaced.as_str())
    }
}

/// The entries of one object, read in one pass; keys and values borrow
/// from the document.
enum Entries<'a> {
    Map(Vec<(Cow<'a, str>, ValueRef<'a>, ObjId)>),
    /// Index, value, id (sorted by index once read).
    List(Vec<(usize, ValueRef<'a>, ObjId)>),
}

/// Reads records for autosurgeon from entries read in bulk.
///
/// autosurgeon reads a record field by field with `get`, and each `get`
/// first has to find its object among all the document's operations. The
/// reader instead reads a whole object at once: [`Reader::lazy`] on its
/// first `get` (one `map_range`/`list_range` for all of a record's fields),
/// [`Reader::whole`] every object under a collection in one pass over the
/// document. Loading 20,000 consultations this way is many times faster (see
/// the bench).
struct Reader<'a> {
    doc: &'a AutoCommit,
    cache: RefCell<HashMap<ObjId, Entries<'a>>>,
    /// Every object under the collection has been read: one not in the
    /// cache is empty.
    complete: bool,
    /// The keys of each map read that hold concurrent values.
    conflicted: RefCell<HashMap<ObjId, Vec<String>>>,
}

fn map_entries<'a>(doc: &'a AutoCommit, obj: &ObjId, conflicted: &RefCell<HashMap<ObjId, Vec<String>>>) -> Entries<'a> {
    Entries::Map(
        ReadDoc::map_range(doc, obj, ..)
            .map(|i| {
                if i.conflict {
                    conflicted.borrow_mut().entry(obj.clone()).or_default().push(i.key.to_string());
                }
                let id = i.id();
                (i.key, i.value, id)
            })
            .collect(),
    )
}

fn list_entries<'a>(doc: &'a AutoCommit, obj: &ObjId) -> Entries<'a> {
    Entries::List(
        ReadDoc::list_range(doc, obj, ..)
            .map(|i| {
                let id = i.id();
                (i.index, i.value, id)
            })
            .collect(),
    )
}

impl<'a> Reader<'a> {
    fn lazy(doc: &'a AutoCommit) -> Self {
        Reader { doc, cache: RefCell::new(HashMap::new()), complete: false, conflicted: RefCell::default() }
    }

    /// Reads `obj` and every object beneath it in one pass.
    fn whole(doc: &'a AutoCommit, obj: &ObjId) -> Self {
        let mut cache: HashMap<ObjId, Entries<'a>> = HashMap::new();
        let mut conflicted: HashMap<ObjId, Vec<String>> = HashMap::new();
        let mut current: Option<(Arc<ObjId>, Entries<'a>)> = None;
        for item in doc.iter_at(obj, None) {
            if current.as_ref().is_some_and(|(o, _)| !Arc::ptr_eq(o, &item.obj) && **o != *item.obj) {
                if let Some((o, e)) = current.take() {
                    merge_entries(&mut cache, (*o).clone(), e);
                }
            }
            let (_, entries) = current.get_or_insert_with(|| {
                let e = match &item.item {
                    DocItem::List(_) => Entries::List(Vec::new()),
                    _ => Entries::Map(Vec::new()),
                };
                (item.obj.clone(), e)
            });
            match (item.item, entries) {
                (DocItem::Map(i), Entries::Map(m)) => {
                    if i.conflict {
                        conflicted.entry((*item.obj).clone()).or_default().push(i.key.to_string());
                    }
                    let id = i.id();
                    m.push((i.key, i.value, id));
                }
                (DocItem::List(i), Entries::List(l)) => {
                    let id = i.id();
                    l.push((i.index, i.value, id));
                }
                // Text spans: `text()` reads them from the document.
                _ => {}
            }
        }
        if let Some((o, e)) = current.take() {
            merge_entries(&mut cache, (*o).clone(), e);
        }
        for entries in cache.values_mut() {
            if let Entries::List(l) = entries {
                l.sort_by_key(|(i, _, _)| *i);
            }
        }
        Reader { doc, cache: RefCell::new(cache), complete: true, conflicted: RefCell::new(conflicted) }
    }

    /// The entries of the map `obj`, taken out of the reader.
    fn take_map(&self, obj: &ObjId) -> Vec<(Cow<'a, str>, ValueRef<'a>, ObjId)> {
        let entries = self.cache.borrow_mut().remove(obj);
        match entries {
            Some(Entries::Map(m)) => m,
            _ if self.complete => Vec::new(),
            _ => match map_entries(self.doc, obj, &self.conflicted) {
                Entries::Map(m) => m,
                Entries::List(_) => Vec::new(),
            },
        }
    }
}

/// Adds entries of an object met again later in the pass.
fn merge_entries<'a>(cache: &mut HashMap<ObjId, Entries<'a>>, obj: ObjId, entries: Entries<'a>) {
    match (cache.get_mut(&obj), entries) {
        (Some(Entries::Map(m)), Entries::Map(more)) => m.extend(more),
        (Some(Entries::List(l)), Entries::List(more)) => l.extend(more),
        (_, entries) => {
            cache.insert(obj, entries);
        }
    }
}

impl autosurgeon::ReadDoc for Reader<'_> {
    type Parents<'b>
        = automerge::Parents<'b>
    where
        Self: 'b;

    fn get_heads(&self) -> Vec<automerge::ChangeHash> {
        autosurgeon::ReadDoc::get_heads(self.doc)
    }

    fn get<P: Into<Prop>>(
        &self,
        obj: &ObjId,
        prop: P,
    ) -> Result<Option<(Value<'_>, ObjId)>, automerge::AutomergeError> {
        let prop = prop.into();
        let mut cache = self.cache.borrow_mut();
        if !cache.contains_key(obj) {
            let entries = match prop {
                _ if self.complete => return Ok(None),
                Prop::Map(_) => map_entries(self.doc, obj, &self.conflicted),
                Prop::Seq(_) => list_entries(self.doc, obj),
            };
            cache.insert(obj.clone(), entries);
        }
        Ok(match (&cache[obj], &prop) {
            (Entries::Map(m), Prop::Map(k)) => {
                m.iter().find(|(key, _, _)| key == k).map(|(_, v, id)| (v.clone().into_value(), id.clone()))
            }
            (Entries::List(l), Prop::Seq(i)) => l.get(*i).map(|(_, v, id)| (v.clone().into_value(), id.clone())),
            // Asked for a key of a list or an index of a map.
            _ => None,
        })
    }

    fn object_type<O: AsRef<ObjId>>(&self, obj: O) -> Option<ObjType> {
        autosurgeon::ReadDoc::object_type(self.doc, obj)
    }

    fn map_range<'b, O, R>(&'b self, obj: O, range: R) -> automerge::iter::MapRange<'b>
    where
        R: std::ops::RangeBounds<String> + 'b,
        O: AsRef<ObjId>,
    {
        ReadDoc::map_range(self.doc, obj, range)
    }

    fn list_range<O: AsRef<ObjId>, R: std::ops::RangeBounds<usize>>(
        &self,
        obj: O,
        range: R,
    ) -> automerge::iter::ListRange<'_> {
        ReadDoc::list_range(self.doc, obj, range)
    }

    fn length<O: AsRef<ObjId>>(&self, obj: O) -> usize {
        match self.cache.borrow().get(obj.as_ref()) {
            Some(Entries::Map(m)) => m.len(),
            Some(Entries::List(l)) => l.len(),
            None if self.complete => 0,
            None => ReadDoc::length(self.doc, obj),
        }
    }

    fn text<O: AsRef<ObjId>>(&self, obj: O) -> Result<String, automerge::AutomergeError> {
        ReadDoc::text(self.doc, obj)
    }

    fn parents<O: AsRef<ObjId>>(&self, obj: O) -> Result<Self::Parents<'_>, automerge::AutomergeError> {
        ReadDoc::parents(self.doc, obj)
    }

    fn is_empty(&self) -> bool {
        autosurgeon::ReadDoc::is_empty(self.doc)
    }
}

/// A record read from its key: there, gone, or not readable.
enum Read<R> {
    Found(R),
    Gone,
    Bad,
}

fn hydrate_value<R: RecordKind>(reader: &Reader<'_>, key: &str, is_map: bool, obj: &ObjId) -> Option<R> {
    if !is_map {
        return None;
    }
    let record = R::hydrate_map(reader, obj).ok()?;
    let id: R::Id = key.parse().ok()?;
    (record.id() == id).then_some(record)
}

/// The concurrent values of the record map `obj` and of the maps in its
/// fields (a contact's consent: `consent.scope`), if the reader met any.
fn conflicts_in(reader: &Reader<'_>, obj: &ObjId) -> Vec<Conflict> {
    let conflicted = reader.conflicted.borrow();
    if conflicted.is_empty() {
        return Vec::new();
    }
    let mut out = conflicted.get(obj).map(|keys| conflict::conflicts_of(reader.doc, obj, keys)).unwrap_or_default();
    // The record's own entries are in the reader's cache (hydrating read
    // them): no second pass over the document.
    if let Some(Entries::Map(entries)) = reader.cache.borrow().get(obj) {
        for (key, value, inner) in entries {
            let Some(keys) = conflicted.get(inner).filter(|_| matches!(value, ValueRef::Object(ObjType::Map))) else {
                continue;
            };
            out.extend(conflict::conflicts_of(reader.doc, inner, keys).into_iter().map(|mut c| {
                c.field = format!("{key}.{}", c.field);
                c
            }));
        }
    }
    out
}

fn read_one<R: RecordKind>(doc: &AutoCommit, key: &str) -> (Read<R>, Vec<Conflict>) {
    let Ok(coll) = record::collection_obj(doc, R::COLLECTION) else {
        return (Read::Gone, vec![]);
    };
    match doc.get(&coll, key) {
        Ok(None) => (Read::Gone, vec![]),
        Ok(Some((value, obj))) => {
            let reader = Reader::lazy(doc);
            match hydrate_value::<R>(&reader, key, matches!(value, Value::Object(ObjType::Map)), &obj) {
                Some(r) => (Read::Found(r), conflicts_in(&reader, &obj)),
                None => (Read::Bad, vec![]),
            }
        }
        Err(_) => (Read::Bad, vec![]),
    }
}

/// Every readable record of a collection; the keys of the others go to
/// `skipped`.
fn read_all<R: RecordKind>(
    doc: &AutoCommit,
    which: DocRef,
    skipped: &mut BTreeSet<(DocRef, &'static str, String)>,
    conflicts: &mut Conflicts,
) -> Result<Vec<R>, DocError> {
    conflicts.retain(|(w, c, _), _| !(*w == which && *c == R::COLLECTION));
    let coll = record::collection_obj(doc, R::COLLECTION)?;
    let reader = Reader::whole(doc, &coll);
    let entries = reader.take_map(&coll);
    let mut out = Vec::with_capacity(entries.len());
    for (key, value, obj) in entries {
        match hydrate_value::<R>(&reader, &key, matches!(value, ValueRef::Object(ObjType::Map)), &obj) {
            Some(r) => {
                let found = conflicts_in(&reader, &obj);
                if !found.is_empty() {
                    conflicts.insert((which, R::COLLECTION, key.into_owned()), found);
                }
                out.push(r)
            }
            None => {
                skipped.insert((which, R::COLLECTION, key.into_owned()));
            }
        }
    }
    Ok(out)
}

fn load_network_map<R: RecordKind>(
    map: &mut HashMap<R::Id, R>,
    doc: &AutoCommit,
    skipped: &mut BTreeSet<(DocRef, &'static str, String)>,
    conflicts: &mut Conflicts,
) -> Result<(), DocError> {
    map.clear();
    map.extend(read_all::<R>(doc, DocRef::Network, skipped, conflicts)?.into_iter().map(|r| (r.id(), r)));
    Ok(())
}

fn load_community_map<R: RecordKind + Searchable>(
    map: &mut HashMap<R::Id, InCommunity<R>>,
    community: CommunityId,
    doc: &AutoCommit,
    skipped: &mut BTreeSet<(DocRef, &'static str, String)>,
    conflicts: &mut Conflicts,
) -> Result<(), DocError> {
    map.retain(|_, r| r.community != community);
    let records = read_all::<R>(doc, DocRef::Community(community), skipped, conflicts)?;
    map.extend(records.into_iter().map(|r| (r.id(), in_community(community, r))));
    Ok(())
}

fn refresh_network<R: RecordKind>(
    map: &mut HashMap<R::Id, R>,
    doc: &AutoCommit,
    key: &str,
    skipped: &mut BTreeSet<(DocRef, &'static str, String)>,
    conflicts: &mut Conflicts,
) {
    let slot = (DocRef::Network, R::COLLECTION, key.to_owned());
    let id = key.parse::<R::Id>().ok();
    let (read, found) = read_one::<R>(doc, key);
    note(conflicts, &slot, found);
    match read {
        Read::Found(r) => {
            skipped.remove(&slot);
            map.insert(r.id(), r);
        }
        Read::Gone => {
            skipped.remove(&slot);
            id.map(|id| map.remove(&id));
        }
        Read::Bad => {
            skipped.insert(slot);
            id.map(|id| map.remove(&id));
        }
    }
}

fn refresh_community<R: RecordKind + Searchable>(
    map: &mut HashMap<R::Id, InCommunity<R>>,
    community: CommunityId,
    doc: &AutoCommit,
    key: &str,
    skipped: &mut BTreeSet<(DocRef, &'static str, String)>,
    conflicts: &mut Conflicts,
) {
    let slot = (DocRef::Community(community), R::COLLECTION, key.to_owned());
    let id = key.parse::<R::Id>().ok();
    let (read, found) = read_one::<R>(doc, key);
    note(conflicts, &slot, found);
    match read {
        Read::Found(r) => {
            skipped.remove(&slot);
            map.insert(r.id(), in_community(community, r));
        }
        Read::Gone => {
            skipped.remove(&slot);
            id.map(|id| map.remove(&id));
        }
        Read::Bad => {
            skipped.insert(slot);
            id.map(|id| map.remove(&id));
        }
    }
}

/// Keeps a record's conflicts (none: forgets them).
fn note(conflicts: &mut Conflicts, slot: &(DocRef, &'static str, String), found: Vec<Conflict>) {
    if found.is_empty() {
        conflicts.remove(slot);
    } else {
        conflicts.insert(slot.clone(), found);
    }
}

/// What a patch touches: the whole document (a change at its root) or one
/// record.
pub(crate) enum Touch {
    Root,
    Record(String, String),
}

pub(crate) fn touched(patch: &Patch) -> Option<Touch> {
    let prop_key = |p: &Prop| match p {
        Prop::Map(k) => Some(k.clone()),
        Prop::Seq(_) => None,
    };
    match patch.path.as_slice() {
        // The review marks' map holds no records (see `review`).
        [] if matches!(&patch.action, PatchAction::PutMap { key, .. } if key == crate::review::REVIEWS || key == crate::erasure::CARRIED) => {
            None
        }
        [] => Some(Touch::Root),
        [(_, Prop::Map(collection)), ..]
            if collection == crate::review::REVIEWS || collection == crate::erasure::CARRIED =>
        {
            None
        }
        [(_, collection)] => {
            let key = match &patch.action {
                PatchAction::PutMap { key, .. } | PatchAction::DeleteMap { key } => key.clone(),
                PatchAction::Conflict { prop } | PatchAction::Increment { prop, .. } => prop_key(prop)?,
                _ => return None,
            };
            Some(Touch::Record(prop_key(collection)?, key))
        }
        [(_, collection), (_, key), ..] => Some(Touch::Record(prop_key(collection)?, prop_key(key)?)),
    }
}

/// The date part (`YYYY-MM-DD`) of an ISO date or date-time.
fn day(date: &str) -> &str {
    date.get(..10).unwrap_or(date)
}

/// The ISO date `days` after `date` (before, if negative); `None` for a
/// date that does not parse.
pub fn add_days(date: &str, days: i64) -> Option<String> {
    days_from_iso(date).map(|d| iso_from_days(d + days))
}

/// The day of the week of a valid ISO date (`validate::is_valid_date`), 1
/// (Monday) to 7 (Sunday); `None` for any other text.
pub fn iso_weekday(date: &str) -> Option<u32> {
    if !crate::validate::is_valid_date(date) {
        return None;
    }
    // 1970-01-01 was a Thursday.
    days_from_iso(date).map(|d| (d + 3).rem_euclid(7) as u32 + 1)
}

/// Days since 1970-01-01 of an ISO date (proleptic Gregorian calendar).
pub(crate) fn days_from_iso(date: &str) -> Option<i64> {
    let d = day(date);
    let mut parts = d.splitn(3, '-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let dd: i64 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&dd) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + dd - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The ISO date `days` after 1970-01-01.
pub(crate) fn iso_from_days(days: i64) -> String {
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The first `limit` of `items` in `order`, and how many there were.
fn page<'a, T>(mut items: Vec<&'a T>, limit: usize, order: impl Fn(&&'a T, &&'a T) -> Ordering) -> Page<'a, T> {
    let total = items.len();
    if limit < total {
        if limit > 0 {
            items.select_nth_unstable_by(limit - 1, &order);
        }
        items.truncate(limit);
    }
    crate::order::sort_by(&mut items, order);
    Page { items, total }
}

/// The first `limit` of `items` by their keys, and how many there were.
/// Keys are small values held beside each item, so ordering 20,000 items
/// never follows a pointer.
fn page_by_key<'a, K: Ord, T>(mut items: Vec<(K, &'a T)>, limit: usize) -> Page<'a, T> {
    let total = items.len();
    if limit < total {
        if limit > 0 {
            items.select_nth_unstable_by(limit - 1, |a, b| a.0.cmp(&b.0));
        }
        items.truncate(limit);
    }
    crate::order::sort_by(&mut items, |a, b| a.0.cmp(&b.0));
    Page { items: items.into_iter().map(|(_, t)| t).collect(), total }
}

/// Newest first: by day, then time of entry, then id.
fn newest_key<T>(day: i64, created_at: i64, id: T) -> (Reverse<i64>, Reverse<i64>, T) {
    (Reverse(day), Reverse(created_at), id)
}

/// A search as typed, [folded](fold) once per keystroke, not once per
/// record it is tested against.
struct Query {
    folded: String,
    /// The query without spaces, for phone numbers ("0176 12" finds
    /// "017612…").
    unspaced: String,
}

impl Query {
    fn new(text: &str) -> Query {
        // Without the field separator, no match spans two fields.
        let folded: String = fold(text.trim()).chars().filter(|c| *c != SEP).collect();
        let unspaced: String = folded.chars().filter(|c| *c != ' ').collect();
        Query { folded, unspaced }
    }

    fn is_empty(&self) -> bool {
        self.folded.is_empty()
    }

    /// Whether the folded `text` holds the query.
    fn found_in(&self, text: &str) -> bool {
        text.contains(self.folded.as_str())
    }
}

/// Lower case without the accents a mentor may not type: "Yılmaz",
/// "YILMAZ" and "yilmaz" fold alike, as do "Ayşegül" and "aysegul",
/// "Łódź" and "lodz", "Straße" and "strasse". Letters of other scripts
/// (Arabic, Cyrillic) are only lower-cased.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ą' | 'ā' => out.push('a'),
            'ç' | 'ć' | 'č' => out.push('c'),
            'ď' => out.push('d'),
            'è' | 'é' | 'ê' | 'ë' | 'ę' | 'ē' | 'ě' => out.push('e'),
            'ğ' => out.push('g'),
            'ı' | 'ì' | 'í' | 'î' | 'ï' | 'ī' => out.push('i'),
            'ł' => out.push('l'),
            'ñ' | 'ń' | 'ň' => out.push('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => out.push('o'),
            'ř' => out.push('r'),
            'ś' | 'ş' | 'š' => out.push('s'),
            'ß' => out.push_str("ss"),
            'ť' => out.push('t'),
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' => out.push('u'),
            'ý' | 'ÿ' => out.push('y'),
            'ź' | 'ż' | 'ž' => out.push('z'),
            // The dot "İ" lower-cases into; combining accents.
            '\u{300}'..='\u{36f}' => {}
            c => out.push(c),
        }
    }
    out
}

impl Notebook {
    /// Reads every record of the network document and of each community
    /// document. A record that does not hydrate is skipped and counted; a
    /// document without Lotse's collections is an error.
    pub fn load(network: &AutoCommit, communities: &[(CommunityId, &AutoCommit)]) -> Result<Notebook, DocError> {
        let mut nb = Notebook::default();
        nb.load_network(network)?;
        for (id, doc) in communities {
            nb.load_community(*id, doc)?;
        }
        Ok(nb)
    }

    /// (Re)reads the whole network document. Every collection it has is
    /// read even if another is missing (that error is returned).
    pub fn load_network(&mut self, doc: &AutoCommit) -> Result<(), DocError> {
        let (s, k) = (&mut self.skipped, &mut self.conflicts);
        s.retain(|(which, _, _)| *which != DocRef::Network);
        let results = [
            load_network_map(&mut self.communities, doc, s, k),
            load_network_map(&mut self.mentors, doc, s, k),
            load_network_map(&mut self.partners, doc, s, k),
            load_network_map(&mut self.institutions, doc, s, k),
            load_network_map(&mut self.events, doc, s, k),
            load_network_map(&mut self.companies, doc, s, k),
            load_network_map(&mut self.training_places, doc, s, k),
            load_network_map(&mut self.measures, doc, s, k),
            load_network_map(&mut self.exports, doc, s, k),
        ];
        self.index_devices();
        results.into_iter().collect()
    }

    /// (Re)reads one community document, e.g. when a mentor opens a
    /// community after the load. Every collection it has is read even if
    /// another is missing (that error is returned).
    pub fn load_community(&mut self, community: CommunityId, doc: &AutoCommit) -> Result<(), DocError> {
        let (s, k) = (&mut self.skipped, &mut self.conflicts);
        s.retain(|(which, _, _)| *which != DocRef::Community(community));
        let results = [
            load_community_map(&mut self.contacts, community, doc, s, k),
            load_community_map(&mut self.households, community, doc, s, k),
            load_community_map(&mut self.consultations, community, doc, s, k),
            load_community_map(&mut self.referrals, community, doc, s, k),
            load_community_map(&mut self.follow_ups, community, doc, s, k),
        ];
        results.into_iter().collect()
    }

    /// Drops every record of a community (the device left it).
    pub fn forget_community(&mut self, community: CommunityId) {
        self.skipped.retain(|(which, _, _)| *which != DocRef::Community(community));
        self.conflicts.retain(|(which, _, _), _| *which != DocRef::Community(community));
        self.contacts.retain(|_, r| r.community != community);
        self.households.retain(|_, r| r.community != community);
        self.consultations.retain(|_, r| r.community != community);
        self.referrals.retain(|_, r| r.community != community);
        self.follow_ups.retain(|_, r| r.community != community);
    }

    /// Brings the notebook up to date with `doc` after a change or a merge.
    ///
    /// `patches` are what `doc.diff_incremental()` returned. Only the records
    /// they touch are read again (or dropped if they are gone); a patch at
    /// the document's root (the first `diff_incremental()` after opening
    /// returns one, as does a genesis) reloads that document's part. Call
    /// `diff_incremental()` once right after [`Notebook::load`] and discard
    /// its result, or this first call reloads everything once more.
    ///
    /// A document that lacks a collection holds no records of it.
    pub fn apply_patches(&mut self, which: DocRef, doc: &AutoCommit, patches: &[Patch]) {
        let mut records: HashSet<(String, String)> = HashSet::new();
        for patch in patches {
            match touched(patch) {
                Some(Touch::Root) => {
                    // A missing collection was read as empty; nothing else to do.
                    let _ = match which {
                        DocRef::Network => self.load_network(doc),
                        DocRef::Community(c) => self.load_community(c, doc),
                    };
                    return;
                }
                Some(Touch::Record(collection, key)) => {
                    records.insert((collection, key));
                }
                None => {}
            }
        }
        let mut mentors_changed = false;
        for (collection, key) in &records {
            self.refresh(which, collection, key, doc);
            mentors_changed |= which == DocRef::Network && collection == Mentor::COLLECTION;
        }
        if mentors_changed {
            self.index_devices();
        }
    }

    fn index_devices(&mut self) {
        self.mentor_by_device =
            self.mentors.values().flat_map(|m| m.devices.iter().map(move |d| (d.to_lowercase(), m.id))).collect();
    }

    /// How many records could not be read (left out of every list).
    pub fn skipped(&self) -> usize {
        self.skipped.len()
    }

    /// Every record with fields that hold concurrent values: document,
    /// collection, key and the fields.
    pub fn conflicts(&self) -> impl Iterator<Item = (DocRef, &'static str, &str, &[Conflict])> {
        self.conflicts.iter().map(|((w, c, k), list)| (*w, *c, k.as_str(), list.as_slice()))
    }

    /// The fields of one record that hold concurrent values.
    pub fn conflicts_of(&self, which: DocRef, collection: &str, key: &str) -> &[Conflict] {
        Kind::from_collection(collection)
            .and_then(|k| self.conflicts.get(&(which, k.collection(), key.to_owned())))
            .map_or(&[], Vec::as_slice)
    }

    /// The records that could not be read: document, collection, key.
    pub fn skipped_records(&self) -> impl Iterator<Item = (DocRef, &str, &str)> {
        self.skipped.iter().map(|(w, c, k)| (*w, *c, k.as_str()))
    }

    // ---- community records -------------------------------------------------

    /// Every contact, in no particular order (see [`Self::contacts_matching`]).
    /// The contacts, without those merged into another.
    pub fn contacts(&self) -> impl Iterator<Item = &InCommunity<Contact>> {
        self.contacts.values().filter(|c| self.is_listed(&c.record))
    }

    /// Every contact, merged ones too (an erasure takes a person's
    /// duplicates with them).
    pub(crate) fn every_contact(&self) -> impl Iterator<Item = &InCommunity<Contact>> {
        self.contacts.values()
    }

    /// The contact that stands for `id`: `id` itself, or the contact it was
    /// merged into (followed through merges of merges). Two devices that
    /// each merged one of a pair into the other make a loop: the smallest id
    /// in it stands for all of them, so every device picks the same one.
    pub fn kept_contact(&self, id: ContactId) -> ContactId {
        let Some(first) = self.contacts.get(&id).and_then(|c| c.record.merged_into) else {
            return id;
        };
        let mut seen = vec![id, first];
        if first == id {
            return id;
        }
        let mut at = first;
        while let Some(next) = self.contacts.get(&at).and_then(|c| c.record.merged_into) {
            if seen.contains(&next) {
                let from = seen.iter().position(|s| *s == next).unwrap_or(0);
                return seen[from..].iter().copied().min().unwrap_or(next);
            }
            seen.push(next);
            at = next;
        }
        at
    }

    /// Whether `c` is listed: not merged into another, or the one a loop of
    /// merges keeps (see [`Notebook::kept_contact`]).
    fn is_listed(&self, c: &Contact) -> bool {
        c.merged_into.is_none() || self.kept_contact(c.id) == c.id
    }

    pub fn households(&self) -> impl Iterator<Item = &InCommunity<Household>> {
        self.households.values()
    }

    pub fn consultations(&self) -> impl Iterator<Item = &InCommunity<Consultation>> {
        self.consultations.values()
    }

    pub fn referrals(&self) -> impl Iterator<Item = &InCommunity<Referral>> {
        self.referrals.values()
    }

    pub fn follow_ups(&self) -> impl Iterator<Item = &InCommunity<FollowUp>> {
        self.follow_ups.values()
    }

    pub fn contact(&self, id: ContactId) -> Option<&InCommunity<Contact>> {
        self.contacts.get(&id)
    }

    pub fn household(&self, id: HouseholdId) -> Option<&InCommunity<Household>> {
        self.households.get(&id)
    }

    pub fn consultation(&self, id: ConsultationId) -> Option<&InCommunity<Consultation>> {
        self.consultations.get(&id)
    }

    pub fn referral(&self, id: ReferralId) -> Option<&InCommunity<Referral>> {
        self.referrals.get(&id)
    }

    pub fn follow_up(&self, id: FollowUpId) -> Option<&InCommunity<FollowUp>> {
        self.follow_ups.get(&id)
    }

    /// The community of `contact`, else of `household`: where a record
    /// about them belongs (see [`crate::RecordKind::home`]).
    pub fn community_of(&self, contact: Option<ContactId>, household: Option<HouseholdId>) -> Option<CommunityId> {
        contact
            .and_then(|c| self.contact(c))
            .map(|c| c.community)
            .or_else(|| household.and_then(|h| self.household(h)).map(|h| h.community))
    }

    /// A contact's consultations (with those still naming a contact merged
    /// into it), newest first.
    pub fn consultations_of(&self, contact: ContactId) -> Vec<&InCommunity<Consultation>> {
        let mut list: Vec<_> = self
            .consultations
            .values()
            .filter(|c| c.record.contact.is_some_and(|c| c == contact || self.kept_contact(c) == contact))
            .collect();
        crate::order::sort_by_key(&mut list, |c| newest_key(c.day, c.record.created_at, c.record.id));
        list
    }

    /// A contact's referrals (with those still naming a contact merged into
    /// it), newest first.
    pub fn referrals_of(&self, contact: ContactId) -> Vec<&InCommunity<Referral>> {
        let mut list: Vec<_> = self
            .referrals
            .values()
            .filter(|r| r.record.contact == contact || self.kept_contact(r.record.contact) == contact)
            .collect();
        crate::order::sort_by_key(&mut list, |r| newest_key(r.day, r.record.created_at, r.record.id));
        list
    }

    // ---- network records ---------------------------------------------------

    /// Communities by name.
    pub fn communities(&self) -> Vec<&Community> {
        sorted(self.communities.values(), |a, b| cmp_name(&a.name, &b.name).then(a.id.cmp(&b.id)))
    }

    /// Mentors by name.
    /// Mentors by name. A profile a coordinator made for an invitation is
    /// left out once the invited person's device has written its own
    /// profile claiming that invitation (see [`Notebook::taken_up`]): one
    /// person, one entry.
    pub fn mentors(&self) -> Vec<&Mentor> {
        let listed = self.mentors.values().filter(|m| !self.taken_up(m));
        sorted(listed, |a, b| cmp_name(&a.name, &b.name).then(a.id.cmp(&b.id)))
    }

    /// Whether `m` is a placeholder that was taken up: a profile with no
    /// device, made for invitations that another profile, one with a device,
    /// claims as its own. The invited device cannot see the placeholder
    /// before it has the network's key, so it writes a profile of its own;
    /// both stay in the document (no record is rewritten by two writers),
    /// and the notebook shows the one in use.
    pub fn taken_up(&self, m: &Mentor) -> bool {
        m.devices.is_empty()
            && !m.invitations.is_empty()
            && m.invitations.iter().all(|key| {
                self.mentors.values().any(|o| o.id != m.id && !o.devices.is_empty() && o.invitations.contains(key))
            })
    }

    /// Partner organisations by name.
    pub fn partners(&self) -> Vec<&PartnerOrganisation> {
        sorted(self.partners.values(), |a, b| cmp_name(&a.name, &b.name).then(a.id.cmp(&b.id)))
    }

    /// Institutions by name.
    pub fn institutions(&self) -> Vec<&Institution> {
        sorted(self.institutions.values(), |a, b| cmp_name(&a.name, &b.name).then(a.id.cmp(&b.id)))
    }

    /// Events, newest first.
    pub fn events(&self) -> Vec<&Event> {
        sorted(self.events.values(), newest_event)
    }

    /// Companies by name.
    pub fn companies(&self) -> Vec<&Company> {
        sorted(self.companies.values(), |a, b| cmp_name(&a.name, &b.name).then(a.id.cmp(&b.id)))
    }

    /// Training places by start date, then occupation.
    pub fn training_places(&self) -> Vec<&TrainingPlace> {
        sorted(self.training_places.values(), place_order)
    }

    /// Measures: newest year first, then by action field and title.
    pub fn measures(&self) -> Vec<&Measure> {
        sorted(self.measures.values(), |a, b| {
            b.year.cmp(&a.year).then(a.field.cmp(&b.field)).then(cmp_name(&a.title, &b.title)).then(a.id.cmp(&b.id))
        })
    }

    pub fn community(&self, id: CommunityId) -> Option<&Community> {
        self.communities.get(&id)
    }

    pub fn mentor(&self, id: MentorId) -> Option<&Mentor> {
        self.mentors.get(&id)
    }

    pub fn partner(&self, id: PartnerId) -> Option<&PartnerOrganisation> {
        self.partners.get(&id)
    }

    pub fn institution(&self, id: InstitutionId) -> Option<&Institution> {
        self.institutions.get(&id)
    }

    pub fn event(&self, id: EventId) -> Option<&Event> {
        self.events.get(&id)
    }

    pub fn company(&self, id: CompanyId) -> Option<&Company> {
        self.companies.get(&id)
    }

    pub fn training_place(&self, id: TrainingPlaceId) -> Option<&TrainingPlace> {
        self.training_places.get(&id)
    }

    pub fn measure(&self, id: MeasureId) -> Option<&Measure> {
        self.measures.get(&id)
    }

    /// Every export of a report, in no order (see
    /// [`crate::export::of_period`]).
    pub fn exports(&self) -> Vec<&Export> {
        self.exports.values().collect()
    }

    pub fn export(&self, id: ExportId) -> Option<&Export> {
        self.exports.get(&id)
    }

    /// The mentor one of whose devices is `actor_hex` (an Automerge actor id
    /// as hex, any case): who made a change.
    pub fn mentor_by_actor(&self, actor_hex: &str) -> Option<&Mentor> {
        let id = self.mentor_by_device.get(&actor_hex.to_lowercase())?;
        self.mentors.get(id)
    }

    /// [`Self::mentor_by_actor`] for an [`automerge::ActorId`].
    pub fn mentor_by_actor_id(&self, actor: &automerge::ActorId) -> Option<&Mentor> {
        self.mentor_by_actor(&actor.to_hex_string())
    }

    /// A company's training places, by start date.
    pub fn places_of(&self, company: CompanyId) -> Vec<&TrainingPlace> {
        sorted(self.training_places.values().filter(|p| p.company == company), place_order)
    }

    // ---- queries ------------------------------------------------------------

    /// Contacts by name. `text` searches name, district, languages and phone
    /// (as [`Contact::matches`]).
    pub fn contacts_matching(&self, f: &Filter, limit: usize) -> Page<'_, InCommunity<Contact>> {
        let q = Query::new(&f.text);
        let items = self
            .contacts
            .values()
            .filter(|c| {
                self.is_listed(&c.record)
                    && f.community.is_none_or(|x| x == c.community)
                    && f.target_group.is_none_or(|g| g == c.record.target_group)
                    && c.matches_folded(&q)
            })
            .collect();
        page(items, limit, |a, b| a.folded_name().cmp(b.folded_name()).then(a.record.id.cmp(&b.record.id)))
    }

    /// Consultations, newest first. `text` searches the notes and the
    /// contact's name.
    pub fn consultations_matching(&self, f: &Filter, limit: usize) -> Page<'_, InCommunity<Consultation>> {
        let q = Query::new(&f.text);
        let days = f.day_range();
        let by_contact = self.contact_filter(f, &q);
        let items = self
            .consultations
            .values()
            .filter(|c| {
                let r = &c.record;
                f.community.is_none_or(|x| x == c.community)
                    && days.contains(&c.day)
                    && f.status_is(r.outcome.code())
                    && by_contact.group_allows(r.contact)
                    && (q.is_empty() || q.found_in(&c.folded) || by_contact.name_matches(r.contact))
            })
            .map(|c| (newest_key(c.day, c.record.created_at, c.record.id), c))
            .collect();
        page_by_key(items, limit)
    }

    /// Referrals, newest first. `text` searches the reason, the contact's
    /// name and the institution's name.
    pub fn referrals_matching(&self, f: &Filter, limit: usize) -> Page<'_, InCommunity<Referral>> {
        let q = Query::new(&f.text);
        let days = f.day_range();
        let by_contact = self.contact_filter(f, &q);
        let institutions: HashSet<InstitutionId> = if q.is_empty() {
            HashSet::new()
        } else {
            self.institutions.values().filter(|i| q.found_in(&fold(&i.name))).map(|i| i.id).collect()
        };
        let items = self
            .referrals
            .values()
            .filter(|c| {
                let r = &c.record;
                f.community.is_none_or(|x| x == c.community)
                    && days.contains(&c.day)
                    && f.status_is(r.status.code())
                    && by_contact.group_allows(Some(r.contact))
                    && (q.is_empty()
                        || q.found_in(&c.folded)
                        || by_contact.name_matches(Some(r.contact))
                        || institutions.contains(&r.institution))
            })
            .map(|c| (newest_key(c.day, c.record.created_at, c.record.id), c))
            .collect();
        page_by_key(items, limit)
    }

    /// Events, newest first. `status` is the event kind's code; `text`
    /// searches title, school and notes.
    pub fn events_matching(&self, f: &Filter, limit: usize) -> Page<'_, Event> {
        let q = Query::new(&f.text);
        let items = self
            .events
            .values()
            .filter(|e| {
                f.community_is(e.community)
                    && f.status_is(e.kind.code())
                    && f.in_range(&e.date)
                    && (q.is_empty() || [&e.title, &e.school, &e.notes].iter().any(|s| q.found_in(&fold(s))))
            })
            .collect();
        if f.soonest_first {
            page(items, limit, |a, b| newest_event(b, a))
        } else {
            page(items, limit, |a, b| newest_event(a, b))
        }
    }

    /// Companies by name. `status` is the licence status's code; `from`/`to`
    /// bound `member_since`; `text` searches name, trade and contact person.
    pub fn companies_matching(&self, f: &Filter, limit: usize) -> Page<'_, Company> {
        let q = Query::new(&f.text);
        let items = self
            .companies
            .values()
            .filter(|c| {
                f.community_is(c.community)
                    && f.status_is(c.licence.code())
                    && f.in_range(&c.member_since)
                    && (q.is_empty() || [&c.name, &c.trade, &c.contact_person].iter().any(|s| q.found_in(&fold(s))))
            })
            .collect();
        page(items, limit, |a, b| cmp_name(&a.name, &b.name).then(a.id.cmp(&b.id)))
    }

    /// The contacts a filter asks for, gathered once per query so that
    /// 20,000 records need not each look up their contact.
    fn contact_filter(&self, f: &Filter, q: &Query) -> ContactFilter {
        let ids = |keep: &dyn Fn(&InCommunity<Contact>) -> bool| -> HashSet<ContactId> {
            self.contacts.values().filter(|c| keep(c)).map(|c| c.record.id).collect()
        };
        ContactFilter {
            in_group: f.target_group.map(|g| ids(&|c| c.record.target_group == g)),
            named: if q.is_empty() { HashSet::new() } else { ids(&|c| q.found_in(c.folded_name())) },
        }
    }

    /// What needs the mentor `me` (everyone's, if `None`) on `today`
    /// (`YYYY-MM-DD`): follow-ups not done and open referrals whose
    /// follow-up date has come, split into overdue and due today, by date;
    /// and every event from today to [`UPCOMING_DAYS`] ahead, soonest first.
    pub fn today(&self, today: &str, me: Option<MentorId>) -> Today<'_> {
        let today = day(today);
        let mine = |m: MentorId| me.is_none_or(|me| me == m);
        let mut due: Vec<Due<'_>> = self
            .follow_ups
            .values()
            .filter(|f| !f.record.done && mine(f.record.mentor))
            .map(Due::FollowUp)
            .chain(
                self.referrals
                    .values()
                    .filter(|r| r.record.status.is_open() && r.record.follow_up_on.is_some() && mine(r.record.mentor))
                    .map(Due::Referral),
            )
            .filter(|d| !d.date().is_empty() && day(d.date()) <= today)
            .collect();
        crate::order::sort_by(&mut due, |a, b| a.sort_key().cmp(&b.sort_key()));
        let (mut overdue, due_today): (Vec<Due<'_>>, Vec<Due<'_>>) =
            due.into_iter().partition(|d| day(d.date()) < today);
        // The most recently due first: what slipped yesterday is likelier
        // to be saved than what slipped in spring.
        crate::order::sort_by(&mut overdue, |a, b| {
            day(b.date()).cmp(day(a.date())).then(a.sort_key().cmp(&b.sort_key()))
        });

        let until = days_from_iso(today).map(|d| iso_from_days(d + UPCOMING_DAYS)).unwrap_or_else(|| today.to_owned());
        let mut upcoming_events: Vec<&Event> =
            self.events.values().filter(|e| day(&e.date) >= today && day(&e.date) <= until.as_str()).collect();
        crate::order::sort_by(&mut upcoming_events, |a, b| {
            a.date.cmp(&b.date).then(a.title.cmp(&b.title)).then(a.id.cmp(&b.id))
        });
        Today { overdue, due_today, upcoming_events }
    }
}

/// The contacts of a query: those of the target group asked for (if one
/// is), those whose name holds the text searched.
struct ContactFilter {
    in_group: Option<HashSet<ContactId>>,
    named: HashSet<ContactId>,
}

impl ContactFilter {
    /// A record with `contact` passes the target group (one without a
    /// contact passes only if no group is asked for).
    fn group_allows(&self, contact: Option<ContactId>) -> bool {
        self.in_group.as_ref().is_none_or(|ids| contact.is_some_and(|c| ids.contains(&c)))
    }

    fn name_matches(&self, contact: Option<ContactId>) -> bool {
        contact.is_some_and(|c| self.named.contains(&c))
    }
}

fn cmp_name(a: &str, b: &str) -> Ordering {
    fold(a).cmp(&fold(b))
}

fn sorted<'a, T>(items: impl Iterator<Item = &'a T>, order: impl Fn(&T, &T) -> Ordering) -> Vec<&'a T> {
    let mut list: Vec<&T> = items.collect();
    crate::order::sort_by(&mut list, |a, b| order(a, b));
    list
}

fn newest_event(a: &Event, b: &Event) -> Ordering {
    b.date.cmp(&a.date).then(b.created_at.cmp(&a.created_at)).then(a.id.cmp(&b.id))
}

fn place_order(a: &TrainingPlace, b: &TrainingPlace) -> Ordering {
    a.start_on.cmp(&b.start_on).then(cmp_name(&a.occupation, &b.occupation)).then(a.id.cmp(&b.id))
}

/// Records for tests, with every field a list or query does not care about
/// filled in.
#[cfg(test)]
pub(crate) mod fixture {
    use automerge::{ActorId, AutoCommit};

    use crate::advice::{Consultation, FollowUp, Outcome, Referral, ReferralStatus, Topic};
    use crate::contact::{Consent, ConsentScope, Contact, TargetGroup};
    use crate::ids::*;
    use crate::network::{
        Attendance, Chamber, Company, Event, EventKind, LicenceStatus, Measure, Mentor, Metric, PlaceStatus, Role,
        TrainingPlace,
    };
    use crate::{CommunityDoc, NetworkDoc};

    pub(crate) fn me() -> MentorId {
        MentorId::from_random([200; 16])
    }

    pub(crate) fn community(n: u8) -> CommunityId {
        CommunityId::from_random([n; 16])
    }

    pub(crate) fn network() -> AutoCommit {
        NetworkDoc::genesis(ActorId::from([1u8; 16]))
    }

    pub(crate) fn community_doc() -> AutoCommit {
        CommunityDoc::genesis(ActorId::from([1u8; 16]))
    }

    pub(crate) fn contact(n: u8, name: &str, group: TargetGroup) -> Contact {
        Contact {
            id: ContactId::from_random([n; 16]),
            target_group: group,
            name: name.into(),
            phone: format!("0541 {n:03}"),
            languages: vec!["tr".into()],
            district: "Schinkel".into(),
            household: None,
            notes: String::new(),
            consent: Consent { given_on: "2026-01-10".into(), scope: ConsentScope::Advice, recorded_by: me() },
            created_by: me(),
            created_at: i64::from(n),
            merged_into: None,
            not_the_same: vec![],
        }
    }

    pub(crate) fn consultation(n: u8, date: &str, contact: Option<ContactId>, notes: &str) -> Consultation {
        Consultation {
            id: ConsultationId::from_random([n; 16]),
            date: date.into(),
            contact,
            household: None,
            topics: vec![Topic::VocationalOrientation],
            outcome: Outcome::Informed,
            notes: notes.into(),
            mentor: me(),
            created_at: i64::from(n),
        }
    }

    pub(crate) fn referral(
        n: u8,
        contact: ContactId,
        date: &str,
        status: ReferralStatus,
        follow_up_on: Option<&str>,
    ) -> Referral {
        Referral {
            id: ReferralId::from_random([n; 16]),
            contact,
            consultation: None,
            institution: crate::network_doc::seed_institution_id(1),
            reason: "Bewerbung".into(),
            status,
            follow_up_on: follow_up_on.map(Into::into),
            date: date.into(),
            mentor: me(),
            created_at: i64::from(n),
        }
    }

    pub(crate) fn follow_up(n: u8, due_on: &str, mentor: MentorId, done: bool) -> FollowUp {
        FollowUp {
            id: FollowUpId::from_random([n; 16]),
            due_on: due_on.into(),
            note: format!("call back {n}"),
            contact: None,
            mentor,
            done,
            created_at: i64::from(n),
        }
    }

    pub(crate) fn event(n: u8, kind: EventKind, date: &str) -> Event {
        Event {
            id: EventId::from_random([n; 16]),
            kind,
            title: format!("Event {n}"),
            date: date.into(),
            time: String::new(),
            place: String::new(),
            community: None,
            partner: None,
            school: String::new(),
            company: None,
            attendance: Attendance::default(),
            notes: String::new(),
            created_by: me(),
            created_at: i64::from(n),
        }
    }

    pub(crate) fn company(n: u8, name: &str, licence: LicenceStatus, member_since: &str) -> Company {
        Company {
            id: CompanyId::from_random([n; 16]),
            name: name.into(),
            trade: "Bäckerei".into(),
            chamber: Chamber::Hwk,
            licence,
            contact_person: "Herr Aydın".into(),
            phone: String::new(),
            community: None,
            member_since: member_since.into(),
            notes: String::new(),
            created_by: me(),
            created_at: i64::from(n),
        }
    }

    pub(crate) fn place(n: u8, company: CompanyId, status: PlaceStatus, acquired_on: &str) -> TrainingPlace {
        TrainingPlace {
            id: TrainingPlaceId::from_random([n; 16]),
            company,
            occupation: format!("Beruf {n}"),
            start_on: "2026-08-01".into(),
            status,
            filled_by: None,
            acquired_on: acquired_on.into(),
            created_at: i64::from(n),
        }
    }

    pub(crate) fn mentor(n: u8, name: &str, devices: &[&str]) -> Mentor {
        Mentor {
            id: MentorId::from_random([n; 16]),
            name: name.into(),
            role: Role::Mentor,
            community: None,
            languages: vec![],
            devices: devices.iter().map(|d| (*d).to_owned()).collect(),
            active: true,
            invitations: vec![],
        }
    }

    pub(crate) fn measure(n: u8, metric: Metric, year: i32, target: u32, event_kind: Option<EventKind>) -> Measure {
        Measure {
            id: MeasureId::from_random([n; 16]),
            field: crate::network::ActionField::SchoolToWork,
            title: format!("Measure {n}"),
            owner: "KAUSA".into(),
            target,
            year,
            metric,
            event_kind,
        }
    }
}

#[cfg(test)]
mod tests {
    use automerge::transaction::Transactable;
    use automerge::ActorId;

    use super::fixture::*;
    use super::*;
    use crate::advice::{Outcome, ReferralStatus, Topic};
    use crate::network::{EventKind, LicenceStatus, PlaceStatus};

    fn put<R: Record>(doc: &mut AutoCommit, r: &R) {
        record::put(doc, r, 1_000).unwrap();
    }

    #[test]
    fn a_day_of_the_week_from_monday_is_one() {
        assert_eq!(iso_weekday("1970-01-01"), Some(4), "a Thursday");
        assert_eq!(iso_weekday("2026-12-02"), Some(3), "a Wednesday");
        assert_eq!(iso_weekday("2024-02-29"), Some(4), "a leap day");
        assert_eq!(iso_weekday("2026-11-29"), Some(7), "a Sunday");
        assert_eq!(iso_weekday("2026-11-30"), Some(1), "a Monday");
        for not_a_day in ["2025-02-29", "2025-13-01", "2025-11-31", "soon", "2025-1-01", ""] {
            assert_eq!(iso_weekday(not_a_day), None, "{not_a_day:?}");
        }
    }

    /// What the app does after each change or merge.
    fn catch_up(nb: &mut Notebook, which: DocRef, doc: &mut AutoCommit) {
        let patches = doc.diff_incremental();
        nb.apply_patches(which, doc, &patches);
    }

    /// One network document and two communities (1: Turkish, 2: Arabic).
    fn world() -> (AutoCommit, AutoCommit, AutoCommit) {
        let mut net = network();
        let mut tr = community_doc();
        let mut ar = community_doc();
        let ayse = contact(1, "Ayşe Yılmaz", TargetGroup::Parent);
        let omar = contact(2, "Omar Haddad", TargetGroup::Youth);
        let emre = contact(3, "emre Kaya", TargetGroup::Youth);
        put(&mut tr, &ayse);
        put(&mut tr, &emre);
        put(&mut ar, &omar);
        put(&mut tr, &consultation(1, "2026-03-01", Some(ayse.id), "Fragen zur Ausbildung"));
        put(&mut tr, &consultation(2, "2026-03-05", Some(emre.id), "Praktikum Kfz"));
        put(&mut ar, &consultation(3, "2026-02-20", Some(omar.id), "Anerkennung Zeugnis"));
        put(&mut net, &event(1, EventKind::SchoolInfoSession, "2026-03-10"));
        put(&mut net, &company(1, "Bäckerei Aydın", LicenceStatus::Has, "2025-05-01"));
        (net, tr, ar)
    }

    fn load(net: &AutoCommit, tr: &AutoCommit, ar: &AutoCommit) -> Notebook {
        Notebook::load(net, &[(community(1), tr), (community(2), ar)]).unwrap()
    }

    fn names<'a>(page: &Page<'a, InCommunity<Contact>>) -> Vec<&'a str> {
        page.items.iter().map(|c| c.record.name.as_str()).collect()
    }

    fn notes<'a>(page: &Page<'a, InCommunity<Consultation>>) -> Vec<&'a str> {
        page.items.iter().map(|c| c.record.notes.as_str()).collect()
    }

    #[test]
    fn load_reads_every_record_with_its_community() {
        let (net, tr, ar) = world();
        let nb = load(&net, &tr, &ar);
        assert_eq!(nb.contacts().count(), 3);
        assert_eq!(nb.consultations().count(), 3);
        assert_eq!(nb.institutions().len(), 6, "the seeded institutions");
        assert_eq!(nb.events().len(), 1);
        assert_eq!(nb.companies().len(), 1);
        let omar = nb.contact(ContactId::from_random([2; 16])).unwrap();
        assert_eq!((omar.community, omar.record.name.as_str()), (community(2), "Omar Haddad"));
        assert_eq!(nb.skipped(), 0);
    }

    #[test]
    fn bulk_reading_hydrates_exactly_what_record_get_does() {
        let (mut net, mut tr, ar) = world();
        // Empty and long lists, a conflict, a merged counter.
        let mut quiet = contact(4, "Leyla Aziz", TargetGroup::Parent);
        quiet.languages.clear();
        put(&mut tr, &quiet);
        let mut many = consultation(5, "2026-03-09", None, "viele Themen");
        many.topics = vec![Topic::Funding, Topic::Recognition, Topic::Internships];
        put(&mut tr, &many);
        let mut other = tr.fork().with_actor(ActorId::from([7u8; 16]));
        let mut a = contact(1, "Ayşe Yılmaz", TargetGroup::Parent);
        a.phone = "0541 1".into();
        put(&mut tr, &a);
        a.phone = "0541 2".into();
        a.languages.push("ku".into());
        put(&mut other, &a);
        tr.merge(&mut other).unwrap();
        let mut ev: Event = record::get(&net, &EventId::from_random([1; 16]).to_string()).unwrap().unwrap();
        let mut net_b = net.fork().with_actor(ActorId::from([7u8; 16]));
        ev.attendance.add(TargetGroup::Youth, 3);
        put(&mut net, &ev);
        put(&mut net_b, &ev);
        net.merge(&mut net_b).unwrap();

        let nb = load(&net, &tr, &ar);
        let contacts: Vec<Contact> = record::all(&tr).unwrap();
        assert_eq!(contacts.len(), 3);
        for c in contacts {
            assert_eq!(nb.contact(c.id).map(|x| &x.record), Some(&c));
        }
        for c in record::all::<Consultation>(&tr).unwrap() {
            assert_eq!(nb.consultation(c.id).map(|x| &x.record), Some(&c));
        }
        for e in record::all::<Event>(&net).unwrap() {
            assert_eq!(nb.event(e.id), Some(&e));
        }
        assert_eq!(nb.event(ev.id).unwrap().attendance.count(TargetGroup::Youth), 6);
        for i in record::all::<Institution>(&net).unwrap() {
            assert_eq!(nb.institution(i.id), Some(&i));
        }
    }

    #[test]
    fn one_bad_record_is_skipped_and_counted_not_fatal() {
        let (net, mut tr, ar) = world();
        let coll = record::collection_obj(&tr, "contacts").unwrap();
        // A record written by a future version: a plain string, and a map
        // missing its fields.
        tr.put(&coll, ContactId::from_random([9; 16]).to_string(), "garbage").unwrap();
        tr.put_object(&coll, ContactId::from_random([8; 16]).to_string(), ObjType::Map).unwrap();
        tr.commit();
        let nb = load(&net, &tr, &ar);
        assert_eq!(nb.contacts().count(), 3);
        assert_eq!(nb.skipped(), 2);
        assert!(nb.skipped_records().all(|(w, c, _)| w == DocRef::Community(community(1)) && c == "contacts"));
    }

    #[test]
    fn a_profile_made_for_an_invitation_is_left_out_once_the_invited_device_claims_it() {
        let (mut net, tr, ar) = world();
        let before = load(&net, &tr, &ar).mentors().len();
        // The coordinator names two invitations; one person uses hers.
        let placeholder = Mentor { invitations: vec!["aa".into()], ..mentor(11, "Ayşe Demir", &[]) };
        let waiting = Mentor { invitations: vec!["bb".into()], ..mentor(12, "Olga Petrova", &[]) };
        put(&mut net, &placeholder);
        put(&mut net, &waiting);
        let nb = load(&net, &tr, &ar);
        assert_eq!(nb.mentors().len(), before + 2, "nobody has joined yet: both are listed");
        // Ayşe's phone writes its own profile, claiming the invitation.
        let joined = Mentor { invitations: vec!["aa".into()], ..mentor(13, "Ayşe", &["0a0b"]) };
        put(&mut net, &joined);
        let nb = load(&net, &tr, &ar);
        let names: Vec<&str> = nb.mentors().iter().map(|m| m.name.as_str()).collect();
        assert_eq!(nb.mentors().len(), before + 2, "one entry per person: {names:?}");
        assert!(names.contains(&"Ayşe") && names.contains(&"Olga Petrova") && !names.contains(&"Ayşe Demir"));
        assert!(nb.taken_up(nb.mentor(placeholder.id).unwrap()), "still in the document, only not listed");
        // A profile with a device is never hidden, nor one claiming only a
        // part of its invitations.
        let two = Mentor { invitations: vec!["bb".into(), "cc".into()], ..mentor(14, "Olga", &[]) };
        put(&mut net, &two);
        let claims_bb = Mentor { invitations: vec!["bb".into()], ..mentor(15, "Olga P.", &["0c0d"]) };
        put(&mut net, &claims_bb);
        let nb = load(&net, &tr, &ar);
        assert!(!nb.taken_up(nb.mentor(two.id).unwrap()), "cc is not claimed");
        assert!(nb.taken_up(nb.mentor(waiting.id).unwrap()));
        assert!(!nb.taken_up(nb.mentor(joined.id).unwrap()));
    }

    #[test]
    fn an_event_written_before_events_had_a_time_and_place_reads_with_neither() {
        let (mut net, tr, ar) = world();
        let ev = event(7, EventKind::ParentEvening, "2026-05-04");
        put(&mut net, &ev);
        let coll = record::collection_obj(&net, "events").unwrap();
        let (_, obj) = net.get(&coll, ev.id.to_string()).unwrap().expect("stored");
        net.delete(&obj, "time").unwrap();
        net.delete(&obj, "place").unwrap();
        net.commit();
        let nb = load(&net, &tr, &ar);
        assert_eq!(nb.skipped(), 0);
        let read = nb.event(ev.id).expect("read, not skipped");
        assert_eq!((read.time.as_str(), read.place.as_str(), read.title.as_str()), ("", "", "Event 7"));
    }

    #[test]
    fn a_document_not_made_by_lotse_fails_the_load() {
        let (net, _, _) = world();
        let stranger = AutoCommit::new();
        let err = Notebook::load(&net, &[(community(1), &stranger)]).unwrap_err();
        assert!(matches!(err, DocError::NotALotseDoc(_)));
    }

    #[test]
    fn patches_rehydrate_only_what_they_touch() {
        let (mut net, mut tr, ar) = world();
        let mut nb = load(&net, &tr, &ar);
        // The first diff after load is the whole document: discarded.
        tr.diff_incremental();
        net.diff_incremental();

        // A new consultation, an edit of a contact.
        let ayse_id = ContactId::from_random([1; 16]);
        put(&mut tr, &consultation(4, "2026-04-01", Some(ayse_id), "Bewerbungsmappe"));
        let mut ayse = nb.contact(ayse_id).unwrap().record.clone();
        ayse.name = "Ayşe Demir".into();
        put(&mut tr, &ayse);
        let patches = tr.diff_incremental();
        assert!(patches.iter().all(|p| !p.path.is_empty()), "no root patch for a record edit");
        nb.apply_patches(DocRef::Community(community(1)), &tr, &patches);
        assert_eq!(nb.consultations().count(), 4);
        assert_eq!(nb.consultation(ConsultationId::from_random([4; 16])).unwrap().community, community(1));
        assert_eq!(nb.contact(ayse_id).unwrap().record.name, "Ayşe Demir");
        let f = Filter { text: "demir".into(), ..Filter::default() };
        assert_eq!(nb.contacts_matching(&f, 10).total, 1, "the search text follows the edit");

        // A deletion.
        record::remove::<Consultation>(&mut tr, &ConsultationId::from_random([1; 16]).to_string(), 2_000).unwrap();
        catch_up(&mut nb, DocRef::Community(community(1)), &mut tr);
        assert!(nb.consultation(ConsultationId::from_random([1; 16])).is_none());
        assert_eq!(nb.consultations().count(), 3);

        // A network record: a mentor with a device; an event's tally (a
        // counter increment deep in the record).
        put(&mut net, &mentor(5, "Fatma", &["0a0b"]));
        let mut ev = nb.event(EventId::from_random([1; 16])).unwrap().clone();
        ev.attendance.add(TargetGroup::Parent, 7);
        put(&mut net, &ev);
        catch_up(&mut nb, DocRef::Network, &mut net);
        assert_eq!(nb.mentor_by_actor("0A0B").map(|m| m.name.as_str()), Some("Fatma"));
        assert_eq!(nb.event(ev.id).unwrap().attendance.count(TargetGroup::Parent), 7);
    }

    #[test]
    fn a_record_that_turns_bad_is_dropped_and_counted_until_fixed() {
        let (net, mut tr, ar) = world();
        let mut nb = load(&net, &tr, &ar);
        tr.diff_incremental();
        let id = ContactId::from_random([1; 16]);
        let coll = record::collection_obj(&tr, "contacts").unwrap();
        let obj = match tr.get(&coll, id.to_string()).unwrap() {
            Some((_, obj)) => obj,
            None => panic!("the contact is there"),
        };
        tr.put(&obj, "target_group", 42).unwrap();
        tr.commit();
        catch_up(&mut nb, DocRef::Community(community(1)), &mut tr);
        assert!(nb.contact(id).is_none());
        assert_eq!(nb.skipped(), 1);
        put(&mut tr, &contact(1, "Ayşe Yılmaz", TargetGroup::Parent));
        catch_up(&mut nb, DocRef::Community(community(1)), &mut tr);
        assert!(nb.contact(id).is_some());
        assert_eq!(nb.skipped(), 0);
    }

    #[test]
    fn a_root_patch_reloads_the_whole_document_and_a_new_community_arrives_that_way() {
        let (net, tr, ar) = world();
        let mut nb = Notebook::load(&net, &[(community(1), &tr)]).unwrap();
        assert_eq!(nb.contacts().count(), 2);
        let mut ar = ar;
        let first = ar.diff_incremental();
        assert!(first.iter().any(|p| p.path.is_empty()), "the first diff holds the root");
        nb.apply_patches(DocRef::Community(community(2)), &ar, &first);
        assert_eq!(nb.contacts().count(), 3);
        assert_eq!(nb.contact(ContactId::from_random([2; 16])).unwrap().community, community(2));
        nb.forget_community(community(2));
        assert_eq!(nb.contacts().count(), 2);
    }

    #[test]
    fn a_merge_from_another_device_reaches_the_notebook() {
        let (net, mut tr, ar) = world();
        let mut nb = load(&net, &tr, &ar);
        tr.diff_incremental();
        let mut other = tr.fork().with_actor(ActorId::from([7u8; 16]));
        put(&mut other, &consultation(9, "2026-05-01", None, "von Fatmas Telefon"));
        tr.merge(&mut other).unwrap();
        catch_up(&mut nb, DocRef::Community(community(1)), &mut tr);
        assert!(nb.consultation(ConsultationId::from_random([9; 16])).is_some());
    }

    #[test]
    fn contacts_are_sorted_by_name_and_filtered() {
        let (net, tr, ar) = world();
        let nb = load(&net, &tr, &ar);
        let all = nb.contacts_matching(&Filter::default(), 50);
        assert_eq!(names(&all), ["Ayşe Yılmaz", "emre Kaya", "Omar Haddad"]);
        let youth = Filter { target_group: Some(TargetGroup::Youth), ..Filter::default() };
        assert_eq!(names(&nb.contacts_matching(&youth, 50)), ["emre Kaya", "Omar Haddad"]);
        let tr_youth = Filter { community: Some(community(1)), ..youth.clone() };
        assert_eq!(names(&nb.contacts_matching(&tr_youth, 50)), ["emre Kaya"]);
        let by_phone = Filter { text: " 0541002 ".into(), ..Filter::default() };
        assert_eq!(names(&nb.contacts_matching(&by_phone, 50)), ["Omar Haddad"]);
        let phone_as_written = Filter { text: "0541 002".into(), ..Filter::default() };
        assert_eq!(names(&nb.contacts_matching(&phone_as_written, 50)), ["Omar Haddad"]);
        // Name and district are separate fields: no match spans the two.
        for typed in ["haddad schinkel", "haddadschinkel", "haddad\u{1f}schinkel"] {
            let across = Filter { text: typed.into(), ..Filter::default() };
            assert_eq!(nb.contacts_matching(&across, 50).total, 0, "{typed:?}");
        }
        for typed in ["YILMAZ", "yilmaz", "Yılmaz", "ayse yil", "AYŞE"] {
            let by_name = Filter { text: typed.into(), ..Filter::default() };
            assert_eq!(names(&nb.contacts_matching(&by_name, 50)), ["Ayşe Yılmaz"], "{typed}");
        }
        let page = nb.contacts_matching(&Filter::default(), 2);
        assert_eq!((names(&page), page.total, page.more()), (vec!["Ayşe Yılmaz", "emre Kaya"], 3, 1));
    }

    #[test]
    fn consultations_are_newest_first_and_searched_by_notes_and_the_contacts_name() {
        let (net, tr, ar) = world();
        let nb = load(&net, &tr, &ar);
        let all = nb.consultations_matching(&Filter::default(), 50);
        assert_eq!(notes(&all), ["Praktikum Kfz", "Fragen zur Ausbildung", "Anerkennung Zeugnis"]);
        let by_notes = Filter { text: "kfz".into(), ..Filter::default() };
        assert_eq!(notes(&nb.consultations_matching(&by_notes, 50)), ["Praktikum Kfz"]);
        let by_contact = Filter { text: "haddad".into(), ..Filter::default() };
        assert_eq!(notes(&nb.consultations_matching(&by_contact, 50)), ["Anerkennung Zeugnis"]);
        let youth = Filter { target_group: Some(TargetGroup::Youth), ..Filter::default() };
        assert_eq!(notes(&nb.consultations_matching(&youth, 50)), ["Praktikum Kfz", "Anerkennung Zeugnis"]);
        let march = Filter { from: Some("2026-03-01".into()), to: Some("2026-03-04".into()), ..Filter::default() };
        assert_eq!(notes(&nb.consultations_matching(&march, 50)), ["Fragen zur Ausbildung"]);
        let referred = Filter { status: Some(Outcome::Referred.code().into()), ..Filter::default() };
        assert_eq!(nb.consultations_matching(&referred, 50).total, 0);
        let informed = Filter { status: Some("informed".into()), community: Some(community(2)), ..Filter::default() };
        assert_eq!(notes(&nb.consultations_matching(&informed, 50)), ["Anerkennung Zeugnis"]);
        let first = nb.consultations_matching(&Filter::default(), 1);
        assert_eq!((notes(&first), first.total), (vec!["Praktikum Kfz"], 3));
        assert_eq!(nb.consultations_matching(&Filter::default(), 0).total, 3);
    }

    #[test]
    fn referrals_filter_by_status_and_search_the_institution() {
        let (net, mut tr, ar) = world();
        let ayse = ContactId::from_random([1; 16]);
        put(&mut tr, &referral(1, ayse, "2026-03-02", ReferralStatus::Open, None));
        put(&mut tr, &referral(2, ayse, "2026-03-03", ReferralStatus::Done, None));
        let nb = load(&net, &tr, &ar);
        let open = Filter { status: Some("open".into()), ..Filter::default() };
        let page = nb.referrals_matching(&open, 50);
        assert_eq!(page.items.iter().map(|r| r.record.id).collect::<Vec<_>>(), [ReferralId::from_random([1; 16])]);
        let jobcenter = Filter { text: "jobcenter".into(), ..Filter::default() };
        let page = nb.referrals_matching(&jobcenter, 50);
        assert_eq!(page.total, 2);
        assert_eq!(page.items[0].record.date, "2026-03-03", "newest first");
        let parents = Filter { target_group: Some(TargetGroup::Parent), ..Filter::default() };
        assert_eq!(nb.referrals_matching(&parents, 50).total, 2);
        let youth = Filter { target_group: Some(TargetGroup::Youth), ..Filter::default() };
        assert_eq!(nb.referrals_matching(&youth, 50).total, 0);
        assert_eq!(nb.referrals_of(ayse).len(), 2);
    }

    #[test]
    fn events_filter_by_kind_and_date() {
        let (mut net, tr, ar) = world();
        put(&mut net, &event(2, EventKind::OpenDay, "2026-04-10"));
        let mut info = event(3, EventKind::SchoolInfoSession, "2025-11-10");
        info.school = "Gesamtschule Schinkel".into();
        put(&mut net, &info);
        let nb = load(&net, &tr, &ar);
        let school = Filter { status: Some("school-info".into()), ..Filter::default() };
        let page = nb.events_matching(&school, 50);
        assert_eq!(page.items.iter().map(|e| e.date.as_str()).collect::<Vec<_>>(), ["2026-03-10", "2025-11-10"]);
        let in_2026 = Filter { from: Some("2026-01-01".into()), to: Some("2026-12-31".into()), ..Filter::default() };
        assert_eq!(nb.events_matching(&in_2026, 50).total, 2);
        let by_school = Filter { text: "schinkel".into(), ..Filter::default() };
        assert_eq!(nb.events_matching(&by_school, 50).items[0].id, info.id);
    }

    #[test]
    fn companies_filter_by_licence_and_list_their_places() {
        let (mut net, tr, ar) = world();
        let kaya = company(2, "Kfz Kaya", LicenceStatus::InPreparation, "2026-02-01");
        put(&mut net, &kaya);
        put(&mut net, &place(1, kaya.id, PlaceStatus::Offered, "2026-02-10"));
        put(&mut net, &place(2, CompanyId::from_random([1; 16]), PlaceStatus::Filled, "2025-06-10"));
        let nb = load(&net, &tr, &ar);
        let all = nb.companies_matching(&Filter::default(), 50);
        assert_eq!(all.items.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["Bäckerei Aydın", "Kfz Kaya"]);
        let licensed = Filter { status: Some("has".into()), ..Filter::default() };
        assert_eq!(nb.companies_matching(&licensed, 50).items[0].name, "Bäckerei Aydın");
        let by_trade = Filter { text: "BÄCK".into(), ..Filter::default() };
        assert_eq!(nb.companies_matching(&by_trade, 50).total, 2, "both have the test trade");
        let joined_2026 = Filter { from: Some("2026-01-01".into()), ..Filter::default() };
        assert_eq!(nb.companies_matching(&joined_2026, 50).items[0].name, "Kfz Kaya");
        assert_eq!(
            nb.places_of(kaya.id).iter().map(|p| p.id).collect::<Vec<_>>(),
            [TrainingPlaceId::from_random([1; 16])]
        );
    }

    #[test]
    fn today_lists_what_is_overdue_due_and_coming_for_me() {
        let (mut net, mut tr, ar) = world();
        let other = MentorId::from_random([201; 16]);
        let ayse = ContactId::from_random([1; 16]);
        put(&mut tr, &follow_up(1, "2026-03-01", me(), false)); // overdue
        put(&mut tr, &follow_up(2, "2026-03-15", me(), false)); // today
        put(&mut tr, &follow_up(3, "2026-03-02", me(), true)); // done
        put(&mut tr, &follow_up(4, "2026-03-01", other, false)); // not mine
        put(&mut tr, &follow_up(5, "2026-03-16", me(), false)); // tomorrow
        put(&mut tr, &referral(1, ayse, "2026-02-01", ReferralStatus::Contacted, Some("2026-02-20"))); // overdue
        put(&mut tr, &referral(2, ayse, "2026-02-01", ReferralStatus::Done, Some("2026-02-20"))); // closed
        put(&mut tr, &referral(3, ayse, "2026-02-01", ReferralStatus::Open, None)); // no date
        put(&mut tr, &referral(4, ayse, "2026-02-01", ReferralStatus::Open, Some("2026-03-15"))); // today
        put(&mut net, &event(2, EventKind::OpenDay, "2026-03-29")); // the 14th day
        put(&mut net, &event(3, EventKind::OpenDay, "2026-03-30")); // too far
        put(&mut net, &event(4, EventKind::OpenDay, "2026-03-15")); // today
        put(&mut net, &event(5, EventKind::OpenDay, "2026-03-14")); // past
        let nb = load(&net, &tr, &ar);
        let t = nb.today("2026-03-15", Some(me()));
        let dates = |v: &[Due<'_>]| v.iter().map(|d| d.date().to_owned()).collect::<Vec<_>>();
        assert_eq!(dates(&t.overdue), ["2026-03-01", "2026-02-20"]);
        assert!(matches!(t.overdue[1], Due::Referral(_)));
        assert_eq!(dates(&t.due_today), ["2026-03-15", "2026-03-15"]);
        assert!(matches!(t.due_today[0], Due::FollowUp(_)), "follow-ups before referrals on the same day");
        let ev = |v: &[&Event]| v.iter().map(|e| e.date.clone()).collect::<Vec<_>>();
        assert_eq!(ev(&t.upcoming_events), ["2026-03-15", "2026-03-29"]);
        let everyone = nb.today("2026-03-15", None);
        assert_eq!(everyone.overdue.len(), 3, "the other mentor's follow-up too");
    }

    #[test]
    fn upcoming_events_list_the_soonest_first_and_dates_move_by_days() {
        let mut net = crate::NetworkDoc::genesis(ActorId::from([1u8; 16]));
        for (n, date) in [(1, "2026-04-02"), (2, "2026-03-20"), (3, "2026-05-01")] {
            record::put(&mut net, &fixture::event(n, EventKind::OpenDay, date), 1).unwrap();
        }
        let mut nb = Notebook::default();
        nb.load_network(&net).unwrap();
        let dates = |f: &Filter| nb.events_matching(f, 10).items.iter().map(|e| e.date.clone()).collect::<Vec<_>>();
        let upcoming = Filter { from: Some("2026-03-21".into()), soonest_first: true, ..Filter::default() };
        assert_eq!(dates(&upcoming), ["2026-04-02", "2026-05-01"]);
        assert_eq!(dates(&Filter::default()), ["2026-05-01", "2026-04-02", "2026-03-20"], "otherwise the newest first");
        assert_eq!(add_days("2026-02-27", 7).as_deref(), Some("2026-03-06"));
        assert_eq!(add_days("2026-03-01", -1).as_deref(), Some("2026-02-28"));
        assert_eq!(add_days("2024-12-31", 1).as_deref(), Some("2025-01-01"));
        assert_eq!(add_days("not a date", 1), None);
    }

    #[test]
    fn folding_ignores_case_and_the_accents_a_mentor_may_not_type() {
        assert_eq!(fold("Ayşegül YILDIZ"), "aysegul yildiz");
        assert_eq!(fold("İSTANBUL"), "istanbul");
        assert_eq!(fold("Łódź Straße"), "lodz strasse");
        assert_eq!(fold("Hêvî Çelik"), "hevi celik");
        assert_eq!(fold("Мария"), "мария");
        assert_eq!(fold("محمد"), "محمد");
    }

    #[test]
    fn upcoming_events_cross_a_month_and_a_year() {
        let (mut net, tr, ar) = world();
        put(&mut net, &event(2, EventKind::ParentEvening, "2027-01-03"));
        let nb = load(&net, &tr, &ar);
        assert_eq!(nb.today("2026-12-25", None).upcoming_events.len(), 1);
        assert_eq!(iso_from_days(days_from_iso("2028-02-28").unwrap() + 1), "2028-02-29");
        assert_eq!(iso_from_days(days_from_iso("2026-12-25").unwrap() + 14), "2027-01-08");
        assert_eq!(days_from_iso("1970-01-01"), Some(0));
        assert_eq!(days_from_iso("soon"), None);
    }
}
