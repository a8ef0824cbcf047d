use leptos::prelude::*;

use crate::components::language_picker::LanguagePicker;
use crate::device::{self, Device, Invitation, JoinLinkError};
use crate::hooks::EngineLink;
use crate::i18n::use_i18n;

/// A second device opened a join link: the keys and the invitation's
/// one-time secret are in the fragment. Once the form is saved, the engine
/// signs this device's enrolment with that secret (and the page forgets it).
#[component]
pub fn JoinPage(payload: String, on_done: Callback<Device>) -> impl IntoView {
    let i = use_i18n();
    let invitation = Invitation::decode(&payload);
    let name = RwSignal::new(String::new());
    let tried = RwSignal::new(false);
    let missing = Signal::derive(move || (tried.get() && name.get().trim().is_empty()).then(|| i.t("error-required")));
    match invitation {
        Err(e) => {
            // A link of the keys alone: the relay would not admit the
            // device, so it is not set up with it.
            let key = if e == JoinLinkError::NoInvitation { "join-no-invitation" } else { "join-error" };
            view! {
                <main class="app-main setup">
                    <LanguagePicker/>
                    <h1 class="page-title">{move || i.t("join-title")}</h1>
                    <crate::pages::setup::WipedBanner/>
                    <p id="join-error" class="banner-error" role="alert" data-reason=e.to_string()>{move || i.t(key)}</p>
                    <a class="button" href="#/">{move || i.t("setup-title")}</a>
                </main>
            }
            .into_any()
        }
        Ok(inv) => {
            let community = inv.community.community_name.clone();
            let coordinator = inv.coordinator;
            let intro = if coordinator { "join-intro-coordinator" } else { "join-intro" };
            let submit = move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                tried.set(true);
                if name.get().trim().is_empty() {
                    return;
                }
                let d = device::join_community(&name.get(), &inv);
                if d.save().is_ok() {
                    EngineLink::spawn().enrol(inv.secret);
                    on_done.run(d);
                }
            };
            view! {
                <main class="app-main setup">
                    <LanguagePicker/>
                    <h1 class="page-title">{move || i.t("join-title")}</h1>
                    <crate::pages::setup::WipedBanner/>
                    <p class="intro" id="join-intro" data-coordinator=coordinator.to_string()>
                        {move || i.t_args(intro, &[("community", community.clone().into())])}
                    </p>
                    <form class="form" on:submit=submit novalidate>
                        <div class="field">
                            <label for="mentor-name">{move || i.t("setup-mentor-name")}</label>
                            <input id="mentor-name" type="text" autocomplete="name" dir="auto" required
                                prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                            <crate::components::field::FieldError id="mentor-name" message=missing/>
                        </div>
                        <button id="join-save" type="submit" class="button primary">{move || i.t("join-save")}</button>
                    </form>
                </main>
            }
            .into_any()
        }
    }
}
