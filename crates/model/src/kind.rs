//! The record kinds, declared once.
//!
//! [`with_kinds!`] holds the one list of the fourteen kinds: the type, its id,
//! its draft, its field in the notebook, its collection in the document and
//! its path segment in the app's routes. Everything that goes over every
//! kind (the `Kind` enum, `Record` and `RecordKind`, the notebook's rows and
//! patch routing, the documents' genesis) is generated from it, so a new
//! kind is one line here and its own draft and form.

use std::fmt::Display;
use std::hash::Hash;
use std::str::FromStr;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::advice::{Consultation, FollowUp, Household, Referral};
use crate::contact::{Contact, ContactDraft};
use crate::export::{Export, ExportDraft};
use crate::forms::*;
use crate::ids::*;
use crate::network::{Community, Company, Event, Institution, Measure, Mentor, PartnerOrganisation, TrainingPlace};
use crate::notebook::{DocRef, Notebook, Row};
use crate::validate::FieldError;

/// Calls `$m!` with the list of every record kind: first the network
/// document's kinds, then a community document's.
///
/// Each entry: `Kind = Type { id, draft, field, one, collection, segment }`
/// (`field`: the notebook's map, `one`: its lookup by id).
macro_rules! with_kinds {
    ($m:ident) => {
        $m! {
            network:
                Community = Community { id: CommunityId, draft: CommunityDraft, field: communities, one: community, collection: "communities", segment: "communities" },
                Mentor = Mentor { id: MentorId, draft: MentorDraft, field: mentors, one: mentor, collection: "mentors", segment: "mentors" },
                Partner = PartnerOrganisation { id: PartnerId, draft: PartnerDraft, field: partners, one: partner, collection: "partners", segment: "partners" },
                Institution = Institution { id: InstitutionId, draft: InstitutionDraft, field: institutions, one: institution, collection: "institutions", segment: "institutions" },
                Event = Event { id: EventId, draft: EventDraft, field: events, one: event, collection: "events", segment: "events" },
                Company = Company { id: CompanyId, draft: CompanyDraft, field: companies, one: company, collection: "companies", segment: "companies" },
                TrainingPlace = TrainingPlace { id: TrainingPlaceId, draft: TrainingPlaceDraft, field: training_places, one: training_place, collection: "training_places", segment: "training-places" },
                Measure = Measure { id: MeasureId, draft: MeasureDraft, field: measures, one: measure, collection: "measures", segment: "measures" },
                Export = Export { id: ExportId, draft: ExportDraft, field: exports, one: export, collection: "exports", segment: "exports" };
            community:
                Contact = Contact { id: ContactId, draft: ContactDraft, field: contacts, one: contact, collection: "contacts", segment: "contacts" },
                Household = Household { id: HouseholdId, draft: HouseholdDraft, field: households, one: household, collection: "households", segment: "households" },
                Consultation = Consultation { id: ConsultationId, draft: ConsultationDraft, field: consultations, one: consultation, collection: "consultations", segment: "consultations" },
                Referral = Referral { id: ReferralId, draft: ReferralDraft, field: referrals, one: referral, collection: "referrals", segment: "referrals" },
                FollowUp = FollowUp { id: FollowUpId, draft: FollowUpDraft, field: follow_ups, one: follow_up, collection: "follow_ups", segment: "follow-ups" },
        }
    };
}
pub(crate) use with_kinds;

/// A record kind: where it lives, how it is found, drafted and checked.
pub trait RecordKind: Row + Linked + Titled + Clone + PartialEq + 'static {
    const KIND: Kind;
    type Id: Copy + Eq + Hash + Ord + FromStr + Display + Send + Sync + 'static;
    /// What its form holds: every field as typed.
    type Draft: Clone + Default + PartialEq + Serialize + DeserializeOwned + Send + Sync + 'static;

    fn id(&self) -> Self::Id;
    /// A fresh id from randomness the caller supplies (the model has no RNG).
    fn new_id(random: [u8; 16]) -> Self::Id;
    /// The draft of an existing record, for editing.
    fn to_draft(&self) -> Self::Draft;
    /// Checks every field of `draft` and builds the record, or says per
    /// field what to fix. What the draft does not hold (who created it and
    /// when) is kept from `existing`, else taken from `stamp`.
    fn validate(
        draft: &Self::Draft,
        id: Self::Id,
        stamp: Stamp,
        existing: Option<&Self>,
    ) -> Result<Self, Vec<FieldError>>;
    /// The record in the notebook, with the document it lives in.
    fn find(nb: &Notebook, id: Self::Id) -> Option<(&Self, DocRef)>;

    /// The document the record is written to: where it already lives, else
    /// (a community record) the community of the contact or household it
    /// is about, else `fallback` (the device's home community, or the
    /// community the form was opened from).
    fn home(&self, nb: &Notebook, fallback: CommunityId) -> DocRef {
        if let Some((_, at)) = Self::find(nb, self.id()) {
            return at;
        }
        if Self::KIND.is_network() {
            return DocRef::Network;
        }
        let (contact, household) = self.links();
        DocRef::Community(nb.community_of(contact, household).unwrap_or(fallback))
    }
}

/// The contact and household a record is about, if any: a new record goes
/// to their community.
pub trait Linked {
    fn links(&self) -> (Option<ContactId>, Option<HouseholdId>) {
        (None, None)
    }
}

impl Linked for Consultation {
    fn links(&self) -> (Option<ContactId>, Option<HouseholdId>) {
        (self.contact, self.household)
    }
}

impl Linked for Referral {
    fn links(&self) -> (Option<ContactId>, Option<HouseholdId>) {
        (Some(self.contact), None)
    }
}

impl Linked for FollowUp {
    fn links(&self) -> (Option<ContactId>, Option<HouseholdId>) {
        (self.contact, None)
    }
}

impl Linked for Contact {}
impl Linked for Household {}
impl Linked for Community {}
impl Linked for Mentor {}
impl Linked for PartnerOrganisation {}
impl Linked for Institution {}
impl Linked for Event {}
impl Linked for Company {}
impl Linked for TrainingPlace {}
impl Linked for Measure {}
impl Linked for Export {}

/// What a person calls a record in a list of mixed kinds: a name, else
/// what it is about.
pub trait Titled {
    fn title(&self, nb: &Notebook) -> String;
}

fn contact_name(nb: &Notebook, c: Option<ContactId>) -> Option<String> {
    c.and_then(|c| nb.contact(nb.kept_contact(c))).map(|c| c.record.name.clone())
}

macro_rules! titled_by_name {
    ($($ty:ty),+) => {
        $(impl Titled for $ty {
            fn title(&self, _: &Notebook) -> String {
                self.name.clone()
            }
        })+
    };
}

titled_by_name!(Contact, Household, Community, Mentor, PartnerOrganisation, Institution, Company);

impl Titled for Consultation {
    fn title(&self, nb: &Notebook) -> String {
        let household = || self.household.and_then(|h| nb.household(h)).map(|h| h.record.name.clone());
        let who = contact_name(nb, self.contact).or_else(household).unwrap_or_default();
        format!("{who} · {}", self.date)
    }
}

impl Titled for Referral {
    fn title(&self, nb: &Notebook) -> String {
        let to = nb.institution(self.institution).map(|i| i.name.clone()).unwrap_or_default();
        format!("{} → {to}", contact_name(nb, Some(self.contact)).unwrap_or_default())
    }
}

impl Titled for FollowUp {
    fn title(&self, nb: &Notebook) -> String {
        contact_name(nb, self.contact).unwrap_or_else(|| self.note.chars().take(60).collect())
    }
}

impl Titled for Event {
    fn title(&self, _: &Notebook) -> String {
        if self.title.is_empty() {
            self.date.clone()
        } else {
            format!("{} · {}", self.title, self.date)
        }
    }
}

impl Titled for TrainingPlace {
    fn title(&self, nb: &Notebook) -> String {
        let at = nb.company(self.company).map(|c| c.name.clone()).unwrap_or_default();
        format!("{} · {at}", self.occupation)
    }
}

impl Titled for Export {
    fn title(&self, _: &Notebook) -> String {
        format!("{} · {}", self.period, self.what)
    }
}

impl Titled for Measure {
    fn title(&self, _: &Notebook) -> String {
        format!("{} {}", self.title, self.year)
    }
}

macro_rules! kinds {
    (network: $($nk:ident = $nty:ident { id: $nid:ty, draft: $ndr:ty, field: $nf:ident, one: $no:ident, collection: $nc:literal, segment: $ns:literal }),+ ;
     community: $($ck:ident = $cty:ident { id: $cid:ty, draft: $cdr:ty, field: $cf:ident, one: $co:ident, collection: $cc:literal, segment: $cs:literal }),+ $(,)?) => {
        /// The kinds of record, with their collection and path segment.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub enum Kind {
            $($nk,)+
            $($ck,)+
        }

        impl Kind {
            /// Community kinds first (a mentor's daily records), then the
            /// network's.
            pub const ALL: &'static [Kind] = &[$(Kind::$ck,)+ $(Kind::$nk,)+];

            /// The root map of the document that holds records of this kind.
            pub const fn collection(self) -> &'static str {
                match self {
                    $(Kind::$nk => $nc,)+
                    $(Kind::$ck => $cc,)+
                }
            }

            /// Its segment in the app's routes (`#/<segment>/<id>`).
            pub const fn segment(self) -> &'static str {
                match self {
                    $(Kind::$nk => $ns,)+
                    $(Kind::$ck => $cs,)+
                }
            }

            /// True for the kinds of the network document, false for a
            /// community document's.
            pub const fn is_network(self) -> bool {
                matches!(self, $(Kind::$nk)|+)
            }

            pub fn from_segment(s: &str) -> Option<Kind> {
                Kind::ALL.iter().copied().find(|k| k.segment() == s)
            }

            pub fn from_collection(s: &str) -> Option<Kind> {
                Kind::ALL.iter().copied().find(|k| k.collection() == s)
            }
        }

        impl Notebook {
            /// The kind and [title](Titled) of the record `key` of
            /// `collection`, if the notebook holds it.
            pub fn title_of(&self, collection: &str, key: &str) -> Option<(Kind, String)> {
                match collection {
                    $($nc => key.parse().ok().and_then(|id| self.$no(id)).map(|r| (Kind::$nk, r.title(self))),)+
                    $($cc => key.parse().ok().and_then(|id| self.$co(id)).map(|r| (Kind::$ck, r.record.title(self))),)+
                    _ => None,
                }
            }
        }

        /// The collections of the network document.
        pub const NETWORK_COLLECTIONS: &[&str] = &[$($nc),+];
        /// The collections of a community document.
        pub const COMMUNITY_COLLECTIONS: &[&str] = &[$($cc),+];

        $(
            impl crate::record::Record for $nty {
                const COLLECTION: &'static str = $nc;
                fn record_key(&self) -> String {
                    self.id.to_string()
                }
            }

            impl RecordKind for $nty {
                const KIND: Kind = Kind::$nk;
                type Id = $nid;
                type Draft = $ndr;
                fn id(&self) -> $nid {
                    self.id
                }
                fn new_id(random: [u8; 16]) -> $nid {
                    <$nid>::from_random(random)
                }
                fn to_draft(&self) -> $ndr {
                    <$ndr>::from_record(self)
                }
                fn validate(d: &$ndr, id: $nid, s: Stamp, existing: Option<&Self>) -> Result<Self, Vec<FieldError>> {
                    d.validate(id, s, existing)
                }
                fn find(nb: &Notebook, id: $nid) -> Option<(&Self, DocRef)> {
                    nb.$no(id).map(|r| (r, DocRef::Network))
                }
            }
        )+
        $(
            impl crate::record::Record for $cty {
                const COLLECTION: &'static str = $cc;
                fn record_key(&self) -> String {
                    self.id.to_string()
                }
            }

            impl RecordKind for $cty {
                const KIND: Kind = Kind::$ck;
                type Id = $cid;
                type Draft = $cdr;
                fn id(&self) -> $cid {
                    self.id
                }
                fn new_id(random: [u8; 16]) -> $cid {
                    <$cid>::from_random(random)
                }
                fn to_draft(&self) -> $cdr {
                    <$cdr>::from_record(self)
                }
                fn validate(d: &$cdr, id: $cid, s: Stamp, existing: Option<&Self>) -> Result<Self, Vec<FieldError>> {
                    d.validate(id, s, existing)
                }
                fn find(nb: &Notebook, id: $cid) -> Option<(&Self, DocRef)> {
                    nb.$co(id).map(|r| (&r.record, DocRef::Community(r.community)))
                }
            }
        )+
    };
}

with_kinds!(kinds);

impl Kind {
    /// Whether the desk's review list shows changes of this kind. An export
    /// only records that a report was downloaded (its counts, heads, who and
    /// when): it changes nothing a mentor wrote, so there is nothing to
    /// review; the report page lists it instead.
    pub const fn reviewed(self) -> bool {
        !matches!(self, Kind::Export)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_and_collections_are_unique_and_round_trip() {
        for k in Kind::ALL {
            assert_eq!(Kind::from_segment(k.segment()), Some(*k));
            assert_eq!(Kind::from_collection(k.collection()), Some(*k));
        }
        assert_eq!(Kind::ALL.len(), NETWORK_COLLECTIONS.len() + COMMUNITY_COLLECTIONS.len());
        assert!(Kind::Event.is_network() && !Kind::Referral.is_network());
    }
}
