use leptos::prelude::*;

/// (being built) Pick a contact by typing part of the name.
#[component]
pub fn ContactPicker() -> impl IntoView {
    view! { <div class="field"></div> }
}
