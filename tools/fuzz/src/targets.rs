//! The targets. Each takes any bytes; a panic is a finding.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::OnceLock;

use arbitrary::Unstructured;
use automerge::transaction::Transactable;
use automerge::{ActorId, AutoCommit, ROOT};
use lotse_sync::client::{
    ClientConfig, ClientCore, ClientEffect, ClientEvent, OpenDoc, Persist, Problem, SnapshotError,
};
use lotse_sync::envelope::{CommunityKey, EnvelopeError, Kind};
use lotse_sync::relay::{Batch, ConnId, MemoryStore, PageLimit, RelayConfig, RelayCore, RelayEvent, RelayStore};
use lotse_sync::wire::{Ack, ClientFrame, RelayFrame, WireError};
use lotse_sync::{BundleId, DocAddr, DocumentId, Entropy, Epoch, KeyId, Seq};

use crate::Outcome;

/// The document the session targets work on (the first byte of its id),
/// and one more.
pub(crate) const DOC: u8 = 1;
pub(crate) const OTHER_DOC: u8 = 2;

fn doc_addr(doc: u8) -> DocAddr {
    DocAddr { doc: DocumentId([doc; 16]), epoch: Epoch(0) }
}

fn community_key() -> CommunityKey {
    CommunityKey::from_bytes(KeyId(1), [7; 32])
}

/// Randomness that is the same on every run, so a finding replays
/// (SplitMix64: bundle ids and nonces never repeat within a session).
struct Counter(u64);

impl Entropy for Counter {
    fn fill(&mut self, buf: &mut [u8]) {
        let mut rng = crate::mutate::Rng::new(self.0);
        for chunk in buf.chunks_mut(8) {
            chunk.copy_from_slice(&rng.next_u64().to_le_bytes()[..chunk.len()]);
        }
        self.0 = rng.next_u64();
    }
}

/// A label without the numbers in it: one per kind of error, not one per
/// offset or length.
fn label(prefix: &str, text: &str) -> String {
    let text: String = text.chars().filter(|c| !c.is_ascii_digit()).take(48).collect();
    format!("{prefix}:{text}")
}

fn wire_label(e: &WireError) -> String {
    match e {
        WireError::Empty => "empty".into(),
        WireError::UnknownType(_) => "unknown-type".into(),
        WireError::Malformed { tag, reason } => label(&format!("malformed-{tag:02x}"), reason),
    }
}

/// A device's frame as the relay decodes it. What decodes must encode to a
/// frame no longer than the input (postcard writes the shortest varints)
/// that decodes to the same.
pub(crate) fn client_frame(data: &[u8]) -> Outcome {
    match ClientFrame::decode(data) {
        Ok(frame) => {
            let again = frame.encode();
            assert!(again.len() <= data.len(), "{frame:?} encodes longer than the bytes it came from");
            assert_eq!(ClientFrame::decode(&again), Ok(frame.clone()), "a decoded frame does not survive a round trip");
            Outcome::Accepted(format!("{:02x}", again[0]))
        }
        Err(e) => Outcome::Refused(wire_label(&e)),
    }
}

/// The relay's frame as a device decodes it.
pub(crate) fn relay_frame(data: &[u8]) -> Outcome {
    match RelayFrame::decode(data) {
        Ok(frame) => {
            let again = frame.encode();
            assert!(again.len() <= data.len(), "{frame:?} encodes longer than the bytes it came from");
            assert_eq!(RelayFrame::decode(&again), Ok(frame.clone()), "a decoded frame does not survive a round trip");
            Outcome::Accepted(format!("{:02x}", again[0]))
        }
        Err(e) => Outcome::Refused(wire_label(&e)),
    }
}

fn envelope_label(e: &EnvelopeError) -> &'static str {
    match e {
        EnvelopeError::TooShort(_) => "too-short",
        EnvelopeError::UnknownKey { .. } => "unknown-key",
        EnvelopeError::Undecryptable => "undecryptable",
    }
}

/// `[mode, key, doc, epoch, kind, alteration, position (2 bytes LE)] ++ payload`.
///
/// Even mode: `payload` is a sealed blob a stranger made; it must not open.
/// Odd mode: `payload` is sealed with the key, then altered (a bit, cut
/// short, a byte more, another document, another kind); it must open
/// before the alteration and not after.
pub(crate) fn envelope(data: &[u8]) -> Outcome {
    let mut u = Unstructured::new(data);
    let mut byte = || u.arbitrary::<u8>().unwrap_or(0);
    let (mode, key_choice, doc, epoch, kind, alteration) = (byte(), byte(), byte(), byte(), byte(), byte());
    let position = usize::from(byte()) | usize::from(byte()) << 8;
    let payload = u.take_rest();
    let key = community_key();
    let key_id = if key_choice == 0 { key.id } else { KeyId(u32::from(key_choice)) };
    let addr = DocAddr { doc: DocumentId([doc; 16]), epoch: Epoch(u32::from(epoch)) };
    let kind = if kind % 2 == 0 { Kind::Bundle(BundleId([epoch; 16])) } else { Kind::Snapshot(Seq(u64::from(epoch))) };
    if mode % 2 == 0 {
        return match key.open(key_id, addr, kind, payload) {
            Ok(_) => panic!("a blob nobody sealed opened"),
            Err(e) => Outcome::Refused(format!("forged:{}", envelope_label(&e))),
        };
    }
    let mut sealed = key.seal(&mut Counter(u64::from(epoch)), addr, kind, payload);
    assert_eq!(key.open(key.id, addr, kind, &sealed).as_deref(), Ok(payload), "a sealed blob does not open");
    let at = position % sealed.len();
    let (what, result) = match alteration % 5 {
        0 => {
            sealed[at] ^= 1 << (alteration / 5 % 8);
            ("a flipped bit", key.open(key.id, addr, kind, &sealed))
        }
        1 => {
            sealed.truncate(at);
            ("cutting it short", key.open(key.id, addr, kind, &sealed))
        }
        2 => {
            sealed.insert(at, alteration);
            ("a byte more", key.open(key.id, addr, kind, &sealed))
        }
        3 => {
            let other = DocAddr { doc: DocumentId([doc ^ 1; 16]), ..addr };
            ("another document", key.open(key.id, other, kind, &sealed))
        }
        _ => {
            let (other, what) = match (kind, alteration / 5 % 2) {
                (Kind::Bundle(id), 0) => (Kind::Snapshot(Seq(u64::from(id.0[0]))), "another kind"),
                (Kind::Bundle(id), _) => (Kind::Bundle(BundleId([id.0[0] ^ 1; 16])), "another bundle id"),
                (Kind::Snapshot(covers), 0) => (Kind::Bundle(BundleId([covers.0 as u8; 16])), "another kind"),
                (Kind::Snapshot(covers), _) => (Kind::Snapshot(covers.next()), "a raised covers"),
            };
            (what, key.open(key.id, addr, other, &sealed))
        }
    };
    match result {
        Ok(_) => panic!("a sealed blob altered by {what} still opened"),
        Err(e) => Outcome::Refused(format!("altered:{}", envelope_label(&e))),
    }
}

/// A device's document with content of its own, saved.
fn local_save() -> &'static [u8] {
    static SAVE: OnceLock<Vec<u8>> = OnceLock::new();
    SAVE.get_or_init(|| {
        let mut doc = AutoCommit::new().with_actor(ActorId::from([0xbb; 16]));
        let contacts = doc.put_object(ROOT, "contacts", automerge::ObjType::Map).unwrap();
        doc.put(&contacts, "c9", "Olga").unwrap();
        doc.commit();
        doc.save()
    })
}

fn open_device(start: Option<&[u8]>, config: ClientConfig) -> ClientCore<Counter> {
    let doc = match start {
        Some(bytes) => AutoCommit::load(bytes).expect("the local document loads"),
        None => AutoCommit::new(),
    };
    let mut core = ClientCore::new(Counter(0), config);
    core.open(
        0,
        OpenDoc {
            addr: doc_addr(DOC),
            key: community_key(),
            doc: doc.with_actor(ActorId::from([0xbb; 16])),
            cursor: Seq(0),
            outbox: vec![],
            chunks: 0,
        },
    );
    core
}

/// What the device made of one sealed plaintext: applied (and then its
/// document must save and load again, and so must its chunks on disk, as
/// after a restart), or refused as not Automerge. Nothing else.
fn device_applies(start: Option<&[u8]>, kind: Kind, plain: &[u8]) -> String {
    let addr = doc_addr(DOC);
    let key = community_key();
    let mut core = open_device(start, ClientConfig::default());
    let sealed = key.seal(&mut Counter(9), addr, kind, plain);
    let frame = match kind {
        Kind::Bundle(bundle_id) => {
            RelayFrame::Bundle(lotse_sync::wire::Bundle { addr, seq: Seq(1), bundle_id, key_id: key.id, sealed })
        }
        Kind::Snapshot(covers) => {
            RelayFrame::Snapshot(lotse_sync::wire::Snapshot { addr, covers, key_id: key.id, sealed })
        }
    };
    let effects = core.handle(0, ClientEvent::Received(frame.encode()));
    let applied = effects.iter().any(|e| match e {
        ClientEffect::Persist(Persist::Remote { bytes: Some(bytes), .. }) => {
            assert_eq!(bytes, plain, "the device writes other bytes than it applied");
            true
        }
        _ => false,
    });
    let refused = effects.iter().find_map(|e| match e {
        ClientEffect::Problem(Problem::NotAutomerge { error, .. }) => Some(error.clone()),
        ClientEffect::Problem(Problem::SnapshotRefused { error: SnapshotError::NotAutomerge(error), .. }) => {
            Some(error.clone())
        }
        _ => None,
    });
    match (applied, refused) {
        (true, None) => {
            let saved = core.inspect(addr, |d| d.save()).expect("open");
            AutoCommit::load(&saved).expect("a document that took a remote change saves and loads again");
            let mut reopened = AutoCommit::new();
            for chunk in start.into_iter().chain([plain]) {
                reopened.load_incremental(chunk).expect("the chunks a device stored load again after a restart");
            }
            "applied".into()
        }
        (false, Some(error)) => label("not-automerge", &error),
        _ => panic!("the device neither applied nor refused a bundle: {effects:?}"),
    }
}

/// The plaintext of a bundle (into a document with content) and of a
/// snapshot (into a new device's empty one), as the device applies them.
/// Only a holder of the community's key can make these, but a device must
/// not crash, or take what it cannot store, whatever they hold.
pub(crate) fn device_opens(data: &[u8]) -> Outcome {
    let bundle = device_applies(Some(local_save()), Kind::Bundle(BundleId([3; 16])), data);
    let snapshot = device_applies(None, Kind::Snapshot(Seq(1)), data);
    let label = format!("{bundle}|{snapshot}");
    if bundle == "applied" || snapshot == "applied" {
        Outcome::Accepted(label)
    } else {
        Outcome::Refused(label)
    }
}

/// A session's records: `[op][length: u16 LE][bytes]`, a short last one
/// taken as it is.
fn records(data: &[u8]) -> impl Iterator<Item = (u8, &[u8])> {
    let mut rest = data;
    std::iter::from_fn(move || {
        let (&op, after) = rest.split_first()?;
        let len = match after {
            [lo, hi, ..] => usize::from(*lo) | usize::from(*hi) << 8,
            _ => after.len(),
        };
        let after = after.get(2..).unwrap_or_default();
        let (bytes, next) = after.split_at(len.min(after.len()));
        rest = next;
        Some((op, bytes))
    })
}

/// What a device-session record does (its op, modulo 9).
pub(crate) mod device_op {
    /// The bytes as a frame from the relay.
    pub(crate) const RECEIVED: u8 = 0;
    /// The same, with the `sealed` of a `Bundle` or `Snapshot` sealed with
    /// the community key first: the relay passes on what a key holder sent.
    pub(crate) const SEALED: u8 = 1;
    /// Time passes (the first byte, in tenths of a second).
    pub(crate) const TICK: u8 = 2;
    /// The write that is out succeeds.
    pub(crate) const PERSISTED: u8 = 3;
    /// The write that is out fails.
    pub(crate) const PERSIST_FAILED: u8 = 4;
    pub(crate) const CONNECTED: u8 = 5;
    pub(crate) const DISCONNECTED: u8 = 6;
    /// A local change (the bytes as text).
    pub(crate) const EDIT: u8 = 7;
    /// The relay acknowledges the device's oldest stored change at the seq
    /// in the first byte.
    pub(crate) const ACK_OWN: u8 = 8;
}

/// Checks what the device asks for: frames it sends decode, at most one
/// write is out, every local change is saved or discarded once.
#[derive(Default)]
struct DeviceCheck {
    writes_out: VecDeque<DocAddr>,
    durable: Vec<BundleId>,
    decided: BTreeSet<BundleId>,
    labels: BTreeSet<String>,
}

impl DeviceCheck {
    fn effects(&mut self, effects: Vec<ClientEffect>) {
        for effect in effects {
            let label = match effect {
                ClientEffect::Send(bytes) => match ClientFrame::decode(&bytes) {
                    Ok(f) => format!("send-{:02x}", f.encode()[0]),
                    Err(e) => panic!("the device sends a frame it cannot decode ({e}): {bytes:?}"),
                },
                ClientEffect::Persist(p) => {
                    assert!(!self.writes_out.contains(&p.addr()), "two writes of a document out at once");
                    self.writes_out.push_back(p.addr());
                    format!("persist-{:?}", std::mem::discriminant(&p))
                }
                ClientEffect::Durable { bundle_id, .. } => {
                    assert!(self.decided.insert(bundle_id), "a local change was decided twice");
                    self.durable.push(bundle_id);
                    "durable".into()
                }
                ClientEffect::Discarded { bundle_id, .. } => {
                    assert!(self.decided.insert(bundle_id), "a local change was decided twice");
                    "discarded".into()
                }
                ClientEffect::Changed(_) => "changed".into(),
                ClientEffect::Problem(p) => match p {
                    Problem::Undecryptable { error, .. } => format!("undecryptable-{}", envelope_label(&error)),
                    Problem::NotAutomerge { error, .. } => label("not-automerge", &error),
                    Problem::SnapshotRefused { error: SnapshotError::Envelope(e), .. } => {
                        format!("snapshot-refused-{}", envelope_label(&e))
                    }
                    Problem::SnapshotRefused { error: SnapshotError::NotAutomerge(e), .. } => {
                        label("snapshot-refused-not-automerge", &e)
                    }
                    Problem::Relay { code, .. } => format!("relay-{code:?}"),
                    Problem::Wire(e) => wire_label(&e),
                },
            };
            self.labels.insert(label);
        }
    }
}

/// A device's state machine under a hostile relay: frames of any kind, in
/// any order, for its document or another; sealed garbage and sealed
/// changes; its own writes succeeding or failing. See [`device_op`].
pub(crate) fn device_session(data: &[u8]) -> Outcome {
    let addr = doc_addr(DOC);
    let key = community_key();
    let config = ClientConfig { resend_after: 5_000, resync_every: 30_000, snapshot_every: 4, compact_every: 4 };
    let mut core = open_device(None, config);
    let mut check = DeviceCheck::default();
    let mut entropy = Counter(100);
    let mut now = 0;
    for (op, bytes) in records(data).take(256) {
        let effects = match (op & 0x0f) % 9 {
            device_op::RECEIVED => core.handle(now, ClientEvent::Received(bytes.to_vec())),
            device_op::SEALED => {
                let frame = match RelayFrame::decode(bytes) {
                    Ok(RelayFrame::Bundle(mut b)) => {
                        b.sealed = key.seal(&mut entropy, b.addr, Kind::Bundle(b.bundle_id), &b.sealed);
                        RelayFrame::Bundle(b).encode()
                    }
                    Ok(RelayFrame::Snapshot(mut s)) => {
                        s.sealed = key.seal(&mut entropy, s.addr, Kind::Snapshot(s.covers), &s.sealed);
                        RelayFrame::Snapshot(s).encode()
                    }
                    _ => bytes.to_vec(),
                };
                core.handle(now, ClientEvent::Received(frame))
            }
            device_op::TICK => {
                now += 100 * u64::from(bytes.first().copied().unwrap_or(1));
                core.handle(now, ClientEvent::Tick)
            }
            device_op::PERSISTED => match check.writes_out.pop_front() {
                Some(addr) => core.handle(now, ClientEvent::Persisted { addr }),
                None => vec![],
            },
            device_op::PERSIST_FAILED => match check.writes_out.pop_front() {
                Some(addr) => core.handle(now, ClientEvent::PersistFailed { addr }),
                None => vec![],
            },
            device_op::CONNECTED => core.handle(now, ClientEvent::Connected),
            device_op::DISCONNECTED => core.handle(now, ClientEvent::Disconnected),
            device_op::EDIT => {
                let text = String::from_utf8_lossy(bytes).into_owned();
                let change = core.change(now, addr, |d| d.put(ROOT, "note", text)).expect("a put into the root");
                change.effects
            }
            _ => match check.durable.first() {
                Some(&bundle_id) => {
                    let seq = Seq(u64::from(bytes.first().copied().unwrap_or(1)));
                    let ack = RelayFrame::Ack(Ack { addr, bundle_id, seq });
                    core.handle(now, ClientEvent::Received(ack.encode()))
                }
                None => vec![],
            },
        };
        check.effects(effects);
    }
    let saved = core.inspect(addr, |d| d.save()).expect("open");
    AutoCommit::load(&saved).expect("the device's document saves and loads again");
    Outcome::Accepted(check.labels.into_iter().collect::<Vec<_>>().join(","))
}

/// What a relay-session record does (the low four bits of its op, modulo
/// 5); bits 4 and 5 name the connection.
pub(crate) mod relay_op {
    /// The bytes as a frame from the connection.
    pub(crate) const FRAME: u8 = 0;
    pub(crate) const CONNECT: u8 = 1;
    pub(crate) const DISCONNECT: u8 = 2;
    /// The connection has sent its backlog page (if the relay waits for it).
    pub(crate) const DRAINED: u8 = 3;
    /// What arrived so far is handled as one batch (one commit).
    pub(crate) const FLUSH: u8 = 4;
}

/// What the relay promised each connection, checked against what it sends.
#[derive(Default)]
struct RelayCheck {
    /// Per subscription: the last seq the connection got (or its `since`).
    /// `None`: not checked (after an unsubscribe or a refusal).
    last: BTreeMap<(ConnId, DocAddr), Option<Seq>>,
    /// Seqs acknowledged to the connection: its own bundles, which it is not sent.
    acked: BTreeSet<(ConnId, DocAddr, Seq)>,
    logs: BTreeSet<DocAddr>,
    labels: BTreeSet<String>,
}

impl RelayCheck {
    /// Every seq after `from` up to `to` (excluded) was acknowledged to `conn`.
    fn only_own_between(&self, conn: ConnId, addr: DocAddr, from: Seq, to: Seq) -> bool {
        (from.0.saturating_add(1)..to.0).all(|s| self.acked.contains(&(conn, addr, Seq(s))))
    }

    fn sent(&mut self, conn: ConnId, bytes: &[u8], store: &MemoryStore) {
        let frame =
            RelayFrame::decode(bytes).unwrap_or_else(|e| panic!("the relay sends a frame it cannot decode: {e}"));
        self.labels.insert(format!("{:02x}", bytes[0]));
        match frame {
            RelayFrame::Ack(a) => {
                assert!(a.seq.0 >= 1, "an Ack at seq 0");
                let stored = store.bundles_page(a.addr, Seq(a.seq.0 - 1), PageLimit { bundles: 1, bytes: 1 }).unwrap();
                assert_eq!(
                    stored.first().map(|b| (b.seq, b.bundle_id)),
                    Some((a.seq, a.bundle_id)),
                    "an Ack names a bundle the store does not hold there"
                );
                self.acked.insert((conn, a.addr, a.seq));
                self.logs.insert(a.addr);
            }
            RelayFrame::Bundle(b) => {
                if let Some(Some(last)) = self.last.get(&(conn, b.addr)).copied() {
                    assert!(b.seq > last, "bundle {} after {} on one subscription", b.seq.0, last.0);
                    assert!(
                        self.only_own_between(conn, b.addr, last, b.seq),
                        "a subscriber got bundle {} after {}, with others between",
                        b.seq.0,
                        last.0
                    );
                    self.last.insert((conn, b.addr), Some(b.seq));
                }
            }
            RelayFrame::Snapshot(s) => {
                if let Some(Some(last)) = self.last.get(&(conn, s.addr)).copied() {
                    assert!(s.covers > last, "a snapshot that covers no more than the subscriber has");
                    self.last.insert((conn, s.addr), Some(s.covers));
                }
            }
            RelayFrame::CaughtUp(c) => {
                if let Some(Some(last)) = self.last.get(&(conn, c.addr)).copied() {
                    assert!(
                        c.head >= last && self.only_own_between(conn, c.addr, last, c.head.next()),
                        "caught up at {} with only {} sent",
                        c.head.0,
                        last.0
                    );
                }
            }
            RelayFrame::Error(e) => {
                self.labels.insert(format!("error-{:?}", e.code));
                if let Some(addr) = e.addr {
                    if e.bundle_id.is_none() {
                        self.last.insert((conn, addr), None);
                    }
                }
            }
            RelayFrame::Welcome(_) | RelayFrame::SnapshotStored(_) => {}
        }
    }

    /// Every log the relay acknowledged into holds seqs 1..=head, each
    /// bundle id once.
    fn store_is_intact(&self, store: &MemoryStore) {
        for &addr in &self.logs {
            let bundles = store.bundles_since(addr, Seq(0)).unwrap();
            assert_eq!(store.head(addr).unwrap(), Seq(bundles.len() as u64), "the head is not the log's length");
            for (i, b) in bundles.iter().enumerate() {
                assert_eq!(b.seq, Seq(i as u64 + 1), "the log is not contiguous");
            }
            let ids: BTreeSet<BundleId> = bundles.iter().map(|b| b.bundle_id).collect();
            assert_eq!(ids.len(), bundles.len(), "a bundle id is stored twice");
        }
    }
}

/// The relay's state machine and its store (in memory, as the durable
/// stores are checked against it) under frames from four connections,
/// batched as the actor batches them, a backlog read a small page at a
/// time. See [`relay_op`].
pub(crate) fn relay_session(data: &[u8]) -> Outcome {
    let config = RelayConfig { max_frame: 1024, page: PageLimit { bundles: 2, bytes: 256 } };
    let mut core = RelayCore::new(config);
    let mut store = MemoryStore::default();
    let mut check = RelayCheck::default();
    let mut pending: Vec<RelayEvent> = Vec::new();
    let mut connected: BTreeSet<ConnId> = BTreeSet::new();
    let mut undrained: BTreeSet<ConnId> = BTreeSet::new();

    let flush = |pending: &mut Vec<RelayEvent>,
                 core: &mut RelayCore,
                 store: &mut MemoryStore,
                 check: &mut RelayCheck,
                 undrained: &mut BTreeSet<ConnId>| {
        let mut batch = Batch::paced(core, store);
        for event in pending.drain(..) {
            batch.handle(event);
        }
        let out = batch.finish();
        undrained.extend(out.when_drained);
        for (conn, bytes) in out.sends {
            assert!(connected_or_leaving(conn), "a frame for a connection that never was");
            check.sent(conn, &bytes, store);
        }
    };

    for (op, bytes) in records(data).take(256) {
        let conn = ConnId(u64::from(op >> 4 & 3));
        match (op & 0x0f) % 5 {
            relay_op::FRAME if connected.contains(&conn) => {
                // What the check expects changes at a (un)subscription: the
                // frames before it are checked against what held before.
                match ClientFrame::decode(bytes) {
                    Ok(ClientFrame::Subscribe(s)) => {
                        flush(&mut pending, &mut core, &mut store, &mut check, &mut undrained);
                        check.last.insert((conn, s.addr), Some(s.since));
                    }
                    Ok(ClientFrame::Unsubscribe(u)) => {
                        flush(&mut pending, &mut core, &mut store, &mut check, &mut undrained);
                        check.last.insert((conn, u.addr), None);
                    }
                    _ => {}
                }
                pending.push(RelayEvent::Frame(conn, bytes.to_vec()));
            }
            relay_op::CONNECT if !connected.contains(&conn) => {
                flush(&mut pending, &mut core, &mut store, &mut check, &mut undrained);
                connected.insert(conn);
                pending.push(RelayEvent::Connected(conn));
            }
            relay_op::DISCONNECT if connected.contains(&conn) => {
                pending.push(RelayEvent::Disconnected(conn));
                flush(&mut pending, &mut core, &mut store, &mut check, &mut undrained);
                connected.remove(&conn);
                undrained.remove(&conn);
                check.last.retain(|(c, _), _| *c != conn);
                check.acked.retain(|(c, _, _)| *c != conn);
            }
            relay_op::DRAINED if undrained.remove(&conn) => pending.push(RelayEvent::Drained(conn)),
            relay_op::FLUSH => flush(&mut pending, &mut core, &mut store, &mut check, &mut undrained),
            _ => {}
        }
    }
    flush(&mut pending, &mut core, &mut store, &mut check, &mut undrained);
    // Every backlog runs to its end.
    for _ in 0..10_000 {
        let Some(conn) = undrained.pop_first() else { break };
        pending.push(RelayEvent::Drained(conn));
        flush(&mut pending, &mut core, &mut store, &mut check, &mut undrained);
    }
    assert!(undrained.is_empty(), "a backlog that never ends");
    assert_eq!(core.connection_count(), connected.len(), "the relay counts other connections than are open");
    check.store_is_intact(&store);
    Outcome::Accepted(check.labels.into_iter().collect::<Vec<_>>().join(","))
}

/// Connections are numbered 0..4 by the session; no other may get a frame.
fn connected_or_leaving(conn: ConnId) -> bool {
    conn.0 < 4
}
