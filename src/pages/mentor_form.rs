//! A mentor's (or coordinator's) profile in the network: name, role,
//! community, languages, active. The devices a mentor uses are kept as
//! they are: only a device adds itself.

use std::collections::BTreeMap;

use leptos::prelude::*;
use lotse_model::forms::MentorDraft;
use lotse_model::{Field, Mentor, MentorId, Record, Role};

use crate::components::form::{
    choices_of, ChoiceField, Draft, DraftRestored, FormActions, FormProblems, FormState, NotFound, TextField,
};
use crate::components::history::History;
use crate::device::random;
use crate::hooks::notebook::{home_community, save, use_notebook, Place};
use crate::i18n::use_i18n;
use crate::pages::network::{community_choices, CheckField, Segmented};
use crate::route::{self, Route};

fn field_id(f: Field) -> &'static str {
    match f {
        Field::Role => "profile-role",
        Field::Community => "profile-community",
        Field::Languages => "profile-languages",
        _ => "profile-name",
    }
}

#[component]
pub fn MentorForm(id: Option<String>, prefill: BTreeMap<String, String>) -> impl IntoView {
    let _ = prefill;
    let nb = use_notebook();
    let Ok(parsed) = id.map(|s| s.parse::<MentorId>()).transpose() else {
        return view! { <NotFound/> }.into_any();
    };
    let existing = parsed.and_then(|id| nb.with_untracked(|n| n.mentor(id).cloned()));
    if parsed.is_some() && existing.is_none() {
        return view! { <NotFound/> }.into_any();
    }
    let mentor_id = parsed.unwrap_or_else(|| MentorId::from_random(random()));
    let key = match parsed {
        Some(id) => format!("mentor:{id}"),
        None => "mentor:new".to_owned(),
    };
    let initial = existing.as_ref().map_or_else(
        || MentorDraft {
            role: Role::Mentor.code().into(),
            community: home_community().to_string(),
            active: true,
            ..MentorDraft::default()
        },
        MentorDraft::from_record,
    );
    let draft = Draft::new(key, initial);
    view! { <MentorFormBody mentor_id=mentor_id is_new=parsed.is_none() draft=draft/> }.into_any()
}

#[component]
fn MentorFormBody(mentor_id: MentorId, is_new: bool, draft: Draft<MentorDraft>) -> impl IntoView {
    let i = use_i18n();
    let nb = use_notebook();
    let form = FormState::new();
    let d = draft.value;
    let restored = draft.restored;
    let draft = StoredValue::new(draft);
    let clear = move || draft.with_value(|d| d.clear());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let existing = nb.with_untracked(|n| n.mentor(mentor_id).cloned());
        match d.get_untracked().validate(mentor_id, existing.as_ref()) {
            Err(es) => form.fail(es, field_id),
            Ok(mentor) => {
                if !form.begin_save() {
                    return;
                }
                leptos::task::spawn_local(async move {
                    if form.end_save(save(Place::Network, mentor).await) {
                        clear();
                        route::go(&Route::Network);
                    }
                });
            }
        }
    };
    let roles = choices_of(Role::ALL, Role::code, "role");
    let communities = Signal::derive(community_choices);
    view! {
        <section class="page mentor-form">
            <h2 class="page-title">{move || if is_new { i.t("profile-new") } else { i.t("profile-edit") }}</h2>
            <DraftRestored restored=restored/>
            {is_new.then(|| view! { <p class="hint net-hint" id="profile-new-hint">{move || i.t("profile-new-hint")}</p> })}
            <form class="form" on:submit=submit novalidate>
                <FormProblems form=form/>
                <TextField draft=d get=|d: &MentorDraft| d.name.clone() set=|d, v| d.name = v
                    id="profile-name" label={"profile-name"} form=form field=Field::Name/>
                <Segmented draft=d get=|d: &MentorDraft| d.role.clone() set=|d, v| d.role = v
                    id="profile-role" label={"profile-role"} form=form options=roles field=Field::Role/>
                <ChoiceField draft=d get=|d: &MentorDraft| d.community.clone() set=|d, v| d.community = v
                    id="profile-community" label={"profile-community"} form=form options=communities
                    field=Field::Community empty="profile-no-community"/>
                <TextField draft=d get=|d: &MentorDraft| d.languages.clone() set=|d, v| d.languages = v
                    id="profile-languages" label={"profile-languages"} form=form field=Field::Languages
                    hint="profile-languages-hint"/>
                <CheckField draft=d get=|d: &MentorDraft| d.active set=|d, v| d.active = v
                    id="profile-active" label={"profile-active"}/>
                <FormActions form=form cancel_href=Route::Network.href() save_id="save-profile"
                    on_cancel=Callback::new(move |_| clear())/>
            </form>
            {(!is_new).then(|| view! {
                <History collection=Mentor::COLLECTION key=mentor_id.to_string() place=Place::Network/>
            })}
        </section>
    }
}
