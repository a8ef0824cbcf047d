//! The report's workbook written as XLSX and read back by another program
//! (calamine): every sheet, header and cell as the report has it, numbers as
//! numbers, dates as dates, texts as texts; a name that looks like a
//! formula stays text.

use std::io::Cursor;

use automerge::ActorId;
use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use lotse_model::demo::{self, DemoSize};
use lotse_model::report::{Report, FIGURES, OVERVIEW, TABLES};
use lotse_model::sheet::{Sheet, Value, Workbook};
use lotse_model::Notebook;

const TODAY: &str = "2026-11-12";

/// The demo network's notebook, as a coordinator's device holds it.
fn notebook() -> Notebook {
    let d = demo::generate(&DemoSize::SMALL, 7, TODAY, ActorId::from([0xC0; 16])).unwrap();
    let communities: Vec<_> = d.communities.iter().map(|(c, doc)| (c.id, doc)).collect();
    Notebook::load(&d.network, &communities).unwrap()
}

/// German headers for a few keys; the rest marked, so a key left
/// untranslated shows.
fn labels(key: &str) -> String {
    match key {
        "report-col-community" => "Community".into(),
        "group-parent" => "Elternteil".into(),
        "report-row-total" => "Gesamt".into(),
        "report-table-consultations" => "Beratungen nach Community und Zielgruppe".into(),
        "report-table-first-consultations" => "Erstberatungen nach Community und Zielgruppe".into(),
        "report-overview-from" => "Von".into(),
        _ => format!("[{key}]"),
    }
}

fn read(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
    open_workbook_from_rs(Cursor::new(bytes)).expect("the file opens as XLSX")
}

/// Days since 1899-12-30 (Excel's day 0, counting its phantom 1900-02-29)
/// of a date after February 1900, counted the slow way.
fn excel_serial(ymd: &str) -> f64 {
    let (y, m, d): (i64, usize, i64) =
        (ymd[..4].parse().unwrap(), ymd[5..7].parse().unwrap(), ymd[8..].parse().unwrap());
    let leap = |y: i64| (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let mut days: i64 = (1900..y).map(|y| if leap(y) { 366 } else { 365 }).sum();
    let months = [31, if leap(y) { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    days += months[..m - 1].iter().sum::<i64>() + d;
    (days + 1) as f64
}

/// A sheet read back is the sheet written: header texts, then every cell
/// of the same type and value.
fn assert_same(sheet: &Sheet, range: &calamine::Range<Data>) {
    let rows: Vec<&[Data]> = range.rows().collect();
    assert_eq!(rows.len(), sheet.rows.len() + 1, "{}: the header and every row", sheet.name);
    let head: Vec<Data> = sheet.head.iter().map(|h| Data::String(h.clone())).collect();
    assert_eq!(rows[0], head.as_slice(), "{}: the header", sheet.name);
    for (n, (want, got)) in sheet.rows.iter().zip(&rows[1..]).enumerate() {
        for (c, cell) in want.iter().enumerate() {
            let read = got.get(c).cloned().unwrap_or(Data::Empty);
            let at = format!("{} row {} column {}", sheet.name, n + 2, c + 1);
            match (cell, &read) {
                (Value::Text(t), Data::String(s)) => assert_eq!(t, s, "{at}"),
                (Value::Number(x), Data::Float(f)) => assert_eq!(*x as f64, *f, "{at}"),
                (Value::Number(x), Data::Int(i)) => assert_eq!(x, i, "{at}"),
                (Value::Date(d), Data::DateTime(dt)) => {
                    assert!(dt.is_datetime(), "{at}: a date");
                    assert_eq!(dt.as_f64(), excel_serial(d), "{at}: {d}");
                }
                (Value::Empty, Data::Empty) => {}
                (want, got) => panic!("{at}: wrote {want:?}, read {got:?}"),
            }
        }
    }
}

#[test]
fn the_whole_report_reads_back_sheet_by_sheet_with_typed_cells() {
    let nb = notebook();
    let report = Report::compute(&nb, &"2026-Q3".parse().unwrap(), TODAY);
    let book = report.workbook(&labels, false);
    assert_eq!(book.sheets.len(), 1 + TABLES.len(), "the overview, then every table");
    let mut xlsx = read(lotse_xlsx::write(&book).unwrap());
    let names = xlsx.sheet_names();
    assert_eq!(names.len(), book.sheets.len());
    let mut taken = Vec::new();
    for (sheet, name) in book.sheets.iter().zip(&names) {
        let expected = lotse_xlsx::sheet_name(&sheet.title, &taken);
        assert_eq!(*name, expected, "{}: named after its title", sheet.name);
        taken.push(expected);
        let range = xlsx.worksheet_range(name).unwrap();
        assert_same(sheet, &range);
    }

    // The overview: the period as dates, the headline as on screen.
    let overview = xlsx.worksheet_range(&names[0]).unwrap();
    assert_eq!(book.sheets[0].name, OVERVIEW);
    assert_eq!(overview.get((1, 0)), Some(&Data::String("Von".into())));
    match overview.get((1, 1)) {
        Some(Data::DateTime(d)) => assert_eq!(d.as_f64(), excel_serial("2026-07-01")),
        other => panic!("the first day is a date, not {other:?}"),
    }
    let h = report.headline();
    let consultations = 3 + FIGURES.iter().position(|f| *f == "consultations").unwrap();
    assert_eq!(overview.get((consultations + 1, 1)), Some(&Data::Float(h.consultations.into())));
    assert!(h.consultations > 0, "the demo quarter has consultations");

    // The consultations table: its total row is the headline's figure.
    let sheet = &book.sheets[2];
    assert_eq!(sheet.name, "consultations");
    let range = xlsx.worksheet_range(&names[2]).unwrap();
    let last = range.rows().next_back().unwrap();
    assert_eq!(last[0], Data::String("Gesamt".into()));
    assert_eq!(last.last(), Some(&Data::Float(h.consultations.into())));
}

#[test]
fn a_name_that_looks_like_a_formula_stays_text_in_an_arabic_right_to_left_sheet() {
    let sheet = Sheet {
        name: "t".into(),
        title: "الجالية/العربية".into(),
        head: vec!["الاسم".into(), "العدد".into()],
        rows: vec![vec![Value::Text("=HYPERLINK(\"http://example.org\")".into()), Value::Number(7)]],
    };
    let bytes = lotse_xlsx::write(&Workbook { sheets: vec![sheet.clone()], rtl: true }).unwrap();
    let mut xlsx = read(bytes);
    assert_eq!(xlsx.sheet_names(), ["الجالية-العربية"]);
    let range = xlsx.worksheet_range("الجالية-العربية").unwrap();
    assert_same(&sheet, &range);
    let formulas = xlsx.worksheet_formula("الجالية-العربية").unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "no formula in the file");
}

#[test]
fn a_date_that_is_not_a_day_is_refused_not_written_as_text() {
    let sheet = Sheet {
        name: "t".into(),
        title: "T".into(),
        head: vec!["Tag".into()],
        rows: vec![vec![Value::Date("2026-02-30".into())]],
    };
    let err = lotse_xlsx::write(&Workbook { sheets: vec![sheet], rtl: false }).unwrap_err();
    assert!(matches!(err, lotse_xlsx::WriteError::BadDate(d) if d == "2026-02-30"));
}
