//! `Contact` and its `Consent`: the first record type.

use autosurgeon::{Hydrate, Reconcile};

use crate::ids::{ContactId, HouseholdId, MentorId};
use crate::validate::{self, FieldError};

/// The three groups the service centre serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub enum TargetGroup {
    Parent,
    Youth,
    SelfEmployed,
}

impl TargetGroup {
    pub const ALL: [TargetGroup; 3] = [TargetGroup::Parent, TargetGroup::Youth, TargetGroup::SelfEmployed];

    /// Stable name used in forms and i18n keys.
    pub fn code(self) -> &'static str {
        match self {
            TargetGroup::Parent => "parent",
            TargetGroup::Youth => "youth",
            TargetGroup::SelfEmployed => "self-employed",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.code() == code)
    }
}

/// What the person agreed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub enum ConsentScope {
    /// Store contact details to advise them.
    Advice,
    /// Also pass them on to an institution when referring.
    AdviceAndReferral,
}

impl ConsentScope {
    pub const ALL: [ConsentScope; 2] = [ConsentScope::Advice, ConsentScope::AdviceAndReferral];

    pub fn code(self) -> &'static str {
        match self {
            ConsentScope::Advice => "advice",
            ConsentScope::AdviceAndReferral => "advice-referral",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// The person's recorded consent to store their data (GDPR Art. 6/9).
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct Consent {
    /// ISO date, `YYYY-MM-DD`.
    pub given_on: String,
    pub scope: ConsentScope,
    pub recorded_by: MentorId,
}

/// A person the mentor advises.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct Contact {
    pub id: ContactId,
    pub target_group: TargetGroup,
    pub name: String,
    pub phone: String,
    pub languages: Vec<String>,
    pub district: String,
    pub household: Option<HouseholdId>,
    pub notes: String,
    pub consent: Consent,
    pub created_by: MentorId,
    /// Milliseconds since the Unix epoch, set by the caller.
    pub created_at: i64,
    /// The contact this one was merged into, as a duplicate of the same
    /// person: it is no longer listed or counted, and what still names it
    /// (written on a phone that had not yet heard of the merge) counts for
    /// the kept one. Missing in contacts written before merging existed.
    #[autosurgeon(missing = "Default::default")]
    pub merged_into: Option<ContactId>,
    /// Contacts that look like this one but are someone else, as a person
    /// said: such a pair is not suggested again.
    #[autosurgeon(missing = "Default::default")]
    pub not_the_same: Vec<ContactId>,
}

impl Contact {
    /// Case-insensitive match on name, phone, district and languages.
    pub fn matches(&self, query: &str) -> bool {
        let q = query.trim().to_lowercase();
        if q.is_empty() {
            return true;
        }
        self.name.to_lowercase().contains(&q)
            || self.phone.replace(' ', "").contains(&q.replace(' ', ""))
            || self.district.to_lowercase().contains(&q)
            || self.languages.iter().any(|l| l.to_lowercase().contains(&q))
    }
}

/// What a form holds before it is a valid `Contact`: every field as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ContactDraft {
    pub target_group: String,
    pub name: String,
    pub phone: String,
    /// Comma-separated, as typed.
    pub languages: String,
    pub district: String,
    pub household: String,
    pub notes: String,
    pub consent_given: bool,
    pub consent_date: String,
    pub consent_scope: String,
}

impl ContactDraft {
    /// The draft of an existing contact, for editing.
    pub fn from_record(c: &Contact) -> Self {
        Self {
            target_group: c.target_group.code().to_owned(),
            name: c.name.clone(),
            phone: c.phone.clone(),
            languages: c.languages.join(", "),
            district: c.district.clone(),
            household: c.household.map(|h| h.to_string()).unwrap_or_default(),
            notes: c.notes.clone(),
            consent_given: true,
            consent_date: c.consent.given_on.clone(),
            consent_scope: c.consent.scope.code().to_owned(),
        }
    }

    /// Checks every field and builds the contact, or says what to fix.
    /// `recorded_by` and `created_at` are kept from `existing` when editing.
    pub fn validate(
        &self,
        id: ContactId,
        s: crate::forms::Stamp,
        existing: Option<&Contact>,
    ) -> Result<Contact, Vec<FieldError>> {
        validate::contact(self, id, s.me, s.now_ms, existing)
    }
}
