//! The engine worker's one event loop: messages from the page and news from
//! the [`Engine`] go through it in order. It keeps, per document, what the
//! page shows, and after every change sends the page the rows of the records
//! that change touched, before the save's answer, so a form that hears
//! "saved" finds its record in the lists.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use automerge::{ActorId, ChangeHash};
use futures::channel::mpsc;
use futures::StreamExt;
use lotse_model::demo::{generate, Demo, DemoSize};
use lotse_model::{history, DocRef, Notebook};
use lotse_sync::client::Problem;
use lotse_sync::DocAddr;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use super::core::{Engine, News};
use super::protocol::{decode, encode, FromEngine, Reflects, SaveError, ToEngine, Trouble, PROTOCOL};
use crate::device::Device;

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

#[derive(Default)]
struct Loop {
    engine: Option<Rc<Engine>>,
    pages: BTreeMap<DocAddr, Page>,
    demo: Option<Demo>,
}

type Shared = Rc<RefCell<Loop>>;

enum Input {
    Page(ToEngine),
    News(News),
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

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
    let inputs = futures::stream::select(from_page.map(Input::Page), news.map(Input::News));
    wasm_bindgen_futures::spawn_local(run(inputs, news_tx));
    hold_lock_then_say_loaded();
}

/// Holds a Web Lock named after the worker for its whole life, then says it
/// listens: the page waits on the same lock, so it learns at once when the
/// worker is gone (closed, terminated, crashed), with no heartbeat.
fn hold_lock_then_say_loaded() {
    let name = scope().name();
    let locks = js_sys::Reflect::get(&scope().navigator(), &"locks".into()).ok().filter(|l| !l.is_undefined());
    let Some(locks) = locks else {
        post(&FromEngine::Loaded { protocol: PROTOCOL });
        return;
    };
    let granted = Closure::once_into_js(move |_lock: JsValue| -> js_sys::Promise {
        post(&FromEngine::Loaded { protocol: PROTOCOL });
        // Never settles: the lock is released when the worker ends.
        js_sys::Promise::new(&mut |_, _| {})
    });
    let request =
        js_sys::Reflect::get(&locks, &"request".into()).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    match request {
        Some(f) => {
            if f.call2(&locks, &name.into(), &granted).is_err() {
                post(&FromEngine::Loaded { protocol: PROTOCOL });
            }
        }
        None => post(&FromEngine::Loaded { protocol: PROTOCOL }),
    }
}

async fn run(mut inputs: impl futures::Stream<Item = Input> + Unpin, news: mpsc::UnboundedSender<News>) {
    let state: Shared = Rc::default();
    while let Some(input) = inputs.next().await {
        match input {
            Input::Page(m) => on_page(&state, m, &news).await,
            Input::News(n) => on_news(&state, n),
        }
    }
}

async fn on_page(state: &Shared, message: ToEngine, news: &mpsc::UnboundedSender<News>) {
    match message {
        ToEngine::Start { protocol, device, reflects, demo, online } => {
            if protocol != PROTOCOL || state.borrow().engine.is_some() {
                return;
            }
            start_engine(state, device, reflects, demo, online, news.clone()).await;
        }
        ToEngine::Save { req, addr, edit, now_ms } => {
            let Some(engine) = state.borrow().engine.clone() else {
                return post(&FromEngine::Saved { req, result: Err(SaveError::NotOpen(addr)) });
            };
            let state = state.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let result = engine.change(addr, move |doc| edit.apply(doc, now_ms)).await;
                // The rows first, then the answer: the form that hears
                // "saved" finds its record in the lists.
                send_updates(&state, addr);
                post(&FromEngine::Saved { req, result });
            });
        }
        ToEngine::History { req, addr, collection, key } => {
            let Some(engine) = state.borrow().engine.clone() else {
                return post(&FromEngine::History { req, entries: vec![] });
            };
            wasm_bindgen_futures::spawn_local(async move {
                let entries = match engine.ensure_open(addr).await {
                    Ok(()) => engine.inspect(addr, |doc| history(doc, &collection, &key)).unwrap_or_default(),
                    Err(e) => {
                        web_sys::console::warn_1(&format!("history of {collection}/{key}: {e}").into());
                        vec![]
                    }
                };
                post(&FromEngine::History { req, entries });
            });
        }
        ToEngine::MakeDemo { req, size, seed, today, actor } => {
            let size = DemoSize::named(&size);
            let result = generate(&size, seed, &today, ActorId::from(actor)).map_err(|e| e.to_string()).map(|demo| {
                let people = (demo.me.clone(), demo.communities.iter().map(|(c, _)| c.clone()).collect());
                state.borrow_mut().demo = Some(demo);
                people
            });
            post(&FromEngine::Demo { req, result });
        }
        ToEngine::Visible => {
            if let Some(engine) = state.borrow().engine.clone() {
                engine.visible();
            }
        }
        ToEngine::Whole(addr) => {
            let engine = state.borrow().engine.clone();
            if let Some(page) = state.borrow_mut().pages.get_mut(&addr) {
                page.shows = Shows::Nothing;
            }
            let Some(engine) = engine else { return };
            if engine.is_open(addr) {
                send_updates(state, addr);
            } else {
                wasm_bindgen_futures::spawn_local(async move {
                    if let Err(e) = engine.ensure_open(addr).await {
                        web_sys::console::error_1(&format!("opening {addr}: {e}").into());
                    }
                });
            }
        }
        ToEngine::Online(online) => {
            if let Some(engine) = state.borrow().engine.clone() {
                engine.set_online(online);
            }
        }
    }
}

async fn start_engine(
    state: &Shared,
    device: Device,
    reflects: Reflects,
    demo: bool,
    online: bool,
    news: mpsc::UnboundedSender<News>,
) {
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
    let stale: Vec<DocAddr> =
        pages.iter().filter(|(_, p)| matches!(p.shows, Shows::Nothing)).map(|(a, _)| *a).collect();
    let memberships: Vec<(lotse_model::CommunityId, DocAddr)> =
        device.communities.iter().map(|m| (m.community_id, m.addr())).collect();
    let network = device.network_addr();
    let engine = match Engine::start(device, online, news).await {
        Ok(e) => e,
        Err(e) => return post(&FromEngine::Failed(e)),
    };
    {
        let mut s = state.borrow_mut();
        s.engine = Some(engine.clone());
        s.pages = pages;
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
        for addr in stale {
            if let Err(e) = engine.ensure_open(addr).await {
                web_sys::console::error_1(&format!("opening {addr}: {e}").into());
            }
        }
    });
}

fn on_news(state: &Shared, news: News) {
    match news {
        News::Opened(addr) => {
            send_updates(state, addr);
            post(&FromEngine::Opened(addr));
        }
        News::Changed(addr) => send_updates(state, addr),
        News::Drained => send_idle(state),
        News::Status(s) => post(&FromEngine::Status(s)),
        News::Problem(p) => post(&FromEngine::Trouble(trouble(&p))),
    }
}

fn trouble(p: &Problem) -> Trouble {
    match p {
        Problem::Undecryptable { .. } => Trouble::Undecryptable,
        Problem::NotAutomerge { .. } => Trouble::NotAutomerge,
        Problem::Relay { message, .. } => Trouble::Relay(message.clone()),
        Problem::Wire(e) => Trouble::Relay(e.to_string()),
    }
}

/// Sends the page what changed in `addr` since it last heard (nothing if
/// nothing did, or the document is not open).
fn send_updates(state: &Shared, addr: DocAddr) {
    let mut s = state.borrow_mut();
    let Some(engine) = s.engine.clone() else { return };
    let Some(page) = s.pages.get_mut(&addr) else { return };
    if !engine.is_open(addr) {
        return;
    }
    let Some(heads) = engine.heads(addr) else { return };
    let which = page.which;
    let whole = |engine: &Engine| {
        let bytes = engine.read(addr, |doc| Notebook::rows_of_document(which, doc, &heads));
        engine.mark_seen(addr);
        bytes
    };
    let bytes = match &page.shows {
        Shows::Following => {
            let patches = engine.patches_since_last(addr);
            if patches.is_empty() {
                None
            } else {
                engine.read(addr, |doc| Notebook::update_from_patches(which, doc, &heads, &patches))
            }
        }
        Shows::Rows(shown) if *shown == heads => {
            engine.mark_seen(addr);
            None
        }
        Shows::Rows(shown) => match engine.patches_since(addr, shown) {
            Some(patches) => engine.read(addr, |doc| Notebook::update_from_patches(which, doc, &heads, &patches)),
            None => whole(&engine),
        },
        Shows::Nothing => whole(&engine),
    };
    page.shows = Shows::Following;
    drop(s);
    if let Some(bytes) = bytes {
        post(&FromEngine::Update { addr, bytes });
    }
}

/// When the store holds everything in memory, tells the page the heads and
/// chunk keys it may stamp its rows with.
fn send_idle(state: &Shared) {
    let Some(engine) = state.borrow().engine.clone() else { return };
    if !engine.idle() {
        return;
    }
    let addrs: Vec<DocAddr> = state.borrow().pages.keys().copied().collect();
    for addr in &addrs {
        send_updates(state, *addr);
    }
    let stamps = addrs
        .into_iter()
        .filter(|a| engine.is_open(*a))
        .filter_map(|a| {
            let heads = engine.heads(a)?.into_iter().map(|h| h.0).collect();
            Some((a, heads, engine.store.known_chunks(a)))
        })
        .collect();
    post(&FromEngine::Idle { stamps });
}
