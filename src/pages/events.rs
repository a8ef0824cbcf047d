//! The events list: newest first, filtered by kind, community and period,
//! searched by title and school, one page of 50 at a time (a network holds
//! hundreds of events; the page never renders more than it shows).

use std::cell::RefCell;

use leptos::prelude::*;
use lotse_model::notebook::add_days;
use lotse_model::{CommunityId, Event, EventId, EventKind, Filter};

use crate::components::form::{back_to_first_page, PAGE};
use crate::components::list_downloads::{list_sheet, ListDownloads};
use crate::hooks::notebook::{my_communities, today, use_notebook};
use crate::i18n::{format_date, use_i18n};
use crate::route::{to_top, Kind, Route};

/// A period to filter by, counted from today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    All,
    /// From today on: the list's default, soonest first.
    Upcoming,
    /// Before today, the most recent first.
    Past,
    Month,
    Quarter,
    Year,
}

impl Period {
    pub const ALL: [Period; 6] =
        [Period::Upcoming, Period::Past, Period::All, Period::Month, Period::Quarter, Period::Year];

    pub fn code(self) -> &'static str {
        match self {
            Period::All => "all",
            Period::Upcoming => "upcoming",
            Period::Past => "past",
            Period::Month => "month",
            Period::Quarter => "quarter",
            Period::Year => "year",
        }
    }

    pub fn from_code(code: &str) -> Period {
        Self::ALL.into_iter().find(|p| p.code() == code).unwrap_or(Period::Upcoming)
    }

    /// The first and last day (ISO, inclusive) of the period that holds
    /// `today` (`YYYY-MM-DD`). A last day of "31" bounds every month: dates
    /// compare as text.
    pub fn range(self, today: &str) -> (Option<String>, Option<String>) {
        let year = today.get(..4).unwrap_or("2000");
        let month: u32 = today.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
        match self {
            Period::All => (None, None),
            Period::Upcoming => (Some(today.to_owned()), None),
            Period::Past => (None, add_days(today, -1)),
            Period::Month => (Some(format!("{year}-{month:02}-01")), Some(format!("{year}-{month:02}-31"))),
            Period::Quarter => {
                let first = (month - 1) / 3 * 3 + 1;
                (Some(format!("{year}-{first:02}-01")), Some(format!("{year}-{:02}-31", first + 2)))
            }
            Period::Year => (Some(format!("{year}-01-01")), Some(format!("{year}-12-31"))),
        }
    }
}

/// What a list row shows of an event (owned: a page's rows, never all events).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EventRow {
    pub id: EventId,
    pub kind: EventKind,
    pub date: String,
    /// "18:30", or empty.
    pub time: String,
    pub place: String,
    pub title: String,
    pub school: String,
    pub total: i64,
}

impl EventRow {
    pub fn of(e: &Event) -> EventRow {
        EventRow {
            id: e.id,
            kind: e.kind,
            date: e.date.clone(),
            time: e.time.clone(),
            place: e.place.clone(),
            title: e.title.clone(),
            school: e.school.clone(),
            total: e.attendance.total(),
        }
    }
}

/// One event in a list: kind, title or school, date in words and time,
/// place, head count.
/// Tapping it opens the event.
#[component]
pub fn EventItem(row: EventRow) -> impl IntoView {
    let i = use_i18n();
    let href = Route::open(Kind::Event, row.id).href();
    let kind = row.kind;
    let date = row.date.clone();
    let time = row.time.clone();
    let place = (!row.place.trim().is_empty()).then(|| row.place.clone());
    // The title names it; a school info session without one, its school.
    let name = if row.title.trim().is_empty() { row.school.clone() } else { row.title.clone() };
    let school = (!row.title.trim().is_empty() && !row.school.trim().is_empty()).then(|| row.school.clone());
    let total = row.total.max(0) as usize;
    // Nobody counted yet at an event still to come: no "0 people".
    let counted = total > 0 || row.date.as_str() < today().as_str();
    view! {
        <li class="event-row" data-kind=kind.code()>
            <a class="event-link" href=href>
                <span class="event-main">
                    <span class="event-kind">{move || i.t(&format!("event-kind-{}", kind.code()))}</span>
                    {(!name.trim().is_empty()).then(|| view! {
                        <bdi class="event-name" translate="no">{name.clone()}</bdi>
                    })}
                    {school.map(|s| view! { <bdi class="event-school" translate="no">{s}</bdi> })}
                    <span class="event-date">
                        {move || format_date(i.lang.get(), &date).unwrap_or_else(|| date.clone())}
                        {(!time.is_empty()).then(|| view! { " · " <bdi class="event-time" dir="ltr">{time.clone()}</bdi> })}
                    </span>
                    {place.map(|p| view! { <bdi class="event-place" translate="no">{p}</bdi> })}
                </span>
                {counted.then(|| view! {
                    <span class="event-total">{move || i.t_count("events-attendance", total)}</span>
                })}
            </a>
        </li>
    }
}

/// The list's filters, kept while the app runs: back from an event, the
/// mentor finds the list as they left it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Kept {
    kind: String,
    community: String,
    period: String,
    text: String,
}

thread_local! {
    static KEPT: RefCell<Kept> = RefCell::new(Kept::default());
}

#[component]
pub fn EventsPage() -> impl IntoView {
    let i = use_i18n();
    let nb = use_notebook();
    to_top();
    let kept = KEPT.with(|k| k.borrow().clone());
    let kind = RwSignal::new(kept.kind);
    let community = RwSignal::new(kept.community);
    let period = RwSignal::new(kept.period);
    let text = RwSignal::new(kept.text);
    let limit = RwSignal::new(PAGE);
    let today = today();

    let filter = Memo::new(move |_| {
        let (from, to) = Period::from_code(&period.get()).range(&today);
        Filter {
            community: community.with(|c| c.parse::<CommunityId>().ok()),
            status: kind.with(|k| (!k.is_empty()).then(|| k.clone())),
            from,
            to,
            text: text.get(),
            soonest_first: Period::from_code(&period.get()) == Period::Upcoming,
            ..Filter::default()
        }
    });
    // A new filter starts at the first page again; the filters are kept.
    Effect::new(move |_| {
        filter.track();
        back_to_first_page(limit);
        KEPT.with(|k| {
            *k.borrow_mut() =
                Kept { kind: kind.get(), community: community.get(), period: period.get(), text: text.get() }
        });
    });
    let page = Memo::new(move |_| {
        let lim = limit.get();
        filter.with(|f| {
            nb.with(|n| {
                let p = n.events_matching(f, lim);
                (p.items.iter().map(|e| EventRow::of(e)).collect::<Vec<_>>(), p.total)
            })
        })
    });
    let all = Memo::new(move |_| nb.with(|n| n.events_matching(&Filter::default(), 0).total));
    let sheet = Callback::new(move |lang| {
        filter.with_untracked(|f| {
            nb.with_untracked(|n| list_sheet(n, n.events_matching(f, usize::MAX).items, lang, "events-title"))
        })
    });
    let active = Memo::new(move |_| {
        [
            !kind.with(String::is_empty),
            !community.with(String::is_empty),
            !matches!(Period::from_code(&period.get()), Period::Upcoming | Period::Past),
        ]
        .into_iter()
        .filter(|a| *a)
        .count()
    });
    let filtering = move || active.get() != 0;
    let communities = Memo::new(move |_| {
        let mut list: Vec<(String, String)> =
            nb.with(|n| n.communities().iter().map(|c| (c.id.to_string(), c.name.clone())).collect());
        for (id, name) in my_communities() {
            if !list.iter().any(|(i, _)| *i == id.to_string()) {
                list.push((id.to_string(), name));
            }
        }
        list
    });
    let reset = move |_| {
        kind.set(String::new());
        community.set(String::new());
        period.set(String::new());
        text.set(String::new());
    };

    view! {
        <section class="page events">
            <div class="page-head">
                <h2 class="page-title">{move || i.t("events-title")}</h2>
                <span class="count" id="events-count">{move || i.t_count("events-count", page.with(|p| p.1))}</span>
            </div>
            <label class="visually-hidden" for="event-search">{move || i.t("events-search")}</label>
            <input id="event-search" class="search" type="search" autocomplete="off" dir="auto"
                placeholder=move || i.t("events-search")
                prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))/>
            <details class="filters" id="event-filters" prop:open=move || active.get_untracked() != 0>
                <summary>
                    {move || i.t("events-filters")}
                    <Show when=filtering>
                        <span class="filter-badge">{move || active.get()}</span>
                    </Show>
                </summary>
                <div class="filter-grid">
                    <div class="field">
                        <label for="filter-kind">{move || i.t("events-filter-kind")}</label>
                        <select id="filter-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                            <option dir="auto" value="" selected=move || kind.with(String::is_empty)>
                                {move || i.t("events-filter-all-kinds")}
                            </option>
                            {EventKind::ALL.iter().map(|k| {
                                let code = k.code();
                                view! {
                                    <option dir="auto" value=code selected=move || kind.with(|c| c == code)>
                                        {move || i.t(&format!("event-kind-{code}"))}
                                    </option>
                                }
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="filter-community">{move || i.t("events-filter-community")}</label>
                        <select id="filter-community" on:change=move |ev| community.set(event_target_value(&ev))>
                            <option dir="auto" value="" selected=move || community.with(String::is_empty)>
                                {move || i.t("events-filter-all-communities")}
                            </option>
                            {move || communities.get().into_iter().map(|(id, name)| {
                                let value = id.clone();
                                view! {
                                    <option dir="auto" value=id selected=move || community.with(|c| *c == value)>{name}</option>
                                }
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="filter-period">{move || i.t("events-filter-period")}</label>
                        <select id="filter-period" on:change=move |ev| period.set(event_target_value(&ev))>
                            {Period::ALL.iter().map(|p| {
                                let p = *p;
                                view! {
                                    <option dir="auto" value=p.code() selected=move || Period::from_code(&period.get()) == p>
                                        {move || i.t(&format!("events-period-{}", p.code()))}
                                    </option>
                                }
                            }).collect_view()}
                        </select>
                    </div>
                </div>
                <button type="button" class="button filter-reset" id="filter-reset" on:click=reset>
                    {move || i.t("events-filter-reset")}
                </button>
            </details>
            <ListDownloads kind=Kind::Event sheet=sheet/>
            <Show
                when=move || page.with(|p| !p.0.is_empty())
                fallback=move || {
                    let key = if all.get() == 0 { "events-empty" } else { "events-none-found" };
                    view! { <p class="empty" id="events-empty">{move || i.t(key)}</p> }
                }
            >
                <ul class="event-list" id="event-list">
                    <For each=move || page.get().0 key=|r| r.clone() let:row>
                        <EventItem row=row/>
                    </For>
                </ul>
            </Show>
            // Past events sit under a toggle: the list opens on what comes next.
            {move || {
                let p = Period::from_code(&period.get());
                matches!(p, Period::Upcoming | Period::Past).then(|| {
                    let (id, key, to) = if p == Period::Upcoming {
                        ("events-past", "events-show-past", "past")
                    } else {
                        ("events-upcoming", "events-show-upcoming", "upcoming")
                    };
                    view! {
                        <button type="button" class="button more" id=id on:click=move |_| period.set(to.to_owned())>
                            {move || i.t(key)}
                        </button>
                    }
                })
            }}
            <Show when=move || page.with(|p| p.1 > p.0.len())>
                <button type="button" class="button more" id="events-more" on:click=move |_| limit.update(|l| *l += PAGE)>
                    {move || i.t_count("events-show-more", page.with(|p| (p.1 - p.0.len()).min(PAGE)))}
                </button>
            </Show>
            <a class="fab" id="add-event" href=Route::New(Kind::Event, Default::default()).href()>
                <span aria-hidden="true">"+"</span>
                {move || i.t("events-add")}
            </a>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::*;

    use super::Period;

    #[wasm_bindgen_test]
    fn periods_hold_today() {
        let t = "2026-05-17";
        let some = |s: &str| Some(s.to_owned());
        assert_eq!(Period::All.range(t), (None, None));
        assert_eq!(Period::Past.range(t), (None, some("2026-05-16")));
        assert_eq!(Period::from_code(""), Period::Upcoming, "the list opens on what comes next");
        assert_eq!(Period::Upcoming.range(t), (some(t), None));
        assert_eq!(Period::Month.range(t), (some("2026-05-01"), some("2026-05-31")));
        assert_eq!(Period::Quarter.range(t), (some("2026-04-01"), some("2026-06-31")));
        assert_eq!(Period::Quarter.range("2026-12-02"), (some("2026-10-01"), some("2026-12-31")));
        assert_eq!(Period::Year.range(t), (some("2026-01-01"), some("2026-12-31")));
    }
}
