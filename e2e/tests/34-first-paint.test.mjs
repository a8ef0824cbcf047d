// A first visit on a slow connection: the page's wasm takes seconds to
// arrive. Tried: the wasm held back at the network, then let through, on a
// first visit and on a set-up device's start. Before it arrives the page
// must already show something of the app (not a blank page): on a first
// visit the set-up page's title and intro in the browser's language, exactly
// where the app then draws them; on a set-up device the app's header. Once
// the app runs there must be exactly the app's own header (none on the
// set-up page), so nothing is drawn twice. The language's messages are
// fetched while the wasm is still on its way (not after it), once: in the
// browser's language on a first visit, in the one chosen on the device later.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, launchDevice, screenshot, startRelay } from '../lib/harness.mjs';
import { setUpDevice, waitForShell } from '../lib/app.mjs';

/// The first screen's wasm (the split page's main module, or Trunk's one).
const PAGE_WASM = /\/(split-[0-9a-f]+\/main_bg|lotse-[0-9a-f]+_bg)\.wasm$/;

/// Holds every request for the page's wasm until `release()`.
function holdWasm(context) {
  let release;
  const released = new Promise((r) => (release = r));
  const held = [];
  return {
    held,
    release: () => release(),
    install: () =>
      context.route(PAGE_WASM, async (route) => {
        held.push(route.request().url());
        await released;
        await route.continue();
      }),
  };
}

test('the header shows before the wasm arrives, and the app replaces it', async (t) => {
  const relay = await startRelay();
  // No service worker: every start fetches the wasm from the network, where
  // the test holds it.
  const device = await launchDevice('first-paint', { serviceWorkers: 'block' });
  t.after(async () => {
    await device.close();
    await relay.dispose();
  });
  const { page, context } = device;
  const messages = [];
  page.on('request', (r) => {
    if (r.url().includes('/i18n/')) messages.push(new URL(r.url()).pathname);
  });

  // Every layout shift of the page (what Lighthouse sums as CLS).
  await page.addInitScript(() => {
    window.lotseShifts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.lotseShifts.push(e.sources.map((s) => s.node?.nodeName).join(' '));
    }).observe({ type: 'layout-shift', buffered: true });
  });
  const first = holdWasm(context);
  await first.install();
  await page.goto(relay.url, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('#splash', { state: 'visible' });
  assert.ok(first.held.length > 0, 'the wasm is held at the network');
  const browserLang = await page.evaluate(() => navigator.language.split('-')[0]);
  await eventually(async () => messages.includes(`/i18n/${browserLang}.ftl`), {
    message: `the browser's language's messages (${browserLang}) fetched while the wasm is held`,
  });
  // A first visit: the splash becomes the top of the set-up page, in the
  // browser's language, while the wasm is still held.
  await page.waitForSelector('#splash .page-title', { state: 'visible' });
  const early = await page.evaluate(() => {
    const box = (sel) => document.querySelector(sel).getBoundingClientRect().toJSON();
    return {
      title: document.querySelector('#splash .page-title').textContent,
      intro: document.querySelector('#splash .intro').textContent,
      titleBox: box('#splash .page-title'),
      introBox: box('#splash .intro'),
      lang: document.documentElement.lang,
    };
  });
  assert.ok(early.title.length > 3 && early.intro.length > 20, `the set-up page's title and intro: ${JSON.stringify(early)}`);
  assert.equal(early.lang, browserLang, 'the page says which language it is in');
  assert.equal(await page.locator('#splash .app-header').count(), 0, 'no header: the set-up page has none');
  assert.equal((await page.textContent('#splash .loading')).trim(), '…', 'and that it is loading');
  assert.equal(await page.isVisible('#mentor-name'), false, 'the app itself is not running yet');
  await screenshot(page, 'first-paint-before-wasm');

  first.release();
  await page.waitForSelector('#mentor-name', { state: 'visible' });
  assert.deepEqual(messages, [`/i18n/${browserLang}.ftl`], 'the app took those messages: no second fetch');
  assert.equal(await page.$('#splash'), null, 'the splash is gone once the app runs');
  assert.equal(await page.locator('.app-header').count(), 0, 'the set-up page has no header, so none is left over');
  const app = await page.evaluate(() => ({
    title: document.querySelector('.setup .page-title').textContent,
    intro: document.querySelector('.setup .intro').textContent,
    titleBox: document.querySelector('.setup .page-title').getBoundingClientRect().toJSON(),
    introBox: document.querySelector('.setup .intro').getBoundingClientRect().toJSON(),
  }));
  assert.equal(app.title, early.title, 'the app draws the same title');
  assert.equal(app.intro, early.intro, 'and the same intro');
  for (const which of ['titleBox', 'introBox']) {
    for (const side of ['x', 'y', 'width', 'height']) {
      assert.ok(
        Math.abs(app[which][side] - early[which][side]) <= 1,
        `nothing moves when the app takes over (${which}.${side}: ${early[which][side]} → ${app[which][side]})`,
      );
    }
  }
  assert.deepEqual(await page.evaluate(() => window.lotseShifts), [], 'nothing on the page was moved');
  await context.unroute(PAGE_WASM);

  await setUpDevice(page, { mentor: 'Hülya Früh', community: 'Türkischsprachige Familien' });

  // A set-up device's start, Arabic chosen on it, the wasm held again: the
  // same header first, then the app's own in its place, one header only.
  await page.evaluate(() => localStorage.setItem('lotse.lang', JSON.stringify('ar')));
  messages.length = 0;
  const again = holdWasm(context);
  await again.install();
  await page.reload({ waitUntil: 'domcontentloaded' });
  await page.waitForSelector('#splash', { state: 'visible' });
  assert.ok(again.held.length > 0, 'the wasm is held again');
  // A set-up device's start: the shell's header first, not the set-up page.
  assert.equal((await page.textContent('#splash .app-title')).trim(), 'Lotse');
  const box = await (await page.$('#splash .app-header')).boundingBox();
  assert.ok(box.width >= 400 && box.height >= 40, `the header spans the phone's width: ${JSON.stringify(box)}`);
  const colour = await page.$eval('#splash .app-header', (e) => getComputedStyle(e).backgroundColor);
  assert.notEqual(colour, 'rgba(0, 0, 0, 0)', 'styled as the app header, not bare text');
  assert.equal((await page.textContent('#splash .loading')).trim(), '…', 'and that it is loading');
  await screenshot(page, 'first-paint-returning-before-wasm');
  await eventually(async () => messages.includes('/i18n/ar.ftl'), {
    message: "the chosen language's messages fetched while the wasm is held",
  });
  again.release();
  await waitForShell(page);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'ar', 'the app speaks the chosen language');
  assert.deepEqual(messages, ['/i18n/ar.ftl'], 'fetched once, by the start script');
  await page.waitForSelector('#quick-consultation', { state: 'visible' });
  assert.equal(await page.$('#splash'), null);
  assert.equal(await page.locator('.app-header').count(), 1, 'exactly one header: the app\'s own');
  assert.equal((await page.textContent('.app-header .app-title')).trim(), 'Lotse');
});
