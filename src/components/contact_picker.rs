//! Picking the person a record is about: type part of a name, tap one of at
//! most eight matches (however many contacts the notebook holds), or create
//! the contact on the way, consent first, without leaving the form.

use std::cell::RefCell;
use std::collections::HashMap;

use leptos::prelude::*;
use lotse_model::notebook::{InCommunity, Notebook};
use lotse_model::{
    CommunityId, ConsentScope, Contact, ContactDraft, ContactId, Field, Filter, RecordKind, TargetGroup,
};
use wasm_bindgen::JsCast;

use crate::components::field::FieldError;
use crate::components::form::{choices_of, save_failed_key, Bind, ChoiceField, DateField, Draft, FormState, TextField};
use crate::device::random;
use crate::hooks::notebook::{home_community, my_communities, save, stamp, today, use_notebook};
use crate::i18n::{use_i18n, I18n};

/// How many contacts the picker lists at once.
const SHOWN: usize = 8;
/// How many of the latest contacts it offers before anything is typed.
const RECENT: usize = 4;

/// `"<id>-<suffix>"` as a `'static` id (the form kit's fields want one);
/// each is made once per page life.
pub fn id_with(id: &str, suffix: &str) -> &'static str {
    thread_local! {
        static IDS: RefCell<HashMap<String, &'static str>> = RefCell::new(HashMap::new());
    }
    let key = format!("{id}-{suffix}");
    IDS.with(|m| *m.borrow_mut().entry(key.clone()).or_insert_with(|| Box::leak(key.into_boxed_str())))
}

/// A community's name as the network knows it, else as this device does.
pub fn community_name(n: &Notebook, id: CommunityId) -> String {
    n.community(id)
        .map(|c| c.name.clone())
        .or_else(|| my_communities().into_iter().find(|(c, _)| *c == id).map(|(_, name)| name))
        .unwrap_or_default()
}

/// What tells two namesakes apart: target group, community (on a device
/// with several), district.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ContactMeta {
    pub group: TargetGroup,
    pub community: Option<String>,
    pub district: String,
}

impl ContactMeta {
    pub fn of(n: &Notebook, c: &InCommunity<Contact>) -> ContactMeta {
        let many = my_communities().len() > 1;
        ContactMeta {
            group: c.record.target_group,
            community: many.then(|| community_name(n, c.community)).filter(|s| !s.is_empty()),
            district: c.record.district.clone(),
        }
    }

    /// "Parent · Turkish community · Schinkel", each name isolated so a
    /// Latin name keeps its place in an Arabic line.
    pub fn view(self, i: I18n) -> impl IntoView {
        let group = self.group;
        view! {
            {move || i.t(&format!("group-{}", group.code()))}
            {self.community.map(|c| view! { " · " <bdi translate="no">{c}</bdi> })}
            {(!self.district.is_empty()).then(|| view! { " · " <bdi translate="no">{self.district}</bdi> })}
        }
    }
}

/// One contact the picker offers.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Offer {
    id: ContactId,
    name: String,
    meta: ContactMeta,
}

/// The most recently added contacts, newest first.
fn recent(n: &Notebook) -> Vec<&InCommunity<Contact>> {
    let newest = |a: &&InCommunity<Contact>, b: &&InCommunity<Contact>| {
        b.record.created_at.cmp(&a.record.created_at).then(a.record.id.cmp(&b.record.id))
    };
    let mut list: Vec<_> = n.contacts().collect();
    if list.len() > RECENT {
        list.select_nth_unstable_by(RECENT - 1, newest);
        list.truncate(RECENT);
    }
    lotse_model::order::sort_by(&mut list, newest);
    list
}

fn quick_initial() -> ContactDraft {
    ContactDraft {
        target_group: TargetGroup::Parent.code().into(),
        consent_date: today(),
        consent_scope: ConsentScope::Advice.code().into(),
        ..ContactDraft::default()
    }
}

/// Picks a contact into the form's draft (its id as text, empty for none).
///
/// Ids: `#<id>` (the block), `#<id>-search`, `.picker-option` (each match,
/// `data-id` = the contact's id), `#<id>-chosen` and `#<id>-change` once one
/// is picked, `#<id>-new` (new contact), and in the quick form
/// `#<id>-new-name`, `#<id>-new-group`, `#<id>-new-phone`,
/// `#<id>-new-consent`, `#<id>-new-consent-date`, `#<id>-new-scope`,
/// `#<id>-new-save`, `#<id>-new-cancel`. The field's problem: `#error-<id>`.
#[component]
pub fn ContactPicker<D: Send + Sync + 'static>(
    draft: RwSignal<D>,
    get: fn(&D) -> String,
    set: fn(&mut D, String),
    id: &'static str,
    /// The i18n key of the label.
    label: &'static str,
    form: FormState,
    field: Field,
) -> impl IntoView {
    picker(Bind::new(draft, get, set), id, label, form, field)
}

fn picker(b: Bind<String>, id: &'static str, label: &'static str, form: FormState, field: Field) -> AnyView {
    let i = use_i18n();
    let nb = use_notebook();
    let search_id = id_with(id, "search");
    let query = RwSignal::new(String::new());
    let creating = RwSignal::new(false);
    // Only a change of the picked id re-renders the picker, not typing elsewhere.
    let chosen = Memo::new(move |_| b.value.get());

    let offers = Memo::new(move |_| {
        let q = query.get();
        nb.with(|n| {
            let list = if q.trim().is_empty() {
                recent(n)
            } else {
                n.contacts_matching(&Filter { text: q, ..Filter::default() }, SHOWN).items
            };
            list.into_iter()
                .map(|c| Offer { id: c.record.id, name: c.record.name.clone(), meta: ContactMeta::of(n, c) })
                .collect::<Vec<_>>()
        })
    });
    let pick = move |c: ContactId| {
        b.set(c.to_string());
        query.set(String::new());
        creating.set(false);
    };
    let on_created = Callback::new(pick);

    // Enter picks the first match instead of sending the form.
    let on_search_key = move |ev: web_sys::KeyboardEvent| {
        if ev.key() == "Enter" {
            ev.prevent_default();
            if let Some(first) = offers.with_untracked(|o| o.first().map(|o| o.id)) {
                pick(first);
            }
        }
    };
    let search = move || {
        view! {
            <label for=search_id>{move || i.t(label)}</label>
            <input id=search_id class="picker-search" type="search" autocomplete="off" dir="auto"
                placeholder=move || i.t("picker-search")
                aria-invalid=move || form.is_invalid(field).then_some("true")
                aria-describedby=format!("error-{id}")
                prop:value=move || query.get()
                on:input=move |ev| query.set(event_target_value(&ev))
                on:keydown=on_search_key/>
            <FieldError id=id message=form.message(field)/>
            <Show when=move || query.with(|q| q.trim().is_empty()) && !offers.with(Vec::is_empty)>
                <p class="hint picker-hint">{move || i.t("picker-recent")}</p>
            </Show>
            <Show when=move || !query.with(|q| q.trim().is_empty()) && offers.with(Vec::is_empty)>
                <p class="hint picker-hint">
                    {move || i.t_args("contacts-none-found", &[("query", query.get().into())])}
                </p>
            </Show>
            <ul class="picker-options">
                <For each=move || offers.get() key=|o| o.clone() let:o>
                    <li>
                        <button type="button" class="picker-option" data-id=o.id.to_string()
                            on:click=move |_| pick(o.id)>
                            <bdi class="contact-name" translate="no">{o.name.clone()}</bdi>
                            <span class="contact-meta">{o.meta.clone().view(i)}</span>
                        </button>
                    </li>
                </For>
            </ul>
            <Show
                when=move || creating.get()
                fallback=move || view! {
                    <button type="button" class="button picker-new" id=id_with(id, "new")
                        on:click=move |_| creating.set(true)>
                        <span aria-hidden="true">"+"</span>
                        {move || i.t("picker-new")}
                    </button>
                }
            >
                <QuickContact id=id query=query creating=creating on_created=on_created/>
            </Show>
        }
        .into_any()
    };

    let picked = move |cid: String| {
        let found = cid
            .parse::<ContactId>()
            .ok()
            .and_then(|c| nb.with(|n| n.contact(c).map(|c| (c.record.name.clone(), ContactMeta::of(n, c)))));
        let (name, meta) = match found {
            Some((name, meta)) => (name, Some(meta)),
            None => (i.t("picker-unknown"), None),
        };
        view! {
            <p class="label" id=id_with(id, "label")>{move || i.t(label)}</p>
            <div class="picked" id=id_with(id, "chosen") aria-labelledby=id_with(id, "label")>
                <span class="picked-text">
                    <bdi class="contact-name" translate="no">{name}</bdi>
                    <span class="contact-meta">{meta.map(|m| m.view(i))}</span>
                </span>
                <button type="button" class="button" id=id_with(id, "change")
                    on:click=move |_| b.set(String::new())>
                    {move || i.t("picker-change")}
                </button>
            </div>
            <FieldError id=id message=form.message(field)/>
        }
        .into_any()
    };

    view! {
        <div class="field contact-picker" id=id>
            {move || {
                let c = chosen.get();
                if c.trim().is_empty() { search() } else { picked(c) }
            }}
        </div>
    }
    .into_any()
}

/// The inline "new contact": name, target group, phone and consent. It
/// saves the contact in the home community, then picks it.
#[component]
fn QuickContact(
    id: &'static str,
    query: RwSignal<String>,
    creating: RwSignal<bool>,
    on_created: Callback<ContactId>,
) -> impl IntoView {
    let i = use_i18n();
    let nb = use_notebook();
    let quick = Draft::new(format!("quick-contact-{id}"), quick_initial());
    let form = FormState::new();
    // What was typed into the search is most likely the name.
    let typed = query.get_untracked();
    if !typed.trim().is_empty() {
        quick.value.update(|d| d.name = typed.trim().to_owned());
    }
    let name_id = id_with(id, "new-name");
    let group_id = id_with(id, "new-group");
    let phone_id = id_with(id, "new-phone");
    let consent_id = id_with(id, "new-consent");
    let date_id = id_with(id, "new-consent-date");
    let scope_id = id_with(id, "new-scope");
    let id_of = move |f: Field| match f {
        Field::TargetGroup => group_id,
        Field::Phone => phone_id,
        Field::Consent => consent_id,
        Field::ConsentDate => date_id,
        Field::ConsentScope => scope_id,
        _ => name_id,
    };

    let create = move || {
        let contact_id = ContactId::from_random(random());
        match quick.value.get_untracked().validate(contact_id, stamp(), None) {
            Err(es) => form.fail(es, id_of),
            Ok(contact) => {
                if !form.begin_save() {
                    return;
                }
                // A new contact goes to the device's home community.
                let at = nb.with_untracked(|n| contact.home(n, home_community()));
                leptos::task::spawn_local(async move {
                    if form.end_save(save(at, contact).await) {
                        quick.clear();
                        on_created.run(contact_id);
                    }
                });
            }
        }
    };
    // Enter in a field of this inner form saves the contact, not the outer form.
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let in_input = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()).is_some();
        if ev.key() == "Enter" && in_input {
            ev.prevent_default();
            create();
        }
    };
    let cancel = move |_| {
        quick.clear();
        creating.set(false);
    };

    view! {
        <fieldset class="group quick-contact" id=id_with(id, "new-form")
            on:keydown=on_key>
            <legend>{move || i.t("picker-new-title")}</legend>
            <p class="hint">{move || i.t("picker-consent-note")}</p>
            <TextField draft=quick.value get=|d: &ContactDraft| d.name.clone() set=|d, v| d.name = v
                id=name_id label={"contact-name"} form=form field=Field::Name/>
            <ChoiceField draft=quick.value get=|d: &ContactDraft| d.target_group.clone() set=|d, v| d.target_group = v
                id=group_id label={"contact-target-group"} form=form field=Field::TargetGroup
                options=choices_of(&TargetGroup::ALL, TargetGroup::code, "group")/>
            <div class="check">
                <input id=consent_id type="checkbox" aria-describedby=format!("error-{consent_id}")
                    aria-invalid=move || form.is_invalid(Field::Consent).then_some("true")
                    prop:checked=move || quick.value.with(|d| d.consent_given)
                    on:change=move |ev| quick.value.update(|d| d.consent_given = event_target_checked(&ev))/>
                <label for=consent_id>{move || i.t("contact-consent-given")}</label>
            </div>
            <FieldError id=consent_id message=form.message(Field::Consent)/>
            <Show when=move || quick.value.with(|d| d.consent_given)>
                <DateField draft=quick.value get=|d: &ContactDraft| d.consent_date.clone() set=|d, v| d.consent_date = v
                    id=date_id label={"contact-consent-date"} form=form field=Field::ConsentDate/>
                <ChoiceField draft=quick.value get=|d: &ContactDraft| d.consent_scope.clone() set=|d, v| d.consent_scope = v
                    id=scope_id label={"contact-consent-scope"} form=form field=Field::ConsentScope
                    options=choices_of(&ConsentScope::ALL, ConsentScope::code, "scope")/>
            </Show>
            <TextField draft=quick.value get=|d: &ContactDraft| d.phone.clone() set=|d, v| d.phone = v
                id=phone_id label={"picker-phone-optional"} form=form field=Field::Phone
                kind="tel" dir="ltr" inputmode="tel"/>
            <Show when=move || form.save_failed.get().is_some()>
                <p class="banner-error" role="alert">
                    {move || form.save_failed.get().map(|e| i.t(save_failed_key(&e)))}
                </p>
            </Show>
            <div class="actions">
                <button type="button" class="button" id=id_with(id, "new-cancel") on:click=cancel>
                    {move || i.t("contact-cancel")}
                </button>
                <button type="button" class="button primary" id=id_with(id, "new-save")
                    disabled=move || form.saving.get() on:click=move |_| create()>
                    {move || i.t("picker-new-save")}
                </button>
            </div>
        </fieldset>
    }
}
