// The network's devices (issue 9, part 6): a coordinator invites two
// mentors by name; each phone joins with the link read from the QR code on
// the coordinator's screen (decoded from a screenshot), and both sync. The
// devices page names each device by the invitation it enrolled with. The
// coordinator removes one while offline: the page says it waits to reach
// the network, then that it is removed; the removed phone says so and cannot
// sync, and what it writes afterwards reaches neither the coordinator nor
// the other mentor, whose sync goes on. Every document the removed phone
// could read moves to a new key (key id 1), which the coordinator's and
// the other mentor's devices hold (kept wrapped in IndexedDB, beside key
// 0) and the removed phone does not; what is written afterwards is sealed
// with it (the relay's log says which key sealed each bundle). The last
// coordinator cannot be removed, and the page says why.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { eventually, launchDevice, relaySql, screenshot, startRelay, unexpectedProblems } from '../lib/harness.mjs';
import {
  accessOf,
  addContact,
  createInvitation,
  deviceRows,
  goTo,
  homeDoc,
  joinWith,
  listedNames,
  openApp,
  openDevices,
  pickLanguage,
  setUpDevice,
  syncState,
  waitForAdmission,
  waitForAppReady,
  waitForServiceWorkerControl,
} from '../lib/app.mjs';

const COORDINATOR = { mentor: 'Aylin Kaya', community: 'Türkische Gemeinde Osnabrück' };
const AYSE = 'Ayşe Demir';
const KARIM = 'Karim Haddad';
const FIRST = { name: 'Leyla Şahin', phone: '+49 541 2000001' };

/// The join link in the QR code on the page: the code scrolled into view,
/// the phone-sized screen shot and decoded as a camera would read it.
async function readQr(page) {
  const qr = page.locator('#join-qr');
  await qr.waitFor({ state: 'visible' });
  await qr.scrollIntoViewIfNeeded();
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const png = PNG.sync.read(await page.screenshot());
  const pixels = new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length);
  return jsQR(pixels, png.width, png.height)?.data ?? null;
}

/// The ids of the document keys the engine keeps in IndexedDB, by
/// document (hex): `doc:<document>:<epoch>:<key id>` entries, each wrapped
/// by a non-extractable key (read from the entry's id and its wrapping
/// key, never its secret).
async function keyIds(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('lotse');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const cursor = db.transaction('keys').objectStore('keys').openCursor();
          const ids = {};
          cursor.onsuccess = () => {
            const c = cursor.result;
            if (!c) {
              db.close();
              for (const doc of Object.keys(ids)) ids[doc].sort((a, b) => a - b);
              resolve(ids);
              return;
            }
            const name = String(c.key);
            if (name.startsWith('doc:')) {
              if (!(c.value.wrap instanceof CryptoKey) || c.value.wrap.extractable) {
                reject(new Error(`${name} is not wrapped by a non-extractable key`));
                return;
              }
              (ids[name.split(':')[1]] ??= []).push(c.value.id);
            }
            c.continue();
          };
          cursor.onerror = () => reject(cursor.error);
        };
      }),
  );
}

/// The key ids of the relay's log of `doc` (hex), in seq order, read from
/// its SQLite file (ciphertext and key ids only: what the relay sees).
function relayKeyIds(relay, doc) {
  return relaySql(relay, `SELECT key_id FROM bundles WHERE doc = X'${doc}' AND epoch = 0 ORDER BY seq;`).split('\n').map(Number);
}

/// Touch targets, labels, and nothing wider than the phone.
async function assertLayout(page, selectors, lang) {
  for (const sel of selectors) {
    for (const el of await page.locator(sel).all()) {
      const b = await el.boundingBox();
      assert.ok(b && b.height >= 44 && b.width >= 44, `${lang}: ${sel} is at least 44 px each way (${JSON.stringify(b)})`);
    }
  }
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert.ok(scroll <= width, `${lang}: nothing sticks out sideways (${scroll} > ${width})`);
}

describe('the devices page and removing a device', () => {
  let relay, coordinator, ayse, karim;

  before(async () => {
    relay = await startRelay();
    coordinator = await launchDevice('devices-coordinator');
    ayse = await launchDevice('devices-ayse');
    karim = await launchDevice('devices-karim');
  });

  after(async () => {
    for (const d of [coordinator, ayse, karim]) await d?.close();
    await relay?.dispose();
  });

  it('two mentors join with the link read from the QR code, and the devices page names them', async () => {
    await openApp(coordinator.page, relay.url);
    await setUpDevice(coordinator.page, COORDINATOR);
    await waitForAdmission(coordinator.page);
    await addContact(coordinator.page, FIRST);

    // The first invitation, for Ayşe: its QR code holds the link.
    const link = await createInvitation(coordinator.page, { forName: AYSE });
    const scanned = await readQr(coordinator.page);
    assert.equal(scanned, link, 'the QR code holds the join link');
    const qr = await coordinator.page.locator('#join-qr').boundingBox();
    assert.ok(qr.width >= 240 && qr.height >= 240, `the QR code is big enough to scan from a phone (${JSON.stringify(qr)})`);
    assert.match(await coordinator.page.getAttribute('#join-qr', 'aria-label'), /QR-Code des Beitrittslinks/);
    assert.equal(await coordinator.page.getAttribute('#join-qr', 'role'), 'img');
    assert.ok(await coordinator.page.$('label[for="invite-name"]'), 'the name has a label');
    await assertLayout(coordinator.page, ['#invite-name', '#invite-valid', '#invite-create', '#copy-join-link'], 'de');
    await screenshot(coordinator.page, 'devices-invite-qr-de');
    await pickLanguage(coordinator.page, 'ar');
    await coordinator.page.locator('#join-qr').scrollIntoViewIfNeeded();
    assert.equal(await readQr(coordinator.page), link, 'the QR code survives a change of language');
    await assertLayout(coordinator.page, ['#invite-name', '#invite-create', '#copy-join-link'], 'ar');
    await screenshot(coordinator.page, 'devices-invite-qr-ar');
    await pickLanguage(coordinator.page, 'de');

    // It is listed as open, with the name, until it is used.
    await openDevices(coordinator.page);
    await eventually(
      async () => (await coordinator.page.$$eval('#open-invitations .invitation-row', (rs) => rs.map((r) => r.dataset.name))).includes(AYSE),
      { message: "Ayşe's invitation is listed as open" },
    );

    await joinWith(ayse.page, scanned, { mentor: AYSE });
    const second = await createInvitation(coordinator.page, { forName: KARIM });
    const scannedSecond = await readQr(coordinator.page);
    assert.equal(scannedSecond, second);
    await joinWith(karim.page, scannedSecond, { mentor: KARIM });

    for (const [d, who] of [[ayse, AYSE], [karim, KARIM]]) {
      await eventually(async () => (await listedNames(d.page)).includes(FIRST.name), {
        message: `${who}'s phone lists the coordinator's contact`,
      });
    }

    // The devices page: three devices, the mentors by the invited names.
    await openDevices(coordinator.page);
    const rows = await eventually(
      async () => {
        const rs = await deviceRows(coordinator.page);
        return rs.length === 3 && rs.every((r) => r.state === 'current') && rs;
      },
      { message: 'three current devices' },
    );
    assert.deepEqual(rows.map((r) => r.name), [COORDINATOR.mentor, AYSE, KARIM], 'in the order they joined, named as invited');
    assert.equal(rows[1].title, `Handy von ${AYSE}`);
    assert.equal(rows[2].title, `Handy von ${KARIM}`);
    assert.ok(rows[0].thisDevice && rows[0].title === `Handy von ${COORDINATOR.mentor}`);
    assert.match(rows[0].text, /Dieses Gerät/);
    assert.match(rows[0].text, /Koordinator\*in/);
    assert.match(rows[0].text, /alle Communities/);
    assert.match(rows[1].text, /Mentor\*in/);
    assert.match(rows[1].text, new RegExp(COORDINATOR.community));
    assert.ok(rows[1].removable && rows[2].removable, 'each mentor may be removed');
    assert.equal(
      await coordinator.page.$$eval('#open-invitations .invitation-row', (rs) => rs.length),
      0,
      'no invitation is open once both were used',
    );

    // The network page lists each invited person once: the profile the
    // invitation made is taken up by the one the phone wrote when it joined.
    await goTo(coordinator.page, '#/network');
    await coordinator.page.waitForSelector('#mentor-list', { state: 'visible' });
    const names = async () => coordinator.page.$$eval('#mentor-list .mentor-row', (rs) => rs.map((r) => r.textContent));
    await eventually(
      async () => {
        const all = await names();
        return [AYSE, KARIM].every((who) => all.filter((t) => t.includes(who)).length === 1);
      },
      { message: `one entry each for ${AYSE} and ${KARIM}`, timeout: 60_000 },
    ).catch(async (e) => {
      throw new Error(`${e.message}\nlisted: ${JSON.stringify(await names())}`);
    });
    await openDevices(coordinator.page);
  });

  it('the last coordinator cannot be removed, and the page says why', async () => {
    const [me] = await deviceRows(coordinator.page);
    assert.equal(me.removable, false, 'no remove button for the last coordinator');
    assert.match(me.whyNot, /Das Netzwerk braucht eine\*n Koordinator\*in/);
    // A mentor's device has no devices page to remove anyone from.
    await goTo(karim.page, '#/devices');
    await karim.page.waitForSelector('#devices-coordinator-only', { state: 'visible' });
    assert.equal(await karim.page.$('.device-remove'), null);
  });

  it('removed while offline: waits for the network, then the phone is cut off and its writes reach nobody', async () => {
    await openDevices(coordinator.page);
    await assertLayout(coordinator.page, ['.device-remove', '#devices-invite'], 'de');
    await screenshot(coordinator.page, 'devices-de');
    await pickLanguage(coordinator.page, 'ar');
    await openDevices(coordinator.page);
    await assertLayout(coordinator.page, ['.device-remove', '#devices-invite'], 'ar');
    await screenshot(coordinator.page, 'devices-ar');
    await pickLanguage(coordinator.page, 'de');
    await openDevices(coordinator.page);

    await waitForServiceWorkerControl(coordinator.page);
    await coordinator.context.setOffline(true);
    await eventually(async () => (await syncState(coordinator.page)) === 'offline', {
      message: 'the coordinator is offline',
    });
    const row = coordinator.page.locator(`#devices .device-row[data-name="${AYSE}"]`);
    await row.locator('.device-remove').click();
    const confirm = row.locator('.retire-confirm');
    await confirm.waitFor({ state: 'visible' });
    const said = (await confirm.textContent()).replace(/[\u2068\u2069]/g, '');
    assert.match(said, /Ayşe Demir aus dem Netzwerk entfernen\?/);
    assert.match(said, /kann nichts mehr teilen/);
    assert.match(said, /Was darauf ist, bleibt darauf/);
    assert.match(said, /erreicht niemanden/);
    await assertLayout(coordinator.page, ['.retire-yes', '.retire-cancel'], 'de');
    await screenshot(coordinator.page, 'devices-confirm-de');
    await confirm.locator('.retire-yes').click();
    await eventually(async () => (await row.getAttribute('data-state')) === 'retiring', {
      message: 'the removal waits to reach the network',
    });
    assert.match(await row.textContent(), /wartet darauf, das Netzwerk zu erreichen/);
    await screenshot(coordinator.page, 'devices-removing-de');
    assert.equal(await accessOf(ayse.page), 'member', 'nothing changed for the phone while the removal waits');

    // Started again offline (the membership log cannot be read): the
    // devices are there as this device last read them, and say so.
    const before = (await deviceRows(coordinator.page)).map((r) => [r.name, r.state]);
    await coordinator.page.reload();
    await waitForAppReady(coordinator.page);
    await openDevices(coordinator.page);
    await coordinator.page.waitForSelector('#devices-remembered', { state: 'visible' });
    assert.match(await coordinator.page.textContent('#devices-remembered'), /zuletzt gesehen/);
    assert.deepEqual((await deviceRows(coordinator.page)).map((r) => [r.name, r.state]), before);
    await screenshot(coordinator.page, 'devices-remembered-de');

    await coordinator.context.setOffline(false);
    await coordinator.page.waitForSelector('#devices-remembered', { state: 'detached', timeout: 60_000 });
    await eventually(async () => (await row.getAttribute('data-state')) === 'retired', {
      message: 'the relay stored the removal',
      timeout: 60_000,
    });
    assert.match(await row.textContent(), /Aus dem Netzwerk entfernt/);
    assert.equal(await row.locator('.device-remove').count(), 0);

    // The removed phone says so and cannot sync.
    await ayse.page.waitForSelector('#access-note[data-access="retired"]', { state: 'visible' });
    assert.match(await ayse.page.textContent('#access-note'), /Dieses Gerät wurde aus dem Netzwerk entfernt/);
    assert.equal(await syncState(ayse.page), 'refused');
    await screenshot(ayse.page, 'devices-removed-phone-de');

    // Every document the removed phone could read moved to key 1: the
    // coordinator and the other mentor hold it beside key 0, the removed
    // phone only key 0.
    const community = await homeDoc(coordinator.page);
    assert.equal(await homeDoc(karim.page), community);
    for (const [d, who] of [[coordinator, 'the coordinator'], [karim, 'Karim']]) {
      const ids = await eventually(
        async () => {
          const ids = await keyIds(d.page);
          return Object.keys(ids).length === 2 && Object.values(ids).every((k) => k.join() === '0,1') && ids;
        },
        { message: `${who}'s device holds key 1 of both documents`, timeout: 60_000 },
      ).catch(async (e) => {
        throw new Error(`${e.message}: ${JSON.stringify(await keyIds(d.page))}`);
      });
      assert.ok(ids[community], `${who} holds the community's keys`);
    }
    const held = await keyIds(ayse.page);
    assert.deepEqual(Object.values(held), [[0], [0]], `the removed phone holds only key 0 (${JSON.stringify(held)})`);

    // What it writes afterwards reaches nobody; the others go on, sealing
    // with the new key.
    await addContact(ayse.page, { name: 'Nach dem Entfernen', phone: '+49 541 2000009' });
    await addContact(coordinator.page, { name: 'Vom Büro danach', phone: '+49 541 2000010' });
    await addContact(karim.page, { name: 'Von Karim danach', phone: '+49 541 2000011' });
    await eventually(async () => (await listedNames(karim.page)).includes('Vom Büro danach'), {
      message: "Karim still receives the coordinator's contacts",
    });
    await eventually(async () => (await listedNames(coordinator.page)).includes('Von Karim danach'), {
      message: "the coordinator still receives Karim's contacts",
    });
    await new Promise((r) => setTimeout(r, 3_000));
    assert.equal((await listedNames(coordinator.page)).includes('Nach dem Entfernen'), false, 'not at the coordinator');
    assert.equal((await listedNames(karim.page)).includes('Nach dem Entfernen'), false, 'not at the other mentor');
    assert.equal((await listedNames(ayse.page)).includes('Vom Büro danach'), false, 'the removed phone gets nothing new');
    assert.ok((await listedNames(ayse.page)).includes(FIRST.name), 'what it held stays on it');
    assert.equal(await accessOf(ayse.page), 'retired');
    assert.equal(await accessOf(karim.page), 'member');
    assert.deepEqual(Object.values(await keyIds(ayse.page)), [[0], [0]], 'still nothing new on the removed phone');
    // The two contacts written after the rotation are the log's last two
    // bundles, both sealed with key 1; before it, everything with key 0.
    const sealedWith = relayKeyIds(relay, community);
    assert.deepEqual(sealedWith.slice(-2), [1, 1], `the last bundles' keys: ${sealedWith}`);
    const first = sealedWith.indexOf(1);
    assert.ok(first > 0 && sealedWith.slice(0, first).every((k) => k === 0), `key 0, then key 1: ${sealedWith}`);
    assert.ok(sealedWith.slice(first).every((k) => k === 1), `nothing sealed with key 0 after key 1: ${sealedWith}`);
  });

  it('no page errors on any device', async () => {
    const problems = unexpectedProblems([coordinator, ayse, karim].flatMap((d) => d.problems));
    assert.deepEqual(problems, []);
  });
});
