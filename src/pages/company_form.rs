//! A company of the training network: create or edit; on an existing one,
//! its training places and its history.

use std::collections::BTreeMap;

use leptos::prelude::*;
use lotse_model::forms::CompanyDraft;
use lotse_model::{Chamber, Company, CompanyId, Field, LicenceStatus, Record};

use crate::components::form::{
    choices_of, ChoiceField, DateField, Draft, DraftRestored, FormActions, FormProblems, FormState, NotFound,
    NotesField, TextField,
};
use crate::components::history::History;
use crate::device::random;
use crate::hooks::notebook::{home_community, save, stamp, today, use_notebook, Place};
use crate::i18n::{format_date, use_i18n};
use crate::pages::network::{community_choices, Segmented, SuggestField};
use crate::route::{self, Kind, Route};

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

fn new_draft() -> CompanyDraft {
    CompanyDraft {
        chamber: Chamber::Hwk.code().into(),
        licence: LicenceStatus::None.code().into(),
        community: home_community().to_string(),
        member_since: today(),
        ..CompanyDraft::default()
    }
}

#[component]
pub fn CompanyForm(id: Option<String>, prefill: BTreeMap<String, String>) -> impl IntoView {
    let _ = prefill;
    let nb = use_notebook();
    let Ok(parsed) = id.map(|s| s.parse::<CompanyId>()).transpose() else {
        return view! { <NotFound/> }.into_any();
    };
    let existing = parsed.and_then(|id| nb.with_untracked(|n| n.company(id).cloned()));
    if parsed.is_some() && existing.is_none() {
        return view! { <NotFound/> }.into_any();
    }
    let company_id = parsed.unwrap_or_else(|| CompanyId::from_random(random()));
    let key = match parsed {
        Some(id) => format!("company:{id}"),
        None => "company:new".to_owned(),
    };
    let draft = Draft::new(key, existing.as_ref().map_or_else(new_draft, CompanyDraft::from_record));
    view! { <CompanyFormBody company_id=company_id is_new=parsed.is_none() draft=draft/> }.into_any()
}

#[component]
fn CompanyFormBody(company_id: CompanyId, is_new: bool, draft: Draft<CompanyDraft>) -> impl IntoView {
    let i = use_i18n();
    let nb = use_notebook();
    let form = FormState::new();
    let d = draft.value;
    let restored = draft.restored;
    let draft = StoredValue::new(draft);
    let clear = move || draft.with_value(|d| d.clear());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let existing = nb.with_untracked(|n| n.company(company_id).cloned());
        match d.get_untracked().validate(company_id, stamp(), existing.as_ref()) {
            Err(es) => form.fail(es, field_id),
            Ok(company) => {
                if !form.begin_save() {
                    return;
                }
                leptos::task::spawn_local(async move {
                    if form.end_save(save(Place::Network, company).await) {
                        clear();
                        route::go(&Route::List(Kind::Company));
                    }
                });
            }
        }
    };
    let chambers = choices_of(Chamber::ALL, Chamber::code, "chamber");
    let licences = choices_of(LicenceStatus::ALL, LicenceStatus::code, "licence");
    let communities = Signal::derive(community_choices);
    view! {
        <section class="page company-form">
            <h2 class="page-title">{move || if is_new { i.t("company-new") } else { i.t("company-edit") }}</h2>
            <DraftRestored restored=restored/>
            <form class="form" on:submit=submit novalidate>
                <FormProblems form=form/>
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
                <FormActions form=form cancel_href=Route::List(Kind::Company).href() save_id="save-company"
                    on_cancel=Callback::new(move |_| clear())/>
            </form>
            {(!is_new).then(|| view! {
                <CompanyPlaces company_id=company_id/>
                <History collection=Company::COLLECTION key=company_id.to_string() place=Place::Network/>
            })}
        </section>
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
