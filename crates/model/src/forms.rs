//! What each form holds before it is a valid record: every field as typed
//! (so a draft can be kept when the app closes mid-form), and the check that
//! turns it into the record or says, per field, what to fix.
//!
//! Ids, the mentor and the time come from the caller: the model has no RNG
//! and no clock.

use std::str::FromStr;

use crate::advice::{Consultation, FollowUp, Household, Outcome, Referral, ReferralStatus, Topic};
use crate::contact::TargetGroup;
use crate::ids::*;
use crate::network::{
    ActionField, Attendance, Chamber, Community, Company, Event, EventKind, Institution, InstitutionKind,
    LicenceStatus, Measure, Mentor, Metric, PartnerOrganisation, PlaceStatus, Role, TrainingPlace,
};
use crate::validate::{is_valid_date, is_valid_phone, is_valid_time, Field, FieldError, Problem, MAX_NAME, MAX_NOTES};

/// Who saves, when, and under which id.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
pub struct Stamp {
    pub me: MentorId,
    pub now_ms: i64,
}

/// Collects the problems of one form.
#[derive(Default)]
struct Check(Vec<FieldError>);

impl Check {
    fn err(&mut self, field: Field, problem: Problem) {
        self.0.push(FieldError { field, problem });
    }

    fn text(&mut self, field: Field, s: &str, required: bool, max: usize) -> String {
        let t = s.trim();
        if required && t.is_empty() {
            self.err(field, Problem::Required);
        } else if t.chars().count() > max {
            self.err(field, Problem::TooLong);
        }
        t.to_owned()
    }

    fn date(&mut self, field: Field, s: &str, required: bool) -> Option<String> {
        let t = s.trim();
        if t.is_empty() {
            if required {
                self.err(field, Problem::Required);
            }
            None
        } else if is_valid_date(t) {
            Some(t.to_owned())
        } else {
            self.err(field, Problem::BadDate);
            None
        }
    }

    /// A time of day, "HH:MM" (24 hours), or empty.
    fn time(&mut self, field: Field, s: &str) -> String {
        let t = s.trim();
        if t.is_empty() || is_valid_time(t) {
            t.to_owned()
        } else {
            self.err(field, Problem::BadTime);
            String::new()
        }
    }

    fn choice<T>(&mut self, field: Field, code: &str, parse: fn(&str) -> Option<T>) -> Option<T> {
        let c = code.trim();
        let v = parse(c);
        if v.is_none() {
            self.err(field, if c.is_empty() { Problem::Required } else { Problem::UnknownChoice });
        }
        v
    }

    fn id<T: FromStr>(&mut self, field: Field, s: &str, required: bool) -> Option<T> {
        let t = s.trim();
        if t.is_empty() {
            if required {
                self.err(field, Problem::Required);
            }
            return None;
        }
        let v = t.parse().ok();
        if v.is_none() {
            self.err(field, Problem::NotAnId);
        }
        v
    }

    fn phone(&mut self, field: Field, s: &str) -> String {
        let t = s.trim();
        if !t.is_empty() && !is_valid_phone(t) {
            self.err(field, Problem::BadPhone);
        }
        t.to_owned()
    }

    fn notes(&mut self, s: &str) -> String {
        self.text(Field::Notes, s, false, MAX_NOTES)
    }

    fn done<T>(self, build: impl FnOnce() -> T) -> Result<T, Vec<FieldError>> {
        if self.0.is_empty() {
            Ok(build())
        } else {
            Err(self.0)
        }
    }
}

fn list(s: &str) -> Vec<String> {
    s.split(',').map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect()
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HouseholdDraft {
    pub name: String,
    pub district: String,
    pub notes: String,
}

impl HouseholdDraft {
    pub fn from_record(h: &Household) -> Self {
        Self { name: h.name.clone(), district: h.district.clone(), notes: h.notes.clone() }
    }

    pub fn validate(
        &self,
        id: HouseholdId,
        s: Stamp,
        existing: Option<&Household>,
    ) -> Result<Household, Vec<FieldError>> {
        let mut c = Check::default();
        let name = c.text(Field::Name, &self.name, true, MAX_NAME);
        let district = c.text(Field::District, &self.district, false, MAX_NAME);
        let notes = c.notes(&self.notes);
        c.done(|| Household {
            id,
            name,
            district,
            notes,
            created_by: existing.map_or(s.me, |e| e.created_by),
            created_at: existing.map_or(s.now_ms, |e| e.created_at),
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ConsultationDraft {
    pub date: String,
    pub contact: String,
    pub household: String,
    /// Topic codes ticked.
    pub topics: Vec<String>,
    pub outcome: String,
    pub notes: String,
}

impl ConsultationDraft {
    pub fn from_record(r: &Consultation) -> Self {
        Self {
            date: r.date.clone(),
            contact: r.contact.map(|c| c.to_string()).unwrap_or_default(),
            household: r.household.map(|h| h.to_string()).unwrap_or_default(),
            topics: r.topics.iter().map(|t| t.code().to_owned()).collect(),
            outcome: r.outcome.code().to_owned(),
            notes: r.notes.clone(),
        }
    }

    pub fn validate(
        &self,
        id: ConsultationId,
        s: Stamp,
        existing: Option<&Consultation>,
    ) -> Result<Consultation, Vec<FieldError>> {
        let mut c = Check::default();
        let date = c.date(Field::Date, &self.date, true);
        let contact: Option<ContactId> = c.id(Field::Subject, &self.contact, false);
        let household: Option<HouseholdId> = c.id(Field::Subject, &self.household, false);
        if self.contact.trim().is_empty() && self.household.trim().is_empty() {
            c.err(Field::Subject, Problem::Required);
        }
        let mut topics = Vec::new();
        for code in &self.topics {
            match Topic::from_code(code) {
                Some(t) if !topics.contains(&t) => topics.push(t),
                Some(_) => {}
                None => c.err(Field::Topics, Problem::UnknownChoice),
            }
        }
        if self.topics.is_empty() {
            c.err(Field::Topics, Problem::Required);
        }
        crate::order::sort(&mut topics);
        let outcome = c.choice(Field::Outcome, &self.outcome, Outcome::from_code);
        let notes = c.notes(&self.notes);
        c.done(|| Consultation {
            id,
            date: date.expect("checked"),
            contact,
            household,
            topics,
            outcome: outcome.expect("checked"),
            notes,
            mentor: existing.map_or(s.me, |e| e.mentor),
            created_at: existing.map_or(s.now_ms, |e| e.created_at),
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ReferralDraft {
    pub contact: String,
    pub consultation: String,
    pub institution: String,
    pub reason: String,
    pub status: String,
    pub follow_up_on: String,
    pub date: String,
}

impl ReferralDraft {
    pub fn from_record(r: &Referral) -> Self {
        Self {
            contact: r.contact.to_string(),
            consultation: r.consultation.map(|c| c.to_string()).unwrap_or_default(),
            institution: r.institution.to_string(),
            reason: r.reason.clone(),
            status: r.status.code().to_owned(),
            follow_up_on: r.follow_up_on.clone().unwrap_or_default(),
            date: r.date.clone(),
        }
    }

    pub fn validate(&self, id: ReferralId, s: Stamp, existing: Option<&Referral>) -> Result<Referral, Vec<FieldError>> {
        let mut c = Check::default();
        let contact: Option<ContactId> = c.id(Field::Contact, &self.contact, true);
        let consultation = c.id(Field::Subject, &self.consultation, false);
        let institution: Option<InstitutionId> = c.id(Field::Institution, &self.institution, true);
        let reason = c.text(Field::Reason, &self.reason, true, MAX_NOTES);
        let status = c.choice(Field::Status, &self.status, ReferralStatus::from_code);
        let follow_up_on = c.date(Field::FollowUpDate, &self.follow_up_on, false);
        let date = c.date(Field::Date, &self.date, true);
        if let (Some(f), Some(d)) = (&follow_up_on, &date) {
            if f < d {
                c.err(Field::FollowUpDate, Problem::OutOfRange);
            }
        }
        c.done(|| Referral {
            id,
            contact: contact.expect("checked"),
            consultation,
            institution: institution.expect("checked"),
            reason,
            status: status.expect("checked"),
            follow_up_on,
            date: date.expect("checked"),
            mentor: existing.map_or(s.me, |e| e.mentor),
            created_at: existing.map_or(s.now_ms, |e| e.created_at),
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FollowUpDraft {
    pub due_on: String,
    pub note: String,
    pub contact: String,
    pub done: bool,
}

impl FollowUpDraft {
    pub fn from_record(r: &FollowUp) -> Self {
        Self {
            due_on: r.due_on.clone(),
            note: r.note.clone(),
            contact: r.contact.map(|c| c.to_string()).unwrap_or_default(),
            done: r.done,
        }
    }

    pub fn validate(&self, id: FollowUpId, s: Stamp, existing: Option<&FollowUp>) -> Result<FollowUp, Vec<FieldError>> {
        let mut c = Check::default();
        let due_on = c.date(Field::DueDate, &self.due_on, true);
        let note = c.text(Field::Notes, &self.note, true, MAX_NOTES);
        let contact = c.id(Field::Contact, &self.contact, false);
        c.done(|| FollowUp {
            id,
            due_on: due_on.expect("checked"),
            note,
            contact,
            mentor: existing.map_or(s.me, |e| e.mentor),
            done: self.done,
            created_at: existing.map_or(s.now_ms, |e| e.created_at),
        })
    }
}

/// An event's form. The head counts are *taps since the form opened*
/// (`added`), applied to the stored counters on save: two mentors tallying
/// the same evening add up.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EventDraft {
    pub kind: String,
    pub title: String,
    pub date: String,
    pub time: String,
    pub place: String,
    pub community: String,
    pub partner: String,
    pub school: String,
    pub company: String,
    pub notes: String,
    /// Parents, young people, business owners: taps since the form opened.
    pub added: [i64; 3],
}

impl EventDraft {
    pub fn from_record(r: &Event) -> Self {
        Self {
            kind: r.kind.code().to_owned(),
            title: r.title.clone(),
            date: r.date.clone(),
            time: r.time.clone(),
            place: r.place.clone(),
            community: r.community.map(|c| c.to_string()).unwrap_or_default(),
            partner: r.partner.map(|c| c.to_string()).unwrap_or_default(),
            school: r.school.clone(),
            company: r.company.map(|c| c.to_string()).unwrap_or_default(),
            notes: r.notes.clone(),
            added: [0; 3],
        }
    }

    /// What the tally shows for `group`: stored plus taps.
    pub fn shown(&self, existing: Option<&Event>, group: TargetGroup) -> i64 {
        let i = TargetGroup::ALL.iter().position(|g| *g == group).expect("one of three");
        existing.map_or(0, |e| e.attendance.count(group)) + self.added[i]
    }

    pub fn validate(&self, id: EventId, s: Stamp, existing: Option<&Event>) -> Result<Event, Vec<FieldError>> {
        let mut c = Check::default();
        let kind = c.choice(Field::Kind, &self.kind, EventKind::from_code);
        let title = c.text(Field::Title, &self.title, false, MAX_NAME);
        let date = c.date(Field::Date, &self.date, true);
        let time = c.time(Field::Time, &self.time);
        let place = c.text(Field::Place, &self.place, false, MAX_NAME);
        let community = c.id(Field::Community, &self.community, false);
        let partner = c.id(Field::Partner, &self.partner, false);
        // What the kind does not show is not saved (nor checked).
        let school = match kind {
            Some(k) if k.has_school() => c.text(Field::School, &self.school, false, MAX_NAME),
            _ => String::new(),
        };
        let company = match kind {
            Some(k) if k.has_company() => c.id(Field::Company, &self.company, false),
            _ => None,
        };
        let notes = c.notes(&self.notes);
        if TargetGroup::ALL.iter().any(|g| self.shown(existing, *g) < 0) {
            c.err(Field::Tally, Problem::OutOfRange);
        }
        c.done(|| {
            let mut attendance = existing.map_or_else(Attendance::default, |e| e.attendance.clone());
            for (g, by) in TargetGroup::ALL.iter().zip(self.added) {
                if by != 0 {
                    attendance.add(*g, by);
                }
            }
            Event {
                id,
                kind: kind.expect("checked"),
                title,
                date: date.expect("checked"),
                time,
                place,
                community,
                partner,
                school,
                company,
                attendance,
                notes,
                created_by: existing.map_or(s.me, |e| e.created_by),
                created_at: existing.map_or(s.now_ms, |e| e.created_at),
            }
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CompanyDraft {
    pub name: String,
    pub trade: String,
    pub chamber: String,
    pub licence: String,
    pub contact_person: String,
    pub phone: String,
    pub community: String,
    pub member_since: String,
    pub notes: String,
}

impl CompanyDraft {
    pub fn from_record(r: &Company) -> Self {
        Self {
            name: r.name.clone(),
            trade: r.trade.clone(),
            chamber: r.chamber.code().to_owned(),
            licence: r.licence.code().to_owned(),
            contact_person: r.contact_person.clone(),
            phone: r.phone.clone(),
            community: r.community.map(|c| c.to_string()).unwrap_or_default(),
            member_since: r.member_since.clone(),
            notes: r.notes.clone(),
        }
    }

    pub fn validate(&self, id: CompanyId, s: Stamp, existing: Option<&Company>) -> Result<Company, Vec<FieldError>> {
        let mut c = Check::default();
        let name = c.text(Field::Name, &self.name, true, MAX_NAME);
        let trade = c.text(Field::Trade, &self.trade, true, MAX_NAME);
        let chamber = c.choice(Field::Chamber, &self.chamber, Chamber::from_code);
        let licence = c.choice(Field::Licence, &self.licence, LicenceStatus::from_code);
        let contact_person = c.text(Field::ContactPerson, &self.contact_person, false, MAX_NAME);
        let phone = c.phone(Field::Phone, &self.phone);
        let community = c.id(Field::Community, &self.community, false);
        let member_since = c.date(Field::MemberSince, &self.member_since, true);
        let notes = c.notes(&self.notes);
        c.done(|| Company {
            id,
            name,
            trade,
            chamber: chamber.expect("checked"),
            licence: licence.expect("checked"),
            contact_person,
            phone,
            community,
            member_since: member_since.expect("checked"),
            notes,
            created_by: existing.map_or(s.me, |e| e.created_by),
            created_at: existing.map_or(s.now_ms, |e| e.created_at),
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TrainingPlaceDraft {
    pub company: String,
    pub occupation: String,
    pub start_on: String,
    pub status: String,
    pub filled_by: String,
    pub acquired_on: String,
}

impl TrainingPlaceDraft {
    pub fn from_record(r: &TrainingPlace) -> Self {
        Self {
            company: r.company.to_string(),
            occupation: r.occupation.clone(),
            start_on: r.start_on.clone(),
            status: r.status.code().to_owned(),
            filled_by: r.filled_by.map(|c| c.to_string()).unwrap_or_default(),
            acquired_on: r.acquired_on.clone(),
        }
    }

    pub fn validate(
        &self,
        id: TrainingPlaceId,
        s: Stamp,
        existing: Option<&TrainingPlace>,
    ) -> Result<TrainingPlace, Vec<FieldError>> {
        let mut c = Check::default();
        let company = c.id(Field::Company, &self.company, true);
        let occupation = c.text(Field::Occupation, &self.occupation, true, MAX_NAME);
        let start_on = c.date(Field::StartDate, &self.start_on, true);
        let status = c.choice(Field::Status, &self.status, PlaceStatus::from_code);
        let filled_by = c.id(Field::FilledBy, &self.filled_by, status == Some(PlaceStatus::Filled));
        let acquired_on = c.date(Field::AcquiredOn, &self.acquired_on, true);
        c.done(|| TrainingPlace {
            id,
            company: company.expect("checked"),
            occupation,
            start_on: start_on.expect("checked"),
            status: status.expect("checked"),
            // Only a filled place names who filled it.
            filled_by: filled_by.filter(|_| status == Some(PlaceStatus::Filled)),
            acquired_on: acquired_on.expect("checked"),
            created_at: existing.map_or(s.now_ms, |e| e.created_at),
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct InstitutionDraft {
    pub name: String,
    pub kind: String,
    pub address: String,
    pub phone: String,
    pub notes: String,
}

impl InstitutionDraft {
    pub fn from_record(r: &Institution) -> Self {
        Self {
            name: r.name.clone(),
            kind: r.kind.code().to_owned(),
            address: r.address.clone(),
            phone: r.phone.clone(),
            notes: r.notes.clone(),
        }
    }

    pub fn validate(
        &self,
        id: InstitutionId,
        _: Stamp,
        _: Option<&Institution>,
    ) -> Result<Institution, Vec<FieldError>> {
        let mut c = Check::default();
        let name = c.text(Field::Name, &self.name, true, MAX_NAME);
        let kind = c.choice(Field::Kind, &self.kind, InstitutionKind::from_code);
        let address = c.text(Field::Address, &self.address, false, MAX_NAME);
        let phone = c.phone(Field::Phone, &self.phone);
        let notes = c.notes(&self.notes);
        c.done(|| Institution { id, name, kind: kind.expect("checked"), address, phone, notes })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PartnerDraft {
    pub name: String,
    pub community: String,
    pub contact_person: String,
    pub phone: String,
    pub notes: String,
}

impl PartnerDraft {
    pub fn from_record(r: &PartnerOrganisation) -> Self {
        Self {
            name: r.name.clone(),
            community: r.community.map(|c| c.to_string()).unwrap_or_default(),
            contact_person: r.contact_person.clone(),
            phone: r.phone.clone(),
            notes: r.notes.clone(),
        }
    }

    pub fn validate(
        &self,
        id: PartnerId,
        _: Stamp,
        _: Option<&PartnerOrganisation>,
    ) -> Result<PartnerOrganisation, Vec<FieldError>> {
        let mut c = Check::default();
        let name = c.text(Field::Name, &self.name, true, MAX_NAME);
        let community = c.id(Field::Community, &self.community, false);
        let contact_person = c.text(Field::ContactPerson, &self.contact_person, false, MAX_NAME);
        let phone = c.phone(Field::Phone, &self.phone);
        let notes = c.notes(&self.notes);
        c.done(|| PartnerOrganisation { id, name, community, contact_person, phone, notes })
    }
}

/// A whole number in `range`, as typed into field `f`.
fn number(c: &mut Check, f: Field, s: &str, range: std::ops::RangeInclusive<i64>) -> Option<i64> {
    let t = s.trim();
    match t.parse::<i64>() {
        _ if t.is_empty() => {
            c.err(f, Problem::Required);
            None
        }
        Ok(n) if range.contains(&n) => Some(n),
        Ok(_) => {
            c.err(f, Problem::OutOfRange);
            None
        }
        Err(_) => {
            c.err(f, Problem::NotANumber);
            None
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CommunityDraft {
    pub name: String,
    /// Comma-separated, as typed.
    pub languages: String,
    /// Months, as typed; empty: kept with no period. A draft saved before
    /// the field existed reads as empty.
    #[serde(default)]
    pub retention_months: String,
}

impl CommunityDraft {
    pub fn from_record(r: &Community) -> Self {
        Self {
            name: r.name.clone(),
            languages: r.languages.join(", "),
            retention_months: r.retention_months.map(|m| m.to_string()).unwrap_or_default(),
        }
    }

    pub fn validate(
        &self,
        id: CommunityId,
        s: Stamp,
        existing: Option<&Community>,
    ) -> Result<Community, Vec<FieldError>> {
        let mut c = Check::default();
        let name = c.text(Field::Name, &self.name, true, MAX_NAME);
        // Up to twenty years: anything longer is no period at all.
        let retention_months = match self.retention_months.trim() {
            "" => None,
            typed => number(&mut c, Field::Retention, typed, 1..=240).map(|m| m as u32),
        };
        c.done(|| Community {
            id,
            name,
            languages: list(&self.languages),
            created_at: existing.map_or(s.now_ms, |e| e.created_at),
            retention_months,
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MentorDraft {
    pub name: String,
    pub role: String,
    pub community: String,
    pub languages: String,
    pub active: bool,
}

impl MentorDraft {
    pub fn from_record(r: &Mentor) -> Self {
        Self {
            name: r.name.clone(),
            role: r.role.code().to_owned(),
            community: r.community.map(|c| c.to_string()).unwrap_or_default(),
            languages: r.languages.join(", "),
            active: r.active,
        }
    }

    /// A mentor's devices are kept: only the device itself adds its actor.
    pub fn validate(&self, id: MentorId, _: Stamp, existing: Option<&Mentor>) -> Result<Mentor, Vec<FieldError>> {
        let mut c = Check::default();
        let name = c.text(Field::Name, &self.name, true, MAX_NAME);
        let role = c.choice(Field::Role, &self.role, Role::from_code);
        let community = c.id(Field::Community, &self.community, role == Some(Role::Mentor));
        c.done(|| Mentor {
            id,
            name,
            role: role.expect("checked"),
            community,
            languages: list(&self.languages),
            devices: existing.map(|e| e.devices.clone()).unwrap_or_default(),
            invitations: existing.map(|e| e.invitations.clone()).unwrap_or_default(),
            active: self.active,
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MeasureDraft {
    pub field: String,
    pub title: String,
    pub owner: String,
    pub target: String,
    pub year: String,
    pub metric: String,
    pub event_kind: String,
}

impl MeasureDraft {
    pub fn from_record(r: &Measure) -> Self {
        Self {
            field: r.field.code().to_owned(),
            title: r.title.clone(),
            owner: r.owner.clone(),
            target: r.target.to_string(),
            year: r.year.to_string(),
            metric: r.metric.code().to_owned(),
            event_kind: r.event_kind.map(|k| k.code().to_owned()).unwrap_or_default(),
        }
    }

    pub fn validate(&self, id: MeasureId, _: Stamp, _: Option<&Measure>) -> Result<Measure, Vec<FieldError>> {
        let mut c = Check::default();
        let field = c.choice(Field::ActionField, &self.field, ActionField::from_code);
        let title = c.text(Field::Title, &self.title, true, MAX_NAME);
        let owner = c.text(Field::Owner, &self.owner, true, MAX_NAME);
        let target = number(&mut c, Field::Target, &self.target, 1..=100_000);
        let year = number(&mut c, Field::Year, &self.year, 2000..=2100);
        let metric = c.choice(Field::Metric, &self.metric, Metric::from_code);
        let event_kind = match self.event_kind.trim() {
            "" => None,
            k => {
                let v = EventKind::from_code(k);
                if v.is_none() {
                    c.err(Field::EventKind, Problem::UnknownChoice);
                }
                v
            }
        };
        c.done(|| Measure {
            id,
            field: field.expect("checked"),
            title,
            owner,
            target: target.expect("checked") as u32,
            year: year.expect("checked") as i32,
            metric: metric.expect("checked"),
            event_kind: event_kind.filter(|_| matches!(metric, Some(Metric::Events | Metric::Attendance))),
        })
    }
}
