//! A household: the family contacts belong to. Opened from the contact form
//! (`?for-contact=<id>` or `?for-contact=new`), saving it puts it into that
//! contact's form and goes back there.

use leptos::prelude::*;
use lotse_model::forms::HouseholdDraft;
use lotse_model::notebook::Notebook;
use lotse_model::{CommunityId, Contact, ContactDraft, ContactId, Field, Household, HouseholdId, RecordKind};

use crate::components::form::{NotesField, TextField};
use crate::components::record_form::{draft_key, FormCtx, FormKind, Prefill};
use crate::hooks::drafts::{load_draft, save_draft};
use crate::hooks::notebook::{home_community, Nb};
use crate::i18n::use_i18n;
use crate::route::{leave, Kind, Route};

/// Which contact form asked for the household: `Some(None)` a new contact,
/// `Some(Some(id))` an existing one.
fn for_contact(prefill: &Prefill) -> Option<Option<ContactId>> {
    match prefill.get("for-contact").map(String::as_str) {
        Some("new") => Some(None),
        Some(id) => id.parse().ok().map(Some),
        None => None,
    }
}

/// Puts `household` into the kept draft of the contact form that asked
/// for it, so that form shows it when the mentor is back there.
async fn hand_to_contact_form(nb: Nb, contact: Option<ContactId>, household: HouseholdId) {
    let key = draft_key::<Contact>(contact, &Prefill::new());
    let kept = load_draft::<ContactDraft>(&key).await;
    let d = kept.or_else(|| contact.and_then(|c| nb.with_untracked(|n| n.contact(c).map(|c| c.record.to_draft()))));
    let mut d = d.unwrap_or_else(|| nb.with_untracked(|n| Contact::new_draft(&Prefill::new(), n)));
    d.household = household.to_string();
    save_draft(&key, &d);
}

impl FormKind for Household {
    const TITLES: [&'static str; 2] = ["household-new", "household-edit"];
    const CLASS: &'static str = "advice-form household-form";
    const DRAFT_KEY: &'static str = "household-";
    const SAVE_ID: &'static str = "save-household";

    fn field_id(f: Field) -> &'static str {
        match f {
            Field::Name => "household-name",
            Field::District => "household-district",
            _ => "household-notes",
        }
    }

    /// A new household goes where the contact that asked for it lives.
    fn fallback(prefill: &Prefill, nb: &Notebook) -> CommunityId {
        for_contact(prefill).flatten().and_then(|c| nb.contact(c)).map_or_else(home_community, |c| c.community)
    }

    fn cancel(f: FormCtx<Self>) -> Route {
        match f.prefill.with_value(for_contact) {
            Some(Some(c)) => Route::open(Kind::Contact, c),
            Some(None) => Route::New(Kind::Contact, Prefill::new()),
            None => Route::List(Kind::Contact),
        }
    }

    fn saved(household: Self, f: FormCtx<Self>) {
        let asked_by = f.prefill.with_value(for_contact);
        leptos::task::spawn_local(async move {
            if let Some(contact) = asked_by {
                hand_to_contact_form(f.nb, contact, household.id).await;
            }
            leave(Route::List(Kind::Contact));
        });
    }

    fn below(f: FormCtx<Self>) -> Option<AnyView> {
        let i = use_i18n();
        let (nb, id) = (f.nb, f.id);
        let members = Memo::new(move |_| {
            nb.with(|n| {
                let mut list: Vec<(ContactId, String)> = n
                    .contacts()
                    .filter(|c| c.record.household == Some(id))
                    .map(|c| (c.record.id, c.record.name.clone()))
                    .collect();
                lotse_model::order::sort_by_key(&mut list, |(_, name)| name.to_lowercase());
                list
            })
        });
        Some(
            view! {
                <Show when=move || !members.with(Vec::is_empty)>
                    <h3 class="section-title">{move || i.t("household-members")}</h3>
                    <ul class="record-list linked-list household-members">
                        {move || members.get().into_iter().map(|(cid, name)| view! {
                            <li class="household-member">
                                <a href=Route::open(Kind::Contact, cid).href()>
                                    <bdi class="row-name" translate="no">{name}</bdi>
                                </a>
                            </li>
                        }).collect_view()}
                    </ul>
                </Show>
            }
            .into_any(),
        )
    }

    fn fields(f: FormCtx<Self>) -> AnyView {
        let (d, form) = (f.d(), f.form);
        view! {
            <TextField draft=d get=|d: &HouseholdDraft| d.name.clone() set=|d, v| d.name = v
                id="household-name" label={"household-name"} hint="household-name-hint" form=form field=Field::Name/>
            <TextField draft=d get=|d: &HouseholdDraft| d.district.clone() set=|d, v| d.district = v
                id="household-district" label={"contact-district"} form=form field=Field::District/>
            <NotesField draft=d get=|d: &HouseholdDraft| d.notes.clone() set=|d, v| d.notes = v
                form=form id="household-notes"/>
        }
        .into_any()
    }
}
