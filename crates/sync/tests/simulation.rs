//! Five devices and a relay on a simulated network that drops, duplicates
//! and reorders messages, partitions devices, closes connections, crashes
//! devices (they restart from their disks) and replaces them by new ones,
//! restarts the relay and makes its store fail, makes the devices' disks
//! slow and fail writes, while the devices keep editing. After the faults
//! heal and the world goes quiet, every replica must be equal, hold every
//! edit that was stored (`Durable`) and none that was `Discarded` (nor may
//! one have been pushed), have nothing left to push and its disk hold it;
//! the relay must hold every bundle it ever acknowledged, at the acked seq,
//! numbered without gaps, and a snapshot no more than `snapshot_every`
//! behind. During the run, a device that had a write fail must, once it
//! wrote what it had to, hold what a restart from its disk would give.
//! In most seeds the relay works as its actor does: what reached it
//! together is one batch whose appends are one commit (a failing store
//! fails them all), and backlogs are read a few bundles at a time, the next
//! page only once the connection has taken the last.
//!
//! In a third of the seeds an attacker works on the relay meanwhile: it
//! re-uploads the relay's snapshot claiming a higher `covers`, uploads
//! garbage as a snapshot, and (as a hostile relay would) slips such
//! snapshots into devices' connections. Every device must still converge on
//! every bundle, and whenever it says it is caught up its document must hold
//! every stored change of the log up to its cursor: never "synced" over a
//! gap. In those seeds it also holds the community key (a member's stolen
//! phone) and pushes changes signed by a key that is no member's, signed by
//! a retired device after its retirement, and under a current device's name
//! with its own signature: no device may apply any of them, and each must
//! say so; what the retired device signed before its retirement counts.
//!
//! `cargo test` runs 1,000 seeds. `LOTSE_SIM_SEEDS=100000` runs more;
//! `LOTSE_SIM_SEED=<n>` replays one (add `LOTSE_SIM_TRACE=1` and
//! `-- --nocapture` to see every message). Each seed is one thread's
//! deterministic world; seeds are shared out over the cores.

mod support;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};

use automerge::AutoCommit;
use lotse_sync::client::{Access, ClientConfig, Problem};
use lotse_sync::envelope::{EnvelopeError, Kind};
use lotse_sync::membership::testing;
use lotse_sync::relay::{ConnId, PageLimit, RelayConfig};
use lotse_sync::wire::{ClientFrame, ErrorCode, Push, PutSnapshot, RelayFrame, Snapshot};
use lotse_sync::Millis;
use lotse_sync::{BundleId, Seq};
use support::{community_key, env_u64, heads, root_map, run_seeds, Batching, Faults, Msg, Relay, Rng, World, ADDR};

const DEVICES: usize = 5;
/// The simulation's clock advances in steps of this many ms.
const STEP: Millis = 50;
/// Each device ticks every `STEP * DEVICES` ms, the devices staggered.
const TICK: Millis = STEP * DEVICES as Millis;

fn config() -> ClientConfig {
    support::fast_config()
}

/// How hostile one seed's world is; drawn from the seed.
#[derive(Debug, Clone, Copy)]
struct Profile {
    faults: Faults,
    /// A device does something every `act_lo..=act_hi` ms.
    act_lo: Millis,
    act_hi: Millis,
    /// Out of 100 actions: how many close the connection, cut the device
    /// off, crash it, replace it by a new device. The rest are edits.
    disconnect: u64,
    partition: u64,
    crash: u64,
    replace: u64,
    /// How often a store write or read fails.
    store_fail: f64,
    /// How often a device's disk fails a write, and how long one takes at most.
    disk_fail: f64,
    disk_delay: Millis,
    /// Chance, each step, that the relay process restarts.
    relay_restart: f64,
    /// Chance, each step, that the relay is restored from its last backup
    /// (taken, each step, with a chance of `backup`).
    relay_restore: f64,
    backup: f64,
    /// How long the faults go on.
    fault_ms: Millis,
    /// Whether the relay handles what arrived together as one batch (one
    /// commit), as its actor does, and how long its turns take to come.
    batching: Option<Batching>,
    /// How much of a backlog the relay reads at a time.
    page: PageLimit,
}

fn profile(w: &mut World) -> Profile {
    let rng = &mut w.rng;
    let max_delay = rng.pick(&[2, 40, 150, 600]);
    Profile {
        faults: Faults {
            drop: rng.pick(&[0.0, 0.02, 0.1, 0.3]),
            duplicate: rng.pick(&[0.0, 0.05, 0.2]),
            min_delay: 1,
            max_delay,
        },
        act_lo: 250,
        act_hi: rng.pick(&[900, 1_800]),
        disconnect: rng.pick(&[0, 4, 10]),
        partition: rng.pick(&[0, 4, 10]),
        crash: rng.pick(&[0, 3, 8]),
        replace: rng.pick(&[0, 0, 2]),
        store_fail: rng.pick(&[0.0, 0.0, 0.05, 0.2]),
        disk_fail: rng.pick(&[0.0, 0.0, 0.05, 0.2]),
        disk_delay: rng.pick(&[0, 20, 150]),
        relay_restart: rng.pick(&[0.0, 0.0, 0.01]),
        // `LOTSE_SIM_RESTORE=0` leaves restores out (drawn either way, so
        // the seeds replay the same).
        relay_restore: rng.pick(&[0.0, 0.0, 0.004, 0.01])
            * f64::from(u8::from(env_u64("LOTSE_SIM_RESTORE") != Some(0))),
        backup: rng.pick(&[0.005, 0.02, 0.1]),
        fault_ms: rng.pick(&[800, 1_500, 2_500]),
        batching: rng.pick(&[None, Some(Batching { turn_delay: 5 }), Some(Batching { turn_delay: 60 })]),
        page: rng.pick(&[
            RelayConfig::default().page,
            PageLimit { bundles: 1, bytes: usize::MAX },
            PageLimit { bundles: 3, bytes: usize::MAX },
            // Every sealed bundle here is larger: one bundle a page.
            PageLimit { bundles: 100, bytes: 20 },
        ]),
    }
}

/// A member of the network without the document's key (since protocol 3
/// the relay admits members only): it can read the log and upload any
/// snapshot. In the seeds where it acts it also plays a hostile
/// relay that sends devices snapshots nobody asked for.
struct Adversary {
    /// Its own randomness, so that the seeds it sits out replay as before.
    rng: Rng,
    /// Chance, each step of the faulty phase, that it does something.
    chance: f64,
    next_conn: u64,
    /// Its connection, kept while the relay keeps it (answering a
    /// challenge costs a signature and its check).
    conn: Option<ConnId>,
}

impl Adversary {
    fn new(seed: u64) -> Self {
        let mut rng = Rng::new(seed ^ 0xad5e_4a41_0000_0001);
        let chance = if rng.range(0, 2) == 0 { rng.pick(&[0.1, 0.3]) } else { 0.0 };
        Self { rng, chance, next_conn: 1 << 40, conn: None }
    }

    /// A snapshot with a raised `covers` (above `above` and the relay's
    /// own): the relay's own, or garbage.
    fn forge(&mut self, w: &World, above: Seq) -> Option<(Seq, Vec<u8>)> {
        let head = w.relay.head().0;
        let held = w.relay.snapshot();
        let low = held.as_ref().map_or(0, |s| s.covers.0).max(above.0) + 1;
        if head < low {
            return None;
        }
        let covers = Seq(self.rng.range(low, head));
        match held {
            Some(s) if self.rng.chance(0.5) => Some((covers, s.sealed)),
            _ => {
                let len = self.rng.range(0, 120) as usize;
                Some((covers, (0..len).map(|_| self.rng.next_u64() as u8).collect()))
            }
        }
    }

    /// Its connection to the relay, as a member: the relay stores what it
    /// pushes (it cannot look inside).
    fn front_door(&mut self, w: &mut World) -> ConnId {
        match self.conn.filter(|c| w.relay.open.contains(c)) {
            Some(conn) => conn,
            None => {
                self.next_conn += 1;
                let conn = ConnId(self.next_conn);
                w.relay.connect_insider(conn);
                self.conn = Some(conn);
                conn
            }
        }
    }

    /// A change in someone else's name, sealed with the community key:
    /// signed by a key that is no member's, by the retired device after
    /// (or, to be kept, before) its retirement, or under a current device's
    /// name with the attacker's own signature.
    fn forge_bundle(&mut self, w: &mut World) {
        let mut id = [0u8; 16];
        id[..8].copy_from_slice(&self.rng.next_u64().to_le_bytes());
        id[8..].copy_from_slice(&self.rng.next_u64().to_le_bytes());
        let bundle_id = BundleId(id);
        let n = self.rng.next_u64() % 1_000_000;
        let retired = support::retired_key();
        let sealed = match self.rng.range(0, 3) {
            0 => {
                support::signed_change(&testing::key(5_000 + n % 7), Seq(n % 40), bundle_id, &format!("forged{n}"), "x")
            }
            1 => {
                let read = Seq(support::RETIRED_AT.0 + n % 3);
                support::signed_change(&retired, read, bundle_id, &format!("forged{n}"), "x")
            }
            2 => {
                let read = Seq(n % support::RETIRED_AT.0);
                KEPT.fetch_add(1, Ordering::Relaxed);
                support::signed_change(&retired, read, bundle_id, &format!("early{n}"), "kept")
            }
            _ => {
                let sealed =
                    support::signed_change(&support::insider_key(), Seq(0), bundle_id, &format!("forged{n}"), "x");
                let key = community_key();
                let mut plain = key.open(key.id, ADDR, Kind::Bundle(bundle_id), &sealed).expect("just sealed");
                let victim = support::device_key(self.rng.range(0, DEVICES as u64 - 1) as usize);
                plain[..32].copy_from_slice(&victim.id().0);
                key.seal(&mut support::SimEntropy(self.rng.fork()), ADDR, Kind::Bundle(bundle_id), &plain)
            }
        };
        let conn = self.front_door(w);
        let push = Push { addr: ADDR, bundle_id, key_id: community_key().id, sealed };
        w.relay_frame(conn, ClientFrame::Push(push).encode());
        FORGED_BUNDLES.fetch_add(1, Ordering::Relaxed);
    }

    /// Returns the device it sent a snapshot to, if it did.
    fn act(&mut self, w: &mut World) -> Option<usize> {
        if !self.rng.chance(self.chance) {
            return None;
        }
        let key_id = community_key().id;
        if self.rng.chance(0.3) {
            self.forge_bundle(w);
            None
        } else if self.rng.chance(0.5) {
            let (covers, sealed) = self.forge(w, Seq(0))?;
            // Through the front door: the relay stores it (it cannot tell).
            let conn = self.front_door(w);
            w.relay_frame(conn, ClientFrame::PutSnapshot(PutSnapshot { addr: ADDR, covers, key_id, sealed }).encode());
            FORGED.fetch_add(1, Ordering::Relaxed);
            None
        } else {
            // As a hostile relay: straight into a device's connection, past
            // its cursor.
            let d = self.rng.range(0, w.devices.len() as u64 - 1) as usize;
            let conn = w.devices[d].conn?;
            let cursor = w.devices[d].core.cursor(ADDR).expect("open");
            let (covers, sealed) = self.forge(w, cursor)?;
            let bytes = RelayFrame::Snapshot(Snapshot { addr: ADDR, covers, key_id, sealed, at: None }).encode();
            w.deliver(Msg::ToDevice { device: d, conn, bytes });
            FORGED.fetch_add(1, Ordering::Relaxed);
            Some(d)
        }
    }
}

/// A device that says it is caught up holds every stored change of the log
/// up to its cursor.
fn check_no_gap(w: &mut World, d: usize) -> Result<(), String> {
    let dev = &w.devices[d];
    if !dev.core.status().caught_up {
        return Ok(());
    }
    let cursor = dev.core.cursor(ADDR).expect("open");
    let due: Vec<_> = w
        .durable
        .iter()
        .filter(|m| w.relay.acked.get(&m.bundle_id).is_some_and(|&seq| seq <= cursor))
        .map(|m| (m.hash, m.key.clone()))
        .collect();
    let missing = w.devices[d]
        .core
        .inspect(ADDR, |doc| {
            // A change the document waits for is missing for sure; a change
            // not in it may be waiting itself (for a dependency in a later
            // bundle), so absence alone counts only when nothing waits.
            let waiting_for = doc.get_missing_deps(&[]);
            let all_visible = waiting_for.is_empty();
            due.iter()
                .find(|(h, _)| waiting_for.contains(h) || (all_visible && doc.get_change_by_hash(h).is_none()))
                .cloned()
        })
        .expect("open");
    match missing {
        Some((_, key)) => Err(format!("device {d} says it is caught up at {} but lacks the change to {key}", cursor.0)),
        None => Ok(()),
    }
}

#[derive(Default, Clone, Copy)]
struct Plan {
    next_act: Millis,
    reconnect_at: Option<Millis>,
    partition_until: Option<Millis>,
}

/// Runs one seed: faults, heal, quiet; then checks everything.
fn run_seed(seed: u64) -> Result<(), String> {
    let mut w = World::new(seed, DEVICES, config());
    let p = profile(&mut w);
    let mut adversary = Adversary::new(seed);
    w.faults = p.faults;
    w.relay.store.fail = p.store_fail;
    w.relay.batching = p.batching;
    w.relay.set_page(p.page);
    for dev in &mut w.devices {
        dev.disk_fail = p.disk_fail;
        dev.disk_delay = (0, p.disk_delay);
    }
    let mut plans = [Plan::default(); DEVICES];
    for (d, plan) in plans.iter_mut().enumerate() {
        // Some devices start offline, with edits of their own.
        if w.rng.chance(0.8) {
            w.connect(d);
        } else {
            plan.reconnect_at = Some(w.rng.range(0, p.fault_ms));
        }
        plan.next_act = w.rng.range(0, p.act_hi);
    }

    // The faulty phase.
    let mut step = 0u64;
    // The relay's last backup (an empty store: a fresh database).
    let mut backup = Some(w.relay.backup());
    while w.now < p.fault_ms {
        let until = w.now + STEP;
        w.run_net_until(until);
        step += 1;
        if let Some(d) = adversary.act(&mut w) {
            check_no_gap(&mut w, d)?;
        }
        if w.rng.chance(p.backup) {
            backup = Some(w.relay.backup());
        }
        if let Some(old) = backup.as_ref().filter(|_| w.rng.chance(p.relay_restore)) {
            w.restore_relay(old.clone());
            RESTORES.fetch_add(1, Ordering::Relaxed);
            for plan in plans.iter_mut() {
                plan.reconnect_at = plan.reconnect_at.or(Some(w.now + w.rng.range(0, 2_000)));
            }
        }
        if w.rng.chance(p.relay_restart) {
            w.restart_relay();
            for plan in plans.iter_mut() {
                plan.reconnect_at = plan.reconnect_at.or(Some(w.now + w.rng.range(0, 2_000)));
            }
        }
        for (d, plan) in plans.iter_mut().enumerate() {
            if plan.partition_until.is_some_and(|t| t <= w.now) {
                plan.partition_until = None;
                w.devices[d].partitioned = false;
            }
            if plan.reconnect_at.is_some_and(|t| t <= w.now) {
                plan.reconnect_at = None;
                w.connect(d);
            }
            if step % DEVICES as u64 == d as u64 {
                w.tick(d);
                if adversary.chance > 0.0 {
                    check_no_gap(&mut w, d)?;
                }
            }
            if plan.next_act > w.now {
                continue;
            }
            plan.next_act = w.now + w.rng.range(p.act_lo, p.act_hi);
            let roll = w.rng.range(0, 99);
            let mut bound = p.disconnect;
            if roll < bound {
                if w.devices[d].conn.is_some() {
                    w.disconnect(d);
                    plan.reconnect_at = Some(w.now + w.rng.range(100, 3_000));
                }
                continue;
            }
            bound += p.partition;
            if roll < bound {
                if plan.partition_until.is_none() {
                    w.devices[d].partitioned = true;
                    plan.partition_until = Some(w.now + w.rng.range(300, 5_000));
                }
                continue;
            }
            bound += p.crash;
            if roll < bound {
                w.crash(d);
                plan.reconnect_at = Some(w.now + w.rng.range(0, 1_000));
                continue;
            }
            bound += p.replace;
            if roll < bound {
                if w.replace(d) {
                    plan.reconnect_at = Some(w.now + w.rng.range(0, 1_000));
                }
                continue;
            }
            if roll < bound + 15 {
                w.edit_shared(d);
            } else {
                w.edit(d);
            }
        }
    }

    // Heal: a clean network (messages still arrive out of order), no
    // partitions, everyone online, the adversary gone.
    if let Some(conn) = adversary.conn.take() {
        w.deliver(Msg::RelayDisconnected(conn));
    }
    w.faults.drop = 0.0;
    w.faults.duplicate = 0.0;
    w.relay.store.fail = 0.0;
    for d in 0..DEVICES {
        w.devices[d].disk_fail = 0.0;
        w.devices[d].partitioned = false;
        w.connect(d);
    }
    // Quiet: a round of resyncs and several resend timeouts past it with
    // nothing new.
    let quiet = config().resync_every + 3 * config().resend_after;
    w.settle(TICK, quiet, 120_000)?;

    check_converged(&mut w)?;
    check_stored_or_discarded(&mut w)?;
    DISCARDED.fetch_add(w.discarded.len(), Ordering::Relaxed);
    RESTART_CHECKS.fetch_add(w.devices.iter().map(|d| d.restart_checks).sum(), Ordering::Relaxed);
    if w.relay.largest_batch > 1 {
        GROUP_COMMITS.fetch_add(1, Ordering::Relaxed);
    }
    PAGES_WAITED.fetch_add(w.relay.paged, Ordering::Relaxed);
    Ok(())
}

/// Local changes discarded, and checks against a restart after a failed
/// write, over all seeds run: the disk faults must have happened.
static DISCARDED: AtomicUsize = AtomicUsize::new(0);
static RESTART_CHECKS: AtomicUsize = AtomicUsize::new(0);
/// Seeds in which the relay committed several appends at once, and
/// backlog pages that waited for their connection to drain: the batching
/// relay must really have batched and paged.
static GROUP_COMMITS: AtomicUsize = AtomicUsize::new(0);
static PAGES_WAITED: AtomicUsize = AtomicUsize::new(0);
/// Times the relay was restored from an old backup, over all seeds.
static RESTORES: AtomicUsize = AtomicUsize::new(0);
/// Snapshots the adversary forged, and devices that refused one: the
/// attack must have happened, and have been noticed.
static FORGED: AtomicUsize = AtomicUsize::new(0);
static REFUSED: AtomicUsize = AtomicUsize::new(0);
/// Bundles the adversary pushed in others' names, those of them a retired
/// device signed before its retirement (to be kept), and reports of such
/// a bundle set aside.
static FORGED_BUNDLES: AtomicUsize = AtomicUsize::new(0);
static KEPT: AtomicUsize = AtomicUsize::new(0);
static SET_ASIDE: AtomicUsize = AtomicUsize::new(0);

/// Every local change ended `Durable` or `Discarded`; each durable one is
/// in every replica; no discarded one is in any, was pushed, or is in the
/// relay's log.
fn check_stored_or_discarded(w: &mut World) -> Result<(), String> {
    for (d, dev) in w.devices.iter().enumerate() {
        if let Some(made) = dev.made.values().next() {
            return Err(format!("device {d}'s change {:?} is neither durable nor discarded", made.key));
        }
    }
    let logged: BTreeSet<_> = w.relay.log().into_iter().map(|b| b.bundle_id).collect();
    for made in w.durable.clone() {
        for d in 0..w.devices.len() {
            if !w.has_change(d, made.hash) {
                return Err(format!(
                    "device {d} lacks {} = {}, durable on device {}",
                    made.key, made.value, made.device
                ));
            }
        }
    }
    for made in w.discarded.clone() {
        for d in 0..w.devices.len() {
            if w.has_change(d, made.hash) {
                return Err(format!(
                    "device {d} holds {} = {}, discarded on device {}",
                    made.key, made.value, made.device
                ));
            }
        }
    }
    for id in &w.discarded_bundles {
        if w.pushed.contains(id) || logged.contains(id) {
            return Err(format!("the discarded bundle {id} was pushed"));
        }
    }
    Ok(())
}

fn check_converged(w: &mut World) -> Result<(), String> {
    let head = w.relay.head();
    w.relay.check_log()?;
    if w.relay.core.connection_count() != w.devices.len() {
        return Err(format!(
            "the relay has {} connections open, but {} devices are connected",
            w.relay.core.connection_count(),
            w.devices.len()
        ));
    }
    // A device that joins reads at most `snapshot_every` bundles past the
    // newest snapshot (unless an attacker's is the newest).
    let every = config().snapshot_every;
    let covers = w.relay.snapshot().filter(opens).map_or(0, |s| s.covers.0);
    if w.relay.snapshot().is_none_or(|s| opens(&s)) && head.0 >= covers + every {
        return Err(format!("the newest snapshot covers {covers}, the log is at {}", head.0));
    }
    let reference = w.devices[0].core.doc(ADDR).expect("open");
    let (want_heads, want_map) = (heads(reference), root_map(reference));
    for (d, dev) in w.devices.iter().enumerate() {
        let doc = dev.core.doc(ADDR).expect("open");
        let map = root_map(doc);
        if heads(doc) != want_heads || map != want_map {
            return Err(format!("device {d} differs from device 0:\n  {map:?}\n  {want_map:?}"));
        }
        for (k, v) in &w.ledger {
            if map.get(k) != Some(v) {
                return Err(format!("device {d} lacks the edit {k} = {v} (has {:?})", map.get(k)));
            }
        }
        match map.get("shared") {
            Some(v) if !w.shared.contains(v) => return Err(format!("shared = {v} was never written")),
            None if w.durable.iter().any(|m| m.key == "shared") => {
                return Err(format!("device {d} lacks the shared key"))
            }
            _ => {}
        }
        let status = dev.core.status();
        if status.pending != 0 || !dev.disk.outbox.is_empty() {
            return Err(format!("device {d} still has {} bundles to push", status.pending.max(dev.disk.outbox.len())));
        }
        if !status.connected || !status.caught_up {
            return Err(format!("device {d} is not caught up: {status:?}"));
        }
        if !matches!(status.access, Access::Member(_)) {
            return Err(format!("device {d} was not admitted: {status:?}"));
        }
        if dev.core.membership() != w.relay.core.membership(support::NET) {
            return Err(format!("device {d} reads another membership than the relay's"));
        }
        if dev.core.cursor(ADDR) != Some(head) {
            return Err(format!("device {d} is at {:?}, the log at {}", dev.core.cursor(ADDR), head.0));
        }
        if let Some(k) = map.keys().find(|k| k.starts_with("forged")) {
            return Err(format!("device {d} applied the forged change {k}"));
        }
        // The store failing and the adversary's snapshots are the only
        // trouble this world has, and frames that overtook their
        // connection's `Auth` (this network reorders what TCP would not).
        let refused = dev.problems.iter().filter(|p| matches!(p, Problem::SnapshotRefused { .. })).count();
        REFUSED.fetch_add(refused, Ordering::Relaxed);
        let set_aside = |p: &&Problem| {
            matches!(
                p,
                Problem::UnknownSigner { .. }
                    | Problem::WrittenAfterRetirement { .. }
                    | Problem::Undecryptable { error: EnvelopeError::BadSignature { .. }, .. }
            )
        };
        SET_ASIDE.fetch_add(dev.problems.iter().filter(set_aside).count(), Ordering::Relaxed);
        let unexpected: Vec<_> = dev
            .problems
            .iter()
            .filter(|p| {
                !matches!(
                    p,
                    Problem::Relay { code: ErrorCode::StoreFailed | ErrorCode::Unauthenticated, .. }
                        | Problem::SnapshotRefused { .. }
                ) && !set_aside(p)
                    // A relay restored from a backup: devices find its logs
                    // shorter, or of a new generation.
                    && (w.restores == 0 || !matches!(p, Problem::Relay { code: ErrorCode::CursorAhead, .. }))
            })
            .collect();
        if !unexpected.is_empty() {
            return Err(format!("device {d} reported {unexpected:?}"));
        }
    }
    if let Some(stale) = w.sealed_stale.first() {
        return Err(format!("a push or snapshot not sealed with the newest key: {stale}"));
    }
    // What a disk holds is what its device has: a crash now loses nothing.
    // (Loading a document is slow in a debug build; one device a seed, and
    // the crashes during the run, cover it.)
    let d = w.rng.range(0, w.devices.len() as u64 - 1) as usize;
    let dev = &w.devices[d];
    if heads(&dev.disk.load(&dev.actor).doc) != want_heads {
        return Err(format!("device {d}'s disk does not hold its document"));
    }
    // A device that joins now, from the newest snapshot and the bundles
    // after it, reaches the same state.
    if heads(&replay_from_relay(&w.relay)?) != want_heads {
        return Err("the newest snapshot and the bundles after it differ from the devices".into());
    }
    Ok(())
}

/// Whether a snapshot opens with the community's key where it claims to
/// be, signed by a member.
fn opens(s: &lotse_sync::relay::StoredSnapshot) -> bool {
    let opened = community_key().open_signed(s.key_id, ADDR, Kind::Snapshot(s.covers), &s.sealed);
    opened.is_ok_and(|o| signed_by_a_member(o.signer, o.read))
}

/// Whether the membership of this world counts what `signer` signed,
/// having read the membership log to `read`: it is a member, and not the
/// retired device after its retirement.
fn signed_by_a_member(signer: lotse_sync::membership::DeviceId, read: Seq) -> bool {
    let retired = support::retired_key().id();
    let member = (0..support::ADMITTED).any(|d| support::device_key(d).id() == signer) || signer == retired;
    member && !(signer == retired && read >= support::RETIRED_AT)
}

/// What a new device reads: the newest snapshot, then every bundle after
/// it; or, if the snapshot does not open, the whole log.
fn replay_from_relay(relay: &Relay) -> Result<AutoCommit, String> {
    let key = community_key();
    let mut doc = AutoCommit::new();
    let mut from = Seq(0);
    if let Some(s) = relay.snapshot().filter(opens) {
        let opened = key
            .open_signed(s.key_id, ADDR, Kind::Snapshot(s.covers), &s.sealed)
            .map_err(|e| format!("snapshot: {e}"))?;
        doc.load_incremental(&opened.body).map_err(|e| format!("snapshot: {e}"))?;
        from = s.covers;
    }
    for b in relay.log().into_iter().filter(|b| b.seq > from) {
        // What the adversary pushed in others' names is set aside.
        match key.open_signed(b.key_id, ADDR, Kind::Bundle(b.bundle_id), &b.sealed) {
            Ok(o) if signed_by_a_member(o.signer, o.read) => {
                doc.load_incremental(&o.body).map_err(|e| format!("bundle {}: {e}", b.seq.0))?;
            }
            Ok(_) | Err(EnvelopeError::BadSignature { .. }) => {}
            Err(e) => return Err(format!("bundle {}: {e}", b.seq.0)),
        }
    }
    Ok(doc)
}

#[test]
fn five_devices_converge_under_drops_duplicates_reorders_and_partitions() {
    run_seeds(1_000, run_seed);
    if env_u64("LOTSE_SIM_SEED").is_none() && env_u64("LOTSE_SIM_SEEDS").unwrap_or(1_000) >= 100 {
        let (discarded, checks) = (DISCARDED.load(Ordering::Relaxed), RESTART_CHECKS.load(Ordering::Relaxed));
        assert!(discarded > 0 && checks > 0, "disk faults never struck: {discarded} discarded, {checks} checks");
        let (grouped, paged) = (GROUP_COMMITS.load(Ordering::Relaxed), PAGES_WAITED.load(Ordering::Relaxed));
        assert!(grouped > 0 && paged > 0, "the relay never batched ({grouped} seeds) or paged ({paged} pages)");
        if env_u64("LOTSE_SIM_RESTORE") != Some(0) {
            assert!(RESTORES.load(Ordering::Relaxed) > 0, "the relay was never restored from a backup");
        }
        let (forged, refused) = (FORGED.load(Ordering::Relaxed), REFUSED.load(Ordering::Relaxed));
        assert!(forged > 0 && refused > 0, "the adversary forged {forged} snapshots, devices refused {refused}");
        let (bundles, kept) = (FORGED_BUNDLES.load(Ordering::Relaxed), KEPT.load(Ordering::Relaxed));
        let set_aside = SET_ASIDE.load(Ordering::Relaxed);
        assert!(
            bundles > kept && kept > 0 && set_aside > 0,
            "the adversary pushed {bundles} bundles in others' names ({kept} to keep), devices set aside {set_aside}"
        );
    }
}
