//! One record page for every kind: it finds the record (or says "not
//! found"), keeps the draft, checks it, saves it into the record's document
//! and shows its history. An existing record opens for reading (its fields
//! shown but locked, its linked records first): editing is a tap on "Edit",
//! so a look never becomes an edit by a stray thumb; Save sits in a bar at
//! the bottom of the screen while editing. A kind gives only what is its own: the field
//! markup, a new record's draft, and where to go after a save
//! ([`FormKind`]).
//!
//! The generic part is kept thin: the page's frame is built by one concrete
//! function, so a kind costs its fields' markup and little more.

use std::collections::BTreeMap;

use leptos::prelude::*;
use lotse_model::notebook::Notebook;
use lotse_model::{CommunityId, DocRef, Field, RecordKind};

use crate::components::conflicts::RecordConflicts;
use crate::components::form::{Draft, DraftRestored, FormActions, FormProblems, FormState, NotFound};
use crate::components::history::History;
use crate::device::random;
use crate::hooks::notebook::{home_community, save, stamp, use_notebook, Nb};
use crate::i18n::use_i18n;
use crate::route::{leave, to_top, Route};

/// The query of a `#/<kind>/new?…` route: fields to prefill.
pub type Prefill = BTreeMap<String, String>;

/// What a record kind's page adds to the generic one.
pub trait FormKind: RecordKind {
    /// The i18n keys of the page's title: a new record, an existing one.
    const TITLES: [&'static str; 2];
    /// Class names of the page (beside `page`).
    const CLASS: &'static str;
    /// How the key of its kept draft starts (as earlier versions kept it,
    /// so an unfinished entry survives an update).
    const DRAFT_KEY: &'static str;
    /// The id of its Save button.
    const SAVE_ID: &'static str;
    /// An existing record opens for reading, with "Edit" (an event opens
    /// for its tally, which is what a mentor opens it for).
    const READ_FIRST: bool = true;

    /// The element a problem with `field` takes the mentor to.
    fn field_id(field: Field) -> &'static str;

    /// The fields.
    fn fields(f: FormCtx<Self>) -> AnyView;

    /// A new record's draft, from the route's prefill.
    fn new_draft(prefill: &Prefill, nb: &Notebook) -> Self::Draft {
        let _ = (prefill, nb);
        Self::Draft::default()
    }

    /// What tells two unfinished new records apart in the kept drafts (a
    /// new consultation for another contact is another entry).
    fn new_key(prefill: &Prefill) -> String {
        let _ = prefill;
        String::new()
    }

    /// Beside the title (the next step with this record).
    fn head(f: FormCtx<Self>) -> Option<AnyView> {
        let _ = f;
        None
    }

    /// Between the title and the form.
    fn above(f: FormCtx<Self>) -> Option<AnyView> {
        let _ = f;
        None
    }

    /// Below the form: the records linked to this one.
    fn below(f: FormCtx<Self>) -> Option<AnyView> {
        let _ = f;
        None
    }

    /// The page the form belongs to: where Cancel goes, and a save.
    fn back(f: FormCtx<Self>) -> Route {
        let _ = f;
        Route::List(Self::KIND)
    }

    /// Where Cancel goes.
    fn cancel(f: FormCtx<Self>) -> Route {
        Self::back(f)
    }

    /// After the save is durable: where to go next. A network record is
    /// edited from its list (go there); an advice record from wherever the
    /// mentor was (go back there).
    fn saved(record: Self, f: FormCtx<Self>) {
        let _ = record;
        if Self::KIND.is_network() {
            crate::route::go(&Self::back(f));
        } else {
            leave(Self::back(f));
        }
    }

    /// The community a new community record goes to when it names no
    /// contact or household of one (see [`RecordKind::home`]).
    fn fallback(prefill: &Prefill, nb: &Notebook) -> CommunityId {
        let _ = (prefill, nb);
        home_community()
    }
}

/// A record page's state, handed to the kind's parts.
pub struct FormCtx<K: RecordKind> {
    pub draft: Draft<K::Draft>,
    pub form: FormState,
    /// The record's id (a fresh one for a new record).
    pub id: K::Id,
    pub is_new: bool,
    pub prefill: StoredValue<Prefill>,
    /// The document the record lives in, if it exists.
    pub at: Option<DocRef>,
    pub nb: Nb,
}

impl<K: RecordKind> Clone for FormCtx<K> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<K: RecordKind> Copy for FormCtx<K> {}

impl<K: RecordKind> FormCtx<K> {
    /// The draft's value.
    pub fn d(self) -> RwSignal<K::Draft> {
        self.draft.value
    }

    /// A prefilled value, parsed.
    pub fn prefilled<T: std::str::FromStr>(self, key: &str) -> Option<T> {
        self.prefill.with_value(|p| crate::route::prefilled(p, key))
    }

    /// The record as it is stored now (it may have changed on another
    /// device while the form is open).
    pub fn stored(self) -> Option<K> {
        self.nb.with_untracked(|n| K::find(n, self.id).map(|(r, _)| r.clone()))
    }
}

/// The key a kind's draft is kept under.
pub fn draft_key<K: FormKind>(id: Option<K::Id>, prefill: &Prefill) -> String {
    match id {
        Some(id) => format!("{}{id}", K::DRAFT_KEY),
        None => format!("{}new{}", K::DRAFT_KEY, K::new_key(prefill)),
    }
}

/// Create (`id` None; the prefill fills fields) or open a record of kind `K`.
pub fn record_form<K: FormKind>(id: Option<String>, prefill: Prefill) -> AnyView {
    // As a component would: what the page reads while it is built does not
    // make the route's view build it again.
    untrack(|| page::<K>(id, prefill))
}

fn page<K: FormKind>(id: Option<String>, prefill: Prefill) -> AnyView {
    let nb = use_notebook();
    let Ok(parsed) = id.map(|s| s.parse::<K::Id>()).transpose() else {
        return view! { <NotFound/> }.into_any();
    };
    let existing = parsed.and_then(|id| nb.with_untracked(|n| K::find(n, id).map(|(r, at)| (r.to_draft(), at))));
    if parsed.is_some() && existing.is_none() {
        return view! { <NotFound/> }.into_any();
    }
    to_top();
    let (initial, at) = match existing {
        Some((d, at)) => (d, Some(at)),
        None => (nb.with_untracked(|n| K::new_draft(&prefill, n)), None),
    };
    let draft = Draft::new(draft_key::<K>(parsed, &prefill), initial);
    // Reading until "Edit"; an unfinished edit that was kept opens editing.
    let reading = (parsed.is_some() && K::READ_FIRST).then(|| {
        let reading = RwSignal::new(true);
        Effect::new(move |_| {
            if draft.restored.get() {
                reading.set(false);
            }
        });
        reading
    });
    let f = FormCtx::<K> {
        draft,
        form: FormState::new(),
        id: parsed.unwrap_or_else(|| K::new_id(random())),
        is_new: parsed.is_none(),
        prefill: StoredValue::new(prefill),
        at,
        nb,
    };
    frame(Frame {
        class: K::CLASS,
        title: K::TITLES[usize::from(!f.is_new)],
        head: K::head(f),
        above: K::above(f),
        fields: K::fields(f),
        below: K::below(f),
        history: at.map(|at| (K::COLLECTION, f.id.to_string(), at)),
        conflicts: at.map(|at| {
            // After a value is kept the form starts again from the record,
            // so it does not hold (and save back) the value set aside.
            let shown = use_context::<crate::route::Shown>();
            let settled = Callback::new(move |()| {
                draft.clear();
                if let Some(s) = shown {
                    s.rebuild();
                }
            });
            view! { <RecordConflicts at=at collection=K::COLLECTION key=f.id.to_string() on_settled=settled/> }
                .into_any()
        }),
        restored: draft.restored,
        reading,
        record_title: parsed.map(|id| {
            let lang = use_i18n().lang;
            Signal::derive(move || {
                let title = nb.with(|n| K::find(n, id).map(|(r, _)| r.title(n)).unwrap_or_default());
                crate::i18n::record_title(lang.get(), &title)
            })
        }),
        kind_key: format!("kind-{}", K::KIND.segment()),
        form: f.form,
        cancel_href: K::cancel(f).href(),
        save_id: K::SAVE_ID,
        on_cancel: Callback::new(move |()| draft.clear()),
        submit: Callback::new(move |()| submit(f)),
    })
}

/// Checks the draft and saves the record where it belongs; the kind says
/// where to go once it is durable.
fn submit<K: FormKind>(f: FormCtx<K>) {
    let before = f.stored();
    let typed = f.draft.value.get_untracked();
    match K::validate(&typed, f.id, stamp(), before.as_ref()) {
        Err(es) => f.form.fail(es, K::field_id),
        Ok(record) => {
            if !f.form.begin_save() {
                return;
            }
            let at = f.nb.with_untracked(|n| {
                let fallback = f.prefill.with_value(|p| K::fallback(p, n));
                record.home(n, fallback)
            });
            leptos::task::spawn_local(async move {
                if f.form.end_save(save(at, record.clone()).await) {
                    f.draft.clear();
                    K::saved(record, f);
                }
            });
        }
    }
}

/// The parts of a record page, for the one function that lays it out.
struct Frame {
    class: &'static str,
    title: &'static str,
    head: Option<AnyView>,
    above: Option<AnyView>,
    fields: AnyView,
    below: Option<AnyView>,
    /// Collection, key and document of an existing record.
    history: Option<(&'static str, String, DocRef)>,
    /// Its fields with two values, if it exists.
    conflicts: Option<AnyView>,
    restored: RwSignal<bool>,
    /// An existing record, while it is read (`None`: always editing).
    reading: Option<RwSignal<bool>>,
    /// An existing record's title (a contact's name, …): the page's title
    /// while it is read.
    record_title: Option<Signal<String>>,
    /// The i18n key of the kind's name, shown above that title.
    kind_key: String,
    form: FormState,
    cancel_href: String,
    save_id: &'static str,
    on_cancel: Callback<()>,
    submit: Callback<()>,
}

fn frame(p: Frame) -> AnyView {
    let i = use_i18n();
    let Frame {
        class,
        title,
        head,
        above,
        fields,
        below,
        history,
        conflicts,
        restored,
        reading,
        record_title,
        kind_key,
        form,
        cancel_href,
        save_id,
        ..
    } = p;
    let (on_cancel, submit) = (p.on_cancel, p.submit);
    let is_reading = move || reading.is_some_and(|r| r.get());
    // While a record is read, the page is titled with the record itself.
    let named = move || is_reading().then(|| record_title.map(|t| t.get()).filter(|t| !t.trim().is_empty())).flatten();
    let kind_key = StoredValue::new(kind_key);
    let title = view! {
        <h2 class="page-title">
            {move || match named() {
                Some(name) => view! {
                    <span class="page-kind">{move || kind_key.with_value(|k| i.t(k))}</span>
                    <bdi translate="no">{name}</bdi>
                }
                .into_any(),
                None => view! { {move || i.t(title)} }.into_any(),
            }}
        </h2>
    };
    let edit = reading.map(|r| {
        view! {
            <Show when=move || r.get()>
                <button type="button" class="button primary" id="record-edit" on:click=move |_| r.set(false)>
                    {move || i.t("record-edit")}
                </button>
            </Show>
        }
    });
    let class = ["page", class].join(" ");
    let top = if head.is_some() || edit.is_some() {
        view! { <div class="page-head">{title}<div class="page-head-actions">{head}{edit}</div></div> }.into_any()
    } else {
        title.into_any()
    };
    view! {
        <section class=class class:reading=is_reading>
            {top}
            {conflicts}
            {above}
            <DraftRestored restored=restored/>
            <form class="form" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                submit.run(());
            }>
                <FormProblems form=form/>
                <fieldset class="form-fields" disabled=is_reading>
                    {fields}
                </fieldset>
                <Show when=move || !is_reading()>
                    <FormActions form=form cancel_href=cancel_href.clone() save_id=save_id on_cancel=on_cancel/>
                </Show>
            </form>
            <div class="record-linked">{below}</div>
            {history.map(|(collection, key, place)| view! { <History collection=collection key=key place=place/> })}
        </section>
    }
    .into_any()
}
