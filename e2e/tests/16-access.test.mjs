// Who may sync (issue 9): a coordinator invites one mentor's device with a
// link that carries a one-time secret; that device enrols and syncs the
// coordinator's contacts. A second phone opening the same link is refused
// and says so, while the first keeps syncing; a new invitation opened on it
// admits it. A link without an invitation
// is refused on the spot. An invitation made offline survives a reload and
// counts once the coordinator's device is online; meanwhile the invited
// device says it is waiting. The link holds no document key: a device
// admitted while the coordinator's device is offline waits for the keys,
// and opens the notebook once that device is online and hands them over
// (sealed to it). The device key and the document keys are kept wrapped by
// a WebCrypto key that cannot be read out; no invitation secret is kept
// after use, no key in localStorage.
//
// An expired invitation is not tried here: the relay's clock cannot be
// moved from outside, and the sync crate's tests cover expiry.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, launchDevice, screenshot, startRelay, unexpectedProblems } from '../lib/harness.mjs';
import {
  accessOf,
  addContact,
  createInvitation,
  goTo,
  invitationOf,
  joinWith,
  listedNames,
  openApp,
  pickLanguage,
  setUpDevice,
  syncState,
  waitForAdmission,
  waitForServiceWorkerControl,
  waitForShell,
} from '../lib/app.mjs';

const COORDINATOR = { mentor: 'Aylin Kaya', community: 'Türkische Gemeinde Osnabrück' };
const FIRST = { name: 'Ayşe Demir', phone: '+49 541 1000001', notes: 'Erstkontakt beim Elternabend' };
const LATER = { name: 'Karim Haddad', phone: '+49 541 1000003', notes: 'Sohn sucht Praktikum' };
const OFFLINE = { name: 'Olga Nowak', phone: '+49 541 1000002', notes: 'Eingeladen, als das Büro offline war' };

/// What the engine keeps in IndexedDB `keys` and `statements`, without
/// reading any secret: for the device key and each document key
/// (`doc:…`), the wrapping key's properties and the sizes; how many
/// statements wait.
async function engineKeys(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('lotse');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(['keys', 'statements']);
          const entries = tx.objectStore('keys').openCursor();
          const statements = tx.objectStore('statements').count();
          const kept = { device: null, docs: [] };
          const summary = (v) => ({
            wrapped: v?.wrap instanceof CryptoKey,
            extractable: v?.wrap?.extractable,
            algorithm: v?.wrap?.algorithm?.name,
            iv: v?.iv?.byteLength,
            sealed: v?.sealed?.byteLength,
          });
          entries.onsuccess = () => {
            const c = entries.result;
            if (!c) return;
            if (c.key === 'device') kept.device = summary(c.value);
            if (String(c.key).startsWith('doc:')) kept.docs.push(summary(c.value));
            c.continue();
          };
          tx.oncomplete = () => {
            db.close();
            resolve({ ...kept, statements: statements.result });
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
}

/// The device key's entry and the statements waiting.
async function keptByEngine(page) {
  const { device, statements } = await engineKeys(page);
  return { ...(device ?? {}), statements };
}

/// The document keys: wrapped by a non-extractable key, and how many bytes
/// are sealed (32 and the tag).
async function documentKeys(page) {
  return (await engineKeys(page)).docs.map((d) => ({ wrapped: d.wrapped && d.extractable === false, sealed: d.sealed }));
}

/// Whether the page's localStorage holds these bytes (as the settings
/// would: a JSON array of numbers, or hex).
async function localStorageHolds(page, hex) {
  return page.evaluate((h) => {
    const bytes = h.match(/../g).map((b) => parseInt(b, 16));
    const all = Object.keys(localStorage).map((k) => localStorage.getItem(k)).join('\n');
    return all.includes(JSON.stringify(bytes).slice(1, -1)) || all.toLowerCase().includes(h);
  }, hex);
}

/// Touch targets and labels of the invitation form, and nothing wider than
/// the phone.
async function assertInviteLayout(page, lang) {
  for (const sel of ['#invite-role', '#invite-valid', '#invite-create', '#copy-join-link']) {
    const b = await page.locator(sel).boundingBox();
    assert.ok(b && b.height >= 44 && b.width >= 44, `${lang}: ${sel} is at least 44 px each way (${JSON.stringify(b)})`);
  }
  assert.ok(await page.$('label[for="invite-valid"]'), `${lang}: the validity has a label`);
  assert.ok(await page.$('label[for="invite-role"]'), `${lang}: the role has a label`);
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert.ok(scroll <= width, `${lang}: nothing sticks out sideways (${scroll} > ${width})`);
}

describe('invitations decide who syncs', () => {
  let relay, coordinator, mentor, second, waiting, link;

  before(async () => {
    relay = await startRelay();
    coordinator = await launchDevice('access-coordinator');
    mentor = await launchDevice('access-mentor');
    second = await launchDevice('access-second-phone');
    waiting = await launchDevice('access-waiting');
  });

  after(async () => {
    for (const d of [coordinator, mentor, second, waiting]) await d?.close();
    await relay?.dispose();
  });

  it("the coordinator invites, the mentor's device enrols and syncs the coordinator's contact", async () => {
    await openApp(coordinator.page, relay.url);
    await setUpDevice(coordinator.page, COORDINATOR);
    await waitForAdmission(coordinator.page);
    await addContact(coordinator.page, FIRST);

    link = await createInvitation(coordinator.page);
    const inv = invitationOf(link);
    const t0 = Date.now();
    await eventually(async () => (await syncState(coordinator.page)) === 'synced', { message: 'the coordinator is synced' });
    console.log(`the coordinator was synced ${Date.now() - t0} ms after the invitation was stored`);
    assert.equal(inv.version, 5, 'a join link of the version with the role, without keys');
    assert.equal(inv.role, 0, "a mentor's invitation");
    const payload = Buffer.from(link.split('#join=')[1], 'base64url');
    const name = Buffer.byteLength(COORDINATOR.community);
    assert.equal(payload.length, 1 + 1 + 32 + 16 + 16 + 16 + 2 + name, 'version, role, secret, three ids, the name: no key');
    assert.match(await coordinator.page.textContent('#invite-state'), /Bereit/);
    assert.equal(await coordinator.page.inputValue('#invite-valid'), '86400', 'one day unless chosen otherwise');
    const expires = await coordinator.page.textContent('#invite-expires');
    assert.match(expires, /Gültig bis .*für ein Gerät/, expires);
    await assertInviteLayout(coordinator.page, 'de');
    await eventually(
      async () => coordinator.page.$eval('#invitation', (el) => {
        const r = el.getBoundingClientRect();
        return r.top >= 0 && r.bottom <= document.querySelector('.app-nav').getBoundingClientRect().top;
      }),
      { message: 'the new invitation is scrolled into view, clear of the bottom bar' },
    );
    await screenshot(coordinator.page, 'access-invite-de');
    await pickLanguage(coordinator.page, 'ar');
    assert.equal(await coordinator.page.getAttribute('html', 'dir'), 'rtl');
    assert.equal(await coordinator.page.$eval('#join-link', (el) => getComputedStyle(el).direction), 'ltr');
    await assertInviteLayout(coordinator.page, 'ar');
    await coordinator.page.locator('#invitation').scrollIntoViewIfNeeded();
    await screenshot(coordinator.page, 'access-invite-ar');
    await pickLanguage(coordinator.page, 'de');

    // The coordinator's device keeps no invitation secret.
    assert.equal((await keptByEngine(coordinator.page)).statements, 0, 'the invitation left the device once stored');
    assert.equal(await localStorageHolds(coordinator.page, inv.secret), false);

    // Joining, by hand: the join page's entry is replaced, not added to.
    await mentor.page.goto(link);
    await mentor.page.waitForSelector('#join-save', { state: 'visible' });
    const entries = await mentor.page.evaluate(() => history.length);
    await mentor.page.fill('#mentor-name', 'Bogdan Wiśniewski');
    await mentor.page.click('#join-save');
    await waitForShell(mentor.page);
    await mentor.page.waitForFunction(() => location.hash === '#/today');
    assert.equal(await mentor.page.evaluate(() => location.href.includes('join=')), false, 'the link left the address bar');
    assert.equal(await mentor.page.evaluate(() => history.length), entries, 'its history entry was replaced');
    await waitForAdmission(mentor.page);
    await eventually(async () => (await listedNames(mentor.page)).includes(FIRST.name), {
      message: "the mentor's device lists the coordinator's contact",
    });
    await eventually(async () => (await syncState(mentor.page)) === 'synced', { message: 'the mentor is synced' });

    // Its key: wrapped by a WebCrypto key the browser does not hand out.
    const kept = await keptByEngine(mentor.page);
    assert.deepEqual(kept, { wrapped: true, extractable: false, algorithm: 'AES-GCM', iv: 12, sealed: 48, statements: 0 });
    assert.equal(await localStorageHolds(mentor.page, inv.secret), false, 'the invitation secret is not kept');
    assert.deepEqual(await documentKeys(mentor.page), [
      { wrapped: true, sealed: 48 },
      { wrapped: true, sealed: 48 },
    ], "the network's and the community's key, handed over and kept wrapped");
    for (const p of [mentor.page, coordinator.page]) {
      const settings = await p.evaluate(() => localStorage.getItem('lotse.device'));
      assert.doesNotMatch(settings, /key/, 'the settings in localStorage name no key');
    }

    // A mentor's device invites no one.
    await goTo(mentor.page, '#/device');
    await mentor.page.waitForSelector('#invite-coordinator-only', { state: 'visible' });
    assert.equal(await mentor.page.$('#invite-create'), null, 'no invitation button on a mentor device');
    assert.match(await mentor.page.textContent('#invite-coordinator-only'), /Nur Koordinator\*innen/);
  });

  it('a second phone with the same link is refused and says so, while the first keeps syncing', async () => {
    assert.ok(link, 'the invitation of the test above');
    await joinWith(second.page, link, { mentor: 'Cem Yılmaz', admitted: false });
    await second.page.waitForSelector('#access-note[data-access="invitation-refused"]', { state: 'visible' });
    assert.match(await second.page.textContent('#access-note'), /schon benutzt oder ist abgelaufen/);
    assert.equal(await syncState(second.page), 'refused');
    assert.match(await second.page.textContent('#sync-status'), /Kein Teilen möglich/);
    await screenshot(second.page, 'access-refused-de');
    await pickLanguage(second.page, 'ar');
    await second.page.waitForSelector('#access-note', { state: 'visible' });
    await screenshot(second.page, 'access-refused-ar');
    await pickLanguage(second.page, 'de');

    // It says so after a reload too, and never received a contact.
    await second.page.reload();
    await waitForShell(second.page);
    await second.page.waitForSelector('#access-note[data-access="invitation-refused"]', { state: 'visible' });
    assert.deepEqual(await listedNames(second.page), [], 'the refused phone holds none of the contacts');

    // The first still syncs both ways.
    await addContact(coordinator.page, LATER);
    await eventually(async () => (await listedNames(mentor.page)).includes(LATER.name), {
      message: "the admitted mentor receives the coordinator's next contact",
    });
    await addContact(mentor.page, { name: 'Dilan Aksoy', phone: '+49 541 1000004' });
    await eventually(async () => (await listedNames(coordinator.page)).includes('Dilan Aksoy'), {
      message: "the coordinator receives the mentor's contact",
    });
    assert.deepEqual(await listedNames(second.page), [], 'and the refused phone still none');

    // What the banner says to do: a new invitation, opened on the same
    // phone, admits it.
    const again = await createInvitation(coordinator.page);
    await second.page.goto(again);
    await waitForShell(second.page);
    await second.page.waitForFunction(() => !location.href.includes('join='));
    await waitForAdmission(second.page);
    assert.equal(await second.page.$('#access-note'), null, 'the banner is gone');
    await eventually(async () => (await listedNames(second.page)).includes(FIRST.name), {
      message: 'the phone admitted with a new invitation syncs',
    });
  });

  it('a link without the invitation is refused with a clear message and sets nothing up', async () => {
    const fresh = await launchDevice('access-no-invitation');
    try {
      await fresh.page.goto(invitationOf(link).withoutInvitation);
      await fresh.page.waitForSelector('#join-error', { state: 'visible' });
      assert.equal(await fresh.page.getAttribute('#join-error', 'data-reason'), 'the link holds no invitation');
      assert.match(await fresh.page.textContent('#join-error'), /keine Einladung.*Koordinator\*in um eine neue Einladung/);
      assert.equal(await fresh.page.isVisible('#join-save'), false, 'no way to join with it');
      await screenshot(fresh.page, 'access-no-invitation-de');
      await fresh.page.selectOption('#language', 'ar');
      await fresh.page.waitForFunction(() => document.documentElement.dir === 'rtl');
      await screenshot(fresh.page, 'access-no-invitation-ar');
    } finally {
      await fresh.close();
    }
  });

  it("an invitation made offline survives a reload; the invited device waits until the coordinator's device is online", async () => {
    await waitForServiceWorkerControl(coordinator.page);
    await coordinator.context.setOffline(true);
    // "offline" only: "pending" is a device still connected with a change
    // on its way (its status, say), which would hand the invitation over.
    await eventually(async () => (await syncState(coordinator.page)) === 'offline', {
      message: 'the coordinator is offline',
    });
    const offlineLink = await createInvitation(coordinator.page, { validFor: 3600, waitForRelay: false });
    assert.equal(await coordinator.page.getAttribute('#invite-state', 'data-state'), 'pending');
    assert.match(await coordinator.page.textContent('#invite-state'), /Noch nicht gesendet/);
    await screenshot(coordinator.page, 'access-invite-pending-de');
    await coordinator.page.reload();
    await waitForShell(coordinator.page);
    assert.equal((await keptByEngine(coordinator.page)).statements, 1, 'the invitation is kept until the relay has it');

    await joinWith(waiting.page, offlineLink, { mentor: 'Emre Demir', admitted: false });
    const seen = async () =>
      `waiting device: ${await syncState(waiting.page)}/${await accessOf(waiting.page)}; coordinator: ${await syncState(coordinator.page)}, ${(await keptByEngine(coordinator.page)).statements} kept`;
    await waiting.page.waitForSelector('#access-note[data-access="waiting"]', { state: 'visible' }).catch(async (e) => {
      throw new Error(`${e.message}\n${await seen()}`);
    });
    assert.match(await waiting.page.textContent('#access-note'), /Warte darauf, dass das Gerät deiner\*deines Koordinator\*in/);
    assert.match(await waiting.page.textContent('#sync-status'), /Wartet auf Bestätigung/);
    await screenshot(waiting.page, 'access-waiting-de');
    await pickLanguage(waiting.page, 'ar');
    await waiting.page.waitForSelector('#access-note[data-access="waiting"]', { state: 'visible' });
    await screenshot(waiting.page, 'access-waiting-ar');
    await pickLanguage(waiting.page, 'de');

    // Online again: the invitation reaches the relay, the waiting device is
    // admitted (it asks again now and then) and syncs.
    await coordinator.context.setOffline(false);
    await eventually(async () => (await keptByEngine(coordinator.page)).statements === 0, {
      message: "the coordinator's device hands the invitation over",
    });
    await waitForAdmission(waiting.page, 90_000);
    assert.equal(await waiting.page.$('#access-note'), null, 'the banner is gone');
    await eventually(async () => (await listedNames(waiting.page)).includes(FIRST.name), {
      message: 'the device invited offline syncs once admitted',
    });
    assert.equal((await keptByEngine(waiting.page)).statements, 0, 'its enrolment left the device once stored');
    assert.equal(await localStorageHolds(waiting.page, invitationOf(offlineLink).secret), false);
    await addContact(waiting.page, OFFLINE);
    await eventually(async () => (await listedNames(coordinator.page)).includes(OFFLINE.name), {
      message: "the coordinator receives the new mentor's contact",
    });
  });

  it("a device admitted while the coordinator's device is offline waits for the keys, then opens the notebook", async () => {
    const late = await launchDevice('access-awaiting-keys');
    try {
      const keysLink = await createInvitation(coordinator.page);
      await coordinator.context.setOffline(true);
      await eventually(async () => (await syncState(coordinator.page)) === 'offline', {
        message: 'the coordinator is offline',
      });
      await joinWith(late.page, keysLink, { mentor: 'Farid Rahimi', admitted: false });
      await late.page.waitForSelector('#access-note[data-access="awaiting-keys"]', { state: 'visible' });
      assert.match(await late.page.textContent('#access-note'), /Du bist aufgenommen.*Schlüssel der Community/);
      assert.match(await late.page.textContent('#sync-status'), /Wartet auf Bestätigung/, 'not "synced" with nothing');
      const dot = await late.page.$eval('#sync-status .sync-dot', (d) => getComputedStyle(d).backgroundColor);
      assert.equal(dot, 'rgb(255, 209, 102)', 'the dot is amber (waiting), not green');
      assert.deepEqual(await listedNames(late.page), [], 'nothing to show without the keys');
      assert.deepEqual(await documentKeys(late.page), [], 'no key yet');
      await screenshot(late.page, 'access-awaiting-keys-de');
      await pickLanguage(late.page, 'ar');
      await late.page.waitForSelector('#access-note[data-access="awaiting-keys"]', { state: 'visible' });
      await screenshot(late.page, 'access-awaiting-keys-ar');
      await pickLanguage(late.page, 'de');

      await coordinator.context.setOffline(false);
      await waitForAdmission(late.page, 90_000);
      assert.equal(await late.page.$('#access-note'), null, 'the banner is gone');
      await eventually(async () => (await listedNames(late.page)).includes(FIRST.name), {
        message: "the device lists the coordinator's contact once it holds the keys",
      });
      assert.equal((await documentKeys(late.page)).length, 2);
      assert.deepEqual(unexpectedProblems(late.problems), []);
    } finally {
      await late.close();
    }
  });

  it('no page errors on any device', async () => {
    const problems = unexpectedProblems([coordinator, mentor, second, waiting].flatMap((d) => d.problems));
    assert.deepEqual(problems, []);
    assert.equal(await accessOf(mentor.page), 'member');
  });
});
