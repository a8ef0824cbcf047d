//! Referrals (Vermittlungen), newest first, with where each stands and when
//! to check on it; an overdue check says so in words.

use leptos::prelude::*;
use lotse_model::notebook::{InCommunity, Notebook};
use lotse_model::{InstitutionId, Referral, ReferralId, ReferralStatus};

use crate::components::form::{choices_of, Choice};
use crate::components::list_downloads::{list_sheet, ListDownloads};
use crate::hooks::notebook::{today, use_notebook};
use crate::i18n::{use_i18n, I18n};
use crate::pages::consultations::{
    date_words, list_state, page_limit, AdviceTabs, ListFilters, ListSearch, ListState, ShowMore,
};
use crate::route::{Kind, Route};

/// When a referral's check is due, seen from today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Check {
    /// Closed, or no date.
    None,
    Later,
    Today,
    Overdue,
}

impl Check {
    pub fn of(r: &Referral, today: &str) -> Check {
        match r.follow_up_on.as_deref() {
            Some(d) if r.status.is_open() && !d.is_empty() => match d.cmp(today) {
                std::cmp::Ordering::Less => Check::Overdue,
                std::cmp::Ordering::Equal => Check::Today,
                std::cmp::Ordering::Greater => Check::Later,
            },
            _ => Check::None,
        }
    }

    /// The class of a row, and the i18n key of the words that say it.
    pub fn mark(self) -> Option<(&'static str, &'static str)> {
        match self {
            Check::Overdue => Some(("overdue", "referral-overdue")),
            Check::Today => Some(("due-today", "referral-due-today")),
            _ => None,
        }
    }
}

/// The institutions of the network, by name.
pub fn institution_choices() -> Signal<Vec<Choice>> {
    let nb = use_notebook();
    Signal::derive(move || {
        nb.with(|n| {
            n.institutions().into_iter().map(|x| Choice { value: x.id.to_string(), text: x.name.clone() }).collect()
        })
    })
}

fn row_class(check: Check) -> String {
    match check.mark() {
        Some((c, _)) => format!("referral-row {c}"),
        None => "referral-row".to_owned(),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Row {
    id: ReferralId,
    who: String,
    institution: String,
    status: String,
    status_code: &'static str,
    follow_up: Option<String>,
    check: Check,
}

impl Row {
    fn of(i: I18n, n: &Notebook, c: &InCommunity<Referral>, today: &str) -> Row {
        let r = &c.record;
        Row {
            id: r.id,
            who: n.contact(r.contact).map_or_else(|| i.t("advice-unknown-person"), |k| k.record.name.clone()),
            institution: n.institution(r.institution).map(|x| x.name.clone()).unwrap_or_default(),
            status: i.t(&format!("referral-status-{}", r.status.code())),
            status_code: r.status.code(),
            follow_up: r.follow_up_on.as_deref().filter(|d| !d.is_empty()).map(|d| date_words(i.lang.get(), d)),
            check: Check::of(r, today),
        }
    }
}

/// The first `limit` referrals matching `s`, and how many match. The
/// notebook's filter has no institution: with one picked, its matches are
/// narrowed here (references only, still one page of rows).
fn matching<'a>(n: &'a Notebook, s: &ListState, today: &str, limit: usize) -> (Vec<&'a InCommunity<Referral>>, usize) {
    let f = s.filter(today);
    match s.institution.parse::<InstitutionId>() {
        Err(_) => {
            let page = n.referrals_matching(&f, limit);
            (page.items, page.total)
        }
        Ok(inst) => {
            let all: Vec<_> = n
                .referrals_matching(&f, usize::MAX)
                .items
                .into_iter()
                .filter(|r| r.record.institution == inst)
                .collect();
            let total = all.len();
            (all.into_iter().take(limit).collect(), total)
        }
    }
}

/// `#/referrals`: search (reason, contact, institution), filters (status,
/// institution, community, target group, period), 50 rows at a time.
#[component]
pub fn ReferralsPage() -> impl IntoView {
    let i = use_i18n();
    let nb = use_notebook();
    let state = list_state("referrals");
    let limit = page_limit(state);
    let found = Memo::new(move |_| {
        let day = today();
        let limit = limit.get();
        state.with(|s| {
            nb.with(|n| {
                let (items, total) = matching(n, s, &day, limit);
                (items.into_iter().map(|c| Row::of(i, n, c, &day)).collect::<Vec<_>>(), total)
            })
        })
    });
    let none_at_all = Memo::new(move |_| nb.with(|n| n.referrals().next().is_none()));
    let total = move || found.with(|(_, t)| *t);
    let more = Signal::derive(move || found.with(|(rows, t)| t - rows.len()));
    let statuses = choices_of(ReferralStatus::ALL, ReferralStatus::code, "referral-status");
    let sheet = Callback::new(move |lang| {
        let all = state.with_untracked(|s| {
            nb.with_untracked(|n| {
                let (all, _) = matching(n, s, &today(), usize::MAX);
                list_sheet(n, all.iter().map(|c| &c.record), lang, "referrals-title")
            })
        });
        all
    });

    view! {
        <section class="page advice-list referrals">
            <AdviceTabs current=Kind::Referral/>
            <h2 class="visually-hidden">{move || i.t("referrals-title")}</h2>
            <ListSearch state=state id="referral-search" label={"referrals-search"}/>
            <ListFilters state=state group=true period=true status=("referral-field-status", statuses)
                institutions=institution_choices()/>
            <ListDownloads kind=Kind::Referral sheet=sheet/>
            <p class="count" id="referral-count">{move || i.t_count("referrals-count", total())}</p>
            <Show
                when=move || { total() > 0 }
                fallback=move || view! {
                    <p class="empty">
                        {move || if none_at_all.get() { i.t("referrals-empty") } else { i.t("advice-none-match") }}
                    </p>
                }
            >
                <ul class="record-list referral-list">
                    <For each=move || found.with(|(rows, _)| rows.clone()) key=|r| r.clone() let:r>
                        <li class=row_class(r.check) data-status=r.status_code>
                            <a href=Route::open(Kind::Referral, r.id).href()>
                                <span class="row-head">
                                    <bdi class="row-name" translate="no">{r.who.clone()}</bdi>
                                    <span class="badge">{r.status.clone()}</span>
                                </span>
                                <bdi class="row-meta" translate="no">{r.institution.clone()}</bdi>
                                {r.follow_up.clone().map(|d| view! {
                                    <span class="row-date">
                                        {move || i.t("referral-follow-up-short")}
                                        " "
                                        <span>{d}</span>
                                        {r.check.mark().map(|(_, key)| view! {
                                            " "
                                            <strong class="due-mark">{move || i.t(key)}</strong>
                                        })}
                                    </span>
                                })}
                            </a>
                        </li>
                    </For>
                </ul>
            </Show>
            <ShowMore limit=limit more=more/>
            <a id="add-referral" class="fab" href=Route::New(Kind::Referral, Default::default()).href()>
                <span aria-hidden="true">"+"</span>
                <span>{move || i.t("referrals-add")}</span>
            </a>
        </section>
    }
}
