// A save whose IndexedDB write fails (injected: the outbox's `put` throws a
// QuotaExceededError once, as a full phone does) is neither shown nor pushed:
// the form says so in the mentor's language and keeps the entry, no list
// shows it, a second device never receives it, the next save works, and
// after a reload the device and the relay agree.
//
// Then the read model: the app reopened offline shows its lists from the
// stored rows before it loads a single document, and a row is never shown
// for a change the store does not hold.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO, eventually, launchDevice, screenshot, startRelay, unexpectedProblems } from '../lib/harness.mjs';
import {
  addContact,
  documentsLoaded,
  engineWorker,
  fillContact,
  goTo,
  joinWith,
  listedNames,
  openApp,
  readJoinLink,
  setUpDevice,
  waitForShell,
} from '../lib/app.mjs';

const FIRST = { name: 'Ayla Erfolg', phone: '0541 100001' };
const FAILED = { name: 'Bora Fehlschlag', phone: '0541 100002' };
const NEXT = { name: 'Cem Weiter', phone: '0541 100003' };

/// Makes the next `n` writes to the outbox throw, as a full disk does: in
/// the engine worker, which does every write of documents.
async function failNextOutboxWrites(page, n) {
  const worker = await engineWorker(page);
  await worker.evaluate((count) => {
    self.__lotseFailOutbox = count;
    if (self.__lotseFailPatched) return;
    self.__lotseFailPatched = true;
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (...args) {
      if (this.name === 'outbox' && self.__lotseFailOutbox > 0) {
        self.__lotseFailOutbox -= 1;
        throw new DOMException('injected by the test', 'QuotaExceededError');
      }
      return put.apply(this, args);
    };
  }, n);
}

test('a save whose write fails is not shown, not pushed, and the next save works', async (t) => {
  const relay = await startRelay();
  const a = await launchDevice('failed-save-a');
  const b = await launchDevice('failed-save-b');
  t.after(async () => {
    await a.close();
    await b.close();
    await relay.dispose();
  });

  await openApp(a.page, relay.url);
  await setUpDevice(a.page, { mentor: 'Aylin Kaya', community: 'Türkische Gemeinde Osnabrück' });
  await addContact(a.page, FIRST);
  const link = await readJoinLink(a.page);
  await joinWith(b.page, link, { mentor: 'Bogdan Wiśniewski' });
  await eventually(async () => (await listedNames(b.page)).includes(FIRST.name), {
    message: 'device B received the first contact',
  });

  // Tried: a contact saved while the store refuses the write.
  await failNextOutboxWrites(a.page, 1);
  await goTo(a.page, '#/contacts/new');
  await fillContact(a.page, FAILED);
  await a.page.click('#save-contact');
  await a.page.waitForSelector('#save-failed', { state: 'visible' });
  const message = (await a.page.textContent('#save-failed')).trim();
  assert.match(message, /Speicher dieses Handys ist voll/, 'the form says why, in German');
  assert.doesNotMatch(message, /QuotaExceeded|IndexedDB|injected/, 'no browser English in the message');
  assert.equal(await a.page.evaluate(() => location.hash), '#/contacts/new', 'the form stays open');
  assert.equal(await a.page.inputValue('#name'), FAILED.name, 'the entry is still in the form');
  // The app scrolls the message into view, clear of the bottom bar.
  await eventually(
    async () =>
      a.page.$eval('#save-failed', (el) => {
        const r = el.getBoundingClientRect();
        const bar = document.querySelector('.app-nav').getBoundingClientRect();
        return r.top >= 0 && r.bottom <= bar.top;
      }),
    { message: 'the message above the bottom bar' },
  );
  await screenshot(a.page, 'failed-save-de');

  // Not in any list on this device.
  await goTo(a.page, '#/contacts');
  await a.page.waitForSelector('#contact-search', { state: 'visible' });
  assert.deepEqual(await listedNames(a.page), [FIRST.name], 'the failed contact is not listed');

  // The next save works, and it reaches device B; the failed one never does.
  await addContact(a.page, NEXT);
  assert.deepEqual(await listedNames(a.page), [FIRST.name, NEXT.name].sort());
  await eventually(async () => (await listedNames(b.page)).includes(NEXT.name), {
    message: 'device B received the next contact',
  });
  assert.ok(!(await listedNames(b.page)).includes(FAILED.name), 'the failed contact was never pushed');

  // After a reload both agree with the relay.
  await a.page.reload();
  await waitForShell(a.page);
  await eventually(async () => JSON.stringify(await listedNames(a.page)) === JSON.stringify([FIRST.name, NEXT.name].sort()), {
    message: 'device A after a reload lists exactly what was saved',
  });
  await b.page.reload();
  await waitForShell(b.page);
  await eventually(async () => JSON.stringify(await listedNames(b.page)) === JSON.stringify([FIRST.name, NEXT.name].sort()), {
    message: 'device B after a reload lists the same',
  });

  const expected = (p) => /store: .*injected by the test/.test(p);
  assert.deepEqual(unexpectedProblems(a.problems).filter((p) => !expected(p)), [], 'no other page errors on A');
  assert.deepEqual(unexpectedProblems(b.problems), [], 'no page errors on B');
});

test('reopened offline, the lists come from the stored rows before any document is loaded', async (t) => {
  const relay = await startRelay();
  const device = await launchDevice('read-model');
  t.after(async () => {
    await device.close();
    await relay.dispose();
  });
  const { page, context } = device;
  await openApp(page, relay.url);
  await setUpDevice(page, { mentor: 'Olga Zeilen', community: 'Russischsprachige Familien' });
  await addContact(page, { name: 'Irina Zeile', phone: '0541 200001' });
  // The rows are written a moment after the last change. Rows of both
  // documents exist from the set-up on, so wait for rows that hold the new
  // contact (stale rows are never shown, and the list would be empty).
  await eventually(
    async () =>
      page.evaluate(
        (name) =>
          new Promise((resolve) => {
            const text = (v) =>
              v instanceof ArrayBuffer || ArrayBuffer.isView(v)
                ? new TextDecoder().decode(v)
                : Array.isArray(v)
                  ? v.map(text).join(' ')
                  : String(v);
            const open = indexedDB.open('lotse');
            open.onsuccess = () => {
              const db = open.result;
              const req = db.transaction('rows').objectStore('rows').getAll();
              req.onsuccess = () => resolve(req.result.length >= 2 && req.result.some((r) => text(r).includes(name)));
              req.onerror = () => resolve(false);
            };
            open.onerror = () => resolve(false);
          }),
        'Irina Zeile',
      ),
    { message: 'the rows of both documents stored, the new contact in them' },
  );

  await relay.stop();
  await context.setOffline(true);
  await page.reload();
  await waitForShell(page);
  assert.deepEqual(await listedNames(page), ['Irina Zeile'], 'the contact is listed offline');
  // The engine marks every document it loads; drawing the list loaded none.
  await engineWorker(page);
  assert.equal(await documentsLoaded(page), 0, 'no document was loaded to draw the list');

  // A save loads its document first, and is shown as before.
  await addContact(page, { name: 'Pawel Danach', phone: '0541 200002' });
  assert.deepEqual(await listedNames(page), ['Irina Zeile', 'Pawel Danach']);
  assert.ok((await documentsLoaded(page)) > 0, 'the save loaded the document');

  // Tried: rows written by another version of the app (schema 99, the
  // stamp still matching the chunks). They are never shown as current: the
  // app reads the documents instead and writes rows of its own schema.
  const rewriteRows = (schema) =>
    page.evaluate(
      (s) =>
        new Promise((resolve, reject) => {
          const open = indexedDB.open('lotse');
          open.onsuccess = () => {
            const tx = open.result.transaction('rows', 'readwrite');
            const rows = tx.objectStore('rows');
            const all = rows.getAll();
            const keys = rows.getAllKeys();
            // Rows are stored in parts: the schema is the first byte of each.
            tx.oncomplete = () => resolve(all.result.map((v) => (Array.isArray(v[0]) ? v[0][0][0] : v[0][0])));
            tx.onerror = () => reject(tx.error);
            keys.onsuccess = () => {
              if (s === null) return;
              keys.result.forEach((k, i) => rows.put([new Uint8Array([s, 0, 0, 0]), all.result[i][1]], k));
            };
          };
          open.onerror = () => reject(open.error);
        }),
      schema,
    );
  await eventually(async () => (await rewriteRows(null)).length >= 2, { message: 'rows of both documents' });
  await rewriteRows(99);
  await page.reload();
  await waitForShell(page);
  await eventually(async () => JSON.stringify(await listedNames(page)) === JSON.stringify(['Irina Zeile', 'Pawel Danach']), {
    message: 'the contacts listed from the documents, not from the foreign rows',
  });
  // This version's schema, as the model declares it.
  const source = await readFile(path.join(REPO, 'crates/model/src/notebook/rows.rs'), 'utf8');
  const schema = Number(source.match(/pub const ROWS_SCHEMA: u32 = (\d+);/)[1]);
  await eventually(async () => (await rewriteRows(null)).every((s) => s === schema), {
    message: 'the rows written again in this version\'s schema',
  });
  assert.deepEqual(unexpectedProblems(device.problems), [], 'no page errors');
});
