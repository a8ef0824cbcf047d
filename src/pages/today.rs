//! Today, the home page: the greeting with the date, three quick actions at
//! thumb height, what is overdue and due today (follow-ups to tick off,
//! referrals to check on), and the events of the next two weeks.

use std::collections::BTreeSet;

use leptos::prelude::*;
use lotse_model::{Due, FollowUpId};

use crate::hooks::notebook::{me, save, today, use_notebook};
use crate::hooks::use_device;
use crate::i18n::{format_date, use_i18n};
use crate::pages::event_form::opening_from_today;
use crate::pages::events::{EventItem, EventRow};
use crate::route::to_top;
use crate::route::{Kind, Route};
use lotse_model::DocRef;

/// Rows a due list shows before "show more".
const PAGE: usize = 50;

/// What a due row is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum DueKind {
    FollowUp(FollowUpId),
    Referral,
}

/// One row of "Overdue" or "Due today" (owned: what the row shows).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct DueRow {
    kind: DueKind,
    href: String,
    /// The contact's name, if the reminder is about one.
    who: Option<String>,
    /// A follow-up's note, a referral's institution.
    what: String,
    date: String,
}

impl DueRow {
    fn of(due: &Due<'_>, n: &lotse_model::Notebook) -> DueRow {
        let who = due.contact().and_then(|c| n.contact(c)).map(|c| c.record.name.clone());
        match due {
            Due::FollowUp(f) => DueRow {
                kind: DueKind::FollowUp(f.record.id),
                href: Route::open(Kind::FollowUp, f.record.id).href(),
                who,
                what: f.record.note.clone(),
                date: due.date().to_owned(),
            },
            Due::Referral(r) => DueRow {
                kind: DueKind::Referral,
                href: Route::open(Kind::Referral, r.record.id).href(),
                who,
                what: n.institution(r.record.institution).map(|i| i.name.clone()).unwrap_or_default(),
                date: due.date().to_owned(),
            },
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
struct Lists {
    overdue: Vec<DueRow>,
    due_today: Vec<DueRow>,
    events: Vec<EventRow>,
}

#[component]
pub fn TodayPage() -> impl IntoView {
    let i = use_i18n();
    let nb = use_notebook();
    let me = me();
    let day = today();
    to_top();
    let name = use_device().map(|d| d.mentor_name).unwrap_or_default();
    // A coordinator follows up everyone's reminders; a mentor their own.
    let whose = if use_device().is_some_and(|d| d.coordinator) { None } else { Some(me) };

    let lists = {
        let day = day.clone();
        Memo::new(move |_| {
            nb.with(|n| {
                let t = n.today(&day, whose);
                Lists {
                    overdue: t.overdue.iter().map(|d| DueRow::of(d, n)).collect(),
                    due_today: t.due_today.iter().map(|d| DueRow::of(d, n)).collect(),
                    events: t.upcoming_events.iter().map(|e| EventRow::of(e)).collect(),
                }
            })
        })
    };

    // Ticking a follow-up off: saving, saved (with an undo), or failed.
    let busy = RwSignal::new(BTreeSet::<FollowUpId>::new());
    let last_done = RwSignal::new(None::<(FollowUpId, String)>);
    let failed = RwSignal::new(false);
    let set_done = move |id: FollowUpId, done: bool| {
        let Some(f) = nb.with_untracked(|n| n.follow_up(id).cloned()) else { return };
        let mut record = f.record;
        record.done = done;
        let label = record.note.clone();
        busy.update(|b| {
            b.insert(id);
        });
        failed.set(false);
        leptos::task::spawn_local(async move {
            let result = save(DocRef::Community(f.community), record).await;
            busy.update(|b| {
                b.remove(&id);
            });
            match result {
                Ok(()) => last_done.set(done.then_some((id, label))),
                Err(_) => failed.set(true),
            }
        });
    };

    let date_text = move || format_date(i.lang.get(), &day).unwrap_or_default();
    view! {
        <section class="page today">
            <div class="greeting">
                <h2 class="page-title" id="today-greeting">
                    {move || i.t("today-hello")}
                    {(!name.is_empty()).then(|| view! { " " <bdi translate="no">{name.clone()}</bdi> })}
                </h2>
                <p class="today-date" id="today-date">{date_text}</p>
            </div>
            <nav class="quick-actions" aria-labelledby="quick-title">
                <h3 class="visually-hidden" id="quick-title">{move || i.t("today-quick-title")}</h3>
                <a class="quick primary" id="quick-tally" on:click=move |_| opening_from_today()
                    href=Route::new_with(Kind::Event, "kind", "school-info").href()>
                    {move || i.t("today-quick-tally")}
                </a>
                <a class="quick" id="quick-consultation" href=Route::New(Kind::Consultation, Default::default()).href()>
                    {move || i.t("today-quick-consultation")}
                </a>
                <a class="quick" id="quick-referral" href=Route::New(Kind::Referral, Default::default()).href()>
                    {move || i.t("today-quick-referral")}
                </a>
            </nav>
            <Show when=move || failed.get()>
                <p class="banner-error" id="today-save-failed" role="alert">
                    {move || i.t("today-save-failed")}
                </p>
            </Show>
            <Show when=move || last_done.get().is_some()>
                <p class="banner-info done-status" id="done-status" role="status">
                    <span>
                        {move || i.t("today-marked-done")} " "
                        <bdi dir="auto">{move || last_done.get().map(|(_, l)| l).unwrap_or_default()}</bdi>
                    </span>
                    <button type="button" class="button" id="undo-done" on:click=move |_| {
                        if let Some((id, _)) = last_done.get_untracked() {
                            last_done.set(None);
                            set_done(id, false);
                        }
                    }>{move || i.t("today-undo")}</button>
                </p>
            </Show>
            <Show when=move || lists.with(|l| !l.overdue.is_empty())>
                <DueSection id="overdue" title={"today-overdue"}
                    rows=Signal::derive(move || lists.with(|l| l.overdue.clone())) busy=busy set_done=set_done/>
            </Show>
            <Show
                when=move || lists.with(|l| !l.due_today.is_empty())
                fallback=move || {
                    let all_clear = lists.with(|l| l.overdue.is_empty());
                    view! {
                        <h3 class="section-title">{move || i.t("today-due")}</h3>
                        <p class="empty" id="due-today-empty">
                            {move || i.t(if all_clear { "today-nothing-due" } else { "today-nothing-due-today" })}
                        </p>
                    }
                }
            >
                <DueSection id="due-today" title={"today-due"}
                    rows=Signal::derive(move || lists.with(|l| l.due_today.clone())) busy=busy set_done=set_done/>
            </Show>
            <h3 class="section-title">{move || i.t("today-upcoming")}</h3>
            <Show
                when=move || lists.with(|l| !l.events.is_empty())
                fallback=move || view! { <p class="empty" id="upcoming-empty">{move || i.t("today-no-events")}</p> }
            >
                // Opening an event from here: saving it comes back here.
                <ul class="event-list" id="upcoming-list" on:click=move |_| opening_from_today()>
                    <For each=move || lists.with(|l| l.events.clone()) key=|r| r.clone() let:row>
                        <EventItem row=row/>
                    </For>
                </ul>
            </Show>
        </section>
    }
}

/// A titled list of due rows (`#<id>-list`), 50 at a time.
#[component]
fn DueSection(
    id: &'static str,
    title: &'static str,
    rows: Signal<Vec<DueRow>>,
    busy: RwSignal<BTreeSet<FollowUpId>>,
    set_done: impl Fn(FollowUpId, bool) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i = use_i18n();
    let limit = RwSignal::new(PAGE);
    let shown = Memo::new(move |_| rows.with(|r| r.iter().take(limit.get()).cloned().collect::<Vec<_>>()));
    let more = move || rows.with(Vec::len).saturating_sub(limit.get());
    let has_more = move || more() != 0;
    view! {
        <h3 class="section-title" id=format!("{id}-title")>
            {move || i.t(title)}
            <span class="count">{move || rows.with(Vec::len)}</span>
        </h3>
        <ul class="due-list" id=format!("{id}-list") data-overdue=(id == "overdue").then_some("true")>
            <For each=move || shown.get() key=|r| r.clone() let:row>
                <DueItem row=row busy=busy set_done=set_done/>
            </For>
        </ul>
        <Show when=has_more>
            <button type="button" class="button more" id=format!("{id}-more") on:click=move |_| limit.update(|l| *l += PAGE)>
                {move || i.t_count("today-show-more", more().min(PAGE))}
            </button>
        </Show>
    }
}

#[component]
fn DueItem(
    row: DueRow,
    busy: RwSignal<BTreeSet<FollowUpId>>,
    set_done: impl Fn(FollowUpId, bool) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i = use_i18n();
    let (kind_code, kind_key) = match row.kind {
        DueKind::FollowUp(_) => ("follow-up", "today-kind-follow-up"),
        DueKind::Referral => ("referral", "today-kind-referral"),
    };
    let date = row.date.clone();
    view! {
        <li class="due-row" data-kind=kind_code>
            <a class="due-link" href=row.href.clone()>
                <span class="due-head">
                    <span class="due-kind">{move || i.t(kind_key)}</span>
                    {row.who.clone().map(|who| view! { <bdi class="due-who" translate="no">{who}</bdi> })}
                </span>
                {(!row.what.trim().is_empty()).then(|| view! {
                    <bdi class="due-what" dir="auto" translate="no">{row.what.clone()}</bdi>
                })}
                <span class="due-date">{move || format_date(i.lang.get(), &date).unwrap_or_else(|| date.clone())}</span>
            </a>
            {match row.kind {
                DueKind::FollowUp(fid) => Some(view! {
                    <button type="button" class="button due-done" id=format!("done-{fid}")
                        disabled=move || busy.with(|b| b.contains(&fid))
                        on:click=move |_| set_done(fid, true)>
                        {move || i.t("today-mark-done")}
                    </button>
                }),
                DueKind::Referral => None,
            }}
        </li>
    }
}
