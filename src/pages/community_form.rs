//! A community of the network: its name and languages.

use std::collections::BTreeMap;

use leptos::prelude::*;
use lotse_model::forms::CommunityDraft;
use lotse_model::{Community, CommunityId, Field, Record};

use crate::components::form::{Draft, DraftRestored, FormActions, FormProblems, FormState, NotFound, TextField};
use crate::components::history::History;
use crate::device::random;
use crate::hooks::notebook::{save, stamp, use_notebook, Place};
use crate::i18n::use_i18n;
use crate::route::{self, Route};

fn field_id(f: Field) -> &'static str {
    match f {
        Field::Languages => "community-languages",
        _ => "community-name",
    }
}

#[component]
pub fn CommunityForm(id: Option<String>, prefill: BTreeMap<String, String>) -> impl IntoView {
    let _ = prefill;
    let nb = use_notebook();
    let Ok(parsed) = id.map(|s| s.parse::<CommunityId>()).transpose() else {
        return view! { <NotFound/> }.into_any();
    };
    let existing = parsed.and_then(|id| nb.with_untracked(|n| n.community(id).cloned()));
    if parsed.is_some() && existing.is_none() {
        return view! { <NotFound/> }.into_any();
    }
    let community_id = parsed.unwrap_or_else(|| CommunityId::from_random(random()));
    let key = match parsed {
        Some(id) => format!("community:{id}"),
        None => "community:new".to_owned(),
    };
    let draft = Draft::new(key, existing.as_ref().map(CommunityDraft::from_record).unwrap_or_default());
    view! { <CommunityFormBody community_id=community_id is_new=parsed.is_none() draft=draft/> }.into_any()
}

#[component]
fn CommunityFormBody(community_id: CommunityId, is_new: bool, draft: Draft<CommunityDraft>) -> impl IntoView {
    let i = use_i18n();
    let nb = use_notebook();
    let form = FormState::new();
    let d = draft.value;
    let restored = draft.restored;
    let draft = StoredValue::new(draft);
    let clear = move || draft.with_value(|d| d.clear());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let existing = nb.with_untracked(|n| n.community(community_id).cloned());
        match d.get_untracked().validate(community_id, stamp(), existing.as_ref()) {
            Err(es) => form.fail(es, field_id),
            Ok(community) => {
                if !form.begin_save() {
                    return;
                }
                leptos::task::spawn_local(async move {
                    if form.end_save(save(Place::Network, community).await) {
                        clear();
                        route::go(&Route::Network);
                    }
                });
            }
        }
    };
    view! {
        <section class="page community-form">
            <h2 class="page-title">{move || if is_new { i.t("community-form-new") } else { i.t("community-form-edit") }}</h2>
            <DraftRestored restored=restored/>
            {is_new.then(|| view! { <p class="hint net-hint" id="community-new-hint">{move || i.t("community-form-new-hint")}</p> })}
            <form class="form" on:submit=submit novalidate>
                <FormProblems form=form/>
                <TextField draft=d get=|d: &CommunityDraft| d.name.clone() set=|d, v| d.name = v
                    id="community-name" label={"community-form-name"} form=form field=Field::Name
                    hint="community-form-name-hint"/>
                <TextField draft=d get=|d: &CommunityDraft| d.languages.clone() set=|d, v| d.languages = v
                    id="community-languages" label={"community-form-languages"} form=form field=Field::Languages
                    hint="community-form-languages-hint"/>
                <FormActions form=form cancel_href=Route::Network.href() save_id="save-community"
                    on_cancel=Callback::new(move |_| clear())/>
            </form>
            {(!is_new).then(|| view! {
                <History collection=Community::COLLECTION key=community_id.to_string() place=Place::Network/>
            })}
        </section>
    }
}
