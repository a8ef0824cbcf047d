// Browser figures, with the real relay and the release build:
//  - time from navigation to a usable contact list with 1,000 contacts,
//    offline (served by the service worker), CPU throttled 4x;
//  - time from tapping save to the change durable in IndexedDB (the app sets
//    document.body.dataset.lastSave once the IndexedDB transaction completed).
// Prints `BENCH<TAB>figure<TAB>value<TAB>target` lines (cargo xtask bench).
//
//   node bench/browser.mjs [contacts=1000]

import { launchDevice, startRelay } from '../lib/harness.mjs';
import { openApp, setUpDevice, waitForServiceWorkerControl } from '../lib/app.mjs';

const CONTACTS = Number(process.argv[2] || 1000);
const RUNS = 3;
const SAVES = 20;
const THROTTLE = 4;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];
const ms = (x) => `${Math.round(x)} ms`;

// In the page: fill the contact form as a user would (input/change events)
// and press save. Returns the Date.now() of the tap.
const fillAndSave = async ({ name, phone }) => {
  const wait = async (probe, what, timeout = 20000) => {
    const end = Date.now() + timeout;
    for (;;) {
      const v = probe();
      if (v) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const set = (sel, value) => {
    const el = document.querySelector(sel);
    el.value = value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  };
  location.hash = '#/contacts/new';
  await wait(() => location.hash === '#/contacts/new' && document.querySelector('#save-contact'), 'the form');
  const consent = document.querySelector('#consent-given');
  if (!consent.checked) consent.click();
  if (!document.querySelector('#consent-date').value) set('#consent-date', new Date().toISOString().slice(0, 10));
  for (const sel of ['#consent-scope', '#target-group']) {
    const el = document.querySelector(sel);
    if (!el.value) set(sel, [...el.options].map((o) => o.value).find((v) => v));
  }
  set('#name', name);
  set('#phone', phone);
  set('#district', 'Schinkel');
  const before = document.body.dataset.lastSave;
  const tapped = Date.now();
  document.querySelector('#save-contact').click();
  await wait(() => location.hash === '#/contacts', 'the list after saving');
  return { tapped, before };
};

const relay = await startRelay();
const device = await launchDevice('bench');
try {
  const { page, context } = device;
  await openApp(page, relay.url);
  await setUpDevice(page, { mentor: 'Bench Mentor', community: 'Bench Community' });
  await waitForServiceWorkerControl(page);

  // 1,000 contacts through the form.
  const seedStart = Date.now();
  for (let i = 0; i < CONTACTS; i++) {
    await page.evaluate(fillAndSave, { name: `Kontakt ${String(i).padStart(4, '0')}`, phone: `+49 541 ${100000 + i}` });
    if ((i + 1) % 100 === 0) console.log(`seeded ${i + 1} contacts (${Math.round((Date.now() - seedStart) / 1000)} s)`);
  }
  const seedSeconds = Math.round((Date.now() - seedStart) / 1000);

  // Save latency: tap save until the app reports the IndexedDB commit.
  const latency = async (label) => {
    const samples = [];
    for (let i = 0; i < SAVES; i++) {
      const { tapped, before } = await page.evaluate(fillAndSave, { name: `Messung ${label} ${i}`, phone: `+49 541 9${i}` });
      const saved = await page.waitForFunction((b) => {
        const v = document.body.dataset.lastSave;
        return v && v !== b ? Number(v) : null;
      }, before, { timeout: 20000 }).then((h) => h.jsonValue());
      samples.push(saved - tapped);
    }
    return samples;
  };
  const fast = await latency('1x');
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
  const slow = await latency(`${THROTTLE}x`);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  const total = CONTACTS + 2 * SAVES;

  // Offline, throttled, from a fresh page: navigation until the list is usable.
  await relay.stop();
  await context.setOffline(true);
  const wasmStarted = [];
  const firstRows = [];
  const allRows = [];
  let rendered = 0;
  for (let run = 0; run < RUNS; run++) {
    const tab = await context.newPage();
    const tabCdp = await context.newCDPSession(tab);
    await tabCdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
    await tab.addInitScript((expected) => {
      const marks = (window.__lotseBench = {});
      addEventListener('TrunkApplicationStarted', () => (marks.wasmStarted = performance.now()));
      const check = () => {
        if (!document.querySelector('#contact-search')) return;
        const rows = document.querySelectorAll('li.contact-row').length;
        if (rows > 0 && marks.firstRow === undefined) marks.firstRow = performance.now();
        if (rows >= expected && marks.allRows === undefined) marks.allRows = performance.now();
        marks.rows = rows;
      };
      new MutationObserver(check).observe(document, { childList: true, subtree: true });
    }, total);
    await tab.goto(`${relay.url}/#/contacts`);
    const marks = await tab
      .waitForFunction(() => window.__lotseBench?.allRows !== undefined && window.__lotseBench, null, {
        timeout: 120000,
      })
      .then((h) => h.jsonValue())
      .catch(async () => tab.evaluate(() => window.__lotseBench));
    firstRows.push(marks.firstRow);
    wasmStarted.push(marks.wasmStarted);
    if (marks.allRows !== undefined) allRows.push(marks.allRows);
    rendered = marks.rows;
    console.log(`run ${run + 1}: wasm started at ${ms(marks.wasmStarted)}, first rows at ${ms(marks.firstRow)}, all ${marks.rows} rows at ${marks.allRows === undefined ? 'never' : ms(marks.allRows)}`);
    await tab.close();
  }

  console.log(`BENCH\tlist usable: ${total} contacts, offline, ${THROTTLE}x CPU (median of ${RUNS})\t${allRows.length ? ms(median(allRows)) : `never (${rendered} rows)`}\t<= 1000 ms`);
  console.log(`BENCH\tlist first rows: same conditions\t${ms(median(firstRows))}\t-`);
  console.log(`BENCH\tof which wasm loaded and started (TrunkApplicationStarted)\t${ms(median(wasmStarted))}\t-`);
  console.log(`BENCH\tsave to durable in IndexedDB, median / p95 (1x CPU)\t${ms(median(fast))} / ${ms(p95(fast))}\t<= 50 ms`);
  console.log(`BENCH\tsave to durable in IndexedDB, median / p95 (${THROTTLE}x CPU)\t${ms(median(slow))} / ${ms(p95(slow))}\t-`);
  console.log(`BENCH\tseeding ${CONTACTS} contacts through the form\t${seedSeconds} s\t-`);
} finally {
  await device.close();
  await relay.dispose();
}
