//! The desk's list of likely duplicate contacts: pairs with the same phone
//! or a name that sounds the same in any script. Each pair is merged (a
//! person picks the contact to keep and confirms) or marked "not the same
//! person"; both are saves like any other and work offline.

use leptos::prelude::*;
use lotse_model::duplicates::Why;
use lotse_model::{ContactId, Kind};

use crate::components::contact_picker::ContactMeta;
use crate::components::form::{ShowMore, PAGE};
use crate::hooks::notebook::{save, save_rows, use_notebook};
use crate::i18n::{use_i18n, I18n};
use crate::route::Route;

/// One contact of a pair, as the list shows it.
#[derive(Debug, Clone, PartialEq)]
struct Side {
    id: ContactId,
    name: String,
    phone: String,
    meta: ContactMeta,
    /// Its consultations and referrals: what a person weighs when picking
    /// the one to keep.
    records: usize,
}

/// A pair, with whether it can be merged here.
#[derive(Debug, Clone, PartialEq)]
struct Pair {
    a: Side,
    b: Side,
    why: Vec<Why>,
    same_community: bool,
}

/// What the page last did, for the banner at its top.
#[derive(Debug, Clone, PartialEq)]
enum Done {
    Merged { keep: ContactId, name: String },
    NotTheSame,
    Failed,
}

#[component]
pub fn DuplicatesPage() -> impl IntoView {
    let i = use_i18n();
    let nb = use_notebook();
    let limit = RwSignal::new(PAGE);
    let done = RwSignal::new(None::<Done>);
    let busy = RwSignal::new(false);
    let pairs = Memo::new(move |_| {
        nb.with(|n| {
            n.likely_duplicates(&Default::default())
                .into_iter()
                .filter_map(|p| {
                    let side = |id| {
                        n.contact(id).map(|c| Side {
                            id,
                            name: c.record.name.clone(),
                            phone: c.record.phone.clone(),
                            meta: ContactMeta::of(n, c),
                            records: n.consultations_of(id).len() + n.referrals_of(id).len(),
                        })
                    };
                    let community = |id| n.contact(id).map(|c| c.community);
                    let same_community = community(p.a) == community(p.b);
                    Some(Pair { a: side(p.a)?, b: side(p.b)?, why: p.why, same_community })
                })
                .collect::<Vec<_>>()
        })
    });
    let more = Signal::derive(move || pairs.with(Vec::len).saturating_sub(limit.get()));

    // Both act on the notebook as it is when the person confirms.
    let merge = Callback::new(move |(keep, gone, name): (ContactId, ContactId, String)| {
        if busy.get_untracked() {
            return;
        }
        let Ok(plan) = nb.with_untracked(|n| n.merge(keep, gone)) else {
            done.set(Some(Done::Failed));
            return;
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let mut ok = true;
            // The records that move first, the merged contact last: a merge
            // cut short leaves both listed and can be done again.
            for (place, rows) in plan.writes() {
                if save_rows(place, rows).await.is_err() {
                    ok = false;
                    break;
                }
            }
            busy.try_set(false);
            done.try_set(Some(if ok { Done::Merged { keep, name } } else { Done::Failed }));
        });
    });
    let not_the_same = Callback::new(move |(a, b): (ContactId, ContactId)| {
        if busy.get_untracked() {
            return;
        }
        let Ok((place, record)) = nb.with_untracked(|n| n.not_the_same(a, b)) else {
            done.set(Some(Done::Failed));
            return;
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = save(place, record).await;
            busy.try_set(false);
            done.try_set(Some(if result.is_ok() { Done::NotTheSame } else { Done::Failed }));
        });
    });

    view! {
        <section class="page duplicates-page">
            <h2 class="page-title">{move || i.t("duplicates-title")}</h2>
            <p class="hint">{move || i.t("duplicates-intro")}</p>
            {move || done.get().map(|d| banner(i, d))}
            <Show when=move || pairs.with(Vec::is_empty)>
                <p class="empty" id="duplicates-none">{move || i.t("duplicates-none")}</p>
            </Show>
            <ul class="duplicate-pairs">
                {move || pairs.get().into_iter().take(limit.get()).map(|p| {
                    pair_view(i, p, busy, merge, not_the_same)
                }).collect_view()}
            </ul>
            <ShowMore id="duplicates-more" limit=limit more=more/>
        </section>
    }
}

fn banner(i: I18n, done: Done) -> AnyView {
    match done {
        Done::Merged { keep, name } => view! {
            <p class="banner-ok" role="status" id="duplicates-merged">
                {move || i.t_args("duplicates-merged", &[("name", name.clone().into())])} " "
                <a href=Route::open(Kind::Contact, keep).href()>{move || i.t("duplicates-open")}</a>
            </p>
        }
        .into_any(),
        Done::NotTheSame => view! {
            <p class="banner-ok" role="status" id="duplicates-kept-apart">{move || i.t("duplicates-kept-apart")}</p>
        }
        .into_any(),
        Done::Failed => view! {
            <p class="banner-error" role="alert" id="duplicates-failed">{move || i.t("duplicates-failed")}</p>
        }
        .into_any(),
    }
}

fn pair_view(
    i: I18n,
    p: Pair,
    busy: RwSignal<bool>,
    merge: Callback<(ContactId, ContactId, String)>,
    not_the_same: Callback<(ContactId, ContactId)>,
) -> impl IntoView {
    // The contact the person picked to keep, until they confirm or cancel.
    let keeping = RwSignal::new(None::<bool>);
    let reasons: Vec<&'static str> = p
        .why
        .iter()
        .map(|w| match w {
            Why::SamePhone => "duplicates-why-phone",
            Why::SameName => "duplicates-why-name",
        })
        .collect();
    let (id_a, id_b) = (p.a.id, p.b.id);
    let names = (p.a.name.clone(), p.b.name.clone());
    let sides = [(p.a, true), (p.b, false)];
    let same_community = p.same_community;
    view! {
        <li class="duplicate-pair" data-a=id_a.to_string() data-b=id_b.to_string()>
            <p class="duplicate-why">
                {reasons.into_iter().map(|k| view! { <span class="badge">{move || i.t(k)}</span> " " }).collect_view()}
            </p>
            {sides.into_iter().map(|(s, is_a)| {
                let records = s.records;
                view! {
                    <div class="duplicate-side" class:keeping=move || keeping.get() == Some(is_a)>
                        <a class="duplicate-open" href=Route::open(Kind::Contact, s.id).href()>
                            <bdi class="contact-name" translate="no">{s.name}</bdi>
                            <span class="contact-meta">{s.meta.view(i)}</span>
                            {(!s.phone.is_empty()).then(|| view! {
                                <span class="duplicate-phone" dir="ltr">{s.phone}</span>
                            })}
                            <span class="duplicate-records">{move || i.t_count("duplicates-records", records)}</span>
                        </a>
                        {same_community.then(|| view! {
                            <button type="button" class="button duplicate-keep"
                                class:selected=move || keeping.get() == Some(is_a)
                                aria-pressed=move || (keeping.get() == Some(is_a)).to_string()
                                disabled=move || busy.get()
                                on:click=move |_| keeping.set(Some(is_a))>
                                {move || i.t("duplicates-keep")}
                            </button>
                        })}
                    </div>
                }
            }).collect_view()}
            {move || keeping.get().map(|keep_a| {
                let (keep, gone) = if keep_a { (id_a, id_b) } else { (id_b, id_a) };
                let (keep_name, gone_name) =
                    if keep_a { (names.0.clone(), names.1.clone()) } else { (names.1.clone(), names.0.clone()) };
                let args_keep = keep_name.clone();
                view! {
                    <div class="duplicate-confirm" role="group" aria-labelledby="duplicate-confirm-text">
                        <p id="duplicate-confirm-text">
                            {move || i.t_args("duplicates-confirm", &[
                                ("keep", args_keep.clone().into()),
                                ("gone", gone_name.clone().into()),
                            ])}
                        </p>
                        <div class="actions">
                            <button type="button" class="button primary duplicate-merge" disabled=move || busy.get()
                                on:click=move |_| merge.run((keep, gone, keep_name.clone()))>
                                {move || i.t("duplicates-merge")}
                            </button>
                            <button type="button" class="button duplicate-cancel" on:click=move |_| keeping.set(None)>
                                {move || i.t("contact-cancel")}
                            </button>
                        </div>
                    </div>
                }
            })}
            <div class="duplicate-actions">
                {(!same_community).then(|| view! {
                    <p class="hint duplicate-apart">{move || i.t("duplicates-other-communities")}</p>
                })}
                <button type="button" class="button duplicate-not-same" disabled=move || busy.get()
                    on:click=move |_| not_the_same.run((id_a, id_b))>
                    {move || i.t("duplicates-not-same")}
                </button>
            </div>
        </li>
    }
}
