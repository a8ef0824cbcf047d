//! The app shell: language, device set-up, routes, navigation.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use lotse_model::{
    Community, Company, Consultation, Contact, Event, FollowUp, Household, Institution, Measure, Mentor,
    PartnerOrganisation, Referral, TrainingPlace,
};

use crate::components::record_form::{record_form, Prefill};
use crate::components::sync_status::SyncStatus;
use crate::components::update_banner::UpdateBanner;
use crate::device::{self, Device, Invitation};
use crate::engine::protocol::Admission;
use crate::hooks::engine::{EngineLink, Health};
use crate::hooks::lock::AppLock;
use crate::hooks::notebook::{learn_communities, load_notebook, start_notebook, Nb};
use crate::hooks::pwa::{register_service_worker, UpdateAvailable};
use crate::i18n::{use_i18n, I18n, Lang};
use crate::pages::event_form::with_origin;
use crate::pages::{
    action_plan::ActionPlanPage,
    companies::CompaniesPage,
    conflicts::ConflictsPage,
    consultations::ConsultationsPage,
    contacts::ContactsPage,
    demo::DemoPage,
    device::DevicePage,
    devices::DevicesPage,
    duplicates::DuplicatesPage,
    events::EventsPage,
    import::ImportPage,
    institutions::InstitutionsPage,
    join::JoinPage,
    lock::LockPage,
    more::MorePage,
    network::NetworkPage,
    privacy::{ErasurePage, RetentionPage},
    referrals::ReferralsPage,
    report::ReportPage,
    review::ReviewPage,
    setup::SetupPage,
    today::TodayPage,
};
use crate::route::{self, Kind, Route};
use crate::store::idb::{IdbStore, DB_NAME};
use crate::store::StoreError;

/// The saved choice, else the first of the browser's languages Lotse speaks,
/// else German. The early script (`early-<hash>.js`) picks the same way in
/// JS, to fetch the messages early (`early_messages` in xtask's `split.rs`):
/// change both.
pub(crate) fn initial_lang() -> Lang {
    device::load_lang().or_else(Lang::from_browser).unwrap_or(Lang::De)
}

/// Whether the notebook may be read: the app lock not looked at yet,
/// locked (with the tries left), or open (no lock, or the PIN was right).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Gate {
    Unknown,
    Locked(u32),
    Open,
}

/// Where the engine is: not started, running, or failed to open storage.
#[derive(Debug, Clone, PartialEq)]
enum EngineState {
    Idle,
    Ready,
    Failed(StoreError),
}

/// The app; `early`: the reads a returning start began before it mounted
/// (`hooks::early`), if any.
#[component]
pub fn App(#[prop(optional)] early: crate::hooks::early::Early) -> impl IntoView {
    let i18n = I18n { lang: RwSignal::new(initial_lang()) };
    provide_context(i18n);
    Effect::new(move |_| {
        let lang = i18n.lang.get();
        if let Some(html) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
            let _ = html.set_attribute("lang", lang.code());
            let _ = html.set_attribute("dir", lang.dir());
        }
    });

    let route = RwSignal::new(route::current());
    preload_first_screen(&route.get_untracked());
    provide_context(route::Shown(route));
    let on_hash = Closure::<dyn FnMut()>::new(move || route.set(route::current()));
    if let Some(w) = web_sys::window() {
        let _ = w.add_event_listener_with_callback("hashchange", on_hash.as_ref().unchecked_ref());
    }
    on_hash.forget(); // for the page's lifetime

    let update = UpdateAvailable(RwSignal::new(false));
    register_service_worker(update);

    let device = RwSignal::new(Device::load());
    let engine = RwSignal::new(EngineState::Idle);
    // Nothing of the notebook is read before the app lock, if on, is open.
    let gate = RwSignal::new(Gate::Unknown);
    let app_lock = AppLock { on: RwSignal::new(false) };
    provide_context(app_lock);
    // The first screen's rows, read with the lock check when the app is not
    // locked (at start, by `early`, before the app mounted): opening
    // IndexedDB twice in a row was a tenth of a mentor's start, at 4x CPU.
    let first_rows = std::rc::Rc::new(std::cell::RefCell::new(None::<crate::hooks::notebook::Stored>));
    let keep = first_rows.clone();
    Effect::new(move |_| {
        if device.get().is_some() && gate.get_untracked() == Gate::Unknown {
            let (keep, early) = (keep.clone(), early.clone());
            leptos::task::spawn_local(async move {
                use crate::hooks::early::Opened;
                let opened = match (early.take().await, device.get_untracked()) {
                    (Some(opened), _) => opened,
                    (None, Some(d)) => crate::hooks::early::read(&d).await,
                    (None, None) => return,
                };
                let left = match opened {
                    Opened::Open(stored) => {
                        *keep.borrow_mut() = Some(*stored);
                        None
                    }
                    Opened::Locked(left) => Some(left),
                    Opened::Unread => None,
                };
                app_lock.on.set(left.is_some());
                gate.set(left.map_or(Gate::Open, Gate::Locked));
            });
        }
    });
    let nb = Nb::new();
    provide_context(nb);
    // The engine worker starts once the first screen is drawn (it needs
    // only the stored rows) or a device is set up.
    let link = EngineLink::spawn();
    let owner = Owner::current();
    Effect::new(move |_| {
        if let Some(d) = device.get().filter(|_| gate.get() == Gate::Open) {
            if engine.get_untracked() == EngineState::Idle {
                let owner = owner.clone();
                let link = link.clone();
                let kept = first_rows.borrow_mut().take();
                leptos::task::spawn_local(async move {
                    let stored = match kept {
                        Some(stored) => Ok(stored),
                        None => match IdbStore::open(DB_NAME).await {
                            Ok(store) => {
                                super::hooks::mark("lotse-store-open");
                                // The first screen is drawn from the stored rows.
                                Ok(load_notebook(&d, std::rc::Rc::new(store)).await)
                            }
                            Err(e) => Err(e),
                        },
                    };
                    match stored {
                        Ok(stored) => {
                            match &owner {
                                Some(o) => o.with(|| start_notebook(&link, nb, stored, d)),
                                None => start_notebook(&link, nb, stored, d),
                            }
                            engine.set(EngineState::Ready);
                            preload_first_taps();
                        }
                        Err(e) => engine.set(EngineState::Failed(e)),
                    }
                });
            }
        }
    });
    let on_setup = Callback::new(move |d: Device| {
        // Today in place of the set-up or join page: a join link's keys and
        // invitation leave the address bar and the history.
        route.set(Route::Today);
        device.set(Some(d));
        route::replace_with(&Route::Today);
    });
    // A join link opened on a device that is set up: if it invites to this
    // device's own network and community (the coordinator's answer to "ask
    // for a new invitation"), the device enrols with it; either way the
    // link leaves the address bar and the history.
    Effect::new(move |_| {
        let Route::Join(payload) = route.get() else { return };
        let Some(d) = device.get_untracked() else { return };
        if let Ok(inv) = Invitation::decode(&payload) {
            if inv.network == d.network && inv.community.doc == d.home().doc {
                EngineLink::spawn().enrol(inv.secret);
            }
        }
        route::replace_with(&Route::Today);
    });

    let locked = Memo::new(move |_| match gate.get() {
        Gate::Locked(left) => Some(left),
        _ => None,
    });
    let on_open = Callback::new(move |()| gate.set(Gate::Open));
    view! {
        <UpdateBanner update=update/>
        {move || {
            let r = route.get();
            if let Some(left) = locked.get().filter(|_| device.with(Option::is_some)) {
                return view! { <LockPage left=left on_open=on_open/> }.into_any();
            }
            match (device.get(), r) {
                (None, Route::Join(payload)) => view! { <JoinPage payload=payload on_done=on_setup/> }.into_any(),
                (None, Route::Demo(query)) => view! { <DemoPage query=query on_done=on_setup/> }.into_any(),
                (None, _) => view! { <SetupPage on_done=on_setup/> }.into_any(),
                (Some(_), r) => view! { <Shell route=r engine=engine/> }.into_any(),
            }
        }}
    }
}

/// The page for a route (the engine is running).
///
/// The first screens (Today, the lists, the network, More) are in the
/// page's own module; the record forms and the rarer pages are split off
/// into modules of their own (split points, cut by `cargo xtask build`'s
/// wasm-split step), fetched the first time a route needs them.
fn page_for(route: Route) -> AnyView {
    match route {
        Route::Today | Route::Join(_) | Route::Demo(_) | Route::List(Kind::FollowUp) => {
            view! { <TodayPage/> }.into_any()
        }
        Route::More => view! { <MorePage/> }.into_any(),
        route if list_of(&route).is_some() => lazily(move || list_page(route.clone())),
        Route::New(kind, prefill) => lazily(move || form_page(kind, None, prefill.clone())),
        Route::Open(kind, id) => lazily(move || form_page(kind, Some(id.clone()), Default::default())),
        route => lazily(move || desk_page(route.clone())),
    }
}

/// The lists' module's pages (each list, the network, the action plan).
#[derive(Debug, Clone, Copy, PartialEq)]
enum List {
    Contacts,
    Consultations,
    Referrals,
    Events,
    Companies,
    Institutions,
    ActionPlan,
    Network,
}

/// The page of the lists' module a route shows, if any: every kind named,
/// so a new kind must say where its list is.
fn list_of(route: &Route) -> Option<List> {
    let kind = match route {
        Route::List(kind) => *kind,
        Route::Network => return Some(List::Network),
        Route::ActionPlan => return Some(List::ActionPlan),
        _ => return None,
    };
    Some(match kind {
        Kind::Contact | Kind::Household => List::Contacts,
        Kind::Consultation => List::Consultations,
        Kind::Referral => List::Referrals,
        Kind::Event => List::Events,
        Kind::Company | Kind::TrainingPlace => List::Companies,
        Kind::Institution => List::Institutions,
        Kind::Measure => List::ActionPlan,
        Kind::Partner | Kind::Community | Kind::Mentor => List::Network,
        // Follow-ups are listed on Today; exports on the report page.
        Kind::FollowUp | Kind::Export => return None,
    })
}

/// A page whose code is still being fetched shows the loading mark; one
/// whose module could not be fetched (offline before the service worker
/// had cached it, a dropped connection) says so and offers to try again,
/// instead of stopping the app. `load` starts one attempt: a failed fetch
/// is not remembered, so the next attempt fetches afresh.
fn lazily<F>(load: impl Fn() -> F + Send + Sync + 'static) -> AnyView
where
    F: std::future::Future<Output = Result<AnyView, PartMissing>> + 'static,
{
    let i = use_i18n();
    let attempt = RwSignal::new(0u32);
    let page = move || {
        attempt.track();
        let part = leptos::__reexports::send_wrapper::SendWrapper::new(load());
        Suspend::new(async move {
            match part.await {
                Ok(page) => page,
                Err(PartMissing) => view! {
                    <div class="part-missing">
                        <p id="part-missing" class="banner-error" role="alert">{move || i.t("part-missing")}</p>
                        <button type="button" id="part-retry" class="button primary"
                            on:click=move |_| attempt.update(|n| *n += 1)>
                            {move || i.t("part-retry")}
                        </button>
                    </div>
                }
                .into_any(),
            }
        })
    };
    view! { <Suspense fallback=|| view! { <p class="loading">"…"</p> }>{page}</Suspense> }.into_any()
}

/// A split-off module of the page could not be fetched.
#[derive(Debug, Clone, Copy)]
struct PartMissing;

#[cfg(feature = "split")]
impl From<leptos::wasm_split::SplitLoaderError> for PartMissing {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        PartMissing
    }
}

// With the `split` feature (the page's build by `cargo xtask build`), each
// of these is a split point: its code goes to a module of its own, fetched
// on first use; `fallible`, so a failed fetch comes back as an error rather
// than a panic (which, with `panic = "abort"`, would stop the app). Without
// it (Trunk's own build, the tests) they are plain functions. Never on in
// the workers' builds: a split point is an exported symbol, and would pull
// the pages into every binary of the crate.
#[cfg(feature = "split")]
#[leptos::wasm_split::wasm_split(lotse_desk, wasm_split_path = ::leptos::wasm_split, fallible)]
fn desk_page(route: Route) -> Result<AnyView, PartMissing> {
    Ok(desk(route))
}
#[cfg(not(feature = "split"))]
async fn desk_page(route: Route) -> Result<AnyView, PartMissing> {
    Ok(desk(route))
}
#[cfg(feature = "split")]
#[leptos::wasm_split::wasm_split(
    lotse_forms,
    wasm_split_path = ::leptos::wasm_split,
    preload(preload_forms),
    fallible
)]
fn form_page(kind: Kind, id: Option<String>, prefill: Prefill) -> Result<AnyView, PartMissing> {
    Ok(form_for(kind, id, prefill))
}
#[cfg(not(feature = "split"))]
async fn form_page(kind: Kind, id: Option<String>, prefill: Prefill) -> Result<AnyView, PartMissing> {
    Ok(form_for(kind, id, prefill))
}

#[cfg(feature = "split")]
#[leptos::wasm_split::wasm_split(
    lotse_lists,
    wasm_split_path = ::leptos::wasm_split,
    preload(preload_lists),
    fallible
)]
fn list_page(route: Route) -> Result<AnyView, PartMissing> {
    Ok(list(route))
}
#[cfg(not(feature = "split"))]
async fn list_page(route: Route) -> Result<AnyView, PartMissing> {
    Ok(list(route))
}

/// The lists and the network: one tap from Today, so fetched (from the
/// service worker's cache) and compiled as soon as Today is drawn, not
/// before it.
fn list(route: Route) -> AnyView {
    match list_of(&route) {
        Some(List::Contacts) => view! { <ContactsPage/> }.into_any(),
        Some(List::Consultations) => view! { <ConsultationsPage/> }.into_any(),
        Some(List::Referrals) => view! { <ReferralsPage/> }.into_any(),
        Some(List::Events) => view! { <EventsPage/> }.into_any(),
        Some(List::Companies) => view! { <CompaniesPage/> }.into_any(),
        Some(List::Institutions) => view! { <InstitutionsPage/> }.into_any(),
        Some(List::ActionPlan) => view! { <ActionPlanPage/> }.into_any(),
        Some(List::Network) | None => view! { <NetworkPage/> }.into_any(),
    }
}

/// An app opened on a list (a bookmark, a reload): its module is fetched
/// and compiled while the stored rows are read, not after.
fn preload_first_screen(route: &Route) {
    #[cfg(feature = "split")]
    if list_of(route).is_some() {
        leptos::task::spawn_local(async {
            let _ = preload_lists().await;
        });
    }
    #[cfg(not(feature = "split"))]
    let _ = route;
}

/// Once the first screen is drawn: the lists and the forms a tap on it
/// opens are fetched and compiled in the background, so the tap answers at
/// once. A failed fetch is left for the tap itself to report.
fn preload_first_taps() {
    #[cfg(feature = "split")]
    leptos::task::spawn_local(async {
        crate::hooks::next_frame().await;
        crate::hooks::next_frame().await;
        let _ = preload_lists().await;
        let _ = preload_forms().await;
    });
}

/// The pages a first screen never needs.
fn desk(route: Route) -> AnyView {
    match route {
        Route::Conflicts => view! { <ConflictsPage/> }.into_any(),
        Route::Duplicates => view! { <DuplicatesPage/> }.into_any(),
        Route::Retention => view! { <RetentionPage/> }.into_any(),
        Route::Erasure => view! { <ErasurePage/> }.into_any(),
        Route::Review => view! { <ReviewPage/> }.into_any(),
        Route::Import(target) => view! { <ImportPage target=target/> }.into_any(),
        Route::Device => view! { <DevicePage/> }.into_any(),
        Route::Devices => view! { <DevicesPage/> }.into_any(),
        // An export is read on the report page, beside its period's figures.
        _ => view! { <ReportPage/> }.into_any(),
    }
}

/// The record forms (one generic form, monomorphised per kind).
fn form_for(kind: Kind, id: Option<String>, prefill: Prefill) -> AnyView {
    match kind {
        Kind::Contact => record_form::<Contact>(id, prefill),
        Kind::Household => record_form::<Household>(id, prefill),
        Kind::Consultation => record_form::<Consultation>(id, prefill),
        Kind::Referral => record_form::<Referral>(id, prefill),
        Kind::FollowUp => record_form::<FollowUp>(id, prefill),
        Kind::Event => record_form::<Event>(id, with_origin(prefill)),
        Kind::Company => record_form::<Company>(id, prefill),
        Kind::TrainingPlace => record_form::<TrainingPlace>(id, prefill),
        Kind::Institution => record_form::<Institution>(id, prefill),
        Kind::Partner => record_form::<PartnerOrganisation>(id, prefill),
        Kind::Community => record_form::<Community>(id, prefill),
        Kind::Mentor => record_form::<Mentor>(id, prefill),
        Kind::Measure => record_form::<Measure>(id, prefill),
        Kind::Export => view! { <ReportPage/> }.into_any(),
    }
}

/// The bottom bar's tab a route belongs to.
fn tab_of(route: &Route) -> &'static str {
    let kind = match route {
        Route::Today => return "today",
        Route::Import(lotse_model::import::Target::Contacts) => return "contacts",
        Route::List(k) | Route::New(k, _) | Route::Open(k, _) => *k,
        _ => return "more",
    };
    match kind {
        Kind::FollowUp => "today",
        Kind::Contact | Kind::Household => "contacts",
        Kind::Consultation | Kind::Referral => "consultations",
        Kind::Event => "events",
        _ => "more",
    }
}

#[component]
fn Shell(route: Route, engine: RwSignal<EngineState>) -> impl IntoView {
    let i = use_i18n();
    let tab = tab_of(&route);
    let link = EngineLink::spawn();
    let health = link.health;
    let state = link.state;
    let access = link.access;
    let restarts = link.restarts;
    learn_communities(access);
    // A memo: the page is drawn again only when this state really changes.
    // The health is set again as the worker loads and answers; redrawing on
    // every set would throw away what the page holds (a new invitation's
    // link, a half-filled form) when the worker is slower than the user.
    let failed = Memo::new(move |_| match (engine.get(), health.get()) {
        (EngineState::Failed(e), _) | (_, Health::Failed(e)) => EngineState::Failed(e),
        (s, _) => s,
    });
    let page = move || match failed.get() {
        EngineState::Idle => view! { <p class="loading">"…"</p> }.into_any(),
        EngineState::Failed(e) => {
            // What to do, in the mentor's language; the browser's own words
            // (English, technical) stay in a data attribute.
            let key = match &e {
                StoreError::Full(_) => "store-full",
                StoreError::Refused(_) => "store-refused",
                StoreError::Idb(_) => "store-failed",
            };
            view! { <p class="banner-error" role="alert" data-reason=e.to_string()>{move || i.t(key)}</p> }.into_any()
        }
        EngineState::Ready => page_for(route.clone()),
    };
    // Reads the engine state, so the status appears once the engine is ready
    // (after a reload the shell renders before it is).
    let status =
        move || (engine.get() == EngineState::Ready).then(|| view! { <SyncStatus state=state access=access/> });
    // The engine stopped and is starting again, or is of another version.
    let engine_note = move || {
        let key = match health.get() {
            Health::Restarting => "engine-restarting",
            Health::Outdated => "engine-outdated",
            _ => return None,
        };
        Some(view! { <p id="engine-note" class="banner-warning" role="status">{move || i.t(key)}</p> })
    };
    // Whether the relay lets this device sync, when it does not: in plain
    // words, with what to do.
    let access_note = move || {
        let admission = access.with(|a| a.admission);
        let (key, class) = match admission {
            Admission::Unknown | Admission::Member => return None,
            Admission::Waiting => ("access-waiting", "banner-info access-note"),
            Admission::AwaitingKeys => ("access-awaiting-keys", "banner-info access-note"),
            Admission::NotAdmitted => ("access-not-admitted", "banner-error access-note"),
            Admission::Retired => ("access-retired", "banner-error access-note"),
            Admission::InvitationRefused => ("access-invitation-refused", "banner-error access-note"),
        };
        Some(view! {
            <p id="access-note" class=class role="status" data-access=admission.code()>{move || i.t(key)}</p>
        })
    };
    let link = move |name: &'static str, href: &'static str, key: &'static str| {
        let on = tab == name;
        let class = if on { "nav-link active" } else { "nav-link" };
        view! {
            <a href=href id=format!("nav-{name}") class=class aria-current=on.then_some("page")>
                <svg class="nav-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                    <path d=nav_icon(name)/>
                </svg>
                <span class="nav-label">{move || i.t(key)}</span>
            </a>
        }
    };
    view! {
        <header class="app-header">
            <h1 class="app-title" translate="no">{move || i.t("app-name")}</h1>
            {status}
        </header>
        <main class="app-main" data-engine-restarts=move || restarts.get()>{engine_note}{access_note}{page}</main>
        <nav class="app-nav" aria-label="Lotse">
            {link("today", "#/today", "nav-today")}
            {link("contacts", "#/contacts", "nav-contacts")}
            {link("consultations", "#/consultations", "nav-consultations")}
            {link("events", "#/events", "nav-events")}
            {link("more", "#/more", "nav-more")}
        </nav>
    }
}

/// The outline of a bottom-bar tab's icon (24×24, drawn with a stroke):
/// a sun for Today, a person, two speech bubbles, a calendar, three dots.
fn nav_icon(tab: &str) -> &'static str {
    match tab {
        "today" => "M12 8a4 4 0 1 0 0 8a4 4 0 1 0 0-8zM12 2v3M12 19v3M2 12h3M19 12h3M4.9 4.9l2.1 2.1M17 17l2.1 2.1M4.9 19.1l2.1-2.1M17 7l2.1-2.1",
        "contacts" => "M12 4a4 4 0 1 0 0 8a4 4 0 1 0 0-8zM4 21c0-4 3.6-7 8-7s8 3 8 7",
        "consultations" => "M3 5h12v8H8l-4 3v-3H3zM9 16v1h7l4 3v-3h1V9h-4",
        "events" => "M4 6h16v14H4zM4 10h16M8 3v5M16 3v5",
        _ => "M5 11a1.5 1.5 0 1 0 0 3a1.5 1.5 0 1 0 0-3zM12 11a1.5 1.5 0 1 0 0 3a1.5 1.5 0 1 0 0-3zM19 11a1.5 1.5 0 1 0 0 3a1.5 1.5 0 1 0 0-3z",
    }
}
