//! The demo year's report as the app exports it — the whole report's CSV
//! (`Workbook::to_csv`) and its XLSX (`lotse_xlsx::write`), with the app's
//! German and Arabic labels — opened by LibreOffice (Debian's
//! `libreoffice-calc-nogui`, installed by `cargo xtask setup`), headless,
//! and saved again as CSV: it must open each file without error and read
//! every figure as a number, every day as a date and every text intact.
//!
//! Without `soffice` the test fails and says how to install it, unless
//! LOTSE_SKIP_LIBREOFFICE=1 asks to skip it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use std::{env, fs};

use automerge::ActorId;
use fluent_bundle::{FluentBundle, FluentResource};
use lotse_model::demo::{self, DemoSize};
use lotse_model::report::{Period, Report};
use lotse_model::sheet::{csv_text, Value, Workbook};
use lotse_model::Notebook;

const TODAY: &str = "2026-11-12";

/// How long one conversion may take (a cold start is 2–10 s).
const TIMEOUT: Duration = Duration::from_secs(180);

/// Every label the app would use in `lang`: the Fluent files it ships.
fn labels(lang: &str) -> impl Fn(&str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../src/i18n");
    let mut files = vec![root.join(format!("{lang}.ftl"))];
    for area in fs::read_dir(&root).unwrap().flatten().filter(|e| e.path().is_dir()) {
        files.push(area.path().join(format!("{lang}.ftl")));
    }
    let mut bundle = FluentBundle::new(vec![lang.parse().unwrap()]);
    bundle.set_use_isolating(true);
    for file in files {
        let text = fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        bundle.add_resource(FluentResource::try_new(text).expect("the app's messages parse")).unwrap();
    }
    move |key| {
        let pattern = bundle.get_message(key).and_then(|m| m.value()).unwrap_or_else(|| panic!("no message {key}"));
        bundle.format_pattern(pattern, None, &mut vec![]).into_owned()
    }
}

/// The demo network's year, as a coordinator's device counts it.
fn demo_year(lang: &str, rtl: bool) -> Workbook {
    let d = demo::generate(&DemoSize::SMALL, 7, TODAY, ActorId::from([0xC0; 16])).unwrap();
    let communities: Vec<_> = d.communities.iter().map(|(c, doc)| (c.id, doc)).collect();
    let nb = Notebook::load(&d.network, &communities).unwrap();
    let year = Period::range("2026-01-01", "2026-12-31").unwrap();
    Report::compute(&nb, &year, TODAY).workbook(&labels(lang), rtl)
}

/// The `soffice` to run, or why there is none: a failure unless skipping
/// was asked for.
fn soffice() -> Option<&'static str> {
    let runs = Command::new("soffice").arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status();
    if runs.is_ok_and(|s| s.success()) {
        return Some("soffice");
    }
    if env::var("LOTSE_SKIP_LIBREOFFICE").as_deref() == Ok("1") {
        eprintln!("skipped: LibreOffice (soffice) is not installed and LOTSE_SKIP_LIBREOFFICE=1");
        return None;
    }
    panic!(
        "LibreOffice (soffice) is not installed: run `cargo xtask setup` \
         (it installs Debian's libreoffice-calc-nogui), or set LOTSE_SKIP_LIBREOFFICE=1 to skip this test"
    );
}

/// A fresh folder under the system's temporary one, gone when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = env::temp_dir().join(format!("lotse-libreoffice-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// LibreOffice's CSV filter: comma, double quotes, UTF-8 (76), from line 1.
const CSV_IN: &str = "CSV:44,34,76,1";
/// The same, saving: every text cell quoted (so a number is told from a
/// text by its quotes), cells as shown, every sheet to a file of its own.
const CSV_OUT: &str = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,true,true,false,false,false,-1";

/// `file` opened by LibreOffice and saved as CSV, a file per sheet, in the
/// order of `sheets` (LibreOffice names each `<file>-<sheet>.csv`).
fn convert(soffice: &str, file: &Path, sheets: &[String]) -> Vec<String> {
    let scratch = file.parent().unwrap();
    let out = scratch.join("out");
    // A profile of its own: never the user's, and no lock shared with
    // another run.
    let profile = format!("-env:UserInstallation=file://{}", scratch.join("profile").display());
    let mut command = Command::new(soffice);
    command.args([profile.as_str(), "--headless", "--norestore"]);
    // A CSV is read as UTF-8 with commas, as a person picks in the import
    // dialog: headless, LibreOffice 7.4 takes the system's charset and
    // does not look for the byte order mark.
    if file.extension().is_some_and(|e| e == "csv") {
        command.arg(format!("--infilter={CSV_IN}"));
    }
    let mut child = command
        .args(["--convert-to", CSV_OUT])
        .arg("--outdir")
        .arg(&out)
        .arg(file)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("soffice starts");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            panic!("soffice did not convert {} within {TIMEOUT:?}", file.display());
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let output = child.wait_with_output().unwrap();
    let said = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(status.success(), "soffice failed on {}: {status}\n{said}", file.display());
    let stem = file.file_stem().unwrap().to_str().unwrap();
    sheets
        .iter()
        .map(|sheet| {
            let path = out.join(format!("{stem}-{sheet}.csv"));
            fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}\nsoffice said: {said}", path.display()))
        })
        .collect()
}

/// A field of LibreOffice's CSV: its text, and whether it was quoted (a
/// text cell) or not (a number, a date, an empty cell).
#[derive(Debug, Clone, PartialEq)]
struct Field {
    quoted: bool,
    text: String,
}

/// RFC 4180 records, keeping whether each field was quoted.
fn records(csv: &str) -> Vec<Vec<Field>> {
    let mut out = Vec::new();
    let (mut row, mut field) = (Vec::new(), Field { quoted: false, text: String::new() });
    let mut chars = csv.chars().peekable();
    let mut in_quotes = false;
    while let Some(c) = chars.next() {
        match (in_quotes, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.text.push('"');
            }
            (true, '"') => in_quotes = false,
            (true, c) => field.text.push(c),
            (false, '"') => {
                in_quotes = true;
                field.quoted = true;
            }
            (false, ',') => row.push(std::mem::replace(&mut field, Field { quoted: false, text: String::new() })),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::replace(&mut field, Field { quoted: false, text: String::new() }));
                out.push(std::mem::take(&mut row));
            }
            (false, c) => field.text.push(c),
        }
    }
    if !row.is_empty() || !field.text.is_empty() || field.quoted {
        row.push(field);
        out.push(row);
    }
    out
}

/// A text as the CSV export writes it: a formula-like one neutralised.
fn as_written(text: &str) -> String {
    let mut out = String::new();
    csv_text(&mut out, text);
    match out.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        Some(quoted) => quoted.replace("\"\"", "\""),
        None => out,
    }
}

/// A day LibreOffice shows in its default (en-US) short date form, M/D/YY,
/// or in ISO form, as `YYYY-MM-DD`.
fn day(shown: &str) -> Option<String> {
    if shown.len() == 10 && shown.as_bytes()[4] == b'-' {
        return Some(shown.to_owned());
    }
    let parts: Vec<u32> = shown.split('/').map(|p| p.parse().ok()).collect::<Option<_>>()?;
    let [m, d, y] = parts[..] else { return None };
    Some(format!("{:04}-{m:02}-{d:02}", if y < 100 { 2000 + y } else { y }))
}

/// A row LibreOffice read is the row written: a text quoted and equal, a
/// number bare and equal, a day bare and the same day, an empty cell
/// empty; columns past the row's end (LibreOffice pads a sheet's rows to
/// its widest) empty.
fn assert_row(at: &str, want: &[Value], got: &[Field]) {
    assert!(got.len() >= want.len(), "{at}: {} cells, read {got:?}", want.len());
    for (c, field) in got.iter().enumerate() {
        let at = format!("{at}, column {}", c + 1);
        match want.get(c).unwrap_or(&Value::Empty) {
            Value::Text(t) => {
                assert!(field.quoted, "{at}: {t:?} read as text, not {field:?}");
                assert_eq!(field.text, as_written(t), "{at}");
            }
            Value::Number(n) => {
                assert!(!field.quoted, "{at}: {n} read as a number, not the text {:?}", field.text);
                assert_eq!(field.text, n.to_string(), "{at}");
            }
            Value::Date(d) => {
                assert!(!field.quoted, "{at}: {d} read as a date, not the text {:?}", field.text);
                assert_eq!(day(&field.text).as_deref(), Some(d.as_str()), "{at}: read {:?}", field.text);
            }
            Value::Empty => assert_eq!(field, &Field { quoted: false, text: String::new() }, "{at}"),
        }
    }
}

/// What the workbook's sheets hold, in one list of rows as the whole
/// report's CSV lays them out: each sheet's title, its header, its rows,
/// a blank row between sheets.
fn whole_rows(book: &Workbook) -> Vec<Vec<Value>> {
    let texts = |t: &[String]| t.iter().map(|t| Value::Text(t.clone())).collect::<Vec<_>>();
    let mut rows = Vec::new();
    for (n, sheet) in book.sheets.iter().enumerate() {
        if n > 0 {
            rows.push(vec![]);
        }
        rows.push(vec![Value::Text(sheet.title.clone())]);
        rows.push(texts(&sheet.head));
        rows.extend(sheet.rows.iter().cloned());
    }
    rows
}

fn check(lang: &str, rtl: bool, must_hold: &str) {
    let Some(soffice) = soffice() else { return };
    let book = demo_year(lang, rtl);
    let every_text: String = whole_rows(&book)
        .iter()
        .flatten()
        .filter_map(|v| if let Value::Text(t) = v { Some(t.as_str()) } else { None })
        .collect();
    assert!(every_text.contains(must_hold), "the {lang} report holds {must_hold:?}");
    assert!(book.sheets.iter().flat_map(|s| &s.rows).flatten().any(|v| matches!(v, Value::Date(_))), "dates");
    assert!(book.sheets.iter().flat_map(|s| &s.rows).flatten().any(|v| matches!(v, Value::Number(n) if *n > 9)));

    // The whole report as CSV: one sheet, every table under its title.
    let scratch = Scratch::new(&format!("{lang}-csv"));
    let file = scratch.0.join("report.csv");
    fs::write(&file, book.to_csv()).unwrap();
    let read = records(&convert(soffice, &file, &["report".into()])[0]);
    let want = whole_rows(&book);
    assert_eq!(read.len(), want.len(), "{lang} CSV: a line per row");
    for (n, (want, got)) in want.iter().zip(&read).enumerate() {
        assert_row(&format!("{lang} CSV line {}", n + 1), want, got);
    }

    // The workbook: a sheet per table, each saved to a file of its own.
    let scratch = Scratch::new(&format!("{lang}-xlsx"));
    let file = scratch.0.join("report.xlsx");
    fs::write(&file, lotse_xlsx::write(&book).unwrap()).unwrap();
    let mut names = Vec::new();
    for sheet in &book.sheets {
        names.push(lotse_xlsx::sheet_name(&sheet.title, &names));
    }
    for ((sheet, name), csv) in book.sheets.iter().zip(&names).zip(convert(soffice, &file, &names)) {
        let read = records(&csv);
        let texts = sheet.head.iter().map(|t| Value::Text(t.clone())).collect::<Vec<_>>();
        assert_eq!(read.len(), sheet.rows.len() + 1, "{lang} XLSX {name}: the header and every row");
        assert_row(&format!("{lang} XLSX {name} header"), &texts, &read[0]);
        for (n, (want, got)) in sheet.rows.iter().zip(&read[1..]).enumerate() {
            assert_row(&format!("{lang} XLSX {name} row {}", n + 2), want, got);
        }
    }
}

#[test]
fn libreoffice_opens_the_german_report_with_its_umlauts_numbers_and_dates() {
    check("de", false, "Überblick");
}

#[test]
fn libreoffice_opens_the_arabic_report_right_to_left_with_its_arabic_headers() {
    check("ar", true, "الجالية");
}
