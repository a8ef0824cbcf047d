//! A training place (Ausbildungsplatz) at a company: acquired → offered →
//! filled, and by which young person.

use std::collections::BTreeMap;

use leptos::prelude::*;
use lotse_model::forms::TrainingPlaceDraft;
use lotse_model::{CompanyId, Field, PlaceStatus, Record, TrainingPlace, TrainingPlaceId};

use crate::components::contact_picker::ContactPicker;
use crate::components::form::{
    choices_of, Choice, ChoiceField, DateField, Draft, DraftRestored, FormActions, FormProblems, FormState, NotFound,
};
use crate::components::history::History;
use crate::device::random;
use crate::hooks::notebook::{save, stamp, today, use_notebook, Place};
use crate::i18n::use_i18n;
use crate::pages::network::{Segmented, SuggestField};
use crate::route::{self, Kind, Route};

/// Ausbildungsberufe most asked for; the field takes any other.
const OCCUPATIONS: &[&str] = &[
    "Bäcker/in",
    "Fachverkäufer/in im Lebensmittelhandwerk",
    "Konditor/in",
    "Fleischer/in",
    "Friseur/in",
    "Kosmetiker/in",
    "Kfz-Mechatroniker/in",
    "Koch/Köchin",
    "Fachkraft für Gastronomie",
    "Kaufmann/-frau im Einzelhandel",
    "Verkäufer/in",
    "Kaufmann/-frau für Büromanagement",
    "Kaufmann/-frau im Groß- und Außenhandelsmanagement",
    "Medizinische/r Fachangestellte/r",
    "Zahnmedizinische/r Fachangestellte/r",
    "Pflegefachmann/-frau",
    "Elektroniker/in",
    "Anlagenmechaniker/in SHK",
    "Maler/in und Lackierer/in",
    "Maurer/in",
    "Tischler/in",
    "Fachkraft für Lagerlogistik",
    "Berufskraftfahrer/in",
    "Fachinformatiker/in",
];

fn field_id(f: Field) -> &'static str {
    match f {
        Field::Company => "place-company",
        Field::Occupation => "place-occupation",
        Field::StartDate => "place-start",
        Field::Status => "place-status",
        Field::FilledBy => "place-filled-by",
        _ => "place-acquired",
    }
}

/// Training starts on 1 August: the next one to come.
fn next_start(today: &str) -> String {
    let year: i32 = today.get(..4).and_then(|y| y.parse().ok()).unwrap_or(2026);
    let start = format!("{year:04}-08-01");
    if today < start.as_str() {
        start
    } else {
        format!("{:04}-08-01", year + 1)
    }
}

fn new_draft(company: &str) -> TrainingPlaceDraft {
    let today = today();
    TrainingPlaceDraft {
        company: company.to_owned(),
        start_on: next_start(&today),
        status: PlaceStatus::Acquired.code().into(),
        acquired_on: today,
        ..TrainingPlaceDraft::default()
    }
}

#[component]
pub fn TrainingPlaceForm(id: Option<String>, prefill: BTreeMap<String, String>) -> impl IntoView {
    let nb = use_notebook();
    let Ok(parsed) = id.map(|s| s.parse::<TrainingPlaceId>()).transpose() else {
        return view! { <NotFound/> }.into_any();
    };
    let existing = parsed.and_then(|id| nb.with_untracked(|n| n.training_place(id).cloned()));
    if parsed.is_some() && existing.is_none() {
        return view! { <NotFound/> }.into_any();
    }
    // Only a company that exists is prefilled.
    let company = prefill
        .get("company")
        .and_then(|c| c.parse::<CompanyId>().ok())
        .filter(|c| nb.with_untracked(|n| n.company(*c).is_some()))
        .map(|c| c.to_string())
        .unwrap_or_default();
    let place_id = parsed.unwrap_or_else(|| TrainingPlaceId::from_random(random()));
    let key = match parsed {
        Some(id) => format!("training-place:{id}"),
        None => format!("training-place:new:{company}"),
    };
    let initial = existing.as_ref().map_or_else(|| new_draft(&company), TrainingPlaceDraft::from_record);
    let draft = Draft::new(key, initial);
    view! { <PlaceFormBody place_id=place_id is_new=parsed.is_none() draft=draft/> }.into_any()
}

/// Where the form goes back to: the place's company, else the companies.
fn company_href(company: &str) -> String {
    match company.parse::<CompanyId>() {
        Ok(c) => Route::open(Kind::Company, c).href(),
        Err(_) => Route::List(Kind::Company).href(),
    }
}

#[component]
fn PlaceFormBody(place_id: TrainingPlaceId, is_new: bool, draft: Draft<TrainingPlaceDraft>) -> impl IntoView {
    let i = use_i18n();
    let nb = use_notebook();
    let form = FormState::new();
    let d = draft.value;
    let restored = draft.restored;
    let draft = StoredValue::new(draft);
    let clear = move || draft.with_value(|d| d.clear());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let existing = nb.with_untracked(|n| n.training_place(place_id).cloned());
        match d.get_untracked().validate(place_id, stamp(), existing.as_ref()) {
            Err(es) => form.fail(es, field_id),
            Ok(place) => {
                if !form.begin_save() {
                    return;
                }
                let back = Route::open(Kind::Company, place.company);
                leptos::task::spawn_local(async move {
                    if form.end_save(save(Place::Network, place).await) {
                        clear();
                        route::go(&back);
                    }
                });
            }
        }
    };
    let companies = Signal::derive(move || {
        nb.with(|n| {
            n.companies().into_iter().map(|c| Choice { value: c.id.to_string(), text: c.name.clone() }).collect()
        })
    });
    let statuses = choices_of(PlaceStatus::ALL, PlaceStatus::code, "place-status");
    let filled = Memo::new(move |_| d.with(|d| d.status == PlaceStatus::Filled.code()));
    let cancel_href = d.with_untracked(|d| company_href(&d.company));
    view! {
        <section class="page training-place-form">
            <h2 class="page-title">{move || if is_new { i.t("training-place-new") } else { i.t("training-place-edit") }}</h2>
            <DraftRestored restored=restored/>
            <form class="form" on:submit=submit novalidate>
                <FormProblems form=form/>
                <ChoiceField draft=d get=|d: &TrainingPlaceDraft| d.company.clone() set=|d, v| d.company = v
                    id="place-company" label={"training-place-company"} form=form options=companies
                    field=Field::Company empty="training-place-pick-company"/>
                <SuggestField draft=d get=|d: &TrainingPlaceDraft| d.occupation.clone() set=|d, v| d.occupation = v
                    id="place-occupation" label={"training-place-occupation"} form=form field=Field::Occupation
                    suggestions=OCCUPATIONS/>
                <DateField draft=d get=|d: &TrainingPlaceDraft| d.start_on.clone() set=|d, v| d.start_on = v
                    id="place-start" label={"training-place-start"} form=form field=Field::StartDate/>
                <Segmented draft=d get=|d: &TrainingPlaceDraft| d.status.clone() set=|d, v| d.status = v
                    id="place-status" label={"training-place-status"} form=form options=statuses field=Field::Status/>
                <Show when=move || filled.get()>
                    <ContactPicker draft=d get=|d: &TrainingPlaceDraft| d.filled_by.clone()
                        set=|d, v| d.filled_by = v id="place-filled-by" label={"training-place-filled-by"}
                        form=form field=Field::FilledBy/>
                    <p class="hint net-filled-hint" id="place-filled-by-hint">{move || i.t("training-place-youth-hint")}</p>
                </Show>
                <DateField draft=d get=|d: &TrainingPlaceDraft| d.acquired_on.clone() set=|d, v| d.acquired_on = v
                    id="place-acquired" label={"training-place-acquired"} form=form field=Field::AcquiredOn/>
                <FormActions form=form cancel_href=cancel_href save_id="save-place"
                    on_cancel=Callback::new(move |_| clear())/>
            </form>
            {(!is_new).then(|| view! {
                <History collection=TrainingPlace::COLLECTION key=place_id.to_string() place=Place::Network/>
            })}
        </section>
    }
}
