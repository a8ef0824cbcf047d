//! A mentor's (or coordinator's) profile in the network: name, role,
//! community, languages, active. The devices a mentor uses are kept as
//! they are: only a device adds itself.

use leptos::prelude::*;
use lotse_model::forms::MentorDraft;
use lotse_model::notebook::Notebook;
use lotse_model::{Field, Mentor, Role};

use crate::components::form::{choices_of, community_choices, CheckField, ChoiceField, Segmented, TextField};
use crate::components::record_form::{FormCtx, FormKind, Prefill};
use crate::hooks::notebook::home_community;
use crate::i18n::use_i18n;
use crate::route::Route;

impl FormKind for Mentor {
    const TITLES: [&'static str; 2] = ["profile-new", "profile-edit"];
    const CLASS: &'static str = "mentor-form";
    const DRAFT_KEY: &'static str = "mentor:";
    const SAVE_ID: &'static str = "save-profile";

    fn field_id(f: Field) -> &'static str {
        match f {
            Field::Role => "profile-role",
            Field::Community => "profile-community",
            Field::Languages => "profile-languages",
            _ => "profile-name",
        }
    }

    fn new_draft(_: &Prefill, _: &Notebook) -> MentorDraft {
        MentorDraft {
            role: Role::Mentor.code().into(),
            community: home_community().to_string(),
            active: true,
            ..MentorDraft::default()
        }
    }

    fn above(f: FormCtx<Self>) -> Option<AnyView> {
        let i = use_i18n();
        f.is_new.then(|| {
            view! { <p class="hint net-hint" id="profile-new-hint">{move || i.t("profile-new-hint")}</p> }.into_any()
        })
    }

    fn back(_: FormCtx<Self>) -> Route {
        Route::Network
    }

    fn fields(f: FormCtx<Self>) -> AnyView {
        let (d, form) = (f.d(), f.form);
        let roles = choices_of(Role::ALL, Role::code, "role");
        let communities = Signal::derive(community_choices);
        view! {
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
        }
        .into_any()
    }
}
