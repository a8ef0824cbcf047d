//! A measure of the action plan: field, title, owner, the target figure for
//! a year, and what counts towards it.

use std::collections::BTreeMap;

use leptos::prelude::*;
use lotse_model::forms::MeasureDraft;
use lotse_model::{ActionField, EventKind, Field, Measure, MeasureId, Metric, Record};

use crate::components::form::{
    choices_of, Choice, ChoiceField, Draft, DraftRestored, FormActions, FormProblems, FormState, NotFound, TextField,
};
use crate::components::history::History;
use crate::device::random;
use crate::hooks::notebook::{save, today, use_notebook, Place};
use crate::hooks::use_device;
use crate::i18n::use_i18n;
use crate::route::{self, Route};

fn field_id(f: Field) -> &'static str {
    match f {
        Field::ActionField => "measure-field",
        Field::Title => "measure-title",
        Field::Owner => "measure-owner",
        Field::Target => "measure-target",
        Field::Year => "measure-year",
        Field::Metric => "measure-metric",
        _ => "measure-event-kind",
    }
}

fn this_year() -> i32 {
    today().get(..4).and_then(|y| y.parse().ok()).unwrap_or(2026)
}

/// Only events and their attendance are counted per kind.
fn counts_events(metric: &str) -> bool {
    matches!(Metric::from_code(metric), Some(Metric::Events | Metric::Attendance))
}

#[component]
pub fn MeasureForm(id: Option<String>, prefill: BTreeMap<String, String>) -> impl IntoView {
    let nb = use_notebook();
    let Ok(parsed) = id.map(|s| s.parse::<MeasureId>()).transpose() else {
        return view! { <NotFound/> }.into_any();
    };
    let existing = parsed.and_then(|id| nb.with_untracked(|n| n.measure(id).cloned()));
    if parsed.is_some() && existing.is_none() {
        return view! { <NotFound/> }.into_any();
    }
    let measure_id = parsed.unwrap_or_else(|| MeasureId::from_random(random()));
    let year = prefill
        .get("year")
        .and_then(|y| y.parse::<i32>().ok())
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or_else(this_year);
    let field = prefill.get("field").and_then(|f| ActionField::from_code(f)).unwrap_or(ActionField::SchoolToWork);
    let key = match parsed {
        Some(id) => format!("measure:{id}"),
        None => format!("measure:new:{year}"),
    };
    let initial = existing.as_ref().map_or_else(
        || MeasureDraft {
            field: field.code().into(),
            owner: use_device().map(|d| d.mentor_name).unwrap_or_default(),
            year: year.to_string(),
            metric: Metric::Events.code().into(),
            ..MeasureDraft::default()
        },
        MeasureDraft::from_record,
    );
    let draft = Draft::new(key, initial);
    view! { <MeasureFormBody measure_id=measure_id is_new=parsed.is_none() draft=draft/> }.into_any()
}

#[component]
fn MeasureFormBody(measure_id: MeasureId, is_new: bool, draft: Draft<MeasureDraft>) -> impl IntoView {
    let i = use_i18n();
    let form = FormState::new();
    let d = draft.value;
    let restored = draft.restored;
    let draft = StoredValue::new(draft);
    let clear = move || draft.with_value(|d| d.clear());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match d.get_untracked().validate(measure_id) {
            Err(es) => form.fail(es, field_id),
            Ok(measure) => {
                if !form.begin_save() {
                    return;
                }
                leptos::task::spawn_local(async move {
                    if form.end_save(save(Place::Network, measure).await) {
                        clear();
                        route::go(&Route::ActionPlan);
                    }
                });
            }
        }
    };
    let fields = choices_of(ActionField::ALL, ActionField::code, "action-field");
    let metrics = choices_of(Metric::ALL, Metric::code, "metric");
    let kinds = choices_of(EventKind::ALL, EventKind::code, "event-kind");
    // A few years around this one, and the measure's own.
    let now = this_year();
    let years = Signal::derive(move || {
        let mut ys: Vec<i32> = (now - 2..=now + 3).collect();
        if let Some(y) = d.with(|d| d.year.trim().parse::<i32>().ok()) {
            if !ys.contains(&y) {
                ys.push(y);
                ys.sort_unstable();
            }
        }
        ys.into_iter().map(|y| Choice { value: y.to_string(), text: y.to_string() }).collect::<Vec<_>>()
    });
    let per_kind = Memo::new(move |_| d.with(|d| counts_events(&d.metric)));
    view! {
        <section class="page measure-form">
            <h2 class="page-title">{move || if is_new { i.t("measure-new") } else { i.t("measure-edit") }}</h2>
            <DraftRestored restored=restored/>
            <form class="form" on:submit=submit novalidate>
                <FormProblems form=form/>
                <ChoiceField draft=d get=|d: &MeasureDraft| d.field.clone() set=|d, v| d.field = v
                    id="measure-field" label={"measure-field"} form=form options=fields field=Field::ActionField/>
                <TextField draft=d get=|d: &MeasureDraft| d.title.clone() set=|d, v| d.title = v
                    id="measure-title" label={"measure-title"} form=form field=Field::Title/>
                <TextField draft=d get=|d: &MeasureDraft| d.owner.clone() set=|d, v| d.owner = v
                    id="measure-owner" label={"measure-owner"} form=form field=Field::Owner/>
                <div class="net-pair">
                    <TextField draft=d get=|d: &MeasureDraft| d.target.clone() set=|d, v| d.target = v
                        id="measure-target" label={"measure-target"} form=form field=Field::Target
                        dir="ltr" inputmode="numeric"/>
                    <ChoiceField draft=d get=|d: &MeasureDraft| d.year.clone() set=|d, v| d.year = v
                        id="measure-year" label={"measure-year"} form=form options=years field=Field::Year/>
                </div>
                <ChoiceField draft=d get=|d: &MeasureDraft| d.metric.clone() set=|d, v| d.metric = v
                    id="measure-metric" label={"measure-metric"} form=form options=metrics field=Field::Metric/>
                <Show when=move || per_kind.get()>
                    <ChoiceField draft=d get=|d: &MeasureDraft| d.event_kind.clone() set=|d, v| d.event_kind = v
                        id="measure-event-kind" label={"measure-event-kind"} form=form options=kinds
                        field=Field::EventKind empty="measure-any-kind"/>
                </Show>
                <p class="hint" id="measure-counts-hint">{move || i.t("measure-counts-hint")}</p>
                <FormActions form=form cancel_href=Route::ActionPlan.href() save_id="save-measure"
                    on_cancel=Callback::new(move |_| clear())/>
            </form>
            {(!is_new).then(|| view! {
                <History collection=Measure::COLLECTION key=measure_id.to_string() place=Place::Network/>
            })}
        </section>
    }
}
