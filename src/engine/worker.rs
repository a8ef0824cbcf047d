//! The engine worker's one event loop: messages from the page, from the other
//! tabs' workers and news from the [`Engine`] go through it in order.
//!
//! **One engine per origin.** Every tab has a worker, but only the one that
//! holds the Web Lock `lotse-engine` (the leader) runs an [`Engine`]. The
//! others are followers: they pass their page's messages to the leader over
//! the BroadcastChannel `lotse-engine-bus` and its answers back. When the
//! leader's tab closes, each follower in turn is granted the lock and ends
//! itself; its page sees the worker gone and starts a new one, which
//! becomes the leader or greets the one that did — the same path as a
//! crash, with nothing acknowledged lost.
//!
//! The leader keeps, per tab and document, what the page shows, and after
//! every change sends each page the rows of the records that change touched,
//! before the save's answer, so a form that hears "saved" finds its record
//! in the lists.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use automerge::{ActorId, ChangeHash};
use futures::channel::mpsc;
use futures::StreamExt;
use lotse_model::demo::{generate, Demo, DemoSize};
use lotse_model::export::PinError;
use lotse_model::review::review;
use lotse_model::{history, DocRef, Notebook};
use lotse_sync::client::{Problem, SnapshotError};
use lotse_sync::envelope::EnvelopeError;
use lotse_sync::wire::ErrorCode;
use lotse_sync::DocAddr;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{BroadcastChannel, DedicatedWorkerGlobalScope, MessageEvent};

use super::core::{Engine, News};
use super::protocol::{
    decode, encode, EraseRefused, FromEngine, PinChange, PinRefused, Reflects, RetireError, SaveError, ToEngine,
    Trouble, WipeReason, PROTOCOL,
};
use crate::device::Device;

/// The lock only the leader holds.
const LEADER_LOCK: &str = "lotse-engine";
/// Where the workers of one origin talk.
const BUS: &str = "lotse-engine-bus";

/// A tab's worker, by a random id.
type Tab = u64;

/// Between the workers of one origin.
#[derive(Serialize, Deserialize)]
enum Bus {
    /// A follower's page started: what it shows.
    Hello { tab: Tab, protocol: u32, reflects: Reflects },
    /// A follower's page asks the leader.
    ToLeader { tab: Tab, message: ToEngine },
    /// The leader answers these tabs (all of them: `None`).
    ToTabs { tabs: Option<Vec<Tab>>, message: FromEngine },
    /// A worker became the leader: followers greet it.
    Leader,
    /// The device was wiped (too many wrong PINs, or left behind by an
    /// erasure): every worker tells its page and ends (the leader's engine
    /// with it).
    Wiped(WipeReason),
}

/// What the page shows of a document.
enum Shows {
    /// Rows with these heads; the engine has not sent anything newer.
    Rows(Vec<ChangeHash>),
    /// Nothing yet: it gets the whole document once it is open.
    Nothing,
    /// Everything up to the document's diff cursor.
    Following,
}

struct Page {
    which: DocRef,
    shows: Shows,
}

#[derive(Default, PartialEq)]
enum Role {
    #[default]
    Undecided,
    Leader,
    /// With the page's greeting, sent again when a new leader appears.
    Follower(Vec<u8>),
}

#[derive(Default)]
struct Loop {
    me: Tab,
    role: Role,
    engine: Option<Rc<Engine>>,
    /// The leader's: what each tab's page shows of each document.
    tabs: BTreeMap<Tab, BTreeMap<DocAddr, Page>>,
    demo: Option<Demo>,
    bus: Option<BroadcastChannel>,
    /// Followers that greeted while the leader's engine was starting.
    greetings: Vec<(Tab, Reflects)>,
}

type Shared = Rc<RefCell<Loop>>;

enum Input {
    Page(ToEngine),
    News(News),
    Bus(Bus),
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// To this worker's own page.
fn post(message: &FromEngine) {
    let bytes = js_sys::Uint8Array::from(encode(message).as_slice());
    let transfer = js_sys::Array::of1(&bytes.buffer());
    if let Err(e) = scope().post_message_with_transfer(&bytes, &transfer) {
        web_sys::console::error_2(&"posting to the page".into(), &e);
    }
}

/// The worker's entry point (`src/bin/lotse-engine.rs`).
pub fn start() {
    console_error_panic_hook::set_once();
    let (to_loop, from_page) = mpsc::unbounded::<ToEngine>();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        let bytes = js_sys::Uint8Array::new(&ev.data()).to_vec();
        match decode::<ToEngine>(&bytes) {
            Ok(m) => {
                let _ = to_loop.unbounded_send(m);
            }
            Err(e) => web_sys::console::error_1(&format!("a message from the page does not decode: {e}").into()),
        }
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget(); // for the worker's life
    let (news_tx, news) = mpsc::unbounded::<News>();
    let (bus_tx, from_bus) = mpsc::unbounded::<Bus>();
    let bus = BroadcastChannel::new(BUS).ok();
    if let Some(bus) = &bus {
        let on_bus = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            let bytes = js_sys::Uint8Array::new(&ev.data()).to_vec();
            if let Ok(m) = decode::<Bus>(&bytes) {
                let _ = bus_tx.unbounded_send(m);
            }
        });
        bus.set_onmessage(Some(on_bus.as_ref().unchecked_ref()));
        on_bus.forget(); // for the worker's life
    }
    let inputs = futures::stream::select(
        futures::stream::select(from_page.map(Input::Page), news.map(Input::News)),
        from_bus.map(Input::Bus),
    );
    let state: Shared = Rc::new(RefCell::new(Loop {
        me: js_sys::Math::random().to_bits() ^ (js_sys::Date::now() as u64),
        bus,
        ..Loop::default()
    }));
    wasm_bindgen_futures::spawn_local(run(state, inputs, news_tx));
    hold_lock_then_say_loaded();
}

fn locks() -> Option<(JsValue, js_sys::Function)> {
    let locks = js_sys::Reflect::get(&scope().navigator(), &"locks".into()).ok().filter(|l| !l.is_undefined())?;
    let request = js_sys::Reflect::get(&locks, &"request".into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
    Some((locks, request))
}

/// Takes the leader's lock if nobody holds it; holds it for the worker's
/// life. Without Web Locks every worker leads (as before there were any).
async fn try_to_lead() -> bool {
    let Some((locks, request)) = locks() else { return true };
    let (tx, rx) = futures::channel::oneshot::channel::<bool>();
    let tx = RefCell::new(Some(tx));
    let granted = Closure::once_into_js(move |lock: JsValue| -> JsValue {
        let held = !lock.is_null();
        if let Some(tx) = tx.borrow_mut().take() {
            let _ = tx.send(held);
        }
        if held {
            // Never settles: released when the worker ends.
            js_sys::Promise::new(&mut |_, _| {}).into()
        } else {
            JsValue::UNDEFINED
        }
    });
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"ifAvailable".into(), &true.into());
    if request.call3(&locks, &LEADER_LOCK.into(), &options, &granted).is_err() {
        return true;
    }
    rx.await.unwrap_or(true)
}

/// A follower queues for the leader's lock; granted, the leader is gone:
/// it ends itself, so its page starts a worker that leads or greets the
/// worker that does.
fn end_when_leader_gone() {
    let Some((locks, request)) = locks() else { return };
    let granted = Closure::once_into_js(move |_lock: JsValue| {
        web_sys::console::info_1(&"the leading engine is gone; starting again".into());
        scope().close();
    });
    let _ = request.call2(&locks, &LEADER_LOCK.into(), &granted);
}

fn to_bus(state: &Shared, message: &Bus) {
    if let Some(bus) = state.borrow().bus.as_ref() {
        let bytes = js_sys::Uint8Array::from(encode(message).as_slice());
        let _ = bus.post_message(&bytes);
    }
}

/// To one tab's page: this worker's own, or another's through the bus.
fn tell(state: &Shared, tab: Tab, message: FromEngine) {
    if tab == state.borrow().me {
        post(&message);
    } else {
        to_bus(state, &Bus::ToTabs { tabs: Some(vec![tab]), message });
    }
}

/// To these tabs' pages.
fn tell_tabs(state: &Shared, tabs: Vec<Tab>, message: FromEngine) {
    let me = state.borrow().me;
    let others: Vec<Tab> = tabs.iter().copied().filter(|t| *t != me).collect();
    if tabs.contains(&me) {
        post(&message);
    }
    if !others.is_empty() {
        to_bus(state, &Bus::ToTabs { tabs: Some(others), message });
    }
}

/// To every page.
fn tell_all(state: &Shared, message: FromEngine) {
    post(&message);
    to_bus(state, &Bus::ToTabs { tabs: None, message });
}

/// Holds a Web Lock named after the worker for its whole life, then says it
/// listens: the page waits on the same lock, so it learns at once when the
/// worker is gone (closed, terminated, crashed), with no heartbeat.
fn hold_lock_then_say_loaded() {
    let loaded = || post(&FromEngine::Loaded { protocol: PROTOCOL });
    let Some((locks, request)) = locks() else { return loaded() };
    let granted = Closure::once_into_js(move |_lock: JsValue| -> js_sys::Promise {
        loaded();
        // Never settles: the lock is released when the worker ends.
        js_sys::Promise::new(&mut |_, _| {})
    });
    if request.call2(&locks, &scope().name().into(), &granted).is_err() {
        loaded();
    }
}

async fn run(state: Shared, mut inputs: impl futures::Stream<Item = Input> + Unpin, news: mpsc::UnboundedSender<News>) {
    while let Some(input) = inputs.next().await {
        match input {
            Input::Page(m) => on_page(&state, m, &news).await,
            Input::News(n) => on_news(&state, n),
            Input::Bus(b) => on_bus(&state, b),
        }
    }
}

async fn on_page(state: &Shared, message: ToEngine, news: &mpsc::UnboundedSender<News>) {
    let me = state.borrow().me;
    match message {
        ToEngine::Start { protocol, device, reflects, demo, online, enrol } => {
            if protocol != PROTOCOL || state.borrow().role != Role::Undecided {
                return;
            }
            if try_to_lead().await {
                state.borrow_mut().role = Role::Leader;
                start_engine(state, device, reflects, demo, online, enrol, news.clone()).await;
                // Those who greeted meanwhile, then everyone who missed it.
                let waiting = std::mem::take(&mut state.borrow_mut().greetings);
                for (tab, reflects) in waiting {
                    greet(state, tab, reflects);
                }
                to_bus(state, &Bus::Leader);
            } else {
                if demo {
                    web_sys::console::warn_1(&"another tab runs the engine: the demo data is not stored".into());
                }
                let hello = encode(&Bus::Hello { tab: me, protocol, reflects });
                state.borrow_mut().role = Role::Follower(hello.clone());
                if let Some(bus) = state.borrow().bus.as_ref() {
                    let _ = bus.post_message(&js_sys::Uint8Array::from(hello.as_slice()));
                }
                end_when_leader_gone();
                // The engine that runs keeps the enrolment.
                if let Some(secret) = enrol {
                    to_bus(state, &Bus::ToLeader { tab: me, message: ToEngine::Enrol { secret } });
                }
            }
        }
        // Before the start, by whichever worker the page has: the keys the
        // PIN opens are this worker's to hold if it leads.
        ToEngine::Unlock { req, pin } => {
            let result = match crate::store::idb::IdbStore::open(crate::store::idb::DB_NAME).await {
                Ok(store) => super::identity::unlock(&store, &pin).await,
                Err(e) => Err(e.into()),
            };
            let wiped = result == Err(PinRefused::Wiped);
            post(&FromEngine::Unlocked { req, result });
            if wiped {
                wiped_everywhere(state, WipeReason::WrongPins);
            }
        }
        // Made where the page asks: only the leader's page stores it.
        // Written as this device (its actor is its public key, as in
        // everything it writes), so the bundles it sends of the demo hold
        // only its own changes.
        ToEngine::MakeDemo { req, size, seed, today, actor: _ } => {
            let state = state.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let actor = match this_device_actor().await {
                    Ok(actor) => actor,
                    Err(e) => return post(&FromEngine::Demo { req, result: Err(e.to_string()) }),
                };
                let size = DemoSize::named(&size);
                let result = generate(&size, seed, &today, actor).map_err(|e| e.to_string()).map(|demo| {
                    let people = (demo.me.clone(), demo.communities.iter().map(|(c, _)| c.clone()).collect());
                    state.borrow_mut().demo = Some(demo);
                    people
                });
                post(&FromEngine::Demo { req, result });
            });
        }
        message => {
            if matches!(state.borrow().role, Role::Follower(_)) {
                to_bus(state, &Bus::ToLeader { tab: me, message });
            } else {
                on_request(state, me, message);
            }
        }
    }
}

/// This device's actor, before the engine starts (the key is made on the
/// first start, kept, and found again by the engine).
async fn this_device_actor() -> Result<ActorId, crate::store::StoreError> {
    let store = crate::store::idb::IdbStore::open(crate::store::idb::DB_NAME).await?;
    Ok(super::core::device_actor(&super::identity::device_key(&store).await?))
}

fn on_bus(state: &Shared, message: Bus) {
    let me = state.borrow().me;
    let leader = state.borrow().role == Role::Leader;
    match message {
        Bus::Hello { tab, protocol, reflects } if leader && protocol == PROTOCOL => greet(state, tab, reflects),
        Bus::ToLeader { tab, message } if leader => on_request(state, tab, message),
        Bus::ToTabs { tabs, message } if !leader && tabs.as_ref().is_none_or(|t| t.contains(&me)) => post(&message),
        Bus::Wiped(why) => {
            post(&FromEngine::Wiped(why));
            scope().close();
        }
        Bus::Leader => {
            let hello = match &state.borrow().role {
                Role::Follower(hello) => Some(hello.clone()),
                _ => None,
            };
            if let (Some(hello), Some(bus)) = (hello, state.borrow().bus.as_ref()) {
                let _ = bus.post_message(&js_sys::Uint8Array::from(hello.as_slice()));
            }
        }
        _ => {}
    }
}

/// What the pages of `device`'s documents show, from a page's `reflects`.
fn pages_of(device: &Device, reflects: Reflects) -> BTreeMap<DocAddr, Page> {
    let mut pages = BTreeMap::new();
    pages.insert(device.network_addr(), Page { which: DocRef::Network, shows: Shows::Nothing });
    for m in &device.communities {
        pages.insert(m.addr(), Page { which: DocRef::Community(m.community_id), shows: Shows::Nothing });
    }
    for (addr, heads) in reflects {
        if let (Some(page), Some(heads)) = (pages.get_mut(&addr), heads) {
            page.shows = Shows::Rows(heads.into_iter().map(ChangeHash).collect());
        }
    }
    pages
}

/// A follower's page joins: everyone else is brought up to date first (one
/// diff serves every page that follows), then it gets what it lacks.
fn greet(state: &Shared, tab: Tab, reflects: Reflects) {
    let Some(engine) = state.borrow().engine.clone() else {
        // Still starting: greeted once it runs.
        state.borrow_mut().greetings.push((tab, reflects));
        return;
    };
    let device = engine.device();
    let addrs: Vec<DocAddr> = device.documents();
    for addr in &addrs {
        send_updates(state, *addr);
    }
    let pages = pages_of(&device, reflects);
    let stale = stale(&pages);
    state.borrow_mut().tabs.insert(tab, pages);
    for addr in &addrs {
        send_updates(state, *addr);
    }
    if let Some(status) = engine.status() {
        tell(state, tab, FromEngine::Status(status));
    }
    if let Some(access) = engine.access() {
        tell(state, tab, FromEngine::Access(access));
    }
    wasm_bindgen_futures::spawn_local(async move { open_all(&engine, stale).await });
}

/// The documents a page shows nothing of: it gets them whole once open.
fn stale(pages: &BTreeMap<DocAddr, Page>) -> Vec<DocAddr> {
    pages.iter().filter(|(_, p)| matches!(p.shows, Shows::Nothing)).map(|(a, _)| *a).collect()
}

/// Loads `addrs` (their pages hear of it through [`News::Opened`]).
async fn open_all(engine: &Engine, addrs: Vec<DocAddr>) {
    // One whose key has not come yet is loaded once it comes.
    for addr in addrs.into_iter().filter(|a| engine.holds_key(*a)) {
        if let Err(e) = engine.ensure_open(addr).await {
            web_sys::console::error_1(&format!("opening {addr}: {e}").into());
        }
    }
}

/// The device was wiped: every page forgets it, every worker ends (this
/// one last, once the others heard it).
fn wiped_everywhere(state: &Shared, why: WipeReason) {
    to_bus(state, &Bus::Wiped(why));
    post(&FromEngine::Wiped(why));
    scope().close();
}

/// A page's request, from this worker's page or a follower's (`tab`).
fn on_request(state: &Shared, tab: Tab, message: ToEngine) {
    match message {
        ToEngine::Start { .. } | ToEngine::MakeDemo { .. } | ToEngine::Unlock { .. } => {}
        // In the leader: the keys it holds are the ones rewrapped.
        ToEngine::SetLock { req, change } => {
            let state = state.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let result = match crate::store::idb::IdbStore::open(crate::store::idb::DB_NAME).await {
                    Ok(store) => match change {
                        PinChange::Set { pin } => super::identity::set_lock(&store, &pin).await,
                        PinChange::Change { old, new } => super::identity::change_pin(&store, &old, &new).await,
                        PinChange::Remove { pin } => super::identity::remove_lock(&store, &pin).await,
                    },
                    Err(e) => Err(e.into()),
                };
                let wiped = result == Err(PinRefused::Wiped);
                tell(&state, tab, FromEngine::LockChanged { req, result });
                if wiped {
                    wiped_everywhere(&state, WipeReason::WrongPins);
                }
            });
        }
        ToEngine::Save { req, addr, edit, now_ms } => {
            let Some(engine) = state.borrow().engine.clone() else {
                return tell(state, tab, FromEngine::Saved { req, result: Err(SaveError::NotOpen(addr)) });
            };
            let state = state.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let result = engine.change(addr, move |doc| edit.apply(doc, now_ms)).await;
                // The rows first, then the answer: the form that hears
                // "saved" finds its record in the lists.
                send_updates(&state, addr);
                tell(&state, tab, FromEngine::Saved { req, result });
            });
        }
        ToEngine::Hold { req, communities } => {
            let Some(engine) = state.borrow().engine.clone() else {
                let result = Err(crate::store::StoreError::Idb("the engine is not running".to_owned()));
                return tell(state, tab, FromEngine::Held { req, result });
            };
            let state = state.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let held = communities.clone();
                let result = engine.hold(communities).await.map(|_| ());
                // This tab's page shows the documents from now on (another
                // tab's, once it holds them too).
                let addrs = {
                    let mut s = state.borrow_mut();
                    let mut addrs = vec![];
                    if let Some(pages) = s.tabs.get_mut(&tab) {
                        for m in &held {
                            let addr = m.addr();
                            pages
                                .entry(addr)
                                .or_insert(Page { which: DocRef::Community(m.community_id), shows: Shows::Nothing });
                            addrs.push(addr);
                        }
                    }
                    addrs
                };
                for addr in &addrs {
                    send_updates(&state, *addr);
                }
                tell(&state, tab, FromEngine::Held { req, result });
                open_all(&engine, addrs).await;
            });
        }
        ToEngine::History { req, addr, collection, key } => {
            let Some(engine) = state.borrow().engine.clone() else {
                return tell(state, tab, FromEngine::History { req, entries: vec![] });
            };
            let state = state.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let entries = match engine.ensure_open(addr).await {
                    Ok(()) => engine.inspect(addr, |doc| history(doc, &collection, &key)).unwrap_or_default(),
                    Err(e) => {
                        web_sys::console::warn_1(&format!("history of {collection}/{key}: {e}").into());
                        vec![]
                    }
                };
                tell(&state, tab, FromEngine::History { req, entries });
            });
        }
        ToEngine::Review { req, addr, query } => {
            let Some(engine) = state.borrow().engine.clone() else {
                return tell(state, tab, FromEngine::Review { req, page: Default::default() });
            };
            let state = state.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let page = match engine.ensure_open(addr).await {
                    Ok(()) => engine.inspect(addr, |doc| review(doc, &query)).unwrap_or_default(),
                    Err(e) => {
                        web_sys::console::warn_1(&format!("review: {e}").into());
                        Default::default()
                    }
                };
                tell(&state, tab, FromEngine::Review { req, page });
            });
        }
        ToEngine::Visible => {
            if let Some(engine) = state.borrow().engine.clone() {
                engine.visible();
            }
        }
        ToEngine::Whole(addr) => {
            let engine = state.borrow().engine.clone();
            if let Some(page) = state.borrow_mut().tabs.get_mut(&tab).and_then(|t| t.get_mut(&addr)) {
                page.shows = Shows::Nothing;
            }
            let Some(engine) = engine else { return };
            if engine.is_open(addr) {
                send_updates(state, addr);
            } else {
                wasm_bindgen_futures::spawn_local(async move { open_all(&engine, vec![addr]).await });
            }
        }
        ToEngine::Online(online) => {
            if let Some(engine) = state.borrow().engine.clone() {
                engine.set_online(online);
            }
        }
        ToEngine::Invite { req, valid_for, community, role } => {
            let Some(engine) = state.borrow().engine.clone() else {
                let result = Err("the engine is not running".to_owned());
                return tell(state, tab, FromEngine::Invited { req, result });
            };
            let state = state.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let result = engine.invite(valid_for, community, role).await;
                tell(&state, tab, FromEngine::Invited { req, result });
            });
        }
        ToEngine::Retire { req, device } => {
            let Some(engine) = state.borrow().engine.clone() else {
                let result = Err(RetireError::Store("the engine is not running".to_owned()));
                return tell(state, tab, FromEngine::Retired { req, result });
            };
            let state = state.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let result = engine.retire(device).await;
                tell(&state, tab, FromEngine::Retired { req, result });
            });
        }
        ToEngine::Erase { req, addrs, erased, unlinked, requested_on, deadline_days } => {
            let Some(engine) = state.borrow().engine.clone() else {
                let result = Err(EraseRefused::Failed("the engine is not running".to_owned()));
                return tell(state, tab, FromEngine::Erased { req, result });
            };
            let state = state.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let coordinator = engine.is_coordinator();
                let result = engine
                    .erase(&addrs, &erased, &unlinked, requested_on, deadline_days)
                    .await
                    .map_err(|e| e.refused(coordinator));
                tell(&state, tab, FromEngine::Erased { req, result });
            });
        }
        ToEngine::Qr { req, text } => tell(state, tab, FromEngine::Qr { req, svg: super::qr::svg(&text) }),
        ToEngine::Pinned { req, export } => {
            let Some(engine) = state.borrow().engine.clone() else {
                let result = Err(PinError::Missing("the engine is not running".to_owned()));
                return tell(state, tab, FromEngine::Pinned { req, result: Box::new(result) });
            };
            let state = state.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let result = engine.pinned(&export).await;
                tell(&state, tab, FromEngine::Pinned { req, result: Box::new(result) });
            });
        }
        ToEngine::Import { req, check } => {
            let words: HashMap<String, Vec<String>> = check.words.into_iter().collect();
            let words = |key: &str| words.get(key).cloned().unwrap_or_default();
            let cx = lotse_model::import::Context {
                words: &words,
                communities: &check.communities,
                default_community: check.default_community,
                stamp: check.stamp,
            };
            let result = lotse_model::import::preview(&check.file, check.target, &cx, &mut crate::device::random::<16>);
            tell(state, tab, FromEngine::Import { req, result: Box::new(result) });
        }
        ToEngine::Enrol { secret } => {
            let Some(engine) = state.borrow().engine.clone() else { return };
            let state = state.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let result = engine.enrol(secret).await;
                if let Err(e) = &result {
                    web_sys::console::error_1(&format!("keeping the enrolment: {e}").into());
                }
                tell(&state, tab, FromEngine::Enrolled { result });
            });
        }
    }
}

async fn start_engine(
    state: &Shared,
    device: Device,
    reflects: Reflects,
    demo: bool,
    online: bool,
    enrol: Option<[u8; 32]>,
    news: mpsc::UnboundedSender<News>,
) {
    let pages = pages_of(&device, reflects);
    let stale = stale(&pages);
    let memberships: Vec<(lotse_model::CommunityId, DocAddr)> =
        device.communities.iter().map(|m| (m.community_id, m.addr())).collect();
    let network = device.network_addr();
    let (engine, enrolled) = match Engine::start(device, online, news, enrol).await {
        Ok(started) => started,
        Err(e) => return post(&FromEngine::Failed(e)),
    };
    if let Some(result) = enrolled {
        post(&FromEngine::Enrolled { result });
    }
    {
        let mut s = state.borrow_mut();
        s.engine = Some(engine.clone());
        let me = s.me;
        s.tabs.insert(me, pages);
    }
    let held = if demo { state.borrow_mut().demo.take() } else { None };
    wasm_bindgen_futures::spawn_local(async move {
        if let Some(demo) = held {
            let mut network_doc = demo.network;
            if let Err(e) = engine.change(network, |doc| Ok(doc.merge(&mut network_doc).map(|_| ())?)).await {
                web_sys::console::error_1(&format!("demo data: {e}").into());
            }
            for (community, mut doc) in demo.communities {
                let Some((_, addr)) = memberships.iter().find(|(c, _)| *c == community.id) else { continue };
                if let Err(e) = engine.change(*addr, |d| Ok(d.merge(&mut doc).map(|_| ())?)).await {
                    web_sys::console::error_1(&format!("demo data: {e}").into());
                }
            }
        }
        // What the page could not draw from its rows is read now.
        open_all(&engine, stale).await;
    });
}

fn on_news(state: &Shared, news: News) {
    match news {
        News::Opened(addr) => {
            send_updates(state, addr);
            tell_all(state, FromEngine::Opened(addr));
        }
        News::Changed(addr) => send_updates(state, addr),
        // Every page's rows of it are of the old epoch: whole rows now.
        News::Switched(addr) => {
            for pages in state.borrow_mut().tabs.values_mut() {
                if let Some(page) = pages.get_mut(&addr) {
                    page.shows = Shows::Nothing;
                }
            }
            send_updates(state, addr);
        }
        News::Drained => send_idle(state),
        News::Status(s) => tell_all(state, FromEngine::Status(s)),
        News::Wiped(why) => wiped_everywhere(state, why),
        News::Access(a) => tell_all(state, FromEngine::Access(a)),
        News::Problem(p) => {
            if let Some(t) = trouble(&p) {
                tell_all(state, FromEngine::Trouble(t));
            }
        }
    }
}

/// What the mentor hears of a problem; nothing of the relay refusing the
/// device itself or its statements (not admitted, retired, an invitation
/// used: the access banner and the invitation say that in plain words).
fn trouble(p: &Problem) -> Option<Trouble> {
    Some(match p {
        Problem::Undecryptable { error: EnvelopeError::BadSignature { .. } | EnvelopeError::Unsigned(_), .. } => {
            Trouble::Unsigned
        }
        Problem::Undecryptable { .. } => Trouble::Undecryptable,
        Problem::NotAutomerge { .. } => Trouble::NotAutomerge,
        Problem::UnknownSigner { .. } | Problem::WrittenAfterRetirement { .. } | Problem::ForeignAuthor { .. } => {
            Trouble::Unsigned
        }
        // The snapshot was skipped and the log read instead: to the mentor,
        // an entry from the relay that could not be read, like a bundle.
        Problem::SnapshotRefused {
            error:
                SnapshotError::Envelope(EnvelopeError::BadSignature { .. } | EnvelopeError::Unsigned(_))
                | SnapshotError::UnknownSigner(_)
                | SnapshotError::WrittenAfterRetirement(_),
            ..
        } => Trouble::Unsigned,
        Problem::SnapshotRefused { error: SnapshotError::Envelope(_), .. } => Trouble::Undecryptable,
        Problem::SnapshotRefused { error: SnapshotError::NotAutomerge(_), .. } => Trouble::NotAutomerge,
        Problem::Relay { code: ErrorCode::Forbidden | ErrorCode::Retired | ErrorCode::Unauthenticated, .. } => {
            return None
        }
        Problem::Relay { message, .. } => Trouble::Relay(message.clone()),
        Problem::Wire(e) => Trouble::Relay(e.to_string()),
        // Said where it matters, in the mentor's language: the access
        // banner (an enrolment), the invitation's state (an invitation).
        Problem::StatementRefused { message, .. } => {
            web_sys::console::info_1(&format!("the relay refused a statement: {message}").into());
            return None;
        }
        // Said on the erasure page, which asked for it.
        Problem::RewriteRefused { message, .. } => Trouble::Relay(message.clone()),
        // The access banner keeps saying the keys have not come.
        Problem::KeysUnopenable { error, .. } | Problem::KeysUnsealable { error, .. } => {
            web_sys::console::error_1(&format!("document keys: {error}").into());
            return None;
        }
    })
}

/// Sends every page what changed in `addr` since it last heard (nothing if
/// nothing did, or the document is not open). The pages that follow share
/// one diff (it moves the document's one diff cursor), so they go first;
/// then each page that showed older rows, or nothing, gets its own.
fn send_updates(state: &Shared, addr: DocAddr) {
    let Some(engine) = state.borrow().engine.clone() else { return };
    if !engine.is_open(addr) {
        return;
    }
    let Some(heads) = engine.heads(addr) else { return };
    let mut following = vec![];
    let mut others = vec![];
    let mut which = None;
    for (tab, pages) in &state.borrow().tabs {
        let Some(page) = pages.get(&addr) else { continue };
        which = Some(page.which);
        match &page.shows {
            Shows::Following => following.push(*tab),
            Shows::Rows(h) => others.push((*tab, Some(h.clone()))),
            Shows::Nothing => others.push((*tab, None)),
        }
    }
    let Some(which) = which else { return };
    if !following.is_empty() {
        let patches = engine.patches_since_last(addr);
        if !patches.is_empty() {
            if let Some(bytes) = engine.inspect(addr, |doc| Notebook::update_from_patches(which, doc, &heads, &patches))
            {
                tell_tabs(state, following, FromEngine::Update { addr, bytes });
            }
        }
    }
    for (tab, shown) in others {
        let whole = || {
            let bytes = engine.inspect(addr, |doc| Notebook::rows_of_document(which, doc, &heads));
            engine.mark_seen(addr);
            bytes
        };
        let bytes = match shown {
            Some(shown) if shown == heads => {
                engine.mark_seen(addr);
                None
            }
            Some(shown) => match engine.patches_since(addr, &shown) {
                Some(patches) => {
                    engine.inspect(addr, |doc| Notebook::update_from_patches(which, doc, &heads, &patches))
                }
                None => whole(),
            },
            None => whole(),
        };
        if let Some(page) = state.borrow_mut().tabs.get_mut(&tab).and_then(|t| t.get_mut(&addr)) {
            page.shows = Shows::Following;
        }
        if let Some(bytes) = bytes {
            tell(state, tab, FromEngine::Update { addr, bytes });
        }
    }
}

/// When the store holds everything in memory, tells every page the heads
/// and chunk keys it may stamp its rows with.
fn send_idle(state: &Shared) {
    let Some(engine) = state.borrow().engine.clone() else { return };
    if !engine.idle() {
        return;
    }
    let addrs: Vec<DocAddr> = engine.device().documents();
    for addr in &addrs {
        send_updates(state, *addr);
    }
    let stamps = addrs
        .into_iter()
        .filter(|a| engine.is_open(*a))
        .filter_map(|a| {
            let heads = engine.heads(a)?.into_iter().map(|h| h.0).collect();
            Some((a, heads, engine.known_chunks(a)))
        })
        .collect();
    tell_all(state, FromEngine::Idle { stamps });
}
