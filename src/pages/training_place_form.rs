//! A training place (Ausbildungsplatz) at a company: acquired → offered →
//! filled, and by which young person.

use leptos::prelude::*;
use lotse_model::forms::TrainingPlaceDraft;
use lotse_model::notebook::Notebook;
use lotse_model::{CompanyId, Field, PlaceStatus, TrainingPlace};

use crate::components::contact_picker::ContactPicker;
use crate::components::form::{choices_of, Choice, ChoiceField, DateField, Segmented, SuggestField};
use crate::components::record_form::{FormCtx, FormKind, Prefill};
use crate::hooks::notebook::today;
use crate::i18n::use_i18n;
use crate::route::{self, prefilled, Kind, Route};

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

/// The company of `?company=<id>`, if it exists.
fn prefilled_company(prefill: &Prefill, nb: &Notebook) -> String {
    prefilled::<CompanyId>(prefill, "company")
        .filter(|c| nb.company(*c).is_some())
        .map(|c| c.to_string())
        .unwrap_or_default()
}

/// Where the form goes back to: the place's company, else the companies.
fn company_route(company: &str) -> Route {
    match company.parse::<CompanyId>() {
        Ok(c) => Route::open(Kind::Company, c),
        Err(_) => Route::List(Kind::Company),
    }
}

impl FormKind for TrainingPlace {
    const TITLES: [&'static str; 2] = ["training-place-new", "training-place-edit"];
    const CLASS: &'static str = "training-place-form";
    const DRAFT_KEY: &'static str = "training-place:";
    const SAVE_ID: &'static str = "save-place";

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

    fn new_draft(prefill: &Prefill, nb: &Notebook) -> TrainingPlaceDraft {
        let today = today();
        TrainingPlaceDraft {
            company: prefilled_company(prefill, nb),
            start_on: next_start(&today),
            status: PlaceStatus::Acquired.code().into(),
            acquired_on: today,
            ..TrainingPlaceDraft::default()
        }
    }

    fn new_key(prefill: &Prefill) -> String {
        format!(":{}", prefill.get("company").map(String::as_str).unwrap_or_default())
    }

    fn cancel(f: FormCtx<Self>) -> Route {
        f.d().with_untracked(|d| company_route(&d.company))
    }

    fn saved(place: Self, _: FormCtx<Self>) {
        route::go(&Route::open(Kind::Company, place.company));
    }

    fn fields(f: FormCtx<Self>) -> AnyView {
        let i = use_i18n();
        let (d, form, nb) = (f.d(), f.form, f.nb);
        let companies = Signal::derive(move || {
            nb.with(|n| {
                n.companies().into_iter().map(|c| Choice { value: c.id.to_string(), text: c.name.clone() }).collect()
            })
        });
        let statuses = choices_of(PlaceStatus::ALL, PlaceStatus::code, "place-status");
        let filled = Memo::new(move |_| d.with(|d| d.status == PlaceStatus::Filled.code()));
        view! {
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
        }
        .into_any()
    }
}
