//! A community of the network: its name and languages.

use leptos::prelude::*;
use lotse_model::forms::CommunityDraft;
use lotse_model::{Community, Field};

use crate::components::form::TextField;
use crate::components::record_form::{FormCtx, FormKind};
use crate::i18n::use_i18n;
use crate::route::Route;

impl FormKind for Community {
    const TITLES: [&'static str; 2] = ["community-form-new", "community-form-edit"];
    const CLASS: &'static str = "community-form";
    const DRAFT_KEY: &'static str = "community:";
    const SAVE_ID: &'static str = "save-community";

    fn field_id(f: Field) -> &'static str {
        match f {
            Field::Languages => "community-languages",
            _ => "community-name",
        }
    }

    fn above(f: FormCtx<Self>) -> Option<AnyView> {
        let i = use_i18n();
        f.is_new.then(|| {
            view! { <p class="hint net-hint" id="community-new-hint">{move || i.t("community-form-new-hint")}</p> }
                .into_any()
        })
    }

    fn back(_: FormCtx<Self>) -> Route {
        Route::Network
    }

    fn fields(f: FormCtx<Self>) -> AnyView {
        let (d, form) = (f.d(), f.form);
        view! {
            <TextField draft=d get=|d: &CommunityDraft| d.name.clone() set=|d, v| d.name = v
                id="community-name" label={"community-form-name"} form=form field=Field::Name
                hint="community-form-name-hint"/>
            <TextField draft=d get=|d: &CommunityDraft| d.languages.clone() set=|d, v| d.languages = v
                id="community-languages" label={"community-form-languages"} form=form field=Field::Languages
                hint="community-form-languages-hint"/>
        }
        .into_any()
    }
}
