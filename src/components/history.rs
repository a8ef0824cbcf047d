//! A record's history: who changed what and when, read from the Automerge
//! commits that name the record, each device's actor mapped to its mentor.

use leptos::prelude::*;
use lotse_model::history;

use crate::hooks::notebook::{use_notebook, Place};
use crate::hooks::use_engine;
use crate::i18n::{format_date, format_time, use_i18n, Lang};

/// The history of the record `key` of `collection` in `place`'s document,
/// newest first. It follows the record: a save or a sync adds a line.
#[component]
pub fn History(collection: &'static str, key: String, place: Place) -> impl IntoView {
    let i = use_i18n();
    let nb = use_notebook();
    let entries = Memo::new(move |_| {
        nb.revision();
        let Some(engine) = use_engine() else { return vec![] };
        let addr = match place {
            Place::Network => Some(engine.network_addr()),
            Place::Community(c) => engine.device.addr_of(c),
        };
        let Some(addr) = addr else { return vec![] };
        // History is in the document, not in the read model: load it if the
        // page was drawn from the rows; its version moves once it is open.
        engine.doc_version(addr);
        if !engine.is_open(addr) {
            let engine = engine.clone();
            leptos::task::spawn_local(async move {
                let _ = engine.ensure_open(addr).await;
            });
            return vec![];
        }
        let mut list = engine.inspect(addr, |doc| history(doc, collection, &key)).unwrap_or_default();
        list.reverse();
        list.into_iter()
            .map(|e| {
                let who = nb.with_untracked(|n| n.mentor_by_actor(&e.actor_hex).map(|m| m.name.clone()));
                (e, who)
            })
            .collect::<Vec<_>>()
    });
    view! {
        <section class="history" aria-labelledby="history-title">
            <h3 id="history-title">{move || i.t("history-title")}</h3>
            <Show when=move || !entries.with(Vec::is_empty) fallback=move || view! {
                <p class="empty">{move || i.t("history-none")}</p>
            }>
                <ol class="history-list">
                    {move || entries.get().into_iter().map(|(e, who)| {
                        let when = move || when_text(i.lang.get(), e.time_ms);
                        let who = who.clone();
                        let fields = e.fields.clone();
                        let what = move || {
                            if e.deleted {
                                i.t("history-deleted")
                            } else if e.created {
                                i.t("history-created")
                            } else {
                                let names: Vec<String> = fields.iter().map(|f| field_label(i, f)).collect();
                                i.t_args("history-changed", &[("fields", names.join(", ").into())])
                            }
                        };
                        view! {
                            <li class="history-entry">
                                <span class="history-when">{when}</span>
                                <span class="history-who">
                                    {match who {
                                        Some(name) => view! { <bdi translate="no">{name}</bdi> }.into_any(),
                                        None => view! { <span>{move || i.t("history-unknown-device")}</span> }.into_any(),
                                    }}
                                </span>
                                <span class="history-what">{what}</span>
                            </li>
                        }
                    }).collect_view()}
                </ol>
            </Show>
        </section>
    }
}

fn when_text(lang: Lang, time_ms: i64) -> String {
    let d = js_sys::Date::new(&(time_ms as f64).into());
    let ymd = format!("{:04}-{:02}-{:02}", d.get_full_year(), d.get_month() + 1, d.get_date());
    format!("{} {}", format_date(lang, &ymd).unwrap_or(ymd), format_time(lang, time_ms as f64))
}

/// A record field's name in the mentor's language (`history-field-<name>`),
/// or the name itself for a field added later.
fn field_label(i: crate::i18n::I18n, field: &str) -> String {
    let key = format!("history-field-{}", field.replace('_', "-"));
    let text = i.t(&key);
    if text == key {
        field.to_owned()
    } else {
        text
    }
}
