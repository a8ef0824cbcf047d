//! A device's own status in the network document and the report's
//! completeness note, against figures counted by hand.

use automerge::{ActorId, AutoCommit};
use lotse_model::device_status::{self, Completeness, DeviceStatus, Late, Seen, Since, REWRITE_AFTER_MS};
use lotse_model::network::Role;
use lotse_model::record;
use lotse_model::review::{review, ReviewQuery};
use lotse_model::*;

/// 2026-07-01T00:00:00Z.
const JULY_1: i64 = 1_782_864_000_000;
const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

fn status(key: u8, mentor: u8, synced_at: i64) -> DeviceStatus {
    DeviceStatus {
        device: device_status::device_hex(&[key; 32]),
        mentor: MentorId::from_random([mentor; 16]),
        synced_at,
        persistent: true,
        version: "0.1.0".into(),
    }
}

/// Mentors `n` with name; the profile of mentor `n` names invitation key
/// `[100 + n; 32]`.
fn network_with_mentors(names: &[(u8, &str)]) -> AutoCommit {
    let mut doc = NetworkDoc::genesis(ActorId::from([1u8; 16]));
    for (n, name) in names {
        let m = Mentor {
            id: MentorId::from_random([*n; 16]),
            name: (*name).into(),
            role: Role::Mentor,
            community: None,
            languages: vec![],
            devices: vec![],
            active: true,
            invitations: vec![device_status::device_hex(&[100 + *n; 32])],
        };
        record::put(&mut doc, &m, JULY_1).unwrap();
    }
    doc
}

#[test]
fn two_devices_write_their_status_apart_and_both_survive_the_merge() {
    // Each device's actor is its public key, as the engine writes.
    let mut a = NetworkDoc::genesis(ActorId::from([1u8; 32].as_slice()));
    let mut b = NetworkDoc::genesis(ActorId::from([2u8; 32].as_slice()));
    assert!(device_status::statuses(&a).unwrap().is_empty(), "a document from before has no statuses");
    device_status::put(&mut a, &status(1, 1, JULY_1), JULY_1).unwrap();
    device_status::put(&mut b, &status(2, 2, JULY_1 + HOUR), JULY_1 + HOUR).unwrap();
    a.merge(&mut b).unwrap();
    b.merge(&mut a).unwrap();
    let both = device_status::statuses(&a).unwrap();
    assert_eq!(both, vec![status(1, 1, JULY_1), status(2, 2, JULY_1 + HOUR)]);
    assert_eq!(device_status::statuses(&b).unwrap(), both);
}

#[test]
fn a_status_names_no_record_so_it_is_not_on_the_review_list() {
    let mut doc = network_with_mentors(&[(1, "Ayşe")]);
    let before = review(&mut doc, &ReviewQuery::default()).total;
    device_status::put(&mut doc, &status(1, 1, JULY_1), JULY_1).unwrap();
    assert_eq!(review(&mut doc, &ReviewQuery::default()).total, before);
}

#[test]
fn a_status_filed_under_another_devices_key_is_not_read() {
    // Device 3 files, under its own key, a status that names device 2: it
    // is neither device 2's own nor device 3's.
    let mut doc = NetworkDoc::genesis(ActorId::from([3u8; 32].as_slice()));
    device_status::put(&mut doc, &status(3, 3, JULY_1), JULY_1).unwrap();
    assert_eq!(device_status::statuses(&doc).unwrap(), vec![status(3, 3, JULY_1)], "its own, as it wrote it");
    let wrong = DeviceStatus { device: device_status::device_hex(&[2; 32]), ..status(3, 3, JULY_1 + DAY) };
    {
        use automerge::ReadDoc;
        let (_, devices) = doc.get(automerge::ROOT, device_status::DEVICES).unwrap().unwrap();
        let under = device_status::device_hex(&[3; 32]);
        autosurgeon::reconcile_prop(&mut doc, devices, under.as_str(), &wrong).unwrap();
        doc.commit();
    }
    assert!(device_status::statuses(&doc).unwrap().is_empty());
}

/// Another device (another actor, so another signer) writes a status
/// under device 1's key, or changes one field of device 1's own: neither
/// is device 1's word, so neither is read; device 2's own status is.
#[test]
fn a_status_another_device_wrote_or_changed_is_not_read() {
    let actor = |k: u8| ActorId::from([k; 32].as_slice());
    let mut one = NetworkDoc::genesis(actor(1));
    device_status::put(&mut one, &status(1, 1, JULY_1), JULY_1).unwrap();
    let mut two = one.fork().with_actor(actor(2));
    device_status::put(&mut two, &status(2, 2, JULY_1), JULY_1).unwrap();
    {
        use automerge::transaction::Transactable;
        use automerge::ReadDoc;
        let (_, devices) = two.get(automerge::ROOT, device_status::DEVICES).unwrap().unwrap();
        let (_, own) = two.get(&devices, device_status::device_hex(&[1; 32])).unwrap().unwrap();
        two.put(&own, "synced_at", JULY_1 + DAY).unwrap();
        two.commit();
    }
    assert_eq!(device_status::statuses(&two).unwrap(), vec![status(2, 2, JULY_1)], "a field changed by device 2");

    // Written whole, in device 1's name, by device 3.
    let mut three = NetworkDoc::genesis(actor(3));
    device_status::put(&mut three, &status(1, 1, JULY_1 + DAY), JULY_1 + DAY).unwrap();
    assert!(device_status::statuses(&three).unwrap().is_empty(), "written by another actor");
    // Merged with device 1's own: the two writes conflict, one is not its.
    one.merge(&mut three).unwrap();
    assert!(device_status::statuses(&one).unwrap().is_empty(), "a conflicting write by another actor");
}

#[test]
fn a_sync_within_the_hour_writes_nothing_unless_persistence_or_the_mentor_changed() {
    let old = status(1, 1, JULY_1);
    assert!(device_status::due(None, &old));
    let soon = status(1, 1, JULY_1 + REWRITE_AFTER_MS - 1);
    assert!(!device_status::due(Some(&old), &soon));
    assert!(device_status::due(Some(&old), &status(1, 1, JULY_1 + REWRITE_AFTER_MS)));
    assert!(device_status::due(Some(&old), &DeviceStatus { persistent: false, ..soon.clone() }));
    assert!(device_status::due(Some(&old), &status(1, 2, JULY_1 + 1)));
    assert!(device_status::due(Some(&old), &DeviceStatus { version: "0.2.0".into(), ..soon }));
}

/// Device `k` enrolled with the invitation made for mentor `k`.
fn completeness(devices: &[(u8, bool, Option<DeviceStatus>)], period: &str, today: &str, offset: i32) -> Completeness {
    let doc = network_with_mentors(&[(1, "Ayşe"), (2, "Karim"), (3, "Olga"), (4, "Retired Rita")]);
    let nb = Notebook::load(&doc, &[]).unwrap();
    let keys: Vec<([u8; 32], [u8; 32])> = devices.iter().map(|(k, _, _)| ([*k; 32], [100 + *k; 32])).collect();
    let seen: Vec<Seen<'_>> = devices
        .iter()
        .zip(&keys)
        .map(|((_, retired, s), (key, invite))| Seen {
            key,
            retired: *retired,
            status: s.as_ref(),
            invite: Some(invite),
        })
        .collect();
    Completeness::compute(&nb, &seen, &period.parse().unwrap(), today, offset).unwrap()
}

#[test]
fn the_note_counts_active_devices_synced_after_the_period_end_and_names_the_late_ones() {
    // Q2 2026 ends 2026-06-30; the boundary is 2026-07-01 00:00 in Berlin
    // (UTC+2): 2026-06-30 22:00 UTC.
    let boundary = JULY_1 - 2 * HOUR;
    let devices = vec![
        (1, false, Some(status(1, 1, boundary + 5 * DAY))), // synced after: counts
        (2, false, Some(status(2, 2, boundary - 1))),       // a millisecond before: late
        (3, false, None),                                   // never wrote a status: late
        (4, true, Some(status(4, 4, boundary - 30 * DAY))), // retired: left out
        (5, false, Some(status(5, 1, boundary))),           // at the boundary: counts
    ];
    let c = completeness(&devices, "2026-Q2", "2026-08-15", 120);
    assert_eq!(c.since, Since::PeriodEnd);
    assert_eq!(c.boundary_ms, boundary);
    assert_eq!((c.synced, c.active), (2, 4));
    assert_eq!(
        c.late,
        vec![
            // No status: named by the invitation it enrolled with.
            Late { device: device_status::device_hex(&[3; 32]), who: Some("Olga".into()), last: None, last_day: None },
            Late {
                device: device_status::device_hex(&[2; 32]),
                who: Some("Karim".into()),
                last: Some(boundary - 1),
                last_day: Some("2026-06-30".into()),
            },
        ]
    );
}

#[test]
fn while_the_period_runs_on_a_sync_today_counts() {
    // Today is 2026-07-10 in Q3: a sync since the start of today (UTC here).
    let today = JULY_1 + 9 * DAY;
    let devices = vec![(1, false, Some(status(1, 1, today + HOUR))), (2, false, Some(status(2, 2, today - HOUR)))];
    let c = completeness(&devices, "2026-Q3", "2026-07-10", 0);
    assert_eq!(c.since, Since::Today);
    assert_eq!(c.boundary_ms, today);
    assert_eq!((c.synced, c.active), (1, 2));
    assert_eq!(c.late[0].who.as_deref(), Some("Karim"));
}

#[test]
fn the_overview_sheet_holds_the_note_with_each_late_devices_last_day() {
    let boundary = JULY_1 - 2 * HOUR;
    let devices = vec![
        (1, false, Some(status(1, 1, boundary + DAY))),
        (2, false, Some(status(2, 2, boundary - DAY))),
        (9, false, None),
    ];
    let note = completeness(&devices, "2026-Q2", "2026-08-15", 120);
    let doc = network_with_mentors(&[]);
    let nb = Notebook::load(&doc, &[]).unwrap();
    let report = Report::compute(&nb, &"2026-Q2".parse().unwrap(), "2026-08-15").with_completeness(Some(note));
    let labels = |key: &str| format!("[{key}]");
    let sheet = report.overview(&labels);
    let tail: Vec<_> = sheet.rows.iter().rev().take(5).rev().cloned().collect();
    use lotse_model::sheet::Value;
    assert_eq!(
        tail,
        vec![
            vec![Value::Text("[report-overview-devices-active]".into()), Value::Number(3)],
            vec![Value::Text("[report-overview-devices-synced]".into()), Value::Number(1)],
            vec![Value::Text("[report-overview-late]".into()), Value::Empty],
            vec![Value::Text("[report-overview-device] 09090909".into()), Value::Empty],
            vec![Value::Text("Karim".into()), Value::Date("2026-06-30".into())],
        ]
    );
    let asked = std::cell::RefCell::new(Vec::new());
    report.overview(&|key: &str| {
        asked.borrow_mut().push(key.to_owned());
        String::new()
    });
    let known = lotse_model::report::label_keys();
    let unknown: Vec<_> = asked.into_inner().into_iter().filter(|k| !known.contains(k)).collect();
    assert!(unknown.is_empty(), "{unknown:?}");
}
