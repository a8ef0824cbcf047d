//! The institutions mentors refer to (Regelinstitutionen), seeded with
//! Osnabrück's and editable, with how many referrals went to each.

use std::collections::HashMap;

use leptos::prelude::*;
use lotse_model::InstitutionId;

use crate::components::form::{ShowMore, PAGE};
use crate::components::list_downloads::{list_sheet, ListDownloads};
use crate::hooks::notebook::use_notebook;
use crate::i18n::use_i18n;
use crate::route::{Kind, Route};

#[derive(Debug, Clone, PartialEq)]
struct InstitutionRow {
    id: InstitutionId,
    name: String,
    kind: &'static str,
    address: String,
    referrals: usize,
}

#[component]
pub fn InstitutionsPage() -> impl IntoView {
    let i = use_i18n();
    let nb = use_notebook();
    let limit = RwSignal::new(PAGE);
    let page = Memo::new(move |_| {
        let limit = limit.get();
        nb.with(|n| {
            let all = n.institutions();
            let total = all.len();
            // Referrals of the communities this device holds.
            let mut referrals: HashMap<InstitutionId, usize> = HashMap::new();
            for r in n.referrals() {
                *referrals.entry(r.record.institution).or_default() += 1;
            }
            let rows: Vec<InstitutionRow> = all
                .into_iter()
                .take(limit)
                .map(|inst| InstitutionRow {
                    id: inst.id,
                    name: inst.name.clone(),
                    kind: inst.kind.code(),
                    address: inst.address.clone(),
                    referrals: referrals.get(&inst.id).copied().unwrap_or(0),
                })
                .collect();
            (rows, total)
        })
    });
    let more = Signal::derive(move || page.with(|(rows, total)| total - rows.len()));
    let sheet =
        Callback::new(move |lang| nb.with_untracked(|n| list_sheet(n, n.institutions(), lang, "institutions-title")));
    view! {
        <section class="page institutions">
            <div class="page-head">
                <h2 class="page-title">{move || i.t("institutions-title")}</h2>
                <span class="count" id="institutions-count">{move || i.t_count("institutions-count", page.with(|p| p.1))}</span>
            </div>
            <p class="intro">{move || i.t("institutions-intro")}</p>
            <ListDownloads kind=Kind::Institution sheet=sheet/>
            <Show when=move || page.with(|p| p.0.is_empty())>
                <p class="empty">{move || i.t("institutions-empty")}</p>
            </Show>
            <ul class="net-list" id="institution-list">
                {move || page.get().0.into_iter().map(|r| {
                    let kind = r.kind;
                    let referrals = r.referrals;
                    view! {
                        <li class="institution-row net-row" data-kind=kind>
                            <a href=Route::open(Kind::Institution, r.id).href()>
                                <bdi class="net-row-title" translate="no">{r.name.clone()}</bdi>
                                <span class="net-row-meta">
                                    <span class="institution-kind">{move || i.t(&format!("institution-kind-{kind}"))}</span>
                                    " · "
                                    <span class="institution-referrals">{move || i.t_count("institutions-referrals", referrals)}</span>
                                </span>
                                {(!r.address.is_empty()).then(|| view! {
                                    <bdi class="net-row-meta institution-address" translate="no">{r.address.clone()}</bdi>
                                })}
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <ShowMore id="institutions-more" limit=limit more=more/>
            <a id="add-institution" class="fab" href=Route::New(Kind::Institution, Default::default()).href()>
                <span aria-hidden="true">"+"</span>
                {move || i.t("institutions-add")}
            </a>
        </section>
    }
}
