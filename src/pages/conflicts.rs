//! The desk's list of fields with two values: every record that has some,
//! with its kind and name, the values, and "keep this one".

use leptos::prelude::*;
use lotse_model::{DocRef, Kind};

use crate::components::conflicts::RecordConflicts;
use crate::hooks::notebook::use_notebook;
use crate::i18n::use_i18n;
use crate::route::Route;

/// One record with conflicts, as the list shows it.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    at: DocRef,
    collection: &'static str,
    key: String,
    kind: Option<Kind>,
    title: String,
}

#[component]
pub fn ConflictsPage() -> impl IntoView {
    let i = use_i18n();
    let nb = use_notebook();
    let rows = Memo::new(move |_| {
        nb.with(|n| {
            n.conflicts()
                .map(|(at, collection, key, _)| {
                    let (kind, title) = match n.title_of(collection, key) {
                        Some((k, t)) => (Some(k), t),
                        None => (Kind::from_collection(collection), String::new()),
                    };
                    Row { at, collection, key: key.to_owned(), kind, title }
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <section class="page conflicts-page">
            <h2 class="page-title">{move || i.t("conflicts-title")}</h2>
            <p class="hint">{move || i.t("conflicts-intro")}</p>
            <Show when=move || rows.with(Vec::is_empty)>
                <p class="empty" id="conflicts-none">{move || i.t("conflicts-none")}</p>
            </Show>
            <ul class="conflict-records">
                <For each=move || rows.get() key=|r| (r.collection, r.key.clone()) let:r>
                    <li class="conflict-record" data-key=r.key.clone()>
                        <div class="page-head">
                            <h3 class="conflict-record-title">
                                <span class="conflict-kind">
                                    {r.kind.map(|k| move || i.t(&format!("kind-{}", k.segment())))}
                                </span>
                                " "
                                <bdi translate="no">{crate::i18n::record_title(i.lang.get_untracked(), &r.title)}</bdi>
                            </h3>
                            {r.kind.map(|k| view! {
                                <a class="button" href=Route::open(k, &r.key).href()>{move || i.t("conflicts-open")}</a>
                            })}
                        </div>
                        <RecordConflicts at=r.at collection=r.collection key=r.key.clone()/>
                    </li>
                </For>
            </ul>
        </section>
    }
}
