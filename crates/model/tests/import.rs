//! Importing contacts and companies from CSV: files as spreadsheets save
//! them (UTF-8 with and without a byte order mark, Windows-1252, UTF-16;
//! commas, semicolons, tabs; quoted fields with separators and line
//! breaks), headers in any language, and a file of good and bad rows where
//! only the good ones are written and each bad one says its row, column
//! and problem.

use automerge::{ActorId, AutoCommit};
use lotse_model::forms::Stamp;
use lotse_model::import::{
    self, Column, Context, CsvError, Encoding, ImportError, Imported, Preview, RowError, Target,
};
use lotse_model::notebook::{DocRef, Edit};
use lotse_model::*;

const T0: i64 = 1_767_225_600_000;

fn tr() -> CommunityId {
    CommunityId::from_random([1; 16])
}

fn ar() -> CommunityId {
    CommunityId::from_random([2; 16])
}

fn me() -> MentorId {
    MentorId::from_random([9; 16])
}

/// The app's words for a few labels: German and English, as the page
/// gives every language's.
fn words(key: &str) -> Vec<String> {
    let pairs: &[(&str, &str)] = match key {
        "import-col-name" => &[("Name", "Name")],
        "import-col-target-group" => &[("Zielgruppe", "Target group")],
        "import-col-phone" => &[("Telefon", "Phone")],
        "import-col-languages" => &[("Sprachen", "Languages")],
        "import-col-district" => &[("Stadtteil", "District")],
        "import-col-community" => &[("Community", "Community")],
        "import-col-consent-date" => &[("Einwilligung am", "Consent given on")],
        "import-col-consent-scope" => &[("Einwilligung umfasst", "Consent covers")],
        "import-col-notes" => &[("Notizen", "Notes")],
        "import-col-trade" => &[("Branche", "Trade")],
        "import-col-chamber" => &[("Kammer", "Chamber")],
        "import-col-licence" => &[("Ausbildereignung", "Training licence")],
        "import-col-member-since" => &[("Im Netzwerk seit", "In the network since")],
        "import-col-contact-person" => &[("Ansprechperson", "Contact person")],
        "group-parent" => &[("Elternteil", "Parent")],
        "group-youth" => &[("Jugendliche*r", "Young person")],
        "group-self-employed" => &[("Unternehmer*in", "Business owner")],
        "scope-advice" => &[("Nur Beratung", "Advice only")],
        "scope-advice-referral" => &[("Beratung und Vermittlung an Regelinstitutionen", "Advice and referral")],
        "chamber-hwk" => &[("HWK (Handwerk)", "HWK (crafts)")],
        "chamber-ihk" => &[("IHK (Industrie und Handel)", "IHK (commerce and industry)")],
        "licence-none" => &[("Keine Ausbildereignung", "No training licence")],
        "licence-has" => &[("Ausbildereignung vorhanden", "Has a training licence")],
        "licence-in-preparation" => &[("Ausbildereignung in Vorbereitung", "Licence in preparation")],
        _ => &[],
    };
    pairs.iter().flat_map(|(de, en)| [(*de).to_owned(), (*en).to_owned()]).collect()
}

fn communities() -> Vec<(CommunityId, String)> {
    vec![(tr(), "Türkische Community".into()), (ar(), "Arabischsprachige Community".into())]
}

fn check(bytes: &[u8], target: Target) -> Result<Preview, ImportError> {
    let list = communities();
    let cx =
        Context { words: &words, communities: &list, default_community: tr(), stamp: Stamp { me: me(), now_ms: T0 } };
    let mut n = 0u8;
    import::preview(bytes, target, &cx, &mut || {
        n += 1;
        [n; 16]
    })
}

/// One error as (column, problem); `None`s: a field too many.
type Named = (Option<Column>, Option<Problem>);

/// Each bad row: its number and its errors.
fn errors(p: &Preview) -> Vec<(usize, Vec<Named>)> {
    p.bad()
        .map(|(row, es)| {
            let es = es
                .iter()
                .map(|e| match e {
                    RowError::Field { column, problem, .. } => (Some(*column), Some(*problem)),
                    RowError::TooManyFields { .. } => (None, None),
                })
                .collect();
            (row, es)
        })
        .collect()
}

fn contact(p: &Preview, row: usize) -> (CommunityId, Contact) {
    match p.good().find(|(r, _)| *r == row) {
        Some((_, Imported::Contact { community, contact })) => (*community, (**contact).clone()),
        other => panic!("row {row} is not a good contact: {other:?}"),
    }
}

/// A German spreadsheet's export: semicolons, German headers, a column
/// Lotse does not know, and rows that try each way of being wrong.
const GERMAN: &str = "Name;Zielgruppe;Telefon;Sprachen;Stadtteil;Community;Einwilligung am;Einwilligung umfasst;Kundennummer;Notizen\r\n\
Ayşe Yılmaz;Elternteil;0541 123456;tr, de;Schinkel;Türkische Community;05.03.2026;Nur Beratung;K-1;\"Rückruf; abends\r\nzweite Zeile\"\r\n\
Ohne Einwilligung;Elternteil;;;;;;Nur Beratung;K-2;\r\n\
Falsche Nummer;Jugendliche;abc;;;;2026-03-05;Nur Beratung;K-3;\r\n\
Kein Tag;Elternteil;;;;;31.02.2026;Nur Beratung;K-4;\r\n\
Oma Erna;Oma;;;;;05.03.2026;Nur Beratung;K-5;\r\n\
Auf dem Mars;Elternteil;;;;Mars;05.03.2026;Nur Beratung;K-6;\r\n\
Karim Haddad;jugendliche;+49 176 5550101;ar;Dodesheide;arabischsprachige community;2026-02-01;advice-referral;K-7;\r\n\
;;;;;;;;;\r\n\
Zu viele;Elternteil;;;;;05.03.2026;Nur Beratung;K-9;;überzählig\r\n\
;Unternehmer*in;;;;;05.03.2026;;K-10;\r\n";

#[test]
fn a_german_semicolon_file_keeps_its_good_rows_and_names_each_bad_one() {
    // Tried: consent missing, a phone that is no number, a day that does
    // not exist, a target group that is none, a community not on the
    // device, a row with a field too many, a row without name and scope;
    // and good rows with a quoted field holding the separator and a line
    // break, values in another case and by code, and an unknown column.
    let bom: Vec<u8> = [&[0xef, 0xbb, 0xbf][..], GERMAN.as_bytes()].concat();
    let p = check(&bom, Target::Contacts).unwrap();
    assert_eq!(p.encoding, Encoding::Utf8Bom);
    assert_eq!(p.separator, ';');
    assert_eq!(p.columns[8], ("Kundennummer".to_owned(), None), "an unknown column is left out");
    assert_eq!(p.columns[6].1, Some(Column::ConsentDate));

    use Column as C;
    use Problem as P;
    assert_eq!(
        errors(&p),
        vec![
            (3, vec![(Some(C::ConsentDate), Some(P::ConsentMissing))]),
            (4, vec![(Some(C::Phone), Some(P::BadPhone))]),
            (5, vec![(Some(C::ConsentDate), Some(P::BadDate))]),
            (6, vec![(Some(C::TargetGroup), Some(P::UnknownChoice))]),
            (7, vec![(Some(C::Community), Some(P::UnknownChoice))]),
            (10, vec![(None, None)]),
            (11, vec![(Some(C::Name), Some(P::Required)), (Some(C::ConsentScope), Some(P::Required))]),
        ],
        "row 2 spans two lines of the file; the empty row 9 is skipped; errors in the file's column order"
    );
    let bad = p.bad().find(|(row, _)| *row == 5).unwrap().1;
    assert!(matches!(&bad[0], RowError::Field { value, .. } if value == "31.02.2026"), "the value as written");
    let too_many = p.bad().find(|(row, _)| *row == 10).unwrap().1;
    assert_eq!(too_many, [RowError::TooManyFields { found: 11, expected: 10 }]);

    let (community, ayse) = contact(&p, 2);
    assert_eq!(community, tr());
    assert_eq!(ayse.name, "Ayşe Yılmaz");
    assert_eq!(ayse.target_group, TargetGroup::Parent);
    assert_eq!(ayse.languages, ["tr", "de"]);
    assert_eq!(ayse.notes, "Rückruf; abends\r\nzweite Zeile");
    assert_eq!(
        ayse.consent,
        Consent { given_on: "2026-03-05".into(), scope: ConsentScope::Advice, recorded_by: me() },
        "consent as written, recorded by the one importing"
    );
    assert_eq!((ayse.created_by, ayse.created_at), (me(), T0));
    let (community, karim) = contact(&p, 8);
    assert_eq!(community, ar(), "a community by its name, in any case");
    assert_eq!(karim.target_group, TargetGroup::Youth, "“Jugendliche” for “Jugendliche*r”");
    assert_eq!(karim.consent.scope, ConsentScope::AdviceAndReferral, "a scope by its code");
    assert_eq!(p.good().count(), 2);
}

#[test]
fn the_same_rows_read_alike_without_a_bom_with_commas_and_english_headers() {
    let english = GERMAN
        .replace(
            "Name;Zielgruppe;Telefon;Sprachen;Stadtteil;Community;Einwilligung am;Einwilligung umfasst;Kundennummer;Notizen",
            "name;TARGET GROUP;Phone;Languages;District;Community;Consent given on;consent-scope;Customer;Notes",
        )
        .replace("tr, de", "\"tr, de\"")
        .replace(';', ",")
        // The quoted note kept its semicolon: put it back.
        .replace("\"Rückruf, abends", "\"Rückruf; abends");
    let german = check(GERMAN.as_bytes(), Target::Contacts).unwrap();
    let p = check(english.as_bytes(), Target::Contacts).unwrap();
    assert_eq!((p.encoding, p.separator), (Encoding::Utf8, ','));
    assert_eq!(errors(&p), errors(&german));
    assert_eq!(contact(&p, 2).1, contact(&german, 2).1);
    assert_eq!(contact(&p, 2).1.notes, "Rückruf; abends\r\nzweite Zeile");
}

#[test]
fn windows_1252_and_utf16_files_read_their_umlauts() {
    // "Müller;Elternteil;…" as Excel's "CSV (Trennzeichen-getrennt)" saves it.
    let text = "Name;Zielgruppe;Einwilligung am;Einwilligung umfasst\r\nJürgen Müller – „Jü“;Elternteil;05.03.2026;Nur Beratung\r\n";
    let cp1252: Vec<u8> = text
        .chars()
        .map(|c| match c {
            '–' => 0x96,
            '„' => 0x84,
            '“' => 0x93,
            c => u8::try_from(u32::from(c)).unwrap(),
        })
        .collect();
    let p = check(&cp1252, Target::Contacts).unwrap();
    assert_eq!(p.encoding, Encoding::Windows1252);
    assert_eq!(contact(&p, 2).1.name, "Jürgen Müller – „Jü“");

    // Excel's "Unicode text": UTF-16 little endian with its mark, tabs.
    let tabbed = text.replace(';', "\t");
    let utf16: Vec<u8> = [0xff, 0xfe].into_iter().chain(tabbed.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let p = check(&utf16, Target::Contacts).unwrap();
    assert_eq!((p.encoding, p.separator), (Encoding::Utf16, '\t'));
    assert_eq!(contact(&p, 2).1.name, "Jürgen Müller – „Jü“");
}

#[test]
fn excels_separator_line_and_quotes_inside_quotes_are_understood() {
    let text = "sep=,\nName,Zielgruppe,Einwilligung am,Einwilligung umfasst,Notizen\n\"Nadia \"\"Nana\"\" Saleh\",Elternteil,2026-01-02,Nur Beratung,\"a;b\"\n";
    let p = check(text.as_bytes(), Target::Contacts).unwrap();
    assert_eq!(p.separator, ',');
    let (_, nadia) = contact(&p, 2);
    assert_eq!(nadia.name, "Nadia \"Nana\" Saleh");
    assert_eq!(nadia.notes, "a;b");
}

#[test]
fn a_file_that_cannot_be_imported_says_why_and_yields_nothing() {
    let file = |s: &str| check(s.as_bytes(), Target::Contacts);
    assert_eq!(file(""), Err(ImportError::Csv(CsvError::Empty)));
    assert_eq!(file(";;;\r\n\r\n"), Err(ImportError::Csv(CsvError::Empty)));
    assert_eq!(file("Name;Zielgruppe;Einwilligung am;Einwilligung umfasst\r\n"), Err(ImportError::NoRows));
    assert_eq!(
        file("Name;Telefon\r\nA;0541 123456\r\n"),
        Err(ImportError::MissingColumns(vec![Column::TargetGroup, Column::ConsentDate, Column::ConsentScope]))
    );
    assert_eq!(
        file("Name;Zielgruppe;Einwilligung am;Einwilligung umfasst;name\r\nA;Elternteil;2026-01-01;Nur Beratung;B\r\n"),
        Err(ImportError::TwiceNamed { column: Column::Name, first: 1, second: 5 })
    );
    assert_eq!(
        file("Name;Zielgruppe;Einwilligung am;Einwilligung umfasst\r\nA;Elternteil;2026-01-01;Nur Beratung\r\n\"B;Elternteil\r\n"),
        Err(ImportError::Csv(CsvError::UnclosedQuote { row: 3 }))
    );
}

#[test]
fn companies_are_checked_as_their_form_checks_them_and_go_to_the_network() {
    // Tried: a chamber by its short name and by a name that is none, a
    // licence in words, a missing trade, a date in German and in ISO form.
    let text = "Name,Branche,Kammer,Ausbildereignung,Ansprechperson,Telefon,Community,Im Netzwerk seit\n\
Bäckerei Öztürk,Bäckerei,HWK,Ausbildereignung vorhanden,Mehmet Öztürk,0541 998877,Türkische Community,15.01.2026\n\
Kfz Haddad,,IHK,has,,,,2026-02-01\n\
Imbiss,Gastronomie,Zunft,none,,,,2026-02-01\n";
    let p = check(text.as_bytes(), Target::Companies).unwrap();
    assert_eq!(
        errors(&p),
        vec![
            (3, vec![(Some(Column::Trade), Some(Problem::Required))]),
            (4, vec![(Some(Column::Chamber), Some(Problem::UnknownChoice))]),
        ]
    );
    let Some((2, Imported::Company(c))) = p.good().next() else { panic!("row 2 is good") };
    assert_eq!((c.chamber, c.licence), (Chamber::Hwk, LicenceStatus::Has));
    assert_eq!((c.member_since.as_str(), c.community), ("2026-01-15", Some(tr())));
    let writes = p.writes();
    assert_eq!(writes.len(), 1);
    assert_eq!(writes[0].0, DocRef::Network);
}

#[test]
fn only_the_good_rows_are_written_each_into_its_communitys_document() {
    let p = check(GERMAN.as_bytes(), Target::Contacts).unwrap();
    let mut tr_doc = CommunityDoc::genesis(ActorId::from([1u8; 16]));
    let mut ar_doc = CommunityDoc::genesis(ActorId::from([1u8; 16]));
    let network = NetworkDoc::genesis(ActorId::from([1u8; 16]));
    let writes = p.writes();
    assert_eq!(writes.len(), 2, "one write per community");
    for (place, rows) in writes {
        let doc: &mut AutoCommit = match place {
            DocRef::Community(c) if c == tr() => &mut tr_doc,
            DocRef::Community(c) if c == ar() => &mut ar_doc,
            other => panic!("written to {other:?}"),
        };
        Edit::Put(Box::new(rows)).apply(doc, T0).unwrap();
    }
    let nb = Notebook::load(&network, &[(tr(), &tr_doc), (ar(), &ar_doc)]).unwrap();
    let mut names: Vec<(CommunityId, String)> = nb.contacts().map(|c| (c.community, c.record.name.clone())).collect();
    names.sort();
    let mut want = vec![(tr(), "Ayşe Yılmaz".to_owned()), (ar(), "Karim Haddad".to_owned())];
    want.sort();
    assert_eq!(names, want, "nothing of a bad row is in any document");
}

#[test]
fn dates_are_read_in_iso_and_german_forms_and_nothing_else() {
    assert_eq!(import::parse_date("2026-03-05").as_deref(), Some("2026-03-05"));
    assert_eq!(import::parse_date("5.3.2026").as_deref(), Some("2026-03-05"));
    assert_eq!(import::parse_date(" 05.03.2026 ").as_deref(), Some("2026-03-05"));
    for bad in ["31.02.2026", "05.03.26", "03/05/2026", "2026-3-5", "5.3.", "", "heute"] {
        assert_eq!(import::parse_date(bad), None, "{bad}");
    }
}

#[test]
fn the_words_of_headers_and_values_mean_one_thing_each() {
    assert_eq!(import::ambiguous_words(&words), Vec::<String>::new());
    // Two columns that answer to one word are caught.
    let clash = |key: &str| if key == "import-col-phone" { vec!["Name".to_owned()] } else { words(key) };
    assert_eq!(import::ambiguous_words(&clash), ["name"]);
}
