use leptos::prelude::*;

/// (being built)
#[component]
pub fn TodayPage() -> impl IntoView {
    view! { <section class="page"></section> }
}
