//! A follow-up (Wiedervorlage): a dated reminder for the mentor, about a
//! contact or not.

use leptos::prelude::*;
use lotse_model::forms::FollowUpDraft;
use lotse_model::notebook::Notebook;
use lotse_model::{ContactId, Field, FollowUp};

use crate::components::contact_picker::ContactPicker;
use crate::components::form::{CheckField, DateField, NotesField};
use crate::components::record_form::{FormCtx, FormKind, Prefill};
use crate::pages::referral_form::days_from_today;
use crate::route::{leave, prefilled, Kind, Route};

/// A new follow-up is due in a week unless the mentor picks another day.
const DUE_AFTER_DAYS: u32 = 7;

impl FormKind for FollowUp {
    const TITLES: [&'static str; 2] = ["follow-up-new", "follow-up-edit"];
    const CLASS: &'static str = "advice-form follow-up-form";
    const DRAFT_KEY: &'static str = "follow-up-";
    const SAVE_ID: &'static str = "save-follow-up";

    fn field_id(f: Field) -> &'static str {
        match f {
            Field::DueDate => "follow-up-due",
            Field::Contact => "follow-up-contact-search",
            _ => "follow-up-note",
        }
    }

    /// `?contact=<id>`: who it is about.
    fn new_draft(prefill: &Prefill, _: &Notebook) -> FollowUpDraft {
        FollowUpDraft {
            due_on: days_from_today(DUE_AFTER_DAYS),
            note: String::new(),
            contact: prefilled::<ContactId>(prefill, "contact").map(|c| c.to_string()).unwrap_or_default(),
            done: false,
        }
    }

    fn new_key(prefill: &Prefill) -> String {
        format!("-{}", prefilled::<ContactId>(prefill, "contact").map(|c| c.to_string()).unwrap_or_default())
    }

    fn cancel(f: FormCtx<Self>) -> Route {
        match f.prefilled::<ContactId>("contact") {
            Some(c) if f.is_new => Route::open(Kind::Contact, c),
            _ => Route::Today,
        }
    }

    fn saved(_: Self, _: FormCtx<Self>) {
        leave(Route::Today);
    }

    fn fields(f: FormCtx<Self>) -> AnyView {
        let (d, form) = (f.d(), f.form);
        view! {
            <DateField draft=d get=|d: &FollowUpDraft| d.due_on.clone() set=|d, v| d.due_on = v
                id="follow-up-due" label={"follow-up-due"} form=form field=Field::DueDate/>
            <NotesField draft=d get=|d: &FollowUpDraft| d.note.clone() set=|d, v| d.note = v
                form=form id="follow-up-note" label={"follow-up-note"}/>
            <ContactPicker draft=d get=|d: &FollowUpDraft| d.contact.clone()
                set=|d, v| d.contact = v id="follow-up-contact" label={"follow-up-contact"}
                form=form field=Field::Contact/>
            <div class="done-check">
                <CheckField draft=d get=|d: &FollowUpDraft| d.done set=|d, v| d.done = v
                    id="follow-up-done" label={"follow-up-done"}/>
            </div>
        }
        .into_any()
    }
}
