use leptos::prelude::*;
use lotse_model::{ConsentScope, ContactDraft, ContactId, Field, FieldError as ModelError, TargetGroup};
use wasm_bindgen::JsCast;

use crate::components::field::FieldError;
use crate::device::random;
use crate::hooks::use_engine;
use crate::i18n::{format_date, use_i18n};
use crate::route::{self, Route};

/// The id of a field in the page (and of its error: `error-<id>`).
pub fn field_id(f: Field) -> &'static str {
    match f {
        Field::TargetGroup => "target-group",
        Field::Name => "name",
        Field::Phone => "phone",
        Field::Household => "household",
        Field::Consent => "consent",
        Field::ConsentDate => "consent-date",
        Field::ConsentScope => "consent-scope",
        _ => "notes",
    }
}

/// Today in the device's time zone, `YYYY-MM-DD`.
pub fn today() -> String {
    let d = js_sys::Date::new_0();
    format!("{:04}-{:02}-{:02}", d.get_full_year(), d.get_month() + 1, d.get_date())
}

fn new_draft() -> ContactDraft {
    ContactDraft {
        target_group: TargetGroup::Parent.code().into(),
        consent_date: today(),
        consent_scope: ConsentScope::Advice.code().into(),
        ..ContactDraft::default()
    }
}

/// Create (`id` = None) or edit a contact. Consent comes first: without it
/// nothing personal is saved.
#[component]
pub fn ContactForm(id: Option<String>, prefill: std::collections::BTreeMap<String, String>) -> impl IntoView {
    let i = use_i18n();
    let _ = prefill;
    let Ok(id) = id.map(|s| s.parse::<ContactId>()).transpose() else {
        return view! { <p class="empty" id="contact-not-found">{move || i.t("contact-not-found")}</p> }.into_any();
    };
    let existing = id.and_then(|id| use_engine().and_then(|e| e.contact(id)));
    if id.is_some() && existing.is_none() {
        return view! { <p class="empty" id="contact-not-found">{move || i.t("contact-not-found")}</p> }.into_any();
    }
    let draft = RwSignal::new(existing.as_ref().map_or_else(new_draft, ContactDraft::from_contact));
    let errors = RwSignal::new(Vec::<ModelError>::new());
    let save_failed = RwSignal::new(None::<String>);
    let saving = RwSignal::new(false);
    let err = move |f: Field| {
        Signal::derive(move || errors.with(|es| es.iter().find(|e| e.field == f).map(|e| i.t(e.problem.message_key()))))
    };
    let invalid = move |f: Field| move || errors.with(|es| es.iter().any(|e| e.field == f)).then_some("true");
    let contact_id = id.unwrap_or_else(|| ContactId::from_random(random()));

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let Some(engine) = use_engine() else { return };
        let existing = engine.contact(contact_id);
        let now = js_sys::Date::now() as i64;
        match draft.get_untracked().validate(contact_id, engine.device.mentor_id, now, existing.as_ref()) {
            Err(es) => {
                // Take the mentor to the first field to fix: after a tap on
                // Save at the bottom, the messages above are out of view.
                let first =
                    es.first().map(|e| if e.field == Field::Consent { "consent-given" } else { field_id(e.field) });
                errors.set(es);
                save_failed.set(None);
                if let Some(id) = first {
                    request_animation_frame(move || {
                        let el = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id));
                        if let Some(el) = el.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
                            let _ = el.focus();
                            // The label above and the message below in view too.
                            if let Ok(Some(block)) = el.closest(".field, .check") {
                                block.scroll_into_view_with_bool(true);
                            }
                        }
                    });
                }
            }
            Ok(contact) => {
                errors.set(vec![]);
                saving.set(true);
                leptos::task::spawn_local(async move {
                    let result = engine.save_contact(&contact).await;
                    saving.set(false);
                    match result {
                        Ok(()) => route::go(&Route::List(crate::route::Kind::Contact)),
                        Err(e) => save_failed.set(Some(e)),
                    }
                });
            }
        }
    };

    macro_rules! text_input {
        // `$dir`: "auto" for free text (a Latin name in an Arabic form keeps its
        // order), "ltr" for phone numbers and ids, None to follow the page.
        ($field:ident, $id:literal, $label:literal, $kind:literal, $auto:literal, $dir:expr) => {
            view! {
                <div class="field">
                    <label for=$id>{move || i.t($label)}</label>
                    <input id=$id type=$kind autocomplete=$auto dir=$dir
                        aria-invalid=invalid(field_of($id)) aria-describedby=concat!("error-", $id)
                        prop:value=move || draft.with(|d| d.$field.clone())
                        on:input=move |ev| draft.update(|d| d.$field = event_target_value(&ev))/>
                    <FieldError id=$id message=err(field_of($id))/>
                </div>
            }
        };
    }

    view! {
        <section class="page contact-form">
            <h2 class="page-title">{move || if id.is_some() { i.t("contact-edit") } else { i.t("contact-new") }}</h2>
            <form class="form" on:submit=submit novalidate>
                <Show when=move || !errors.with(Vec::is_empty)>
                    <p class="banner-error" role="alert">{move || i.t("form-has-errors")}</p>
                </Show>
                <fieldset class="group consent">
                    <legend>{move || i.t("contact-consent-section")}</legend>
                    <div class="check">
                        <input id="consent-given" type="checkbox" aria-describedby="error-consent"
                            prop:checked=move || draft.with(|d| d.consent_given)
                            on:change=move |ev| draft.update(|d| d.consent_given = event_target_checked(&ev))/>
                        <label for="consent-given">{move || i.t("contact-consent-given")}</label>
                    </div>
                    <FieldError id="consent" message=err(Field::Consent)/>
                    <div class="field">
                        <label for="consent-date">{move || i.t("contact-consent-date")}</label>
                        <input id="consent-date" type="date" autocomplete="off"
                            aria-invalid=invalid(Field::ConsentDate) aria-describedby="consent-date-text error-consent-date"
                            prop:value=move || draft.with(|d| d.consent_date.clone())
                            on:input=move |ev| draft.update(|d| d.consent_date = event_target_value(&ev))/>
                        // The date in the chosen language, with weekday and month names,
                        // whatever language the phone's own date field speaks.
                        <p class="hint" id="consent-date-text">
                            {move || draft.with(|d| format_date(i.lang.get(), &d.consent_date)).unwrap_or_default()}
                        </p>
                        <FieldError id="consent-date" message=err(Field::ConsentDate)/>
                    </div>
                    <div class="field">
                        <label for="consent-scope">{move || i.t("contact-consent-scope")}</label>
                        <select id="consent-scope" on:change=move |ev| draft.update(|d| d.consent_scope = event_target_value(&ev))>
                            {ConsentScope::ALL.into_iter().map(|s| view! {
                                <option value=s.code() selected=move || draft.with(|d| d.consent_scope == s.code())>
                                    {move || i.t(&format!("scope-{}", s.code()))}
                                </option>
                            }).collect_view()}
                        </select>
                        <FieldError id="consent-scope" message=err(Field::ConsentScope)/>
                    </div>
                </fieldset>
                <fieldset class="group">
                    <legend>{move || i.t("contact-details-section")}</legend>
                    <div class="field">
                        <label for="target-group">{move || i.t("contact-target-group")}</label>
                        <select id="target-group" on:change=move |ev| draft.update(|d| d.target_group = event_target_value(&ev))>
                            {TargetGroup::ALL.into_iter().map(|g| view! {
                                <option value=g.code() selected=move || draft.with(|d| d.target_group == g.code())>
                                    {move || i.t(&format!("group-{}", g.code()))}
                                </option>
                            }).collect_view()}
                        </select>
                        <FieldError id="target-group" message=err(Field::TargetGroup)/>
                    </div>
                    {text_input!(name, "name", "contact-name", "text", "off", Some("auto"))}
                    {text_input!(phone, "phone", "contact-phone", "tel", "off", Some("ltr"))}
                    <div class="field">
                        <label for="languages">{move || i.t("contact-languages")}</label>
                        <input id="languages" type="text" dir="auto" aria-describedby="languages-hint"
                            prop:value=move || draft.with(|d| d.languages.clone())
                            on:input=move |ev| draft.update(|d| d.languages = event_target_value(&ev))/>
                        <p class="hint" id="languages-hint">{move || i.t("contact-languages-hint")}</p>
                    </div>
                    <div class="field">
                        <label for="district">{move || i.t("contact-district")}</label>
                        <input id="district" type="text" dir="auto"
                            prop:value=move || draft.with(|d| d.district.clone())
                            on:input=move |ev| draft.update(|d| d.district = event_target_value(&ev))/>
                    </div>
                    {text_input!(household, "household", "contact-household", "text", "off", Some("ltr"))}
                    <div class="field">
                        <label for="notes">{move || i.t("contact-notes")}</label>
                        <p class="warning" id="notes-warning">{move || i.t("contact-notes-warning")}</p>
                        <textarea id="notes" rows="4" dir="auto" aria-describedby="notes-warning error-notes"
                            prop:value=move || draft.with(|d| d.notes.clone())
                            on:input=move |ev| draft.update(|d| d.notes = event_target_value(&ev))></textarea>
                        <FieldError id="notes" message=err(Field::Notes)/>
                    </div>
                </fieldset>
                <Show when=move || save_failed.get().is_some()>
                    <p id="save-failed" class="banner-error" role="alert">
                        {move || i.t_args("contact-save-failed", &[("error", save_failed.get().unwrap_or_default().into())])}
                    </p>
                </Show>
                <div class="actions">
                    <a class="button" href="#/contacts">{move || i.t("contact-cancel")}</a>
                    <button id="save-contact" type="submit" class="button primary" disabled=move || saving.get()>
                        {move || i.t("contact-save")}
                    </button>
                </div>
            </form>
        </section>
    }
    .into_any()
}

fn field_of(id: &str) -> Field {
    match id {
        "consent-date" => Field::ConsentDate,
        "name" => Field::Name,
        "phone" => Field::Phone,
        "household" => Field::Household,
        _ => Field::Notes,
    }
}
