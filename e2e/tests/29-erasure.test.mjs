// Erasure that erases (issue 13), end to end: a coordinator and two
// mentors; one mentor is offline and writes meanwhile (a new contact, and a
// note on the person to be erased). The coordinator erases the person from
// the erasure page. The online mentor moves to the community's new epoch at
// once; the receipt names who has moved and who has not. The offline mentor
// comes back, moves, and its new contact reaches everyone while its note on
// the erased person is dropped. The relay then deletes the old epoch.
//
// Afterwards a raw scan (e2e/lib/scan.mjs: LevelDB's logs and tables, Snappy,
// UTF-8 and UTF-16) of each device's IndexedDB folder finds none of the
// person's name, phone or notes, nor the offline note; the relay's database
// file holds none of the old epoch's sealed bytes. The same scans find them
// all before the erasure (the control).

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { eventually, filesUnder, launchDevice, relaySql, screenshot, startRelay, unexpectedProblems } from '../lib/harness.mjs';
import {
  addContact,
  createInvitation,
  editOpenContact,
  goTo,
  homeDoc,
  joinWith,
  listedNames,
  openApp,
  openContact,
  pickContact,
  plain,
  setUpDevice,
  syncState,
  waitForAdmission,
} from '../lib/app.mjs';
import { foundTexts } from '../lib/scan.mjs';

const COORDINATOR = { mentor: 'Aylin Kaya', community: 'Türkische Gemeinde Osnabrück' };
const AYSE = 'Ayşe Demir';
const KARIM = 'Karim Haddad';
const PERSON = { name: 'Quirina Zwetschgenbaum', phone: '+49 541 7770123', notes: 'Marker plover kwyjibo' };
const OTHER = { name: 'Leyla Şahin', phone: '+49 541 2000001' };
// Written by Karim's phone while it is offline.
const LATE = { name: 'Bora Nachzügler', phone: '+49 541 2000077' };
const LATE_NOTE = 'Spaetnotiz Xylofonbaum';
const MARKERS = [PERSON.name, PERSON.phone, PERSON.notes];

/// Pieces of every sealed bundle and snapshot of the document's first
/// epoch in the relay's database: ciphertext, so each piece is found only
/// where that bundle's bytes are.
function oldEpochPieces(relay, doc) {
  const rows = relaySql(
    relay,
    `SELECT hex(sealed) FROM bundles WHERE doc = X'${doc}' AND epoch = 0 UNION ALL SELECT hex(sealed) FROM snapshots WHERE doc = X'${doc}' AND epoch = 0;`,
  );
  return rows
    .split('\n')
    .filter(Boolean)
    .map((hex) => Buffer.from(hex, 'hex'))
    .filter((b) => b.length >= 96)
    .map((b) => b.subarray(64, 96));
}

/// The pieces found anywhere in the relay's data folder (its database, WAL
/// and shared-memory files), read raw.
async function piecesOnDisk(relay, pieces) {
  const files = await Promise.all((await filesUnder(relay.dataDir)).map((f) => readFile(f).catch(() => Buffer.alloc(0))));
  return pieces.filter((p) => files.some((bytes) => bytes.indexOf(p) !== -1)).length;
}

const idbDir = (device) => path.join(device.userDataDir, 'Default', 'IndexedDB');

/// The receipt's devices: `[{ text, state }]`, and whether all moved.
async function receipt(page) {
  await goTo(page, '#/erasure');
  const r = await page
    .$eval('#erasure-receipts li.receipt', (r) => ({
      everyone: r.dataset.everyone === 'true',
      counts: r.querySelector('.receipt-counts').textContent,
      relay: r.querySelector('.receipt-relay').textContent,
      devices: [...r.querySelectorAll('.receipt-device')].map((d) => ({ text: d.textContent, state: d.dataset.state })),
    }))
    .catch(() => null);
  if (r) {
    for (const k of ['counts', 'relay']) r[k] = plain(r[k]);
    for (const d of r.devices) d.text = plain(d.text);
  }
  return r;
}

describe('erasing a person: every device moves, the bytes are gone', () => {
  let relay, coordinator, ayse, karim, doc;
  // The old epoch's bytes on the relay, as it held them before the erasure.
  let oldPieces = [];

  before(async () => {
    relay = await startRelay();
    coordinator = await launchDevice('erasure-coordinator');
    ayse = await launchDevice('erasure-ayse');
    karim = await launchDevice('erasure-karim');
  });

  after(async () => {
    for (const d of [coordinator, ayse, karim]) await d?.close();
    await relay?.dispose();
  });

  it('before: the person is on every device, and the scans find them (the control)', async () => {
    await openApp(coordinator.page, relay.url);
    await setUpDevice(coordinator.page, COORDINATOR);
    await waitForAdmission(coordinator.page);
    await addContact(coordinator.page, PERSON);
    await addContact(coordinator.page, OTHER);
    await joinWith(ayse.page, await createInvitation(coordinator.page, { forName: AYSE }), { mentor: AYSE });
    await joinWith(karim.page, await createInvitation(coordinator.page, { forName: KARIM }), { mentor: KARIM });
    for (const d of [ayse, karim]) {
      await eventually(async () => (await listedNames(d.page)).includes(PERSON.name), {
        message: `${d.name} lists the person`,
      });
    }
    doc = await homeDoc(coordinator.page);
    for (const d of [coordinator, ayse, karim]) {
      const found = await foundTexts([idbDir(d)], MARKERS);
      assert.ok(found.length > 0, `the scan finds the person in ${d.name}'s IndexedDB before the erasure`);
    }
    const pieces = oldEpochPieces(relay, doc);
    assert.ok(pieces.length >= 2, `the relay holds the community's log (${pieces.length} bundles)`);
    assert.equal(await piecesOnDisk(relay, pieces), pieces.length, "the scan finds every bundle's bytes in the relay's files");
    assert.deepEqual(await foundTexts([relay.dataDir], MARKERS), [], 'the relay never held the person in plain text');
  });

  it('the coordinator erases the person while a mentor is offline and writing', async () => {
    await karim.context.setOffline(true);
    await eventually(async () => (await syncState(karim.page)) === 'offline', { message: "Karim's phone is offline" });
    await addContact(karim.page, LATE);
    await openContact(karim.page, PERSON.name);
    await editOpenContact(karim.page, { notes: `${PERSON.notes} ${LATE_NOTE}` });

    oldPieces = oldEpochPieces(relay, doc);

    await goTo(coordinator.page, '#/erasure');
    await pickContact(coordinator.page, 'erasure-contact', PERSON.name);
    await coordinator.page.waitForSelector('#erasure-preview', { state: 'visible' });
    await coordinator.page.waitForSelector('#erasure-erase', { state: 'visible' });
    assert.ok(await coordinator.page.$('label[for="erasure-days"]'), 'the deadline has a label');
    await coordinator.page.selectOption('#erasure-days', '7');
    await coordinator.page.click('#erasure-erase');
    await coordinator.page.waitForSelector('#erasure-confirm', { state: 'visible' });
    const confirm = await coordinator.page.locator('#erasure-confirm').boundingBox();
    assert.ok(confirm.height >= 44, `the confirm button is a touch target (${confirm.height} px)`);
    await screenshot(coordinator.page, 'erasure-confirm-de');
    await coordinator.page.click('#erasure-confirm');
    await coordinator.page.waitForSelector('#erasure-done', { state: 'visible' });

    for (const d of [coordinator, ayse]) {
      await eventually(
        async () => {
          const names = await listedNames(d.page);
          return !names.includes(PERSON.name) && names.includes(OTHER.name);
        },
        { message: `${d.name} no longer lists the person, and still the other contact`, timeout: 60_000 },
      );
    }
    const r = await eventually(
      async () => {
        const r = await receipt(coordinator.page);
        return r?.devices.length === 3 && r.devices.filter((d) => d.state === 'moved').length === 2 && r;
      },
      { message: 'the receipt names three devices, two of them moved', timeout: 60_000 },
    );
    assert.equal(r.everyone, false);
    const waiting = r.devices.find((d) => d.state === 'waiting');
    assert.match(waiting.text, new RegExp(KARIM), "Karim's phone has not moved");
    assert.match(r.counts, /Kontakt 1/, 'the receipt counts what was erased');
    for (const text of MARKERS) assert.ok(!JSON.stringify(r).includes(text), 'the receipt names nothing of the person');
    await screenshot(coordinator.page, 'erasure-receipt-waiting-de', { fullPage: true });
    // Until Karim moves, the relay keeps the old epoch.
    assert.ok(Number(relaySql(relay, `SELECT count(*) FROM bundles WHERE doc = X'${doc}' AND epoch = 0;`)) > 0);
  });

  it('the offline mentor comes back: it moves, its other writes are carried, its note on the person is dropped', async () => {
    await karim.context.setOffline(false);
    await eventually(
      async () => {
        const names = await listedNames(karim.page);
        return !names.includes(PERSON.name) && names.includes(LATE.name) && names.includes(OTHER.name);
      },
      { message: "Karim's phone moved: the person gone, its own new contact kept", timeout: 90_000 },
    );
    for (const d of [coordinator, ayse]) {
      await eventually(async () => (await listedNames(d.page)).includes(LATE.name), {
        message: `${d.name} gets the contact Karim wrote offline`,
        timeout: 60_000,
      });
    }
    // Karim's note on the person was dropped, and the receipt says so in
    // counts only.
    const r = await eventually(
      async () => {
        const r = await receipt(coordinator.page);
        return r?.everyone && r.devices.some((d) => d.text.includes(KARIM) && /verworfen/.test(d.text)) && r;
      },
      { message: "the receipt says every device moved, and what Karim's phone dropped", timeout: 60_000 },
    );
    assert.ok(r.devices.every((d) => d.state === 'moved'), JSON.stringify(r.devices));
    assert.match(r.devices.find((d) => d.text.includes(KARIM)).text, /offline über die Person schrieb: Kontakt 1/);
    assert.ok(!JSON.stringify(r).includes(LATE_NOTE), 'the receipt holds nothing of what was dropped');
    assert.match(r.relay, /gesehen am \d\d\.\d\d\.\d{4}, \d\d:\d\d\): Das Relay hat da die alte Fassung gelöscht/);
    for (const d of r.devices) assert.match(d.text, /umgezogen \(gesehen am /, 'each device with when it was seen moved');
    await screenshot(coordinator.page, 'erasure-receipt-done-de', { fullPage: true });
  });

  it('afterwards no byte of the person is on any device or on the relay', async () => {
    await eventually(
      async () => Number(relaySql(relay, `SELECT count(*) FROM bundles WHERE doc = X'${doc}' AND epoch = 0;`)) === 0,
      { message: 'the relay deleted the old epoch', timeout: 60_000 },
    );
    assert.equal(Number(relaySql(relay, `SELECT count(*) FROM snapshots WHERE doc = X'${doc}' AND epoch = 0;`)), 0);
    assert.equal(await piecesOnDisk(relay, oldPieces), 0, "none of the old epoch's bytes is left in the relay's files");
    assert.deepEqual(await foundTexts([relay.dataDir], [...MARKERS, LATE_NOTE]), []);
    // Each device scrubs its store after the move (LevelDB compacts once
    // enough is written): give it the time.
    for (const d of [coordinator, ayse, karim]) {
      await eventually(async () => (await foundTexts([idbDir(d)], [...MARKERS, LATE_NOTE])).length === 0, {
        message: `no byte of the person in ${d.name}'s IndexedDB`,
        timeout: 120_000,
        interval: 3_000,
      }).catch(async (e) => {
        throw new Error(`${e.message}\nfound: ${JSON.stringify(await foundTexts([idbDir(d)], [...MARKERS, LATE_NOTE]))}`);
      });
    }
    // What everyone else wrote is all there.
    for (const d of [coordinator, ayse, karim]) {
      const names = await listedNames(d.page);
      assert.ok(names.includes(OTHER.name) && names.includes(LATE.name), `${d.name}: ${names}`);
    }
    for (const d of [coordinator, ayse, karim]) assert.deepEqual(unexpectedProblems(d.problems), [], d.name);
  });
});
