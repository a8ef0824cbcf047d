//! The funders' report (issue 14): a coordinator picks a period (one of the
//! last five quarters, or any range of days) and sees its figures, computed
//! on this device from the notebook by `lotse_model::report`: the headline
//! numbers, two bar charts (inline SVG, no chart crate), and every table of
//! the report as the CSV export has it, each downloadable as CSV (UTF-8
//! with a BOM).
//!
//! The tables on screen are the CSV the model writes, read back: what a
//! coordinator sees is exactly what the download holds, headers in their
//! language from the same label keys.

use leptos::prelude::*;
use lotse_model::report::{Bound, Period, PeriodError, Report};
use lotse_model::TargetGroup;
use wasm_bindgen::{JsCast, JsValue};

use crate::hooks::notebook::{today, use_notebook};
use crate::i18n::{format_date, use_i18n, I18n, Lang};

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

/// The rows of an RFC 4180 text (as `Report::csv_tables` writes it), its
/// byte order mark dropped.
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (mut rows, mut row, mut field) = (Vec::new(), Vec::new(), String::new());
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// A cell as the screen shows it: the `'` the CSV puts before a text a
/// spreadsheet would take for a formula is the file's, not the name's.
fn cell_text(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

fn is_number(cell: &str) -> bool {
    !cell.is_empty() && cell.len() < 20 && cell.bytes().all(|b| b.is_ascii_digit())
}

/// `lotse-2026-Q3-consultations.csv`; a range as `2026-07-01_2026-08-15`.
pub fn file_name(period: &Period, table: &str) -> String {
    format!("lotse-{}-{table}.csv", period.to_string().replace("..", "_"))
}

/// The whole report as one CSV file: each table under its title, a blank
/// line between tables, one byte order mark at the start.
pub fn whole_report_csv(tables: &[(String, String)], title: &dyn Fn(&str) -> String) -> String {
    let mut out = String::from("\u{feff}");
    for (n, (name, csv)) in tables.iter().enumerate() {
        if n > 0 {
            out.push_str("\r\n");
        }
        let title = title(name);
        if title.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&title.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&title);
        }
        out.push_str("\r\n");
        out.push_str(csv.strip_prefix('\u{feff}').unwrap_or(csv));
    }
    out
}

/// Saves `text` as a file named `name`: a Blob, an object URL, and a click
/// on an `<a download>` that is never in the page.
fn download(name: &str, text: &str) -> Result<(), JsValue> {
    let global = js_sys::global();
    let blob_ctor: js_sys::Function = js_sys::Reflect::get(&global, &"Blob".into())?.dyn_into()?;
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"type".into(), &"text/csv;charset=utf-8".into())?;
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let blob = js_sys::Reflect::construct(&blob_ctor, &js_sys::Array::of2(&parts, &options))?;
    let url_ctor = js_sys::Reflect::get(&global, &"URL".into())?;
    let create: js_sys::Function = js_sys::Reflect::get(&url_ctor, &"createObjectURL".into())?.dyn_into()?;
    let url = create.call1(&url_ctor, &blob)?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let a: web_sys::HtmlElement = document.create_element("a")?.dyn_into()?;
    a.set_attribute("href", &url.as_string().unwrap_or_default())?;
    a.set_attribute("download", name)?;
    a.click();
    // The click has started the download; the URL can go after this task.
    let revoke: js_sys::Function = js_sys::Reflect::get(&url_ctor, &"revokeObjectURL".into())?.dyn_into()?;
    let later = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = revoke.call1(&JsValue::UNDEFINED, &url);
    });
    if let Some(w) = web_sys::window() {
        w.set_timeout_with_callback_and_timeout_and_arguments_0(later.unchecked_ref(), 10_000)?;
    }
    Ok(())
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
    let as_of_day = today.clone();
    let report = Memo::new(move |_| nb.complete().then(|| nb.with(|n| Report::compute(n, &shown.get(), &as_of_day))));
    let failed = RwSignal::new(false);

    let tables = Memo::new(move |_| {
        let lang = i.lang.get();
        report.with(|r| {
            r.as_ref().map(|r| r.csv_tables(&|key| crate::i18n::translate(lang, key, None))).unwrap_or_default()
        })
    });
    let save = move |table: Option<String>| {
        let period = shown.get_untracked();
        let result = tables.with_untracked(|all| match &table {
            Some(name) => match all.iter().find(|(n, _)| n == name) {
                Some((_, csv)) => download(&file_name(&period, name), csv),
                None => Ok(()),
            },
            None => {
                let lang = i.lang.get_untracked();
                let title = |name: &str| crate::i18n::translate(lang, &format!("report-table-{name}"), None);
                download(&file_name(&period, "report"), &whole_report_csv(all, &title))
            }
        });
        failed.set(result.is_err());
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
                        on:click=move |_| save(None)>
                        {move || i.t("report-download-all")}
                    </button>
                </div>
                <Show when=move || failed.get()>
                    <p class="banner-error" role="alert" id="report-download-failed">{move || i.t("report-download-failed")}</p>
                </Show>
            </div>
            <Show when=move || nb.complete() fallback=|| view! { <p class="loading" id="report-loading">"…"</p> }>
                {move || report.get().map(|r| figures_view(i, &r))}
                {move || report.get().map(|r| charts_view(i, &r))}
                <div class="report-tables">
                    {move || {
                        let fmt = number_format(i.lang.get());
                        tables.get().into_iter().map(|(name, csv)| table_view(i, &fmt, name, &csv, save)).collect_view()
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

/// One table of the report: its title, a download, and the CSV as an
/// accessible table (column headers, the first cell of a row as its header).
fn table_view(
    i: I18n,
    fmt: &dyn Fn(u64) -> String,
    name: String,
    csv: &str,
    save: impl Fn(Option<String>) + Copy + 'static,
) -> impl IntoView {
    let rows = parse_csv(csv);
    let mut rows = rows.into_iter();
    let head = rows.next().unwrap_or_default();
    let body: Vec<Vec<String>> = rows.collect();
    let title_id = format!("report-table-{name}-title");
    let (labelled, region_labelled) = (title_id.clone(), title_id.clone());
    let title = i.t(&format!("report-table-{name}"));
    let total_row = body.len().saturating_sub(1);
    let has_total = body.last().is_some_and(|r| r.first().is_some_and(|c| *c == i.t("report-row-total")));
    // A year is written as a year ("2026"), not grouped as a count ("2.026").
    let year_column = head.iter().position(|h| *h == i.t("report-col-year"));
    let cell = |column: usize, text: &str| {
        if is_number(text) {
            let n: u64 = text.parse().unwrap_or_default();
            let shown = if Some(column) == year_column { n.to_string() } else { fmt(n) };
            view! { <td class="num" data-value=n>{shown}</td> }.into_any()
        } else {
            view! { <td><bdi>{cell_text(text).to_owned()}</bdi></td> }.into_any()
        }
    };
    let body_view = body
        .iter()
        .enumerate()
        .map(|(n, row)| {
            let class = (has_total && n == total_row).then_some("report-total");
            let mut cells = row.iter();
            let first = cells.next().map(|c| cell_text(c).to_owned()).unwrap_or_default();
            let rest = cells.enumerate().map(|(k, c)| cell(k + 1, c)).collect_view();
            view! { <tr class=class><th scope="row"><bdi>{first}</bdi></th>{rest}</tr> }
        })
        .collect_view();
    let file = name.clone();
    view! {
        <section class="report-table" id=format!("report-table-{name}") data-table=name.clone()>
            <div class="report-table-head">
                <h3 id=title_id>{title}</h3>
                <button type="button" class="button report-csv" id=format!("report-csv-{name}")
                    on:click=move |_| save(Some(file.clone()))>
                    {move || i.t("report-download-csv")}
                </button>
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
