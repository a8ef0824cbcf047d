//! The device's state machine: its documents, what the relay has of them,
//! and what is still to push.
//!
//! Every local change becomes a bundle in the outbox (persisted with the
//! change, in one write) until the relay acknowledges it. Bundles from the
//! relay are applied strictly in sequence order; the cursor — the last
//! sequence number applied — is persisted with the changes it covers, so a
//! device that crashes resumes from where its disk says.
//!
//! Every bundle and snapshot is signed by the device that sealed it (see
//! `envelope::seal_signed`), and applied only if the membership, as this
//! device has read it, counts its signer: a member, that had not read its
//! own retirement when it signed.
//!
//! Writes to the device's store are effects, and their results come back as
//! events ([`ClientEvent::Persisted`], [`ClientEvent::PersistFailed`]). Each
//! document has at most one write out at a time; the others wait here, so a
//! failed write never has a later one, made void by it, already running.
//! Nothing that depends on a write (showing a change, pushing it, storing a
//! cursor past it, a compaction that contains it) happens before it
//! succeeded, and a failed write is undone in memory too.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use automerge::{AutoCommit, Automerge, AutomergeError, ChangeHash, LoadOptions, OnPartialLoad};

use crate::chunks::{only_documents_and_changes, ChunkError};
use crate::envelope::{CommunityKey, EnvelopeError, Keyring, Kind, Opened};
use crate::grant::{open_keys, open_rotation, seal_keys, seal_rotation, GrantError};
use crate::ids::{BundleId, DocAddr, DocumentId, Generation, KeyId, Seq};
use crate::membership::{
    membership_addr, Applied, DeviceId, DeviceKey, Grant, Membership, Role, Signed, Standing, Statement,
};
use crate::wire::{
    Auth, ClientFrame, ErrorCode, Hello, Push, PutSnapshot, RelayFrame, Subscribe, WireError, PROTOCOL_VERSION,
};
use crate::{Entropy, Millis};

#[derive(Debug, Clone, Copy)]
pub struct ClientConfig {
    /// Resend an unacknowledged push after this long.
    pub resend_after: Millis,
    /// Ask the relay for anything missed this often, even when all looks fine.
    pub resync_every: Millis,
    /// Upload a snapshot when the log has grown this much past the last one.
    pub snapshot_every: u64,
    /// Ask the store to compact a document after this many appended chunks.
    pub compact_every: usize,
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self { resend_after: 5_000, resync_every: 30_000, snapshot_every: 64, compact_every: 64 }
    }
}

/// Input to the device's sync.
#[derive(Debug, Clone)]
pub enum ClientEvent {
    Connected,
    Disconnected,
    Received(Vec<u8>),
    Tick,
    /// The store carried out the document's `Persist` (there is only ever
    /// one out per document, so the address names it).
    Persisted {
        addr: DocAddr,
    },
    /// The store failed the document's `Persist`; nothing of it was written.
    PersistFailed {
        addr: DocAddr,
    },
    /// The store deleted the epoch `ClientEffect::DeleteEpoch` named.
    EpochDeleted {
        addr: DocAddr,
    },
    /// It could not: asked again at the next `Tick`.
    EpochDeleteFailed {
        addr: DocAddr,
    },
}

/// A write to the device's store. Each variant is one atomic write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Persist {
    /// A local change: append `bytes` as a chunk and put it in the outbox.
    Local { addr: DocAddr, bundle_id: BundleId, bytes: Vec<u8> },
    /// Changes from the relay (if any decrypted): append them, store the
    /// cursor and `at`, the id of the bundle the log held at the cursor
    /// (`None` at 0): named in the next `Subscribe`, so the relay can tell
    /// whether its log still holds that bundle there.
    Remote { addr: DocAddr, bytes: Option<Vec<u8>>, cursor: Seq, at: Option<BundleId> },
    /// The relay holds the bundle: drop it from the outbox, store the
    /// cursor and `at` (as for `Remote`).
    Acked { addr: DocAddr, bundle_id: BundleId, cursor: Seq, at: Option<BundleId> },
    /// Replace every chunk of the document with this full save.
    Compact { addr: DocAddr, bytes: Vec<u8> },
    /// The relay's log of the document is of this generation: the cursor
    /// stored (now and from now on) belongs to it. Kept beside the cursor.
    Generation { addr: DocAddr, generation: Generation },
}

impl Persist {
    /// The document this write is for.
    pub fn addr(&self) -> DocAddr {
        match self {
            Persist::Local { addr, .. }
            | Persist::Remote { addr, .. }
            | Persist::Acked { addr, .. }
            | Persist::Compact { addr, .. }
            | Persist::Generation { addr, .. } => *addr,
        }
    }
}

/// Something the user or the operator should hear about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A bundle in the log could not be decrypted (sealed with a key this
    /// device lacks, for another place, altered, garbage), or its signature
    /// does not hold (`EnvelopeError::BadSignature`, `Unsigned`): it was set
    /// aside, nothing of it applied, and the bundles after it were applied.
    Undecryptable { addr: DocAddr, seq: Seq, error: EnvelopeError },
    /// A bundle decrypted but held no valid Automerge: set aside likewise.
    NotAutomerge { addr: DocAddr, seq: Seq, error: String },
    /// A bundle opened and its signature holds, but its signer is no
    /// member of the network (this device read the membership log on, past
    /// when the bundle came, and did not find it): set aside likewise.
    UnknownSigner { addr: DocAddr, seq: Seq, signer: DeviceId },
    /// A bundle signed by a retired device after its retirement (its
    /// signer had read the membership log up to the statement that retired
    /// it): set aside likewise.
    WrittenAfterRetirement { addr: DocAddr, seq: Seq, signer: DeviceId },
    /// A bundle of changes signed by `signer` holds a change written as
    /// another device (`actor`: a device's actor is its public key): a key
    /// holder writing in someone else's name. Set aside likewise.
    ForeignAuthor { addr: DocAddr, seq: Seq, signer: DeviceId, actor: Vec<u8> },
    /// The relay's snapshot did not open (forged, or moved to another
    /// `covers`) or did not load: nothing of it was applied, and the device
    /// reads the log from its cursor instead. Nothing is lost, but whoever
    /// can reach the relay put it there.
    SnapshotRefused { addr: DocAddr, covers: Seq, error: SnapshotError },
    /// The relay refused something.
    Relay { code: ErrorCode, message: String },
    /// The relay sent bytes that are not a frame.
    Wire(WireError),
    /// The relay refused a membership statement this device sent (an
    /// invitation already used or expired, ...): it is dropped.
    StatementRefused { id: BundleId, message: String },
    /// Document keys handed to this device did not open (sealed to another
    /// key, or altered): none of them is used.
    KeysUnopenable { id: BundleId, error: GrantError },
    /// Keys this device should hand to a member could not be sealed (its
    /// agreement key is not a curve point).
    KeysUnsealable { device: DeviceId, error: GrantError },
    /// This device's rewrite of `from` was refused (another coordinator's
    /// won the race, or the previous move is not done): the new epoch is
    /// dropped (`DeleteEpoch` of it) and the document stays where it was.
    RewriteRefused { from: DocAddr, message: String },
}

/// What the app's runner carries out, in order. Every `Persist` must be
/// answered with exactly one `Persisted` or `PersistFailed`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientEffect {
    Send(Vec<u8>),
    Persist(Persist),
    /// The document changed: views should read it again.
    Changed(DocAddr),
    Problem(Problem),
    /// The local change made as `bundle_id` is stored on the device: the
    /// form that made it may say "saved".
    Durable {
        addr: DocAddr,
        bundle_id: BundleId,
    },
    /// A statement this device signed (its `Rewrite`): the app keeps it
    /// until `StatementStored` and hands it over again after a restart
    /// (`queue_statement`), as it does the statements it signs itself.
    StatementMade(Signed),
    /// The local change made as `bundle_id` could not be stored (or was
    /// made on top of one that could not) and was taken out of the
    /// document again: the form that made it must say so.
    Discarded {
        addr: DocAddr,
        bundle_id: BundleId,
    },
    /// The relay stored the membership statement with this id: the app
    /// may forget it (until then it hands it over again at every start).
    StatementStored(BundleId),
    /// The network's membership as this device follows it changed (see
    /// [`ClientCore::membership`]).
    MembershipChanged,
    /// A coordinator handed this device document keys (read from the
    /// membership log and opened): the app keeps them, then opens those
    /// documents with them. Comes again each time the log is read from its
    /// start, so keeping them must be idempotent.
    KeysGranted(Vec<(DocAddr, CommunityKey)>),
    /// The document at `from` is moving to its new epoch `to` (a
    /// coordinator's `Rewrite`): the app keeps `to` in its store beside
    /// `from`, opens `from` if it holds it and has not opened it, and from
    /// now on shows `to` once `from` is deleted.
    Moving {
        from: DocAddr,
        to: DocAddr,
    },
    /// The old epoch is read to the rewrite's base and the new one holds
    /// the rewritten document: the app calls [`ClientCore::carry`] with
    /// the model's carrier.
    Carry {
        from: DocAddr,
        to: DocAddr,
    },
    /// Delete every trace of the epoch `addr` from the device's store (its
    /// chunks, outbox, rows, cursor and keys) and answer `EpochDeleted`
    /// or `EpochDeleteFailed`. The core holds nothing of it any more.
    DeleteEpoch {
        addr: DocAddr,
    },
}

/// What [`ClientCore::carry`] hands the carrier: the old epoch's document
/// (a copy: what the carrier does to it is dropped), the heads the
/// rewrite reflects, this device's changes the rewrite does not include
/// (oldest first: only their author carries them, so a counter's
/// increments count once), and the new epoch's document to write into.
pub struct Carrying<'a> {
    pub old: &'a mut AutoCommit,
    pub base: &'a [ChangeHash],
    pub own: &'a [ChangeHash],
    pub new: &'a mut AutoCommit,
}

/// What [`ClientCore::rewrite`] started.
#[derive(Debug)]
pub struct Rewritten {
    /// The document's new epoch.
    pub to: DocAddr,
    pub effects: Vec<ClientEffect>,
}

/// Why [`ClientCore::rewrite`] did not start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RewriteError {
    #[error("document {0} is not open")]
    NotOpen(DocAddr),
    #[error("only a current coordinator's device rewrites a document, once it read the membership to its head")]
    NotCoordinator,
    #[error("{0} is not the document's current epoch")]
    NotCurrent(DocAddr),
    #[error("document {0} is moving already")]
    Moving(DocAddr),
    #[error("document {0} has changes not stored or not acknowledged yet; try again once it is synced")]
    NotSettled(DocAddr),
    #[error("this device does not hold the current key of {0} yet")]
    NoKey(DocAddr),
}

/// Why a snapshot was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SnapshotError {
    #[error("the snapshot does not open: {0}")]
    Envelope(EnvelopeError),
    #[error("the snapshot opened but does not load: {0}")]
    NotAutomerge(String),
    #[error("the snapshot is signed by device {0}, which is no member of the network")]
    UnknownSigner(DeviceId),
    #[error("the snapshot was signed by device {0} after its retirement")]
    WrittenAfterRetirement(DeviceId),
}

/// What the membership says of a bundle's or snapshot's signer.
enum Author {
    /// A member (or one retired after it signed): its writing counts.
    Member,
    /// It signed after it had read its own retirement.
    Late,
    /// A member, but it had read the membership log further than this
    /// device has: a retirement in between is not read yet.
    Unsure,
    /// Not a member, as far as the membership was read.
    Unknown,
}

/// A document moving to a new epoch, by its old epoch.
#[derive(Debug)]
struct Move {
    to: DocAddr,
    base: Seq,
    heads: Vec<ChangeHash>,
    stage: MoveStage,
    /// This device's own `Rewrite` and the bundle of the rewritten
    /// document: the statement leaves only once that is stored, or a crash
    /// could leave the relay a new epoch nobody holds.
    own: Option<(Option<Signed>, BundleId)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MoveStage {
    /// This device's own rewrite: its statement is not stored yet (nothing
    /// of the new epoch is pushed until it is), or (`true`) it is.
    Rewriting(BundleId, bool),
    /// Reading the old log to the base, and the new one's rewrite.
    Reading,
    /// `Carry` was asked for.
    Carry,
    /// The carried change is being stored.
    Storing(BundleId),
    /// `DeleteEpoch` was asked for.
    Deleting,
}

/// Whether an event may let a move go on.
enum EventKind {
    Progress,
    Other,
}

/// What [`ClientCore::change`] made.
#[derive(Debug)]
pub struct LocalChange<R> {
    /// What the edit returned.
    pub value: R,
    /// The bundle the change became; `None` if the edit changed nothing.
    /// `Durable` or `Discarded` with this id follows, exactly one of them.
    pub bundle: Option<BundleId>,
    pub effects: Vec<ClientEffect>,
}

/// A document as the device's store hands it back at start.
pub struct OpenDoc {
    pub addr: DocAddr,
    /// Every key of the document the device holds: new bundles and
    /// snapshots are sealed with the newest, each received one opened with
    /// the key its id names.
    pub keys: Keyring,
    pub doc: AutoCommit,
    pub cursor: Seq,
    /// The generation of the relay's log the cursor was read in (as
    /// `Persist::Generation` stored it; `Generation::NONE` if none was).
    pub generation: Generation,
    /// The id of the bundle the log held at the cursor (as `Persist::Remote`
    /// or `Persist::Acked` stored it; `None` at 0 or if none was stored).
    pub at: Option<BundleId>,
    pub outbox: Vec<(BundleId, Vec<u8>)>,
    pub chunks: usize,
}

/// Who the relay says this device is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Access {
    /// Not connected, or no answer yet.
    #[default]
    Unknown,
    /// A current member, as this role.
    Member(Role),
    /// The relay refused this device (`Forbidden`: not a member, or not
    /// yet; `Retired`; `Unauthenticated`). It syncs nothing until the next
    /// connection.
    Refused(ErrorCode),
}

/// The device's key and the network it answers the relay's challenge for.
#[derive(Debug, Clone)]
pub struct Identity {
    pub key: DeviceKey,
    pub network: DocumentId,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SyncStatus {
    pub connected: bool,
    pub access: Access,
    /// Local changes the relay has not acknowledged yet, stored or not.
    pub pending: usize,
    /// Every document has everything the relay had when last asked.
    pub caught_up: bool,
}

#[derive(Debug)]
enum Ahead {
    /// This device's own bundle, acknowledged at that seq.
    Own(BundleId),
    Remote(BundleId, KeyId, Vec<u8>),
}

impl Ahead {
    fn id(&self) -> BundleId {
        match self {
            Ahead::Own(id) | Ahead::Remote(id, ..) => *id,
        }
    }
}

struct Outgoing {
    bytes: Vec<u8>,
    sent_at: Option<Millis>,
    stage: Stage,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// Its `Persist::Local` has not succeeded yet: never pushed.
    Writing,
    /// On the device's disk: pushed until the relay acknowledges it.
    Durable,
    /// The relay acknowledged it. It leaves the store (`Persist::Acked`)
    /// only once the cursor passed its seq, so the relay's log was checked
    /// to hold it there (protocol 8: a restored log that grew back past
    /// its seq holds another bundle there, and a device that restarts
    /// meanwhile pushes it again). If that write fails it becomes `Durable`
    /// again and is pushed again (the relay answers a repeated push with
    /// the same seq).
    Acked,
}

/// A local change whose `Persist::Local` has not succeeded, in the order
/// made: what it takes to take it out of the document again.
struct Unsaved {
    bundle_id: BundleId,
    /// The document's heads before the change.
    heads_before: Vec<ChangeHash>,
    /// The changes it added.
    hashes: Vec<ChangeHash>,
    /// The whole document pushed again for a relay that lost its log: it
    /// adds no change, and nothing depends on it.
    recovery: bool,
}

/// The write a document has out, as much as is needed to act on its result.
#[derive(Debug, Clone)]
enum Writing {
    Local(BundleId),
    /// With the changes, which a failure must store again.
    Remote {
        cursor: (Seq, Option<BundleId>),
        bytes: Option<Vec<u8>>,
    },
    Acked {
        bundle_id: BundleId,
        cursor: (Seq, Option<BundleId>),
    },
    Compact,
    Generation(Generation),
}

impl Writing {
    fn of(persist: &Persist) -> Self {
        match persist {
            Persist::Local { bundle_id, .. } => Writing::Local(*bundle_id),
            Persist::Remote { bytes, cursor, at, .. } => {
                Writing::Remote { cursor: (*cursor, *at), bytes: bytes.clone() }
            }
            Persist::Acked { bundle_id, cursor, at, .. } => {
                Writing::Acked { bundle_id: *bundle_id, cursor: (*cursor, *at) }
            }
            Persist::Compact { .. } => Writing::Compact,
            Persist::Generation { generation, .. } => Writing::Generation(*generation),
        }
    }
}

fn sorted_heads(doc: &mut AutoCommit) -> Vec<ChangeHash> {
    let mut heads = doc.get_heads();
    heads.sort();
    heads
}

/// `doc` without the changes in `drop`, which must all come after `from`
/// and include every change that depends on one of them. The actor stays.
/// `waiting` (see `DocState::waiting`) is loaded again, because changes
/// that wait for their dependencies are not among `get_changes`.
fn without(doc: &mut AutoCommit, from: &[ChangeHash], drop: &BTreeSet<ChangeHash>, waiting: &[Vec<u8>]) -> AutoCommit {
    let mut rebuilt = doc.fork_at(from).expect("heads of this document").with_actor(doc.get_actor().clone());
    let keep: Vec<_> = doc.get_changes(from).into_iter().filter(|c| !drop.contains(&c.hash())).collect();
    rebuilt.apply_changes(keep).expect("changes of this document apply to it");
    for chunk in waiting {
        rebuilt.load_incremental(chunk).expect("loaded into this document before");
    }
    rebuilt
}

struct DocState {
    keys: Keyring,
    doc: AutoCommit,
    /// The last seq applied in memory.
    cursor: Seq,
    /// The id of the bundle the log held at `cursor` (`None` at 0).
    at: Option<BundleId>,
    /// The generation of the relay's log the cursor was read in
    /// (`Generation::NONE`: not heard yet, or read from 0).
    generation: Generation,
    /// The cursor of the last `Remote` or `Acked` that succeeded: what the
    /// disk says, with its `at`. A failed write sends the cursor back here.
    durable_cursor: (Seq, Option<BundleId>),
    /// Writes waiting for the one out (`writing`) to succeed, in order.
    writes: VecDeque<Persist>,
    writing: Option<Writing>,
    /// A write that stores remote changes again failed: the next waits for
    /// the next `Tick`, so that a store that keeps failing is not asked
    /// again and again at once.
    paused: bool,
    /// The whole document must be pushed again (the log was lost) and the
    /// bundle that does it failed to be stored: made anew at the next
    /// subscribe, which the relay would not refuse again.
    owes_whole: bool,
    /// Local changes not stored yet, oldest first.
    unsaved: Vec<Unsaved>,
    /// Remote changes are stored but `Changed` for them is still to come.
    unshown: bool,
    /// The heads when `Changed` was last emitted: what views may have seen.
    announced: Vec<ChangeHash>,
    /// Patches a view has still to get from `diff_incremental` because the
    /// document was rebuilt (without discarded changes) under it.
    stale_patches: Vec<automerge::Patch>,
    /// Chunks loaded since the document last had no change waiting for a
    /// missing dependency (bundles may reach the log out of causal order):
    /// a rebuild loads them again, or the waiting changes would be lost.
    waiting: Vec<Vec<u8>>,
    ahead: BTreeMap<Seq, Ahead>,
    outbox: BTreeMap<BundleId, Outgoing>,
    subscribed_at: Option<Millis>,
    caught_up: bool,
    relay_head: Seq,
    relay_snapshot: Seq,
    /// When the snapshot upload still waiting for `SnapshotStored` was sent.
    snapshot_sent_at: Option<Millis>,
    /// The highest `covers` of a snapshot this device refused: until its
    /// cursor reaches it, it subscribes to the log only, so the relay does
    /// not send that snapshot again (and the device never loops on it).
    refused_snapshot: Seq,
    /// The bundle next in line is signed by a device this device does not
    /// know (yet): its seq, and since when it waits.
    unknown_since: Option<(Seq, Millis)>,
    /// The bundle next in line is sealed with a key the membership named
    /// for this document but this device has not been handed yet: it waits
    /// for the grant (a rotation, or a coordinator's `Keys`), holding the
    /// cursor, and the document is not subscribed to again meanwhile (the
    /// live subscription brings what comes; nothing is asked for again).
    owed_key: Option<Seq>,
    chunks: usize,
}

/// `body` of a bundle signed by `signer`, unless it holds changes written
/// as another device (see [`crate::chunks::foreign_author`]).
fn own_changes(addr: DocAddr, seq: Seq, signer: DeviceId, body: Vec<u8>) -> Result<Vec<u8>, Problem> {
    match crate::chunks::foreign_author(&body, &signer.0) {
        None => Ok(body),
        Some(actor) => Err(Problem::ForeignAuthor { addr, seq, signer, actor }),
    }
}

/// Applies changes that came from the relay, all of them or none.
///
/// `load_incremental` alone forgives what it cannot parse: into a document
/// that has content it loads the chunks it understands and drops the rest
/// without an error, so garbage, or a valid change followed by garbage,
/// would pass (half applied) instead of being reported. The bytes are first
/// loaded on their own, strictly; changes whose dependencies are elsewhere
/// in the log are fine. Into an empty document (a new device reading a
/// snapshot) that strict load is the result.
///
/// Before Automerge parses anything, chunks of a type Lotse never writes
/// are refused (see [`crate::chunks`]).
fn apply_remote(doc: &mut AutoCommit, bytes: &[u8], waiting: &mut Vec<Vec<u8>>) -> Result<(), RemoteError> {
    only_documents_and_changes(bytes)?;
    let strict = || LoadOptions::new().on_partial_load(OnPartialLoad::Error);
    if doc.is_empty() {
        match AutoCommit::load_with_options(bytes, strict()) {
            Ok(loaded) => {
                *doc = loaded.with_actor(doc.get_actor().clone());
                note_waiting(doc, bytes, waiting);
                return Ok(());
            }
            Err(AutomergeError::MissingDeps) => {}
            Err(e) => return Err(e.into()),
        }
    } else {
        match Automerge::load_with_options(bytes, strict()) {
            Ok(_) | Err(AutomergeError::MissingDeps) => {}
            Err(e) => return Err(e.into()),
        }
    }
    doc.load_incremental(bytes)?;
    note_waiting(doc, bytes, waiting);
    Ok(())
}

/// Why remote changes were not applied.
#[derive(Debug, thiserror::Error)]
enum RemoteError {
    #[error(transparent)]
    Chunk(#[from] ChunkError),
    #[error(transparent)]
    Automerge(#[from] AutomergeError),
}

/// Keeps `bytes` just loaded into `doc` in `waiting` while some change
/// there waits for a dependency.
fn note_waiting(doc: &mut AutoCommit, bytes: &[u8], waiting: &mut Vec<Vec<u8>>) {
    if doc.get_missing_deps(&[]).is_empty() {
        waiting.clear();
    } else {
        waiting.push(bytes.to_vec());
    }
}

pub struct ClientCore<E: Entropy> {
    entropy: E,
    config: ClientConfig,
    connected: bool,
    /// The relay's `Welcome` came and the device answered its challenge:
    /// frames for documents may go out (they reach the relay after `Auth`).
    ready: bool,
    access: Access,
    identity: Option<Identity>,
    /// Membership statements not yet stored at the relay, in order.
    statements: Vec<Signed>,
    /// This connection's challenge, from the relay's `Welcome`.
    challenge: Option<[u8; 32]>,
    /// The network's membership as read from its log, and the log's seq it
    /// was read to. Kept in memory: the log is small and read again from
    /// the start by a new engine.
    membership: Option<(Membership, Seq)>,
    /// When the membership log was last subscribed to.
    membership_at: Millis,
    /// The generation of the membership log as the relay last named it.
    membership_generation: Generation,
    /// The id of the statement at the seq the membership log was read to
    /// (`None` at 0): named in its `Subscribe`, as for a document.
    membership_tip: Option<BundleId>,
    /// Every statement that counted, in the log's order: what this device
    /// hands over again if the relay lost part of the membership log.
    membership_log: Vec<Signed>,
    /// Bundles of the membership log that came before those ahead of them.
    membership_ahead: BTreeMap<Seq, Vec<u8>>,
    /// Where in the membership log each device became a member (its
    /// founding, enrolment or first admission).
    joined: BTreeMap<DeviceId, Seq>,
    /// Where in the membership log each retired device was retired.
    retired: BTreeMap<DeviceId, Seq>,
    /// When the relay last said how far the membership log goes
    /// (`CaughtUp`), and the highest head it ever said: a bundle of a
    /// signer this device does not know waits until the log was read to a
    /// head the relay named well after the bundle came.
    membership_seen: (Millis, Seq),
    /// When the challenge was last answered.
    handshake_at: Millis,
    /// When the statements were last handed over.
    statements_at: Millis,
    /// Every document key handed to this device in the membership log (as
    /// read since the start): a document opened later gets them too.
    granted: Vec<(DocAddr, CommunityKey)>,
    /// The rotations this device signed that the relay has not stored yet:
    /// their new keys are used only once stored (a rotation that lost a
    /// race to another coordinator's never counts).
    rotating: Vec<(BundleId, DocAddr, CommunityKey)>,
    /// Those that lost: a refusal of one again (a resend crossed the first
    /// answer) is no news either.
    lost_rotations: BTreeSet<BundleId>,
    /// Documents moving to a new epoch, by their old epoch.
    moves: BTreeMap<DocAddr, Move>,
    /// Epochs whose deletion the store failed: asked again at the next tick.
    undeleted: BTreeSet<DocAddr>,
    docs: BTreeMap<DocAddr, DocState>,
}

impl<E: Entropy> ClientCore<E> {
    pub fn new(entropy: E, config: ClientConfig) -> Self {
        Self {
            entropy,
            config,
            connected: false,
            ready: false,
            access: Access::Unknown,
            identity: None,
            statements: Vec::new(),
            challenge: None,
            membership: None,
            membership_at: 0,
            membership_generation: Generation::NONE,
            membership_tip: None,
            membership_log: Vec::new(),
            membership_ahead: BTreeMap::new(),
            joined: BTreeMap::new(),
            retired: BTreeMap::new(),
            membership_seen: (0, Seq(0)),
            handshake_at: 0,
            statements_at: 0,
            granted: Vec::new(),
            rotating: Vec::new(),
            lost_rotations: BTreeSet::new(),
            moves: BTreeMap::new(),
            undeleted: BTreeSet::new(),
            docs: BTreeMap::new(),
        }
    }

    /// The key this device proves itself with, and its network. Without
    /// one, the relay refuses every document.
    pub fn set_identity(&mut self, identity: Identity) {
        self.membership = Some((Membership::new(identity.network), Seq(0)));
        self.membership_generation = Generation::NONE;
        self.membership_tip = None;
        self.membership_log.clear();
        self.membership_ahead.clear();
        self.joined.clear();
        self.retired.clear();
        self.membership_seen = (0, Seq(0));
        self.identity = Some(identity);
    }

    /// The network's membership as far as this device has read its log
    /// (every statement checked by its signature, as the relay does): who
    /// is a coordinator or a mentor, of which documents, who is retired,
    /// which invitations are open. `None` without an identity.
    pub fn membership(&self) -> Option<&Membership> {
        self.membership.as_ref().map(|(m, _)| m)
    }

    /// The seq of the membership log's statement that made `device` a
    /// member (its founding, enrolment or first admission), as far as this
    /// device has read the log.
    pub fn joined_at(&self, device: DeviceId) -> Option<Seq> {
        self.joined.get(&device).copied()
    }

    /// Reads the membership log on from where this device is, or from 0
    /// if it read past 0 in no known generation (as `subscribe` does for
    /// a document: what it read may be gone, so it hands it over again).
    fn subscribe_membership(&mut self, now: Millis, out: &mut Vec<ClientEffect>) {
        let Some(network) = self.identity.as_ref().map(|i| i.network) else { return };
        if self.membership_read() > Seq(0) && self.membership_generation.is_none() {
            return self.recover_membership(now, out);
        }
        out.push(self.membership_subscribe(network));
    }

    fn membership_subscribe(&self, network: crate::ids::DocumentId) -> ClientEffect {
        let since = self.membership.as_ref().map_or(Seq(0), |(_, c)| *c);
        let generation = if since == Seq(0) { Generation::NONE } else { self.membership_generation };
        let at = if since == Seq(0) { None } else { self.membership_tip };
        let sub = Subscribe { addr: membership_addr(network), since, snapshot: false, generation, at };
        ClientEffect::Send(ClientFrame::Subscribe(sub).encode())
    }

    /// A bundle of the membership log: kept until those before it are in,
    /// then applied in the log's order.
    fn membership_bundle(&mut self, now: Millis, seq: Seq, sealed: Vec<u8>, out: &mut Vec<ClientEffect>) {
        let Some((m, cursor)) = &mut self.membership else { return };
        if seq <= *cursor {
            return;
        }
        self.membership_ahead.insert(seq, sealed);
        let mut changed = false;
        let mut handed = Vec::new();
        let mut rewrites = Vec::new();
        while let Some(sealed) = self.membership_ahead.remove(&cursor.next()) {
            *cursor = cursor.next();
            // The relay stores a statement only under its own id.
            self.membership_tip = Some(crate::membership::statement_id(&sealed));
            // A statement that does not hold (it lost a race at the relay)
            // is stored but never counts, here as there.
            let Ok(signed) = Signed::decode(&sealed) else { continue };
            if m.apply(&signed, None) != Ok(Applied::New) {
                continue;
            }
            changed = true;
            self.membership_log.push(signed.clone());
            let joins = match &signed.statement {
                Statement::Found { founder, .. } => Some(*founder),
                Statement::Enrol { device, .. } | Statement::Admit { device, .. } => Some(*device),
                _ => None,
            };
            if let Some(device) = joins {
                self.joined.entry(device).or_insert(*cursor);
            }
            if let Statement::Retire { device } = &signed.statement {
                self.retired.insert(*device, *cursor);
            }
            if let Statement::Rewrite { grant, base, heads, .. } = &signed.statement {
                rewrites.push((signed.id(), grant.addr, *base, heads.iter().map(|h| ChangeHash(*h)).collect()));
            }
            let Some(me) = &self.identity else { continue };
            let opened = match &signed.statement {
                Statement::Keys { device, .. } if *device == me.key.id() => {
                    open_keys(&me.key.agreement(), me.network, me.key.id(), &signed.statement)
                }
                // This device's own rotation, stored: its new key counts now
                // (kept in memory, so a device without an agreement key
                // holds it too).
                Statement::Rotate { .. } | Statement::Rewrite { .. }
                    if self.rotating.iter().any(|r| r.0 == signed.id()) =>
                {
                    let at = self.rotating.iter().position(|r| r.0 == signed.id()).expect("found");
                    let (_, addr, key) = self.rotating.swap_remove(at);
                    Ok(vec![(addr, key)])
                }
                Statement::Rotate { .. } | Statement::Rewrite { .. } => {
                    open_rotation(&me.key.agreement(), me.network, me.key.id(), &signed.statement)
                        .map(|k| k.into_iter().collect())
                }
                _ => continue,
            };
            match opened {
                Ok(keys) if keys.is_empty() => {}
                Ok(keys) => handed.extend(keys),
                Err(error) => out.push(ClientEffect::Problem(Problem::KeysUnopenable { id: signed.id(), error })),
            }
        }
        // Not the keys of an epoch the document moved on from, unless this
        // device still reads it (its move is not done): the app deleted
        // them with the epoch, and reading the log again from its start
        // must not bring them back.
        if let Some((m, _)) = &self.membership {
            handed.retain(|(a, _)| a.epoch >= m.current_epoch(a.doc) || self.docs.contains_key(a));
        }
        // Nor while the log is read again after a restart (the `Rewrite`
        // not read yet): a newer epoch open and this one not is one the
        // device deleted.
        let docs = &self.docs;
        handed.retain(|(a, _)| docs.contains_key(a) || !docs.keys().any(|o| o.doc == a.doc && o.epoch > a.epoch));
        if !handed.is_empty() {
            out.push(ClientEffect::KeysGranted(handed.clone()));
        }
        self.hold(&handed);
        for (id, to, base, heads) in rewrites {
            self.start_move(now, id, to, base, heads, out);
        }
        if changed {
            out.push(ClientEffect::MembershipChanged);
            self.grant_keys(out);
            self.rotate_keys(out);
            self.open_new_epochs(now, out);
        }
        self.advance_waiting(now, out);
        self.progress_moves(now, out);
    }

    /// Puts keys handed to this device into the keyrings of its open
    /// documents (and keeps them for those opened later): from now on
    /// their newest seals what this device sends.
    fn hold(&mut self, keys: &[(DocAddr, CommunityKey)]) {
        for (addr, key) in keys {
            if !self.granted.iter().any(|(a, k)| a == addr && k == key) {
                self.granted.push((*addr, key.clone()));
            }
            if let Some(d) = self.docs.get_mut(addr) {
                d.keys.insert(key.clone());
            }
        }
    }

    /// The ids of the keys this device holds of `addr`, oldest first.
    pub fn key_ids(&self, addr: DocAddr) -> Option<Vec<KeyId>> {
        self.docs.get(&addr).map(|d| d.keys.ids().collect())
    }

    /// What the membership, as read so far, says of `signer` having
    /// signed when it had read the membership log to `read`. Without an
    /// identity there is no membership to ask (tests only): every valid
    /// signature counts.
    fn author(&self, signer: DeviceId, read: Seq) -> Author {
        let Some((m, _)) = &self.membership else { return Author::Member };
        if !m.members().contains_key(&signer) {
            return Author::Unknown;
        }
        match self.retired.get(&signer) {
            Some(&at) if read >= at => Author::Late,
            _ if self.membership_read() < read => Author::Unsure,
            _ => Author::Member,
        }
    }

    /// Whether the membership log was read to a head the relay named at
    /// least `resend_after` after `since`: a signer unknown then is
    /// unknown for good (a member's enrolment is stored before it can push).
    fn membership_read_since(&self, since: Millis) -> bool {
        let (at, head) = self.membership_seen;
        let cursor = self.membership.as_ref().map_or(Seq(0), |(_, c)| *c);
        at >= since.saturating_add(self.config.resend_after) && cursor >= head
    }

    /// Whether this device has not read its membership log to the head
    /// the relay last named (or never heard one).
    fn membership_early(&self) -> bool {
        let (seen, head) = self.membership_seen;
        seen == 0 || self.membership_read() < head
    }

    /// Whether `key` is a key of `addr` the membership named (so this
    /// device, which may use the document, is owed it) and it lacks.
    fn owed(&self, addr: DocAddr, key: KeyId) -> bool {
        let named = self.membership.as_ref().is_some_and(|(m, _)| m.names_key(addr, key));
        named && self.docs.get(&addr).is_some_and(|d| d.keys.get(key).is_none())
    }

    /// How far this device has read its membership log: signed into what
    /// it seals.
    fn membership_read(&self) -> Seq {
        self.membership.as_ref().map_or(Seq(0), |(_, c)| *c)
    }

    /// Documents held up by a bundle whose signer this device does not
    /// know yet: tried again now the membership moved on.
    fn advance_waiting(&mut self, now: Millis, out: &mut Vec<ClientEffect>) {
        let waiting: Vec<DocAddr> = self
            .docs
            .iter()
            .filter(|(_, d)| d.unknown_since.is_some() || d.owed_key.is_some())
            .map(|(a, _)| *a)
            .collect();
        for addr in waiting {
            self.advance(now, addr, out);
        }
    }

    /// On a coordinator's device: seals the keys of the documents it holds
    /// to every current member that may use them and was not handed them
    /// yet, as `Keys` statements (one per member; none for one already
    /// waiting to be stored). Two coordinators may both hand the same keys;
    /// the second statement changes nothing.
    fn grant_keys(&mut self, out: &mut Vec<ClientEffect>) {
        let (Some(me), Some((m, _))) = (&self.identity, &self.membership) else { return };
        // Not from a part of the log (a device reads it from the start
        // after every restart): a member's `Keys` or retirement further on
        // is not read yet.
        if m.standing(me.key.id()) != Standing::Current(Role::Coordinator) || self.membership_early() {
            return;
        }
        // An old epoch is deleted once moved from: its keys are nobody's due.
        let held: Vec<Grant> = self
            .docs
            .iter()
            .filter(|(addr, _)| addr.epoch == m.current_epoch(addr.doc))
            .flat_map(|(addr, d)| d.keys.ids().map(|key| Grant { addr: *addr, key }))
            .collect();
        let waiting: Vec<(DeviceId, &[Grant])> = self
            .statements
            .iter()
            .filter_map(|s| match &s.statement {
                Statement::Keys { device, grants, .. } => Some((*device, grants.as_slice())),
                _ => None,
            })
            .collect();
        let mut statements = Vec::new();
        for (device, want) in m.wanting(&held) {
            if waiting.iter().any(|(d, g)| *d == device && want.iter().all(|w| g.contains(w))) {
                continue;
            }
            let Some(to) = m.members().get(&device).and_then(|d| d.agreement) else { continue };
            let keys: Vec<(DocAddr, CommunityKey)> =
                want.iter().filter_map(|g| Some((g.addr, self.docs[&g.addr].keys.get(g.key)?.clone()))).collect();
            match seal_keys(&mut self.entropy, me.network, device, to, &keys) {
                Ok(stmt) => statements.push(me.key.sign(me.network, stmt)),
                Err(error) => out.push(ClientEffect::Problem(Problem::KeysUnsealable { device, error })),
            }
        }
        for signed in statements {
            out.extend(self.queue_statement(signed));
        }
    }

    /// On a coordinator's device: moves every document whose current key a
    /// retired device held (`Membership::to_rotate`) and whose key this
    /// device holds to a new key, the next id, sealed to every current
    /// member that may use it (this device too, so that it holds the key
    /// after a restart). One `Rotate` per document; none while this
    /// device's own waits to be stored. The new key is used once the relay
    /// stored the rotation; one that lost a race to another coordinator's
    /// is dropped, and that one's key comes sealed to this device.
    fn rotate_keys(&mut self, out: &mut Vec<ClientEffect>) {
        let (Some(me), Some((m, _))) = (&self.identity, &self.membership) else { return };
        if m.standing(me.key.id()) != Standing::Current(Role::Coordinator) || self.membership_early() {
            return;
        }
        let mut statements = Vec::new();
        for stale in m.to_rotate() {
            let pending = self.rotating.iter().any(|(_, addr, _)| *addr == stale.addr);
            let Some(old) = self.docs.get(&stale.addr).and_then(|d| d.keys.get(stale.key)) else { continue };
            if pending {
                continue;
            }
            let Some(new) = old.next(&mut self.entropy) else { continue };
            let to: Vec<(DeviceId, crate::membership::AgreementKey)> = m
                .members()
                .iter()
                .filter(|(id, _)| m.may_use(**id, stale.addr.doc))
                .filter_map(|(id, member)| Some((*id, member.agreement?)))
                .collect();
            let (stmt, left_out) = seal_rotation(&mut self.entropy, me.network, stale.addr, &new, &to);
            for (device, error) in left_out {
                out.push(ClientEffect::Problem(Problem::KeysUnsealable { device, error }));
            }
            let signed = me.key.sign(me.network, stmt);
            self.rotating.push((signed.id(), stale.addr, new));
            statements.push(signed);
        }
        for signed in statements {
            out.extend(self.queue_statement(signed));
        }
    }

    /// A membership statement to hand to the relay (now if connected, else
    /// on the next connection) until it answers `StatementStored` or
    /// `StatementRefused`. Statements go out before the device's `Auth`,
    /// so an enrolment or a founding counts for the same connection.
    pub fn queue_statement(&mut self, signed: Signed) -> Vec<ClientEffect> {
        let mut out = Vec::new();
        if self.statements.iter().any(|s| s.id() == signed.id()) {
            return out;
        }
        if self.ready {
            self.send_statement(&signed, &mut out);
        }
        self.statements.push(signed);
        out
    }

    fn send_statement(&self, signed: &Signed, out: &mut Vec<ClientEffect>) {
        let Some(identity) = &self.identity else { return };
        let push = Push {
            addr: membership_addr(identity.network),
            bundle_id: signed.id(),
            key_id: KeyId(0),
            sealed: signed.encode(),
        };
        out.push(ClientEffect::Send(ClientFrame::Push(push).encode()));
    }

    /// Hands over the statements, answers the challenge, then subscribes and
    /// pushes. Statements go first: an enrolment must count before the
    /// `Auth` that relies on it, and the rest follows the `Auth` (the relay
    /// takes a connection's frames in order).
    fn handshake(&mut self, now: Millis, out: &mut Vec<ClientEffect>) {
        let Some(challenge) = self.challenge else { return };
        self.ready = true;
        self.access = Access::Unknown;
        self.handshake_at = now;
        self.statements_at = now;
        for s in &self.statements {
            self.send_statement(s, out);
        }
        if let Some(id) = &self.identity {
            let auth =
                Auth { network: id.network, device: id.key.id(), signature: id.key.answer(&challenge, id.network) };
            out.push(ClientEffect::Send(ClientFrame::Auth(auth).encode()));
            // The membership log, from where this device read it to: live
            // from then on (a retirement, an enrolment, a new invitation).
            self.membership_at = now;
            self.subscribe_membership(now, out);
        }
        let addrs: Vec<DocAddr> = self.docs.keys().copied().collect();
        for addr in addrs {
            self.subscribe(now, addr, out);
            self.resend(now, addr, true, out);
        }
    }

    /// Whether frames for documents may go out now.
    fn may_sync(&self) -> bool {
        self.ready && !matches!(self.access, Access::Refused(_))
    }

    pub fn doc(&self, addr: DocAddr) -> Option<&AutoCommit> {
        self.docs.get(&addr).map(|d| &d.doc)
    }

    /// What changed in the document since the last call (all of it on the
    /// first), as Automerge patches, for a view that keeps its own hydrated
    /// copy. Moves only the document's diff cursor; changes nothing in it.
    /// After discarded changes were taken out, it starts with the patches
    /// that take them back out of the view.
    pub fn diff_incremental(&mut self, addr: DocAddr) -> Option<Vec<automerge::Patch>> {
        self.docs.get_mut(&addr).map(|d| {
            let mut patches = std::mem::take(&mut d.stale_patches);
            patches.extend(d.doc.diff_incremental());
            patches
        })
    }

    /// For reads Automerge only offers on `&mut` (`get_changes`, `diff`):
    /// the history view. `f` must not edit: an edit made here would be
    /// neither stored nor sent, so it is refused with a panic.
    pub fn inspect<R>(&mut self, addr: DocAddr, f: impl FnOnce(&mut AutoCommit) -> R) -> Option<R> {
        let d = self.docs.get_mut(&addr)?;
        let before = d.doc.get_heads();
        let diff_cursor = d.doc.diff_cursor();
        let r = f(&mut d.doc);
        assert!(
            d.doc.get_heads() == before && automerge::transaction::Transactable::pending_ops(&d.doc) == 0,
            "inspect must not edit the document"
        );
        // Whoever moved the diff cursor chose what to read from: patches
        // kept from a rebuild (see `diff_incremental`) no longer fit.
        if d.doc.diff_cursor() != diff_cursor {
            d.stale_patches.clear();
        }
        Some(r)
    }

    pub fn cursor(&self, addr: DocAddr) -> Option<Seq> {
        self.docs.get(&addr).map(|d| d.cursor)
    }

    /// The document's writes out or waiting. At 0 the store holds every
    /// change the document has in memory.
    pub fn pending_writes(&self, addr: DocAddr) -> usize {
        self.docs.get(&addr).map_or(0, |d| usize::from(d.writing.is_some()) + d.writes.len())
    }

    pub fn status(&self) -> SyncStatus {
        SyncStatus {
            connected: self.connected,
            access: self.access,
            pending: self.docs.values().flat_map(|d| d.outbox.values()).filter(|o| o.stage != Stage::Acked).count(),
            caught_up: self.connected && self.docs.values().all(|d| d.caught_up),
        }
    }

    /// Starts syncing a document loaded from the device's store.
    pub fn open(&mut self, now: Millis, open: OpenDoc) -> Vec<ClientEffect> {
        let mut doc = open.doc;
        let mut keys = open.keys;
        // Keys read from the membership log while the document was closed.
        for (_, key) in self.granted.iter().filter(|(a, _)| *a == open.addr) {
            keys.insert(key.clone());
        }
        // What waits, from the store, is only in a whole save (which keeps
        // such changes); it holds nothing that can be discarded.
        let waiting = if doc.get_missing_deps(&[]).is_empty() { vec![] } else { vec![doc.save()] };
        let mut state = Self::fresh_doc(doc, keys);
        state.cursor = open.cursor;
        state.at = open.at;
        // Kept at cursor 0 too: the device may have had bundles
        // acknowledged in that generation that it has not read back.
        state.generation = open.generation;
        state.durable_cursor = (open.cursor, open.at);
        state.waiting = waiting;
        state.outbox = open
            .outbox
            .into_iter()
            .map(|(id, bytes)| (id, Outgoing { bytes, sent_at: None, stage: Stage::Durable }))
            .collect();
        state.chunks = open.chunks;
        self.docs.insert(open.addr, state);
        let mut out = Vec::new();
        // A coordinator's document opened after the membership was read:
        // members may be waiting for its key.
        self.grant_keys(&mut out);
        if self.may_sync() {
            self.subscribe(now, open.addr, &mut out);
            self.resend(now, open.addr, true, &mut out);
        }
        // An epoch a rewrite moved on from (the app opened what its store
        // holds after the membership was read), or the new one of a move
        // whose old epoch is gone from the store already.
        let rewrite = self.membership().and_then(|m| {
            let into = DocAddr { doc: open.addr.doc, epoch: crate::ids::Epoch(open.addr.epoch.0.checked_add(1)?) };
            m.epoch_move(into).map(|_| into).or(m.epoch_move(open.addr).map(|_| open.addr))
        });
        if let Some(into) = rewrite {
            self.restart_move(now, into, &mut out);
        }
        out
    }

    /// Picks a move up again from the membership (after a restart, or an
    /// epoch opened late): the `Rewrite` into `into` as the log holds it.
    fn restart_move(&mut self, now: Millis, into: DocAddr, out: &mut Vec<ClientEffect>) {
        let found = self.membership_log.iter().find_map(|s| match &s.statement {
            Statement::Rewrite { grant, base, heads, .. } if grant.addr == into => {
                Some((s.id(), *base, heads.iter().map(|h| ChangeHash(*h)).collect::<Vec<_>>()))
            }
            _ => None,
        });
        if let Some((id, base, heads)) = found {
            self.start_move(now, id, into, base, heads, out);
            self.progress_moves(now, out);
        }
    }

    /// Asks for the document to be stored as one whole save as soon as no
    /// write of it is pending: opening it is then one columnar load instead
    /// of applying every change chunk. For a document opened from many
    /// chunks, or from changes alone.
    pub fn compact(&mut self, addr: DocAddr) -> Vec<ClientEffect> {
        let mut out = Vec::new();
        if let Some(d) = self.docs.get_mut(&addr) {
            d.chunks = d.chunks.max(self.config.compact_every);
            self.maybe_compact(addr, &mut out);
        }
        out
    }

    /// Makes a local change with `f` in memory and writes it to the store.
    /// It is shown (`Changed`) and pushed only once that write succeeded
    /// (`Durable`); if it fails, the change is taken out again (`Discarded`).
    /// If `f` fails, what it did and did not commit itself is rolled back,
    /// so a half-made edit never rides along with the next change.
    ///
    /// # Panics
    /// If `addr` was not opened.
    pub fn change<R, Err>(
        &mut self,
        _now: Millis,
        addr: DocAddr,
        f: impl FnOnce(&mut AutoCommit) -> Result<R, Err>,
    ) -> Result<LocalChange<R>, Err> {
        // Once carried over, the old epoch takes nothing more: an edit is
        // made in the new one (see `ClientEffect::Carry`).
        let addr = match self.moves.get(&addr) {
            Some(m) if !matches!(m.stage, MoveStage::Reading) && self.docs.contains_key(&m.to) => m.to,
            _ => addr,
        };
        let state = self.docs.get_mut(&addr).expect("change on a document that is not open");
        let heads_before = state.doc.get_heads();
        let value = match f(&mut state.doc) {
            Ok(r) => r,
            Err(e) => {
                state.doc.rollback();
                return Err(e);
            }
        };
        state.doc.commit();
        if state.doc.get_heads() == heads_before {
            return Ok(LocalChange { value, bundle: None, effects: vec![] });
        }
        let bytes = state.doc.save_after(&heads_before);
        let hashes = state.doc.get_changes(&heads_before).iter().map(|c| c.hash()).collect();
        let mut id = [0u8; 16];
        self.entropy.fill(&mut id);
        let bundle_id = BundleId(id);
        state.outbox.insert(bundle_id, Outgoing { bytes: bytes.clone(), sent_at: None, stage: Stage::Writing });
        state.unsaved.push(Unsaved { bundle_id, heads_before, hashes, recovery: false });
        let mut effects = Vec::new();
        self.write(addr, Persist::Local { addr, bundle_id, bytes }, &mut effects);
        Ok(LocalChange { value, bundle: Some(bundle_id), effects })
    }

    pub fn handle(&mut self, now: Millis, event: ClientEvent) -> Vec<ClientEffect> {
        let mut out = Vec::new();
        // Writes and ticks may let a move go on.
        let event_kind = match &event {
            ClientEvent::Persisted { .. } | ClientEvent::PersistFailed { .. } | ClientEvent::Received(_) => {
                EventKind::Progress
            }
            ClientEvent::Tick => {
                for addr in std::mem::take(&mut self.undeleted) {
                    out.push(ClientEffect::DeleteEpoch { addr });
                }
                EventKind::Progress
            }
            _ => EventKind::Other,
        };
        match event {
            ClientEvent::Connected => {
                self.connected = true;
                self.handshake_at = now;
                out.push(ClientEffect::Send(ClientFrame::Hello(Hello { version: PROTOCOL_VERSION }).encode()));
            }
            ClientEvent::Disconnected => {
                self.connected = false;
                self.ready = false;
                self.challenge = None;
                self.access = Access::Unknown;
                for d in self.docs.values_mut() {
                    d.ahead.clear();
                    // An acknowledged bundle the cursor has not passed is
                    // pushed again on the next connection: the relay names
                    // where its log holds it now.
                    unack_all(d);
                    d.unknown_since = None;
                    d.owed_key = None;
                    d.subscribed_at = None;
                    d.caught_up = false;
                    d.snapshot_sent_at = None;
                    d.outbox.values_mut().for_each(|o| o.sent_at = None);
                }
            }
            ClientEvent::Tick => {
                for (&addr, d) in self.docs.iter_mut().filter(|(_, d)| d.paused) {
                    d.paused = false;
                    Self::next_write(addr, d, &mut out);
                }
                // Refused as not (yet) a member: an enrolment waiting for
                // its invitation to reach the relay, or one taken in a race
                // with this answer, or an admission on its way. Ask again
                // now and then on the same connection.
                let waiting = self.access == Access::Refused(ErrorCode::Forbidden);
                if waiting && now.saturating_sub(self.handshake_at) >= self.config.resync_every {
                    self.handshake(now, &mut out);
                    return out;
                }
                // No answer to the Hello or to the Auth (a frame lost on the
                // way, a relay that restarted): ask again.
                let unanswered = self.connected && self.access == Access::Unknown && self.identity.is_some();
                if unanswered && now.saturating_sub(self.handshake_at) >= self.config.resend_after {
                    if self.challenge.is_some() {
                        self.handshake(now, &mut out);
                    } else {
                        self.handshake_at = now;
                        out.push(ClientEffect::Send(ClientFrame::Hello(Hello { version: PROTOCOL_VERSION }).encode()));
                    }
                    return out;
                }
                // A statement the relay has not answered (the push or its
                // answer lost): hand it over again; a repeat is harmless.
                if self.ready
                    && !self.statements.is_empty()
                    && now.saturating_sub(self.statements_at) >= self.config.resend_after
                {
                    self.statements_at = now;
                    for s in &self.statements {
                        self.send_statement(s, &mut out);
                    }
                }
                if !self.may_sync() {
                    return out;
                }
                // A rotation that lost (to a retirement of a device it was
                // sealed to, or of its signer) is made again from what the
                // membership says now; none is made while one waits.
                self.rotate_keys(&mut out);
                // Now and then read the membership on from where this device
                // is (what a lost frame left out).
                if self.identity.is_some() {
                    // Sooner while a bundle waits for its signer to be read of.
                    let waits = self.docs.values().any(|d| d.unknown_since.is_some());
                    let every = if waits { self.config.resend_after } else { self.config.resync_every };
                    if now.saturating_sub(self.membership_at) >= every {
                        self.membership_at = now;
                        self.subscribe_membership(now, &mut out);
                    }
                }
                let addrs: Vec<DocAddr> = self.docs.keys().copied().collect();
                for addr in addrs {
                    self.resend(now, addr, false, &mut out);
                    let d = &self.docs[&addr];
                    let since = d.subscribed_at.map_or(Millis::MAX, |t| now.saturating_sub(t));
                    let stalled = (!d.caught_up || !d.ahead.is_empty()) && since >= self.config.resend_after;
                    // Waiting for a key it is owed: asking for the log again
                    // would only bring the same bundles (the grant comes
                    // live, with the membership log).
                    let waits = d.owed_key.is_some();
                    if d.subscribed_at.is_none() || (!waits && (stalled || since >= self.config.resync_every)) {
                        self.subscribe(now, addr, &mut out);
                    }
                }
            }
            ClientEvent::Received(bytes) => self.received(now, &bytes, &mut out),
            ClientEvent::Persisted { addr } => self.persisted(now, addr, &mut out),
            ClientEvent::PersistFailed { addr } => self.persist_failed(now, addr, &mut out),
            ClientEvent::EpochDeleted { addr } => self.epoch_deleted(addr, &mut out),
            ClientEvent::EpochDeleteFailed { addr } => {
                self.undeleted.insert(addr);
            }
        }
        if !matches!(event_kind, EventKind::Other) {
            self.progress_moves(now, &mut out);
        }
        out
    }

    /// Queues a write to the document's store; it goes out at once if no
    /// other write of the document is out.
    fn write(&mut self, addr: DocAddr, persist: Persist, out: &mut Vec<ClientEffect>) {
        let d = self.docs.get_mut(&addr).expect("open");
        d.writes.push_back(persist);
        Self::next_write(addr, d, out);
    }

    fn next_write(addr: DocAddr, d: &mut DocState, out: &mut Vec<ClientEffect>) {
        if d.writing.is_some() || d.paused {
            return;
        }
        if let Some(persist) = d.writes.pop_front() {
            debug_assert_eq!(persist.addr(), addr);
            d.writing = Some(Writing::of(&persist));
            out.push(ClientEffect::Persist(persist));
        }
    }

    /// Tells views to read the document again.
    fn announce(addr: DocAddr, d: &mut DocState, out: &mut Vec<ClientEffect>) {
        d.unshown = false;
        d.announced = sorted_heads(&mut d.doc);
        out.push(ClientEffect::Changed(addr));
    }

    fn persisted(&mut self, now: Millis, addr: DocAddr, out: &mut Vec<ClientEffect>) {
        let connected = self.may_sync();
        let Some(d) = self.docs.get_mut(&addr) else { return };
        let Some(writing) = d.writing.take() else { return };
        match writing {
            Writing::Local(bundle_id) => {
                d.chunks += 1;
                let recovery = match d.unsaved.iter().position(|u| u.bundle_id == bundle_id) {
                    Some(i) => d.unsaved.remove(i).recovery,
                    None => false,
                };
                if let Some(o) = d.outbox.get_mut(&bundle_id) {
                    o.stage = Stage::Durable;
                }
                out.push(ClientEffect::Durable { addr, bundle_id });
                if !recovery {
                    Self::announce(addr, d, out);
                }
                if connected {
                    self.push(now, addr, bundle_id, out);
                }
            }
            Writing::Remote { cursor, bytes } => {
                d.durable_cursor = cursor;
                if bytes.is_some() {
                    d.chunks += 1;
                    d.unshown = true;
                }
            }
            Writing::Acked { bundle_id, cursor } => {
                d.durable_cursor = cursor;
                if d.outbox.get(&bundle_id).is_some_and(|o| o.stage == Stage::Acked) {
                    d.outbox.remove(&bundle_id);
                }
            }
            Writing::Compact | Writing::Generation(_) => {}
        }
        self.after_write(now, addr, out);
    }

    fn persist_failed(&mut self, now: Millis, addr: DocAddr, out: &mut Vec<ClientEffect>) {
        let Some(d) = self.docs.get_mut(&addr) else { return };
        let Some(writing) = d.writing.take() else { return };
        match writing {
            Writing::Local(bundle_id) => {
                let recovery = d.unsaved.iter().any(|u| u.bundle_id == bundle_id && u.recovery);
                if recovery {
                    // Nothing of the user's is lost: the document is pushed
                    // anew at the next subscribe (after the next tick). The
                    // relay would not refuse that subscribe again (it is
                    // from 0, of no generation), so this device remembers;
                    // the generation is not forgotten on disk until then,
                    // so a restart finds the loss again.
                    d.unsaved.retain(|u| u.bundle_id != bundle_id);
                    d.outbox.remove(&bundle_id);
                    d.writes.retain(|p| !matches!(p, Persist::Generation { .. }));
                    d.owes_whole = true;
                    d.paused = true;
                    out.push(ClientEffect::Discarded { addr, bundle_id });
                    self.refetch(now, addr, writing, out);
                } else {
                    self.discard(addr, bundle_id, out);
                }
            }
            Writing::Remote { .. } | Writing::Acked { .. } => self.refetch(now, addr, writing, out),
            // The old chunks are still there: nothing is lost. Compact
            // again at the next threshold.
            Writing::Compact => {}
            // Kept in memory (it is what this device read) and written
            // again on the next tick, ahead of the rest.
            Writing::Generation(generation) => {
                d.writes.push_front(Persist::Generation { addr, generation });
                d.paused = true;
            }
        }
        self.after_write(now, addr, out);
    }

    /// After a write's result: shows stored remote changes (unless more
    /// are about to be stored), sends the next write, and compacts or
    /// uploads a snapshot once nothing is left to write.
    fn after_write(&mut self, now: Millis, addr: DocAddr, out: &mut Vec<ClientEffect>) {
        // Gone with a rewrite that could not be stored.
        let Some(d) = self.docs.get_mut(&addr) else { return };
        let more_remote = matches!(d.writes.front(), Some(Persist::Remote { bytes: Some(_), .. }));
        if d.unshown && !more_remote {
            Self::announce(addr, d, out);
        }
        Self::next_write(addr, d, out);
        if d.writing.is_none() && d.writes.is_empty() {
            debug_assert!(d.unsaved.is_empty(), "a local change with no write out");
            self.maybe_compact(addr, out);
            self.maybe_snapshot(now, addr, out);
        }
    }

    /// Takes the local change `bundle_id`, whose write failed, and every
    /// later one not stored yet (each may build on it) out of the document
    /// and the outbox, keeping everything else (remote changes that
    /// arrived meanwhile, too): the document is then what the store holds.
    fn discard(&mut self, addr: DocAddr, bundle_id: BundleId, out: &mut Vec<ClientEffect>) {
        let d = self.docs.get_mut(&addr).expect("open");
        let Some(first) = d.unsaved.iter().position(|u| u.bundle_id == bundle_id) else { return };
        // A recovery bundle made later holds none of these changes: it stays.
        let (mut gone, mut kept) = (Vec::new(), Vec::new());
        for (i, u) in d.unsaved.drain(first..).enumerate() {
            if i == 0 || !u.recovery {
                gone.push(u);
            } else {
                kept.push(u);
            }
        }
        d.unsaved.extend(kept);
        let from = gone[0].heads_before.clone();
        let drop: BTreeSet<ChangeHash> = gone.iter().flat_map(|u| u.hashes.iter().copied()).collect();
        let ids: BTreeSet<BundleId> = gone.iter().map(|u| u.bundle_id).collect();
        d.writes.retain(|p| !matches!(p, Persist::Local { bundle_id, .. } if ids.contains(bundle_id)));
        for u in &gone {
            d.outbox.remove(&u.bundle_id);
            out.push(ClientEffect::Discarded { addr, bundle_id: u.bundle_id });
        }
        // A carried change not stored: carried again (the old epoch is
        // still there).
        for m in self.moves.values_mut() {
            if matches!(m.stage, MoveStage::Storing(id) if ids.contains(&id)) {
                m.stage = MoveStage::Reading;
            }
        }
        // This device's rewrite not stored: dropped before anyone heard.
        let unstored = self
            .moves
            .iter()
            .find(|(_, m)| matches!(&m.own, Some((Some(_), id)) if ids.contains(id)))
            .map(|(from, _)| *from);
        if let Some(from) = unstored {
            let m = self.moves.remove(&from).expect("found");
            self.rotating.retain(|r| r.1 != m.to);
            self.docs.remove(&m.to);
            out.push(ClientEffect::DeleteEpoch { addr: m.to });
            let message = "the rewritten document could not be stored; nothing was sent".to_owned();
            out.push(ClientEffect::Problem(Problem::RewriteRefused { from, message }));
            return;
        }
        let d = self.docs.get_mut(&addr).expect("open");
        let mut rebuilt = without(&mut d.doc, &from, &drop, &d.waiting);
        // A view that took patches of a discarded change gets the way back
        // from its next `diff_incremental`; one that was told to read one
        // is told to read again.
        let diff_cursor = d.doc.diff_cursor();
        if !diff_cursor.is_empty() {
            let heads = rebuilt.get_heads();
            let back = d.doc.diff(&diff_cursor, &heads);
            d.stale_patches.extend(back);
            rebuilt.update_diff_cursor();
        }
        let retracted = d.announced.iter().chain(&diff_cursor).any(|h| drop.contains(h));
        d.doc = rebuilt;
        if retracted {
            Self::announce(addr, d, out);
        }
    }

    /// A write that stores a cursor (`failed`) failed: every later one
    /// would store a cursor past the changes it did not store. Drops them,
    /// goes back to the cursor the disk holds and reads the log again from
    /// there, so the changes are stored again with their cursors. An
    /// acknowledgement whose write failed or was dropped leaves its bundle
    /// in the outbox, to be pushed again.
    ///
    /// The remote changes stay in memory, and a local change may be made on
    /// top of them before the relay sends them again: stored without them,
    /// it would not load after a restart (Automerge would hold it back, and
    /// the next local change would take its actor seq). So they are stored
    /// at once, ahead of every later write, with the cursor the disk
    /// already holds.
    fn refetch(&mut self, now: Millis, addr: DocAddr, failed: Writing, out: &mut Vec<ClientEffect>) {
        let d = self.docs.get_mut(&addr).expect("open");
        let mut unacked = Vec::new();
        let mut restore = Vec::new();
        match failed {
            Writing::Remote { bytes: Some(bytes), .. } => restore.extend(bytes),
            Writing::Acked { bundle_id, .. } => unacked.push(bundle_id),
            _ => {}
        }
        d.writes.retain(|p| match p {
            Persist::Acked { bundle_id, .. } => {
                unacked.push(*bundle_id);
                false
            }
            Persist::Remote { bytes, .. } => {
                restore.extend(bytes.iter().flatten());
                false
            }
            _ => true,
        });
        if !restore.is_empty() {
            let (cursor, at) = d.durable_cursor;
            d.writes.push_front(Persist::Remote { addr, bytes: Some(restore), cursor, at });
            d.paused = true;
        }
        // Every acknowledgement not written (failed, dropped, or held until
        // the cursor passes it, whose place in `ahead` goes now) is asked
        // for again.
        for id in unacked {
            if let Some(o) = d.outbox.get_mut(&id).filter(|o| o.stage == Stage::Acked) {
                o.stage = Stage::Durable;
                o.sent_at = None;
            }
        }
        (d.cursor, d.at) = d.durable_cursor;
        d.ahead.clear();
        unack_all(d);
        d.owed_key = None;
        d.caught_up = false;
        d.subscribed_at = None;
        if self.may_sync() {
            self.subscribe(now, addr, out);
            self.resend(now, addr, false, out);
        }
    }

    fn subscribe(&mut self, now: Millis, addr: DocAddr, out: &mut Vec<ClientEffect>) {
        // Nothing for a document before the challenge is answered, nor
        // while the relay refuses this device.
        if !self.may_sync() || self.unborn(addr) {
            return;
        }
        let d = self.docs.get_mut(&addr).expect("open");
        // A cursor of no known generation (read, or cursored past by an
        // Ack, before any CaughtUp named one; or stored by a version
        // before 6): the log may have been restored since, and what this
        // device read or had acknowledged may be gone. Treated as lost:
        // the document is pushed again and the log read from 0.
        // Likewise a cursor of no known bundle (stored by a version before
        // 8): the relay could not check that its log still holds what this
        // device read there.
        if d.owes_whole || (d.cursor > Seq(0) && (d.generation.is_none() || d.at.is_none())) {
            return self.recover_lost_log(now, addr, out);
        }
        d.subscribed_at = Some(now);
        let snapshot = d.cursor >= d.refused_snapshot;
        let sub = Subscribe { addr, since: d.cursor, snapshot, generation: d.generation, at: d.at };
        out.push(ClientEffect::Send(ClientFrame::Subscribe(sub).encode()));
    }

    /// Sends stored outbox entries not sent yet, or sent longer ago than
    /// allowed (`all`: every one, as after a reconnect). An entry not
    /// stored yet is never sent: its write may still fail.
    fn resend(&mut self, now: Millis, addr: DocAddr, all: bool, out: &mut Vec<ClientEffect>) {
        if !self.may_sync() || self.unborn(addr) || self.moves.contains_key(&addr) {
            return;
        }
        let resend_after = self.config.resend_after;
        let read = self.membership_read();
        let Some(me) = &self.identity else { return };
        let d = self.docs.get_mut(&addr).expect("open");
        for (&bundle_id, o) in d.outbox.iter_mut() {
            let due = all || o.sent_at.is_none_or(|t| now.saturating_sub(t) >= resend_after);
            if due && o.stage == Stage::Durable {
                o.sent_at = Some(now);
                let kind = Kind::Bundle(bundle_id);
                let key = d.keys.newest();
                let sealed = key.seal_signed(&mut self.entropy, addr, kind, &me.key, read, &o.bytes);
                out.push(ClientEffect::Send(
                    ClientFrame::Push(Push { addr, bundle_id, key_id: key.id, sealed }).encode(),
                ));
            }
        }
    }

    /// Pushes one stored outbox entry.
    fn push(&mut self, now: Millis, addr: DocAddr, bundle_id: BundleId, out: &mut Vec<ClientEffect>) {
        if !self.may_sync() || self.unborn(addr) || self.moves.contains_key(&addr) {
            return;
        }
        let read = self.membership_read();
        let Some(me) = &self.identity else { return };
        let d = self.docs.get_mut(&addr).expect("open");
        let Some(o) = d.outbox.get_mut(&bundle_id).filter(|o| o.stage == Stage::Durable) else { return };
        o.sent_at = Some(now);
        // Sealed as it leaves, with the newest key held then: a change made
        // before a rotation and pushed after it is sealed with the new key.
        let key = d.keys.newest();
        let sealed = key.seal_signed(&mut self.entropy, addr, Kind::Bundle(bundle_id), &me.key, read, &o.bytes);
        out.push(ClientEffect::Send(ClientFrame::Push(Push { addr, bundle_id, key_id: key.id, sealed }).encode()));
    }

    /// Replaces the document's chunks by one full save once enough have
    /// piled up. Only when no write is out or waiting: then every local
    /// change in the document is stored, and the save holds none that
    /// might still be discarded.
    fn maybe_compact(&mut self, addr: DocAddr, out: &mut Vec<ClientEffect>) {
        let d = self.docs.get_mut(&addr).expect("open");
        let idle = d.writing.is_none() && d.writes.is_empty() && d.unsaved.is_empty();
        if idle && d.chunks >= self.config.compact_every {
            d.chunks = 1;
            let bytes = d.doc.save();
            self.write(addr, Persist::Compact { addr, bytes }, out);
        }
    }

    /// Uploads a snapshot if the log has grown `snapshot_every` past the
    /// newest one and no upload is waiting for its answer. An upload that
    /// got none within `resend_after` counts as lost.
    fn maybe_snapshot(&mut self, now: Millis, addr: DocAddr, out: &mut Vec<ClientEffect>) {
        let every = self.config.snapshot_every;
        let resend_after = self.config.resend_after;
        let may_sync = self.may_sync() && !self.unborn(addr) && !self.moves.contains_key(&addr);
        let read = self.membership_read();
        let Some(me) = &self.identity else { return };
        let d = self.docs.get_mut(&addr).expect("open");
        // An empty outbox also means no local change that is not stored
        // (and might be discarded) is in the document.
        let due = may_sync
            && d.caught_up
            && d.outbox.is_empty()
            && d.snapshot_sent_at.is_none_or(|t| now.saturating_sub(t) >= resend_after)
            && d.cursor >= d.relay_head
            && d.cursor.0 >= d.relay_snapshot.0 + every;
        if due {
            d.snapshot_sent_at = Some(now);
            let kind = Kind::Snapshot(d.cursor);
            let key = d.keys.newest();
            let sealed = key.seal_signed(&mut self.entropy, addr, kind, &me.key, read, &d.doc.save());
            out.push(ClientEffect::Send(
                ClientFrame::PutSnapshot(PutSnapshot { addr, covers: d.cursor, key_id: key.id, sealed }).encode(),
            ));
        }
    }

    /// Applies whatever is contiguous after the cursor, and writes it.
    /// It is shown once written. A bundle that does not open, whose
    /// signature does not hold, whose signer is no member or signed after
    /// its retirement, or that is no Automerge, is set aside (reported,
    /// and the cursor moves past it); one whose signer this device does not
    /// know yet holds the document until the membership was read on.
    fn advance(&mut self, now: Millis, addr: DocAddr, out: &mut Vec<ClientEffect>) {
        loop {
            let d = self.docs.get_mut(&addr).expect("open");
            let next = d.cursor.next();
            let Some(item) = d.ahead.remove(&next) else {
                // Nothing in line (the waiting bundle went with a resync).
                d.unknown_since = None;
                d.owed_key = None;
                break;
            };
            let (bundle_id, key_id, sealed) = match item {
                Ahead::Own(bundle_id) => {
                    d.cursor = next;
                    d.at = Some(bundle_id);
                    // The log holds it where the relay said: it leaves the
                    // outbox, with the cursor past it.
                    self.write(addr, Persist::Acked { addr, bundle_id, cursor: next, at: Some(bundle_id) }, out);
                    continue;
                }
                Ahead::Remote(bundle_id, key_id, sealed) => (bundle_id, key_id, sealed),
            };
            let opened = d.keys.open_signed(key_id, addr, Kind::Bundle(bundle_id), &sealed);
            let since = match d.unknown_since {
                Some((seq, t)) if seq == next => t,
                _ => now,
            };
            let verdict = match opened {
                // A key the membership named for this document: a rotation
                // this device was not handed its copy of yet (a coordinator
                // owes it a `Keys`). Wait for it; never set aside.
                Err(EnvelopeError::UnknownKey { .. }) if self.owed(addr, key_id) => {
                    let d = self.docs.get_mut(&addr).expect("open");
                    d.unknown_since = None;
                    d.owed_key = Some(next);
                    d.ahead.insert(next, Ahead::Remote(bundle_id, key_id, sealed));
                    break;
                }
                // Perhaps a rotation not read yet: read the membership log
                // on first, as for a signer not read of.
                Err(EnvelopeError::UnknownKey { .. }) if !self.membership_read_since(since) => {
                    let d = self.docs.get_mut(&addr).expect("open");
                    d.unknown_since = Some((next, since));
                    d.ahead.insert(next, Ahead::Remote(bundle_id, key_id, sealed));
                    break;
                }
                Err(error) => Err(Problem::Undecryptable { addr, seq: next, error }),
                // Read the membership log on first, until it was read to a
                // head the relay named well after the bundle came: then a
                // signer not found is no member, and a `read` past that head
                // claims a future no retirement can be in.
                Ok(Opened { signer, read, body }) => match self.author(signer, read) {
                    Author::Member => own_changes(addr, next, signer, body),
                    Author::Late => Err(Problem::WrittenAfterRetirement { addr, seq: next, signer }),
                    Author::Unsure if self.membership_read_since(since) => own_changes(addr, next, signer, body),
                    Author::Unknown if self.membership_read_since(since) => {
                        Err(Problem::UnknownSigner { addr, seq: next, signer })
                    }
                    Author::Unsure | Author::Unknown => {
                        let d = self.docs.get_mut(&addr).expect("open");
                        d.unknown_since = Some((next, since));
                        d.ahead.insert(next, Ahead::Remote(bundle_id, key_id, sealed));
                        break;
                    }
                },
            };
            let d = self.docs.get_mut(&addr).expect("open");
            d.unknown_since = None;
            d.owed_key = None;
            d.cursor = next;
            d.at = Some(bundle_id);
            let bytes = match verdict {
                Err(problem) => {
                    out.push(ClientEffect::Problem(problem));
                    None
                }
                Ok(body) => match apply_remote(&mut d.doc, &body, &mut d.waiting) {
                    Err(e) => {
                        out.push(ClientEffect::Problem(Problem::NotAutomerge {
                            addr,
                            seq: next,
                            error: e.to_string(),
                        }));
                        None
                    }
                    Ok(()) => Some(body),
                },
            };
            self.write(addr, Persist::Remote { addr, bytes, cursor: next, at: Some(bundle_id) }, out);
        }
        let d = self.docs.get_mut(&addr).expect("open");
        if d.cursor >= d.relay_head && d.subscribed_at.is_some() && d.relay_head > Seq(0) {
            d.caught_up = true;
        } else if d.cursor < d.relay_head {
            // A bundle the relay sent waits (for one before it, or for its
            // signer to be read of): not "synced" over it.
            d.caught_up = false;
        }
    }

    fn received(&mut self, now: Millis, bytes: &[u8], out: &mut Vec<ClientEffect>) {
        let frame = match RelayFrame::decode(bytes) {
            Ok(f) => f,
            Err(e) => return out.push(ClientEffect::Problem(Problem::Wire(e))),
        };
        match frame {
            RelayFrame::Welcome(w) => {
                self.challenge = Some(w.challenge);
                self.handshake(now, out);
            }
            RelayFrame::Authenticated(a) => {
                if self.identity.as_ref().is_some_and(|i| i.network == a.network) {
                    self.access = Access::Member(a.role);
                }
            }
            RelayFrame::Ack(a) if self.identity.as_ref().is_some_and(|i| a.addr == membership_addr(i.network)) => {
                if !self.membership_generation.matches(a.generation) && self.membership_read() > Seq(0) {
                    out.push(ClientEffect::Problem(lost_log(a.addr, self.membership_generation, a.generation)));
                    return self.recover_membership(now, out);
                }
                if !a.generation.is_none() {
                    self.membership_generation = a.generation;
                }
                let was = self.statements.len();
                let stored = self.statements.iter().find(|s| s.id() == a.bundle_id).map(Signed::encode);
                self.statements.retain(|s| s.id() != a.bundle_id);
                out.push(ClientEffect::StatementStored(a.bundle_id));
                // The relay sends a statement to every subscriber but its
                // pusher: this device's own is the log's entry at that seq,
                // or what follows it would wait for a resync.
                if let Some(bytes) = stored {
                    self.membership_bundle(now, a.seq, bytes, out);
                }
                // Refused as no member, and now the relay took one of this
                // device's statements (its enrolment, once the invitation
                // got there): answer the challenge again on this connection.
                if self.statements.len() < was && self.access == Access::Refused(ErrorCode::Forbidden) {
                    self.handshake(now, out);
                }
            }
            RelayFrame::Ack(a) => {
                let Some(d) = self.docs.get_mut(&a.addr) else { return };
                // Stored in another life of the log than the one this
                // device's cursor was read in: the log was renewed since.
                if !d.generation.matches(a.generation) {
                    out.push(ClientEffect::Problem(lost_log(a.addr, d.generation, a.generation)));
                    return self.recover_lost_log(now, a.addr, out);
                }
                // The first generation this device hears of the log: kept
                // (written ahead of the `Acked` that drops the bundle from
                // the outbox), so the bundle is pushed again if it ends.
                if d.generation.is_none() && !a.generation.is_none() {
                    d.generation = a.generation;
                    self.write(a.addr, Persist::Generation { addr: a.addr, generation: a.generation }, out);
                }
                let d = self.docs.get_mut(&a.addr).expect("open");
                // Leaves the outbox once the `Acked` write succeeded.
                if let Some(o) = d.outbox.get_mut(&a.bundle_id).filter(|o| o.stage == Stage::Durable) {
                    o.stage = Stage::Acked;
                }
                // Another bundle already came at that seq: the log this
                // device read went back and grew again.
                if d.ahead.get(&a.seq).is_some_and(|x| x.id() != a.bundle_id) {
                    return self.log_differs(now, a.addr, a.seq, out);
                }
                d.relay_head = d.relay_head.max(a.seq);
                if a.seq > d.cursor {
                    // Dropped from the outbox when the cursor gets there.
                    d.ahead.insert(a.seq, Ahead::Own(a.bundle_id));
                    self.advance(now, a.addr, out);
                } else {
                    let (cursor, at) = (d.cursor, d.at);
                    self.write(a.addr, Persist::Acked { addr: a.addr, bundle_id: a.bundle_id, cursor, at }, out);
                }
                self.maybe_snapshot(now, a.addr, out);
            }
            RelayFrame::Bundle(b) if self.identity.as_ref().is_some_and(|i| b.addr == membership_addr(i.network)) => {
                self.membership_bundle(now, b.seq, b.sealed, out);
            }
            RelayFrame::Bundle(b) => {
                let Some(d) = self.docs.get_mut(&b.addr) else { return };
                // The relay acknowledged another bundle at that seq: the log
                // went back and grew again.
                if d.ahead.get(&b.seq).is_some_and(|x| x.id() != b.bundle_id) {
                    return self.log_differs(now, b.addr, b.seq, out);
                }
                if b.seq > d.cursor {
                    d.ahead.entry(b.seq).or_insert(Ahead::Remote(b.bundle_id, b.key_id, b.sealed));
                }
                d.relay_head = d.relay_head.max(b.seq);
                self.advance(now, b.addr, out);
                self.maybe_snapshot(now, b.addr, out);
            }
            RelayFrame::Snapshot(s) => {
                let Some(d) = self.docs.get(&s.addr) else { return };
                if s.covers <= d.cursor {
                    return;
                }
                // `covers` is bound into the envelope and the signature: a
                // snapshot moved to another `covers` does not open. Its
                // signer must be a member that had not read its own
                // retirement. Nothing of a refused one is applied
                // (`apply_remote` loads it on its own first).
                let body = match d.keys.open_signed(s.key_id, s.addr, Kind::Snapshot(s.covers), &s.sealed) {
                    Err(e) => Err(SnapshotError::Envelope(e)),
                    Ok(Opened { signer, read, body }) => match self.author(signer, read) {
                        Author::Member => Ok(body),
                        Author::Late => Err(SnapshotError::WrittenAfterRetirement(signer)),
                        Author::Unsure if !self.membership_early() => Ok(body),
                        // Not worth waiting for: the log is read instead.
                        Author::Unsure | Author::Unknown => Err(SnapshotError::UnknownSigner(signer)),
                    },
                };
                let d = self.docs.get_mut(&s.addr).expect("checked");
                let opened = body.and_then(|body| match apply_remote(&mut d.doc, &body, &mut d.waiting) {
                    Ok(()) => Ok(body),
                    Err(e) => Err(SnapshotError::NotAutomerge(e.to_string())),
                });
                let plain = match opened {
                    Ok(plain) => plain,
                    Err(error) => return self.refuse_snapshot(now, s.addr, s.covers, error, out),
                };
                d.cursor = s.covers;
                d.at = s.at;
                d.relay_snapshot = d.relay_snapshot.max(s.covers);
                d.ahead = d.ahead.split_off(&s.covers.next());
                // Own bundles the snapshot passed were not seen in the log:
                // pushed again, the relay names where it holds them.
                unack_all(d);
                let write = Persist::Remote { addr: s.addr, bytes: Some(plain), cursor: s.covers, at: s.at };
                self.write(s.addr, write, out);
                self.advance(now, s.addr, out);
            }
            RelayFrame::CaughtUp(c) if self.identity.as_ref().is_some_and(|i| c.addr == membership_addr(i.network)) => {
                if !self.membership_generation.matches(c.generation) && self.membership_read() > Seq(0) {
                    out.push(ClientEffect::Problem(lost_log(c.addr, self.membership_generation, c.generation)));
                    return self.recover_membership(now, out);
                }
                if !c.generation.is_none() {
                    self.membership_generation = c.generation;
                }
                let early = self.membership_early();
                self.membership_seen = (now, self.membership_seen.1.max(c.head));
                // Read to the head at last: what a coordinator owes the
                // members, as the whole log says.
                if early && !self.membership_early() {
                    self.grant_keys(out);
                    self.rotate_keys(out);
                }
                self.advance_waiting(now, out);
            }
            RelayFrame::CaughtUp(c) => {
                let Some(d) = self.docs.get_mut(&c.addr) else { return };
                // The log was renewed since this device read it (the relay
                // checks at the subscribe; this catches a renewal while the
                // backlog was being sent, or a relay that did not check).
                if !d.generation.matches(c.generation) {
                    out.push(ClientEffect::Problem(lost_log(c.addr, d.generation, c.generation)));
                    return self.recover_lost_log(now, c.addr, out);
                }
                if d.generation != c.generation && !c.generation.is_none() {
                    d.generation = c.generation;
                    self.write(c.addr, Persist::Generation { addr: c.addr, generation: c.generation }, out);
                }
                let d = self.docs.get_mut(&c.addr).expect("open");
                d.relay_head = d.relay_head.max(c.head);
                d.relay_snapshot = d.relay_snapshot.max(c.snapshot);
                if d.cursor >= c.head {
                    d.caught_up = true;
                }
                self.maybe_snapshot(now, c.addr, out);
            }
            RelayFrame::SnapshotStored(s) => {
                let Some(d) = self.docs.get_mut(&s.addr) else { return };
                d.snapshot_sent_at = None;
                d.relay_snapshot = d.relay_snapshot.max(s.covers);
            }
            RelayFrame::Error(e) => {
                match (e.code, e.addr) {
                    (ErrorCode::CursorAhead, Some(addr)) if self.docs.contains_key(&addr) => {
                        self.recover_lost_log(now, addr, out);
                    }
                    (ErrorCode::CursorAhead, Some(addr))
                        if self.identity.as_ref().is_some_and(|i| addr == membership_addr(i.network)) =>
                    {
                        self.recover_membership(now, out);
                    }
                    // Not stored, or over the device's frame budget: again later.
                    (ErrorCode::StoreFailed | ErrorCode::OverQuota, Some(addr)) => {
                        match (self.docs.get_mut(&addr), e.bundle_id) {
                            // A push: send it again on the next tick.
                            (Some(d), Some(id)) => {
                                if let Some(o) = d.outbox.get_mut(&id) {
                                    o.sent_at = None;
                                }
                            }
                            // A snapshot or a read of the log: the upload is no
                            // longer waiting for an answer, and the relay dropped
                            // the subscription, so subscribe again on the next tick.
                            (Some(d), None) => {
                                d.snapshot_sent_at = None;
                                d.subscribed_at = None;
                            }
                            (None, _) => {}
                        }
                    }
                    // Not yet (an invitation the relay has not heard of):
                    // kept, and handed over again on the next connection.
                    (ErrorCode::Forbidden, _)
                        if e.bundle_id.is_some_and(|id| self.statements.iter().any(|s| s.id() == id)) => {}
                    (ErrorCode::Refused, Some(_))
                        if e.bundle_id.is_some_and(|id| self.lost_rotations.contains(&id)) =>
                    {
                        return;
                    }
                    (ErrorCode::Refused, Some(_)) if e.bundle_id.is_some_and(|id| self.rewriting(id).is_some()) => {
                        let id = e.bundle_id.expect("checked");
                        return self.rewrite_refused(id, e.message, out);
                    }
                    // An old epoch: the membership log says where it went
                    // (read it on now); pushes to it stop once it is read.
                    // An epoch this device left already.
                    (ErrorCode::Moved, Some(addr)) if !self.docs.contains_key(&addr) => return,
                    (ErrorCode::Moved, Some(addr)) => {
                        // A subscribe refused: the old log is deleted, there
                        // is nothing more to read.
                        if let Some(d) = self.docs.get_mut(&addr).filter(|_| e.bundle_id.is_none()) {
                            d.subscribed_at = Some(Millis::MAX / 2);
                        }
                        // Not news for the user: the move follows.
                        if !self.moves.contains_key(&addr) {
                            self.membership_at = now;
                            self.subscribe_membership(now, out);
                        }
                        return;
                    }
                    (ErrorCode::Refused, _) => {
                        if let Some(id) = e.bundle_id.filter(|id| self.statements.iter().any(|s| s.id() == *id)) {
                            self.statements.retain(|s| s.id() != id);
                            // A rotation that lost a race to another
                            // coordinator's (or to a retirement of one it
                            // sealed to): its key is never used, and the
                            // next reading of the membership rotates again
                            // if it still must. Nothing for the user.
                            if let Some(at) = self.rotating.iter().position(|r| r.0 == id) {
                                self.rotating.swap_remove(at);
                                self.lost_rotations.insert(id);
                                return;
                            }
                            let refused = Problem::StatementRefused { id, message: e.message };
                            return out.push(ClientEffect::Problem(refused));
                        }
                    }
                    // The device itself was refused (an error about one
                    // document names it): nothing more until the next
                    // connection, which may find it admitted.
                    (ErrorCode::Unauthenticated | ErrorCode::Forbidden | ErrorCode::Retired, None) => {
                        self.access = Access::Refused(e.code);
                        // Not a member, says the relay, while the membership
                        // this device read says it is one: the relay lost the
                        // statements that made it one. Handed over again, and
                        // once stored the challenge is answered again.
                        if e.code == ErrorCode::Forbidden && self.knows_itself_member() {
                            self.hand_over_again(now, out);
                        }
                    }
                    (ErrorCode::Forbidden, Some(addr)) => {
                        if let Some(d) = self.docs.get_mut(&addr) {
                            // Not asked again until the next connection.
                            d.subscribed_at = Some(Millis::MAX / 2);
                        }
                    }
                    _ => {}
                }
                out.push(ClientEffect::Problem(Problem::Relay { code: e.code, message: e.message }));
            }
        }
    }

    /// The snapshot `covers` did not open or load: it is ignored, and the
    /// device reads the log from its cursor instead (a subscribe for the
    /// log only; the bundles the relay sends after the snapshot wait in
    /// `ahead`, and the device is not caught up until its cursor reaches
    /// the head). Reported once per refused `covers`; a snapshot at or below
    /// one already refused is dropped quietly and the usual stall timer
    /// subscribes again, so a relay that keeps sending it costs one
    /// subscribe per `resend_after`, never a loop.
    fn refuse_snapshot(
        &mut self,
        now: Millis,
        addr: DocAddr,
        covers: Seq,
        error: SnapshotError,
        out: &mut Vec<ClientEffect>,
    ) {
        let d = self.docs.get_mut(&addr).expect("open");
        d.caught_up = false;
        if covers <= d.refused_snapshot {
            return;
        }
        d.refused_snapshot = covers;
        // A signer not read of yet, before the membership log was read to
        // its head, may be a member; a key newer than this device's comes
        // with a rotation: not worth the user's notice.
        let quiet = match &error {
            SnapshotError::UnknownSigner(_) => self.membership_early(),
            // Newer than any key it holds: a rotation it has not read yet
            // is likely (the snapshot and the membership log reach it
            // apart).
            SnapshotError::Envelope(EnvelopeError::UnknownKey { found, have }) => found > have,
            _ => false,
        };
        if !quiet {
            out.push(ClientEffect::Problem(Problem::SnapshotRefused { addr, covers, error }));
        }
        self.subscribe(now, addr, out);
    }

    /// The relay named two bundles at `seq` of the same generation (one it
    /// acknowledged to this device, one it sent): its log went back and
    /// grew again without a new generation.
    fn log_differs(&mut self, now: Millis, addr: DocAddr, seq: Seq, out: &mut Vec<ClientEffect>) {
        out.push(ClientEffect::Problem(Problem::Relay {
            code: ErrorCode::CursorAhead,
            message: format!(
                "the relay's log of {addr} holds another bundle at {} than it said before: the relay lost data (restored from a backup?); pushing the document again and reading the log from 0",
                seq.0
            ),
        }));
        self.recover_lost_log(now, addr, out);
    }

    /// The relay's log is shorter than what this device applied: it lost
    /// data (a restore from backup) or is another relay. Push the whole
    /// document as one bundle and read the log from the start.
    ///
    /// The bundle leaves out local changes not stored yet (they may still
    /// be discarded; each is pushed on its own once stored). It is written
    /// like any local change, and pushed once stored; if that write fails,
    /// the next subscribe (after the next tick) makes it again
    /// (`owes_whole`).
    fn recover_lost_log(&mut self, now: Millis, addr: DocAddr, out: &mut Vec<ClientEffect>) {
        let mut id = [0u8; 16];
        self.entropy.fill(&mut id);
        let bundle_id = BundleId(id);
        let d = self.docs.get_mut(&addr).expect("checked");
        d.owes_whole = false;
        d.cursor = Seq(0);
        d.at = None;
        d.generation = Generation::NONE;
        d.ahead.clear();
        unack_all(d);
        d.owed_key = None;
        d.relay_head = Seq(0);
        d.relay_snapshot = Seq(0);
        d.snapshot_sent_at = None;
        d.refused_snapshot = Seq(0);
        let changes = d.unsaved.iter().filter(|u| !u.recovery);
        let drop: BTreeSet<ChangeHash> = changes.clone().flat_map(|u| u.hashes.iter().copied()).collect();
        let bytes = match changes.clone().next() {
            None => d.doc.save(),
            Some(first) => without(&mut d.doc, &first.heads_before, &drop, &d.waiting).save(),
        };
        d.outbox.insert(bundle_id, Outgoing { bytes: bytes.clone(), sent_at: None, stage: Stage::Writing });
        d.unsaved.push(Unsaved { bundle_id, heads_before: vec![], hashes: vec![], recovery: true });
        self.write(addr, Persist::Local { addr, bundle_id, bytes }, out);
        self.write(addr, Persist::Remote { addr, bytes: None, cursor: Seq(0), at: None }, out);
        self.write(addr, Persist::Generation { addr, generation: Generation::NONE }, out);
        self.subscribe(now, addr, out);
        self.resend(now, addr, false, out);
    }
}

impl<E: Entropy> ClientCore<E> {
    /// Whether the membership this device read counts it as a current
    /// member.
    fn knows_itself_member(&self) -> bool {
        let (Some(me), Some((m, _))) = (&self.identity, &self.membership) else { return false };
        matches!(m.standing(me.key.id()), Standing::Current(_))
    }

    /// Queues every statement this device read (in the log's order, ahead
    /// of its own not stored yet) to be handed over again: the relay keeps
    /// one it has and stores one it lost.
    fn hand_over_again(&mut self, now: Millis, out: &mut Vec<ClientEffect>) {
        let mut again: Vec<Signed> =
            self.membership_log.iter().filter(|s| !self.statements.iter().any(|q| q.id() == s.id())).cloned().collect();
        if again.is_empty() {
            return;
        }
        if self.ready {
            self.statements_at = now;
            for s in &again {
                self.send_statement(s, out);
            }
        }
        again.append(&mut self.statements);
        self.statements = again;
    }

    /// The relay's membership log is shorter than what this device read,
    /// or of another generation: it lost statements. Hands every statement
    /// it read over again, then reads the log from 0.
    fn recover_membership(&mut self, now: Millis, out: &mut Vec<ClientEffect>) {
        let Some(identity) = self.identity.clone() else { return };
        self.hand_over_again(now, out);
        let statements = std::mem::take(&mut self.statements);
        self.set_identity(identity);
        self.statements = statements;
        out.push(ClientEffect::MembershipChanged);
        if self.may_sync() {
            self.membership_at = now;
            out.push(self.membership_subscribe(self.identity.as_ref().expect("set").network));
        }
    }
}

/// Every acknowledged bundle whose place in the log this device no longer
/// waits for (`ahead` was cleared or passed) is pushed again: the relay
/// answers with the seq it holds it at, or stores it anew.
fn unack_all(d: &mut DocState) {
    let waiting: BTreeSet<BundleId> = d.ahead.values().map(Ahead::id).collect();
    let writing = match &d.writing {
        Some(Writing::Acked { bundle_id, .. }) => Some(*bundle_id),
        _ => None,
    };
    let queued: BTreeSet<BundleId> = d
        .writes
        .iter()
        .filter_map(|p| match p {
            Persist::Acked { bundle_id, .. } => Some(*bundle_id),
            _ => None,
        })
        .chain(writing)
        .collect();
    for (id, o) in d.outbox.iter_mut() {
        if o.stage == Stage::Acked && !waiting.contains(id) && !queued.contains(id) {
            o.stage = Stage::Durable;
            o.sent_at = None;
        }
    }
}

/// What a device reports when the relay names another generation of a log
/// than the one its cursor was read in.
fn lost_log(addr: DocAddr, read: Generation, now: Generation) -> Problem {
    Problem::Relay {
        code: ErrorCode::CursorAhead,
        message: format!(
            "the relay's log of {addr} is of generation {now}, this device read it in generation {read}: the relay lost data (restored from a backup?); pushing the document again and reading the log from 0"
        ),
    }
}

impl<E: Entropy> ClientCore<E> {
    /// Merges chunks that another tab of this device already persisted
    /// (so nothing is written again and nothing is pushed: that tab does it).
    pub fn merge_stored(&mut self, addr: DocAddr, chunks: &[Vec<u8>]) -> Vec<ClientEffect> {
        let Some(d) = self.docs.get_mut(&addr) else { return vec![] };
        let before = d.doc.get_heads();
        for chunk in chunks {
            if let Err(e) = d.doc.load_incremental(chunk) {
                return vec![ClientEffect::Problem(Problem::NotAutomerge {
                    addr,
                    seq: d.cursor,
                    error: e.to_string(),
                })];
            }
            note_waiting(&mut d.doc, chunk, &mut d.waiting);
        }
        d.chunks += chunks.len();
        let mut out = vec![];
        if d.doc.get_heads() != before {
            Self::announce(addr, d, &mut out);
        }
        out
    }
}

/// The next epoch of `addr`'s document.
fn to_of(addr: DocAddr) -> DocAddr {
    DocAddr { doc: addr.doc, epoch: crate::ids::Epoch(addr.epoch.0.saturating_add(1)) }
}

/// Moving a document to a new epoch (see docs/protocol.md, "Moving a
/// document to a new epoch").
impl<E: Entropy> ClientCore<E> {
    /// On a coordinator's device: moves the document at `from` (its current
    /// epoch, open and settled: nothing unstored, nothing unacknowledged)
    /// into its next epoch, whose first bundle is `rewritten` (the model's
    /// `erasure::rewrite` of the document as it is now). Signs the
    /// `Rewrite` (a new key sealed to every member that may use the
    /// document; the document's heads and cursor as its base; `deadline`
    /// in Unix seconds) and hands it over; the new epoch is written to the
    /// store at once (`Moving`, then `Persist`s of `to`) but pushed only
    /// once the relay stored the statement. Then `from` is deleted
    /// (`DeleteEpoch`). From now on the app edits `to` (`change` on `from`
    /// goes there). The statement is handed over once the rewritten
    /// document is stored (`StatementMade`: the app keeps it until
    /// `StatementStored`); if that write fails, the rewrite is dropped
    /// (`RewriteRefused`) and may be made again.
    pub fn rewrite(
        &mut self,
        _now: Millis,
        from: DocAddr,
        rewritten: AutoCommit,
        deadline: u64,
    ) -> Result<Rewritten, RewriteError> {
        let (Some(me), Some((m, _))) = (&self.identity, &self.membership) else {
            return Err(RewriteError::NotCoordinator);
        };
        if m.standing(me.key.id()) != Standing::Current(Role::Coordinator) || self.membership_early() {
            return Err(RewriteError::NotCoordinator);
        }
        // A leftover of a rewrite that never left is deleted first.
        if self.docs.contains_key(&to_of(from)) {
            return Err(RewriteError::Moving(from));
        }
        let d = self.docs.get_mut(&from).ok_or(RewriteError::NotOpen(from))?;
        if from.epoch != m.current_epoch(from.doc) {
            return Err(RewriteError::NotCurrent(from));
        }
        if self.moves.contains_key(&from) {
            return Err(RewriteError::Moving(from));
        }
        let settled = d.writing.is_none() && d.writes.is_empty() && d.unsaved.is_empty() && d.outbox.is_empty();
        if !settled {
            return Err(RewriteError::NotSettled(from));
        }
        if Some(d.keys.newest().id) != m.current_key(from) {
            return Err(RewriteError::NoKey(from));
        }
        let to = to_of(from);
        let Some(key) = d.keys.newest().next(&mut self.entropy) else { return Err(RewriteError::NoKey(from)) };
        let heads = d.doc.get_heads();
        let base = d.cursor;
        let actor = d.doc.get_actor().clone();
        let members: Vec<(DeviceId, crate::membership::AgreementKey)> = m
            .members()
            .iter()
            .filter(|(id, _)| m.may_use(**id, from.doc))
            .filter_map(|(id, member)| Some((*id, member.agreement?)))
            .collect();
        let mut out = Vec::new();
        let (sealed, left_out) = seal_rotation(&mut self.entropy, me.network, to, &key, &members);
        for (device, error) in left_out {
            out.push(ClientEffect::Problem(Problem::KeysUnsealable { device, error }));
        }
        let Statement::Rotate { grant, to: wrapped } = sealed else { unreachable!("seal_rotation makes a Rotate") };
        let heads_bytes = heads.iter().map(|h| h.0).collect();
        let stmt = Statement::Rewrite { grant, to: wrapped, base, heads: heads_bytes, deadline };
        let signed = me.key.sign(me.network, stmt);
        let id = signed.id();
        self.rotating.push((id, to, key.clone()));
        // The new epoch, stored now as this device's own whole document.
        let mut doc = rewritten.with_actor(actor);
        let bytes = doc.save();
        self.docs.insert(to, Self::fresh_doc(doc, Keyring::new(key.clone())));
        let mut bundle = [0u8; 16];
        self.entropy.fill(&mut bundle);
        let bundle_id = BundleId(bundle);
        let d = self.docs.get_mut(&to).expect("inserted");
        d.outbox.insert(bundle_id, Outgoing { bytes: bytes.clone(), sent_at: None, stage: Stage::Writing });
        // If its write fails, `discard` drops the rewrite.
        d.unsaved.push(Unsaved { bundle_id, heads_before: vec![], hashes: vec![], recovery: false });
        let own = Some((Some(signed), bundle_id));
        self.moves.insert(from, Move { to, base, heads, stage: MoveStage::Rewriting(id, false), own });
        out.push(ClientEffect::Moving { from, to });
        // Kept by the app with the new epoch, before anything else of it.
        out.push(ClientEffect::KeysGranted(vec![(to, key)]));
        self.write(to, Persist::Local { addr: to, bundle_id, bytes }, &mut out);
        Ok(Rewritten { to, effects: out })
    }

    /// Carries this device's own changes to the old epoch `from` that the
    /// rewrite does not include into the new epoch, with `carrier` (the
    /// model's carry-over, which drops writes about erased records): one
    /// local change of the new epoch, stored and pushed as any. Once it is
    /// stored, `from` is deleted (`DeleteEpoch`) and, when the app says it
    /// did, this device signs `Moved`. Only after a `Carry` effect; a call
    /// at another time does nothing. If `carrier` fails, nothing is
    /// written and `Carry` comes again at the next tick.
    pub fn carry<Err>(
        &mut self,
        now: Millis,
        from: DocAddr,
        carrier: impl FnOnce(Carrying<'_>) -> Result<(), Err>,
    ) -> Result<Vec<ClientEffect>, Err> {
        let Some(m) = self.moves.get(&from).filter(|m| m.stage == MoveStage::Carry) else { return Ok(vec![]) };
        let (to, base) = (m.to, m.heads.clone());
        let Some(old) = self.docs.get(&from) else { return Ok(vec![]) };
        let mut old = old.doc.clone();
        let me = old.get_actor().clone();
        let own: Vec<ChangeHash> =
            old.get_changes(&base).iter().filter(|c| *c.actor_id() == me).map(|c| c.hash()).collect();
        let change = self.change(now, to, |new| carrier(Carrying { old: &mut old, base: &base, own: &own, new }));
        let change = match change {
            Ok(change) => change,
            Err(e) => {
                self.moves.get_mut(&from).expect("checked").stage = MoveStage::Reading;
                return Err(e);
            }
        };
        let mut out = change.effects;
        self.moves.get_mut(&from).expect("checked").stage = match change.bundle {
            Some(id) => MoveStage::Storing(id),
            None => MoveStage::Storing(BundleId([0; 16])),
        };
        self.progress_moves(now, &mut out);
        Ok(out)
    }

    /// A document's state with nothing read of its log yet (an epoch this
    /// device starts, empty or its own rewrite; `open` fills in what the
    /// store holds).
    fn fresh_doc(mut doc: AutoCommit, keys: Keyring) -> DocState {
        DocState {
            keys,
            announced: sorted_heads(&mut doc),
            cursor: Seq(0),
            at: None,
            generation: Generation::NONE,
            durable_cursor: (Seq(0), None),
            writes: VecDeque::new(),
            writing: None,
            paused: false,
            owes_whole: false,
            unsaved: Vec::new(),
            unshown: false,
            stale_patches: Vec::new(),
            waiting: Vec::new(),
            doc,
            ahead: BTreeMap::new(),
            outbox: BTreeMap::new(),
            subscribed_at: None,
            caught_up: false,
            relay_head: Seq(0),
            relay_snapshot: Seq(0),
            snapshot_sent_at: None,
            refused_snapshot: Seq(0),
            unknown_since: None,
            owed_key: None,
            chunks: 0,
        }
    }

    /// Whether `addr` is the new epoch of this device's own rewrite whose
    /// statement is not stored yet: nothing of it goes to the relay.
    fn unborn(&self, addr: DocAddr) -> bool {
        self.moves.values().any(|m| m.to == addr && matches!(m.stage, MoveStage::Rewriting(_, false)))
    }

    /// The old epoch of this device's rewrite whose statement is `id`.
    fn rewriting(&self, id: BundleId) -> Option<DocAddr> {
        self.moves.iter().find(|(_, m)| matches!(m.stage, MoveStage::Rewriting(r, _) if r == id)).map(|(a, _)| *a)
    }

    /// This device's rewrite lost: the new epoch goes, the old stays.
    fn rewrite_refused(&mut self, id: BundleId, message: String, out: &mut Vec<ClientEffect>) {
        let Some(from) = self.rewriting(id) else { return };
        let m = self.moves.remove(&from).expect("found");
        self.statements.retain(|s| s.id() != id);
        self.rotating.retain(|r| r.0 != id);
        self.lost_rotations.insert(id);
        self.docs.remove(&m.to);
        self.granted.retain(|(a, _)| *a != m.to);
        out.push(ClientEffect::DeleteEpoch { addr: m.to });
        out.push(ClientEffect::Problem(Problem::RewriteRefused { from, message }));
    }

    /// A `Rewrite` into `to` was read (statement `id`): the move of the
    /// document's older epoch, if this device has it open, starts (or, for
    /// this device's own, its statement is stored). If the old epoch is not
    /// open but the new one is, its store no longer holds the old one
    /// (deleted before a restart): this device says it moved.
    fn start_move(
        &mut self,
        now: Millis,
        id: BundleId,
        to: DocAddr,
        base: Seq,
        heads: Vec<ChangeHash>,
        out: &mut Vec<ClientEffect>,
    ) {
        let Some(epoch) = to.epoch.0.checked_sub(1) else { return };
        let from = DocAddr { doc: to.doc, epoch: crate::ids::Epoch(epoch) };
        if let Some(m) = self.moves.get_mut(&from) {
            if m.stage == MoveStage::Rewriting(id, false) {
                m.stage = MoveStage::Rewriting(id, true);
                if self.may_sync() {
                    self.subscribe(now, to, out);
                    self.resend(now, to, true, out);
                }
            }
            return;
        }
        if self.docs.contains_key(&from) {
            self.moves.insert(from, Move { to, base, heads, stage: MoveStage::Reading, own: None });
            out.push(ClientEffect::Moving { from, to });
            self.open_new_epochs(now, out);
        } else if self.docs.contains_key(&to) {
            self.say_moved(to, out);
        }
    }

    /// Opens the new epoch of every move whose key this device holds by
    /// now (empty: its log brings the rewrite).
    fn open_new_epochs(&mut self, now: Millis, out: &mut Vec<ClientEffect>) {
        let waiting: Vec<(DocAddr, DocAddr)> =
            self.moves.iter().filter(|(_, m)| !self.docs.contains_key(&m.to)).map(|(f, m)| (*f, m.to)).collect();
        for (from, to) in waiting {
            let keys = self.granted.iter().filter(|(a, _)| *a == to).map(|(_, k)| k.clone());
            let Some(keys) = Keyring::of(keys) else { continue };
            let actor = self.docs[&from].doc.get_actor().clone();
            self.docs.insert(to, Self::fresh_doc(AutoCommit::new().with_actor(actor), keys));
            if self.may_sync() {
                self.subscribe(now, to, out);
            }
        }
    }

    /// Moves every document on that can: asks for the carry once the old
    /// epoch is read to the base and the new one holds the rewrite, and
    /// deletes the old epoch once what was carried is stored.
    fn progress_moves(&mut self, _now: Millis, out: &mut Vec<ClientEffect>) {
        // An epoch past the document's current one that no move names: a
        // rewrite of this device whose statement never left (a restart
        // before its document was stored). Nobody else has it.
        if let Some((m, _)) = self.membership.as_ref().filter(|_| !self.membership_early()) {
            let leftovers: Vec<DocAddr> = self
                .docs
                .keys()
                .filter(|a| a.epoch > m.current_epoch(a.doc) && a.epoch != crate::membership::MEMBERSHIP_EPOCH)
                .filter(|a| !self.moves.values().any(|mv| mv.to == **a))
                .copied()
                .collect();
            for addr in leftovers {
                self.docs.remove(&addr);
                self.granted.retain(|(a, _)| *a != addr);
                out.push(ClientEffect::DeleteEpoch { addr });
            }
        }
        // This device's rewrite, its document stored: the statement goes.
        let ready: Vec<DocAddr> = self
            .moves
            .iter()
            .filter(|(_, m)| match &m.own {
                Some((Some(_), id)) => self.docs[&m.to].outbox.get(id).is_some_and(|o| o.stage != Stage::Writing),
                _ => false,
            })
            .map(|(from, _)| *from)
            .collect();
        for from in ready {
            let own = self.moves.get_mut(&from).and_then(|m| m.own.as_mut()).expect("listed");
            let signed = own.0.take().expect("listed");
            out.push(ClientEffect::StatementMade(signed.clone()));
            out.extend(self.queue_statement(signed));
        }
        let froms: Vec<DocAddr> = self.moves.keys().copied().collect();
        for from in froms {
            let m = &self.moves[&from];
            let idle = |d: &DocState| d.writing.is_none() && d.writes.is_empty() && d.unsaved.is_empty();
            let next = match m.stage {
                // Deleted with no write of it out (the store finishes
                // writes in order, but its answer would find nothing).
                MoveStage::Rewriting(_, true) => {
                    let to = &self.docs[&m.to];
                    let old_idle = self.docs.get(&from).is_none_or(idle);
                    (old_idle && to.outbox.values().all(|o| o.stage != Stage::Writing)).then_some(MoveStage::Deleting)
                }
                MoveStage::Reading => {
                    let (to, base, heads) = (m.to, m.base, m.heads.clone());
                    let Some(old) = self.docs.get_mut(&from) else { continue };
                    let read = old.cursor >= base && heads.iter().all(|h| old.doc.get_change_by_hash(h).is_some());
                    let old_idle = idle(old);
                    let Some(new) = self.docs.get_mut(&to) else { continue };
                    // Every change in the new log depends on the rewrite,
                    // so a new document with any change and none waiting
                    // for a dependency holds it.
                    let rewritten = new.cursor > Seq(0)
                        && !new.doc.get_heads().is_empty()
                        && new.doc.get_missing_deps(&[]).is_empty();
                    (read && rewritten && old_idle && idle(new)).then_some(MoveStage::Carry)
                }
                MoveStage::Storing(_) if !self.docs.get(&from).is_none_or(idle) => None,
                MoveStage::Storing(id) => {
                    let to = &self.docs[&m.to];
                    // Gone from the outbox: acknowledged (a failed write
                    // sends the move back to `Reading`, see `discard`).
                    match to.outbox.get(&id) {
                        Some(o) if o.stage == Stage::Writing => None,
                        _ => Some(MoveStage::Deleting),
                    }
                }
                MoveStage::Carry | MoveStage::Deleting | MoveStage::Rewriting(_, false) => None,
            };
            let Some(next) = next else { continue };
            let m = self.moves.get_mut(&from).expect("listed");
            m.stage = next;
            match next {
                MoveStage::Carry => out.push(ClientEffect::Carry { from, to: m.to }),
                MoveStage::Deleting => {
                    self.docs.remove(&from);
                    self.granted.retain(|(a, _)| *a != from);
                    out.push(ClientEffect::DeleteEpoch { addr: from });
                }
                _ => {}
            }
        }
    }

    /// The store deleted `addr`: a move from it is done, and this device
    /// says so (unless it rewrote the document: then it moved with its
    /// statement).
    fn epoch_deleted(&mut self, addr: DocAddr, out: &mut Vec<ClientEffect>) {
        let Some(m) = self.moves.get(&addr).filter(|m| m.stage == MoveStage::Deleting) else { return };
        let to = m.to;
        self.moves.remove(&addr);
        self.say_moved(to, out);
    }

    /// Signs and hands over `Moved` for `to`, if this device owes it.
    fn say_moved(&mut self, to: DocAddr, out: &mut Vec<ClientEffect>) {
        let (Some(me), Some((m, _))) = (&self.identity, &self.membership) else { return };
        let owes =
            m.epoch_move(to).is_some_and(|mv| mv.owed.contains(&me.key.id()) && !mv.moved.contains(&me.key.id()));
        if owes {
            let signed = me.key.sign(me.network, Statement::Moved { addr: to });
            out.extend(self.queue_statement(signed));
        }
    }
}
