//! Lotse, the PWA: a parent mentor's offline notebook.
//!
//! `main.rs` only mounts [`app::App`]. Components render; `hooks/` does IO
//! (IndexedDB via `store/`, the relay's WebSocket, timers, the service worker).

pub mod app;
pub mod components;
pub mod device;
pub mod engine;
pub mod hooks;
pub mod i18n;
pub mod pages;
pub mod route;
pub mod store;
pub mod xlsx;

/// Starts the app in the page's body, once its language's messages are
/// here (a missing file leaves the message keys on screen, never a blank).
pub fn start() {
    console_error_panic_hook::set_once();
    // Begun first: the store's waits overlap the messages' fetch.
    let early = hooks::early::Early::begin();
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(e) = i18n::load(app::initial_lang()).await {
            web_sys::console::error_1(&e.into());
        }
        // index.html's header, painted while the wasm loaded: the app's
        // own takes its place in the same frame.
        if let Some(splash) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("splash")) {
            splash.remove();
        }
        leptos::mount::mount_to_body(move || leptos::view! { <app::App early=early/> });
    });
}
