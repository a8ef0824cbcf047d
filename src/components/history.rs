use leptos::prelude::*;

/// (being built) A record's history.
#[component]
pub fn History(collection: &'static str, key: String) -> impl IntoView {
    let _ = (collection, key);
    view! { <section class="history"></section> }
}
