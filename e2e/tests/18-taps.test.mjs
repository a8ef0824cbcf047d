// Taps counted (the field UX issue, part 6): the three things a mentor does
// at a meeting, from Today, one-handed, each held to its target in taps
// besides what is typed and counted: a first consultation that creates its
// contact on the way (≤ 12), a school info session tallied (≤ 6 besides the
// counting taps), an overdue referral marked done (≤ 2). Each is checked
// for its effect too: a count met by a step that did nothing is no count.
// The bench (bench/browser.mjs taps) reports the same figures.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launchDevice, startRelay, unexpectedProblems } from '../lib/harness.mjs';
import { goTo, openDemo } from '../lib/app.mjs';
import { firstConsultation, referralDoneFromToday, tallyInfoSession, TARGETS } from '../lib/taps.mjs';

test('the three quick actions, counted in taps', { timeout: 10 * 60_000 }, async (t) => {
  const relay = await startRelay();
  const device = await launchDevice('taps');
  t.after(async () => {
    await device.close();
    await relay.dispose();
  });
  const { page } = device;
  await openDemo(page, relay.url);

  const name = 'Gülsüm Taşçı';
  const consultation = await firstConsultation(page, { name });
  console.log(`first consultation with a new contact: ${consultation.taps} taps, ${consultation.typed} characters`);
  await goTo(page, '#/consultations');
  await page.locator('main a[href*="#/consultations/"]', { hasText: name }).first().waitFor();
  // Searched for, as a mentor looks a person up in a network of hundreds.
  await goTo(page, '#/contacts');
  await page.fill('#contact-search', 'Gülsüm');
  await page.locator('li.contact-row', { hasText: name }).first().waitFor();
  assert.ok(consultation.taps <= TARGETS.consultation, `${consultation.taps} taps > ${TARGETS.consultation}`);

  const school = 'Realschule Taps-Test';
  const { hand: tally, counting } = await tallyInfoSession(page, { school, counts: { parent: 3, youth: 12 } });
  const besides = tally.taps - counting;
  console.log(`info session tallied: ${besides} taps besides ${counting} counting, ${tally.typed} characters`);
  await goTo(page, '#/events');
  const row = page.locator('.event-row', { hasText: school }).first();
  await row.waitFor();
  assert.match(await row.textContent(), /15/, 'the tally of 15 is saved');
  assert.ok(besides <= TARGETS.tally, `${besides} taps > ${TARGETS.tally}`);

  const { hand: done, done: id } = await referralDoneFromToday(page);
  console.log(`referral marked done from Today: ${done.taps} taps`);
  await page.waitForSelector('#done-status', { state: 'visible' });
  assert.equal(await page.$(`#${id}`), null, 'the referral left the overdue list');
  assert.ok(done.taps <= TARGETS.referralDone, `${done.taps} taps > ${TARGETS.referralDone}`);

  assert.deepEqual(unexpectedProblems(device.problems), []);
});
