//! How fast the notebook is at a service centre's size: 5,000 contacts,
//! 20,000 consultations (over 8 communities), 500 events.
//!
//! `cargo bench -p lotse-model --bench notebook` prints the figures. A debug
//! build (`cargo test --all-targets`) runs a twentieth of the size, to check
//! that it still works.

use std::hint::black_box;
use std::time::{Duration, Instant};

use automerge::{ActorId, AutoCommit};
use lotse_model::advice::{Outcome, Topic};
use lotse_model::network::{Attendance, EventKind, Measure, Metric};
use lotse_model::notebook::Filter;
use lotse_model::record;
use lotse_model::review::{mark_reviewed, review, ReviewQuery};
use lotse_model::{
    history, progress, CommunityDoc, CommunityId, Consent, ConsentScope, Consultation, ConsultationId, Contact,
    ContactId, DocRef, Event, EventId, MeasureId, MentorId, NetworkDoc, Notebook, TargetGroup,
};

const COMMUNITIES: usize = 8;

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.below(list.len())]
    }

    fn id(&mut self) -> [u8; 16] {
        let mut b = [0u8; 16];
        b[..8].copy_from_slice(&self.next().to_le_bytes());
        b[8..].copy_from_slice(&self.next().to_le_bytes());
        b
    }
}

const FIRST: &[&str] = &["Ayşe", "Mehmet", "Omar", "Fatma", "Olga", "Piotr", "Leyla", "Hassan", "Irina", "Emre"];
const LAST: &[&str] = &["Yılmaz", "Kaya", "Haddad", "Nowak", "Ivanova", "Demir", "Aziz", "Kowalski", "Şahin"];
const NOTES: &[&str] = &[
    "Sohn sucht Ausbildung im Handwerk",
    "Tochter möchte Pflegefachfrau werden, Praktikum gesucht",
    "Fragen zur Anerkennung des Schulabschlusses",
    "Bewerbungsmappe besprochen, Termin bei der Berufsberatung",
    "Vater hat eigenen Betrieb, Interesse an Ausbildereignung",
    "Infos zu Einstiegsqualifizierung gegeben",
];

/// A date in 2025 or 2026.
fn date(rng: &mut Rng) -> String {
    format!("{}-{:02}-{:02}", 2025 + rng.below(2), 1 + rng.below(12), 1 + rng.below(28))
}

struct World {
    network: AutoCommit,
    communities: Vec<(CommunityId, AutoCommit)>,
    contacts: Vec<(usize, ContactId)>,
}

fn build(contacts: usize, consultations: usize, events: usize) -> World {
    let mut rng = Rng(0x5eed_1234_abcd_0042);
    let me = MentorId::from_random([7; 16]);
    let mut network = NetworkDoc::genesis(ActorId::from([1u8; 16]));
    let mut communities: Vec<(CommunityId, AutoCommit)> = (0..COMMUNITIES)
        .map(|n| (CommunityId::from_random([n as u8 + 1; 16]), CommunityDoc::genesis(ActorId::from([1u8; 16]))))
        .collect();
    let mut ids = Vec::with_capacity(contacts);
    let mut now = 1_767_225_600_000_i64;
    for n in 0..contacts {
        let c = n % COMMUNITIES;
        let contact = Contact {
            id: ContactId::from_random(rng.id()),
            target_group: TargetGroup::ALL[rng.below(3)],
            name: format!("{} {}", rng.pick(FIRST), rng.pick(LAST)),
            phone: format!("0541 {:06}", rng.below(1_000_000)),
            languages: vec!["tr".into(), "de".into()],
            district: "Schinkel".into(),
            household: None,
            notes: String::new(),
            consent: Consent { given_on: date(&mut rng), scope: ConsentScope::Advice, recorded_by: me },
            created_by: me,
            created_at: now,
            merged_into: None,
            not_the_same: vec![],
        };
        now += 60_000;
        record::put(&mut communities[c].1, &contact, now).unwrap();
        ids.push((c, contact.id));
    }
    for _ in 0..consultations {
        let (c, contact) = ids[rng.below(ids.len())];
        let consultation = Consultation {
            id: ConsultationId::from_random(rng.id()),
            date: date(&mut rng),
            contact: Some(contact),
            household: None,
            topics: vec![Topic::ALL[rng.below(Topic::ALL.len())]],
            outcome: Outcome::ALL[rng.below(Outcome::ALL.len())],
            notes: rng.pick(NOTES).to_owned(),
            mentor: me,
            created_at: now,
        };
        now += 60_000;
        record::put(&mut communities[c].1, &consultation, now).unwrap();
    }
    for n in 0..events {
        let mut attendance = Attendance::default();
        attendance.add(TargetGroup::Parent, rng.below(40) as i64);
        attendance.add(TargetGroup::Youth, rng.below(40) as i64);
        let event = Event {
            id: EventId::from_random(rng.id()),
            kind: EventKind::ALL[rng.below(EventKind::ALL.len())],
            title: format!("Veranstaltung {n}"),
            date: date(&mut rng),
            time: String::new(),
            place: String::new(),
            community: Some(communities[n % COMMUNITIES].0),
            partner: None,
            school: String::new(),
            company: None,
            attendance,
            notes: String::new(),
            created_by: me,
            created_at: now,
        };
        now += 60_000;
        record::put(&mut network, &event, now).unwrap();
    }
    World { network, communities, contacts: ids }
}

/// CPU time of this process so far, in ms (Linux; 10 ms ticks). On a
/// machine shared with other work, CPU time is nearer the real cost than
/// the wall clock.
fn cpu_ms() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks * 10.0)
}

/// Runs `f` `runs` times: the median wall time and the mean CPU time.
fn measure(runs: usize, mut f: impl FnMut()) -> (Duration, Option<f64>) {
    let cpu = cpu_ms();
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    let cpu = cpu.zip(cpu_ms()).map(|(a, b)| (b - a) / runs as f64);
    times.sort();
    (times[runs / 2], cpu)
}

fn ms(d: Duration) -> String {
    format!("{:9.3} ms", d.as_secs_f64() * 1000.0)
}

fn report(what: &str, (wall, cpu): (Duration, Option<f64>), extra: &str) {
    let cpu = cpu.map(|c| format!("{c:9.3} ms")).unwrap_or_else(|| "        ?".into());
    println!("  {what:<44} {} wall  {cpu} cpu  {extra}", ms(wall));
}

/// A figure of the coordinator's desk, also as a line `cargo xtask bench`
/// puts in its table (`BENCH`, name, value, target, before).
fn desk(what: &str, measured: (Duration, Option<f64>), extra: &str) {
    report(what, measured, extra);
    let value = format!("{:.1} ms ({extra})", measured.0.as_secs_f64() * 1000.0);
    println!("BENCH\tdesk: {what}\t{value}\t-\t-");
}

fn main() {
    let scale = if cfg!(debug_assertions) { 20 } else { 1 };
    let (contacts, consultations, events) = (5_000 / scale, 20_000 / scale, 500 / scale);
    println!(
        "notebook bench: {contacts} contacts, {consultations} consultations, {events} events, {COMMUNITIES} communities"
    );
    println!("  (wall: median; cpu: mean per run, from 10 ms ticks)");

    let t = Instant::now();
    let built = build(contacts, consultations, events);
    println!("  {:<44} {}", "build documents (one commit per record)", ms(t.elapsed()));

    // As the app does: documents come from their saved bytes.
    let mut net_bytes = built.network;
    let net_bytes = net_bytes.save();
    let community_bytes: Vec<(CommunityId, Vec<u8>)> =
        built.communities.into_iter().map(|(id, mut d)| (id, d.save())).collect();
    let size = net_bytes.len() + community_bytes.iter().map(|(_, b)| b.len()).sum::<usize>();
    let open = || -> (AutoCommit, Vec<(CommunityId, AutoCommit)>) {
        let net = AutoCommit::load(&net_bytes).unwrap();
        let communities = community_bytes.iter().map(|(id, b)| (*id, AutoCommit::load(b).unwrap())).collect();
        (net, communities)
    };
    report(
        "AutoCommit::load of all documents (context)",
        measure(3, || {
            black_box(open());
        }),
        &format!("{} KiB saved", size / 1024),
    );
    let (network, mut communities) = open();

    let load = |communities: &[(CommunityId, AutoCommit)]| {
        let refs: Vec<(CommunityId, &AutoCommit)> = communities.iter().map(|(id, d)| (*id, d)).collect();
        Notebook::load(&network, &refs).unwrap()
    };
    report(
        "Notebook::load",
        measure(5, || {
            black_box(load(&communities));
        }),
        "",
    );
    let mut nb = load(&communities);
    assert_eq!(nb.consultations().count(), consultations);
    assert_eq!(nb.skipped(), 0);

    // Conflicts: found while a document is read. One community whose copy
    // on a second device changed the notes of 200 consultations that the
    // first also changed; read before and after the merge.
    {
        let (id, doc) = &mut communities[0];
        let mut a = doc.fork().with_actor(ActorId::from([0xa1; 16]));
        let mut b = doc.fork().with_actor(ActorId::from([0xb2; 16]));
        let mine: Vec<Consultation> =
            nb.consultations().filter(|c| c.community == *id).take(200).map(|c| c.record.clone()).collect();
        for (n, c) in mine.iter().enumerate() {
            let on_a = Consultation { notes: format!("{} (A {n})", c.notes), ..c.clone() };
            record::put(&mut a, &on_a, 1_790_000_000_000).unwrap();
            let on_b = Consultation { notes: format!("{} (B {n})", c.notes), ..c.clone() };
            record::put(&mut b, &on_b, 1_790_000_000_000).unwrap();
        }
        let plain = a.clone();
        a.merge(&mut b).unwrap();
        let read = |doc: &AutoCommit| {
            let mut fresh = Notebook::default();
            fresh.load_community(*id, doc).unwrap();
            fresh
        };
        let found = read(&a).conflicts().count();
        assert_eq!(found, mine.len(), "every record changed on both devices is listed");
        report("load_community: no conflicts", measure(5, || drop(black_box(read(&plain)))), "");
        desk(
            "load_community: finding conflicts",
            measure(5, || drop(black_box(read(&a)))),
            &format!("{found} records with two values"),
        );
    }

    // The read model: what the app reads at start instead of the two lines
    // above (Automerge's load, then the hydration).
    let mut all_docs: Vec<(DocRef, AutoCommit)> = vec![(DocRef::Network, network.clone())];
    all_docs.extend(communities.iter().map(|(id, d)| (DocRef::Community(*id), d.clone())));
    let rows: Vec<(DocRef, Vec<u8>)> =
        all_docs.iter_mut().map(|(which, doc)| (*which, nb.rows(*which, &doc.get_heads()))).collect();
    let row_bytes: usize = rows.iter().map(|(_, r)| r.len()).sum();
    report(
        "read model: Notebook::load_rows of every document",
        measure(5, || {
            let mut fresh = Notebook::default();
            for (which, bytes) in &rows {
                fresh.load_rows(*which, bytes).unwrap();
            }
            black_box(fresh);
        }),
        &format!("{} KiB of rows", row_bytes / 1024),
    );
    report(
        "read model: Notebook::rows of every document",
        measure(5, || {
            for (which, doc) in &mut all_docs {
                black_box(nb.rows(*which, &doc.get_heads()));
            }
        }),
        "",
    );

    // Likely duplicate pairs over every contact (the bench's names come
    // from 10 first and 9 last names: many share one, so this is the worst
    // case of a list, not a likely one).
    let none = std::collections::BTreeSet::new();
    let found = nb.likely_duplicates(&none).len();
    desk(
        "likely_duplicates: every contact",
        measure(5, || {
            black_box(nb.likely_duplicates(&none));
        }),
        &format!("{found} pairs"),
    );

    // Review: the first page of a community's changes (one commit per
    // record, none reviewed yet), with old → new values; then the same
    // after every change but the newest 20 was marked reviewed.
    {
        let (_, doc) = &mut communities[0];
        let mut doc = doc.clone();
        let first = ReviewQuery { limit: 20, ..ReviewQuery::default() };
        let page = review(&mut doc, &first);
        desk(
            "review: first page of a community",
            measure(5, || {
                black_box(review(&mut doc, &first));
            }),
            &format!("{} of {} changes", page.changes.len(), page.total),
        );
        let all = review(&mut doc, &ReviewQuery { limit: 0, ..ReviewQuery::default() });
        let every: Vec<[u8; 32]> = {
            let listed = review(&mut doc, &ReviewQuery { limit: usize::MAX, ..ReviewQuery::default() });
            listed.changes.iter().skip(20).map(|c| c.hash).collect()
        };
        mark_reviewed(&mut doc, &every, MentorId::from_random([9; 16]), 1_790_000_000_000).unwrap();
        desk(
            "review: first page, all but 20 reviewed",
            measure(5, || {
                black_box(review(&mut doc, &first));
            }),
            &format!("{} changes, {} marks", all.total, every.len()),
        );
    }

    let text = Filter { text: "bewerbung".into(), ..Filter::default() };
    let page = nb.consultations_matching(&text, 50);
    let extra = format!("{} shown of {}", page.items.len(), page.total);
    report(
        "consultations_matching: text in notes",
        measure(101, || {
            black_box(nb.consultations_matching(&text, 50));
        }),
        &extra,
    );

    let name = Filter { text: "yilmaz".into(), ..Filter::default() };
    let extra = format!("{} match", nb.consultations_matching(&name, 50).total);
    report(
        "consultations_matching: contact's name",
        measure(101, || {
            black_box(nb.consultations_matching(&name, 50));
        }),
        &extra,
    );

    let youth_2026 = Filter {
        target_group: Some(TargetGroup::Youth),
        from: Some("2026-01-01".into()),
        to: Some("2026-12-31".into()),
        ..Filter::default()
    };
    let extra = format!("{} match", nb.consultations_matching(&youth_2026, 50).total);
    report(
        "consultations_matching: youth, in 2026",
        measure(101, || {
            black_box(nb.consultations_matching(&youth_2026, 50));
        }),
        &extra,
    );

    let all = Filter::default();
    report(
        "consultations_matching: no filter",
        measure(101, || {
            black_box(nb.consultations_matching(&all, 50));
        }),
        "",
    );
    report(
        "contacts_matching: no filter (by name)",
        measure(101, || {
            black_box(nb.contacts_matching(&all, 50));
        }),
        "",
    );
    report(
        "today",
        measure(101, || {
            black_box(nb.today("2026-06-15", None));
        }),
        "",
    );

    let measure_2026 = Measure {
        id: MeasureId::from_random([1; 16]),
        field: lotse_model::network::ActionField::Network,
        title: "Erstberatungen".into(),
        owner: "KAUSA".into(),
        target: 1_000,
        year: 2026,
        metric: Metric::Consultations,
        event_kind: None,
    };
    report(
        "progress: consultations in a year",
        measure(101, || {
            black_box(progress(&measure_2026, &nb));
        }),
        "",
    );

    // The funders' report of the bench data's year (every figure, each by
    // community and target group): what the coordinator's desk computes.
    let year = lotse_model::Period::range("2026-01-01", "2026-12-31").unwrap();
    let computed = lotse_model::Report::compute(&nb, &year, "2026-12-31");
    let h = computed.headline();
    desk(
        "Report::compute: the year 2026",
        measure(11, || {
            black_box(lotse_model::Report::compute(&nb, &year, "2026-12-31"));
        }),
        &format!("{} consultations, {} first", h.consultations, h.first_consultations),
    );

    // The app's cycle after a save: diff_incremental, apply_patches.
    let (community, doc) = &mut communities[0];
    let t = Instant::now();
    doc.diff_incremental();
    println!("  {:<44} {}", "first diff_incremental after load (discarded)", ms(t.elapsed()));
    let mut rng = Rng(99);
    let mut last = None;
    let mut n = 0;
    let cycle = measure(21, || {
        n += 1;
        let consultation = Consultation {
            id: ConsultationId::from_random(rng.id()),
            date: "2026-06-15".into(),
            contact: Some(built.contacts[0].1),
            household: None,
            topics: vec![Topic::Funding],
            outcome: Outcome::Informed,
            notes: format!("neu {n}"),
            mentor: MentorId::from_random([7; 16]),
            created_at: 0,
        };
        record::put(doc, &consultation, 1_781_000_000_000).unwrap();
        let patches = doc.diff_incremental();
        nb.apply_patches(DocRef::Community(*community), doc, &patches);
        last = Some(consultation.id);
    });
    report("new consultation: put + diff + apply_patches", cycle, "");
    let last = last.unwrap();
    assert!(nb.consultation(last).is_some());

    let mut edited = nb.consultation(last).unwrap().record.clone();
    let edit = measure(21, || {
        edited.notes.push('.');
        record::put(doc, &edited, 1_781_000_060_000).unwrap();
        let patches = doc.diff_incremental();
        nb.apply_patches(DocRef::Community(*community), doc, &patches);
    });
    report("edit its notes: put + diff + apply_patches", edit, "");

    let key = last.to_string();
    let entries = history(doc, "consultations", &key).len();
    report(
        "history of that consultation",
        measure(5, || {
            black_box(history(doc, "consultations", &key));
        }),
        &format!("{entries} entries"),
    );
}
