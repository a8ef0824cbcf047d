// The app lock (issue 13, part 2), as the person holding the phone: a PIN
// set on the device page; after a reload the lock screen shows and nothing
// of the notebook; a wrong PIN says how many tries are left, the right one
// opens the notebook. With the lock on, the raw IndexedDB (read here with
// the page's own IndexedDB API, not through the app) holds no CryptoKey
// and no key entry that the old WebCrypto path would open. Ten wrong PINs
// wipe the device: `keys` and `chunks` are empty, localStorage forgets the
// device, and both tabs show the start page.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { APP_DIR, eventually, launchDevice, screenshot, startRelay } from '../lib/harness.mjs';
import { addContact, goTo, listedNames, rawEntries, setUpDevice, waitForShell } from '../lib/app.mjs';

const PIN = '482615';
const NAME = 'Leyla Demir';

async function typePin(page, pin) {
  for (const digit of pin) await page.click(`.pin-pad [data-digit="${digit}"]`);
  await page.click('#lock-open');
}

/// The lock screen's tries left once it answered a try.
async function wrongTry(page, left) {
  await typePin(page, '000000');
  await page.waitForSelector(`#lock-page[data-tries-left="${left}"]`, { state: 'attached' });
  await page.waitForSelector('.pin-pad [data-digit="0"]:not([disabled])', { state: 'attached' });
}

test('app lock: PIN set, lock screen, wrong tries counted, right PIN opens, ten wrong wipe', { timeout: 10 * 60_000 }, async (t) => {
  const relay = await startRelay();
  const device = await launchDevice('app-lock');
  t.after(async () => {
    await device.close();
    await relay.dispose();
  });
  const { page, context } = device;
  await page.goto(relay.url);
  await setUpDevice(page, { mentor: 'Amal Haddad', community: 'Arabischsprachige Community' });
  await addContact(page, { name: NAME, phone: '+49 541 555777' });

  // Before: every key entry is the old kind, which opens without a PIN.
  const before = (await rawEntries(page, 'keys')).filter((e) => e.name === 'device' || e.name.startsWith('doc:'));
  assert.ok(before.length >= 2, `the device key and the community's: ${JSON.stringify(before)}`);
  assert.ok(before.every((e) => e.opensOldWay), 'without the lock every key opens with its stored CryptoKey');

  // The PIN, set on the device page.
  await goTo(page, '#/device');
  await page.fill('#applock-new', PIN);
  await page.fill('#applock-repeat', '482616');
  await page.click('#applock-set');
  await page.waitForSelector('#applock-said.banner-error', { state: 'visible' });
  await page.fill('#applock-repeat', PIN);
  await page.click('#applock-set');
  await page.waitForSelector('#applock-state[data-on="true"]', { state: 'attached', timeout: 60_000 });
  await page.locator('#applock-title').scrollIntoViewIfNeeded();
  await screenshot(page, 'app-lock-setting-de');

  // With the lock on: no CryptoKey anywhere in `keys`, every key entry
  // holds only its wrapped bytes, and none opens the old way.
  const locked = await rawEntries(page, 'keys');
  assert.deepEqual(locked.flatMap((e) => e.cryptoKeys), [], 'no CryptoKey is stored');
  const keyEntries = locked.filter((e) => e.name === 'device' || e.name.startsWith('doc:'));
  assert.equal(keyEntries.length, before.length, 'every key is still kept');
  for (const e of keyEntries) {
    assert.ok(!e.opensOldWay, `${e.name} does not open without the PIN`);
    assert.deepEqual(e.fields.filter((f) => f !== 'id'), ['locked'], `${e.name} holds only the wrapped key`);
  }

  // A reload: the lock screen, and nothing of the notebook.
  await page.reload();
  await page.waitForSelector('#lock-page', { state: 'visible' });
  assert.equal(await page.$('.app-nav'), null, 'no bottom bar behind the lock');
  assert.ok(!(await page.textContent('body')).includes(NAME), 'no name behind the lock');
  for (const id of ['#lock-open', '#lock-delete', '.pin-pad [data-digit="5"]']) {
    const box = await page.locator(id).boundingBox();
    assert.ok(box.width >= 44 && box.height >= 44, `${id} is a thumb's target: ${JSON.stringify(box)}`);
  }
  assert.ok(await page.$eval('#lock-pin', (el) => el.labels.length === 1), 'the PIN field is labelled');
  await screenshot(page, 'app-lock-de');

  // A wrong PIN: counted, and said.
  await wrongTry(page, 9);
  assert.match(await page.textContent('#lock-said'), /9/);
  await screenshot(page, 'app-lock-wrong-de');

  // The right one opens the notebook.
  await typePin(page, PIN);
  await waitForShell(page, 60_000);
  assert.deepEqual(await listedNames(page), [NAME]);

  // Arabic: the lock screen right to left, the pad as a phone's.
  await page.evaluate(() => localStorage.setItem('lotse.lang', JSON.stringify('ar')));
  await page.reload();
  await page.waitForSelector('#lock-page', { state: 'visible' });
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  await screenshot(page, 'app-lock-ar');
  await typePin(page, PIN);
  await waitForShell(page, 60_000);
  await goTo(page, '#/device');
  await page.locator('#applock-title').scrollIntoViewIfNeeded();
  await screenshot(page, 'app-lock-setting-ar');
  await page.evaluate(() => localStorage.setItem('lotse.lang', JSON.stringify('de')));

  // A second tab, opened with the PIN: the wipe reaches it too.
  const second = await context.newPage();
  await second.goto(relay.url);
  await second.waitForSelector('#lock-page', { state: 'visible' });
  await typePin(second, PIN);
  await waitForShell(second, 60_000);

  // Ten wrong PINs in a row wipe the device.
  // The reload hands the engine to the second tab, whose new worker opens
  // the lock again with the PIN it kept: a try counted until its
  // derivation ends, then the count is back at zero.
  await eventually(
    async () => {
      await page.reload();
      await page.waitForSelector('#lock-page', { state: 'visible' });
      return (await page.getAttribute('#lock-page', 'data-tries-left')) === '10';
    },
    { message: 'the right PIN reset the count', interval: 500 },
  );
  for (let left = 9; left >= 1; left--) await wrongTry(page, left);
  // A reload keeps the count.
  await page.reload();
  await page.waitForSelector('#lock-page[data-tries-left="1"]', { state: 'visible' });
  await typePin(page, '000000');
  for (const p of [page, second]) {
    await p.waitForSelector('#setup-save', { state: 'visible', timeout: 60_000 });
  }
  await eventually(async () => (await rawEntries(page, 'keys')).length === 0, { message: 'keys empty' });
  assert.deepEqual(await rawEntries(page, 'chunks'), [], 'no chunk is left');
  assert.deepEqual(await rawEntries(page, 'rows'), [], 'no row is left');
  assert.equal(await page.evaluate(() => localStorage.getItem('lotse.device')), null, 'the device is forgotten');
  await screenshot(page, 'app-lock-wiped-de');
});

test("only the engine's binary derives a PIN's key: the page's links no Argon2", async () => {
  // Every module of the page too (those split off it are in split-<hash>/).
  const wasm = (await readdir(APP_DIR, { recursive: true })).filter(
    (f) => f.endsWith('.wasm') && !f.startsWith('lotse-xlsx-writer'),
  );
  const holds = async (f, text) => (await readFile(path.join(APP_DIR, f))).includes(text);
  // The lock's associated data (lotse_sync::lock) and an Argon2 error text.
  for (const marker of ['lotse app lock v1', 'memory cost is too small']) {
    for (const f of wasm) {
      const engine = f.startsWith('lotse-engine');
      assert.equal(await holds(f, marker), engine, `${f} ${engine ? 'holds' : 'holds no'} "${marker}"`);
    }
  }
});
