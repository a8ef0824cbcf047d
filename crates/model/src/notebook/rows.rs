//! The read model: one document's part of the notebook as plain rows, stored
//! beside the document's chunks, so the app draws its first screen without
//! loading Automerge or hydrating a single record; and the same rows, for
//! the records a change touched, as the update the engine (which holds the
//! documents, in a worker) sends the page after every change.
//!
//! Rows are stamped with the document heads they reflect and with
//! [`ROWS_SCHEMA`]. A reader compares the stamp with the heads the store
//! recorded with the document's last chunk: equal heads mean the rows are
//! current; anything else (other heads, another schema, bytes that do not
//! decode) means they are rebuilt from the document and never shown as
//! current.

use std::collections::BTreeSet;

use automerge::{AutoCommit, ChangeHash, Patch};
use serde::{Deserialize, Serialize};

use super::{in_community, refresh_community, refresh_network, touched, DocRef, Notebook, Touch};
use crate::advice::{Consultation, FollowUp, Household, Referral};
use crate::conflict::{self, Conflict};
use crate::contact::Contact;
use crate::export::Export;
use crate::kind::RecordKind;
use crate::network::{Community, Company, Event, Institution, Measure, Mentor, PartnerOrganisation, TrainingPlace};
use crate::record::{self, DocError, Record};
use crate::review;

/// The layout of stored rows. Bump it whenever a record type's fields or the
/// encoding change: rows of another schema are rebuilt, never decoded.
/// 2: head counts keep the taps not yet saved; one layout for rows and updates.
/// 3: stored in parts; an update names the collections it holds whole.
/// 4: the fields with concurrent values travel with the rows.
/// 5: contacts say whom they were merged into and whom they are not.
/// 6: mentors list the invitations made for them.
/// 8: the network's exports of the report.
/// 9: communities hold a retention period.
pub const ROWS_SCHEMA: u32 = 9;

/// The collections whose stored rows can wait until the first screen is
/// drawn: the large ones no first screen needs (a year of a service
/// centre's consultations are most of its rows).
pub const LATER: &[&str] = &[Consultation::COLLECTION];

/// Why stored rows cannot be used (they are then rebuilt from the document).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RowsError {
    #[error("the rows were written with schema {found}, this version reads {ROWS_SCHEMA}")]
    Schema { found: u32 },
    #[error("the rows are of another document")]
    WrongDocument,
    #[error("the rows hold only some records, no collection whole")]
    NotWhole,
    #[error("the rows do not decode: {0}")]
    Decode(String),
}

macro_rules! row_set {
    (network: $($nk:ident = $nty:ident { id: $nid:ty, draft: $ndr:ty, field: $nfield:ident, one: $no:ident, collection: $nc:literal, segment: $ns:literal }),+ ;
     community: $($ck:ident = $cty:ident { id: $cid:ty, draft: $cdr:ty, field: $cfield:ident, one: $co:ident, collection: $cc:literal, segment: $cs:literal }),+ $(,)?) => {
        /// Records of each kind, as plain values.
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
        pub struct RowSet {
            $($nfield: Vec<$nty>,)+
            $($cfield: Vec<$cty>,)+
        }

        $(impl Row for $nty {
            fn push(self, set: &mut RowSet) {
                set.$nfield.push(self);
            }
        })+
        $(impl Row for $cty {
            fn push(self, set: &mut RowSet) {
                set.$cfield.push(self);
            }
        })+

        impl RowSet {
            /// The records of `which`'s collections that `take` names.
            fn of(nb: &Notebook, which: DocRef, take: &dyn Fn(&str) -> bool) -> RowSet {
                let mut set = RowSet::default();
                match which {
                    DocRef::Network => {
                        $(if take(<$nty>::COLLECTION) {
                            set.$nfield = nb.$nfield.values().cloned().collect();
                        })+
                    }
                    DocRef::Community(c) => {
                        $(if take(<$cty>::COLLECTION) {
                            set.$cfield =
                                nb.$cfield.values().filter(|r| r.community == c).map(|r| r.record.clone()).collect();
                        })+
                    }
                }
                set
            }

            /// The collections of a document.
            fn collections(which: DocRef) -> Vec<&'static str> {
                match which {
                    DocRef::Network => vec![$(<$nty>::COLLECTION),+],
                    DocRef::Community(_) => vec![$(<$cty>::COLLECTION),+],
                }
            }

            /// (collection, key) of every row.
            fn keys(&self) -> BTreeSet<(String, String)> {
                let mut keys = BTreeSet::new();
                $(keys.extend(self.$nfield.iter().map(|r| (<$nty>::COLLECTION.to_owned(), r.record_key())));)+
                $(keys.extend(self.$cfield.iter().map(|r| (<$cty>::COLLECTION.to_owned(), r.record_key())));)+
                keys
            }

            /// Writes every row into `doc` (see [`record::put`]).
            fn put_all(&self, doc: &mut AutoCommit, now_ms: i64) -> Result<(), DocError> {
                $(for r in &self.$nfield { record::put(doc, r, now_ms)?; })+
                $(for r in &self.$cfield { record::put(doc, r, now_ms)?; })+
                Ok(())
            }

            /// Puts the rows into `nb`: a collection named in `complete` is
            /// replaced (what is not among the rows is dropped), the others
            /// get these rows on top.
            fn fill(self, nb: &mut Notebook, which: DocRef, complete: &BTreeSet<String>) {
                match which {
                    DocRef::Network => {
                        $(
                            if complete.contains(<$nty>::COLLECTION) {
                                nb.$nfield.clear();
                            }
                            nb.$nfield.extend(self.$nfield.into_iter().map(|r| (r.id(), r)));
                        )+
                        nb.index_devices();
                    }
                    DocRef::Community(c) => {
                        $(
                            if complete.contains(<$cty>::COLLECTION) {
                                nb.$cfield.retain(|_, r| r.community != c);
                            }
                            nb.$cfield.extend(self.$cfield.into_iter().map(|r| (r.id(), in_community(c, r))));
                        )+
                    }
                }
            }
        }

        impl Notebook {
            /// Reads the record `key` of `collection` in `which` again from
            /// `doc` (or drops it, if it is gone).
            pub(super) fn refresh(&mut self, which: DocRef, collection: &str, key: &str, doc: &AutoCommit) {
                let (s, k) = (&mut self.skipped, &mut self.conflicts);
                match (which, collection) {
                    $((DocRef::Network, $nc) => refresh_network(&mut self.$nfield, doc, key, s, k),)+
                    $((DocRef::Community(c), $cc) => refresh_community(&mut self.$cfield, c, doc, key, s, k),)+
                    _ => {}
                }
            }

            /// Drops the record `key` of `collection` from `which`'s part.
            fn remove(&mut self, which: DocRef, collection: &str, key: &str) {
                match (which, collection) {
                    $((DocRef::Network, <$nty>::COLLECTION) => {
                        if let Ok(id) = key.parse() {
                            self.$nfield.remove(&id);
                        }
                    })+
                    $((DocRef::Community(_), <$cty>::COLLECTION) => {
                        if let Ok(id) = key.parse() {
                            self.$cfield.remove(&id);
                        }
                    })+
                    _ => {}
                }
            }
        }
    };
}

/// A record that travels as a row.
pub trait Row: Record {
    fn push(self, set: &mut RowSet);
}

crate::kind::with_kinds!(row_set);

/// Rows of one document: whole collections (`complete`: a part of the
/// stored rows, or the first update of a document) and the records one
/// change touched.
#[derive(Serialize, Deserialize)]
struct Update {
    schema: u32,
    which: DocRef,
    heads: Vec<[u8; 32]>,
    /// The collections these rows hold whole.
    complete: Vec<String>,
    /// Records that did not hydrate: (collection, key). Kept so the count of
    /// skipped records survives a restart.
    skipped: Vec<(String, String)>,
    /// Records the change deleted (or that no longer hydrate).
    removed: Vec<(String, String)>,
    rows: RowSet,
    /// The fields with concurrent values of the records these rows hold
    /// (collection, key): a record they hold that is not here has none.
    conflicts: Vec<(String, String, Vec<Conflict>)>,
}

/// The schema, read from the first bytes without decoding the rest.
fn schema_of(bytes: &[u8]) -> Result<u32, RowsError> {
    postcard::take_from_bytes::<u32>(bytes).map(|(s, _)| s).map_err(|e| RowsError::Decode(e.to_string()))
}

fn encode(update: &Update) -> Vec<u8> {
    postcard::to_allocvec(update).expect("records always encode")
}

fn hashes(heads: &[ChangeHash]) -> Vec<[u8; 32]> {
    heads.iter().map(|h| h.0).collect()
}

/// A write, as bytes: what the page sends the engine to save.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Edit {
    /// A record, written field by field.
    Put(Box<RowSet>),
    /// Keep one of a field's concurrent values (see [`conflict::settle`]).
    Settle { collection: String, key: String, field: String, op: Vec<u8> },
    /// Mark changes reviewed (see [`review::mark_reviewed`]).
    Review { hashes: Vec<[u8; 32]>, by: crate::ids::MentorId },
}

impl Edit {
    pub fn of<R: Row>(record: R) -> Edit {
        let mut set = RowSet::default();
        record.push(&mut set);
        Edit::Put(Box::new(set))
    }

    /// Writes it into `doc` as one commit that names the record (see
    /// [`record::put`]).
    pub fn apply(&self, doc: &mut AutoCommit, now_ms: i64) -> Result<(), DocError> {
        match self {
            Edit::Put(set) => set.put_all(doc, now_ms),
            Edit::Settle { collection, key, field, op } => {
                let collection = super::collection_name(collection).ok_or(DocError::NotALotseDoc("that collection"))?;
                conflict::settle(doc, collection, key, field, op, now_ms)
                    .map_err(|e| DocError::NotSettled(e.to_string()))
            }
            Edit::Review { hashes, by } => review::mark_reviewed(doc, hashes, *by, now_ms),
        }
    }
}

impl Notebook {
    /// The rows of one document (`which`), stamped with `heads`: the heads
    /// of the document this notebook reflects.
    pub fn rows(&self, which: DocRef, heads: &[ChangeHash]) -> Vec<u8> {
        self.rows_of(which, heads, &|_| true)
    }

    /// The rows of one document as stored, in parts: the first holds what
    /// a first screen needs, the next the [`LATER`] collections.
    pub fn stored_rows(&self, which: DocRef, heads: &[ChangeHash]) -> Vec<Vec<u8>> {
        let first = self.rows_of(which, heads, &|c| !LATER.contains(&c));
        let later = RowSet::collections(which).into_iter().any(|c| LATER.contains(&c));
        let mut parts = vec![first];
        if later {
            parts.push(self.rows_of(which, heads, &|c| LATER.contains(&c)));
        }
        parts
    }

    fn rows_of(&self, which: DocRef, heads: &[ChangeHash], take: &dyn Fn(&str) -> bool) -> Vec<u8> {
        let skipped = self
            .skipped
            .iter()
            .filter(|(w, c, _)| *w == which && take(c))
            .map(|(_, collection, key)| ((*collection).to_owned(), key.clone()))
            .collect();
        let complete = RowSet::collections(which).into_iter().filter(|c| take(c)).map(str::to_owned).collect();
        encode(&Update {
            schema: ROWS_SCHEMA,
            which,
            heads: hashes(heads),
            complete,
            skipped,
            removed: vec![],
            rows: RowSet::of(self, which, take),
            conflicts: self.conflicts_for(which, take),
        })
    }

    /// The conflicts of `which`'s records in the collections `take` names.
    fn conflicts_for(&self, which: DocRef, take: &dyn Fn(&str) -> bool) -> Vec<(String, String, Vec<Conflict>)> {
        self.conflicts
            .iter()
            .filter(|((w, c, _), _)| *w == which && take(c))
            .map(|((_, c, k), list)| ((*c).to_owned(), k.clone(), list.clone()))
            .collect()
    }

    /// Looks up when each concurrent value was written (only the engine,
    /// which holds the document, can).
    fn stamp_conflict_times(&mut self, doc: &mut AutoCommit) {
        conflict::stamp_times(doc, self.conflicts.values_mut().flatten());
    }

    /// All of `doc`'s records as rows, stamped with its heads: read whole
    /// (the slow path, for a document whose rows were stale).
    pub fn rows_of_document(which: DocRef, doc: &mut AutoCommit, heads: &[ChangeHash]) -> Vec<u8> {
        let mut scratch = Notebook::default();
        // A missing collection reads as empty; the rest is still read.
        let _ = match which {
            DocRef::Network => scratch.load_network(doc),
            DocRef::Community(c) => scratch.load_community(c, doc),
        };
        scratch.stamp_conflict_times(doc);
        scratch.rows(which, heads)
    }

    /// The update that brings a notebook from before `patches` (what
    /// `diff` returned for `doc`) to `doc`'s `heads`: the touched records
    /// read again (none, if the patches touched no record: the update then
    /// only moves the heads).
    pub fn update_from_patches(
        which: DocRef,
        doc: &mut AutoCommit,
        heads: &[ChangeHash],
        patches: &[Patch],
    ) -> Vec<u8> {
        let mut keys = BTreeSet::new();
        for patch in patches {
            match touched(patch) {
                Some(Touch::Root) => return Notebook::rows_of_document(which, doc, heads),
                Some(Touch::Record(collection, key)) => {
                    keys.insert((collection, key));
                }
                None => {}
            }
        }
        let mut scratch = Notebook::default();
        scratch.apply_patches(which, doc, patches);
        scratch.stamp_conflict_times(doc);
        let rows = RowSet::of(&scratch, which, &|_| true);
        let present = rows.keys();
        let skipped: Vec<(String, String)> =
            scratch.skipped.iter().map(|(_, collection, key)| ((*collection).to_owned(), key.clone())).collect();
        let removed = keys.into_iter().filter(|k| !present.contains(k)).collect();
        let conflicts = scratch.conflicts_for(which, &|_| true);
        let heads = hashes(heads);
        encode(&Update { schema: ROWS_SCHEMA, which, heads, complete: vec![], skipped, removed, rows, conflicts })
    }

    /// Replaces one document's records with stored rows (or a part of
    /// them: the collections it holds) and returns the heads they reflect.
    /// On an error nothing changes.
    pub fn load_rows(&mut self, which: DocRef, bytes: &[u8]) -> Result<Vec<ChangeHash>, RowsError> {
        self.apply(which, bytes, true)
    }

    /// Applies rows or an update (see [`Notebook::update_from_patches`]) to
    /// `which`'s part and returns the heads it reflects now. On an error
    /// nothing changes.
    pub fn apply_update(&mut self, which: DocRef, bytes: &[u8]) -> Result<Vec<ChangeHash>, RowsError> {
        self.apply(which, bytes, false)
    }

    fn apply(&mut self, which: DocRef, bytes: &[u8], whole_only: bool) -> Result<Vec<ChangeHash>, RowsError> {
        let schema = schema_of(bytes)?;
        if schema != ROWS_SCHEMA {
            return Err(RowsError::Schema { found: schema });
        }
        let update: Update = postcard::from_bytes(bytes).map_err(|e| RowsError::Decode(e.to_string()))?;
        if update.which != which {
            return Err(RowsError::WrongDocument);
        }
        if whole_only && update.complete.is_empty() {
            return Err(RowsError::NotWhole);
        }
        let complete: BTreeSet<String> = update.complete.into_iter().collect();
        let touched: BTreeSet<(String, String)> =
            update.removed.iter().cloned().chain(update.rows.keys()).chain(update.skipped.iter().cloned()).collect();
        let stale = |w: &DocRef, c: &str, k: &String| {
            *w == which && (complete.contains(c) || touched.contains(&(c.to_owned(), k.clone())))
        };
        self.skipped.retain(|(w, c, k)| !stale(w, c, k));
        self.conflicts.retain(|(w, c, k), _| !stale(w, c, k));
        for (collection, key, list) in update.conflicts {
            if let Some(c) = super::collection_name(&collection) {
                self.conflicts.insert((which, c, key), list);
            }
        }
        for (collection, key) in &update.removed {
            self.remove(which, collection, key);
        }
        for (collection, key) in update.skipped {
            if let Some(c) = super::collection_name(&collection) {
                self.remove(which, c, &key);
                self.skipped.insert((which, c, key));
            }
        }
        let mentors = which == DocRef::Network;
        update.rows.fill(self, which, &complete);
        if mentors {
            self.index_devices();
        }
        Ok(update.heads.into_iter().map(ChangeHash).collect())
    }
}
