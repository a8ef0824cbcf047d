//! The app shell: language, device set-up, routes, navigation.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::sync_status::SyncStatus;
use crate::components::update_banner::UpdateBanner;
use crate::device::{self, Device};
use crate::hooks::pwa::{register_service_worker, UpdateAvailable};
use crate::hooks::sync::{use_engine, Engine};
use crate::i18n::{use_i18n, I18n, Lang};
use crate::pages::{
    contact_form::ContactForm, contacts::ContactsPage, device::DevicePage, join::JoinPage, setup::SetupPage,
};
use crate::route::{self, Route};
use crate::store::StoreError;

/// The saved choice, else the first of the browser's languages Lotse speaks,
/// else German.
fn initial_lang() -> Lang {
    device::load_lang().or_else(Lang::from_browser).unwrap_or(Lang::De)
}

/// Where the engine is: not started, running, or failed to open storage.
#[derive(Debug, Clone, PartialEq)]
enum EngineState {
    Idle,
    Ready,
    Failed(StoreError),
}

#[component]
pub fn App() -> impl IntoView {
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
    let on_hash = Closure::<dyn FnMut()>::new(move || route.set(route::current()));
    if let Some(w) = web_sys::window() {
        let _ = w.add_event_listener_with_callback("hashchange", on_hash.as_ref().unchecked_ref());
    }
    on_hash.forget(); // for the page's lifetime

    let update = UpdateAvailable(RwSignal::new(false));
    register_service_worker(update);

    let device = RwSignal::new(Device::load());
    let engine = RwSignal::new(EngineState::Idle);
    // Start syncing as soon as the device is set up.
    Effect::new(move |_| {
        if let Some(d) = device.get() {
            if engine.get_untracked() == EngineState::Idle {
                leptos::task::spawn_local(async move {
                    match Engine::start(d).await {
                        Ok(_) => engine.set(EngineState::Ready),
                        Err(e) => engine.set(EngineState::Failed(e)),
                    }
                });
            }
        }
    });
    let on_setup = Callback::new(move |d: Device| {
        device.set(Some(d));
        route::go(&Route::Contacts);
    });

    view! {
        <UpdateBanner update=update/>
        {move || {
            let r = route.get();
            match (device.get(), r) {
                (None, Route::Join(payload)) => view! { <JoinPage payload=payload on_done=on_setup/> }.into_any(),
                (None, _) => view! { <SetupPage on_done=on_setup/> }.into_any(),
                (Some(_), r) => view! { <Shell route=r engine=engine/> }.into_any(),
            }
        }}
    }
}

#[component]
fn Shell(route: Route, engine: RwSignal<EngineState>) -> impl IntoView {
    let i = use_i18n();
    let active = |on: bool| if on { "nav-link active" } else { "nav-link" };
    let on_contacts =
        matches!(route, Route::Contacts | Route::NewContact | Route::EditContact(_) | Route::UnknownContact);
    let page = move || match engine.get() {
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
        EngineState::Ready => match route.clone() {
            Route::Contacts | Route::Join(_) => view! { <ContactsPage/> }.into_any(),
            Route::NewContact => view! { <ContactForm id=None/> }.into_any(),
            Route::EditContact(id) => view! { <ContactForm id=Some(id)/> }.into_any(),
            Route::UnknownContact => view! { <p class="empty">{move || i.t("contact-not-found")}</p> }.into_any(),
            Route::Device => view! { <DevicePage/> }.into_any(),
        },
    };
    // Reads the engine state, so the status appears once the engine is ready
    // (after a reload the shell renders before it is).
    let status = move || {
        (engine.get() == EngineState::Ready).then(use_engine).flatten().map(|e| view! { <SyncStatus state=e.state/> })
    };
    view! {
        <header class="app-header">
            <h1 class="app-title" translate="no">{move || i.t("app-name")}</h1>
            {status}
        </header>
        <main class="app-main">{page}</main>
        <nav class="app-nav" aria-label="Lotse">
            <a href="#/contacts" class=active(on_contacts) aria-current=on_contacts.then_some("page")>{move || i.t("nav-contacts")}</a>
            <a href="#/device" class=active(!on_contacts) aria-current=(!on_contacts).then_some("page")>{move || i.t("nav-device")}</a>
        </nav>
    }
}
