//! The report page's parts that need no notebook: every label the model's
//! sheets ask for is translated, the tables read back from the CSV as
//! written, the periods the picker offers, the file names.

use lotse::i18n::{translate, try_translate, Lang};
use lotse::pages::report::{file_name, quarters, FileKind};
use lotse_model::import::read_csv;
use lotse_model::notebook::Notebook;
use lotse_model::report::{label_keys, Period, Report, TABLES};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn every_label_of_the_report_sheets_and_every_table_title_is_in_every_language() {
    lotse::i18n::install_bundled();
    let keys: Vec<String> = label_keys().into_iter().collect();
    assert!(TABLES.iter().all(|t| keys.contains(&format!("report-table-{t}"))));
    assert!(keys.len() > 40, "the model lists its labels ({})", keys.len());
    for lang in Lang::ALL {
        let missing: Vec<&String> = keys.iter().filter(|k| try_translate(lang, k, None).is_err()).collect();
        assert!(missing.is_empty(), "{lang:?} lacks {missing:?}");
    }
}

/// The rows of a CSV text, read back by the import's reader.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    read_csv(text.as_bytes()).unwrap().rows.into_iter().map(|r| r.fields).collect()
}

#[wasm_bindgen_test]
fn the_tables_on_screen_are_the_csv_read_back_with_headers_in_the_language() {
    lotse::i18n::install_bundled();
    let period: Period = "2026-Q3".parse().unwrap();
    let report = Report::compute(&Notebook::default(), &period, "2026-11-30");
    for lang in Lang::ALL {
        let tables = report.csv_tables(&|k| translate(lang, k, None));
        assert_eq!(tables.len(), TABLES.len());
        for (name, csv) in &tables {
            assert!(csv.starts_with('\u{feff}'), "{name} starts with a BOM");
            let rows = parse_csv(csv);
            assert!(read_csv(csv.as_bytes()).is_ok());
            let head = &rows[0];
            assert!(!head.is_empty(), "{name} has a header");
            assert!(head.iter().all(|h| !h.starts_with("report-")), "{lang:?} {name}: a header is a key: {head:?}");
            assert!(rows.iter().all(|r| r.len() == head.len()), "{name}: every row as wide as its header");
        }
        let consultations = &tables.iter().find(|(n, _)| n == "consultations").unwrap().1;
        let rows = parse_csv(consultations);
        assert_eq!(rows[0][0], translate(lang, "report-col-community", None));
        assert_eq!(rows.last().unwrap()[0], translate(lang, "report-row-total", None));
    }
}

#[wasm_bindgen_test]
fn the_picker_offers_this_quarter_and_the_four_before() {
    lotse::i18n::install_bundled();
    let q: Vec<String> = quarters("2026-02-10").iter().map(ToString::to_string).collect();
    assert_eq!(q, ["2026-Q1", "2025-Q4", "2025-Q3", "2025-Q2", "2025-Q1"]);
}

#[wasm_bindgen_test]
fn files_are_named_after_the_period_and_the_table() {
    lotse::i18n::install_bundled();
    let q: Period = "2026-Q3".parse().unwrap();
    assert_eq!(file_name(&q, "consultations", FileKind::Csv), "lotse-2026-Q3-consultations.csv");
    let r: Period = "2026-07-01..2026-08-15".parse().unwrap();
    assert_eq!(file_name(&r, "report", FileKind::Xlsx), "lotse-2026-07-01_2026-08-15-report.xlsx");
}
