//! A labelled form field with its error message beside it.

use leptos::prelude::*;

/// The message shown under a field, with the id tests and screen readers use.
#[component]
pub fn FieldError(#[prop(into)] id: String, #[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    view! {
        <Show when=move || message.get().is_some()>
            <p class="field-error" id=format!("error-{id}") role="alert">{move || message.get().unwrap_or_default()}</p>
        </Show>
    }
}
