//! A [`Workbook`] of typed tables (`lotse_model::sheet`) as an XLSX file:
//! texts as texts (never formulas), numbers as numbers, dates as dates that
//! the spreadsheet shows in its reader's own date format.
//!
//! Linked only into the engine worker's binary (the page sends the tables
//! and gets the bytes back), so the page, which every phone loads before
//! its first screen, does not carry the writer and its ZIP and deflate.

use lotse_model::sheet::{Value, Workbook};
use rust_xlsxwriter::{ExcelDateTime, Format, XlsxError};

/// Why a workbook could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("the date {0:?} is not a day (YYYY-MM-DD)")]
    BadDate(String),
    #[error("a sheet has more rows or columns than a spreadsheet holds")]
    TooLarge,
    #[error("the spreadsheet could not be written: {0}")]
    Xlsx(#[from] XlsxError),
}

/// Excel's built-in number format 14: a date in the reader's own short
/// form (05.03.2026 in German, 3/5/2026 in US English).
const LOCAL_DATE: u8 = 14;

/// Excel's longest sheet name.
const MAX_NAME: usize = 31;

/// A sheet's name from its title: the characters Excel forbids replaced,
/// at most 31 characters, and unique among `taken` (ignoring case).
pub fn sheet_name(title: &str, taken: &[String]) -> String {
    let clean: String =
        title.chars().map(|c| if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') { '-' } else { c }).collect();
    let clean = clean.trim_matches(|c: char| c == '\'' || c.is_whitespace());
    let clean = if clean.is_empty() { "Sheet" } else { clean };
    let free = |name: &str| !taken.iter().any(|t| t.to_lowercase() == name.to_lowercase());
    let cut = |s: &str, n: usize| s.chars().take(n).collect::<String>().trim_end().to_owned();
    let first = cut(clean, MAX_NAME);
    if free(&first) {
        return first;
    }
    (2..)
        .map(|n| {
            let suffix = format!(" ({n})");
            format!("{}{suffix}", cut(clean, MAX_NAME - suffix.chars().count()))
        })
        .find(|name| free(name))
        .expect("some number is free")
}

fn date(ymd: &str) -> Option<ExcelDateTime> {
    let bad = || None;
    if ymd.len() != 10 || !lotse_model::validate::is_valid_date(ymd) {
        return bad();
    }
    let (y, m, d) = (ymd[..4].parse().ok()?, ymd[5..7].parse().ok()?, ymd[8..].parse().ok()?);
    ExcelDateTime::from_ymd(y, m, d).ok()
}

/// The workbook as the bytes of an XLSX file: each sheet's header row in
/// bold and frozen, its columns as wide as their contents, right to left
/// if the workbook is.
pub fn write(book: &Workbook) -> Result<Vec<u8>, WriteError> {
    let mut out = rust_xlsxwriter::Workbook::new();
    let bold = Format::new().set_bold();
    let day = Format::new().set_num_format_index(LOCAL_DATE);
    let mut names: Vec<String> = Vec::new();
    for sheet in &book.sheets {
        let ws = out.add_worksheet();
        let name = sheet_name(&sheet.title, &names);
        ws.set_name(&name)?;
        names.push(name);
        ws.set_right_to_left(book.rtl);
        for (c, head) in sheet.head.iter().enumerate() {
            let c = u16::try_from(c).map_err(|_| WriteError::TooLarge)?;
            ws.write_string_with_format(0, c, head, &bold)?;
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            let r = u32::try_from(r + 1).map_err(|_| WriteError::TooLarge)?;
            for (c, cell) in row.iter().enumerate() {
                let c = u16::try_from(c).map_err(|_| WriteError::TooLarge)?;
                match cell {
                    Value::Text(t) => {
                        ws.write_string(r, c, t)?;
                    }
                    // Counts: exact in a double far beyond any figure.
                    Value::Number(n) => {
                        ws.write_number(r, c, *n as f64)?;
                    }
                    Value::Date(d) => {
                        let at = date(d).ok_or_else(|| WriteError::BadDate(d.clone()))?;
                        ws.write_datetime_with_format(r, c, &at, &day)?;
                    }
                    Value::Empty => {}
                }
            }
        }
        ws.set_freeze_panes(1, 0)?;
        ws.autofit();
    }
    Ok(out.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_drop_what_excel_forbids_and_stay_short_and_unique() {
        assert_eq!(sheet_name("Betriebe", &[]), "Betriebe");
        assert_eq!(sheet_name("a/b: [c]?", &[]), "a-b- -c--");
        let long = "Erstberatungen nach Community und Zielgruppe";
        let first = sheet_name(long, &[]);
        assert_eq!(first.chars().count(), 31);
        let second = sheet_name(long, std::slice::from_ref(&first));
        assert!(second.ends_with(" (2)") && second.chars().count() <= 31, "{second}");
        assert_eq!(sheet_name("'  '", &[]), "Sheet");
        assert_eq!(sheet_name("betriebe", &["Betriebe".into()]), "betriebe (2)");
    }
}
