// The installable, offline app: Chromium's own installability check, a
// reload with no network at all, and the update banner on a new build.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { APP_DIR, TIMEOUT, eventually, launchDevice, startRelay } from '../lib/harness.mjs';
import {
  addContact,
  listedNames,
  openApp,
  setUpDevice,
  waitForAppReady,
  waitForServiceWorkerControl,
  waitForShell,
} from '../lib/app.mjs';

test('Chromium finds the app installable once its service worker is active', async (t) => {
  const relay = await startRelay();
  const device = await launchDevice('install');
  t.after(async () => {
    await device.close();
    await relay.dispose();
  });
  const { page } = device;
  const response = await page.goto(relay.url);
  const csp = response.headers()['content-security-policy'] ?? '';
  assert.doesNotMatch(csp, /unsafe-inline/, 'the CSP allows no inline script');
  await openApp(page, relay.url);
  await waitForServiceWorkerControl(page);

  const cdp = await page.context().newCDPSession(page);
  const manifest = await cdp.send('Page.getAppManifest');
  assert.deepEqual(manifest.errors, [], 'the manifest parses without errors');
  // Chromium looks at the manifest and worker asynchronously: ask until it answers
  // with no errors, and report the last answer if it never does.
  let errors;
  await eventually(
    async () => {
      ({ installabilityErrors: errors } = await cdp.send('Page.getInstallabilityErrors'));
      return errors.length === 0;
    },
    { timeout: 10_000, message: 'no installability errors' },
  ).catch(() => assert.deepEqual(errors, [], 'Page.getInstallabilityErrors'));

  const problems = device.problems.filter((p) => !/favicon/.test(p));
  assert.deepEqual(problems, [], 'no page errors, no CSP violations, no console errors');
});

test('the app reloads and shows its contacts with the network and the relay gone', async (t) => {
  const relay = await startRelay();
  const device = await launchDevice('offline');
  t.after(async () => {
    await device.close();
    await relay.dispose();
  });
  const { page, context } = device;
  await openApp(page, relay.url);
  await setUpDevice(page, { mentor: 'Meryem Offline', community: 'Arabischsprachige Familien' });
  await addContact(page, { name: 'Samira Haddad', phone: '+49 541 555123' });
  assert.deepEqual(await listedNames(page), ['Samira Haddad']);
  await waitForServiceWorkerControl(page);

  await relay.stop();
  await context.setOffline(true);
  await page.reload();
  await page.waitForSelector('#contact-search', { state: 'visible', timeout: TIMEOUT });
  await eventually(async () => (await listedNames(page)).includes('Samira Haddad'), {
    message: 'the contact listed after an offline reload',
  });

  // As when opened again from the home-screen icon: a new tab at start_url.
  const second = await context.newPage();
  await second.goto(relay.url + '/');
  // It opens on Today; the contacts are one tab away.
  await waitForShell(second);
  await eventually(async () => (await listedNames(second)).includes('Samira Haddad'), {
    message: 'the contact listed in a new tab, offline',
  });
  // The pages split off the first screen's module (split points) come from the
  // service worker's cache too: the report (the desk's module) and a form.
  await second.evaluate(() => {
    location.hash = '#/report';
  });
  await second.waitForSelector('#report-figures', { state: 'visible', timeout: TIMEOUT });
  await second.evaluate(() => {
    location.hash = '#/contacts/new';
  });
  await second.waitForSelector('#save-contact', { state: 'visible', timeout: TIMEOUT });
  await second.close();
});

test('a new build shows the update banner, and reloading switches to it', async (t) => {
  // A copy of the build that this test can change as a deploy would.
  const appDir = await mkdtemp(path.join(os.tmpdir(), 'lotse-e2e-app-'));
  await cp(APP_DIR, appDir, { recursive: true });
  const relay = await startRelay({ appDir });
  const device = await launchDevice('update');
  t.after(async () => {
    await device.close();
    await relay.dispose();
    await rm(appDir, { recursive: true, force: true });
  });
  const { page } = device;
  await openApp(page, relay.url);
  await waitForServiceWorkerControl(page);
  // The mentor opens the app again: now the service worker serves it.
  await page.reload();
  await waitForAppReady(page);
  await waitForServiceWorkerControl(page);
  const cachesBefore = await page.evaluate(() => caches.keys());
  assert.equal(cachesBefore.filter((k) => k.startsWith('lotse-')).length, 1, `one cache: ${cachesBefore}`);
  assert.equal(await page.isVisible('#update-banner'), false, 'no banner before an update');
  // This device once used one file fetched on demand (a coordinator's
  // export fetches the XLSX writer); the others it never fetched.
  const onDemand = await page.evaluate(async () => {
    const r = await fetch('/lotse-xlsx-writer_bg.wasm');
    await r.arrayBuffer();
    return r.ok;
  });
  assert.ok(onDemand, 'the XLSX writer is served');
  const cached = async (url) =>
    page.evaluate(async (url) => {
      for (const name of await caches.keys()) if (await (await caches.open(name)).match(url)) return name;
      return null;
    }, url);
  await eventually(async () => (await cached('/lotse-xlsx-writer_bg.wasm')) !== null, {
    message: 'the file used is kept in the cache',
  });

  // "Deploy" a new build: a service worker with another version.
  const swPath = path.join(appDir, 'sw.js');
  const sw = await readFile(swPath, 'utf8');
  const newVersion = 'e2e0000000000001';
  await writeFile(swPath, sw.replace(/const VERSION = "[0-9a-f]+";/, `const VERSION = "${newVersion}";`));

  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
  await page.waitForSelector('#update-banner', { state: 'visible', timeout: TIMEOUT });
  // The new worker waits; the page still runs on the old one.
  const waiting = await page.evaluate(async () => !!(await navigator.serviceWorker.getRegistration()).waiting);
  assert.ok(waiting, 'the new service worker waits instead of taking over by itself');

  await Promise.all([page.waitForEvent('load', { timeout: TIMEOUT }), page.click('#update-reload')]);
  await eventually(
    async () => {
      const keys = await page.evaluate(() => caches.keys());
      return keys.length === 1 && keys[0] === `lotse-${newVersion}`;
    },
    { message: 'only the new cache is left after the reload' },
  );
  await page.waitForSelector('#mentor-name, #contact-search', { state: 'visible' });
  // The update fetched the new build's copy of the file this device used,
  // so it still works offline; the ones it never used stay undownloaded.
  assert.equal(await cached('/lotse-xlsx-writer_bg.wasm'), `lotse-${newVersion}`, 'the used file is in the new cache');
  assert.equal(await cached('/lotse-xlsx-writer.js'), null, 'a file never used is not downloaded by the update');
});
