//! What the whole network shares: communities, mentors' profiles, partner
//! organisations, institutions, events, companies, training places and the
//! action plan. No contact's name is stored here.

use autosurgeon::{Hydrate, Reconcile};

use crate::choice;
use crate::contact::TargetGroup;
use crate::ids::{
    CommunityId, CompanyId, ContactId, EventId, InstitutionId, MeasureId, MentorId, PartnerId, TrainingPlaceId,
};

/// A group of families of one origin or language.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct Community {
    pub id: CommunityId,
    pub name: String,
    /// Languages spoken, as typed ("tr, ku").
    pub languages: Vec<String>,
    pub created_at: i64,
    /// How many months after a contact's last activity its records are due
    /// for review and erasure (GDPR Art. 5(1)(e)); none: no period set.
    /// Missing in communities written before it existed.
    #[autosurgeon(missing = "Default::default")]
    pub retention_months: Option<u32>,
}

choice!(
    /// What a person does in the network.
    Role {
        Mentor = "mentor",
        Coordinator = "coordinator",
    }
);

/// A mentor's (or coordinator's) profile.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct Mentor {
    pub id: MentorId,
    pub name: String,
    pub role: Role,
    pub community: Option<CommunityId>,
    pub languages: Vec<String>,
    /// Automerge actors (hex) of this mentor's devices: history names the
    /// mentor behind each change.
    pub devices: Vec<String>,
    pub active: bool,
    /// Public keys (hex) of the invitations a coordinator made for this
    /// person: the devices page names the device that enrolled with one
    /// ("Ayşe's phone"). Only here, in the sealed network document: the
    /// relay sees the keys, never whose they are. Missing in profiles
    /// written before invitations were named.
    #[autosurgeon(missing = "Default::default")]
    pub invitations: Vec<String>,
}

/// Migrantenorganisation: a community association that co-hosts events.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct PartnerOrganisation {
    pub id: PartnerId,
    pub name: String,
    pub community: Option<CommunityId>,
    pub contact_person: String,
    pub phone: String,
    pub notes: String,
}

choice!(
    /// The kind of body a person is referred to.
    InstitutionKind {
        CareerGuidance = "career-guidance",
        Jobcenter = "jobcenter",
        Hwk = "hwk",
        Ihk = "ihk",
        YouthMigration = "youth-migration",
        AdultMigration = "adult-migration",
        School = "school",
        Other = "other",
    }
);

/// A body responsible for the next step (Regelinstitution).
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct Institution {
    pub id: InstitutionId,
    pub name: String,
    pub kind: InstitutionKind,
    pub address: String,
    pub phone: String,
    pub notes: String,
}

choice!(
    /// What kind of event.
    EventKind {
        SchoolInfoSession = "school-info",
        OpenDay = "open-day",
        CompanyVisit = "company-visit",
        ParentEvening = "parent-evening",
        NetworkMeeting = "network-meeting",
        MentorTraining = "mentor-training",
    }
);

impl EventKind {
    /// A school information session names its school.
    pub fn has_school(self) -> bool {
        self == EventKind::SchoolInfoSession
    }

    /// An open day or a company visit names its company.
    pub fn has_company(self) -> bool {
        matches!(self, EventKind::OpenDay | EventKind::CompanyVisit)
    }
}

/// Head counts per target group. Counters, so two mentors tallying the same
/// evening on two phones add up instead of overwriting each other.
#[derive(Debug, Clone, Default, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct Attendance {
    pub parent: Tally,
    pub youth: Tally,
    pub self_employed: Tally,
}

/// One head count, as an Automerge counter. It remembers what it was read
/// as and the taps since, so a save adds the taps instead of overwriting a
/// count another phone raised meanwhile, also after the record travelled as
/// bytes (the read model, the message from the page to the engine).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Tally {
    /// Not in a document yet: written as this value.
    Fresh(i64),
    /// Read from a document as `read`; `taps` are added on save.
    Read { read: i64, taps: i64 },
}

impl Default for Tally {
    fn default() -> Self {
        Tally::Fresh(0)
    }
}

impl Tally {
    pub fn value(self) -> i64 {
        match self {
            Tally::Fresh(v) => v,
            Tally::Read { read, taps } => read + taps,
        }
    }

    pub fn increment(&mut self, by: i64) {
        match self {
            Tally::Fresh(v) => *v += by,
            Tally::Read { taps, .. } => *taps += by,
        }
    }
}

impl Reconcile for Tally {
    type Key<'a> = autosurgeon::reconcile::NoKey;

    fn reconcile<R: autosurgeon::Reconciler>(&self, mut reconciler: R) -> Result<(), R::Error> {
        use autosurgeon::reconcile::CounterReconciler;
        let mut c = reconciler.counter()?;
        match *self {
            Tally::Fresh(v) => c.set(v),
            Tally::Read { taps, .. } => c.increment(taps),
        }
    }
}

impl Hydrate for Tally {
    fn hydrate_counter(c: i64) -> Result<Self, autosurgeon::HydrateError> {
        Ok(Tally::Read { read: c, taps: 0 })
    }
}

impl Attendance {
    pub fn count(&self, group: TargetGroup) -> i64 {
        self.tally(group).value()
    }

    pub fn total(&self) -> i64 {
        TargetGroup::ALL.iter().map(|g| self.count(*g)).sum()
    }

    /// Adds `by` (negative to correct a mis-tap) to one group.
    pub fn add(&mut self, group: TargetGroup, by: i64) {
        match group {
            TargetGroup::Parent => self.parent.increment(by),
            TargetGroup::Youth => self.youth.increment(by),
            TargetGroup::SelfEmployed => self.self_employed.increment(by),
        }
    }

    fn tally(&self, group: TargetGroup) -> Tally {
        match group {
            TargetGroup::Parent => self.parent,
            TargetGroup::Youth => self.youth,
            TargetGroup::SelfEmployed => self.self_employed,
        }
    }

    pub fn counts(&self) -> [i64; 3] {
        [self.count(TargetGroup::Parent), self.count(TargetGroup::Youth), self.count(TargetGroup::SelfEmployed)]
    }
}

impl PartialEq for Attendance {
    fn eq(&self, other: &Self) -> bool {
        self.counts() == other.counts()
    }
}

/// An info session, open day, company visit, parent evening, network
/// meeting or mentor training, with its head counts.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct Event {
    pub id: EventId,
    pub kind: EventKind,
    pub title: String,
    pub date: String,
    /// When it starts ("18:30"), or empty. Missing in events written
    /// before events had a time.
    #[autosurgeon(missing = "Default::default")]
    pub time: String,
    /// Where it is, as typed ("Gemeindehaus, Lotter Str. 5"), or empty.
    #[autosurgeon(missing = "Default::default")]
    pub place: String,
    pub community: Option<CommunityId>,
    pub partner: Option<PartnerId>,
    /// The school of a school info session.
    pub school: String,
    /// The company of an open day or a company visit.
    pub company: Option<CompanyId>,
    pub attendance: Attendance,
    pub notes: String,
    pub created_by: MentorId,
    pub created_at: i64,
}

choice!(
    /// The chamber a company belongs to.
    Chamber {
        Hwk = "hwk",
        Ihk = "ihk",
    }
);

choice!(
    /// Training licence (Ausbildereignung, AEVO).
    LicenceStatus {
        None = "none",
        InPreparation = "in-preparation",
        Has = "has",
    }
);

/// A migrant-owned business in the training network.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct Company {
    pub id: CompanyId,
    pub name: String,
    pub trade: String,
    pub chamber: Chamber,
    pub licence: LicenceStatus,
    pub contact_person: String,
    pub phone: String,
    pub community: Option<CommunityId>,
    /// ISO date the company joined the network.
    pub member_since: String,
    pub notes: String,
    pub created_by: MentorId,
    pub created_at: i64,
}

choice!(
    /// Where an apprenticeship place stands: acquired → offered → filled.
    PlaceStatus {
        Acquired = "acquired",
        Offered = "offered",
        Filled = "filled",
    }
);

/// An apprenticeship place (Ausbildungsplatz) at a company.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct TrainingPlace {
    pub id: TrainingPlaceId,
    pub company: CompanyId,
    /// Ausbildungsberuf, e.g. "Bäcker/in".
    pub occupation: String,
    pub start_on: String,
    pub status: PlaceStatus,
    /// The young contact who got the place (an id only: names stay in the
    /// community's document).
    pub filled_by: Option<ContactId>,
    /// ISO date the place was acquired.
    pub acquired_on: String,
    pub created_at: i64,
}

choice!(
    /// The three fields of the city's action plan.
    ActionField {
        SchoolToWork = "school-to-work",
        SelfEmployed = "self-employed",
        Network = "network",
    }
);

choice!(
    /// What a measure counts, computed from the records.
    Metric {
        Events = "events",
        Attendance = "attendance",
        Consultations = "consultations",
        Referrals = "referrals",
        CompaniesJoined = "companies-joined",
        CompaniesLicensed = "companies-licensed",
        PlacesAcquired = "places-acquired",
        PlacesFilled = "places-filled",
    }
);

/// A measure of the action plan: a target figure for a year, and what counts
/// towards it.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct Measure {
    pub id: MeasureId,
    pub field: ActionField,
    pub title: String,
    pub owner: String,
    pub target: u32,
    pub year: i32,
    pub metric: Metric,
    /// For `Metric::Events` and `Metric::Attendance`: only this kind counts.
    pub event_kind: Option<EventKind>,
}
