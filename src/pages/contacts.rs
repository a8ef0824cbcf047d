use leptos::prelude::*;
use lotse_model::Contact;

use crate::hooks::use_engine;
use crate::i18n::use_i18n;

/// The contact list with search: the mentor's home page.
#[component]
pub fn ContactsPage() -> impl IntoView {
    let i = use_i18n();
    let query = RwSignal::new(String::new());
    let version = use_engine().map(|e| e.version).unwrap_or_else(|| RwSignal::new(0));
    let all = Memo::new(move |_| {
        version.track();
        use_engine().map(|e| e.contacts()).unwrap_or_default()
    });
    let shown = Memo::new(move |_| {
        let q = query.get();
        all.with(|list| list.iter().filter(|c| c.matches(&q)).cloned().collect::<Vec<Contact>>())
    });
    view! {
        <section class="page contacts">
            <div class="page-head">
                <h2 class="page-title">{move || i.t("contacts-title")}</h2>
                <span class="count">{move || i.t_count("contacts-count", all.with(Vec::len))}</span>
            </div>
            <label class="visually-hidden" for="contact-search">{move || i.t("contacts-search")}</label>
            <input id="contact-search" class="search" type="search" autocomplete="off"
                placeholder=move || i.t("contacts-search")
                prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev))/>
            <Show
                when=move || !shown.with(Vec::is_empty)
                fallback=move || {
                    let q = query.get();
                    let text = if q.trim().is_empty() {
                        i.t("contacts-empty")
                    } else {
                        i.t_args("contacts-none-found", &[("query", q.into())])
                    };
                    view! { <p class="empty">{text}</p> }
                }
            >
                <ul class="contact-list">
                    <For each=move || shown.get() key=|c| (c.id, c.name.clone(), c.district.clone(), c.target_group) let:c>
                        <li class="contact-row">
                            <a href=format!("#/contacts/{}", c.id)>
                                // User data is isolated (a Latin name in an Arabic list, an
                                // Arabic name in a German one) and never machine-translated.
                                <bdi class="contact-name" translate="no">{c.name.clone()}</bdi>
                                <span class="contact-meta">
                                    {move || i.t(&format!("group-{}", c.target_group.code()))}
                                    {(!c.district.is_empty()).then(|| {
                                        let district = c.district.clone();
                                        view! { " · " <bdi translate="no">{district}</bdi> }
                                    })}
                                </span>
                            </a>
                        </li>
                    </For>
                </ul>
            </Show>
            <a id="add-contact" class="fab" href="#/contacts/new">
                <span aria-hidden="true">"+"</span>
                <span>{move || i.t("contacts-add")}</span>
            </a>
        </section>
    }
}
