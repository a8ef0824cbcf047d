//! The earlier exports of a report's period (issue 14, "trust it"): each
//! download from the report page is recorded in the network document
//! ([`record`]) with the heads of the documents the figures came from, and
//! listed here for the period shown. Opening one asks the engine to count
//! the report again at those heads (`lotse_model::export`): it says whether
//! that gives the figures exported, which figures today's data for the same
//! days changes and by how much, and when the later changes were written.
//!
//! Its own section of the report page, so the page's other parts (the
//! completeness note, the devices' statuses) merge beside it.

use leptos::prelude::*;
use lotse_model::export::{self, Export, ExportDraft, ExportFormat, PinError, Pinned, WHOLE_REPORT};
use lotse_model::report::{FigureChange, Period, Report, RowKey};
use lotse_model::ExportId;

use crate::hooks::notebook::{record_export, use_notebook};
use crate::hooks::{use_engine, Span};
use crate::i18n::{format_date_time, translate, use_i18n, I18n};

/// Records that `report` was downloaded (`what`: a table's name, or `None`
/// for the whole report), after the download went through. A failure to
/// record is logged, never in the way of the file.
pub fn record(report: Report, what: Option<String>, xlsx: bool) {
    let what = what.unwrap_or_else(|| WHOLE_REPORT.to_owned());
    let format = if xlsx { ExportFormat::Xlsx } else { ExportFormat::Csv };
    leptos::task::spawn_local(async move {
        let draft = |docs| ExportDraft::of(&report, &what, format, docs);
        if let Err(e) = record_export(draft).await {
            web_sys::console::warn_1(&format!("the export was not recorded: {e}").into());
        }
    });
}

/// What opening an export found.
#[derive(Clone)]
enum Opened {
    Counting,
    Counted(Box<Pinned>),
    Failed(PinError),
    /// The engine stopped before it answered.
    Stopped,
}

#[component]
pub fn PinnedExports(#[prop(into)] period: Signal<Period>) -> impl IntoView {
    let i = use_i18n();
    let nb = use_notebook();
    let list = Memo::new(move |_| {
        let p = period.get();
        nb.with(|n| export::of_period(n, &p).into_iter().cloned().collect::<Vec<Export>>())
    });
    let open = RwSignal::new(None::<ExportId>);
    let opened = RwSignal::new(None::<Opened>);
    // Another period closes what was open.
    Effect::new(move |_| {
        period.track();
        open.set(None);
        opened.set(None);
    });
    let show = move |e: Export| {
        if open.get_untracked() == Some(e.id) {
            open.set(None);
            return;
        }
        open.set(Some(e.id));
        opened.set(Some(Opened::Counting));
        let Some(link) = use_engine() else { return opened.set(Some(Opened::Stopped)) };
        let id = e.id;
        leptos::task::spawn_local(async move {
            // The round trip: the engine forks the documents at the heads and counts.
            let span = Span::start("lotse-pinned-recount");
            let answer = link.pinned(e).await;
            span.end();
            let result = match answer {
                Some(Ok(p)) => Opened::Counted(Box::new(p)),
                Some(Err(e)) => Opened::Failed(e),
                None => Opened::Stopped,
            };
            if open.get_untracked() == Some(id) {
                opened.set(Some(result));
            }
        });
    };

    view! {
        <section class="report-exports" id="report-exports" aria-labelledby="report-exports-title">
            <h3 id="report-exports-title">{move || i.t("pinned-title")}</h3>
            <Show when=move || list.with(|l| !l.is_empty())
                fallback=move || view! { <p class="hint" id="report-exports-none">{move || i.t("pinned-none")}</p> }>
                <ul class="report-export-list">
                    {move || list.get().into_iter().map(|e| {
                        let id = e.id;
                        let label = export_label(i, &e);
                        view! {
                            <li>
                                <button type="button" class="button report-export-open"
                                    id=format!("report-export-{id}")
                                    aria-expanded=move || if open.get() == Some(id) { "true" } else { "false" }
                                    on:click=move |_| show(e.clone())>
                                    {label}
                                </button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </Show>
            {move || {
                let id = open.get()?;
                let e = list.with(|l| l.iter().find(|e| e.id == id).cloned())?;
                Some(view! { <div class="report-pinned" id="report-pinned" role="status">{move || opened_view(i, &e, opened.get())}</div> })
            }}
        </section>
    }
}

/// "12.10.2026, 14:05 · Whole report · XLSX · Selin"
fn export_label(i: I18n, e: &Export) -> String {
    let lang = i.lang.get();
    let what = if e.what == WHOLE_REPORT { i.t("pinned-whole") } else { i.t(&format!("report-table-{}", e.what)) };
    let who = use_notebook().with_untracked(|n| n.mentor(e.created_by).map(|m| m.name.clone())).unwrap_or_default();
    let format = i.t(&format!("pinned-format-{}", e.format.code()));
    let mut parts = vec![format_date_time(lang, e.created_at as f64), what, format];
    if !who.is_empty() {
        parts.push(who);
    }
    parts.join(" · ")
}

fn opened_view(i: I18n, e: &Export, opened: Option<Opened>) -> AnyView {
    match opened {
        None | Some(Opened::Counting) => view! { <p class="loading" id="report-pinned-counting">{i.t("pinned-counting")}</p> }.into_any(),
        Some(Opened::Stopped) => view! { <p class="banner-error" id="report-pinned-failed">{i.t("pinned-stopped")}</p> }.into_any(),
        Some(Opened::Failed(PinError::Missing(_))) => {
            view! { <p class="banner-warning" id="report-pinned-failed">{i.t("pinned-missing")}</p> }.into_any()
        }
        Some(Opened::Failed(err)) => {
            view! { <p class="banner-error" id="report-pinned-failed" data-reason=err.to_string()>{i.t("pinned-unreadable")}</p> }.into_any()
        }
        Some(Opened::Counted(p)) => counted_view(i, e, *p).into_any(),
    }
}

fn counted_view(i: I18n, e: &Export, pinned: Pinned) -> impl IntoView {
    let nb = use_notebook();
    let lang = i.lang.get();
    let labels = move |key: &str| translate(lang, key, None);
    // Today's data for the same days as the export counted (its last day
    // counted, not today): what differs is what arrived late, not the days
    // gone by since.
    let now = e.period.parse::<Period>().ok().map(|p| nb.with_untracked(|n| Report::compute(n, &p, &e.as_of)));
    let changes: Vec<FigureChange> = now.as_ref().map(|now| now.diff(&pinned.report)).unwrap_or_default();
    let same = if pinned.same {
        view! { <p class="report-pinned-same" id="report-pinned-same">{i.t("pinned-same")}</p> }.into_any()
    } else {
        view! { <p class="banner-warning" id="report-pinned-not-same">{i.t("pinned-not-same")}</p> }.into_any()
    };
    let later = pinned.later.clone();
    let arrived = (later.changes > 0).then(|| {
        let first = later.first_ms.map(|t| format_date_time(lang, t as f64)).unwrap_or_default();
        let last = later.last_ms.map(|t| format_date_time(lang, t as f64)).unwrap_or_default();
        let text = i
            .t_args("pinned-later", &[("count", later.changes.into()), ("first", first.into()), ("last", last.into())]);
        view! { <p class="hint" id="report-pinned-later">{text}</p> }
    });
    let diff = if changes.is_empty() {
        view! { <p id="report-pinned-unchanged">{i.t("pinned-unchanged")}</p> }.into_any()
    } else {
        let named = now.unwrap_or_else(|| pinned.report.clone());
        let rows = changes
            .iter()
            .map(|c| {
                let table = labels(&format!("report-table-{}", c.table));
                let row = named.row_name(&c.row, &labels);
                let column = labels(c.column);
                let name = [table, row, column].join(" · ");
                let (before, after) = (c.before.unwrap_or(0), c.after.unwrap_or(0));
                let delta = i64::from(after) - i64::from(before);
                // Isolated left to right, so Arabic shows "+1", not "1+".
                let delta_text =
                    if delta > 0 { format!("\u{2066}+{delta}\u{2069}") } else { format!("\u{2066}{delta}\u{2069}") };
                view! {
                    <tr data-table=c.table data-column=c.column data-before=before data-after=after
                        data-total=(c.row == RowKey::Total).then_some("true")>
                        <th scope="row"><bdi>{name}</bdi></th>
                        <td class="num">{before}</td>
                        <td class="num">{after}</td>
                        <td class="num report-pinned-delta">{delta_text}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <p id="report-pinned-changed">{i.t_count("pinned-changed", changes.len())}</p>
            <div class="table-scroll" role="region" aria-labelledby="report-pinned-changed" tabindex="0">
                <table id="report-pinned-diff">
                    <thead>
                        <tr>
                            <th scope="col">{i.t("pinned-col-figure")}</th>
                            <th scope="col">{i.t("pinned-col-exported")}</th>
                            <th scope="col">{i.t("pinned-col-now")}</th>
                            <th scope="col">{i.t("pinned-col-change")}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! { {same} {diff} {arrived} }
}
