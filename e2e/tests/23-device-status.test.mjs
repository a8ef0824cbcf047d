// A device's own status (issues 9 and 14): a coordinator and two mentors'
// phones sync through a real relay; each writes its status (whose it is,
// when it last finished a sync, whether the browser keeps its storage)
// into the network document. The coordinator's devices page names every
// device by the person its status names, with its last sync and storage;
// the report says how complete it is ("2 of 2 active devices synced after
// the end of the period"), leaving out a removed device. Screenshots of
// the devices page in German and Arabic.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, launchDevice, screenshot, startRelay } from '../lib/harness.mjs';
import {
  accessOf,
  createInvitation,
  deviceRows,
  goTo,
  joinWith,
  openApp,
  openDevices,
  pickLanguage,
  plain,
  setUpDevice,
  waitForAdmission,
} from '../lib/app.mjs';

const COORDINATOR = { mentor: 'Aylin Kaya', community: 'Türkische Gemeinde Osnabrück' };
const AYSE = 'Ayşe Demir';
const KARIM = 'Karim Haddad';
const OLGA = 'Olga Petrova';

async function completeness(page) {
  const note = page.locator('#report-completeness');
  await note.waitFor({ state: 'visible' });
  return {
    text: plain(await note.textContent()),
    synced: await note.getAttribute('data-synced'),
    active: await note.getAttribute('data-active'),
  };
}

describe("each device's status: the devices page and the report's completeness", () => {
  let relay, coordinator, ayse, karim, olga;

  before(async () => {
    relay = await startRelay();
    coordinator = await launchDevice('status-coordinator');
    ayse = await launchDevice('status-ayse');
    karim = await launchDevice('status-karim');
    olga = await launchDevice('status-olga');
  });

  after(async () => {
    for (const d of [coordinator, ayse, karim, olga]) await d?.close();
    await relay?.dispose();
  });

  it("the coordinator's devices page shows whose each device is, its last sync and its storage", async () => {
    const started = Date.now();
    await openApp(coordinator.page, relay.url);
    await setUpDevice(coordinator.page, COORDINATOR);
    await waitForAdmission(coordinator.page);
    await joinWith(ayse.page, await createInvitation(coordinator.page, { forName: AYSE }), { mentor: AYSE });
    await joinWith(karim.page, await createInvitation(coordinator.page, { forName: KARIM }), { mentor: KARIM });

    await openDevices(coordinator.page);
    const rows = await eventually(
      async () => {
        const rs = await deviceRows(coordinator.page);
        return rs.length === 3 && rs.every((r) => r.synced !== '') && rs;
      },
      { timeout: 60_000, message: 'three devices, each with a last sync' },
    );
    assert.deepEqual(rows.map((r) => r.name), [COORDINATOR.mentor, AYSE, KARIM], 'each named by the person its status names');
    assert.deepEqual(rows.map((r) => r.title), [COORDINATOR.mentor, AYSE, KARIM].map((n) => `Handy von ${n}`));
    for (const r of rows) {
      const at = Number(r.synced);
      assert.ok(at >= started - 1000 && at <= Date.now() + 1000, `${r.name}: synced during the test (${at})`);
      assert.match(r.syncText, /^Zuletzt synchronisiert: \d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}$/, `${r.name}: in German`);
      assert.ok(['yes', 'no'].includes(r.persistent), `${r.name}: says whether its storage is kept`);
    }
    // The coordinator's own row says about its storage what its own
    // device page says.
    await goTo(coordinator.page, '#/device');
    const own = await coordinator.page.getAttribute('#storage-persisted', 'data-persisted');
    assert.equal(rows[0].persistent, own, 'the status carries what navigator.storage.persisted() said');

    // German and Arabic, looked at.
    await openDevices(coordinator.page);
    await coordinator.page.waitForSelector('#devices .device-synced');
    await coordinator.page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(coordinator.page, 'device-status-de');
    await pickLanguage(coordinator.page, 'ar');
    await openDevices(coordinator.page);
    await coordinator.page.waitForSelector('#devices .device-synced');
    const ar = await deviceRows(coordinator.page);
    assert.ok(ar.every((r) => r.syncText.startsWith('آخر مزامنة')), 'the last sync in Arabic');
    const { scroll, width } = await coordinator.page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      width: window.innerWidth,
    }));
    assert.ok(scroll <= width, `nothing sticks out sideways in Arabic (${scroll} > ${width})`);
    await coordinator.page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(coordinator.page, 'device-status-ar');
    await pickLanguage(coordinator.page, 'de');

    // A mentor sees what a mentor saw before: no list of devices.
    await openDevices(ayse.page);
    await ayse.page.waitForSelector('#devices-coordinator-only', { state: 'visible' });
    assert.equal(await ayse.page.$('#devices .device-row'), null);
  });

  it('the report says how many active devices synced after the period, leaving out a removed one', async () => {
    const page = coordinator.page;
    await goTo(page, '#/report');
    await page.waitForSelector('#report-figures', { state: 'visible', timeout: 60_000 });
    // This quarter runs on: a sync today holds all of it so far.
    assert.deepEqual(await completeness(page), {
      text: '3 von 3 aktiven Geräten haben heute synchronisiert; der Zeitraum läuft noch.',
      synced: '3',
      active: '3',
    });

    // Karim's phone is removed: it no longer counts.
    await openDevices(page);
    const row = page.locator('#devices .device-row', { hasText: KARIM });
    await row.locator('.device-remove').click();
    await row.locator('.retire-yes').click();
    await eventually(async () => (await row.getAttribute('data-state')) === 'retired', { message: "Karim's phone is removed" });

    // A period that ended: every active device synced after its end.
    await goTo(page, '#/report');
    await page.waitForSelector('#report-figures', { state: 'visible', timeout: 60_000 });
    await page.selectOption('#report-period-choice', 'range');
    await page.fill('#report-from', '2026-01-01');
    await page.dispatchEvent('#report-from', 'change');
    await page.fill('#report-to', '2026-01-31');
    await page.dispatchEvent('#report-to', 'change');
    await eventually(async () => (await completeness(page)).active === '2', { message: 'two active devices' });
    assert.deepEqual(await completeness(page), {
      text: '2 von 2 aktiven Geräten haben nach dem Ende des Zeitraums synchronisiert.',
      synced: '2',
      active: '2',
    });
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'device-status-report-de');
  });

  it('a device that never reported a sync is named as late', async () => {
    const page = coordinator.page;
    // Olga's phone enrols while the coordinator's device is offline (so
    // nobody hands it the network's key, and it cannot write its status),
    // then goes offline itself before the coordinator's device is back.
    const link = await createInvitation(page, { forName: OLGA });
    await coordinator.context.setOffline(true);
    await joinWith(olga.page, link, { mentor: OLGA, admitted: false });
    await eventually(async () => !['unknown', null].includes(await accessOf(olga.page)), {
      message: "the relay answered Olga's phone",
    });
    await olga.context.setOffline(true);
    await coordinator.context.setOffline(false);

    await goTo(page, '#/report');
    await page.waitForSelector('#report-figures', { state: 'visible', timeout: 60_000 });
    await page.selectOption('#report-period-choice', 'range');
    await page.fill('#report-from', '2026-01-01');
    await page.dispatchEvent('#report-from', 'change');
    await page.fill('#report-to', '2026-01-31');
    await page.dispatchEvent('#report-to', 'change');
    await eventually(async () => (await completeness(page)).active === '3', {
      timeout: 60_000,
      message: "Olga's phone is read of",
    });
    const note = await completeness(page);
    assert.equal(note.synced, '2');
    assert.match(note.text, /^2 von 3 aktiven Geräten haben nach dem Ende des Zeitraums synchronisiert\./);
    assert.match(note.text, new RegExp(`${OLGA}: noch keine Synchronisierung gemeldet$`), 'named by her invitation');
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'device-status-report-late-de');
  });
});
