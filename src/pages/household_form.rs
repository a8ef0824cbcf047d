//! A household: the family contacts belong to. Opened from the contact form
//! (`?for-contact=<id>` or `?for-contact=new`), saving it puts it into that
//! contact's form and goes back there.

use std::collections::BTreeMap;

use leptos::prelude::*;
use lotse_model::forms::HouseholdDraft;
use lotse_model::{ContactDraft, ContactId, Field, Household, HouseholdId, Record};

use crate::components::contact_picker::FormDraft;
use crate::components::form::{DraftRestored, FormActions, FormProblems, FormState, NotFound, NotesField, TextField};
use crate::components::history::History;
use crate::device::random;
use crate::hooks::drafts::{load_draft, save_draft};
use crate::hooks::notebook::{save, stamp, use_notebook, Nb, Place};
use crate::i18n::use_i18n;
use crate::pages::consultation_form::{leave, to_top};
use crate::pages::contact_form;
use crate::route::{Kind, Route};

fn field_id(f: Field) -> &'static str {
    match f {
        Field::Name => "household-name",
        Field::District => "household-district",
        _ => "household-notes",
    }
}

/// Which contact form asked for the household: `Some(None)` a new contact,
/// `Some(Some(id))` an existing one.
fn for_contact(prefill: &BTreeMap<String, String>) -> Option<Option<ContactId>> {
    match prefill.get("for-contact").map(String::as_str) {
        Some("new") => Some(None),
        Some(id) => id.parse().ok().map(Some),
        None => None,
    }
}

/// Puts `household` into the kept draft of the contact form that asked
/// for it, so that form shows it when the mentor is back there.
async fn hand_to_contact_form(nb: Nb, contact: Option<ContactId>, household: HouseholdId) {
    let key = contact_form::draft_key(contact);
    let kept = load_draft::<ContactDraft>(&key).await;
    let existing = contact.and_then(|c| nb.with_untracked(|n| n.contact(c).map(|c| c.record.clone())));
    let mut d = kept.unwrap_or_else(|| contact_form::initial_draft(existing.as_ref()));
    d.household = household.to_string();
    save_draft(&key, &d);
}

/// Create or open a household; an existing one lists its members.
#[component]
pub fn HouseholdForm(id: Option<String>, prefill: BTreeMap<String, String>) -> impl IntoView {
    let i = use_i18n();
    let nb = use_notebook();
    let Ok(id) = id.map(|s| s.parse::<HouseholdId>()).transpose() else {
        return view! { <NotFound/> }.into_any();
    };
    let existing = id.and_then(|id| nb.with_untracked(|n| n.household(id).cloned()));
    if id.is_some() && existing.is_none() {
        return view! { <NotFound/> }.into_any();
    }
    to_top();
    let record_id = id.unwrap_or_else(|| HouseholdId::from_random(random()));
    let asked_by = for_contact(&prefill);
    // A new household goes where the contact that asked for it lives.
    let place = existing
        .as_ref()
        .map(|e| e.community)
        .or_else(|| asked_by.flatten().and_then(|c| nb.with_untracked(|n| n.contact(c).map(|c| c.community))))
        .map_or_else(Place::home, Place::Community);
    let history_place = existing.as_ref().map(|e| Place::Community(e.community));
    let initial = existing.as_ref().map_or_else(HouseholdDraft::default, |e| HouseholdDraft::from_record(&e.record));
    let key = match id {
        Some(id) => format!("household-{id}"),
        None => "household-new".to_owned(),
    };
    let draft = FormDraft::new(key, initial);
    let form = FormState::new();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let d = draft.value.get_untracked();
        let before = nb.with_untracked(|n| n.household(record_id).map(|h| h.record.clone()));
        match d.validate(record_id, stamp(), before.as_ref()) {
            Err(es) => form.fail(es, field_id),
            Ok(rec) => {
                if !form.begin_save() {
                    return;
                }
                leptos::task::spawn_local(async move {
                    if form.end_save(save(place, rec).await) {
                        draft.clear();
                        if let Some(contact) = asked_by {
                            hand_to_contact_form(nb, contact, record_id).await;
                        }
                        leave(Route::List(Kind::Contact));
                    }
                });
            }
        }
    };
    let cancel_href = match asked_by {
        Some(Some(c)) => Route::open(Kind::Contact, c).href(),
        Some(None) => Route::New(Kind::Contact, BTreeMap::new()).href(),
        None => Route::List(Kind::Contact).href(),
    };
    let members = Memo::new(move |_| {
        nb.with(|n| {
            let mut list: Vec<(ContactId, String)> = n
                .contacts()
                .filter(|c| c.record.household == Some(record_id))
                .map(|c| (c.record.id, c.record.name.clone()))
                .collect();
            list.sort_by_key(|(_, name)| name.to_lowercase());
            list
        })
    });

    view! {
        <section class="page advice-form household-form">
            <h2 class="page-title">
                {move || if id.is_some() { i.t("household-edit") } else { i.t("household-new") }}
            </h2>
            <DraftRestored restored=draft.restored/>
            <form class="form" on:submit=submit novalidate>
                <FormProblems form=form/>
                <TextField draft=draft.value get=|d: &HouseholdDraft| d.name.clone() set=|d, v| d.name = v
                    id="household-name" label={"household-name"} hint="household-name-hint" form=form field=Field::Name/>
                <TextField draft=draft.value get=|d: &HouseholdDraft| d.district.clone() set=|d, v| d.district = v
                    id="household-district" label={"contact-district"} form=form field=Field::District/>
                <NotesField draft=draft.value get=|d: &HouseholdDraft| d.notes.clone() set=|d, v| d.notes = v
                    form=form id="household-notes"/>
                <FormActions form=form cancel_href=cancel_href save_id="save-household"
                    on_cancel=Callback::new(move |_| draft.clear())/>
            </form>
            <Show when=move || !members.with(Vec::is_empty)>
                <h3 class="section-title">{move || i.t("household-members")}</h3>
                <ul class="record-list linked-list household-members">
                    {move || members.get().into_iter().map(|(cid, name)| view! {
                        <li class="household-member">
                            <a href=Route::open(Kind::Contact, cid).href()>
                                <bdi class="row-name" translate="no">{name}</bdi>
                            </a>
                        </li>
                    }).collect_view()}
                </ul>
            </Show>
            {id.zip(history_place).map(|(id, place)| view! { <History collection=Household::COLLECTION key=id.to_string() place=place/> })}
        </section>
    }
    .into_any()
}
