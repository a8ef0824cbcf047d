//! The desk's review: what mentors changed and nobody has reviewed yet, one
//! document at a time (a community's, or the network's), newest first in
//! the order the changes were made: each with its record, who and when (as
//! that device's clock says), and every field from old to new value. A
//! coordinator marks changes reviewed; the marks live in the document, so
//! every coordinator sees them.

use leptos::prelude::*;
use lotse_model::review::{Change, ReviewPage, ReviewQuery};
use lotse_model::{DocRef, Kind};

use crate::components::changes::{clock_behind, worth_showing, FieldChanges};
use crate::components::history::when_text;
use crate::hooks::notebook::{addr_of, mark_reviewed, use_notebook};
use crate::hooks::{use_device, use_engine};
use crate::i18n::{use_i18n, I18n};
use crate::route::Route;

/// How many changes a page shows at first, and how many more a tap adds.
const STEP: usize = 20;

/// A change as the list shows it.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    change: Change,
    kind: Option<Kind>,
    title: Option<String>,
    who: Option<String>,
    /// Stamped earlier than a change made before it.
    clock_behind: bool,
}

/// The documents a coordinator reviews: each community this device holds
/// (by name), then the network's.
fn places() -> Vec<(String, DocRef, String)> {
    let nb = use_notebook();
    let mut list: Vec<(String, DocRef, String)> = use_device()
        .map(|d| d.communities)
        .unwrap_or_default()
        .into_iter()
        .map(|m| {
            let name =
                nb.with_untracked(|n| n.community(m.community_id).map(|c| c.name.clone())).unwrap_or(m.community_name);
            (m.community_id.to_string(), DocRef::Community(m.community_id), name)
        })
        .collect();
    lotse_model::order::sort_by(&mut list, |a, b| a.2.cmp(&b.2));
    list.push(("network".into(), DocRef::Network, String::new()));
    list
}

#[component]
pub fn ReviewPage() -> impl IntoView {
    let i = use_i18n();
    let nb = use_notebook();
    let places = StoredValue::new(places());
    let place = RwSignal::new(places.with_value(|p| p[0].0.clone()));
    let kind = RwSignal::new(String::new());
    let mentor = RwSignal::new(String::new());
    let with_reviewed = RwSignal::new(false);
    let limit = RwSignal::new(STEP);
    let tick = RwSignal::new(0u32);
    let page = RwSignal::new(None::<ReviewPage>);
    let failed = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let doc_ref =
        move || place.with(|p| places.with_value(|list| list.iter().find(|(v, _, _)| v == p).map(|(_, d, _)| *d)));
    let asked = StoredValue::new(0u64);

    // Ask the engine again whenever the notebook moves (a sync may bring
    // changes, another coordinator's marks) or the filters change.
    Effect::new(move |_| {
        nb.revision();
        tick.track();
        let query = ReviewQuery {
            collections: kind
                .with(|k| Kind::ALL.iter().find(|x| x.segment() == k).map(|x| vec![x.collection().to_owned()])),
            actors: mentor.with(|m| {
                (!m.is_empty()).then(|| {
                    nb.with_untracked(|n| m.parse().ok().and_then(|id| n.mentor(id)).map(|x| x.devices.clone()))
                        .unwrap_or_default()
                })
            }),
            with_reviewed: with_reviewed.get(),
            limit: limit.get(),
        };
        let (Some(link), Some(device), Some(at)) = (use_engine(), use_device(), doc_ref()) else { return };
        let Some(addr) = addr_of(&device, at) else { return };
        let ask = asked.get_value() + 1;
        asked.set_value(ask);
        leptos::task::spawn_local(async move {
            let answer = link.review(addr, query).await;
            // An older answer that arrives late is not shown.
            if asked.try_get_value() == Some(ask) {
                page.try_set(Some(answer));
            }
        });
    });

    let rows = Memo::new(move |_| {
        let Some(p) = page.get() else { return Vec::new() };
        let mut rows: Vec<Row> = nb.with(|n| {
            p.changes
                .into_iter()
                .map(|c| {
                    let (kind, title) = match n.title_of(&c.collection, &c.key) {
                        Some((k, t)) => (Some(k), Some(t)),
                        None => (Kind::from_collection(&c.collection), None),
                    };
                    let who = n.mentor_by_actor(&c.actor_hex).map(|m| m.name.clone());
                    Row { change: c, kind, title, who, clock_behind: false }
                })
                .collect()
        });
        let times: Vec<i64> = rows.iter().map(|r| r.change.time_ms).collect();
        for (row, behind) in rows.iter_mut().zip(clock_behind(&times)) {
            row.clock_behind = behind;
        }
        rows
    });

    let mark = Callback::new(move |hashes: Vec<[u8; 32]>| {
        let Some(at) = doc_ref() else { return };
        if hashes.is_empty() || busy.get_untracked() {
            return;
        }
        busy.set(true);
        failed.set(false);
        leptos::task::spawn_local(async move {
            let result = mark_reviewed(at, hashes).await;
            busy.try_set(false);
            failed.try_set(result.is_err());
            tick.try_update(|t| *t += 1);
        });
    });
    let unreviewed_shown = move || {
        rows.with(|r| r.iter().filter(|r| r.change.reviewed_by.is_none()).map(|r| r.change.hash).collect::<Vec<_>>())
    };

    let kinds = move || {
        let network = doc_ref() == Some(DocRef::Network);
        Kind::ALL.iter().filter(move |k| k.is_network() == network && k.reviewed()).copied().collect::<Vec<_>>()
    };
    let mentors = Memo::new(move |_| {
        nb.with(|n| n.mentors().into_iter().map(|m| (m.id.to_string(), m.name.clone())).collect::<Vec<_>>())
    });

    view! {
        <section class="page review-page">
            <h2 class="page-title">{move || i.t("review-title")}</h2>
            <p class="hint">{move || i.t("review-intro")}</p>
            <div class="review-filters">
                <div class="field filter">
                    <label for="review-place">{move || i.t("review-place")}</label>
                    <select id="review-place" on:change=move |ev| {
                        place.set(event_target_value(&ev));
                        kind.set(String::new());
                        limit.set(STEP);
                    }>
                        {places.get_value().into_iter().map(|(value, at, name)| {
                            let v = value.clone();
                            let text = move || if at == DocRef::Network { i.t("review-network") } else { name.clone() };
                            view! { <option dir="auto" value=value selected=move || place.with(|p| *p == v)>{text}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field filter">
                    <label for="review-kind">{move || i.t("review-kind")}</label>
                    <select id="review-kind" on:change=move |ev| { kind.set(event_target_value(&ev)); limit.set(STEP); }>
                        <option dir="auto" value="" selected=move || kind.with(String::is_empty)>{move || i.t("advice-any")}</option>
                        {move || kinds().into_iter().map(|k| {
                            let seg = k.segment();
                            view! {
                                <option dir="auto" value=seg selected=move || kind.with(|x| x == seg)>
                                    {move || i.t(&format!("kind-{seg}"))}
                                </option>
                            }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field filter">
                    <label for="review-mentor">{move || i.t("review-mentor")}</label>
                    <select id="review-mentor" on:change=move |ev| { mentor.set(event_target_value(&ev)); limit.set(STEP); }>
                        <option dir="auto" value="" selected=move || mentor.with(String::is_empty)>{move || i.t("advice-any")}</option>
                        {move || mentors.get().into_iter().map(|(id, name)| {
                            let v = id.clone();
                            view! { <option dir="auto" value=id selected=move || mentor.with(|m| *m == v)>{name}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="check">
                    <input type="checkbox" id="review-with-reviewed"
                        prop:checked=move || with_reviewed.get()
                        on:change=move |ev| with_reviewed.set(event_target_checked(&ev))/>
                    <label for="review-with-reviewed">{move || i.t("review-with-reviewed")}</label>
                </div>
            </div>
            <p class="review-count" id="review-count" role="status">
                {move || page.with(|p| p.as_ref().map(|p| i.t_count("review-unreviewed", p.unreviewed)))}
            </p>
            <Show when=move || failed.get()>
                <p class="banner-error" role="alert" id="review-failed">{move || i.t("review-failed")}</p>
            </Show>
            <Show when=move || page.with(|p| p.as_ref().is_some_and(|p| p.total == 0))>
                <p class="empty" id="review-none">{move || i.t("review-none")}</p>
            </Show>
            <Show when=move || { unreviewed_shown().len() > 1 }>
                <div class="actions">
                    <button type="button" class="button" id="review-mark-all" disabled=move || busy.get()
                        on:click=move |_| mark.run(unreviewed_shown())>
                        {move || i.t_count("review-mark-all", unreviewed_shown().len())}
                    </button>
                </div>
            </Show>
            <ol class="review-changes">
                {move || rows.get().into_iter().map(|r| change_view(i, r, busy, mark)).collect_view()}
            </ol>
            <Show when=move || page.with(|p| p.as_ref().is_some_and(|p| p.total > p.changes.len()))>
                <div class="actions">
                    <button type="button" class="button" id="review-more" on:click=move |_| limit.update(|l| *l += STEP)>
                        {move || i.t("review-more")}
                    </button>
                </div>
            </Show>
        </section>
    }
}

fn change_view(i: I18n, r: Row, busy: RwSignal<bool>, mark: Callback<Vec<[u8; 32]>>) -> impl IntoView {
    let c = r.change;
    let hash = c.hash;
    let hex: String = hash.iter().take(8).map(|b| format!("{b:02x}")).collect();
    let what = if c.deleted {
        "history-deleted"
    } else if c.created {
        "history-created"
    } else {
        "review-changed"
    };
    let time = c.time_ms;
    let fields = (!c.created && !c.deleted).then(|| worth_showing(&c.fields));
    let kind = r.kind;
    let title = match (kind, r.title.map(|t| crate::i18n::record_title(i.lang.get_untracked(), &t))) {
        (Some(k), Some(t)) if !c.deleted => view! {
            <a class="review-record" href=Route::open(k, &c.key).href()><bdi translate="no">{t}</bdi></a>
        }
        .into_any(),
        (_, Some(t)) => view! { <bdi class="review-record" translate="no">{t}</bdi> }.into_any(),
        (_, None) => view! { <span class="review-record">{move || i.t("review-record-gone")}</span> }.into_any(),
    };
    // Who reviewed it, by name where the network knows the id.
    let reviewer = c
        .reviewed_by
        .clone()
        .map(|id| use_notebook().with_untracked(|n| id.parse().ok().and_then(|m| n.mentor(m)).map(|m| m.name.clone())));
    view! {
        <li class="review-change" data-hash=hex data-collection=c.collection.clone()>
            <p class="review-head">
                <span class="review-kind">{kind.map(|k| move || i.t(&format!("kind-{}", k.segment())))}</span>
                " "
                {title}
            </p>
            <p class="review-meta">
                {match r.who {
                    Some(name) => view! { <bdi class="review-who" translate="no">{name}</bdi> }.into_any(),
                    None => view! { <span class="review-who">{move || i.t("history-unknown-device")}</span> }.into_any(),
                }}
                {move || i.t("list-comma")}
                <span class="review-when">{move || i.t_args("review-device-time", &[("time", when_text(i.lang.get(), time).into())])}</span>
            </p>
            {r.clock_behind.then(|| view! { <p class="warning review-clock">{move || i.t("review-clock-behind")}</p> })}
            <p class="review-what">{move || i.t(what)}</p>
            {fields.map(|f| view! { <FieldChanges kind=kind changes=f/> })}
            {match reviewer {
                Some(name) => view! {
                    <p class="review-done">
                        {move || i.t("review-reviewed")}
                        {name.map(|n| view! { " " <bdi translate="no">{n}</bdi> })}
                    </p>
                }
                .into_any(),
                None => view! {
                    <div class="actions">
                        <button type="button" class="button review-mark" disabled=move || busy.get()
                            on:click=move |_| mark.run(vec![hash])>
                            {move || i.t("review-mark")}
                        </button>
                    </div>
                }
                .into_any(),
            }}
        </li>
    }
}
