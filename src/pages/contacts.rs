use leptos::prelude::*;
use lotse_model::import::Target;
use lotse_model::notebook::{InCommunity, Notebook};
use lotse_model::{Contact, ContactId};

use crate::components::contact_picker::ContactMeta;
use crate::components::list_downloads::{list_sheet, ListDownloads};
use crate::hooks::notebook::{today, use_notebook};
use crate::hooks::use_device;
use crate::i18n::use_i18n;
use crate::pages::consultations::{list_state, page_limit, ListFilters, ShowMore};
use crate::route::{Kind, Route};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Row {
    id: ContactId,
    name: String,
    meta: ContactMeta,
}

impl Row {
    fn of(n: &Notebook, c: &InCommunity<Contact>) -> Row {
        Row { id: c.record.id, name: c.record.name.clone(), meta: ContactMeta::of(n, c) }
    }
}

/// The contact list with search and filters (community, target group):
/// 50 at a time, however many there are.
#[component]
pub fn ContactsPage() -> impl IntoView {
    let i = use_i18n();
    let nb = use_notebook();
    let state = list_state("contacts");
    let limit = page_limit(state);
    let found = Memo::new(move |_| {
        let f = state.with(|s| s.filter(&today()));
        let limit = limit.get();
        nb.with(|n| {
            let page = n.contacts_matching(&f, limit);
            (page.items.iter().map(|c| Row::of(n, c)).collect::<Vec<_>>(), page.total)
        })
    });
    let none_at_all = Memo::new(move |_| nb.with(|n| n.contacts().next().is_none()));
    let total = move || found.with(|(_, t)| *t);
    let more = Signal::derive(move || found.with(|(rows, t)| t - rows.len()));
    let sheet = Callback::new(move |lang| {
        let f = state.with_untracked(|s| s.filter(&today()));
        nb.with_untracked(|n| {
            let all = n.contacts_matching(&f, usize::MAX).items;
            list_sheet(n, all.iter().map(|c| &c.record), lang, "contacts-title")
        })
    });
    view! {
        <section class="page contacts">
            <div class="page-head">
                <h2 class="page-title">{move || i.t("contacts-title")}</h2>
                <span class="count" id="contact-count">{move || i.t_count("contacts-count", total())}</span>
            </div>
            <label class="visually-hidden" for="contact-search">{move || i.t("contacts-search")}</label>
            <input id="contact-search" class="search" type="search" autocomplete="off" dir="auto"
                placeholder=move || i.t("contacts-search")
                prop:value=move || state.with(|s| s.text.clone())
                on:input=move |ev| state.update(|s| s.text = event_target_value(&ev))/>
            <ListFilters state=state group=true/>
            <ListDownloads kind=Kind::Contact sheet=sheet/>
            {use_device().is_some_and(|d| d.coordinator).then(|| view! {
                <a id="import-contacts" class="button import-link" href=Route::Import(Target::Contacts).href()>{move || i.t("import-action")}</a>
            })}
            <Show
                when=move || { total() > 0 }
                fallback=move || {
                    let q = state.with(|s| s.text.trim().to_owned());
                    let text = if none_at_all.get() {
                        i.t("contacts-empty")
                    } else if q.is_empty() {
                        i.t("advice-none-match")
                    } else {
                        i.t_args("contacts-none-found", &[("query", q.into())])
                    };
                    view! { <p class="empty">{text}</p> }
                }
            >
                <ul class="contact-list">
                    <For each=move || found.with(|(rows, _)| rows.clone()) key=|r| r.clone() let:r>
                        <li class="contact-row">
                            <a href=Route::open(Kind::Contact, r.id).href()>
                                // User data is isolated (a Latin name in an Arabic list, an
                                // Arabic name in a German one) and never machine-translated.
                                <bdi class="contact-name" translate="no">{r.name.clone()}</bdi>
                                <span class="contact-meta">{r.meta.clone().view(i)}</span>
                            </a>
                        </li>
                    </For>
                </ul>
            </Show>
            <ShowMore limit=limit more=more/>
            <a id="add-contact" class="fab" href="#/contacts/new">
                <span aria-hidden="true">"+"</span>
                <span>{move || i.t("contacts-add")}</span>
            </a>
        </section>
    }
}
