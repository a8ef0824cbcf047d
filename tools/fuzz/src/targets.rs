//! The targets. Each takes any bytes; a panic is a finding.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::OnceLock;

use arbitrary::Unstructured;
use automerge::transaction::Transactable;
use automerge::{ActorId, AutoCommit, ROOT};
use lotse_sync::client::{
    ClientConfig, ClientCore, ClientEffect, ClientEvent, Identity, OpenDoc, Persist, Problem, SnapshotError,
};
use lotse_sync::envelope::{CommunityKey, EnvelopeError, Kind};
use lotse_sync::membership::{
    self, membership_addr, statement_id, Applied, DeviceId, Membership, Role, Signed, Statement, MEMBERSHIP_EPOCH,
};
use lotse_sync::relay::{
    Batch, ConnId, MemoryStore, NewBundle, PageLimit, RateLimit, RelayConfig, RelayCore, RelayEvent, RelayStore,
    StoredBundle, StoredSnapshot,
};
use lotse_sync::wire::{Ack, Auth, ClientFrame, ErrorCode, Push, RelayFrame, WireError};
use lotse_sync::{BundleId, DocAddr, DocumentId, Entropy, Epoch, Generation, KeyId, Seq};

use crate::network::{self, home, k, NET, NET2, NOW, SESSION_KEYS};
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
        EnvelopeError::Unsigned(_) => "unsigned",
        EnvelopeError::BadSignature { .. } => "bad-signature",
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
            keys: lotse_sync::envelope::Keyring::new(community_key()),
            doc: doc.with_actor(ActorId::from([0xbb; 16])),
            cursor: Seq(0),
            generation: lotse_sync::Generation::NONE,
            at: None,
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
    // Signed by a member: a device with no identity judges no signer, so
    // the plaintext reaches the chunk check and Automerge.
    let sealed = key.seal_signed(&mut Counter(9), addr, kind, k(2), Seq(0), plain);
    let frame = match kind {
        Kind::Bundle(bundle_id) => {
            RelayFrame::Bundle(lotse_sync::wire::Bundle { addr, seq: Seq(1), bundle_id, key_id: key.id, sealed })
        }
        Kind::Snapshot(covers) => {
            RelayFrame::Snapshot(lotse_sync::wire::Snapshot { addr, covers, key_id: key.id, sealed, at: None })
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

/// What a device-session record does (its op, modulo 10).
pub(crate) mod device_op {
    /// The bytes as a frame from the relay.
    pub(crate) const RECEIVED: u8 = 0;
    /// The same, with the `sealed` of a `Bundle` or `Snapshot` sealed with
    /// the community key first: the relay passes on what a key holder sent.
    /// A `Bundle` of a membership log becomes one of `NET`'s statements (its
    /// first byte picks which); an `Ack` for the membership log names the
    /// statement the device queued first.
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
    /// The app hands the device a membership statement to pass on (the
    /// first byte picks one of `network::session_statements`).
    pub(crate) const STATEMENT: u8 = 9;
}

/// The device of the session: key 1, a mentor of `NET`.
const DEVICE_KEY: u64 = 1;

/// Checks what the device asks for: frames it sends decode, at most one
/// write is out, every local change is saved or discarded once; it proves
/// itself only with its key, for the challenge of this connection, and
/// sends a document's frames only after that and never while refused.
#[derive(Default)]
struct DeviceCheck {
    writes_out: VecDeque<DocAddr>,
    durable: Vec<BundleId>,
    decided: BTreeSet<BundleId>,
    /// The challenge of the last `Welcome` on this connection.
    challenge: Option<[u8; 32]>,
    /// The device answered a challenge on this connection (since it was
    /// last refused).
    answered: bool,
    /// The relay refused the device before the event that is checked.
    refused: bool,
    /// Statements the app handed over, by id.
    queued: BTreeSet<BundleId>,
    /// Statements the device was passed in its membership log, by id: it
    /// hands them over again if the relay lost them.
    read: BTreeSet<BundleId>,
    labels: BTreeSet<String>,
}

impl DeviceCheck {
    fn sent(&mut self, bytes: &[u8]) -> String {
        let frame = ClientFrame::decode(bytes)
            .unwrap_or_else(|e| panic!("the device sends a frame it cannot decode ({e}): {bytes:?}"));
        let document = match &frame {
            ClientFrame::Hello(_) => None,
            ClientFrame::Auth(a) => {
                let challenge = self.challenge.expect("the device answers a challenge it was never given");
                assert_eq!((a.network, a.device), (NET, k(DEVICE_KEY).id()), "the device claims another identity");
                membership::verify_auth(a.device, &challenge, a.network, &a.signature)
                    .expect("the device's answer does not verify for this connection's challenge");
                self.answered = true;
                self.refused = false;
                None
            }
            ClientFrame::Push(p) if p.addr.epoch == MEMBERSHIP_EPOCH => {
                assert_eq!(p.addr, membership_addr(NET), "a statement pushed to another network's membership");
                assert_eq!(statement_id(&p.sealed), p.bundle_id, "a statement pushed under another id");
                if !self.queued.contains(&p.bundle_id) && self.read.contains(&p.bundle_id) {
                    return "hand-over-again".into();
                }
                if !self.queued.contains(&p.bundle_id) {
                    // A coordinator's device hands members their keys on
                    // its own; nothing else may come from nowhere.
                    let s = Signed::decode(&p.sealed).expect("the device pushes a statement it cannot decode");
                    let own_keys = matches!(s.statement, Statement::Keys { .. }) && s.signer == k(DEVICE_KEY).id();
                    assert!(own_keys, "the device pushes a statement nobody handed it");
                    self.queued.insert(p.bundle_id);
                    return "send-keys".into();
                }
                None
            }
            ClientFrame::Subscribe(s) => Some(s.addr),
            ClientFrame::Push(p) => Some(p.addr),
            ClientFrame::PutSnapshot(p) => Some(p.addr),
            ClientFrame::Unsubscribe(u) => Some(u.addr),
        };
        if let Some(addr) = document {
            if !self.answered || self.refused {
                let why = if self.answered { "while refused" } else { "before answering the challenge" };
                return open_finding(OpenFinding::DeviceSyncsUnproven, &format!("send-{:02x}-{why}", bytes[0]), addr);
            }
        }
        format!("send-{:02x}", bytes[0])
    }

    fn effects(&mut self, effects: Vec<ClientEffect>) {
        for effect in effects {
            let label = match effect {
                ClientEffect::Send(bytes) => self.sent(&bytes),
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
                ClientEffect::MembershipChanged => "membership-changed".into(),
                ClientEffect::KeysGranted(keys) => format!("keys-granted-{}", keys.len().min(3)),
                ClientEffect::StatementStored(id) => {
                    if self.queued.remove(&id) {
                        "statement-stored".into()
                    } else {
                        "statement-stored-unknown".into()
                    }
                }
                ClientEffect::Problem(p) => match p {
                    Problem::Undecryptable { error, .. } => format!("undecryptable-{}", envelope_label(&error)),
                    Problem::NotAutomerge { error, .. } => label("not-automerge", &error),
                    Problem::SnapshotRefused { error: SnapshotError::Envelope(e), .. } => {
                        format!("snapshot-refused-{}", envelope_label(&e))
                    }
                    Problem::SnapshotRefused { error: SnapshotError::NotAutomerge(e), .. } => {
                        label("snapshot-refused-not-automerge", &e)
                    }
                    Problem::SnapshotRefused { error: SnapshotError::UnknownSigner(_), .. } => {
                        "snapshot-refused-unknown-signer".into()
                    }
                    Problem::SnapshotRefused { error: SnapshotError::WrittenAfterRetirement(_), .. } => {
                        "snapshot-refused-after-retirement".into()
                    }
                    Problem::UnknownSigner { .. } => "unknown-signer".into(),
                    Problem::WrittenAfterRetirement { .. } => "written-after-retirement".into(),
                    Problem::ForeignAuthor { .. } => "foreign-author".into(),
                    Problem::Relay { code, .. } => format!("relay-{code:?}"),
                    Problem::Wire(e) => wire_label(&e),
                    Problem::StatementRefused { id, .. } => {
                        assert!(self.queued.remove(&id), "a statement the device never had was refused");
                        "statement-refused".into()
                    }
                    Problem::KeysUnopenable { .. } => "keys-unopenable".into(),
                    Problem::KeysUnsealable { .. } => "keys-unsealable".into(),
                    Problem::RewriteRefused { .. } => "rewrite-refused".into(),
                },
                ClientEffect::Moving { .. } => "moving".into(),
                ClientEffect::Carry { .. } => "carry".into(),
                ClientEffect::DeleteEpoch { .. } => "delete-epoch".into(),
                ClientEffect::StatementMade(_) => "statement-made".into(),
            };
            self.labels.insert(label);
        }
    }
}

/// A device's state machine under a hostile relay: frames of any kind, in
/// any order, for its document or another; sealed garbage and sealed
/// changes; challenges, acceptance and refusal; statements to pass on; its
/// own writes succeeding or failing. See [`device_op`].
pub(crate) fn device_session(data: &[u8]) -> Outcome {
    let addr = doc_addr(DOC);
    let key = community_key();
    let config = ClientConfig { resend_after: 5_000, resync_every: 30_000, snapshot_every: 4, compact_every: 4 };
    let mut core = open_device(None, config);
    core.set_identity(Identity { key: k(DEVICE_KEY).clone(), network: NET });
    let statements = network::session_statements();
    let mut check = DeviceCheck::default();
    let mut entropy = Counter(100);
    let mut now = 0;
    for (op, bytes) in records(data).take(256) {
        check.refused = matches!(core.status().access, lotse_sync::client::Access::Refused(_));
        let op = (op & 0x0f) % 10;
        let effects = match op {
            device_op::RECEIVED | device_op::SEALED => {
                let frame = match RelayFrame::decode(bytes) {
                    // A statement of the device's network: as a relay
                    // passes on what was pushed, never sealed.
                    Ok(RelayFrame::Bundle(mut b)) if op == device_op::SEALED && b.addr.epoch == MEMBERSHIP_EPOCH => {
                        let log = network_log();
                        b.addr = membership_addr(NET);
                        b.sealed = log[usize::from(b.sealed.first().copied().unwrap_or(0)) % log.len()].encode();
                        RelayFrame::Bundle(b).encode()
                    }
                    Ok(RelayFrame::Bundle(mut b)) if op == device_op::SEALED => {
                        // Signed by the device itself, a member once its
                        // statements came: its own bundle, passed back.
                        let kind = Kind::Bundle(b.bundle_id);
                        b.sealed = key.seal_signed(&mut entropy, b.addr, kind, k(DEVICE_KEY), Seq(0), &b.sealed);
                        RelayFrame::Bundle(b).encode()
                    }
                    Ok(RelayFrame::Snapshot(mut s)) if op == device_op::SEALED => {
                        let kind = Kind::Snapshot(s.covers);
                        s.sealed = key.seal_signed(&mut entropy, s.addr, kind, k(DEVICE_KEY), Seq(0), &s.sealed);
                        RelayFrame::Snapshot(s).encode()
                    }
                    Ok(RelayFrame::Ack(mut a)) if op == device_op::SEALED && a.addr.epoch == MEMBERSHIP_EPOCH => {
                        a.addr = membership_addr(NET);
                        a.bundle_id = check.queued.first().copied().unwrap_or(a.bundle_id);
                        RelayFrame::Ack(a).encode()
                    }
                    _ => bytes.to_vec(),
                };
                if let Ok(RelayFrame::Bundle(b)) = RelayFrame::decode(&frame) {
                    if b.addr == membership_addr(NET) {
                        check.read.insert(statement_id(&b.sealed));
                    }
                }
                if let Ok(RelayFrame::Welcome(w)) = RelayFrame::decode(&frame) {
                    check.challenge = Some(w.challenge);
                }
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
            device_op::DISCONNECTED => {
                // The app says `Disconnected` before every new connection;
                // only then is the challenge gone.
                (check.challenge, check.answered) = (None, false);
                core.handle(now, ClientEvent::Disconnected)
            }
            device_op::EDIT => {
                let text = String::from_utf8_lossy(bytes).into_owned();
                let change = core.change(now, addr, |d| d.put(ROOT, "note", text)).expect("a put into the root");
                change.effects
            }
            device_op::STATEMENT => {
                let (_, signed) = &statements[usize::from(bytes.first().copied().unwrap_or(0)) % statements.len()];
                check.queued.insert(signed.id());
                core.queue_statement(signed.clone())
            }
            _ => match check.durable.first() {
                Some(&bundle_id) => {
                    let seq = Seq(u64::from(bytes.first().copied().unwrap_or(1)));
                    let ack = RelayFrame::Ack(Ack { addr, bundle_id, seq, generation: lotse_sync::Generation::NONE });
                    core.handle(now, ClientEvent::Received(ack.encode()))
                }
                None => vec![],
            },
        };
        check.effects(effects);
        let m = core.membership().expect("the device has an identity");
        assert_eq!(m.network(), NET, "the device follows another network");
        membership_holds(m);
    }
    let saved = core.inspect(addr, |d| d.save()).expect("open");
    AutoCommit::load(&saved).expect("the device's document saves and loads again");
    Outcome::Accepted(check.labels.into_iter().collect::<Vec<_>>().join(","))
}

/// `NET`'s statements a relay may pass on to a device: the restored log
/// first, then the session's.
fn network_log() -> &'static [Signed] {
    static LOG: OnceLock<Vec<Signed>> = OnceLock::new();
    LOG.get_or_init(|| {
        let session = network::session_statements().iter().filter(|(n, _)| *n == NET).map(|(_, s)| s.clone());
        network::restored_log().iter().cloned().chain(session).collect()
    })
}

/// What the targets found in `lotse-sync` (each fixed since, its input
/// kept in the corpus as `kept-open-*`): checked as assertions.
#[derive(Debug, Clone, Copy)]
pub(crate) enum OpenFinding {
    /// The device sends a document's frames before it answered the
    /// challenge of its connection, or while the relay refuses it, when a
    /// relay answers with `CursorAhead`, a snapshot it refuses or bundles
    /// it did not ask for (`recover_lost_log`, `refuse_snapshot` and
    /// `maybe_snapshot` do not ask `may_sync`). An honest relay refuses
    /// those frames (`Unauthenticated`); nothing leaks, but the device does
    /// not "sync nothing until the next connection".
    DeviceSyncsUnproven,
    /// A network founded with the id of another network's document: its
    /// members may use that document's log (`Membership::may_use` lets
    /// every member use the network's own id as a document).
    NetworkNamedLikeADocument,
    /// A statement that applies from bytes that are not its own encoding
    /// (an overlong varint): the relay stores those bytes under the id of
    /// the re-encoding, so hashing the stored bytes does not give the id.
    StatementNotCanonical,
    /// A relay restarted on its store folds the membership otherwise than
    /// the running relay applied it.
    RestoreDiffers,
}

/// A finding: the check failed.
fn open_finding(which: OpenFinding, what: &str, about: impl std::fmt::Debug) -> String {
    panic!("finding {which:?}: {what} ({about:?})");
}

/// `[op][length: u16 LE][bytes]` records of a statement session: op 0, the
/// bytes are a `Signed` statement as pushed; op 1, `[key] ++ a statement's
/// postcard bytes`, signed with `key` for `NET` first (so that mutations
/// reach past the signature check into the rules).
pub(crate) mod statement_op {
    pub(crate) const RAW: u8 = 0;
    pub(crate) const SIGN: u8 = 1;
}

/// What a statement's decode or apply came to, for the label.
fn statement_label(s: &Signed, result: &Result<Applied, membership::MembershipError>) -> String {
    let name = |debug: String| debug.split([' ', '{', '(']).next().unwrap_or_default().to_owned();
    let kind = name(format!("{:?}", s.statement));
    match result {
        Ok(applied) => format!("{kind}-{applied:?}"),
        Err(e) => format!("{kind}-refused-{}", name(format!("{e:?}"))),
    }
}

/// What must hold of any membership, however it came about.
fn membership_holds(m: &Membership) {
    if !m.is_founded() {
        assert!(m.members().is_empty() && m.docs().is_empty(), "an unfounded network has members or documents");
        return;
    }
    assert!(!m.docs().contains(&m.network()), "a network is one of its own community documents");
    let coordinators = m.members().values().filter(|x| !x.retired && x.role == Role::Coordinator).count();
    assert!(coordinators >= 1, "a founded network without a current coordinator");
    for (device, member) in m.members() {
        assert!(member.docs.is_subset(m.docs()), "member {device} names a document the network does not have");
        assert!(!m.invites().contains_key(device), "a key is both a member and an invitation");
        if let Some(invite) = member.invite {
            assert_eq!(m.invites()[&invite].used_by, Some(*device), "an enrolment its invitation does not name");
        }
    }
    for (key, invite) in m.invites() {
        assert!(invite.docs.is_subset(m.docs()), "invitation {key} names a document the network does not have");
        if let Some(user) = invite.used_by {
            assert_eq!(m.members()[&user].invite, Some(*key), "an invitation used by a device that did not enrol");
        }
    }
}

/// Statements applied in order to `NET` as the relay restores it and to a
/// new `NET` (the clock at `NOW`): decoding and applying never panic; one
/// that applies round-trips its encoding and applies once only; one that
/// is refused changes nothing; the membership keeps its rules; folding
/// what applied gives the same membership. See [`statement_op`].
pub(crate) fn statement(data: &[u8]) -> Outcome {
    let bases = [restored_membership().clone(), Membership::new(NET)];
    let mut memberships = bases.clone().map(|m| (m, Vec::new()));
    let mut labels = BTreeSet::new();
    let mut decoded = false;
    for (op, bytes) in records(data).take(64) {
        let (signed, raw) = match op % 2 {
            statement_op::RAW => match Signed::decode(bytes) {
                Ok(s) => (s, Some(bytes)),
                Err(e) => {
                    labels.insert(label("malformed", &e.to_string()));
                    continue;
                }
            },
            _ => {
                let Some((&key, statement)) = bytes.split_first() else { continue };
                // A `Signed` is its statement, the signer's 32 bytes and the signature.
                let mut padded = statement.to_vec();
                padded.extend([0u8; 33]);
                match Signed::decode(&padded) {
                    Ok(s) => (k(u64::from(key) % 41).sign(NET, s.statement), None),
                    Err(e) => {
                        labels.insert(label("malformed-statement", &e.to_string()));
                        continue;
                    }
                }
            }
        };
        decoded = true;
        let encoded = signed.encode();
        assert_eq!(Signed::decode(&encoded).as_ref(), Ok(&signed), "a decoded statement does not round-trip");
        for (m, log) in memberships.iter_mut() {
            let before = m.clone();
            let result = m.apply(&signed, Some(NOW));
            labels.insert(statement_label(&signed, &result));
            match result {
                Ok(Applied::New) => {
                    if let Some(raw) = raw {
                        assert!(encoded.len() <= raw.len(), "a statement encodes longer than the bytes it came from");
                        if encoded != raw {
                            labels.insert(open_finding(OpenFinding::StatementNotCanonical, "applied", raw));
                        }
                    }
                    let after = m.clone();
                    assert_eq!(m.apply(&signed, Some(NOW)), Ok(Applied::Already), "a statement applied twice");
                    assert_eq!(*m, after, "a statement applied again changed the membership");
                    log.push(encoded.clone());
                }
                Ok(Applied::Already) => assert_eq!(*m, before, "a statement already applied changed the membership"),
                Err(_) => assert_eq!(*m, before, "a refused statement changed the membership"),
            }
            membership_holds(m);
        }
    }
    for ((m, log), mut folded) in memberships.iter().zip(bases) {
        // Folding goes on from the base as `Membership::fold` would: in
        // order, without the clock.
        for bytes in log {
            let signed = Signed::decode(bytes).expect("an encoding decodes");
            assert!(folded.apply(&signed, None).is_ok(), "a statement that applied does not fold");
        }
        assert_eq!(&folded, m, "folding what applied gives another membership");
    }
    let label = labels.into_iter().collect::<Vec<_>>().join(",");
    if decoded {
        Outcome::Accepted(label)
    } else {
        Outcome::Refused(label)
    }
}

/// `NET` folded from [`network::restored_log`], once.
fn restored_membership() -> &'static Membership {
    static FOLDED: OnceLock<Membership> = OnceLock::new();
    FOLDED.get_or_init(|| {
        let log: Vec<Vec<u8>> = network::restored_log().iter().map(Signed::encode).collect();
        let (m, skipped) = Membership::fold(NET, log.iter().map(Vec::as_slice));
        assert_eq!(skipped, 0, "the restored log folds");
        m
    })
}

/// What a relay-session record does (the low four bits of its op, modulo
/// 8); bits 4 and 5 name the connection.
pub(crate) mod relay_op {
    /// The bytes as a frame from the connection.
    pub(crate) const FRAME: u8 = 0;
    pub(crate) const CONNECT: u8 = 1;
    pub(crate) const DISCONNECT: u8 = 2;
    /// The connection has sent its backlog page (if the relay waits for it).
    pub(crate) const DRAINED: u8 = 3;
    /// What arrived so far is handled as one batch (one commit); then the
    /// first byte's tenths of a second pass (devices' frame budgets refill).
    pub(crate) const FLUSH: u8 = 4;
    /// The connection answers its challenge: `[key, how]`, the key one of
    /// `network::SESSION_KEYS`; how (modulo 5): rightly, with another
    /// connection's challenge, for another network, with a bit of the
    /// signature flipped, signed by another key.
    pub(crate) const AUTH: u8 = 5;
    /// The connection hands over one of `network::session_statements`:
    /// `[which, how, position, xor]`; how (modulo 7): as it is (twice the
    /// chance), a byte xored (under the altered bytes' id, or the
    /// original's), under another id, to another network's membership, its
    /// signature's length as an overlong varint.
    pub(crate) const STATEMENT: u8 = 6;
    /// From the next batch on the store fails every read and write (or
    /// works again); with an odd first byte, the edge finds the disk nearly
    /// full instead (or no longer).
    pub(crate) const STORE_FAILS: u8 = 7;
}

/// The memory store, failing every call while `fail` is set (storing
/// nothing of a failed batch), as a disk that is full or gone.
#[derive(Default)]
struct FlakyStore {
    inner: MemoryStore,
    fail: bool,
}

#[derive(Debug, thiserror::Error)]
#[error("the disk failed")]
struct DiskFailed;

impl FlakyStore {
    fn or_fail<T>(&self, f: impl FnOnce(&MemoryStore) -> T) -> Result<T, DiskFailed> {
        if self.fail {
            Err(DiskFailed)
        } else {
            Ok(f(&self.inner))
        }
    }
}

fn never<T>(r: Result<T, lotse_sync::relay::Never>) -> T {
    r.unwrap_or_else(|n| match n {})
}

impl RelayStore for FlakyStore {
    type Error = DiskFailed;
    fn append_batch(&mut self, batch: &[NewBundle<'_>]) -> Result<Vec<(Seq, bool)>, DiskFailed> {
        if self.fail {
            return Err(DiskFailed);
        }
        Ok(never(self.inner.append_batch(batch)))
    }
    fn head(&self, addr: DocAddr) -> Result<Seq, DiskFailed> {
        self.or_fail(|s| never(s.head(addr)))
    }
    fn bundles_page(&self, addr: DocAddr, since: Seq, limit: PageLimit) -> Result<Vec<StoredBundle>, DiskFailed> {
        self.or_fail(|s| never(s.bundles_page(addr, since, limit)))
    }
    fn put_snapshot(&mut self, addr: DocAddr, snapshot: StoredSnapshot) -> Result<(), DiskFailed> {
        if self.fail {
            return Err(DiskFailed);
        }
        never(self.inner.put_snapshot(addr, snapshot));
        Ok(())
    }
    fn snapshot(&self, addr: DocAddr) -> Result<Option<StoredSnapshot>, DiskFailed> {
        self.or_fail(|s| never(s.snapshot(addr)))
    }
    fn membership_logs(&self) -> Result<Vec<(DocumentId, Vec<Vec<u8>>)>, DiskFailed> {
        self.or_fail(|s| never(s.membership_logs()))
    }
    fn generation(&self, addr: DocAddr) -> Result<Generation, DiskFailed> {
        self.or_fail(|s| never(s.generation(addr)))
    }
    fn renew_generation(&mut self, addr: DocAddr) -> Result<Generation, DiskFailed> {
        if self.fail {
            return Err(DiskFailed);
        }
        Ok(never(self.inner.renew_generation(addr)))
    }
    fn renew_all_generations(&mut self) -> Result<usize, DiskFailed> {
        Ok(never(self.inner.renew_all_generations()))
    }

    fn delete_epoch(&mut self, addr: DocAddr) -> Result<(), DiskFailed> {
        never(self.inner.delete_epoch(addr));
        Ok(())
    }
}

/// Who the relay told a connection it is.
#[derive(Debug, Clone, Copy, Default)]
struct Proven {
    network: Option<DocumentId>,
    /// The device, when the session knows which `Auth` was answered.
    device: Option<DeviceId>,
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
    /// Each connection's challenge, as the core derives it.
    challenges: BTreeMap<ConnId, [u8; 32]>,
    proven: BTreeMap<ConnId, Proven>,
    /// The `Auth` frames each connection sent in the batch being checked.
    auths: BTreeMap<ConnId, Vec<(DocumentId, DeviceId)>>,
    /// Connections the relay refused as one too many.
    busy: BTreeSet<ConnId>,
    /// Documents a proven connection got frames of in this batch: checked
    /// against the membership once the batch is done, unless the relay
    /// took them away (with an error) later in the batch.
    used: BTreeMap<(ConnId, DocAddr), (DocumentId, DeviceId)>,
    labels: BTreeSet<String>,
}

impl RelayCheck {
    /// Every seq after `from` up to `to` (excluded) was acknowledged to `conn`.
    fn only_own_between(&self, conn: ConnId, addr: DocAddr, from: Seq, to: Seq) -> bool {
        (from.0.saturating_add(1)..to.0).all(|s| self.acked.contains(&(conn, addr, Seq(s))))
    }

    /// A frame about a log's content: only to a connection the relay told
    /// it is a member (of the log's network, for a membership log).
    fn may_read(&mut self, conn: ConnId, addr: DocAddr, what: &str) {
        let proven = self.proven.get(&conn).copied().unwrap_or_default();
        let Some(network) = proven.network else {
            panic!("{what} of {addr} to a connection that did not prove itself");
        };
        if addr.epoch == MEMBERSHIP_EPOCH {
            assert_eq!(addr.doc, network, "{what} of another network's membership");
        } else if let Some(device) = proven.device {
            self.used.insert((conn, addr), (network, device));
        }
    }

    fn sent(&mut self, conn: ConnId, bytes: &[u8], store: &MemoryStore) {
        let frame =
            RelayFrame::decode(bytes).unwrap_or_else(|e| panic!("the relay sends a frame it cannot decode: {e}"));
        self.labels.insert(format!("{:02x}", bytes[0]));
        assert!(!self.busy.contains(&conn), "a connection refused as one too many was sent {frame:?}");
        match frame {
            RelayFrame::Welcome(w) => {
                assert_eq!(Some(&w.challenge), self.challenges.get(&conn), "a Welcome with another challenge");
            }
            RelayFrame::Authenticated(a) => {
                // The device is known when every Auth of the batch for that network named the same.
                let devices: BTreeSet<DeviceId> = self
                    .auths
                    .get(&conn)
                    .into_iter()
                    .flatten()
                    .filter(|(n, _)| *n == a.network)
                    .map(|(_, d)| *d)
                    .collect();
                assert!(!devices.is_empty(), "Authenticated for a network the connection never answered for");
                let device = (devices.len() == 1).then(|| *devices.first().expect("one"));
                self.labels.insert(format!("authenticated-{:?}", a.role));
                self.proven.insert(conn, Proven { network: Some(a.network), device });
                self.used.retain(|(c, _), _| *c != conn);
            }
            RelayFrame::Ack(a) => {
                assert!(a.seq.0 >= 1, "an Ack at seq 0");
                let stored = never(store.bundles_page(a.addr, Seq(a.seq.0 - 1), PageLimit { bundles: 1, bytes: 1 }));
                assert_eq!(
                    stored.first().map(|b| (b.seq, b.bundle_id)),
                    Some((a.seq, a.bundle_id)),
                    "an Ack names a bundle the store does not hold there"
                );
                if a.addr.epoch == MEMBERSHIP_EPOCH {
                    // Anyone may hand over a statement: its signature counts.
                    self.labels.insert("statement-stored".into());
                    if stored.first().is_some_and(|b| statement_id(&b.sealed) != b.bundle_id) {
                        let label = open_finding(OpenFinding::StatementNotCanonical, "stored", a.bundle_id);
                        self.labels.insert(label);
                    }
                } else {
                    let proven = self.proven.get(&conn).copied().unwrap_or_default();
                    assert!(proven.network.is_some(), "a push acknowledged to a connection that did not prove itself");
                }
                self.acked.insert((conn, a.addr, a.seq));
                self.logs.insert(a.addr);
            }
            RelayFrame::Bundle(b) => {
                self.may_read(conn, b.addr, "a bundle");
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
                self.may_read(conn, s.addr, "a snapshot");
                assert_ne!(s.addr.epoch, MEMBERSHIP_EPOCH, "a membership log has no snapshot");
                if let Some(Some(last)) = self.last.get(&(conn, s.addr)).copied() {
                    assert!(s.covers > last, "a snapshot that covers no more than the subscriber has");
                    self.last.insert((conn, s.addr), Some(s.covers));
                }
            }
            RelayFrame::CaughtUp(c) => {
                self.may_read(conn, c.addr, "caught-up");
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
                match (e.code, e.addr) {
                    (ErrorCode::Busy, _) => {
                        self.busy.insert(conn);
                    }
                    // The device is refused: it keeps nothing.
                    (ErrorCode::Unauthenticated | ErrorCode::Forbidden | ErrorCode::Retired, None) => {
                        self.proven.remove(&conn);
                        self.used.retain(|(c, _), _| *c != conn);
                        self.last.retain(|(c, _), _| *c != conn);
                    }
                    (ErrorCode::Forbidden, Some(addr)) => {
                        self.used.remove(&(conn, addr));
                    }
                    _ => {}
                }
                if let Some(addr) = e.addr {
                    if e.bundle_id.is_none() {
                        self.last.insert((conn, addr), None);
                    }
                }
            }
            RelayFrame::SnapshotStored(_) => {}
        }
    }

    /// After a batch: every document a proven connection got frames of is
    /// one its device may use, in a network that alone holds it.
    fn batch_done(&mut self, core: &RelayCore) {
        for ((conn, addr), (network, device)) in std::mem::take(&mut self.used) {
            let m = core.membership(network).expect("a proven connection's network is known");
            assert!(m.may_use(device, addr.doc), "{conn:?} got frames of {addr}, which its device may not use");
            for other in [NET, NET2, network::doc(DOC), network::doc(OTHER_DOC)].into_iter().filter(|n| *n != network) {
                let Some(o) = core.membership(other).filter(|o| o.is_founded()) else { continue };
                if o.docs().contains(&addr.doc) || other == addr.doc {
                    let label = open_finding(OpenFinding::NetworkNamedLikeADocument, "read", (conn, addr, network));
                    self.labels.insert(label);
                }
            }
        }
        self.auths.clear();
    }

    /// Every log the relay acknowledged into holds seqs 1..=head, each
    /// bundle id once.
    fn store_is_intact(&self, store: &MemoryStore) {
        for &addr in &self.logs {
            let bundles = never(store.bundles_since(addr, Seq(0)));
            assert_eq!(never(store.head(addr)), Seq(bundles.len() as u64), "the head is not the log's length");
            for (i, b) in bundles.iter().enumerate() {
                assert_eq!(b.seq, Seq(i as u64 + 1), "the log is not contiguous");
            }
            let ids: BTreeSet<BundleId> = bundles.iter().map(|b| b.bundle_id).collect();
            assert_eq!(ids.len(), bundles.len(), "a bundle id is stored twice");
        }
    }
}

/// The `Auth` frame of an AUTH record.
fn auth_frame(core: &RelayCore, conn: ConnId, bytes: &[u8]) -> Vec<u8> {
    let key_n = SESSION_KEYS[usize::from(bytes.first().copied().unwrap_or(0)) % SESSION_KEYS.len()];
    let how = bytes.get(1).copied().unwrap_or(0) % 5;
    let key = k(key_n);
    let mut network = home(key_n);
    let mut challenge = core.challenge(conn);
    match how {
        1 => challenge = core.challenge(ConnId((conn.0 + 1) % 4)),
        2 => network = if network == NET { NET2 } else { NET },
        _ => {}
    }
    let mut signature = match how {
        4 => k(key_n + 1).answer(&challenge, network),
        _ => key.answer(&challenge, network),
    };
    if how == 3 {
        signature[usize::from(bytes.get(2).copied().unwrap_or(0)) % 64] ^= 1;
    }
    ClientFrame::Auth(Auth { network, device: key.id(), signature }).encode()
}

/// The `Push` frame of a STATEMENT record.
fn statement_frame(bytes: &[u8]) -> Vec<u8> {
    let list = network::session_statements();
    let byte = |i: usize| bytes.get(i).copied().unwrap_or(0);
    let (network, signed) = &list[usize::from(byte(0)) % list.len()];
    let mut sealed = signed.encode();
    let mut bundle_id = signed.id();
    let mut addr = membership_addr(*network);
    match byte(1) % 7 {
        2 | 3 => {
            let at = usize::from(byte(2)) % sealed.len();
            sealed[at] ^= byte(3).max(1);
            if byte(1) % 7 == 2 {
                bundle_id = statement_id(&sealed);
            }
        }
        4 => bundle_id.0[0] ^= 1,
        5 => addr = membership_addr(if *network == NET { NET2 } else { NET }),
        6 => {
            // The signature's length (64) as a two-byte varint: the same
            // statement in other bytes.
            let at = sealed.len() - 65;
            debug_assert_eq!(sealed[at], 64);
            sealed.splice(at..=at, [0xc0, 0x00]);
        }
        _ => {}
    }
    ClientFrame::Push(Push { addr, bundle_id, key_id: KeyId(0), sealed }).encode()
}

/// The relay's state machine and its store (in memory, as the durable
/// stores are checked against it, failing when the session says so) under
/// frames from four connections, at most three held at once, batched as
/// the actor batches them, a backlog read a small page at a time. The
/// store starts with `NET`'s membership, which the core restores from it
/// as the relay does on start. See [`relay_op`].
pub(crate) fn relay_session(data: &[u8]) -> Outcome {
    let config = RelayConfig {
        max_frame: 1024,
        page: PageLimit { bundles: 2, bytes: 256 },
        challenge_secret: [0x42; 32],
        max_connections: 3,
        // Small, so that sessions reach it: refilled as FLUSH records let time pass.
        rate: RateLimit { per_second: 4, burst: 12 },
        clock_ahead_ms: 0,
    };
    let mut core = RelayCore::new(config);
    let mut now_ms = NOW * 1000;
    core.set_now(now_ms);
    let mut store = FlakyStore::default();
    for s in network::restored_log() {
        never(store.inner.append(membership_addr(NET), s.id(), KeyId(0), &s.encode()));
    }
    assert_eq!(core.restore(never(store.inner.membership_logs())), 0, "the stored membership folds");
    let mut check = RelayCheck::default();
    for c in 0..4 {
        check.challenges.insert(ConnId(c), core.challenge(ConnId(c)));
    }
    let distinct: BTreeSet<[u8; 32]> = check.challenges.values().copied().collect();
    assert_eq!(distinct.len(), 4, "two connections share a challenge");
    let mut pending: Vec<RelayEvent> = Vec::new();
    let mut connected: BTreeSet<ConnId> = BTreeSet::new();
    let mut undrained: BTreeSet<ConnId> = BTreeSet::new();
    let mut disk_full = false;

    let flush = |pending: &mut Vec<RelayEvent>,
                 core: &mut RelayCore,
                 store: &mut FlakyStore,
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
            check.sent(conn, &bytes, &store.inner);
        }
        check.batch_done(core);
    };

    for (op, bytes) in records(data).take(256) {
        let conn = ConnId(u64::from(op >> 4 & 3));
        match (op & 0x0f) % 8 {
            relay_op::FRAME | relay_op::AUTH | relay_op::STATEMENT if connected.contains(&conn) => {
                let frame = match (op & 0x0f) % 8 {
                    relay_op::AUTH => auth_frame(&core, conn, bytes),
                    relay_op::STATEMENT => statement_frame(bytes),
                    _ => bytes.to_vec(),
                };
                // What the check expects changes at a (un)subscription: the
                // frames before it are checked against what held before.
                match ClientFrame::decode(&frame) {
                    Ok(ClientFrame::Subscribe(s)) => {
                        flush(&mut pending, &mut core, &mut store, &mut check, &mut undrained);
                        check.last.insert((conn, s.addr), Some(s.since));
                    }
                    Ok(ClientFrame::Unsubscribe(u)) => {
                        flush(&mut pending, &mut core, &mut store, &mut check, &mut undrained);
                        check.last.insert((conn, u.addr), None);
                    }
                    Ok(ClientFrame::Auth(a)) => check.auths.entry(conn).or_default().push((a.network, a.device)),
                    _ => {}
                }
                pending.push(RelayEvent::Frame(conn, frame));
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
                check.proven.remove(&conn);
                check.busy.remove(&conn);
            }
            relay_op::DRAINED if undrained.remove(&conn) => pending.push(RelayEvent::Drained(conn)),
            relay_op::FLUSH => {
                flush(&mut pending, &mut core, &mut store, &mut check, &mut undrained);
                now_ms += 100 * u64::from(bytes.first().copied().unwrap_or(0));
                core.set_now(now_ms);
            }
            relay_op::STORE_FAILS => {
                flush(&mut pending, &mut core, &mut store, &mut check, &mut undrained);
                if bytes.first().is_some_and(|b| b % 2 == 1) {
                    disk_full = !disk_full;
                    core.set_disk_full(disk_full);
                } else {
                    store.fail = !store.fail;
                }
            }
            _ => {}
        }
    }
    store.fail = false;
    core.set_disk_full(false);
    flush(&mut pending, &mut core, &mut store, &mut check, &mut undrained);
    // Every backlog runs to its end.
    for _ in 0..10_000 {
        let Some(conn) = undrained.pop_first() else { break };
        pending.push(RelayEvent::Drained(conn));
        flush(&mut pending, &mut core, &mut store, &mut check, &mut undrained);
    }
    assert!(undrained.is_empty(), "a backlog that never ends");
    let held = connected.iter().filter(|c| !check.busy.contains(c)).count();
    assert_eq!(core.connection_count(), held, "the relay counts other connections than are open");
    assert!(held <= config.max_connections, "the relay holds more connections than its cap");
    check.store_is_intact(&store.inner);
    // A relay restarted on this store knows every network as this one does.
    let mut restarted = RelayCore::new(config);
    let logs = never(store.inner.membership_logs());
    let skipped = restarted.restore(logs.clone());
    for (network, _) in &logs {
        let now = core.membership(*network).filter(|m| m.is_founded());
        let then = restarted.membership(*network).filter(|m| m.is_founded());
        if now != then || skipped > 0 {
            let label = open_finding(OpenFinding::RestoreDiffers, "restore", (network, skipped));
            check.labels.insert(label);
        }
        if let Some(m) = now {
            membership_holds(m);
        }
    }
    Outcome::Accepted(check.labels.into_iter().collect::<Vec<_>>().join(","))
}

/// Connections are numbered 0..4 by the session; no other may get a frame.
fn connected_or_leaving(conn: ConnId) -> bool {
    conn.0 < 4
}
