//! The rights of the people in the notebook, on a coordinator's device:
//! contacts past their community's retention period (`#/retention`) and
//! what erasing one person would remove (`#/erasure`). Both show
//! [`Erasure::plan`]; the erasure itself (a new epoch of the community's
//! document) comes with a later version, and the pages say so instead of
//! offering a button that does nothing.

use leptos::prelude::*;
use lotse_model::erasure::{ErasedIds, Erasure};
use lotse_model::notebook::Notebook;
use lotse_model::retention::expired;
use lotse_model::{ContactId, Field, Kind};

use crate::components::contact_picker::ContactPicker;
use crate::components::form::{DateField, FormState, ShowMore, PAGE};
use crate::hooks::engine::use_device;
use crate::hooks::notebook::{today, use_notebook};
use crate::i18n::{use_i18n, I18n, Lang};
use crate::pages::consultations::date_words;
use crate::route::Route;

/// "Contact 1 · Consultation 3": what an erasure would remove, counted.
fn counts_line(i: I18n, ids: &ErasedIds) -> String {
    ids.counts()
        .into_iter()
        .map(|(k, n)| format!("{} {n}", i.t(&format!("kind-{}", k.segment()))))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Only a coordinator's device holds every community and may erase.
fn coordinator() -> bool {
    use_device().is_some_and(|d| d.coordinator)
}

#[derive(Debug, Clone, PartialEq)]
struct Past {
    id: ContactId,
    name: String,
    last: String,
    removes: String,
}

#[derive(Debug, Clone, PartialEq)]
struct CommunityPast {
    name: String,
    months: u32,
    contacts: Vec<Past>,
    total: usize,
}

#[component]
pub fn RetentionPage() -> impl IntoView {
    let i = use_i18n();
    let nb = use_notebook();
    let limit = RwSignal::new(PAGE);
    let day = today();
    let lists = Memo::new(move |_| {
        let (lang, limit) = (i.lang.get(), limit.get());
        nb.with(|n| {
            n.communities()
                .into_iter()
                .filter_map(|c| {
                    let months = c.retention_months?;
                    let all = expired(n, c.id, &day);
                    // Counted for the rows shown only: a plan walks the notebook.
                    let contacts = all
                        .iter()
                        .take(limit)
                        .filter_map(|e| past(i, n, e.contact, date_words(lang, &e.last_activity)))
                        .collect();
                    Some(CommunityPast { name: c.name.clone(), months, contacts, total: all.len() })
                })
                .collect::<Vec<_>>()
        })
    });
    let more = Signal::derive(move || {
        lists.with(|l| l.iter().map(|c| c.total.saturating_sub(c.contacts.len())).max().unwrap_or(0))
    });
    view! {
        <section class="page privacy-page" id="retention-page">
            <h2 class="page-title">{move || i.t("retention-title")}</h2>
            {(!coordinator()).then(|| view! { <p class="hint" id="retention-coordinator-only">{move || i.t("privacy-coordinator-only")}</p> })}
            <p class="hint">{move || i.t("retention-intro")}</p>
            <p class="banner-info" role="note" id="retention-later">{move || i.t("privacy-erasure-later")}</p>
            <Show when=move || lists.with(Vec::is_empty)>
                <p class="empty" id="retention-none-set">{move || i.t("retention-none-set")}</p>
            </Show>
            {move || lists.get().into_iter().map(|c| {
                let heading = i.t_args("retention-community", &[("community", c.name.clone().into()), ("months", c.months.into())]);
                view! {
                    <section class="privacy-community">
                        <h3 class="section-title"><bdi>{heading}</bdi></h3>
                        <p class="retention-count">{move || i.t_count("retention-count", c.total)}</p>
                        <ul class="net-list retention-list">
                            {c.contacts.into_iter().map(|p| view! {
                                <li class="net-row retention-row">
                                    <a href=Route::open(Kind::Contact, p.id).href()>
                                        <bdi class="net-row-title" translate="no">{p.name}</bdi>
                                        <span class="net-row-meta">{move || i.t("retention-last-activity")} " " {p.last}</span>
                                        <span class="net-row-meta privacy-removes">{p.removes}</span>
                                    </a>
                                </li>
                            }).collect_view()}
                        </ul>
                    </section>
                }
            }).collect_view()}
            <ShowMore id="retention-more" limit=limit more=more/>
        </section>
    }
}

fn past(i: I18n, n: &Notebook, id: ContactId, last: String) -> Option<Past> {
    let plan = Erasure::plan(n, id).ok()?;
    let name = n.contact(id)?.record.name.clone();
    Some(Past { id, name, last, removes: counts_line(i, &plan.erased) })
}

/// The erasure page's form: whom, and when they asked.
#[derive(Debug, Clone, Default)]
struct Request {
    contact: String,
    requested_on: String,
}

/// One kind of what an erasure would remove or unlink: each record's
/// link, name and day (in the reader's words, on a line of its own: a
/// short numeric date beside a name reorders in Arabic).
#[derive(Debug, Clone, PartialEq)]
struct Group {
    kind: Kind,
    titles: Vec<(String, String, Option<String>)>,
}

/// Each kind's records by name and day, the day as `lang` writes it.
fn groups(n: &Notebook, ids: &ErasedIds, lang: Lang) -> Vec<Group> {
    ids.counts()
        .into_keys()
        .map(|kind| Group {
            kind,
            titles: ids
                .ids(kind)
                .filter_map(|id| {
                    let (_, title) = n.title_of(kind.collection(), id)?;
                    // Only a day after the last " · " is one: a name may hold the mark too.
                    let split = title.rsplit_once(" · ").filter(|(_, d)| crate::i18n::format_date(lang, d).is_some());
                    let (name, day) = match split {
                        Some((name, day)) => (name.to_owned(), Some(date_words(lang, day))),
                        None => (title, None),
                    };
                    Some((Route::open(kind, id).href(), name, day))
                })
                .collect(),
        })
        .collect()
}

#[component]
pub fn ErasurePage() -> impl IntoView {
    let i = use_i18n();
    let nb = use_notebook();
    let draft = RwSignal::new(Request { requested_on: today(), ..Request::default() });
    let form = FormState::new();
    let plan = Memo::new(move |_| {
        let id: ContactId = draft.with(|d| d.contact.parse().ok())?;
        let lang = i.lang.get();
        nb.with(|n| Erasure::plan(n, id).ok().map(|p| (groups(n, &p.erased, lang), groups(n, &p.unlinked, lang))))
    });
    let group_view = move |g: Group, id_prefix: &'static str| {
        let label = i.t(&format!("kind-{}", g.kind.segment()));
        view! {
            <section class="privacy-kind" id=format!("{id_prefix}-{}", g.kind.segment())>
                <h4 class="section-title">{label} " " <span class="badge">{g.titles.len()}</span></h4>
                <ul class="net-list">
                    {g.titles.into_iter().map(|(href, name, day)| view! {
                        <li class="net-row">
                            <a href=href>
                                <bdi class="net-row-title" translate="no">{name}</bdi>
                                {day.map(|d| view! { <span class="net-row-meta">{d}</span> })}
                            </a>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        }
    };
    view! {
        <section class="page privacy-page" id="erasure-page">
            <h2 class="page-title">{move || i.t("erasure-title")}</h2>
            {(!coordinator()).then(|| view! { <p class="hint" id="erasure-coordinator-only">{move || i.t("privacy-coordinator-only")}</p> })}
            <p class="hint">{move || i.t("erasure-intro")}</p>
            <fieldset class="group">
                <ContactPicker draft=draft get=|d: &Request| d.contact.clone() set=|d, v| d.contact = v
                    id="erasure-contact" label={"erasure-contact"} form=form field=Field::Contact/>
                <DateField draft=draft get=|d: &Request| d.requested_on.clone() set=|d, v| d.requested_on = v
                    id="erasure-requested-on" label={"erasure-requested-on"} form=form field=Field::Date/>
            </fieldset>
            {move || match plan.get() {
                None => view! { <p class="empty" id="erasure-pick-first">{move || i.t("erasure-pick-first")}</p> }.into_any(),
                Some((removed, unlinked)) => view! {
                    <section id="erasure-preview">
                        <h3 class="section-title">{move || i.t("erasure-removes")}</h3>
                        {removed.into_iter().map(|g| group_view(g, "erasure-removes")).collect_view()}
                        {(!unlinked.is_empty()).then(|| view! {
                            <h3 class="section-title">{move || i.t("erasure-unlinks")}</h3>
                            {unlinked.into_iter().map(|g| group_view(g, "erasure-unlinks")).collect_view()}
                        })}
                    </section>
                }.into_any(),
            }}
            <p class="banner-info" role="note" id="erasure-later">{move || i.t("privacy-erasure-later")}</p>
        </section>
    }
}
