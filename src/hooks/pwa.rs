//! The service worker: registration, and the "new version available" prompt
//! instead of a page that mixes old and new files.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ServiceWorker, ServiceWorkerRegistration, ServiceWorkerState};

/// A new build is installed and waiting for the user's reload.
#[derive(Clone, Copy)]
pub struct UpdateAvailable(pub RwSignal<bool>);

thread_local! {
    static WAITING: std::cell::RefCell<Option<ServiceWorker>> = const { std::cell::RefCell::new(None) };
}

/// Tells the waiting worker to take over; the page reloads on
/// `controllerchange`.
pub fn activate_update() {
    WAITING.with(|w| {
        if let Some(w) = w.borrow().as_ref() {
            let msg = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&msg, &"type".into(), &"SKIP_WAITING".into());
            let _ = w.post_message(&msg);
        }
    });
}

pub fn register_service_worker(update: UpdateAvailable) {
    let Some(window) = web_sys::window() else { return };
    // No service worker here (a browser's private mode, a page not served
    // over https, a policy that blocks them): the app still runs, online.
    let navigator = window.navigator();
    if !js_sys::Reflect::get(&navigator, &"serviceWorker".into()).is_ok_and(|c| c.is_object()) {
        return;
    }
    let container = navigator.service_worker();
    let had_controller = container.controller().is_some();
    // The new worker took over: load the new build as a whole.
    let reload = Closure::<dyn FnMut()>::new(move || {
        if had_controller {
            if let Some(w) = web_sys::window() {
                let _ = w.location().reload();
            }
        }
    });
    let _ = container.add_event_listener_with_callback("controllerchange", reload.as_ref().unchecked_ref());
    reload.forget();
    let promise = container.register("/sw.js");
    leptos::task::spawn_local(async move {
        let Ok(reg) = wasm_bindgen_futures::JsFuture::from(promise).await else { return };
        let Ok(reg) = reg.dyn_into::<ServiceWorkerRegistration>() else { return };
        let offer = move |w: ServiceWorker| {
            if had_controller {
                WAITING.with(|slot| *slot.borrow_mut() = Some(w));
                update.0.set(true);
            }
        };
        if let Some(w) = reg.waiting() {
            offer(w);
        }
        let reg2 = reg.clone();
        let on_found = Closure::<dyn FnMut()>::new(move || {
            let Some(installing) = reg2.installing() else { return };
            let w = installing.clone();
            let on_state = Closure::<dyn FnMut()>::new(move || {
                if w.state() == ServiceWorkerState::Installed {
                    offer(w.clone());
                }
            });
            installing.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
            on_state.forget();
        });
        reg.set_onupdatefound(Some(on_found.as_ref().unchecked_ref()));
        on_found.forget();
    });
}
