use leptos::prelude::*;

/// (being built)
#[component]
pub fn MorePage() -> impl IntoView {
    view! { <section class="page"></section> }
}
