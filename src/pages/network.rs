use leptos::prelude::*;

/// (being built)
#[component]
pub fn NetworkPage() -> impl IntoView {
    view! { <section class="page"></section> }
}
