//! The sync engine: owns the `ClientCore`, runs its effects in order against
//! IndexedDB and the WebSocket, and exposes signals to the views.
//!
//! It opens every document the device syncs, each with its own key: the
//! network document and each community document. Views read a document
//! with [`Engine::read`] and edit it with [`Engine::change`].

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;
use std::time::Duration;

use automerge::{ActorId, AutoCommit};
use futures::channel::{mpsc, oneshot};
use futures::StreamExt;
use leptos::prelude::*;
use lotse_model::{CommunityDoc, Contact, DocError, NetworkDoc};
use lotse_sync::client::{ClientConfig, ClientCore, ClientEffect, ClientEvent, OpenDoc, Persist, Problem};
use lotse_sync::DocAddr;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{BinaryType, BroadcastChannel, MessageEvent, WebSocket};

use crate::device::{Device, WebEntropy};
use crate::store::idb::IdbStore;
use crate::store::{doc_key, DocStore, StoreError};

pub const DB_NAME: &str = "lotse";
const TICK: Duration = Duration::from_secs(2);
const MAX_BACKOFF_MS: f64 = 30_000.0;

/// What the status line shows.
#[derive(Debug, Clone, Copy, PartialEq)]
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
}

impl SyncState {
    pub fn code(self) -> &'static str {
        match self {
            SyncState::Offline { .. } => "offline",
            SyncState::Connecting { .. } => "connecting",
            SyncState::Syncing => "syncing",
            SyncState::Pending(_) => "pending",
            SyncState::Synced(_) => "synced",
        }
    }
}

/// Why an edit was not saved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
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
}

struct Job {
    effects: Vec<ClientEffect>,
    done: Option<oneshot::Sender<Result<(), StoreError>>>,
}

/// The BroadcastChannel message of a tab whose write touched no known
/// document (and of the first version, which synced one): read them all.
const ALL_DOCS: &str = "changed";

/// One per page. Views read its signals; forms call `change` (or
/// `save_contact`).
pub struct Engine {
    pub device: Device,
    network: DocAddr,
    /// Every open document: the network first, then the communities, home first.
    addrs: Vec<DocAddr>,
    core: RefCell<ClientCore<WebEntropy>>,
    store: IdbStore,
    jobs: mpsc::UnboundedSender<Job>,
    ws: RefCell<Option<WebSocket>>,
    connecting: Cell<bool>,
    backoff: Cell<u32>,
    last_synced: Cell<Option<f64>>,
    tabs: Option<BroadcastChannel>,
    /// Bumped whenever any document changed.
    pub version: RwSignal<u64>,
    /// The document that changed last. Several may change at once: a view
    /// that must see every change reads [`Engine::doc_version`] or takes
    /// [`Engine::patches_since_last`] of each document it keeps.
    pub changed: RwSignal<Option<DocAddr>>,
    /// How often each document changed since the start.
    versions: RwSignal<BTreeMap<DocAddr, u64>>,
    pub state: RwSignal<SyncState>,
    pub problems: RwSignal<Vec<Problem>>,
    pub storage_persisted: RwSignal<Option<bool>>,
}

thread_local! {
    static ENGINE: RefCell<Option<Rc<Engine>>> = const { RefCell::new(None) };
}

/// The running engine; `None` until the device is set up and its store open.
pub fn use_engine() -> Option<Rc<Engine>> {
    ENGINE.with(|e| e.borrow().clone())
}

fn now() -> f64 {
    js_sys::Date::now()
}

impl Engine {
    /// Opens the store, loads every document of the device and starts syncing.
    pub async fn start(device: Device) -> Result<Rc<Engine>, StoreError> {
        if let Some(e) = use_engine() {
            return Ok(e);
        }
        let store = IdbStore::open(DB_NAME).await?;
        let network = device.network_addr();
        let actor = ActorId::from(device.actor);
        let mut core = ClientCore::new(WebEntropy, ClientConfig::default());
        let mut opened = Vec::new();
        let mut addrs = Vec::new();
        for (addr, key) in device.documents() {
            let loaded = store.load(addr).await?;
            let mut doc: AutoCommit =
                if addr == network { NetworkDoc::genesis(actor.clone()) } else { CommunityDoc::genesis(actor.clone()) };
            for chunk in &loaded.chunks {
                // A damaged chunk must not stop the rest from loading.
                if let Err(e) = doc.load_incremental(chunk) {
                    web_sys::console::warn_1(&format!("skipped a damaged chunk of {addr}: {e}").into());
                }
            }
            opened.extend(core.open(
                now() as u64,
                OpenDoc { addr, key, doc, cursor: loaded.cursor, outbox: loaded.outbox, chunks: loaded.chunks.len() },
            ));
            addrs.push(addr);
        }
        let (tx, rx) = mpsc::unbounded();
        let engine = Rc::new(Engine {
            device,
            network,
            addrs,
            core: RefCell::new(core),
            store,
            jobs: tx,
            ws: RefCell::new(None),
            connecting: Cell::new(false),
            backoff: Cell::new(0),
            last_synced: Cell::new(None),
            tabs: BroadcastChannel::new("lotse").ok(),
            version: RwSignal::new(0),
            changed: RwSignal::new(None),
            versions: RwSignal::new(BTreeMap::new()),
            state: RwSignal::new(SyncState::Offline { pending: 0 }),
            problems: RwSignal::new(vec![]),
            storage_persisted: RwSignal::new(None),
        });
        ENGINE.with(|e| *e.borrow_mut() = Some(engine.clone()));
        leptos::task::spawn_local(run_jobs(engine.clone(), rx));
        engine.enqueue(opened, None);
        engine.listen();
        engine.connect();
        engine.request_persistence();
        engine.refresh_state();
        Ok(engine)
    }

    /// The network document (shared by the whole network).
    pub fn network_addr(&self) -> DocAddr {
        self.network
    }

    /// The home community's document.
    pub fn home_addr(&self) -> DocAddr {
        self.device.home_addr()
    }

    /// Every community document this device syncs, home first.
    pub fn community_addrs(&self) -> Vec<DocAddr> {
        self.device.community_addrs()
    }

    /// The home community's document (where contacts live); the same as
    /// [`Engine::home_addr`].
    pub fn addr(&self) -> DocAddr {
        self.home_addr()
    }

    /// Reads a document; `None` if this device does not sync it. `f` must
    /// not call back into the engine.
    pub fn read<R>(&self, addr: DocAddr, f: impl FnOnce(&AutoCommit) -> R) -> Option<R> {
        self.core.borrow().doc(addr).map(f)
    }

    /// Runs an edit on a document; resolves once it is durable in
    /// IndexedDB (it is sent to the relay after that, never before). An
    /// edit that fails leaves nothing behind. `f` must not call back into
    /// the engine.
    pub async fn change(
        &self,
        addr: DocAddr,
        f: impl FnOnce(&mut AutoCommit) -> Result<(), DocError>,
    ) -> Result<(), SaveError> {
        let effects = {
            let mut core = self.core.borrow_mut();
            if core.doc(addr).is_none() {
                return Err(SaveError::NotOpen(addr));
            }
            core.change(now() as u64, addr, f).map_err(|e| SaveError::Model(e.to_string()))?.1
        };
        let (tx, rx) = oneshot::channel();
        self.enqueue(effects, Some(tx));
        rx.await.unwrap_or_else(|_| Err(StoreError::Idb("the app stopped before the save was stored".into())))?;
        if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
            body.dataset().set("lastSave", &now().to_string()).ok();
        }
        Ok(())
    }

    /// What changed in `addr` since the last call for it (all of it on the
    /// first call), for a hydrated cache kept elsewhere. Each change is
    /// handed out once, so one cache per document calls this. Changes
    /// nothing in the document.
    pub fn patches_since_last(&self, addr: DocAddr) -> Vec<automerge::Patch> {
        self.core.borrow_mut().diff_incremental(addr).unwrap_or_default()
    }

    /// Runs a read that Automerge only offers on `&mut` (a record's
    /// history); `f` must not edit the document.
    pub fn inspect<R>(&self, addr: DocAddr, f: impl FnOnce(&mut AutoCommit) -> R) -> Option<R> {
        self.core.borrow_mut().inspect(addr, f)
    }

    /// How often `addr` changed since the engine started; reading it in a
    /// reactive context tracks it (as `version` does, for every document).
    pub fn doc_version(&self, addr: DocAddr) -> u64 {
        self.versions.with(|v| v.get(&addr).copied().unwrap_or(0))
    }

    /// Every contact of the home community, sorted by name.
    pub fn contacts(&self) -> Vec<Contact> {
        self.read(self.home_addr(), |d| CommunityDoc::contacts(d).ok()).flatten().unwrap_or_default()
    }

    pub fn contact(&self, id: lotse_model::ContactId) -> Option<Contact> {
        self.read(self.home_addr(), |d| CommunityDoc::contact(d, id).ok().flatten()).flatten()
    }

    /// Writes a contact into the home community; resolves once it is
    /// durable in IndexedDB.
    pub async fn save_contact(&self, contact: &Contact) -> Result<(), String> {
        self.change(self.home_addr(), |doc| CommunityDoc::put_contact(doc, contact)).await.map_err(|e| e.to_string())
    }

    fn enqueue(&self, effects: Vec<ClientEffect>, done: Option<oneshot::Sender<Result<(), StoreError>>>) {
        if effects.is_empty() && done.is_none() {
            return;
        }
        let _ = self.jobs.unbounded_send(Job { effects, done });
    }

    fn handle(&self, event: ClientEvent) {
        let effects = self.core.borrow_mut().handle(now() as u64, event);
        self.enqueue(effects, None);
        self.refresh_state();
    }

    fn refresh_state(&self) {
        let status = self.core.borrow().status();
        let ws_open = self.ws.borrow().as_ref().is_some_and(|w| w.ready_state() == WebSocket::OPEN);
        let state = if !status.connected || !ws_open {
            if self.connecting.get() {
                SyncState::Connecting { pending: status.pending }
            } else {
                SyncState::Offline { pending: status.pending }
            }
        } else if status.pending > 0 {
            SyncState::Pending(status.pending)
        } else if !status.caught_up {
            SyncState::Syncing
        } else {
            let t = now();
            self.last_synced.set(Some(t));
            SyncState::Synced(t)
        };
        // Avoid re-rendering the status every tick when nothing changed.
        let same = matches!((self.state.get_untracked(), state), (SyncState::Synced(_), SyncState::Synced(_)));
        if !same {
            self.state.set(state);
        }
    }

    fn ws_url() -> Option<String> {
        let loc = web_sys::window()?.location();
        let scheme = if loc.protocol().ok()? == "https:" { "wss" } else { "ws" };
        Some(format!("{scheme}://{}/sync", loc.host().ok()?))
    }

    /// Opens the relay connection unless one is open or opening.
    pub fn connect(self: &Rc<Self>) {
        if self.ws.borrow().is_some() {
            return;
        }
        if web_sys::window().is_some_and(|w| !w.navigator().on_line()) {
            return;
        }
        let Some(url) = Self::ws_url() else { return };
        let Ok(ws) = WebSocket::new(&url) else { return };
        ws.set_binary_type(BinaryType::Arraybuffer);
        self.connecting.set(true);
        let weak = Rc::downgrade(self);
        let on_open = Closure::<dyn FnMut()>::new({
            let weak = weak.clone();
            move || {
                if let Some(e) = weak.upgrade() {
                    e.connecting.set(false);
                    e.backoff.set(0);
                    e.handle(ClientEvent::Connected);
                }
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

    fn disconnect(&self) {
        if let Some(ws) = self.ws.borrow().as_ref() {
            let _ = ws.close();
        }
    }

    fn schedule_reconnect(self: &Rc<Self>) {
        let n = self.backoff.get().min(5);
        self.backoff.set(n + 1);
        let delay = (1000.0 * f64::from(1u32 << n)).min(MAX_BACKOFF_MS) * (0.75 + 0.5 * js_sys::Math::random());
        let weak = Rc::downgrade(self);
        set_timeout(
            move || {
                if let Some(e) = weak.upgrade() {
                    e.connect();
                }
            },
            Duration::from_millis(delay as u64),
        );
    }

    fn listen(self: &Rc<Self>) {
        let Some(window) = web_sys::window() else { return };
        let weak = Rc::downgrade(self);
        let on = |target: &web_sys::EventTarget, name: &str, f: Box<dyn FnMut()>| {
            let c = Closure::<dyn FnMut()>::wrap(f);
            let _ = target.add_event_listener_with_callback(name, c.as_ref().unchecked_ref());
            c.forget(); // lives as long as the page
        };
        let w = weak.clone();
        on(
            &window,
            "online",
            Box::new(move || {
                if let Some(e) = w.upgrade() {
                    e.backoff.set(0);
                    e.connect();
                }
            }),
        );
        let w = weak.clone();
        on(
            &window,
            "offline",
            Box::new(move || {
                if let Some(e) = w.upgrade() {
                    e.disconnect();
                }
            }),
        );
        if let Some(doc) = window.document() {
            let w = weak.clone();
            let d = doc.clone();
            on(
                &doc,
                "visibilitychange",
                Box::new(move || {
                    if let Some(e) = w.upgrade() {
                        if d.visibility_state() == web_sys::VisibilityState::Visible {
                            if e.ws.borrow().is_none() {
                                e.connect();
                            } else {
                                e.handle(ClientEvent::Tick);
                            }
                        }
                    }
                }),
            );
        }
        if let Some(ch) = &self.tabs {
            let w = weak.clone();
            let c = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
                if let Some(e) = w.upgrade() {
                    let docs = ev.data().as_string().unwrap_or_default();
                    leptos::task::spawn_local(async move { e.read_other_tabs(&docs).await });
                }
            });
            ch.set_onmessage(Some(c.as_ref().unchecked_ref()));
            c.forget();
        }
        let w = weak.clone();
        let _ = set_interval_with_handle(
            move || {
                if let Some(e) = w.upgrade() {
                    e.handle(ClientEvent::Tick);
                }
            },
            TICK,
        );
    }

    /// Another tab wrote chunks of the documents named in `docs` (their
    /// store keys, comma-separated; [`ALL_DOCS`] or nothing known: every
    /// document): merge them (Automerge drops what we have).
    async fn read_other_tabs(&self, docs: &str) {
        let named: BTreeSet<&str> = docs.split(',').collect();
        let mut addrs: Vec<DocAddr> =
            self.addrs.iter().copied().filter(|a| named.contains(doc_key(*a).as_str())).collect();
        if addrs.is_empty() && (docs == ALL_DOCS || docs.is_empty()) {
            addrs = self.addrs.clone();
        }
        for addr in addrs {
            match self.store.unseen_chunks(addr).await {
                Ok(chunks) if !chunks.is_empty() => {
                    let effects = self.core.borrow_mut().merge_stored(addr, &chunks);
                    self.enqueue(effects, None);
                }
                Ok(_) => {}
                Err(e) => web_sys::console::warn_1(&format!("reading another tab's changes of {addr}: {e}").into()),
            }
        }
    }

    fn request_persistence(&self) {
        let Some(storage) = web_sys::window().map(|w| w.navigator().storage()) else { return };
        let signal = self.storage_persisted;
        leptos::task::spawn_local(async move {
            let persisted = match storage.persist() {
                Ok(p) => wasm_bindgen_futures::JsFuture::from(p).await.ok().and_then(|v| v.as_bool()),
                Err(_) => None,
            };
            signal.set(Some(persisted.unwrap_or(false)));
        });
    }
}

/// Runs effects strictly in order: a bundle is sent only after the write
/// that holds it is durable.
async fn run_jobs(engine: Rc<Engine>, mut rx: mpsc::UnboundedReceiver<Job>) {
    while let Some(job) = rx.next().await {
        let mut result = Ok(());
        let mut wrote = BTreeSet::new();
        for effect in job.effects {
            match effect {
                ClientEffect::Persist(op) => match engine.store.persist(&op).await {
                    Ok(()) => {
                        wrote.extend(chunk_written(&op));
                    }
                    Err(e) => {
                        web_sys::console::error_1(&format!("store: {e}").into());
                        result = Err(e);
                    }
                },
                ClientEffect::Send(bytes) => {
                    if let Some(ws) = engine.ws.borrow().as_ref().filter(|w| w.ready_state() == WebSocket::OPEN) {
                        let _ = ws.send_with_u8_array(&bytes);
                    }
                }
                ClientEffect::Changed(addr) => {
                    engine.versions.update(|v| *v.entry(addr).or_default() += 1);
                    engine.changed.set(Some(addr));
                    engine.version.update(|v| *v += 1);
                }
                ClientEffect::Problem(p) => engine.problems.update(|ps| ps.push(p)),
            }
        }
        if !wrote.is_empty() {
            if let Some(ch) = &engine.tabs {
                let docs: Vec<String> = wrote.into_iter().map(doc_key).collect();
                let _ = ch.post_message(&docs.join(",").into());
            }
        }
        if let Some(done) = job.done {
            let _ = done.send(result);
        }
        engine.refresh_state();
    }
}

/// The document whose chunks `op` wrote, if it wrote any: what other tabs
/// must read.
fn chunk_written(op: &Persist) -> Option<DocAddr> {
    match op {
        Persist::Local { addr, .. } | Persist::Compact { addr, .. } | Persist::Remote { addr, bytes: Some(_), .. } => {
            Some(*addr)
        }
        Persist::Remote { bytes: None, .. } | Persist::Acked { .. } => None,
    }
}
