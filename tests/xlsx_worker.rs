//! The XLSX worker's answer (`lotse::xlsx::worker::answer`): what the page
//! posts, a postcard workbook, comes back as an XLSX file; anything else as
//! a reason, never a panic (a panic would end the worker mid-export).

use lotse::xlsx::worker::answer;
use lotse_model::sheet::{Sheet, Value, Workbook};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn a_posted_workbook_comes_back_as_an_xlsx_file_and_garbage_as_a_reason() {
    let sheet = Sheet {
        name: "consultations".into(),
        title: "Beratungen".into(),
        head: vec!["Community".into(), "Gesamt".into()],
        rows: vec![vec![Value::Text("=1+1".into()), Value::Number(3)]],
    };
    let book = Workbook { sheets: vec![sheet], rtl: false };
    let file = answer(&postcard::to_allocvec(&book).unwrap()).unwrap();
    assert_eq!(&file[..2], b"PK", "a ZIP file");
    let garbage = answer(&[0xff, 0xff, 0xff]);
    assert!(garbage.unwrap_err().contains("does not decode"));
}
