//! Spreadsheet tables with typed cells: what the exports write, as CSV here
//! and as XLSX by the engine worker (`lotse-xlsx`), so both files hold the
//! same cells. Plain data: the page builds them and sends them to the
//! worker (postcard), which links the XLSX writer the page must not carry.

use serde::{Deserialize, Serialize};

/// One cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Value {
    /// Text, written as text (never as a formula, whatever it starts with).
    Text(String),
    /// A whole number.
    Number(i64),
    /// A day, `YYYY-MM-DD`.
    Date(String),
    Empty,
}

/// A table: a header row (already in the reader's language) and its rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sheet {
    /// A stable name (`consultations`): file names and element ids.
    pub name: String,
    /// What a person calls it, in their language: the XLSX sheet's tab.
    pub title: String,
    pub head: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

/// Sheets to write as one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workbook {
    pub sheets: Vec<Sheet>,
    /// Right to left (Arabic): the sheets' columns run from the right.
    pub rtl: bool,
}

impl Sheet {
    /// The table as CSV (RFC 4180: fields with a comma, quote or line
    /// break in double quotes, quotes doubled; UTF-8 with a byte order
    /// mark, so spreadsheets read umlauts and Arabic; lines end in `\r\n`;
    /// numbers as plain digits, dates as `YYYY-MM-DD`). A text that a
    /// spreadsheet would read as a formula (it begins with `=`, `+`, `-`,
    /// `@`, a tab or a carriage return) is written with a `'` before it, so
    /// opening an export never runs what someone typed as a name.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("\u{feff}");
        let head = self.head.iter().map(|h| Value::Text(h.clone())).collect::<Vec<_>>();
        for cells in std::iter::once(&head).chain(&self.rows) {
            for (i, cell) in cells.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                match cell {
                    Value::Text(text) => csv_text(&mut out, text),
                    Value::Number(n) => out.push_str(&n.to_string()),
                    Value::Date(d) => out.push_str(d),
                    Value::Empty => {}
                }
            }
            out.push_str("\r\n");
        }
        out
    }
}

impl Workbook {
    /// The whole workbook as one CSV file: each sheet under its title, a
    /// blank line between sheets, one byte order mark at the start (what
    /// the report's "whole report as CSV" downloads).
    pub fn to_csv(&self) -> String {
        let mut out = String::from("\u{feff}");
        for (n, sheet) in self.sheets.iter().enumerate() {
            if n > 0 {
                out.push_str("\r\n");
            }
            csv_text(&mut out, &sheet.title);
            out.push_str("\r\n");
            let csv = sheet.to_csv();
            out.push_str(csv.strip_prefix('\u{feff}').unwrap_or(&csv));
        }
        out
    }
}

/// One text field: neutralised if a spreadsheet would take it for a
/// formula, quoted if it holds a comma, quote or line break.
pub fn csv_text(out: &mut String, text: &str) {
    let formula = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let quote = text.contains([',', '"', '\r', '\n']);
    if quote {
        out.push('"');
    }
    if formula {
        out.push('\'');
    }
    if quote {
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_is_quoted_only_when_it_must_be_and_formulas_are_neutralised() {
        let write = |t: &str| {
            let mut out = String::new();
            csv_text(&mut out, t);
            out
        };
        assert_eq!(write("Bäckerei"), "Bäckerei");
        assert_eq!(write("a, b"), "\"a, b\"");
        assert_eq!(write("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(write("two\nlines"), "\"two\nlines\"");
        assert_eq!(write("=1+1"), "'=1+1");
        assert_eq!(write("-1,5"), "\"'-1,5\"");
        assert_eq!(write("الجالية العربية"), "الجالية العربية");
    }

    #[test]
    fn a_sheet_writes_numbers_and_dates_plain_and_empty_cells_empty() {
        let sheet = Sheet {
            name: "t".into(),
            title: "T".into(),
            head: vec!["Wer, genau".into(), "Zahl".into(), "Tag".into(), "Leer".into()],
            rows: vec![vec![
                Value::Text("Ayşe".into()),
                Value::Number(-3),
                Value::Date("2026-07-01".into()),
                Value::Empty,
            ]],
        };
        assert_eq!(sheet.to_csv(), "\u{feff}\"Wer, genau\",Zahl,Tag,Leer\r\nAyşe,-3,2026-07-01,\r\n");
    }

    #[test]
    fn a_workbook_is_one_file_with_one_bom_and_each_sheet_under_its_title() {
        let sheet = |name: &str, head: &str, n: i64| Sheet {
            name: name.into(),
            title: format!("Table {name}, all"),
            head: vec![head.into()],
            rows: vec![vec![Value::Number(n)]],
        };
        let book = Workbook { sheets: vec![sheet("a", "x", 1), sheet("b", "z", 3)], rtl: false };
        assert_eq!(book.to_csv(), "\u{feff}\"Table a, all\"\r\nx\r\n1\r\n\r\n\"Table b, all\"\r\nz\r\n3\r\n");
    }
}
