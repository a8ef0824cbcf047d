use leptos::prelude::*;

use crate::components::language_picker::LanguagePicker;
use crate::engine::protocol::Trouble;
use crate::hooks::{use_device, use_engine};
use crate::i18n::use_i18n;

/// This device: who, its home community, storage, language, the join link
/// (to the home community).
#[component]
pub fn DevicePage() -> impl IntoView {
    let i = use_i18n();
    let (Some(engine), Some(d)) = (use_engine(), use_device()) else { return view! { <p>"…"</p> }.into_any() };
    let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
    let link = d.invitation().link(&origin);
    let persisted = engine.storage_persisted;
    let problems = engine.problems;
    let copied = RwSignal::new(false);
    let link_for_copy = link.clone();
    let copy = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.navigator().clipboard().write_text(&link_for_copy);
            copied.set(true);
        }
    };
    let problem_text = move |p: &Trouble| match p {
        Trouble::Undecryptable => i.t("problem-undecryptable"),
        Trouble::NotAutomerge => i.t("problem-not-automerge"),
        Trouble::Relay(message) => i.t_args("problem-relay", &[("message", message.clone().into())]),
    };
    view! {
        <section class="page device">
            <h2 class="page-title">{move || i.t("device-title")}</h2>
            <dl class="facts">
                <dt>{move || i.t("device-mentor")}</dt>
                <dd><bdi translate="no">{d.mentor_name.clone()}</bdi></dd>
                <dt>{move || i.t("device-community")}</dt>
                <dd><bdi translate="no">{d.home().community_name.clone()}</bdi></dd>
                <dt>{move || i.t("device-storage")}</dt>
                <dd id="storage-persisted" data-persisted=move || persisted.get().map_or("unknown", |p| if p { "yes" } else { "no" })>
                    {move || match persisted.get() {
                        None => i.t("storage-unknown"),
                        Some(true) => i.t("storage-persisted"),
                        Some(false) => i.t("storage-not-persisted"),
                    }}
                </dd>
            </dl>
            <LanguagePicker/>
            <h3 class="section-title">{move || i.t("device-join-link")}</h3>
            <p class="hint">{move || i.t("device-join-hint")}</p>
            <p id="join-link" class="join-link" dir="ltr" translate="no">{link}</p>
            <button id="copy-join-link" type="button" class="button" on:click=copy>
                {move || if copied.get() { i.t("device-copied") } else { i.t("device-copy") }}
            </button>
            <Show when=move || !problems.with(Vec::is_empty)>
                <h3 class="section-title">{move || i.t("device-problems")}</h3>
                <ul class="problems">
                    {move || problems.get().iter().map(|p| view! { <li>{problem_text(p)}</li> }).collect_view()}
                </ul>
            </Show>
        </section>
    }
    .into_any()
}
