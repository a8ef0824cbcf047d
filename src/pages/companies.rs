use leptos::prelude::*;

/// (being built)
#[component]
pub fn CompaniesPage() -> impl IntoView {
    view! { <section class="page"></section> }
}
