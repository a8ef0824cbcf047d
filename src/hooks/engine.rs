//! The page's link to the engine worker (`lotse-engine`, see
//! `crate::engine`): the page never loads Automerge. The worker starts with
//! the first message for it — once the first screen is drawn from the rows,
//! or when a new device is set up — so neither its download nor its compile
//! competes with the first screen. The page waits until the worker listens,
//! and then talks to it in [`crate::engine::protocol`] messages.
//!
//! The worker holds a Web Lock named after itself for its whole life; the
//! page waits on that lock, so when the worker ends (closed, terminated,
//! crashed) the page knows at once, says so, fails whatever waited for an
//! answer ([`SaveError::Stopped`]) and starts a new worker, which hears
//! what the page already shows and sends only what is newer.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use futures::channel::oneshot;
use leptos::prelude::*;
use lotse_model::erasure::ErasedIds;
use lotse_model::export::{Export, PinError, Pinned};
use lotse_model::import::{ImportError, Preview};
use lotse_model::review::{ReviewPage, ReviewQuery};
use lotse_model::{Community, Edit, HistoryEntry, Mentor};
use lotse_sync::membership::Role;
use lotse_sync::DocAddr;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker, WorkerOptions};

use crate::device::Device;
use crate::engine::protocol::{
    decode, encode, Access, EraseRefused, FromEngine, ImportCheck, Invited, PinChange, PinRefused, RetireError,
    SaveError, Stamps, SyncState, ToEngine, Trouble, WipeReason, PROTOCOL,
};
use crate::store::StoreError;

/// The worker's script: Trunk's loader for the `lotse-engine` binary.
const WORKER_SCRIPT: &str = "./lotse-engine_loader.js";

/// How the engine is doing, for the page to say.
#[derive(Debug, Clone, PartialEq)]
pub enum Health {
    /// Its code is loading (the first screen is drawn meanwhile).
    Loading,
    Running,
    /// It stopped and a new one is starting.
    Restarting,
    /// The store could not be opened.
    Failed(StoreError),
    /// The worker is of another version than the page: reload.
    Outdated,
}

/// What the page does with what the engine sends (the notebook).
pub trait Listener {
    fn update(&self, addr: DocAddr, bytes: &[u8]);
    fn opened(&self, addr: DocAddr);
    fn idle(&self, stamps: Stamps);
    /// What the page shows of each document, for a (new) worker's start.
    fn reflects(&self) -> crate::engine::protocol::Reflects;
}

struct Started {
    device: Device,
}

/// One per page.
pub struct EngineLink {
    me: std::rc::Weak<EngineLink>,
    worker: RefCell<Option<Worker>>,
    /// Which worker is current: a lock released by an old one is ignored.
    generation: Cell<u32>,
    loaded: Cell<bool>,
    /// Messages waiting for the worker to listen.
    queue: RefCell<Vec<Vec<u8>>>,
    next_req: Cell<u32>,
    waiting: RefCell<HashMap<u32, oneshot::Sender<FromEngine>>>,
    started: RefCell<Option<Started>>,
    /// The engine holds demo data to store on start.
    demo_made: Cell<bool>,
    /// The one-time secret of the invitation this device joined with, until
    /// the engine has signed and kept the enrolment (then it is forgotten).
    enrolment: RefCell<Option<[u8; 32]>>,
    listener: RefCell<Option<Rc<dyn Listener>>>,
    /// The PIN that opened the app lock, to open it again for a worker
    /// started after this one ended (a crash, the leading tab closed): the
    /// page that holds it shows the notebook anyway, and the PIN is gone
    /// with the page.
    pin: RefCell<Option<String>>,
    /// Too many wrong PINs wiped the device: no worker starts again.
    wiped: Cell<bool>,
    pub health: RwSignal<Health>,
    pub state: RwSignal<SyncState>,
    /// This device's place in the network, as the relay answered.
    pub access: RwSignal<Access>,
    pub problems: RwSignal<Vec<Trouble>>,
    pub storage_persisted: RwSignal<Option<bool>>,
    /// How many times the worker was restarted (the page says so).
    pub restarts: RwSignal<u32>,
}

thread_local! {
    static LINK: RefCell<Option<Rc<EngineLink>>> = const { RefCell::new(None) };
}

/// The page's engine link, once the app started it.
pub fn use_engine() -> Option<Rc<EngineLink>> {
    LINK.with(|l| l.borrow().clone())
}

/// The device this page runs as, once it is set up and started.
pub fn use_device() -> Option<Device> {
    use_engine().and_then(|e| e.started.borrow().as_ref().map(|s| s.device.clone()))
}

impl EngineLink {
    /// The page's link (one per page); the worker starts with the first
    /// message for it.
    pub fn spawn() -> Rc<EngineLink> {
        if let Some(link) = use_engine() {
            return link;
        }
        let link = Rc::new_cyclic(|me| EngineLink {
            me: me.clone(),
            worker: RefCell::new(None),
            generation: Cell::new(0),
            loaded: Cell::new(false),
            queue: RefCell::new(vec![]),
            next_req: Cell::new(1),
            waiting: RefCell::new(HashMap::new()),
            started: RefCell::new(None),
            demo_made: Cell::new(false),
            enrolment: RefCell::new(None),
            listener: RefCell::new(None),
            pin: RefCell::new(None),
            wiped: Cell::new(false),
            health: RwSignal::new(Health::Loading),
            state: RwSignal::new(SyncState::Offline { pending: 0 }),
            access: RwSignal::new(Access::default()),
            problems: RwSignal::new(vec![]),
            storage_persisted: RwSignal::new(None),
            restarts: RwSignal::new(0),
        });
        LINK.with(|l| *l.borrow_mut() = Some(link.clone()));
        link.request_persistence();
        link.listen_for_visibility();
        link.listen_for_network();
        link
    }

    fn launch(self: &Rc<Self>) {
        let generation = self.generation.get() + 1;
        self.generation.set(generation);
        self.loaded.set(false);
        let name = format!("lotse-engine-{}-{generation}", js_sys::Math::random().to_bits());
        let options = WorkerOptions::new();
        options.set_name(&name);
        let worker = match Worker::new_with_options(WORKER_SCRIPT, &options) {
            Ok(w) => w,
            Err(e) => {
                web_sys::console::error_2(&"starting the engine".into(), &e);
                self.health.set(Health::Failed(StoreError::Refused("the engine could not start".into())));
                return;
            }
        };
        let weak = Rc::downgrade(self);
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new({
            let weak = weak.clone();
            move |ev: MessageEvent| {
                let Some(link) = weak.upgrade() else { return };
                if link.generation.get() != generation {
                    return;
                }
                let bytes = js_sys::Uint8Array::new(&ev.data()).to_vec();
                match decode::<FromEngine>(&bytes) {
                    Ok(m) => link.receive(m, &name),
                    Err(e) => {
                        web_sys::console::error_1(&format!("a message from the engine does not decode: {e}").into());
                        link.health.set(Health::Outdated);
                    }
                }
            }
        });
        let on_error = Closure::<dyn FnMut(web_sys::ErrorEvent)>::new({
            let weak = weak.clone();
            move |ev: web_sys::ErrorEvent| {
                web_sys::console::error_1(&format!("the engine failed: {}", ev.message()).into());
                if let Some(link) = weak.upgrade() {
                    if link.generation.get() == generation {
                        link.restart();
                    }
                }
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        // Owned by the worker from here; a restart drops the old worker.
        on_message.forget();
        on_error.forget();
        *self.worker.borrow_mut() = Some(worker);
    }

    /// The worker ended or failed: tell whoever waits, start a new one and
    /// start it with the same device.
    fn restart(self: &Rc<Self>) {
        if let Some(w) = self.worker.borrow_mut().take() {
            w.terminate();
        }
        if self.wiped.get() {
            return;
        }
        for (req, tx) in self.waiting.borrow_mut().drain() {
            let _ = tx.send(FromEngine::Saved { req, result: Err(SaveError::Stopped) });
        }
        self.queue.borrow_mut().clear();
        self.health.set(Health::Restarting);
        self.restarts.update(|n| *n += 1);
        self.launch();
        let pin = self.pin.borrow().clone();
        if let Some(pin) = pin {
            // Answered before the start is read; the answer needs no one.
            self.send(&ToEngine::Unlock { req: 0, pin });
        }
        let started = self.started.borrow().as_ref().map(|s| s.device.clone());
        if let Some(device) = started {
            // The demo data, if any, is stored by now or lost with the worker.
            self.send_start(device, false);
        }
    }

    fn receive(self: &Rc<Self>, message: FromEngine, name: &str) {
        match message {
            FromEngine::Loaded { protocol } => {
                if protocol != PROTOCOL {
                    self.health.set(Health::Outdated);
                    return;
                }
                self.loaded.set(true);
                self.watch_lock(name);
                let queued = std::mem::take(&mut *self.queue.borrow_mut());
                for bytes in queued {
                    self.post_now(&bytes);
                }
                if self.started.borrow().is_some() {
                    self.health.set(Health::Running);
                }
            }
            FromEngine::Failed(e) => self.health.set(Health::Failed(e)),
            FromEngine::Update { addr, bytes } => {
                let listener = self.listener.borrow().clone();
                if let Some(l) = listener {
                    l.update(addr, &bytes);
                }
            }
            FromEngine::Opened(addr) => {
                super::mark("lotse-document-loaded");
                let listener = self.listener.borrow().clone();
                if let Some(l) = listener {
                    l.opened(addr);
                }
            }
            FromEngine::Idle { stamps } => {
                let listener = self.listener.borrow().clone();
                if let Some(l) = listener {
                    l.idle(stamps);
                }
            }
            FromEngine::Status(s) => {
                if self.health.get_untracked() != Health::Running && self.loaded.get() {
                    self.health.set(Health::Running);
                }
                self.state.set(s);
            }
            FromEngine::Trouble(t) => self.problems.update(|ps| ps.push(t)),
            FromEngine::Access(a) => self.access.set(a),
            FromEngine::Enrolled { result: Ok(()) } => {
                self.enrolment.borrow_mut().take();
            }
            // Kept: sent again with the next start.
            FromEngine::Enrolled { result: Err(_) } => {}
            FromEngine::Saved { req, .. }
            | FromEngine::History { req, .. }
            | FromEngine::Review { req, .. }
            | FromEngine::Demo { req, .. }
            | FromEngine::Invited { req, .. }
            | FromEngine::Retired { req, .. }
            | FromEngine::Held { req, .. }
            | FromEngine::Qr { req, .. }
            | FromEngine::Import { req, .. }
            | FromEngine::Pinned { req, .. }
            | FromEngine::Unlocked { req, .. }
            | FromEngine::LockChanged { req, .. }
            | FromEngine::Erased { req, .. } => {
                if let Some(tx) = self.waiting.borrow_mut().remove(&req) {
                    let _ = tx.send(message);
                }
            }
            FromEngine::Wiped(why) => self.wiped(why),
        }
    }

    /// Waits on the worker's lock: granted only once the worker is gone.
    fn watch_lock(self: &Rc<Self>, name: &str) {
        let Some(locks) = web_sys::window()
            .and_then(|w| js_sys::Reflect::get(&w.navigator(), &"locks".into()).ok())
            .filter(|l| !l.is_undefined())
        else {
            return;
        };
        let Some(request) =
            js_sys::Reflect::get(&locks, &"request".into()).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        else {
            return;
        };
        let generation = self.generation.get();
        let weak = Rc::downgrade(self);
        let gone = Closure::once_into_js(move |_lock: JsValue| {
            if let Some(link) = weak.upgrade() {
                if link.generation.get() == generation {
                    web_sys::console::warn_1(&"the engine stopped; starting it again".into());
                    link.restart();
                }
            }
        });
        let _ = request.call2(&locks, &name.into(), &gone);
    }

    fn post_now(&self, bytes: &[u8]) {
        let Some(worker) = self.worker.borrow().clone() else { return };
        let array = js_sys::Uint8Array::from(bytes);
        let transfer = js_sys::Array::of1(&array.buffer());
        if let Err(e) = worker.post_message_with_transfer(&array, &transfer) {
            web_sys::console::error_2(&"posting to the engine".into(), &e);
        }
    }

    fn send(&self, message: &ToEngine) {
        let bytes = encode(message);
        if self.worker.borrow().is_none() && self.generation.get() == 0 {
            if let Some(me) = self.me.upgrade() {
                me.launch();
            }
        }
        if self.loaded.get() {
            self.post_now(&bytes);
        } else {
            self.queue.borrow_mut().push(bytes);
        }
    }

    async fn ask(&self, make: impl FnOnce(u32) -> ToEngine) -> Option<FromEngine> {
        let req = self.next_req.get();
        self.next_req.set(req.wrapping_add(1));
        let (tx, rx) = oneshot::channel();
        self.waiting.borrow_mut().insert(req, tx);
        self.send(&make(req));
        rx.await.ok()
    }

    /// The page's notebook, which hears every update.
    pub fn set_listener(&self, listener: Rc<dyn Listener>) {
        *self.listener.borrow_mut() = Some(listener);
    }

    /// Starts syncing `device` (once; the listener must be set), storing
    /// the data [`EngineLink::make_demo`] made first, if any.
    pub fn start(&self, device: Device) {
        if self.started.borrow().is_some() {
            return;
        }
        let demo = self.demo_made.replace(false);
        *self.started.borrow_mut() = Some(Started { device: device.clone() });
        if self.loaded.get() {
            self.health.set(Health::Running);
        }
        self.send_start(device, demo);
    }

    fn send_start(&self, device: Device, demo: bool) {
        let reflects = self.listener.borrow().as_ref().map(|l| l.reflects()).unwrap_or_default();
        let online = web_sys::window().is_none_or(|w| w.navigator().on_line());
        let enrol = *self.enrolment.borrow();
        self.send(&ToEngine::Start { protocol: PROTOCOL, device, reflects, demo, online, enrol });
    }

    /// This device joins with an invitation: the engine signs the
    /// enrolment with its one-time `secret` once it runs (before the device
    /// starts, this is kept for the start).
    pub fn enrol(&self, secret: [u8; 32]) {
        *self.enrolment.borrow_mut() = Some(secret);
        if self.started.borrow().is_some() {
            self.send(&ToEngine::Enrol { secret });
        }
    }

    /// A coordinator's invitation for one device, valid for `valid_for`
    /// seconds: a mentor's to the community of document `community`, or a
    /// coordinator's (whose link starts it there).
    pub async fn invite(&self, valid_for: u64, community: [u8; 16], role: Role) -> Result<Invited, String> {
        match self.ask(|req| ToEngine::Invite { req, valid_for, community, role }).await {
            Some(FromEngine::Invited { result, .. }) => result,
            _ => Err("the engine stopped".to_owned()),
        }
    }

    /// The device (saved already) holds more communities than it started
    /// with: the engine syncs their documents and sends their rows, with
    /// no restart (a restarted worker starts with them). Resolves once the
    /// engine holds them.
    pub async fn hold(&self, device: Device) -> Result<(), StoreError> {
        let added: Vec<crate::device::Membership> = {
            let mut started = self.started.borrow_mut();
            let Some(started) = started.as_mut() else {
                return Err(StoreError::Idb("the engine is not started".to_owned()));
            };
            let added = device
                .communities
                .iter()
                .filter(|m| started.device.membership(m.community_id).is_none())
                .cloned()
                .collect();
            started.device = device;
            added
        };
        if added.is_empty() {
            return Ok(());
        }
        match self.ask(|req| ToEngine::Hold { req, communities: added }).await {
            Some(FromEngine::Held { result, .. }) => result,
            _ => Err(StoreError::Idb("the engine stopped".to_owned())),
        }
    }

    /// A coordinator removes the device with this public key from the
    /// network: resolves once the signed retirement is kept on this device
    /// (the relay gets it when online; `access` says when it did).
    pub async fn retire(&self, device: [u8; 32]) -> Result<(), RetireError> {
        match self.ask(|req| ToEngine::Retire { req, device }).await {
            Some(FromEngine::Retired { result, .. }) => result,
            _ => Err(RetireError::Store("the engine stopped".to_owned())),
        }
    }

    /// Erases the records `erased` from the documents `addrs` (each
    /// rewritten into a new epoch that every device moves to within
    /// `deadline_days`; see [`ToEngine::Erase`]).
    pub async fn erase(
        &self,
        addrs: Vec<DocAddr>,
        erased: ErasedIds,
        unlinked: ErasedIds,
        requested_on: String,
        deadline_days: u32,
    ) -> Result<(), EraseRefused> {
        match self.ask(|req| ToEngine::Erase { req, addrs, erased, unlinked, requested_on, deadline_days }).await {
            Some(FromEngine::Erased { result, .. }) => result,
            _ => Err(EraseRefused::Failed("the engine stopped".to_owned())),
        }
    }

    /// `text` drawn as a QR code (an SVG document) by the engine.
    pub async fn qr(&self, text: String) -> Option<String> {
        match self.ask(|req| ToEngine::Qr { req, text }).await {
            Some(FromEngine::Qr { svg, .. }) => svg,
            _ => None,
        }
    }

    /// A CSV file checked as an import by the engine; `None` if the engine
    /// stopped before it answered.
    pub async fn check_import(&self, check: ImportCheck) -> Option<Result<Preview, ImportError>> {
        match self.ask(|req| ToEngine::Import { req, check: Box::new(check) }).await {
            Some(FromEngine::Import { result, .. }) => Some(*result),
            _ => None,
        }
    }

    /// `export`'s report counted again at its heads by the engine; `None`
    /// if the engine stopped before it answered.
    pub async fn pinned(&self, export: Export) -> Option<Result<Pinned, PinError>> {
        match self.ask(|req| ToEngine::Pinned { req, export: Box::new(export) }).await {
            Some(FromEngine::Pinned { result, .. }) => Some(*result),
            _ => None,
        }
    }

    /// Opens the app lock with `pin` (the worker starts for it); kept for a
    /// worker started later.
    pub async fn unlock(&self, pin: String) -> Result<(), PinRefused> {
        let result = match self.ask(|req| ToEngine::Unlock { req, pin: pin.clone() }).await {
            Some(FromEngine::Unlocked { result, .. }) => result,
            _ => Err(PinRefused::Store(StoreError::Refused("the engine stopped".into()))),
        };
        if result.is_ok() {
            *self.pin.borrow_mut() = Some(pin);
        }
        result
    }

    /// Turns the app lock on or off, or changes its PIN.
    pub async fn set_lock(&self, change: PinChange) -> Result<(), PinRefused> {
        let pin = match &change {
            PinChange::Set { pin } => Some(pin.clone()),
            PinChange::Change { new, .. } => Some(new.clone()),
            PinChange::Remove { .. } => None,
        };
        let result = match self.ask(|req| ToEngine::SetLock { req, change }).await {
            Some(FromEngine::LockChanged { result, .. }) => result,
            _ => Err(PinRefused::Store(StoreError::Refused("the engine stopped".into()))),
        };
        if result.is_ok() {
            *self.pin.borrow_mut() = pin;
        }
        result
    }

    /// The device was wiped (in this tab or another): its settings go too,
    /// and the page starts again at the start page. No worker is started
    /// again: it would make a new device key in the emptied store.
    fn wiped(&self, why: WipeReason) {
        if self.wiped.replace(true) {
            return;
        }
        self.pin.borrow_mut().take();
        if let Some(w) = self.worker.borrow_mut().take() {
            w.terminate();
        }
        // The language stays: the first screen says why in it.
        let lang = crate::device::load_lang();
        crate::device::forget_everything();
        crate::device::save_wiped(why);
        if let Some(lang) = lang {
            crate::device::save_lang(lang);
        }
        if let Some(w) = web_sys::window() {
            let _ = w.location().set_hash("");
            let _ = w.location().reload();
        }
    }

    /// Asks for `addr`'s records whole (the page's rows were refused).
    pub fn send_whole(&self, addr: DocAddr) {
        self.send(&ToEngine::Whole(addr));
    }

    /// Writes `edit` into `addr`'s document; resolves once it is durable
    /// (and its rows reached the notebook) or was discarded.
    pub async fn save(&self, addr: DocAddr, edit: Edit) -> Result<(), SaveError> {
        let now_ms = js_sys::Date::now() as i64;
        match self.ask(|req| ToEngine::Save { req, addr, edit, now_ms }).await {
            Some(FromEngine::Saved { result, .. }) => result,
            _ => Err(SaveError::Stopped),
        }
    }

    /// A record's history (the engine loads its document if need be).
    pub async fn history(&self, addr: DocAddr, collection: &str, key: &str) -> Vec<HistoryEntry> {
        let (collection, key) = (collection.to_owned(), key.to_owned());
        match self.ask(|req| ToEngine::History { req, addr, collection, key }).await {
            Some(FromEngine::History { entries, .. }) => entries,
            _ => vec![],
        }
    }

    /// The changes of `addr`'s document that `query` asks for (the engine
    /// loads the document if need be).
    pub async fn review(&self, addr: DocAddr, query: ReviewQuery) -> ReviewPage {
        match self.ask(|req| ToEngine::Review { req, addr, query }).await {
            Some(FromEngine::Review { page, .. }) => page,
            _ => ReviewPage::default(),
        }
    }

    /// Makes the demo data in the engine; the people the device must hold.
    pub async fn make_demo(
        &self,
        size: String,
        seed: u64,
        today: String,
        actor: [u8; 16],
    ) -> Result<(Mentor, Vec<Community>), String> {
        let result = match self.ask(|req| ToEngine::MakeDemo { req, size, seed, today, actor }).await {
            Some(FromEngine::Demo { result, .. }) => result,
            _ => Err("the engine stopped".to_owned()),
        };
        self.demo_made.set(result.is_ok());
        result
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

    /// The page's `online` and `offline`, passed on: what the page's browser
    /// says is what counts (an emulated offline page, for one, may leave
    /// its worker believing it is online).
    fn listen_for_network(self: &Rc<Self>) {
        let Some(window) = web_sys::window() else { return };
        self.pass_on(&window, "online", || Some(ToEngine::Online(true)));
        self.pass_on(&window, "offline", || Some(ToEngine::Online(false)));
    }

    /// Workers see no `visibilitychange`: the page passes it on.
    fn listen_for_visibility(self: &Rc<Self>) {
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
        let d = doc.clone();
        self.pass_on(&doc, "visibilitychange", move || {
            (d.visibility_state() == web_sys::VisibilityState::Visible).then_some(ToEngine::Visible)
        });
    }

    /// Sends the engine what `message` makes of each `event` on `target`,
    /// once it is started (before, it has no connection to care about).
    fn pass_on(
        self: &Rc<Self>,
        target: &web_sys::EventTarget,
        event: &str,
        message: impl Fn() -> Option<ToEngine> + 'static,
    ) {
        let weak = Rc::downgrade(self);
        let c = Closure::<dyn FnMut()>::new(move || {
            if let (Some(link), Some(m)) = (weak.upgrade().filter(|l| l.started.borrow().is_some()), message()) {
                link.send(&m);
            }
        });
        let _ = target.add_event_listener_with_callback(event, c.as_ref().unchecked_ref());
        c.forget(); // for the page's life
    }
}
