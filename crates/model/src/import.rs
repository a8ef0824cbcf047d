//! Contacts and companies brought in from a CSV file: read the file
//! ([`read_csv`]), match its header row to the record's fields by name in
//! any of the app's languages, check every row as its form would
//! ([`preview`]), and hand over the good rows as the writes of one save per
//! document ([`Preview::writes`]). Nothing of a row with an error is kept.
//!
//! # What a file may be
//!
//! - UTF-8, with or without a byte order mark; UTF-16 with its mark (what
//!   spreadsheets save as "Unicode text"); anything else is read as
//!   Windows-1252, what a German spreadsheet saves as "CSV".
//! - Fields separated by commas, semicolons (German spreadsheets) or tabs:
//!   whichever of them the header row holds most of, or what an Excel
//!   `sep=;` first line names.
//! - Fields in double quotes may hold separators, line breaks and doubled
//!   quotes (RFC 4180). A row is what a spreadsheet shows as one: the
//!   header is row 1.
//! - The header names a column by its name in German, English, Turkish,
//!   Arabic or Russian, or by its code (`consent-date`); case, accents,
//!   spaces and punctuation do not matter. Columns it does not know are
//!   left out and listed.
//! - Values of a closed list (target group, consent scope, chamber,
//!   licence) by their name in any of the languages or their code; dates as
//!   `2026-03-05` or `05.03.2026`; a community by its name.
//!
//! # Consent
//!
//! Every imported person needs a consent on record: a consent date and what
//! it covers (`consent-scope`). A row without them is refused, whatever
//! else it holds, as the contact form refuses it. The consent is recorded
//! as given on that date and recorded by the person importing (the paper
//! or signed form stays where it was kept).

use std::collections::HashMap;

use crate::contact::{ConsentScope, Contact, ContactDraft, TargetGroup};
use crate::forms::{CompanyDraft, Stamp};
use crate::ids::{CommunityId, CompanyId, ContactId};
use crate::network::{Chamber, Company, LicenceStatus};
use crate::notebook::{fold, DocRef, Row, RowSet};
use crate::validate::{is_valid_date, Field, FieldError, Problem};

// ---------------------------------------------------------------------------
// Reading the file.

/// How the file's bytes were read as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Encoding {
    Utf8,
    /// UTF-8 with a byte order mark (what the exports write).
    Utf8Bom,
    /// UTF-16 (little or big endian) with its byte order mark.
    Utf16,
    /// Not UTF-8: read as Windows-1252.
    Windows1252,
}

/// One row of the file: its number as a spreadsheet shows it (the header
/// is row 1) and its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvRow {
    pub row: usize,
    pub fields: Vec<String>,
}

/// A file read as rows of fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvFile {
    pub encoding: Encoding,
    pub separator: char,
    /// Every row, the header first.
    pub rows: Vec<CsvRow>,
}

/// A file that cannot be read as CSV.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum CsvError {
    #[error("the file is empty")]
    Empty,
    #[error("row {row}: a quoted field never ends: a closing \" is missing")]
    UnclosedQuote { row: usize },
}

/// The bytes as text, and how they were read.
pub fn decode(bytes: &[u8]) -> (String, Encoding) {
    if let Some(rest) = bytes.strip_prefix(&[0xef, 0xbb, 0xbf]) {
        return (String::from_utf8_lossy(rest).into_owned(), Encoding::Utf8Bom);
    }
    let utf16 = |rest: &[u8], unit: fn([u8; 2]) -> u16| {
        let units: Vec<u16> = rest.chunks_exact(2).map(|p| unit([p[0], p[1]])).collect();
        (String::from_utf16_lossy(&units), Encoding::Utf16)
    };
    if let Some(rest) = bytes.strip_prefix(&[0xff, 0xfe]) {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xfe, 0xff]) {
        return utf16(rest, u16::from_be_bytes);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), Encoding::Utf8),
        Err(_) => (bytes.iter().map(|b| windows_1252(*b)).collect(), Encoding::Windows1252),
    }
}

/// Windows-1252: Latin-1 but for 0x80–0x9F, where it keeps €, quotes,
/// dashes and a few letters (Š, Œ, Ž …).
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}', '\u{90}', '‘',
        '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9f => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// The separator of the first row: the most frequent of comma, semicolon
/// and tab outside quotes (a tie goes to the comma, then the semicolon).
fn separator(first_row: &str) -> char {
    let (mut counts, mut quoted) = ([0usize; 3], false);
    for c in first_row.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' | '\r' if !quoted => break,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let candidates = [(',', counts[0]), (';', counts[1]), ('\t', counts[2])];
    candidates.iter().rev().max_by_key(|(_, n)| *n).map_or(',', |(c, _)| *c)
}

/// Reads `bytes` as CSV (see the [module](self) for what it takes).
pub fn read_csv(bytes: &[u8]) -> Result<CsvFile, CsvError> {
    let (text, encoding) = decode(bytes);
    let mut body = text.as_str();
    // Excel's own hint on the first line: `sep=;`.
    let hint = body.strip_prefix("sep=").and_then(|rest| {
        let mut chars = rest.chars();
        let sep = chars.next()?;
        let after = chars.as_str();
        let after = after.strip_prefix("\r\n").or_else(|| after.strip_prefix('\n'))?;
        Some((sep, after))
    });
    let sep = match hint {
        Some((sep, after)) => {
            body = after;
            sep
        }
        None => separator(body),
    };
    let rows = parse(body, sep)?;
    if rows.iter().all(|r| r.fields.iter().all(|f| f.trim().is_empty())) {
        return Err(CsvError::Empty);
    }
    Ok(CsvFile { encoding, separator: sep, rows })
}

fn parse(text: &str, sep: char) -> Result<Vec<CsvRow>, CsvError> {
    let (mut rows, mut fields, mut field) = (Vec::new(), Vec::new(), String::new());
    let (mut row, mut quoted, mut at_start, mut opened) = (1, false, true, 1);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                '"' => quoted = false,
                c => field.push(c),
            }
            continue;
        }
        match c {
            '"' if at_start => {
                quoted = true;
                opened = row;
                at_start = false;
            }
            c if c == sep => {
                fields.push(std::mem::take(&mut field));
                at_start = true;
            }
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                fields.push(std::mem::take(&mut field));
                rows.push(CsvRow { row, fields: std::mem::take(&mut fields) });
                row += 1;
                at_start = true;
            }
            c => {
                field.push(c);
                at_start = false;
            }
        }
    }
    if quoted {
        return Err(CsvError::UnclosedQuote { row: opened });
    }
    if !field.is_empty() || !fields.is_empty() {
        fields.push(field);
        rows.push(CsvRow { row, fields });
    }
    Ok(rows)
}

// ---------------------------------------------------------------------------
// What is imported, and the columns it reads.

/// What a file brings in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Target {
    Contacts,
    Companies,
}

impl Target {
    pub const ALL: [Target; 2] = [Target::Contacts, Target::Companies];

    pub fn code(self) -> &'static str {
        match self {
            Target::Contacts => "contacts",
            Target::Companies => "companies",
        }
    }

    /// The columns it reads, in the order a template lists them.
    pub fn columns(self) -> &'static [Column] {
        use Column::*;
        match self {
            Target::Contacts => {
                &[Name, TargetGroup, Phone, Languages, District, Community, ConsentDate, ConsentScope, Notes]
            }
            Target::Companies => &[Name, Trade, Chamber, Licence, ContactPerson, Phone, Community, MemberSince, Notes],
        }
    }

    /// The columns a file must have.
    pub fn required(self) -> &'static [Column] {
        use Column::*;
        match self {
            Target::Contacts => &[Name, TargetGroup, ConsentDate, ConsentScope],
            Target::Companies => &[Name, Trade, Chamber, Licence, MemberSince],
        }
    }
}

/// A column the import reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum Column {
    Name,
    TargetGroup,
    Phone,
    Languages,
    District,
    Community,
    ConsentDate,
    ConsentScope,
    Trade,
    Chamber,
    Licence,
    ContactPerson,
    MemberSince,
    Notes,
}

impl Column {
    /// Its code: a header may name it so, and its label is
    /// `import-col-<code>`.
    pub fn code(self) -> &'static str {
        match self {
            Column::Name => "name",
            Column::TargetGroup => "target-group",
            Column::Phone => "phone",
            Column::Languages => "languages",
            Column::District => "district",
            Column::Community => "community",
            Column::ConsentDate => "consent-date",
            Column::ConsentScope => "consent-scope",
            Column::Trade => "trade",
            Column::Chamber => "chamber",
            Column::Licence => "licence",
            Column::ContactPerson => "contact-person",
            Column::MemberSince => "member-since",
            Column::Notes => "notes",
        }
    }

    /// The label key of its header.
    pub fn label_key(self) -> String {
        format!("import-col-{}", self.code())
    }

    /// The values of a closed list, each as its code and label key; empty
    /// for a column of free text.
    pub fn choices(self) -> Vec<(&'static str, String)> {
        fn of<T: Copy>(all: &[T], code: fn(T) -> &'static str, prefix: &str) -> Vec<(&'static str, String)> {
            all.iter().map(|v| (code(*v), format!("{prefix}-{}", code(*v)))).collect()
        }
        match self {
            Column::TargetGroup => of(&TargetGroup::ALL, TargetGroup::code, "group"),
            Column::ConsentScope => of(&ConsentScope::ALL, ConsentScope::code, "scope"),
            Column::Chamber => of(Chamber::ALL, Chamber::code, "chamber"),
            Column::Licence => of(LicenceStatus::ALL, LicenceStatus::code, "licence"),
            _ => Vec::new(),
        }
    }

    fn of_field(field: Field) -> Option<Column> {
        Some(match field {
            Field::Name => Column::Name,
            Field::TargetGroup => Column::TargetGroup,
            Field::Phone => Column::Phone,
            Field::Languages => Column::Languages,
            Field::District => Column::District,
            Field::Community => Column::Community,
            Field::Consent | Field::ConsentDate => Column::ConsentDate,
            Field::ConsentScope => Column::ConsentScope,
            Field::Trade => Column::Trade,
            Field::Chamber => Column::Chamber,
            Field::Licence => Column::Licence,
            Field::ContactPerson => Column::ContactPerson,
            Field::MemberSince => Column::MemberSince,
            Field::Notes => Column::Notes,
            _ => return None,
        })
    }

    fn is_date(self) -> bool {
        matches!(self, Column::ConsentDate | Column::MemberSince)
    }
}

/// A name as matched: case, accents, and all but letters and digits left out.
fn key(text: &str) -> String {
    fold(text).chars().filter(|c| c.is_alphanumeric()).collect()
}

/// The keys a label answers to: all of it, and what comes before a `(` or
/// a `*` ("HWK (Handwerk)" → "hwk", "Jugendliche*r" → "jugendliche").
fn keys_of(label: &str) -> Vec<String> {
    let mut keys = vec![key(label)];
    if let Some(short) = label.split(['(', '*']).next().map(key).filter(|k| !k.is_empty()) {
        if !keys.contains(&short) {
            keys.push(short);
        }
    }
    keys.retain(|k| !k.is_empty());
    keys
}

/// Words to their meaning: a key that two meanings share is no answer.
struct Words<T> {
    map: HashMap<String, Option<T>>,
}

impl<T: Copy + PartialEq> Words<T> {
    fn new() -> Self {
        Words { map: HashMap::new() }
    }

    fn add(&mut self, word: &str, meaning: T) {
        for k in keys_of(word) {
            let e = self.map.entry(k).or_insert(Some(meaning));
            if *e != Some(meaning) {
                *e = None;
            }
        }
    }

    fn get(&self, text: &str) -> Option<T> {
        self.map.get(&key(text)).copied().flatten()
    }
}

/// What the import needs to know besides the file.
pub struct Context<'a> {
    /// Every translation of a label key (each of the app's languages).
    pub words: &'a dyn Fn(&str) -> Vec<String>,
    /// The communities this device may write to, with their names.
    pub communities: &'a [(CommunityId, String)],
    /// Where a contact goes whose row names no community.
    pub default_community: CommunityId,
    /// Who imports, and when.
    pub stamp: Stamp,
}

/// Every label key whose words a file of `target` may use: its columns'
/// and the values of their closed lists (what [`Context::words`] is asked).
pub fn label_keys(target: Target) -> Vec<String> {
    let mut keys = Vec::new();
    for c in target.columns() {
        keys.push(c.label_key());
        keys.extend(c.choices().into_iter().map(|(_, key)| key));
    }
    keys
}

/// Every word a header or a value may be written as that means two things
/// at once: the app's translations must leave this empty.
pub fn ambiguous_words(words: &dyn Fn(&str) -> Vec<String>) -> Vec<String> {
    let mut out = Vec::new();
    for target in Target::ALL {
        let headers = header_words(target, words);
        out.extend(headers.map.iter().filter(|(_, m)| m.is_none()).map(|(k, _)| k.clone()));
        for column in target.columns() {
            let values = value_words(*column, words);
            out.extend(values.map.iter().filter(|(_, m)| m.is_none()).map(|(k, _)| format!("{}: {k}", column.code())));
        }
    }
    out.sort();
    out.dedup();
    out
}

fn header_words(target: Target, words: &dyn Fn(&str) -> Vec<String>) -> Words<Column> {
    let mut w = Words::new();
    for c in target.columns() {
        w.add(c.code(), *c);
        for word in words(&c.label_key()) {
            w.add(&word, *c);
        }
    }
    w
}

fn value_words(column: Column, words: &dyn Fn(&str) -> Vec<String>) -> Words<&'static str> {
    let mut w = Words::new();
    for (code, label) in column.choices() {
        w.add(code, code);
        for word in words(&label) {
            w.add(&word, code);
        }
    }
    w
}

/// `2026-03-05` or `5.3.2026` / `05.03.2026` as `YYYY-MM-DD`, if a real day.
pub fn parse_date(text: &str) -> Option<String> {
    let t = text.trim();
    if is_valid_date(t) {
        return Some(t.to_owned());
    }
    let parts: Vec<&str> = t.split('.').collect();
    let digits =
        |s: &str, n: std::ops::RangeInclusive<usize>| n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [d, m, y] if digits(d, 1..=2) && digits(m, 1..=2) && digits(y, 4..=4) => {
            let iso = format!("{y}-{m:0>2}-{d:0>2}");
            is_valid_date(&iso).then_some(iso)
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// The preview.

/// A file that cannot be imported at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum ImportError {
    #[error(transparent)]
    Csv(#[from] CsvError),
    #[error("the file has a header row but no rows below it")]
    NoRows,
    #[error("the file has no column for {0:?}: add them to the header row")]
    MissingColumns(Vec<Column>),
    #[error("columns {first} and {second} both name {column:?}: keep one")]
    TwiceNamed { column: Column, first: usize, second: usize },
}

/// What is wrong with one row.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum RowError {
    /// A field's value, as written, and what is wrong with it.
    Field { column: Column, value: String, problem: Problem },
    /// The row has more fields than the header names: a separator too many,
    /// or a quote missing.
    TooManyFields { found: usize, expected: usize },
}

/// A record a good row makes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Imported {
    Contact { community: CommunityId, contact: Box<Contact> },
    Company(Box<Company>),
}

impl Imported {
    /// The document it is written to.
    pub fn place(&self) -> DocRef {
        match self {
            Imported::Contact { community, .. } => DocRef::Community(*community),
            Imported::Company(_) => DocRef::Network,
        }
    }

    /// Its name, as a list shows it.
    pub fn name(&self) -> &str {
        match self {
            Imported::Contact { contact, .. } => &contact.name,
            Imported::Company(c) => &c.name,
        }
    }
}

/// One row of the file, checked.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RowResult {
    /// Its number as a spreadsheet shows it (the header is row 1).
    pub row: usize,
    pub result: Result<Imported, Vec<RowError>>,
}

/// A file checked row by row; nothing is saved yet.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Preview {
    pub target: Target,
    pub encoding: Encoding,
    pub separator: char,
    /// Every column of the file: its header as written and the column it
    /// is read as (`None`: left out).
    pub columns: Vec<(String, Option<Column>)>,
    /// Every row with something in it, in the file's order.
    pub rows: Vec<RowResult>,
}

impl Preview {
    /// The rows that will be saved.
    pub fn good(&self) -> impl Iterator<Item = (usize, &Imported)> {
        self.rows.iter().filter_map(|r| r.result.as_ref().ok().map(|i| (r.row, i)))
    }

    /// The rows that will not, each with what to fix.
    pub fn bad(&self) -> impl Iterator<Item = (usize, &[RowError])> {
        self.rows.iter().filter_map(|r| r.result.as_ref().err().map(|e| (r.row, e.as_slice())))
    }

    /// The good rows as one write per document: contacts into their
    /// community's, companies into the network's.
    pub fn writes(&self) -> Vec<(DocRef, RowSet)> {
        let mut out: Vec<(DocRef, RowSet)> = Vec::new();
        for (_, imported) in self.good() {
            let at = imported.place();
            let n = match out.iter().position(|(d, _)| *d == at) {
                Some(n) => n,
                None => {
                    out.push((at, RowSet::default()));
                    out.len() - 1
                }
            };
            let set = &mut out[n].1;
            match imported {
                Imported::Contact { contact, .. } => (**contact).clone().push(set),
                Imported::Company(company) => (**company).clone().push(set),
            }
        }
        out
    }
}

/// Reads `bytes` and checks every row as a record of `target` (see the
/// [module](self)); `new_id` gives the random bytes of each new record's id.
pub fn preview(
    bytes: &[u8],
    target: Target,
    cx: &Context<'_>,
    new_id: &mut dyn FnMut() -> [u8; 16],
) -> Result<Preview, ImportError> {
    let file = read_csv(bytes)?;
    let mut rows = file.rows.into_iter().skip_while(|r| r.fields.iter().all(|f| f.trim().is_empty()));
    let header = rows.next().ok_or(CsvError::Empty)?;
    let headers = header_words(target, cx.words);
    let columns: Vec<(String, Option<Column>)> =
        header.fields.iter().map(|h| (h.trim().to_owned(), headers.get(h))).collect();
    for (i, (_, c)) in columns.iter().enumerate() {
        if let Some(c) = c {
            if let Some(j) = columns[i + 1..].iter().position(|(_, d)| d == &Some(*c)) {
                return Err(ImportError::TwiceNamed { column: *c, first: i + 1, second: i + j + 2 });
            }
        }
    }
    let missing: Vec<Column> =
        target.required().iter().copied().filter(|r| !columns.iter().any(|(_, c)| *c == Some(*r))).collect();
    if !missing.is_empty() {
        return Err(ImportError::MissingColumns(missing));
    }
    let values: HashMap<Column, Words<&'static str>> =
        target.columns().iter().map(|c| (*c, value_words(*c, cx.words))).collect();
    let communities = {
        let mut w = Words::new();
        for (id, name) in cx.communities {
            w.add(name, *id);
            w.add(&id.to_string(), *id);
        }
        w
    };
    let checked: Vec<RowResult> = rows
        .filter(|r| r.fields.iter().any(|f| !f.trim().is_empty()))
        .map(|r| {
            let result = check_row(target, cx, &columns, &values, &communities, &r.fields, new_id);
            RowResult { row: r.row, result }
        })
        .collect();
    if checked.is_empty() {
        return Err(ImportError::NoRows);
    }
    Ok(Preview { target, encoding: file.encoding, separator: file.separator, columns, rows: checked })
}

fn check_row(
    target: Target,
    cx: &Context<'_>,
    columns: &[(String, Option<Column>)],
    values: &HashMap<Column, Words<&'static str>>,
    communities: &Words<CommunityId>,
    fields: &[String],
    new_id: &mut dyn FnMut() -> [u8; 16],
) -> Result<Imported, Vec<RowError>> {
    let found = fields.iter().rposition(|f| !f.trim().is_empty()).map_or(0, |i| i + 1);
    if found > columns.len() {
        return Err(vec![RowError::TooManyFields { found, expected: columns.len() }]);
    }
    let mut errors: Vec<RowError> = Vec::new();
    let raw = |column: Column| -> String {
        columns
            .iter()
            .position(|(_, c)| *c == Some(column))
            .and_then(|i| fields.get(i))
            .map(|f| f.trim().to_owned())
            .unwrap_or_default()
    };
    // Each field as its form holds it: closed lists as codes, dates as ISO,
    // the community as an id.
    let mut value = |column: Column| -> String {
        let text = raw(column);
        if text.is_empty() {
            return text;
        }
        let mut bad = |problem| {
            errors.push(RowError::Field { column, value: text.clone(), problem });
            String::new()
        };
        if let Some(words) = values.get(&column).filter(|_| !column.choices().is_empty()) {
            return match words.get(&text) {
                Some(code) => code.to_owned(),
                None => bad(Problem::UnknownChoice),
            };
        }
        if column.is_date() {
            return parse_date(&text).unwrap_or_else(|| bad(Problem::BadDate));
        }
        if column == Column::Community {
            return match communities.get(&text) {
                Some(id) => id.to_string(),
                None => bad(Problem::UnknownChoice),
            };
        }
        text
    };
    let built: Result<Imported, Vec<FieldError>> = match target {
        Target::Contacts => {
            let consent_written = !raw(Column::ConsentDate).is_empty();
            let draft = ContactDraft {
                target_group: value(Column::TargetGroup),
                name: value(Column::Name),
                phone: value(Column::Phone),
                languages: value(Column::Languages),
                district: value(Column::District),
                household: String::new(),
                notes: value(Column::Notes),
                consent_given: consent_written,
                consent_date: value(Column::ConsentDate),
                consent_scope: value(Column::ConsentScope),
            };
            let community = value(Column::Community).parse().unwrap_or(cx.default_community);
            draft
                .validate(ContactId::from_random(new_id()), cx.stamp, None)
                .map(|contact| Imported::Contact { community, contact: Box::new(contact) })
        }
        Target::Companies => {
            let draft = CompanyDraft {
                name: value(Column::Name),
                trade: value(Column::Trade),
                chamber: value(Column::Chamber),
                licence: value(Column::Licence),
                contact_person: value(Column::ContactPerson),
                phone: value(Column::Phone),
                community: value(Column::Community),
                member_since: value(Column::MemberSince),
                notes: value(Column::Notes),
            };
            draft.validate(CompanyId::from_random(new_id()), cx.stamp, None).map(|c| Imported::Company(Box::new(c)))
        }
    };
    match built {
        Ok(imported) if errors.is_empty() => Ok(imported),
        Ok(_) => Err(errors),
        Err(problems) => {
            // A field already named keeps its first problem: a value that
            // was not understood, not the "required" that follows from it.
            for FieldError { field, problem } in problems {
                let Some(column) = Column::of_field(field) else { continue };
                let named = errors.iter().any(|e| matches!(e, RowError::Field { column: c, .. } if *c == column));
                if !named {
                    errors.push(RowError::Field { column, value: raw(column), problem });
                }
            }
            // In the order of the file's columns, as the person reads the row.
            let at = |e: &RowError| match e {
                RowError::Field { column, .. } => columns.iter().position(|(_, c)| *c == Some(*column)),
                RowError::TooManyFields { .. } => None,
            };
            errors.sort_by_key(at);
            Err(errors)
        }
    }
}
