//! What the page and the engine worker say to each other: postcard bytes in
//! a `Uint8Array`, one message per `postMessage`, in order.
//!
//! The page never holds a document: it sends records to save as
//! [`Edit`]s and hears back rows ([`FromEngine::Update`]) for the records a
//! change touched. Both sides are built from the same commit, but a first
//! visit can fetch one before a deploy and the other after it:
//! [`PROTOCOL`] is checked on start.

use lotse_model::device_status::DeviceStatus;
use lotse_model::erasure::ErasedIds;
use lotse_model::export::{Export, PinError, Pinned};
use lotse_model::forms::Stamp;
use lotse_model::import::{ImportError, Preview, Target};
use lotse_model::review::{ReviewPage, ReviewQuery};
use lotse_model::{Community, CommunityId, Edit, HistoryEntry, Mentor};
use lotse_sync::membership::Role;
use lotse_sync::{DocAddr, DocumentId};
use serde::{Deserialize, Serialize};

use crate::device::{Device, Membership};
use crate::store::StoreError;

/// Bump whenever a message changes shape.
pub const PROTOCOL: u32 = 14;

/// What the status line shows.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum SyncState {
    Offline {
        pending: usize,
    },
    Connecting {
        pending: usize,
    },
    Syncing,
    Pending(usize),
    /// Milliseconds since the epoch of the last moment all was on the relay.
    Synced(f64),
    /// Connected, but the relay does not let this device sync (see
    /// [`Admission`]).
    Refused {
        pending: usize,
    },
}

impl SyncState {
    pub fn code(self) -> &'static str {
        match self {
            SyncState::Offline { .. } => "offline",
            SyncState::Connecting { .. } => "connecting",
            SyncState::Syncing => "syncing",
            SyncState::Pending(_) => "pending",
            SyncState::Synced(_) => "synced",
            SyncState::Refused { .. } => "refused",
        }
    }
}

/// Whether the relay lets this device sync, as the page says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Admission {
    /// Not connected, or no answer yet.
    #[default]
    Unknown,
    /// A current member of the network.
    Member,
    /// A current member that holds no key of some of its documents yet:
    /// a coordinator's device hands them over when it is next online.
    AwaitingKeys,
    /// Not admitted yet, and this device's enrolment waits for the
    /// invitation to reach the relay (the coordinator's device made it
    /// offline).
    Waiting,
    /// Not a member, and no enrolment of this device is waiting.
    NotAdmitted,
    /// A coordinator removed this device from the network.
    Retired,
    /// This device's enrolment was refused: its invitation was used by
    /// another device or expired.
    InvitationRefused,
}

impl Admission {
    pub fn code(self) -> &'static str {
        match self {
            Admission::Unknown => "unknown",
            Admission::Member => "member",
            Admission::AwaitingKeys => "awaiting-keys",
            Admission::Waiting => "waiting",
            Admission::NotAdmitted => "not-admitted",
            Admission::Retired => "retired",
            Admission::InvitationRefused => "invitation-refused",
        }
    }
}

/// What the engine tells the page of this device's place in the network.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Access {
    /// This device's Automerge actor (hex): its public key, so that the
    /// signature on what it sends vouches for the author of each change
    /// (see `lotse_sync::chunks::foreign_author`). What its mentor profile
    /// names, for history.
    pub actor: String,
    pub admission: Admission,
    /// The statements this device signed (invitations, its enrolment) that
    /// the relay has not stored yet, by id.
    pub pending: Vec<[u8; 16]>,
    /// Those the relay refused since the engine started, by id.
    pub refused: Vec<[u8; 16]>,
    /// Every device of the network, as far as this device has read the
    /// membership log (empty until it has), in the order they joined.
    pub devices: Vec<NetworkDevice>,
    /// Invitations not used yet and not expired.
    pub invitations: Vec<OpenInvitation>,
    /// `devices` and `invitations` are as this device last read them (kept
    /// on it), not read from the relay since this start: offline, or not
    /// yet connected.
    pub remembered: bool,
    /// Documents this coordinator's device was handed the key of but does
    /// not sync yet: communities made on another coordinator's device (or
    /// all but the first, on a device that joined as a coordinator). The
    /// page adds each once the network document names its community.
    pub unsynced: Vec<DocumentId>,
    /// Every move of a document this device holds into a new epoch (an
    /// erasure), as the membership log says: who has moved.
    pub moves: Vec<EpochMove>,
    /// The erasures this coordinator's device made (kept on it).
    pub receipts: Vec<Receipt>,
}

/// Why a device was wiped: its keys and documents are gone, and it must be
/// set up or join again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum WipeReason {
    /// Too many wrong PINs (the app lock).
    WrongPins,
    /// It did not move to a document's new epoch before an erasure's
    /// deadline: the relay refuses it, and it still held what was erased.
    LeftBehind,
}

/// Why an erasure did not start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum EraseRefused {
    #[error("only a coordinator's device erases")]
    NotCoordinator,
    /// The document has changes not sent yet, or this device has not read
    /// the network's membership or keys to the end: sync first.
    #[error("this device must be synced first")]
    NotSynced,
    /// The document is moving to a new epoch already.
    #[error("an erasure of this document is under way")]
    Busy,
    #[error("the erasure failed: {0}")]
    Failed(String),
}

/// A document's move into a new epoch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EpochMove {
    pub doc: DocumentId,
    /// The epoch moved to.
    pub to: u32,
    /// Unix seconds: the relay deletes the old epoch then at the latest
    /// (earlier once every device moved) and refuses those that did not.
    pub deadline: u64,
    /// The devices that had to move.
    pub devices: Vec<MovedDevice>,
    /// This device made it.
    pub this_device: bool,
}

/// One device a move waits for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MovedDevice {
    pub key: [u8; 32],
    pub state: MoveState,
    /// What it wrote offline about the erased person and dropped when it
    /// moved, by collection name (counts only).
    pub dropped: Vec<(String, usize)>,
}

/// Where a device stands in a move (or, on the page, in all of a
/// receipt's moves).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MoveState {
    Moved,
    /// Not moved, and still a member the move waits for.
    Waiting,
    /// Not moved, and no longer waited for: removed from the network.
    Gone,
}

impl MoveState {
    /// A receipt's device says it as `data-state` (the end-to-end tests
    /// read it).
    pub fn code(self) -> &'static str {
        match self {
            MoveState::Moved => "moved",
            MoveState::Waiting => "waiting",
            MoveState::Gone => "gone",
        }
    }
}

/// What one erasure request did, kept by the device that made it: counts
/// and dates, nothing that names the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// When the person asked (the date the coordinator entered).
    pub requested_on: String,
    /// When the erasure was made (ms since the epoch).
    pub made_at: u64,
    /// Records removed, by collection name.
    pub removed: Vec<(String, usize)>,
    /// Records kept that lost their link to the person (training places).
    pub unlinked: Vec<(String, usize)>,
    pub deadline: u64,
    /// The documents rewritten, each with the epoch it moved to.
    pub moves: Vec<(DocumentId, u32)>,
    /// When this device first read that a device had moved every document
    /// (ms since the epoch), by its public key.
    pub seen_moved: Vec<([u8; 32], u64)>,
    /// When this device first read that no move waits for any device: the
    /// relay deletes the old epochs then (ms since the epoch).
    pub seen_done: Option<u64>,
}

/// A device of the network, from the membership's fold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkDevice {
    /// Its public key.
    pub key: [u8; 32],
    pub role: Role,
    /// The community documents named for it (a coordinator uses all).
    pub docs: Vec<DocumentId>,
    /// The seq of the membership statement that made it a member.
    pub joined: Option<u64>,
    pub retired: bool,
    /// The public key of the invitation it enrolled with.
    pub invite: Option<[u8; 32]>,
    pub this_device: bool,
    /// A retirement of it, signed on this device, waits to reach the relay.
    pub retiring: bool,
    /// What the device last wrote of itself into the network document
    /// (none yet: it never finished a sync, or runs an older app).
    pub status: Option<DeviceStatus>,
}

/// An invitation that may still be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenInvitation {
    /// Its public key.
    pub key: [u8; 32],
    pub role: Role,
    pub docs: Vec<DocumentId>,
    /// Unix seconds.
    pub expires: u64,
}

/// Why a device was not retired.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum RetireError {
    #[error("only a coordinator's device removes devices")]
    NotCoordinator,
    #[error("this device cannot remove itself")]
    ThisDevice,
    #[error("the network's last coordinator cannot be removed")]
    LastCoordinator,
    #[error("the device is not a member of the network")]
    NotMember,
    #[error("the device is already removed")]
    AlreadyRetired,
    #[error("the removal could not be kept on this device: {0}")]
    Store(String),
}

/// A new invitation: the one-time secret the join link carries (the
/// coordinator's device does not keep it), the id of the signed invitation
/// (to follow it in [`Access`]) and when it expires (Unix seconds).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invited {
    pub secret: [u8; 32],
    /// The invitation's public key (what the device that takes it enrols
    /// with, and what the network document names the person by).
    pub invite: [u8; 32],
    pub statement: [u8; 16],
    pub expires: u64,
}

/// Why an edit was not saved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum SaveError {
    /// The edit itself failed (the record could not be written); nothing
    /// of it was kept.
    #[error("the record could not be written: {0}")]
    Model(String),
    /// The edit was made but could not be stored on the device.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// This device does not sync that document.
    #[error("this device does not hold the document {0}")]
    NotOpen(DocAddr),
    /// The engine stopped before it answered (it is restarted); whether the
    /// edit was stored is not known.
    #[error("the notebook's engine stopped before it answered")]
    Stopped,
}

/// Something the mentor should hear about; nothing was lost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Trouble {
    /// A change could not be decrypted: it was skipped.
    Undecryptable,
    /// A change decrypted but was not a change: it was skipped.
    NotAutomerge,
    /// A change was signed by no member, or by a removed device after its
    /// removal (or its signature did not hold): it was skipped.
    Unsigned,
    /// The relay refused something, or sent what is not a frame.
    Relay(String),
}

/// What the engine reflects of one document on the page: the heads of the
/// rows it shows, or nothing (the page waits for the whole document).
pub type Reflects = Vec<(DocAddr, Option<Vec<[u8; 32]>>)>;

/// Per document: its heads and the store's chunk keys that hold them.
pub type Stamps = Vec<(DocAddr, Vec<[u8; 32]>, Vec<(f64, f64)>)>;

/// Page → engine.
#[derive(Debug, Serialize, Deserialize)]
pub enum ToEngine {
    /// Start syncing `device`'s documents. `reflects` says what the page
    /// shows of each, so the engine sends only what is newer. `demo`: merge
    /// the data of [`ToEngine::MakeDemo`] first. `enrol`: the one-time
    /// secret of the invitation this device joined with, if its enrolment
    /// is not kept yet (see [`ToEngine::Enrol`]): signed and kept before
    /// the engine first answers the relay's challenge, so that answer
    /// counts.
    Start { protocol: u32, device: Device, reflects: Reflects, demo: bool, online: bool, enrol: Option<[u8; 32]> },
    /// A coordinator's device holds these communities from now on (it
    /// learnt of them, or made one; the page saved the device first): the
    /// engine syncs their documents, and this page is sent their rows, with
    /// no restart. Answered by [`FromEngine::Held`].
    Hold { req: u32, communities: Vec<Membership> },
    /// Write `edit` into `addr`'s document; answered by
    /// [`FromEngine::Saved`] once it is durable (or was discarded).
    Save { req: u32, addr: DocAddr, edit: Edit, now_ms: i64 },
    /// A record's history; answered by [`FromEngine::History`].
    History { req: u32, addr: DocAddr, collection: String, key: String },
    /// The changes of `addr`'s document a query asks for; answered by
    /// [`FromEngine::Review`].
    Review { req: u32, addr: DocAddr, query: ReviewQuery },
    /// Make the demo data (before [`ToEngine::Start`]); answered by
    /// [`FromEngine::Demo`] with the people the device must hold.
    /// `size`: see `lotse_model::demo::DemoSize::named`.
    MakeDemo { req: u32, size: String, seed: u64, today: String, actor: [u8; 16] },
    /// The page became visible: sync now.
    Visible,
    /// The page's browser went online or offline (a worker may not see it).
    Online(bool),
    /// The page could not use its stored rows of this document after all:
    /// send it whole.
    Whole(DocAddr),
    /// A coordinator invites a mentor to `community`, or a coordinator
    /// (`role`), for `valid_for` seconds; answered by [`FromEngine::Invited`].
    Invite { req: u32, valid_for: u64, community: [u8; 16], role: Role },
    /// This device joined with an invitation whose one-time secret this is:
    /// sign the enrolment with it and keep it until the relay takes it;
    /// answered by [`FromEngine::Enrolled`] once kept (the page then forgets
    /// the secret).
    Enrol { secret: [u8; 32] },
    /// A coordinator removes the device with this public key from the
    /// network; answered by [`FromEngine::Retired`] once the signed
    /// retirement is kept on this device (it reaches the relay when online).
    Retire { req: u32, device: [u8; 32] },
    /// `text` (a join link) as a QR code; answered by [`FromEngine::Qr`].
    Qr { req: u32, text: String },
    /// A CSV file checked as an import; answered by [`FromEngine::Import`].
    /// Read in the worker, for the page's bytes.
    Import { req: u32, check: Box<ImportCheck> },
    /// An export's report counted again from the documents at its heads;
    /// answered by [`FromEngine::Pinned`]. The engine only forks the
    /// documents: the counting is `lotse_model::export::count`.
    Pinned { req: u32, export: Box<Export> },
    /// The app lock is on: open this device's keys with `pin`, before
    /// [`ToEngine::Start`]; answered by [`FromEngine::Unlocked`]. Checked
    /// by the worker the page talks to, whatever its role.
    Unlock { req: u32, pin: String },
    /// Turns the app lock on or off or changes its PIN; answered by
    /// [`FromEngine::LockChanged`].
    SetLock { req: u32, change: PinChange },
    /// A coordinator erases the records `erased` (the model's plan for one
    /// person, or several) from the documents `addrs`: each is rewritten
    /// into a new epoch that every device moves to within `deadline_days`
    /// (the network document too where `unlinked` training places name
    /// the person). Answered by [`FromEngine::Erased`] once the rewrites
    /// are made and the receipt is kept.
    Erase {
        req: u32,
        addrs: Vec<DocAddr>,
        erased: ErasedIds,
        unlinked: ErasedIds,
        requested_on: String,
        deadline_days: u32,
    },
}

/// What the person using the device does with the app lock.
#[derive(Debug, Serialize, Deserialize)]
pub enum PinChange {
    Set { pin: String },
    Change { old: String, new: String },
    Remove { pin: String },
}

/// Why the app lock did not open or change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum PinRefused {
    #[error("a PIN is 6 to 32 digits")]
    NotAPin,
    /// Counted: this many tries are left before the device is wiped.
    #[error("the PIN is wrong ({left} tries left)")]
    Wrong { left: u32 },
    /// That was the last try: the device was wiped.
    #[error("too many wrong PINs: the device was wiped")]
    Wiped,
    /// Turned on already (set), or not on (change, remove).
    #[error("the app lock is not in the state this asks for")]
    NotNow,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What an import is checked with (see `lotse_model::import::preview`).
#[derive(Debug, Serialize, Deserialize)]
pub struct ImportCheck {
    pub file: Vec<u8>,
    pub target: Target,
    /// Every translation of each label key of `lotse_model::import::label_keys`.
    pub words: Vec<(String, Vec<String>)>,
    /// The communities rows may name, with their names.
    pub communities: Vec<(CommunityId, String)>,
    pub default_community: CommunityId,
    pub stamp: Stamp,
}

/// Engine → page.
#[derive(Debug, Serialize, Deserialize)]
pub enum FromEngine {
    /// The engine's code is running and listens (messages sent earlier are
    /// lost, so the page waits for this).
    Loaded {
        protocol: u32,
    },
    /// The store could not be opened.
    Failed(StoreError),
    /// Rows of the records of `addr`'s document that changed (or all of
    /// them): see `lotse_model::Notebook::apply_update`.
    Update {
        addr: DocAddr,
        bytes: Vec<u8>,
    },
    /// A document was loaded into the engine.
    Opened(DocAddr),
    /// The store holds everything the engine has in memory; for each
    /// document, its heads and the chunk keys they are in: the page may
    /// store its rows with that stamp if it shows exactly those heads.
    Idle {
        stamps: Stamps,
    },
    Status(SyncState),
    Trouble(Trouble),
    /// The communities of [`ToEngine::Hold`] are synced (or could not be:
    /// the page keeps them saved, and the next start holds them).
    Held {
        req: u32,
        result: Result<(), StoreError>,
    },
    Saved {
        req: u32,
        result: Result<(), SaveError>,
    },
    History {
        req: u32,
        entries: Vec<HistoryEntry>,
    },
    Review {
        req: u32,
        page: ReviewPage,
    },
    Demo {
        req: u32,
        result: Result<(Mentor, Vec<Community>), String>,
    },
    Invited {
        req: u32,
        result: Result<Invited, String>,
    },
    /// The enrolment is signed and kept on the device (or could not be
    /// kept: the page keeps the secret and asks again at the next start).
    Enrolled {
        result: Result<(), StoreError>,
    },
    Access(Access),
    Retired {
        req: u32,
        result: Result<(), RetireError>,
    },
    /// An SVG document (dark modules on white, with the quiet zone), or
    /// `None` if the text does not fit a QR code.
    Qr {
        req: u32,
        svg: Option<String>,
    },
    /// The file checked row by row, or why it cannot be imported.
    Import {
        req: u32,
        result: Box<Result<Preview, ImportError>>,
    },
    /// The export's report at its heads, or why this device cannot count it.
    Pinned {
        req: u32,
        result: Box<Result<Pinned, PinError>>,
    },
    Unlocked {
        req: u32,
        result: Result<(), PinRefused>,
    },
    LockChanged {
        req: u32,
        result: Result<(), PinRefused>,
    },
    Erased {
        req: u32,
        result: Result<(), EraseRefused>,
    },
    /// The device was wiped (sent to every tab's page, whose worker then
    /// ends): forget the device's settings and start again, saying why.
    Wiped(WipeReason),
}

/// Both directions as bytes.
pub fn encode<T: Serialize>(message: &T) -> Vec<u8> {
    postcard::to_allocvec(message).expect("messages always encode")
}

pub fn decode<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, postcard::Error> {
    postcard::from_bytes(bytes)
}
