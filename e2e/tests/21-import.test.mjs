// Importing contacts and companies from a CSV file (issue 14), as a
// coordinator of the demo network: a German spreadsheet's file
// (semicolons, a byte order mark, a quoted note with a line break) with
// good and bad rows; the preview names each bad row with its column and
// what to fix; only the good rows are saved, appear in the list and are
// still there after a reload. The same file in Arabic (right to left,
// screenshot at 412x915), and companies from a comma-separated file.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { launchDevice, screenshot, startRelay, unexpectedProblems, eventually } from '../lib/harness.mjs';
import { goTo, openDemo, waitForShell } from '../lib/app.mjs';

const clean = (s) => s.replace(/[\u2066-\u2069]/g, '').replace(/\s+/g, ' ').trim();

const CONTACTS = [
  'Name;Zielgruppe;Telefon;Einwilligung am;Einwilligung umfasst;Notizen',
  'Leyla Importiert;Elternteil;0541 111222;05.03.2026;Nur Beratung;"Rückruf; abends\r\nbitte"',
  'Selim Importiert;Jugendliche;;2026-02-01;Beratung und Vermittlung an Regelinstitutionen;',
  'Ohne Einwilligung Importiert;Elternteil;;;Nur Beratung;',
  'Falsche Nummer Importiert;Elternteil;abc;05.03.2026;Nur Beratung;',
  'Oma Importiert;Oma;;05.03.2026;Nur Beratung;',
].join('\r\n') + '\r\n';

const file = (name, text, bom = true) => ({
  name,
  mimeType: 'text/csv',
  buffer: Buffer.concat([Buffer.from(bom ? [0xef, 0xbb, 0xbf] : []), Buffer.from(text, 'utf8')]),
});

/// The preview's bad rows: row number → [column code, message].
const badRows = (page) =>
  page.$$eval('#import-errors > li', (lis) =>
    lis.map((li) => ({
      row: Number(li.dataset.row),
      errors: [...li.querySelectorAll('li')].map((e) => [e.dataset.column, e.textContent]),
    })),
  );

async function searchContacts(page, text) {
  await goTo(page, '#/contacts');
  await page.waitForSelector('#contact-search', { state: 'visible' });
  await page.fill('#contact-search', text);
  let last = null;
  await eventually(async () => {
    const names = await page.$$eval('li.contact-row .contact-name', (els) => els.map((e) => e.textContent.trim()).sort());
    const same = JSON.stringify(names) === JSON.stringify(last);
    last = names;
    return same;
  }, { message: 'the list settles' });
  return last;
}

test('Import: contacts and companies from CSV, errors per row, only good rows saved', { timeout: 10 * 60_000 }, async (t) => {
  const relay = await startRelay();
  const device = await launchDevice('import');
  t.after(async () => {
    await device.close();
    await relay.dispose();
  });
  const { page } = device;
  await openDemo(page, relay.url);

  // From the contacts list, a coordinator's import.
  await goTo(page, '#/contacts');
  await page.waitForSelector('#import-contacts');
  await screenshot(page, 'import-contacts-list');
  await page.click('#import-contacts');
  await page.waitForFunction(() => location.hash === '#/import/contacts');
  await page.waitForSelector('#import-file', { state: 'attached' });
  assert.match(await page.textContent('#import-consent-note'), /Einwilligung/);
  for (const id of ['#import-pick', '#import-template', '#import-community']) {
    const box = await page.$eval(id, (e) => e.getBoundingClientRect().height);
    assert.ok(box >= 44, `${id} is a touch target (${box}px)`);
  }
  for (const id of ['#import-file', '#import-community']) {
    assert.equal(await page.$eval(id, (e) => e.labels.length), 1, `${id} has a label`);
  }
  assert.equal(clean(await page.textContent('#import-pick')), 'CSV-Datei wählen', 'the file button in the app\'s language');

  // The template: the header row in German, with a byte order mark.
  const [template] = await Promise.all([page.waitForEvent('download'), page.click('#import-template')]);
  assert.equal(template.suggestedFilename(), 'lotse-contacts.csv');
  const head = await readFile(await template.path());
  assert.equal(
    head.toString('utf8'),
    '\ufeffName,Zielgruppe,Telefon,Sprachen,Stadtteil,Community,Einwilligung am,Einwilligung umfasst,Notizen\r\n',
  );

  // The file: two good rows, three bad ones.
  await page.setInputFiles('#import-file', file('kontakte.csv', CONTACTS));
  await page.waitForSelector('#import-summary');
  assert.equal(clean(await page.textContent('#import-summary')), 'Gelesene Zeilen: 5 – zu übernehmen: 2, mit Fehlern: 3.');
  assert.equal(await page.textContent('#import-file-name'), 'kontakte.csv');
  const bad = await badRows(page);
  assert.deepEqual(bad.map((b) => b.row), [4, 5, 6], 'each bad row by its number in the spreadsheet');
  const [consent, phone, group] = bad.map((b) => b.errors.map(([c, m]) => [c, clean(m)]));
  assert.equal(consent[0][0], 'consent-date');
  assert.match(consent[0][1], /^Einwilligung am: Keine Einwilligung/);
  assert.equal(phone[0][0], 'phone');
  assert.match(phone[0][1], /^Telefon: „abc“ ist keine Telefonnummer/);
  assert.equal(group[0][0], 'target-group');
  assert.match(group[0][1], /^Zielgruppe: „Oma“ ist keine der Möglichkeiten\. Schreibe eine von: .*Elternteil/);
  const good = await page.$$eval('#import-good li', (l) => l.map((x) => Number(x.dataset.row)));
  assert.deepEqual(good, [2, 3]);
  assert.equal(clean(await page.textContent('#import-save')), '2 Kontakte übernehmen');
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 412, 'nothing overflows sideways');
  await screenshot(page, 'import-de');
  await screenshot(page, 'import-de-full', { fullPage: true });

  // Nothing is saved before the tap.
  assert.deepEqual(await searchContacts(page, 'Importiert'), []);
  await goTo(page, '#/import/contacts');
  await page.waitForSelector('#import-file', { state: 'attached' });
  await page.setInputFiles('#import-file', file('kontakte.csv', CONTACTS));
  await page.waitForSelector('#import-save');
  await page.click('#import-save');
  await page.waitForSelector('#import-saved', { timeout: 60_000 });
  assert.equal(clean(await page.textContent('#import-saved')), '2 Einträge gespeichert. Zu den Kontakten');
  assert.equal(await page.$('#import-save'), null, 'the file is done with: no second save');

  // Only the good rows are in the list, and stay after a reload.
  assert.deepEqual(await searchContacts(page, 'Importiert'), ['Leyla Importiert', 'Selim Importiert']);
  await page.reload();
  await waitForShell(page, 60_000);
  assert.deepEqual(await searchContacts(page, 'Importiert'), ['Leyla Importiert', 'Selim Importiert']);
  // The note kept its semicolon and line break; consent as in the file.
  await page.click('li.contact-row a:has-text("Leyla Importiert")');
  await page.waitForFunction(() => document.querySelector('#name')?.value === 'Leyla Importiert');
  assert.equal(await page.inputValue('#notes'), 'Rückruf; abends\nbitte');
  assert.equal(await page.inputValue('#consent-date'), '2026-03-05');

  // Arabic: the same file, right to left.
  await goTo(page, '#/device');
  await page.selectOption('#language', 'ar');
  await page.waitForFunction(() => document.documentElement.lang === 'ar');
  await goTo(page, '#/import/contacts');
  await page.waitForSelector('#import-file', { state: 'attached' });
  await page.setInputFiles('#import-file', file('contacts.csv', CONTACTS));
  await page.waitForSelector('#import-errors');
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
  assert.match(clean(await page.textContent('#import-summary')), /الصفوف المقروءة: 5/);
  assert.match(clean(await page.textContent('#import-errors')), /الصف 4/);
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 412, 'nothing overflows sideways in Arabic');
  await screenshot(page, 'import-ar');
  await screenshot(page, 'import-ar-full', { fullPage: true });
  await goTo(page, '#/device');
  await page.selectOption('#language', 'de');
  await page.waitForFunction(() => document.documentElement.lang === 'de');

  // Companies, from a comma-separated file without a byte order mark.
  await goTo(page, '#/companies');
  await page.click('#import-companies');
  await page.waitForFunction(() => location.hash === '#/import/companies');
  const companies = [
    'Name,Branche,Kammer,Ausbildereignung,Im Netzwerk seit',
    'Import-Bäckerei,Bäckerei,HWK,Ausbildereignung vorhanden,15.01.2026',
    'Import-Imbiss,Gastronomie,Zunft,Keine Ausbildereignung,2026-02-01',
  ].join('\n');
  await page.setInputFiles('#import-file', file('betriebe.csv', companies, false));
  await page.waitForSelector('#import-summary');
  assert.equal(clean(await page.textContent('#import-summary')), 'Gelesene Zeilen: 2 – zu übernehmen: 1, mit Fehlern: 1.');
  assert.deepEqual((await badRows(page)).map((b) => [b.row, b.errors[0][0]]), [[3, 'chamber']]);
  await page.click('#import-save');
  await page.waitForSelector('#import-saved', { timeout: 60_000 });
  await page.click('#import-open-list');
  await page.waitForSelector('#company-search');
  await page.fill('#company-search', 'Import-');
  await eventually(async () => {
    const names = await page.$$eval('#company-list .net-row-title', (els) => els.map((e) => e.textContent.trim()));
    return JSON.stringify(names) === JSON.stringify(['Import-Bäckerei']);
  }, { message: 'only the good company is listed' });

  assert.deepEqual(unexpectedProblems(device.problems), [], 'no page errors');
});
