// A screenshot of every page of the notebook at phone size (412x915), with
// the fictional demo network (`#/demo`) so every page has something to
// show, in German and in Arabic (right to left): for a person to look at.
// A page that works but looks broken is broken.
//
// Files: e2e/screenshots/pages-<lang>-<nn>-<page>.png (what the phone shows)
// and …-full.png (the whole page) for the long ones. The test fails at the
// end if a page did not show what it is for (listed), after every shot.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PHONE, SCREENSHOTS, launchDevice, screenshot, startRelay, unexpectedProblems } from '../lib/harness.mjs';
import { companyWithPlaces, firstRecord, goTo, settle, shows, waitForShell } from '../lib/app.mjs';

const LANGS = (process.env.LOTSE_SHOT_LANGS || 'de,ar').split(',');

/// The pages, in the order a newcomer would find them: [name, how to get
/// there (a hash, or a function returning one), what shows it is there,
/// full-page shot too].
const PAGES = [
  ['today', '#/today', '#quick-consultation', true],
  ['contacts', '#/contacts', 'li.contact-row'],
  ['contact', (p) => firstRecord(p, '#/contacts', 'contacts'), '#record-edit', true],
  ['consultations', '#/consultations', 'main a[href*="#/consultations/"]'],
  ['consultation-new', '#/consultations/new', '#save-consultation', true],
  ['consultation', (p) => firstRecord(p, '#/consultations', 'consultations'), '#record-edit', true],
  ['referrals', '#/referrals', 'main a[href*="#/referrals/"]'],
  ['referral-new', '#/referrals/new', '#save-referral', true],
  ['referral', (p) => firstRecord(p, '#/referrals', 'referrals'), '#record-edit', true],
  ['follow-up', (p) => firstRecord(p, '#/today', 'follow-ups').then((h) => h ?? '#/follow-ups/new'), '#record-edit, #save-follow-up'],
  ['events', '#/events', '.event-row'],
  ['event-tally', (p) => firstRecord(p, '#/events', 'events'), '#tally-parent-count', true],
  ['companies', '#/companies', '.company-row'],
  ['company', (p) => companyWithPlaces(p), '#record-edit', true],
  ['training-place', (p) => firstRecord(p, null, 'training-places'), '#record-edit', true],
  ['institutions', '#/institutions', 'main a[href*="#/institutions/"]'],
  ['network', '#/network', '.community-row'],
  ['action-plan', '#/action-plan', 'main a[href*="#/measures/"]', true],
  ['measure', (p) => firstRecord(p, '#/action-plan', 'measures'), '#record-edit'],
  ['more', '#/more', '#more-companies'],
  ['device', '#/device', '#invite-create'],
];

test('every page with the demo network, German and Arabic, at 412x915', { timeout: 20 * 60_000 }, async (t) => {
  const relay = await startRelay();
  const device = await launchDevice('pages');
  t.after(async () => {
    await device.close();
    await relay.dispose();
  });
  const { page } = device;
  const missing = [];
  const shots = [];

  // An empty install fills the demo network and lands on Today.
  const started = Date.now();
  await page.goto(`${relay.url}/#/demo`);
  await shows(page, '#demo-working', 20_000);
  await screenshot(page, 'pages-demo-working');
  await waitForShell(page, 5 * 60_000);
  console.log(`demo network filled in ${Math.round((Date.now() - started) / 1000)} s`);

  for (const lang of LANGS) {
    await goTo(page, '#/device');
    await page.waitForSelector('#language', { state: 'visible' });
    await page.selectOption('#language', lang);
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);

    let n = 0;
    for (const [name, where, ready, full] of PAGES) {
      n++;
      const file = `pages-${lang}-${String(n).padStart(2, '0')}-${name}`;
      let hash = typeof where === 'function' ? await where(page) : where;
      if (!hash) {
        missing.push(`${lang} ${name}: no record to open`);
        continue;
      }
      await goTo(page, '#/more'); // a different page first, so the page renders afresh
      await goTo(page, hash);
      if (!(await shows(page, ready))) missing.push(`${lang} ${name} (${hash}): ${ready} not shown`);
      await settle(page, 300);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (overflow > 0) missing.push(`${lang} ${name}: the page is ${overflow} px wider than the phone`);
      shots.push(await screenshot(page, file));
      if (full) shots.push(await screenshot(page, `${file}-full`, { fullPage: true }));
    }
  }
  console.log(`screenshots (${PHONE.width}x${PHONE.height}) in ${SCREENSHOTS}:\n${shots.join('\n')}`);
  const errors = unexpectedProblems(device.problems);
  if (errors.length) console.log(`console errors:\n${errors.join('\n')}`);
  assert.deepEqual(missing, [], 'every page shows what it is for');
  assert.deepEqual(errors.filter((e) => e.includes('page error')), [], 'no uncaught errors');
});
