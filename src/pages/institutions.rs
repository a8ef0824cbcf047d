use leptos::prelude::*;

/// (being built)
#[component]
pub fn InstitutionsPage() -> impl IntoView {
    view! { <section class="page"></section> }
}
