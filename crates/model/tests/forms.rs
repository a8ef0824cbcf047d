//! Every rule of every form: a complete draft becomes its record, and each
//! broken field is named with its problem (and nothing else is).

use lotse_model::forms::*;
use lotse_model::*;

fn stamp() -> Stamp {
    Stamp { me: MentorId::from_random([1; 16]), now_ms: 1_700_000_000_000 }
}

fn id<T>(make: fn([u8; 16]) -> T, n: u8) -> T {
    make([n; 16])
}

fn problems<T: std::fmt::Debug>(r: Result<T, Vec<FieldError>>) -> Vec<(Field, Problem)> {
    r.expect_err("the draft should be refused").into_iter().map(|e| (e.field, e.problem)).collect()
}

fn consultation() -> ConsultationDraft {
    ConsultationDraft {
        date: "2026-11-27".into(),
        contact: ContactId::from_random([2; 16]).to_string(),
        household: String::new(),
        topics: vec!["training-place".into(), "orientation".into(), "orientation".into()],
        outcome: "referred".into(),
        notes: " Mutter fragt nach Praktikum ".into(),
    }
}

#[test]
fn a_complete_consultation_is_trimmed_deduplicated_and_sorted() {
    let c = consultation().validate(id(ConsultationId::from_random, 3), stamp(), None).unwrap();
    assert_eq!(c.topics, vec![Topic::VocationalOrientation, Topic::FindingTrainingPlace]);
    assert_eq!(c.outcome, Outcome::Referred);
    assert_eq!(c.notes, "Mutter fragt nach Praktikum");
    assert_eq!((c.mentor, c.created_at), (stamp().me, stamp().now_ms));
}

#[test]
fn a_consultation_needs_a_date_someone_topics_and_an_outcome() {
    let d = ConsultationDraft { date: "27.11.2026".into(), ..ConsultationDraft::default() };
    assert_eq!(
        problems(d.validate(id(ConsultationId::from_random, 3), stamp(), None)),
        vec![
            (Field::Date, Problem::BadDate),
            (Field::Subject, Problem::Required),
            (Field::Topics, Problem::Required),
            (Field::Outcome, Problem::Required)
        ]
    );
    let mut d = consultation();
    d.topics = vec!["astrology".into()];
    d.contact = "not-an-id".into();
    assert_eq!(
        problems(d.validate(id(ConsultationId::from_random, 3), stamp(), None)),
        vec![(Field::Subject, Problem::NotAnId), (Field::Topics, Problem::UnknownChoice)]
    );
}

#[test]
fn a_household_alone_is_enough_for_a_consultation_and_editing_keeps_its_author() {
    let mut d = consultation();
    d.contact.clear();
    d.household = HouseholdId::from_random([4; 16]).to_string();
    let first = d.validate(id(ConsultationId::from_random, 3), stamp(), None).unwrap();
    let later = Stamp { me: MentorId::from_random([9; 16]), now_ms: 5 };
    let edited = d.validate(first.id, later, Some(&first)).unwrap();
    assert_eq!((edited.mentor, edited.created_at), (first.mentor, first.created_at));
}

fn referral() -> ReferralDraft {
    ReferralDraft {
        contact: ContactId::from_random([2; 16]).to_string(),
        consultation: String::new(),
        institution: network_doc::seed_institution_id(1).to_string(),
        reason: "Bewerbung Ausbildung".into(),
        status: "open".into(),
        follow_up_on: "2026-12-11".into(),
        date: "2026-11-27".into(),
    }
}

#[test]
fn a_referral_needs_contact_institution_reason_status_and_a_follow_up_not_before_it() {
    let r = referral().validate(id(ReferralId::from_random, 5), stamp(), None).unwrap();
    assert_eq!((r.status, r.follow_up_on.as_deref()), (ReferralStatus::Open, Some("2026-12-11")));
    let d = ReferralDraft { follow_up_on: "2026-11-01".into(), date: "2026-11-27".into(), ..Default::default() };
    assert_eq!(
        problems(d.validate(id(ReferralId::from_random, 5), stamp(), None)),
        vec![
            (Field::Contact, Problem::Required),
            (Field::Institution, Problem::Required),
            (Field::Reason, Problem::Required),
            (Field::Status, Problem::Required),
            (Field::FollowUpDate, Problem::OutOfRange)
        ]
    );
    let mut d = referral();
    d.status = "lost".into();
    d.follow_up_on = String::new();
    assert_eq!(
        problems(d.validate(id(ReferralId::from_random, 5), stamp(), None)),
        vec![(Field::Status, Problem::UnknownChoice)]
    );
}

#[test]
fn a_follow_up_needs_a_due_date_and_a_note() {
    let d = FollowUpDraft { due_on: "2026-02-30".into(), ..Default::default() };
    assert_eq!(
        problems(d.validate(id(FollowUpId::from_random, 6), stamp(), None)),
        vec![(Field::DueDate, Problem::BadDate), (Field::Notes, Problem::Required)]
    );
    let ok = FollowUpDraft { due_on: "2026-12-01".into(), note: "anrufen".into(), ..Default::default() };
    assert!(!ok.validate(id(FollowUpId::from_random, 6), stamp(), None).unwrap().done);
}

fn event() -> EventDraft {
    EventDraft {
        kind: "school-info".into(),
        date: "2026-11-27".into(),
        school: "Gesamtschule Schinkel".into(),
        added: [4, 7, 0],
        ..Default::default()
    }
}

#[test]
fn an_event_counts_the_taps_and_a_second_save_adds_to_the_stored_counts() {
    let first = event().validate(id(EventId::from_random, 7), stamp(), None).unwrap();
    assert_eq!(first.attendance.counts(), [4, 7, 0]);
    let mut more = EventDraft::from_record(&first);
    assert_eq!(more.added, [0, 0, 0]);
    more.added = [-1, 2, 1];
    assert_eq!(more.shown(Some(&first), TargetGroup::Parent), 3);
    let second = more.validate(first.id, stamp(), Some(&first)).unwrap();
    assert_eq!(second.attendance.counts(), [3, 9, 1]);
}

#[test]
fn an_event_needs_a_kind_and_a_date_and_no_count_below_zero() {
    let d = EventDraft { added: [0, -1, 0], ..Default::default() };
    assert_eq!(
        problems(d.validate(id(EventId::from_random, 7), stamp(), None)),
        vec![(Field::Kind, Problem::Required), (Field::Date, Problem::Required), (Field::Tally, Problem::OutOfRange)]
    );
}

#[test]
fn an_event_keeps_its_time_and_place_and_refuses_a_time_that_is_not_one() {
    let d = EventDraft { time: " 18:30 ".into(), place: " Gemeindehaus, Lotter Str. 5 ".into(), ..event() };
    let e = d.validate(id(EventId::from_random, 7), stamp(), None).unwrap();
    assert_eq!((e.time.as_str(), e.place.as_str()), ("18:30", "Gemeindehaus, Lotter Str. 5"));
    assert_eq!(EventDraft::from_record(&e).time, "18:30", "the form opens with the stored time");
    // Neither is required.
    let e = event().validate(id(EventId::from_random, 7), stamp(), None).unwrap();
    assert_eq!((e.time.as_str(), e.place.as_str()), ("", ""));
    // Tried: an hour past the day, minutes past the hour, words, a
    // 12-hour clock, a time without its colon, one digit short.
    for bad in ["24:00", "18:60", "halb sieben", "6:30pm", "1830", "8:30", "١٨:٣٠"] {
        let d = EventDraft { time: bad.into(), ..event() };
        assert_eq!(
            problems(d.validate(id(EventId::from_random, 7), stamp(), None)),
            vec![(Field::Time, Problem::BadTime)],
            "{bad:?}"
        );
    }
    let d = EventDraft { place: "x".repeat(201), ..event() };
    assert_eq!(
        problems(d.validate(id(EventId::from_random, 7), stamp(), None)),
        vec![(Field::Place, Problem::TooLong)]
    );
}

fn company() -> CompanyDraft {
    CompanyDraft {
        name: "Bäckerei Yıldız".into(),
        trade: "Bäckerei".into(),
        chamber: "hwk".into(),
        licence: "in-preparation".into(),
        contact_person: "Hatice Yıldız".into(),
        phone: "0541 555 0101".into(),
        community: String::new(),
        member_since: "2026-03-01".into(),
        notes: String::new(),
    }
}

#[test]
fn a_company_needs_name_trade_chamber_licence_and_member_since_and_a_good_phone() {
    let c = company().validate(id(CompanyId::from_random, 8), stamp(), None).unwrap();
    assert_eq!((c.chamber, c.licence), (Chamber::Hwk, LicenceStatus::InPreparation));
    let d = CompanyDraft { phone: "bäckerei".into(), chamber: "hwk-ihk".into(), ..Default::default() };
    assert_eq!(
        problems(d.validate(id(CompanyId::from_random, 8), stamp(), None)),
        vec![
            (Field::Name, Problem::Required),
            (Field::Trade, Problem::Required),
            (Field::Chamber, Problem::UnknownChoice),
            (Field::Licence, Problem::Required),
            (Field::Phone, Problem::BadPhone),
            (Field::MemberSince, Problem::Required)
        ]
    );
}

#[test]
fn a_filled_training_place_names_its_young_contact_and_only_a_filled_one_does() {
    let company = CompanyId::from_random([8; 16]).to_string();
    let youth = ContactId::from_random([2; 16]).to_string();
    let mut d = TrainingPlaceDraft {
        company,
        occupation: "Bäcker/in".into(),
        start_on: "2027-08-01".into(),
        status: "filled".into(),
        filled_by: String::new(),
        acquired_on: "2026-11-27".into(),
    };
    assert_eq!(
        problems(d.validate(id(TrainingPlaceId::from_random, 9), stamp(), None)),
        vec![(Field::FilledBy, Problem::Required)]
    );
    d.filled_by = youth.clone();
    assert!(d.validate(id(TrainingPlaceId::from_random, 9), stamp(), None).unwrap().filled_by.is_some());
    d.status = "offered".into();
    let offered = d.validate(id(TrainingPlaceId::from_random, 9), stamp(), None).unwrap();
    assert_eq!((offered.status, offered.filled_by), (PlaceStatus::Offered, None));
}

#[test]
fn a_measure_needs_a_whole_positive_target_and_a_plausible_year() {
    let mut d = MeasureDraft {
        field: "school-to-work".into(),
        title: "Infoveranstaltungen an Schulen".into(),
        owner: "KAUSA".into(),
        target: "zehn".into(),
        year: "1999".into(),
        metric: "events".into(),
        event_kind: "school-info".into(),
    };
    assert_eq!(
        problems(d.validate(id(MeasureId::from_random, 10), stamp(), None)),
        vec![(Field::Target, Problem::NotANumber), (Field::Year, Problem::OutOfRange)]
    );
    d.target = "0".into();
    d.year = "2026".into();
    assert_eq!(
        problems(d.validate(id(MeasureId::from_random, 10), stamp(), None)),
        vec![(Field::Target, Problem::OutOfRange)]
    );
    d.target = "10".into();
    let m = d.validate(id(MeasureId::from_random, 10), stamp(), None).unwrap();
    assert_eq!((m.target, m.year, m.event_kind), (10, 2026, Some(EventKind::SchoolInfoSession)));
    d.metric = "consultations".into();
    assert_eq!(
        d.validate(id(MeasureId::from_random, 10), stamp(), None).unwrap().event_kind,
        None,
        "a kind only narrows event metrics"
    );
}

#[test]
fn institutions_partners_households_communities_and_mentors_need_a_name() {
    let inst = InstitutionDraft { kind: "jobcenter".into(), ..Default::default() };
    assert_eq!(
        problems(inst.validate(id(InstitutionId::from_random, 11), stamp(), None)),
        vec![(Field::Name, Problem::Required)]
    );
    let inst = InstitutionDraft { name: "Jobcenter".into(), kind: "embassy".into(), ..Default::default() };
    assert_eq!(
        problems(inst.validate(id(InstitutionId::from_random, 11), stamp(), None)),
        vec![(Field::Kind, Problem::UnknownChoice)]
    );
    let partner = PartnerDraft { phone: "12".into(), ..Default::default() };
    assert_eq!(
        problems(partner.validate(id(PartnerId::from_random, 12), stamp(), None)),
        vec![(Field::Name, Problem::Required), (Field::Phone, Problem::BadPhone)]
    );
    let household = HouseholdDraft { name: "x".repeat(201), ..Default::default() };
    assert_eq!(
        problems(household.validate(id(HouseholdId::from_random, 13), stamp(), None)),
        vec![(Field::Name, Problem::TooLong)]
    );
    let community = CommunityDraft { name: " ".into(), languages: "tr".into(), ..Default::default() };
    assert_eq!(
        problems(community.validate(id(CommunityId::from_random, 14), stamp(), None)),
        vec![(Field::Name, Problem::Required)]
    );
    let ok = CommunityDraft { name: "Kurdische Community".into(), languages: "ku, tr, ".into(), ..Default::default() };
    let saved = ok.validate(id(CommunityId::from_random, 14), stamp(), None).unwrap();
    assert_eq!((saved.languages, saved.retention_months), (vec!["ku".to_owned(), "tr".to_owned()], None));
    // A retention period: whole months, one to 240; empty is none.
    for (typed, expected) in [
        ("24", Ok(Some(24))),
        (" 1 ", Ok(Some(1))),
        ("0", Err(Problem::OutOfRange)),
        ("241", Err(Problem::OutOfRange)),
        ("zwei", Err(Problem::NotANumber)),
        ("2.5", Err(Problem::NotANumber)),
    ] {
        let d = CommunityDraft { retention_months: typed.into(), ..ok.clone() };
        let got = d.validate(id(CommunityId::from_random, 14), stamp(), None).map(|c| c.retention_months);
        assert_eq!(
            got.map_err(|e| problems::<()>(Err(e))),
            expected.map_err(|p| vec![(Field::Retention, p)]),
            "{typed:?}"
        );
    }
    // A draft kept before the field existed still reads.
    let old: CommunityDraft = serde_json::from_str(r#"{"name":"Alt","languages":""}"#).unwrap();
    assert_eq!(old.retention_months, "");
}

#[test]
fn a_mentor_needs_a_community_a_coordinator_does_not_and_devices_are_kept() {
    let d = MentorDraft { name: "Rania Haddad".into(), role: "mentor".into(), ..Default::default() };
    assert_eq!(
        problems(d.validate(id(MentorId::from_random, 15), stamp(), None)),
        vec![(Field::Community, Problem::Required)]
    );
    let c = MentorDraft { role: "coordinator".into(), ..d.clone() };
    let mut existing = c.validate(id(MentorId::from_random, 15), stamp(), None).unwrap();
    existing.devices = vec!["abcd".into()];
    let again = c.validate(existing.id, stamp(), Some(&existing)).unwrap();
    assert_eq!(again.devices, vec!["abcd".to_string()]);
}

#[test]
fn notes_longer_than_five_thousand_characters_are_refused_on_every_form() {
    let long = "x".repeat(5001);
    let mut d = consultation();
    d.notes = long.clone();
    assert_eq!(
        problems(d.validate(id(ConsultationId::from_random, 3), stamp(), None)),
        vec![(Field::Notes, Problem::TooLong)]
    );
    let mut c = company();
    c.notes = long;
    assert_eq!(
        problems(c.validate(id(CompanyId::from_random, 8), stamp(), None)),
        vec![(Field::Notes, Problem::TooLong)]
    );
}
