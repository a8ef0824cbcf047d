// The funders' report as XLSX (issue 14), on the demo network: the whole
// report and one table downloaded from the report page, unzipped and read
// here: German headers and sheet names, numbers as numbers (the figures on
// screen), the period's days as dates, no formula anywhere; in Arabic the
// sheets run right to left. The page sends the tables to the XLSX worker,
// which writes the file: neither the page's binary nor the engine's carries
// the writer, and no byte of it is fetched before the first export (the
// service worker keeps it from then on).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { APP_DIR, eventually, launchDevice, screenshot, startRelay, unexpectedProblems } from '../lib/harness.mjs';
import { goTo, openDemo } from '../lib/app.mjs';
import { excelDay, readXlsx } from '../lib/xlsx.mjs';

async function openReport(page) {
  await goTo(page, '#/report');
  await page.waitForSelector('#report-figures', { state: 'visible', timeout: 60_000 });
}

/// The headline once it has held still for two seconds: the demo network
/// is still being stored for a while after the first screen.
async function settledHeadline(page) {
  let last = '';
  await eventually(
    async () => {
      const now = JSON.stringify(await page.$$eval('#report-figures dd[data-value]', (d) => d.map((x) => x.dataset.value)));
      const held = now === last;
      last = now;
      if (!held) await page.waitForTimeout(2000);
      return held;
    },
    { message: 'the headline holds still', timeout: 120_000, interval: 0 },
  );
}

async function download(page, button) {
  const [file] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.click(button)]);
  return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) };
}

/// A table on screen: header texts and the numbers of the rows.
const shownTable = (page, name) =>
  page.$eval(`#report-table-${name} table`, (t) => ({
    head: [...t.querySelectorAll('thead th')].map((th) => th.textContent.trim()),
    rows: [...t.querySelectorAll('tbody tr')].map((tr) => [
      tr.querySelector('th').textContent.trim(),
      ...[...tr.querySelectorAll('td')].map((td) => (td.dataset.value === undefined ? td.textContent.trim() : Number(td.dataset.value))),
    ]),
  }));

/// A sheet's rows as plain values, numbers as numbers.
const values = (sheet) => sheet.rows.map((r) => r.map((c) => c.value));

test('Report as XLSX: typed cells, German headers, dates, right to left in Arabic', { timeout: 10 * 60_000 }, async (t) => {
  const relay = await startRelay();
  const device = await launchDevice('report-xlsx');
  t.after(async () => {
    await device.close();
    await relay.dispose();
  });
  const { page, context } = device;
  const writerFetched = [];
  context.on('request', (r) => {
    if (/\/lotse-xlsx-writer/.test(r.url())) writerFetched.push(r.url());
  });
  await openDemo(page, relay.url);
  await openReport(page);
  await settledHeadline(page);
  assert.deepEqual(writerFetched, [], 'nothing of the XLSX writer fetched before the export');
  assert.ok(!page.workers().some((w) => /lotse-xlsx-writer/.test(w.url())), 'no XLSX worker before the export');

  // The whole report: an overview sheet, then a sheet per table.
  const whole = await download(page, '#report-download-all-xlsx');
  assert.ok(writerFetched.some((u) => u.endsWith('_bg.wasm')), `the export fetched the writer: ${writerFetched}`);
  const kept = () =>
    page.evaluate(async () => {
      for (const name of await caches.keys()) {
        if (await (await caches.open(name)).match('/lotse-xlsx-writer_bg.wasm')) return true;
      }
      return false;
    });
  await eventually(kept, { message: 'the service worker keeps the writer for offline exports' });
  const quarter = await page.$eval('#report-period-choice', (s) => s.value);
  assert.equal(whole.name, `lotse-${quarter}-report.xlsx`);
  assert.deepEqual([...whole.bytes.subarray(0, 2)], [0x50, 0x4b], 'a ZIP file');
  const book = readXlsx(whole.bytes);
  const tables = await page.$$eval('.report-table', (s) => s.map((x) => x.dataset.table));
  assert.equal(book.length, 1 + tables.length, 'the overview and every table');
  assert.equal(book[0].name, 'Überblick');
  assert.ok(book.every((s) => s.name.length <= 31 && !s.rtl), 'Excel sheet names, left to right');
  assert.ok(book.every((s) => s.rows.flat().every((c) => c.type !== 'formula')), 'no formula anywhere');

  // The overview: the period's first and last day as dates, the headline as numbers.
  const overview = book[0];
  assert.deepEqual(overview.rows[0].map((c) => [c.type, c.value]), [['string', 'Kennzahl'], ['string', 'Wert']]);
  const [year, q] = quarter.split('-Q').map(Number);
  const first = `${year}-${String(3 * q - 2).padStart(2, '0')}-01`;
  assert.deepEqual([overview.rows[1][0].value, overview.rows[1][1].type], ['Zeitraum von', 'date']);
  assert.equal(overview.rows[1][1].value, excelDay(first), `the period starts on ${first}`);
  assert.equal(overview.rows[2][1].type, 'date');
  const consultationsShown = Number(await page.getAttribute('#report-fig-consultations', 'data-value'));
  const row = overview.rows.find((r) => r[0].value === 'Beratungen');
  assert.deepEqual([row[1].type, row[1].value], ['number', consultationsShown], 'the headline as on screen');

  // Each table's sheet holds what the page shows, typed.
  for (const [n, name] of tables.entries()) {
    const sheet = book[n + 1];
    const shown = await shownTable(page, name);
    assert.deepEqual(values(sheet)[0], shown.head, `${name}: the German header`);
    assert.equal(sheet.rows.length, shown.rows.length + 1, `${name}: every row`);
    for (const [r, cells] of shown.rows.entries()) {
      const got = sheet.rows[r + 1];
      cells.forEach((want, c) => {
        const cell = got.find((x) => x.column === c);
        if (typeof want === 'number') {
          assert.equal(cell?.type, 'number', `${name} row ${r + 2} column ${c + 1} is a number`);
          assert.equal(cell.value, want, `${name} row ${r + 2} column ${c + 1}`);
        } else if (want !== '') {
          assert.equal(cell?.type, 'string', `${name} row ${r + 2} column ${c + 1} is text`);
          assert.equal(cell.value, want.replace(/[\u2066-\u2069]/g, ''));
        }
      });
    }
  }
  const consultations = book[1 + tables.indexOf('consultations')];
  assert.deepEqual(values(consultations)[0], ['Community', 'Elternteil', 'Jugendliche*r', 'Unternehmer*in', 'Ohne Zielgruppe', 'Gesamt']);
  assert.deepEqual(values(consultations).at(-1).slice(-1), [consultationsShown], 'the total as on screen');

  // One table alone.
  const one = await download(page, '#report-xlsx-consultations');
  assert.equal(one.name, `lotse-${quarter}-consultations.xlsx`);
  const single = readXlsx(one.bytes);
  assert.equal(single.length, 1);
  assert.deepEqual(values(single[0]), values(consultations), 'the same sheet as in the whole report');
  assert.equal(await page.isVisible('#report-download-failed'), false);
  await screenshot(page, 'report-xlsx-de');

  // Arabic: headers in Arabic, sheets right to left.
  await goTo(page, '#/device');
  await page.selectOption('#language', 'ar');
  await page.waitForFunction(() => document.documentElement.lang === 'ar');
  await openReport(page);
  const arabic = readXlsx((await download(page, '#report-download-all-xlsx')).bytes);
  assert.ok(arabic.every((s) => s.rtl), 'every sheet right to left');
  assert.equal(arabic[0].rows[0][0].value, 'المؤشر');
  await screenshot(page, 'report-xlsx-ar');
  await goTo(page, '#/device');
  await page.selectOption('#language', 'de');

  // Only the XLSX worker's binary links the writer.
  const wasm = (await readdir(APP_DIR, { recursive: true })).filter((f) => f.endsWith('.wasm'));
  const read = async (f) => (await readFile(path.join(APP_DIR, f))).toString('latin1');
  const marker = 'xl/worksheets/sheet';
  const writer = wasm.filter((f) => f.startsWith('lotse-xlsx-writer'));
  const others = wasm.filter((f) => !f.startsWith('lotse-xlsx-writer'));
  assert.equal(writer.length, 1, `one XLSX writer: ${wasm}`);
  // The engine and the page's modules (split-<hash>/ holds those split off the first screen's).
  assert.ok(others.length >= 2, `the page and the engine: ${wasm}`);
  assert.ok((await read(writer[0])).includes(marker), 'the XLSX worker writes sheets');
  for (const f of others) assert.ok(!(await read(f)).includes(marker), `${f} does not`);

  assert.deepEqual(unexpectedProblems(device.problems), [], 'no page errors');
});
