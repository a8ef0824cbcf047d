import { writeFile } from 'node:fs/promises';
import { launchDevice, startRelay } from './lib/harness.mjs';
import { openApp, waitForServiceWorkerControl } from './lib/app.mjs';
const size = process.argv[2] || 'mentor';
const relay = await startRelay({ appDir: process.env.APPDIR || '/tmp/dist-prof' });
const device = await launchDevice('prof');
const { page, context } = device;
await openApp(page, relay.url);
await waitForServiceWorkerControl(page);
await relay.stop();
await context.setOffline(true);
await page.evaluate((s) => { location.hash = `#/demo?size=${s}`; }, size);
await page.waitForSelector('.app-nav #nav-today', { timeout: 40 * 60_000 });
await new Promise((r) => setTimeout(r, 15000));
for (let run = 0; run < 3; run++) {
  const tab = await context.newPage();
  const cdp = await context.newCDPSession(tab);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await tab.addInitScript(() => {
    const marks = (window.__m = {});
    const check = () => {
      if (marks.today === undefined && document.querySelector('.app-nav') && document.querySelector('#quick-consultation')) marks.today = performance.now();
    };
    new MutationObserver(check).observe(document, { childList: true, subtree: true });
  });
  await cdp.send('Profiler.start');
  const t0 = Date.now();
  await tab.goto(`${relay.url}/#/today`);
  await tab.waitForFunction(() => window.__m?.today !== undefined, null, { timeout: 60000 });
  const { profile } = await cdp.send('Profiler.stop');
  const marks = await tab.evaluate(() => ({ nodes: document.getElementsByTagName('*').length, due: document.querySelectorAll('.due-row').length, events: document.querySelectorAll('.event-row, #upcoming-list li').length, today: window.__m.today, ...Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, m.startTime])) }));
  console.log(run, JSON.stringify(marks));
  await writeFile(`/tmp/prof/${size}-${run}.cpuprofile`, JSON.stringify(profile));
  await tab.close();
}
await device.close();
await relay.dispose();
