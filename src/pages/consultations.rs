use leptos::prelude::*;

/// (being built)
#[component]
pub fn ConsultationsPage() -> impl IntoView {
    view! { <section class="page"></section> }
}
