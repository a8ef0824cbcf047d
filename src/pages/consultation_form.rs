//! A first consultation (Erstberatung), in under a minute: the contact is
//! searched and tapped, the topics are chips, the outcome a picker, the
//! date today. "Referred" goes straight on to the referral.

use std::collections::BTreeMap;

use leptos::prelude::*;
use lotse_model::forms::ConsultationDraft;
use lotse_model::{Consultation, ConsultationId, ContactId, Field, HouseholdId, Outcome, Record, Topic};

use crate::components::contact_picker::{ContactPicker, FormDraft};
use crate::components::field::FieldError;
use crate::components::form::{
    choices_of, Choice, ChoiceField, DateField, DraftRestored, FormActions, FormProblems, FormState, NotFound,
    NotesField,
};
use crate::components::history::History;
use crate::device::random;
use crate::hooks::notebook::{home_community, save, stamp, today, use_notebook, Place};
use crate::i18n::use_i18n;
use crate::pages::consultations::date_words;
use crate::route::{self, Kind, Route};

/// After a save: back to where the mentor came from, or to `fallback` when
/// the form was the first page this tab showed.
pub fn leave(fallback: Route) {
    let steps = web_sys::window().and_then(|w| w.history().ok()).and_then(|h| h.length().ok()).unwrap_or(0);
    if steps > 1 {
        route::back();
    } else {
        route::go(&fallback);
    }
}

/// A form opens at its top, wherever the page it came from was scrolled.
pub fn to_top() {
    if let Some(w) = web_sys::window() {
        w.scroll_to_with_x_and_y(0.0, 0.0);
    }
}

/// Goes to `to` in place of the current page, so "back" from there skips
/// the form just saved.
pub fn replace_with(to: &Route) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().replace(&to.href());
    }
}

/// The page of a record's id in a prefill query, if it is one.
pub fn prefilled<T: std::str::FromStr>(prefill: &BTreeMap<String, String>, key: &str) -> Option<T> {
    prefill.get(key).and_then(|v| v.parse().ok())
}

fn field_id(f: Field) -> &'static str {
    match f {
        Field::Date => "consultation-date",
        Field::Subject | Field::Contact => "consultation-contact-search",
        Field::Topics => "topic-orientation",
        Field::Outcome => "consultation-outcome",
        _ => "consultation-notes",
    }
}

fn new_draft(prefill: &BTreeMap<String, String>) -> ConsultationDraft {
    ConsultationDraft {
        date: today(),
        contact: prefilled::<ContactId>(prefill, "contact").map(|c| c.to_string()).unwrap_or_default(),
        household: prefilled::<HouseholdId>(prefill, "household").map(|h| h.to_string()).unwrap_or_default(),
        topics: vec![],
        outcome: Outcome::Informed.code().into(),
        notes: String::new(),
    }
}

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

/// Create (`id` = None; `?contact=<id>` or `?household=<id>` prefill) or
/// open a consultation.
#[component]
pub fn ConsultationForm(id: Option<String>, prefill: BTreeMap<String, String>) -> impl IntoView {
    let i = use_i18n();
    let nb = use_notebook();
    let Ok(id) = id.map(|s| s.parse::<ConsultationId>()).transpose() else {
        return view! { <NotFound/> }.into_any();
    };
    let existing = id.and_then(|id| nb.with_untracked(|n| n.consultation(id).cloned()));
    if id.is_some() && existing.is_none() {
        return view! { <NotFound/> }.into_any();
    }
    to_top();
    let record_id = id.unwrap_or_else(|| ConsultationId::from_random(random()));
    let community = existing.as_ref().map(|e| e.community);
    let history_place = community.map(Place::Community);
    let key = match id {
        Some(id) => format!("consultation-{id}"),
        None => format!("consultation-new-{}", prefill.get("contact").map(String::as_str).unwrap_or_default()),
    };
    let initial = existing.as_ref().map_or_else(|| new_draft(&prefill), |e| ConsultationDraft::from_record(&e.record));
    let draft = FormDraft::new(key, initial);
    let form = FormState::new();

    // The community the consultation belongs to: its own, else its contact's
    // or household's, else home.
    let contact_id = Memo::new(move |_| draft.value.with(|d| d.contact.clone()));
    let household_id = Memo::new(move |_| draft.value.with(|d| d.household.clone()));
    let community_of =
        move || {
            community
                .or_else(|| {
                    nb.with(|n| {
                        contact_id.get().parse().ok().and_then(|c| n.contact(c)).map(|c| c.community).or_else(|| {
                            household_id.get().parse().ok().and_then(|h| n.household(h)).map(|h| h.community)
                        })
                    })
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
            list.sort_by_key(|c| c.text.to_lowercase());
            list
        })
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let d = draft.value.get_untracked();
        let before = nb.with_untracked(|n| n.consultation(record_id).map(|c| c.record.clone()));
        match d.validate(record_id, stamp(), before.as_ref()) {
            Err(es) => form.fail(es, field_id),
            Ok(rec) => {
                if !form.begin_save() {
                    return;
                }
                let place = Place::Community(community_of_untracked(nb, community, &rec));
                let contact = rec.contact;
                let referred = rec.outcome == Outcome::Referred
                    && nb.with_untracked(|n| n.referrals().all(|r| r.record.consultation != Some(record_id)));
                leptos::task::spawn_local(async move {
                    if form.end_save(save(place, rec).await) {
                        draft.clear();
                        if referred {
                            let mut q = BTreeMap::from([("consultation".to_owned(), record_id.to_string())]);
                            if let Some(c) = contact {
                                q.insert("contact".to_owned(), c.to_string());
                            }
                            replace_with(&Route::New(Kind::Referral, q));
                        } else {
                            leave(Route::List(Kind::Consultation));
                        }
                    }
                });
            }
        }
    };
    let cancel_href = match prefilled::<ContactId>(&prefill, "contact") {
        Some(c) if id.is_none() => Route::open(Kind::Contact, c).href(),
        _ => Route::List(Kind::Consultation).href(),
    };
    let refer_href = existing.as_ref().map(|e| {
        let mut q = BTreeMap::from([("consultation".to_owned(), record_id.to_string())]);
        if let Some(c) = e.record.contact {
            q.insert("contact".to_owned(), c.to_string());
        }
        Route::New(Kind::Referral, q).href()
    });
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
            list.sort_by(|a, b| b.3.cmp(&a.3));
            list
        })
    });

    view! {
        <section class="page advice-form consultation-form">
            <div class="page-head">
                <h2 class="page-title">
                    {move || if id.is_some() { i.t("consultation-edit") } else { i.t("consultation-new") }}
                </h2>
                {refer_href.map(|href| view! {
                    <a class="button" id="refer" href=href>{move || i.t("consultation-refer")}</a>
                })}
            </div>
            <DraftRestored restored=draft.restored/>
            <form class="form" on:submit=submit novalidate>
                <FormProblems form=form/>
                <ContactPicker draft=draft.value get=|d: &ConsultationDraft| d.contact.clone()
                    set=|d, v| d.contact = v id="consultation-contact" label={"consultation-contact"}
                    form=form field=Field::Subject/>
                <Show when=move || !households.with(Vec::is_empty) || !household_id.with(String::is_empty)>
                    <ChoiceField draft=draft.value get=|d: &ConsultationDraft| d.household.clone()
                        set=|d, v| d.household = v id="consultation-household" label={"consultation-household"}
                        form=form options=households empty="consultation-household-none"/>
                </Show>
                <TopicChips draft=draft.value form=form/>
                <ChoiceField draft=draft.value get=|d: &ConsultationDraft| d.outcome.clone()
                    set=|d, v| d.outcome = v id="consultation-outcome" label={"consultation-outcome"}
                    form=form field=Field::Outcome options=choices_of(Outcome::ALL, Outcome::code, "outcome")/>
                <DateField draft=draft.value get=|d: &ConsultationDraft| d.date.clone() set=|d, v| d.date = v
                    id="consultation-date" label={"consultation-date"} form=form field=Field::Date/>
                <NotesField draft=draft.value get=|d: &ConsultationDraft| d.notes.clone() set=|d, v| d.notes = v
                    form=form id="consultation-notes"/>
                <FormActions form=form cancel_href=cancel_href save_id="save-consultation"
                    on_cancel=Callback::new(move |_| draft.clear())/>
            </form>
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
            {id.zip(history_place).map(|(id, place)| view! { <History collection=Consultation::COLLECTION key=id.to_string() place=place/> })}
        </section>
    }
    .into_any()
}

/// Where a consultation being saved goes (outside the reactive graph).
fn community_of_untracked(
    nb: crate::hooks::notebook::Nb,
    own: Option<lotse_model::CommunityId>,
    rec: &Consultation,
) -> lotse_model::CommunityId {
    own.or_else(|| {
        nb.with_untracked(|n| {
            rec.contact
                .and_then(|c| n.contact(c))
                .map(|c| c.community)
                .or_else(|| rec.household.and_then(|h| n.household(h)).map(|h| h.community))
        })
    })
    .unwrap_or_else(home_community)
}
