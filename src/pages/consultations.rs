//! The first consultations, newest first, and what every list of the advice
//! area shares: filters in a fold-away row, a count, pages of 50 with
//! "show more", and the tabs between consultations and referrals.
//!
//! A list never holds more than its page: the notebook's `*_matching`
//! answers with references to the first `limit` matches, and only those
//! become rows.

use std::cell::RefCell;
use std::collections::HashMap;

use leptos::prelude::*;
use lotse_model::notebook::{InCommunity, Notebook};
use lotse_model::{Consultation, ConsultationId, Filter, Outcome, TargetGroup};

use crate::components::contact_picker::community_name;
use crate::components::form::{back_to_first_page, PAGE};
use crate::components::form::{choices_of, Choice};
use crate::components::list_downloads::{list_sheet, ListDownloads};
use crate::hooks::notebook::{my_communities, today, use_notebook};
use crate::i18n::{format_date, use_i18n, I18n, Lang};
use crate::route::{Kind, Route};

/// What a list is filtered by, as picked (codes and ids as text; empty: any).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListState {
    pub text: String,
    pub community: String,
    pub group: String,
    pub status: String,
    /// "", "month", "quarter" or "year".
    pub period: String,
    pub institution: String,
}

impl ListState {
    /// The notebook's filter for `today` (`YYYY-MM-DD`).
    pub fn filter(&self, today: &str) -> Filter {
        let (from, to) = period_range(&self.period, today);
        Filter {
            community: self.community.parse().ok(),
            target_group: TargetGroup::from_code(&self.group),
            status: (!self.status.is_empty()).then(|| self.status.clone()),
            from,
            to,
            text: self.text.clone(),
            soonest_first: false,
        }
    }

    /// How many filters (not the search) are on.
    pub fn active(&self) -> usize {
        [&self.community, &self.group, &self.status, &self.period, &self.institution]
            .iter()
            .filter(|s| !s.is_empty())
            .count()
    }

    pub fn is_empty(&self) -> bool {
        self.active() == 0 && self.text.trim().is_empty()
    }
}

/// The first and last day (inclusive) of this month, quarter or year.
pub fn period_range(period: &str, today: &str) -> (Option<String>, Option<String>) {
    let year = today.get(..4).unwrap_or("2000");
    let month: u32 = today.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
    let span = |first: u32, last: u32| (Some(format!("{year}-{first:02}-01")), Some(format!("{year}-{last:02}-31")));
    match period {
        "month" => span(month, month),
        "quarter" => {
            let first = (month - 1) / 3 * 3 + 1;
            span(first, first + 2)
        }
        "year" => span(1, 12),
        _ => (None, None),
    }
}

thread_local! {
    static REMEMBERED: RefCell<HashMap<&'static str, ListState>> = RefCell::new(HashMap::new());
}

/// A list's filters, kept while the app runs: back from a record, the list
/// is filtered as the mentor left it. The search starts empty each time.
pub fn list_state(list: &'static str) -> RwSignal<ListState> {
    let kept = REMEMBERED.with(|r| r.borrow().get(list).cloned().unwrap_or_default());
    let state = RwSignal::new(ListState { text: String::new(), ..kept });
    Effect::new(move |_| {
        let s = state.get();
        REMEMBERED.with(|r| r.borrow_mut().insert(list, s));
    });
    state
}

/// How many rows a list shows: a page, back to one page when the filters
/// change.
pub fn page_limit(state: RwSignal<ListState>) -> RwSignal<usize> {
    let limit = RwSignal::new(PAGE);
    Effect::new(move |first: Option<()>| {
        state.track();
        if first.is_some() {
            back_to_first_page(limit);
        }
    });
    limit
}

/// A date as words in the mentor's language ("Thursday, 27 November 2025").
/// Each day is formatted once (a list of 50 rows holds few distinct days,
/// and `Intl` is slow to set up).
pub fn date_words(lang: Lang, ymd: &str) -> String {
    thread_local! {
        static WORDS: RefCell<HashMap<(Lang, String), String>> = RefCell::new(HashMap::new());
    }
    let key = (lang, ymd.to_owned());
    if let Some(w) = WORDS.with(|w| w.borrow().get(&key).cloned()) {
        return w;
    }
    let words = format_date(lang, ymd).unwrap_or_else(|| ymd.to_owned());
    WORDS.with(|w| w.borrow_mut().insert(key, words.clone()));
    words
}

const TAB: &str = "advice-tab";
const TAB_ON: &str = "advice-tab active";

/// Consultations and referrals, as two tabs at the top of either list.
#[component]
pub fn AdviceTabs(current: Kind) -> impl IntoView {
    let i = use_i18n();
    let tab = move |kind: Kind, id: &'static str, key: &'static str| {
        let on = kind == current;
        view! {
            <a id=id href=Route::List(kind).href() class=if on { TAB_ON } else { TAB }
                aria-current=on.then_some("page")>{move || i.t(key)}</a>
        }
    };
    view! {
        <nav class="advice-tabs" aria-label=move || i.t("advice-tabs")>
            {tab(Kind::Consultation, "to-consultations", "consultations-title")}
            {tab(Kind::Referral, "to-referrals", "referrals-title")}
        </nav>
    }
}

/// One picker of the filter row: "any" first, then `options`.
fn filter_select(
    state: RwSignal<ListState>,
    id: &'static str,
    label: &'static str,
    any: &'static str,
    get: fn(&ListState) -> &String,
    set: fn(&mut ListState, String),
    options: Signal<Vec<Choice>>,
) -> impl IntoView {
    let i = use_i18n();
    view! {
        <div class="field filter">
            <label for=id>{move || i.t(label)}</label>
            <select id=id on:change=move |ev| state.update(|s| set(s, event_target_value(&ev)))>
                <option dir="auto" value="" selected=move || state.with(|s| get(s).is_empty())>{move || i.t(any)}</option>
                {move || options.get().into_iter().map(|c| {
                    let value = c.value.clone();
                    view! { <option dir="auto" value=c.value selected=move || state.with(|s| *get(s) == value)>{c.text}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// The communities this device holds, by name.
pub fn community_choices() -> Signal<Vec<Choice>> {
    let nb = use_notebook();
    Signal::derive(move || {
        nb.with(|n| {
            my_communities()
                .into_iter()
                .map(|(id, name)| {
                    let known = community_name(n, id);
                    Choice { value: id.to_string(), text: if known.is_empty() { name } else { known } }
                })
                .collect()
        })
    })
}

/// The filter row of a list, folded away under "Filters (2 on)". The
/// community picker shows only on a device with more than one community.
#[component]
pub fn ListFilters(
    state: RwSignal<ListState>,
    #[prop(optional)] group: bool,
    #[prop(optional)] period: bool,
    /// The label key and the options of the status picker.
    #[prop(optional)]
    status: Option<(&'static str, Signal<Vec<Choice>>)>,
    #[prop(optional)] institutions: Option<Signal<Vec<Choice>>>,
) -> impl IntoView {
    let i = use_i18n();
    let communities = community_choices();
    let many_communities = my_communities().len() > 1;
    // Clearing re-renders the pickers so each shows "any" again.
    let generation = RwSignal::new(0u32);
    let periods = Signal::derive(move || {
        ["month", "quarter", "year"]
            .into_iter()
            .map(|p| Choice { value: p.to_owned(), text: i.t(&format!("advice-period-{p}")) })
            .collect()
    });
    let fields = move || {
        generation.track();
        view! {
            {many_communities.then(|| filter_select(state, "filter-community", "advice-filter-community", "advice-any",
                |s| &s.community, |s, v| s.community = v, communities))}
            {group.then(|| filter_select(state, "filter-group", "advice-filter-group", "advice-any",
                |s| &s.group, |s, v| s.group = v, choices_of(&TargetGroup::ALL, TargetGroup::code, "group")))}
            {status.map(|(label, options)| filter_select(state, "filter-status", label, "advice-any",
                |s| &s.status, |s, v| s.status = v, options))}
            {institutions.map(|options| filter_select(state, "filter-institution", "advice-filter-institution",
                "advice-any", |s| &s.institution, |s, v| s.institution = v, options))}
            {period.then(|| filter_select(state, "filter-period", "advice-filter-period", "advice-period-all",
                |s| &s.period, |s, v| s.period = v, periods))}
        }
    };
    let clear = move |_| {
        state.update(|s| *s = ListState { text: s.text.clone(), ..ListState::default() });
        generation.update(|g| *g += 1);
    };
    view! {
        <details class="filters" id="list-filters" open=state.with_untracked(|s| s.active() > 0)>
            <summary class="filters-summary">
                {move || match state.with(ListState::active) {
                    0 => i.t("advice-filters"),
                    n => i.t_count("advice-filters-on", n),
                }}
            </summary>
            <div class="filters-fields">
                {fields}
                <Show when=move || state.with(|s| s.active() > 0)>
                    <button type="button" class="button filters-clear" id="filter-clear" on:click=clear>
                        {move || i.t("advice-filters-clear")}
                    </button>
                </Show>
            </div>
        </details>
    }
}

/// "Show 50 more" under a list that has more.
#[component]
pub fn ShowMore(limit: RwSignal<usize>, #[prop(into)] more: Signal<usize>) -> impl IntoView {
    let i = use_i18n();
    view! {
        <Show when=move || { more.get() > 0 }>
            <button type="button" class="button show-more" id="show-more" on:click=move |_| limit.update(|l| *l += PAGE)>
                {move || i.t_count("advice-show-more", more.get().min(PAGE))}
            </button>
        </Show>
    }
}

/// The search box of a list.
#[component]
pub fn ListSearch(state: RwSignal<ListState>, id: &'static str, label: &'static str) -> impl IntoView {
    let i = use_i18n();
    view! {
        <label class="visually-hidden" for=id>{move || i.t(label)}</label>
        <input id=id class="search" type="search" autocomplete="off" dir="auto"
            placeholder=move || i.t(label)
            prop:value=move || state.with(|s| s.text.clone())
            on:input=move |ev| state.update(|s| s.text = event_target_value(&ev))/>
    }
}

/// Who a consultation was with: the contact, else the household.
pub fn consultation_subject(i: I18n, n: &Notebook, c: &Consultation) -> String {
    c.contact
        .and_then(|id| n.contact(id))
        .map(|k| k.record.name.clone())
        .or_else(|| c.household.and_then(|h| n.household(h)).map(|h| h.record.name.clone()))
        .unwrap_or_else(|| i.t("advice-unknown-person"))
}

/// The topics' names, joined.
pub fn topic_names(i: I18n, c: &Consultation) -> String {
    c.topics.iter().map(|t| i.t(&format!("topic-{}", t.code()))).collect::<Vec<_>>().join(", ")
}

/// One row of the list, in the mentor's language.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Row {
    id: ConsultationId,
    date: String,
    who: String,
    topics: String,
    outcome: String,
    outcome_code: &'static str,
}

impl Row {
    fn of(i: I18n, n: &Notebook, c: &InCommunity<Consultation>) -> Row {
        let r = &c.record;
        Row {
            id: r.id,
            date: date_words(i.lang.get(), &r.date),
            who: consultation_subject(i, n, r),
            topics: topic_names(i, r),
            outcome: i.t(&format!("outcome-{}", r.outcome.code())),
            outcome_code: r.outcome.code(),
        }
    }
}

/// `#/consultations`: search (notes, the contact's name), filters
/// (community, target group, outcome, period), 50 rows at a time.
#[component]
pub fn ConsultationsPage() -> impl IntoView {
    let i = use_i18n();
    let nb = use_notebook();
    let state = list_state("consultations");
    let limit = page_limit(state);
    let found = Memo::new(move |_| {
        let f = state.with(|s| s.filter(&today()));
        let limit = limit.get();
        nb.with(|n| {
            let page = n.consultations_matching(&f, limit);
            (page.items.iter().map(|c| Row::of(i, n, c)).collect::<Vec<_>>(), page.total)
        })
    });
    let none_at_all = Memo::new(move |_| nb.with(|n| n.consultations().next().is_none()));
    let total = move || found.with(|(_, t)| *t);
    let more = Signal::derive(move || found.with(|(rows, t)| t - rows.len()));
    let outcomes = choices_of(Outcome::ALL, Outcome::code, "outcome");
    let sheet = Callback::new(move |lang| {
        let f = state.with_untracked(|s| s.filter(&today()));
        nb.with_untracked(|n| {
            let all = n.consultations_matching(&f, usize::MAX).items;
            list_sheet(n, all.iter().map(|c| &c.record), lang, "consultations-title")
        })
    });

    view! {
        <section class="page advice-list consultations">
            <AdviceTabs current=Kind::Consultation/>
            <h2 class="visually-hidden">{move || i.t("consultations-title")}</h2>
            <ListSearch state=state id="consultation-search" label={"consultations-search"}/>
            <ListFilters state=state group=true period=true status=("advice-filter-outcome", outcomes)/>
            <ListDownloads kind=Kind::Consultation sheet=sheet/>
            <Show when=move || nb.complete() fallback=|| view! { <p class="loading" id="consultations-loading">"…"</p> }>
                <p class="count" id="consultation-count">{move || i.t_count("consultations-count", total())}</p>
            </Show>
            <Show
                when=move || { total() > 0 }
                fallback=move || view! {
                    <Show when=move || nb.complete()>
                        <p class="empty">
                            {move || if none_at_all.get() { i.t("consultations-empty") } else { i.t("advice-none-match") }}
                        </p>
                    </Show>
                }
            >
                <ul class="record-list consultation-list">
                    <For each=move || found.with(|(rows, _)| rows.clone()) key=|r| r.clone() let:r>
                        <li class="consultation-row" data-outcome=r.outcome_code>
                            <a href=Route::open(Kind::Consultation, r.id).href()>
                                <span class="row-head">
                                    <bdi class="row-name" translate="no">{r.who.clone()}</bdi>
                                    <span class="badge">{r.outcome.clone()}</span>
                                </span>
                                <span class="row-date">{r.date.clone()}</span>
                                <span class="row-meta">{r.topics.clone()}</span>
                            </a>
                        </li>
                    </For>
                </ul>
            </Show>
            <ShowMore limit=limit more=more/>
            <a id="add-consultation" class="fab" href=Route::New(Kind::Consultation, Default::default()).href()>
                <span aria-hidden="true">"+"</span>
                <span>{move || i.t("consultations-add")}</span>
            </a>
        </section>
    }
}
