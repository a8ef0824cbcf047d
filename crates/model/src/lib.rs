//! Lotse's domain model: the records of a parent-mentor network, their
//! validation, and how they sit in Automerge documents.
//!
//! This crate knows nothing of IndexedDB, Leptos, the network or the clock:
//! callers pass in ids and dates.

pub mod community;
pub mod contact;
pub mod ids;
pub mod validate;

pub use community::{CommunityDoc, DocError};
pub use contact::{Consent, ConsentScope, Contact, ContactDraft, TargetGroup};
pub use ids::{CommunityId, ContactId, HouseholdId, IdParseError, MentorId};
pub use validate::{Field, FieldError, Problem};
