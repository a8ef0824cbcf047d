//! The language picker: a device setting, saved in localStorage (never
//! synced) and applied as soon as the language's messages are here.

use leptos::prelude::*;

use crate::device;
use crate::i18n::{use_i18n, Lang};

/// A labelled `<select id="language">`; each language is named in itself,
/// marked with its own `lang` so screen readers and the no-leftover-English
/// check treat the names as what they are.
#[component]
pub fn LanguagePicker() -> impl IntoView {
    let i = use_i18n();
    view! {
        <div class="field language-picker">
            <label for="language">{move || i.t("device-language")}</label>
            <select id="language" on:change=move |ev| {
                if let Some(l) = Lang::from_code(&event_target_value(&ev)) {
                    leptos::task::spawn_local(async move {
                        match crate::i18n::load(l).await {
                            Ok(()) => {
                                i.lang.set(l);
                                device::save_lang(l);
                            }
                            Err(e) => web_sys::console::warn_1(&e.into()),
                        }
                    });
                }
            }>
                {Lang::ALL.into_iter().map(|l| view! {
                    <option value=l.code() lang=l.code() dir=l.dir() selected=move || i.lang.get() == l>
                        {l.native_name()}
                    </option>
                }).collect_view()}
            </select>
        </div>
    }
}
