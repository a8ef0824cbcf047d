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

/// Starts the app in the page's body.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
