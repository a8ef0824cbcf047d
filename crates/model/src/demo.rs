//! A fictional but realistic data set: a year of a service centre's work,
//! for demonstrations, screenshots and benchmarks.
//!
//! Everything is made up. Every contact, household, partner organisation,
//! company and school says "Demo" in its name or notes; phone numbers come
//! from the ranges the Bundesnetzagentur keeps free for films and books
//! ("Drama Numbers", Amtsblatt 7/2021, Mitteilung 148/2021), so no real
//! subscriber is ever reached. Osnabrück itself has no such range: the
//! numbers are Berlin's, Frankfurt's, Hamburg's, Köln's and München's.
//!
//! The model has no clock and no RNG crate: the caller passes `today`, a
//! seed (every id and every choice comes from it, through a splitmix64
//! stream) and the device's actor; the same size, seed, today and actor give
//! the same documents, byte for byte.

use std::collections::HashSet;

use automerge::{ActorId, AutoCommit};
use autosurgeon::reconcile::{LoadKey, MapReconciler, NoKey};
use autosurgeon::{Reconcile, Reconciler};

use crate::advice::{Consultation, FollowUp, Household, Outcome, Referral, ReferralStatus, Topic};
use crate::community::CommunityDoc;
use crate::contact::{Consent, ConsentScope, Contact, TargetGroup};
use crate::ids::{
    CommunityId, CompanyId, ConsultationId, ContactId, EventId, FollowUpId, HouseholdId, MeasureId, MentorId,
    PartnerId, ReferralId, TrainingPlaceId,
};
use crate::network::{
    ActionField, Attendance, Chamber, Community, Company, Event, EventKind, LicenceStatus, Measure, Mentor, Metric,
    PartnerOrganisation, PlaceStatus, Role, TrainingPlace,
};
use crate::network_doc::{seed_institution_id, NetworkDoc};
use crate::record::{self, DocError, Record};
use crate::validate;

/// What every demo record's notes begin with.
pub const MARKER: &str = "Demo – frei erfunden.";

/// What the data set is, in a sentence for the screen that loads it.
pub const DESCRIPTION: &str = "Demo-Daten: frei erfundene Personen, Familien, Vereine und Betriebe. \
     Die Telefonnummern stammen aus den von der Bundesnetzagentur für Medien reservierten Bereichen \
     und sind keinem Anschluss zugeteilt.";

/// How much to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSize {
    pub communities: usize,
    pub contacts: usize,
    pub consultations: usize,
    pub events: usize,
    pub companies: usize,
}

impl DemoSize {
    /// A year of a real service centre.
    pub const SMALL: DemoSize =
        DemoSize { communities: 4, contacts: 120, consultations: 300, events: 60, companies: 25 };
    /// A very large centre's year: for measuring the app (about 36,000
    /// records with referrals, follow-ups and households).
    pub const BENCH: DemoSize =
        DemoSize { communities: 5, contacts: 5_000, consultations: 20_000, events: 500, companies: 150 };
    /// One busy community's year: what a mentor's phone holds.
    pub const MENTOR: DemoSize =
        DemoSize { communities: 1, contacts: 1_000, consultations: 4_000, events: 100, companies: 30 };

    /// The size a demo link names (`#/demo?size=…`): `bench`, `mentor`,
    /// anything else the small one.
    pub fn named(name: &str) -> DemoSize {
        match name {
            "bench" => DemoSize::BENCH,
            "mentor" => DemoSize::MENTOR,
            _ => DemoSize::SMALL,
        }
    }
}

/// The generated documents.
pub struct Demo {
    pub network: AutoCommit,
    /// Each community with its document, in the order generated.
    pub communities: Vec<(Community, AutoCommit)>,
    /// The coordinator using this device (`devices` holds the actor passed
    /// to [`generate`]).
    pub me: Mentor,
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("today must be a date written YYYY-MM-DD, not {0:?}")]
    BadToday(String),
    #[error("a demo record could not be written: {0}")]
    Doc(Box<DocError>),
}

impl From<DocError> for DemoError {
    fn from(e: DocError) -> Self {
        DemoError::Doc(Box::new(e))
    }
}

/// Generates a network document and one document per community, as if
/// written over the past year by the community's mentors (each change by
/// the mentor's own device actor, stamped with its time), then continues as
/// `actor`, the coordinator [`Demo::me`].
///
/// Deterministic: the same `size`, `seed`, `today` and `actor` give the same
/// bytes; every id comes from the seed.
pub fn generate(size: &DemoSize, seed: u64, today: &str, actor: ActorId) -> Result<Demo, DemoError> {
    let today = day_of(today).ok_or_else(|| DemoError::BadToday(today.to_owned()))?;
    Gen::new(seed, today, actor).run(size)
}

// ---------------------------------------------------------------------------
// Randomness: splitmix64, enough for made-up names and dates.

/// A seeded pseudo-random sequence (splitmix64): the demo's, and the
/// property tests' (the model has no RNG of its own; the caller seeds it).
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// `0..n`; 0 when `n` is 0.
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// `lo..=hi`.
    fn between(&mut self, lo: i64, hi: i64) -> i64 {
        debug_assert!(lo <= hi);
        lo + (self.next_u64() % (hi - lo + 1) as u64) as i64
    }

    fn percent(&mut self, p: u64) -> bool {
        self.next_u64() % 100 < p
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    /// An index into `weights`, chosen in proportion to them.
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|w| u64::from(*w)).sum();
        let mut x = self.next_u64() % total.max(1);
        for (i, w) in weights.iter().enumerate() {
            if x < u64::from(*w) {
                return i;
            }
            x -= u64::from(*w);
        }
        weights.len() - 1
    }

    fn bytes(&mut self) -> [u8; 16] {
        let mut out = [0; 16];
        out[..8].copy_from_slice(&self.next_u64().to_le_bytes());
        out[8..].copy_from_slice(&self.next_u64().to_le_bytes());
        out
    }
}

// ---------------------------------------------------------------------------
// Days: counted from 1970-01-01 (Howard Hinnant's days_from_civil).

const DAY_MS: i64 = 86_400_000;
const HOUR_MS: i64 = 3_600_000;
const MINUTE_MS: i64 = 60_000;

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { yoe + era * 400 + 1 } else { yoe + era * 400 }, m, d)
}

/// The day number of an ISO date, if it is one.
fn day_of(iso: &str) -> Option<i64> {
    if !validate::is_valid_date(iso) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| iso[r].parse::<u32>().ok();
    Some(days_from_civil(i64::from(n(0..4)?), n(5..7)?, n(8..10)?))
}

fn iso(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

fn year_of(day: i64) -> i64 {
    civil_from_days(day).0
}

// ---------------------------------------------------------------------------
// The communities, their people and businesses (all names invented or
// ordinary; no real person or business is meant).

struct Profile {
    /// The community's name in German.
    name: &'static str,
    languages: &'static [&'static str],
    /// "auf Türkisch", for event titles.
    in_language: &'static str,
    mentors: &'static [&'static str],
    female: &'static [&'static str],
    male: &'static [&'static str],
    /// A family name as a man and as a woman bears it.
    surnames: &'static [(&'static str, &'static str)],
    partners: &'static [&'static str],
    restaurants: &'static [&'static str],
    /// A fictional number block ("+49 30 23125 1", then two digits).
    phone_block: &'static str,
}

macro_rules! same {
    ($($s:literal),+ $(,)?) => { &[$(($s, $s)),+] };
}

const PROFILES: [Profile; 5] = [
    Profile {
        name: "Türkische Community",
        languages: &["tr", "de"],
        in_language: "auf Türkisch",
        mentors: &["Ayşe Yılmaz", "Mehmet Demir", "Elif Kaya"],
        female: &[
            "Ayşe", "Elif", "Zeynep", "Fatma", "Emine", "Merve", "Büşra", "Esra", "Selin", "Derya", "Hatice", "Sevgi",
        ],
        male: &[
            "Mehmet", "Mustafa", "Ahmet", "Emre", "Burak", "Can", "Murat", "Hüseyin", "Yusuf", "Kerem", "Serkan", "Ali",
        ],
        surnames: same![
            "Yılmaz", "Demir", "Kaya", "Şahin", "Çelik", "Yıldız", "Öztürk", "Aydın", "Arslan", "Koç", "Kurt", "Polat"
        ],
        partners: &["Türkisch-Islamischer Kulturverein Osnabrück (Demo)", "Türkischer Elternverein Osnabrück (Demo)"],
        restaurants: &["Anatolia", "Bosporus", "Kapadokya", "Ege"],
        phone_block: "+49 30 23125 ",
    },
    Profile {
        name: "Arabischsprachige Community (Syrien, Irak)",
        languages: &["ar", "de"],
        in_language: "auf Arabisch",
        mentors: &["Rania Haddad", "Omar Al-Khatib", "Lina Mansour"],
        female: &[
            "Rania", "Lina", "Nour", "Fatima", "Huda", "Amal", "Layla", "Mariam", "Sara", "Rasha", "Dima", "Hiba",
        ],
        male: &[
            "Omar", "Ahmad", "Khaled", "Mahmoud", "Yousef", "Ali", "Hassan", "Karim", "Samir", "Tarek", "Bilal", "Fadi",
        ],
        surnames: same![
            "Haddad",
            "Al-Khatib",
            "Mansour",
            "Khalil",
            "Nasser",
            "Saleh",
            "Darwish",
            "Hamdan",
            "Al-Jaburi",
            "Al-Obaidi",
            "Ibrahim",
            "Youssef"
        ],
        partners: &["Deutsch-Arabischer Elternverein (Demo)", "Syrisch-Irakischer Kulturverein Osnabrück (Demo)"],
        restaurants: &["Damaskus", "Al-Sham", "Babylon", "Aleppo"],
        phone_block: "+49 69 90009 ",
    },
    Profile {
        name: "Russischsprachige Community",
        languages: &["ru", "de"],
        in_language: "auf Russisch",
        mentors: &["Olga Petrova", "Dmitri Ivanov", "Natalia Smirnova"],
        female: &[
            "Olga",
            "Natalia",
            "Irina",
            "Svetlana",
            "Tatjana",
            "Jelena",
            "Anastasia",
            "Marina",
            "Julia",
            "Viktoria",
            "Ljudmila",
            "Ksenia",
        ],
        male: &[
            "Dmitri",
            "Sergej",
            "Alexander",
            "Andrej",
            "Nikolai",
            "Maxim",
            "Pavel",
            "Igor",
            "Vladimir",
            "Artjom",
            "Jewgeni",
            "Roman",
        ],
        surnames: &[
            ("Petrov", "Petrova"),
            ("Ivanov", "Ivanova"),
            ("Smirnov", "Smirnova"),
            ("Kuznetsov", "Kuznetsova"),
            ("Popov", "Popova"),
            ("Sokolov", "Sokolova"),
            ("Morozov", "Morozova"),
            ("Volkov", "Volkova"),
            ("Schmidt", "Schmidt"),
            ("Becker", "Becker"),
            ("Wagner", "Wagner"),
            ("Reimer", "Reimer"),
        ],
        partners: &["Deutsch-Russischer Kulturverein Osnabrück (Demo)", "Elterninitiative Brücke e. V. (Demo)"],
        restaurants: &["Samowar", "Wolga", "Kalinka", "Taiga"],
        phone_block: "+49 40 66969 ",
    },
    Profile {
        name: "Kurdische Community",
        languages: &["ku", "tr", "ar", "de"],
        in_language: "auf Kurdisch",
        mentors: &["Berfin Aydın", "Rojda Ekinci", "Azad Baran"],
        female: &[
            "Berfin", "Rojda", "Dilan", "Zozan", "Hêlîn", "Rojin", "Evîn", "Nesrin", "Berivan", "Jiyan", "Rûken",
            "Gulistan",
        ],
        male: &[
            "Azad", "Rojhat", "Serhat", "Welat", "Ciwan", "Baran", "Dilşad", "Kawa", "Mazlum", "Roj", "Şiyar", "Hogir",
        ],
        surnames: same![
            "Aydın",
            "Baran",
            "Ekinci",
            "Doğan",
            "Tekin",
            "Yıldırım",
            "Kılıç",
            "Ateş",
            "Güneş",
            "Akgül",
            "Khalaf",
            "Qasim"
        ],
        partners: &["Kurdisches Kulturzentrum Osnabrück (Demo)", "Ezidischer Elternverein Osnabrück (Demo)"],
        restaurants: &["Zagros", "Newroz", "Mezopotamya", "Botan"],
        phone_block: "+49 221 4710 ",
    },
    Profile {
        name: "Polnische Community",
        languages: &["pl", "de"],
        in_language: "auf Polnisch",
        mentors: &["Agnieszka Nowak", "Tomasz Kowalski", "Katarzyna Wiśniewska"],
        female: &[
            "Agnieszka",
            "Katarzyna",
            "Małgorzata",
            "Anna",
            "Joanna",
            "Ewa",
            "Magdalena",
            "Monika",
            "Zofia",
            "Karolina",
            "Marta",
            "Alicja",
        ],
        male: &[
            "Tomasz",
            "Piotr",
            "Krzysztof",
            "Paweł",
            "Marek",
            "Jakub",
            "Michał",
            "Łukasz",
            "Kamil",
            "Adam",
            "Marcin",
            "Bartosz",
        ],
        surnames: &[
            ("Nowak", "Nowak"),
            ("Kowalski", "Kowalska"),
            ("Wiśniewski", "Wiśniewska"),
            ("Wójcik", "Wójcik"),
            ("Kamiński", "Kamińska"),
            ("Lewandowski", "Lewandowska"),
            ("Zieliński", "Zielińska"),
            ("Szymański", "Szymańska"),
            ("Dąbrowski", "Dąbrowska"),
            ("Mazur", "Mazur"),
            ("Kaczmarek", "Kaczmarek"),
            ("Jankowski", "Jankowska"),
        ],
        partners: &["Deutsch-Polnischer Elternkreis Osnabrück (Demo)", "Polnischer Kulturverein Most (Demo)"],
        restaurants: &["Pod Lipą", "Krakowska", "Mazury", "Bursztyn"],
        phone_block: "+49 89 99998 ",
    },
];

/// How much of the work each community carries (the first is the largest).
const COMMUNITY_WEIGHTS: [u32; 5] = [32, 28, 20, 12, 8];

const COORDINATOR: &str = "Katrin Hoffmann";

const DISTRICTS: [&str; 16] = [
    "Schinkel",
    "Eversburg",
    "Dodesheide",
    "Hafen",
    "Wüste",
    "Weststadt",
    "Innenstadt",
    "Kalkhügel",
    "Hellern",
    "Atter",
    "Sonnenhügel",
    "Haste",
    "Gartlage",
    "Fledder",
    "Voxtrup",
    "Schölerberg",
];

/// Invented schools: the districts are real, the schools are not.
const SCHOOLS: [&str; 6] = [
    "Oberschule am Schinkelberg (Demo)",
    "Gesamtschule Eversburg-West (Demo)",
    "Realschule an der Wüste (Demo)",
    "Oberschule Dodesheide (Demo)",
    "Berufsbildende Schule am Hafen (Demo)",
    "Gymnasium Weststadt (Demo)",
];

struct Trade {
    /// The first word of the company's name.
    prefix: &'static str,
    trade: &'static str,
    chamber: Chamber,
    occupations: &'static [&'static str],
}

const TRADES: [Trade; 14] = [
    Trade {
        prefix: "Bäckerei",
        trade: "Bäckerhandwerk",
        chamber: Chamber::Hwk,
        occupations: &["Bäcker/in", "Fachverkäufer/in im Lebensmittelhandwerk"],
    },
    Trade { prefix: "Friseursalon", trade: "Friseurhandwerk", chamber: Chamber::Hwk, occupations: &["Friseur/in"] },
    Trade {
        prefix: "Kfz-Werkstatt",
        trade: "Kfz-Handwerk",
        chamber: Chamber::Hwk,
        occupations: &["Kfz-Mechatroniker/in"],
    },
    Trade {
        prefix: "Restaurant",
        trade: "Gastronomie",
        chamber: Chamber::Ihk,
        occupations: &["Koch/Köchin", "Fachkraft für Gastronomie"],
    },
    Trade {
        prefix: "Lebensmittelmarkt",
        trade: "Einzelhandel",
        chamber: Chamber::Ihk,
        occupations: &["Kaufmann/-frau im Einzelhandel", "Verkäufer/in"],
    },
    Trade {
        prefix: "Pflegedienst",
        trade: "Ambulante Pflege",
        chamber: Chamber::Ihk,
        occupations: &["Pflegefachmann/-frau"],
    },
    Trade {
        prefix: "Elektro",
        trade: "Elektrohandwerk",
        chamber: Chamber::Hwk,
        occupations: &["Elektroniker/in für Energie- und Gebäudetechnik"],
    },
    Trade {
        prefix: "Malerbetrieb",
        trade: "Maler- und Lackiererhandwerk",
        chamber: Chamber::Hwk,
        occupations: &["Maler/in und Lackierer/in"],
    },
    Trade {
        prefix: "Haustechnik",
        trade: "Sanitär, Heizung, Klima",
        chamber: Chamber::Hwk,
        occupations: &["Anlagenmechaniker/in für Sanitär-, Heizungs- und Klimatechnik"],
    },
    Trade {
        prefix: "Reisebüro",
        trade: "Tourismus",
        chamber: Chamber::Ihk,
        occupations: &["Kaufmann/-frau für Tourismus und Freizeit"],
    },
    Trade {
        prefix: "Spedition",
        trade: "Logistik",
        chamber: Chamber::Ihk,
        occupations: &["Fachkraft für Lagerlogistik", "Berufskraftfahrer/in"],
    },
    Trade {
        prefix: "Änderungsschneiderei",
        trade: "Maßschneiderhandwerk",
        chamber: Chamber::Hwk,
        occupations: &["Maßschneider/in"],
    },
    Trade {
        prefix: "Fleischerei",
        trade: "Fleischerhandwerk",
        chamber: Chamber::Hwk,
        occupations: &["Fleischer/in", "Fachverkäufer/in im Lebensmittelhandwerk"],
    },
    Trade {
        prefix: "Handy- und Computerladen",
        trade: "IT-Handel",
        chamber: Chamber::Ihk,
        occupations: &["Kaufmann/-frau im Einzelhandel", "Fachinformatiker/in"],
    },
];

fn contact_note(group: TargetGroup, rng: &mut Rng) -> &'static str {
    let notes: &[&str] = match group {
        TargetGroup::Parent => &[
            "Möchte wissen, wie die duale Ausbildung funktioniert.",
            "Sohn in der 9. Klasse, Familie sucht Orientierung.",
            "Tochter interessiert sich für Pflege, Eltern unsicher.",
            "Eigener Abschluss aus dem Herkunftsland, Anerkennung offen.",
            "Kam über den Elternabend des Partnervereins.",
        ],
        TargetGroup::Youth => &[
            "10. Klasse, sucht ein Praktikum im Handwerk.",
            "Interessiert an Kfz-Mechatronik.",
            "Möchte nach dem Abschluss eine Ausbildung im Einzelhandel.",
            "Bewerbungsmappe noch unvollständig.",
            "Seit zwei Jahren in Osnabrück, Deutschkurs B1 abgeschlossen.",
        ],
        TargetGroup::SelfEmployed => &[
            "Betrieb mit fünf Beschäftigten, bildet noch nicht aus.",
            "Überlegt, die Ausbildereignung zu erwerben.",
            "Hat Interesse an einem Tag der offenen Tür.",
            "Sucht eine Auszubildende für das kommende Jahr.",
        ],
    };
    notes[rng.below(notes.len())]
}

fn topic_note(topic: Topic) -> &'static str {
    match topic {
        Topic::VocationalOrientation => "Überblick über das duale Ausbildungssystem gegeben.",
        Topic::FindingTrainingPlace => "Offene Ausbildungsplätze im Netzwerk durchgesehen.",
        Topic::Applications => "Bewerbungsunterlagen besprochen, Lebenslauf überarbeitet.",
        Topic::Internships => "Praktikumsmöglichkeiten in Betrieben des Netzwerks besprochen.",
        Topic::Recognition => "Anerkennung des ausländischen Abschlusses besprochen.",
        Topic::TrainingLicence => "Voraussetzungen der Ausbildereignung (AEVO) erklärt.",
        Topic::Funding => "Fördermöglichkeiten (z. B. Berufsausbildungsbeihilfe) erläutert.",
    }
}

fn referral_reason(institution: u8) -> &'static str {
    match institution {
        0 => "Termin bei der Berufsberatung zur Orientierung",
        1 => "Klärung der Förderung während der Ausbildung",
        2 => "Ausbildungsberatung der Handwerkskammer",
        3 => "Ausbildungsberatung der IHK",
        4 => "Begleitung beim Übergang Schule–Beruf",
        _ => "Anerkennung des ausländischen Berufsabschlusses",
    }
}

const FOLLOW_UP_NOTES: [&str; 6] = [
    "Nachfragen, ob der Termin stattgefunden hat",
    "Bewerbungsunterlagen gemeinsam fertigstellen",
    "Rückruf: Praktikumsplatz bestätigt?",
    "Einladung zum nächsten Elternabend weitergeben",
    "Unterlagen für die Anerkennung mitbringen lassen",
    "Kontakt zum Betrieb aus dem Netzwerk herstellen",
];

// ---------------------------------------------------------------------------
// Writing: records are collected per document, then written in time order,
// each as its own commit (message `<collection>/<id>`, the record's time) by
// its author's device, as mentors' phones would have written them, so a demo
// record has a history like any other.
//
// `record::put` reconciles a new record field by field: one Automerge op
// splice per field, about a millisecond a record, half a minute for the
// bench set. A record whose key is new can instead be created as one object
// tree in a single batch (`batch_create_object`, which autosurgeon uses for
// an object that replaces another): the same fields, values and commits,
// about ten times faster. Only for fresh keys: on an existing key it would
// replace the record's object, losing concurrent edits.

/// A record written as a new object in one batch: its key always differs
/// from whatever is in the document, so autosurgeon creates it whole.
struct Whole<'a, R>(&'a R);

impl<R: Reconcile> Reconcile for Whole<'_, R> {
    type Key<'k> = ();
    fn reconcile<Rc: Reconciler>(&self, reconciler: Rc) -> Result<(), Rc::Error> {
        self.0.reconcile(reconciler)
    }
    fn key(&self) -> LoadKey<()> {
        LoadKey::Found(())
    }
}

/// One record added to its collection map (nothing else in the map is
/// touched).
struct AddTo<'a, R>(&'a R);

impl<R: Record> Reconcile for AddTo<'_, R> {
    type Key<'k> = NoKey;
    fn reconcile<Rc: Reconciler>(&self, mut reconciler: Rc) -> Result<(), Rc::Error> {
        reconciler.map()?.put(self.0.record_key(), Whole(self.0))
    }
}

/// Writes a record that is not yet in `doc` as one commit at `now_ms`.
fn put_new<R: Record>(doc: &mut AutoCommit, record: &R, now_ms: i64) -> Result<(), DocError> {
    autosurgeon::reconcile_prop(doc, automerge::ROOT, R::COLLECTION, AddTo(record))?;
    record::commit(doc, R::COLLECTION, &record.record_key(), now_ms);
    Ok(())
}

enum Rec {
    Community(Community),
    Mentor(Mentor),
    Partner(PartnerOrganisation),
    Event(Event),
    Company(Company),
    Place(TrainingPlace),
    Measure(Measure),
    Contact(Contact),
    Household(Household),
    Consultation(Consultation),
    Referral(Referral),
    FollowUp(FollowUp),
}

struct Entry {
    at: i64,
    by: ActorId,
    rec: Rec,
}

fn write(doc: &mut AutoCommit, mut entries: Vec<Entry>, home: &ActorId) -> Result<(), DocError> {
    entries.sort_by_key(|e| e.at);
    let mut current = home.clone();
    for Entry { at, by, rec } in entries {
        if by != current {
            doc.set_actor(by.clone());
            current = by;
        }
        match &rec {
            Rec::Community(r) => put_new(doc, r, at)?,
            Rec::Mentor(r) => put_new(doc, r, at)?,
            Rec::Partner(r) => put_new(doc, r, at)?,
            Rec::Event(r) => put_new(doc, r, at)?,
            Rec::Company(r) => put_new(doc, r, at)?,
            Rec::Place(r) => put_new(doc, r, at)?,
            Rec::Measure(r) => put_new(doc, r, at)?,
            Rec::Contact(r) => put_new(doc, r, at)?,
            Rec::Household(r) => put_new(doc, r, at)?,
            Rec::Consultation(r) => put_new(doc, r, at)?,
            Rec::Referral(r) => put_new(doc, r, at)?,
            Rec::FollowUp(r) => put_new(doc, r, at)?,
        }
    }
    doc.set_actor(home.clone());
    Ok(())
}

// ---------------------------------------------------------------------------
// Generation.

/// A mentor and the actor of their phone.
#[derive(Clone)]
struct Author {
    id: MentorId,
    actor: ActorId,
}

/// What the network side needs to know of a community's people.
struct CommunityPlan {
    community: Community,
    profile: &'static Profile,
    mentors: Vec<Author>,
    partners: Vec<PartnerId>,
    /// Young contacts not yet placed, for filled training places.
    youth: Vec<ContactId>,
}

struct Gen {
    rng: Rng,
    today: i64,
    /// When the network started: every record is younger.
    founded: i64,
    actor: ActorId,
}

impl Gen {
    fn new(seed: u64, today: i64, actor: ActorId) -> Self {
        Gen { rng: Rng(seed ^ 0x4C4F_5453_455F_4445), today, founded: today - 5 * 365 - 40, actor }
    }

    fn id_bytes(&mut self) -> [u8; 16] {
        self.rng.bytes()
    }

    /// A time of day on `day`: office hours, or early morning for today so
    /// nothing seems written later than now.
    fn stamp(&mut self, day: i64) -> i64 {
        let hour = if day >= self.today { self.rng.between(7, 8) } else { self.rng.between(8, 19) };
        day * DAY_MS + hour * HOUR_MS + self.rng.between(0, 59) * MINUTE_MS + self.rng.between(0, 59) * 1000
    }

    /// A day within the past `days` days (today included).
    fn past_day(&mut self, days: i64) -> i64 {
        self.today - self.rng.between(0, days)
    }

    /// A number no subscriber has: one of the profile's reserved block.
    fn phone(&mut self, profile: &Profile) -> String {
        format!("{}{:03}", profile.phone_block, self.rng.between(0, 999))
    }

    fn person(&mut self, profile: &Profile) -> (String, &'static str) {
        let female = self.rng.percent(50);
        let first = if female { self.rng.pick(profile.female) } else { self.rng.pick(profile.male) };
        let (m, f) = *self.rng.pick(profile.surnames);
        let last = if female { f } else { m };
        (format!("{first} {last}"), m)
    }

    fn run(mut self, size: &DemoSize) -> Result<Demo, DemoError> {
        let me = Mentor {
            id: MentorId::from_random(self.id_bytes()),
            name: COORDINATOR.to_owned(),
            role: Role::Coordinator,
            community: None,
            languages: vec!["de".into(), "en".into()],
            devices: vec![self.actor.to_hex_string()],
            active: true,
            invitations: vec![],
        };
        let me_author = Author { id: me.id, actor: self.actor.clone() };
        let mut network: Vec<Entry> = Vec::new();
        let start = self.stamp(self.founded);
        network.push(Entry { at: start, by: self.actor.clone(), rec: Rec::Mentor(me.clone()) });

        let weights: Vec<u32> =
            (0..size.communities).map(|i| COMMUNITY_WEIGHTS.get(i).copied().unwrap_or(10)).collect();
        let contacts_per = split(size.contacts, &weights);
        let with_contacts: Vec<u32> =
            weights.iter().zip(&contacts_per).map(|(w, n)| if *n > 0 { *w } else { 0 }).collect();
        let consultations_per = if with_contacts.iter().all(|w| *w == 0) {
            vec![0; weights.len()]
        } else {
            split(size.consultations, &with_contacts)
        };

        let mut plans = Vec::new();
        let mut communities = Vec::new();
        let mut referral_roles = DueRoles::default();
        for i in 0..size.communities {
            let profile = &PROFILES[i % PROFILES.len()];
            let (plan, community_entries) = self.community(
                i,
                profile,
                &me_author,
                contacts_per[i],
                consultations_per[i],
                &mut network,
                &mut referral_roles,
            );
            let mut doc = CommunityDoc::genesis(self.actor.clone());
            write(&mut doc, community_entries, &self.actor)?;
            communities.push((plan.community.clone(), doc));
            plans.push(plan);
        }

        let companies = self.companies(size.companies, &mut plans, &me_author, &mut network);
        self.events(size.events, &plans, &companies, &me_author, &mut network);
        self.measures(size, &me_author, &mut network);

        let mut doc = NetworkDoc::genesis(self.actor.clone());
        write(&mut doc, network, &self.actor)?;
        Ok(Demo { network: doc, communities, me })
    }

    /// A community, its mentors and partners (into `network`) and its
    /// document's records (returned).
    #[allow(clippy::too_many_arguments)]
    fn community(
        &mut self,
        index: usize,
        profile: &'static Profile,
        me: &Author,
        n_contacts: usize,
        n_consultations: usize,
        network: &mut Vec<Entry>,
        referral_roles: &mut DueRoles,
    ) -> (CommunityPlan, Vec<Entry>) {
        let round = index / PROFILES.len();
        let name = if round == 0 { profile.name.to_owned() } else { format!("{} {}", profile.name, round + 1) };
        let community = Community {
            id: CommunityId::from_random(self.id_bytes()),
            name,
            languages: profile.languages.iter().map(|l| (*l).to_owned()).collect(),
            created_at: self.stamp(self.founded),
            // The first community keeps contacts half a year, so the
            // retention page has something to review.
            retention_months: (index == 0).then_some(6),
        };
        network.push(Entry { at: community.created_at, by: me.actor.clone(), rec: Rec::Community(community.clone()) });

        // Two or three mentors; now and then the third has retired.
        let n_mentors = 2 + self.rng.below(2);
        let mut mentors = Vec::new();
        for (k, name) in profile.mentors.iter().take(n_mentors).enumerate() {
            let actor = ActorId::from(self.id_bytes());
            let mentor = Mentor {
                id: MentorId::from_random(self.id_bytes()),
                name: (*name).to_owned(),
                role: Role::Mentor,
                community: Some(community.id),
                languages: community.languages.clone(),
                devices: vec![actor.to_hex_string()],
                active: k < 2 || self.rng.percent(70),
                invitations: vec![],
            };
            let at = self.stamp(self.founded + 1 + k as i64);
            if mentor.active {
                mentors.push(Author { id: mentor.id, actor });
            }
            network.push(Entry { at, by: me.actor.clone(), rec: Rec::Mentor(mentor) });
        }

        let mut partners = Vec::new();
        for name in profile.partners {
            let (person, _) = self.person(profile);
            let partner = PartnerOrganisation {
                id: PartnerId::from_random(self.id_bytes()),
                name: (*name).to_owned(),
                community: Some(community.id),
                contact_person: person,
                phone: self.phone(profile),
                notes: format!("{MARKER} Lädt zu Infoabenden ein und stellt Räume."),
            };
            partners.push(partner.id);
            let at = self.stamp(self.founded + 3);
            network.push(Entry { at, by: me.actor.clone(), rec: Rec::Partner(partner) });
        }

        let mut entries = Vec::new();
        let people = self.contacts(profile, &community, &mentors, n_contacts, &mut entries);
        self.consultations(&people, &mentors, n_consultations, &mut entries, referral_roles);

        let youth = people.contacts.iter().filter(|c| c.target_group == TargetGroup::Youth).map(|c| c.id).collect();
        (CommunityPlan { community, profile, mentors, partners, youth }, entries)
    }

    fn contacts(
        &mut self,
        profile: &Profile,
        community: &Community,
        mentors: &[Author],
        n: usize,
        entries: &mut Vec<Entry>,
    ) -> People {
        let mut people = People::default();
        while people.contacts.len() < n {
            let left = n - people.contacts.len();
            let author = self.rng.pick(mentors).clone();
            let day = self.past_day(364);
            let mut at = self.stamp(day);
            if left >= 2 && self.rng.percent(45) {
                // A family: a parent and a young person, sometimes a third.
                let (_, family) = self.person(profile);
                let district = *self.rng.pick(&DISTRICTS);
                let household = Household {
                    id: HouseholdId::from_random(self.id_bytes()),
                    name: format!("Familie {family}"),
                    district: district.to_owned(),
                    notes: MARKER.to_owned(),
                    created_by: author.id,
                    created_at: at,
                };
                people.households.push((household.id, day, at));
                entries.push(Entry { at, by: author.actor.clone(), rec: Rec::Household(household.clone()) });
                let mut groups = vec![TargetGroup::Parent, TargetGroup::Youth];
                if left >= 3 && self.rng.percent(40) {
                    groups.push(if self.rng.percent(50) { TargetGroup::Parent } else { TargetGroup::Youth });
                }
                for group in groups {
                    at += MINUTE_MS;
                    let c = self.contact(profile, community, &author, group, Some(&household), district, day, at);
                    people.push(c, day, &author, entries);
                }
            } else {
                let group = TargetGroup::ALL[self.rng.weighted(&[30, 45, 25])];
                let district = *self.rng.pick(&DISTRICTS);
                let c = self.contact(profile, community, &author, group, None, district, day, at);
                people.push(c, day, &author, entries);
            }
        }
        people
    }

    #[allow(clippy::too_many_arguments)]
    fn contact(
        &mut self,
        profile: &Profile,
        community: &Community,
        author: &Author,
        group: TargetGroup,
        household: Option<&Household>,
        district: &str,
        day: i64,
        at: i64,
    ) -> Contact {
        let female = self.rng.percent(50);
        let first = if female { self.rng.pick(profile.female) } else { self.rng.pick(profile.male) };
        let family = match household {
            Some(h) => h.name.trim_start_matches("Familie ").to_owned(),
            None => self.rng.pick(profile.surnames).0.to_owned(),
        };
        // The family name as a woman bears it, where the language has one.
        let last = if female {
            profile.surnames.iter().find(|(m, _)| *m == family).map_or(family.as_str(), |(_, f)| *f).to_owned()
        } else {
            family
        };
        let mut languages = vec![community.languages[0].clone()];
        if community.languages.len() > 2 && self.rng.percent(40) {
            languages.push(community.languages[1 + self.rng.below(community.languages.len() - 2)].clone());
        }
        if group != TargetGroup::Parent || self.rng.percent(50) {
            languages.push("de".into());
        }
        Contact {
            id: ContactId::from_random(self.id_bytes()),
            target_group: group,
            name: format!("{first} {last}"),
            phone: if self.rng.percent(80) { self.phone(profile) } else { String::new() },
            languages,
            district: district.to_owned(),
            household: household.map(|h| h.id),
            notes: format!("{MARKER} {}", contact_note(group, &mut self.rng)),
            consent: Consent {
                given_on: iso(day),
                scope: if self.rng.percent(60) { ConsentScope::AdviceAndReferral } else { ConsentScope::Advice },
                recorded_by: author.id,
            },
            created_by: author.id,
            created_at: at,
            merged_into: None,
            not_the_same: vec![],
        }
    }

    fn consultations(
        &mut self,
        people: &People,
        mentors: &[Author],
        n: usize,
        entries: &mut Vec<Entry>,
        referral_roles: &mut DueRoles,
    ) {
        if people.contacts.is_empty() {
            return;
        }
        // Who and when: every contact's first consultation is the day they
        // were recorded; further ones fall on later days.
        let mut plan: Vec<(Option<usize>, Option<usize>, i64)> = Vec::with_capacity(n);
        for i in 0..n {
            if i < people.contacts.len() {
                plan.push((Some(i), people.household_of[i], people.days[i]));
            } else if !people.households.is_empty() && self.rng.percent(8) {
                let h = self.rng.below(people.households.len());
                let day = self.rng.between(people.households[h].1, self.today);
                plan.push((None, Some(h), day));
            } else {
                let c = self.rng.below(people.contacts.len());
                let day = self.rng.between(people.days[c], self.today);
                plan.push((Some(c), people.household_of[c], day));
            }
        }
        plan.sort_by_key(|p| p.2);
        // The last two referrals of each community are still open.
        let referred: Vec<bool> = plan.iter().map(|_| self.rng.percent(25)).collect();
        let mut still_open: HashSet<usize> = HashSet::new();
        for (i, _) in plan.iter().enumerate().rev().filter(|(i, p)| referred[*i] && p.0.is_some()).take(2) {
            still_open.insert(i);
        }

        for (i, (contact, household, day)) in plan.into_iter().enumerate() {
            let (group, not_before, author) = match contact {
                Some(c) => (people.contacts[c].target_group, people.contacts[c].created_at, people.authors[c].clone()),
                None => {
                    (TargetGroup::Parent, people.households[household.unwrap_or(0)].2, self.rng.pick(mentors).clone())
                }
            };
            let at = self.stamp(day).max(not_before + 5 * MINUTE_MS);
            let topics = self.topics(group);
            let outcome = if referred[i] && contact.is_some() {
                Outcome::Referred
            } else {
                match self.rng.weighted(&[40, 27, 10, 23]) {
                    0 => Outcome::Informed,
                    1 => Outcome::FollowUpAgreed,
                    2 if group == TargetGroup::Youth => Outcome::PlaceFound,
                    2 => Outcome::Informed,
                    _ => Outcome::NoFurtherNeed,
                }
            };
            let consultation = Consultation {
                id: ConsultationId::from_random(self.id_bytes()),
                date: iso(day),
                contact: contact.map(|c| people.contacts[c].id),
                household: household.map(|h| people.households[h].0),
                topics: topics.clone(),
                outcome,
                notes: topic_note(topics[0]).to_owned(),
                mentor: author.id,
                created_at: at,
            };
            if outcome == Outcome::Referred {
                let c = &people.contacts[contact.unwrap_or(0)];
                let referral = self.referral(&consultation, c, &author, still_open.contains(&i), referral_roles);
                entries.push(Entry { at: at + 2 * MINUTE_MS, by: author.actor.clone(), rec: Rec::Referral(referral) });
            }
            if outcome == Outcome::FollowUpAgreed {
                let due = day + self.rng.between(7, 28);
                let done = due < self.today && self.rng.percent(85);
                let follow_up = FollowUp {
                    id: FollowUpId::from_random(self.id_bytes()),
                    due_on: iso(due),
                    note: (*self.rng.pick(&FOLLOW_UP_NOTES)).to_owned(),
                    contact: consultation.contact,
                    mentor: author.id,
                    done,
                    created_at: at + 3 * MINUTE_MS,
                };
                entries.push(Entry { at: at + 3 * MINUTE_MS, by: author.actor.clone(), rec: Rec::FollowUp(follow_up) });
            }
            entries.push(Entry { at, by: author.actor.clone(), rec: Rec::Consultation(consultation) });
        }

        // Reminders a mentor set by hand ten days ago: one due today, one
        // overdue, one next week, so the day's list is never empty.
        let created = (self.today - 10).max(self.founded);
        for (offset, note) in
            [(0, "Anmeldung zum Elternabend bestätigen"), (-3, FOLLOW_UP_NOTES[0]), (6, FOLLOW_UP_NOTES[5])]
        {
            let author = self.rng.pick(mentors).clone();
            let c = self.rng.below(people.contacts.len());
            let at = self.stamp(created);
            let follow_up = FollowUp {
                id: FollowUpId::from_random(self.id_bytes()),
                due_on: iso(self.today + offset),
                note: note.to_owned(),
                // Only someone already known ten days ago.
                contact: (people.contacts[c].created_at < at).then_some(people.contacts[c].id),
                mentor: author.id,
                done: false,
                created_at: at,
            };
            entries.push(Entry { at, by: author.actor, rec: Rec::FollowUp(follow_up) });
        }
    }

    fn topics(&mut self, group: TargetGroup) -> Vec<Topic> {
        use Topic::*;
        let pool: &[Topic] = match group {
            TargetGroup::Parent => &[VocationalOrientation, FindingTrainingPlace, Funding, Recognition, Applications],
            TargetGroup::Youth => &[VocationalOrientation, FindingTrainingPlace, Applications, Internships, Funding],
            TargetGroup::SelfEmployed => &[TrainingLicence, Funding, Recognition, FindingTrainingPlace],
        };
        let n = 1 + self.rng.weighted(&[50, 35, 15]);
        let mut topics = Vec::with_capacity(n);
        while topics.len() < n {
            let t = *self.rng.pick(pool);
            if !topics.contains(&t) {
                topics.push(t);
            }
        }
        topics
    }

    fn referral(
        &mut self,
        consultation: &Consultation,
        contact: &Contact,
        author: &Author,
        keep_open: bool,
        roles: &mut DueRoles,
    ) -> Referral {
        let institution: u8 = match contact.target_group {
            TargetGroup::Youth => [0, 4, 2, 3, 1][self.rng.weighted(&[45, 25, 10, 10, 10])],
            TargetGroup::Parent => [5, 0, 1, 4][self.rng.weighted(&[35, 25, 25, 15])],
            TargetGroup::SelfEmployed => [2, 3, 1][self.rng.weighted(&[45, 45, 10])],
        };
        let day = day_of(&consultation.date).unwrap_or(self.today);
        let age = self.today - day;
        let status = if keep_open {
            [ReferralStatus::Open, ReferralStatus::Contacted][self.rng.below(2)]
        } else {
            use ReferralStatus::*;
            let (choices, weights): (&[ReferralStatus], &[u32]) = match age {
                0..=29 => (&[Open, Contacted, Done], &[55, 35, 10]),
                30..=89 => (&[Done, Contacted, Open, NoShow], &[45, 30, 15, 10]),
                _ => (&[Done, NoShow, Contacted], &[75, 20, 5]),
            };
            choices[self.rng.weighted(weights)]
        };
        let follow_up_on = if status.is_open() {
            Some(iso(roles.next(&mut self.rng, self.today, day)))
        } else if self.rng.percent(50) {
            Some(iso(day + 14))
        } else {
            None
        };
        Referral {
            id: ReferralId::from_random(self.id_bytes()),
            contact: contact.id,
            consultation: Some(consultation.id),
            institution: seed_institution_id(institution),
            reason: referral_reason(institution).to_owned(),
            status,
            follow_up_on,
            date: consultation.date.clone(),
            mentor: author.id,
            created_at: consultation.created_at + 2 * MINUTE_MS,
        }
    }

    fn companies(
        &mut self,
        n: usize,
        plans: &mut [CommunityPlan],
        me: &Author,
        network: &mut Vec<Entry>,
    ) -> Vec<(CompanyId, Option<CommunityId>)> {
        let weights: Vec<u32> = (0..plans.len()).map(|i| COMMUNITY_WEIGHTS.get(i).copied().unwrap_or(10)).collect();
        let mut names = HashSet::new();
        let mut out = Vec::new();
        for i in 0..n {
            let p = match plans.len() {
                0 => None,
                _ if i == 0 => Some(0),
                _ => Some(self.rng.weighted(&weights)),
            };
            let profile = p.map_or(&PROFILES[0], |p| plans[p].profile);
            let author = p.map_or(me.clone(), |p| self.rng.pick(&plans[p].mentors).clone());
            let (trade, name, owner) = if i == 0 {
                (&TRADES[0], "Bäckerei Yıldız (Demo)".to_owned(), "Hülya Yıldız".to_owned())
            } else {
                let mut attempt = 0;
                loop {
                    let trade = self.rng.pick(&TRADES);
                    let (owner, family) = self.person(profile);
                    let name = if trade.prefix == "Restaurant" {
                        format!("Restaurant {} (Demo)", self.rng.pick(profile.restaurants))
                    } else {
                        format!("{} {family} (Demo)", trade.prefix)
                    };
                    attempt += 1;
                    let name = if names.contains(&name) && attempt > 8 { format!("{name} {i}") } else { name };
                    if !names.contains(&name) {
                        break (trade, name, owner);
                    }
                }
            };
            names.insert(name.clone());
            // Most joined in earlier years, a good third in the past twelve months.
            let joined = if self.rng.percent(38) {
                self.past_day(364)
            } else {
                self.rng.between(self.founded + 30, self.today - 365)
            };
            let at = self.stamp(joined);
            let company = Company {
                id: CompanyId::from_random(self.id_bytes()),
                name,
                trade: trade.trade.to_owned(),
                chamber: trade.chamber,
                licence: [LicenceStatus::Has, LicenceStatus::InPreparation, LicenceStatus::None]
                    [self.rng.weighted(&[50, 25, 25])],
                contact_person: owner,
                phone: self.phone(profile),
                community: p.map(|p| plans[p].community.id),
                member_since: iso(joined),
                notes: format!("{MARKER} Mitglied im Netzwerk ausbildender Unternehmer/innen."),
                created_by: author.id,
                created_at: at,
            };
            out.push((company.id, company.community));

            let n_places = self.rng.weighted(&[15, 40, 30, 15]);
            for _ in 0..n_places {
                let acquired = self.rng.between(joined.max(self.today - 2 * 365), self.today);
                let (y, m, _) = civil_from_days(acquired);
                let start_year = if m < 8 { y } else { y + 1 };
                let mut status = [PlaceStatus::Filled, PlaceStatus::Offered, PlaceStatus::Acquired]
                    [self.rng.weighted(&[40, 35, 25])];
                let mut filled_by = None;
                if status == PlaceStatus::Filled {
                    filled_by = p.and_then(|p| {
                        let youth = &mut plans[p].youth;
                        (!youth.is_empty()).then(|| youth.swap_remove(self.rng.below(youth.len())))
                    });
                    if filled_by.is_none() {
                        status = PlaceStatus::Offered;
                    }
                }
                let place = TrainingPlace {
                    id: TrainingPlaceId::from_random(self.id_bytes()),
                    company: company.id,
                    occupation: (*self.rng.pick(trade.occupations)).to_owned(),
                    start_on: iso(days_from_civil(start_year, 8, 1)),
                    status,
                    filled_by,
                    acquired_on: iso(acquired),
                    created_at: self.stamp(acquired).max(at + MINUTE_MS),
                };
                network.push(Entry { at: place.created_at, by: author.actor.clone(), rec: Rec::Place(place) });
            }
            network.push(Entry { at, by: author.actor.clone(), rec: Rec::Company(company) });
        }
        out
    }

    fn events(
        &mut self,
        n: usize,
        plans: &[CommunityPlan],
        companies: &[(CompanyId, Option<CommunityId>)],
        me: &Author,
        network: &mut Vec<Entry>,
    ) {
        use EventKind::*;
        for i in 0..n {
            // The first six cover every kind; then the usual mix.
            let kind = match EventKind::ALL.get(i) {
                Some(k) => *k,
                None => [SchoolInfoSession, ParentEvening, OpenDay, CompanyVisit, NetworkMeeting, MentorTraining]
                    [self.rng.weighted(&[25, 25, 12, 12, 13, 13])],
            };
            // One in ten in the coming two weeks, a few planned further ahead.
            let day = match i % 20 {
                3 | 13 => self.today + self.rng.between(0, 14),
                8 => self.today + self.rng.between(15, 45),
                _ => self.today - self.rng.between(1, 365),
            };
            let company = match kind {
                OpenDay | CompanyVisit if !companies.is_empty() => Some(*self.rng.pick(companies)),
                _ => None,
            };
            let network_wide = matches!(kind, NetworkMeeting | MentorTraining) && self.rng.percent(50);
            let plan = match company {
                Some((_, Some(c))) => plans.iter().find(|p| p.community.id == c),
                _ if network_wide || plans.is_empty() => None,
                _ => Some(&plans[self.rng.below(plans.len())]),
            };
            let school = if kind == SchoolInfoSession { *self.rng.pick(&SCHOOLS) } else { "" };
            let title = match kind {
                SchoolInfoSession => format!("Ausbildung in Deutschland – Infoveranstaltung an der {school}"),
                OpenDay => "Tag der offenen Tür im Ausbildungsbetrieb".to_owned(),
                CompanyVisit => "Betriebsbesichtigung mit Schülerinnen und Schülern".to_owned(),
                ParentEvening => match plan {
                    Some(p) => format!("Elternabend {}: Wege in die duale Ausbildung", p.profile.in_language),
                    None => "Elternabend: Wege in die duale Ausbildung".to_owned(),
                },
                NetworkMeeting => (*self
                    .rng
                    .pick(&["Netzwerktreffen ausbildender Unternehmer/innen", "Runder Tisch Übergang Schule–Beruf"]))
                .to_owned(),
                MentorTraining => (*self.rng.pick(&[
                    "Mentorenschulung: Das duale Ausbildungssystem",
                    "Mentorenschulung: Datenschutz und Einwilligung",
                    "Mentorenschulung: Bewerbungen begleiten",
                ]))
                .to_owned(),
            };
            let partner = match (kind, plan) {
                (SchoolInfoSession | ParentEvening, Some(p)) if !p.partners.is_empty() => {
                    Some(*self.rng.pick(&p.partners))
                }
                _ => None,
            };
            let author = match plan {
                Some(p) if !p.mentors.is_empty() => self.rng.pick(&p.mentors).clone(),
                _ => me.clone(),
            };
            let mut attendance = Attendance::default();
            if day < self.today {
                let counts: [(i64, i64); 3] = match kind {
                    SchoolInfoSession => [(0, 10), (15, 60), (0, 2)],
                    ParentEvening => [(8, 40), (0, 10), (0, 3)],
                    OpenDay => [(2, 10), (5, 20), (1, 5)],
                    CompanyVisit => [(0, 3), (6, 15), (0, 1)],
                    NetworkMeeting => [(0, 5), (0, 2), (5, 20)],
                    MentorTraining => [(6, 15), (0, 0), (0, 2)],
                };
                for (group, (lo, hi)) in TargetGroup::ALL.into_iter().zip(counts) {
                    let by = self.rng.between(lo, hi);
                    if by > 0 {
                        attendance.add(group, by);
                    }
                }
            }
            let created = (day - self.rng.between(3, 21)).min(self.today).max(self.founded);
            // Time and place follow from the kind (no draw from the rng:
            // every seed's data stays as it was before events had them).
            let (time, place) = match kind {
                SchoolInfoSession => ("10:00", school),
                ParentEvening => ("18:30", "Gemeindehaus"),
                OpenDay | CompanyVisit => ("09:30", ""),
                NetworkMeeting => ("17:00", "Servicestelle"),
                MentorTraining => ("18:00", "Servicestelle"),
            };
            let event = Event {
                id: EventId::from_random(self.id_bytes()),
                kind,
                title,
                date: iso(day),
                time: time.to_owned(),
                place: place.to_owned(),
                community: plan.map(|p| p.community.id),
                partner,
                school: school.to_owned(),
                company: company.map(|c| c.0),
                attendance,
                notes: MARKER.to_owned(),
                created_by: author.id,
                created_at: self.stamp(created),
            };
            network.push(Entry { at: event.created_at, by: author.actor, rec: Rec::Event(event) });
        }
    }

    /// This year's action plan, its targets scaled to the data set.
    fn measures(&mut self, size: &DemoSize, me: &Author, network: &mut Vec<Entry>) {
        use ActionField::*;
        use EventKind::*;
        let year = year_of(self.today);
        let (e, c, k) = (size.events as u32, size.consultations as u32, size.companies as u32);
        let plan: [PlanRow; 12] = [
            (
                SchoolToWork,
                "Infoveranstaltungen an Schulen",
                "Servicestelle",
                e / 5,
                Metric::Events,
                Some(SchoolInfoSession),
            ),
            (
                SchoolToWork,
                "Schülerinnen und Schüler erreichen",
                "Servicestelle",
                e * 6,
                Metric::Attendance,
                Some(SchoolInfoSession),
            ),
            (SchoolToWork, "Elternabende", "Elternmentor/innen", e / 5, Metric::Events, Some(ParentEvening)),
            (SchoolToWork, "Erstberatungen", "Elternmentor/innen", c * 2 / 3, Metric::Consultations, None),
            (SchoolToWork, "Vermittlungen an Regelinstitutionen", "Elternmentor/innen", c / 6, Metric::Referrals, None),
            (SchoolToWork, "Besetzte Ausbildungsplätze", "Servicestelle", k / 2, Metric::PlacesFilled, None),
            (SelfEmployed, "Neue Ausbildungsbetriebe", "Servicestelle", k / 3, Metric::CompaniesJoined, None),
            (
                SelfEmployed,
                "Ausbildereignung (AEVO) erworben",
                "Handwerkskammer und IHK",
                k / 4,
                Metric::CompaniesLicensed,
                None,
            ),
            (SelfEmployed, "Akquirierte Ausbildungsplätze", "Servicestelle", k, Metric::PlacesAcquired, None),
            (
                SelfEmployed,
                "Tage der offenen Tür in Migrantenbetrieben",
                "Migrantenorganisationen",
                e / 10,
                Metric::Events,
                Some(OpenDay),
            ),
            (Network, "Netzwerktreffen", "Servicestelle", e / 12, Metric::Events, Some(NetworkMeeting)),
            (Network, "Mentorenschulungen", "Servicestelle", e / 12, Metric::Events, Some(MentorTraining)),
        ];
        let created = days_from_civil(year, 1, 15).min(self.today);
        for (field, title, owner, target, metric, event_kind) in plan {
            let measure = Measure {
                id: MeasureId::from_random(self.id_bytes()),
                field,
                title: title.to_owned(),
                owner: owner.to_owned(),
                target: target.max(1),
                year: year as i32,
                metric,
                event_kind,
            };
            let at = self.stamp(created);
            network.push(Entry { at, by: me.actor.clone(), rec: Rec::Measure(measure) });
        }
    }
}

/// A measure of the plan: field, title, owner, target, what counts.
type PlanRow = (ActionField, &'static str, &'static str, u32, Metric, Option<EventKind>);

/// A community's contacts as generated, with what consultations need.
#[derive(Default)]
struct People {
    contacts: Vec<Contact>,
    /// The day each contact was recorded.
    days: Vec<i64>,
    authors: Vec<Author>,
    /// Index into `households` for each contact.
    household_of: Vec<Option<usize>>,
    /// Id, day and time each household was recorded.
    households: Vec<(HouseholdId, i64, i64)>,
}

impl People {
    fn push(&mut self, contact: Contact, day: i64, author: &Author, entries: &mut Vec<Entry>) {
        self.household_of.push(contact.household.and(self.households.len().checked_sub(1)));
        self.days.push(day);
        self.authors.push(author.clone());
        entries.push(Entry { at: contact.created_at, by: author.actor.clone(), rec: Rec::Contact(contact.clone()) });
        self.contacts.push(contact);
    }
}

/// Hands out due dates for open referrals so the lists around today are
/// never empty: the first that can be overdue is, the next is due today,
/// the rest spread around today.
#[derive(Default)]
struct DueRoles {
    overdue: bool,
    today: bool,
}

impl DueRoles {
    /// A due day for an item recorded on `day`, never before it.
    fn next(&mut self, rng: &mut Rng, today: i64, day: i64) -> i64 {
        let age = today - day;
        if !self.overdue && age >= 1 {
            self.overdue = true;
            today - rng.between(1, age.min(14))
        } else if !self.today {
            self.today = true;
            today
        } else {
            match rng.weighted(&[35, 15, 50]) {
                0 if age >= 1 => today - rng.between(1, age.min(14)),
                1 => today,
                _ => today + rng.between(1, 21),
            }
        }
    }
}

/// `total` split in proportion to `weights`, summing exactly to `total`.
fn split(total: usize, weights: &[u32]) -> Vec<usize> {
    let sum: u64 = weights.iter().map(|w| u64::from(*w)).sum();
    if sum == 0 {
        return vec![0; weights.len()];
    }
    let mut out: Vec<usize> = weights.iter().map(|w| (total as u64 * u64::from(*w) / sum) as usize).collect();
    let mut rest = total - out.iter().sum::<usize>();
    for (i, w) in weights.iter().enumerate().cycle() {
        if rest == 0 {
            break;
        }
        if *w > 0 {
            out[i] += 1;
            rest -= 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip_through_the_calendar() {
        for day in -200_000..200_000 {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day);
        }
        assert_eq!(day_of("1970-01-01"), Some(0));
        assert_eq!(day_of("2024-02-29").map(iso).as_deref(), Some("2024-02-29"));
        assert_eq!(day_of("2024-03-01").map(|d| iso(d - 1)).as_deref(), Some("2024-02-29"));
        assert_eq!(day_of("2023-03-01").map(|d| iso(d - 1)).as_deref(), Some("2023-02-28"));
        assert_eq!(day_of("2023-02-29"), None);
    }

    #[test]
    fn a_record_created_whole_reads_back_like_one_written_field_by_field() {
        let gen = Gen::new(1, day_of("2026-11-12").unwrap(), ActorId::from([9u8; 16]));
        let demo =
            gen.run(&DemoSize { communities: 1, contacts: 4, consultations: 4, events: 6, companies: 2 }).unwrap();
        let contacts: Vec<Contact> = record::all(&demo.communities[0].1).unwrap();
        let events: Vec<Event> = record::all(&demo.network).unwrap();

        let mut whole = CommunityDoc::genesis(ActorId::from([1u8; 16]));
        let mut by_field = CommunityDoc::genesis(ActorId::from([2u8; 16]));
        put_new(&mut whole, &contacts[0], 1_000).unwrap();
        record::put(&mut by_field, &contacts[0], 1_000).unwrap();
        let key = contacts[0].record_key();
        assert_eq!(record::get::<Contact>(&whole, &key).unwrap(), record::get::<Contact>(&by_field, &key).unwrap());

        // An event as a form makes it: fresh counters, tallied.
        let mut event = events.iter().find(|e| e.attendance.total() > 0).unwrap().clone();
        let counts = event.attendance.counts();
        event.attendance = Attendance::default();
        for (group, n) in TargetGroup::ALL.into_iter().zip(counts) {
            event.attendance.add(group, n);
        }
        let mut net = NetworkDoc::genesis(ActorId::from([1u8; 16]));
        put_new(&mut net, &event, 1_000).unwrap();
        let mut back: Event = record::get(&net, &event.record_key()).unwrap().unwrap();
        assert_eq!(back, event);
        // Attendance stays a counter: a later tally adds to it.
        back.attendance.add(TargetGroup::Youth, 2);
        record::put(&mut net, &back, 2_000).unwrap();
        let after: Event = record::get(&net, &event.record_key()).unwrap().unwrap();
        assert_eq!(after.attendance.count(TargetGroup::Youth), event.attendance.count(TargetGroup::Youth) + 2);
    }

    #[test]
    fn a_split_sums_to_its_total() {
        assert_eq!(split(10, &[1, 1, 1]).iter().sum::<usize>(), 10);
        assert_eq!(split(7, &[0, 3, 0]), vec![0, 7, 0]);
        assert_eq!(split(5, &[]), Vec::<usize>::new());
    }
}
