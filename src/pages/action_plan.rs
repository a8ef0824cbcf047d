//! The city's action plan for a year: its measures by field, each with its
//! progress counted from the records.

use leptos::prelude::*;
use lotse_model::progress::progress;
use lotse_model::{ActionField, MeasureId};

use crate::components::list_downloads::{list_sheet, ListDownloads};
use crate::hooks::notebook::{today, use_notebook};
use crate::i18n::use_i18n;
use crate::route::{Kind, Route};

#[derive(Debug, Clone, PartialEq)]
struct MeasureRow {
    id: MeasureId,
    field: ActionField,
    title: String,
    owner: String,
    metric: &'static str,
    event_kind: Option<&'static str>,
    done: u32,
    target: u32,
}

fn this_year() -> i32 {
    today().get(..4).and_then(|y| y.parse().ok()).unwrap_or(2026)
}

#[component]
pub fn ActionPlanPage() -> impl IntoView {
    let i = use_i18n();
    let nb = use_notebook();
    let now = this_year();
    let year = RwSignal::new(now);
    // Every year a measure has, and this year and the next.
    let years = Memo::new(move |_| {
        let mut ys: Vec<i32> = nb.with(|n| n.measures().iter().map(|m| m.year).collect());
        ys.extend([now, now + 1]);
        lotse_model::order::sort(&mut ys);
        ys.dedup();
        ys.reverse();
        ys
    });
    let sheet = Callback::new(move |lang| {
        let y = year.get_untracked();
        nb.with_untracked(|n| list_sheet(n, n.measures().into_iter().filter(|m| m.year == y), lang, "plan-title"))
    });
    let rows = Memo::new(move |_| {
        let y = year.get();
        nb.with(|n| {
            n.measures()
                .into_iter()
                .filter(|m| m.year == y)
                .map(|m| {
                    let p = progress(m, n);
                    MeasureRow {
                        id: m.id,
                        field: m.field,
                        title: m.title.clone(),
                        owner: m.owner.clone(),
                        metric: m.metric.code(),
                        event_kind: m.event_kind.map(|k| k.code()),
                        done: p.done,
                        target: p.target,
                    }
                })
                .collect::<Vec<_>>()
        })
    });
    let section = move |field: ActionField| {
        let code = field.code();
        let of_field =
            Memo::new(move |_| rows.with(|r| r.iter().filter(|m| m.field == field).cloned().collect::<Vec<_>>()));
        view! {
            <section class="net-section plan-field" data-field=code aria-labelledby=format!("plan-field-{code}")>
                <div class="net-section-head">
                    <h3 class="section-title" id=format!("plan-field-{code}")>{move || i.t(&format!("action-field-{code}"))}</h3>
                    <span class="count">{move || i.t_count("plan-measures-count", of_field.with(Vec::len))}</span>
                </div>
                <Show when=move || of_field.with(Vec::is_empty)>
                    <p class="net-empty">{move || i.t("plan-field-empty")}</p>
                </Show>
                <ul class="net-list">
                    {move || of_field.get().into_iter().map(|m| {
                        let figure_id = format!("measure-figure-{}", m.id);
                        let (done, target) = (m.done, m.target);
                        let (metric, kind) = (m.metric, m.event_kind);
                        let met = done >= target;
                        view! {
                            <li class="measure-row net-row" class:met=met data-done=done.to_string() data-target=target.to_string()>
                                <a href=Route::open(Kind::Measure, m.id).href()>
                                    <bdi class="net-row-title" translate="no">{m.title.clone()}</bdi>
                                    <span class="net-row-meta">
                                        <bdi class="measure-owner" translate="no">{m.owner.clone()}</bdi>
                                        " · "
                                        <span class="measure-metric">
                                            {move || i.t(&format!("metric-{metric}"))}
                                            {kind.map(|k| view! { " (" {move || i.t(&format!("event-kind-{k}"))} ")" })}
                                        </span>
                                    </span>
                                    <span class="measure-progress">
                                        <span id=figure_id.clone() class="measure-figure">
                                            {move || i.t("plan-progress")} " "
                                            <span class="measure-done">{done}</span>
                                            " " {move || i.t("plan-of")} " "
                                            <span class="measure-target">{target}</span>
                                            {met.then(|| view! { " · " <span class="net-badge met">{move || i.t("plan-met")}</span> })}
                                        </span>
                                        <progress aria-labelledby=figure_id max=target.max(1).to_string() value=done.min(target.max(1)).to_string()></progress>
                                    </span>
                                </a>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        }
    };
    view! {
        <section class="page action-plan">
            <div class="page-head">
                <h2 class="page-title">{move || i.t("plan-title")}</h2>
            </div>
            <p class="intro">{move || i.t("plan-intro")}</p>
            <ListDownloads kind=Kind::Measure sheet=sheet/>
            <div class="field net-year">
                <label for="plan-year">{move || i.t("plan-year")}</label>
                <select id="plan-year" on:change=move |ev| {
                    if let Ok(y) = event_target_value(&ev).parse() {
                        year.set(y);
                    }
                }>
                    {move || years.get().into_iter().map(|y| view! {
                        <option dir="auto" value=y.to_string() selected=move || year.get() == y>{y.to_string()}</option>
                    }).collect_view()}
                </select>
            </div>
            {ActionField::ALL.iter().map(|f| section(*f)).collect_view()}
            <a id="add-measure" class="fab" href=move || Route::new_with(Kind::Measure, "year", year.get()).href()>
                <span aria-hidden="true">"+"</span>
                {move || i.t("plan-add")}
            </a>
        </section>
    }
}
