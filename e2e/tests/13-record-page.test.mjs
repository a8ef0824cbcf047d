// A record opens for reading (the field UX issue, part 1): the fields it
// fills are shown but locked (the empty ones only when editing), its
// linked records come before them, and a look writes nothing (the stored
// document is the same after it); "Edit" is an explicit tap, and while
// editing Save stays on screen above the bottom bar however long the form
// is. Tried: typing into a record that is only being read.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launchDevice, screenshot, startRelay } from '../lib/harness.mjs';
import { addContact, check, goTo, openApp, openContact, readContact, setUpDevice, startEditing, storeKeys, waitForSaved } from '../lib/app.mjs';

const PERSON = { name: 'Leyla Şahin', phone: '0541 700700', notes: 'Tochter sucht eine Ausbildung als Zahnmedizinische Fachangestellte' };

/// Every stored chunk of every document on this device, by key.
const storedChunks = async (page) => (await storeKeys(page, 'chunks')).sort();

test('a record is read first; a look writes nothing; Edit, and Save stays in reach', { timeout: 5 * 60_000 }, async (t) => {
  const relay = await startRelay();
  const device = await launchDevice('record-page');
  t.after(async () => {
    await device.close();
    await relay.dispose();
  });
  const { page } = device;
  await openApp(page, relay.url);
  await setUpDevice(page, { mentor: 'Aylin Kaya', community: 'Kurdische Gemeinde Osnabrück' });
  await addContact(page, PERSON);

  // A consultation for her, so the page has a linked record.
  const contactHref = await page.$$eval('li.contact-row a[href*="#/contacts/"]', (as) => as[0].getAttribute('href'));
  const contactId = contactHref.slice(contactHref.lastIndexOf('/') + 1);
  await goTo(page, `#/consultations/new?contact=${contactId}`);
  await page.waitForSelector('#save-consultation', { state: 'visible' });
  await check(page, '#topic-orientation');
  await page.fill('#consultation-notes', 'Erstgespräch beim Elternabend');
  await page.click('#save-consultation');
  await waitForSaved(page, `#/consultations/new?contact=${contactId}`);
  await page.waitForTimeout(500);

  const before = await storedChunks(page);
  await openContact(page, PERSON.name);
  await page.waitForSelector('#record-edit', { state: 'visible' });
  assert.equal(await page.$('#save-contact'), null, 'no Save while reading');
  assert.ok(await page.$eval('#name', (el) => el.matches(':disabled')), 'the fields are locked');
  assert.ok(await page.isVisible('#phone'), 'a field the record fills is shown');
  assert.ok(await page.isHidden('#district'), 'a field it leaves empty is not: the page reads as a summary');
  await assert.rejects(page.fill('#phone', '0541 999', { timeout: 1000 }), 'a locked field takes no typing');
  assert.equal((await readContact(page)).phone, PERSON.phone, 'typing into a record being read changes nothing');
  assert.match(await page.textContent('.page-title'), new RegExp(PERSON.name), 'the page is titled with the person');
  await page.evaluate(() => window.scrollTo(0, 0));
  const linked = await page.$('.record-linked');
  const form = await page.$('form.form');
  assert.ok((await linked.boundingBox()).y < (await form.boundingBox()).y, 'the linked records come before the fields');
  await screenshot(page, 'record-read-de');
  await page.waitForTimeout(1000);
  assert.deepEqual(await storedChunks(page), before, 'a look writes nothing to the stored documents');

  // Edit: the fields take input, Save is on screen above the bottom bar.
  await startEditing(page);
  assert.ok(await page.$eval('#name', (el) => !el.matches(':disabled')));
  assert.ok(await page.isVisible('#district'), 'editing shows every field, the empty ones too');
  const save = await (await page.$('#save-contact')).boundingBox();
  const nav = await (await page.$('.app-nav')).boundingBox();
  assert.ok(save.y + save.height <= nav.y + 1, `Save (${save.y}+${save.height}) sits above the bottom bar (${nav.y})`);
  assert.ok(save.y >= 0, 'Save is on screen without scrolling');
  await screenshot(page, 'record-edit-de');
  await page.fill('#phone', '0541 700701');
  await page.click('#save-contact');
  await page.waitForFunction(() => location.hash === '#/contacts');
  await openContact(page, PERSON.name);
  await page.waitForSelector('#record-edit', { state: 'visible' });
  assert.equal((await readContact(page)).phone, '0541 700701', 'the edit was saved');

  // Arabic.
  await page.evaluate(() => localStorage.setItem('lotse.lang', JSON.stringify('ar')));
  await page.reload();
  await page.waitForSelector('#record-edit', { state: 'visible' });
  await screenshot(page, 'record-read-ar');
});
