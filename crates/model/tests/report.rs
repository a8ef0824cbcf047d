//! The report for the funders: each figure against a small notebook counted
//! by hand (with records of the wrong period, community, kind or status
//! beside the right ones, so a wrong filter fails), the outcome chain with
//! its broken links, periods and their errors, the CSV export read back,
//! `diff`, and every headline figure of the demo data against a slow
//! reference written apart from the report's code.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap, HashSet};

use automerge::{ActorId, AutoCommit};
use lotse_model::demo::{self, DemoSize};
use lotse_model::network::{ActionField, Chamber, Metric, Role};
use lotse_model::network_doc::seed_institution_id;
use lotse_model::record::{self, Record};
use lotse_model::report::{label_keys, Bound, FigureChange, RowKey, Unlinked, TABLES};
use lotse_model::*;

const T0: i64 = 1_767_225_600_000;

fn id(n: u8) -> [u8; 16] {
    [n; 16]
}

fn tr() -> CommunityId {
    CommunityId::from_random(id(1))
}

fn ar() -> CommunityId {
    CommunityId::from_random(id(2))
}

fn mentor(n: u8) -> MentorId {
    MentorId::from_random(id(n))
}

fn contact_id(n: u8) -> ContactId {
    ContactId::from_random(id(n))
}

/// The network's document and two communities' (Turkish, Arabic-speaking).
struct World {
    network: AutoCommit,
    tr: AutoCommit,
    ar: AutoCommit,
}

impl World {
    fn new() -> World {
        let mut w = World {
            network: NetworkDoc::genesis(ActorId::from([1u8; 16])),
            tr: CommunityDoc::genesis(ActorId::from([1u8; 16])),
            ar: CommunityDoc::genesis(ActorId::from([1u8; 16])),
        };
        for (c, name) in [(tr(), "Türkische Community"), (ar(), "Arabischsprachige Community")] {
            w.net(&Community { id: c, name: name.into(), languages: vec![], created_at: T0, retention_months: None });
        }
        w
    }

    fn net<R: Record>(&mut self, r: &R) {
        record::put(&mut self.network, r, T0).unwrap();
    }

    fn put<R: Record>(&mut self, community: CommunityId, r: &R) {
        let doc = if community == tr() { &mut self.tr } else { &mut self.ar };
        record::put(doc, r, T0).unwrap();
    }

    fn mentor(&mut self, n: u8, community: Option<CommunityId>) -> MentorId {
        let role = if community.is_some() { Role::Mentor } else { Role::Coordinator };
        let m = Mentor {
            id: mentor(n),
            name: format!("Mentor {n}"),
            role,
            community,
            languages: vec![],
            devices: vec![],
            active: true,
            invitations: vec![],
        };
        self.net(&m);
        m.id
    }

    fn contact(&mut self, n: u8, community: CommunityId, group: TargetGroup) -> ContactId {
        let c = Contact {
            id: contact_id(n),
            target_group: group,
            name: format!("Person {n}"),
            phone: String::new(),
            languages: vec![],
            district: String::new(),
            household: None,
            notes: String::new(),
            consent: Consent { given_on: "2026-01-01".into(), scope: ConsentScope::Advice, recorded_by: mentor(100) },
            created_by: mentor(100),
            created_at: T0,
            merged_into: None,
            not_the_same: vec![],
        };
        self.put(community, &c);
        c.id
    }

    /// Marks contact `dup` as merged into `kept` (both in `community`).
    fn merge(&mut self, community: CommunityId, dup: ContactId, kept: ContactId) {
        let mut c = self.notebook().contact(dup).unwrap().record.clone();
        c.merged_into = Some(kept);
        self.put(community, &c);
    }

    fn consult(
        &mut self,
        n: u8,
        community: CommunityId,
        who: Option<ContactId>,
        date: &str,
        by: MentorId,
    ) -> ConsultationId {
        let c = Consultation {
            id: ConsultationId::from_random(id(n)),
            date: date.into(),
            contact: who,
            household: who.is_none().then(|| HouseholdId::from_random(id(n))),
            topics: vec![Topic::FindingTrainingPlace],
            outcome: Outcome::Informed,
            notes: String::new(),
            mentor: by,
            created_at: T0,
        };
        self.put(community, &c);
        c.id
    }

    #[allow(clippy::too_many_arguments)]
    fn refer(
        &mut self,
        n: u8,
        community: CommunityId,
        who: ContactId,
        consultation: Option<ConsultationId>,
        institution: u8,
        status: ReferralStatus,
        date: &str,
        by: MentorId,
    ) {
        let r = Referral {
            id: ReferralId::from_random(id(n)),
            contact: who,
            consultation,
            institution: seed_institution_id(institution),
            reason: "Ausbildung".into(),
            status,
            follow_up_on: None,
            date: date.into(),
            mentor: by,
            created_at: T0,
        };
        self.put(community, &r);
    }

    fn event(
        &mut self,
        n: u8,
        kind: EventKind,
        date: &str,
        community: Option<CommunityId>,
        by: MentorId,
        heads: [i64; 3],
    ) {
        let mut attendance = Attendance::default();
        for (g, h) in TargetGroup::ALL.into_iter().zip(heads) {
            attendance.add(g, h);
        }
        self.net(&Event {
            id: EventId::from_random(id(n)),
            kind,
            title: format!("Event {n}"),
            date: date.into(),
            time: String::new(),
            place: String::new(),
            community,
            partner: None,
            school: String::new(),
            company: None,
            attendance,
            notes: String::new(),
            created_by: by,
            created_at: T0,
        });
    }

    fn company(&mut self, n: u8, community: Option<CommunityId>, licence: LicenceStatus, since: &str) -> CompanyId {
        let c = Company {
            id: CompanyId::from_random(id(n)),
            name: format!("Betrieb {n}"),
            trade: "Bäckerhandwerk".into(),
            chamber: Chamber::Hwk,
            licence,
            contact_person: String::new(),
            phone: String::new(),
            community,
            member_since: since.into(),
            notes: String::new(),
            created_by: mentor(100),
            created_at: T0,
        };
        self.net(&c);
        c.id
    }

    fn place(
        &mut self,
        n: u8,
        company: CompanyId,
        status: PlaceStatus,
        acquired: &str,
        start: &str,
        by: Option<ContactId>,
    ) {
        self.net(&TrainingPlace {
            id: TrainingPlaceId::from_random(id(n)),
            company,
            occupation: "Bäcker/in".into(),
            start_on: start.into(),
            status,
            filled_by: by,
            acquired_on: acquired.into(),
            created_at: T0,
        });
    }

    fn measure(&mut self, n: u8, metric: Metric, year: i32, target: u32, kind: Option<EventKind>) -> MeasureId {
        let m = Measure {
            id: MeasureId::from_random(id(n)),
            field: ActionField::SchoolToWork,
            title: format!("Measure {n}"),
            owner: "Servicestelle".into(),
            target,
            year,
            metric,
            event_kind: kind,
        };
        self.net(&m);
        m.id
    }

    fn notebook(&self) -> Notebook {
        Notebook::load(&self.network, &[(tr(), &self.tr), (ar(), &self.ar)]).unwrap()
    }

    fn report(&self, period: &str, today: &str) -> Report {
        Report::compute(&self.notebook(), &period.parse().unwrap(), today)
    }
}

fn groups(parent: u32, youth: u32, self_employed: u32, none: u32) -> report::ByGroup {
    report::ByGroup { parent, youth, self_employed, none }
}

fn row<V: Clone + Default>(figure: &report::ByCommunity<V>, community: Option<CommunityId>) -> V {
    figure.get(community).cloned().unwrap_or_default()
}

/// The second quarter of 2026 with its neighbours, counted by hand below.
struct Q2 {
    world: World,
    m_tr: MentorId,
    m_ar: MentorId,
    lina: ContactId,
    consultations_measure: MeasureId,
}

fn second_quarter() -> Q2 {
    let mut w = World::new();
    let m_tr = w.mentor(10, Some(tr()));
    let m_ar = w.mentor(11, Some(ar()));
    let coordinator = w.mentor(12, None);
    let idle = w.mentor(13, Some(tr())); // wrote only in the first quarter

    let ayse = w.contact(20, tr(), TargetGroup::Parent);
    let emre = w.contact(21, tr(), TargetGroup::Youth);
    let omar = w.contact(22, ar(), TargetGroup::Youth);
    let lina = w.contact(23, ar(), TargetGroup::SelfEmployed);

    let c1 = w.consult(30, tr(), Some(ayse), "2026-04-10", m_tr); // Ayşe's first
    w.consult(31, tr(), Some(ayse), "2026-05-20", m_tr); // her second: no first consultation
    let c3 = w.consult(32, tr(), Some(emre), "2026-03-15", idle); // Emre's first, the quarter before
    w.consult(33, tr(), Some(emre), "2026-04-02", m_tr);
    w.consult(34, ar(), Some(omar), "2026-06-30", m_ar); // Omar's first, the quarter's last day
    w.consult(35, ar(), Some(lina), "2026-07-01", m_ar); // the quarter after
    w.consult(36, tr(), None, "2026-05-05", coordinator); // a household alone

    w.refer(40, tr(), ayse, Some(c1), 1, ReferralStatus::Done, "2026-04-10", m_tr);
    w.refer(41, ar(), omar, None, 0, ReferralStatus::Open, "2026-06-30", m_ar);
    w.refer(42, tr(), emre, Some(c3), 0, ReferralStatus::Done, "2026-03-20", idle); // the quarter before

    w.event(50, EventKind::SchoolInfoSession, "2026-05-12", Some(tr()), m_tr, [5, 30, 0]);
    w.event(51, EventKind::ParentEvening, "2026-06-01", Some(ar()), m_ar, [12, 0, 0]);
    w.event(52, EventKind::NetworkMeeting, "2026-04-20", None, coordinator, [3, -2, 4]);
    w.event(53, EventKind::SchoolInfoSession, "2026-03-31", Some(tr()), idle, [50, 50, 50]); // the quarter before

    let k1 = w.company(60, Some(tr()), LicenceStatus::Has, "2025-05-01"); // a member before
    let k2 = w.company(61, Some(ar()), LicenceStatus::Has, "2026-05-15"); // joined, licensed
    w.company(62, Some(tr()), LicenceStatus::InPreparation, "2026-04-01"); // joined, no licence yet
    w.company(63, Some(tr()), LicenceStatus::Has, "2026-07-15"); // joins after the quarter

    w.place(70, k1, PlaceStatus::Filled, "2026-04-05", "2026-08-01", Some(emre));
    w.place(71, k2, PlaceStatus::Offered, "2026-05-01", "2026-08-01", None);
    w.place(72, k1, PlaceStatus::Filled, "2026-01-10", "2026-08-01", Some(ayse)); // acquired the quarter before

    let consultations_measure = w.measure(80, Metric::Consultations, 2026, 10, None);
    w.measure(81, Metric::Events, 2026, 4, Some(EventKind::SchoolInfoSession));
    w.measure(82, Metric::Referrals, 2025, 5, None); // another year

    Q2 { world: w, m_tr, m_ar, lina, consultations_measure }
}

#[test]
fn first_consultations_count_people_whose_first_ever_falls_in_the_period() {
    let r = second_quarter().world.report("2026-Q2", "2026-08-01");
    assert_eq!(r.as_of, "2026-06-30");
    // Ayşe (two consultations, once), Omar (on the last day); not Emre (first
    // in March), not Lina (first in July), not the household.
    assert_eq!(row(&r.first_consultations, Some(tr())), groups(1, 0, 0, 0));
    assert_eq!(row(&r.first_consultations, Some(ar())), groups(0, 1, 0, 0));
    assert_eq!(r.first_consultations.total(), 2);
}

#[test]
fn consultations_and_referrals_count_by_community_target_group_institution_and_status() {
    let r = second_quarter().world.report("2026-Q2", "2026-08-01");
    assert_eq!(row(&r.consultations, Some(tr())), groups(2, 1, 0, 1), "Ayşe twice, Emre, a household");
    assert_eq!(row(&r.consultations, Some(ar())), groups(0, 1, 0, 0));
    assert_eq!(r.consultations.total(), 5);
    assert_eq!(row(&r.referrals, Some(tr())), groups(1, 0, 0, 0));
    assert_eq!(row(&r.referrals, Some(ar())), groups(0, 1, 0, 0));
    let by: HashMap<_, _> = r.referrals_by_institution.iter().cloned().collect();
    assert_eq!(by.len(), 6, "every institution has its row");
    assert_eq!(by[&seed_institution_id(1)].get(&ReferralStatus::Done), Some(&1));
    assert_eq!(by[&seed_institution_id(0)].get(&ReferralStatus::Open), Some(&1));
    assert_eq!(by[&seed_institution_id(0)].get(&ReferralStatus::Done), None, "March's is not counted");
}

#[test]
fn events_companies_places_mentors_and_measures_count_in_the_period() {
    let r = second_quarter().world.report("2026-Q2", "2026-08-01");
    let school = r.events.of_kind(Some(EventKind::SchoolInfoSession));
    assert_eq!((school.events, school.attendance.parent, school.attendance.youth), (1, 5, 30));
    assert_eq!(r.events.of_kind(Some(EventKind::ParentEvening)).attendance.total(), 12);
    let all = r.events.of_kind(None);
    assert_eq!((all.events, all.attendance.total()), (3, 54), "a head count below zero counts as none");
    let network_wide = &r.events.get(None).unwrap()[&EventKind::NetworkMeeting];
    assert_eq!(network_wide.attendance, report::Heads { parent: 3, youth: 0, self_employed: 4 });

    assert_eq!(r.companies_in_network.total(), 3, "not the one joining in July");
    assert_eq!(r.companies_in_network.of(LicenceStatus::Has), 2);
    assert_eq!(r.companies_joined.total(), 2);
    assert_eq!(row(&r.companies_joined, Some(tr())).get(&LicenceStatus::InPreparation), Some(&1));
    assert_eq!(row(&r.companies_joined, Some(ar())).get(&LicenceStatus::Has), Some(&1));

    assert_eq!(r.places_acquired.total(), 2);
    assert_eq!(r.places_acquired.of(PlaceStatus::Filled), 1);
    assert_eq!(row(&r.places_acquired, Some(ar())).get(&PlaceStatus::Offered), Some(&1));

    // The two communities' mentors and the coordinator; not the one who
    // wrote only in March.
    assert_eq!(row(&r.active_mentors, Some(tr())), 1);
    assert_eq!(row(&r.active_mentors, Some(ar())), 1);
    assert_eq!(row(&r.active_mentors, None), 1);

    let m: Vec<_> =
        r.measures.iter().map(|m| (m.year, m.done_in_period, m.done_to_date, m.progress().percent())).collect();
    assert_eq!(m, vec![(2026, 5, 6, 60), (2026, 1, 2, 50)], "last year's measure is left out");

    let h = r.headline();
    assert_eq!(
        (h.first_consultations, h.consultations, h.referrals, h.events, h.attendance, h.active_mentors),
        (2, 5, 2, 3, 54, 3)
    );
    assert_eq!((h.companies_in_network, h.companies_joined, h.places_acquired, h.places_filled), (3, 2, 2, 1));
    assert_eq!((h.placed, h.median_days_to_placement), (0, None));
}

#[test]
fn what_is_dated_after_today_is_not_counted_yet() {
    let r = second_quarter().world.report("2026-Q2", "2026-05-15");
    assert_eq!(r.as_of, "2026-05-15");
    assert_eq!(r.events.of_kind(None).events, 2, "the parent evening on 1 June is still planned");
    assert_eq!(r.consultations.total(), 3, "not Ayşe's of 20 May, nor Omar's of 30 June");
    assert_eq!(r.companies_in_network.total(), 3, "the company joining on 15 May is in");
    let before = second_quarter().world.report("2026-Q3", "2026-05-15");
    assert_eq!(before.as_of, "2026-05-15", "a period not yet begun counts nothing");
    assert_eq!(before.consultations.total(), 0);
    assert!(before.measures.iter().all(|m| m.done_in_period == 0));
}

#[test]
fn a_merged_duplicate_counts_once_under_the_kept_contact() {
    let mut w = World::new();
    let m = w.mentor(10, Some(tr()));
    let kept = w.contact(20, tr(), TargetGroup::Youth);
    let dup = w.contact(21, tr(), TargetGroup::Parent); // written down wrong on another phone
    w.consult(30, tr(), Some(dup), "2026-04-03", m);
    w.consult(31, tr(), Some(kept), "2026-05-01", m);
    w.refer(40, tr(), dup, None, 0, ReferralStatus::Open, "2026-04-03", m);
    // Another pair: the duplicate was first advised in March.
    let kept2 = w.contact(22, tr(), TargetGroup::Youth);
    let dup2 = w.contact(23, tr(), TargetGroup::Youth);
    w.consult(32, tr(), Some(dup2), "2026-03-01", m);
    w.consult(33, tr(), Some(kept2), "2026-05-01", m);
    let apart = w.report("2026-Q2", "2026-12-31");
    assert_eq!(apart.first_consultations.total(), 3, "before the merge: three people seem new");

    w.merge(tr(), dup, kept);
    w.merge(tr(), dup2, kept2);
    let r = w.report("2026-Q2", "2026-12-31");
    assert_eq!(row(&r.first_consultations, Some(tr())), groups(0, 1, 0, 0), "once, as the kept young person");
    assert_eq!(row(&r.consultations, Some(tr())), groups(0, 3, 0, 0), "three in the quarter, all the kept's");
    assert_eq!(row(&r.referrals, Some(tr())), groups(0, 1, 0, 0), "the duplicate's referral counts for the kept");
}

#[test]
fn the_outcome_chain_counts_young_people_placed_after_a_referral_with_the_median_days() {
    let mut w = World::new();
    let m = w.mentor(10, Some(tr()));
    let firm = w.company(60, Some(tr()), LicenceStatus::Has, "2024-01-01");
    let place = |w: &mut World, n: u8, start: &str, who: Option<ContactId>| {
        w.place(n, firm, PlaceStatus::Filled, "2026-01-05", start, who);
    };

    // Consulted, referred from a later consultation, placed: 181 days from
    // the first consultation; a second place later in the quarter counts
    // them no twice.
    let y1 = w.contact(21, tr(), TargetGroup::Youth);
    w.consult(30, tr(), Some(y1), "2026-02-01", m);
    let b = w.consult(31, tr(), Some(y1), "2026-03-01", m);
    w.refer(40, tr(), y1, Some(b), 0, ReferralStatus::Done, "2026-03-05", m);
    place(&mut w, 70, "2026-08-01", Some(y1));
    place(&mut w, 71, "2026-09-01", Some(y1));
    // In the other community: 83 days.
    let y2 = w.contact(22, ar(), TargetGroup::Youth);
    let c = w.consult(32, ar(), Some(y2), "2026-06-10", m);
    w.refer(41, ar(), y2, Some(c), 0, ReferralStatus::Done, "2026-06-12", m);
    place(&mut w, 72, "2026-09-01", Some(y2));
    place(&mut w, 73, "2026-11-01", Some(y2)); // after the quarter
                                               // A duplicate consulted, the kept one referred from that consultation,
                                               // the duplicate named on the place: 234 days, once.
    let y5 = w.contact(25, tr(), TargetGroup::Youth);
    let y5b = w.contact(26, tr(), TargetGroup::Youth);
    let d = w.consult(33, tr(), Some(y5b), "2026-01-10", m);
    w.refer(42, tr(), y5, Some(d), 1, ReferralStatus::Done, "2026-01-20", m);
    w.merge(tr(), y5b, y5);
    place(&mut w, 74, "2026-09-01", Some(y5b));

    // Broken links: a referral with no consultation; never referred; referred
    // only after the start; a place naming someone this device lacks.
    let y3 = w.contact(23, tr(), TargetGroup::Youth);
    w.consult(34, tr(), Some(y3), "2026-05-01", m);
    w.refer(43, tr(), y3, None, 0, ReferralStatus::Done, "2026-05-02", m);
    place(&mut w, 75, "2026-08-01", Some(y3));
    let y4 = w.contact(24, tr(), TargetGroup::Youth);
    w.consult(35, tr(), Some(y4), "2026-04-01", m);
    place(&mut w, 76, "2026-09-01", Some(y4));
    let y6 = w.contact(27, tr(), TargetGroup::Youth);
    let e = w.consult(36, tr(), Some(y6), "2026-07-01", m);
    w.refer(44, tr(), y6, Some(e), 0, ReferralStatus::Done, "2026-08-10", m);
    place(&mut w, 77, "2026-08-01", Some(y6));
    place(&mut w, 78, "2026-08-01", Some(contact_id(99)));

    let r = w.report("2026-Q3", "2026-12-31");
    let mine = row(&r.placements, Some(tr()));
    assert_eq!(mine.people, groups(0, 2, 0, 0));
    assert_eq!(mine.days, vec![181, 234]);
    assert_eq!(mine.median_days(), Some(208), "(181 + 234) / 2, rounded half up");
    assert_eq!(row(&r.placements, Some(ar())).days, vec![83]);
    let h = r.headline();
    assert_eq!((h.placed, h.median_days_to_placement), (3, Some(181)));
    let unlinked: Vec<_> = r.unlinked_placements.iter().map(|(k, n)| (*k, *n)).collect();
    assert_eq!(
        unlinked,
        vec![(Unlinked::UnknownPerson, 1), (Unlinked::NotReferred, 2), (Unlinked::ReferralWithoutConsultation, 1)]
    );
    assert_eq!(w.report("2026-Q2", "2026-12-31").placements.total(), 0, "placed when training starts");
}

#[test]
fn periods_are_quarters_or_ranges_of_days_and_read_as_they_are_written() {
    let q3: Period = "2026-Q3".parse().unwrap();
    assert_eq!((q3.from(), q3.to(), q3.as_quarter()), ("2026-07-01", "2026-09-30", Some((2026, 3))));
    assert_eq!(q3, Period::quarter(2026, 3).unwrap());
    assert_eq!(Period::range("2026-07-01", "2026-09-30").unwrap(), q3, "a range that is a quarter is that quarter");
    assert_eq!(q3.to_string(), "2026-Q3");
    assert_eq!(" 2026-q1 ".parse::<Period>().unwrap().to(), "2026-03-31");
    assert_eq!(Period::quarter(2026, 4).unwrap().to(), "2026-12-31");
    let days: Period = "2026-02-01..2026-02-28".parse().unwrap();
    assert_eq!((days.to_string().as_str(), days.as_quarter()), ("2026-02-01..2026-02-28", None));
    assert_eq!(Period::quarter_of("2026-11-12").unwrap().to_string(), "2026-Q4");
    assert_eq!(Period::quarter(2026, 1).unwrap().previous_quarter().unwrap().to_string(), "2025-Q4");
    assert_eq!(Period::range("2026-03-01", "2026-03-01").unwrap().to_string(), "2026-03-01..2026-03-01");
    // Stored as its text, and checked when read back.
    let bytes = postcard::to_allocvec(&days).unwrap();
    assert_eq!(postcard::from_bytes::<Period>(&bytes).unwrap(), days);
    let bad = postcard::to_allocvec("2026-Q9").unwrap();
    assert!(postcard::from_bytes::<Period>(&bad).is_err());
}

#[test]
fn a_bad_period_says_what_is_wrong_and_what_to_write() {
    let err = |s: &str| s.parse::<Period>().unwrap_err();
    assert_eq!(err("2026-Q5"), PeriodError::NoSuchQuarter(5));
    assert!(err("2026-Q5").to_string().contains("quarters 1 to 4"));
    for unreadable in ["", "Q3 2026", "2026-07-01", "2026-Q", "twenty-Q1", "2026/Q3"] {
        let e = err(unreadable);
        assert_eq!(e, PeriodError::Unreadable(unreadable.into()));
        assert!(e.to_string().contains("2026-Q3") && e.to_string().contains(".."), "{e}");
    }
    assert_eq!(err("0000-Q1"), PeriodError::BadYear(0));
    assert_eq!(err("2026-02-30..2026-03-31"), PeriodError::BadDate { which: Bound::Start, input: "2026-02-30".into() });
    let end = err("2026-07-01..2026-13-01");
    assert_eq!(end, PeriodError::BadDate { which: Bound::End, input: "2026-13-01".into() });
    assert!(end.to_string().contains("end date \"2026-13-01\" is not a date: write it as YYYY-MM-DD"), "{end}");
    let reversed = err("2026-09-30..2026-07-01");
    assert_eq!(reversed, PeriodError::EndsBeforeStart { from: "2026-09-30".into(), to: "2026-07-01".into() });
    assert!(reversed.to_string().contains("swap"));
    assert_eq!(Period::quarter(2026, 0), Err(PeriodError::NoSuchQuarter(0)));
    assert_eq!(Period::quarter(10_000, 1), Err(PeriodError::BadYear(10_000)));
}

#[test]
fn a_report_recomputes_to_the_same_value_and_travels_as_bytes() {
    let q2 = second_quarter();
    let a = q2.world.report("2026-Q2", "2026-08-01");
    let b = q2.world.report("2026-Q2", "2026-08-01");
    assert_eq!(a, b);
    assert!(a.diff(&b).is_empty());
    // From the documents' saved bytes, on another device.
    let mut w = q2.world;
    let (net, tr_doc, ar_doc) = (
        AutoCommit::load(&w.network.save()).unwrap(),
        AutoCommit::load(&w.tr.save()).unwrap(),
        AutoCommit::load(&w.ar.save()).unwrap(),
    );
    let nb = Notebook::load(&net, &[(ar(), &ar_doc), (tr(), &tr_doc)]).unwrap();
    assert_eq!(Report::compute(&nb, &"2026-Q2".parse().unwrap(), "2026-08-01"), a);
    let bytes = postcard::to_allocvec(&a).unwrap();
    assert_eq!(postcard::from_bytes::<Report>(&bytes).unwrap(), a);
}

#[test]
fn one_more_consultation_changes_exactly_the_figures_it_counts_in() {
    let mut q2 = second_quarter();
    let before = q2.world.report("2026-Q2", "2026-08-01");
    // Lina (self-employed, Arabic-speaking community), first seen in July,
    // was in fact advised in May by a mentor already active.
    q2.world.consult(37, ar(), Some(q2.lina), "2026-05-05", q2.m_ar);
    let after = q2.world.report("2026-Q2", "2026-08-01");
    let changes = after.diff(&before);
    let change = |table, row, column, before, after| FigureChange {
        table,
        row,
        column,
        before: Some(before),
        after: Some(after),
    };
    let (ar_row, total) = (RowKey::Community(ar()), RowKey::Total);
    let measure = RowKey::Measure(q2.consultations_measure);
    let expected = vec![
        change("first-consultations", ar_row, "group-self-employed", 0, 1),
        change("first-consultations", ar_row, "report-col-total", 1, 2),
        change("first-consultations", total, "group-self-employed", 0, 1),
        change("first-consultations", total, "report-col-total", 2, 3),
        change("consultations", ar_row, "group-self-employed", 0, 1),
        change("consultations", ar_row, "report-col-total", 1, 2),
        change("consultations", total, "group-self-employed", 0, 1),
        change("consultations", total, "report-col-total", 5, 6),
        change("measures", measure, "report-col-done-period", 5, 6),
        change("measures", measure, "report-col-done-to-date", 6, 7),
        change("measures", measure, "report-col-percent", 60, 70),
    ];
    assert_eq!(changes, expected);
    assert!(after.diff(&after).is_empty());

    // A consultation in another quarter changes nothing of this one's but
    // the measure's year to date.
    q2.world.consult(38, tr(), None, "2026-02-01", q2.m_tr);
    let later = q2.world.report("2026-Q2", "2026-08-01");
    let changed: Vec<_> = later.diff(&after).into_iter().map(|c| (c.table, c.column)).collect();
    assert_eq!(changed, vec![("measures", "report-col-done-to-date"), ("measures", "report-col-percent")]);
}

/// Reads a CSV export back: the header and rows, BOM and line ends checked.
fn read_csv(text: &str) -> Vec<Vec<String>> {
    let body = text.strip_prefix('\u{feff}').expect("a byte order mark first");
    assert!(body.ends_with("\r\n"));
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(body.as_bytes());
    reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect()
}

#[test]
fn the_csv_tables_quote_what_they_must_and_read_back_with_translated_headers() {
    let mut q2 = second_quarter();
    let awkward = "Kurdische Community, \"Nord\"\nzweiter Teil";
    q2.world.net(&Community {
        id: tr(),
        name: awkward.into(),
        languages: vec![],
        created_at: T0,
        retention_months: None,
    });
    q2.world.net(&Community {
        id: ar(),
        name: "الجالية العربية".into(),
        languages: vec![],
        created_at: T0,
        retention_months: None,
    });
    let mut title = q2.world.notebook().measure(q2.consultations_measure).unwrap().clone();
    title.title = "=HYPERLINK(\"http://example.org\")".into();
    q2.world.net(&title);
    let r = q2.world.report("2026-Q2", "2026-08-01");
    let german: HashMap<&str, &str> = [
        ("report-col-community", "Community"),
        ("group-parent", "Eltern"),
        ("group-self-employed", "Selbstständige"),
        ("report-row-total", "Summe, gesamt"),
    ]
    .into();
    let asked = RefCell::new(BTreeSet::new());
    let labels = |key: &str| {
        asked.borrow_mut().insert(key.to_owned());
        german.get(key).map_or_else(|| format!("[{key}]"), |t| (*t).to_owned())
    };
    let tables = r.csv_tables(&labels);
    assert_eq!(tables.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(), TABLES);
    let unknown: Vec<_> = asked.borrow().difference(&label_keys()).cloned().collect();
    assert!(unknown.is_empty(), "asked for keys not in label_keys(): {unknown:?}");

    let consultations = &tables[1].1;
    assert!(consultations.contains("\"Kurdische Community, \"\"Nord\"\"\nzweiter Teil\""));
    assert!(consultations.ends_with("\"Summe, gesamt\",2,2,0,1,5\r\n"));
    let rows = read_csv(consultations);
    assert_eq!(
        rows[0],
        ["Community", "Eltern", "[group-youth]", "Selbstständige", "[report-col-no-group]", "[report-col-total]"]
    );
    assert_eq!(rows[1], [awkward, "2", "1", "0", "1", "4"], "communities by name");
    assert_eq!(rows[2], ["الجالية العربية", "0", "1", "0", "0", "1"]);
    assert_eq!(consultations.matches("\r\n").count(), rows.len(), "every line ends in CR LF, none inside a name");
    assert_eq!(rows[3], ["Summe, gesamt", "2", "2", "0", "1", "5"]);
    for cell in rows[1..].iter().flat_map(|r| &r[1..]) {
        cell.parse::<u32>().expect("numbers as plain numbers");
    }

    let measures = read_csv(&tables[9].1);
    assert_eq!(measures[1][1], "'=HYPERLINK(\"http://example.org\")", "a formula is written as text");
    assert_eq!(&measures[1][5..], ["2026", "10", "5", "6", "60"]);
    let events = read_csv(&tables[4].1);
    assert_eq!(events.len(), 1 + EventKind::ALL.len() + 1, "every kind, then the total");
    assert_eq!(events.last().unwrap(), &["Summe, gesamt", "3", "20", "30", "4", "54"]);
}

// ---------------------------------------------------------------------------
// The demo data against a slow reference.

/// Day number of an ISO date by counting: days of the years and months
/// before it (a different way from the model's civil-days formula).
fn day_number(date: &str) -> Option<i64> {
    if !lotse_model::validate::is_valid_date(date) {
        return None;
    }
    let (y, m, d): (i64, usize, i64) = (date[..4].parse().ok()?, date[5..7].parse().ok()?, date[8..].parse().ok()?);
    let leap = |y: i64| (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let mut days: i64 = (1..y).map(|y| if leap(y) { 366 } else { 365 }).sum();
    let months = [31, if leap(y) { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    days += months[..m - 1].iter().sum::<i64>();
    Some(days + d)
}

/// Who `id` is: the end of its chain of merges (the demo has no loops).
fn person(nb: &Notebook, mut id: ContactId) -> ContactId {
    while let Some(next) = nb.contact(id).and_then(|c| c.record.merged_into) {
        id = next;
    }
    id
}

#[derive(Debug, PartialEq)]
struct Reference {
    first_consultations: u32,
    consultations: u32,
    referrals: u32,
    events: u32,
    attendance: u32,
    companies_in_network: u32,
    companies_joined: u32,
    places_acquired: u32,
    places_filled: u32,
    active_mentors: u32,
    placed: u32,
    median_days: Option<u32>,
    first_by_community_and_group: Vec<(CommunityId, Option<TargetGroup>, u32)>,
}

fn reference(nb: &Notebook, from: &str, to: &str, today: &str) -> Reference {
    let last = if today < to { today } else { to };
    let inside = |d: &str| lotse_model::validate::is_valid_date(d) && from <= d && d <= last;
    let n = |x: usize| x as u32;

    let mut first: HashMap<ContactId, String> = HashMap::new();
    for c in nb.consultations() {
        if let Some(who) = c.record.contact {
            if lotse_model::validate::is_valid_date(&c.record.date) {
                let p = person(nb, who);
                let f = first.entry(p).or_insert_with(|| c.record.date.clone());
                if c.record.date < *f {
                    *f = c.record.date.clone();
                }
            }
        }
    }
    let mut by: Vec<(CommunityId, Option<TargetGroup>, u32)> = Vec::new();
    for (p, date) in &first {
        if inside(date) {
            let c = nb.contact(*p).unwrap();
            match by.iter_mut().find(|(k, g, _)| *k == c.community && *g == Some(c.record.target_group)) {
                Some(entry) => entry.2 += 1,
                None => by.push((c.community, Some(c.record.target_group), 1)),
            }
        }
    }
    by.sort_by_key(|(c, g, _)| (*c, g.map(|g| g.code())));

    let events: Vec<&Event> = nb.events().into_iter().filter(|e| inside(&e.date)).collect();
    let attendance: i64 = events.iter().flat_map(|e| TargetGroup::ALL.map(|g| e.attendance.count(g).max(0))).sum();
    let places: Vec<&TrainingPlace> = nb.training_places().into_iter().filter(|p| inside(&p.acquired_on)).collect();

    let mut mentors: HashSet<MentorId> = HashSet::new();
    mentors.extend(nb.consultations().filter(|c| inside(&c.record.date)).map(|c| c.record.mentor));
    mentors.extend(nb.referrals().filter(|r| inside(&r.record.date)).map(|r| r.record.mentor));
    mentors.extend(events.iter().map(|e| e.created_by));

    // Placements: the earliest start in the period with a referral before it
    // that came from the same person's consultation before it.
    let mut placed: HashMap<ContactId, String> = HashMap::new();
    for p in nb.training_places() {
        let Some(who) = p.filled_by else { continue };
        if p.status != PlaceStatus::Filled || !inside(&p.start_on) {
            continue;
        }
        let who = person(nb, who);
        if nb.contact(who).is_none() {
            continue;
        }
        let chained = nb.referrals().any(|r| {
            person(nb, r.record.contact) == who
                && r.record.date <= p.start_on
                && r.record.consultation.and_then(|c| nb.consultation(c)).is_some_and(|c| {
                    c.record.contact.is_some_and(|c| person(nb, c) == who) && c.record.date <= r.record.date
                })
        });
        if chained {
            let at = placed.entry(who).or_insert_with(|| p.start_on.clone());
            if p.start_on < *at {
                *at = p.start_on.clone();
            }
        }
    }
    let mut days: Vec<i64> =
        placed.iter().map(|(p, start)| day_number(start).unwrap() - day_number(&first[p]).unwrap()).collect();
    days.sort();
    let median_days = match days.len() {
        0 => None,
        k if k % 2 == 1 => Some(days[k / 2] as u32),
        k => Some(((days[k / 2 - 1] + days[k / 2]) as f64 / 2.0).round() as u32),
    };

    Reference {
        first_consultations: by.iter().map(|(_, _, n)| n).sum(),
        consultations: n(nb.consultations().filter(|c| inside(&c.record.date)).count()),
        referrals: n(nb.referrals().filter(|r| inside(&r.record.date)).count()),
        events: n(events.len()),
        attendance: attendance as u32,
        companies_in_network: n(nb
            .companies()
            .iter()
            .filter(|c| is_date(&c.member_since) && c.member_since.as_str() <= last)
            .count()),
        companies_joined: n(nb.companies().iter().filter(|c| inside(&c.member_since)).count()),
        places_acquired: n(places.len()),
        places_filled: n(places.iter().filter(|p| p.status == PlaceStatus::Filled).count()),
        active_mentors: n(mentors.len()),
        placed: n(placed.len()),
        median_days,
        first_by_community_and_group: by,
    }
}

fn is_date(d: &str) -> bool {
    lotse_model::validate::is_valid_date(d)
}

fn from_report(r: &Report) -> Reference {
    let h = r.headline();
    let mut by = Vec::new();
    for (c, g) in &r.first_consultations.rows {
        for group in TargetGroup::ALL.map(Some).into_iter().chain([None]) {
            if g.get(group) > 0 {
                by.push((c.unwrap(), group, g.get(group)));
            }
        }
    }
    by.sort_by_key(|(c, g, _)| (*c, g.map(|g| g.code())));
    Reference {
        first_consultations: h.first_consultations,
        consultations: h.consultations,
        referrals: h.referrals,
        events: h.events,
        attendance: h.attendance,
        companies_in_network: h.companies_in_network,
        companies_joined: h.companies_joined,
        places_acquired: h.places_acquired,
        places_filled: h.places_filled,
        active_mentors: h.active_mentors,
        placed: h.placed,
        median_days: h.median_days_to_placement,
        first_by_community_and_group: by,
    }
}

#[test]
fn every_headline_figure_of_the_demo_data_matches_a_slow_reference() {
    let size = DemoSize { communities: 3, contacts: 90, consultations: 240, events: 40, companies: 16 };
    let today = "2026-11-12";
    let mut placed_somewhere = 0;
    for seed in [1, 7, 42, 2026] {
        let d = demo::generate(&size, seed, today, ActorId::from([0xC0; 16])).unwrap();
        let mut communities = d.communities;
        // Merge a few pairs of each community, as a coordinator would.
        let mut nb = {
            let refs: Vec<_> = communities.iter().map(|(c, doc)| (c.id, doc)).collect();
            Notebook::load(&d.network, &refs).unwrap()
        };
        for (community, doc) in &mut communities {
            let mut mine: Vec<Contact> =
                nb.contacts().filter(|c| c.community == community.id).map(|c| c.record.clone()).collect();
            mine.sort_by_key(|c| c.id);
            for pair in mine.chunks(2).take(3) {
                if let [kept, dup] = pair {
                    let merged = Contact { merged_into: Some(kept.id), ..dup.clone() };
                    record::put(doc, &merged, T0).unwrap();
                }
            }
        }
        nb = {
            let refs: Vec<_> = communities.iter().map(|(c, doc)| (c.id, doc)).collect();
            Notebook::load(&d.network, &refs).unwrap()
        };
        assert_eq!(nb.contacts().count(), size.contacts - 3 * size.communities, "three pairs merged in each");
        let periods =
            ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4", "2025-Q4", "2026-01-01..2026-12-31", "2026-03-15..2026-08-14"];
        for text in periods {
            let period: Period = text.parse().unwrap();
            let r = Report::compute(&nb, &period, today);
            let want = reference(&nb, period.from(), period.to(), today);
            assert_eq!(from_report(&r), want, "seed {seed}, {text}");
            assert_eq!(Report::compute(&nb, &period, today), r, "recomputes the same, seed {seed}, {text}");
            placed_somewhere += want.placed;
        }
    }
    assert!(placed_somewhere > 0, "the demo data places someone after a referral");
}
