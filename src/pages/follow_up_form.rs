//! A follow-up (Wiedervorlage): a dated reminder for the mentor, about a
//! contact or not.

use std::collections::BTreeMap;

use leptos::prelude::*;
use lotse_model::forms::FollowUpDraft;
use lotse_model::{ContactId, Field, FollowUp, FollowUpId, Record};

use crate::components::contact_picker::{ContactPicker, FormDraft};
use crate::components::form::{DateField, DraftRestored, FormActions, FormProblems, FormState, NotFound, NotesField};
use crate::components::history::History;
use crate::device::random;
use crate::hooks::notebook::{home_community, save, stamp, use_notebook, Place};
use crate::i18n::use_i18n;
use crate::pages::consultation_form::{leave, prefilled, to_top};
use crate::pages::referral_form::days_from_today;
use crate::route::{Kind, Route};

/// A new follow-up is due in a week unless the mentor picks another day.
const DUE_AFTER_DAYS: u32 = 7;

fn field_id(f: Field) -> &'static str {
    match f {
        Field::DueDate => "follow-up-due",
        Field::Contact => "follow-up-contact-search",
        _ => "follow-up-note",
    }
}

/// Create (`?contact=<id>` prefill) or open a follow-up.
#[component]
pub fn FollowUpForm(id: Option<String>, prefill: BTreeMap<String, String>) -> impl IntoView {
    let i = use_i18n();
    let nb = use_notebook();
    let Ok(id) = id.map(|s| s.parse::<FollowUpId>()).transpose() else {
        return view! { <NotFound/> }.into_any();
    };
    let existing = id.and_then(|id| nb.with_untracked(|n| n.follow_up(id).cloned()));
    if id.is_some() && existing.is_none() {
        return view! { <NotFound/> }.into_any();
    }
    to_top();
    let record_id = id.unwrap_or_else(|| FollowUpId::from_random(random()));
    let community = existing.as_ref().map(|e| e.community);
    let history_place = community.map(Place::Community);
    let contact = prefilled::<ContactId>(&prefill, "contact");
    let initial = existing.as_ref().map_or_else(
        || FollowUpDraft {
            due_on: days_from_today(DUE_AFTER_DAYS),
            note: String::new(),
            contact: contact.map(|c| c.to_string()).unwrap_or_default(),
            done: false,
        },
        |e| FollowUpDraft::from_record(&e.record),
    );
    let key = match id {
        Some(id) => format!("follow-up-{id}"),
        None => format!("follow-up-new-{}", contact.map(|c| c.to_string()).unwrap_or_default()),
    };
    let draft = FormDraft::new(key, initial);
    let form = FormState::new();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let d = draft.value.get_untracked();
        let before = nb.with_untracked(|n| n.follow_up(record_id).map(|f| f.record.clone()));
        match d.validate(record_id, stamp(), before.as_ref()) {
            Err(es) => form.fail(es, field_id),
            Ok(rec) => {
                if !form.begin_save() {
                    return;
                }
                let c = community
                    .or_else(|| nb.with_untracked(|n| rec.contact.and_then(|c| n.contact(c)).map(|c| c.community)))
                    .unwrap_or_else(home_community);
                leptos::task::spawn_local(async move {
                    if form.end_save(save(Place::Community(c), rec).await) {
                        draft.clear();
                        leave(Route::Today);
                    }
                });
            }
        }
    };
    let cancel_href = match contact {
        Some(c) if id.is_none() => Route::open(Kind::Contact, c).href(),
        _ => Route::Today.href(),
    };

    view! {
        <section class="page advice-form follow-up-form">
            <h2 class="page-title">
                {move || if id.is_some() { i.t("follow-up-edit") } else { i.t("follow-up-new") }}
            </h2>
            <DraftRestored restored=draft.restored/>
            <form class="form" on:submit=submit novalidate>
                <FormProblems form=form/>
                <DateField draft=draft.value get=|d: &FollowUpDraft| d.due_on.clone() set=|d, v| d.due_on = v
                    id="follow-up-due" label={"follow-up-due"} form=form field=Field::DueDate/>
                <NotesField draft=draft.value get=|d: &FollowUpDraft| d.note.clone() set=|d, v| d.note = v
                    form=form id="follow-up-note" label={"follow-up-note"}/>
                <ContactPicker draft=draft.value get=|d: &FollowUpDraft| d.contact.clone()
                    set=|d, v| d.contact = v id="follow-up-contact" label={"follow-up-contact"}
                    form=form field=Field::Contact/>
                <div class="check done-check">
                    <input id="follow-up-done" type="checkbox"
                        prop:checked=move || draft.value.with(|d| d.done)
                        on:change=move |ev| draft.value.update(|d| d.done = event_target_checked(&ev))/>
                    <label for="follow-up-done">{move || i.t("follow-up-done")}</label>
                </div>
                <FormActions form=form cancel_href=cancel_href save_id="save-follow-up"
                    on_cancel=Callback::new(move |_| draft.clear())/>
            </form>
            {id.zip(history_place).map(|(id, place)| view! { <History collection=FollowUp::COLLECTION key=id.to_string() place=place/> })}
        </section>
    }
    .into_any()
}
