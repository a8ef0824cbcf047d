//! A partner organisation (Migrantenorganisation) that co-hosts events.

use leptos::prelude::*;
use lotse_model::forms::PartnerDraft;
use lotse_model::notebook::Notebook;
use lotse_model::{Field, PartnerOrganisation};

use crate::components::form::{community_choices, ChoiceField, NotesField, TextField};
use crate::components::record_form::{FormCtx, FormKind, Prefill};
use crate::hooks::notebook::home_community;
use crate::route::Route;

impl FormKind for PartnerOrganisation {
    const TITLES: [&'static str; 2] = ["partner-new", "partner-edit"];
    const CLASS: &'static str = "partner-form";
    const DRAFT_KEY: &'static str = "partner:";
    const SAVE_ID: &'static str = "save-partner";

    fn field_id(f: Field) -> &'static str {
        match f {
            Field::Name => "partner-name",
            Field::Community => "partner-community",
            Field::ContactPerson => "partner-contact-person",
            Field::Phone => "partner-phone",
            _ => "partner-notes",
        }
    }

    fn new_draft(_: &Prefill, _: &Notebook) -> PartnerDraft {
        PartnerDraft { community: home_community().to_string(), ..PartnerDraft::default() }
    }

    fn back(_: FormCtx<Self>) -> Route {
        Route::Network
    }

    fn fields(f: FormCtx<Self>) -> AnyView {
        let (d, form) = (f.d(), f.form);
        let communities = Signal::derive(community_choices);
        view! {
            <TextField draft=d get=|d: &PartnerDraft| d.name.clone() set=|d, v| d.name = v
                id="partner-name" label={"partner-name"} form=form field=Field::Name/>
            <ChoiceField draft=d get=|d: &PartnerDraft| d.community.clone() set=|d, v| d.community = v
                id="partner-community" label={"partner-community"} form=form options=communities
                field=Field::Community empty="partner-no-community"/>
            <TextField draft=d get=|d: &PartnerDraft| d.contact_person.clone() set=|d, v| d.contact_person = v
                id="partner-contact-person" label={"partner-contact-person"} form=form field=Field::ContactPerson/>
            <TextField draft=d get=|d: &PartnerDraft| d.phone.clone() set=|d, v| d.phone = v
                id="partner-phone" label={"partner-phone"} form=form field=Field::Phone
                kind="tel" dir="ltr" inputmode="tel"/>
            <NotesField draft=d get=|d: &PartnerDraft| d.notes.clone() set=|d, v| d.notes = v
                form=form id="partner-notes"/>
        }
        .into_any()
    }
}
