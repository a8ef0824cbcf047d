//! A community of the network: its name, languages and retention period.

use leptos::prelude::*;
use lotse_model::forms::CommunityDraft;
use lotse_model::{Community, Field};

use crate::components::form::TextField;
use crate::components::record_form::{FormCtx, FormKind};
use crate::device::Membership;
use crate::engine::protocol::SaveError;
use crate::hooks::use_device;
use crate::i18n::use_i18n;
use crate::route::Route;
use crate::store::StoreError;

impl FormKind for Community {
    const TITLES: [&'static str; 2] = ["community-form-new", "community-form-edit"];
    const CLASS: &'static str = "community-form";
    const DRAFT_KEY: &'static str = "community:";
    const SAVE_ID: &'static str = "save-community";

    fn field_id(f: Field) -> &'static str {
        match f {
            Field::Languages => "community-languages",
            Field::Retention => "community-retention",
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

    /// A new community saved on a coordinator's device gets a document of
    /// its own: this device holds it from now on, and the engine makes its
    /// key and adds it to the network (a `Docs` statement), while the page
    /// goes on to the network's page, which lists it. If the device's
    /// settings cannot be saved (storage full), the form says so and keeps
    /// the entry: Save again writes the same record and holds it then.
    fn saved(record: Self, f: FormCtx<Self>) {
        let device = use_device().filter(|d| d.coordinator && f.is_new && d.membership(record.id).is_none());
        if let Some(mut device) = device {
            device.communities.push(Membership::fresh(record.id, &record.name));
            if let Err(e) = device.save() {
                f.form.end_save(Err(SaveError::Store(StoreError::Full(e))));
                return;
            }
            leptos::task::spawn_local(async move {
                if let Err(e) = crate::hooks::notebook::hold(device).await {
                    web_sys::console::error_1(&format!("syncing the new community: {e}").into());
                }
            });
            crate::route::go(&Route::Network);
            return;
        }
        crate::route::go(&Self::back(f));
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
            <TextField draft=d get=|d: &CommunityDraft| d.retention_months.clone()
                set=|d, v| d.retention_months = v id="community-retention" label={"community-form-retention"}
                form=form field=Field::Retention hint="community-form-retention-hint" dir="ltr" inputmode="numeric"/>
        }
        .into_any()
    }
}
