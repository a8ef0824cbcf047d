//! Create or open an event, and tally who came.
//!
//! The tally keeps *taps since the form opened* (`EventDraft::added`) and
//! shows them on top of the stored counts: on save they are added to the
//! event's Automerge counters, so two mentors tallying the same evening on
//! two phones add up instead of overwriting each other. A tap only changes
//! the draft (instant; the draft is kept if the app closes), never saves.

use std::cell::Cell;

use leptos::prelude::*;
use lotse_model::forms::EventDraft;
use lotse_model::notebook::Notebook;
use lotse_model::{Event, EventKind, Field, TargetGroup};

use crate::components::field::FieldError;
use crate::components::form::{choices_of, community_choices, Choice, ChoiceField, DateField, NotesField, TextField};
use crate::components::record_form::{FormCtx, FormKind, Prefill};
use crate::hooks::notebook::{home_community, today};
use crate::i18n::use_i18n;
use crate::route::{Kind, Route};

thread_local! {
    /// Set when the mentor opens an event from Today (a quick action, an
    /// upcoming event); the form takes it as it opens.
    static FROM_TODAY: Cell<bool> = const { Cell::new(false) };
}

/// The next event form was opened from Today: saving goes back there.
pub fn opening_from_today() {
    FROM_TODAY.with(|f| f.set(true));
}

/// Marks a new or opened event's prefill with where it was opened from
/// (`from=today`), so saving goes back there.
pub fn with_origin(mut prefill: Prefill) -> Prefill {
    if FROM_TODAY.with(|f| f.replace(false)) {
        prefill.insert("from".to_owned(), "today".to_owned());
    }
    prefill
}

fn group_index(g: TargetGroup) -> usize {
    TargetGroup::ALL.iter().position(|x| *x == g).unwrap_or(0)
}

impl FormKind for Event {
    const TITLES: [&'static str; 2] = ["event-form-new", "event-form-edit"];
    const CLASS: &'static str = "event-form";
    const DRAFT_KEY: &'static str = "event-";
    const SAVE_ID: &'static str = "save-event";
    const READ_FIRST: bool = false;

    fn field_id(f: Field) -> &'static str {
        match f {
            Field::Kind => "event-kind",
            Field::Date => "event-date",
            Field::Time => "event-time",
            Field::Place => "event-place",
            Field::Title => "event-title",
            Field::School => "event-school",
            Field::Partner => "event-partner",
            Field::Company => "event-company",
            Field::Community => "event-community",
            Field::Tally => "tally-parent-plus",
            _ => "notes",
        }
    }

    /// A new event: today, the home community, and what the route prefills
    /// (`kind`, `date`, `company`, `partner`, `community`, `school`, `title`).
    fn new_draft(prefill: &Prefill, _: &Notebook) -> EventDraft {
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

    /// Today if the form was opened from there.
    fn back(f: FormCtx<Self>) -> Route {
        if f.prefill.with_value(|p| p.get("from").is_some_and(|v| v == "today")) {
            Route::Today
        } else {
            Route::List(Kind::Event)
        }
    }

    fn fields(f: FormCtx<Self>) -> AnyView {
        let i = use_i18n();
        let (d, form, nb, id) = (f.d(), f.form, f.nb, f.id);
        let existing = !f.is_new;
        // The stored counts follow the notebook: another phone's taps arrive
        // while this form is open and add to what it shows.
        let stored = Memo::new(move |_| {
            nb.with(|n| n.event(id).filter(|_| existing).map(|e| e.attendance.counts()).unwrap_or([0; 3]))
        });
        let shown = move |ix: usize| stored.with(|s| s[ix]) + d.with(|d| d.added[ix]);
        let total = move || (0..3).map(shown).sum::<i64>();
        let unsaved = move || d.with(|d| d.added != [0; 3]);

        let kinds = choices_of(EventKind::ALL, EventKind::code, "event-kind");
        let partners = Memo::new(move |_| {
            nb.with(|n| n.partners().iter().map(|p| Choice { value: p.id.to_string(), text: p.name.clone() }).collect())
        });
        let companies = Memo::new(move |_| {
            nb.with(|n| {
                n.companies().iter().map(|c| Choice { value: c.id.to_string(), text: c.name.clone() }).collect()
            })
        });
        let communities = Signal::derive(community_choices);

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

        view! {
            <fieldset class="group">
                <legend>{move || i.t("event-form-what")}</legend>
                <ChoiceField draft=d get=|d: &EventDraft| d.kind.clone() set=|d: &mut EventDraft, v| d.kind = v
                    id="event-kind" label={"event-form-kind"} form=form options=kinds field=Field::Kind/>
                <DateField draft=d get=|d: &EventDraft| d.date.clone() set=|d: &mut EventDraft, v| d.date = v
                    id="event-date" label={"event-form-date"} form=form field=Field::Date/>
                <TextField draft=d get=|d: &EventDraft| d.time.clone() set=|d: &mut EventDraft, v| d.time = v
                    id="event-time" label={"event-form-time"} form=form field=Field::Time kind="time" dir="ltr"/>
                <TextField draft=d get=|d: &EventDraft| d.place.clone() set=|d: &mut EventDraft, v| d.place = v
                    id="event-place" label={"event-form-place"} form=form field=Field::Place/>
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
                <Show when=move || d.with(|d| EventKind::from_code(&d.kind).is_some_and(EventKind::has_school))>
                    <TextField draft=d get=|d: &EventDraft| d.school.clone() set=|d: &mut EventDraft, v| d.school = v
                        id="event-school" label={"event-form-school"} form=form field=Field::School/>
                </Show>
                <TextField draft=d get=|d: &EventDraft| d.title.clone() set=|d: &mut EventDraft, v| d.title = v
                    id="event-title" label={"event-form-title"} hint="event-form-title-hint" form=form field=Field::Title/>
                <Show when=move || d.with(|d| EventKind::from_code(&d.kind).is_some_and(EventKind::has_company))>
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
        }
        .into_any()
    }
}
