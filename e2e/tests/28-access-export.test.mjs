// An access request (Art. 15) from a contact's page on a coordinator's
// device: two downloads, the JSON and a page to print, in the person's
// language (Turkish for Ayten, Arabic and right to left for Samir), holding
// everything about that person and nothing about the other.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { launchDevice, screenshot, startRelay } from '../lib/harness.mjs';
import { addContact, openApp, openContact, setUpDevice } from '../lib/app.mjs';

const AYTEN = { name: 'Ayten Yıldırım', phone: '+49 541 5550101', notes: 'Sucht Ausbildung als Zahnarzthelferin', languages: 'tr, de' };
const SAMIR = { name: 'Samir Haddad', phone: '+49 541 5550202', notes: 'Vater fragt nach Anerkennung', languages: 'ar' };

/// Clicks the access button and reads both files it downloads.
async function accessFiles(page) {
  const files = [];
  const both = new Promise((resolve) => {
    page.on('download', async function seen(d) {
      files.push({ name: d.suggestedFilename(), text: (await readFile(await d.path())).toString('utf8') });
      if (files.length === 2) {
        page.off('download', seen);
        resolve();
      }
    });
  });
  await page.click('#contact-access-export');
  await both;
  const json = files.find((f) => f.name.endsWith('.json'));
  const html = files.find((f) => f.name.endsWith('.html'));
  assert.ok(json && html, `a JSON and an HTML file: ${files.map((f) => f.name)}`);
  return { json: JSON.parse(json.text), jsonText: json.text, html: html.text, names: files.map((f) => f.name) };
}

test('Access request: both files, in the person\'s language, nothing of anyone else', { timeout: 5 * 60_000 }, async () => {
  const relay = await startRelay();
  const device = await launchDevice('access-export');
  try {
    const { page } = device;
    await openApp(page, relay.url);
    await setUpDevice(page, { mentor: 'Koordinatorin Kaya', community: 'Gemeinde Auskunft' });
    await addContact(page, AYTEN);
    await addContact(page, SAMIR);

    await openContact(page, AYTEN.name);
    await page.waitForSelector('#contact-access-export', { state: 'visible' });
    await screenshot(page, 'access-contact-de');
    const ayten = await accessFiles(page);
    assert.equal(ayten.json.format, 'lotse-access-1');
    assert.deepEqual(
      [ayten.json.contacts[0].name, ayten.json.contacts[0].phone, ayten.json.contacts[0].notes],
      [AYTEN.name, AYTEN.phone, AYTEN.notes],
    );
    assert.equal(ayten.json.contacts[0].consent.recorded_by, 'Koordinatorin Kaya');
    assert.match(ayten.html, /<html lang="tr" dir="ltr">/, 'her first language the app speaks');
    assert.match(ayten.html, /GVKT 15\. madde uyarınca bilgi/, 'headings in Turkish');
    assert.ok(ayten.html.includes(AYTEN.notes));
    for (const text of [SAMIR.name, SAMIR.phone, SAMIR.notes]) {
      assert.ok(!ayten.jsonText.includes(text) && !ayten.html.includes(text), `nothing of Samir: ${text}`);
    }
    for (const name of ayten.names) assert.ok(!/Ayten|Yıldırım/.test(name), `the file name names no one: ${name}`);

    await openContact(page, SAMIR.name);
    const samir = await accessFiles(page);
    assert.match(samir.html, /<html lang="ar" dir="rtl">/, 'Arabic, right to left');
    assert.ok(samir.html.includes(SAMIR.name) && !samir.html.includes(AYTEN.name));
  } finally {
    await device.close();
    await relay.dispose();
  }
});
