// Two tabs of the app on one device stay consistent, with no network: one
// engine for the origin (the tab whose worker holds the Web Lock
// `lotse-engine`) writes for both, and the other tab's saves and updates go
// through it over a BroadcastChannel, not through the relay. When the
// leading tab closes, the other takes over and nothing saved is lost. A
// community made in one tab is taken up by the other as it runs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, launchDevice, startRelay, unexpectedProblems } from '../lib/harness.mjs';
import {
  addContact,
  editOpenContact,
  goTo,
  listedNames,
  loadedAt,
  openApp,
  openContact,
  readContact,
  setUpDevice,
  storeKeys,
  waitForShell,
} from '../lib/app.mjs';

test('two tabs of the app see each other’s saves while offline', async (t) => {
  const relay = await startRelay();
  const device = await launchDevice('tabs');
  t.after(async () => {
    await device.close();
    await relay.dispose();
  });
  const { page: first, context } = device;
  await openApp(first, relay.url);
  await setUpDevice(first, { mentor: 'Olga Tabs', community: 'Russischsprachige Familien' });
  const second = await context.newPage();
  await openApp(second, relay.url);
  await waitForShell(second);

  // Tried: the relay gone and the network off, so only the tabs can tell each other.
  await relay.stop();
  await context.setOffline(true);

  await addContact(first, { name: 'Irina Petrova', phone: '0541 777888' });
  await eventually(async () => (await listedNames(second)).includes('Irina Petrova'), {
    message: 'the first tab’s new contact listed in the second tab',
  });

  await openContact(second, 'Irina Petrova');
  await editOpenContact(second, { phone: '0541 999000' });
  // The form reads the contact when it opens: open it again until the edit is there.
  await eventually(async () => {
    await openContact(first, 'Irina Petrova');
    return (await readContact(first)).phone === '0541 999000';
  }, {
    message: 'the second tab’s edit shown in the first tab',
  });

  // One engine for the origin: exactly one worker holds the leader's lock.
  const leaders = async (page) =>
    page.evaluate(async () => (await navigator.locks.query()).held.filter((l) => l.name === 'lotse-engine').length);
  assert.equal(await leaders(second), 1, 'one engine leads');

  // Tried: the leading tab closed. The other takes over and keeps saving.
  await first.close();
  // The follower's worker is granted the lock, ends itself, and its page
  // starts a worker that leads (a save in that moment would be told
  // "could not save" and keep its entry).
  await eventually(
    async () => (await second.evaluate(() => document.querySelector('.app-main')?.dataset.engineRestarts)) === '1',
    { message: 'the remaining tab started a new engine' },
  );
  await second.waitForSelector('#engine-note', { state: 'detached' });
  await addContact(second, { name: 'Pawel Nachfolger', phone: '0541 777999' });
  assert.deepEqual(await listedNames(second), ['Irina Petrova', 'Pawel Nachfolger']);
  await eventually(async () => (await leaders(second)) === 1, { message: 'the remaining tab leads' });
  await second.reload();
  await waitForShell(second);
  await eventually(
    async () => JSON.stringify(await listedNames(second)) === JSON.stringify(['Irina Petrova', 'Pawel Nachfolger']),
    { message: 'after a reload the remaining tab lists both' },
  );
  assert.deepEqual(unexpectedProblems(device.problems), [], 'no page errors');
});

test('a community made in one tab is taken up by the other, which does not load again', async (t) => {
  const relay = await startRelay();
  const device = await launchDevice('tabs-community');
  t.after(async () => {
    await device.close();
    await relay.dispose();
  });
  const { page: first, context } = device;
  await openApp(first, relay.url);
  await setUpDevice(first, { mentor: 'Aylin Tabs', community: 'Türkische Gemeinde Osnabrück' });
  const second = await context.newPage();
  await openApp(second, relay.url);
  await waitForShell(second);
  const loaded = await loadedAt(second);

  const NEW = 'Arabischsprachige Eltern Osnabrück';
  await goTo(first, '#/communities/new');
  await first.waitForSelector('#save-community', { state: 'visible' });
  await first.fill('#community-name', NEW);
  await first.click('#save-community');
  await first.waitForFunction(() => location.hash === '#/network', null, { timeout: 30_000 });

  // The second tab heard the device was saved: it may invite to the new
  // community at once, without loading again.
  await eventually(async () => {
    await goTo(second, '#/more');
    await goTo(second, '#/device');
    await second.waitForSelector('#invite-create', { state: 'visible' });
    const options = await second.$$eval('#invite-community option', (os) => os.map((o) => o.textContent.trim()));
    return options.includes(NEW);
  }, { message: 'the second tab offers the new community to invite to' });
  assert.equal(await loadedAt(second), loaded, 'the second tab did not load again');
  const doc = await first.evaluate((name) => {
    const d = JSON.parse(localStorage.getItem('lotse.device'));
    const m = d.communities.find((c) => c.community_name === name);
    return m && m.doc.map((b) => b.toString(16).padStart(2, '0')).join('');
  }, NEW);
  assert.ok(doc, 'the device holds the new community');
  const keysOf = async () => (await storeKeys(second, 'keys')).filter((k) => k.startsWith(`doc:${doc}`));
  await eventually(async () => (await keysOf()).length > 0, { message: "the new community's key is made and kept" });
  // Both tabs hold the community, but one engine made its key.
  await second.waitForTimeout(1000);
  assert.equal((await keysOf()).length, 1, 'one key of the new community');
  assert.deepEqual(unexpectedProblems(device.problems), [], 'no page errors');
});
