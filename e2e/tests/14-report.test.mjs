// The funders' report (issue 14), on the demo network: the headline
// figures agree with the tables (each community row adds up to the total,
// each row's target groups to its total) and with what the consultations
// list counts for the same days; another quarter and a range of days
// (a bad range says why and keeps the last report); a table and the whole
// report downloaded as CSV (BOM, German header, one line per row on
// screen); the print view without bars; screenshots in German and Arabic,
// at phone and desktop size.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { eventually, launchDevice, screenshot, startRelay, unexpectedProblems } from '../lib/harness.mjs';
import { goTo, waitForShell } from '../lib/app.mjs';

/// The headline figures as numbers, by name.
const headline = (page) =>
  page.$$eval('#report-figures dd[data-value]', (dds) =>
    Object.fromEntries(dds.map((d) => [d.id.replace('report-fig-', ''), Number(d.dataset.value)])),
  );

/// A table as its header and rows: the row header's text and the numbers
/// of its cells (null where a cell is not a number).
const table = (page, name) =>
  page.$eval(`#report-table-${name} table`, (t) => ({
    head: [...t.querySelectorAll('thead th')].map((th) => th.textContent.trim()),
    rows: [...t.querySelectorAll('tbody tr')].map((tr) => ({
      name: tr.querySelector('th').textContent.trim(),
      total: tr.classList.contains('report-total'),
      cells: [...tr.querySelectorAll('td')].map((td) => (td.dataset.value === undefined ? null : Number(td.dataset.value))),
    })),
  }));

/// A people table (first consultations, consultations, referrals): every
/// row's target groups add up to its total, the communities to the total
/// row; returns the total.
function checkPeopleTable(t, name) {
  assert.equal(t.head.length, 6, `${name}: community, three groups, no group, total`);
  const body = t.rows.filter((r) => !r.total);
  const total = t.rows.find((r) => r.total);
  assert.ok(total, `${name} has a total row`);
  for (const r of t.rows) {
    const [a, b, c, d, sum] = r.cells;
    assert.equal(a + b + c + d, sum, `${name}, ${r.name}: the groups add up to the row's total`);
  }
  for (let col = 0; col < 5; col++) {
    const sum = body.reduce((s, r) => s + r.cells[col], 0);
    assert.equal(sum, total.cells[col], `${name}: column ${t.head[col + 1]} adds up over the communities`);
  }
  return total.cells[4];
}

async function checkConsistent(page) {
  const h = await headline(page);
  for (const key of ['first-consultations', 'consultations', 'referrals', 'events', 'attendance', 'active-mentors']) {
    assert.ok(Number.isInteger(h[key]) && h[key] >= 0, `headline ${key} is a number (${h[key]})`);
  }
  assert.equal(checkPeopleTable(await table(page, 'first-consultations'), 'first-consultations'), h['first-consultations']);
  assert.equal(checkPeopleTable(await table(page, 'consultations'), 'consultations'), h.consultations);
  assert.equal(checkPeopleTable(await table(page, 'referrals'), 'referrals'), h.referrals);
  assert.ok(h['places-filled'] <= h['places-acquired'], 'filled places are among those acquired');
  assert.ok(h['first-consultations'] <= h.consultations, 'every first consultation is a consultation');
  return h;
}

/// The consultations list's count for one of its periods ("quarter", "year").
async function listedConsultations(page, period) {
  await goTo(page, '#/consultations');
  await page.waitForSelector('#consultation-count', { state: 'visible', timeout: 60_000 });
  await page.$eval('#list-filters', (d) => {
    d.open = true;
  });
  await page.selectOption('#filter-period', period);
  // The count settles once the filter applies.
  let last = '';
  await eventually(async () => {
    const now = await page.textContent('#consultation-count');
    const same = now === last;
    last = now;
    return same && /\d/.test(now);
  }, { message: 'the list count settles' });
  const n = Number(last.replace(/[^\d]/g, ''));
  await page.selectOption('#filter-period', '');
  return n;
}

async function openReport(page) {
  await goTo(page, '#/more');
  await page.click('#more-report');
  await page.waitForFunction(() => location.hash === '#/report');
  await page.waitForSelector('#report-figures', { state: 'visible', timeout: 60_000 });
}

async function download(page, button) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
  const bytes = await readFile(await file.path());
  return { name: file.suggestedFilename(), bytes, text: bytes.toString('utf8') };
}

test('Report: headline, tables, charts, periods, CSV, print, screenshots', { timeout: 10 * 60_000 }, async (t) => {
  const relay = await startRelay();
  const device = await launchDevice('report');
  t.after(async () => {
    await device.close();
    await relay.dispose();
  });
  const { page } = device;
  await page.goto(`${relay.url}/#/demo`);
  await waitForShell(page, 5 * 60_000);

  // What the consultations list counts for this quarter and this year.
  const thisQuarter = await listedConsultations(page, 'quarter');
  const thisYear = await listedConsultations(page, 'year');
  assert.ok(thisYear > 0, 'the demo has consultations this year');

  // The report opens from More on this quarter, as of today.
  await openReport(page);
  const quarterText = (await page.textContent('#report-period')).replace(/[\u2066-\u2069]/g, '').trim();
  assert.match(quarterText, /Quartal \d{4}/);
  assert.match(await page.textContent('#report-as-of'), /auf diesem Gerät/);
  const now = await checkConsistent(page);
  assert.equal(now.consultations, thisQuarter, 'the report counts the consultations the list shows for the quarter');

  // The charts: one bar per community row, a text alternative.
  const consultations = await table(page, 'consultations');
  const bars = await page.$$eval('#report-chart-consultations rect', (r) => r.length);
  assert.equal(bars, consultations.rows.filter((r) => !r.total).length, 'a bar per community');
  const label = await page.$eval('#report-chart-consultations svg', (s) =>
    document.getElementById(s.getAttribute('aria-labelledby'))?.textContent,
  );
  assert.ok(label && label.length > 5, 'the chart has a title');
  const chartBox = await page.$eval('#report-chart-consultations svg', (s) => s.getBoundingClientRect().width);
  assert.ok(chartBox <= 412, `the chart fits the phone (${chartBox}px)`);
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 412, 'nothing overflows the page sideways');
  await screenshot(page, 'report-de');
  await screenshot(page, 'report-de-full', { fullPage: true });

  // The quarter before.
  const options = await page.$$eval('#report-period-choice option', (o) => o.map((x) => x.value));
  assert.equal(options.length, 6, 'five quarters and a range');
  await page.selectOption('#report-period-choice', options[1]);
  await eventually(async () => (await page.textContent('#report-period')).trim() !== quarterText, {
    message: 'the period changes',
  });
  await checkConsistent(page);

  // A range: a bad one says why and keeps the report; a good one counts.
  await page.selectOption('#report-period-choice', 'range');
  await page.waitForSelector('#report-from', { state: 'visible' });
  const year = (await page.evaluate(() => new Date().getFullYear())).toString();
  await page.fill('#report-from', `${year}-12-31`);
  await page.fill('#report-to', `${year}-01-01`);
  await page.waitForSelector('#report-range-error:not(:empty)');
  assert.match(await page.textContent('#report-range-error'), /Tausche/);
  assert.equal(await page.getAttribute('#report-from', 'aria-invalid'), 'true');
  assert.ok(await page.$('#report-figures'), 'the last report stays');
  await page.fill('#report-from', `${year}-01-01`);
  await page.fill('#report-to', `${year}-12-31`);
  await eventually(async () => (await page.textContent('#report-range-error')).trim() === '', {
    message: 'the error goes',
  });
  await eventually(async () => (await headline(page)).consultations === thisYear, {
    message: 'the year counts what the list shows for the year',
  });
  const wholeYear = await checkConsistent(page);

  // One table as CSV: BOM, German header, a line per row on screen.
  const csv = await download(page, '#report-csv-consultations');
  assert.equal(csv.name, `lotse-${year}-01-01_${year}-12-31-consultations.csv`);
  assert.deepEqual([...csv.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with a BOM');
  const lines = csv.text.slice(1).split('\r\n').filter((l) => l.length > 0);
  assert.equal(lines[0], 'Community,Elternteil,Jugendliche*r,Unternehmer*in,Ohne Zielgruppe,Gesamt');
  const shown = await table(page, 'consultations');
  assert.equal(lines.length, shown.rows.length + 1, 'the header and every row on screen');
  assert.equal(Number(lines.at(-1).split(',').at(-1)), wholeYear.consultations, 'the total as on screen');

  // The whole report: one file, the overview and every table under its title.
  const all = await download(page, '#report-download-all');
  assert.equal(all.name, `lotse-${year}-01-01_${year}-12-31-report.csv`);
  assert.deepEqual([...all.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.equal(all.text.indexOf('\ufeff', 1), -1, 'one BOM only');
  assert.match(all.text, /Beratungen nach Community und Zielgruppe\r\nCommunity,Elternteil/);
  assert.ok(all.text.startsWith(`\ufeffÜberblick\r\nKennzahl,Wert\r\nZeitraum von,${year}-01-01\r\n`), 'the overview first, as in the workbook');

  // Desktop.
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.waitForSelector('#report-figures', { state: 'visible' });
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, 'report-de-desktop');
  await page.setViewportSize({ width: 412, height: 915 });

  // Arabic, right to left: the bars grow from the right.
  await goTo(page, '#/device');
  await page.selectOption('#language', 'ar');
  await page.waitForFunction(() => document.documentElement.lang === 'ar');
  await openReport(page);
  const bar = await page.$eval('#report-chart-consultations rect', (r) => r.x.baseVal.value + r.width.baseVal.value);
  assert.equal(bar, 400, 'the bars grow from the right edge');
  const labelBox = await page.$eval('#report-chart-consultations text', (x) => {
    const b = x.getBBox();
    return { x: b.x, width: b.width };
  });
  assert.ok(labelBox.x + labelBox.width <= 401 && labelBox.x >= 0, `the label ends at the right edge (${JSON.stringify(labelBox)})`);
  await screenshot(page, 'report-ar');
  await screenshot(page, 'report-ar-full', { fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.waitForSelector('#report-figures', { state: 'visible' });
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, 'report-ar-desktop');
  await page.setViewportSize({ width: 412, height: 915 });
  await goTo(page, '#/device');
  await page.selectOption('#language', 'de');

  // Print: the report alone, the period at the top.
  await openReport(page);
  // About an A4 page's width at 96 dpi.
  await page.setViewportSize({ width: 794, height: 1123 });
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.isVisible('.app-nav'), false, 'no bottom bar in print');
  assert.equal(await page.isVisible('.app-header'), false, 'no header in print');
  assert.equal(await page.isVisible('#report-period-choice'), false, 'no controls in print');
  assert.ok(await page.isVisible('#report-period'), 'the period is printed');
  await screenshot(page, 'report-print-de', { fullPage: true });
  await page.emulateMedia({ media: 'screen' });

  assert.deepEqual(unexpectedProblems(device.problems), [], 'no page errors');
});
