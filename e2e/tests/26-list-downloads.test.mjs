// A coordinator downloads a record list (issue 14), on the demo network:
// the contacts list as CSV (UTF-8 with a BOM) and as XLSX, read back here:
// German headers, one row per contact the list counts, the consent date a
// date. A mentor's phone offers no such file.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { launchDevice, screenshot, startRelay, unexpectedProblems } from '../lib/harness.mjs';
import { createInvitation, goTo, joinWith, openDemo, settle } from '../lib/app.mjs';
import { readXlsx } from '../lib/xlsx.mjs';

async function download(page, button) {
  const [file] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.click(button)]);
  return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) };
}

/// RFC 4180: fields in double quotes may hold commas, quotes (doubled) and
/// line breaks; rows end in `\r\n`.
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  if (field !== '' || row.length) rows.push([...row, field]);
  return rows;
}

const HEAD = ['Name', 'Zielgruppe', 'Telefon', 'Sprachen', 'Stadtteil', 'Familie', 'Notizen', 'Einwilligung erteilt am', 'Einwilligung umfasst', 'Mentor*in'];

test('A coordinator downloads the contacts list as CSV and XLSX; a mentor cannot', { timeout: 10 * 60_000 }, async (t) => {
  const relay = await startRelay();
  const device = await launchDevice('list-downloads');
  const mentor = await launchDevice('list-downloads-mentor');
  t.after(async () => {
    await mentor.close();
    await device.close();
    await relay.dispose();
  });
  const { page } = device;
  await openDemo(page, relay.url);
  await goTo(page, '#/contacts');
  await page.waitForSelector('#list-csv-contacts', { state: 'visible' });
  await settle(page, 2000);
  const count = Number((await page.textContent('#contact-count')).replace(/\D/g, ''));
  assert.ok(count > 50, `more contacts than one page shows: ${count}`);
  for (const id of ['#list-csv-contacts', '#list-xlsx-contacts']) {
    const box = await page.locator(id).boundingBox();
    assert.ok(box.height >= 44 && box.width >= 44, `${id} is a touch target: ${JSON.stringify(box)}`);
    assert.ok((await page.getAttribute(id, 'aria-label')).startsWith('Liste als'), `${id} is labelled`);
  }
  await screenshot(page, 'list-downloads-contacts-de');

  const today = await page.evaluate(() => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  });
  const csv = await download(page, '#list-csv-contacts');
  assert.equal(csv.name, `lotse-contacts-${today}.csv`);
  assert.deepEqual([...csv.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with a byte order mark');
  const rows = parseCsv(csv.bytes.toString('utf8').slice(1));
  assert.deepEqual(rows[0], HEAD, 'the German header');
  assert.equal(rows.length - 1, count, 'one row per contact the list counts');
  const consent = HEAD.indexOf('Einwilligung erteilt am');
  assert.ok(rows.slice(1).every((r) => r.length === HEAD.length), 'every row has every column');
  assert.ok(rows.slice(1).every((r) => /^\d{4}-\d{2}-\d{2}$/.test(r[consent])), 'consent dates as YYYY-MM-DD');
  assert.ok(!rows.flat().some((f) => /^[0-9a-f]{8}-[0-9a-f]{4}-/.test(f)), 'no id where a person reads');

  const xlsx = await download(page, '#list-xlsx-contacts');
  assert.equal(xlsx.name, `lotse-contacts-${today}.xlsx`);
  const [sheet, ...others] = readXlsx(xlsx.bytes);
  assert.equal(others.length, 0, 'one sheet');
  assert.equal(sheet.name, 'Kontakte');
  assert.deepEqual(sheet.rows[0].map((c) => c.value), HEAD);
  assert.equal(sheet.rows.length - 1, count);
  const cell = sheet.rows[1].find((c) => c.column === consent);
  assert.equal(cell?.type, 'date', 'the consent date is a date');
  assert.equal(sheet.rows[1][0].value, rows[1][0], 'the same first contact as the CSV');
  assert.equal(await page.isVisible('.list-downloads .banner-error'), false);

  // A mentor's phone: the list, no download.
  const link = await createInvitation(page, {});
  await joinWith(mentor.page, link, { mentor: 'Mia Mentorin' });
  await goTo(mentor.page, '#/contacts');
  await mentor.page.waitForSelector('#contact-search', { state: 'visible' });
  await settle(mentor.page, 500);
  assert.equal(await mentor.page.locator('.list-downloads, #list-csv-contacts, #list-xlsx-contacts').count(), 0);

  assert.deepEqual(unexpectedProblems(device.problems), [], 'no page errors');
});
