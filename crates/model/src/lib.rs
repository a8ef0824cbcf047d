//! Lotse's domain model: the records of a parent-mentor network, their
//! validation, and how they sit in Automerge documents.
//!
//! This crate knows nothing of IndexedDB, Leptos, the network or the clock:
//! callers pass in ids and dates.

pub mod access;
pub mod advice;
pub mod choice;
pub mod community;
pub mod conflict;
pub mod contact;
pub mod demo;
pub mod device_status;
pub mod duplicates;
pub mod erasure;
pub mod export;
pub mod forms;
pub mod history;
pub mod ids;
pub mod import;
pub mod kind;
pub mod listing;
pub mod network;
pub mod network_doc;
pub mod notebook;
pub mod order;
pub mod progress;
pub mod record;
pub mod report;
pub mod retention;
pub mod review;
pub mod sheet;
pub mod validate;

pub use advice::{Consultation, FollowUp, Household, Outcome, Referral, ReferralStatus, Topic};
pub use community::CommunityDoc;
pub use conflict::{Concurrent, Conflict};
pub use contact::{Consent, ConsentScope, Contact, ContactDraft, TargetGroup};
pub use export::Export;
pub use history::{history, HistoryEntry};
pub use ids::*;
pub use kind::{Kind, Linked, RecordKind, Titled};
pub use network::{
    ActionField, Attendance, Chamber, Community, Company, Event, EventKind, Institution, InstitutionKind,
    LicenceStatus, Measure, Mentor, Metric, PartnerOrganisation, PlaceStatus, Role, TrainingPlace,
};
pub use network_doc::NetworkDoc;
pub use notebook::{
    DocRef, Due, Edit, Filter, InCommunity, Notebook, Page, Row, RowSet, RowsError, Today, ROWS_SCHEMA,
};
pub use progress::{progress, Progress};
pub use record::{DocError, Record};
pub use report::{Period, PeriodError, Report};
pub use validate::{Field, FieldError, Problem};
