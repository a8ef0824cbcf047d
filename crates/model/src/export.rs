//! A report as a coordinator exported it, pinned to its data: the period,
//! what was downloaded (the whole report or one table, CSV or XLSX), the
//! heads of every document the report was computed from, the figures (every
//! number of every table, as one compact text), who and when. It lives in
//! the network document, so every coordinator's device sees it; it holds
//! counts only, never a name.
//!
//! [`recompute`] forks each document at its pinned heads and counts the
//! report again with [`Report::compute`]: the same heads and the same last
//! day counted give the same figures, whatever arrived since. What arrived
//! since is compared with [`Report::diff`] against the figures of today's
//! data for the same days, and dated by [`Later`].

use std::collections::HashMap;

use automerge::{AutoCommit, ChangeHash};
use autosurgeon::{Hydrate, Reconcile};

use crate::choice;
use crate::forms::Stamp;
use crate::ids::{CommunityId, ExportId, MentorId};
use crate::notebook::Notebook;
use crate::record::{self, DocError};
use crate::report::{Period, PeriodError, Report, FIGURES, TABLES};
use crate::validate::{is_valid_date, Field, FieldError, Problem};

/// The collection exports live in (network document).
pub const EXPORTS: &str = "exports";

/// What an export's `what` says for the whole report (else a table name of
/// [`TABLES`]).
pub const WHOLE_REPORT: &str = "report";

choice!(
    /// The file an export was written as.
    ExportFormat {
        Csv = "csv",
        Xlsx = "xlsx",
    }
);

/// The heads of one document a report was computed from.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct PinnedDoc {
    /// `None`: the network document.
    pub community: Option<CommunityId>,
    /// Change hashes, hex.
    pub heads: Vec<String>,
}

/// A report as it was exported (see the [module](self)).
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct Export {
    pub id: ExportId,
    /// The period, as [`Period`]'s text (`2026-Q3`, `2026-07-01..2026-08-15`).
    pub period: String,
    /// The last day counted ([`Report::as_of`]): the recomputation counts
    /// up to it, not up to the day it runs.
    pub as_of: String,
    /// [`WHOLE_REPORT`] or the name of the table downloaded.
    pub what: String,
    pub format: ExportFormat,
    pub docs: Vec<PinnedDoc>,
    /// The headline figures in [`FIGURES`]' order, see [`encode`].
    pub headline: String,
    /// Every number of every table ([`Report::numbers`]), see [`encode`].
    pub figures: String,
    pub created_by: MentorId,
    pub created_at: i64,
}

/// What an export is made of, as the report page has it. No form edits it:
/// the check is for bytes that came from elsewhere.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ExportDraft {
    pub period: String,
    pub as_of: String,
    pub what: String,
    pub format: String,
    pub docs: Vec<PinnedDoc>,
    pub headline: String,
    pub figures: String,
}

impl ExportDraft {
    /// The draft of `report` downloaded as `what` in `format`, computed from
    /// the documents at `docs`.
    pub fn of(report: &Report, what: &str, format: ExportFormat, docs: Vec<PinnedDoc>) -> ExportDraft {
        let headline = report.headline().counts();
        ExportDraft {
            period: report.period.to_string(),
            as_of: report.as_of.clone(),
            what: what.to_owned(),
            format: format.code().to_owned(),
            docs,
            headline: encode(&headline.map(Some)),
            figures: encode(&report.numbers()),
        }
    }

    pub fn from_record(r: &Export) -> Self {
        ExportDraft {
            period: r.period.clone(),
            as_of: r.as_of.clone(),
            what: r.what.clone(),
            format: r.format.code().to_owned(),
            docs: r.docs.clone(),
            headline: r.headline.clone(),
            figures: r.figures.clone(),
        }
    }

    /// Exports have no form of their own, so their fields borrow the
    /// nearest of the forms' names: the period and its last day are a
    /// `Date`, the format a `Kind`, what was downloaded a `Title`, the heads
    /// the `Subject`, the figures a `Tally`.
    pub fn validate(&self, id: ExportId, s: Stamp, existing: Option<&Export>) -> Result<Export, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut err = |field, problem| errors.push(FieldError { field, problem });
        if self.period.parse::<Period>().is_err() {
            err(Field::Date, Problem::BadDate);
        }
        if !is_valid_date(&self.as_of) {
            err(Field::Date, Problem::BadDate);
        }
        if self.what != WHOLE_REPORT && !TABLES.contains(&self.what.as_str()) {
            err(Field::Title, Problem::UnknownChoice);
        }
        let format = ExportFormat::from_code(&self.format);
        if format.is_none() {
            err(Field::Kind, Problem::UnknownChoice);
        }
        let heads_ok = !self.docs.is_empty()
            && self.docs.iter().all(|d| !d.heads.is_empty() && d.heads.iter().all(|h| parse_head(h).is_some()));
        if !heads_ok {
            err(Field::Subject, Problem::NotAnId);
        }
        if decode(&self.figures).is_none() || decode(&self.headline).is_none_or(|h| h.len() != FIGURES.len()) {
            err(Field::Tally, Problem::NotANumber);
        }
        match format {
            Some(format) if errors.is_empty() => Ok(Export {
                id,
                period: self.period.clone(),
                as_of: self.as_of.clone(),
                what: self.what.clone(),
                format,
                docs: self.docs.clone(),
                headline: self.headline.clone(),
                figures: self.figures.clone(),
                created_by: existing.map_or(s.me, |e| e.created_by),
                created_at: existing.map_or(s.now_ms, |e| e.created_at),
            }),
            _ => Err(errors),
        }
    }
}

impl Export {
    /// The headline figures as exported, in [`FIGURES`]' order.
    pub fn headline(&self) -> Vec<Option<u32>> {
        decode(&self.headline).unwrap_or_default()
    }
}

/// Numbers as one text: `3,0,,12` (an empty cell as nothing). One Automerge
/// value instead of a list of hundreds: an export is written once and read
/// whole, never edited in part.
pub fn encode(numbers: &[Option<u32>]) -> String {
    let parts: Vec<String> = numbers.iter().map(|n| n.map(|n| n.to_string()).unwrap_or_default()).collect();
    parts.join(",")
}

/// The numbers of [`encode`]; `None` if the text is not such a list.
pub fn decode(text: &str) -> Option<Vec<Option<u32>>> {
    if text.is_empty() {
        return Some(Vec::new());
    }
    text.split(',').map(|p| if p.is_empty() { Some(None) } else { p.parse().ok().map(Some) }).collect()
}

fn parse_head(hex: &str) -> Option<ChangeHash> {
    hex.parse().ok()
}

/// The heads of `doc`, as an export keeps them.
pub fn heads_hex(heads: &[ChangeHash]) -> Vec<String> {
    heads.iter().map(ChangeHash::to_string).collect()
}

/// Why a pinned report cannot be counted again on this device.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum PinError {
    #[error("the export's period is not readable: {0}")]
    Period(String),
    #[error("the export names a head that is not a change hash: {0:?}")]
    BadHead(String),
    /// The document is not on this device, or not yet as far as the export:
    /// it syncs later, then the report can be counted again.
    #[error("this device does not hold {0} as far as the export did yet")]
    Missing(String),
    #[error("the documents at the export's heads do not read: {0}")]
    Doc(String),
}

impl From<PeriodError> for PinError {
    fn from(e: PeriodError) -> Self {
        PinError::Period(e.to_string())
    }
}

/// What changed the documents after the export's heads: the changes that
/// write a record the report may count (not exports, not review marks).
///
/// Dated by the time each change was stamped on the device that made it:
/// Automerge keeps when a change was made, not when it reached this device.
/// For late offline data that is the telling date: a consultation written
/// offline on 3 October and synced after the export of 10 October says "3
/// October", and that it arrived after the export is what being listed
/// here means. We list every such change rather than only the first that
/// alters a figure: finding that one means counting the report again at
/// every change, and an edit that alters no figure is still worth knowing
/// of.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Later {
    pub changes: u32,
    /// Stamped times in milliseconds, earliest and latest.
    pub first_ms: Option<i64>,
    pub last_ms: Option<i64>,
}

/// A report counted again at its export's heads.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Pinned {
    pub report: Report,
    /// Its figures equal the figures the export recorded.
    pub same: bool,
    pub later: Later,
}

/// Counts `export`'s report again from the documents at its heads, and
/// lists what changed them since. `network` and `communities` are this
/// device's documents as they are now; each is forked, none is changed.
pub fn recompute(
    network: &mut AutoCommit,
    communities: &mut [(CommunityId, &mut AutoCommit)],
    export: &Export,
) -> Result<Pinned, PinError> {
    let mut later = Later::default();
    let mut forks = Vec::new();
    for pinned in &export.docs {
        let doc: &mut AutoCommit = match pinned.community {
            None => network,
            Some(c) => match communities.iter_mut().find(|(id, _)| *id == c) {
                Some((_, d)) => d,
                None => return Err(PinError::Missing(doc_name(pinned.community))),
            },
        };
        forks.push((pinned.community, at_heads(doc, pinned, &mut later)?));
    }
    count(forks, export, later)
}

fn doc_name(community: Option<CommunityId>) -> String {
    community.map_or_else(|| "the network document".to_owned(), |c| format!("community {c}"))
}

/// `doc` as it was at `pinned`'s heads (a fork; `doc` is not changed), and
/// what changed it since noted in `later`. An error if `doc` does not hold
/// those heads yet.
pub fn at_heads(doc: &mut AutoCommit, pinned: &PinnedDoc, later: &mut Later) -> Result<AutoCommit, PinError> {
    let heads: Vec<ChangeHash> = pinned
        .heads
        .iter()
        .map(|h| parse_head(h).ok_or_else(|| PinError::BadHead(h.clone())))
        .collect::<Result<_, _>>()?;
    if heads.iter().any(|h| doc.get_change_meta_by_hash(h).is_none()) {
        return Err(PinError::Missing(doc_name(pinned.community)));
    }
    note_later(doc, &heads, later);
    let mut now = doc.get_heads();
    let mut pinned_heads = heads.clone();
    now.sort();
    pinned_heads.sort();
    if now == pinned_heads {
        // Nothing came after: a plain fork copies the document, where
        // `fork_at` replays its whole history (5.6 s of 7 at bench size).
        return Ok(doc.fork());
    }
    doc.fork_at(&heads).map_err(|e| PinError::Doc(e.to_string()))
}

/// Counts `export`'s report from the documents at its heads
/// ([`at_heads`] of each of `export.docs`; `None`: the network's).
pub fn count(forks: Vec<(Option<CommunityId>, AutoCommit)>, export: &Export, later: Later) -> Result<Pinned, PinError> {
    let period: Period = export.period.parse()?;
    let mut at_heads: HashMap<Option<CommunityId>, AutoCommit> = forks.into_iter().collect();
    let network = at_heads.remove(&None).ok_or_else(|| PinError::Missing(doc_name(None)))?;
    let communities: Vec<(CommunityId, &AutoCommit)> = at_heads.iter().filter_map(|(c, d)| c.map(|c| (c, d))).collect();
    let nb = load_at(&network, &communities)?;
    let report = Report::compute(&nb, &period, &export.as_of);
    let same = encode(&report.numbers()) == export.figures;
    Ok(Pinned { report, same, later })
}

/// The notebook of documents at some heads. The heads of an export made
/// before a collection existed lack that collection: read as empty.
fn load_at(network: &AutoCommit, communities: &[(CommunityId, &AutoCommit)]) -> Result<Notebook, PinError> {
    match Notebook::load(network, communities) {
        Ok(nb) => Ok(nb),
        Err(DocError::NotALotseDoc(EXPORTS)) => {
            let mut nb = Notebook::default();
            let _ = nb.load_network(network);
            for (c, d) in communities {
                nb.load_community(*c, d).map_err(|e| PinError::Doc(e.to_string()))?;
            }
            Ok(nb)
        }
        Err(e) => Err(PinError::Doc(e.to_string())),
    }
}

fn note_later(doc: &mut AutoCommit, heads: &[ChangeHash], later: &mut Later) {
    for c in doc.get_changes_meta(heads) {
        let Some(message) = c.message.as_deref() else { continue };
        let Some((collection, _)) = message.split_once('/') else { continue };
        if collection == EXPORTS || crate::kind::Kind::from_collection(collection).is_none() {
            continue;
        }
        let ms = c.timestamp.saturating_mul(1000);
        later.changes = later.changes.saturating_add(1);
        later.first_ms = Some(later.first_ms.map_or(ms, |f| f.min(ms)));
        later.last_ms = Some(later.last_ms.map_or(ms, |l| l.max(ms)));
    }
}

/// Every export of `period`, newest first, as a list shows them.
pub fn of_period<'a>(nb: &'a Notebook, period: &Period) -> Vec<&'a Export> {
    let text = period.to_string();
    let mut list: Vec<&Export> = nb.exports().into_iter().filter(|e| e.period == text).collect();
    crate::order::sort_by(&mut list, |a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
    list
}

/// The actor of the change that makes the exports map: see
/// [`record::late_collection`].
pub(crate) const EXPORTS_ACTOR: [u8; 16] = *b"lotse-exports-01";

/// Adds the exports map to a network document that lacks it. (A document
/// it cannot be added to is no Lotse document; loading it says so.)
pub(crate) fn add_exports_map(doc: &mut AutoCommit) {
    let _ = record::late_collection(doc, EXPORTS, EXPORTS_ACTOR);
}
