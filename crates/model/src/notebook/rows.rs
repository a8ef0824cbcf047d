//! The read model: one document's part of the notebook as plain rows, stored
//! beside the document's chunks, so the app draws its first screen without
//! loading Automerge or hydrating a single record.
//!
//! Rows are stamped with the document heads they reflect and with
//! [`ROWS_SCHEMA`]. A reader compares the stamp with the heads the store
//! recorded with the document's last chunk: equal heads mean the rows are
//! current; anything else (other heads, another schema, bytes that do not
//! decode) means they are rebuilt from the document and never shown as
//! current.

use std::collections::HashMap;

use automerge::ChangeHash;
use serde::{Deserialize, Serialize};

use super::{in_community, DocRef, Keyed, Notebook, Searchable};
use crate::advice::{Consultation, FollowUp, Household, Referral};
use crate::contact::Contact;
use crate::ids::CommunityId;
use crate::network::{Community, Company, Event, Institution, Measure, Mentor, PartnerOrganisation, TrainingPlace};

/// The layout of stored rows. Bump it whenever a record type's fields or the
/// encoding change: rows of another schema are rebuilt, never decoded.
pub const ROWS_SCHEMA: u32 = 1;

/// Why stored rows cannot be used (they are then rebuilt from the document).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RowsError {
    #[error("the rows were written with schema {found}, this version reads {ROWS_SCHEMA}")]
    Schema { found: u32 },
    #[error("the rows are of another document")]
    WrongDocument,
    #[error("the rows do not decode: {0}")]
    Decode(String),
}

#[derive(Serialize, Deserialize)]
struct Stored {
    schema: u32,
    heads: Vec<[u8; 32]>,
    /// Records that did not hydrate: (collection, key). Kept so the count of
    /// skipped records survives a restart.
    skipped: Vec<(String, String)>,
    rows: Rows,
}

#[derive(Serialize, Deserialize)]
enum Rows {
    Network {
        communities: Vec<Community>,
        mentors: Vec<Mentor>,
        partners: Vec<PartnerOrganisation>,
        institutions: Vec<Institution>,
        events: Vec<Event>,
        companies: Vec<Company>,
        training_places: Vec<TrainingPlace>,
        measures: Vec<Measure>,
    },
    Community {
        community: CommunityId,
        contacts: Vec<Contact>,
        households: Vec<Household>,
        consultations: Vec<Consultation>,
        referrals: Vec<Referral>,
        follow_ups: Vec<FollowUp>,
    },
}

/// The schema, read from the first bytes without decoding the rest.
fn schema_of(bytes: &[u8]) -> Result<u32, RowsError> {
    postcard::take_from_bytes::<u32>(bytes).map(|(s, _)| s).map_err(|e| RowsError::Decode(e.to_string()))
}

fn network_rows<R: Keyed>(map: &HashMap<R::Id, R>) -> Vec<R> {
    map.values().cloned().collect()
}

fn community_rows<R: Keyed>(map: &HashMap<R::Id, super::InCommunity<R>>, community: CommunityId) -> Vec<R> {
    map.values().filter(|r| r.community == community).map(|r| r.record.clone()).collect()
}

fn fill_network<R: Keyed>(map: &mut HashMap<R::Id, R>, rows: Vec<R>) {
    map.clear();
    map.extend(rows.into_iter().map(|r| (r.id(), r)));
}

fn fill_community<R: Keyed + Searchable>(
    map: &mut HashMap<R::Id, super::InCommunity<R>>,
    community: CommunityId,
    rows: Vec<R>,
) {
    map.retain(|_, r| r.community != community);
    map.extend(rows.into_iter().map(|r| (r.id(), in_community(community, r))));
}

impl Notebook {
    /// The rows of one document (`which`), stamped with `heads`: the heads
    /// of the document this notebook reflects.
    pub fn rows(&self, which: DocRef, heads: &[ChangeHash]) -> Vec<u8> {
        let rows = match which {
            DocRef::Network => Rows::Network {
                communities: network_rows(&self.communities),
                mentors: network_rows(&self.mentors),
                partners: network_rows(&self.partners),
                institutions: network_rows(&self.institutions),
                events: network_rows(&self.events),
                companies: network_rows(&self.companies),
                training_places: network_rows(&self.training_places),
                measures: network_rows(&self.measures),
            },
            DocRef::Community(c) => Rows::Community {
                community: c,
                contacts: community_rows(&self.contacts, c),
                households: community_rows(&self.households, c),
                consultations: community_rows(&self.consultations, c),
                referrals: community_rows(&self.referrals, c),
                follow_ups: community_rows(&self.follow_ups, c),
            },
        };
        let skipped = self
            .skipped
            .iter()
            .filter(|(w, _, _)| *w == which)
            .map(|(_, collection, key)| ((*collection).to_owned(), key.clone()))
            .collect();
        let stored = Stored { schema: ROWS_SCHEMA, heads: heads.iter().map(|h| h.0).collect(), skipped, rows };
        postcard::to_allocvec(&stored).expect("records always encode")
    }

    /// Replaces one document's records with stored rows and returns the
    /// heads they reflect. On an error nothing changes.
    pub fn load_rows(&mut self, which: DocRef, bytes: &[u8]) -> Result<Vec<ChangeHash>, RowsError> {
        let schema = schema_of(bytes)?;
        if schema != ROWS_SCHEMA {
            return Err(RowsError::Schema { found: schema });
        }
        let stored: Stored = postcard::from_bytes(bytes).map_err(|e| RowsError::Decode(e.to_string()))?;
        match (which, stored.rows) {
            (
                DocRef::Network,
                Rows::Network {
                    communities,
                    mentors,
                    partners,
                    institutions,
                    events,
                    companies,
                    training_places,
                    measures,
                },
            ) => {
                fill_network(&mut self.communities, communities);
                fill_network(&mut self.mentors, mentors);
                fill_network(&mut self.partners, partners);
                fill_network(&mut self.institutions, institutions);
                fill_network(&mut self.events, events);
                fill_network(&mut self.companies, companies);
                fill_network(&mut self.training_places, training_places);
                fill_network(&mut self.measures, measures);
                self.index_devices();
            }
            (
                DocRef::Community(c),
                Rows::Community { community, contacts, households, consultations, referrals, follow_ups },
            ) if c == community => {
                fill_community(&mut self.contacts, c, contacts);
                fill_community(&mut self.households, c, households);
                fill_community(&mut self.consultations, c, consultations);
                fill_community(&mut self.referrals, c, referrals);
                fill_community(&mut self.follow_ups, c, follow_ups);
            }
            _ => return Err(RowsError::WrongDocument),
        }
        self.skipped.retain(|(w, _, _)| *w != which);
        for (collection, key) in stored.skipped {
            if let Some(c) = super::collection_name(&collection) {
                self.skipped.insert((which, c, key));
            }
        }
        Ok(stored.heads.into_iter().map(ChangeHash).collect())
    }
}
