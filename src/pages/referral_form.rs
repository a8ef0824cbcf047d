//! A referral (Vermittlung) to the institution responsible: who, where,
//! why, where it stands, and when to check on it (in two weeks unless the
//! mentor says otherwise).

use leptos::prelude::*;
use lotse_model::forms::ReferralDraft;
use lotse_model::notebook::Notebook;
use lotse_model::{ConsentScope, ConsultationId, ContactId, Field, Referral, ReferralStatus};

use crate::components::contact_picker::ContactPicker;
use crate::components::field::FieldError;
use crate::components::form::{ChoiceField, DateField, FormState, LongTextField};
use crate::components::record_form::{FormCtx, FormKind, Prefill};
use crate::hooks::notebook::today;
use crate::i18n::use_i18n;
use crate::pages::consultations::topic_names;
use crate::pages::referrals::institution_choices;
use crate::route::{prefilled, Kind, Route};

/// How many days after today a new referral's check is due.
pub const CHECK_AFTER_DAYS: u32 = 14;

/// `YYYY-MM-DD`, `days` after today in the device's time zone.
pub fn days_from_today(days: u32) -> String {
    let d = js_sys::Date::new_0();
    d.set_hours(12);
    d.set_date(d.get_date() + days);
    format!("{:04}-{:02}-{:02}", d.get_full_year(), d.get_month() + 1, d.get_date())
}

/// Where it stands, as one row of segments: open → contacted → done / no
/// show (radios `#referral-status-<code>`).
#[component]
fn StatusSegments(draft: RwSignal<ReferralDraft>, form: FormState) -> impl IntoView {
    let i = use_i18n();
    view! {
        <fieldset class="segmented" id="referral-status" aria-describedby="error-referral-status">
            <legend>{move || i.t("referral-field-status")}</legend>
            <div class="segments">
                {ReferralStatus::ALL.iter().map(|s| {
                    let code = s.code();
                    let id = format!("referral-status-{code}");
                    view! {
                        <span class="segment">
                            <input type="radio" class="segment-input" name="referral-status" id=id.clone() value=code
                                prop:checked=move || draft.with(|d| d.status == code)
                                on:change=move |_| draft.update(|d| d.status = code.to_owned())/>
                            <label for=id>{move || i.t(&format!("referral-status-{code}"))}</label>
                        </span>
                    }
                }).collect_view()}
            </div>
            <FieldError id="referral-status" message=form.message(Field::Status)/>
        </fieldset>
    }
}

impl FormKind for Referral {
    const TITLES: [&'static str; 2] = ["referral-new", "referral-edit"];
    const CLASS: &'static str = "advice-form referral-form";
    const DRAFT_KEY: &'static str = "referral-";
    const SAVE_ID: &'static str = "save-referral";

    fn field_id(f: Field) -> &'static str {
        match f {
            Field::Contact | Field::Subject => "referral-contact-search",
            Field::Institution => "referral-institution",
            Field::Reason => "referral-reason",
            Field::Status => "referral-status-open",
            Field::FollowUpDate => "referral-follow-up",
            _ => "referral-date",
        }
    }

    /// `?consultation=<id>` and `?contact=<id>`: what it follows from.
    fn new_draft(prefill: &Prefill, nb: &Notebook) -> ReferralDraft {
        let consultation = prefilled::<ConsultationId>(prefill, "consultation")
            .and_then(|c| nb.consultation(c).map(|c| c.record.clone()));
        let contact = prefilled::<ContactId>(prefill, "contact").or(consultation.as_ref().and_then(|c| c.contact));
        ReferralDraft {
            contact: contact.map(|c| c.to_string()).unwrap_or_default(),
            consultation: consultation.as_ref().map(|c| c.id.to_string()).unwrap_or_default(),
            institution: String::new(),
            // What the consultation was about is most likely why.
            reason: consultation.as_ref().map(|c| topic_names(use_i18n(), c)).unwrap_or_default(),
            status: ReferralStatus::Open.code().into(),
            follow_up_on: days_from_today(CHECK_AFTER_DAYS),
            date: today(),
        }
    }

    fn new_key(prefill: &Prefill) -> String {
        let get = |k: &str| prefill.get(k).map(String::as_str).unwrap_or_default();
        format!("-{}{}", get("consultation"), get("contact"))
    }

    fn cancel(f: FormCtx<Self>) -> Route {
        match f.prefilled::<ContactId>("contact") {
            Some(c) if f.is_new => Route::open(Kind::Contact, c),
            _ => Route::List(Kind::Referral),
        }
    }

    /// The consultation it follows from.
    fn above(f: FormCtx<Self>) -> Option<AnyView> {
        let i = use_i18n();
        let d = f.d();
        let href = Memo::new(move |_| {
            d.with(|d| d.consultation.parse::<ConsultationId>().ok()).map(|c| Route::open(Kind::Consultation, c).href())
        });
        Some(
            view! {
                {move || href.get().map(|href| view! {
                    <p class="hint"><a id="referral-consultation" href=href>{move || i.t("referral-from-consultation")}</a></p>
                })}
            }
            .into_any(),
        )
    }

    fn fields(f: FormCtx<Self>) -> AnyView {
        let i = use_i18n();
        let (d, form, nb) = (f.d(), f.form, f.nb);
        let contact_id = Memo::new(move |_| d.with(|d| d.contact.clone()));
        // Consent for advice only does not cover passing details on.
        let advice_only = Memo::new(move |_| {
            let c = contact_id.get().parse::<ContactId>().ok();
            nb.with(|n| c.and_then(|c| n.contact(c)).is_some_and(|c| c.record.consent.scope == ConsentScope::Advice))
        });
        view! {
            <ContactPicker draft=d get=|d: &ReferralDraft| d.contact.clone()
                set=|d, v| d.contact = v id="referral-contact" label={"referral-contact"}
                form=form field=Field::Contact/>
            <Show when=move || advice_only.get()>
                <p class="warning" id="referral-consent-warning">{move || i.t("referral-consent-advice-only")}</p>
            </Show>
            <ChoiceField draft=d get=|d: &ReferralDraft| d.institution.clone()
                set=|d, v| d.institution = v id="referral-institution" label={"referral-institution"}
                form=form field=Field::Institution options=institution_choices()
                empty="referral-institution-choose"/>
            <LongTextField draft=d get=|d: &ReferralDraft| d.reason.clone() set=|d, v| d.reason = v
                id="referral-reason" label={"referral-reason"} form=form field=Field::Reason/>
            <StatusSegments draft=d form=form/>
            <DateField draft=d get=|d: &ReferralDraft| d.date.clone() set=|d, v| d.date = v
                id="referral-date" label={"referral-date"} form=form field=Field::Date/>
            <DateField draft=d get=|d: &ReferralDraft| d.follow_up_on.clone()
                set=|d, v| d.follow_up_on = v id="referral-follow-up" label={"referral-follow-up"}
                form=form field=Field::FollowUpDate/>
        }
        .into_any()
    }
}
