//! A referral (Vermittlung) to the institution responsible: who, where,
//! why, where it stands, and when to check on it (in two weeks unless the
//! mentor says otherwise).

use std::collections::BTreeMap;

use leptos::prelude::*;
use lotse_model::forms::ReferralDraft;
use lotse_model::{
    CommunityId, ConsentScope, ConsultationId, ContactId, Field, Record, Referral, ReferralId, ReferralStatus,
};

use crate::components::contact_picker::{ContactPicker, FormDraft};
use crate::components::field::FieldError;
use crate::components::form::{
    ChoiceField, DateField, DraftRestored, FormActions, FormProblems, FormState, NotFound, TextField,
};
use crate::components::history::History;
use crate::device::random;
use crate::hooks::notebook::{home_community, save, stamp, today, use_notebook, Place};
use crate::i18n::use_i18n;
use crate::pages::consultation_form::{leave, prefilled, to_top};
use crate::pages::consultations::topic_names;
use crate::pages::referrals::institution_choices;
use crate::route::{Kind, Route};

/// How many days after today a new referral's check is due.
pub const CHECK_AFTER_DAYS: u32 = 14;

/// `YYYY-MM-DD`, `days` after today in the device's time zone.
pub fn days_from_today(days: u32) -> String {
    let d = js_sys::Date::new_0();
    d.set_hours(12);
    d.set_date(d.get_date() + days);
    format!("{:04}-{:02}-{:02}", d.get_full_year(), d.get_month() + 1, d.get_date())
}

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

/// Create (`?contact=<id>&consultation=<id>` prefill) or open a referral.
#[component]
pub fn ReferralForm(id: Option<String>, prefill: BTreeMap<String, String>) -> impl IntoView {
    let i = use_i18n();
    let nb = use_notebook();
    let Ok(id) = id.map(|s| s.parse::<ReferralId>()).transpose() else {
        return view! { <NotFound/> }.into_any();
    };
    let existing = id.and_then(|id| nb.with_untracked(|n| n.referral(id).cloned()));
    if id.is_some() && existing.is_none() {
        return view! { <NotFound/> }.into_any();
    }
    to_top();
    let record_id = id.unwrap_or_else(|| ReferralId::from_random(random()));
    let community = existing.as_ref().map(|e| e.community);
    let history_place = community.map(Place::Community);

    let initial = match &existing {
        Some(e) => ReferralDraft::from_record(&e.record),
        None => {
            let consultation = prefilled::<ConsultationId>(&prefill, "consultation")
                .and_then(|c| nb.with_untracked(|n| n.consultation(c).map(|c| c.record.clone())));
            let contact = prefilled::<ContactId>(&prefill, "contact").or(consultation.as_ref().and_then(|c| c.contact));
            ReferralDraft {
                contact: contact.map(|c| c.to_string()).unwrap_or_default(),
                consultation: consultation.as_ref().map(|c| c.id.to_string()).unwrap_or_default(),
                institution: String::new(),
                // What the consultation was about is most likely why.
                reason: consultation.as_ref().map(|c| topic_names(i, c)).unwrap_or_default(),
                status: ReferralStatus::Open.code().into(),
                follow_up_on: days_from_today(CHECK_AFTER_DAYS),
                date: today(),
            }
        }
    };
    let key = match id {
        Some(id) => format!("referral-{id}"),
        None => format!("referral-new-{}", initial.consultation.clone() + &initial.contact),
    };
    let draft = FormDraft::new(key, initial);
    let form = FormState::new();

    let contact_id = Memo::new(move |_| draft.value.with(|d| d.contact.clone()));
    // Consent for advice only does not cover passing details on.
    let advice_only = Memo::new(move |_| {
        let c = contact_id.get().parse::<ContactId>().ok();
        nb.with(|n| c.and_then(|c| n.contact(c)).is_some_and(|c| c.record.consent.scope == ConsentScope::Advice))
    });
    let community_for = move |d: &ReferralDraft| -> CommunityId {
        community
            .or_else(|| nb.with_untracked(|n| d.contact.parse().ok().and_then(|c| n.contact(c)).map(|c| c.community)))
            .unwrap_or_else(home_community)
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let d = draft.value.get_untracked();
        let before = nb.with_untracked(|n| n.referral(record_id).map(|r| r.record.clone()));
        match d.validate(record_id, stamp(), before.as_ref()) {
            Err(es) => form.fail(es, field_id),
            Ok(rec) => {
                if !form.begin_save() {
                    return;
                }
                let place = Place::Community(community_for(&d));
                leptos::task::spawn_local(async move {
                    if form.end_save(save(place, rec).await) {
                        draft.clear();
                        leave(Route::List(Kind::Referral));
                    }
                });
            }
        }
    };
    let cancel_href = match prefilled::<ContactId>(&prefill, "contact") {
        Some(c) if id.is_none() => Route::open(Kind::Contact, c).href(),
        _ => Route::List(Kind::Referral).href(),
    };
    let consultation_href = Memo::new(move |_| {
        draft
            .value
            .with(|d| d.consultation.parse::<ConsultationId>().ok())
            .map(|c| Route::open(Kind::Consultation, c).href())
    });

    view! {
        <section class="page advice-form referral-form">
            <h2 class="page-title">
                {move || if id.is_some() { i.t("referral-edit") } else { i.t("referral-new") }}
            </h2>
            <DraftRestored restored=draft.restored/>
            {move || consultation_href.get().map(|href| view! {
                <p class="hint"><a id="referral-consultation" href=href>{move || i.t("referral-from-consultation")}</a></p>
            })}
            <form class="form" on:submit=submit novalidate>
                <FormProblems form=form/>
                <ContactPicker draft=draft.value get=|d: &ReferralDraft| d.contact.clone()
                    set=|d, v| d.contact = v id="referral-contact" label={"referral-contact"}
                    form=form field=Field::Contact/>
                <Show when=move || advice_only.get()>
                    <p class="warning" id="referral-consent-warning">{move || i.t("referral-consent-advice-only")}</p>
                </Show>
                <ChoiceField draft=draft.value get=|d: &ReferralDraft| d.institution.clone()
                    set=|d, v| d.institution = v id="referral-institution" label={"referral-institution"}
                    form=form field=Field::Institution options=institution_choices()
                    empty="referral-institution-choose"/>
                <TextField draft=draft.value get=|d: &ReferralDraft| d.reason.clone() set=|d, v| d.reason = v
                    id="referral-reason" label={"referral-reason"} form=form field=Field::Reason/>
                <StatusSegments draft=draft.value form=form/>
                <DateField draft=draft.value get=|d: &ReferralDraft| d.date.clone() set=|d, v| d.date = v
                    id="referral-date" label={"referral-date"} form=form field=Field::Date/>
                <DateField draft=draft.value get=|d: &ReferralDraft| d.follow_up_on.clone()
                    set=|d, v| d.follow_up_on = v id="referral-follow-up" label={"referral-follow-up"}
                    form=form field=Field::FollowUpDate/>
                <FormActions form=form cancel_href=cancel_href save_id="save-referral"
                    on_cancel=Callback::new(move |_| draft.clear())/>
            </form>
            {id.zip(history_place).map(|(id, place)| view! { <History collection=Referral::COLLECTION key=id.to_string() place=place/> })}
        </section>
    }
    .into_any()
}
