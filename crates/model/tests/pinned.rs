//! A report pinned to the heads it was computed from: counted again from
//! the documents at those heads it gives the figures exported, whatever was
//! written after; the difference to today's data is exact; the exports map
//! is made the same way on every device.

use automerge::{ActorId, AutoCommit};
use lotse_model::export::{self, ExportDraft, ExportFormat, PinnedDoc, EXPORTS, WHOLE_REPORT};
use lotse_model::forms::Stamp;
use lotse_model::record::{self, Record};
use lotse_model::report::{FigureChange, RowKey};
use lotse_model::review::{self, ReviewQuery};
use lotse_model::*;

const T0: i64 = 1_767_225_600_000;
/// The export is made on this day; the late data is stamped after it.
const EXPORTED_MS: i64 = 1_792_000_000_000;

fn tr() -> CommunityId {
    CommunityId::from_random([1; 16])
}

fn ar() -> CommunityId {
    CommunityId::from_random([2; 16])
}

fn mentor() -> MentorId {
    MentorId::from_random([9; 16])
}

struct World {
    network: AutoCommit,
    tr: AutoCommit,
    ar: AutoCommit,
}

impl World {
    fn new() -> World {
        let mut w = World {
            network: NetworkDoc::genesis(ActorId::from([1u8; 16])),
            tr: CommunityDoc::genesis(ActorId::from([1u8; 16])),
            ar: CommunityDoc::genesis(ActorId::from([1u8; 16])),
        };
        for (c, name) in [(tr(), "Türkische Community"), (ar(), "Arabischsprachige Community")] {
            record::put(
                &mut w.network,
                &Community { id: c, name: name.into(), languages: vec![], created_at: T0, retention_months: None },
                T0,
            )
            .unwrap();
        }
        w
    }

    fn doc(&mut self, c: CommunityId) -> &mut AutoCommit {
        if c == tr() {
            &mut self.tr
        } else {
            &mut self.ar
        }
    }

    fn put<R: Record>(&mut self, c: CommunityId, r: &R, at_ms: i64) {
        record::put(self.doc(c), r, at_ms).unwrap();
    }

    fn contact(&mut self, n: u8, c: CommunityId, at_ms: i64) -> ContactId {
        let contact = Contact {
            id: ContactId::from_random([n; 16]),
            target_group: TargetGroup::Parent,
            name: format!("Person {n}"),
            phone: String::new(),
            languages: vec![],
            district: String::new(),
            household: None,
            notes: String::new(),
            consent: Consent { given_on: "2026-01-01".into(), scope: ConsentScope::Advice, recorded_by: mentor() },
            created_by: mentor(),
            created_at: T0,
            merged_into: None,
            not_the_same: vec![],
        };
        self.put(c, &contact, at_ms);
        contact.id
    }

    fn consult(&mut self, n: u8, c: CommunityId, who: ContactId, date: &str, at_ms: i64) {
        let consultation = Consultation {
            id: ConsultationId::from_random([n; 16]),
            date: date.into(),
            contact: Some(who),
            household: None,
            topics: vec![Topic::FindingTrainingPlace],
            outcome: Outcome::Informed,
            notes: String::new(),
            mentor: mentor(),
            created_at: at_ms,
        };
        self.put(c, &consultation, at_ms);
    }

    fn notebook(&self) -> Notebook {
        Notebook::load(&self.network, &[(tr(), &self.tr), (ar(), &self.ar)]).unwrap()
    }

    /// The report of `period` as the page computes it, exported now: the
    /// export record written into the network document, as the page saves
    /// it.
    fn export(&mut self, period: &Period, today: &str) -> (Export, Report) {
        let report = Report::compute(&self.notebook(), period, today);
        let docs = vec![
            PinnedDoc { community: None, heads: export::heads_hex(&self.network.get_heads()) },
            PinnedDoc { community: Some(tr()), heads: export::heads_hex(&self.tr.get_heads()) },
            PinnedDoc { community: Some(ar()), heads: export::heads_hex(&self.ar.get_heads()) },
        ];
        let draft = ExportDraft::of(&report, WHOLE_REPORT, ExportFormat::Xlsx, docs);
        let stamp = Stamp { me: mentor(), now_ms: EXPORTED_MS };
        let e = Export::validate(&draft, Export::new_id([7; 16]), stamp, None).expect("a valid export");
        record::put(&mut self.network, &e, EXPORTED_MS).unwrap();
        (e, report)
    }

    fn recompute(&mut self, e: &Export) -> export::Pinned {
        let World { network, tr: t, ar: a } = self;
        export::recompute(network, &mut [(tr(), t), (ar(), a)], e).expect("the export counts again")
    }
}

fn q3() -> Period {
    Period::quarter(2026, 3).unwrap()
}

/// Three people had their first consultation in Q3 (two Turkish-speaking,
/// one Arabic-speaking), one in Q2.
fn fixture() -> World {
    let mut w = World::new();
    for (n, date) in [(1, "2026-07-02"), (2, "2026-08-10"), (3, "2026-09-30"), (4, "2026-05-05")] {
        let c = w.contact(n, if n.is_multiple_of(2) { ar() } else { tr() }, T0);
        w.consult(n, if n.is_multiple_of(2) { ar() } else { tr() }, c, date, T0);
    }
    w
}

#[test]
fn a_late_consultation_in_the_period_changes_first_consultations_by_one_and_an_edit_outside_nothing() {
    let mut w = fixture();
    let (exported, at_export) = w.export(&q3(), "2026-10-10");
    assert_eq!(at_export.headline().first_consultations, 3);
    // Late offline data: a person first consulted in Q3 on a phone that
    // synced after the export (stamped a day later) …
    let late = EXPORTED_MS + 86_400_000;
    let c = w.contact(20, tr(), late);
    w.consult(20, tr(), c, "2026-09-15", late);
    // … and an edit outside the period: a consultation in Q2.
    let d = w.contact(21, ar(), late + 1000);
    w.consult(21, ar(), d, "2026-04-20", late + 1000);

    let pinned = w.recompute(&exported);
    assert!(pinned.same, "the pinned report counts to the figures exported");
    assert_eq!(pinned.report, at_export);
    assert_eq!(pinned.later.changes, 4, "two contacts and two consultations came after the heads");
    assert_eq!(pinned.later.first_ms, Some(late / 1000 * 1000));
    assert_eq!(pinned.later.last_ms, Some((late + 1000) / 1000 * 1000));

    // Today's data for the same days, against the pinned figures.
    let now = Report::compute(&w.notebook(), &q3(), &exported.as_of);
    let changes = now.diff(&pinned.report);
    let first: Vec<&FigureChange> = changes.iter().filter(|c| c.table == "first-consultations").collect();
    let cell = |row: RowKey, column: &str| {
        first.iter().find(|c| c.row == row && c.column == column).map(|c| (c.before, c.after))
    };
    assert_eq!(cell(RowKey::Community(tr()), "group-parent"), Some((Some(2), Some(3))));
    assert_eq!(cell(RowKey::Community(tr()), "report-col-total"), Some((Some(2), Some(3))));
    assert_eq!(cell(RowKey::Total, "report-col-total"), Some((Some(3), Some(4))));
    assert!(first.iter().all(|c| c.row != RowKey::Community(ar())), "the Q2 consultation changes nothing");
    assert_eq!(first.len(), 4, "parent and total of the community and of the total row: {first:?}");
    assert_eq!(now.headline().first_consultations, pinned.report.headline().first_consultations + 1);
}

#[test]
fn an_edit_outside_the_period_alone_leaves_the_figures_as_exported() {
    let mut w = fixture();
    let (exported, _) = w.export(&q3(), "2026-10-10");
    let d = w.contact(30, ar(), EXPORTED_MS + 5000);
    w.consult(30, ar(), d, "2026-12-01", EXPORTED_MS + 5000);
    let pinned = w.recompute(&exported);
    assert!(pinned.same);
    let now = Report::compute(&w.notebook(), &q3(), &exported.as_of);
    assert_eq!(now.diff(&pinned.report), vec![], "an edit outside the period changes no figure");
    assert_eq!(pinned.later.changes, 2);
}

/// A small seeded generator (the model takes randomness from its caller).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[test]
fn edits_after_the_heads_never_change_the_pinned_result() {
    for seed in 1..=40u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let mut w = fixture();
        let (exported, at_export) = w.export(&q3(), "2026-10-10");
        let mut at = EXPORTED_MS;
        for step in 0..(5 + rng.below(20)) {
            at += 1000;
            let n = 40 + (step as u8);
            let c = if rng.below(2) == 0 { tr() } else { ar() };
            let date = format!("2026-{:02}-{:02}", 5 + rng.below(6), 1 + rng.below(28));
            match rng.below(4) {
                // A new person and their consultation, in or out of the period.
                0 | 1 => {
                    let who = w.contact(n, c, at);
                    w.consult(n, c, who, &date, at);
                }
                // An existing consultation moved to another day.
                2 => {
                    let k = 1 + rng.below(4) as u8;
                    let home = if k.is_multiple_of(2) { ar() } else { tr() };
                    w.consult(k, home, ContactId::from_random([k; 16]), &date, at);
                }
                // A record deleted.
                _ => {
                    let k = 1 + rng.below(4) as u8;
                    let home = if k.is_multiple_of(2) { ar() } else { tr() };
                    let key = ConsultationId::from_random([k; 16]).to_string();
                    let _ = record::remove::<Consultation>(w.doc(home), &key, at);
                }
            }
        }
        let pinned = w.recompute(&exported);
        assert!(pinned.same, "seed {seed}: the pinned report moved");
        assert_eq!(pinned.report, at_export, "seed {seed}");
    }
}

#[test]
fn a_device_that_lacks_the_heads_says_so_instead_of_counting_other_data() {
    let mut w = fixture();
    let (exported, _) = w.export(&q3(), "2026-10-10");
    // Another coordinator's device that has not synced the Turkish
    // community this far.
    let mut other = World::new();
    let World { network, tr: t, ar: a } = &mut other;
    let got = export::recompute(network, &mut [(tr(), t), (ar(), a)], &exported);
    assert!(matches!(got, Err(export::PinError::Missing(_))), "{got:?}");
}

#[test]
fn an_export_holds_counts_and_is_checked() {
    let mut w = fixture();
    let (e, report) = w.export(&q3(), "2026-10-10");
    assert_eq!(e.headline()[0], Some(report.headline().first_consultations));
    assert!(!e.figures.contains("Person"), "numbers only");
    let mut bad = ExportDraft::from_record(&e);
    bad.period = "2026-Q5".into();
    bad.docs[0].heads = vec!["not-a-hash".into()];
    bad.figures = "1,x".into();
    let stamp = Stamp { me: mentor(), now_ms: EXPORTED_MS };
    let errors = Export::validate(&bad, e.id, stamp, None).unwrap_err();
    assert_eq!(errors.len(), 3, "{errors:?}");
    // The export is in the notebook, listed under its period.
    let nb = w.notebook();
    assert_eq!(export::of_period(&nb, &q3()).len(), 1);
    assert!(export::of_period(&nb, &Period::quarter(2026, 2).unwrap()).is_empty());
}

/// A download recorded in the network document is not a change a
/// coordinator reviews: the desk lists the network's records, not the
/// export; the export's own history still names who made it.
#[test]
fn an_export_is_not_on_the_review_list_but_a_record_of_the_network_is() {
    let mut w = fixture();
    let place = Company {
        id: CompanyId::from_random([30; 16]),
        name: "Bäckerei Yılmaz".into(),
        trade: "Bäcker".into(),
        chamber: Chamber::Hwk,
        licence: LicenceStatus::Has,
        contact_person: String::new(),
        phone: String::new(),
        community: Some(tr()),
        member_since: "2026-07-01".into(),
        notes: String::new(),
        created_by: mentor(),
        created_at: T0,
    };
    record::put(&mut w.network, &place, T0).unwrap();
    let all = ReviewQuery { limit: 50, ..Default::default() };
    let before = review::review(&mut w.network, &all);
    let (e, _) = w.export(&q3(), "2026-10-10");
    let after = review::review(&mut w.network, &all);
    assert_eq!((after.total, after.unreviewed), (before.total, before.unreviewed), "the export adds nothing to review");
    assert!(after.changes.iter().any(|c| c.collection == "companies"), "the company is there to review");
    assert!(after.changes.iter().all(|c| c.collection != EXPORTS));
    let only_exports = ReviewQuery { collections: Some(vec![EXPORTS.into()]), limit: 50, ..Default::default() };
    assert_eq!(review::review(&mut w.network, &only_exports).total, 0, "not even when asked for by kind");
    assert!(!Kind::Export.reviewed() && Kind::ALL.iter().filter(|k| !k.reviewed()).count() == 1);
    assert_eq!(history(&mut w.network, EXPORTS, &e.id.to_string()).len(), 1, "its history: who exported, when");
}

#[test]
fn every_device_makes_the_same_exports_map_and_an_older_document_gets_it() {
    let mut a = NetworkDoc::genesis(ActorId::from([1u8; 16]));
    let mut b = NetworkDoc::genesis(ActorId::from([2u8; 16]));
    assert_eq!(a.get_heads(), b.get_heads(), "the same changes on every device");
    // A document made before exports existed: its genesis alone.
    let mut old = AutoCommit::load(&b.save()).unwrap();
    let genesis: Vec<_> = old.get_changes_meta(&[]).into_iter().filter(|c| c.deps.is_empty()).map(|c| c.hash).collect();
    let mut old = old.fork_at(&genesis).unwrap();
    assert!(record::all::<Export>(&old).is_err(), "no exports map yet");
    let mut fresh = a.clone();
    old.merge(&mut fresh).unwrap();
    assert_eq!(old.get_heads(), a.get_heads(), "the map's change is the same everywhere");
    assert!(record::all::<Export>(&old).unwrap().is_empty());
    assert_eq!(Export::COLLECTION, EXPORTS);
}

#[test]
fn the_demo_years_export_adds_about_a_kilobyte_of_counts_and_counts_again_the_same() {
    let size = lotse_model::demo::DemoSize::SMALL;
    let today = "2026-11-12";
    let mut d = lotse_model::demo::generate(&size, 42, today, ActorId::from([0xC0; 16])).unwrap();
    let period = Period::range("2026-01-01", "2026-12-31").unwrap();
    let nb = {
        let refs: Vec<_> = d.communities.iter().map(|(c, doc)| (c.id, doc)).collect();
        Notebook::load(&d.network, &refs).unwrap()
    };
    let report = Report::compute(&nb, &period, today);
    let mut docs = vec![PinnedDoc { community: None, heads: export::heads_hex(&d.network.get_heads()) }];
    for (c, doc) in &mut d.communities {
        docs.push(PinnedDoc { community: Some(c.id), heads: export::heads_hex(&doc.get_heads()) });
    }
    let draft = ExportDraft::of(&report, WHOLE_REPORT, ExportFormat::Csv, docs);
    let e =
        Export::validate(&draft, Export::new_id([3; 16]), Stamp { me: mentor(), now_ms: EXPORTED_MS }, None).unwrap();
    let before = d.network.save().len();
    record::put(&mut d.network, &e, EXPORTED_MS).unwrap();
    let grew = d.network.save().len() - before;
    println!("the demo year's export: figures {} bytes, network document +{grew} bytes", e.figures.len());
    assert!(grew < 4096, "an export adds {grew} bytes to the network document");
    let mut communities: Vec<(CommunityId, &mut AutoCommit)> =
        d.communities.iter_mut().map(|(c, doc)| (c.id, doc)).collect();
    let pinned = export::recompute(&mut d.network, &mut communities, &e).unwrap();
    assert!(pinned.same);
    assert_eq!(pinned.report, report);
    assert_eq!(pinned.later.changes, 0, "nothing came after");
}
