use leptos::prelude::*;

use crate::hooks::pwa::{activate_update, UpdateAvailable};
use crate::i18n::use_i18n;

/// Shown when a new build is installed: the page reloads as a whole, never
/// mixing old and new files.
#[component]
pub fn UpdateBanner(update: UpdateAvailable) -> impl IntoView {
    let i = use_i18n();
    view! {
        <Show when=move || update.0.get()>
            <div id="update-banner" class="update-banner" role="alert">
                <span>{move || i.t("update-available")}</span>
                <button id="update-reload" class="button" on:click=move |_| activate_update()>
                    {move || i.t("update-reload")}
                </button>
            </div>
        </Show>
    }
}
