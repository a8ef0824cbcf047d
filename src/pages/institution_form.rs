//! An institution mentors refer to: create or edit (the seeded ones too).

use std::collections::BTreeMap;

use leptos::prelude::*;
use lotse_model::forms::InstitutionDraft;
use lotse_model::{Field, Institution, InstitutionId, InstitutionKind, Record};

use crate::components::form::{
    choices_of, ChoiceField, Draft, DraftRestored, FormActions, FormProblems, FormState, NotFound, NotesField,
    TextField,
};
use crate::components::history::History;
use crate::device::random;
use crate::hooks::notebook::{save, use_notebook, Place};
use crate::i18n::use_i18n;
use crate::route::{self, Kind, Route};

fn field_id(f: Field) -> &'static str {
    match f {
        Field::Name => "institution-name",
        Field::Kind => "institution-kind",
        Field::Address => "institution-address",
        Field::Phone => "institution-phone",
        _ => "institution-notes",
    }
}

#[component]
pub fn InstitutionForm(id: Option<String>, prefill: BTreeMap<String, String>) -> impl IntoView {
    let nb = use_notebook();
    let Ok(parsed) = id.map(|s| s.parse::<InstitutionId>()).transpose() else {
        return view! { <NotFound/> }.into_any();
    };
    let existing = parsed.and_then(|id| nb.with_untracked(|n| n.institution(id).cloned()));
    if parsed.is_some() && existing.is_none() {
        return view! { <NotFound/> }.into_any();
    }
    let institution_id = parsed.unwrap_or_else(|| InstitutionId::from_random(random()));
    let key = match parsed {
        Some(id) => format!("institution:{id}"),
        None => "institution:new".to_owned(),
    };
    let initial = existing.as_ref().map_or_else(
        || InstitutionDraft {
            kind: prefill
                .get("kind")
                .and_then(|k| InstitutionKind::from_code(k))
                .unwrap_or(InstitutionKind::Other)
                .code()
                .into(),
            ..InstitutionDraft::default()
        },
        InstitutionDraft::from_record,
    );
    let draft = Draft::new(key, initial);
    view! { <InstitutionFormBody institution_id=institution_id is_new=parsed.is_none() draft=draft/> }.into_any()
}

#[component]
fn InstitutionFormBody(institution_id: InstitutionId, is_new: bool, draft: Draft<InstitutionDraft>) -> impl IntoView {
    let i = use_i18n();
    let form = FormState::new();
    let d = draft.value;
    let restored = draft.restored;
    let draft = StoredValue::new(draft);
    let clear = move || draft.with_value(|d| d.clear());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match d.get_untracked().validate(institution_id) {
            Err(es) => form.fail(es, field_id),
            Ok(institution) => {
                if !form.begin_save() {
                    return;
                }
                leptos::task::spawn_local(async move {
                    if form.end_save(save(Place::Network, institution).await) {
                        clear();
                        route::go(&Route::List(Kind::Institution));
                    }
                });
            }
        }
    };
    let kinds = choices_of(InstitutionKind::ALL, InstitutionKind::code, "institution-kind");
    view! {
        <section class="page institution-form">
            <h2 class="page-title">{move || if is_new { i.t("institution-form-new") } else { i.t("institution-form-edit") }}</h2>
            <DraftRestored restored=restored/>
            <form class="form" on:submit=submit novalidate>
                <FormProblems form=form/>
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
                <FormActions form=form cancel_href=Route::List(Kind::Institution).href() save_id="save-institution"
                    on_cancel=Callback::new(move |_| clear())/>
            </form>
            {(!is_new).then(|| view! {
                <History collection=Institution::COLLECTION key=institution_id.to_string() place=Place::Network/>
            })}
        </section>
    }
}
