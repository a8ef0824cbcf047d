//! A contact: consent first (without it nothing personal is saved), then
//! who they are. An existing contact's page also lists their consultations
//! and referrals, with a quick way to record the next one, and the history.

use std::collections::BTreeMap;

use leptos::prelude::*;
use lotse_model::{ConsentScope, Contact, ContactDraft, ContactId, Field, Record, TargetGroup};

use crate::components::contact_picker::FormDraft;
use crate::components::field::FieldError;
use crate::components::form::{
    choices_of, Choice, ChoiceField, DateField, DraftRestored, FormActions, FormProblems, FormState, NotesField,
    TextField,
};
use crate::components::history::History;
use crate::device::random;
use crate::hooks::notebook::{home_community, now_ms, save, stamp, use_notebook, Place};
use crate::i18n::use_i18n;
use crate::pages::consultation_form::{prefilled, to_top};
use crate::pages::consultations::{date_words, topic_names};
use crate::pages::referrals::Check;
use crate::route::{self, Kind, Route};

/// The id of a field in the page (and of its error: `error-<id>`).
pub fn field_id(f: Field) -> &'static str {
    match f {
        Field::TargetGroup => "target-group",
        Field::Name => "name",
        Field::Phone => "phone",
        Field::Household => "household",
        Field::Consent => "consent-given",
        Field::ConsentDate => "consent-date",
        Field::ConsentScope => "consent-scope",
        Field::Languages => "languages",
        Field::District => "district",
        _ => "notes",
    }
}

/// Today in the device's time zone, `YYYY-MM-DD`.
pub fn today() -> String {
    crate::hooks::notebook::today()
}

fn new_draft() -> ContactDraft {
    ContactDraft {
        target_group: TargetGroup::Parent.code().into(),
        consent_date: today(),
        consent_scope: ConsentScope::Advice.code().into(),
        ..ContactDraft::default()
    }
}

/// The key under which the form of contact `id` (None: a new one) keeps
/// its draft.
pub fn draft_key(id: Option<ContactId>) -> String {
    match id {
        Some(id) => format!("contact-{id}"),
        None => "contact-new".to_owned(),
    }
}

/// What the form of `existing` (None: a new contact) starts with.
pub fn initial_draft(existing: Option<&Contact>) -> ContactDraft {
    existing.map_or_else(new_draft, ContactDraft::from_contact)
}

/// Create (`id` = None) or edit a contact. Consent comes first: without it
/// nothing personal is saved.
#[component]
pub fn ContactForm(id: Option<String>, prefill: BTreeMap<String, String>) -> impl IntoView {
    let i = use_i18n();
    let nb = use_notebook();
    let not_found =
        move || view! { <p class="empty" id="contact-not-found">{move || i.t("contact-not-found")}</p> }.into_any();
    let Ok(id) = id.map(|s| s.parse::<ContactId>()).transpose() else {
        return not_found();
    };
    let existing = id.and_then(|id| nb.with_untracked(|n| n.contact(id).cloned()));
    if id.is_some() && existing.is_none() {
        return not_found();
    }
    to_top();
    let contact_id = id.unwrap_or_else(|| ContactId::from_random(random()));
    let community = existing.as_ref().map_or_else(home_community, |e| e.community);
    let mut initial = initial_draft(existing.as_ref().map(|e| &e.record));
    if let Some(h) = prefilled::<lotse_model::HouseholdId>(&prefill, "household").filter(|_| id.is_none()) {
        initial.household = h.to_string();
    }
    let draft = FormDraft::new(draft_key(id), initial);
    let form = FormState::new();

    let households = Memo::new(move |_| {
        nb.with(|n| {
            let mut list: Vec<Choice> = n
                .households()
                .filter(|h| h.community == community)
                .map(|h| Choice { value: h.record.id.to_string(), text: h.record.name.clone() })
                .collect();
            list.sort_by_key(|c| c.text.to_lowercase());
            list
        })
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let before = nb.with_untracked(|n| n.contact(contact_id).map(|c| c.record.clone()));
        let s = stamp();
        match draft.value.get_untracked().validate(contact_id, s.me, now_ms(), before.as_ref()) {
            // Take the mentor to the first field to fix: after a tap on Save
            // at the bottom, the messages above are out of view.
            Err(es) => form.fail(es, field_id),
            Ok(contact) => {
                if !form.begin_save() {
                    return;
                }
                leptos::task::spawn_local(async move {
                    if form.end_save(save(Place::Community(community), contact).await) {
                        draft.clear();
                        route::go(&Route::List(Kind::Contact));
                    }
                });
            }
        }
    };
    let new_household =
        Route::new_with(Kind::Household, "for-contact", id.map_or_else(|| "new".to_owned(), |id| id.to_string()))
            .href();

    view! {
        <section class="page contact-form">
            <h2 class="page-title">{move || if id.is_some() { i.t("contact-edit") } else { i.t("contact-new") }}</h2>
            {id.map(|id| view! { <ContactActions id=id/> })}
            <DraftRestored restored=draft.restored/>
            <form class="form" on:submit=submit novalidate>
                <FormProblems form=form/>
                <fieldset class="group consent">
                    <legend>{move || i.t("contact-consent-section")}</legend>
                    <div class="check">
                        <input id="consent-given" type="checkbox" aria-describedby="error-consent"
                            aria-invalid=move || form.is_invalid(Field::Consent).then_some("true")
                            prop:checked=move || draft.value.with(|d| d.consent_given)
                            on:change=move |ev| draft.value.update(|d| d.consent_given = event_target_checked(&ev))/>
                        <label for="consent-given">{move || i.t("contact-consent-given")}</label>
                    </div>
                    <FieldError id="consent" message=form.message(Field::Consent)/>
                    <DateField draft=draft.value get=|d: &ContactDraft| d.consent_date.clone()
                        set=|d, v| d.consent_date = v id="consent-date" label={"contact-consent-date"}
                        form=form field=Field::ConsentDate/>
                    <ChoiceField draft=draft.value get=|d: &ContactDraft| d.consent_scope.clone()
                        set=|d, v| d.consent_scope = v id="consent-scope" label={"contact-consent-scope"}
                        form=form field=Field::ConsentScope
                        options=choices_of(&ConsentScope::ALL, ConsentScope::code, "scope")/>
                </fieldset>
                <fieldset class="group">
                    <legend>{move || i.t("contact-details-section")}</legend>
                    <ChoiceField draft=draft.value get=|d: &ContactDraft| d.target_group.clone()
                        set=|d, v| d.target_group = v id="target-group" label={"contact-target-group"}
                        form=form field=Field::TargetGroup
                        options=choices_of(&TargetGroup::ALL, TargetGroup::code, "group")/>
                    <TextField draft=draft.value get=|d: &ContactDraft| d.name.clone() set=|d, v| d.name = v
                        id="name" label={"contact-name"} form=form field=Field::Name/>
                    <TextField draft=draft.value get=|d: &ContactDraft| d.phone.clone() set=|d, v| d.phone = v
                        id="phone" label={"contact-phone"} form=form field=Field::Phone kind="tel" dir="ltr"
                        inputmode="tel"/>
                    <TextField draft=draft.value get=|d: &ContactDraft| d.languages.clone() set=|d, v| d.languages = v
                        id="languages" label={"contact-languages"} hint="contact-languages-hint" form=form
                        field=Field::Languages/>
                    <TextField draft=draft.value get=|d: &ContactDraft| d.district.clone() set=|d, v| d.district = v
                        id="district" label={"contact-district"} form=form field=Field::District/>
                    <div class="household-pick">
                        <ChoiceField draft=draft.value get=|d: &ContactDraft| d.household.clone()
                            set=|d, v| d.household = v id="household" label={"contact-household-pick"}
                            form=form field=Field::Household options=households empty="contact-household-none"/>
                        <a class="button" id="contact-new-household" href=new_household>
                            {move || i.t("contact-new-household")}
                        </a>
                    </div>
                    <NotesField draft=draft.value get=|d: &ContactDraft| d.notes.clone() set=|d, v| d.notes = v
                        form=form id="notes" label={"contact-notes"}/>
                </fieldset>
                <FormActions form=form cancel_href="#/contacts".to_owned() save_id="save-contact"
                    on_cancel=Callback::new(move |_| draft.clear())/>
            </form>
            {id.map(|id| view! {
                <ContactRecords id=id/>
                <History collection=Contact::COLLECTION key=id.to_string() place=Place::Community(community)/>
            })}
        </section>
    }
    .into_any()
}

/// The next step with this contact, one tap away.
#[component]
fn ContactActions(id: ContactId) -> impl IntoView {
    let i = use_i18n();
    view! {
        <div class="contact-actions">
            <a class="button primary" id="contact-new-consultation"
                href=Route::new_with(Kind::Consultation, "contact", id).href()>
                {move || i.t("contact-new-consultation")}
            </a>
            <a class="button" id="contact-new-referral" href=Route::new_with(Kind::Referral, "contact", id).href()>
                {move || i.t("contact-new-referral")}
            </a>
            <a class="button" id="contact-new-follow-up" href=Route::new_with(Kind::FollowUp, "contact", id).href()>
                {move || i.t("contact-new-follow-up")}
            </a>
        </div>
    }
}

/// A row of a contact's consultations or referrals.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Linked {
    href: String,
    title: String,
    badge: String,
    date: String,
    /// The i18n key of an overdue or due-today mark.
    mark: Option<&'static str>,
}

/// A contact's consultations and referrals, newest first.
#[component]
fn ContactRecords(id: ContactId) -> impl IntoView {
    let i = use_i18n();
    let nb = use_notebook();
    let consultations = Memo::new(move |_| {
        let lang = i.lang.get();
        nb.with(|n| {
            n.consultations_of(id)
                .into_iter()
                .map(|c| Linked {
                    href: Route::open(Kind::Consultation, c.record.id).href(),
                    title: topic_names(i, &c.record),
                    badge: i.t(&format!("outcome-{}", c.record.outcome.code())),
                    date: date_words(lang, &c.record.date),
                    mark: None,
                })
                .collect::<Vec<_>>()
        })
    });
    let referrals = Memo::new(move |_| {
        let lang = i.lang.get();
        let day = crate::hooks::notebook::today();
        nb.with(|n| {
            n.referrals_of(id)
                .into_iter()
                .map(|r| Linked {
                    href: Route::open(Kind::Referral, r.record.id).href(),
                    title: n.institution(r.record.institution).map(|x| x.name.clone()).unwrap_or_default(),
                    badge: i.t(&format!("referral-status-{}", r.record.status.code())),
                    date: date_words(lang, &r.record.date),
                    mark: Check::of(&r.record, &day).mark().map(|(_, key)| key),
                })
                .collect::<Vec<_>>()
        })
    });
    let list = move |rows: Memo<Vec<Linked>>, class: &'static str| {
        move || {
            rows.get()
                .into_iter()
                .map(|l| {
                    view! {
                        <li class=class>
                            <a href=l.href>
                                <span class="row-head">
                                    <bdi class="row-name" translate="no">{l.title}</bdi>
                                    <span class="badge">{l.badge}</span>
                                </span>
                                <span class="row-date">
                                    {l.date}
                                    {l.mark.map(|key| view! { " " <strong class="due-mark">{move || i.t(key)}</strong> })}
                                </span>
                            </a>
                        </li>
                    }
                })
                .collect_view()
        }
    };
    view! {
        <section class="contact-records" id="contact-consultations">
            <h3 class="section-title">
                {move || i.t_count("contact-consultations", consultations.with(Vec::len))}
            </h3>
            <ul class="record-list linked-list">{list(consultations, "linked-consultation")}</ul>
        </section>
        <section class="contact-records" id="contact-referrals">
            <h3 class="section-title">{move || i.t_count("contact-referrals", referrals.with(Vec::len))}</h3>
            <ul class="record-list linked-list">{list(referrals, "linked-referral")}</ul>
        </section>
    }
}
