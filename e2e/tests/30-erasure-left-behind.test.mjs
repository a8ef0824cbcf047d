// A phone left behind by an erasure (issue 13): a mentor's phone is offline
// while the coordinator erases a person, and stays away past the deadline
// the coordinator set. The relay (its clock moved past the deadline, as a
// test may) then deletes the old epoch without waiting for that phone, and
// refuses it when it comes back: the phone empties itself, scrubs its
// store, and its first screen says why, in its mentor's language. Nothing
// of the person is left in its IndexedDB folder; the coordinator's receipt
// says the relay deleted the old version.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { eventually, launchDevice, relaySql, screenshot, startRelay } from '../lib/harness.mjs';
import {
  addContact,
  createInvitation,
  goTo,
  joinWith,
  listedNames,
  openApp,
  pickContact,
  pickLanguage,
  setUpDevice,
  syncState,
  waitForAdmission,
} from '../lib/app.mjs';
import { foundTexts } from '../lib/scan.mjs';

const COORDINATOR = { mentor: 'Aylin Kaya', community: 'Türkische Gemeinde Osnabrück' };
const MENTOR = 'Karim Haddad';
const PERSON = { name: 'Quirina Zwetschgenbaum', phone: '+49 541 7770123', notes: 'Marker plover kwyjibo' };
const MARKERS = [PERSON.name, PERSON.phone, PERSON.notes];
const EIGHT_DAYS = 8 * 86_400;

/// Bundles the relay still holds of a document's first epoch, where a
/// second one began.
function oldEpochRows(relay) {
  return Number(
    relaySql(relay, 'SELECT count(*) FROM bundles b WHERE epoch = 0 AND EXISTS (SELECT 1 FROM bundles n WHERE n.doc = b.doc AND n.epoch = 1);'),
  );
}

describe('a phone left behind by an erasure', () => {
  let relay, coordinator, mentor;

  before(async () => {
    relay = await startRelay();
    coordinator = await launchDevice('left-behind-coordinator');
    mentor = await launchDevice('left-behind-mentor');
  });

  after(async () => {
    for (const d of [coordinator, mentor]) await d?.close();
    await relay?.dispose();
  });

  it('is emptied when it comes back after the deadline, and says why', async () => {
    await openApp(coordinator.page, relay.url);
    await setUpDevice(coordinator.page, COORDINATOR);
    await waitForAdmission(coordinator.page);
    await addContact(coordinator.page, PERSON);
    await joinWith(mentor.page, await createInvitation(coordinator.page, { forName: MENTOR }), { mentor: MENTOR });
    await eventually(async () => (await listedNames(mentor.page)).includes(PERSON.name), {
      message: 'the mentor lists the person',
    });
    await pickLanguage(mentor.page, 'ar');
    assert.ok((await foundTexts([path.join(mentor.userDataDir, 'Default', 'IndexedDB')], MARKERS)).length > 0, 'the control');

    await mentor.context.setOffline(true);
    await eventually(async () => (await syncState(mentor.page)) === 'offline', { message: 'the mentor is offline' });
    await mentor.context.close();

    await goTo(coordinator.page, '#/erasure');
    await pickContact(coordinator.page, 'erasure-contact', PERSON.name);
    await coordinator.page.selectOption('#erasure-days', '7');
    await coordinator.page.click('#erasure-erase');
    await coordinator.page.click('#erasure-confirm');
    await coordinator.page.waitForSelector('#erasure-done', { state: 'visible' });
    await eventually(async () => !(await listedNames(coordinator.page)).includes(PERSON.name), {
      message: 'the coordinator moved',
      timeout: 60_000,
    });
    assert.ok(oldEpochRows(relay) > 0, 'the relay waits for the mentor until the deadline');

    // Eight days later, as the relay's clock has it.
    await relay.stop();
    relay.extraArgs = ['--clock-ahead', String(EIGHT_DAYS)];
    await relay.start();
    await eventually(async () => oldEpochRows(relay) === 0, {
      message: 'past the deadline the relay deletes the old epoch without the mentor',
      timeout: 60_000,
    });

    await mentor.restart();
    await openApp(mentor.page, relay.url);
    await mentor.page.waitForSelector('#wiped-why[data-why="left-behind"]', { timeout: 60_000 });
    assert.equal(await mentor.page.getAttribute('html', 'dir'), 'rtl', 'still in Arabic');
    assert.match(await mentor.page.textContent('#wiped-why'), /دعوة جديدة/);
    await screenshot(mentor.page, 'erasure-left-behind-ar');
    assert.deepEqual(
      await eventually(
        async () => {
          const found = await foundTexts([path.join(mentor.userDataDir, 'Default', 'IndexedDB')], MARKERS);
          return found.length === 0 && found;
        },
        { message: "no byte of the person in the emptied phone's IndexedDB", timeout: 60_000, interval: 2_000 },
      ),
      [],
    );

    // The receipt: the mentor was not waited for past the deadline.
    await goTo(coordinator.page, '#/erasure');
    const relayText = await coordinator.page.textContent('#erasure-receipts .receipt-relay');
    assert.match(relayText, /Relay/);
  });
});
