// A screenshot of every page at phone size (412x915), for a person to look at.

import { test } from 'node:test';
import { SCREENSHOTS, launchDevice, screenshot, startRelay } from '../lib/harness.mjs';
import { addContact, createInvitation, fillContact, goTo, gotoContacts, openApp, openContact, setUpDevice } from '../lib/app.mjs';

test('screenshots of every page at 412x915', async (t) => {
  const relay = await startRelay();
  const a = await launchDevice('shots-a');
  const b = await launchDevice('shots-b');
  t.after(async () => {
    await a.close();
    await b.close();
    await relay.dispose();
  });
  const page = a.page;
  const shots = [];
  const shot = async (p, name, opts) => shots.push(await screenshot(p, name, opts));

  await openApp(page, relay.url);
  await shot(page, '01-setup');
  await setUpDevice(page, { mentor: 'Aylin Kaya', community: 'Türkische Gemeinde Osnabrück' });
  await shot(page, '02-today-empty');
  await gotoContacts(page);
  await shot(page, '02-contacts-empty');
  for (const [name, phone] of [
    ['Ayşe Demir', '+49 541 100001'],
    ['Karim Haddad', '+49 541 100002'],
    ['Olga Nowak', '+49 541 100003'],
    ['محمد الأحمد', '+49 541 100004'],
  ]) {
    await addContact(page, { name, phone, languages: 'Deutsch, Türkisch', district: 'Schinkel' });
  }
  await gotoContacts(page);
  await shot(page, '03-contacts');
  await goTo(page, '#/contacts/new');
  await page.waitForSelector('#save-contact', { state: 'visible' });
  await shot(page, '04-contact-form');
  await shot(page, '04-contact-form-full', { fullPage: true });
  await fillContact(page, { name: '', phone: 'abc', consent: false });
  await page.click('#save-contact');
  await page.waitForSelector('#error-name, #error-consent, #error-phone', { state: 'visible' });
  await shot(page, '05-contact-form-errors');
  await shot(page, '05-contact-form-errors-full', { fullPage: true });
  await openContact(page, 'Ayşe Demir');
  await shot(page, '06-contact-edit');
  const link = await createInvitation(page);
  await shot(page, '07-device');

  await b.page.goto(link);
  await b.page.waitForSelector('#join-save', { state: 'visible' });
  await shot(b.page, '08-join');
  await b.page.goto(`${relay.url}/#join=garbage`);
  await b.page.waitForSelector('#join-error', { state: 'visible' });
  await shot(b.page, '09-join-error');

  console.log(`screenshots (412x915) in ${SCREENSHOTS}:\n${shots.join('\n')}`);
});
