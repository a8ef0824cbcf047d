//! The report for the funders: every figure of a period (a quarter by
//! default, or any range of days), by community and by target group,
//! counted from the [`Notebook`] alone, as spreadsheet tables (CSV), and
//! what changed between two computations of it.
//!
//! # What each figure counts
//!
//! The period runs from its first day to its last, both included, but
//! never past `today`: a record dated after today (an event still planned,
//! a date typed wrong) is not counted yet. [`Report::as_of`] is the last
//! day counted. A record whose date does not parse is never counted.
//!
//! A person is always counted as the contact that stands for them
//! ([`Notebook::kept_contact`]): what names a duplicate merged into another
//! counts once, for the kept contact, in its community and target group.
//!
//! - **First consultations** ([`Report::first_consultations`]): people
//!   whose first consultation ever (the earliest dated consultation naming
//!   them or a contact merged into them) falls in the period. Counted per
//!   person: a consultation of a household alone is not a person's first
//!   consultation. Community and target group: the kept contact's (if the
//!   contact is not on this device: the consultation's community and no
//!   target group).
//! - **Consultations**: every consultation dated in the period; community:
//!   the document it is in; target group: its contact's (none for a
//!   household alone).
//! - **Referrals**: dated in the period, by community and target group as
//!   consultations, and by institution and status. The status is the one
//!   the referral has now: a referral keeps no history of its status.
//! - **Events**: dated in the period, by kind and by community (`None`: an
//!   event of the whole network), each with its head counts per target
//!   group (a negative count, a mis-tap corrected too far, counts as 0).
//! - **Companies**: a company has no date for its training licence, only
//!   the date it joined the network (`member_since`), so the report counts
//!   *in the network*: members by the last day counted; and *newly
//!   training*: those that joined the network of training businesses in the
//!   period. Both are split by the licence status the company has now
//!   ([`LicenceStatus`]). Community: the company's.
//! - **Training places**: acquired in the period (`acquired_on`), by the
//!   status they have now; *filled* are those of them now filled, as the
//!   action plan's `PlacesFilled` counts. Community: the company's.
//! - **Active mentors**: mentors who wrote a consultation
//!   (`Consultation::mentor`), a referral (`Referral::mentor`) or an event
//!   (`Event::created_by`) dated in the period; each once, under the
//!   community of their profile (`None`: coordinators, or a mentor not on
//!   this device).
//! - **Measures** of the action plan whose year overlaps the period: their
//!   target, what their metric counts in the period, and in their year up to
//!   the last day counted: what [`progress::progress`] counts over the whole
//!   year, counted over those days.
//! - **Placements**, the outcome chain: young people who took a training
//!   place after a referral. A training place filled by a contact, whose
//!   *placement day* is the place's `start_on` (the day the young person
//!   begins training: `acquired_on` is when the service centre won the place
//!   from the company, often before it ever met the young person), in the
//!   period; counted if that person (or a contact merged into them) has a
//!   referral dated on or before the placement day that names a
//!   consultation of theirs dated on or before the referral. Each person
//!   once, at their earliest such placement in the period, with the days
//!   from their first consultation ever to it; community and target group:
//!   the kept contact's. The filled places in the period that make no such
//!   chain are counted by why ([`Unlinked`]).
//!
//! Every list is ordered (maps by key, communities and institutions by name
//! then id), so the same notebook, period and day give an equal report.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::str::FromStr;

use crate::choice;
use crate::contact::TargetGroup;
use crate::device_status::{Completeness, Since};
use crate::ids::{CommunityId, ContactId, InstitutionId, MeasureId, MentorId};
use crate::network::{ActionField, EventKind, LicenceStatus, Metric, PlaceStatus};
use crate::notebook::{days_from_iso, fold, iso_from_days, Notebook};
use crate::progress::{self, Progress};
use crate::sheet::{Sheet, Value, Workbook};
use crate::validate::is_valid_date;
use crate::ReferralStatus;

// ---------------------------------------------------------------------------
// The period.

/// Which end of a period a date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    Start,
    End,
}

impl fmt::Display for Bound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Bound::Start => "start date",
            Bound::End => "end date",
        })
    }
}

/// A period that cannot be: each says what to write instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("{0:?} is not a period: write a quarter as 2026-Q3, or a range of days as 2026-07-01..2026-09-30")]
    Unreadable(String),
    #[error("there is no quarter {0}: a year has quarters 1 to 4 (2026-Q1 … 2026-Q4)")]
    NoSuchQuarter(u32),
    #[error("the year {0} is out of range: write a year from 1 to 9999")]
    BadYear(i64),
    #[error("the {which} {input:?} is not a date: write it as YYYY-MM-DD, e.g. 2026-07-01")]
    BadDate { which: Bound, input: String },
    #[error("the period ends on {to}, before it starts on {from}: swap the two dates")]
    EndsBeforeStart { from: String, to: String },
}

/// The days a report counts: a calendar quarter, or any range of days, both
/// ends included. Written (and serialised) as `2026-Q3` or
/// `2026-07-01..2026-08-15`; a range that is exactly a quarter is that
/// quarter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Period {
    from: String,
    to: String,
    quarter: Option<(i32, u8)>,
}

impl Period {
    /// Quarter `q` (1 to 4) of `year` (1 to 9999).
    pub fn quarter(year: i32, q: u8) -> Result<Period, PeriodError> {
        if !(1..=9999).contains(&year) {
            return Err(PeriodError::BadYear(year.into()));
        }
        if !(1..=4).contains(&q) {
            return Err(PeriodError::NoSuchQuarter(q.into()));
        }
        let first = 3 * u32::from(q) - 2;
        let last_day = if q == 1 || q == 4 { 31 } else { 30 };
        Ok(Period {
            from: format!("{year:04}-{first:02}-01"),
            to: format!("{year:04}-{:02}-{last_day}", first + 2),
            quarter: Some((year, q)),
        })
    }

    /// The quarter `date` (`YYYY-MM-DD`) falls in: the report's default
    /// period is the quarter of today, or the one before it.
    pub fn quarter_of(date: &str) -> Result<Period, PeriodError> {
        let (year, month) = Self::date(Bound::Start, date)?;
        Period::quarter(year, ((month - 1) / 3 + 1) as u8)
    }

    /// The quarter before this period's first day.
    pub fn previous_quarter(&self) -> Result<Period, PeriodError> {
        let (year, month) = Self::date(Bound::Start, &self.from)?;
        let q = (month - 1) / 3 + 1;
        if q == 1 {
            Period::quarter(year - 1, 4)
        } else {
            Period::quarter(year, q as u8 - 1)
        }
    }

    /// The days from `from` to `to`, both included (`YYYY-MM-DD`).
    pub fn range(from: &str, to: &str) -> Result<Period, PeriodError> {
        let (from, to) = (from.trim(), to.trim());
        Self::date(Bound::Start, from)?;
        Self::date(Bound::End, to)?;
        if to < from {
            return Err(PeriodError::EndsBeforeStart { from: from.to_owned(), to: to.to_owned() });
        }
        let quarter = Period::quarter_of(from).ok().filter(|q| q.to == to).and_then(|q| q.quarter);
        Ok(Period { from: from.to_owned(), to: to.to_owned(), quarter })
    }

    /// Year and month of a valid date, or what is wrong with it.
    fn date(which: Bound, input: &str) -> Result<(i32, u32), PeriodError> {
        let bad = || PeriodError::BadDate { which, input: input.to_owned() };
        if !is_valid_date(input) {
            return Err(bad());
        }
        let year: i32 = input[..4].parse().map_err(|_| bad())?;
        if year == 0 {
            return Err(PeriodError::BadYear(0));
        }
        Ok((year, input[5..7].parse().map_err(|_| bad())?))
    }

    /// The first day, `YYYY-MM-DD`.
    pub fn from(&self) -> &str {
        &self.from
    }

    /// The last day, `YYYY-MM-DD`.
    pub fn to(&self) -> &str {
        &self.to
    }

    /// Year and quarter, if the period is one.
    pub fn as_quarter(&self) -> Option<(i32, u8)> {
        self.quarter
    }

    fn days(&self) -> (i64, i64) {
        let day = |d: &str| days_from_iso(d).unwrap_or_default();
        (day(&self.from), day(&self.to))
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.quarter {
            Some((year, q)) => write!(f, "{year:04}-Q{q}"),
            None => write!(f, "{}..{}", self.from, self.to),
        }
    }
}

impl FromStr for Period {
    type Err = PeriodError;

    /// `2026-Q3` (or `2026-q3`), or `2026-07-01..2026-09-30`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if let Some((from, to)) = s.split_once("..") {
            return Period::range(from, to);
        }
        let unreadable = || PeriodError::Unreadable(s.to_owned());
        let (year, q) = s.split_once("-Q").or_else(|| s.split_once("-q")).ok_or_else(unreadable)?;
        let digits = |t: &str| !t.is_empty() && t.len() <= 9 && t.bytes().all(|b| b.is_ascii_digit());
        if !digits(year) || !digits(q) {
            return Err(unreadable());
        }
        let (year, q): (i64, u32) = (year.parse().map_err(|_| unreadable())?, q.parse().map_err(|_| unreadable())?);
        let year = i32::try_from(year).ok().filter(|y| (1..=9999).contains(y)).ok_or(PeriodError::BadYear(year))?;
        let q = u8::try_from(q).ok().filter(|q| (1..=4).contains(q)).ok_or(PeriodError::NoSuchQuarter(q))?;
        Period::quarter(year, q)
    }
}

impl TryFrom<String> for Period {
    type Error = PeriodError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Period> for String {
    fn from(p: Period) -> String {
        p.to_string()
    }
}

// ---------------------------------------------------------------------------
// The figures.

/// People counted per target group; `none`: a consultation of a household
/// alone, or of a contact not on this device.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ByGroup {
    pub parent: u32,
    pub youth: u32,
    pub self_employed: u32,
    pub none: u32,
}

impl ByGroup {
    pub fn get(&self, group: Option<TargetGroup>) -> u32 {
        match group {
            Some(TargetGroup::Parent) => self.parent,
            Some(TargetGroup::Youth) => self.youth,
            Some(TargetGroup::SelfEmployed) => self.self_employed,
            None => self.none,
        }
    }

    fn add(&mut self, group: Option<TargetGroup>) {
        let n = match group {
            Some(TargetGroup::Parent) => &mut self.parent,
            Some(TargetGroup::Youth) => &mut self.youth,
            Some(TargetGroup::SelfEmployed) => &mut self.self_employed,
            None => &mut self.none,
        };
        *n = n.saturating_add(1);
    }
}

/// Head counts of events per target group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Heads {
    pub parent: u32,
    pub youth: u32,
    pub self_employed: u32,
}

impl Heads {
    pub fn get(&self, group: TargetGroup) -> u32 {
        match group {
            TargetGroup::Parent => self.parent,
            TargetGroup::Youth => self.youth,
            TargetGroup::SelfEmployed => self.self_employed,
        }
    }

    fn add(&mut self, group: TargetGroup, n: u32) {
        let at = match group {
            TargetGroup::Parent => &mut self.parent,
            TargetGroup::Youth => &mut self.youth,
            TargetGroup::SelfEmployed => &mut self.self_employed,
        };
        *at = at.saturating_add(n);
    }

    pub fn total(&self) -> u32 {
        TargetGroup::ALL.iter().fold(0u32, |sum, g| sum.saturating_add(self.get(*g)))
    }
}

/// Events of one kind (in one community) and who came.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EventFigures {
    pub events: u32,
    pub attendance: Heads,
}

/// Young people placed after a referral, per target group, and for each
/// the days from their first consultation to the placement (ascending).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Placed {
    pub people: ByGroup,
    pub days: Vec<u32>,
}

impl Placed {
    /// The median of [`Placed::days`] in whole days (of an even count, the
    /// mean of the middle two, rounded half up); `None` if nobody was placed.
    pub fn median_days(&self) -> Option<u32> {
        median(&self.days)
    }
}

fn median(sorted: &[u32]) -> Option<u32> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((u64::from(sorted[n / 2 - 1]) + u64::from(sorted[n / 2])).div_ceil(2) as u32),
    }
}

/// Counts per value of a closed list; values with none are left out.
pub type Counts<K> = BTreeMap<K, u32>;

choice!(
    /// Why a training place filled in the period is not a placement after a
    /// referral.
    Unlinked {
        /// The place names no young person, or one this device does not hold
        /// (their community's document is not on it).
        UnknownPerson = "unknown-person",
        /// No referral of theirs is dated on or before the placement.
        NotReferred = "not-referred",
        /// Referred, but no such referral names a consultation of theirs
        /// dated on or before it.
        ReferralWithoutConsultation = "referral-without-consultation",
    }
);

/// What a figure adds up to.
pub trait Total {
    fn total(&self) -> u32;
}

impl Total for u32 {
    fn total(&self) -> u32 {
        *self
    }
}

impl Total for ByGroup {
    fn total(&self) -> u32 {
        [self.parent, self.youth, self.self_employed, self.none].iter().fold(0u32, |s, n| s.saturating_add(*n))
    }
}

impl Total for Placed {
    fn total(&self) -> u32 {
        self.people.total()
    }
}

impl<K> Total for Counts<K> {
    fn total(&self) -> u32 {
        self.values().fold(0u32, |s, n| s.saturating_add(*n))
    }
}

/// A figure per community: every community of the notebook (by name, then
/// id), with `None` (no community: an event of the whole network, a company
/// or mentor without one) last, and only if it counts something.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ByCommunity<V> {
    pub rows: Vec<(Option<CommunityId>, V)>,
}

impl<V> Default for ByCommunity<V> {
    fn default() -> Self {
        ByCommunity { rows: Vec::new() }
    }
}

impl<V> ByCommunity<V> {
    /// The figure of one community (`None`: of no community).
    pub fn get(&self, community: Option<CommunityId>) -> Option<&V> {
        self.rows.iter().find(|(c, _)| *c == community).map(|(_, v)| v)
    }

    /// The sum over every community of what `f` takes from each.
    pub fn sum(&self, f: impl Fn(&V) -> u32) -> u32 {
        self.rows.iter().fold(0u32, |s, (_, v)| s.saturating_add(f(v)))
    }
}

impl<V: Total> ByCommunity<V> {
    pub fn total(&self) -> u32 {
        self.sum(Total::total)
    }
}

impl ByCommunity<ByGroup> {
    /// The people of one target group (`None`: of none), every community.
    pub fn group(&self, group: Option<TargetGroup>) -> u32 {
        self.sum(|g| g.get(group))
    }
}

impl<K: Ord> ByCommunity<Counts<K>> {
    /// The count of one value (a status, a licence), every community.
    pub fn of(&self, key: K) -> u32 {
        self.sum(|c| c.get(&key).copied().unwrap_or(0))
    }
}

impl ByCommunity<BTreeMap<EventKind, EventFigures>> {
    /// Events and head counts of one kind (every kind: `None`), every
    /// community.
    pub fn of_kind(&self, kind: Option<EventKind>) -> EventFigures {
        let mut out = EventFigures::default();
        for (_, kinds) in &self.rows {
            for (_, f) in kinds.iter().filter(|(k, _)| kind.is_none_or(|want| want == **k)) {
                out.events = out.events.saturating_add(f.events);
                for g in TargetGroup::ALL {
                    out.attendance.add(g, f.attendance.get(g));
                }
            }
        }
        out
    }
}

/// A measure of the action plan in the period.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MeasureFigures {
    pub id: MeasureId,
    pub field: ActionField,
    pub title: String,
    pub owner: String,
    pub metric: Metric,
    pub event_kind: Option<EventKind>,
    pub year: i32,
    pub target: u32,
    /// What its metric counts in the period (within its year).
    pub done_in_period: u32,
    /// What its metric counts in its year up to the report's last day.
    pub done_to_date: u32,
}

impl MeasureFigures {
    /// The year to date against the year's target.
    pub fn progress(&self) -> Progress {
        Progress { done: self.done_to_date, target: self.target }
    }
}

/// The headline figures, one number each (totals over every community and
/// target group).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Headline {
    pub first_consultations: u32,
    pub consultations: u32,
    pub referrals: u32,
    pub events: u32,
    pub attendance: u32,
    pub companies_in_network: u32,
    pub companies_joined: u32,
    pub places_acquired: u32,
    pub places_filled: u32,
    pub active_mentors: u32,
    pub placed: u32,
    pub median_days_to_placement: Option<u32>,
}

impl Headline {
    /// The headline's counts in the overview's order (`FIGURES`), as the
    /// overview sheet and a pinned export list them.
    pub fn counts(&self) -> [u32; 10] {
        [
            self.first_consultations,
            self.consultations,
            self.referrals,
            self.events,
            self.attendance,
            self.companies_joined,
            self.places_acquired,
            self.places_filled,
            self.active_mentors,
            self.placed,
        ]
    }
}

/// Every figure of a period; see the [module](self) for what each counts.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Report {
    pub period: Period,
    /// The last day counted: the period's last, or today if that is earlier
    /// (before the period's start if it has not begun).
    pub as_of: String,
    /// The name of every community the figures name, as it was.
    pub communities: BTreeMap<CommunityId, String>,
    /// The name of every institution the figures name, as it was.
    pub institutions: BTreeMap<InstitutionId, String>,
    pub first_consultations: ByCommunity<ByGroup>,
    pub consultations: ByCommunity<ByGroup>,
    pub referrals: ByCommunity<ByGroup>,
    /// Every institution of the notebook (and any other a referral names),
    /// by name, then id.
    pub referrals_by_institution: Vec<(InstitutionId, Counts<ReferralStatus>)>,
    pub events: ByCommunity<BTreeMap<EventKind, EventFigures>>,
    pub companies_in_network: ByCommunity<Counts<LicenceStatus>>,
    /// Newly training: joined the network in the period.
    pub companies_joined: ByCommunity<Counts<LicenceStatus>>,
    /// Acquired in the period, by the status they have now.
    pub places_acquired: ByCommunity<Counts<PlaceStatus>>,
    pub active_mentors: ByCommunity<u32>,
    pub measures: Vec<MeasureFigures>,
    pub placements: ByCommunity<Placed>,
    pub unlinked_placements: Counts<Unlinked>,
    /// How complete the figures can be: which active devices synced after
    /// the period's end. Not computed from the notebook (it needs the
    /// membership and the devices' statuses): the caller adds it with
    /// [`Report::with_completeness`].
    pub completeness: Option<Completeness>,
}

/// A day number inside the counted days.
struct Days {
    from: i64,
    last: i64,
}

impl Days {
    fn contains(&self, day: i64) -> bool {
        self.from <= day && day <= self.last
    }

    fn date(&self, date: &str) -> bool {
        days_from_iso(date).is_some_and(|d| self.contains(d))
    }
}

/// Builds a [`ByCommunity`]: a row for every community, then what comes.
struct Rows<'a, V> {
    names: &'a BTreeMap<CommunityId, String>,
    map: BTreeMap<Option<CommunityId>, V>,
}

impl<'a, V: Default> Rows<'a, V> {
    fn new(names: &'a BTreeMap<CommunityId, String>) -> Self {
        Rows { names, map: names.keys().map(|c| (Some(*c), V::default())).collect() }
    }

    fn at(&mut self, community: Option<CommunityId>) -> &mut V {
        self.map.entry(community).or_default()
    }

    fn done(self) -> ByCommunity<V> {
        let names = self.names;
        let mut rows: Vec<_> = self.map.into_iter().collect();
        crate::order::sort_by_cached_key(&mut rows, |(c, _)| community_order(names, *c));
        ByCommunity { rows }
    }
}

/// Communities by name (ignoring case and accents), then id; none last.
fn community_order(
    names: &BTreeMap<CommunityId, String>,
    c: Option<CommunityId>,
) -> (bool, String, Option<CommunityId>) {
    (c.is_none(), c.and_then(|c| names.get(&c)).map(|n| fold(n)).unwrap_or_default(), c)
}

fn add<K: Ord>(counts: &mut Counts<K>, key: K) {
    let n = counts.entry(key).or_default();
    *n = n.saturating_add(1);
}

fn clamp(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

impl Report {
    /// Counts every figure of `period` up to `today` (`YYYY-MM-DD`; a
    /// `today` that is not a date does not shorten the period).
    pub fn compute(nb: &Notebook, period: &Period, today: &str) -> Report {
        let (from, to) = period.days();
        let last = days_from_iso(today).map_or(to, |t| t.min(to));
        let days = Days { from, last };

        let mut communities: BTreeMap<CommunityId, String> =
            nb.communities().into_iter().map(|c| (c.id, c.name.clone())).collect();
        // A community whose profile this device lacks still gets its row
        // (named by its id in the tables).
        let named = nb.contacts().map(|c| c.community).chain(nb.consultations().map(|c| c.community));
        let named = named
            .chain(nb.events().into_iter().filter_map(|e| e.community))
            .chain(nb.companies().into_iter().filter_map(|c| c.community))
            .chain(nb.mentors().into_iter().filter_map(|m| m.community));
        for c in named {
            communities.entry(c).or_default();
        }
        let names = &communities;

        // Who a contact id stands for: the kept contact, its community and
        // target group (if this device holds it).
        let who = |id: ContactId| {
            let kept = nb.kept_contact(id);
            (kept, nb.contact(kept).map(|c| (c.community, c.record.target_group)))
        };
        let group_of = |id: Option<ContactId>| id.and_then(|c| who(c).1).map(|(_, g)| g);

        // First consultation ever of each person: (day, the consultation's community).
        let mut first: HashMap<ContactId, (i64, CommunityId)> = HashMap::new();
        let mut consultations = Rows::<ByGroup>::new(names);
        let mut active: BTreeSet<MentorId> = BTreeSet::new();
        for c in nb.consultations() {
            if c.day == i64::MIN {
                continue;
            }
            if let Some(contact) = c.record.contact {
                let (kept, _) = who(contact);
                let e = first.entry(kept).or_insert((c.day, c.community));
                if c.day < e.0 {
                    *e = (c.day, c.community);
                }
            }
            if days.contains(c.day) {
                consultations.at(Some(c.community)).add(group_of(c.record.contact));
                active.insert(c.record.mentor);
            }
        }
        let mut first_consultations = Rows::<ByGroup>::new(names);
        for (kept, (day, community)) in &first {
            if days.contains(*day) {
                let (community, group) = match nb.contact(*kept) {
                    Some(c) => (c.community, Some(c.record.target_group)),
                    None => (*community, None),
                };
                first_consultations.at(Some(community)).add(group);
            }
        }

        let mut institutions: BTreeMap<InstitutionId, String> =
            nb.institutions().into_iter().map(|i| (i.id, i.name.clone())).collect();
        let mut referrals = Rows::<ByGroup>::new(names);
        let mut by_institution: BTreeMap<InstitutionId, Counts<ReferralStatus>> =
            institutions.keys().map(|i| (*i, Counts::new())).collect();
        for r in nb.referrals().filter(|r| days.contains(r.day)) {
            referrals.at(Some(r.community)).add(group_of(Some(r.record.contact)));
            add(by_institution.entry(r.record.institution).or_default(), r.record.status);
            institutions.entry(r.record.institution).or_default();
            active.insert(r.record.mentor);
        }
        let mut referrals_by_institution: Vec<_> = by_institution.into_iter().collect();
        crate::order::sort_by_cached_key(&mut referrals_by_institution, |(i, _)| {
            (institutions.get(i).map(|n| fold(n)), *i)
        });

        let mut events = Rows::<BTreeMap<EventKind, EventFigures>>::new(names);
        for e in nb.events().into_iter().filter(|e| days.date(&e.date)) {
            let f = events.at(e.community).entry(e.kind).or_default();
            f.events = f.events.saturating_add(1);
            for g in TargetGroup::ALL {
                f.attendance.add(g, clamp(e.attendance.count(g)));
            }
            active.insert(e.created_by);
        }

        let mut in_network = Rows::<Counts<LicenceStatus>>::new(names);
        let mut joined = Rows::<Counts<LicenceStatus>>::new(names);
        for c in nb.companies() {
            let Some(since) = days_from_iso(&c.member_since) else { continue };
            if since <= last {
                add(in_network.at(c.community), c.licence);
            }
            if days.contains(since) {
                add(joined.at(c.community), c.licence);
            }
        }

        let mut places = Rows::<Counts<PlaceStatus>>::new(names);
        for p in nb.training_places().into_iter().filter(|p| days.date(&p.acquired_on)) {
            add(places.at(nb.company(p.company).and_then(|c| c.community)), p.status);
        }

        let mut mentors = Rows::<u32>::new(names);
        for m in &active {
            let n = mentors.at(nb.mentor(*m).and_then(|m| m.community));
            *n = n.saturating_add(1);
        }

        let measures = nb
            .measures()
            .into_iter()
            .filter_map(|m| {
                let y_from = days_from_iso(&format!("{:04}-01-01", m.year))?;
                let y_to = days_from_iso(&format!("{:04}-12-31", m.year))?;
                (y_from <= to && from <= y_to).then(|| MeasureFigures {
                    id: m.id,
                    field: m.field,
                    title: m.title.clone(),
                    owner: m.owner.clone(),
                    metric: m.metric,
                    event_kind: m.event_kind,
                    year: m.year,
                    target: m.target,
                    done_in_period: progress::done_between(m, nb, from.max(y_from)..=last.min(y_to)),
                    done_to_date: progress::done_between(m, nb, y_from..=last.min(y_to)),
                })
            })
            .collect();

        let (placements, unlinked_placements) = placements(nb, &days, &first, names);
        let first_consultations = first_consultations.done();
        let consultations = consultations.done();
        let referrals = referrals.done();
        let events = events.done();
        let companies_in_network = in_network.done();
        let companies_joined = joined.done();
        let places_acquired = places.done();
        let active_mentors = mentors.done();

        Report {
            period: period.clone(),
            as_of: iso_from_days(last),
            communities,
            institutions,
            first_consultations,
            consultations,
            referrals,
            referrals_by_institution,
            events,
            companies_in_network,
            companies_joined,
            places_acquired,
            active_mentors,
            measures,
            placements,
            unlinked_placements,
            completeness: None,
        }
    }

    /// The report with its [completeness note](Completeness).
    pub fn with_completeness(mut self, completeness: Option<Completeness>) -> Report {
        self.completeness = completeness;
        self
    }

    /// One number per figure.
    pub fn headline(&self) -> Headline {
        let events = self.events.of_kind(None);
        let mut days: Vec<u32> = self.placements.rows.iter().flat_map(|(_, p)| p.days.iter().copied()).collect();
        crate::order::sort(&mut days);
        Headline {
            first_consultations: self.first_consultations.total(),
            consultations: self.consultations.total(),
            referrals: self.referrals.total(),
            events: events.events,
            attendance: events.attendance.total(),
            companies_in_network: self.companies_in_network.total(),
            companies_joined: self.companies_joined.total(),
            places_acquired: self.places_acquired.total(),
            places_filled: self.places_acquired.of(PlaceStatus::Filled),
            active_mentors: self.active_mentors.total(),
            placed: self.placements.total(),
            median_days_to_placement: median(&days),
        }
    }
}

/// The outcome chain (see the module documentation): who was placed after a
/// referral, and the filled places that make no chain, by why.
fn placements(
    nb: &Notebook,
    days: &Days,
    first: &HashMap<ContactId, (i64, CommunityId)>,
    names: &BTreeMap<CommunityId, String>,
) -> (ByCommunity<Placed>, Counts<Unlinked>) {
    use crate::network::PlaceStatus::Filled;
    let filled: Vec<_> = nb
        .training_places()
        .into_iter()
        .filter_map(|p| Some((p, days_from_iso(&p.start_on)?)))
        .filter(|(p, day)| p.status == Filled && days.contains(*day))
        .collect();
    let mut unlinked = Counts::new();
    if filled.is_empty() {
        return (Rows::<Placed>::new(names).done(), unlinked);
    }
    // Referrals per person: (referral day, day of the consultation it names
    // if that consultation is the same person's).
    let mut referred: HashMap<ContactId, Vec<(i64, Option<i64>)>> = HashMap::new();
    for r in nb.referrals().filter(|r| r.day != i64::MIN) {
        let kept = nb.kept_contact(r.record.contact);
        let consulted = r
            .record
            .consultation
            .and_then(|id| nb.consultation(id))
            .filter(|c| c.day != i64::MIN && c.record.contact.is_some_and(|c| nb.kept_contact(c) == kept))
            .map(|c| c.day);
        referred.entry(kept).or_default().push((r.day, consulted));
    }
    // Each person's earliest chained placement in the period.
    let mut placed: BTreeMap<ContactId, i64> = BTreeMap::new();
    let mut broken: Vec<(Option<ContactId>, Unlinked)> = Vec::new();
    for (p, day) in filled {
        let Some(kept) = p.filled_by.map(|c| nb.kept_contact(c)).filter(|k| nb.contact(*k).is_some()) else {
            broken.push((None, Unlinked::UnknownPerson));
            continue;
        };
        let before: Vec<_> = referred.get(&kept).into_iter().flatten().filter(|(r, _)| *r <= day).collect();
        if before.iter().any(|(r, c)| c.is_some_and(|c| c <= *r)) {
            let at = placed.entry(kept).or_insert(day);
            *at = (*at).min(day);
        } else if before.is_empty() {
            broken.push((Some(kept), Unlinked::NotReferred));
        } else {
            broken.push((Some(kept), Unlinked::ReferralWithoutConsultation));
        }
    }
    // A place that makes no chain for someone placed after a referral anyway
    // is not a broken link.
    for (who, why) in broken {
        if who.is_none_or(|w| !placed.contains_key(&w)) {
            add(&mut unlinked, why);
        }
    }
    let mut rows = Rows::<Placed>::new(names);
    for (kept, day) in placed {
        let Some(c) = nb.contact(kept) else { continue };
        let row = rows.at(Some(c.community));
        row.people.add(Some(c.record.target_group));
        let since = first.get(&kept).map_or(day, |f| f.0);
        row.days.push(u32::try_from(day - since).unwrap_or(0));
    }
    for p in rows.map.values_mut() {
        crate::order::sort(&mut p.days);
    }
    (rows.done(), unlinked)
}

// ---------------------------------------------------------------------------
// Tables: what the CSV export writes and what `diff` compares.

/// Which row of a table a figure is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum RowKey {
    Community(CommunityId),
    /// Of no community: events of the whole network, companies and
    /// coordinators without one.
    NoCommunity,
    Institution(InstitutionId),
    EventKind(EventKind),
    Measure(MeasureId),
    Unlinked(Unlinked),
    /// The sums over the rows above.
    Total,
}

/// A figure that differs between two reports: in table `table`, row `row`,
/// column `column` (the column's label key). `None`: the cell is empty or
/// the row is not in that report.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FigureChange {
    pub table: &'static str,
    pub row: RowKey,
    pub column: &'static str,
    pub before: Option<u32>,
    pub after: Option<u32>,
}

enum Cell {
    /// A label key, written as the `labels` callback says.
    Label(String),
    /// Text from the records (a name, a title).
    Text(String),
    Num(u32),
    Empty,
}

struct Table {
    name: &'static str,
    /// The label keys of the columns.
    head: Vec<&'static str>,
    rows: Vec<(RowKey, Vec<Cell>)>,
}

const GROUP_COLUMNS: [&str; 5] =
    ["group-parent", "group-youth", "group-self-employed", "report-col-no-group", "report-col-total"];
const ATTENDANCE_COLUMNS: [&str; 4] = [
    "report-col-attendance-parent",
    "report-col-attendance-youth",
    "report-col-attendance-self-employed",
    "report-col-attendance",
];

/// The headline figures the overview lists, in its order: each is labelled
/// `report-fig-<name>`.
pub const FIGURES: [&str; 10] = [
    "first-consultations",
    "consultations",
    "referrals",
    "events",
    "attendance",
    "companies-joined",
    "places-acquired",
    "places-filled",
    "active-mentors",
    "placed",
];

/// The name of the whole report's first sheet: the period and the headline.
pub const OVERVIEW: &str = "overview";

/// The table names [`Report::sheets`] returns, in its order; the app's
/// title of each is the label `report-table-<name>`.
pub const TABLES: [&str; 12] = [
    "first-consultations",
    "consultations",
    "referrals",
    "referrals-by-institution",
    "events",
    "events-by-community",
    "companies",
    "training-places",
    "active-mentors",
    "measures",
    "placements",
    "placements-unlinked",
];

fn nums(values: impl IntoIterator<Item = u32>) -> impl Iterator<Item = Cell> {
    values.into_iter().map(Cell::Num)
}

fn group_cells(g: &ByGroup) -> Vec<Cell> {
    let mut cells: Vec<Cell> = nums([g.parent, g.youth, g.self_employed, g.none]).collect();
    cells.push(Cell::Num(g.total()));
    cells
}

fn heads_cells(h: &Heads) -> impl Iterator<Item = Cell> {
    nums([h.parent, h.youth, h.self_employed, h.total()])
}

fn counts_cells<K: Ord + Copy>(all: &[K], counts: &Counts<K>) -> Vec<Cell> {
    let mut cells: Vec<Cell> = all.iter().map(|k| Cell::Num(counts.get(k).copied().unwrap_or(0))).collect();
    cells.push(Cell::Num(counts.total()));
    cells
}

fn sum_counts<'a, K: Ord + Copy + 'a>(all: impl IntoIterator<Item = &'a Counts<K>>) -> Counts<K> {
    let mut out = Counts::new();
    for counts in all {
        for (k, n) in counts {
            let at = out.entry(*k).or_default();
            *at = at.saturating_add(*n);
        }
    }
    out
}

fn sum_groups<'a>(all: impl IntoIterator<Item = &'a ByGroup>) -> ByGroup {
    all.into_iter().fold(ByGroup::default(), |s, g| ByGroup {
        parent: s.parent.saturating_add(g.parent),
        youth: s.youth.saturating_add(g.youth),
        self_employed: s.self_employed.saturating_add(g.self_employed),
        none: s.none.saturating_add(g.none),
    })
}

fn sum_events<'a>(all: impl IntoIterator<Item = &'a EventFigures>) -> EventFigures {
    let mut out = EventFigures::default();
    for f in all {
        out.events = out.events.saturating_add(f.events);
        for g in TargetGroup::ALL {
            out.attendance.add(g, f.attendance.get(g));
        }
    }
    out
}

impl Report {
    fn community_cell(&self, c: Option<CommunityId>) -> (RowKey, Cell) {
        match c {
            Some(c) => {
                let name = self.communities.get(&c).filter(|n| !n.is_empty()).cloned();
                (RowKey::Community(c), Cell::Text(name.unwrap_or_else(|| c.to_string())))
            }
            None => (RowKey::NoCommunity, Cell::Label("report-row-no-community".into())),
        }
    }

    /// A table with a row per community and a total row, the cells of each
    /// from `cells`.
    fn per_community<V>(
        &self,
        name: &'static str,
        head: &[&'static str],
        figure: &ByCommunity<V>,
        total: V,
        cells: impl Fn(&V) -> Vec<Cell>,
    ) -> Table {
        let mut rows = Vec::new();
        for (c, v) in &figure.rows {
            let (key, first) = self.community_cell(*c);
            rows.push((key, std::iter::once(first).chain(cells(v)).collect()));
        }
        let total_row = std::iter::once(Cell::Label("report-row-total".into())).chain(cells(&total)).collect();
        rows.push((RowKey::Total, total_row));
        let mut columns = vec!["report-col-community"];
        columns.extend_from_slice(head);
        Table { name, head: columns, rows }
    }

    fn people_table(&self, name: &'static str, figure: &ByCommunity<ByGroup>) -> Table {
        let total = sum_groups(figure.rows.iter().map(|(_, g)| g));
        self.per_community(name, &GROUP_COLUMNS, figure, total, group_cells)
    }

    fn tables(&self) -> Vec<Table> {
        let mut tables = vec![
            self.people_table("first-consultations", &self.first_consultations),
            self.people_table("consultations", &self.consultations),
            self.people_table("referrals", &self.referrals),
        ];

        // Referrals by institution and status.
        let statuses: Vec<&'static str> = ReferralStatus::ALL.iter().map(|s| status_key(*s)).collect();
        let mut head = vec!["report-col-institution"];
        head.extend(statuses);
        head.push("report-col-total");
        let mut rows: Vec<(RowKey, Vec<Cell>)> = self
            .referrals_by_institution
            .iter()
            .map(|(i, counts)| {
                let name = self.institutions.get(i).filter(|n| !n.is_empty()).cloned().unwrap_or_else(|| i.to_string());
                let cells = std::iter::once(Cell::Text(name)).chain(counts_cells(ReferralStatus::ALL, counts));
                (RowKey::Institution(*i), cells.collect())
            })
            .collect();
        let total = sum_counts(self.referrals_by_institution.iter().map(|(_, c)| c));
        let cells =
            std::iter::once(Cell::Label("report-row-total".into())).chain(counts_cells(ReferralStatus::ALL, &total));
        rows.push((RowKey::Total, cells.collect()));
        tables.push(Table { name: "referrals-by-institution", head, rows });

        // Events by kind, and by community.
        let mut head = vec!["report-col-event-kind", "report-col-events"];
        head.extend(ATTENDANCE_COLUMNS);
        let mut rows: Vec<(RowKey, Vec<Cell>)> = EventKind::ALL
            .iter()
            .map(|k| {
                let f = self.events.of_kind(Some(*k));
                let cells = [Cell::Label(format!("event-kind-{}", k.code())), Cell::Num(f.events)].into_iter();
                (RowKey::EventKind(*k), cells.chain(heads_cells(&f.attendance)).collect())
            })
            .collect();
        let all = self.events.of_kind(None);
        let cells = [Cell::Label("report-row-total".into()), Cell::Num(all.events)].into_iter();
        rows.push((RowKey::Total, cells.chain(heads_cells(&all.attendance)).collect()));
        tables.push(Table { name: "events", head, rows });
        let mut head = vec!["report-col-events"];
        head.extend(ATTENDANCE_COLUMNS);
        let by_community =
            ByCommunity { rows: self.events.rows.iter().map(|(c, k)| (*c, sum_events(k.values()))).collect() };
        let event_cells = |f: &EventFigures| -> Vec<Cell> {
            std::iter::once(Cell::Num(f.events)).chain(heads_cells(&f.attendance)).collect()
        };
        tables.push(self.per_community("events-by-community", &head, &by_community, all, event_cells));

        // Companies: in the network, and newly training, each with a licence.
        let has = |c: &Counts<LicenceStatus>| c.get(&LicenceStatus::Has).copied().unwrap_or(0);
        let both = ByCommunity {
            rows: self
                .companies_in_network
                .rows
                .iter()
                .map(|(c, n)| (*c, (n.clone(), self.companies_joined.get(*c).cloned().unwrap_or_default())))
                .collect(),
        };
        let total = (
            sum_counts(self.companies_in_network.rows.iter().map(|(_, c)| c)),
            sum_counts(self.companies_joined.rows.iter().map(|(_, c)| c)),
        );
        let head = [
            "report-col-in-network",
            "report-col-in-network-licensed",
            "report-col-joined",
            "report-col-joined-licensed",
        ];
        let cells = |(n, j): &(Counts<LicenceStatus>, Counts<LicenceStatus>)| -> Vec<Cell> {
            nums([n.total(), has(n), j.total(), has(j)]).collect()
        };
        tables.push(self.per_community("companies", &head, &both, total, cells));

        // Training places acquired in the period, by their status now.
        let mut head: Vec<&'static str> = PlaceStatus::ALL.iter().map(|s| place_key(*s)).collect();
        head.push("report-col-places-acquired");
        let total = sum_counts(self.places_acquired.rows.iter().map(|(_, c)| c));
        let cells = |c: &Counts<PlaceStatus>| counts_cells(PlaceStatus::ALL, c);
        tables.push(self.per_community("training-places", &head, &self.places_acquired, total, cells));

        let total = self.active_mentors.total();
        let cells = |n: &u32| vec![Cell::Num(*n)];
        tables.push(self.per_community(
            "active-mentors",
            &["report-col-active-mentors"],
            &self.active_mentors,
            total,
            cells,
        ));

        // The action plan.
        let head = vec![
            "report-col-action-field",
            "report-col-measure",
            "report-col-owner",
            "report-col-metric",
            "report-col-event-kind",
            "report-col-year",
            "report-col-target",
            "report-col-done-period",
            "report-col-done-to-date",
            "report-col-percent",
        ];
        let rows = self
            .measures
            .iter()
            .map(|m| {
                let kind = m.event_kind.map_or(Cell::Empty, |k| Cell::Label(format!("event-kind-{}", k.code())));
                let cells = vec![
                    Cell::Label(format!("action-field-{}", m.field.code())),
                    Cell::Text(m.title.clone()),
                    Cell::Text(m.owner.clone()),
                    Cell::Label(format!("metric-{}", m.metric.code())),
                    kind,
                    Cell::Num(u32::try_from(m.year).unwrap_or(0)),
                    Cell::Num(m.target),
                    Cell::Num(m.done_in_period),
                    Cell::Num(m.done_to_date),
                    Cell::Num(m.progress().percent()),
                ];
                (RowKey::Measure(m.id), cells)
            })
            .collect();
        tables.push(Table { name: "measures", head, rows });

        // The outcome chain.
        let mut head = GROUP_COLUMNS.to_vec();
        head.push("report-col-median-days");
        let mut all_days: Vec<u32> = self.placements.rows.iter().flat_map(|(_, p)| p.days.iter().copied()).collect();
        crate::order::sort(&mut all_days);
        let total = Placed { people: sum_groups(self.placements.rows.iter().map(|(_, p)| &p.people)), days: all_days };
        let cells = |p: &Placed| {
            let mut cells = group_cells(&p.people);
            cells.push(p.median_days().map_or(Cell::Empty, Cell::Num));
            cells
        };
        tables.push(self.per_community("placements", &head, &self.placements, total, cells));
        let mut rows: Vec<(RowKey, Vec<Cell>)> = Unlinked::ALL
            .iter()
            .map(|u| {
                let n = self.unlinked_placements.get(u).copied().unwrap_or(0);
                (RowKey::Unlinked(*u), vec![Cell::Label(format!("report-unlinked-{}", u.code())), Cell::Num(n)])
            })
            .collect();
        let total = self.unlinked_placements.total();
        rows.push((RowKey::Total, vec![Cell::Label("report-row-total".into()), Cell::Num(total)]));
        tables.push(Table { name: "placements-unlinked", head: vec!["report-col-reason", "report-col-places"], rows });

        debug_assert_eq!(tables.iter().map(|t| t.name).collect::<Vec<_>>(), TABLES);
        tables
    }

    /// Every table as a [`Sheet`] with typed cells, named as in [`TABLES`]
    /// and titled `labels("report-table-<name>")`. Headers and labels (total
    /// row, event kinds, statuses) are `labels(key)`: the app passes its
    /// translations; every key is in [`label_keys`].
    pub fn sheets(&self, labels: &dyn Fn(&str) -> String) -> Vec<Sheet> {
        self.tables()
            .into_iter()
            .map(|t| Sheet {
                name: t.name.to_owned(),
                title: labels(&format!("report-table-{}", t.name)),
                head: t.head.iter().map(|k| labels(k)).collect(),
                rows: t
                    .rows
                    .into_iter()
                    .map(|(_, cells)| {
                        cells
                            .into_iter()
                            .map(|cell| match cell {
                                Cell::Label(key) => Value::Text(labels(&key)),
                                Cell::Text(text) => Value::Text(text),
                                Cell::Num(n) => Value::Number(n.into()),
                                Cell::Empty => Value::Empty,
                            })
                            .collect()
                    })
                    .collect(),
            })
            .collect()
    }

    /// The period, the last day counted (dates) and the headline figures
    /// (numbers): the first sheet of the whole report's workbook, named
    /// [`OVERVIEW`].
    pub fn overview(&self, labels: &dyn Fn(&str) -> String) -> Sheet {
        let h = self.headline();
        let date = |key: &str, d: &str| vec![Value::Text(labels(key)), Value::Date(d.to_owned())];
        let mut rows = vec![
            date("report-overview-from", self.period.from()),
            date("report-overview-to", self.period.to()),
            date("report-overview-as-of", &self.as_of),
        ];
        for (name, n) in FIGURES.iter().zip(h.counts()) {
            rows.push(vec![Value::Text(labels(&format!("report-fig-{name}"))), Value::Number(n.into())]);
        }
        let median = h.median_days_to_placement.map_or(Value::Empty, |d| Value::Number(d.into()));
        rows.push(vec![Value::Text(labels("report-overview-median-days")), median]);
        if let Some(c) = &self.completeness {
            let synced = match c.since {
                Since::PeriodEnd => "report-overview-devices-synced",
                Since::Today => "report-overview-devices-synced-today",
            };
            rows.push(vec![Value::Text(labels("report-overview-devices-active")), Value::Number(c.active as i64)]);
            rows.push(vec![Value::Text(labels(synced)), Value::Number(c.synced as i64)]);
            if !c.late.is_empty() {
                rows.push(vec![Value::Text(labels("report-overview-late")), Value::Empty]);
            }
            for late in &c.late {
                let who = late
                    .who
                    .clone()
                    .unwrap_or_else(|| format!("{} {}", labels("report-overview-device"), &late.device[..8]));
                rows.push(vec![Value::Text(who), late.last_day.clone().map_or(Value::Empty, Value::Date)]);
            }
        }
        Sheet {
            name: OVERVIEW.to_owned(),
            title: labels(&format!("report-table-{OVERVIEW}")),
            head: vec![labels("report-col-figure"), labels("report-col-value")],
            rows,
        }
    }

    /// The whole report as one workbook: the [overview](Report::overview),
    /// then every table.
    pub fn workbook(&self, labels: &dyn Fn(&str) -> String, rtl: bool) -> Workbook {
        let mut sheets = vec![self.overview(labels)];
        sheets.extend(self.sheets(labels));
        Workbook { sheets, rtl }
    }

    /// Every number of every table, table by table, row by row, column by
    /// column (an empty cell, a label or a name as `None`): what an export
    /// keeps of the figures (`crate::export`). Two reports of the same
    /// communities and institutions have equal numbers exactly when every
    /// figure is equal.
    pub fn numbers(&self) -> Vec<Option<u32>> {
        let mut out = Vec::new();
        for t in self.tables() {
            for (_, cells) in &t.rows {
                out.extend(cells.iter().map(|c| match c {
                    Cell::Num(n) => Some(*n),
                    _ => None,
                }));
            }
        }
        out
    }

    /// What a row of a table is called, as the tables name it (`labels`:
    /// the app's translations, as for [`Report::sheets`]).
    pub fn row_name(&self, row: &RowKey, labels: &dyn Fn(&str) -> String) -> String {
        match row {
            RowKey::Community(c) => {
                self.communities.get(c).filter(|n| !n.is_empty()).cloned().unwrap_or_else(|| c.to_string())
            }
            RowKey::NoCommunity => labels("report-row-no-community"),
            RowKey::Institution(i) => {
                self.institutions.get(i).filter(|n| !n.is_empty()).cloned().unwrap_or_else(|| i.to_string())
            }
            RowKey::EventKind(k) => labels(&format!("event-kind-{}", k.code())),
            RowKey::Measure(m) => {
                self.measures.iter().find(|f| f.id == *m).map(|f| f.title.clone()).unwrap_or_else(|| m.to_string())
            }
            RowKey::Unlinked(u) => labels(&format!("report-unlinked-{}", u.code())),
            RowKey::Total => labels("report-row-total"),
        }
    }

    /// Every table as CSV ([`Sheet::to_csv`]), named as in [`TABLES`].
    pub fn csv_tables(&self, labels: &dyn Fn(&str) -> String) -> Vec<(String, String)> {
        self.sheets(labels).into_iter().map(|s| (s.name.clone(), s.to_csv())).collect()
    }

    /// The figures that differ from `other` (an earlier computation, say the
    /// one exported): every cell of the [tables](TABLES) whose number
    /// changed, or whose row is in one report only, table by table in
    /// their order, rows in `self`'s order (then those only in `other`).
    pub fn diff(&self, other: &Report) -> Vec<FigureChange> {
        let mut changes = Vec::new();
        let (before, after) = (other.tables(), self.tables());
        for (b, a) in before.iter().zip(&after) {
            let numbers = |t: &Table, key: &RowKey| -> Vec<Option<u32>> {
                let row = t.rows.iter().find(|(k, _)| k == key);
                (0..t.head.len())
                    .map(|i| match row.and_then(|(_, cells)| cells.get(i)) {
                        Some(Cell::Num(n)) => Some(*n),
                        _ => None,
                    })
                    .collect()
            };
            let mut keys: Vec<RowKey> = a.rows.iter().map(|(k, _)| *k).collect();
            keys.extend(b.rows.iter().map(|(k, _)| *k).filter(|k| !a.rows.iter().any(|(ak, _)| ak == k)));
            for key in keys {
                let (was, now) = (numbers(b, &key), numbers(a, &key));
                for (i, &column) in a.head.iter().enumerate() {
                    if was[i] != now[i] {
                        let (before, after) = (was[i], now[i]);
                        changes.push(FigureChange { table: a.name, row: key, column, before, after });
                    }
                }
            }
        }
        changes
    }
}

fn status_key(s: ReferralStatus) -> &'static str {
    match s {
        ReferralStatus::Open => "referral-status-open",
        ReferralStatus::Contacted => "referral-status-contacted",
        ReferralStatus::Done => "referral-status-done",
        ReferralStatus::NoShow => "referral-status-no-show",
    }
}

fn place_key(s: PlaceStatus) -> &'static str {
    match s {
        PlaceStatus::Acquired => "place-status-acquired",
        PlaceStatus::Offered => "place-status-offered",
        PlaceStatus::Filled => "place-status-filled",
    }
}

/// Every label key [`Report::sheets`] and [`Report::overview`] may ask for: the app's
/// translations must have each.
pub fn label_keys() -> BTreeSet<String> {
    let mut keys: BTreeSet<String> = [
        "report-col-community",
        "report-col-institution",
        "report-col-event-kind",
        "report-col-events",
        "report-col-in-network",
        "report-col-in-network-licensed",
        "report-col-joined",
        "report-col-joined-licensed",
        "report-col-places-acquired",
        "report-col-active-mentors",
        "report-col-action-field",
        "report-col-measure",
        "report-col-owner",
        "report-col-metric",
        "report-col-year",
        "report-col-target",
        "report-col-done-period",
        "report-col-done-to-date",
        "report-col-percent",
        "report-col-median-days",
        "report-col-reason",
        "report-col-places",
        "report-row-total",
        "report-row-no-community",
        "report-col-figure",
        "report-col-value",
        "report-overview-from",
        "report-overview-to",
        "report-overview-as-of",
        "report-overview-median-days",
        "report-overview-devices-active",
        "report-overview-devices-synced",
        "report-overview-devices-synced-today",
        "report-overview-late",
        "report-overview-device",
    ]
    .into_iter()
    .chain(GROUP_COLUMNS)
    .chain(ATTENDANCE_COLUMNS)
    .map(str::to_owned)
    .collect();
    keys.extend(ReferralStatus::ALL.iter().map(|s| status_key(*s).to_owned()));
    keys.extend(PlaceStatus::ALL.iter().map(|s| place_key(*s).to_owned()));
    keys.extend(EventKind::ALL.iter().map(|k| format!("event-kind-{}", k.code())));
    keys.extend(ActionField::ALL.iter().map(|f| format!("action-field-{}", f.code())));
    keys.extend(Metric::ALL.iter().map(|m| format!("metric-{}", m.code())));
    keys.extend(Unlinked::ALL.iter().map(|u| format!("report-unlinked-{}", u.code())));
    keys.extend(FIGURES.iter().map(|f| format!("report-fig-{f}")));
    keys.insert(format!("report-table-{OVERVIEW}"));
    keys.extend(TABLES.iter().map(|t| format!("report-table-{t}")));
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_takes_the_middle_and_rounds_half_up() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[7]), Some(7));
        assert_eq!(median(&[1, 4, 9]), Some(4));
        assert_eq!(median(&[10, 15]), Some(13));
        assert_eq!(median(&[10, 14]), Some(12));
    }
}
