use leptos::prelude::*;

/// (being built)
#[component]
pub fn EventsPage() -> impl IntoView {
    view! { <section class="page"></section> }
}
