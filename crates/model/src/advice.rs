//! The records of a community's advice work: households, first
//! consultations, referrals and follow-ups. They hold personal data and live
//! in the community's document.

use autosurgeon::{Hydrate, Reconcile};

use crate::choice;
use crate::ids::{ConsultationId, ContactId, FollowUpId, HouseholdId, InstitutionId, MentorId, ReferralId};

/// A family that contacts belong to.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct Household {
    pub id: HouseholdId,
    /// How the mentor names the family, e.g. "Familie Yılmaz".
    pub name: String,
    pub district: String,
    pub notes: String,
    pub created_by: MentorId,
    pub created_at: i64,
}

choice!(
    /// What a first consultation was about.
    Topic {
        VocationalOrientation = "orientation",
        FindingTrainingPlace = "training-place",
        Applications = "applications",
        Internships = "internships",
        Recognition = "recognition",
        TrainingLicence = "training-licence",
        Funding = "funding",
    }
);

choice!(
    /// How a first consultation ended.
    Outcome {
        Informed = "informed",
        Referred = "referred",
        FollowUpAgreed = "follow-up",
        PlaceFound = "place-found",
        NoFurtherNeed = "no-need",
    }
);

/// Erstberatung: a first advice conversation with a contact or a household.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct Consultation {
    pub id: ConsultationId,
    /// ISO date, `YYYY-MM-DD`.
    pub date: String,
    pub contact: Option<ContactId>,
    pub household: Option<HouseholdId>,
    pub topics: Vec<Topic>,
    pub outcome: Outcome,
    pub notes: String,
    pub mentor: MentorId,
    pub created_at: i64,
}

choice!(
    /// Where a referral stands: open → contacted → done / no show.
    ReferralStatus {
        Open = "open",
        Contacted = "contacted",
        Done = "done",
        NoShow = "no-show",
    }
);

impl ReferralStatus {
    /// Still needs the mentor's attention.
    pub fn is_open(self) -> bool {
        matches!(self, ReferralStatus::Open | ReferralStatus::Contacted)
    }
}

/// Vermittlung: handing a contact on to the institution responsible.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct Referral {
    pub id: ReferralId,
    pub contact: ContactId,
    pub consultation: Option<ConsultationId>,
    pub institution: InstitutionId,
    pub reason: String,
    pub status: ReferralStatus,
    /// ISO date of the next check, if any.
    pub follow_up_on: Option<String>,
    pub date: String,
    pub mentor: MentorId,
    pub created_at: i64,
}

/// Wiedervorlage: a dated reminder for a mentor.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct FollowUp {
    pub id: FollowUpId,
    pub due_on: String,
    pub note: String,
    pub contact: Option<ContactId>,
    pub mentor: MentorId,
    pub done: bool,
    pub created_at: i64,
}
