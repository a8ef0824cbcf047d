//! A coordinator's downloads of a record list: the records the list shows
//! (its filters, all of them, not only the first page), as CSV and as XLSX,
//! through the report's own download (`hooks::files::save_book`). A
//! mentor's phone offers no file of personal data: nothing is drawn there.

use leptos::prelude::*;
use lotse_model::listing::{self, Columns};
use lotse_model::notebook::Notebook;
use lotse_model::sheet::{Sheet, Workbook};
use lotse_model::Kind;

use crate::hooks::files::{self, FileKind};
use crate::hooks::notebook::today;
use crate::hooks::use_device;
use crate::i18n::{translate, use_i18n, Lang};

/// The table of `records` in `lang`, titled by the label `title`.
pub(crate) fn list_sheet<'a, R: Columns>(
    n: &Notebook,
    records: impl IntoIterator<Item = &'a R>,
    lang: Lang,
    title: &str,
) -> Sheet {
    let labels = |key: &str| translate(lang, key, None);
    listing::sheet(n, records, labels(title), &labels)
}

/// `lotse-contacts-2026-11-12.csv`.
pub(crate) fn list_file_name(kind: Kind, day: &str, file: FileKind) -> String {
    format!("lotse-{}-{day}.{}", kind.segment(), file.extension())
}

/// The "CSV" and "XLSX" buttons of a list of `kind`; `sheet` makes its
/// table in a language when one is pressed. `caption`, a label key, names
/// the table where a page offers two (companies and their training places).
#[component]
pub(crate) fn ListDownloads(
    kind: Kind,
    sheet: Callback<Lang, Sheet>,
    #[prop(optional)] caption: Option<&'static str>,
) -> impl IntoView {
    let i = use_i18n();
    let busy = RwSignal::new(false);
    let failed = RwSignal::new(false);
    let save = move |file: FileKind| {
        let lang = i.lang.get_untracked();
        let book = Workbook { sheets: vec![sheet.run(lang)], rtl: lang.is_rtl() };
        let name = list_file_name(kind, &today(), file);
        busy.set(true);
        leptos::task::spawn_local(async move {
            let saved = files::save_book(&name, &book, file).await;
            busy.set(false);
            if let Err(e) = &saved {
                web_sys::console::warn_2(&"the list's download".into(), e);
            }
            failed.set(saved.is_err());
        });
    };
    let segment = kind.segment();
    use_device().is_some_and(|d| d.coordinator).then(|| {
        view! {
            <div class="list-downloads" role="group" aria-label=move || i.t(caption.unwrap_or("list-download-label"))>
                {caption.map(|key| view! { <span class="list-downloads-caption">{move || i.t(key)}</span> })}
                <button type="button" class="button list-csv" id=format!("list-csv-{segment}")
                    aria-label=move || i.t("list-download-csv") disabled=move || busy.get()
                    on:click=move |_| save(FileKind::Csv)>
                    {move || i.t("report-download-csv")}
                </button>
                <button type="button" class="button list-xlsx" id=format!("list-xlsx-{segment}")
                    aria-label=move || i.t("list-download-xlsx") disabled=move || busy.get()
                    on:click=move |_| save(FileKind::Xlsx)>
                    {move || i.t("report-download-xlsx")}
                </button>
                <Show when=move || failed.get()>
                    <p class="banner-error" role="alert">{move || i.t("report-download-failed")}</p>
                </Show>
            </div>
        }
    })
}
