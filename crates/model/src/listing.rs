//! A record list as a spreadsheet table: what a coordinator downloads from a
//! list page. Each kind names its columns once ([`Columns`]); [`sheet`] turns
//! the records a list shows, in its order, into a typed [`Sheet`]: headers
//! from the app's labels (`history-field-<field>`, as the history names
//! fields), numbers as numbers, dates as dates, a closed list's value as its
//! label, a linked record as its [title](Titled), never an id.

use crate::advice::{Consultation, FollowUp, Household, Referral};
use crate::contact::Contact;
use crate::export::Export;
use crate::kind::{RecordKind, Titled};
use crate::network::{Community, Company, Event, Institution, Measure, Mentor, PartnerOrganisation, TrainingPlace};
use crate::notebook::Notebook;
use crate::sheet::{Sheet, Value};

/// What a column holds before it is put in a person's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Number(i64),
    /// `YYYY-MM-DD`, or empty.
    Date(String),
    /// Label keys (a closed list's values), joined with `, `.
    Labels(Vec<String>),
}

/// One column: its header's label key and how a record fills it.
pub struct Column<R> {
    pub head: &'static str,
    pub cell: fn(&R, &Notebook) -> Cell,
}

/// The columns of a kind's table, one per field a person reads.
pub trait Columns: RecordKind {
    fn columns() -> Vec<Column<Self>>;
}

/// The table of `records` (as a list shows them, in its order), titled
/// `title`, with every header and label as `labels(key)` says.
pub fn sheet<'a, R: Columns>(
    nb: &Notebook,
    records: impl IntoIterator<Item = &'a R>,
    title: String,
    labels: &dyn Fn(&str) -> String,
) -> Sheet {
    let columns = R::columns();
    let value = |cell: Cell| match cell {
        Cell::Text(t) if t.is_empty() => Value::Empty,
        Cell::Text(t) => Value::Text(t),
        Cell::Number(n) => Value::Number(n),
        Cell::Date(d) if d.is_empty() => Value::Empty,
        Cell::Date(d) => Value::Date(d),
        Cell::Labels(keys) if keys.is_empty() => Value::Empty,
        Cell::Labels(keys) => Value::Text(keys.iter().map(|k| labels(k)).collect::<Vec<_>>().join(", ")),
    };
    Sheet {
        name: R::KIND.segment().to_owned(),
        title,
        head: columns.iter().map(|c| labels(c.head)).collect(),
        rows: records.into_iter().map(|r| columns.iter().map(|c| value((c.cell)(r, nb))).collect()).collect(),
    }
}

/// The title of the linked record `id`, or empty.
fn title<R: RecordKind>(nb: &Notebook, id: Option<R::Id>) -> Cell {
    Cell::Text(id.and_then(|id| R::find(nb, id)).map(|(r, _)| r.title(nb)).unwrap_or_default())
}

fn contact(nb: &Notebook, id: Option<crate::ContactId>) -> Cell {
    title::<Contact>(nb, id.map(|c| nb.kept_contact(c)))
}

fn label(prefix: &str, code: &str) -> Cell {
    Cell::Labels(vec![format!("{prefix}-{code}")])
}

fn joined(list: &[String]) -> Cell {
    Cell::Text(list.join(", "))
}

macro_rules! columns {
    ($($ty:ty { $($head:literal => |$r:ident, $nb:ident| $cell:expr),+ $(,)? })+) => {
        $(impl Columns for $ty {
            #[allow(unused_variables)]
            fn columns() -> Vec<Column<Self>> {
                vec![$(Column { head: $head, cell: |$r: &$ty, $nb: &Notebook| $cell }),+]
            }
        })+
    };
}

columns! {
    Contact {
        "history-field-name" => |r, nb| Cell::Text(r.name.clone()),
        "history-field-target-group" => |r, nb| label("group", r.target_group.code()),
        "history-field-phone" => |r, nb| Cell::Text(r.phone.clone()),
        "history-field-languages" => |r, nb| joined(&r.languages),
        "history-field-district" => |r, nb| Cell::Text(r.district.clone()),
        "history-field-household" => |r, nb| title::<Household>(nb, r.household),
        "history-field-notes" => |r, nb| Cell::Text(r.notes.clone()),
        "contact-consent-date" => |r, nb| Cell::Date(r.consent.given_on.clone()),
        "contact-consent-scope" => |r, nb| label("scope", r.consent.scope.code()),
        "history-field-mentor" => |r, nb| title::<Mentor>(nb, Some(r.created_by)),
    }
    Household {
        "history-field-name" => |r, nb| Cell::Text(r.name.clone()),
        "history-field-district" => |r, nb| Cell::Text(r.district.clone()),
        "history-field-notes" => |r, nb| Cell::Text(r.notes.clone()),
        "history-field-mentor" => |r, nb| title::<Mentor>(nb, Some(r.created_by)),
    }
    Consultation {
        "history-field-date" => |r, nb| Cell::Date(r.date.clone()),
        "history-field-contact" => |r, nb| contact(nb, r.contact),
        "history-field-household" => |r, nb| title::<Household>(nb, r.household),
        "history-field-topics" => |r, nb| Cell::Labels(r.topics.iter().map(|t| format!("topic-{}", t.code())).collect()),
        "history-field-outcome" => |r, nb| label("outcome", r.outcome.code()),
        "history-field-notes" => |r, nb| Cell::Text(r.notes.clone()),
        "history-field-mentor" => |r, nb| title::<Mentor>(nb, Some(r.mentor)),
    }
    Referral {
        "history-field-date" => |r, nb| Cell::Date(r.date.clone()),
        "history-field-contact" => |r, nb| contact(nb, Some(r.contact)),
        "history-field-institution" => |r, nb| title::<Institution>(nb, Some(r.institution)),
        "history-field-reason" => |r, nb| Cell::Text(r.reason.clone()),
        "history-field-status" => |r, nb| label("referral-status", r.status.code()),
        "history-field-follow-up-on" => |r, nb| Cell::Date(r.follow_up_on.clone().unwrap_or_default()),
        "history-field-consultation" => |r, nb| title::<Consultation>(nb, r.consultation),
        "history-field-mentor" => |r, nb| title::<Mentor>(nb, Some(r.mentor)),
    }
    FollowUp {
        "history-field-due-on" => |r, nb| Cell::Date(r.due_on.clone()),
        "history-field-note" => |r, nb| Cell::Text(r.note.clone()),
        "history-field-contact" => |r, nb| contact(nb, r.contact),
        "history-field-done" => |r, nb| Cell::Labels(if r.done { vec!["follow-up-done".into()] } else { vec![] }),
        "history-field-mentor" => |r, nb| title::<Mentor>(nb, Some(r.mentor)),
    }
    Community {
        "history-field-name" => |r, nb| Cell::Text(r.name.clone()),
        "history-field-languages" => |r, nb| joined(&r.languages),
    }
    Mentor {
        "history-field-name" => |r, nb| Cell::Text(r.name.clone()),
        "history-field-role" => |r, nb| label("role", r.role.code()),
        "history-field-community" => |r, nb| title::<Community>(nb, r.community),
        "history-field-languages" => |r, nb| joined(&r.languages),
        "history-field-devices" => |r, nb| Cell::Number(r.devices.len() as i64),
        "history-field-active" => |r, nb| Cell::Labels(if r.active { vec!["history-field-active".into()] } else { vec![] }),
    }
    PartnerOrganisation {
        "history-field-name" => |r, nb| Cell::Text(r.name.clone()),
        "history-field-community" => |r, nb| title::<Community>(nb, r.community),
        "history-field-contact-person" => |r, nb| Cell::Text(r.contact_person.clone()),
        "history-field-phone" => |r, nb| Cell::Text(r.phone.clone()),
        "history-field-notes" => |r, nb| Cell::Text(r.notes.clone()),
    }
    Institution {
        "history-field-name" => |r, nb| Cell::Text(r.name.clone()),
        "history-field-kind" => |r, nb| label("institution-kind", r.kind.code()),
        "history-field-address" => |r, nb| Cell::Text(r.address.clone()),
        "history-field-phone" => |r, nb| Cell::Text(r.phone.clone()),
        "history-field-notes" => |r, nb| Cell::Text(r.notes.clone()),
    }
    Event {
        "history-field-date" => |r, nb| Cell::Date(r.date.clone()),
        "event-form-time" => |r, nb| Cell::Text(r.time.clone()),
        "history-field-kind" => |r, nb| label("event-kind", r.kind.code()),
        "history-field-title" => |r, nb| Cell::Text(r.title.clone()),
        "event-form-place" => |r, nb| Cell::Text(r.place.clone()),
        "history-field-community" => |r, nb| title::<Community>(nb, r.community),
        "history-field-partner" => |r, nb| title::<PartnerOrganisation>(nb, r.partner),
        "history-field-school" => |r, nb| Cell::Text(r.school.clone()),
        "history-field-company" => |r, nb| title::<Company>(nb, r.company),
        "event-form-tally-parent" => |r, nb| Cell::Number(r.attendance.parent.value()),
        "event-form-tally-youth" => |r, nb| Cell::Number(r.attendance.youth.value()),
        "event-form-tally-self-employed" => |r, nb| Cell::Number(r.attendance.self_employed.value()),
        "history-field-notes" => |r, nb| Cell::Text(r.notes.clone()),
    }
    Company {
        "history-field-name" => |r, nb| Cell::Text(r.name.clone()),
        "history-field-trade" => |r, nb| Cell::Text(r.trade.clone()),
        "history-field-chamber" => |r, nb| label("chamber", r.chamber.code()),
        "history-field-licence" => |r, nb| label("licence", r.licence.code()),
        "history-field-contact-person" => |r, nb| Cell::Text(r.contact_person.clone()),
        "history-field-phone" => |r, nb| Cell::Text(r.phone.clone()),
        "history-field-community" => |r, nb| title::<Community>(nb, r.community),
        "history-field-member-since" => |r, nb| Cell::Date(r.member_since.clone()),
        "history-field-notes" => |r, nb| Cell::Text(r.notes.clone()),
    }
    TrainingPlace {
        "history-field-company" => |r, nb| title::<Company>(nb, Some(r.company)),
        "history-field-occupation" => |r, nb| Cell::Text(r.occupation.clone()),
        "history-field-start-on" => |r, nb| Cell::Date(r.start_on.clone()),
        "history-field-status" => |r, nb| label("place-status", r.status.code()),
        "history-field-filled-by" => |r, nb| contact(nb, r.filled_by),
        "history-field-acquired-on" => |r, nb| Cell::Date(r.acquired_on.clone()),
    }
    Measure {
        "history-field-field" => |r, nb| label("action-field", r.field.code()),
        "history-field-title" => |r, nb| Cell::Text(r.title.clone()),
        "history-field-owner" => |r, nb| Cell::Text(r.owner.clone()),
        "history-field-target" => |r, nb| Cell::Number(r.target.into()),
        "history-field-year" => |r, nb| Cell::Number(r.year.into()),
        "history-field-metric" => |r, nb| label("metric", r.metric.code()),
        "history-field-event-kind" => |r, nb| Cell::Labels(r.event_kind.map(|k| format!("event-kind-{}", k.code())).into_iter().collect()),
    }
    Export {
        "history-field-title" => |r, nb| Cell::Text(r.title(nb)),
        "history-field-date" => |r, nb| Cell::Date(r.as_of.clone()),
        "history-field-mentor" => |r, nb| title::<Mentor>(nb, Some(r.created_by)),
    }
}

macro_rules! heads {
    (network: $($nk:ident = $nty:ident { $($n:tt)* }),+ ; community: $($ck:ident = $cty:ident { $($c:tt)* }),+ $(,)?) => {
        /// The label keys of a kind's headers (the app checks that each
        /// is in every language).
        pub fn heads(kind: crate::kind::Kind) -> Vec<&'static str> {
            match kind {
                $(crate::kind::Kind::$nk => <$nty>::columns().iter().map(|c| c.head).collect(),)+
                $(crate::kind::Kind::$ck => <$cty>::columns().iter().map(|c| c.head).collect(),)+
            }
        }
    };
}

crate::kind::with_kinds!(heads);
