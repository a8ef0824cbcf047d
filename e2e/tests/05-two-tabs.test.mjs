// Two tabs of the app on one device stay consistent, with no network: each
// tab's saves reach the other through IndexedDB and a BroadcastChannel, not
// through the relay.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, launchDevice, startRelay, unexpectedProblems } from '../lib/harness.mjs';
import {
  addContact,
  editOpenContact,
  listedNames,
  openApp,
  openContact,
  readContact,
  setUpDevice,
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
  assert.deepEqual(unexpectedProblems(device.problems), [], 'no page errors');
});
