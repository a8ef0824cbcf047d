//! The network: communities, mentors' profiles and partner organisations,
//! all in the network document. Also the parts the network area's pages
//! share: community pickers, a segmented picker, a text field with
//! suggestions, "show more".

use std::collections::HashMap;

use leptos::prelude::*;
use lotse_model::notebook::Notebook;
use lotse_model::{CommunityId, Field, Role};

use crate::components::field::FieldError;
use crate::components::form::{Choice, FormState};
use crate::hooks::notebook::{my_communities, use_notebook};
use crate::i18n::use_i18n;
use crate::route::{Kind, Route};

/// How many rows a list shows at first, and how many more each "show more"
/// adds.
pub(crate) const PAGE: usize = 50;

/// The name of a community: the network's record, else the device's own
/// membership (a community this device holds but the network has not yet
/// heard of).
pub(crate) fn community_name(n: &Notebook, id: CommunityId) -> Option<String> {
    n.community(id)
        .map(|c| c.name.clone())
        .or_else(|| my_communities().into_iter().find(|(c, _)| *c == id).map(|(_, name)| name))
}

/// Every community for a picker, by name: the network's and the device's.
/// Tracks the notebook.
pub(crate) fn community_choices() -> Vec<Choice> {
    let nb = use_notebook();
    let mut list: Vec<Choice> = nb.with(|n| {
        n.communities().into_iter().map(|c| Choice { value: c.id.to_string(), text: c.name.clone() }).collect()
    });
    for (id, name) in my_communities() {
        let value = id.to_string();
        if !list.iter().any(|c| c.value == value) {
            list.push(Choice { value, text: name });
        }
    }
    list
}

/// The message of `field`, if the form marks it.
pub(crate) fn message_of(form: FormState, field: Option<Field>) -> Signal<Option<String>> {
    match field {
        Some(f) => form.message(f),
        None => Signal::derive(|| None),
    }
}

fn invalid(form: FormState, field: Option<Field>) -> impl Fn() -> Option<&'static str> + Send + Sync + Copy {
    move || field.filter(|f| form.is_invalid(*f)).map(|_| "true")
}

/// A short closed list as a row of big buttons (radio buttons underneath):
/// one tap instead of opening a `<select>`. The group is `#<id>`, each
/// option `#<id>-<value>`.
#[component]
pub fn Segmented<D: Send + Sync + 'static>(
    draft: RwSignal<D>,
    get: fn(&D) -> String,
    set: fn(&mut D, String),
    id: &'static str,
    /// The i18n key of the legend.
    label: &'static str,
    form: FormState,
    #[prop(into)] options: Signal<Vec<Choice>>,
    #[prop(optional)] field: Option<Field>,
) -> impl IntoView {
    let i = use_i18n();
    view! {
        <fieldset class="field net-segmented" id=id aria-describedby=format!("error-{id}")
            aria-invalid=invalid(form, field)>
            <legend>{move || i.t(label)}</legend>
            <div class="net-segments">
                {move || options.get().into_iter().map(|c| {
                    let opt_id = format!("{id}-{}", c.value);
                    let label_for = opt_id.clone();
                    let (is, to) = (c.value.clone(), c.value.clone());
                    // The radio button covers its whole segment: a tap anywhere on
                    // it (or a test clicking `#<id>-<value>`) picks it.
                    view! {
                        <label class="net-segment" for=label_for>
                            <input type="radio" name=id id=opt_id value=c.value.clone()
                                prop:checked=move || draft.with(|d| get(d) == is)
                                on:change=move |_| draft.update(|d| set(d, to.clone()))/>
                            <span>{c.text}</span>
                        </label>
                    }
                }).collect_view()}
            </div>
            <FieldError id=id message=message_of(form, field)/>
        </fieldset>
    }
}

/// A one-line text input that suggests common values (a `<datalist>`) and
/// still takes anything typed.
#[component]
pub fn SuggestField<D: Send + Sync + 'static>(
    draft: RwSignal<D>,
    get: fn(&D) -> String,
    set: fn(&mut D, String),
    id: &'static str,
    label: &'static str,
    form: FormState,
    field: Field,
    /// Values as stored (German names of trades and occupations: the
    /// chambers' own terms, the same on every device).
    suggestions: &'static [&'static str],
) -> impl IntoView {
    let i = use_i18n();
    let list_id = format!("{id}-list");
    view! {
        <div class="field">
            <label for=id>{move || i.t(label)}</label>
            <input id=id type="text" dir="auto" autocomplete="off" list=list_id.clone()
                aria-invalid=invalid(form, Some(field)) aria-describedby=format!("error-{id}")
                prop:value=move || draft.with(get)
                on:input=move |ev| draft.update(|d| set(d, event_target_value(&ev)))/>
            <datalist id=list_id>
                {suggestions.iter().map(|s| view! { <option value=*s></option> }).collect_view()}
            </datalist>
            <FieldError id=id message=form.message(field)/>
        </div>
    }
}

/// A checkbox bound to a draft's flag.
#[component]
pub fn CheckField<D: Send + Sync + 'static>(
    draft: RwSignal<D>,
    get: fn(&D) -> bool,
    set: fn(&mut D, bool),
    id: &'static str,
    label: &'static str,
) -> impl IntoView {
    let i = use_i18n();
    view! {
        <div class="check">
            <input id=id type="checkbox" prop:checked=move || draft.with(get)
                on:change=move |ev| draft.update(|d| set(d, event_target_checked(&ev)))/>
            <label for=id>{move || i.t(label)}</label>
        </div>
    }
}

/// "Show more" under a list that has more rows than it shows.
#[component]
pub fn ShowMore(id: &'static str, limit: RwSignal<usize>, #[prop(into)] more: Signal<usize>) -> impl IntoView {
    let i = use_i18n();
    view! {
        <Show when=move || { more.get() > 0 }>
            <button id=id type="button" class="button net-show-more" on:click=move |_| limit.update(|l| *l += PAGE)>
                {move || i.t_count("net-show-more", more.get().min(PAGE))}
            </button>
        </Show>
    }
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
                <ul class="net-list" id="community-list">
                    {move || communities.get().into_iter().map(|c| view! {
                        <li class="community-row net-row">
                            <a href=Route::open(Kind::Community, c.id).href()>
                                <bdi class="net-row-title" translate="no">{c.name.clone()}</bdi>
                                <span class="net-row-meta">
                                    {(!c.languages.is_empty()).then(|| view! {
                                        <bdi class="community-languages" translate="no">{c.languages.clone()}</bdi>
                                        " · "
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
