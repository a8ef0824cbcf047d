use std::collections::BTreeMap;

use leptos::prelude::*;

/// (being built) `id`: None for a new record; `prefill`: fields from the route's query.
#[component]
pub fn TrainingPlaceForm(id: Option<String>, prefill: BTreeMap<String, String>) -> impl IntoView {
    let _ = (id, prefill);
    view! { <section class="page"></section> }
}
