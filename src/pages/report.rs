//! The funders' report (issue 14): a coordinator picks a period (one of the
//! last five quarters, or any range of days) and sees its figures, computed
//! on this device from the notebook by `lotse_model::report`: the headline
//! numbers, two bar charts (inline SVG, no chart crate), and every table of
//! the report as the exports have it, each downloadable as CSV (UTF-8 with
//! a BOM) and as XLSX; the whole report as one CSV or one workbook (an
//! overview with the period's dates and the headline, then each table).
//!
//! The tables on screen, the CSV and the XLSX are the same typed sheets
//! (`Report::sheets`): what a coordinator sees is exactly what a download
//! holds, headers in their language. The XLSX is written by the XLSX
//! worker (`crate::xlsx`), started on the click: the page sends the sheets
//! and saves the bytes it gets back, so neither its binary nor the engine's
//! carries the writer.
//!
//! Every download is recorded once it went through, pinned to the data it
//! was counted from; the period's earlier exports are listed and compared
//! with today's data (`components/pinned.rs`).

use leptos::prelude::*;
use lotse_model::device_status::{Completeness, Seen, Since};
use lotse_model::report::{Bound, Period, PeriodError, Report};
use lotse_model::sheet::{Sheet, Value, Workbook};
use lotse_model::TargetGroup;
use wasm_bindgen::JsValue;

use crate::components::pinned::{self, PinnedExports};
use crate::hooks::files;
use crate::hooks::notebook::{today, use_notebook, utc_offset_min};
use crate::hooks::{use_engine, Span};
use crate::i18n::{format_date, format_date_time, use_i18n, I18n, Lang};

/// The value of the period picker's "from … to" choice.
const RANGE: &str = "range";

/// How many quarters the picker offers: the current and the four before.
const QUARTERS: usize = 5;

/// The current quarter and the four before it, newest first.
pub fn quarters(today: &str) -> Vec<Period> {
    let mut out: Vec<Period> = Vec::with_capacity(QUARTERS);
    let mut next = Period::quarter_of(today).ok();
    while let Some(q) = next.take() {
        next = (out.len() + 1 < QUARTERS).then(|| q.previous_quarter().ok()).flatten();
        out.push(q);
    }
    out
}

/// A period as a person reads it: "Q3 2026", or "1 July 2026 – 15 August 2026".
pub(crate) fn period_text(i: I18n, p: &Period) -> String {
    match p.as_quarter() {
        Some((year, q)) => i.t_args("report-quarter", &[("year", year.to_string().into()), ("quarter", q.into())]),
        None => {
            let lang = i.lang.get();
            i.t_args(
                "report-range",
                &[("from", date_text(lang, p.from()).into()), ("to", date_text(lang, p.to()).into())],
            )
        }
    }
}

fn date_text(lang: Lang, ymd: &str) -> String {
    format_date(lang, ymd).unwrap_or_else(|| ymd.to_owned())
}

/// What is wrong with a typed range, in words.
pub(crate) fn period_error(i: I18n, e: &PeriodError) -> String {
    let lang = i.lang.get();
    match e {
        PeriodError::BadDate { which: Bound::Start, .. } => i.t("report-bad-from"),
        PeriodError::BadDate { which: Bound::End, .. } => i.t("report-bad-to"),
        PeriodError::EndsBeforeStart { from, to } => i.t_args(
            "report-ends-before-start",
            &[("from", date_text(lang, from).into()), ("to", date_text(lang, to).into())],
        ),
        PeriodError::BadYear(year) => i.t_args("report-bad-year", &[("year", year.to_string().into())]),
        PeriodError::NoSuchQuarter(_) | PeriodError::Unreadable(_) => i.t("report-bad-period"),
    }
}

/// Numbers as the language groups them (`Intl.NumberFormat`), Latin digits.
fn number_format(lang: Lang) -> impl Fn(u64) -> String {
    let locales = js_sys::Array::of1(&JsValue::from_str(lang.intl_locale()));
    let format = js_sys::Intl::NumberFormat::new(&locales, &js_sys::Object::new()).format();
    move |n| {
        format
            .call1(&JsValue::UNDEFINED, &JsValue::from_f64(n as f64))
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_else(|| n.to_string())
    }
}

pub use crate::hooks::files::FileKind;

/// `lotse-2026-Q3-consultations.csv`; a range as `2026-07-01_2026-08-15`.
pub fn file_name(period: &Period, table: &str, kind: FileKind) -> String {
    format!("lotse-{}-{table}.{}", period.to_string().replace("..", "_"), kind.extension())
}

/// "12 of 14 active devices synced after the end of the period", and when
/// each of the others last did.
fn completeness_note(i: I18n, note: Option<Completeness>) -> impl IntoView {
    let Some(c) = note else {
        return view! { <p id="report-completeness" class="hint report-completeness">{move || i.t("report-complete-unknown")}</p> }
            .into_any();
    };
    let key = match c.since {
        Since::PeriodEnd => "report-complete-after-end",
        Since::Today => "report-complete-today",
    };
    let (synced, active) = (c.synced, c.active);
    let head = move || i.t_args(key, &[("synced", synced.into()), ("active", active.into())]);
    let late = c
        .late
        .into_iter()
        .map(|l| {
            let who = l.who.clone();
            let short = l.device[..8].to_owned();
            let text = move || {
                let who = who.clone().unwrap_or_else(|| i.t_args("devices-device", &[("key", short.clone().into())]));
                match l.last {
                    Some(at) => i.t_args(
                        "report-late-device",
                        &[("who", who.into()), ("time", format_date_time(i.lang.get(), at as f64).into())],
                    ),
                    None => i.t_args("report-late-never", &[("who", who.into())]),
                }
            };
            view! { <li class="late-device" data-device=l.device.clone()>{text}</li> }
        })
        .collect_view();
    view! {
        <div id="report-completeness" class="report-completeness" data-synced=synced data-active=active>
            <p>{head}</p>
            <ul class="late-devices">{late}</ul>
        </div>
    }
    .into_any()
}

#[component]
pub fn ReportPage() -> impl IntoView {
    let i = use_i18n();
    let nb = use_notebook();
    let today = today();
    let quarters = StoredValue::new(quarters(&today));
    let first = quarters.with_value(|q| q.first().cloned());
    let Some(first) = first else {
        return view! { <p class="banner-error" role="alert">{move || i.t("report-bad-period")}</p> }.into_any();
    };
    // The last completed quarter is what a report is usually for, but the
    // current one is where the figures grow: start with the current.
    let choice = RwSignal::new(first.to_string());
    let from = RwSignal::new(first.from().to_owned());
    let to = RwSignal::new(first.to().to_owned());
    let wanted = Memo::new(move |_| {
        let c = choice.get();
        if c == RANGE {
            Period::range(&from.get(), &to.get())
        } else {
            c.parse::<Period>()
        }
    });
    // A bad range keeps the last good report on screen.
    let shown = Memo::new(move |last: Option<&Period>| match wanted.get() {
        Ok(p) => p,
        Err(_) => last.cloned().unwrap_or_else(|| first.clone()),
    });
    // Which active devices synced after the period: from the membership
    // and the devices' own statuses the engine read (none before it has).
    let access = use_engine().map(|e| e.access);
    let note_day = today.clone();
    let note = Memo::new(move |_| {
        let access = access?;
        let period = shown.get();
        access.with(|a| {
            if a.devices.is_empty() {
                return None;
            }
            let seen: Vec<Seen<'_>> = a
                .devices
                .iter()
                .map(|d| Seen { key: &d.key, retired: d.retired, status: d.status.as_ref(), invite: d.invite.as_ref() })
                .collect();
            nb.with(|n| Completeness::compute(n, &seen, &period, &note_day, utc_offset_min()))
        })
    });
    let as_of_day = today.clone();
    let report = Memo::new(move |_| {
        nb.complete().then(|| {
            let span = Span::start("lotse-report-compute");
            let r = nb.with(|n| Report::compute(n, &shown.get(), &as_of_day));
            span.end();
            r.with_completeness(note.get())
        })
    });
    let failed = RwSignal::new(false);

    let tables = Memo::new(move |_| {
        let lang = i.lang.get();
        report
            .with(|r| r.as_ref().map(|r| r.sheets(&|key| crate::i18n::translate(lang, key, None))).unwrap_or_default())
    });
    // An XLSX is being written by the engine: its button waits.
    let making = RwSignal::new(None::<Option<String>>);
    let save = move |table: Option<String>, kind: FileKind| {
        let period = shown.get_untracked();
        let lang = i.lang.get_untracked();
        let name = file_name(&period, table.as_deref().unwrap_or("report"), kind);
        let sheets: Vec<Sheet> = tables.with_untracked(|all| match &table {
            Some(t) => all.iter().filter(|s| s.name == *t).cloned().collect(),
            None => all.clone(),
        });
        // One table alone, or the whole report: the overview, then every table.
        let book = match &table {
            Some(_) => Workbook { sheets, rtl: lang.is_rtl() },
            None => {
                let labels = |key: &str| crate::i18n::translate(lang, key, None);
                let whole = report.with_untracked(|r| r.as_ref().map(|r| r.workbook(&labels, lang.is_rtl())));
                let Some(whole) = whole else { return };
                whole
            }
        };
        if kind == FileKind::Xlsx {
            making.set(Some(table.clone()));
        }
        leptos::task::spawn_local(async move {
            let saved = files::save_book(&name, &book, kind).await;
            if kind == FileKind::Xlsx {
                making.set(None);
            }
            if let Err(e) = &saved {
                web_sys::console::warn_2(&"the report's download".into(), e);
            }
            failed.set(saved.is_err());
            if let Some(r) = report.get_untracked().filter(|_| saved.is_ok()) {
                pinned::record(r, table, kind == FileKind::Xlsx);
            }
        });
    };

    let picker = move || {
        quarters
            .get_value()
            .into_iter()
            .map(|q| {
                let value = q.to_string();
                let v = value.clone();
                view! {
                    <option dir="auto" value=value selected=move || choice.with(|c| *c == v)>{move || period_text(i, &q)}</option>
                }
            })
            .collect_view()
    };
    let range_error = move || match (choice.with(|c| c == RANGE), wanted.get()) {
        (true, Err(e)) => Some(period_error(i, &e)),
        _ => None,
    };

    view! {
        <section class="page report-page">
            <h2 class="page-title">{move || i.t("report-title")}</h2>
            <p class="report-period" id="report-period">{move || period_text(i, &shown.get())}</p>
            <p class="hint report-as-of" id="report-as-of">
                {move || {
                    let as_of = report.with(|r| r.as_ref().map(|r| r.as_of.clone())).unwrap_or_else(|| today.clone());
                    i.t_args("report-as-of", &[("date", date_text(i.lang.get(), &as_of).into())])
                }}
            </p>
            {move || completeness_note(i, note.get())}
            <div class="report-controls">
                <div class="field filter">
                    <label for="report-period-choice">{move || i.t("report-period-label")}</label>
                    <select id="report-period-choice" on:change=move |ev| choice.set(event_target_value(&ev))>
                        {picker}
                        <option dir="auto" value=RANGE selected=move || choice.with(|c| c == RANGE)>{move || i.t("report-period-range")}</option>
                    </select>
                </div>
                <Show when=move || choice.with(|c| c == RANGE)>
                    <div class="report-range">
                        <div class="field">
                            <label for="report-from">{move || i.t("report-from")}</label>
                            <input type="date" id="report-from" prop:value=move || from.get()
                                aria-invalid=move || range_error().is_some().then_some("true")
                                aria-describedby="report-range-error"
                                on:change=move |ev| from.set(event_target_value(&ev))/>
                        </div>
                        <div class="field">
                            <label for="report-to">{move || i.t("report-to")}</label>
                            <input type="date" id="report-to" prop:value=move || to.get()
                                aria-invalid=move || range_error().is_some().then_some("true")
                                aria-describedby="report-range-error"
                                on:change=move |ev| to.set(event_target_value(&ev))/>
                        </div>
                    </div>
                    <p class="field-error" id="report-range-error" role="alert">{range_error}</p>
                </Show>
                <div class="actions report-download">
                    <button type="button" class="button primary" id="report-download-all"
                        disabled=move || report.with(Option::is_none)
                        on:click=move |_| save(None, FileKind::Csv)>
                        {move || i.t("report-download-all")}
                    </button>
                    <button type="button" class="button primary" id="report-download-all-xlsx"
                        disabled=move || report.with(Option::is_none) || making.with(|m| m == &Some(None))
                        on:click=move |_| save(None, FileKind::Xlsx)>
                        {move || i.t("report-download-all-xlsx")}
                    </button>
                </div>
                <Show when=move || failed.get()>
                    <p class="banner-error" role="alert" id="report-download-failed">{move || i.t("report-download-failed")}</p>
                </Show>
            </div>
            <Show when=move || nb.complete() fallback=|| view! { <p class="loading" id="report-loading">"…"</p> }>
                <PinnedExports period=shown/>
                {move || report.get().map(|r| figures_view(i, &r))}
                {move || report.get().map(|r| charts_view(i, &r))}
                <div class="report-tables">
                    {move || {
                        let fmt = number_format(i.lang.get());
                        tables.get().into_iter().map(|sheet| table_view(i, &fmt, sheet, save, making)).collect_view()
                    }}
                </div>
            </Show>
        </section>
    }
    .into_any()
}

/// The headline: one big number per figure.
fn figures_view(i: I18n, r: &Report) -> impl IntoView {
    let h = r.headline();
    let fmt = number_format(i.lang.get());
    let figures = [
        ("first-consultations", h.first_consultations),
        ("consultations", h.consultations),
        ("referrals", h.referrals),
        ("events", h.events),
        ("attendance", h.attendance),
        ("companies-joined", h.companies_joined),
        ("places-acquired", h.places_acquired),
        ("places-filled", h.places_filled),
        ("active-mentors", h.active_mentors),
        ("placed", h.placed),
    ];
    let median = h.median_days_to_placement;
    view! {
        <dl class="report-figures" id="report-figures">
            {figures.into_iter().map(|(name, n)| {
                let key = format!("report-fig-{name}");
                let note = (name == "placed").then(|| {
                    let text = match median {
                        Some(days) => i.t_count("report-fig-median-days", days as usize),
                        None => i.t("report-fig-median-none"),
                    };
                    view! { <dd class="report-figure-note" id="report-fig-median">{text}</dd> }
                });
                view! {
                    <div class="report-figure">
                        <dt>{i.t(&key)}</dt>
                        <dd class="report-figure-number" id=format!("report-fig-{name}") data-value=n>{fmt(n.into())}</dd>
                        {note}
                    </div>
                }
            }).collect_view()}
        </dl>
    }
}

/// The two charts, each next to the table it draws.
fn charts_view(i: I18n, r: &Report) -> impl IntoView {
    let no_community = i.t("report-row-no-community");
    let by_community: Vec<(String, u32)> = r
        .consultations
        .rows
        .iter()
        .map(|(c, g)| {
            let name = c.and_then(|c| r.communities.get(&c).filter(|n| !n.is_empty()).cloned());
            let name = match (c, name) {
                (_, Some(name)) => name,
                (Some(c), None) => c.to_string(),
                (None, None) => no_community.clone(),
            };
            (name, lotse_model::report::Total::total(g))
        })
        .collect();
    let heads = r.events.of_kind(None).attendance;
    let by_group: Vec<(String, u32)> =
        TargetGroup::ALL.iter().map(|g| (i.t(&format!("group-{}", g.code())), heads.get(*g))).collect();
    let rtl = i.lang.get().is_rtl();
    let fmt = number_format(i.lang.get());
    view! {
        <div class="report-charts">
            {bar_chart("report-chart-consultations", i.t("report-chart-consultations"), by_community, rtl, &fmt)}
            {bar_chart("report-chart-attendance", i.t("report-chart-attendance"), by_group, rtl, &fmt)}
        </div>
    }
}

/// Width of a chart's drawing, in its own units (it scales to its box).
const CHART_WIDTH: u32 = 400;
/// Height of one bar's row: its label above, the bar below.
const ROW_HEIGHT: u32 = 44;
/// Room kept after the longest bar for its number.
const VALUE_ROOM: u32 = 56;

/// A horizontal bar chart: a label over each bar, the number after it;
/// mirrored right to left.
fn bar_chart(
    id: &'static str,
    title: String,
    bars: Vec<(String, u32)>,
    rtl: bool,
    fmt: &dyn Fn(u64) -> String,
) -> impl IntoView {
    let max = bars.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let height = (bars.len() as u32).max(1) * ROW_HEIGHT;
    let view_box = format!("0 0 {CHART_WIDTH} {height}");
    let title_id = format!("{id}-title");
    let described = title_id.clone();
    let room = CHART_WIDTH - VALUE_ROOM;
    // Text starts at `x` in the chart's direction: right to left, a text's
    // start is its right edge, so only the positions mirror.
    let (start, dir) = if rtl { (CHART_WIDTH, "rtl") } else { (0, "ltr") };
    let rows = bars
        .into_iter()
        .enumerate()
        .map(|(n, (label, value))| {
            let y = n as u32 * ROW_HEIGHT;
            let width = ((u64::from(value) * u64::from(room)) / u64::from(max)) as u32;
            let width = if value > 0 { width.max(2) } else { 0 };
            let bar_x = if rtl { CHART_WIDTH - width } else { 0 };
            let value_x = if rtl { CHART_WIDTH - width - 6 } else { width + 6 };
            let label = shorten(&label, 44);
            view! {
                <g class="report-bar">
                    <text x=start y={y + 15} text-anchor="start" class="report-bar-label">{label}</text>
                    <rect x=bar_x y={y + 21} width=width height=16 rx=2 class="report-bar-rect"></rect>
                    <text x=value_x y={y + 34} text-anchor="start" class="report-bar-value">{fmt(value.into())}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="report-chart" id=id>
            <figcaption>{title.clone()}</figcaption>
            <svg viewBox=view_box width="100%" role="img"
                aria-labelledby=described direction=dir
                preserveAspectRatio="xMinYMin meet">
                <title id=title_id.clone()>{title.clone()}</title>
                {rows}
            </svg>
        </figure>
    }
}

/// At most `max` characters, with an ellipsis if cut (SVG text does not wrap).
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut out: String = text.chars().take(max - 1).collect();
        out.push('…');
        out
    }
}

/// One table of the report: its title, its downloads, and its sheet as an
/// accessible table (column headers, the first cell of a row as its header).
fn table_view(
    i: I18n,
    fmt: &dyn Fn(u64) -> String,
    sheet: Sheet,
    save: impl Fn(Option<String>, FileKind) + Copy + 'static,
    making: RwSignal<Option<Option<String>>>,
) -> impl IntoView {
    let Sheet { name, title, head, rows } = sheet;
    let title_id = format!("report-table-{name}-title");
    let (labelled, region_labelled) = (title_id.clone(), title_id.clone());
    let total_row = rows.len().saturating_sub(1);
    let total = i.t("report-row-total");
    let has_total = rows.last().is_some_and(|r| matches!(r.first(), Some(Value::Text(t)) if *t == total));
    // A year is written as a year ("2026"), not grouped as a count ("2.026").
    let year_column = head.iter().position(|h| *h == i.t("report-col-year"));
    let text = |cell: &Value| match cell {
        Value::Text(t) | Value::Date(t) => t.clone(),
        Value::Number(n) => n.to_string(),
        Value::Empty => String::new(),
    };
    let cell = |column: usize, value: &Value| match value {
        Value::Number(n) => {
            let shown = if Some(column) == year_column { n.to_string() } else { fmt((*n).max(0) as u64) };
            view! { <td class="num" data-value=*n>{shown}</td> }.into_any()
        }
        other => view! { <td><bdi>{text(other)}</bdi></td> }.into_any(),
    };
    let body_view = rows
        .iter()
        .enumerate()
        .map(|(n, row)| {
            let class = (has_total && n == total_row).then_some("report-total");
            let mut cells = row.iter();
            let first = cells.next().map(text).unwrap_or_default();
            let rest = cells.enumerate().map(|(k, c)| cell(k + 1, c)).collect_view();
            view! { <tr class=class><th scope="row"><bdi>{first}</bdi></th>{rest}</tr> }
        })
        .collect_view();
    let (csv_file, xlsx_file, busy) = (name.clone(), name.clone(), name.clone());
    view! {
        <section class="report-table" id=format!("report-table-{name}") data-table=name.clone()>
            <div class="report-table-head">
                <h3 id=title_id>{title}</h3>
                <div class="report-table-downloads">
                    <button type="button" class="button report-csv" id=format!("report-csv-{name}")
                        on:click=move |_| save(Some(csv_file.clone()), FileKind::Csv)>
                        {move || i.t("report-download-csv")}
                    </button>
                    <button type="button" class="button report-xlsx" id=format!("report-xlsx-{name}")
                        disabled=move || making.with(|m| m.as_ref().is_some_and(|t| t.as_deref() == Some(busy.as_str())))
                        on:click=move |_| save(Some(xlsx_file.clone()), FileKind::Xlsx)>
                        {move || i.t("report-download-xlsx")}
                    </button>
                </div>
            </div>
            <div class="table-scroll" role="region" aria-labelledby=region_labelled tabindex="0">
                <table aria-labelledby=labelled>
                    <thead>
                        <tr>{head.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}</tr>
                    </thead>
                    <tbody>{body_view}</tbody>
                </table>
            </div>
        </section>
    }
}
