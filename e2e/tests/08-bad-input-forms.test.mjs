// Bad input on every form of the notebook (issue 3): each time the message
// next to the field (`#error-<id>`, the field marked aria-invalid), the
// banner at the top of the form, the form still open at the same address,
// and nothing saved (the list shows as many records as before). Then a
// draft: the app closed mid-form gives back what was typed.
//
// The contact form and join links are covered by 03-bad-input.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchDevice, screenshot, startRelay, unexpectedProblems } from '../lib/harness.mjs';
import {
  addContact,
  berlinDate,
  check,
  choose,
  goTo,
  listCount,
  openApp,
  pickContact,
  selectByText,
  setUpDevice,
  tap,
  textOf,
  waitForSaved,
} from '../lib/app.mjs';

const TODAY = berlinDate(0);
const YESTERDAY = berlinDate(-1);
const CONTACT = { name: 'Yusuf Çelik', phone: '+49 541 8000001', consentScope: 'advice-referral' };
const COMPANY = 'Friseursalon Avcı';

describe('bad input on every form', () => {
  let relay, device, page, companyId;

  before(async () => {
    relay = await startRelay();
    device = await launchDevice('bad-forms');
    page = device.page;
    await openApp(page, relay.url);
    await setUpDevice(page, { mentor: 'Leyla Prüferin', community: 'Kurdische Familien Osnabrück' });
    await addContact(page, CONTACT);
  });

  after(async () => {
    const problems = unexpectedProblems(device?.problems ?? []);
    if (problems.length) console.log(`console errors and page errors:\n${problems.join('\n')}`);
    await device?.close();
    await relay?.dispose();
  });

  /// A new event's form with nothing kept from before: whatever an earlier
  /// test left as a draft is cancelled first.
  async function freshEventForm() {
    await goTo(page, '#/today');
    await goTo(page, '#/events/new');
    await page.waitForSelector('#save-event', { state: 'visible' });
    if (await page.isVisible('#draft-restored')) {
      await page.click('.actions a.button');
      await goTo(page, '#/events/new');
      await page.waitForSelector('#save-event', { state: 'visible' });
    }
  }

  /// Opens `hash` (a form), lets `fill` type the bad input, taps `save`,
  /// and checks what the mentor sees and that nothing was saved.
  ///  - `errors`: per field, the ids its message may have (the first one
  ///    the page uses), e.g. ['consultation-contact', 'consultation-contact-search'];
  ///    the field (the element with one of those ids) says aria-invalid.
  ///  - `list`: [kind, route] counted before and after.
  async function refused({ hash, fill, save, errors, list, shot }) {
    const [kind, route] = list;
    const before = await listCount(page, kind, { route });
    await goTo(page, '#/today');
    await goTo(page, hash);
    await page.waitForSelector(`#${save}`, { state: 'visible' });
    await fill();
    await page.click(`#${save}`);

    const missing = [];
    for (const ids of errors) {
      const found = await page
        .waitForFunction(
          (ids) => {
            for (const id of ids) {
              const el = document.getElementById(`error-${id}`);
              if (el && el.offsetParent !== null && el.textContent.trim()) return id;
            }
            return null;
          },
          ids,
          { timeout: 5_000 },
        )
        .then((h) => h.jsonValue())
        .catch(() => null);
      if (!found) {
        missing.push(`no visible message #error-${ids.join(' / #error-')}`);
        continue;
      }
      const invalid = await page.evaluate((ids) => {
        // The field itself, or the input inside a field block (a picker, chips).
        return ids.some((id) => {
          const el = document.getElementById(id);
          if (!el) return false;
          if (el.getAttribute('aria-invalid') === 'true') return true;
          return !!el.querySelector('[aria-invalid="true"]');
        });
      }, ids);
      if (!invalid) missing.push(`#${found} is not marked aria-invalid="true"`);
    }
    if (shot) await screenshot(page, shot, { fullPage: true });
    const banner = await page.isVisible('.banner-error');
    const stayed = await page.evaluate(() => location.hash);
    assert.deepEqual(missing, [], 'a message next to each field, the field marked');
    assert.ok(banner, 'the banner at the top of the form says there is something to fix');
    assert.equal(stayed, hash, 'the form stays open at its address');
    const after = await listCount(page, kind, { route });
    assert.equal(after, before, `nothing saved: ${route} shows ${after} ${kind}, before ${before}`);
  }

  it('tried: a consultation with no contact and no topic ticked', async () => {
    await refused({
      hash: '#/consultations/new',
      save: 'save-consultation',
      fill: async () => {
        await page.fill('#consultation-notes', 'Mutter fragt nach Praktikumsplätzen');
      },
      errors: [
        ['consultation-contact', 'consultation-contact-search'],
        ['consultation-topics', 'topic-orientation'],
      ],
      list: ['consultations', '#/consultations'],
      shot: 'bad-consultation',
    });
  });

  it('tried: a referral with no institution and no reason', async () => {
    await refused({
      hash: '#/referrals/new',
      save: 'save-referral',
      fill: async () => {
        await pickContact(page, 'referral-contact', CONTACT.name);
        await page.fill('#referral-reason', '');
      },
      errors: [['referral-institution'], ['referral-reason']],
      list: ['referrals', '#/referrals'],
      shot: 'bad-referral',
    });
  });

  it('tried: a referral whose follow-up date is before its date', async () => {
    await refused({
      hash: '#/referrals/new',
      save: 'save-referral',
      fill: async () => {
        // The draft from the last test may be back: start from a known state.
        if (await page.isVisible('#referral-contact-change')) await page.click('#referral-contact-change');
        await pickContact(page, 'referral-contact', CONTACT.name);
        await selectByText(page, '#referral-institution', /Jobcenter/);
        await page.fill('#referral-reason', 'Ausbildungssuche');
        await page.fill('#referral-date', TODAY);
        await page.fill('#referral-follow-up', YESTERDAY);
      },
      errors: [['referral-follow-up']],
      list: ['referrals', '#/referrals'],
      shot: 'bad-referral-follow-up',
    });
  });

  it('tried: an event with no date', async () => {
    await refused({
      hash: '#/events/new',
      save: 'save-event',
      fill: async () => {
        await page.fill('#event-date', '');
        await tap(page, '#tally-parent-plus', 2);
      },
      errors: [['event-date']],
      list: ['events', '#/events'],
      shot: 'bad-event-date',
    });
  });

  it('tried: a head count below zero (− at zero; a kept draft with −1)', async () => {
    await freshEventForm();
    assert.equal(await textOf(page, '#tally-youth-count'), '0');
    const minusDisabled = await page.isDisabled('#tally-youth-minus');
    if (!minusDisabled) await page.click('#tally-youth-minus');
    assert.equal(await textOf(page, '#tally-youth-count'), '0', 'a tap on − at zero leaves zero');

    // A kept draft that says −1 (an older version of the form, a bug): the check still refuses it.
    await page.fill('#event-title', 'Elternabend');
    await page.waitForTimeout(800); // the draft is written 300 ms after typing stops
    const kept = await page.evaluate(
      () =>
        new Promise((resolve, reject) => {
          const open = indexedDB.open('lotse');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const db = open.result;
            const tx = db.transaction('drafts', 'readwrite');
            const store = tx.objectStore('drafts');
            const get = store.get('event-new');
            get.onsuccess = () => {
              if (!get.result) return resolve(null);
              const d = JSON.parse(get.result);
              d.added = [0, -1, 0];
              store.put(JSON.stringify(d), 'event-new');
            };
            tx.oncomplete = () => {
              db.close();
              resolve(true);
            };
            tx.onerror = () => reject(tx.error);
          };
        }),
    );
    assert.ok(kept, "the event form kept a draft under 'event-new'");
    await refused({
      hash: '#/events/new',
      save: 'save-event',
      fill: async () => {
        await page.waitForSelector('#draft-restored', { state: 'visible' });
        assert.equal(await textOf(page, '#tally-youth-count'), '-1', 'the kept −1 shows');
      },
      errors: [['tally', 'tally-youth-minus', 'tally-parent-plus']],
      list: ['events', '#/events'],
      shot: 'bad-event-tally',
    });
    // Leave no draft behind for the other tests.
    await goTo(page, '#/today');
    await goTo(page, '#/events/new');
    await page.waitForSelector('#save-event', { state: 'visible' });
    await page.click('.actions a.button');
  });

  it('tried: a company with no name and no trade', async () => {
    await refused({
      hash: '#/companies/new',
      save: 'save-company',
      fill: async () => {
        await page.fill('#company-contact-person', 'Sevgi Avcı');
      },
      errors: [['company-name'], ['company-trade']],
      list: ['companies', '#/companies'],
      shot: 'bad-company',
    });
  });

  it('tried: a training place marked filled without the young person who filled it', async () => {
    // A company to hold the place.
    await goTo(page, '#/companies/new');
    await page.waitForSelector('#save-company', { state: 'visible' });
    if (await page.isVisible('#draft-restored')) await page.fill('#company-contact-person', '');
    await page.fill('#company-name', COMPANY);
    await page.fill('#company-trade', 'Friseur');
    await page.click('#save-company');
    await waitForSaved(page, '#/companies/new');
    await goTo(page, '#/companies');
    const link = page.locator('main a[href*="#/companies/"]', { hasText: COMPANY }).first();
    companyId = (await link.getAttribute('href')).split('/').pop();

    await refused({
      hash: `#/training-places/new?company=${companyId}`,
      save: 'save-place',
      fill: async () => {
        await page.fill('#place-occupation', 'Friseur/in');
        await page.fill('#place-start', '2027-08-01');
        await choose(page, 'place-status', 'filled');
      },
      errors: [['place-filled-by', 'place-filled-by-search']],
      list: ['training-places', `#/companies/${companyId}`],
      shot: 'bad-training-place',
    });
  });

  it('tried: a measure of the action plan with the target "zehn"', async () => {
    await refused({
      hash: '#/measures/new',
      save: 'save-measure',
      fill: async () => {
        await page.fill('#measure-title', 'Infoveranstaltungen an Schulen');
        await page.fill('#measure-owner', 'KAUSA Servicestelle');
        await page.fill('#measure-target', 'zehn');
      },
      errors: [['measure-target']],
      list: ['measures', '#/action-plan'],
      shot: 'bad-measure',
    });
  });

  it('tried: an institution with no name', async () => {
    await refused({
      hash: '#/institutions/new',
      save: 'save-institution',
      fill: async () => {
        await page.fill('#institution-address', 'Johannistorwall 56, 49080 Osnabrück');
      },
      errors: [['institution-name']],
      list: ['institutions', '#/institutions'],
      shot: 'bad-institution',
    });
  });

  it('tried: a follow-up with no date', async () => {
    await refused({
      hash: '#/follow-ups/new',
      save: 'save-follow-up',
      fill: async () => {
        await page.fill('#follow-up-due', '');
        await page.fill('#follow-up-note', 'Yusuf anrufen');
      },
      errors: [['follow-up-due']],
      list: ['follow-ups', '#/today'],
      shot: 'bad-follow-up',
    });
  });

  it('tried: a household with no name', async () => {
    await refused({
      hash: '#/households/new',
      save: 'save-household',
      fill: async () => {
        await page.fill('#household-district', 'Schinkel');
      },
      errors: [['household-name']],
      list: ['households', '#/households'],
      shot: 'bad-household',
    });
  });

  it('an event keeps its time and place, and the list shows both', async () => {
    await freshEventForm();
    await page.fill('#event-time', '18:30');
    await page.fill('#event-place', 'Gemeindehaus, Lotter Straße 5');
    await page.fill('#event-title', 'Elternabend mit Zeit und Ort');
    await page.click('#save-event');
    await waitForSaved(page, '#/events/new');
    await goTo(page, '#/events');
    const row = page.locator('.event-row', { hasText: 'Elternabend mit Zeit und Ort' });
    await row.waitFor();
    assert.equal(await row.locator('.event-time').textContent(), '18:30');
    assert.equal(await row.locator('.event-place').textContent(), 'Gemeindehaus, Lotter Straße 5');
    await row.locator('a').click();
    await page.waitForSelector('#event-time', { state: 'visible' });
    assert.equal(await page.inputValue('#event-time'), '18:30', 'the event opens with its time');
  });

  it('a draft: the consultation form closed mid-entry gives back what was typed', async () => {
    // Tried: typing, then the app closed (a reload) before saving.
    await goTo(page, '#/today');
    await goTo(page, '#/consultations/new');
    await page.waitForSelector('#save-consultation', { state: 'visible' });
    const notes = 'Vater möchte über Anerkennung seines Meisterbriefs sprechen';
    await pickContact(page, 'consultation-contact', CONTACT.name);
    await check(page, '#topic-recognition');
    await choose(page, 'consultation-outcome', 'follow-up');
    await page.fill('#consultation-notes', notes);
    await page.waitForTimeout(800); // typing paused: the draft is written after 300 ms
    await page.reload();
    await page.waitForSelector('#save-consultation', { state: 'visible' });
    await page.waitForSelector('#draft-restored', { state: 'visible' });
    assert.equal(await page.inputValue('#consultation-notes'), notes, 'the notes are back');
    assert.ok(await page.isChecked('#topic-recognition'), 'the topic is ticked again');
    assert.equal(await page.inputValue('#consultation-outcome'), 'follow-up', 'the outcome is back');
    assert.match((await textOf(page, '#consultation-contact-chosen')) ?? '', new RegExp(CONTACT.name), 'the contact is back');
    await screenshot(page, 'bad-draft-restored');
    assert.equal(await listCount(page, 'consultations'), 0, 'a kept draft is not a saved consultation');
  });
});
