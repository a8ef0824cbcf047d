//! A contact: consent first (without it nothing personal is saved), then
//! who they are. An existing contact's page also lists their consultations
//! and referrals, with a quick way to record the next one, and the history.

use leptos::prelude::*;
use lotse_model::access::Access;
use lotse_model::notebook::Notebook;
use lotse_model::{ConsentScope, Contact, ContactDraft, ContactId, DocRef, Field, HouseholdId, TargetGroup};

use crate::components::field::FieldError;
use crate::components::form::{choices_of, Choice, ChoiceField, DateField, NotesField, TextField};
use crate::components::record_form::{FormCtx, FormKind, Prefill};
use crate::hooks::engine::use_device;
use crate::hooks::files;
use crate::hooks::notebook::{home_community, today, use_notebook};
use crate::i18n::{use_i18n, Lang};
use crate::pages::consultations::{date_words, topic_names};
use crate::pages::referrals::Check;
use crate::route::{self, prefilled, Kind, Route};

impl FormKind for Contact {
    const TITLES: [&'static str; 2] = ["contact-new", "contact-edit"];
    const CLASS: &'static str = "contact-form";
    const DRAFT_KEY: &'static str = "contact-";
    const SAVE_ID: &'static str = "save-contact";

    fn field_id(f: Field) -> &'static str {
        match f {
            Field::TargetGroup => "target-group",
            Field::Name => "name",
            Field::Phone => "phone",
            Field::Household => "household",
            Field::Consent => "consent-given",
            Field::ConsentDate => "consent-date",
            Field::ConsentScope => "consent-scope",
            Field::Languages => "languages",
            Field::District => "district",
            _ => "notes",
        }
    }

    /// `?household=<id>`: the household the new contact belongs to.
    fn new_draft(prefill: &Prefill, _: &Notebook) -> ContactDraft {
        ContactDraft {
            target_group: TargetGroup::Parent.code().into(),
            consent_date: today(),
            consent_scope: ConsentScope::Advice.code().into(),
            household: prefilled::<HouseholdId>(prefill, "household").map(|h| h.to_string()).unwrap_or_default(),
            ..ContactDraft::default()
        }
    }

    fn above(f: FormCtx<Self>) -> Option<AnyView> {
        (!f.is_new).then(|| view! { <ContactActions id=f.id/> }.into_any())
    }

    fn below(f: FormCtx<Self>) -> Option<AnyView> {
        (!f.is_new).then(|| view! { <ContactRecords id=f.id/> }.into_any())
    }

    fn saved(_: Self, _: FormCtx<Self>) {
        route::go(&Route::List(Kind::Contact));
    }

    fn fields(f: FormCtx<Self>) -> AnyView {
        let i = use_i18n();
        let (d, form, nb) = (f.d(), f.form, f.nb);
        let community = match f.at {
            Some(DocRef::Community(c)) => c,
            _ => home_community(),
        };
        let households = Memo::new(move |_| {
            nb.with(|n| {
                let mut list: Vec<Choice> = n
                    .households()
                    .filter(|h| h.community == community)
                    .map(|h| Choice { value: h.record.id.to_string(), text: h.record.name.clone() })
                    .collect();
                lotse_model::order::sort_by_key(&mut list, |c| c.text.to_lowercase());
                list
            })
        });
        let asking = if f.is_new { "new".to_owned() } else { f.id.to_string() };
        let new_household = Route::new_with(Kind::Household, "for-contact", asking).href();
        view! {
            <fieldset class="group consent">
                <legend>{move || i.t("contact-consent-section")}</legend>
                <div class="check">
                    <input id="consent-given" type="checkbox" aria-describedby="error-consent"
                        aria-invalid=move || form.is_invalid(Field::Consent).then_some("true")
                        prop:checked=move || d.with(|d| d.consent_given)
                        on:change=move |ev| d.update(|d| d.consent_given = event_target_checked(&ev))/>
                    <label for="consent-given">{move || i.t("contact-consent-given")}</label>
                </div>
                <FieldError id="consent" message=form.message(Field::Consent)/>
                <DateField draft=d get=|d: &ContactDraft| d.consent_date.clone()
                    set=|d, v| d.consent_date = v id="consent-date" label={"contact-consent-date"}
                    form=form field=Field::ConsentDate/>
                <ChoiceField draft=d get=|d: &ContactDraft| d.consent_scope.clone()
                    set=|d, v| d.consent_scope = v id="consent-scope" label={"contact-consent-scope"}
                    form=form field=Field::ConsentScope
                    options=choices_of(&ConsentScope::ALL, ConsentScope::code, "scope")/>
            </fieldset>
            <fieldset class="group">
                <legend>{move || i.t("contact-details-section")}</legend>
                <ChoiceField draft=d get=|d: &ContactDraft| d.target_group.clone()
                    set=|d, v| d.target_group = v id="target-group" label={"contact-target-group"}
                    form=form field=Field::TargetGroup
                    options=choices_of(&TargetGroup::ALL, TargetGroup::code, "group")/>
                <TextField draft=d get=|d: &ContactDraft| d.name.clone() set=|d, v| d.name = v
                    id="name" label={"contact-name"} form=form field=Field::Name/>
                <TextField draft=d get=|d: &ContactDraft| d.phone.clone() set=|d, v| d.phone = v
                    id="phone" label={"contact-phone"} form=form field=Field::Phone kind="tel" dir="ltr"
                    inputmode="tel"/>
                <TextField draft=d get=|d: &ContactDraft| d.languages.clone() set=|d, v| d.languages = v
                    id="languages" label={"contact-languages"} hint="contact-languages-hint" form=form
                    field=Field::Languages/>
                <TextField draft=d get=|d: &ContactDraft| d.district.clone() set=|d, v| d.district = v
                    id="district" label={"contact-district"} form=form field=Field::District/>
                <div class="household-pick">
                    <ChoiceField draft=d get=|d: &ContactDraft| d.household.clone()
                        set=|d, v| d.household = v id="household" label={"contact-household-pick"}
                        form=form field=Field::Household options=households empty="contact-household-none"/>
                    <a class="button" id="contact-new-household" href=new_household>
                        {move || i.t("contact-new-household")}
                    </a>
                </div>
                <NotesField draft=d get=|d: &ContactDraft| d.notes.clone() set=|d, v| d.notes = v
                    form=form id="notes" label={"contact-notes"}/>
            </fieldset>
        }
        .into_any()
    }
}

/// The next step with this contact, one tap away.
#[component]
fn ContactActions(id: ContactId) -> impl IntoView {
    let i = use_i18n();
    let nb = use_notebook();
    // A contact merged into another: say so, and lead to the kept one.
    let kept = Memo::new(move |_| nb.with(|n| Some(n.kept_contact(id)).filter(|k| *k != id)));
    view! {
        {move || kept.get().map(|k| view! {
            <p class="banner-info" role="status" id="contact-merged-into">
                {move || i.t("contact-merged-into")} " "
                <a href=Route::open(Kind::Contact, k).href()>{move || i.t("contact-open-kept")}</a>
            </p>
        })}
        <div class="contact-actions">
            <a class="button primary" id="contact-new-consultation"
                href=Route::new_with(Kind::Consultation, "contact", id).href()>
                {move || i.t("contact-new-consultation")}
            </a>
            <a class="button" id="contact-new-referral" href=Route::new_with(Kind::Referral, "contact", id).href()>
                {move || i.t("contact-new-referral")}
            </a>
            <a class="button" id="contact-new-follow-up" href=Route::new_with(Kind::FollowUp, "contact", id).href()>
                {move || i.t("contact-new-follow-up")}
            </a>
            {use_device().is_some_and(|d| d.coordinator).then(|| view! { <AccessExport id=id/> })}
        </div>
    }
}

/// Art. 15: everything about this person as two files, JSON and a printable
/// page in their language (the first of theirs the app speaks, else the
/// app's). Made here, from the notebook: nothing leaves the device but the
/// download.
#[component]
fn AccessExport(id: ContactId) -> impl IntoView {
    let i = use_i18n();
    let nb = use_notebook();
    let failed = RwSignal::new(None::<String>);
    let export = move |_| {
        let day = today();
        let access = match nb.with(|n| Access::of(n, id, &day)) {
            Ok(a) => a,
            Err(e) => return failed.set(Some(e.to_string())),
        };
        let codes: Vec<&str> = Lang::ALL.iter().map(|l| l.code()).collect();
        let lang = access.language(&codes).and_then(Lang::from_code).unwrap_or_else(|| i.lang.get_untracked());
        leptos::task::spawn_local(async move {
            let result = async {
                crate::i18n::load(lang).await?;
                let t = |key: &str| crate::i18n::translate(lang, key, None);
                let date = |ymd: &str| crate::i18n::format_date(lang, ymd).unwrap_or_else(|| ymd.to_owned());
                let html = access.html(lang.code(), lang.is_rtl(), &t, &date);
                let json = serde_json::to_vec_pretty(&access).map_err(|e| e.to_string())?;
                // The file names name no one: a download folder is often shared.
                let name = format!("art15-{}-{day}", &id.to_string()[..8]);
                files::download(&format!("{name}.json"), &json, files::JSON).map_err(|e| format!("{e:?}"))?;
                files::download(&format!("{name}.html"), html.as_bytes(), files::HTML).map_err(|e| format!("{e:?}"))
            };
            failed.set(result.await.err());
        });
    };
    view! {
        <button type="button" class="button" id="contact-access-export" on:click=export>
            {move || i.t("art15-action")}
        </button>
        {move || failed.get().map(|error| view! {
            <p class="banner-error" role="alert" id="contact-access-failed">
                {move || i.t_args("art15-failed", &[("error", error.clone().into())])}
            </p>
        })}
    }
}

/// A row of a contact's consultations or referrals.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Linked {
    href: String,
    title: String,
    badge: String,
    date: String,
    /// The i18n key of an overdue or due-today mark.
    mark: Option<&'static str>,
}

/// A contact's consultations and referrals, newest first.
#[component]
fn ContactRecords(id: ContactId) -> impl IntoView {
    let i = use_i18n();
    let nb = use_notebook();
    let consultations = Memo::new(move |_| {
        let lang = i.lang.get();
        nb.with(|n| {
            n.consultations_of(id)
                .into_iter()
                .map(|c| Linked {
                    href: Route::open(Kind::Consultation, c.record.id).href(),
                    title: topic_names(i, &c.record),
                    badge: i.t(&format!("outcome-{}", c.record.outcome.code())),
                    date: date_words(lang, &c.record.date),
                    mark: None,
                })
                .collect::<Vec<_>>()
        })
    });
    let referrals = Memo::new(move |_| {
        let lang = i.lang.get();
        let day = crate::hooks::notebook::today();
        nb.with(|n| {
            n.referrals_of(id)
                .into_iter()
                .map(|r| Linked {
                    href: Route::open(Kind::Referral, r.record.id).href(),
                    title: n.institution(r.record.institution).map(|x| x.name.clone()).unwrap_or_default(),
                    badge: i.t(&format!("referral-status-{}", r.record.status.code())),
                    date: date_words(lang, &r.record.date),
                    mark: Check::of(&r.record, &day).mark().map(|(_, key)| key),
                })
                .collect::<Vec<_>>()
        })
    });
    let list = move |rows: Memo<Vec<Linked>>, class: &'static str| {
        move || {
            rows.get()
                .into_iter()
                .map(|l| {
                    view! {
                        <li class=class>
                            <a href=l.href>
                                <span class="row-head">
                                    <bdi class="row-name" translate="no">{l.title}</bdi>
                                    <span class="badge">{l.badge}</span>
                                </span>
                                <span class="row-date">
                                    {l.date}
                                    {l.mark.map(|key| view! { " " <strong class="due-mark">{move || i.t(key)}</strong> })}
                                </span>
                            </a>
                        </li>
                    }
                })
                .collect_view()
        }
    };
    view! {
        <section class="contact-records" id="contact-consultations">
            <h3 class="section-title">
                {move || i.t_count("contact-consultations", consultations.with(Vec::len))}
            </h3>
            <ul class="record-list linked-list">{list(consultations, "linked-consultation")}</ul>
        </section>
        <section class="contact-records" id="contact-referrals">
            <h3 class="section-title">{move || i.t_count("contact-referrals", referrals.with(Vec::len))}</h3>
            <ul class="record-list linked-list">{list(referrals, "linked-referral")}</ul>
        </section>
    }
}
