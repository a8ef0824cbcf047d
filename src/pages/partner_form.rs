//! A partner organisation (Migrantenorganisation) that co-hosts events.

use std::collections::BTreeMap;

use leptos::prelude::*;
use lotse_model::forms::PartnerDraft;
use lotse_model::{Field, PartnerId, PartnerOrganisation, Record};

use crate::components::form::{
    ChoiceField, Draft, DraftRestored, FormActions, FormProblems, FormState, NotFound, NotesField, TextField,
};
use crate::components::history::History;
use crate::device::random;
use crate::hooks::notebook::{home_community, save, use_notebook, Place};
use crate::i18n::use_i18n;
use crate::pages::network::community_choices;
use crate::route::{self, Route};

fn field_id(f: Field) -> &'static str {
    match f {
        Field::Name => "partner-name",
        Field::Community => "partner-community",
        Field::ContactPerson => "partner-contact-person",
        Field::Phone => "partner-phone",
        _ => "partner-notes",
    }
}

#[component]
pub fn PartnerForm(id: Option<String>, prefill: BTreeMap<String, String>) -> impl IntoView {
    let _ = prefill;
    let nb = use_notebook();
    let Ok(parsed) = id.map(|s| s.parse::<PartnerId>()).transpose() else {
        return view! { <NotFound/> }.into_any();
    };
    let existing = parsed.and_then(|id| nb.with_untracked(|n| n.partner(id).cloned()));
    if parsed.is_some() && existing.is_none() {
        return view! { <NotFound/> }.into_any();
    }
    let partner_id = parsed.unwrap_or_else(|| PartnerId::from_random(random()));
    let key = match parsed {
        Some(id) => format!("partner:{id}"),
        None => "partner:new".to_owned(),
    };
    let initial = existing.as_ref().map_or_else(
        || PartnerDraft { community: home_community().to_string(), ..PartnerDraft::default() },
        PartnerDraft::from_record,
    );
    let draft = Draft::new(key, initial);
    view! { <PartnerFormBody partner_id=partner_id is_new=parsed.is_none() draft=draft/> }.into_any()
}

#[component]
fn PartnerFormBody(partner_id: PartnerId, is_new: bool, draft: Draft<PartnerDraft>) -> impl IntoView {
    let i = use_i18n();
    let form = FormState::new();
    let d = draft.value;
    let restored = draft.restored;
    let draft = StoredValue::new(draft);
    let clear = move || draft.with_value(|d| d.clear());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match d.get_untracked().validate(partner_id) {
            Err(es) => form.fail(es, field_id),
            Ok(partner) => {
                if !form.begin_save() {
                    return;
                }
                leptos::task::spawn_local(async move {
                    if form.end_save(save(Place::Network, partner).await) {
                        clear();
                        route::go(&Route::Network);
                    }
                });
            }
        }
    };
    let communities = Signal::derive(community_choices);
    view! {
        <section class="page partner-form">
            <h2 class="page-title">{move || if is_new { i.t("partner-new") } else { i.t("partner-edit") }}</h2>
            <DraftRestored restored=restored/>
            <form class="form" on:submit=submit novalidate>
                <FormProblems form=form/>
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
                <FormActions form=form cancel_href=Route::Network.href() save_id="save-partner"
                    on_cancel=Callback::new(move |_| clear())/>
            </form>
            {(!is_new).then(|| view! {
                <History collection=PartnerOrganisation::COLLECTION key=partner_id.to_string() place=Place::Network/>
            })}
        </section>
    }
}
