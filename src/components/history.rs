//! A record's history: who changed what and when, read from the Automerge
//! commits that name the record, each device's actor (its public key, which
//! signs what it sends) mapped to the person it was invited for.

use leptos::prelude::*;
use lotse_model::HistoryEntry;

use crate::components::changes::{clock_behind, FieldChanges};
use crate::hooks::notebook::{addr_of, use_notebook, writer_of};
use crate::hooks::{use_device, use_engine};
use crate::i18n::{format_date, format_time, use_i18n, Lang};
use lotse_model::DocRef;

/// The history of the record `key` of `collection` in `place`'s document,
/// newest first. It follows the record: a save or a sync adds a line.
#[component]
pub fn History(collection: &'static str, key: String, place: DocRef) -> impl IntoView {
    let i = use_i18n();
    let nb = use_notebook();
    let kind = lotse_model::Kind::from_collection(collection);
    // History is in the document, which only the engine holds: ask it
    // again whenever the notebook moves (a save or a sync may add a line).
    let entries: RwSignal<Vec<(HistoryEntry, Option<String>, bool)>> = RwSignal::new(vec![]);
    let asked = StoredValue::new(0u64);
    Effect::new(move |_| {
        nb.revision();
        let (Some(link), Some(device)) = (use_engine(), use_device()) else { return };
        let Some(addr) = addr_of(&device, place) else { return };
        let ask = asked.get_value() + 1;
        asked.set_value(ask);
        let key = key.clone();
        leptos::task::spawn_local(async move {
            let mut list = link.history(addr, collection, &key).await;
            // An older answer that arrives late is not shown.
            if asked.try_get_value() != Some(ask) {
                return;
            }
            list.reverse();
            let times: Vec<i64> = list.iter().map(|e| e.time_ms).collect();
            let named = list
                .into_iter()
                .zip(clock_behind(&times))
                .map(|(e, behind)| {
                    let who = link.access.with_untracked(|a| writer_of(nb, a, &e.actor_hex));
                    (e, who, behind)
                })
                .collect();
            entries.try_set(named);
        });
    });
    view! {
        <section class="history" aria-labelledby="history-title">
            <h3 id="history-title">{move || i.t("history-title")}</h3>
            <Show when=move || !entries.with(Vec::is_empty) fallback=move || view! {
                <p class="empty">{move || i.t("history-none")}</p>
            }>
                <ol class="history-list">
                    {move || entries.get().into_iter().map(|(e, who, behind)| {
                        let when = move || when_text(i.lang.get(), e.time_ms);
                        let who = who.clone();
                        let fields = e.fields.clone();
                        let values = (!e.created && !e.deleted).then(|| e.values.clone());
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
                                {behind.then(|| view! { <span class="warning history-clock">{move || i.t("review-clock-behind")}</span> })}
                                <span class="history-what">{what}</span>
                                {values.map(|v| view! { <FieldChanges kind=kind changes=v/> })}
                            </li>
                        }
                    }).collect_view()}
                </ol>
            </Show>
        </section>
    }
}

pub fn when_text(lang: Lang, time_ms: i64) -> String {
    let d = js_sys::Date::new(&(time_ms as f64).into());
    let ymd = format!("{:04}-{:02}-{:02}", d.get_full_year(), d.get_month() + 1, d.get_date());
    format!("{} {}", format_date(lang, &ymd).unwrap_or(ymd), format_time(lang, time_ms as f64))
}

/// A record field's name in the mentor's language (`history-field-<name>`),
/// or the name itself for a field added later.
pub fn field_label(i: crate::i18n::I18n, field: &str) -> String {
    let key = format!("history-field-{}", field.replace('_', "-"));
    let text = i.t(&key);
    if text == key {
        field.to_owned()
    } else {
        text
    }
}
