//! Keys rotate when a device is retired (issue 9, part 5), on a network
//! that drops, duplicates and reorders messages, partitions devices,
//! crashes them (they restart from their disks, keys kept as the app keeps
//! them) and replaces them by new phones, with a relay whose store fails
//! now and then, while every device keeps writing, the retired ones too.
//!
//! Two of the five devices are coordinators; each seed has one of them
//! retire a mentor at a random moment, and in half the seeds the other
//! coordinator retires a second device (a mentor, or the first
//! coordinator) at another: rotations race, and one may be made for a
//! device that is retired before it is stored. After the world heals and
//! goes quiet:
//!
//! - every current device converges, holds every edit the current devices
//!   stored, and holds the document's current key (the one the membership
//!   named last), which moved on once for each retirement that needed it;
//! - a retired device holds no key named after its retirement, and nothing
//!   it wrote after the relay stored its retirement is in any current
//!   device's document or in the log;
//! - no device ever pushed or uploaded a snapshot sealed with another key
//!   than the newest it held (`World::sealed_stale`), so nothing sealed
//!   after a device read a rotation opens with the old key.
//!
//! `cargo test` runs 300 seeds; `LOTSE_SIM_SEEDS` and `LOTSE_SIM_SEED` as
//! for `simulation.rs`.

mod support;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use lotse_sync::client::{Access, Problem};
use lotse_sync::membership::{membership_addr, Membership, Role, Signed, Standing, Statement};
use lotse_sync::relay::RelayStore;
use lotse_sync::wire::ErrorCode;
use lotse_sync::{KeyId, Millis, Seq};
use support::{
    community_key, device_key, founder, heads, root_map, run_seeds, Batching, Faults, Relay, World, ADDR, NET,
};

const DEVICES: usize = 5;
/// Devices below this are coordinators; the others mentors of `ADDR`.
const COORDINATORS: usize = 2;
const STEP: Millis = 50;

/// This world's network: founded by `founder()`, every device enrolled
/// and handed `ADDR`'s key.
fn network() -> Vec<Signed> {
    let role = |d| if d < COORDINATORS { Role::Coordinator } else { Role::Mentor };
    support::enrolled_network(&founder(), (0..DEVICES).map(|d| (d, role(d))))
}

/// A coordinator's retirement of a device, signed when its moment comes
/// and handed over from then on (after a crash too: the app keeps it).
struct Retirement {
    by: usize,
    device: usize,
    at: Millis,
    signed: Option<Signed>,
}

/// Rotations the worlds made, and devices retired: the rotation must have
/// happened.
static ROTATIONS: AtomicUsize = AtomicUsize::new(0);
static RETIRED: AtomicUsize = AtomicUsize::new(0);

fn run_seed(seed: u64) -> Result<(), String> {
    let relay = Relay::with_log(&network());
    let mut w = World::with_relay(seed, DEVICES, support::fast_config(), relay);
    let rng = &mut w.rng;
    w.faults = Faults {
        drop: rng.pick(&[0.0, 0.05, 0.2]),
        duplicate: rng.pick(&[0.0, 0.1]),
        min_delay: 1,
        max_delay: rng.pick(&[2, 40, 300]),
    };
    let (crash, disconnect, partition, replace) =
        (rng.pick(&[0, 3, 8]), rng.pick(&[0, 5, 10]), rng.pick(&[0, 5]), rng.pick(&[0, 0, 2]));
    let store_fail = rng.pick(&[0.0, 0.0, 0.05]);
    let disk_fail = rng.pick(&[0.0, 0.0, 0.1]);
    let batching = rng.pick(&[None, Some(Batching { turn_delay: 20 })]);
    let fault_ms: Millis = rng.pick(&[3_000, 5_000]);
    let by = rng.range(0, 1) as usize;
    let mentor = rng.range(COORDINATORS as u64, DEVICES as u64 - 1) as usize;
    let mut retirements = vec![Retirement { by, device: mentor, at: rng.range(200, fault_ms - 500), signed: None }];
    if rng.chance(0.5) {
        let other = 1 - by;
        // Another mentor, or the first coordinator (whose own retirement
        // may then be refused, if it is stored first).
        let device = match rng.range(0, 2) {
            0 => by,
            _ => (COORDINATORS..DEVICES).find(|d| *d != mentor).expect("three mentors"),
        };
        retirements.push(Retirement { by: other, device, at: rng.range(200, fault_ms - 300), signed: None });
    }
    w.relay.store.fail = store_fail;
    w.relay.batching = batching;
    for d in 0..DEVICES {
        w.devices[d].disk_fail = disk_fail;
        w.devices[d].disk_delay = (0, 40);
        w.connect(d);
    }

    // When the relay first held each device as retired.
    let mut retired_at: BTreeMap<usize, Millis> = BTreeMap::new();
    let mut next_act = [0; DEVICES];
    let mut back_at: [Option<Millis>; DEVICES] = [None; DEVICES];
    let mut step = 0u64;
    while w.now < fault_ms {
        w.run_net_until(w.now + STEP);
        step += 1;
        let now = w.now;
        for r in retirements.iter_mut().filter(|r| r.signed.is_none() && r.at <= now) {
            let signed = device_key(r.by).sign(NET, Statement::Retire { device: device_key(r.device).id() });
            let effects = w.devices[r.by].core.queue_statement(signed.clone());
            w.apply(r.by, effects);
            r.signed = Some(signed);
        }
        note_retired(&w, &mut retired_at);
        for d in 0..DEVICES {
            if back_at[d].is_some_and(|t| t <= w.now) {
                back_at[d] = None;
                w.devices[d].partitioned = false;
                w.connect(d);
            }
            if step % DEVICES as u64 == d as u64 {
                w.tick(d);
            }
            if next_act[d] > w.now {
                continue;
            }
            next_act[d] = w.now + w.rng.range(150, 700);
            let roll = w.rng.range(0, 99);
            if roll < disconnect {
                w.disconnect(d);
                back_at[d] = Some(w.now + w.rng.range(100, 2_000));
            } else if roll < disconnect + partition {
                w.devices[d].partitioned = true;
                back_at[d] = Some(w.now + w.rng.range(300, 3_000));
            } else if roll < disconnect + partition + crash {
                w.crash(d);
                requeue(&mut w, d, &retirements);
                back_at[d] = Some(w.now + w.rng.range(0, 1_000));
            } else if roll < disconnect + partition + crash + replace {
                if w.replace(d) {
                    requeue(&mut w, d, &retirements);
                    back_at[d] = Some(w.now + w.rng.range(0, 1_000));
                }
            } else if roll < 85 {
                w.edit(d);
            } else {
                w.edit_shared(d);
            }
        }
    }

    // Heal and go quiet.
    w.faults = Faults { drop: 0.0, duplicate: 0.0, ..w.faults };
    w.relay.store.fail = 0.0;
    for d in 0..DEVICES {
        w.devices[d].disk_fail = 0.0;
        w.devices[d].partitioned = false;
        w.connect(d);
    }
    let config = support::fast_config();
    w.settle(STEP * DEVICES as Millis, config.resync_every + 3 * config.resend_after, 120_000)?;
    note_retired(&w, &mut retired_at);
    check(&mut w, &retired_at)
}

/// Hands a crashed (or replaced) coordinator's retirements over again, as
/// the app does from its store at every start; the relay takes a repeat as
/// stored.
fn requeue(w: &mut World, d: usize, retirements: &[Retirement]) {
    for signed in retirements.iter().filter(|r| r.by == d).filter_map(|r| r.signed.clone()) {
        let effects = w.devices[d].core.queue_statement(signed);
        w.apply(d, effects);
    }
}

fn note_retired(w: &World, retired_at: &mut BTreeMap<usize, Millis>) {
    let Some(m) = w.relay.core.membership(NET) else { return };
    for d in 0..DEVICES {
        if m.standing(device_key(d).id()) == Standing::Retired {
            retired_at.entry(d).or_insert(w.now);
        }
    }
}

/// The key `ADDR` was sealed with when each device was retired, folding
/// the relay's membership log in its order.
fn key_at_retirement(w: &World) -> BTreeMap<usize, KeyId> {
    let log = w.relay.store.inner.bundles_since(membership_addr(NET), Seq(0)).expect("memory");
    let mut m = Membership::new(NET);
    let mut at = BTreeMap::new();
    for b in log {
        let Ok(signed) = Signed::decode(&b.sealed) else { continue };
        if m.apply(&signed, None).is_err() {
            continue;
        }
        if let Statement::Retire { device } = signed.statement {
            let d = (0..DEVICES).find(|d| device_key(*d).id() == device).expect("a device of this world");
            at.insert(d, m.current_key(ADDR).expect("founded with a key"));
        }
    }
    at
}

fn check(w: &mut World, retired_at: &BTreeMap<usize, Millis>) -> Result<(), String> {
    if let Some(stale) = w.sealed_stale.first() {
        return Err(format!("sealed with a key that was not the newest held: {stale}"));
    }
    let m = w.relay.core.membership(NET).expect("the network").clone();
    let current_key = m.current_key(ADDR).expect("founded with a key");
    let key_at = key_at_retirement(w);
    let (retired, current): (Vec<usize>, Vec<usize>) = (0..DEVICES).partition(|d| key_at.contains_key(d));
    // No retired device holds the current key, and the document moved on
    // at most once a retirement (two retired before a rotation was stored
    // share one; a rotation that lost a race never counts).
    if !m.to_rotate().is_empty() {
        return Err(format!("retired devices still hold the current keys {:?}", m.to_rotate()));
    }
    let rotations = (current_key.0 - community_key().id.0) as usize;
    if retired.is_empty() != (rotations == 0) || rotations > retired.len() {
        return Err(format!("{} devices retired, {rotations} rotations", retired.len()));
    }
    ROTATIONS.fetch_add(rotations, Ordering::Relaxed);
    RETIRED.fetch_add(retired.len(), Ordering::Relaxed);

    let head = w.relay.head();
    w.relay.check_log()?;
    let reference = current[0];
    let want = (
        heads(w.devices[reference].core.doc(ADDR).expect("open")),
        root_map(w.devices[reference].core.doc(ADDR).expect("open")),
    );
    let is_retired = |key: &str| retired.iter().any(|r| key.starts_with(&format!("d{r}-")));
    for &d in &current {
        let dev = &w.devices[d];
        let doc = dev.core.doc(ADDR).expect("open");
        let map = root_map(doc);
        if (heads(doc), &map) != (want.0.clone(), &want.1) {
            return Err(format!("device {d} differs from device {reference}"));
        }
        for (k, v) in w.ledger.iter().filter(|(k, _)| !is_retired(k)) {
            if map.get(k) != Some(v) {
                return Err(format!("device {d} lacks the edit {k} = {v}"));
            }
        }
        let status = dev.core.status();
        if status.pending != 0 || !status.caught_up || dev.core.cursor(ADDR) != Some(head) {
            return Err(format!("device {d} is not caught up at {}: {status:?}", head.0));
        }
        if !matches!(status.access, Access::Member(_)) {
            return Err(format!("device {d} is not a member: {status:?}"));
        }
        let ids = dev.core.key_ids(ADDR).expect("open");
        if ids.last() != Some(&current_key) {
            return Err(format!("device {d} holds keys {ids:?}, the current key is {}", current_key.0));
        }
        let unexpected: Vec<&Problem> = dev
            .problems
            .iter()
            .filter(|p| !matches!(p, Problem::Relay { code: ErrorCode::StoreFailed | ErrorCode::Unauthenticated, .. }))
            .collect();
        if !unexpected.is_empty() {
            return Err(format!("device {d} reported {unexpected:?}"));
        }
    }
    let logged: std::collections::BTreeSet<_> = w.relay.log().into_iter().map(|b| b.bundle_id).collect();
    for &r in &retired {
        let newest = w.devices[r].core.key_ids(ADDR).expect("open").last().copied();
        let granted = w.devices[r].granted.iter().map(|(_, k)| k.id).max();
        if newest > Some(key_at[&r]) || granted > Some(key_at[&r]) {
            return Err(format!(
                "retired device {r} holds key {newest:?} (granted {granted:?}), newer than {}",
                key_at[&r].0
            ));
        }
        let since = retired_at[&r];
        let late: Vec<_> = w
            .durable
            .iter()
            .filter(|m| m.device == r && written_at(&m.value) >= since)
            .map(|m| (m.bundle_id, m.hash, m.key.clone()))
            .collect();
        for (bundle, hash, key) in late {
            if logged.contains(&bundle) {
                return Err(format!("retired device {r}'s write {key}, made after its retirement, is in the log"));
            }
            for &d in &current {
                if w.has_change(d, hash) {
                    return Err(format!(
                        "device {d} applied {key}, written by retired device {r} after its retirement"
                    ));
                }
            }
        }
    }
    Ok(())
}

/// When an edit was made: its value ends in `@<ms>`.
fn written_at(value: &str) -> Millis {
    value.rsplit('@').next().and_then(|t| t.parse().ok()).expect("values end in @<time>")
}

#[test]
fn a_retirement_moves_the_document_to_a_new_key_the_retired_device_never_gets() {
    run_seeds(300, run_seed);
    if support::env_u64("LOTSE_SIM_SEED").is_none() && support::env_u64("LOTSE_SIM_SEEDS").unwrap_or(300) >= 300 {
        let (rotations, retired) = (ROTATIONS.load(Ordering::Relaxed), RETIRED.load(Ordering::Relaxed));
        assert!(rotations >= 300 && retired >= rotations, "{rotations} rotations for {retired} retired devices");
    }
}
