// Bad input in the app: each gets its message next to the field and nothing
// is saved; a broken join link sets nothing up.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchDevice, startRelay } from '../lib/harness.mjs';
import { createInvitation, fillContact, goTo, gotoContacts, listedNames, openApp, setUpDevice } from '../lib/app.mjs';

describe('bad input in the app', () => {
  let relay, device, page;

  before(async () => {
    relay = await startRelay();
    device = await launchDevice('bad-input');
    page = device.page;
    await openApp(page, relay.url);
    await setUpDevice(page, { mentor: 'Nadia Prüfer', community: 'Kurdische Familien' });
  });

  after(async () => {
    await device?.close();
    await relay?.dispose();
  });

  async function trySave(fields) {
    await goTo(page, '#/contacts/new');
    await fillContact(page, fields);
    await page.click('#save-contact');
  }

  async function assertRefused(errorId) {
    await page.waitForSelector(`#${errorId}`, { state: 'visible' });
    const message = (await page.textContent(`#${errorId}`)).trim();
    assert.ok(message.length > 0, `#${errorId} says what is wrong`);
    assert.equal(await page.evaluate(() => location.hash), '#/contacts/new', 'the form stays open');
    await gotoContacts(page);
    assert.deepEqual(await listedNames(page), [], 'nothing was saved');
  }

  it('a contact without consent is refused with #error-consent', async () => {
    await trySave({ name: 'Ohne Einwilligung', phone: '+49 541 123456', consent: false });
    await assertRefused('error-consent');
  });

  it('an empty name is refused with #error-name', async () => {
    await trySave({ name: '', phone: '+49 541 123456' });
    await assertRefused('error-name');
  });

  it('a bad phone number is refused with #error-phone', async () => {
    await trySave({ name: 'Falsche Nummer', phone: 'abc!?' });
    await assertRefused('error-phone');
  });

  it('a join link with a broken key shows #join-error and sets nothing up', async () => {
    const fresh = await launchDevice('bad-join');
    try {
      for (const payload of ['garbage', 'x', '%%%', '']) {
        await fresh.page.goto('about:blank');
        await fresh.page.goto(`${relay.url}/#join=${payload}`);
        await fresh.page.waitForSelector('#join-error', { state: 'visible' });
        assert.equal(await fresh.page.isVisible('#join-save'), false, `no way to join with ${payload}`);
      }
      // A real link with its key cut short.
      const link = await createInvitation(page, { waitForRelay: false });
      await fresh.page.goto('about:blank');
      await fresh.page.goto(link.slice(0, -6));
      await fresh.page.waitForSelector('#join-error', { state: 'visible' });

      // The device is still new: the start screen, not a set-up app.
      await fresh.page.goto(`${relay.url}/`);
      await fresh.page.reload();
      await fresh.page.waitForSelector('#setup-save', { state: 'visible' });
      assert.equal(await fresh.page.isVisible('.app-nav'), false, 'no app shell');
    } finally {
      await fresh.close();
    }
  });
});
