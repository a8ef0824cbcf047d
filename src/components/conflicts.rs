//! A record's fields with two (or more) values: each value as a person
//! reads it, who wrote it and when, and "keep this one". Shown on the
//! record's page and on the desk's list; works offline like any save.

use leptos::prelude::*;
use lotse_model::conflict::{Concurrent, Conflict};
use lotse_model::notebook::Notebook;
use lotse_model::{
    ActionField, Chamber, ConsentScope, DocRef, EventKind, InstitutionKind, Kind, LicenceStatus, Metric, Outcome,
    PlaceStatus, ReferralStatus, Role, TargetGroup, Topic,
};

use crate::components::history::{field_label, when_text};
use crate::hooks::notebook::{settle, use_notebook};
use crate::i18n::{format_date, language_names, use_i18n, I18n};

/// The fields of the record `key` of `collection` (in `at`'s document) that
/// hold concurrent values; nothing if there are none. `on_settled` runs
/// after a value was kept (the record's page then starts its form again).
#[component]
pub fn RecordConflicts(
    at: DocRef,
    collection: &'static str,
    key: String,
    #[prop(optional)] on_settled: Option<Callback<()>>,
) -> impl IntoView {
    let nb = use_notebook();
    let k = key.clone();
    let list = Memo::new(move |_| nb.with(|n| n.conflicts_of(at, collection, &k).to_vec()));
    let failed = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let key = StoredValue::new(key);
    let keep = Callback::new(move |(field, op): (String, Vec<u8>)| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        failed.set(false);
        let key = key.get_value();
        leptos::task::spawn_local(async move {
            let result = settle(at, collection, &key, &field, op).await;
            busy.try_set(false);
            match result {
                Ok(()) => {
                    if let Some(done) = on_settled {
                        done.run(());
                    }
                }
                Err(_) => {
                    failed.try_set(true);
                }
            }
        });
    });
    move || {
        let fields = list.get();
        (!fields.is_empty()).then(|| conflict_panel(fields, collection, keep, failed, busy))
    }
}

fn conflict_panel(
    fields: Vec<Conflict>,
    collection: &'static str,
    keep: Callback<(String, Vec<u8>)>,
    failed: RwSignal<bool>,
    busy: RwSignal<bool>,
) -> AnyView {
    let i = use_i18n();
    let nb = use_notebook();
    let kind = Kind::from_collection(collection);
    let count = fields.len();
    view! {
        <section class="conflicts" role="status" aria-labelledby="conflicts-count">
            <p class="conflicts-count" id="conflicts-count">{move || i.t_count("conflicts-count", count)}</p>
            <Show when=move || failed.get()>
                <p class="banner-error" role="alert" id="conflict-keep-failed">{move || i.t("conflict-keep-failed")}</p>
            </Show>
            {fields.into_iter().map(|c| {
                let field = c.field.clone();
                let label = field_name(i, &field);
                view! {
                    <fieldset class="conflict" data-field=field.clone()>
                        <legend>{label}</legend>
                        <ul class="conflict-values">
                            {c.values.into_iter().enumerate().map(|(n, v)| {
                                let field = field.clone();
                                let shown_now = n == 0;
                                let text = nb.with_untracked(|nb| shown(i, nb, kind, &field, &v));
                                let who = nb.with_untracked(|nb| nb.mentor_by_actor(&v.actor_hex).map(|m| m.name.clone()));
                                let when = v.time_ms;
                                let plain = v.text.is_some();
                                let op = v.op.clone();
                                let id = format!("keep-{}-{n}", field.replace(['.', '_'], "-"));
                                view! {
                                    <li class="conflict-value">
                                        <span class="conflict-text">
                                            <bdi translate="no">{text}</bdi>
                                            {shown_now.then(|| view! { " " <span class="badge">{move || i.t("conflict-shown")}</span> })}
                                        </span>
                                        <span class="conflict-who">
                                            {match who {
                                                Some(name) => view! { <bdi translate="no">{name}</bdi> }.into_any(),
                                                None => view! { <span>{move || i.t("history-unknown-device")}</span> }.into_any(),
                                            }}
                                            {(when > 0).then(|| view! { {move || i.t("list-comma")} {move || when_text(i.lang.get(), when)} })}
                                        </span>
                                        {plain.then(|| view! {
                                            <button type="button" class="button conflict-keep" id=id
                                                disabled=move || busy.get()
                                                on:click=move |_| keep.run((field.clone(), op.clone()))>
                                                {move || i.t("conflict-keep")}
                                            </button>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </fieldset>
                }
            }).collect_view()}
        </section>
    }
    .into_any()
}

/// A field's name in the mentor's language; `consent.given_on` as
/// "Consent: Date of consent".
pub fn field_name(i: I18n, field: &str) -> String {
    match field.split_once('.') {
        Some((outer, inner)) => format!("{}: {}", field_label(i, outer), field_label(i, inner)),
        None => field_label(i, field),
    }
}

/// A closed list's value as stored (the variant's name) in words.
fn choice<T: Copy + std::fmt::Debug>(
    i: I18n,
    all: &[T],
    code: fn(T) -> &'static str,
    prefix: &str,
    text: &str,
) -> Option<String> {
    all.iter().find(|v| format!("{v:?}") == text).map(|v| i.t(&format!("{prefix}-{}", code(*v))))
}

/// One of a field's concurrent values as a person reads it.
fn shown(i: I18n, nb: &Notebook, kind: Option<Kind>, field: &str, v: &Concurrent) -> String {
    match v.text.as_deref() {
        Some(text) => value_words(i, nb, kind, field, text),
        None => i.t("conflict-not-plain"),
    }
}

/// A field's value, stored as `text`, as a person reads it: a name for a
/// linked record, a closed list's value in words (each of a list's), a
/// date in words, yes or no.
pub fn value_words(i: I18n, nb: &Notebook, kind: Option<Kind>, field: &str, text: &str) -> String {
    if text.is_empty() {
        return i.t("conflict-empty");
    }
    let name = |found: Option<String>| found.unwrap_or_else(|| text.to_owned());
    let words = match (kind, field) {
        (_, "contact" | "filled_by" | "merged_into") => {
            Some(name(text.parse().ok().and_then(|c| nb.contact(c)).map(|c| c.record.name.clone())))
        }
        (_, "not_the_same") => Some(
            text.split(", ")
                .map(|id| {
                    id.parse().ok().and_then(|c| nb.contact(c)).map_or_else(|| id.to_owned(), |c| c.record.name.clone())
                })
                .collect::<Vec<_>>()
                .join(&i.t("list-comma")),
        ),
        (_, "mentor" | "created_by" | "recorded_by" | "consent.recorded_by") => {
            Some(name(text.parse().ok().and_then(|m| nb.mentor(m)).map(|m| m.name.clone())))
        }
        (_, "household") => Some(name(text.parse().ok().and_then(|h| nb.household(h)).map(|h| h.record.name.clone()))),
        (_, "company") => Some(name(text.parse().ok().and_then(|c| nb.company(c)).map(|c| c.name.clone()))),
        (_, "community") => Some(name(text.parse().ok().and_then(|c| nb.community(c)).map(|c| c.name.clone()))),
        (_, "partner") => Some(name(text.parse().ok().and_then(|p| nb.partner(p)).map(|p| p.name.clone()))),
        (_, "institution") => Some(name(text.parse().ok().and_then(|x| nb.institution(x)).map(|x| x.name.clone()))),
        (_, "target_group") => choice(i, &TargetGroup::ALL, TargetGroup::code, "group", text),
        (_, "consent.scope") => choice(i, &ConsentScope::ALL, ConsentScope::code, "scope", text),
        (_, "outcome") => choice(i, Outcome::ALL, Outcome::code, "outcome", text),
        (Some(Kind::Referral), "status") => {
            choice(i, ReferralStatus::ALL, ReferralStatus::code, "referral-status", text)
        }
        (Some(Kind::TrainingPlace), "status") => choice(i, PlaceStatus::ALL, PlaceStatus::code, "place-status", text),
        (Some(Kind::Event), "kind") | (_, "event_kind") => {
            choice(i, EventKind::ALL, EventKind::code, "event-kind", text)
        }
        (Some(Kind::Institution), "kind") => {
            choice(i, InstitutionKind::ALL, InstitutionKind::code, "institution-kind", text)
        }
        (_, "chamber") => choice(i, Chamber::ALL, Chamber::code, "chamber", text),
        (_, "licence") => choice(i, LicenceStatus::ALL, LicenceStatus::code, "licence", text),
        (_, "role") => choice(i, Role::ALL, Role::code, "role", text),
        (_, "metric") => choice(i, Metric::ALL, Metric::code, "metric", text),
        (_, "field") => choice(i, ActionField::ALL, ActionField::code, "action-field", text),
        (_, "done" | "active") => Some(i.t(if text == "true" { "conflict-yes" } else { "conflict-no" })),
        (_, "languages") => Some(language_names(i.lang.get_untracked(), text)),
        (_, "topics") => Some(
            text.split(", ")
                .map(|t| choice(i, Topic::ALL, Topic::code, "topic", t).unwrap_or_else(|| t.to_owned()))
                .collect::<Vec<_>>()
                .join(&i.t("list-comma")),
        ),
        _ => format_date(i.lang.get_untracked(), text).filter(|_| looks_like_date(text)),
    };
    words.unwrap_or_else(|| text.to_owned())
}

fn looks_like_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10 && b[4] == b'-' && b[7] == b'-'
}
