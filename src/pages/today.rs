//! Today, the home page: the greeting with the date, three quick actions at
//! thumb height, the next event, what is overdue (the most recently due
//! first) and due today, each group folding away, each item with its person
//! and its one-tap actions (done, a week later, or open it), and the events
//! of the next two weeks. A coordinator switches between their own
//! reminders and everyone's.

use std::collections::BTreeSet;

use leptos::prelude::*;
use lotse_model::notebook::add_days;
use lotse_model::{Due, FollowUp, FollowUpId, InCommunity, Referral, ReferralId, ReferralStatus};

use crate::engine::protocol::SaveError;
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

/// Rows a due list draws per frame while it fills up to [`PAGE`]: the first
/// screen is up before all are drawn (a hundred rows were half of Today's
/// first drawing, at 4x CPU), and a tap meanwhile waits one short frame.
const PER_FRAME: usize = 12;

/// How far "later" puts a reminder off.
const SNOOZE_DAYS: i64 = 7;

/// What a due row is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum DueKind {
    FollowUp(FollowUpId),
    Referral(ReferralId),
}

/// What a tap on a due row does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Act {
    Done,
    Later,
}

/// A reminder as it was before a tap, to undo it.
#[derive(Debug, Clone)]
enum Before {
    FollowUp(InCommunity<FollowUp>),
    Referral(InCommunity<Referral>),
}

impl Before {
    fn of(n: &lotse_model::Notebook, kind: DueKind) -> Option<Before> {
        match kind {
            DueKind::FollowUp(id) => n.follow_up(id).cloned().map(Before::FollowUp),
            DueKind::Referral(id) => n.referral(id).cloned().map(Before::Referral),
        }
    }

    /// Saves the record as it was (undo), or with `act` done on `today`.
    async fn save(self, act: Option<Act>, today: &str) -> Result<(), SaveError> {
        let later = add_days(today, SNOOZE_DAYS).unwrap_or_else(|| today.to_owned());
        let result = match self {
            Before::FollowUp(f) => {
                let mut r = f.record;
                match act {
                    Some(Act::Done) => r.done = true,
                    Some(Act::Later) => r.due_on = later,
                    None => {}
                }
                save(DocRef::Community(f.community), r).await
            }
            Before::Referral(x) => {
                let mut r = x.record;
                match act {
                    Some(Act::Done) => r.status = ReferralStatus::Done,
                    Some(Act::Later) => r.follow_up_on = Some(later),
                    None => {}
                }
                save(DocRef::Community(x.community), r).await
            }
        };
        result
    }

    fn label(&self) -> String {
        match self {
            Before::FollowUp(f) => f.record.note.clone(),
            Before::Referral(r) => r.record.reason.clone(),
        }
    }
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
        let who = due.contact().and_then(|c| n.contact(n.kept_contact(c))).map(|c| c.record.name.clone());
        match due {
            Due::FollowUp(f) => DueRow {
                kind: DueKind::FollowUp(f.record.id),
                href: Route::open(Kind::FollowUp, f.record.id).href(),
                who,
                what: f.record.note.clone(),
                date: due.date().to_owned(),
            },
            Due::Referral(r) => DueRow {
                kind: DueKind::Referral(r.record.id),
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
    // A mentor follows up their own reminders; a coordinator can switch to
    // everyone's (and starts there).
    let coordinator = use_device().is_some_and(|d| d.coordinator);
    let everyone = RwSignal::new(coordinator);

    let lists = {
        let day = day.clone();
        Memo::new(move |_| {
            let whose = if everyone.get() { None } else { Some(me) };
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

    // A tap on a reminder: saving, saved (with an undo), or failed.
    let busy = RwSignal::new(BTreeSet::<DueKind>::new());
    let last = RwSignal::new(None::<(Before, Act)>);
    let failed = RwSignal::new(false);
    let act_day = day.clone();
    let act = Callback::new(move |(kind, act): (DueKind, Option<Act>)| {
        // Undo saves the record as it was before the last tap.
        let before = match act {
            Some(_) => nb.with_untracked(|n| Before::of(n, kind)),
            None => last.get_untracked().map(|(b, _)| b),
        };
        let Some(before) = before else { return };
        busy.update(|b| {
            b.insert(kind);
        });
        failed.set(false);
        last.set(None);
        let day = act_day.clone();
        leptos::task::spawn_local(async move {
            let result = before.clone().save(act, &day).await;
            busy.try_update(|b| {
                b.remove(&kind);
            });
            match result {
                Ok(()) => {
                    last.try_set(act.map(|a| (before, a)));
                }
                Err(_) => {
                    failed.try_set(true);
                }
            }
        });
    });

    let date_text = move || format_date(i.lang.get(), &day).unwrap_or_default();
    let next_event = Memo::new(move |_| lists.with(|l| l.events.first().cloned()));
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
            // The next event, before the reminders: reachable without scrolling.
            {move || next_event.get().map(|e| {
                let count = lists.with(|l| l.events.len());
                let date = e.date.clone();
                let time = e.time.clone();
                view! {
                    <a class="next-event" id="next-event" href="#upcoming" on:click=move |ev| {
                        ev.prevent_default();
                        if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("upcoming")) {
                            el.scroll_into_view();
                        }
                    }>
                        <span class="next-event-label">{move || i.t_count("today-next-event", count)}</span>
                        <bdi class="next-event-title" dir="auto" translate="no">{e.title.clone()}</bdi>
                        <span class="next-event-date">
                            {move || format_date(i.lang.get(), &date).unwrap_or_else(|| date.clone())}
                            {(!time.is_empty()).then(|| view! { " · " <bdi dir="ltr">{time.clone()}</bdi> })}
                        </span>
                    </a>
                }
            })}
            {coordinator.then(|| view! {
                <div class="segmented whose" role="group" aria-label=move || i.t("today-whose")>
                    <button type="button" class="button" id="today-mine" aria-pressed=move || (!everyone.get()).to_string()
                        on:click=move |_| everyone.set(false)>{move || i.t("today-mine")}</button>
                    <button type="button" class="button" id="today-everyone" aria-pressed=move || everyone.get().to_string()
                        on:click=move |_| everyone.set(true)>{move || i.t("today-everyone")}</button>
                </div>
            })}
            <Show when=move || failed.get()>
                <p class="banner-error" id="today-save-failed" role="alert">
                    {move || i.t("today-save-failed")}
                </p>
            </Show>
            <Show when=move || last.with(Option::is_some)>
                <p class="banner-info done-status" id="done-status" role="status">
                    <span>
                        {move || i.t(match last.with(|l| l.as_ref().map(|(_, a)| *a)) {
                            Some(Act::Later) => "today-marked-later",
                            _ => "today-marked-done",
                        })} " "
                        <bdi dir="auto">{move || last.with(|l| l.as_ref().map(|(b, _)| b.label()).unwrap_or_default())}</bdi>
                    </span>
                    <button type="button" class="button" id="undo-done" on:click=move |_| {
                        if let Some(kind) = last.with_untracked(|l| l.as_ref().map(|(b, _)| match b {
                            Before::FollowUp(f) => DueKind::FollowUp(f.record.id),
                            Before::Referral(r) => DueKind::Referral(r.record.id),
                        })) {
                            act.run((kind, None));
                        }
                    }>{move || i.t("today-undo")}</button>
                </p>
            </Show>
            <Show when=move || lists.with(|l| !l.overdue.is_empty())>
                <DueSection id="overdue" title={"today-overdue"}
                    rows=Signal::derive(move || lists.with(|l| l.overdue.clone())) busy=busy act=act/>
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
                    rows=Signal::derive(move || lists.with(|l| l.due_today.clone())) busy=busy act=act/>
            </Show>
            <h3 class="section-title" id="upcoming">{move || i.t("today-upcoming")}</h3>
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

/// A group of due rows (`#<id>-list`) that folds away, 50 at a time.
#[component]
fn DueSection(
    id: &'static str,
    title: &'static str,
    rows: Signal<Vec<DueRow>>,
    busy: RwSignal<BTreeSet<DueKind>>,
    act: Callback<(DueKind, Option<Act>)>,
) -> impl IntoView {
    let i = use_i18n();
    let limit = RwSignal::new(PER_FRAME);
    let filling = RwSignal::new(true);
    leptos::task::spawn_local(async move {
        // `try_`: the page may be gone before the list is full.
        while limit.try_get_untracked().is_some_and(|l| l < PAGE) {
            crate::hooks::next_frame().await;
            if limit.try_update(|l| *l = (*l + PER_FRAME).min(PAGE)).is_none() {
                return;
            }
        }
        filling.try_set(false);
    });
    let shown = Memo::new(move |_| rows.with(|r| r.iter().take(limit.get()).cloned().collect::<Vec<_>>()));
    let more = move || rows.with(Vec::len).saturating_sub(limit.get());
    // Not while filling: "show more" would flicker on the first screen.
    let has_more = move || !filling.get() && more() != 0;
    view! {
        <details class="due-group" id=format!("{id}-group") open>
            <summary class="section-title" id=format!("{id}-title")>
                {move || i.t(title)}
                <span class="count">{move || rows.with(Vec::len)}</span>
            </summary>
            <ul class="due-list" id=format!("{id}-list") data-overdue=(id == "overdue").then_some("true")>
                <For each=move || shown.get() key=|r| r.clone() let:row>
                    <DueItem row=row busy=busy act=act/>
                </For>
            </ul>
            <Show when=has_more>
                <button type="button" class="button more" id=format!("{id}-more") on:click=move |_| limit.update(|l| *l += PAGE)>
                    {move || i.t_count("today-show-more", more().min(PAGE))}
                </button>
            </Show>
        </details>
    }
}

#[component]
fn DueItem(row: DueRow, busy: RwSignal<BTreeSet<DueKind>>, act: Callback<(DueKind, Option<Act>)>) -> impl IntoView {
    let i = use_i18n();
    let (kind_code, kind_key, id) = match row.kind {
        DueKind::FollowUp(f) => ("follow-up", "today-kind-follow-up", f.to_string()),
        DueKind::Referral(r) => ("referral", "today-kind-referral", r.to_string()),
    };
    let kind = row.kind;
    let date = row.date.clone();
    let is_busy = move || busy.with(|b| b.contains(&kind));
    view! {
        <li class="due-row" data-kind=kind_code>
            <a class="due-link" href=row.href.clone()>
                <span class="due-head">
                    <span class="due-kind">{move || i.t(kind_key)}</span>
                    {match row.who.clone() {
                        Some(who) => view! { <bdi class="due-who" translate="no">{who}</bdi> }.into_any(),
                        None => view! { <span class="due-who due-nobody">{move || i.t("today-no-person")}</span> }.into_any(),
                    }}
                </span>
                {(!row.what.trim().is_empty()).then(|| view! {
                    <bdi class="due-what" dir="auto" translate="no">{row.what.clone()}</bdi>
                })}
                <span class="due-date">{move || format_date(i.lang.get(), &date).unwrap_or_else(|| date.clone())}</span>
            </a>
            <div class="due-actions">
                <button type="button" class="button due-done" id=format!("done-{id}")
                    disabled=is_busy
                    on:click=move |_| act.run((kind, Some(Act::Done)))>
                    {move || i.t("today-mark-done")}
                </button>
                <button type="button" class="button due-later" id=format!("later-{id}")
                    disabled=is_busy
                    on:click=move |_| act.run((kind, Some(Act::Later)))>
                    {move || i.t("today-later")}
                </button>
            </div>
        </li>
    }
}
