//! The training network: migrant-owned businesses, searchable and filtered
//! by chamber, training licence and community, with their training places.

use std::collections::{HashMap, HashSet};

use leptos::prelude::*;
use lotse_model::import::Target;
use lotse_model::notebook::{Filter, Notebook};
use lotse_model::{Chamber, Company, CompanyId, LicenceStatus, PlaceStatus};

use crate::components::form::{back_to_first_page, community_choices, ShowMore, PAGE};
use crate::components::list_downloads::{list_sheet, ListDownloads};
use crate::hooks::notebook::{today, use_notebook};
use crate::hooks::use_device;
use crate::i18n::use_i18n;
use crate::route::{Kind, Route};

#[derive(Debug, Clone, PartialEq)]
struct CompanyRow {
    id: CompanyId,
    name: String,
    trade: String,
    chamber: Chamber,
    licence: LicenceStatus,
    /// Training places acquired, offered, filled.
    places: [usize; 3],
}

fn status_index(s: PlaceStatus) -> usize {
    match s {
        PlaceStatus::Acquired => 0,
        PlaceStatus::Offered => 1,
        PlaceStatus::Filled => 2,
    }
}

/// The first day of the period `code` ("month", "quarter", "year") that
/// contains `today` (`YYYY-MM-DD`); `None` for all time.
fn period_start(code: &str, today: &str) -> Option<String> {
    let (year, month) = (today.get(..4)?, today.get(5..7)?.parse::<u32>().ok()?);
    match code {
        "month" => Some(format!("{year}-{month:02}-01")),
        "quarter" => Some(format!("{year}-{:02}-01", (month.max(1) - 1) / 3 * 3 + 1)),
        "year" => Some(format!("{year}-01-01")),
        _ => None,
    }
}

/// Every company `f` and `chamber` match, in the list's order. The chamber
/// is not one of the notebook's filters: the whole match (companies are
/// hundreds, not thousands) is narrowed here.
fn matching<'a>(n: &'a Notebook, f: &Filter, chamber: Option<Chamber>) -> Vec<&'a Company> {
    let all = n.companies_matching(f, usize::MAX).items;
    all.into_iter().filter(|c| chamber.is_none_or(|ch| c.chamber == ch)).collect()
}

#[component]
pub fn CompaniesPage() -> impl IntoView {
    let i = use_i18n();
    let nb = use_notebook();
    let text = RwSignal::new(String::new());
    let chamber = RwSignal::new(String::new());
    let licence = RwSignal::new(String::new());
    let community = RwSignal::new(String::new());
    let period = RwSignal::new(String::new());
    let limit = RwSignal::new(PAGE);
    // A new search or filter starts again at the first page.
    Effect::new(move |_| {
        text.track();
        chamber.track();
        licence.track();
        community.track();
        period.track();
        back_to_first_page(limit);
    });
    let filters_on =
        Memo::new(move |_| [chamber, licence, community, period].iter().filter(|s| s.with(|v| !v.is_empty())).count());
    let filter = move || {
        let f = Filter {
            community: community.with(|c| c.parse().ok()),
            status: licence.with(|l| (!l.is_empty()).then(|| l.clone())),
            text: text.get(),
            from: period.with(|p| period_start(p, &today())),
            ..Filter::default()
        };
        (f, chamber.with(|c| Chamber::from_code(c)))
    };
    let sheet = Callback::new(move |lang| {
        let (f, chamber) = untrack(filter);
        nb.with_untracked(|n| list_sheet(n, matching(n, &f, chamber), lang, "companies-title"))
    });
    let places_sheet = Callback::new(move |lang| {
        let (f, chamber) = untrack(filter);
        nb.with_untracked(|n| {
            let companies: HashSet<CompanyId> = matching(n, &f, chamber).iter().map(|c| c.id).collect();
            let places = n.training_places().into_iter().filter(|p| companies.contains(&p.company));
            list_sheet(n, places, lang, "company-places")
        })
    });
    let page = Memo::new(move |_| {
        let (f, chamber) = filter();
        let limit = limit.get();
        nb.with(|n| {
            let matching = matching(n, &f, chamber);
            let total = matching.len();
            let shown: Vec<_> = matching.into_iter().take(limit).collect();
            let mut places: HashMap<CompanyId, [usize; 3]> = HashMap::new();
            if !shown.is_empty() {
                for p in n.training_places() {
                    places.entry(p.company).or_default()[status_index(p.status)] += 1;
                }
            }
            let rows: Vec<CompanyRow> = shown
                .into_iter()
                .map(|c| CompanyRow {
                    id: c.id,
                    name: c.name.clone(),
                    trade: c.trade.clone(),
                    chamber: c.chamber,
                    licence: c.licence,
                    places: places.get(&c.id).copied().unwrap_or_default(),
                })
                .collect();
            (rows, total)
        })
    });
    let any_company = Memo::new(move |_| nb.with(|n| !n.companies().is_empty()));
    let more = Signal::derive(move || page.with(|(rows, total)| total - rows.len()));
    let select = move |id: &'static str,
                       label: &'static str,
                       value: RwSignal<String>,
                       options: Signal<Vec<(String, String)>>| {
        view! {
            <div class="field">
                <label for=id>{move || i.t(label)}</label>
                <select id=id on:change=move |ev| value.set(event_target_value(&ev))>
                    <option dir="auto" value="" selected=move || value.with(String::is_empty)>{move || i.t("net-all")}</option>
                    {move || options.get().into_iter().map(|(v, text)| {
                        let is = v.clone();
                        view! { <option dir="auto" value=v selected=move || value.with(|x| *x == is)>{text}</option> }
                    }).collect_view()}
                </select>
            </div>
        }
    };
    let chambers = Signal::derive(move || {
        Chamber::ALL.iter().map(|c| (c.code().to_owned(), i.t(&format!("chamber-{}", c.code())))).collect()
    });
    let licences = Signal::derive(move || {
        LicenceStatus::ALL.iter().map(|l| (l.code().to_owned(), i.t(&format!("licence-{}", l.code())))).collect()
    });
    let communities = Signal::derive(move || community_choices().into_iter().map(|c| (c.value, c.text)).collect());
    let periods = Signal::derive(move || {
        ["month", "quarter", "year"].iter().map(|p| ((*p).to_owned(), i.t(&format!("net-period-{p}")))).collect()
    });

    view! {
        <section class="page companies">
            <div class="page-head">
                <h2 class="page-title">{move || i.t("companies-title")}</h2>
                <span class="count" id="companies-count">{move || i.t_count("companies-count", page.with(|p| p.1))}</span>
            </div>
            <p class="intro">{move || i.t("companies-intro")}</p>
            <label class="visually-hidden" for="company-search">{move || i.t("companies-search")}</label>
            <input id="company-search" class="search" type="search" autocomplete="off" dir="auto"
                placeholder=move || i.t("companies-search-placeholder")
                prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))/>
            <details class="net-filters" id="company-filters">
                <summary>
                    {move || match filters_on.get() {
                        0 => i.t("net-filters"),
                        n => i.t_count("net-filters-on", n),
                    }}
                </summary>
                <div class="net-filter-grid">
                    {select("company-filter-chamber", "companies-filter-chamber", chamber, chambers)}
                    {select("company-filter-licence", "companies-filter-licence", licence, licences)}
                    {select("company-filter-community", "companies-filter-community", community, communities)}
                    {select("company-filter-period", "companies-filter-period", period, periods)}
                </div>
            </details>
            <ListDownloads kind=Kind::Company sheet=sheet caption="companies-title"/>
            <ListDownloads kind=Kind::TrainingPlace sheet=places_sheet caption="company-places"/>
            {use_device().is_some_and(|d| d.coordinator).then(|| view! {
                <a id="import-companies" class="button import-link" href=Route::Import(Target::Companies).href()>{move || i.t("import-action")}</a>
            })}
            <Show
                when=move || page.with(|p| !p.0.is_empty())
                fallback=move || {
                    let key = if any_company.get() { "companies-none-found" } else { "companies-empty" };
                    view! { <p class="empty" id="companies-empty">{move || i.t(key)}</p> }
                }
            >
                <ul class="net-list" id="company-list">
                    {move || page.get().0.into_iter().map(|c| {
                        let chamber = c.chamber.code();
                        let licence = c.licence.code();
                        let [acquired, offered, filled] = c.places;
                        view! {
                            <li class="company-row net-row" data-licence=licence data-chamber=chamber>
                                <a href=Route::open(Kind::Company, c.id).href()>
                                    <span class="net-row-line">
                                        <bdi class="net-row-title" translate="no">{c.name.clone()}</bdi>
                                        <span class="net-chip">{move || i.t(&format!("chamber-{chamber}"))}</span>
                                    </span>
                                    <span class="net-row-meta">
                                        <bdi class="company-trade" translate="no">{c.trade.clone()}</bdi>
                                        " · "
                                        <span class="company-licence">{move || i.t(&format!("licence-{licence}"))}</span>
                                    </span>
                                    {(acquired + offered + filled > 0).then(|| {
                                        // Only the statuses that have places: "Offered 2 · Filled 1".
                                        let parts: Vec<(&'static str, usize)> =
                                            [("acquired", acquired), ("offered", offered), ("filled", filled)]
                                                .into_iter()
                                                .filter(|(_, n)| *n > 0)
                                                .collect();
                                        view! {
                                            <span class="net-row-meta company-places">
                                                {move || i.t("companies-places")}
                                                {parts.into_iter().enumerate().map(|(k, (status, n))| view! {
                                                    {(k > 0).then_some(" ·")} " "
                                                    <span class=format!("company-places-{status}")>
                                                        {move || i.t(&format!("place-status-{status}"))} " " {n}
                                                    </span>
                                                }).collect_view()}
                                            </span>
                                        }
                                    })}
                                </a>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </Show>
            <ShowMore id="companies-more" limit=limit more=more/>
            <a id="add-company" class="fab" href=Route::New(Kind::Company, Default::default()).href()>
                <span aria-hidden="true">"+"</span>
                {move || i.t("companies-add")}
            </a>
        </section>
    }
}
