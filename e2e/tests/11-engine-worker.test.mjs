// The engine (Automerge, the store, the relay connection) runs in a worker
// of its own. Tried: the worker stopped under the page (as a crash or the
// browser reclaiming it does) right after a save, and again while a second
// device's contacts are arriving. The page says so, starts a new engine, and
// nothing that was acknowledged is lost: the lists still show it, the next
// save works, and after a reload the device and the relay agree. Also: the
// page's own binary carries no Automerge and no Ed25519 signing; and an
// engine that loads slowly (its binary held back, as on a slow phone) does
// not wipe what the user began meanwhile (a half-typed name, an invitation).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { APP_DIR, eventually, launchDevice, screenshot, startRelay, unexpectedProblems } from '../lib/harness.mjs';
import {
  addContact,
  engineWorker,
  goTo,
  joinWith,
  listedNames,
  openApp,
  readJoinLink,
  setUpDevice,
  waitForShell,
} from '../lib/app.mjs';

/// Stops the page's engine worker from inside, as a crash would, and waits
/// for the page to run a new one.
async function stopEngine(page) {
  const old = await engineWorker(page);
  const before = await page.evaluate(() => Number(document.querySelector('.app-main')?.dataset.engineRestarts ?? 0));
  // The note may show only briefly: catch its text as it appears.
  const note = page
    .waitForFunction(() => document.querySelector('#engine-note')?.textContent, null, { polling: 'raf' })
    .then((h) => h.jsonValue());
  await old.evaluate(() => self.close());
  const text = (await note).trim();
  await eventually(
    async () =>
      (await page.evaluate(() => Number(document.querySelector('.app-main')?.dataset.engineRestarts ?? 0))) ===
      before + 1,
    { message: 'the page started a new engine' },
  );
  await page.waitForSelector('#engine-note', { state: 'detached' });
  return text;
}

test('the engine stops under the page: the page says so, restarts it, and nothing saved is lost', async (t) => {
  const relay = await startRelay();
  const a = await launchDevice('engine-a');
  const b = await launchDevice('engine-b');
  t.after(async () => {
    await a.close();
    await b.close();
    await relay.dispose();
  });
  await openApp(a.page, relay.url);
  await setUpDevice(a.page, { mentor: 'Aylin Kaya', community: 'Türkische Gemeinde Osnabrück' });
  await addContact(a.page, { name: 'Ayla Vorher', phone: '0541 300001' });

  const said = await stopEngine(a.page);
  assert.match(said, /startet seinen Speicherdienst neu/, 'the page says the engine restarts, in German');
  assert.deepEqual(await listedNames(a.page), ['Ayla Vorher'], 'what was saved is still listed');
  await addContact(a.page, { name: 'Bora Nachher', phone: '0541 300002' });
  assert.deepEqual(await listedNames(a.page), ['Ayla Vorher', 'Bora Nachher'], 'the next save works');

  // Mid-sync: device B saves three contacts and A's engine is stopped
  // while they arrive; the new engine catches up from the relay.
  const link = await readJoinLink(a.page);
  await joinWith(b.page, link, { mentor: 'Bogdan Wiśniewski' });
  for (const [i, name] of ['Cem Eins', 'Dilan Zwei', 'Emre Drei'].entries()) {
    await addContact(b.page, { name, phone: `0541 30001${i}` });
  }
  await goTo(a.page, '#/contacts');
  await eventually(async () => (await listedNames(a.page)).length > 2, { message: 'the first of B arrived on A' });
  await stopEngine(a.page);
  const all = ['Ayla Vorher', 'Bora Nachher', 'Cem Eins', 'Dilan Zwei', 'Emre Drei'];
  await eventually(async () => JSON.stringify(await listedNames(a.page)) === JSON.stringify(all), {
    message: 'A lists every contact after its engine restarted mid-sync',
  });
  await screenshot(a.page, 'engine-restarted-de');

  for (const page of [a.page, b.page]) {
    await page.reload();
    await waitForShell(page);
    await goTo(page, '#/contacts');
    await eventually(async () => JSON.stringify(await listedNames(page)) === JSON.stringify(all), {
      message: 'after a reload the device lists exactly what was saved',
    });
  }
  assert.deepEqual(unexpectedProblems(a.problems), [], 'no page errors on A');
  assert.deepEqual(unexpectedProblems(b.problems), [], 'no page errors on B');
});

test("the page's binary carries no Automerge and no signing; the engine's does", async () => {
  // The page's modules: the first screen's and those split off it (split-<hash>/).
  const files = await readdir(APP_DIR, { recursive: true });
  const wasm = files.filter((f) => f.endsWith('.wasm'));
  const engine = wasm.filter((f) => f.startsWith('lotse-engine'));
  const page = wasm.filter((f) => !f.startsWith('lotse-engine') && !f.startsWith('lotse-xlsx-writer'));
  assert.equal(engine.length, 1, `one engine binary: ${wasm}`);
  assert.ok(page.length >= 1, `the page's modules: ${wasm}`);
  // Automerge's own error texts: in the engine, and nowhere in the page.
  const marker = 'duplicate seq';
  const has = async (f) => (await readFile(path.join(APP_DIR, f))).includes(marker);
  assert.ok(await has(engine[0]), `the engine holds Automerge ("${marker}")`);
  for (const f of page) assert.ok(!(await has(f)), `the page's ${f} holds no Automerge ("${marker}")`);
  // The membership statements' domain separation: only code that signs
  // (Ed25519, the engine) holds it.
  const signing = 'lotse membership v1';
  const holds = async (f, text) => (await readFile(path.join(APP_DIR, f))).includes(text);
  assert.ok(await holds(engine[0], signing), `the engine signs ("${signing}")`);
  for (const f of page) assert.ok(!(await holds(f, signing)), `the page's ${f} signs nothing ("${signing}")`);
});

test('an engine that loads after the user began does not wipe the page', async (t) => {
  const relay = await startRelay();
  const a = await launchDevice('engine-slow');
  t.after(async () => {
    await a.close();
    await relay.dispose();
  });
  // The engine's binary is held back until the test lets it through.
  let release;
  const held = new Promise((r) => {
    release = r;
  });
  let asked = false;
  await a.context.route(/lotse-engine_bg\.wasm/, async (route) => {
    asked = true;
    await held;
    await route.continue();
  });
  await openApp(a.page, relay.url);
  await setUpDevice(a.page, { mentor: 'Aylin Kaya', community: 'Türkische Gemeinde Osnabrück' });
  await goTo(a.page, '#/device');
  await a.page.waitForSelector('#invite-name', { state: 'visible' });
  await a.page.fill('#invite-name', 'Ayşe Demir');
  await eventually(async () => asked, { message: 'the page asked for the engine' });
  const before = await a.page.evaluate(() => Number(document.querySelector('.app-main')?.dataset.engineRestarts ?? 0));
  release();
  // The engine answers: the status line hears from it.
  await a.page.waitForSelector('#sync-status[data-access="member"]', { state: 'attached' });
  assert.equal(await a.page.inputValue('#invite-name'), 'Ayşe Demir', 'the typed name is still there');
  // An invitation made now stays on the screen.
  const link = await readJoinLink(a.page);
  assert.match(link, /#join=/);
  assert.equal(
    await a.page.evaluate(() => Number(document.querySelector('.app-main')?.dataset.engineRestarts ?? 0)),
    before,
    'the engine was not restarted meanwhile',
  );
  assert.deepEqual(unexpectedProblems(a.problems), [], 'no page errors');
});
