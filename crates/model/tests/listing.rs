//! A record list as a spreadsheet table: every record, typed cells, headers
//! from the labels, linked records by name, and a CSV that reads back.

use automerge::ActorId;
use lotse_model::demo::{self, DemoSize};
use lotse_model::import::read_csv;
use lotse_model::listing::{self, Columns};
use lotse_model::notebook::{Filter, Notebook};
use lotse_model::record;
use lotse_model::sheet::{Sheet, Value};
use lotse_model::{Consultation, Contact, Event, RecordKind};

const TODAY: &str = "2026-11-12";

fn notebook(edit: impl FnOnce(&mut demo::Demo)) -> Notebook {
    let mut d = demo::generate(&DemoSize::SMALL, 7, TODAY, ActorId::from([0xC0; 16])).unwrap();
    edit(&mut d);
    let refs: Vec<_> = d.communities.iter().map(|(c, doc)| (c.id, doc)).collect();
    Notebook::load(&d.network, &refs).unwrap()
}

/// Labels as the app's would be, made visible: `[key]`.
fn labels(key: &str) -> String {
    format!("[{key}]")
}

fn column(sheet: &Sheet, key: &str) -> usize {
    sheet.head.iter().position(|h| *h == labels(key)).unwrap_or_else(|| panic!("no column {key}: {:?}", sheet.head))
}

fn table<'a, R: Columns + 'a>(nb: &Notebook, records: impl IntoIterator<Item = &'a R>) -> Sheet {
    listing::sheet(nb, records, "T".into(), &labels)
}

#[test]
fn the_contact_list_is_every_listed_contact_with_labels_and_dates_and_no_ids() {
    let nb = notebook(|_| {});
    let page = nb.contacts_matching(&Filter::default(), usize::MAX);
    let sheet = table(&nb, page.items.iter().map(|c| &c.record));
    assert_eq!(sheet.name, "contacts");
    assert_eq!(sheet.rows.len(), nb.contacts().count());
    assert_eq!(sheet.head.len(), Contact::columns().len());
    assert_eq!(sheet.head[0], "[history-field-name]");
    let (name, group, consent) = (
        column(&sheet, "history-field-name"),
        column(&sheet, "history-field-target-group"),
        column(&sheet, "contact-consent-date"),
    );
    for (row, c) in sheet.rows.iter().zip(&page.items) {
        assert_eq!(row.len(), sheet.head.len());
        assert_eq!(row[name], Value::Text(c.record.name.clone()));
        assert_eq!(row[group], Value::Text(format!("[group-{}]", c.record.target_group.code())));
        assert!(matches!(&row[consent], Value::Date(d) if d.len() == 10), "{:?}", row[consent]);
    }
    let ids: Vec<String> = nb.contacts().map(|c| c.record.id.to_string()).collect();
    let mentors: Vec<String> = nb.mentors().iter().map(|m| m.id.to_string()).collect();
    for cell in sheet.rows.iter().flatten() {
        if let Value::Text(t) = cell {
            assert!(!ids.iter().chain(&mentors).any(|id| t.contains(id.as_str())), "an id in {t}");
        }
    }
}

#[test]
fn a_consultation_names_its_contact_and_its_topics_and_outcome_by_label() {
    let nb = notebook(|_| {});
    let all: Vec<&Consultation> = nb.consultations().map(|c| &c.record).collect();
    let sheet = table(&nb, all.iter().copied());
    assert_eq!(sheet.rows.len(), all.len());
    assert!(!all.is_empty());
    let (date, who, outcome, mentor) = (
        column(&sheet, "history-field-date"),
        column(&sheet, "history-field-contact"),
        column(&sheet, "history-field-outcome"),
        column(&sheet, "history-field-mentor"),
    );
    for (row, c) in sheet.rows.iter().zip(&all) {
        assert_eq!(row[date], Value::Date(c.date.clone()));
        let name = c.contact.and_then(|id| nb.contact(nb.kept_contact(id))).map(|p| p.record.name.clone());
        match name {
            Some(name) => assert_eq!(row[who], Value::Text(name)),
            None => assert_eq!(row[who], Value::Empty),
        }
        assert_eq!(row[outcome], Value::Text(format!("[outcome-{}]", c.outcome.code())));
        let by = nb.mentor(c.mentor).map(|m| m.name.clone()).unwrap();
        assert_eq!(row[mentor], Value::Text(by));
    }
}

#[test]
fn an_event_counts_its_attendance_as_numbers() {
    let nb = notebook(|_| {});
    let events = nb.events();
    let sheet = table(&nb, events.iter().copied());
    assert_eq!(sheet.name, Event::KIND.segment());
    assert_eq!(sheet.rows.len(), events.len());
    let (date, parents, kind) = (
        column(&sheet, "history-field-date"),
        column(&sheet, "event-form-tally-parent"),
        column(&sheet, "history-field-kind"),
    );
    for (row, e) in sheet.rows.iter().zip(&events) {
        assert_eq!(row[date], Value::Date(e.date.clone()));
        assert_eq!(row[parents], Value::Number(e.attendance.parent.value()));
        assert_eq!(row[kind], Value::Text(format!("[event-kind-{}]", e.kind.code())));
    }
}

#[test]
fn a_name_with_a_comma_quote_line_break_umlaut_and_arabic_survives_the_csv() {
    let tricky = "Özdemir, \"Ali\"\nعلي الجالية";
    let mut id = None;
    let nb = notebook(|d| {
        let doc = &mut d.communities[0].1;
        let mut c: Contact = record::all::<Contact>(doc).unwrap().into_iter().next().unwrap();
        c.name = tricky.to_owned();
        c.notes = "=1+1".to_owned();
        id = Some(c.id);
        record::put(doc, &c, 0).unwrap();
    });
    let page = nb.contacts_matching(&Filter::default(), usize::MAX);
    let sheet = table(&nb, page.items.iter().map(|c| &c.record));
    let csv = sheet.to_csv();
    assert!(csv.starts_with('\u{feff}'));
    let file = read_csv(csv.as_bytes()).unwrap();
    assert_eq!(file.rows.len(), sheet.rows.len() + 1, "the header and one row per contact");
    assert_eq!(file.rows[0].fields, sheet.head);
    let at = page.items.iter().position(|c| Some(c.record.id) == id).unwrap();
    let fields = &file.rows[at + 1].fields;
    assert_eq!(fields[column(&sheet, "history-field-name")], tricky);
    assert_eq!(fields[column(&sheet, "history-field-notes")], "'=1+1", "a formula is neutralised");
    let consent = column(&sheet, "contact-consent-date");
    assert_eq!(Value::Date(fields[consent].clone()), sheet.rows[at][consent]);
}
