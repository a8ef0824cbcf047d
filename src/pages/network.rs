//! The network: communities, mentors' profiles and partner organisations,
//! all in the network document.

use std::collections::HashMap;

use leptos::prelude::*;
use lotse_model::notebook::Notebook;
use lotse_model::{CommunityId, Role};

use crate::components::list_downloads::{list_sheet, ListDownloads};
use crate::hooks::notebook::{my_communities, use_notebook};
use crate::i18n::{language_names, use_i18n};
use crate::route::{Kind, Route};

/// The name of a community: the network's record, else the device's own
/// membership (a community this device holds but the network has not yet
/// heard of).
pub(crate) fn community_name(n: &Notebook, id: CommunityId) -> Option<String> {
    n.community(id)
        .map(|c| c.name.clone())
        .or_else(|| my_communities().into_iter().find(|(c, _)| *c == id).map(|(_, name)| name))
}

#[derive(Debug, Clone, PartialEq)]
struct CommunityRow {
    id: CommunityId,
    name: String,
    languages: String,
    mentors: usize,
    /// Known only for a community this device holds.
    contacts: Option<usize>,
}

#[derive(Debug, Clone, PartialEq)]
struct MentorRow {
    id: String,
    name: String,
    role: Role,
    community: Option<String>,
    active: bool,
}

#[derive(Debug, Clone, PartialEq)]
struct PartnerRow {
    id: String,
    name: String,
    community: Option<String>,
    contact_person: String,
    phone: String,
}

/// Communities (with how many mentors, and contacts where this device holds
/// them), mentors and partner organisations.
#[component]
pub fn NetworkPage() -> impl IntoView {
    let i = use_i18n();
    let nb = use_notebook();
    let communities = Memo::new(move |_| {
        let held: Vec<CommunityId> = my_communities().into_iter().map(|(c, _)| c).collect();
        nb.with(|n| {
            let mut mentors: HashMap<CommunityId, usize> = HashMap::new();
            for c in n.mentors().into_iter().filter(|m| m.active).filter_map(|m| m.community) {
                *mentors.entry(c).or_default() += 1;
            }
            let mut contacts: HashMap<CommunityId, usize> = HashMap::new();
            for c in n.contacts() {
                *contacts.entry(c.community).or_default() += 1;
            }
            n.communities()
                .into_iter()
                .map(|c| CommunityRow {
                    id: c.id,
                    name: c.name.clone(),
                    languages: c.languages.join(", "),
                    mentors: mentors.get(&c.id).copied().unwrap_or(0),
                    contacts: held.contains(&c.id).then(|| contacts.get(&c.id).copied().unwrap_or(0)),
                })
                .collect::<Vec<_>>()
        })
    });
    let mentors = Memo::new(move |_| {
        nb.with(|n| {
            n.mentors()
                .into_iter()
                .map(|m| MentorRow {
                    id: m.id.to_string(),
                    name: m.name.clone(),
                    role: m.role,
                    community: m.community.and_then(|c| community_name(n, c)),
                    active: m.active,
                })
                .collect::<Vec<_>>()
        })
    });
    let partners = Memo::new(move |_| {
        nb.with(|n| {
            n.partners()
                .into_iter()
                .map(|p| PartnerRow {
                    id: p.id.to_string(),
                    name: p.name.clone(),
                    community: p.community.and_then(|c| community_name(n, c)),
                    contact_person: p.contact_person.clone(),
                    phone: p.phone.clone(),
                })
                .collect::<Vec<_>>()
        })
    });
    let communities_sheet =
        Callback::new(move |lang| nb.with_untracked(|n| list_sheet(n, n.communities(), lang, "network-communities")));
    let mentors_sheet =
        Callback::new(move |lang| nb.with_untracked(|n| list_sheet(n, n.mentors(), lang, "network-mentors")));
    let partners_sheet =
        Callback::new(move |lang| nb.with_untracked(|n| list_sheet(n, n.partners(), lang, "network-partners")));
    let add = move |id: &'static str, kind: Kind, key: &'static str| {
        view! {
            <a id=id class="button net-add" href=Route::New(kind, Default::default()).href()>
                <span aria-hidden="true">"+"</span>
                {move || i.t(key)}
            </a>
        }
    };
    view! {
        <section class="page network">
            <h2 class="page-title">{move || i.t("network-title")}</h2>
            <p class="intro">{move || i.t("network-intro")}</p>

            <section class="net-section" aria-labelledby="network-communities">
                <div class="net-section-head">
                    <h3 class="section-title" id="network-communities">{move || i.t("network-communities")}</h3>
                    <span class="count">{move || i.t_count("network-communities-count", communities.with(Vec::len))}</span>
                </div>
                <ListDownloads kind=Kind::Community sheet=communities_sheet/>
                <ul class="net-list" id="community-list">
                    {move || communities.get().into_iter().map(|c| view! {
                        <li class="community-row net-row">
                            <a href=Route::open(Kind::Community, c.id).href()>
                                <bdi class="net-row-title" translate="no">{c.name.clone()}</bdi>
                                <span class="net-row-meta">
                                    {(!c.languages.is_empty()).then(|| {
                                        let codes = c.languages.clone();
                                        let attr = codes.clone();
                                        view! {
                                            <bdi class="community-languages" data-codes=attr>
                                                {move || language_names(i.lang.get(), &codes)}
                                            </bdi>
                                            " · "
                                        }
                                    })}
                                    <span class="community-mentors">{move || i.t_count("network-mentors-count", c.mentors)}</span>
                                    {c.contacts.map(|n| view! {
                                        " · "
                                        <span class="community-contacts">{move || i.t_count("network-contacts-count", n)}</span>
                                    })}
                                </span>
                            </a>
                        </li>
                    }).collect_view()}
                </ul>
                {add("add-community", Kind::Community, "network-add-community")}
            </section>

            <section class="net-section" aria-labelledby="network-mentors">
                <div class="net-section-head">
                    <h3 class="section-title" id="network-mentors">{move || i.t("network-mentors")}</h3>
                    <span class="count">{move || i.t_count("network-mentors-count", mentors.with(|m| m.iter().filter(|m| m.active).count()))}</span>
                </div>
                <ListDownloads kind=Kind::Mentor sheet=mentors_sheet/>
                <ul class="net-list" id="mentor-list">
                    {move || mentors.get().into_iter().map(|m| {
                        let role = m.role.code();
                        view! {
                            <li class="mentor-row net-row" class:inactive=!m.active data-active=m.active.to_string()>
                                <a href=Route::open(Kind::Mentor, &m.id).href()>
                                    <bdi class="net-row-title" translate="no">{m.name.clone()}</bdi>
                                    <span class="net-row-meta">
                                        <span class="mentor-role">{move || i.t(&format!("role-{role}"))}</span>
                                        {m.community.clone().map(|c| view! {
                                            " · " <bdi class="mentor-community" translate="no">{c}</bdi>
                                        })}
                                        {(!m.active).then(|| view! {
                                            " · " <span class="net-badge">{move || i.t("network-inactive")}</span>
                                        })}
                                    </span>
                                </a>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                {add("add-mentor", Kind::Mentor, "network-add-mentor")}
            </section>

            <section class="net-section" aria-labelledby="network-partners">
                <div class="net-section-head">
                    <h3 class="section-title" id="network-partners">{move || i.t("network-partners")}</h3>
                    <span class="count">{move || i.t_count("network-partners-count", partners.with(Vec::len))}</span>
                </div>
                <ListDownloads kind=Kind::Partner sheet=partners_sheet/>
                <Show when=move || partners.with(Vec::is_empty)>
                    <p class="net-empty">{move || i.t("network-partners-empty")}</p>
                </Show>
                <ul class="net-list" id="partner-list">
                    {move || partners.get().into_iter().map(|p| view! {
                        <li class="partner-row net-row">
                            <a href=Route::open(Kind::Partner, &p.id).href()>
                                <bdi class="net-row-title" translate="no">{p.name.clone()}</bdi>
                                <span class="net-row-meta">
                                    {p.community.clone().map(|c| view! { <bdi translate="no">{c}</bdi> })}
                                    {(!p.contact_person.is_empty()).then(|| view! {
                                        {p.community.is_some().then_some(" · ")}
                                        <bdi translate="no">{p.contact_person.clone()}</bdi>
                                    })}
                                    {(!p.phone.is_empty()).then(|| view! {
                                        " · " <span dir="ltr" class="net-phone">{p.phone.clone()}</span>
                                    })}
                                </span>
                            </a>
                        </li>
                    }).collect_view()}
                </ul>
                {add("add-partner", Kind::Partner, "network-add-partner")}
            </section>
        </section>
    }
}
