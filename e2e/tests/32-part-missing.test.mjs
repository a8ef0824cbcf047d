// A split-off part of the page (the lists, the record forms, the desk) that cannot be
// fetched: on a first visit the mentor opens a form before the service
// worker has cached it, and the connection drops. Tried: the form's module
// refused by the network (twice), then the network back. The app must say
// so in the mentor's language, keep working (with `panic = "abort"` a
// failed load used to stop the whole page), and fetch the part on "try
// again" once it can.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { eventually, launchDevice, REPO, screenshot, startRelay } from '../lib/harness.mjs';
import { addContact, goTo, listedNames, openApp, setUpDevice, tapTab } from '../lib/app.mjs';

/// A module of the split page other than its first screen's own files.
const SPLIT_PART = /\/split-[0-9a-f]+\/(?!main\.js|main_bg\.wasm|__wasm_split\.js)[^/]+\.wasm$/;

async function message(lang, key) {
  const ftl = await readFile(path.join(REPO, 'src/i18n', `${lang}.ftl`), 'utf8');
  const line = ftl.split('\n').find((l) => l.startsWith(`${key} =`));
  assert.ok(line, `${key} in ${lang}.ftl`);
  return line.slice(key.length + 3).trim();
}

test('a part of the page that cannot be fetched: said, the app keeps working, fetched on try again', async (t) => {
  const relay = await startRelay();
  // No service worker: it would fetch and cache the parts in the background
  // and serve them, and this test needs them to come from the network.
  const device = await launchDevice('part-missing', { serviceWorkers: 'block' });
  t.after(async () => {
    await device.close();
    await relay.dispose();
  });
  const { page, context } = device;
  const refused = [];
  const refuse = (route) => {
    refused.push(route.request().url());
    return route.abort('internetdisconnected');
  };
  await context.route(SPLIT_PART, refuse);

  await openApp(page, relay.url);
  await setUpDevice(page, { mentor: 'Meryem Teil', community: 'Arabischsprachige Familien' });
  // Split build only: without it there is nothing to refuse and the form
  // would simply open, which the assertions below catch.
  const split = await page.evaluate(() =>
    [...document.querySelectorAll('script[src], link[href]')].some((e) => /split-[0-9a-f]+\//.test(e.src || e.href)),
  );
  assert.ok(split, 'the app under test is the split build (cargo xtask build)');

  await goTo(page, '#/contacts/new');
  await page.waitForSelector('#part-missing', { state: 'visible' });
  assert.ok(refused.length > 0, 'the form came from a module of its own, and its fetch was refused');
  assert.equal((await page.textContent('#part-missing')).trim(), await message('de', 'part-missing'));
  assert.equal(await page.isVisible('#save-contact'), false, 'no half-drawn form');
  const retry = await page.$('#part-retry');
  const box = await retry.boundingBox();
  assert.ok(box.height >= 44 && box.width >= 44, `the try-again button is a touch target: ${JSON.stringify(box)}`);
  assert.equal((await retry.textContent()).trim(), await message('de', 'part-retry'));
  await screenshot(page, 'part-missing-de');

  // Still refused: the second attempt fails the same way, and says so again.
  const before = refused.length;
  await page.click('#part-retry');
  await eventually(async () => refused.length > before, { message: 'try again fetched the module again' });
  await page.waitForSelector('#part-missing', { state: 'visible' });

  // The rest of the app still answers: the page did not stop. Today is in
  // the first screen's module; a list, split off too, says the same as the
  // form.
  await tapTab(page, 'today');
  await page.waitForSelector('#quick-consultation', { state: 'visible' });
  await tapTab(page, 'contacts');
  await page.waitForSelector('#part-missing', { state: 'visible' });

  // Back to the form, still refused; then the connection is back and "try
  // again" opens the form in place.
  await goTo(page, '#/contacts/new');
  await page.waitForSelector('#part-missing', { state: 'visible' });
  await context.unroute(SPLIT_PART, refuse);
  await page.click('#part-retry');
  await page.waitForSelector('#save-contact', { state: 'visible' });
  assert.equal(await page.isVisible('#part-missing'), false, 'the message is gone once the form is there');
  await goTo(page, '#/contacts');
  await addContact(page, { name: 'Samira Haddad', phone: '+49 541 555123' });
  assert.deepEqual(await listedNames(page), ['Samira Haddad']);

  const pageErrors = device.problems.filter((p) => p.includes('page error'));
  assert.deepEqual(pageErrors, [], 'no page error: a failed fetch is not a crash');
});
