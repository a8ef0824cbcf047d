// Two mentors' devices, joined by a link, edit while cut off (the same field
// of the same contact among it), come back and converge; both list the
// fields that now hold two values, with both values and who wrote them, and
// keeping one (on the desk, or on the record) settles it on both; the relay
// that carried it all holds none of what they typed. A person written down
// twice is suggested as a pair and merged on one device, a pair of two
// people is remembered as such, and both devices agree.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  eventually,
  filesContaining,
  filesUnder,
  launchDevice,
  screenshot,
  startRelay,
  totalSize,
  unexpectedProblems,
} from '../lib/harness.mjs';
import {
  addContact,
  createInvitation,
  editOpenContact,
  goTo,
  joinWith,
  listedNames,
  openApp,
  openContact,
  readContact,
  setUpDevice,
  syncState,
} from '../lib/app.mjs';

const A = { mentor: 'Aylin Kaya', community: 'Türkische Gemeinde Osnabrück' };
const B = { mentor: 'Bogdan Wiśniewski' };
const SHARED = { name: 'Ayşe Demir', phone: '+49 541 1000001', notes: 'Erstkontakt beim Elternabend' };
const ONLY_A = { name: 'Olga Nowak', phone: '+49 541 1000002', notes: 'Fragt nach Ausbildung im Handwerk' };
const ONLY_B = { name: 'Karim Haddad', phone: '+49 541 1000003', notes: 'Sohn sucht Praktikum' };
const EDIT_A = { phone: '+49 541 2000002', notes: 'Anruf von Aylin am Dienstag' };
const EDIT_B = { phone: '+49 541 3000003', notes: 'Termin bei der Berufsberatung vereinbart' };
const ALL_NAMES = [SHARED.name, ONLY_A.name, ONLY_B.name].sort();
// Olga again, written down in Cyrillic on the other phone.
const OLGA_AGAIN = { name: 'Ольга Новак', phone: '+49 541 4000004', notes: 'Записала Ольгу ещё раз' };

describe('two mentors edit the same contact offline', () => {
  let relay, a, b, joinLink;
  let converged = false;

  before(async () => {
    relay = await startRelay();
    a = await launchDevice('device-a');
    b = await launchDevice('device-b');
  });

  after(async () => {
    await a?.close();
    await b?.close();
    await relay?.dispose();
  });

  it('device B joins with the link from device A and receives its contacts', async () => {
    await openApp(a.page, relay.url);
    await setUpDevice(a.page, A);
    await addContact(a.page, SHARED);

    joinLink = await createInvitation(a.page);
    assert.ok(joinLink.startsWith(relay.url), `the join link ${joinLink} points at this relay`);
    assert.match(joinLink, /#join=./, 'the key travels in the fragment');

    await joinWith(b.page, joinLink, B);
    await eventually(async () => (await listedNames(b.page)).includes(SHARED.name), {
      message: "device B lists device A's contact",
    });
  });

  it('both edit while offline, then converge when back online', async () => {
    // Cut both off for real: the browser's network and the relay itself.
    await relay.stop();
    await a.context.setOffline(true);
    await b.context.setOffline(true);
    // The status line is checked, but a wrong one is reported at the end so
    // that the merge and the privacy checks still run.
    const statusProblems = [];
    const expectState = async (d, states, what) => {
      await eventually(async () => states.includes(await syncState(d.page)), { timeout: 10_000, message: what }).catch(
        async () => statusProblems.push(`${d.name}: #sync-status data-state is ${await syncState(d.page)}, expected ${states.join(' or ')} (${what})`),
      );
    };
    for (const d of [a, b]) await expectState(d, ['offline', 'pending'], 'offline');

    await addContact(a.page, ONLY_A);
    await addContact(b.page, ONLY_B);
    await openContact(a.page, SHARED.name);
    await editOpenContact(a.page, EDIT_A);
    await openContact(b.page, SHARED.name);
    await editOpenContact(b.page, EDIT_B);

    assert.deepEqual(await listedNames(a.page), [SHARED.name, ONLY_A.name].sort());
    assert.deepEqual(await listedNames(b.page), [SHARED.name, ONLY_B.name].sort());
    await expectState(a, ['offline', 'pending'], 'changes not yet on the relay');

    await relay.start();
    const back = Date.now();
    await a.context.setOffline(false);
    await b.context.setOffline(false);

    await eventually(
      async () =>
        JSON.stringify(await listedNames(a.page)) === JSON.stringify(ALL_NAMES) &&
        JSON.stringify(await listedNames(b.page)) === JSON.stringify(ALL_NAMES),
      { message: 'both devices list all three contacts', interval: 100 },
    );
    const merged = Date.now() - back;

    let seenA, seenB;
    await eventually(
      async () => {
        await openContact(a.page, SHARED.name);
        await openContact(b.page, SHARED.name);
        seenA = await readContact(a.page);
        seenB = await readContact(b.page);
        return seenA.phone === seenB.phone && seenA.notes === seenB.notes;
      },
      { message: 'both devices show the same phone and notes', interval: 250 },
    ).catch((err) => {
      throw new Error(`${err.message}\nA: ${JSON.stringify(seenA)}\nB: ${JSON.stringify(seenB)}`);
    });
    assert.ok([EDIT_A.phone, EDIT_B.phone].includes(seenA.phone), `one edit of the phone wins: ${seenA.phone}`);
    assert.ok(seenA.notes.length > 0);

    converged = true;
    for (const d of [a, b]) await expectState(d, ['synced'], 'back online, all on the relay');
    console.log(`merged lists on both devices ${merged} ms after coming back online`);
    console.log(`the shared contact on both: ${JSON.stringify(seenA)}`);
    const problems = unexpectedProblems([...a.problems, ...b.problems]);
    assert.deepEqual(
      problems.filter((p) => p.includes('page error')),
      [],
      'no uncaught errors in either page',
    );
    if (problems.length) console.log(`console errors:\n${problems.join('\n')}`);
    assert.deepEqual(statusProblems, [], 'the sync status shows what is going on');
  });

  /// The values and authors listed for `field` on the open page.
  async function listedValues(page, field) {
    return page.$$eval(`.conflict[data-field="${field}"] .conflict-value`, (rows) =>
      rows.map((r) => ({
        text: r.querySelector('.conflict-text bdi')?.textContent.trim(),
        who: r.querySelector('.conflict-who')?.textContent.trim(),
        shown: !!r.querySelector('.conflict-text .badge'),
        keep: r.querySelector('.conflict-keep')?.id ?? null,
      })),
    );
  }

  it('both list the fields with two values, and keeping one settles it on both', async () => {
    assert.ok(converged, 'the devices converged (the test above passed)');
    // The phone and the notes were each changed on both devices apart.
    for (const d of [a, b]) {
      await openContact(d.page, SHARED.name);
      await d.page.waitForSelector('.conflict[data-field="phone"]', { state: 'visible' });
      const phones = await listedValues(d.page, 'phone');
      assert.deepEqual(phones.map((v) => v.text).sort(), [EDIT_A.phone, EDIT_B.phone].sort(), `${d.name}: both phone numbers`);
      assert.ok(phones.find((v) => v.text === EDIT_A.phone).who.startsWith(A.mentor), `${d.name}: Aylin wrote hers`);
      assert.ok(phones.find((v) => v.text === EDIT_B.phone).who.startsWith(B.mentor), `${d.name}: Bogdan wrote his`);
      assert.equal(phones.filter((v) => v.shown).length, 1, 'one value is marked as the one shown');
      assert.equal(phones.find((v) => v.shown).text, (await readContact(d.page)).phone, 'the form shows the marked one');
      assert.equal((await listedValues(d.page, 'notes')).length, 2, `${d.name}: both notes`);
    }
    await screenshot(a.page, 'conflicts-de-record');

    // The desk: a count under More, the list with the record.
    await goTo(b.page, '#/more');
    await eventually(async () => (await b.page.textContent('#conflicts-badge').catch(() => null))?.trim() === '2', {
      message: 'More counts the two fields with two values',
    });
    await goTo(b.page, '#/conflicts');
    await b.page.waitForSelector('.conflict-record .conflict[data-field="phone"]', { state: 'visible' });
    assert.match(await b.page.textContent('.conflict-record-title'), new RegExp(SHARED.name));
    await b.page.setViewportSize({ width: 1280, height: 800 });
    await screenshot(b.page, 'conflicts-de-desk-desktop');
    await b.page.setViewportSize({ width: 412, height: 915 });
    await screenshot(b.page, 'conflicts-de-desk');
    // The same in Arabic, right to left.
    const inLanguage = async (lang) => {
      await b.page.evaluate((l) => localStorage.setItem('lotse.lang', JSON.stringify(l)), lang);
      await b.page.reload();
      await b.page.waitForSelector('.conflict-record .conflict[data-field="phone"]', { state: 'visible' });
    };
    await inLanguage('ar');
    assert.equal(await b.page.getAttribute('html', 'dir'), 'rtl');
    await screenshot(b.page, 'conflicts-ar-desk');
    await b.page.setViewportSize({ width: 1280, height: 800 });
    await screenshot(b.page, 'conflicts-ar-desk-desktop');
    await b.page.setViewportSize({ width: 412, height: 915 });
    await inLanguage('de');

    // Keep the phone number the notebook does not show: the harder case.
    const keep = (await listedValues(b.page, 'phone')).find((v) => !v.shown);
    await b.page.click(`#${keep.keep}`);
    for (const d of [b, a]) {
      await openContact(d.page, SHARED.name);
      await eventually(async () => (await d.page.$('.conflict[data-field="phone"]')) === null && (await readContact(d.page)).phone === keep.text, {
        message: `${d.name}: the phone is settled to the kept number`,
      });
    }

    // The notes, on the record page of device A: the value shown is kept,
    // and the form (started again) holds it.
    const notes = (await listedValues(a.page, 'notes')).find((v) => v.shown);
    await a.page.click(`#${notes.keep}`);
    await eventually(async () => (await a.page.$('.conflicts')) === null, { message: 'A: no field has two values' });
    assert.equal((await readContact(a.page)).notes, notes.text);
    await eventually(
      async () => {
        await openContact(b.page, SHARED.name);
        return (await b.page.$('.conflicts')) === null && (await readContact(b.page)).notes === notes.text;
      },
      { message: 'B: the notes are settled too' },
    );
    await goTo(b.page, '#/conflicts');
    await b.page.waitForSelector('#conflicts-none', { state: 'visible' });
  });

  it('the same person written down again in another script is listed as a likely duplicate, and merged', async () => {
    assert.ok(converged, 'the devices converged');
    await goTo(b.page, '#/duplicates');
    await b.page.waitForSelector('#duplicates-none', { state: 'visible' });
    await addContact(b.page, OLGA_AGAIN);
    await goTo(b.page, '#/duplicates');
    await b.page.waitForSelector('.duplicate-pair', { state: 'visible' });
    const pairs = await b.page.$$eval('.duplicate-pair', (rows) =>
      rows.map((r) => ({
        names: [...r.querySelectorAll('.duplicate-side .contact-name')].map((n) => n.textContent.trim()).sort(),
        why: [...r.querySelectorAll('.duplicate-why .badge')].map((n) => n.textContent.trim()),
      })),
    );
    assert.deepEqual(pairs, [{ names: [ONLY_A.name, OLGA_AGAIN.name].sort(), why: ['gleicher Name'] }]);
    await screenshot(b.page, 'duplicates-de');
    // One tap opens either contact.
    await b.page.click(`.duplicate-side:has-text("${OLGA_AGAIN.name}") .duplicate-open`);
    await b.page.waitForFunction((n) => document.querySelector('#name')?.value === n, OLGA_AGAIN.name);

    // Keep the first Olga: a confirmation says what happens, and nothing
    // happens before it is confirmed.
    await goTo(b.page, '#/duplicates');
    await b.page.click(`.duplicate-side:has-text("${ONLY_A.name}") .duplicate-keep`);
    await b.page.waitForSelector('.duplicate-confirm', { state: 'visible' });
    const confirm = await b.page.textContent('.duplicate-confirm p');
    assert.ok(confirm.includes(ONLY_A.name) && confirm.includes(OLGA_AGAIN.name), confirm);
    await screenshot(b.page, 'duplicates-de-confirm');
    await b.page.setViewportSize({ width: 1280, height: 800 });
    await screenshot(b.page, 'duplicates-de-confirm-desktop');
    await b.page.setViewportSize({ width: 412, height: 915 });
    await b.page.click('.duplicate-cancel');
    assert.equal(await b.page.$('.duplicate-confirm'), null, 'cancelled');
    assert.equal((await b.page.$$('.duplicate-pair')).length, 1, 'still a pair');
    await b.page.click(`.duplicate-side:has-text("${ONLY_A.name}") .duplicate-keep`);
    await b.page.click('.duplicate-merge');
    await b.page.waitForSelector('#duplicates-merged', { state: 'visible' });
    await b.page.waitForSelector('#duplicates-none', { state: 'visible' });

    // Both phones list one Olga, and the kept one holds what the other held.
    for (const d of [a, b]) {
      await eventually(async () => JSON.stringify(await listedNames(d.page)) === JSON.stringify(ALL_NAMES), {
        message: `${d.name} lists one Olga`,
      });
    }
    await eventually(
      async () => {
        await openContact(a.page, ONLY_A.name);
        return (await readContact(a.page)).notes.includes(OLGA_AGAIN.notes);
      },
      { message: "A: the kept Olga has the merged one's notes" },
    );

    // Karim's father shares his phone: the pair is suggested, and "not the
    // same person" is remembered on both phones.
    await addContact(b.page, { name: 'Khalil Haddad', phone: ONLY_B.phone, notes: 'Vater von Karim' });
    await goTo(b.page, '#/duplicates');
    await b.page.waitForSelector('.duplicate-pair', { state: 'visible' });
    const inLanguage = async (lang) => {
      await b.page.evaluate((l) => localStorage.setItem('lotse.lang', JSON.stringify(l)), lang);
      await b.page.reload();
      await b.page.waitForSelector('.duplicate-pair', { state: 'visible' });
      // The list is drawn from the stored rows; saving waits for the engine.
      await eventually(async () => (await syncState(b.page)) === 'synced', { message: 'B: the engine is back' });
    };
    await inLanguage('ar');
    await b.page.click('.duplicate-side:first-of-type .duplicate-keep');
    await b.page.waitForSelector('.duplicate-confirm', { state: 'visible' });
    await screenshot(b.page, 'duplicates-ar-confirm');
    await b.page.setViewportSize({ width: 1280, height: 800 });
    await screenshot(b.page, 'duplicates-ar-confirm-desktop');
    await b.page.setViewportSize({ width: 412, height: 915 });
    await inLanguage('de');
    await b.page.click('.duplicate-not-same');
    await b.page.waitForSelector('#duplicates-kept-apart', { state: 'visible' });
    await b.page.waitForSelector('#duplicates-none', { state: 'visible' });
    await eventually(async () => (await listedNames(a.page)).includes('Khalil Haddad'), { message: 'A has Khalil' });
    await goTo(a.page, '#/duplicates');
    await a.page.waitForSelector('#duplicates-none', { state: 'visible' });
  });

  it("a coordinator reviews what changed: old and new values, who, marked on one device and seen on the other", async () => {
    assert.ok(converged, 'the devices converged');
    const changes = (page) =>
      page.$$eval('.review-change', (rows) =>
        rows.map((r) => ({
          hash: r.dataset.hash,
          who: r.querySelector('.review-who')?.textContent.trim(),
          reviewed: !!r.querySelector('.review-done'),
          fields: Object.fromEntries(
            [...r.querySelectorAll('.field-change')].map((f) => [
              f.dataset.field,
              [f.querySelector('.field-change-old').textContent.trim(), f.querySelector('.field-change-new').textContent.trim()],
            ]),
          ),
        })),
      );
    const count = async (page) => Number((await page.textContent('#review-count')).match(/\d+/)?.[0] ?? 0);
    await goTo(a.page, '#/review');
    await a.page.waitForSelector('.review-change', { state: 'visible' });
    const before = await count(a.page);
    assert.ok(before > 0, 'changes wait for review');
    // Bekir's offline edit of the shared contact, old → new.
    // (B also settled the phone later: that change starts from A's number.)
    const bekirs = (await changes(a.page)).find((c) => c.who === B.mentor && c.fields.phone?.[0] === SHARED.phone);
    assert.ok(bekirs, `B's phone edit is listed: ${JSON.stringify(await changes(a.page))}`);
    assert.deepEqual(bekirs.fields.phone, [SHARED.phone, EDIT_B.phone]);
    await screenshot(a.page, 'review-de');
    await a.page.setViewportSize({ width: 1280, height: 800 });
    await screenshot(a.page, 'review-de-desktop');
    await a.page.setViewportSize({ width: 412, height: 915 });

    // Only B's changes, then mark that one reviewed.
    const bekirId = await a.page.$eval('#review-mentor', (s, name) => [...s.options].find((o) => o.textContent.trim() === name)?.value, B.mentor);
    await a.page.selectOption('#review-mentor', bekirId);
    await eventually(async () => (await changes(a.page)).every((c) => c.who === B.mentor), { message: "only B's changes" });
    await a.page.click(`.review-change[data-hash="${bekirs.hash}"] .review-mark`);
    await eventually(async () => !(await changes(a.page)).some((c) => c.hash === bekirs.hash), { message: 'the marked change leaves the list' });
    await a.page.selectOption('#review-mentor', '');
    await eventually(async () => (await count(a.page)) === before - 1, { message: 'one fewer to review' });

    // The mark travels: B sees it, and who made it.
    await goTo(b.page, '#/review');
    await b.page.waitForSelector('#review-count', { state: 'visible' });
    await b.page.check('#review-with-reviewed');
    await eventually(
      async () => (await changes(b.page)).some((c) => c.hash === bekirs.hash && c.reviewed),
      { message: 'B sees the change reviewed' },
    );
    const done = await b.page.textContent(`.review-change[data-hash="${bekirs.hash}"] .review-done`);
    assert.ok(done.includes(A.mentor), done);

    // Arabic, right to left.
    await a.page.evaluate(() => localStorage.setItem('lotse.lang', JSON.stringify('ar')));
    await a.page.reload();
    await a.page.waitForSelector('.review-change', { state: 'visible' });
    assert.equal(await a.page.getAttribute('html', 'dir'), 'rtl');
    await screenshot(a.page, 'review-ar');
    await a.page.setViewportSize({ width: 1280, height: 800 });
    await screenshot(a.page, 'review-ar-desktop');
    await a.page.setViewportSize({ width: 412, height: 915 });
    await a.page.evaluate(() => localStorage.setItem('lotse.lang', JSON.stringify('de')));
    await a.page.reload();
    await eventually(async () => (await syncState(a.page)) === 'synced', { message: 'A: the engine is back' });

    // The record's own history shows old → new too.
    await openContact(a.page, SHARED.name);
    await a.page.waitForSelector('.history .field-change[data-field="phone"]', { state: 'visible' });
    const lines = await a.page.$$eval('.history .field-change[data-field="phone"]', (ls) =>
      ls.map((l) => [l.querySelector('.field-change-old').textContent.trim(), l.querySelector('.field-change-new').textContent.trim()]),
    );
    assert.ok(lines.some(([o, n]) => o === SHARED.phone && n === EDIT_B.phone), JSON.stringify(lines));
    await a.page.locator('.history').scrollIntoViewIfNeeded();
    await screenshot(a.page, 'history-values-de');
  });

  it('the relay stores none of what the mentors typed', async () => {
    assert.ok(converged, 'the devices synced through this relay (the test above passed)');
    const files = await filesUnder(relay.dataDir);
    assert.ok(files.length > 0, 'the relay wrote its database');
    assert.ok((await totalSize(relay.dataDir)) > 0);
    // The search would find a name stored in plain text.
    const control = await mkdtemp(path.join(os.tmpdir(), 'lotse-e2e-control-'));
    await writeFile(path.join(control, 'db-wal'), Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(SHARED.name)]));
    assert.equal((await filesContaining(control, SHARED.name)).length, 1, 'the search finds plain text');
    await rm(control, { recursive: true });
    const probe = [SHARED, ONLY_A, ONLY_B, OLGA_AGAIN]
      .flatMap((c) => [c.name, c.phone, c.notes])
      .concat(Object.values(EDIT_A), Object.values(EDIT_B), [A.mentor, B.mentor, A.community]);
    const leaks = [];
    for (const text of probe) {
      for (const file of await filesContaining(relay.dataDir, text)) leaks.push(`${JSON.stringify(text)} in ${file}`);
      if (relay.log.some((line) => line.includes(text))) leaks.push(`${JSON.stringify(text)} in the relay's log`);
    }
    // Once more after the relay stopped and checkpointed its write-ahead log.
    await relay.stop();
    for (const text of probe) {
      for (const file of await filesContaining(relay.dataDir, text)) leaks.push(`${JSON.stringify(text)} in ${file}`);
    }
    assert.deepEqual(leaks, [], 'the relay holds only ciphertext');
  });
});
