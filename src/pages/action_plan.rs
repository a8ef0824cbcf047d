use leptos::prelude::*;

/// (being built)
#[component]
pub fn ActionPlanPage() -> impl IntoView {
    view! { <section class="page"></section> }
}
