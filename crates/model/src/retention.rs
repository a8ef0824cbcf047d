//! Storage limitation (GDPR Art. 5(1)(e)): a community's contacts with no
//! activity for longer than its retention period, for a coordinator to
//! review and erase.
//!
//! A contact's last activity is the latest day of: its record's creation,
//! its consultations, referrals (their date and next check), follow-ups
//! (due), and the start of a training place it filled; a duplicate merged
//! into it counts for it. Not counted: edits of the contact (the notebook
//! holds records, not when each was changed; the history reads that from
//! the document) and events (they hold head counts, no names). A follow-up
//! or a check set in the future keeps a contact until that day has passed.

use std::collections::HashMap;

use crate::ids::{CommunityId, ContactId};
use crate::notebook::{days_from_iso, iso_from_days, Notebook};

/// A contact past its community's retention period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expired {
    pub contact: ContactId,
    /// ISO date of its last activity.
    pub last_activity: String,
}

/// The ISO date `months` calendar months before `date` (the month's last
/// day where it is shorter); `None` if `date` does not parse.
pub fn months_before(date: &str, months: u32) -> Option<String> {
    days_from_iso(date)?;
    let (y, rest) = date.split_once('-')?;
    let (m, d) = rest.get(..5)?.split_once('-')?;
    let (y, m, d): (i64, i64, i64) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let index = y * 12 + (m - 1) - i64::from(months);
    let (y, m) = (index.div_euclid(12), index.rem_euclid(12) + 1);
    // The first of the next month, one day back: the month's last day.
    let next = if m == 12 { format!("{:04}-01-01", y + 1) } else { format!("{y:04}-{:02}-01", m + 1) };
    let last = days_from_iso(&next)? - 1;
    Some(iso_from_days(last.min(days_from_iso(&format!("{y:04}-{m:02}-01"))? + d - 1)))
}

/// The contacts of `community` whose last activity lies more than its
/// retention period before `today`, longest idle first; none if the
/// community has no period.
pub fn expired(nb: &Notebook, community: CommunityId, today: &str) -> Vec<Expired> {
    let Some(months) = nb.community(community).and_then(|c| c.retention_months) else { return Vec::new() };
    let Some(cutoff) = months_before(today, months).and_then(|d| days_from_iso(&d)) else { return Vec::new() };
    // One pass over each kind: the latest day per kept contact.
    let mut last: HashMap<ContactId, i64> = HashMap::new();
    let mut note = |contact: ContactId, date: &str| {
        if let Some(day) = days_from_iso(date) {
            let kept = nb.kept_contact(contact);
            let entry = last.entry(kept).or_insert(i64::MIN);
            *entry = (*entry).max(day);
        }
    };
    for c in nb.every_contact().filter(|c| c.community == community) {
        note(c.record.id, &iso_from_days(c.record.created_at.div_euclid(86_400_000)));
    }
    for c in nb.consultations().filter(|c| c.community == community) {
        if let Some(contact) = c.record.contact {
            note(contact, &c.record.date);
        }
    }
    for r in nb.referrals().filter(|r| r.community == community) {
        note(r.record.contact, &r.record.date);
        if let Some(check) = &r.record.follow_up_on {
            note(r.record.contact, check);
        }
    }
    for f in nb.follow_ups().filter(|f| f.community == community) {
        if let Some(contact) = f.record.contact {
            note(contact, &f.record.due_on);
        }
    }
    for p in nb.training_places() {
        if let Some(contact) = p.filled_by {
            note(contact, &p.start_on);
        }
    }
    let mut out: Vec<Expired> = nb
        .every_contact()
        .filter(|c| c.community == community && nb.kept_contact(c.record.id) == c.record.id)
        .filter_map(|c| {
            let day = *last.get(&c.record.id)?;
            (day < cutoff).then(|| Expired { contact: c.record.id, last_activity: iso_from_days(day) })
        })
        .collect();
    out.sort_by(|a, b| a.last_activity.cmp(&b.last_activity).then(a.contact.cmp(&b.contact)));
    out
}
