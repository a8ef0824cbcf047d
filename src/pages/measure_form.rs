//! A measure of the action plan: field, title, owner, the target figure for
//! a year, and what counts towards it.

use leptos::prelude::*;
use lotse_model::forms::MeasureDraft;
use lotse_model::notebook::Notebook;
use lotse_model::{ActionField, EventKind, Field, Measure, Metric};

use crate::components::form::{choices_of, Choice, ChoiceField, TextField};
use crate::components::record_form::{FormCtx, FormKind, Prefill};
use crate::hooks::notebook::today;
use crate::hooks::use_device;
use crate::i18n::use_i18n;
use crate::route::Route;

fn this_year() -> i32 {
    today().get(..4).and_then(|y| y.parse().ok()).unwrap_or(2026)
}

/// `?year=` if it is a plausible year, else this one.
fn year_of(prefill: &Prefill) -> i32 {
    prefill
        .get("year")
        .and_then(|y| y.parse::<i32>().ok())
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or_else(this_year)
}

/// Only events and their attendance are counted per kind.
fn counts_events(metric: &str) -> bool {
    matches!(Metric::from_code(metric), Some(Metric::Events | Metric::Attendance))
}

impl FormKind for Measure {
    const TITLES: [&'static str; 2] = ["measure-new", "measure-edit"];
    const CLASS: &'static str = "measure-form";
    const DRAFT_KEY: &'static str = "measure:";
    const SAVE_ID: &'static str = "save-measure";

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

    /// `?year=` and `?field=` (the action plan's section it was added from).
    fn new_draft(prefill: &Prefill, _: &Notebook) -> MeasureDraft {
        let field = prefill.get("field").and_then(|f| ActionField::from_code(f)).unwrap_or(ActionField::SchoolToWork);
        MeasureDraft {
            field: field.code().into(),
            owner: use_device().map(|d| d.mentor_name).unwrap_or_default(),
            year: year_of(prefill).to_string(),
            metric: Metric::Events.code().into(),
            ..MeasureDraft::default()
        }
    }

    fn new_key(prefill: &Prefill) -> String {
        format!(":{}", year_of(prefill))
    }

    fn back(_: FormCtx<Self>) -> Route {
        Route::ActionPlan
    }

    fn fields(f: FormCtx<Self>) -> AnyView {
        let i = use_i18n();
        let (d, form) = (f.d(), f.form);
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
                    lotse_model::order::sort(&mut ys);
                }
            }
            ys.into_iter().map(|y| Choice { value: y.to_string(), text: y.to_string() }).collect::<Vec<_>>()
        });
        let per_kind = Memo::new(move |_| d.with(|d| counts_events(&d.metric)));
        view! {
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
        }
        .into_any()
    }
}
