//! The rights of the people in the notebook, on a coordinator's device:
//! contacts past their community's retention period (`#/retention`) and
//! erasing one person (`#/erasure`). Both show [`Erasure::plan`]; the
//! erasure page then has the engine rewrite each community document that
//! names the person into a new epoch (`engine::moves`) and shows the
//! receipts of the erasures this device made: counts, dates and which
//! devices have moved, nothing that names the person.

use std::collections::BTreeSet;

use leptos::prelude::*;
use lotse_model::erasure::{ErasedIds, Erasure};
use lotse_model::notebook::Notebook;
use lotse_model::retention::expired;
use lotse_model::{CommunityId, ContactId, Field, Kind};
use lotse_sync::DocAddr;

use crate::components::contact_picker::ContactPicker;
use crate::components::form::{DateField, FormState, ShowMore, PAGE};
use crate::engine::protocol::{EpochMove, EraseRefused, MoveState, Receipt};
use crate::hooks::engine::{use_device, use_engine};
use crate::hooks::notebook::{today, use_notebook};
use crate::i18n::{format_date_time, use_i18n, I18n, Lang};
use crate::pages::consultations::date_words;
use crate::pages::devices::{device_name, short_key};
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
    // Everyone past a period, erased in one step (the whole list, not
    // only the rows shown).
    let target = Signal::derive(move || {
        let day = today();
        nb.with(|n| {
            let mut t = Target {
                communities: BTreeSet::new(),
                erased: ErasedIds::default(),
                unlinked: ErasedIds::default(),
                requested_on: day.clone(),
            };
            for c in n.communities() {
                for e in expired(n, c.id, &day) {
                    if let Ok(plan) = Erasure::plan(n, e.contact) {
                        t.communities.extend(plan.communities);
                        t.erased.extend(&plan.erased);
                        t.unlinked.extend(&plan.unlinked);
                    }
                }
            }
            (!t.erased.is_empty()).then_some(t)
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
            {coordinator().then(|| view! {
                <EraseAction target=target on_done=Callback::new(|()| {})
                    label=Signal::derive(move || {
                        // The people listed (a merged duplicate goes with its person).
                        let n = lists.with(|l| l.iter().map(|c| c.total).sum());
                        i.t_count("retention-erase-all", n)
                    })/>
            })}
            <Receipts/>
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
    let target = Signal::derive(move || {
        let id: ContactId = draft.with(|d| d.contact.parse().ok())?;
        let plan = nb.with(|n| Erasure::plan(n, id).ok())?;
        Some(Target {
            communities: plan.communities,
            erased: plan.erased,
            unlinked: plan.unlinked,
            requested_on: draft.with(|d| d.requested_on.clone()),
        })
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
            {coordinator().then(|| view! {
                <EraseAction target=target label=Signal::derive(move || i.t("erasure-erase"))
                    on_done=Callback::new(move |()| draft.update(|d| d.contact.clear()))/>
            })}
            <Receipts/>
        </section>
    }
}

/// How long devices have to move, in days (the coordinator picks one).
const DEADLINES: [u32; 4] = [7, 14, 30, 90];

/// What the page says when the engine did not start an erasure.
fn refused_text(i: I18n, e: &EraseRefused) -> String {
    match e {
        EraseRefused::NotCoordinator => i.t("privacy-coordinator-only"),
        EraseRefused::NotSynced => i.t("erasure-not-synced"),
        EraseRefused::Busy => i.t("erasure-busy"),
        EraseRefused::Failed(why) => i.t_args("erasure-failed", &[("why", why.clone().into())]),
    }
}

/// What one erasure removes: the records of one person, or of every
/// contact past a retention period.
#[derive(Debug, Clone, PartialEq)]
struct Target {
    communities: BTreeSet<CommunityId>,
    erased: ErasedIds,
    /// Kept but unlinked (training places): the network document is
    /// rewritten too.
    unlinked: ErasedIds,
    requested_on: String,
}

/// The erase button, its confirmation and its outcome.
#[component]
fn EraseAction(
    #[prop(into)] target: Signal<Option<Target>>,
    #[prop(into)] label: Signal<String>,
    on_done: Callback<()>,
) -> impl IntoView {
    let i = use_i18n();
    let days = RwSignal::new(DEADLINES[1]);
    let confirming = RwSignal::new(false);
    let working = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<(), EraseRefused>>);
    let erase = move |_| {
        let (Some(engine), Some(device)) = (use_engine(), use_device()) else { return };
        let Some(Target { communities, erased, unlinked, requested_on }) = target.get_untracked() else { return };
        if working.get_untracked() {
            return;
        }
        let mut addrs: Vec<DocAddr> = communities.iter().filter_map(|c| device.addr_of(*c)).collect();
        if !unlinked.is_empty() {
            addrs.push(device.network_addr());
        }
        let deadline_days = days.get_untracked();
        working.set(true);
        outcome.set(None);
        leptos::task::spawn_local(async move {
            let result = engine.erase(addrs, erased, unlinked, requested_on, deadline_days).await;
            working.set(false);
            confirming.set(false);
            if result.is_ok() {
                on_done.run(());
            }
            outcome.set(Some(result));
        });
    };
    view! {
        <section id="erasure-action">
            {move || target.with(Option::is_some).then(|| view! {
                <div class="group">
                    <label for="erasure-days">{move || i.t("erasure-days")}</label>
                    <select id="erasure-days" on:change=move |ev| {
                        if let Ok(n) = event_target_value(&ev).parse() {
                            days.set(n);
                        }
                    }>
                        {DEADLINES.into_iter().map(|n| view! {
                            <option value=n.to_string() selected=move || days.get() == n>
                                {move || i.t_count("erasure-days-option", n as usize)}
                            </option>
                        }).collect_view()}
                    </select>
                    {move || if confirming.get() {
                        view! {
                            <div class="retire-confirm" role="group" aria-labelledby="erasure-confirm-text">
                                <p id="erasure-confirm-text">{move || i.t("erasure-confirm-text")}</p>
                                <div class="actions">
                                    <button type="button" class="button danger" id="erasure-confirm"
                                        disabled=move || working.get() on:click=erase>
                                        {move || if working.get() { i.t("erasure-working") } else { i.t("erasure-confirm") }}
                                    </button>
                                    <button type="button" class="button" id="erasure-cancel"
                                        on:click=move |_| confirming.set(false)>
                                        {move || i.t("erasure-cancel")}
                                    </button>
                                </div>
                            </div>
                        }.into_any()
                    } else {
                        view! {
                            <button type="button" class="button danger" id="erasure-erase" on:click=move |_| {
                                outcome.set(None);
                                confirming.set(true);
                            }>
                                {move || label.get()}
                            </button>
                        }.into_any()
                    }}
                </div>
            })}
            {move || outcome.get().map(|o| match o {
                Ok(()) => view! { <p class="banner-info" role="status" id="erasure-done">{move || i.t("erasure-done")}</p> }.into_any(),
                Err(e) => view! { <p class="banner-error" role="alert" id="erasure-refused">{refused_text(i, &e)}</p> }.into_any(),
            })}
        </section>
    }
}

/// "Contact 1 · Consultation 3" from a receipt's counts.
fn receipt_counts(i: I18n, counts: &[(String, usize)]) -> String {
    counts
        .iter()
        .filter_map(|(c, n)| Some(format!("{} {n}", i.t(&format!("kind-{}", Kind::from_collection(c)?.segment())))))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Each device the receipt's moves waited for: its name, whether it has
/// moved every document, is still waited for or no longer (removed from
/// the network), and that in words.
fn receipt_devices(i: I18n, r: &Receipt, moves: &[EpochMove]) -> Vec<(String, MoveState, String)> {
    let (Some(engine), Some(device)) = (use_engine(), use_device()) else { return vec![] };
    let nb = use_notebook();
    let devices = engine.access.with_untracked(|a| a.devices.clone());
    let mut seen = BTreeSet::new();
    let keys: Vec<[u8; 32]> =
        moves.iter().flat_map(|m| m.devices.iter().map(|d| d.key)).filter(|k| seen.insert(*k)).collect();
    keys.into_iter()
        .map(|key| {
            let of = || moves.iter().flat_map(|m| m.devices.iter()).filter(move |d| d.key == key);
            let known = devices.iter().find(|d| d.key == key);
            let who = match known.and_then(|d| device_name(nb, &device, d)) {
                Some(n) => i.t_args("devices-phone-of", &[("name", n.into())]),
                None => i.t_args("devices-device", &[("key", short_key(&key).into())]),
            };
            let (state, text) = if of().all(|d| d.state == MoveState::Moved) {
                (MoveState::Moved, "erasure-device-moved")
            } else if of().any(|d| d.state == MoveState::Waiting) {
                (MoveState::Waiting, "erasure-device-waiting")
            } else {
                (MoveState::Gone, "erasure-device-gone")
            };
            let seen = r.seen_moved.iter().find(|(k, _)| *k == key).map(|(_, at)| *at);
            let mut text = match seen.filter(|_| state == MoveState::Moved) {
                Some(at) => i.t_args(
                    "erasure-device-moved-at",
                    &[("time", format_date_time(i.lang.get_untracked(), at as f64).into())],
                ),
                None => i.t(text),
            };
            let dropped: Vec<(String, usize)> = of().flat_map(|d| d.dropped.iter().cloned()).collect();
            if !dropped.is_empty() {
                let what = receipt_counts(i, &dropped);
                text = format!("{text} · {}", i.t_args("erasure-device-dropped", &[("what", what.into())]));
            }
            (who, state, text)
        })
        .collect()
}

/// The erasures this device made, newest first.
#[component]
fn Receipts() -> impl IntoView {
    let i = use_i18n();
    let Some(engine) = use_engine() else { return ().into_any() };
    let access = engine.access;
    let receipt_view = move |r: Receipt, moves: Vec<EpochMove>| {
        let lang = i.lang.get();
        let device = use_device();
        let places: Vec<String> = r
            .moves
            .iter()
            .filter_map(|(doc, _)| {
                let d = device.as_ref()?;
                if d.network.doc == doc.0 {
                    return Some(i.t("erasure-network"));
                }
                d.communities.iter().find(|c| c.doc == doc.0).map(|c| c.community_name.clone())
            })
            .collect();
        let date = crate::i18n::format_date(lang, &r.requested_on).unwrap_or(r.requested_on.clone());
        let devices = receipt_devices(i, &r, &moves);
        // Every move read from the membership, and none waits for a device.
        let everyone = moves.len() == r.moves.len() && devices.iter().all(|(_, state, _)| *state != MoveState::Waiting);
        let relay = if everyone {
            match r.seen_done {
                Some(at) => i.t_args("erasure-relay-deleted-at", &[("time", format_date_time(lang, at as f64).into())]),
                None => i.t("erasure-relay-deleted"),
            }
        } else {
            let deadline = format_date_time(lang, r.deadline as f64 * 1000.0);
            i.t_args("erasure-relay-deletes", &[("date", deadline.into())])
        };
        let removed = i.t_args("erasure-receipt-removed", &[("what", receipt_counts(i, &r.removed).into())]);
        let unlinked = (!r.unlinked.is_empty())
            .then(|| i.t_args("erasure-receipt-unlinked", &[("what", receipt_counts(i, &r.unlinked).into())]));
        let made = i.t_args("erasure-receipt-made", &[("time", format_date_time(lang, r.made_at as f64).into())]);
        let requested = i.t_args("erasure-receipt-requested", &[("date", date.into())]);
        view! {
            <li class="receipt" data-everyone=everyone.to_string()>
                <p class="receipt-title"><bdi translate="no">{places.join(", ")}</bdi> " · " {requested}</p>
                <p class="receipt-made">{made}</p>
                <p class="receipt-counts">{removed}</p>
                {unlinked.map(|u| view! { <p class="receipt-unlinked">{u}</p> })}
                <ul class="receipt-devices">
                    {devices.into_iter().map(|(who, state, text)| view! {
                        <li class="receipt-device" data-state=state.code()><bdi translate="no">{who}</bdi> ": " {text}</li>
                    }).collect_view()}
                </ul>
                <p class="receipt-relay">{relay}</p>
            </li>
        }
    };
    view! {
        {move || {
            let (receipts, moves) = access.with(|a| (a.receipts.clone(), a.moves.clone()));
            (!receipts.is_empty()).then(|| view! {
                <section id="erasure-receipts">
                    <h3 class="section-title">{move || i.t("erasure-receipts")}</h3>
                    <ul class="net-list">
                        {receipts.into_iter().rev().map(|r| {
                            let mine: Vec<EpochMove> =
                                moves.iter().filter(|m| r.moves.contains(&(m.doc, m.to))).cloned().collect();
                            receipt_view(r, mine)
                        }).collect_view()}
                    </ul>
                </section>
            })
        }}
    }
    .into_any()
}
