//! A company of the training network: create or edit; on an existing one,
//! its training places and its history.

use leptos::prelude::*;
use lotse_model::forms::CompanyDraft;
use lotse_model::notebook::Notebook;
use lotse_model::{Chamber, Company, CompanyId, Field, LicenceStatus};

use crate::components::form::{
    choices_of, community_choices, ChoiceField, DateField, NotesField, Segmented, SuggestField, TextField,
};
use crate::components::record_form::{FormCtx, FormKind, Prefill};
use crate::hooks::notebook::{home_community, today, use_notebook};
use crate::i18n::{format_date, use_i18n};
use crate::route::{Kind, Route};

/// Trades the chambers list most often among migrant-owned businesses; the
/// field takes any other.
const TRADES: &[&str] = &[
    "Bäckerei",
    "Konditorei",
    "Fleischerei",
    "Friseur",
    "Kosmetik",
    "Kfz-Werkstatt",
    "Gastronomie",
    "Einzelhandel",
    "Lebensmittelhandel",
    "Großhandel",
    "Pflege",
    "Arztpraxis",
    "Elektrotechnik",
    "Sanitär, Heizung, Klima",
    "Bau",
    "Maler und Lackierer",
    "Reinigung",
    "Logistik",
    "Büro und Verwaltung",
    "IT",
];

impl FormKind for Company {
    const TITLES: [&'static str; 2] = ["company-new", "company-edit"];
    const CLASS: &'static str = "company-form";
    const DRAFT_KEY: &'static str = "company:";
    const SAVE_ID: &'static str = "save-company";

    /// The id of a field in the page (and of its message: `error-<id>`).
    fn field_id(f: Field) -> &'static str {
        match f {
            Field::Name => "company-name",
            Field::Trade => "company-trade",
            Field::Chamber => "company-chamber",
            Field::Licence => "company-licence",
            Field::ContactPerson => "company-contact-person",
            Field::Phone => "company-phone",
            Field::Community => "company-community",
            Field::MemberSince => "company-member-since",
            _ => "company-notes",
        }
    }

    fn new_draft(_: &Prefill, _: &Notebook) -> CompanyDraft {
        CompanyDraft {
            chamber: Chamber::Hwk.code().into(),
            licence: LicenceStatus::None.code().into(),
            community: home_community().to_string(),
            member_since: today(),
            ..CompanyDraft::default()
        }
    }

    fn below(f: FormCtx<Self>) -> Option<AnyView> {
        (!f.is_new).then(|| view! { <CompanyPlaces company_id=f.id/> }.into_any())
    }

    /// A new company opens once saved: its training places and "add a
    /// training place" come first, the step that usually follows.
    fn saved(record: Self, f: FormCtx<Self>) {
        let next = if f.is_new { Route::open(Kind::Company, record.id) } else { Self::back(f) };
        crate::route::go(&next);
    }

    fn fields(f: FormCtx<Self>) -> AnyView {
        let (d, form) = (f.d(), f.form);
        let chambers = choices_of(Chamber::ALL, Chamber::code, "chamber");
        let licences = choices_of(LicenceStatus::ALL, LicenceStatus::code, "licence");
        let communities = Signal::derive(community_choices);
        view! {
            <TextField draft=d get=|d: &CompanyDraft| d.name.clone() set=|d, v| d.name = v
                id="company-name" label={"company-name"} form=form field=Field::Name/>
            <SuggestField draft=d get=|d: &CompanyDraft| d.trade.clone() set=|d, v| d.trade = v
                id="company-trade" label={"company-trade"} form=form field=Field::Trade suggestions=TRADES/>
            <Segmented draft=d get=|d: &CompanyDraft| d.chamber.clone() set=|d, v| d.chamber = v
                id="company-chamber" label={"company-chamber"} form=form options=chambers field=Field::Chamber/>
            <ChoiceField draft=d get=|d: &CompanyDraft| d.licence.clone() set=|d, v| d.licence = v
                id="company-licence" label={"company-licence"} form=form options=licences field=Field::Licence/>
            <TextField draft=d get=|d: &CompanyDraft| d.contact_person.clone() set=|d, v| d.contact_person = v
                id="company-contact-person" label={"company-contact-person"} form=form field=Field::ContactPerson/>
            <TextField draft=d get=|d: &CompanyDraft| d.phone.clone() set=|d, v| d.phone = v
                id="company-phone" label={"company-phone"} form=form field=Field::Phone
                kind="tel" dir="ltr" inputmode="tel"/>
            <ChoiceField draft=d get=|d: &CompanyDraft| d.community.clone() set=|d, v| d.community = v
                id="company-community" label={"company-community"} form=form options=communities
                field=Field::Community empty="company-no-community"/>
            <DateField draft=d get=|d: &CompanyDraft| d.member_since.clone() set=|d, v| d.member_since = v
                id="company-member-since" label={"company-member-since"} form=form field=Field::MemberSince/>
            <NotesField draft=d get=|d: &CompanyDraft| d.notes.clone() set=|d, v| d.notes = v
                form=form id="company-notes"/>
        }
        .into_any()
    }
}

#[derive(Debug, Clone, PartialEq)]
struct PlaceRow {
    id: String,
    occupation: String,
    start_on: String,
    status: &'static str,
    /// The young person's name, if this device holds their community;
    /// `Some("")` for a filled place whose person is not on this device.
    filled_by: Option<String>,
}

/// The chip of a place's status, coloured by status.
fn chip_class(status: &str) -> String {
    ["net-chip", &format!("place-{status}")].join(" ")
}

/// A company's training places, with "add training place".
#[component]
fn CompanyPlaces(company_id: CompanyId) -> impl IntoView {
    let i = use_i18n();
    let nb = use_notebook();
    let places = Memo::new(move |_| {
        nb.with(|n| {
            n.places_of(company_id)
                .into_iter()
                .map(|p| PlaceRow {
                    id: p.id.to_string(),
                    occupation: p.occupation.clone(),
                    start_on: p.start_on.clone(),
                    status: p.status.code(),
                    filled_by: p.filled_by.map(|c| n.contact(c).map(|c| c.record.name.clone()).unwrap_or_default()),
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <section class="net-section net-company-places" aria-labelledby="company-places-title">
            <div class="net-section-head">
                <h3 class="section-title" id="company-places-title">{move || i.t("company-places")}</h3>
                <span class="count">{move || i.t_count("company-places-count", places.with(Vec::len))}</span>
            </div>
            <Show when=move || places.with(Vec::is_empty)>
                <p class="net-empty">{move || i.t("company-places-empty")}</p>
            </Show>
            <ul class="net-list" id="place-list">
                {move || places.get().into_iter().map(|p| {
                    let status = p.status;
                    let chip = chip_class(status);
                    let start = p.start_on.clone();
                    view! {
                        <li class="place-row net-row" data-status=status>
                            <a href=Route::open(Kind::TrainingPlace, &p.id).href()>
                                <span class="net-row-line">
                                    <bdi class="net-row-title" translate="no">{p.occupation.clone()}</bdi>
                                    <span class=chip>{move || i.t(&format!("place-status-{status}"))}</span>
                                </span>
                                <span class="net-row-meta place-start">
                                    {move || i.t("company-place-start")} " "
                                    {move || format_date(i.lang.get(), &start).unwrap_or_else(|| start.clone())}
                                </span>
                                {p.filled_by.clone().map(|name| view! {
                                    <span class="net-row-meta place-filled-by">
                                        {move || i.t("company-place-filled-by")} " "
                                        {if name.is_empty() {
                                            view! { <span>{move || i.t("training-place-other-community")}</span> }.into_any()
                                        } else {
                                            view! { <bdi translate="no">{name}</bdi> }.into_any()
                                        }}
                                    </span>
                                })}
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <a id="add-place" class="button net-add" href=Route::new_with(Kind::TrainingPlace, "company", company_id).href()>
                <span aria-hidden="true">"+"</span>
                {move || i.t("company-add-place")}
            </a>
        </section>
    }
}
