//! Validation: every rule says which field is wrong and what to fix.

use crate::contact::{Consent, ConsentScope, Contact, ContactDraft, TargetGroup};
use crate::ids::{ContactId, HouseholdId, MentorId};

/// A form field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    TargetGroup,
    Name,
    Phone,
    Household,
    Consent,
    ConsentDate,
    ConsentScope,
    Notes,
    Date,
    /// The contact or household a consultation is with.
    Subject,
    Contact,
    Topics,
    Outcome,
    Institution,
    Reason,
    Status,
    FollowUpDate,
    DueDate,
    Kind,
    Title,
    Community,
    Partner,
    Company,
    Tally,
    Trade,
    Chamber,
    Licence,
    MemberSince,
    Occupation,
    StartDate,
    FilledBy,
    AcquiredOn,
    Target,
    Year,
    Metric,
    EventKind,
    ActionField,
    Owner,
    Role,
    District,
    Address,
    ContactPerson,
    School,
    Languages,
    /// An event's time of day.
    Time,
    /// Where an event is.
    Place,
    /// A community's retention period in months.
    Retention,
}

/// What is wrong with a field; the UI turns it into a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Problem {
    Required,
    /// A phone number has 6 to 15 digits, with optional `+`, spaces, `-`, `/`, `()`.
    BadPhone,
    /// Not a date of the form YYYY-MM-DD.
    BadDate,
    /// Not a time of day of the form HH:MM.
    BadTime,
    /// Consent must be recorded before personal data is stored.
    ConsentMissing,
    NotAnId,
    TooLong,
    UnknownChoice,
    /// Not a whole number.
    NotANumber,
    /// A number outside what the field allows (a head count below zero, a
    /// target of zero, a year far off).
    OutOfRange,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldError {
    pub field: Field,
    pub problem: Problem,
}

impl Problem {
    /// The i18n key of the message for this problem.
    pub fn message_key(self) -> &'static str {
        match self {
            Problem::Required => "error-required",
            Problem::BadPhone => "error-bad-phone",
            Problem::BadDate => "error-bad-date",
            Problem::BadTime => "error-bad-time",
            Problem::ConsentMissing => "error-consent-missing",
            Problem::NotAnId => "error-not-an-id",
            Problem::TooLong => "error-too-long",
            Problem::UnknownChoice => "error-unknown-choice",
            Problem::NotANumber => "error-not-a-number",
            Problem::OutOfRange => "error-out-of-range",
        }
    }
}

pub const MAX_NAME: usize = 200;
pub const MAX_NOTES: usize = 5000;

pub fn is_valid_phone(s: &str) -> bool {
    let s = s.trim();
    let allowed = |c: char| c.is_ascii_digit() || matches!(c, ' ' | '-' | '/' | '(' | ')');
    let rest = s.strip_prefix('+').unwrap_or(s);
    let digits = rest.chars().filter(char::is_ascii_digit).count();
    rest.chars().all(allowed) && (6..=15).contains(&digits)
}

/// `HH:MM`, 24 hours (what `<input type="time">` gives).
pub fn is_valid_time(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 5 || b[2] != b':' || !s.is_char_boundary(2) {
        return false;
    }
    let num = |r: std::ops::Range<usize>| {
        s.get(r).filter(|p| p.bytes().all(|c| c.is_ascii_digit())).and_then(|p| p.parse::<u32>().ok())
    };
    matches!((num(0..2), num(3..5)), (Some(h), Some(m)) if h < 24 && m < 60)
}

/// `YYYY-MM-DD` with a real month and day (leap years included).
pub fn is_valid_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|p| p.parse::<u32>().ok());
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1900..=2200).contains(&y) && (1..=days).contains(&d)
}

pub(crate) fn contact(
    draft: &ContactDraft,
    id: ContactId,
    me: MentorId,
    now_ms: i64,
    existing: Option<&Contact>,
) -> Result<Contact, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut err = |field, problem| errors.push(FieldError { field, problem });

    let target_group = TargetGroup::from_code(&draft.target_group);
    if target_group.is_none() {
        err(Field::TargetGroup, if draft.target_group.is_empty() { Problem::Required } else { Problem::UnknownChoice });
    }
    // Consent first: without it no personal field may be stored at all.
    let scope = ConsentScope::from_code(&draft.consent_scope);
    if !draft.consent_given {
        err(Field::Consent, Problem::ConsentMissing);
    } else {
        if !is_valid_date(draft.consent_date.trim()) {
            err(
                Field::ConsentDate,
                if draft.consent_date.trim().is_empty() { Problem::Required } else { Problem::BadDate },
            );
        }
        if scope.is_none() {
            err(Field::ConsentScope, Problem::Required);
        }
    }
    let name = draft.name.trim();
    if name.is_empty() {
        err(Field::Name, Problem::Required);
    } else if name.chars().count() > MAX_NAME {
        err(Field::Name, Problem::TooLong);
    }
    let phone = draft.phone.trim();
    if !phone.is_empty() && !is_valid_phone(phone) {
        err(Field::Phone, Problem::BadPhone);
    }
    let household = match draft.household.trim() {
        "" => None,
        h => match h.parse::<HouseholdId>() {
            Ok(h) => Some(h),
            Err(_) => {
                err(Field::Household, Problem::NotAnId);
                None
            }
        },
    };
    if draft.notes.chars().count() > MAX_NOTES {
        err(Field::Notes, Problem::TooLong);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let languages = draft.languages.split(',').map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
    let recorded_by =
        existing.filter(|e| e.consent.given_on == draft.consent_date.trim()).map_or(me, |e| e.consent.recorded_by);
    Ok(Contact {
        id,
        target_group: target_group.expect("checked above"),
        name: name.to_owned(),
        phone: phone.to_owned(),
        languages,
        district: draft.district.trim().to_owned(),
        household,
        notes: draft.notes.trim().to_owned(),
        consent: Consent {
            given_on: draft.consent_date.trim().to_owned(),
            scope: scope.expect("checked above"),
            recorded_by,
        },
        created_by: existing.map_or(me, |e| e.created_by),
        created_at: existing.map_or(now_ms, |e| e.created_at),
        merged_into: existing.and_then(|e| e.merged_into),
        not_the_same: existing.map(|e| e.not_the_same.clone()).unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> ContactDraft {
        ContactDraft {
            target_group: "parent".into(),
            name: "  Ayşe Yılmaz ".into(),
            phone: "+49 541 123456".into(),
            languages: "tr, de,".into(),
            district: "Schinkel".into(),
            household: String::new(),
            notes: String::new(),
            consent_given: true,
            consent_date: "2026-11-27".into(),
            consent_scope: "advice".into(),
        }
    }

    fn ids() -> (ContactId, MentorId) {
        (ContactId::from_random([1; 16]), MentorId::from_random([2; 16]))
    }

    fn problems(d: &ContactDraft) -> Vec<(Field, Problem)> {
        let (id, me) = ids();
        d.validate(id, crate::forms::Stamp { me, now_ms: 0 }, None)
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.problem))
            .collect()
    }

    #[test]
    fn a_complete_draft_becomes_a_trimmed_contact() {
        let (id, me) = ids();
        let c = draft().validate(id, crate::forms::Stamp { me, now_ms: 42 }, None).unwrap();
        assert_eq!(c.name, "Ayşe Yılmaz");
        assert_eq!(c.languages, vec!["tr".to_string(), "de".to_string()]);
        assert_eq!(c.consent.recorded_by, me);
        assert_eq!(c.created_at, 42);
    }

    #[test]
    fn a_contact_without_consent_is_refused_whatever_else_it_holds() {
        let mut d = draft();
        d.consent_given = false;
        assert_eq!(problems(&d), vec![(Field::Consent, Problem::ConsentMissing)]);
    }

    #[test]
    fn an_empty_or_blank_name_is_required() {
        let mut d = draft();
        d.name = "   ".into();
        assert_eq!(problems(&d), vec![(Field::Name, Problem::Required)]);
    }

    #[test]
    fn bad_phone_numbers_are_refused_and_good_ones_pass() {
        for bad in ["abc", "12", "+49 541 abc", "0541-12345678901234", "++49123456"] {
            let mut d = draft();
            d.phone = bad.into();
            assert_eq!(problems(&d), vec![(Field::Phone, Problem::BadPhone)], "{bad}");
        }
        for good in ["0541 123456", "+90 (212) 555-01-01", "0176/1234567"] {
            assert!(is_valid_phone(good), "{good}");
        }
    }

    #[test]
    fn consent_dates_must_be_real_days() {
        for bad in ["2026-02-30", "27.11.2026", "2026-13-01", "2025-02-29"] {
            let mut d = draft();
            d.consent_date = bad.into();
            assert_eq!(problems(&d), vec![(Field::ConsentDate, Problem::BadDate)], "{bad}");
        }
        assert!(is_valid_date("2024-02-29"));
    }

    #[test]
    fn an_unknown_target_group_or_household_is_named() {
        let mut d = draft();
        d.target_group = "alien".into();
        d.household = "x".into();
        assert_eq!(
            problems(&d),
            vec![(Field::TargetGroup, Problem::UnknownChoice), (Field::Household, Problem::NotAnId)]
        );
    }

    #[test]
    fn editing_keeps_who_created_the_contact_and_recorded_consent() {
        let (id, me) = ids();
        let original = draft().validate(id, crate::forms::Stamp { me, now_ms: 1 }, None).unwrap();
        let other = MentorId::from_random([9; 16]);
        let mut d = ContactDraft::from_record(&original);
        d.name = "Ayşe Demir".into();
        let edited = d.validate(id, crate::forms::Stamp { me: other, now_ms: 99 }, Some(&original)).unwrap();
        assert_eq!(edited.created_by, me);
        assert_eq!(edited.consent.recorded_by, me);
        assert_eq!(edited.created_at, 1);
        assert_eq!(edited.name, "Ayşe Demir");
    }
}
