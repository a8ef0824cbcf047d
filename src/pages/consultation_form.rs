//! A first consultation (Erstberatung), in under a minute: the contact is
//! searched and tapped, the topics are chips, the outcome a picker, the
//! date today. "Referred" goes straight on to the referral.

use leptos::prelude::*;
use lotse_model::forms::ConsultationDraft;
use lotse_model::notebook::Notebook;
use lotse_model::{Consultation, ContactId, DocRef, Field, HouseholdId, Outcome, Topic};

use crate::components::contact_picker::ContactPicker;
use crate::components::field::FieldError;
use crate::components::form::{choices_of, Choice, ChoiceField, DateField, FormState, NotesField};
use crate::components::record_form::{FormCtx, FormKind, Prefill};
use crate::hooks::notebook::{home_community, today};
use crate::i18n::use_i18n;
use crate::pages::consultations::date_words;
use crate::route::{leave, prefilled, replace_with, Kind, Route};

const CHIPS: &str = "chips-field";
const CHIPS_INVALID: &str = "chips-field invalid";

/// The topics as big toggle chips (checkboxes `#topic-<code>`).
#[component]
fn TopicChips(draft: RwSignal<ConsultationDraft>, form: FormState) -> impl IntoView {
    let i = use_i18n();
    view! {
        <fieldset class=move || if form.is_invalid(Field::Topics) { CHIPS_INVALID } else { CHIPS }
            id="consultation-topics" aria-describedby="error-consultation-topics"
            aria-invalid=move || form.is_invalid(Field::Topics).then_some("true")>
            <legend>{move || i.t("consultation-topics")}</legend>
            <div class="chips">
                {Topic::ALL.iter().map(|t| {
                    let code = t.code();
                    let id = format!("topic-{code}");
                    view! {
                        <span class="chip">
                            <input type="checkbox" class="chip-input" id=id.clone() value=code
                                prop:checked=move || draft.with(|d| d.topics.iter().any(|c| c == code))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    draft.update(|d| {
                                        d.topics.retain(|c| c != code);
                                        if on {
                                            d.topics.push(code.to_owned());
                                        }
                                    });
                                }/>
                            <label for=id>{move || i.t(&format!("topic-{code}"))}</label>
                        </span>
                    }
                }).collect_view()}
            </div>
            <FieldError id="consultation-topics" message=form.message(Field::Topics)/>
        </fieldset>
    }
}

impl FormKind for Consultation {
    const TITLES: [&'static str; 2] = ["consultation-new", "consultation-edit"];
    const CLASS: &'static str = "advice-form consultation-form";
    const DRAFT_KEY: &'static str = "consultation-";
    const SAVE_ID: &'static str = "save-consultation";

    fn field_id(f: Field) -> &'static str {
        match f {
            Field::Date => "consultation-date",
            Field::Subject | Field::Contact => "consultation-contact-search",
            Field::Topics => "topic-orientation",
            Field::Outcome => "consultation-outcome",
            _ => "consultation-notes",
        }
    }

    /// `?contact=<id>` or `?household=<id>`: who it is with.
    fn new_draft(prefill: &Prefill, _: &Notebook) -> ConsultationDraft {
        ConsultationDraft {
            date: today(),
            contact: prefilled::<ContactId>(prefill, "contact").map(|c| c.to_string()).unwrap_or_default(),
            household: prefilled::<HouseholdId>(prefill, "household").map(|h| h.to_string()).unwrap_or_default(),
            topics: vec![],
            outcome: Outcome::Informed.code().into(),
            notes: String::new(),
        }
    }

    fn new_key(prefill: &Prefill) -> String {
        format!("-{}", prefill.get("contact").map(String::as_str).unwrap_or_default())
    }

    fn cancel(f: FormCtx<Self>) -> Route {
        match f.prefilled::<ContactId>("contact") {
            Some(c) if f.is_new => Route::open(Kind::Contact, c),
            _ => Route::List(Kind::Consultation),
        }
    }

    /// "Referred" goes straight on to the referral (unless it has one).
    fn saved(rec: Self, f: FormCtx<Self>) {
        let referred = rec.outcome == Outcome::Referred
            && f.nb.with_untracked(|n| n.referrals().all(|r| r.record.consultation != Some(rec.id)));
        if referred {
            replace_with(&refer(&rec));
        } else {
            leave(Route::List(Kind::Consultation));
        }
    }

    fn head(f: FormCtx<Self>) -> Option<AnyView> {
        let i = use_i18n();
        let href = f.stored().map(|c| refer(&c).href())?;
        Some(view! { <a class="button" id="refer" href=href>{move || i.t("consultation-refer")}</a> }.into_any())
    }

    fn below(f: FormCtx<Self>) -> Option<AnyView> {
        let i = use_i18n();
        let (nb, record_id) = (f.nb, f.id);
        let referrals = Memo::new(move |_| {
            nb.with(|n| {
                let mut list: Vec<(String, String, String, String)> = n
                    .referrals()
                    .filter(|r| r.record.consultation == Some(record_id))
                    .map(|r| {
                        (
                            Route::open(Kind::Referral, r.record.id).href(),
                            n.institution(r.record.institution).map(|x| x.name.clone()).unwrap_or_default(),
                            i.t(&format!("referral-status-{}", r.record.status.code())),
                            r.record.date.clone(),
                        )
                    })
                    .collect();
                lotse_model::order::sort_by(&mut list, |a, b| b.3.cmp(&a.3));
                list
            })
        });
        Some(
            view! {
                <Show when=move || !referrals.with(Vec::is_empty)>
                    <h3 class="section-title">{move || i.t("consultation-referrals")}</h3>
                    <ul class="record-list linked-list">
                        {move || referrals.get().into_iter().map(|(href, institution, status, date)| view! {
                            <li class="linked-referral">
                                <a href=href>
                                    <span class="row-head">
                                        <bdi class="row-name" translate="no">{institution}</bdi>
                                        <span class="badge">{status}</span>
                                    </span>
                                    <span class="row-date">{move || date_words(i.lang.get(), &date)}</span>
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
        let (d, form, nb) = (f.d(), f.form, f.nb);
        let own = match f.at {
            Some(DocRef::Community(c)) => Some(c),
            _ => None,
        };
        // The community the consultation belongs to: its own, else its
        // contact's or household's, else home (see `RecordKind::home`).
        let contact_id = Memo::new(move |_| d.with(|d| d.contact.clone()));
        let household_id = Memo::new(move |_| d.with(|d| d.household.clone()));
        let community_of = move || {
            own.or_else(|| {
                let (c, h) = (contact_id.get().parse().ok(), household_id.get().parse().ok());
                nb.with(|n| n.community_of(c, h))
            })
            .unwrap_or_else(home_community)
        };
        let households = Memo::new(move |_| {
            let c = community_of();
            nb.with(|n| {
                let mut list: Vec<Choice> = n
                    .households()
                    .filter(|h| h.community == c)
                    .map(|h| Choice { value: h.record.id.to_string(), text: h.record.name.clone() })
                    .collect();
                lotse_model::order::sort_by_key(&mut list, |c| c.text.to_lowercase());
                list
            })
        });
        view! {
            <ContactPicker draft=d get=|d: &ConsultationDraft| d.contact.clone()
                set=|d, v| d.contact = v id="consultation-contact" label={"consultation-contact"}
                form=form field=Field::Subject/>
            <Show when=move || !households.with(Vec::is_empty) || !household_id.with(String::is_empty)>
                <ChoiceField draft=d get=|d: &ConsultationDraft| d.household.clone()
                    set=|d, v| d.household = v id="consultation-household" label={"consultation-household"}
                    form=form options=households empty="consultation-household-none"/>
            </Show>
            <TopicChips draft=d form=form/>
            <ChoiceField draft=d get=|d: &ConsultationDraft| d.outcome.clone()
                set=|d, v| d.outcome = v id="consultation-outcome" label={"consultation-outcome"}
                form=form field=Field::Outcome options=choices_of(Outcome::ALL, Outcome::code, "outcome")/>
            <DateField draft=d get=|d: &ConsultationDraft| d.date.clone() set=|d, v| d.date = v
                id="consultation-date" label={"consultation-date"} form=form field=Field::Date/>
            <NotesField draft=d get=|d: &ConsultationDraft| d.notes.clone() set=|d, v| d.notes = v
                form=form id="consultation-notes"/>
        }
        .into_any()
    }
}

/// The new referral that follows a consultation.
fn refer(c: &Consultation) -> Route {
    let mut q = Prefill::from([("consultation".to_owned(), c.id.to_string())]);
    if let Some(contact) = c.contact {
        q.insert("contact".to_owned(), contact.to_string());
    }
    Route::New(Kind::Referral, q)
}
