//! How far a measure of the action plan has come: its metric counted over
//! the records of its year.

use std::ops::RangeInclusive;

use crate::network::{Event, LicenceStatus, Measure, Metric, PlaceStatus};
use crate::notebook::{days_from_iso, Notebook};

/// Done against target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    pub done: u32,
    pub target: u32,
}

impl Progress {
    /// Percent of the target reached, rounded down; above 100 when the
    /// target is exceeded. A target of 0 counts as reached (100).
    pub fn percent(&self) -> u32 {
        if self.target == 0 {
            return 100;
        }
        (u64::from(self.done) * 100 / u64::from(self.target)).try_into().unwrap_or(u32::MAX)
    }

    /// The target is reached.
    pub fn met(&self) -> bool {
        self.done >= self.target
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Counts `measure.metric` over the records of `measure.year`:
///
/// - `Events`: events dated in the year, of `measure.event_kind` if set;
/// - `Attendance`: the head counts (all target groups) of those events;
/// - `Consultations`, `Referrals`: dated in the year, every community;
/// - `CompaniesJoined`: `member_since` in the year;
/// - `CompaniesLicensed`: licence held and a member by the year's end;
/// - `PlacesAcquired`: `acquired_on` in the year;
/// - `PlacesFilled`: filled, and acquired in the year.
pub fn progress(measure: &Measure, nb: &Notebook) -> Progress {
    let year = measure.year;
    let first = days_from_iso(&format!("{year:04}-01-01")).unwrap_or(i64::MAX);
    let last = days_from_iso(&format!("{year:04}-12-31")).unwrap_or(i64::MIN);
    Progress { done: done_between(measure, nb, first..=last), target: measure.target }
}

/// Counts `measure.metric` as [`progress`] does, over the records dated in
/// `days` (days since 1970, both ends included) instead of its year: what
/// the [report](crate::report) counts of a measure in a period. A record
/// without a valid date is never counted. `CompaniesLicensed` is a stock,
/// not a flow: licensed companies that are members by the range's end. An
/// empty range counts nothing.
pub(crate) fn done_between(measure: &Measure, nb: &Notebook, days: RangeInclusive<i64>) -> u32 {
    if days.is_empty() {
        return 0;
    }
    // Consultations and referrals are many: compare the day number each
    // holds rather than its date's text.
    let within = |date: &str| days_from_iso(date).is_some_and(|d| days.contains(&d));
    let events = || {
        nb.events()
            .into_iter()
            .filter(move |e: &&Event| within(&e.date) && measure.event_kind.is_none_or(|k| k == e.kind))
    };
    match measure.metric {
        Metric::Events => count(events().count()),
        Metric::Attendance => {
            let total: i64 = events().map(|e| e.attendance.total().max(0)).sum();
            u32::try_from(total).unwrap_or(u32::MAX)
        }
        Metric::Consultations => count(nb.consultations().filter(|c| days.contains(&c.day)).count()),
        Metric::Referrals => count(nb.referrals().filter(|r| days.contains(&r.day)).count()),
        Metric::CompaniesJoined => count(nb.companies().into_iter().filter(|c| within(&c.member_since)).count()),
        Metric::CompaniesLicensed => count(
            nb.companies()
                .into_iter()
                .filter(|c| {
                    c.licence == LicenceStatus::Has && days_from_iso(&c.member_since).is_some_and(|d| d <= *days.end())
                })
                .count(),
        ),
        Metric::PlacesAcquired => count(nb.training_places().into_iter().filter(|p| within(&p.acquired_on)).count()),
        Metric::PlacesFilled => count(
            nb.training_places()
                .into_iter()
                .filter(|p| p.status == PlaceStatus::Filled && within(&p.acquired_on))
                .count(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use automerge::AutoCommit;

    use super::*;
    use crate::advice::ReferralStatus;
    use crate::contact::TargetGroup;
    use crate::ids::CompanyId;
    use crate::network::EventKind;
    use crate::notebook::fixture::*;
    use crate::record::{self, Record};

    fn put<R: Record>(doc: &mut AutoCommit, r: &R) {
        record::put(doc, r, 1_000).unwrap();
    }

    fn notebook(net: &AutoCommit, tr: &AutoCommit) -> Notebook {
        Notebook::load(net, &[(community(1), tr)]).unwrap()
    }

    fn done(metric: Metric, kind: Option<EventKind>, net: &AutoCommit, tr: &AutoCommit) -> Progress {
        progress(&measure(1, metric, 2026, 10, kind), &notebook(net, tr))
    }

    #[test]
    fn six_of_ten_school_info_sessions_this_year() {
        let mut net = network();
        let tr = community_doc();
        for n in 0..6 {
            put(&mut net, &event(n, EventKind::SchoolInfoSession, &format!("2026-0{}-15", n + 1)));
        }
        put(&mut net, &event(10, EventKind::SchoolInfoSession, "2025-12-31")); // last year
        put(&mut net, &event(11, EventKind::SchoolInfoSession, "2027-01-01")); // next year
        put(&mut net, &event(12, EventKind::OpenDay, "2026-05-05")); // another kind
        let p = done(Metric::Events, Some(EventKind::SchoolInfoSession), &net, &tr);
        assert_eq!((p.done, p.target, p.percent()), (6, 10, 60));
        assert_eq!(done(Metric::Events, None, &net, &tr).done, 7, "every kind when none is set");
    }

    #[test]
    fn attendance_sums_the_head_counts_of_that_kinds_events_that_year() {
        let mut net = network();
        let tr = community_doc();
        let tally = |n: u8, kind, date: &str, parents: i64, youth: i64| {
            let mut e = event(n, kind, date);
            e.attendance.add(TargetGroup::Parent, parents);
            e.attendance.add(TargetGroup::Youth, youth);
            e
        };
        put(&mut net, &tally(1, EventKind::ParentEvening, "2026-02-01", 12, 3));
        put(&mut net, &tally(2, EventKind::ParentEvening, "2026-09-01", 20, 0));
        put(&mut net, &tally(3, EventKind::ParentEvening, "2025-09-01", 100, 0)); // last year
        put(&mut net, &tally(4, EventKind::SchoolInfoSession, "2026-09-01", 0, 80)); // another kind
        assert_eq!(done(Metric::Attendance, Some(EventKind::ParentEvening), &net, &tr).done, 35);
        assert_eq!(done(Metric::Attendance, None, &net, &tr).done, 115);
    }

    #[test]
    fn consultations_and_referrals_count_that_year_in_every_community() {
        let net = network();
        let mut tr = community_doc();
        let mut ar = community_doc();
        let ayse = contact(1, "Ayşe", TargetGroup::Parent);
        put(&mut tr, &consultation(1, "2026-01-01", Some(ayse.id), ""));
        put(&mut tr, &consultation(2, "2026-12-31", Some(ayse.id), ""));
        put(&mut tr, &consultation(3, "2025-12-31", Some(ayse.id), "")); // last year
        put(&mut ar, &consultation(4, "2026-06-01", None, ""));
        put(&mut tr, &referral(1, ayse.id, "2026-03-01", ReferralStatus::Done, None));
        put(&mut tr, &referral(2, ayse.id, "2025-03-01", ReferralStatus::Open, None)); // last year
        let nb = Notebook::load(&net, &[(community(1), &tr), (community(2), &ar)]).unwrap();
        assert_eq!(progress(&measure(1, Metric::Consultations, 2026, 10, None), &nb).done, 3);
        assert_eq!(progress(&measure(1, Metric::Referrals, 2026, 10, None), &nb).done, 1);
    }

    #[test]
    fn companies_joined_count_that_year_licensed_count_members_by_its_end() {
        let mut net = network();
        let tr = community_doc();
        put(&mut net, &company(1, "A", LicenceStatus::Has, "2026-04-01")); // joined, licensed
        put(&mut net, &company(2, "B", LicenceStatus::Has, "2024-04-01")); // licensed, joined earlier
        put(&mut net, &company(3, "C", LicenceStatus::InPreparation, "2026-05-01")); // joined, not licensed
        put(&mut net, &company(4, "D", LicenceStatus::Has, "2027-01-15")); // not yet a member
        put(&mut net, &company(5, "E", LicenceStatus::None, "2025-05-01"));
        put(&mut net, &company(6, "F", LicenceStatus::Has, "")); // no date: not counted
        assert_eq!(done(Metric::CompaniesJoined, None, &net, &tr).done, 2);
        assert_eq!(done(Metric::CompaniesLicensed, None, &net, &tr).done, 2);
    }

    #[test]
    fn places_acquired_count_that_year_filled_only_if_filled() {
        let mut net = network();
        let tr = community_doc();
        let firm = CompanyId::from_random([1; 16]);
        put(&mut net, &place(1, firm, PlaceStatus::Filled, "2026-02-01"));
        put(&mut net, &place(2, firm, PlaceStatus::Offered, "2026-03-01"));
        put(&mut net, &place(3, firm, PlaceStatus::Acquired, "2026-11-30"));
        put(&mut net, &place(4, firm, PlaceStatus::Filled, "2025-10-01")); // last year
        assert_eq!(done(Metric::PlacesAcquired, None, &net, &tr).done, 3);
        assert_eq!(done(Metric::PlacesFilled, None, &net, &tr).done, 1);
    }

    #[test]
    fn percent_rounds_down_exceeds_100_and_a_zero_target_is_met() {
        assert_eq!(Progress { done: 2, target: 3 }.percent(), 66);
        assert_eq!(Progress { done: 15, target: 10 }.percent(), 150);
        assert_eq!(Progress { done: 0, target: 0 }.percent(), 100);
        assert!(Progress { done: 10, target: 10 }.met());
        assert!(!Progress { done: 9, target: 10 }.met());
    }
}
