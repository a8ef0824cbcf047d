// Screenshots of pages for a person to look at while building them.
//
//   node e2e/tools/shoot.mjs --app-dir /tmp/dist-x --out /tmp/shots-x [--lang ar] [--demo] '#/events' '#/events/new' …
//
// Starts a relay on a free port serving --app-dir, sets up a device (or, with
// --demo, opens #/demo to fill demo data), then for each hash takes a
// 412x915 shot and a full-page shot into --out. A hash may be followed by
// `@click=<selector>` steps, e.g. '#/events/new@click=#save-event'.

import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import { launchDevice, startRelay } from '../lib/harness.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const [v] = args.splice(i, 2).slice(1);
  return v;
};
const flag = (name) => {
  const i = args.indexOf(name);
  if (i >= 0) args.splice(i, 1);
  return i >= 0;
};
const appDir = opt('--app-dir', undefined);
const out = opt('--out', '/tmp/lotse-shots');
const lang = opt('--lang', 'de');
const demo = flag('--demo');
await mkdir(out, { recursive: true });

const relay = await startRelay(appDir ? { appDir } : {});
const device = await launchDevice('shoot', { locale: lang });
const page = device.page;
try {
  await page.goto(relay.url);
  await page.evaluate((l) => localStorage.setItem('lotse.lang', JSON.stringify(l)), lang);
  if (demo) {
    await page.goto(`${relay.url}/#/demo`);
    await page.waitForSelector('.app-nav', { state: 'visible', timeout: 120_000 });
  } else {
    await page.reload();
    await page.waitForSelector('#setup-save', { state: 'visible' });
    await page.fill('#mentor-name', 'Aylin Kaya');
    await page.fill('#community-name', 'Türkische Community');
    await page.click('#setup-save');
    await page.waitForSelector('.app-nav', { state: 'visible' });
  }
  let n = 0;
  for (const spec of args) {
    const [hash, ...steps] = spec.split('@');
    await page.evaluate((h) => {
      location.hash = h;
    }, hash);
    await page.waitForTimeout(400);
    for (const step of steps) {
      const [verb, sel] = step.split('=');
      if (verb === 'click') await page.click(sel);
      await page.waitForTimeout(300);
    }
    const name = `${String(++n).padStart(2, '0')}-${hash.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '') || 'home'}`;
    await page.screenshot({ path: path.join(out, `${name}.png`) });
    await page.screenshot({ path: path.join(out, `${name}-full.png`), fullPage: true });
    console.log(path.join(out, `${name}.png`));
  }
  if (device.problems.length) console.log('page problems:', device.problems);
} finally {
  await device.close();
  await relay.dispose();
}
