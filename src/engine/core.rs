//! The sync engine: owns the `ClientCore`, runs its effects in order against
//! IndexedDB and the WebSocket, and tells the worker's loop what happened
//! ([`News`]). It runs in the engine worker, never on the page.
//!
//! It syncs every document the device holds, each with its own key: the
//! network document and each community document. A document is loaded into
//! Automerge only when it is needed — for a write ([`Engine::change`]), a
//! sync (the relay connection opens), another tab's write, a history view,
//! or a read model that is stale ([`Engine::ensure_open`]) — never to draw
//! a page: pages draw from the notebook, which starts from the stored rows.
//!
//! The device proves itself to the relay with its signing key
//! ([`super::identity`]). A coordinator's device founds its network at
//! every start (the same signed statement each time: the relay takes a
//! repeat as stored); invitations and this device's enrolment are kept in
//! IndexedDB until the relay stored or refused them, and handed over at
//! every connection until then.
//!
//! Every store write goes back to the core as `Persisted` or
//! `PersistFailed`; the core emits what depends on a write (the push, the
//! `Changed`, the next write) only after it committed, and the form that
//! waits for a change hears `Durable` or `Discarded`.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;

use automerge::{ActorId, AutoCommit};
use futures::channel::{mpsc, oneshot};
use futures::StreamExt;
use lotse_model::device_status::{self, device_hex, DeviceStatus};
use lotse_model::export::{self, Export, Later, PinError, Pinned};
use lotse_model::{CommunityDoc, DocError, NetworkDoc};
use lotse_sync::client::{
    Access as RelayAccess, ClientConfig, ClientCore, ClientEffect, ClientEvent, Identity, OpenDoc, Persist, Problem,
};
use lotse_sync::envelope::{CommunityKey, Keyring};
use lotse_sync::membership::{DeviceId, DeviceKey, Grant, Membership, MembershipError, Role, Signed, Statement};
use lotse_sync::wire::ErrorCode;
use lotse_sync::{BundleId, DocAddr, DocumentId};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{BinaryType, BroadcastChannel, MessageEvent, WebSocket};

use super::identity;
use super::protocol::{Access, Admission, Invited, NetworkDevice, OpenInvitation, RetireError, SaveError, SyncState};
use super::scope::{self, now};
use crate::device::{self, random, Device, WebEntropy};
use crate::store::idb::{IdbStore, DB_NAME};
use crate::store::{doc_key, DocStore, StoreError};

const TICK_MS: i32 = 2_000;
/// The entry of IndexedDB `keys` that says this device's last enrolment
/// was refused (so the page says why after a reload, too).
const ENROLMENT_REFUSED: &str = "enrolment-refused";

/// The network's devices and open invitations as this device last read
/// them (postcard), so the devices page is there offline, after a restart,
/// before the membership log is read again.
const MEMBERSHIP_SEEN: &str = "membership-seen";

/// What [`MEMBERSHIP_SEEN`] holds.
type Seen = (Vec<NetworkDevice>, Vec<OpenInvitation>);
const MAX_BACKOFF_MS: f64 = 30_000.0;
/// How often a synced device looks whether its status is due.
const STATUS_LOOK_EVERY_MS: f64 = 5.0 * 60_000.0;

/// What the engine tells the worker's loop.
#[derive(Debug)]
pub enum News {
    /// A document was loaded.
    Opened(DocAddr),
    /// A document changed (a save, a sync, another tab); its change is
    /// durable.
    Changed(DocAddr),
    /// No store write is queued or running.
    Drained,
    Status(SyncState),
    Access(Access),
    Problem(Problem),
    /// The document the page names so (its first address) shows its new
    /// epoch from now on: pages must be sent its rows whole.
    Switched(DocAddr),
    /// The device's store was wiped.
    Wiped(super::protocol::WipeReason),
}

/// A store write, waiting for the ones before it.
struct Job {
    op: Persist,
}

/// Whether a document is loaded into Automerge.
enum Slot {
    Closed,
    /// Being loaded; these wait for it.
    Opening(Vec<oneshot::Sender<()>>),
    Open,
}

/// The BroadcastChannel message of a tab whose write touched no known
/// document (and of the first version, which synced one): read them all.
const ALL_DOCS: &str = "changed";

/// One per worker.
pub struct Engine {
    /// The device as the page last said (its communities grow while the
    /// engine runs: [`Engine::hold`]).
    pub(super) device: RefCell<Device>,
    network: DocAddr,
    /// The keys this device holds of the documents it syncs, a keyring per
    /// document (every key it was handed: the old ones open the old log).
    /// A joined device holds none until a coordinator's device hands them
    /// over (in the membership log, sealed to this device); a document
    /// without a key is not loaded and not synced.
    pub(super) docs: RefCell<BTreeMap<DocAddr, Keyring>>,
    /// The epoch each document shows, where it is past its first (see
    /// [`super::moves`]).
    pub(super) epochs: RefCell<BTreeMap<DocumentId, lotse_sync::Epoch>>,
    /// The erasures this device made.
    pub(super) receipts: RefCell<Vec<super::protocol::Receipt>>,
    slots: RefCell<BTreeMap<DocAddr, Slot>>,
    pub(super) core: RefCell<ClientCore<WebEntropy>>,
    pub(crate) store: IdbStore,
    jobs: mpsc::UnboundedSender<Job>,
    /// Store writes queued or running: the read model is written only at
    /// zero, when the documents in memory are exactly what the store holds.
    busy: Cell<usize>,
    /// This engine, for the work an effect starts that outlives the call.
    pub(super) me: std::rc::Weak<Engine>,
    /// Forms waiting for their change to be durable, by bundle.
    waiting: RefCell<HashMap<BundleId, oneshot::Sender<Result<(), StoreError>>>>,
    /// The last failed write of each document: what a discarded change's
    /// form is told.
    failures: RefCell<BTreeMap<DocAddr, StoreError>>,
    ws: RefCell<Option<WebSocket>>,
    connecting: Cell<bool>,
    /// What the page's browser says of the network (the page passes it on:
    /// a worker may not see the page's offline state).
    online: Cell<bool>,
    backoff: Cell<u32>,
    last_synced: Cell<Option<f64>>,
    tabs: Option<BroadcastChannel>,
    news: mpsc::UnboundedSender<News>,
    /// The status last told, so an unchanged one is not told again.
    state: Cell<Option<SyncState>>,
    /// This device's signing key (the relay's challenge, invitations).
    pub(super) key: DeviceKey,
    /// Statements this device signed that the relay has not stored yet, in
    /// order; `true` for an enrolment.
    statements: RefCell<Vec<(BundleId, bool)>>,
    /// Those the relay refused since the start.
    refused: RefCell<Vec<BundleId>>,
    /// The retirements among `statements`: which device each retires.
    retiring: RefCell<Vec<(BundleId, DeviceId)>>,
    /// The relay refused this device's last enrolment (stored, see
    /// [`ENROLMENT_REFUSED`]); cleared when the device is admitted.
    enrolment_refused: Cell<bool>,
    /// The access last told.
    access: RefCell<Option<Access>>,
    /// Documents this device was handed a key of but does not sync (see
    /// [`Engine::keep_elsewhere`]).
    unsynced: RefCell<BTreeSet<DocumentId>>,
    /// The devices and invitations last read and kept ([`MEMBERSHIP_SEEN`]).
    seen: RefCell<Option<Seen>>,
    /// The device statuses of the network document and the heads they were
    /// read at: read again only when the heads move.
    statuses: RefCell<(Vec<automerge::ChangeHash>, Vec<DeviceStatus>)>,
    /// When this device last looked whether its own status is due (a
    /// write may be under way): at most every few minutes.
    status_looked: Cell<Option<f64>>,
}

impl Engine {
    /// Opens the store and starts syncing; loads no document (see the
    /// module's documentation). With `enrol` (an invitation's one-time
    /// secret), the enrolment is signed and kept before the relay hears
    /// from this device; its result comes back beside the engine.
    pub async fn start(
        device: Device,
        online: bool,
        news: mpsc::UnboundedSender<News>,
        enrol: Option<[u8; 32]>,
    ) -> Result<(Rc<Engine>, Option<Result<(), StoreError>>), StoreError> {
        let store = IdbStore::open(DB_NAME).await?;
        let key = identity::device_key(&store).await?;
        let kept = store.statements().await?;
        let enrolment_refused = !store.get_key(ENROLMENT_REFUSED).await?.is_undefined();
        let seen = store.get_key(MEMBERSHIP_SEEN).await?;
        let seen: Option<Seen> =
            seen.dyn_ref::<js_sys::Uint8Array>().and_then(|bytes| postcard::from_bytes(&bytes.to_vec()).ok());
        let network = device.network_addr();
        let epochs = super::moves::shown_epochs(&store).await?;
        let receipts = super::moves::kept_receipts(&store).await?;
        let addrs = with_next_epochs(&device.documents(), &epochs);
        let mut docs = identity::document_keys(&store, &addrs).await?;
        // The documents whose keys this start made: all of them at the
        // founding device's first start.
        let made = make_first_keys(&store, &device.documents_made_here(), &epochs, &mut docs).await?;
        let (tx, rx) = mpsc::unbounded();
        let mut core = ClientCore::new(WebEntropy, ClientConfig::default());
        core.set_identity(Identity { key: key.clone(), network: network.doc });
        let engine = Rc::new_cyclic(|me| Engine {
            me: me.clone(),
            device: RefCell::new(device),
            network,
            slots: RefCell::new(addrs.iter().step_by(2).chain(docs.keys()).map(|a| (*a, Slot::Closed)).collect()),
            docs: RefCell::new(docs),
            epochs: RefCell::new(epochs),
            receipts: RefCell::new(receipts),
            core: RefCell::new(core),
            store,
            jobs: tx,
            busy: Cell::new(0),
            waiting: RefCell::new(HashMap::new()),
            failures: RefCell::new(BTreeMap::new()),
            ws: RefCell::new(None),
            connecting: Cell::new(false),
            online: Cell::new(online),
            backoff: Cell::new(0),
            last_synced: Cell::new(None),
            tabs: BroadcastChannel::new("lotse").ok(),
            news,
            state: Cell::new(None),
            key,
            statements: RefCell::new(vec![]),
            refused: RefCell::new(vec![]),
            retiring: RefCell::new(vec![]),
            enrolment_refused: Cell::new(enrolment_refused),
            access: RefCell::new(None),
            unsynced: RefCell::new(BTreeSet::new()),
            seen: RefCell::new(seen),
            statuses: RefCell::new((vec![], vec![])),
            status_looked: Cell::new(None),
        });
        // The founding first, then the documents added since: the relay
        // takes statements in order, and an invitation counts only in a
        // founded network and for documents it knows.
        let mut kept: Vec<Signed> = kept
            .iter()
            .filter_map(|bytes| match Signed::decode(bytes) {
                Ok(signed) => Some(signed),
                Err(e) => {
                    web_sys::console::warn_1(&format!("a kept statement does not decode: {e}").into());
                    None
                }
            })
            .collect();
        kept.sort_by_key(|s| match s.statement {
            Statement::Found { .. } => 0,
            Statement::Docs { .. } => 1,
            _ => 2,
        });
        for signed in kept {
            engine.queue_statement(signed);
        }
        engine.announce(&made).await?;
        let enrolled = match enrol {
            Some(secret) => Some(engine.enrol(secret).await),
            None => None,
        };
        wasm_bindgen_futures::spawn_local(run_jobs(engine.clone(), rx));
        engine.listen();
        engine.connect();
        engine.refresh_state();
        Ok((engine, enrolled))
    }

    /// Tells the relay of the documents whose first keys this device just
    /// made (`made`, from [`make_first_keys`]): the network's founding, or
    /// new communities. Signed once and kept: a later start sends the kept
    /// statement again, never a new one that would differ from it.
    async fn announce(&self, made: &[DocAddr]) -> Result<(), StoreError> {
        if made.is_empty() {
            return Ok(());
        }
        let network = self.network;
        let keys: Vec<Grant> = {
            let docs = self.docs.borrow();
            made.iter().map(|addr| Grant { addr: *addr, key: docs[addr].newest().id }).collect()
        };
        let added: Vec<DocumentId> = made.iter().filter(|a| **a != network).map(|a| a.doc).collect();
        let statement = if made.contains(&network) {
            let founder = self.key.id();
            let agreement = self.key.agreement().public();
            Statement::Found { founder, docs: added, agreement, keys }
        } else {
            Statement::Docs { add: added, keys }
        };
        self.keep_and_queue(self.key.sign(network.doc, statement)).await
    }

    /// The device holds `communities` from now on (a coordinator's page
    /// learnt of them, or made one): their documents are synced and their
    /// pages shown without a restart. A community made here gets its first
    /// key and is announced to the relay. Returns the documents new to the
    /// engine, at the epoch each shows; a document whose key has not come
    /// is loaded once it comes. Holding one twice does nothing.
    pub async fn hold(&self, communities: Vec<device::Membership>) -> Result<Vec<DocAddr>, StoreError> {
        let mut new: Vec<device::Membership> = vec![];
        {
            let device = self.device.borrow();
            for m in communities {
                if device.membership(m.community_id).is_none() && !new.iter().any(|n| n.community_id == m.community_id)
                {
                    new.push(m);
                }
            }
        }
        if new.is_empty() || !self.is_coordinator() {
            return Ok(vec![]);
        }
        let epochs = self.epochs.borrow().clone();
        let addrs = with_next_epochs(&new.iter().map(device::Membership::addr).collect::<Vec<_>>(), &epochs);
        // Known before any await: a key handed over meanwhile is kept for
        // these documents ([`Engine::keep_granted`]), not elsewhere.
        {
            let mut slots = self.slots.borrow_mut();
            for addr in addrs.iter().step_by(2) {
                slots.entry(*addr).or_insert(Slot::Closed);
            }
            self.device.borrow_mut().communities.extend(new.iter().cloned());
            self.unsynced.borrow_mut().retain(|d| !new.iter().any(|m| m.addr().doc == *d));
        }
        let mut keys = identity::document_keys(&self.store, &addrs).await?;
        let made_here: Vec<DocAddr> = new.iter().filter(|m| m.made_here).map(device::Membership::addr).collect();
        let made = make_first_keys(&self.store, &made_here, &epochs, &mut keys).await?;
        {
            let mut docs = self.docs.borrow_mut();
            let mut slots = self.slots.borrow_mut();
            for (addr, ring) in keys {
                slots.entry(addr).or_insert(Slot::Closed);
                match docs.get_mut(&addr) {
                    Some(held) => {
                        for key in ring.keys() {
                            held.insert(key.clone());
                        }
                    }
                    None => {
                        docs.insert(addr, ring);
                    }
                }
            }
        }
        self.announce(&made).await?;
        self.refresh_state();
        Ok(addrs.into_iter().step_by(2).collect())
    }

    /// Whether this is a coordinator's device.
    pub fn is_coordinator(&self) -> bool {
        self.device.borrow().coordinator
    }

    /// Whether this device holds the key of `addr` (a joined device, not
    /// until a coordinator's device handed it over).
    pub fn holds_key(&self, addr: DocAddr) -> bool {
        let addr = self.real(addr);
        self.docs.borrow().contains_key(&addr)
    }

    /// Whether `addr` is loaded into Automerge.
    pub fn is_open(&self, addr: DocAddr) -> bool {
        let addr = self.real(addr);
        matches!(self.slots.borrow().get(&addr), Some(Slot::Open))
    }

    /// Loads `addr` into Automerge unless it is loaded; concurrent callers
    /// share one load. The worker's loop hears of it ([`News::Opened`]).
    pub async fn ensure_open(&self, addr: DocAddr) -> Result<(), SaveError> {
        let addr = self.real(addr);
        let wait = {
            let mut slots = self.slots.borrow_mut();
            match slots.get_mut(&addr) {
                None => return Err(SaveError::NotOpen(addr)),
                Some(Slot::Open) => return Ok(()),
                Some(Slot::Opening(waiters)) => {
                    let (tx, rx) = oneshot::channel();
                    waiters.push(tx);
                    Some(rx)
                }
                Some(slot @ Slot::Closed) => {
                    *slot = Slot::Opening(vec![]);
                    None
                }
            }
        };
        if let Some(rx) = wait {
            let _ = rx.await;
            return if self.is_open(addr) { Ok(()) } else { Err(SaveError::NotOpen(addr)) };
        }
        let result = self.load(addr).await;
        let waiters = {
            let mut slots = self.slots.borrow_mut();
            let next = if result.is_ok() { Slot::Open } else { Slot::Closed };
            match slots.insert(addr, next) {
                Some(Slot::Opening(w)) => w,
                _ => vec![],
            }
        };
        for w in waiters {
            let _ = w.send(());
        }
        if let (Ok(()), Some(name)) = (&result, self.named(addr)) {
            self.tell(News::Opened(name));
        }
        result.map_err(SaveError::from)
    }

    /// Loads every document this device holds the key of (before the relay
    /// hears from this device).
    pub async fn ensure_all_open(&self) -> Result<(), SaveError> {
        let held: Vec<DocAddr> = self.docs.borrow().keys().copied().collect();
        for addr in held {
            self.ensure_open(addr).await?;
        }
        Ok(())
    }

    async fn load(&self, addr: DocAddr) -> Result<(), StoreError> {
        let Some(keys) = self.docs.borrow().get(&addr).cloned() else {
            return Err(StoreError::Idb(format!("this device holds no key of {addr} yet")));
        };
        let loaded = self.store.load(addr).await?;
        let actor = device_actor(&self.key);
        let genesis = if addr.doc == self.network.doc {
            NetworkDoc::genesis(actor.clone())
        } else {
            CommunityDoc::genesis(actor.clone())
        };
        let doc = open_document(addr, genesis, &loaded.chunks);
        let fragmented = loaded.chunks.len() > FRAGMENTED || loaded.chunks.first().is_some_and(|c| !is_whole(c));
        let mut core = self.core.borrow_mut();
        let mut effects = core.open(
            now() as u64,
            OpenDoc {
                addr,
                keys,
                doc,
                cursor: loaded.cursor,
                generation: loaded.generation,
                at: loaded.at,
                outbox: loaded.outbox,
                chunks: loaded.chunks.len(),
            },
        );
        if fragmented {
            effects.extend(core.compact(addr));
        }
        drop(core);
        self.enqueue(effects);
        Ok(())
    }

    /// The network document (shared by the whole network).
    pub fn network_addr(&self) -> DocAddr {
        self.network
    }

    /// The device as the engine holds it now (with every community taken up
    /// since it started): the one copy the worker's loop reads.
    pub fn device(&self) -> Device {
        self.device.borrow().clone()
    }

    /// The home community's document.
    pub fn home_addr(&self) -> DocAddr {
        self.device.borrow().home_addr()
    }

    /// Every community document this device syncs, home first.
    pub fn community_addrs(&self) -> Vec<DocAddr> {
        self.device.borrow().community_addrs()
    }

    /// Reads a document; `None` if this device does not sync it. `f` must
    /// not call back into the engine.
    pub fn read<R>(&self, addr: DocAddr, f: impl FnOnce(&AutoCommit) -> R) -> Option<R> {
        let addr = self.real(addr);
        self.core.borrow().doc(addr).map(f)
    }

    /// Runs an edit on a document (loading it first if need be); resolves
    /// once it is durable in IndexedDB (it is sent to the relay after that,
    /// never before). An edit that fails, or whose write fails, leaves
    /// nothing behind: nothing shows, nothing is pushed. `f` must not call
    /// back into the engine.
    pub async fn change(
        &self,
        addr: DocAddr,
        f: impl FnOnce(&mut AutoCommit) -> Result<(), DocError>,
    ) -> Result<(), SaveError> {
        let addr = self.real(addr);
        self.ensure_open(addr).await?;
        let made = self.core.borrow_mut().change(now() as u64, addr, f).map_err(|e| SaveError::Model(e.to_string()))?;
        let Some(bundle) = made.bundle else {
            self.enqueue(made.effects);
            return Ok(());
        };
        let (tx, rx) = oneshot::channel();
        self.waiting.borrow_mut().insert(bundle, tx);
        self.enqueue(made.effects);
        rx.await.unwrap_or_else(|_| Err(StoreError::Idb("the app stopped before the save was stored".into())))?;
        Ok(())
    }

    /// Moves the notebook's diff cursor of `addr` from `heads` (what stored
    /// rows reflect) to now: the patches in between, or `None` if the
    /// document does not know those heads (rows from elsewhere) and must be
    /// read whole. `None` too if the document is not open.
    pub fn patches_since(&self, addr: DocAddr, heads: &[automerge::ChangeHash]) -> Option<Vec<automerge::Patch>> {
        self.inspect(addr, |doc| {
            let known = heads.iter().all(|h| doc.get_change_by_hash(h).is_some());
            let now = doc.get_heads();
            let patches = known.then(|| doc.diff(heads, &now));
            doc.update_diff_cursor();
            patches
        })
        .flatten()
    }

    /// Marks everything in `addr` as seen by the notebook (it was just read
    /// whole).
    pub fn mark_seen(&self, addr: DocAddr) {
        self.inspect(addr, |doc| doc.update_diff_cursor());
    }

    /// The heads of `addr`, if it is open.
    pub fn heads(&self, addr: DocAddr) -> Option<Vec<automerge::ChangeHash>> {
        let addr = self.real(addr);
        self.inspect(addr, |doc| doc.get_heads())
    }

    /// Whether no store write is queued or running: the documents in memory
    /// are exactly what the store holds.
    pub fn idle(&self) -> bool {
        let core = self.core.borrow();
        self.busy.get() == 0 && self.docs.borrow().keys().all(|a| core.pending_writes(*a) == 0)
    }

    /// What changed in `addr` since the last call for it (all of it on the
    /// first call), for a hydrated cache kept elsewhere. Each change is
    /// handed out once, so one cache per document calls this. Changes
    /// nothing in the document.
    pub fn patches_since_last(&self, addr: DocAddr) -> Vec<automerge::Patch> {
        let addr = self.real(addr);
        self.core.borrow_mut().diff_incremental(addr).unwrap_or_default()
    }

    /// `export`'s report counted again (`lotse_model::export`): each
    /// document it names loaded and forked at its pinned heads.
    pub async fn pinned(&self, export: &Export) -> Result<Pinned, PinError> {
        let mut later = Later::default();
        let mut forks = Vec::new();
        for pinned in &export.docs {
            let missing = || PinError::Missing(pinned.community.map_or("the network".to_owned(), |c| c.to_string()));
            let addr = match pinned.community {
                None => self.network,
                Some(c) => self.device.borrow().addr_of(c).ok_or_else(missing)?,
            };
            self.ensure_open(addr).await.map_err(|_| missing())?;
            let fork = self.inspect(addr, |doc| export::at_heads(doc, pinned, &mut later)).ok_or_else(missing)??;
            forks.push((pinned.community, fork));
        }
        export::count(forks, export, later)
    }

    /// Runs a read that Automerge only offers on `&mut` (a record's
    /// history); `f` must not edit the document.
    pub fn inspect<R>(&self, addr: DocAddr, f: impl FnOnce(&mut AutoCommit) -> R) -> Option<R> {
        let addr = self.real(addr);
        self.core.borrow_mut().inspect(addr, f)
    }

    /// The store's chunk keys of the document the page names `addr`.
    pub fn known_chunks(&self, addr: DocAddr) -> Vec<crate::store::idb::ChunkKey> {
        self.store.known_chunks(self.real(addr))
    }

    /// Drops what the engine knew of `addr`'s loading (its epoch is gone).
    pub(super) fn forget_slot(&self, addr: DocAddr) {
        self.slots.borrow_mut().remove(&addr);
    }

    pub(super) fn tell(&self, news: News) {
        let _ = self.news.unbounded_send(news);
    }

    /// Carries out the core's effects as it emits them, as its contract
    /// asks: a store write is queued behind the writes before it (the core
    /// keeps at most one per document out, and emits what depends on it
    /// only once it heard the result); everything else happens now, in
    /// order. So a frame is never held back behind a write it does not
    /// depend on, and never overtaken by a push made durable later (the
    /// handshake's `Auth` went out behind a push before this, and the relay
    /// refused the push).
    pub(super) fn enqueue(&self, effects: Vec<ClientEffect>) {
        if effects.is_empty() {
            return;
        }
        for effect in effects {
            match effect {
                ClientEffect::Persist(op) => {
                    self.busy.set(self.busy.get() + 1);
                    if self.jobs.unbounded_send(Job { op }).is_err() {
                        self.busy.set(self.busy.get() - 1);
                    }
                }
                other => self.carry_out(other),
            }
        }
        if self.busy.get() == 0 {
            self.tell(News::Drained);
        }
    }

    fn carry_out(&self, effect: ClientEffect) {
        match effect {
            ClientEffect::Persist(_) => unreachable!("store writes are queued"),
            ClientEffect::Send(bytes) => {
                if let Some(ws) = self.ws.borrow().as_ref().filter(|w| w.ready_state() == WebSocket::OPEN) {
                    let _ = ws.send_with_u8_array(&bytes);
                }
            }
            ClientEffect::Changed(addr) => {
                if let Some(name) = self.named(addr) {
                    self.tell(News::Changed(name));
                }
            }
            ClientEffect::Durable { bundle_id, .. } => {
                if let Some(form) = self.waiting.borrow_mut().remove(&bundle_id) {
                    let _ = form.send(Ok(()));
                }
            }
            ClientEffect::Discarded { addr, bundle_id } => {
                let why = self.failures.borrow().get(&addr).cloned();
                if let Some(form) = self.waiting.borrow_mut().remove(&bundle_id) {
                    let _ = form.send(Err(why.unwrap_or(StoreError::Idb("the change was not stored".into()))));
                }
            }
            ClientEffect::StatementStored(id) => self.answered(id, None),
            // The devices page follows it through `Access`, refreshed
            // after every event.
            ClientEffect::MembershipChanged => {}
            ClientEffect::KeysGranted(keys) => {
                let Some(engine) = self.me.upgrade() else { return };
                wasm_bindgen_futures::spawn_local(async move { engine.keep_granted(keys).await });
            }
            // Moving a document to a new epoch (see `super::moves`): the
            // core opened `to` itself; its key comes as `KeysGranted`.
            ClientEffect::Moving { from, to } => {
                web_sys::console::info_1(&format!("moving {from} to {to}").into());
                self.slots.borrow_mut().insert(to, Slot::Open);
            }
            ClientEffect::Carry { from, .. } => self.carry(from),
            ClientEffect::DeleteEpoch { addr } => {
                let Some(engine) = self.me.upgrade() else { return };
                wasm_bindgen_futures::spawn_local(async move { engine.delete_epoch(addr).await });
            }
            // This device's `Rewrite`: kept like the statements it signs
            // itself (the core queued it already).
            ClientEffect::StatementMade(signed) => {
                let id = signed.id();
                self.statements.borrow_mut().push((id, false));
                let Some(engine) = self.me.upgrade() else { return };
                wasm_bindgen_futures::spawn_local(async move {
                    if let Err(e) = engine.store.put_statement(id, &signed.encode()).await {
                        web_sys::console::error_1(&format!("keeping the rewrite's statement: {e}").into());
                    }
                });
            }
            ClientEffect::Problem(p) => {
                if let Problem::StatementRefused { id, message } = &p {
                    self.answered(*id, Some(message.clone()));
                }
                if let Problem::Relay { code: ErrorCode::LeftBehind, .. } = &p {
                    let Some(engine) = self.me.upgrade() else { return };
                    wasm_bindgen_futures::spawn_local(async move { engine.left_behind().await });
                }
                self.tell(News::Problem(p));
            }
        }
    }

    /// Keys handed to this device (by a coordinator's `Keys`, a rotation,
    /// or its own rotation once stored): each of a document this device
    /// syncs that its keyring lacks is kept beside the others; a document
    /// it held no key of is then loaded and synced. (The core already
    /// seals with a new key of an open document: if keeping it fails, the
    /// next start reads the grant again from the membership log.)
    async fn keep_granted(&self, keys: Vec<(DocAddr, CommunityKey)>) {
        let mine = self.device.borrow().documents();
        for (addr, key) in keys {
            let held = self.docs.borrow().get(&addr).map(|ring| ring.get(key.id).is_some());
            if held == Some(true) {
                continue;
            }
            if !mine.iter().any(|m| m.doc == addr.doc) {
                self.keep_elsewhere(addr, &key).await;
                continue;
            }
            // The new epoch of a move: the core opens it (see `Moving`).
            let moving = addr.epoch > self.real(DocAddr { doc: addr.doc, epoch: lotse_sync::Epoch(0) }).epoch;
            if let Err(e) = identity::keep_document_key(&self.store, addr, &key).await {
                web_sys::console::error_1(&format!("keeping key {} of {addr}: {e}", key.id.0).into());
                continue;
            }
            let first = {
                let mut docs = self.docs.borrow_mut();
                match docs.get_mut(&addr) {
                    Some(ring) => {
                        ring.insert(key);
                        false
                    }
                    None => docs.insert(addr, Keyring::new(key)).is_none(),
                }
            };
            if first && !moving {
                if let Err(e) = self.ensure_open(addr).await {
                    web_sys::console::error_1(&format!("loading {addr}: {e}").into());
                }
            }
        }
        self.refresh_state();
    }

    /// A key of a document this device does not sync: a coordinator's
    /// device (one that joined, or whose partner made a community) keeps it
    /// for the community the page adds once it knows its name (see
    /// [`Access::unsynced`]); the key then waits in the store for the
    /// start that syncs the document. A mentor's device is never handed
    /// one; it ignores it.
    async fn keep_elsewhere(&self, addr: DocAddr, key: &CommunityKey) {
        if !self.is_coordinator() || addr.doc == self.network.doc {
            return;
        }
        if let Err(e) = identity::keep_document_key(&self.store, addr, key).await {
            web_sys::console::error_1(&format!("keeping key {} of {addr}: {e}", key.id.0).into());
            return;
        }
        self.unsynced.borrow_mut().insert(addr.doc);
    }

    /// The relay answered a statement: dropped from the store (in the
    /// background; it is already out of the core's queue).
    fn answered(&self, id: BundleId, refused: Option<String>) {
        let Some(engine) = self.me.upgrade() else { return };
        wasm_bindgen_futures::spawn_local(async move { engine.statement_done(id, refused.as_deref()).await });
    }

    pub(super) fn handle(&self, event: ClientEvent) {
        let effects = self.core.borrow_mut().handle(now() as u64, event);
        self.enqueue(effects);
        self.refresh_state();
    }

    /// The status last told, for a page that joins later.
    pub fn status(&self) -> Option<SyncState> {
        self.state.get()
    }

    /// The access last told, for a page that joins later.
    pub fn access(&self) -> Option<Access> {
        self.access.borrow().clone()
    }

    /// Hands `signed` to the relay (now, or at the next connection) until
    /// it stores or refuses it.
    fn queue_statement(&self, signed: Signed) {
        let id = signed.id();
        let enrolment = matches!(signed.statement, Statement::Enrol { .. });
        {
            let mut kept = self.statements.borrow_mut();
            if !kept.iter().any(|(k, _)| *k == id) {
                kept.push((id, enrolment));
                if let Statement::Retire { device } = &signed.statement {
                    self.retiring.borrow_mut().push((id, *device));
                }
            }
        }
        let effects = self.core.borrow_mut().queue_statement(signed);
        self.enqueue(effects);
        self.refresh_state();
    }

    /// Keeps `signed` in IndexedDB (so a reload does not lose it), then
    /// queues it.
    async fn keep_and_queue(&self, signed: Signed) -> Result<(), StoreError> {
        self.store.put_statement(signed.id(), &signed.encode()).await?;
        self.queue_statement(signed);
        Ok(())
    }

    /// A coordinator invites one device, for `valid_for` seconds from now:
    /// a mentor's to `community` (a document this device holds), or
    /// another coordinator's (who may use every document, and whose link
    /// starts it on `community`). The one-time secret goes into the join
    /// link and is not kept here.
    pub async fn invite(&self, valid_for: u64, community: [u8; 16], role: Role) -> Result<Invited, String> {
        if !self.is_coordinator() {
            return Err("only a coordinator's device invites".into());
        }
        if !self.device.borrow().communities.iter().any(|m| m.doc == community) {
            return Err("this device does not hold that community".into());
        }
        let secret: [u8; 32] = random();
        let invite = DeviceKey::from_secret(secret).id();
        let expires = (now() / 1000.0) as u64 + valid_for;
        // A coordinator is named no document: it uses them all, those made
        // after its invitation too.
        let docs = match role {
            Role::Mentor => vec![DocumentId(community)],
            Role::Coordinator => vec![],
        };
        let signed = self.key.sign(self.network.doc, Statement::Invite { invite, role, docs, expires });
        let statement = signed.id().0;
        self.keep_and_queue(signed).await.map_err(|e| e.to_string())?;
        Ok(Invited { secret, invite: invite.0, statement, expires })
    }

    /// A coordinator removes `device` from the network: the retirement is
    /// checked against the membership as this device read it, signed, kept
    /// and handed to the relay (now, or once online).
    pub async fn retire(&self, device: [u8; 32]) -> Result<(), RetireError> {
        if !self.is_coordinator() {
            return Err(RetireError::NotCoordinator);
        }
        let signed = self.key.sign(self.network.doc, Statement::Retire { device: DeviceId(device) });
        let membership = self.core.borrow().membership().cloned();
        retirement_holds(membership, self.key.id(), &signed)?;
        self.keep_and_queue(signed).await.map_err(|e| RetireError::Store(e.to_string()))
    }

    /// This device takes the invitation whose one-time secret is `secret`:
    /// the enrolment is signed with it (the secret itself is not kept).
    pub async fn enrol(&self, secret: [u8; 32]) -> Result<(), StoreError> {
        let invitation = DeviceKey::from_secret(secret);
        let agreement = self.key.agreement().public();
        let statement = Statement::Enrol { device: self.key.id(), invite: invitation.id(), agreement };
        let signed = invitation.sign(self.network.doc, statement);
        self.keep_and_queue(signed).await?;
        if self.enrolment_refused.replace(false) {
            self.store.delete_key(ENROLMENT_REFUSED).await?;
            self.refresh_state();
        }
        Ok(())
    }

    /// The relay stored (`refused: None`) or refused a statement: it is
    /// dropped from the device's store.
    async fn statement_done(&self, id: BundleId, refused: Option<&str>) {
        let was = {
            let mut kept = self.statements.borrow_mut();
            let was = kept.iter().find(|(k, _)| *k == id).map(|(_, enrolment)| *enrolment);
            kept.retain(|(k, _)| *k != id);
            was
        };
        self.retiring.borrow_mut().retain(|(k, _)| *k != id);
        if let Err(e) = self.store.delete_statement(id).await {
            web_sys::console::warn_1(&format!("dropping a statement the relay answered: {e}").into());
        }
        let noted = match (refused, was) {
            (Some(message), Some(true)) => {
                self.enrolment_refused.set(true);
                self.store.put_key(ENROLMENT_REFUSED, &message.into()).await
            }
            (None, Some(true)) => {
                self.enrolment_refused.set(false);
                // Taken after this connection's answer to the challenge was
                // refused (the enrolment came later, from a link opened on a
                // running app): a new connection answers again, now as a
                // member.
                if matches!(self.core.borrow().status().access, RelayAccess::Refused(_)) {
                    self.disconnect();
                }
                self.store.delete_key(ENROLMENT_REFUSED).await
            }
            _ => Ok(()),
        };
        if let Err(e) = noted {
            web_sys::console::warn_1(&format!("noting how the enrolment went: {e}").into());
        }
        if refused.is_some() {
            self.refused.borrow_mut().push(id);
        }
        self.refresh_state();
    }

    /// What the page says of this device's place in the network.
    fn admission(&self, access: RelayAccess) -> Admission {
        let enrolling = self.statements.borrow().iter().any(|(_, enrolment)| *enrolment);
        match access {
            RelayAccess::Unknown => Admission::Unknown,
            RelayAccess::Member(_) if self.docs.borrow().len() < self.device.borrow().documents().len() => {
                Admission::AwaitingKeys
            }
            RelayAccess::Member(_) => Admission::Member,
            RelayAccess::Refused(ErrorCode::Retired) => Admission::Retired,
            RelayAccess::Refused(_) if enrolling => Admission::Waiting,
            RelayAccess::Refused(_) if self.enrolment_refused.get() => Admission::InvitationRefused,
            RelayAccess::Refused(_) => Admission::NotAdmitted,
        }
    }

    pub(super) fn refresh_state(&self) {
        let status = self.core.borrow().status();
        let ws_open = self.ws.borrow().as_ref().is_some_and(|w| w.ready_state() == WebSocket::OPEN);
        self.refresh_access(status.access);
        let state = if !status.connected || !ws_open {
            if self.connecting.get() {
                SyncState::Connecting { pending: status.pending }
            } else {
                SyncState::Offline { pending: status.pending }
            }
        } else if matches!(status.access, RelayAccess::Refused(_)) {
            SyncState::Refused { pending: status.pending }
        } else if status.pending > 0 {
            SyncState::Pending(status.pending)
        } else if !status.caught_up {
            SyncState::Syncing
        } else {
            let t = now();
            self.last_synced.set(Some(t));
            self.note_synced(t);
            SyncState::Synced(t)
        };
        // Avoid re-rendering the status every tick when nothing changed.
        let same = match (self.state.get(), state) {
            (Some(SyncState::Synced(_)), SyncState::Synced(_)) => true,
            (Some(old), new) => old == new,
            (None, _) => false,
        };
        if !same {
            self.state.set(Some(state));
            self.tell(News::Status(state));
        }
    }

    fn refresh_access(&self, relay: RelayAccess) {
        let admission = self.admission(relay);
        if admission == Admission::Member {
            // Admitted after all (by another invitation, or a
            // coordinator): the old refusal no longer holds.
            self.enrolment_refused.set(false);
        }
        let (devices, invitations, remembered) = self.membership_view();
        let moves = self.epoch_moves();
        self.note_moves(&moves);
        let access = Access {
            actor: device_actor(&self.key).to_hex_string(),
            admission,
            pending: self.statements.borrow().iter().map(|(id, _)| id.0).collect(),
            refused: self.refused.borrow().iter().map(|id| id.0).collect(),
            devices,
            invitations,
            remembered,
            unsynced: self.unsynced.borrow().iter().copied().collect(),
            moves,
            receipts: self.receipts.borrow().clone(),
        };
        if self.access.borrow().as_ref() != Some(&access) {
            *self.access.borrow_mut() = Some(access.clone());
            self.tell(News::Access(access));
        }
    }

    /// The network's devices and open invitations: as read from the
    /// membership log since this start, kept for the next start when they
    /// changed; until the log is read, as last kept (`true`).
    fn membership_view(&self) -> (Vec<NetworkDevice>, Vec<OpenInvitation>, bool) {
        let devices = self.network_devices();
        if devices.is_empty() {
            return match self.seen.borrow().clone() {
                Some((devices, invitations)) => (devices, invitations, true),
                None => (vec![], vec![], false),
            };
        }
        let invitations = self.open_invitations();
        let fresh = (devices, invitations);
        if self.seen.borrow().as_ref() != Some(&fresh) {
            *self.seen.borrow_mut() = Some(fresh.clone());
            let bytes =
                js_sys::Uint8Array::from(postcard::to_allocvec(&fresh).expect("postcard into a Vec").as_slice());
            let Some(engine) = self.me.upgrade() else { return (fresh.0, fresh.1, false) };
            wasm_bindgen_futures::spawn_local(async move {
                if let Err(e) = engine.store.put_key(MEMBERSHIP_SEEN, &bytes.into()).await {
                    web_sys::console::warn_1(&format!("keeping the network's devices: {e}").into());
                }
            });
        }
        (fresh.0, fresh.1, false)
    }

    /// Every device of the membership as read so far, in the order they
    /// joined (those whose joining this device did not read last).
    fn network_devices(&self) -> Vec<NetworkDevice> {
        let statuses = self.device_statuses();
        let core = self.core.borrow();
        let Some(membership) = core.membership() else { return vec![] };
        let retiring = self.retiring.borrow();
        let me = self.key.id();
        let mut devices: Vec<NetworkDevice> = membership
            .members()
            .iter()
            .map(|(id, m)| NetworkDevice {
                key: id.0,
                role: m.role,
                docs: m.docs.iter().copied().collect(),
                joined: core.joined_at(*id).map(|s| s.0),
                retired: m.retired,
                invite: m.invite.map(|i| i.0),
                this_device: *id == me,
                retiring: retiring.iter().any(|(_, d)| d == id),
                status: statuses.iter().find(|s| s.device == device_hex(&id.0)).cloned(),
            })
            .collect();
        devices.sort_by_key(|d| (d.joined.is_none(), d.joined, d.key));
        devices
    }

    /// The devices' own statuses in the network document (the last read,
    /// if it is not open).
    fn device_statuses(&self) -> Vec<DeviceStatus> {
        let cached = self.statuses.borrow().0.clone();
        let fresh = self.inspect(self.network, |doc| {
            let heads = doc.get_heads();
            (heads != cached).then(|| (heads, device_status::statuses(doc)))
        });
        match fresh.flatten() {
            Some((heads, Ok(list))) => *self.statuses.borrow_mut() = (heads, list),
            Some((_, Err(e))) => web_sys::console::warn_1(&format!("device statuses do not read: {e}").into()),
            None => {}
        }
        self.statuses.borrow().1.clone()
    }

    /// A sync finished: this device's status is written if it is due
    /// (looked at every few minutes at most; written at most about hourly,
    /// see [`device_status::due`]), and only once it holds the network's key.
    fn note_synced(&self, at: f64) {
        if self.status_looked.get().is_some_and(|t| at - t < STATUS_LOOK_EVERY_MS) || !self.holds_key(self.network) {
            return;
        }
        let Some(engine) = self.me.upgrade() else { return };
        self.status_looked.set(Some(at));
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(e) = engine.write_status(at as i64).await {
                web_sys::console::warn_1(&format!("writing this device's status: {e:?}").into());
            }
        });
    }

    async fn write_status(&self, synced_at: i64) -> Result<(), SaveError> {
        let persistent = scope::storage_persisted().await;
        self.ensure_open(self.network).await?;
        let me = device_hex(&self.key.id().0);
        let status = DeviceStatus {
            device: me.clone(),
            mentor: self.device.borrow().mentor_id,
            synced_at,
            persistent,
            version: env!("CARGO_PKG_VERSION").to_owned(),
        };
        let old = self.device_statuses().into_iter().find(|s| s.device == me);
        if !device_status::due(old.as_ref(), &status) {
            return Ok(());
        }
        self.change(self.network, |doc| device_status::put(doc, &status, now() as i64)).await
    }

    /// Invitations of the membership not used yet and not expired.
    fn open_invitations(&self) -> Vec<OpenInvitation> {
        let core = self.core.borrow();
        let Some(membership) = core.membership() else { return vec![] };
        let now = (now() / 1000.0) as u64;
        let mut open: Vec<OpenInvitation> = membership
            .invites()
            .iter()
            .filter(|(_, i)| i.used_by.is_none() && i.expires >= now)
            .map(|(key, i)| OpenInvitation {
                key: key.0,
                role: i.role,
                docs: i.docs.iter().copied().collect(),
                expires: i.expires,
            })
            .collect();
        open.sort_by_key(|i| i.expires);
        open
    }

    /// Opens the relay connection unless one is open or opening.
    pub fn connect(self: &Rc<Self>) {
        if self.ws.borrow().is_some() {
            return;
        }
        if !self.online.get() {
            return;
        }
        let Some(url) = scope::relay_url() else { return };
        let Ok(ws) = WebSocket::new(&url) else { return };
        ws.set_binary_type(BinaryType::Arraybuffer);
        self.connecting.set(true);
        let weak = Rc::downgrade(self);
        // The documents are loaded only once the relay answers: with no
        // connection, opening the app never waits for Automerge.
        let on_open = Closure::<dyn FnMut()>::new({
            let weak = weak.clone();
            move || {
                let Some(e) = weak.upgrade() else { return };
                wasm_bindgen_futures::spawn_local(async move {
                    if let Err(err) = e.ensure_all_open().await {
                        web_sys::console::error_1(&format!("loading the documents: {err}").into());
                    }
                    let open = e.ws.borrow().as_ref().is_some_and(|w| w.ready_state() == WebSocket::OPEN);
                    e.connecting.set(false);
                    if open {
                        e.backoff.set(0);
                        e.handle(ClientEvent::Connected);
                    }
                    e.refresh_state();
                });
            }
        });
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new({
            let weak = weak.clone();
            move |ev: MessageEvent| {
                if let (Some(e), Ok(buf)) = (weak.upgrade(), ev.data().dyn_into::<js_sys::ArrayBuffer>()) {
                    e.handle(ClientEvent::Received(js_sys::Uint8Array::new(&buf).to_vec()));
                }
            }
        });
        let on_close = Closure::<dyn FnMut()>::new({
            let weak = weak.clone();
            move || {
                if let Some(e) = weak.upgrade() {
                    e.ws.borrow_mut().take();
                    e.connecting.set(false);
                    e.handle(ClientEvent::Disconnected);
                    e.schedule_reconnect();
                }
            }
        });
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        // One set of handlers per connection, owned by the socket from here.
        on_open.forget();
        on_message.forget();
        on_close.forget();
        *self.ws.borrow_mut() = Some(ws);
        self.refresh_state();
    }

    pub(super) fn disconnect(&self) {
        if let Some(ws) = self.ws.borrow().as_ref() {
            let _ = ws.close();
        }
    }

    fn schedule_reconnect(self: &Rc<Self>) {
        let n = self.backoff.get().min(5);
        self.backoff.set(n + 1);
        let delay = (1000.0 * f64::from(1u32 << n)).min(MAX_BACKOFF_MS) * (0.75 + 0.5 * js_sys::Math::random());
        let weak = Rc::downgrade(self);
        scope::set_timeout(
            move || {
                if let Some(e) = weak.upgrade() {
                    e.connect();
                }
            },
            delay as i32,
        );
    }

    fn listen(self: &Rc<Self>) {
        let weak = Rc::downgrade(self);
        if let Some(ch) = &self.tabs {
            let w = weak.clone();
            let c = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
                if let Some(e) = w.upgrade() {
                    let docs = ev.data().as_string().unwrap_or_default();
                    wasm_bindgen_futures::spawn_local(async move { e.read_other_tabs(&docs).await });
                }
            });
            ch.set_onmessage(Some(c.as_ref().unchecked_ref()));
            c.forget();
        }
        let w = weak.clone();
        scope::set_interval(
            move || {
                if let Some(e) = w.upgrade() {
                    e.handle(ClientEvent::Tick);
                }
            },
            TICK_MS,
        );
    }

    /// The page's browser went online (connect now) or offline.
    pub fn set_online(self: &Rc<Self>, online: bool) {
        self.online.set(online);
        if online {
            self.backoff.set(0);
            self.connect();
        } else {
            self.disconnect();
        }
    }

    /// The page became visible: connect, or sync now.
    pub fn visible(self: &Rc<Self>) {
        if self.ws.borrow().is_none() {
            self.connect();
        } else {
            self.handle(ClientEvent::Tick);
        }
    }

    /// Another tab wrote chunks of the documents named in `docs` (their
    /// store keys, comma-separated; [`ALL_DOCS`] or nothing known: every
    /// document): merge them (Automerge drops what we have).
    async fn read_other_tabs(&self, docs: &str) {
        let named: BTreeSet<&str> = docs.split(',').collect();
        // Another tab's engine may have been handed keys this one lacks.
        let missing: Vec<DocAddr> = self
            .device
            .borrow()
            .documents()
            .into_iter()
            .map(|a| self.real(a))
            .filter(|a| !self.docs.borrow().contains_key(a))
            .collect();
        if !missing.is_empty() {
            match identity::document_keys(&self.store, &missing).await {
                Ok(found) => self.docs.borrow_mut().extend(found),
                Err(e) => web_sys::console::warn_1(&format!("reading keys another tab kept: {e}").into()),
            }
        }
        let all: Vec<DocAddr> = self.docs.borrow().keys().copied().collect();
        let mut addrs: Vec<DocAddr> = all.iter().copied().filter(|a| named.contains(doc_key(*a).as_str())).collect();
        if addrs.is_empty() && (docs == ALL_DOCS || docs.is_empty()) {
            addrs = all;
        }
        for addr in addrs {
            // A document not loaded yet: loading it reads the other tab's
            // chunks too, and the notebook catches up from its rows.
            if !self.is_open(addr) {
                if let Err(e) = self.ensure_open(addr).await {
                    web_sys::console::warn_1(&format!("reading another tab's changes of {addr}: {e}").into());
                }
                continue;
            }
            match self.store.unseen_chunks(addr).await {
                Ok(chunks) if !chunks.is_empty() => {
                    let effects = self.core.borrow_mut().merge_stored(addr, &chunks);
                    self.enqueue(effects);
                }
                Ok(_) => {}
                Err(e) => web_sys::console::warn_1(&format!("reading another tab's changes of {addr}: {e}").into()),
            }
        }
    }
}

/// Runs the store writes one after the other. Each write's result goes back
/// to the core at once, and what the core answers (the push of a change now
/// durable, its `Changed`, the document's next write) is carried out before
/// the next write: nothing is sent, shown or cursored past a write that
/// failed, because the core emits none of it until it heard the result.
/// Whether `signed` (a retirement made by `me`) holds against the
/// membership as this device read it; the relay checks it again.
/// Each document at the epoch it shows, and the next one (a move under way
/// holds both), in pairs.
fn with_next_epochs(docs: &[DocAddr], epochs: &BTreeMap<DocumentId, lotse_sync::Epoch>) -> Vec<DocAddr> {
    docs.iter()
        .flat_map(|a| {
            let shown = epochs.get(&a.doc).copied().unwrap_or(a.epoch);
            let next = lotse_sync::Epoch(shown.0 + 1);
            [DocAddr { doc: a.doc, epoch: shown }, DocAddr { doc: a.doc, epoch: next }]
        })
        .collect()
}

/// A coordinator's device makes the first key of each document it made
/// (`made_here`) that has none in `docs` yet, keeping it before anything is
/// sealed with it; every other key is handed to it. (A document that moved
/// on was made long ago.) Returns the documents whose keys it made.
async fn make_first_keys(
    store: &IdbStore,
    made_here: &[DocAddr],
    epochs: &BTreeMap<DocumentId, lotse_sync::Epoch>,
    docs: &mut BTreeMap<DocAddr, Keyring>,
) -> Result<Vec<DocAddr>, StoreError> {
    let mut made = vec![];
    for addr in made_here.iter().filter(|a| !epochs.contains_key(&a.doc)) {
        if let std::collections::btree_map::Entry::Vacant(slot) = docs.entry(*addr) {
            let key = CommunityKey::generate(&mut WebEntropy);
            identity::keep_document_key(store, *addr, &key).await?;
            slot.insert(Keyring::new(key));
            made.push(*addr);
        }
    }
    Ok(made)
}

/// The Automerge actor of this device in every document: its public key.
/// A bundle it signs may then hold only changes of this actor (every
/// device checks that), so history names the device behind a change from
/// the signature, not from a map anyone could edit. (The actor of the
/// settings, `Device::actor`, is no longer written with.)
pub(crate) fn device_actor(key: &DeviceKey) -> ActorId {
    ActorId::from(key.id().0.as_slice())
}

pub(crate) fn retirement_holds(
    membership: Option<Membership>,
    me: DeviceId,
    signed: &Signed,
) -> Result<(), RetireError> {
    let Statement::Retire { device } = &signed.statement else { return Err(RetireError::NotMember) };
    if *device == me {
        return Err(RetireError::ThisDevice);
    }
    let mut membership = membership.ok_or(RetireError::NotMember)?;
    match membership.apply(signed, None) {
        Ok(_) => Ok(()),
        Err(MembershipError::LastCoordinator) => Err(RetireError::LastCoordinator),
        Err(MembershipError::Retired(_)) => Err(RetireError::AlreadyRetired),
        Err(MembershipError::NotCoordinator(_)) => Err(RetireError::NotCoordinator),
        Err(_) => Err(RetireError::NotMember),
    }
}

async fn run_jobs(engine: Rc<Engine>, mut rx: mpsc::UnboundedReceiver<Job>) {
    while let Some(Job { op }) = rx.next().await {
        let addr = op.addr();
        let event = match engine.store.persist(&op).await {
            Ok(()) => {
                if let (Some(written), Some(ch)) = (chunk_written(&op), &engine.tabs) {
                    let _ = ch.post_message(&doc_key(written).into());
                }
                ClientEvent::Persisted { addr }
            }
            Err(e) => {
                web_sys::console::error_1(&format!("store: {e}").into());
                engine.failures.borrow_mut().insert(addr, e);
                ClientEvent::PersistFailed { addr }
            }
        };
        engine.busy.set(engine.busy.get().saturating_sub(1));
        let next = engine.core.borrow_mut().handle(now() as u64, event);
        if next.is_empty() && engine.busy.get() == 0 {
            engine.tell(News::Drained);
        }
        engine.enqueue(next);
        engine.refresh_state();
    }
}

/// More chunks than this after a whole save, and the document is compacted
/// when it is next loaded.
const FRAGMENTED: usize = 16;

/// Whether a stored chunk is a whole document (a save), not changes: an
/// Automerge chunk is 4 magic bytes, a 4-byte checksum, then its type (0: a
/// document, 1 and 2: changes).
fn is_whole(chunk: &[u8]) -> bool {
    chunk.get(8) == Some(&0)
}

/// Builds a document from its stored chunks. A compacted document starts
/// with a full save, which Automerge opens in one columnar load; the chunks
/// after it (and the genesis, which a save already holds) are applied
/// incrementally. A damaged chunk must not stop the rest from loading.
fn open_document(addr: DocAddr, genesis: AutoCommit, chunks: &[Vec<u8>]) -> AutoCommit {
    let mut genesis = genesis;
    let whole = chunks.split_first().filter(|(first, _)| is_whole(first));
    let (mut doc, rest) = match whole.and_then(|(first, rest)| Some((AutoCommit::load(first).ok()?, rest))) {
        Some((mut doc, rest)) => {
            doc.set_actor(genesis.get_actor().clone());
            // A save holds the genesis already; merging it is a no-op then
            // and the one safeguard if the save came from elsewhere.
            if let Err(e) = doc.merge(&mut genesis) {
                web_sys::console::warn_1(&format!("the genesis of {addr}: {e}").into());
            }
            (doc, rest)
        }
        None => (genesis, chunks),
    };
    for chunk in rest {
        if let Err(e) = doc.load_incremental(chunk) {
            web_sys::console::warn_1(&format!("skipped a damaged chunk of {addr}: {e}").into());
        }
    }
    doc
}

/// The document whose chunks `op` wrote, if it wrote any: what other tabs
/// must read.
fn chunk_written(op: &Persist) -> Option<DocAddr> {
    match op {
        Persist::Local { addr, .. } | Persist::Compact { addr, .. } | Persist::Remote { addr, bytes: Some(_), .. } => {
            Some(*addr)
        }
        Persist::Remote { bytes: None, .. } | Persist::Acked { .. } | Persist::Generation { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use lotse_sync::membership::testing::key;
    use lotse_sync::membership::{Membership, Role, Statement};
    use lotse_sync::DocumentId;
    use wasm_bindgen_test::*;

    use super::retirement_holds;
    use crate::engine::protocol::RetireError;

    wasm_bindgen_test_configure!(run_in_browser);

    const NET: DocumentId = DocumentId([9; 16]);

    /// A network founded by key 1, with key 2 a mentor.
    fn network() -> Membership {
        let (founder, mentor) = (key(1), key(2));
        let mut m = Membership::new(NET);
        m.apply(&lotse_sync::membership::testing::found(&founder, NET, &[]), None).unwrap();
        let admit = Statement::Admit { device: mentor.id(), role: Role::Mentor, docs: vec![] };
        m.apply(&founder.sign(NET, admit), None).unwrap();
        m
    }

    #[wasm_bindgen_test]
    fn a_coordinator_removes_a_mentor_but_not_itself_the_last_coordinator_or_a_stranger() {
        let (founder, mentor) = (key(1), key(2));
        let retire = |device| founder.sign(NET, Statement::Retire { device });
        assert_eq!(retirement_holds(Some(network()), founder.id(), &retire(mentor.id())), Ok(()));
        assert_eq!(
            retirement_holds(Some(network()), founder.id(), &retire(founder.id())),
            Err(RetireError::ThisDevice)
        );
        // Seen from elsewhere, the same statement is refused by the fold.
        let elsewhere = key(9).id();
        assert_eq!(
            retirement_holds(Some(network()), elsewhere, &retire(founder.id())),
            Err(RetireError::LastCoordinator)
        );
        assert_eq!(retirement_holds(Some(network()), founder.id(), &retire(key(7).id())), Err(RetireError::NotMember));
        assert_eq!(retirement_holds(None, founder.id(), &retire(mentor.id())), Err(RetireError::NotMember));
        let mut retired = network();
        retired.apply(&retire(mentor.id()), None).unwrap();
        let again = founder.sign(NET, Statement::Retire { device: mentor.id() });
        // The same statement again is already applied; a new signature of
        // it is the same statement, so ask with another coordinator's.
        assert_eq!(retirement_holds(Some(retired.clone()), founder.id(), &again), Ok(()));
        let second = key(3);
        retired
            .apply(
                &founder.sign(NET, Statement::Admit { device: second.id(), role: Role::Coordinator, docs: vec![] }),
                None,
            )
            .unwrap();
        let by_second = second.sign(NET, Statement::Retire { device: mentor.id() });
        assert_eq!(retirement_holds(Some(retired), second.id(), &by_second), Err(RetireError::AlreadyRetired));
        // A mentor's signature does not retire anyone.
        let by_mentor = mentor.sign(NET, Statement::Retire { device: founder.id() });
        assert_eq!(retirement_holds(Some(network()), mentor.id(), &by_mentor), Err(RetireError::NotCoordinator));
    }
}
