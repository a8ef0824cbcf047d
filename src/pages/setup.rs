use leptos::prelude::*;

use crate::engine::protocol::WipeReason;

use crate::components::language_picker::LanguagePicker;
use crate::device::{self, Device};
use crate::i18n::use_i18n;

/// First start: the language (the browser's by default), who uses this
/// device and for which community.
#[component]
pub fn SetupPage(on_done: Callback<Device>) -> impl IntoView {
    let i = use_i18n();
    let name = RwSignal::new(String::new());
    let community = RwSignal::new(String::new());
    let tried = RwSignal::new(false);
    let missing = move |s: RwSignal<String>| {
        Signal::derive(move || (tried.get() && s.get().trim().is_empty()).then(|| i.t("error-required")))
    };
    // The browser's reason (English, technical) goes to the console; the
    // mentor reads what to do.
    let save_failed = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        tried.set(true);
        if name.get().trim().is_empty() || community.get().trim().is_empty() {
            return;
        }
        let d = device::found_community(&name.get(), &community.get());
        match d.save() {
            Ok(()) => on_done.run(d),
            Err(e) => {
                web_sys::console::error_1(&format!("saving the device settings: {e}").into());
                save_failed.set(true);
            }
        }
    };
    view! {
        <main class="app-main setup">
            <LanguagePicker/>
            <h1 class="page-title">{move || i.t("setup-title")}</h1>
            <WipedBanner/>
            <p class="intro">{move || i.t("setup-intro")}</p>
            <form class="form" on:submit=submit novalidate>
                <div class="field">
                    <label for="mentor-name">{move || i.t("setup-mentor-name")}</label>
                    <input id="mentor-name" type="text" autocomplete="name" dir="auto" required
                        prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                    <crate::components::field::FieldError id="mentor-name" message=missing(name)/>
                </div>
                <div class="field">
                    <label for="community-name">{move || i.t("setup-community-name")}</label>
                    <input id="community-name" type="text" dir="auto" required aria-describedby="community-hint"
                        prop:value=move || community.get() on:input=move |ev| community.set(event_target_value(&ev))/>
                    <p class="hint" id="community-hint">{move || i.t("setup-community-hint")}</p>
                    <crate::components::field::FieldError id="community-name" message=missing(community)/>
                </div>
                <Show when=move || save_failed.get()>
                    <p class="banner-error" role="alert">{move || i.t("setup-save-failed")}</p>
                </Show>
                <button id="setup-save" type="submit" class="button primary">{move || i.t("setup-save")}</button>
            </form>
            <p class="hint">{move || i.t("setup-join-hint")}</p>
            // An empty install can be tried with the fictional demo network.
            <a id="try-demo" class="button" href="#/demo">{move || i.t("demo-try")}</a>
        </main>
    }
}

/// Why this device was emptied, on the first screen after it (until it is
/// set up or joins again).
#[component]
pub fn WipedBanner() -> impl IntoView {
    let i = use_i18n();
    crate::device::load_wiped().map(|why| {
        let (key, state) = match why {
            WipeReason::WrongPins => ("wiped-wrong-pins", "wrong-pins"),
            WipeReason::LeftBehind => ("wiped-left-behind", "left-behind"),
        };
        view! { <p class="banner-error" role="alert" id="wiped-why" data-why=state>{move || i.t(key)}</p> }
    })
}
