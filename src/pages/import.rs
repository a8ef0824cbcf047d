//! Contacts or companies brought in from a CSV file (`#/import/contacts`,
//! `#/import/companies`), for a coordinator: pick a file, see every row
//! checked (`lotse_model::import`, run by the engine worker on the file's
//! bytes with the headers' and values' words in all five languages) — what
//! will be saved and, per row, what to fix —, then save the good rows into
//! their documents through the same path a form's save takes. Nothing of a
//! row with an error is saved.

use leptos::prelude::*;
use lotse_model::import::{self, Column, CsvError, Encoding, ImportError, Preview, RowError, Target};
use lotse_model::{CommunityId, Kind, Problem};
use wasm_bindgen::JsCast;

use crate::components::form::{community_choices, save_failed_key};
use crate::engine::protocol::ImportCheck;
use crate::hooks::files::{self, download, picked};
use crate::hooks::notebook::{home_community, my_communities, save_rows, stamp, use_notebook};
use crate::hooks::{use_device, use_engine};
use crate::i18n::{format_list, try_translate, use_i18n, I18n, Lang};
use crate::route::Route;

/// How many good rows the preview lists (all of them are saved).
const SHOWN: usize = 50;

/// Where an import stands.
#[derive(Debug, Clone, PartialEq)]
enum Saving {
    Not,
    Running,
    /// How many records were saved.
    Done(usize),
    /// How many were saved before a save failed, and its message key.
    Failed(usize, &'static str),
}

/// Every translation of a label key: a header or a value may be written in
/// any of the app's languages.
pub fn words(key: &str) -> Vec<String> {
    Lang::ALL.iter().filter_map(|l| try_translate(*l, key, None).ok()).collect()
}

/// A template: the header row in the reader's language, nothing else.
pub fn template(lang: Lang, target: Target) -> String {
    let sheet = lotse_model::sheet::Sheet {
        name: target.code().to_owned(),
        title: String::new(),
        head: target.columns().iter().map(|c| crate::i18n::translate(lang, &c.label_key(), None)).collect(),
        rows: vec![],
    };
    sheet.to_csv()
}

/// What is wrong with one field, in words that say what to write instead.
fn field_message(i: I18n, column: Column, value: &str, problem: Problem, choices: &dyn Fn(Column) -> String) -> String {
    let value = value.to_owned();
    match problem {
        Problem::Required => i.t("import-error-required"),
        Problem::ConsentMissing => i.t("import-error-consent-missing"),
        Problem::BadDate => i.t_args("import-error-bad-date", &[("value", value.into())]),
        Problem::BadPhone => i.t_args("import-error-bad-phone", &[("value", value.into())]),
        Problem::TooLong => i.t("import-error-too-long"),
        Problem::UnknownChoice => {
            i.t_args("import-error-unknown-choice", &[("value", value.into()), ("choices", choices(column).into())])
        }
        Problem::NotAnId | Problem::NotANumber | Problem::OutOfRange | Problem::BadTime => {
            i.t_args("import-error-other", &[("value", value.into())])
        }
    }
}

/// Why a file cannot be imported at all.
fn file_message(i: I18n, error: &ImportError) -> String {
    let lang = i.lang.get();
    let name = |c: &Column| i.t(&c.label_key());
    match error {
        ImportError::Csv(CsvError::Empty) => i.t("import-error-empty"),
        ImportError::Csv(CsvError::UnclosedQuote { row }) => {
            i.t_args("import-error-unclosed-quote", &[("row", (*row).into())])
        }
        ImportError::NoRows => i.t("import-error-no-rows"),
        ImportError::MissingColumns(columns) => {
            let names: Vec<String> = columns.iter().map(name).collect();
            i.t_args("import-error-missing-columns", &[("columns", format_list(lang, &names).into())])
        }
        ImportError::TwiceNamed { column, first, second } => i.t_args(
            "import-error-twice-named",
            &[("column", name(column).into()), ("first", (*first).into()), ("second", (*second).into())],
        ),
    }
}

#[component]
pub fn ImportPage(target: Target) -> impl IntoView {
    let i = use_i18n();
    let nb = use_notebook();
    let coordinator = use_device().is_some_and(|d| d.coordinator);
    // Contacts go into a community's document, and only one this device
    // holds; a company may name any community of the network.
    let communities: Vec<(CommunityId, String)> = match target {
        Target::Contacts => {
            let mut list = my_communities();
            let named: Vec<(CommunityId, String)> = nb
                .with(|n| list.iter().filter_map(|(id, _)| n.community(*id).map(|c| (*id, c.name.clone()))).collect());
            list.extend(named);
            list
        }
        Target::Companies => {
            community_choices().into_iter().filter_map(|c| Some((c.value.parse().ok()?, c.text))).collect()
        }
    };
    let communities = StoredValue::new(communities);
    let default_community = RwSignal::new(home_community());
    let file = StoredValue::new(None::<Vec<u8>>);
    let checked = RwSignal::new(None::<Result<Preview, ImportError>>);
    let saving = RwSignal::new(Saving::Not);
    let unreadable = RwSignal::new(false);
    let picked_name = RwSignal::new(String::new());

    // The engine reads and checks the file (the page's binary carries no
    // CSV reader); a newer check replaces what an older one answers.
    let checks = StoredValue::new(0u32);
    let check = move || {
        let Some(bytes) = file.get_value() else { return };
        let Some(link) = use_engine() else { return unreadable.set(true) };
        checks.update_value(|n| *n += 1);
        let this = checks.get_value();
        leptos::task::spawn_local(async move {
            // Headers and values may be written in any language.
            crate::i18n::load_all().await;
            let request = ImportCheck {
                file: bytes,
                target,
                words: import::label_keys(target).into_iter().map(|k| (k.clone(), words(&k))).collect(),
                communities: communities.get_value(),
                default_community: default_community.get_untracked(),
                stamp: stamp(),
            };
            let answer = link.check_import(request).await;
            if checks.get_value() != this {
                return;
            }
            match answer {
                Some(result) => checked.set(Some(result)),
                None => unreadable.set(true),
            }
        });
    };
    let on_file = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        saving.set(Saving::Not);
        leptos::task::spawn_local(async move {
            match picked(&input).await {
                Ok(Some((name, bytes))) => {
                    unreadable.set(false);
                    picked_name.set(name);
                    file.set_value(Some(bytes));
                    check();
                }
                Ok(None) => {
                    picked_name.set(String::new());
                    file.set_value(None);
                    checked.set(None);
                }
                Err(_) => unreadable.set(true),
            }
        });
    };
    let save = move |_| {
        if saving.get_untracked() == Saving::Running {
            return;
        }
        let Some(Ok(preview)) = checked.get_untracked() else { return };
        saving.set(Saving::Running);
        leptos::task::spawn_local(async move {
            let mut saved = 0;
            for (place, rows) in preview.writes() {
                let n = preview.good().filter(|(_, r)| r.place() == place).count();
                if let Err(e) = save_rows(place, rows).await {
                    saving.set(Saving::Failed(saved, save_failed_key(&e)));
                    return;
                }
                saved += n;
            }
            // Saved: the file is done with, so a second tap cannot save it twice.
            file.set_value(None);
            checked.set(None);
            if let Some(input) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id("import-file"))
                .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                input.set_value("");
            }
            picked_name.set(String::new());
            saving.set(Saving::Done(saved));
        });
    };

    // The values a column takes, in the reader's language.
    let choices = move |column: Column| -> String {
        let lang = i.lang.get();
        let names: Vec<String> = if column == Column::Community {
            communities.with_value(|l| {
                let mut names: Vec<String> = l.iter().map(|(_, n)| n.clone()).collect();
                names.dedup();
                names
            })
        } else {
            column.choices().iter().map(|(_, key)| i.t(key)).collect()
        };
        format_list(lang, &names)
    };
    let list_kind = match target {
        Target::Contacts => Kind::Contact,
        Target::Companies => Kind::Company,
    };
    let columns_text = move || {
        let names: Vec<String> = target
            .columns()
            .iter()
            .map(|c| {
                let name = i.t(&c.label_key());
                if target.required().contains(c) {
                    i.t_args("import-column-required", &[("column", name.into())])
                } else {
                    name
                }
            })
            .collect();
        format_list(i.lang.get(), &names)
    };
    let save_template = move |_| {
        let text = template(i.lang.get_untracked(), target);
        let _ = download(&format!("lotse-{}.csv", target.code()), text.as_bytes(), files::CSV);
    };

    let preview_view = move || {
        checked.get().map(|result| match result {
            Err(e) => view! { <p class="banner-error" role="alert" id="import-file-error">{file_message(i, &e)}</p> }
                .into_any(),
            Ok(p) => preview_view(i, &p, &choices).into_any(),
        })
    };
    let save_count = move || checked.with(|c| c.as_ref().and_then(|r| r.as_ref().ok()).map_or(0, |p| p.good().count()));

    view! {
        <section class="page import-page">
            <h2 class="page-title">{move || i.t(&format!("import-title-{}", target.code()))}</h2>
            <Show when=move || coordinator fallback=move || view! { <p class="banner-info" id="import-not-coordinator">{move || i.t("import-coordinators-only")}</p> }>
                <p class="hint" id="import-intro">{move || i.t("import-intro")}</p>
                <p class="hint" id="import-columns">{move || i.t_args("import-columns", &[("columns", columns_text().into())])}</p>
                {(target == Target::Contacts).then(|| view! {
                    <p class="banner-info" id="import-consent-note">{move || i.t("import-consent-note")}</p>
                })}
                <div class="actions import-template">
                    <button type="button" class="button" id="import-template" on:click=save_template>
                        {move || i.t("import-template")}
                    </button>
                </div>
                {(target == Target::Contacts).then(|| view! {
                    <div class="field">
                        <label for="import-community">{move || i.t("import-community")}</label>
                        <select id="import-community" on:change=move |ev| {
                            if let Ok(id) = event_target_value(&ev).parse() {
                                default_community.set(id);
                                check();
                            }
                        }>
                            {my_communities().into_iter().map(|(id, name)| {
                                let selected = id == default_community.get_untracked();
                                view! { <option dir="auto" value=id.to_string() selected=selected>{name}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                })}
                // The browser's own file button speaks the browser's language:
                // the input is hidden and its label is the button.
                <div class="field import-pick-field">
                    <input type="file" id="import-file" class="import-file" accept=".csv,.txt,text/csv,text/plain" on:change=on_file/>
                    <label for="import-file" class="button import-pick" id="import-pick">{move || i.t("import-file")}</label>
                    <bdi class="import-file-name" id="import-file-name" translate="no">{move || picked_name.get()}</bdi>
                </div>
                <Show when=move || unreadable.get()>
                    <p class="banner-error" role="alert" id="import-unreadable">{move || i.t("import-error-read")}</p>
                </Show>
                {preview_view}
                <Show when=move || { save_count() > 0 }>
                    <div class="actions import-actions">
                        <button type="button" class="button primary" id="import-save"
                            disabled=move || saving.get() == Saving::Running
                            on:click=save>
                            {move || i.t_count(&format!("import-save-{}", target.code()), save_count())}
                        </button>
                    </div>
                </Show>
                {move || match saving.get() {
                    Saving::Not => None,
                    Saving::Running => Some(view! { <p class="hint" role="status" id="import-saving">{i.t("import-saving")}</p> }.into_any()),
                    Saving::Done(n) => Some(view! {
                        <p class="banner-ok" role="status" id="import-saved">
                            {i.t_count("import-saved", n)} " "
                            <a href=Route::List(list_kind).href() id="import-open-list">{i.t(&format!("import-open-{}", target.code()))}</a>
                        </p>
                    }.into_any()),
                    Saving::Failed(n, key) => Some(view! {
                        <p class="banner-error" role="alert" id="import-save-failed">
                            {if n == 0 { i.t("import-saved-nothing") } else { i.t_count("import-saved-before-failure", n) }}
                            " " {i.t(key)}
                        </p>
                    }.into_any()),
                }}
            </Show>
        </section>
    }
}

/// The checked file: a summary, every row with errors (row, column, what
/// to fix), and the first rows that will be saved.
fn preview_view(i: I18n, p: &Preview, choices: &dyn Fn(Column) -> String) -> impl IntoView {
    let good: Vec<(usize, String)> = p.good().map(|(row, r)| (row, r.name().to_owned())).collect();
    let bad: Vec<(usize, Vec<RowError>)> = p.bad().map(|(row, e)| (row, e.to_vec())).collect();
    let header = |column: Column| {
        p.columns.iter().find(|(_, c)| *c == Some(column)).map_or_else(|| i.t(&column.label_key()), |(h, _)| h.clone())
    };
    let ignored: Vec<String> = p.columns.iter().filter(|(_, c)| c.is_none()).map(|(h, _)| h.clone()).collect();
    let summary = i.t_args(
        "import-summary",
        &[("rows", p.rows.len().into()), ("good", good.len().into()), ("bad", bad.len().into())],
    );
    let more = good.len().saturating_sub(SHOWN);
    let errors = bad
        .into_iter()
        .map(|(row, errors)| {
            let items = errors
                .iter()
                .map(|e| {
                    let text = match e {
                        RowError::Field { column, value, problem } => i.t_args(
                            "import-field-error",
                            &[
                                ("column", header(*column).into()),
                                ("message", field_message(i, *column, value, *problem, choices).into()),
                            ],
                        ),
                        RowError::TooManyFields { found, expected } => i.t_args(
                            "import-error-too-many-fields",
                            &[("found", (*found).into()), ("expected", (*expected).into())],
                        ),
                    };
                    let column = match e {
                        RowError::Field { column, .. } => column.code(),
                        RowError::TooManyFields { .. } => "",
                    };
                    view! { <li data-column=column>{text}</li> }
                })
                .collect_view();
            view! {
                <li class="import-error" data-row=row>
                    <span class="import-row">{i.t_args("import-row", &[("row", row.into())])}</span>
                    <ul>{items}</ul>
                </li>
            }
        })
        .collect_view();
    let has_errors = p.bad().next().is_some();
    view! {
        <div class="import-preview" id="import-preview">
            <p class="import-summary" id="import-summary" role="status">{summary}</p>
            {(p.encoding == Encoding::Windows1252).then(|| view! { <p class="hint" id="import-encoding">{i.t("import-read-as-windows-1252")}</p> })}
            {(!ignored.is_empty()).then(|| {
                let list = format_list(i.lang.get(), &ignored);
                view! { <p class="hint" id="import-ignored">{i.t_args("import-ignored", &[("columns", list.into())])}</p> }
            })}
            {has_errors.then(|| view! {
                <h3 id="import-errors-title">{i.t("import-errors-title")}</h3>
                <ol class="import-errors" id="import-errors" aria-labelledby="import-errors-title">{errors}</ol>
            })}
            {(!good.is_empty()).then(|| view! {
                <h3 id="import-good-title">{i.t("import-good-title")}</h3>
                <ul class="import-good" id="import-good" aria-labelledby="import-good-title">
                    {good.into_iter().take(SHOWN).map(|(row, name)| view! {
                        <li data-row=row>
                            <span class="import-row">{i.t_args("import-row", &[("row", row.into())])}</span>
                            " " <bdi translate="no">{name}</bdi>
                        </li>
                    }).collect_view()}
                </ul>
                {(more > 0).then(|| view! { <p class="hint">{i.t_count("import-more", more)}</p> })}
            })}
        </div>
    }
}
