//! A device's own status in the network document: whose it is, when it
//! last finished a sync, whether the browser keeps its storage, and the
//! app's version. The coordinator's devices page and the report's
//! completeness note read it.
//!
//! Each device writes only its own status, under its public key (hex), in
//! the root map `devices` (added the same way on every device, as the
//! review marks' map is: documents older than it lack it). The write names
//! no record (its commit message has no `/`), so it is in no record's
//! history and not on the desk's review list. It is written at most about
//! once an hour ([`due`]), so syncing does not grow the document's history.

use std::collections::HashMap;

use automerge::transaction::CommitOptions;

use automerge::{AutoCommit, ObjId, ObjType, ReadDoc, Value, ROOT};
use autosurgeon::{Hydrate, Reconcile};
use serde::{Deserialize, Serialize};

use crate::ids::MentorId;
use crate::notebook::{days_from_iso, iso_from_days, Notebook};
use crate::record::{late_collection, DocError};
use crate::report::Period;

/// The root map of the network document that holds the statuses.
pub const DEVICES: &str = "devices";

/// The actor of the change that makes the `devices` map (see
/// `record::late_collection`).
pub(crate) const DEVICES_ACTOR: [u8; 16] = *b"lotse-devices-01";

/// The commit message of a status write: names no record.
const MESSAGE: &str = "device-status";

/// How long a written status counts as fresh enough: a sync within it
/// writes nothing unless the mentor or persistence changed.
pub const REWRITE_AFTER_MS: i64 = 60 * 60 * 1000;

/// A device's status, as the device itself wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate, Serialize, Deserialize)]
pub struct DeviceStatus {
    /// The device's public key (hex): the key it sits under.
    pub device: String,
    /// The person using the device (their profile in `mentors`).
    pub mentor: MentorId,
    /// When it last finished a sync with the relay, caught up on all its
    /// documents (Unix milliseconds, the device's clock).
    pub synced_at: i64,
    /// Whether the browser promised to keep its storage
    /// (`navigator.storage.persisted()`).
    pub persistent: bool,
    /// The app version that wrote it.
    pub version: String,
}

/// The public key as the status names it.
pub fn device_hex(key: &[u8; 32]) -> String {
    key.iter().map(|b| format!("{b:02x}")).collect()
}

/// Every status in `doc` (none if the map is missing). A status filed under
/// another key than the device it names is left out: it is not that
/// device's own. So is one that any other actor wrote a part of: a device's
/// Automerge actor is its public key, and every device sets aside a bundle
/// of changes holding a change written as another device than its signer
/// (`lotse_sync::chunks::foreign_author`), so the actor is the signature's
/// word.
pub fn statuses(doc: &AutoCommit) -> Result<Vec<DeviceStatus>, DocError> {
    let devices = match doc.get(ROOT, DEVICES)? {
        Some((Value::Object(ObjType::Map), id)) => id,
        _ => return Ok(vec![]),
    };
    let map: HashMap<String, DeviceStatus> = autosurgeon::hydrate_prop(doc, ROOT, DEVICES)?;
    let mut list: Vec<DeviceStatus> =
        map.into_iter().filter(|(k, s)| *k == s.device && written_by(doc, &devices, k, k)).map(|(_, s)| s).collect();
    crate::order::sort_by(&mut list, |a, b| a.device.cmp(&b.device));
    Ok(list)
}

/// Whether every value under `prop` of `obj` (each of concurrent ones, and
/// everything inside an object) was written by the actor `actor_hex`.
fn written_by(doc: &AutoCommit, obj: &ObjId, prop: &str, actor_hex: &str) -> bool {
    let by = |id: &ObjId| matches!(id, ObjId::Id(_, actor, _) if actor.to_hex_string() == actor_hex);
    let Ok(values) = doc.get_all(obj, prop) else { return false };
    values.iter().all(|(value, id)| {
        by(id)
            && match value {
                Value::Object(_) => doc.keys(id).all(|inner| written_by(doc, id, &inner, actor_hex)),
                Value::Scalar(_) => true,
            }
    })
}

/// Whether `new` should be written, with `old` the status the document
/// holds for the device: none yet, the mentor, persistence or version
/// changed, or the last one is an hour old.
pub fn due(old: Option<&DeviceStatus>, new: &DeviceStatus) -> bool {
    match old {
        None => true,
        Some(o) => {
            o.mentor != new.mentor
                || o.persistent != new.persistent
                || o.version != new.version
                || new.synced_at - o.synced_at >= REWRITE_AFTER_MS
        }
    }
}

/// Writes `status` under its device as one commit at `now_ms`.
pub fn put(doc: &mut AutoCommit, status: &DeviceStatus, now_ms: i64) -> Result<(), DocError> {
    let obj = late_collection(doc, DEVICES, DEVICES_ACTOR)?;
    autosurgeon::reconcile_prop(doc, obj, status.device.as_str(), status)?;
    doc.commit_with(CommitOptions::default().with_message(MESSAGE.to_owned()).with_time(now_ms.div_euclid(1000)));
    Ok(())
}

/// A device of the network as the report weighs it.
#[derive(Debug, Clone, Copy)]
pub struct Seen<'a> {
    /// Its public key.
    pub key: &'a [u8; 32],
    pub retired: bool,
    /// Its own status, if it wrote one.
    pub status: Option<&'a DeviceStatus>,
    /// The public key of the invitation it enrolled with: names the
    /// person (a profile's `invitations`) while it has written no status.
    pub invite: Option<&'a [u8; 32]>,
}

/// From when on a sync counts as complete for the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Since {
    /// The end of the period's last day: the period is over.
    PeriodEnd,
    /// The start of today: the period runs on (a sync today holds all of it
    /// so far).
    Today,
}

/// A device that did not sync since the boundary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Late {
    /// Its public key (hex).
    pub device: String,
    /// The person using it: from its status and their profile, else the
    /// profile its invitation was made for.
    pub who: Option<String>,
    /// When it last synced (Unix ms); `None` if it never wrote a status.
    pub last: Option<i64>,
    /// That day in the reader's time zone (`YYYY-MM-DD`), for a sheet.
    pub last_day: Option<String>,
}

/// How complete a report can be: of the active devices, how many synced
/// after the boundary, and which did not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Completeness {
    pub since: Since,
    /// The boundary (Unix ms).
    pub boundary_ms: i64,
    /// Devices not retired.
    pub active: usize,
    /// Of those, how many synced after the boundary.
    pub synced: usize,
    /// The others, longest silent first (never synced first).
    pub late: Vec<Late>,
}

impl Completeness {
    /// Weighs `devices` against `period`: a device counts as synced if its
    /// status says it finished a sync after the end of the period's last
    /// day (or, while the period runs on, since the start of `today`), in
    /// the reader's time zone, `utc_offset_min` minutes east of UTC.
    /// Retired devices are left out. `None` if a date does not parse.
    pub fn compute(
        nb: &Notebook,
        devices: &[Seen<'_>],
        period: &Period,
        today: &str,
        utc_offset_min: i32,
    ) -> Option<Completeness> {
        let end = days_from_iso(period.to())?;
        let today_days = days_from_iso(today)?;
        let (since, day) = if end < today_days { (Since::PeriodEnd, end + 1) } else { (Since::Today, today_days) };
        let boundary_ms = day * 86_400_000 - i64::from(utc_offset_min) * 60_000;
        let active: Vec<&Seen<'_>> = devices.iter().filter(|d| !d.retired).collect();
        let mut late: Vec<Late> = active
            .iter()
            .filter(|d| d.status.is_none_or(|s| s.synced_at < boundary_ms))
            .map(|d| Late {
                device: device_hex(d.key),
                who: d.status.and_then(|s| nb.mentor(s.mentor)).map(|m| m.name.clone()).or_else(|| {
                    let invite = device_hex(d.invite?);
                    nb.mentors().into_iter().find(|m| m.invitations.contains(&invite)).map(|m| m.name.clone())
                }),
                last: d.status.map(|s| s.synced_at),
                last_day: d
                    .status
                    .map(|s| iso_from_days((s.synced_at + i64::from(utc_offset_min) * 60_000).div_euclid(86_400_000))),
            })
            .collect();
        crate::order::sort_by(&mut late, |a, b| a.last.cmp(&b.last).then_with(|| a.device.cmp(&b.device)));
        Some(Completeness { since, boundary_ms, active: active.len(), synced: active.len() - late.len(), late })
    }
}
