use std::collections::BTreeMap;

use leptos::prelude::*;

/// (being built) Fills an empty install with demo data.
#[component]
pub fn DemoPage(query: BTreeMap<String, String>, on_done: Callback<crate::device::Device>) -> impl IntoView {
    let _ = (query, on_done);
    view! { <section class="page"></section> }
}
