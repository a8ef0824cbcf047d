//! Create or open an event, and tally who came.
//!
//! The tally keeps *taps since the form opened* (`EventDraft::added`) and
//! shows them on top of the stored counts: on save they are added to the
//! event's Automerge counters, so two mentors tallying the same evening on
//! two phones add up instead of overwriting each other. A tap only changes
//! the draft (instant; the draft is kept if the app closes), never saves.

use std::cell::Cell;
use std::collections::BTreeMap;

use leptos::prelude::*;
use lotse_model::forms::EventDraft;
use lotse_model::{EventId, EventKind, Field, Record, TargetGroup};

use crate::components::field::FieldError;
use crate::components::form::{
    choices_of, Choice, ChoiceField, DateField, Draft, DraftRestored, FormActions, FormProblems, FormState, NotFound,
    NotesField, TextField,
};
use crate::components::history::History;
use crate::device::random;
use crate::hooks::notebook::{home_community, my_communities, save, stamp, today, use_notebook, Place};
use crate::i18n::use_i18n;
use crate::pages::events::to_top;
use crate::route::{self, Kind, Route};

thread_local! {
    /// Set when the mentor opens an event from Today (a quick action, an
    /// upcoming event); the form takes it as it opens.
    static FROM_TODAY: Cell<bool> = const { Cell::new(false) };
}

/// The next event form was opened from Today: saving goes back there.
pub fn opening_from_today() {
    FROM_TODAY.with(|f| f.set(true));
}

/// The id of a field in the page (and of its message: `error-<id>`).
pub fn field_id(f: Field) -> &'static str {
    match f {
        Field::Kind => "event-kind",
        Field::Date => "event-date",
        Field::Title => "event-title",
        Field::School => "event-school",
        Field::Partner => "event-partner",
        Field::Company => "event-company",
        Field::Community => "event-community",
        Field::Tally => "tally-parent-plus",
        _ => "notes",
    }
}

fn shows_school(kind: &str) -> bool {
    kind == EventKind::SchoolInfoSession.code()
}

fn shows_company(kind: &str) -> bool {
    kind == EventKind::OpenDay.code() || kind == EventKind::CompanyVisit.code()
}

/// A new event: today, the home community, and what the route prefills
/// (`kind`, `date`, `company`, `partner`, `community`, `school`, `title`).
fn new_draft(prefill: &BTreeMap<String, String>) -> EventDraft {
    let get = |k: &str| prefill.get(k).filter(|v| !v.is_empty()).cloned();
    EventDraft {
        kind: get("kind")
            .filter(|k| EventKind::from_code(k).is_some())
            .unwrap_or_else(|| EventKind::SchoolInfoSession.code().to_owned()),
        date: get("date").unwrap_or_else(today),
        community: get("community").unwrap_or_else(|| home_community().to_string()),
        partner: get("partner").unwrap_or_default(),
        company: get("company").unwrap_or_default(),
        school: get("school").unwrap_or_default(),
        title: get("title").unwrap_or_default(),
        ..EventDraft::default()
    }
}

fn group_index(g: TargetGroup) -> usize {
    TargetGroup::ALL.iter().position(|x| *x == g).unwrap_or(0)
}

/// Create (`id` = None) or open an event. A bad or unknown id shows "not found".
#[component]
pub fn EventForm(id: Option<String>, prefill: BTreeMap<String, String>) -> impl IntoView {
    let i = use_i18n();
    let nb = use_notebook();
    let from_today = FROM_TODAY.with(|f| f.replace(false)) || prefill.get("from").is_some_and(|f| f == "today");
    let back = if from_today { Route::Today } else { Route::List(Kind::Event) };

    let Ok(existing_id) = id.map(|s| s.parse::<EventId>()).transpose() else {
        return view! { <NotFound/> }.into_any();
    };
    let initial = match existing_id {
        Some(eid) => match nb.with_untracked(|n| n.event(eid).map(EventDraft::from_record)) {
            Some(d) => d,
            None => return view! { <NotFound/> }.into_any(),
        },
        None => new_draft(&prefill),
    };
    let event_id = existing_id.unwrap_or_else(|| EventId::from_random(random()));
    let form_key = match existing_id {
        Some(eid) => format!("event-{eid}"),
        None => "event-new".to_owned(),
    };
    to_top();
    let draft = Draft::new(form_key, initial);
    let d = draft.value;
    let form = FormState::new();

    // The stored counts follow the notebook: another phone's taps arrive
    // while this form is open and add to what it shows.
    let stored = Memo::new(move |_| {
        nb.with(|n| existing_id.and_then(|e| n.event(e)).map(|e| e.attendance.counts()).unwrap_or([0; 3]))
    });
    let shown = move |ix: usize| stored.with(|s| s[ix]) + d.with(|d| d.added[ix]);
    let total = move || (0..3).map(shown).sum::<i64>();
    let unsaved = move || d.with(|d| d.added != [0; 3]);

    let kinds = choices_of(EventKind::ALL, EventKind::code, "event-kind");
    let partners = Memo::new(move |_| {
        nb.with(|n| n.partners().iter().map(|p| Choice { value: p.id.to_string(), text: p.name.clone() }).collect())
    });
    let companies = Memo::new(move |_| {
        nb.with(|n| n.companies().iter().map(|c| Choice { value: c.id.to_string(), text: c.name.clone() }).collect())
    });
    let communities = Memo::new(move |_| {
        let mut list: Vec<Choice> = nb.with(|n| {
            n.communities().iter().map(|c| Choice { value: c.id.to_string(), text: c.name.clone() }).collect()
        });
        for (id, name) in my_communities() {
            if !list.iter().any(|c| c.value == id.to_string()) {
                list.push(Choice { value: id.to_string(), text: name });
            }
        }
        list
    });

    let back_to = back.clone();
    let kept = draft.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut typed = d.get_untracked();
        // Fields the kind does not show are not saved.
        if !shows_school(&typed.kind) {
            typed.school.clear();
        }
        if !shows_company(&typed.kind) {
            typed.company.clear();
        }
        let existing = nb.with_untracked(|n| n.event(event_id).cloned());
        match typed.validate(event_id, stamp(), existing.as_ref()) {
            Err(errors) => form.fail(errors, field_id),
            Ok(event) => {
                if !form.begin_save() {
                    return;
                }
                let back = back_to.clone();
                let kept = kept.clone();
                leptos::task::spawn_local(async move {
                    if form.end_save(save(Place::Network, event).await) {
                        kept.clear();
                        route::go(&back);
                    }
                });
            }
        }
    };

    let tally_rows = TargetGroup::ALL
        .iter()
        .map(|g| {
            let code = g.code();
            let ix = group_index(*g);
            let label_id = format!("tally-{code}-label");
            view! {
                <div class="tally-row" data-group=code>
                    <span class="tally-label" id=label_id.clone()>{move || i.t(&format!("event-form-tally-{code}"))}</span>
                    <button type="button" class="tally-button minus" id=format!("tally-{code}-minus")
                        aria-label=move || format!("{}: {}", i.t(&format!("event-form-tally-{code}")), i.t("event-form-tally-minus"))
                        disabled=move || shown(ix) <= 0
                        on:click=move |_| d.update(|d| d.added[ix] -= 1)>
                        <span aria-hidden="true">"−"</span>
                    </button>
                    <output class="tally-count" id=format!("tally-{code}-count") aria-labelledby=label_id aria-live="polite">
                        {move || shown(ix)}
                    </output>
                    <button type="button" class="tally-button plus" id=format!("tally-{code}-plus")
                        aria-label=move || format!("{}: {}", i.t(&format!("event-form-tally-{code}")), i.t("event-form-tally-plus"))
                        on:click=move |_| d.update(|d| d.added[ix] += 1)>
                        <span aria-hidden="true">"+"</span>
                    </button>
                </div>
            }
        })
        .collect_view();

    let restored = draft.restored;
    let cancel = Callback::new(move |_| draft.clear());
    view! {
        <section class="page event-form">
            <h2 class="page-title">
                {move || if existing_id.is_some() { i.t("event-form-edit") } else { i.t("event-form-new") }}
            </h2>
            <DraftRestored restored=restored/>
            <form class="form" on:submit=submit novalidate>
                <FormProblems form=form/>
                <fieldset class="group">
                    <legend>{move || i.t("event-form-what")}</legend>
                    <ChoiceField draft=d get=|d: &EventDraft| d.kind.clone() set=|d: &mut EventDraft, v| d.kind = v
                        id="event-kind" label={"event-form-kind"} form=form options=kinds field=Field::Kind/>
                    <DateField draft=d get=|d: &EventDraft| d.date.clone() set=|d: &mut EventDraft, v| d.date = v
                        id="event-date" label={"event-form-date"} form=form field=Field::Date/>
                </fieldset>
                <fieldset class="group tally" id="tally" aria-describedby="tally-hint error-tally"
                    aria-invalid=move || form.is_invalid(Field::Tally).then_some("true")>
                    <legend>{move || i.t("event-form-tally")}</legend>
                    <p class="hint" id="tally-hint">{move || i.t("event-form-tally-hint")}</p>
                    {tally_rows}
                    <p class="tally-total" id="tally-total">{move || i.t_count("event-form-tally-total", total().max(0) as usize)}</p>
                    <Show when=unsaved>
                        <p class="tally-unsaved" id="tally-unsaved" role="status">
                            {move || i.t("event-form-tally-unsaved")}
                        </p>
                    </Show>
                    <FieldError id="tally" message=form.message(Field::Tally)/>
                </fieldset>
                <fieldset class="group">
                    <legend>{move || i.t("event-form-details")}</legend>
                    <Show when=move || d.with(|d| shows_school(&d.kind))>
                        <TextField draft=d get=|d: &EventDraft| d.school.clone() set=|d: &mut EventDraft, v| d.school = v
                            id="event-school" label={"event-form-school"} form=form field=Field::School/>
                    </Show>
                    <TextField draft=d get=|d: &EventDraft| d.title.clone() set=|d: &mut EventDraft, v| d.title = v
                        id="event-title" label={"event-form-title"} hint="event-form-title-hint" form=form field=Field::Title/>
                    <Show when=move || d.with(|d| shows_company(&d.kind))>
                        <ChoiceField draft=d get=|d: &EventDraft| d.company.clone() set=|d: &mut EventDraft, v| d.company = v
                            id="event-company" label={"event-form-company"} form=form options=companies
                            field=Field::Company empty="event-form-no-company"/>
                    </Show>
                    <ChoiceField draft=d get=|d: &EventDraft| d.partner.clone() set=|d: &mut EventDraft, v| d.partner = v
                        id="event-partner" label={"event-form-partner"} form=form options=partners
                        field=Field::Partner empty="event-form-no-partner"/>
                    <ChoiceField draft=d get=|d: &EventDraft| d.community.clone() set=|d: &mut EventDraft, v| d.community = v
                        id="event-community" label={"event-form-community"} form=form options=communities
                        field=Field::Community empty="event-form-no-community"/>
                    <NotesField draft=d get=|d: &EventDraft| d.notes.clone() set=|d: &mut EventDraft, v| d.notes = v form=form/>
                </fieldset>
                <FormActions form=form cancel_href=back.href() save_id="save-event" on_cancel=cancel/>
            </form>
            {existing_id.map(|eid| view! {
                <History collection=lotse_model::Event::COLLECTION key=eid.to_string() place=Place::Network/>
            })}
        </section>
    }
    .into_any()
}
