use leptos::prelude::*;

/// (being built)
#[component]
pub fn ReferralsPage() -> impl IntoView {
    view! { <section class="page"></section> }
}
