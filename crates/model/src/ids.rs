//! Newtyped identifiers: a bare `String` never means an id.

use std::fmt;
use std::str::FromStr;

use autosurgeon::{Hydrate, HydrateError, Reconcile, Reconciler};
use uuid::Uuid;

/// An id string that is not a UUID.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} id {input:?} is not a UUID")]
pub struct IdParseError {
    pub kind: &'static str,
    pub input: String,
}

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident, $kind:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub struct $name(pub Uuid);

        impl $name {
            /// Wraps randomness supplied by the caller (the model has no RNG).
            pub fn from_random(bytes: [u8; 16]) -> Self {
                Self(uuid::Builder::from_random_bytes(bytes).into_uuid())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = IdParseError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self).map_err(|_| IdParseError {
                    kind: $kind,
                    input: s.to_owned(),
                })
            }
        }

        impl Reconcile for $name {
            type Key<'a> = autosurgeon::reconcile::NoKey;
            fn reconcile<R: Reconciler>(&self, reconciler: R) -> Result<(), R::Error> {
                self.to_string().reconcile(reconciler)
            }
        }

        impl Hydrate for $name {
            fn hydrate_string(s: &'_ str) -> Result<Self, HydrateError> {
                s.parse().map_err(|e: IdParseError| HydrateError::unexpected("a UUID", e.to_string()))
            }
        }
    };
}

uuid_id!(
    /// A person: parent, young person or business owner.
    ContactId, "contact");
uuid_id!(
    /// A family that contacts belong to.
    HouseholdId, "household");
uuid_id!(
    /// A group of families of one origin or language.
    CommunityId, "community");
uuid_id!(
    /// A parent mentor (or coordinator) using a device.
    MentorId, "mentor");

uuid_id!(
    /// A first advice conversation.
    ConsultationId, "consultation");
uuid_id!(
    /// A hand-over to an institution.
    ReferralId, "referral");
uuid_id!(
    /// A body a person is referred to (Agentur für Arbeit, Jobcenter, chambers, …).
    InstitutionId, "institution");
uuid_id!(
    /// A dated reminder for a mentor.
    FollowUpId, "follow-up");
uuid_id!(
    /// An info session, open day, company visit, parent evening, …
    EventId, "event");
uuid_id!(
    /// A migrant-owned business in the training network.
    CompanyId, "company");
uuid_id!(
    /// An apprenticeship place at a company.
    TrainingPlaceId, "training place");
uuid_id!(
    /// A community association that co-hosts events.
    PartnerId, "partner organisation");
uuid_id!(
    /// A measure of the action plan.
    MeasureId, "measure");
uuid_id!(
    /// A report as a coordinator exported it, pinned to its data.
    ExportId, "export");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_round_trips_through_its_text_form() {
        let id = ContactId::from_random([7; 16]);
        let back: ContactId = id.to_string().parse().unwrap();
        assert_eq!(id, back);
    }

    #[test]
    fn a_malformed_id_says_which_kind_it_was() {
        let err = "not-a-uuid".parse::<HouseholdId>().unwrap_err();
        assert_eq!(err.kind, "household");
        assert!(err.to_string().contains("not-a-uuid"));
    }
}
