//! The worker's global scope: timers, browser events, where the relay is.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::WorkerGlobalScope;

fn scope() -> WorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Runs `f` once after `ms` milliseconds.
pub(super) fn set_timeout(f: impl FnOnce() + 'static, ms: i32) {
    let c = Closure::once_into_js(f);
    let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(c.unchecked_ref(), ms);
}

/// Runs `f` every `ms` milliseconds for the worker's life.
pub(super) fn set_interval(f: impl FnMut() + 'static, ms: i32) {
    let c = Closure::<dyn FnMut()>::new(f);
    let _ = scope().set_interval_with_callback_and_timeout_and_arguments_0(c.as_ref().unchecked_ref(), ms);
    c.forget(); // lives as long as the worker
}

/// The relay's WebSocket address: the origin that served the app.
pub(super) fn relay_url() -> Option<String> {
    let loc = scope().location();
    let scheme = if loc.protocol() == "https:" { "wss" } else { "ws" };
    Some(format!("{scheme}://{}/sync", loc.host()))
}

pub(super) fn now() -> f64 {
    js_sys::Date::now()
}

/// Whether the browser promised to keep this origin's storage
/// (`navigator.storage.persisted()`); `false` where it cannot say.
pub(super) async fn storage_persisted() -> bool {
    let Ok(promise) = scope().navigator().storage().persisted() else { return false };
    wasm_bindgen_futures::JsFuture::from(promise).await.ok().and_then(|v| v.as_bool()).unwrap_or(false)
}
