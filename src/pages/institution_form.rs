//! An institution mentors refer to: create or edit (the seeded ones too).

use leptos::prelude::*;
use lotse_model::forms::InstitutionDraft;
use lotse_model::notebook::Notebook;
use lotse_model::{Field, Institution, InstitutionKind};

use crate::components::form::{choices_of, ChoiceField, NotesField, TextField};
use crate::components::record_form::{FormCtx, FormKind, Prefill};

impl FormKind for Institution {
    const TITLES: [&'static str; 2] = ["institution-form-new", "institution-form-edit"];
    const CLASS: &'static str = "institution-form";
    const DRAFT_KEY: &'static str = "institution:";
    const SAVE_ID: &'static str = "save-institution";

    fn field_id(f: Field) -> &'static str {
        match f {
            Field::Name => "institution-name",
            Field::Kind => "institution-kind",
            Field::Address => "institution-address",
            Field::Phone => "institution-phone",
            _ => "institution-notes",
        }
    }

    /// `?kind=<code>` picks the kind.
    fn new_draft(prefill: &Prefill, _: &Notebook) -> InstitutionDraft {
        let kind = prefill.get("kind").and_then(|k| InstitutionKind::from_code(k)).unwrap_or(InstitutionKind::Other);
        InstitutionDraft { kind: kind.code().into(), ..InstitutionDraft::default() }
    }

    fn fields(f: FormCtx<Self>) -> AnyView {
        let (d, form) = (f.d(), f.form);
        let kinds = choices_of(InstitutionKind::ALL, InstitutionKind::code, "institution-kind");
        view! {
            <TextField draft=d get=|d: &InstitutionDraft| d.name.clone() set=|d, v| d.name = v
                id="institution-name" label={"institution-form-name"} form=form field=Field::Name/>
            <ChoiceField draft=d get=|d: &InstitutionDraft| d.kind.clone() set=|d, v| d.kind = v
                id="institution-kind" label={"institution-form-kind"} form=form options=kinds field=Field::Kind/>
            <TextField draft=d get=|d: &InstitutionDraft| d.address.clone() set=|d, v| d.address = v
                id="institution-address" label={"institution-form-address"} form=form field=Field::Address/>
            <TextField draft=d get=|d: &InstitutionDraft| d.phone.clone() set=|d, v| d.phone = v
                id="institution-phone" label={"institution-form-phone"} form=form field=Field::Phone
                kind="tel" dir="ltr" inputmode="tel"/>
            <NotesField draft=d get=|d: &InstitutionDraft| d.notes.clone() set=|d, v| d.notes = v
                form=form id="institution-notes"/>
        }
        .into_any()
    }
}
