//! The parts every form is made of, so each form is quick on a phone in the
//! same way: a label on every input, the message next to the field, dates in
//! words, pickers instead of typing, a notes field that warns, and Save /
//! Cancel at thumb height.
//!
//! Fields read and write one draft (`RwSignal<D>`) through a getter and a
//! setter, so the draft is the single place a form's state lives (and what
//! is kept when the app closes mid-form).

use leptos::prelude::*;
use lotse_model::{Field, FieldError as ModelError};
use wasm_bindgen::JsCast;

use crate::components::field::FieldError;
use crate::hooks::notebook::{my_communities, use_notebook};
use crate::hooks::SaveError;
use crate::i18n::{format_date, use_i18n};
use crate::store::StoreError;

/// A form's problems and save state.
#[derive(Clone, Copy)]
pub struct FormState {
    pub errors: RwSignal<Vec<ModelError>>,
    pub saving: RwSignal<bool>,
    /// Why a save failed (the form says it in the user's language).
    pub save_failed: RwSignal<Option<SaveError>>,
}

impl Default for FormState {
    fn default() -> Self {
        Self::new()
    }
}

impl FormState {
    pub fn new() -> Self {
        Self { errors: RwSignal::new(vec![]), saving: RwSignal::new(false), save_failed: RwSignal::new(None) }
    }

    /// The message for `field` in the mentor's language, if it has a problem.
    pub fn message(self, field: Field) -> Signal<Option<String>> {
        let i = use_i18n();
        let errors = self.errors;
        Signal::derive(move || {
            errors.with(|es| es.iter().find(|e| e.field == field).map(|e| i.t(e.problem.message_key())))
        })
    }

    pub fn is_invalid(self, field: Field) -> bool {
        self.errors.with(|es| es.iter().any(|e| e.field == field))
    }

    /// Shows the problems and takes the mentor to the first field to fix:
    /// after a tap on Save at the bottom, the messages above are out of view.
    pub fn fail(self, errors: Vec<ModelError>, id_of: impl Fn(Field) -> &'static str) {
        let first = errors.first().map(|e| id_of(e.field));
        self.errors.set(errors);
        self.save_failed.set(None);
        if let Some(id) = first {
            focus_field(id);
        }
    }

    /// Clears problems and marks the form as saving; false if it already is.
    pub fn begin_save(self) -> bool {
        if self.saving.get_untracked() {
            return false;
        }
        self.errors.set(vec![]);
        self.save_failed.set(None);
        self.saving.set(true);
        true
    }

    pub fn end_save(self, result: Result<(), SaveError>) -> bool {
        self.saving.set(false);
        match result {
            Ok(()) => true,
            Err(e) => {
                self.save_failed.set(Some(e));
                reveal("save-failed");
                false
            }
        }
    }
}

/// The message of a failed save: what happened and what to do, never the
/// browser's English. The entry stays in the form either way.
pub fn save_failed_key(error: &SaveError) -> &'static str {
    match error {
        SaveError::Store(StoreError::Full(_)) => "save-failed-full",
        SaveError::Store(StoreError::Refused(_)) => "save-failed-refused",
        SaveError::Store(StoreError::Idb(_)) | SaveError::Model(_) | SaveError::NotOpen(_) | SaveError::Stopped => {
            "save-failed"
        }
    }
}

/// Focuses the element `id` and scrolls its field block into view.
pub fn focus_field(id: &'static str) {
    request_animation_frame(move || {
        let el = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id));
        if let Some(el) = el.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = el.focus();
            if let Ok(Some(block)) = el.closest(".field, .check, fieldset") {
                block.scroll_into_view_with_bool(true);
            }
        }
    });
}

/// Scrolls the element `id` into view once it is drawn: a failed save's
/// banner sits above the Save button, where the bottom bar may hide it.
fn reveal(id: &'static str) {
    request_animation_frame(move || {
        let el = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id));
        if let Some(el) = el {
            el.scroll_into_view_with_bool(false);
        }
    });
}

fn invalid_attr(form: FormState, field: Option<Field>) -> impl Fn() -> Option<&'static str> + Send + Sync + Copy {
    move || field.filter(|f| form.is_invalid(*f)).map(|_| "true")
}

fn message_of(form: FormState, field: Option<Field>) -> Signal<Option<String>> {
    match field {
        Some(f) => form.message(f),
        None => Signal::derive(|| None),
    }
}

/// One field of a draft, as a value to show and a way to change it.
///
/// The field components are generic over the draft only in this handle:
/// their markup is built once, not once per draft type (every copy is paid
/// in the page's download).
pub struct Bind<T: Send + Sync + 'static> {
    pub value: Signal<T>,
    set: Callback<T>,
}

// By hand: a derive would ask `T: Copy`.
impl<T: Send + Sync + 'static> Clone for Bind<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Bind<T> {}

impl<T: Clone + Send + Sync + 'static> Bind<T> {
    pub fn new<D: Send + Sync + 'static>(draft: RwSignal<D>, get: fn(&D) -> T, set: fn(&mut D, T)) -> Self {
        Self {
            value: Signal::derive(move || draft.with(get)),
            set: Callback::new(move |v| draft.update(|d| set(d, v))),
        }
    }

    pub fn set(self, value: T) {
        self.set.run(value);
    }
}

impl Bind<String> {
    /// Nothing in it: a record being read shows only the fields it fills.
    fn blank(self) -> impl Fn() -> bool + Copy + Send + Sync + 'static {
        move || self.value.with(|v| v.trim().is_empty())
    }
}

/// What a text input looks like and how it is checked.
#[derive(Clone, Copy)]
struct Input {
    id: &'static str,
    label: &'static str,
    form: FormState,
    field: Option<Field>,
    hint: Option<&'static str>,
    kind: &'static str,
    dir: &'static str,
    autocomplete: &'static str,
    inputmode: Option<&'static str>,
    /// A `<datalist>` of common values.
    suggestions: &'static [&'static str],
}

fn text_input(b: Bind<String>, f: Input) -> AnyView {
    let i = use_i18n();
    let Input { id, label, form, field, hint, kind, dir, autocomplete, inputmode, suggestions } = f;
    let hint_id = format!("{id}-hint");
    let described = if hint.is_some() { format!("{hint_id} error-{id}") } else { format!("error-{id}") };
    let list_id = (!suggestions.is_empty()).then(|| format!("{id}-list"));
    view! {
        <div class="field" class:blank=b.blank()>
            <label for=id>{move || i.t(label)}</label>
            <input id=id type=kind dir=dir autocomplete=autocomplete inputmode=inputmode list=list_id.clone()
                aria-invalid=invalid_attr(form, field) aria-describedby=described
                prop:value=move || b.value.get()
                on:input=move |ev| b.set(event_target_value(&ev))/>
            {list_id.map(|list_id| view! {
                <datalist id=list_id>
                    {suggestions.iter().map(|s| view! { <option dir="auto" value=*s></option> }).collect_view()}
                </datalist>
            })}
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{move || i.t(h)}</p> })}
            <FieldError id=id message=message_of(form, field)/>
        </div>
    }
    .into_any()
}

/// A one-line text input. `dir`: "auto" for free text (a Latin name in an
/// Arabic form keeps its order), "ltr" for phone numbers.
#[component]
pub fn TextField<D: Send + Sync + 'static>(
    draft: RwSignal<D>,
    get: fn(&D) -> String,
    set: fn(&mut D, String),
    id: &'static str,
    /// The i18n key of the label.
    label: &'static str,
    form: FormState,
    #[prop(optional)] field: Option<Field>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "auto")] dir: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] inputmode: Option<&'static str>,
) -> impl IntoView {
    let f = Input { id, label, form, field, hint, kind, dir, autocomplete, inputmode, suggestions: &[] };
    text_input(Bind::new(draft, get, set), f)
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
    let f = Input {
        id,
        label,
        form,
        field: Some(field),
        hint: None,
        kind: "text",
        dir: "auto",
        autocomplete: "off",
        inputmode: None,
        suggestions,
    };
    text_input(Bind::new(draft, get, set), f)
}

fn notes_input(
    b: Bind<String>,
    id: &'static str,
    label: &'static str,
    form: FormState,
    field: Field,
    warning: bool,
) -> AnyView {
    let i = use_i18n();
    let described = if warning { format!("{id}-warning error-{id}") } else { format!("error-{id}") };
    let rows = if warning { "4" } else { "2" };
    view! {
        <div class="field" class:blank=b.blank()>
            <label for=id>{move || i.t(label)}</label>
            {warning.then(|| view! {
                <p class="warning" id=format!("{id}-warning")>{move || i.t("contact-notes-warning")}</p>
            })}
            <textarea id=id rows=rows dir="auto" aria-describedby=described
                aria-invalid=invalid_attr(form, Some(field))
                prop:value=move || b.value.get()
                on:input=move |ev| b.set(event_target_value(&ev))></textarea>
            <FieldError id=id message=form.message(field)/>
        </div>
    }
    .into_any()
}

/// Free-text notes, with the warning not to record health, religion or
/// residence status (special-category data the programme does not need).
#[component]
pub fn NotesField<D: Send + Sync + 'static>(
    draft: RwSignal<D>,
    get: fn(&D) -> String,
    set: fn(&mut D, String),
    form: FormState,
    #[prop(default = "notes")] id: &'static str,
    #[prop(default = "form-notes")] label: &'static str,
    #[prop(default = Field::Notes)] field: Field,
) -> impl IntoView {
    notes_input(Bind::new(draft, get, set), id, label, form, field, true)
}

/// Text that may run to a few lines (a referral's reason): a text area
/// that grows, so nothing typed is out of sight.
#[component]
pub fn LongTextField<D: Send + Sync + 'static>(
    draft: RwSignal<D>,
    get: fn(&D) -> String,
    set: fn(&mut D, String),
    id: &'static str,
    label: &'static str,
    form: FormState,
    field: Field,
) -> impl IntoView {
    notes_input(Bind::new(draft, get, set), id, label, form, field, false)
}

fn date_input(b: Bind<String>, id: &'static str, label: &'static str, form: FormState, field: Field) -> AnyView {
    let i = use_i18n();
    let described = format!("{id}-text error-{id}");
    view! {
        <div class="field" class:blank=b.blank()>
            <label for=id>{move || i.t(label)}</label>
            <input id=id type="date" autocomplete="off"
                aria-invalid=invalid_attr(form, Some(field)) aria-describedby=described
                prop:value=move || b.value.get()
                on:input=move |ev| b.set(event_target_value(&ev))/>
            <p class="hint date-words" id=format!("{id}-text")>
                {move || b.value.with(|v| format_date(i.lang.get(), v)).unwrap_or_default()}
            </p>
            <FieldError id=id message=form.message(field)/>
        </div>
    }
    .into_any()
}

/// A date input with the date in words, in the chosen language, whatever
/// language the phone's own date field speaks.
#[component]
pub fn DateField<D: Send + Sync + 'static>(
    draft: RwSignal<D>,
    get: fn(&D) -> String,
    set: fn(&mut D, String),
    id: &'static str,
    label: &'static str,
    form: FormState,
    field: Field,
) -> impl IntoView {
    date_input(Bind::new(draft, get, set), id, label, form, field)
}

/// One option of a picker: the stored value and the text shown (already in
/// the mentor's language, or user data such as an institution's name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub value: String,
    pub text: String,
}

/// Options of a closed list (`lotse_model::choice!`), labelled by i18n key
/// `<prefix>-<code>`.
pub fn choices_of<T: Copy + Send + Sync + 'static>(
    all: &'static [T],
    code: fn(T) -> &'static str,
    prefix: &'static str,
) -> Signal<Vec<Choice>> {
    let codes: Vec<&'static str> = all.iter().map(|v| code(*v)).collect();
    labelled(codes, prefix)
}

fn labelled(codes: Vec<&'static str>, prefix: &'static str) -> Signal<Vec<Choice>> {
    let i = use_i18n();
    Signal::derive(move || {
        codes.iter().map(|c| Choice { value: (*c).to_owned(), text: i.t(&format!("{prefix}-{c}")) }).collect()
    })
}

/// Every community for a picker, by name: the network's and the device's.
/// Tracks the notebook.
pub fn community_choices() -> Vec<Choice> {
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

fn choice_input(
    b: Bind<String>,
    id: &'static str,
    label: &'static str,
    form: FormState,
    options: Signal<Vec<Choice>>,
    field: Option<Field>,
    empty: Option<&'static str>,
) -> AnyView {
    let i = use_i18n();
    view! {
        <div class="field" class:blank=b.blank()>
            <label for=id>{move || i.t(label)}</label>
            <select id=id aria-invalid=invalid_attr(form, field) aria-describedby=format!("error-{id}")
                on:change=move |ev| b.set(event_target_value(&ev))>
                {empty.map(|key| view! {
                    <option dir="auto" value="" selected=move || b.value.with(String::is_empty)>{move || i.t(key)}</option>
                })}
                {move || options.get().into_iter().map(|c| {
                    let value = c.value.clone();
                    view! {
                        <option dir="auto" value=c.value.clone() selected=move || b.value.with(|v| *v == value)>{c.text}</option>
                    }
                }).collect_view()}
            </select>
            // What a record being read shows instead of the picker: a
            // locked <select> cuts a long name, this wraps it.
            <p class="choice-words">
                <bdi>{move || b.value.with(|v| options.with(|o| o.iter().find(|c| c.value == *v).map(|c| c.text.clone())))}</bdi>
            </p>
            <FieldError id=id message=message_of(form, field)/>
        </div>
    }
    .into_any()
}

/// A picker (`<select>`) over `options`. With `empty` (an i18n key) the first
/// option is "none" and stores an empty value.
#[component]
pub fn ChoiceField<D: Send + Sync + 'static>(
    draft: RwSignal<D>,
    get: fn(&D) -> String,
    set: fn(&mut D, String),
    id: &'static str,
    label: &'static str,
    form: FormState,
    #[prop(into)] options: Signal<Vec<Choice>>,
    #[prop(optional)] field: Option<Field>,
    #[prop(optional)] empty: Option<&'static str>,
) -> impl IntoView {
    choice_input(Bind::new(draft, get, set), id, label, form, options, field, empty)
}

fn segmented(
    b: Bind<String>,
    id: &'static str,
    label: &'static str,
    form: FormState,
    options: Signal<Vec<Choice>>,
    field: Option<Field>,
) -> AnyView {
    let i = use_i18n();
    view! {
        <fieldset class="field net-segmented" id=id aria-describedby=format!("error-{id}")
            aria-invalid=invalid_attr(form, field)>
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
                                prop:checked=move || b.value.with(|v| *v == is)
                                on:change=move |_| b.set(to.clone())/>
                            <span>{c.text}</span>
                        </label>
                    }
                }).collect_view()}
            </div>
            <FieldError id=id message=message_of(form, field)/>
        </fieldset>
    }
    .into_any()
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
    segmented(Bind::new(draft, get, set), id, label, form, options, field)
}

fn check_input(b: Bind<bool>, id: &'static str, label: &'static str) -> AnyView {
    let i = use_i18n();
    view! {
        <div class="check">
            <input id=id type="checkbox" prop:checked=move || b.value.get()
                on:change=move |ev| b.set(event_target_checked(&ev))/>
            <label for=id>{move || i.t(label)}</label>
        </div>
    }
    .into_any()
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
    check_input(Bind::new(draft, get, set), id, label)
}

/// How many rows a list shows at first, and how many more each "show more"
/// adds.
pub const PAGE: usize = 50;

/// A list shows its first page again. Only a real change is set: setting
/// the same limit again would filter the whole list a second time on every
/// keystroke.
pub fn back_to_first_page(limit: RwSignal<usize>) {
    if limit.get_untracked() != PAGE {
        limit.set(PAGE);
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

/// The top of a form: "please fix the fields marked below" after a failed
/// check.
#[component]
pub fn FormProblems(form: FormState) -> impl IntoView {
    let i = use_i18n();
    view! {
        <Show when=move || !form.errors.with(Vec::is_empty)>
            <p class="banner-error" role="alert">{move || i.t("form-has-errors")}</p>
        </Show>
    }
}

/// Save and Cancel, and the reason a save failed. The entry stays in the
/// form (and its draft) when saving fails.
#[component]
pub fn FormActions(
    form: FormState,
    /// Where Cancel goes.
    cancel_href: String,
    /// The id of the Save button (tests tap it).
    save_id: &'static str,
    #[prop(optional)] on_cancel: Option<Callback<()>>,
) -> impl IntoView {
    let i = use_i18n();
    view! {
        <Show when=move || form.save_failed.get().is_some()>
            <p id="save-failed" class="banner-error" role="alert">
                {move || form.save_failed.get().map(|e| i.t(save_failed_key(&e)))}
            </p>
        </Show>
        <div class="actions">
            <a class="button" href=cancel_href on:click=move |_| {
                if let Some(c) = on_cancel {
                    c.run(());
                }
            }>{move || i.t("contact-cancel")}</a>
            <button id=save_id type="submit" class="button primary" disabled=move || form.saving.get()>
                {move || i.t("contact-save")}
            </button>
        </div>
    }
}

/// "Not found" for a record id that does not parse or is not on this device.
#[component]
pub fn NotFound() -> impl IntoView {
    let i = use_i18n();
    view! { <p class="empty" id="not-found">{move || i.t("record-not-found")}</p> }
}

/// A form's draft: it starts as `initial`, is replaced by the draft kept
/// for `form_key` if the mentor left this form unfinished (the app closed,
/// the phone locked), and is kept again on every change until saved or
/// cancelled.
pub struct Draft<D: Send + Sync + 'static> {
    pub value: RwSignal<D>,
    /// True when an unfinished entry was brought back (the form says so).
    pub restored: RwSignal<bool>,
    key: StoredValue<String>,
}

// By hand: a derive would ask `D: Copy` of the draft type, and every
// handler of a form holds the draft.
impl<D: Send + Sync + 'static> Clone for Draft<D> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<D: Send + Sync + 'static> Copy for Draft<D> {}

impl<D> Draft<D>
where
    D: Clone + PartialEq + serde::Serialize + serde::de::DeserializeOwned + Send + Sync + 'static,
{
    pub fn new(form_key: String, initial: D) -> Self {
        let value = RwSignal::new(initial.clone());
        let restored = RwSignal::new(false);
        let key = StoredValue::new(form_key);
        let loaded = RwSignal::new(false);
        leptos::task::spawn_local(async move {
            let kept = crate::hooks::drafts::load_draft::<D>(&key.get_value()).await;
            // Typing that began before the kept draft arrived wins.
            if let Some(d) = kept.filter(|d| *d != initial && value.with_untracked(|v| *v == initial)) {
                value.set(d);
                restored.set(true);
            }
            loaded.set(true);
        });
        Effect::new(move |_| {
            let d = value.get();
            if loaded.get_untracked() {
                crate::hooks::drafts::save_draft(&key.get_value(), &d);
            }
        });
        Self { value, restored, key }
    }

    /// Forgets the draft: the record was saved or the form cancelled.
    pub fn clear(self) {
        crate::hooks::drafts::clear_draft(&self.key.get_value());
    }
}

/// "Your unfinished entry is back", above a form whose draft was restored.
#[component]
pub fn DraftRestored(restored: RwSignal<bool>) -> impl IntoView {
    let i = use_i18n();
    view! {
        <Show when=move || restored.get()>
            <p class="banner-info" id="draft-restored" role="status">{move || i.t("draft-restored")}</p>
        </Show>
    }
}
