//! Erasure by a new epoch (issue 13, part 1), on a network that drops,
//! duplicates and reorders messages, partitions devices and cuts their
//! connections, crashes them (they restart from their disks, every epoch
//! and key kept as the app keeps them), with a relay whose store fails now
//! and then and disks that fail writes, while every device keeps writing.
//!
//! Device 0 is a coordinator, the others mentors of `OLD`'s document.
//! Everyone writes records of its own (`d<device>-<n>`) and records of the
//! person to erase (`erased-<device>-<n>`, holding [`MARKER`]). At a
//! random moment the coordinator rewrites the document into epoch 1
//! without the erased records (`ClientCore::rewrite`); devices go on
//! writing, offline too, some still to the old epoch, and each carries its
//! own late writes when it moves (`ClientCore::carry`, with a carrier over
//! this simulation's root-map records that drops writes to erased ones).
//! After the world heals and goes quiet:
//!
//! - every device is on the new epoch only (the old one closed in its core
//!   and gone from its disk), converged, caught up, with nothing pending;
//! - the relay deleted the old epoch's log and snapshot, and every device
//!   said it moved;
//! - no device's disk and no relay log holds [`MARKER`]: every chunk and
//!   outbox entry, every bundle and snapshot opened with every key any
//!   device holds, searched as raw bytes and as every change's operations;
//! - every write about others a device stored is there, and no erased
//!   record is.
//!
//! In a quarter of the seeds a mentor is away from before the rewrite
//! until after its deadline (a few seconds): the relay deletes the old
//! epoch without it, the membership names it (`not_moved`), and it hears
//! `LeftBehind`; the checks above hold for the others.
//!
//! `cargo test` runs 60 seeds; `LOTSE_SIM_SEEDS` and `LOTSE_SIM_SEED` as
//! for `simulation.rs` (a failure names its seed).

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

use automerge::transaction::Transactable;
use automerge::{ActorId, AutoCommit, ChangeHash, ReadDoc, ROOT};
use lotse_sync::client::{ClientCore, ClientEffect, ClientEvent, Identity, OpenDoc, Persist, Problem};
use lotse_sync::envelope::{CommunityKey, Keyring, Kind};
use lotse_sync::membership::{membership_addr, Role, Signed};
use lotse_sync::relay::{ConnId, RelayEvent, RelayStore};
use lotse_sync::wire::ErrorCode;
use lotse_sync::{DocAddr, Epoch, Millis, Seq};
use support::{community_key, device_key, put, root_map, run_seeds, Disk, Relay, Rng, SimEntropy, ADDR, NET};

const DEVICES: usize = 5;
const STEP: Millis = 50;
const OLD: DocAddr = ADDR;
const NEW: DocAddr = DocAddr { doc: ADDR.doc, epoch: Epoch(1) };
/// What every erased record holds: found nowhere at the end.
const MARKER: &str = "ERASED-PERSON-5f3a9c";

/// The network: founded by device 0 (its coordinator), who made `OLD`'s
/// key; the others mentors of the document, each enrolled and handed the
/// key. Every member is a simulated device: each owes the move.
fn network() -> Vec<Signed> {
    support::enrolled_network(&device_key(0), (1..DEVICES).map(|d| (d, Role::Mentor)))
}

/// A device: its core, and its store as the app keeps it (every epoch's
/// chunks, outbox and cursor; the keys it was handed; the statement it
/// signed until stored).
struct Device {
    core: ClientCore<SimEntropy>,
    actor: ActorId,
    disks: BTreeMap<DocAddr, Disk>,
    keys: Vec<(DocAddr, CommunityKey)>,
    statements: Vec<Signed>,
    /// The write each document has out, and the deletion.
    writing: BTreeMap<DocAddr, Persist>,
    deleting: BTreeSet<DocAddr>,
    /// Bumped at each restart: answers to the old core are dropped.
    life: u64,
    conn: Option<ConnId>,
    partitioned: bool,
    edits: u64,
    /// It carried its late writes (or rewrote the document): the erased
    /// person is gone from it, it writes nothing about them any more.
    carried: bool,
    problems: Vec<Problem>,
    /// Local changes made, not yet durable or discarded: bundle → (hash, key, value).
    made: BTreeMap<lotse_sync::BundleId, (DocAddr, ChangeHash, String, String)>,
}

enum Msg {
    ToRelay(ConnId, Vec<u8>),
    ToDevice(usize, ConnId, Vec<u8>),
    RelayDisconnected(ConnId),
    Disk(usize, DocAddr, u64),
    Deleted(usize, DocAddr, u64),
}

struct World {
    now: Millis,
    rng: Rng,
    relay: Relay,
    devices: Vec<Device>,
    net: BTreeMap<(Millis, u64), Msg>,
    sent: u64,
    next_conn: u64,
    owner: BTreeMap<ConnId, usize>,
    drop: f64,
    duplicate: f64,
    max_delay: Millis,
    disk_fail: f64,
    /// Every own write stored, by key: value (the last stored per key).
    ledger: BTreeMap<String, String>,
    /// What each local change wrote, by its hash: what the carrier reads.
    writes: BTreeMap<ChangeHash, (String, String)>,
    last_activity: Millis,
    /// Carried writes dropped because they were about the erased person.
    dropped: usize,
    /// The rewrite's deadline, in the relay's seconds (`u64::MAX`: none is
    /// reached); set when a device is kept away past it.
    deadline: Option<u64>,
}

fn open_doc(addr: DocAddr, disk: &Disk, actor: &ActorId, keys: &[(DocAddr, CommunityKey)]) -> Option<OpenDoc> {
    let mut ring = keys.iter().filter(|(a, _)| *a == addr).map(|(_, k)| k.clone());
    let keys = if addr == OLD {
        Keyring::of(std::iter::once(community_key()).chain(ring))
    } else {
        Keyring::of(ring.by_ref())
    }?;
    let mut doc = AutoCommit::new().with_actor(actor.clone());
    for chunk in &disk.chunks {
        doc.load_incremental(chunk).expect("every chunk on disk loads");
    }
    Some(OpenDoc {
        addr,
        keys,
        doc,
        cursor: disk.cursor,
        generation: disk.generation,
        at: disk.at,
        outbox: disk.outbox.clone(),
        chunks: disk.chunks.len(),
    })
}

impl World {
    fn new(seed: u64) -> Self {
        let mut w = World {
            now: 0,
            rng: Rng::new(seed),
            relay: Relay::with_log(&network()),
            devices: Vec::new(),
            net: BTreeMap::new(),
            sent: 0,
            next_conn: 0,
            owner: BTreeMap::new(),
            drop: 0.0,
            duplicate: 0.0,
            max_delay: 1,
            disk_fail: 0.0,
            ledger: BTreeMap::new(),
            writes: BTreeMap::new(),
            last_activity: 0,
            dropped: 0,
            deadline: None,
        };
        for d in 0..DEVICES {
            let core = w.core(d);
            let mut disks = BTreeMap::new();
            disks.insert(OLD, Disk::default());
            w.devices.push(Device {
                core,
                actor: ActorId::from(device_key(d).id().0.to_vec()),
                disks,
                keys: Vec::new(),
                statements: Vec::new(),
                writing: BTreeMap::new(),
                deleting: BTreeSet::new(),
                life: 0,
                conn: None,
                partitioned: false,
                edits: 0,
                carried: false,
                problems: Vec::new(),
                made: BTreeMap::new(),
            });
            w.open_all(d);
        }
        w
    }

    fn core(&mut self, d: usize) -> ClientCore<SimEntropy> {
        let mut core = ClientCore::new(SimEntropy(self.rng.fork()), support::fast_config());
        core.set_identity(Identity { key: device_key(d), network: NET });
        core
    }

    /// Opens every epoch the device's disk holds, oldest first, and hands
    /// over the statements it keeps (as the app does at every start).
    fn open_all(&mut self, d: usize) {
        let addrs: Vec<DocAddr> = self.devices[d].disks.keys().copied().collect();
        for addr in addrs {
            let dev = &self.devices[d];
            let Some(open) = open_doc(addr, &dev.disks[&addr], &dev.actor, &dev.keys) else { continue };
            let effects = self.devices[d].core.open(self.now, open);
            self.apply(d, effects);
        }
        for s in self.devices[d].statements.clone() {
            let effects = self.devices[d].core.queue_statement(s);
            self.apply(d, effects);
        }
    }

    fn delay(&mut self) -> Millis {
        self.rng.range(1, self.max_delay)
    }

    fn schedule(&mut self, delay: Millis, msg: Msg) {
        self.sent += 1;
        self.net.insert((self.now + delay, self.sent), msg);
    }

    fn send(&mut self, msg: impl Fn() -> Msg) {
        if self.rng.chance(self.drop) {
            return;
        }
        let copies = if self.rng.chance(self.duplicate) { 2 } else { 1 };
        for _ in 0..copies {
            let delay = self.delay();
            self.schedule(delay, msg());
        }
    }

    fn connect(&mut self, d: usize) {
        if self.devices[d].conn.is_some() {
            return;
        }
        self.next_conn += 1;
        let conn = ConnId(self.next_conn);
        self.owner.insert(conn, d);
        let sends = self.relay.handle(RelayEvent::Connected(conn));
        self.route(sends);
        self.devices[d].conn = Some(conn);
        let effects = self.devices[d].core.handle(self.now, ClientEvent::Connected);
        self.apply(d, effects);
    }

    fn disconnect(&mut self, d: usize) {
        let Some(conn) = self.devices[d].conn.take() else { return };
        let effects = self.devices[d].core.handle(self.now, ClientEvent::Disconnected);
        self.apply(d, effects);
        let delay = self.delay();
        self.schedule(delay, Msg::RelayDisconnected(conn));
    }

    /// The app restarts from its disk: a write or deletion the disk was
    /// carrying out is made or not.
    fn crash(&mut self, d: usize) {
        self.trace(|| format!("dev{d} crashes"));
        if let Some(conn) = self.devices[d].conn.take() {
            let delay = self.delay();
            self.schedule(delay, Msg::RelayDisconnected(conn));
        }
        let dev = &mut self.devices[d];
        for (addr, p) in std::mem::take(&mut dev.writing) {
            if self.rng.chance(0.5) {
                dev.disks.get_mut(&addr).expect("a disk of a document written").apply(&p);
            }
        }
        for addr in std::mem::take(&mut dev.deleting) {
            if self.rng.chance(0.5) {
                dev.disks.remove(&addr);
                dev.keys.retain(|(a, _)| *a != addr);
            }
        }
        dev.life += 1;
        dev.made.clear();
        dev.carried = false;
        self.devices[d].core = self.core(d);
        self.open_all(d);
    }

    fn route(&mut self, sends: Vec<(ConnId, Vec<u8>)>) {
        for (conn, bytes) in sends {
            if let Some(&d) = self.owner.get(&conn) {
                if !self.devices[d].partitioned {
                    self.send(|| Msg::ToDevice(d, conn, bytes.clone()));
                }
            }
        }
    }

    fn relay_event(&mut self, event: RelayEvent) {
        let head =
            (self.relay.store.inner.head(OLD).expect("memory"), self.relay.store.inner.head(NEW).expect("memory"));
        let sends = self.relay.handle(event);
        if head
            != (self.relay.store.inner.head(OLD).expect("memory"), self.relay.store.inner.head(NEW).expect("memory"))
        {
            self.last_activity = self.now;
        }
        self.route(sends);
    }

    fn trace(&self, what: impl FnOnce() -> String) {
        if std::env::var_os("LOTSE_SIM_TRACE").is_some() {
            eprintln!("{:>7} {}", self.now, what());
        }
    }

    fn apply(&mut self, d: usize, effects: Vec<ClientEffect>) {
        for effect in effects {
            if !matches!(effect, ClientEffect::Send(_) | ClientEffect::Persist(_) | ClientEffect::Changed(_)) {
                self.trace(|| format!("dev{d} {effect:?}").chars().take(200).collect());
            }
            match effect {
                ClientEffect::Send(bytes) => {
                    if let (Some(conn), false) = (self.devices[d].conn, self.devices[d].partitioned) {
                        self.send(|| Msg::ToRelay(conn, bytes.clone()));
                    }
                }
                ClientEffect::Persist(p) => {
                    let addr = p.addr();
                    let dev = &mut self.devices[d];
                    assert!(dev.writing.insert(addr, p).is_none(), "dev{d} has two writes of {addr} out");
                    dev.disks.entry(addr).or_default();
                    let (life, delay) = (dev.life, self.rng.range(0, 40));
                    self.schedule(delay, Msg::Disk(d, addr, life));
                }
                ClientEffect::KeysGranted(keys) => {
                    for k in keys {
                        if !self.devices[d].keys.contains(&k) {
                            self.devices[d].keys.push(k);
                        }
                    }
                }
                ClientEffect::Moving { to, .. } => {
                    self.devices[d].disks.entry(to).or_default();
                }
                ClientEffect::Carry { from, .. } => {
                    self.devices[d].carried = true;
                    let writes = &self.writes;
                    let mut dropped = 0;
                    let effects = self.devices[d]
                        .core
                        .carry(self.now, from, |c| {
                            for hash in c.own {
                                let Some((key, value)) = writes.get(hash) else { continue };
                                if key.starts_with("erased-") {
                                    dropped += 1;
                                    continue;
                                }
                                // Carrying again (after a restart) writes nothing.
                                let now = c.new.get(ROOT, key.as_str())?.and_then(|(v, _)| v.into_string().ok());
                                if now.as_deref() != Some(value) {
                                    put(c.new, 0, key, value)?;
                                }
                            }
                            Ok::<(), automerge::AutomergeError>(())
                        })
                        .expect("the carrier writes root-map strings");
                    self.dropped += dropped;
                    self.apply(d, effects);
                }
                ClientEffect::DeleteEpoch { addr } => {
                    let dev = &mut self.devices[d];
                    dev.deleting.insert(addr);
                    let (life, delay) = (dev.life, self.rng.range(0, 40));
                    self.schedule(delay, Msg::Deleted(d, addr, life));
                }
                ClientEffect::StatementMade(s) => self.devices[d].statements.push(s),
                ClientEffect::StatementStored(id) => self.devices[d].statements.retain(|s| s.id() != id),
                ClientEffect::Problem(p) => self.devices[d].problems.push(p),
                ClientEffect::Durable { bundle_id, .. } => {
                    if let Some((_, _, key, value)) = self.devices[d].made.remove(&bundle_id) {
                        self.ledger.insert(key, value);
                    }
                }
                ClientEffect::Discarded { bundle_id, .. } => {
                    self.devices[d].made.remove(&bundle_id);
                }
                ClientEffect::Changed(_) | ClientEffect::MembershipChanged => {}
            }
        }
    }

    fn deliver(&mut self, msg: Msg) {
        match msg {
            Msg::ToRelay(conn, bytes) => {
                let from = self.owner[&conn];
                if self.relay.open.contains(&conn) && !self.devices[from].partitioned {
                    self.relay_event(RelayEvent::Frame(conn, bytes));
                }
            }
            Msg::ToDevice(d, conn, bytes) => {
                if self.devices[d].conn == Some(conn) && !self.devices[d].partitioned {
                    let effects = self.devices[d].core.handle(self.now, ClientEvent::Received(bytes));
                    self.apply(d, effects);
                }
            }
            Msg::RelayDisconnected(conn) => self.relay_event(RelayEvent::Disconnected(conn)),
            Msg::Disk(d, addr, life) => {
                let dev = &mut self.devices[d];
                if dev.life != life {
                    return;
                }
                let Some(p) = dev.writing.remove(&addr) else { return };
                let event = if self.rng.chance(self.disk_fail) {
                    ClientEvent::PersistFailed { addr }
                } else {
                    dev.disks.get_mut(&addr).expect("written").apply(&p);
                    ClientEvent::Persisted { addr }
                };
                self.last_activity = self.now;
                let effects = self.devices[d].core.handle(self.now, event);
                self.apply(d, effects);
            }
            Msg::Deleted(d, addr, life) => {
                let dev = &mut self.devices[d];
                // The store's queue: a write of it still out goes first.
                if dev.life == life && dev.writing.contains_key(&addr) {
                    return self.schedule(10, Msg::Deleted(d, addr, life));
                }
                if dev.life != life || !dev.deleting.remove(&addr) {
                    return;
                }
                let event = if self.rng.chance(self.disk_fail) {
                    ClientEvent::EpochDeleteFailed { addr }
                } else {
                    dev.disks.remove(&addr);
                    dev.keys.retain(|(a, _)| *a != addr);
                    ClientEvent::EpochDeleted { addr }
                };
                self.last_activity = self.now;
                let effects = self.devices[d].core.handle(self.now, event);
                self.apply(d, effects);
            }
        }
    }

    fn run_until(&mut self, until: Millis) {
        while let Some(entry) = self.net.first_entry() {
            if entry.key().0 > until {
                break;
            }
            let ((at, _), msg) = entry.remove_entry();
            self.now = self.now.max(at);
            self.deliver(msg);
        }
        self.now = self.now.max(until);
        self.relay.core.set_now(self.now);
    }

    fn tick(&mut self, d: usize) {
        let effects = self.devices[d].core.handle(self.now, ClientEvent::Tick);
        self.apply(d, effects);
    }

    /// Where device `d` writes: the new epoch once it is open there and
    /// the old one is not (or the core sends it there itself).
    fn writes_to(&self, d: usize) -> DocAddr {
        let core = &self.devices[d].core;
        if core.doc(OLD).is_some() {
            OLD
        } else {
            NEW
        }
    }

    /// Writes a record: about the erased person (only on the old epoch: once
    /// moved, the person is gone from the device) or its own.
    fn edit(&mut self, d: usize, erased: bool) {
        let addr = self.writes_to(d);
        if self.devices[d].core.doc(addr).is_none() {
            return;
        }
        let n = self.devices[d].edits;
        self.devices[d].edits += 1;
        let (key, value) = if erased && addr == OLD && !self.devices[d].carried {
            (format!("erased-{d}-{n}"), format!("{MARKER} {d}/{n}"))
        } else {
            (format!("d{d}-{n}"), format!("v{n}@{}", self.now))
        };
        let now = self.now;
        let dev = &mut self.devices[d];
        let before = dev.core.doc(OLD).map(support::heads);
        let change = dev.core.change(now, addr, |doc| put(doc, now, &key, &value)).expect("a put on the root map");
        let Some(bundle) = change.bundle else { return };
        // The core makes it in the new epoch once the old one was carried.
        let target = if dev.core.doc(OLD).map(support::heads) != before { OLD } else { NEW };
        let hash =
            dev.core.inspect(target, |doc| doc.get_last_local_change().map(|c| c.hash())).flatten().expect("just made");
        if std::env::var_os("LOTSE_SIM_TRACE").is_some() {
            eprintln!("{:>7} dev{d} writes {key} = {value} in {:?} as {hash}", now, target.epoch);
        }
        self.writes.insert(hash, (key.clone(), value.clone()));
        if !key.starts_with("erased-") {
            dev.made.insert(bundle, (target, hash, key, value));
        }
        self.apply(d, change.effects);
    }

    /// The coordinator's rewrite: the document without every erased record,
    /// as one change on an empty document.
    fn try_rewrite(&mut self) {
        let dev = &mut self.devices[0];
        let Some(old) = dev.core.doc(OLD) else { return };
        let mut fresh = AutoCommit::new().with_actor(dev.actor.clone());
        for (k, v) in root_map(old) {
            if !k.starts_with("erased-") {
                fresh.put(ROOT, &k, v).expect("a fresh document");
            }
        }
        fresh.commit_with(automerge::transaction::CommitOptions::default().with_time(0));
        let deadline = self.deadline.map_or(u64::MAX, |_| (self.now + 2_000) / 1_000 + 1);
        self.deadline = self.deadline.map(|_| deadline);
        match dev.core.rewrite(self.now, OLD, fresh, deadline) {
            Ok(r) => {
                dev.carried = true;
                self.apply(0, r.effects);
            }
            Err(e) => self.trace(|| format!("dev0 cannot rewrite yet: {e}")),
        }
    }
}

/// Seeds run, late writes about the erased person dropped, devices left
/// behind: each path must be taken.
static TAKEN: Mutex<(usize, usize, usize)> = Mutex::new((0, 0, 0));

fn run_seed(seed: u64) -> Result<(), String> {
    let mut w = World::new(seed);
    let rng = &mut w.rng;
    w.drop = rng.pick(&[0.0, 0.05, 0.15]);
    w.duplicate = rng.pick(&[0.0, 0.1]);
    w.max_delay = rng.pick(&[2, 40, 200]);
    w.disk_fail = rng.pick(&[0.0, 0.0, 0.05]);
    w.relay.store.fail = rng.pick(&[0.0, 0.0, 0.05]);
    let (crash, disconnect, partition) = (rng.pick(&[0, 3, 8]), rng.pick(&[0, 5, 10]), rng.pick(&[0, 5, 10]));
    let fault_ms: Millis = rng.pick(&[4_000, 6_000]);
    let rewrite_at = rng.range(800, fault_ms - 1_500);
    // In some seeds a mentor is away from before the rewrite until past its
    // deadline: the relay deletes the old epoch without it and refuses it.
    let late = rng.chance(0.25).then(|| rng.range(1, DEVICES as u64 - 1) as usize);
    w.deadline = late.map(|_| 0);
    for d in 0..DEVICES {
        w.connect(d);
    }
    let mut rewritten = false;
    let mut next_act = [0; DEVICES];
    let mut back_at: [Option<Millis>; DEVICES] = [None; DEVICES];
    let mut step = 0u64;
    while w.now < fault_ms || !rewritten {
        if w.now > fault_ms + 20_000 {
            return Err("the coordinator never got its document settled to rewrite it".into());
        }
        w.run_until(w.now + STEP);
        w.relay_event(RelayEvent::Tick);
        step += 1;
        // Tried until the relay took it (a rewrite whose document could
        // not be stored, or lost in a crash before it left, is made again).
        if !rewritten && w.now >= rewrite_at {
            w.try_rewrite();
        }
        rewritten = w.relay.core.membership(NET).is_some_and(|m| m.current_epoch(OLD.doc) == NEW.epoch);
        if let Some(l) = late {
            if w.now + 300 >= rewrite_at && back_at[l].is_none_or(|t| t < Millis::MAX) && !rewritten {
                w.devices[l].partitioned = true;
                back_at[l] = Some(Millis::MAX);
            }
            if rewritten && back_at[l] == Some(Millis::MAX) {
                let deadline = w.deadline.expect("set with `late`");
                back_at[l] = Some((deadline + 2) * 1_000);
            }
        }
        for d in 0..DEVICES {
            if back_at[d].is_some_and(|t| t <= w.now) {
                back_at[d] = None;
                w.devices[d].partitioned = false;
                w.connect(d);
            }
            if step % DEVICES as u64 == d as u64 {
                w.tick(d);
            }
            if next_act[d] > w.now || w.now >= fault_ms {
                continue;
            }
            next_act[d] = w.now + w.rng.range(100, 600);
            let roll = w.rng.range(0, 99);
            // The coordinator stays up around its rewrite, so it can settle;
            // the late device only writes, away.
            let quiet = d == 0 && !rewritten && w.now + 1_000 >= rewrite_at;
            if Some(d) == late && back_at[d].is_some() {
                let erased = w.rng.chance(0.3);
                w.edit(d, erased);
                continue;
            }
            if roll < disconnect && !quiet {
                w.disconnect(d);
                back_at[d] = Some(w.now + w.rng.range(100, 2_500));
            } else if roll < disconnect + partition && !quiet {
                w.devices[d].partitioned = true;
                back_at[d] = Some(w.now + w.rng.range(300, 3_000));
            } else if roll < disconnect + partition + crash && !quiet {
                w.crash(d);
                back_at[d] = Some(w.now + w.rng.range(0, 1_000));
            } else if !quiet {
                let erased = w.rng.chance(0.3);
                w.edit(d, erased);
            }
        }
    }

    // The late device comes back only after the deadline.
    if let (Some(l), Some(deadline)) = (late, w.deadline) {
        while w.now <= (deadline + 2) * 1_000 {
            w.run_until(w.now + STEP);
            w.relay_event(RelayEvent::Tick);
            for d in 0..DEVICES {
                w.tick(d);
            }
        }
        w.devices[l].partitioned = false;
    }
    // Heal and go quiet.
    w.drop = 0.0;
    w.duplicate = 0.0;
    w.disk_fail = 0.0;
    w.relay.store.fail = 0.0;
    for d in 0..DEVICES {
        w.devices[d].partitioned = false;
        w.connect(d);
    }
    let config = support::fast_config();
    let quiet = config.resync_every + 3 * config.resend_after;
    let start = w.now;
    w.last_activity = w.now;
    while w.now < w.last_activity + quiet {
        if w.now > start + 120_000 {
            return Err("still busy 120 s after healing".into());
        }
        w.run_until(w.now + STEP);
        w.relay_event(RelayEvent::Tick);
        for d in 0..DEVICES {
            w.tick(d);
        }
    }
    w.run_until(w.now + 10 * w.max_delay);
    let left = check(&mut w)?;
    let mut taken = TAKEN.lock().unwrap();
    taken.0 += 1;
    taken.1 += w.dropped;
    taken.2 += left;
    Ok(())
}

/// Whether `bytes` (a chunk, or an opened bundle or snapshot) hold the
/// marker: as raw bytes, or in any operation of any change they load as
/// (Automerge compresses long columns).
fn holds_marker(bytes: &[u8]) -> bool {
    let marker = MARKER.as_bytes();
    if bytes.windows(marker.len()).any(|w| w == marker) {
        return true;
    }
    let Ok(mut doc) = AutoCommit::load(bytes) else { return false };
    doc.get_changes(&[]).iter().any(|c| format!("{:?}", c.decode()).contains(MARKER))
}

/// Checks the world after quiescence; returns how many devices were left
/// behind.
fn check(w: &mut World) -> Result<usize, String> {
    let m = w.relay.core.membership(NET).expect("the network").clone();
    if m.current_epoch(OLD.doc) != NEW.epoch {
        return Err(format!("the document is at epoch {:?}", m.current_epoch(OLD.doc)));
    }
    let left: BTreeSet<usize> = (0..DEVICES).filter(|d| m.not_moved(NEW).contains(&device_key(*d).id())).collect();
    let past = w.deadline.is_some_and(|deadline| w.now / 1_000 > deadline);
    for &d in left.iter().filter(|_| past) {
        let told =
            w.devices[d].problems.iter().any(|p| matches!(p, Problem::Relay { code: ErrorCode::LeftBehind, .. }));
        if !told {
            return Err(format!("device {d} was left behind and not told"));
        }
    }
    if w.deadline.is_some() && left.is_empty() {
        return Err("the late device moved in time".into());
    }
    if !past && !left.is_empty() {
        let who: Vec<String> = (0..DEVICES)
            .filter(|d| m.not_moved(NEW).contains(&device_key(*d).id()))
            .map(|d| {
                let dev = &w.devices[d];
                format!(
                    "device {d} (old open: {}, new open: {}, on disk: {:?}, cursor {:?}/{:?}, problems {:?})",
                    dev.core.doc(OLD).is_some(),
                    dev.core.doc(NEW).is_some(),
                    dev.disks.keys().collect::<Vec<_>>(),
                    dev.core.cursor(OLD),
                    dev.core.cursor(NEW),
                    dev.problems
                )
            })
            .collect();
        return Err(format!("devices did not say they moved: {who:?}"));
    }
    let store = &w.relay.store.inner;
    if store.head(OLD).expect("memory") != Seq(0) || store.snapshot(OLD).expect("memory").is_some() {
        return Err("the relay still holds the old epoch".into());
    }
    // Every key any device holds, of either epoch.
    let mut keys: Vec<(DocAddr, CommunityKey)> = vec![(OLD, community_key())];
    for dev in &w.devices {
        keys.extend(dev.keys.iter().cloned());
    }
    for addr in [OLD, NEW, membership_addr(NET)] {
        let ring = |a: DocAddr| Keyring::of(keys.iter().filter(|(k, _)| *k == a).map(|(_, k)| k.clone()));
        for b in store.bundles_since(addr, Seq(0)).expect("memory") {
            let plain = ring(addr)
                .and_then(|r| r.open_signed(b.key_id, addr, Kind::Bundle(b.bundle_id), &b.sealed).ok())
                .map_or(b.sealed.clone(), |o| o.body);
            if holds_marker(&plain) {
                return Err(format!("the relay's log of {addr} holds the marker at {}", b.seq.0));
            }
        }
        if let Some(s) = store.snapshot(addr).expect("memory") {
            let plain = ring(addr)
                .and_then(|r| r.open_signed(s.key_id, addr, Kind::Snapshot(s.covers), &s.sealed).ok())
                .map_or(s.sealed.clone(), |o| o.body);
            if holds_marker(&plain) {
                return Err(format!("the relay's snapshot of {addr} holds the marker"));
            }
        }
    }
    let reference = root_map(w.devices[0].core.doc(NEW).ok_or("device 0 has no new epoch")?);
    for (d, dev) in w.devices.iter_mut().enumerate().filter(|(d, _)| !left.contains(d)) {
        if dev.core.doc(OLD).is_some() || dev.disks.contains_key(&OLD) {
            return Err(format!("device {d} still holds the old epoch (problems: {:?})", dev.problems));
        }
        if dev.keys.iter().any(|(a, _)| *a == OLD) {
            return Err(format!(
                "device {d} still keeps a key of the old epoch: {:?}, disks {:?}",
                dev.keys.iter().map(|(a, k)| (a.epoch, k.id)).collect::<Vec<_>>(),
                dev.disks.keys().collect::<Vec<_>>()
            ));
        }
        for (addr, disk) in &dev.disks {
            let blobs = disk.chunks.iter().chain(disk.outbox.iter().map(|(_, b)| b));
            if blobs.into_iter().any(|b| holds_marker(b)) {
                return Err(format!("device {d}'s disk holds the marker in {addr}"));
            }
        }
        let doc = dev.core.doc(NEW).ok_or(format!("device {d} is not on the new epoch"))?;
        let map = root_map(doc);
        if map != reference {
            return Err(format!("device {d} differs from device 0"));
        }
        if let Some(k) = map.keys().find(|k| k.starts_with("erased-")) {
            return Err(format!("device {d} holds the erased record {k}"));
        }
        let mut doc = doc.clone();
        if doc.get_changes(&[]).iter().any(|c| format!("{:?}", c.decode()).contains(MARKER)) {
            return Err(format!("device {d}'s new epoch holds the marker in its history"));
        }
        let status = dev.core.status();
        if status.pending != 0 || !status.caught_up {
            return Err(format!("device {d} is not caught up: {status:?}"));
        }
        let unexpected: Vec<&Problem> = dev
            .problems
            .iter()
            .filter(|p| !matches!(p, Problem::Relay { code: ErrorCode::StoreFailed | ErrorCode::Unauthenticated, .. }))
            // A failed disk write of the rewritten document: made again.
            .filter(|p| !matches!(p, Problem::RewriteRefused { .. }))
            .collect();
        if !unexpected.is_empty() {
            return Err(format!("device {d} reported {unexpected:?}"));
        }
    }
    // A device left behind loses what it wrote after the base: it enrols
    // again (and the app wipes it: not modelled here).
    let by_left = |k: &str| left.iter().any(|d| k.starts_with(&format!("d{d}-")));
    for (k, v) in w.ledger.iter().filter(|(k, _)| !by_left(k)) {
        if reference.get(k) != Some(v) {
            return Err(format!("the write {k} = {v} is lost (it holds {:?})", reference.get(k)));
        }
    }
    Ok(left.len())
}

#[test]
fn an_erasure_moves_every_device_to_a_new_epoch_and_leaves_no_byte_of_the_erased_records() {
    run_seeds(60, run_seed);
    let (seeds, dropped, left) = *TAKEN.lock().unwrap();
    if support::env_u64("LOTSE_SIM_SEED").is_none() {
        assert!(dropped > 0, "{seeds} seeds carried no late write about the erased person: nothing was tested");
        assert!(left > 0, "in {seeds} seeds no device was left behind at a deadline: nothing was tested");
    }
}
