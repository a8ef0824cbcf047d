// Driving the app through its DOM contract (hash routes, element ids), as a
// mentor would: ARCHITECTURE.md and the foundation issue list the contract.

import { recentLog, TIMEOUT } from './harness.mjs';

/// Opens the app and waits until one of its first screens is there.
export async function openApp(page, url) {
  await page.goto(url);
  await waitForAppReady(page);
}

export async function waitForAppReady(page) {
  await page.waitForSelector('#mentor-name, #contact-search, #join-error, .app-nav #nav-today', {
    state: 'visible',
    timeout: TIMEOUT,
  });
}

/// The app shell of a set-up device: the bottom bar with its five tabs.
export async function waitForShell(page, timeout = TIMEOUT) {
  await page.waitForSelector('.app-nav #nav-today', { state: 'visible', timeout });
}

/// After set-up or joining the app lands on Today.
async function waitForToday(page) {
  await waitForShell(page);
  await page.waitForFunction(() => location.hash === '#/today', null, { timeout: TIMEOUT });
}

/// The first-start screen: the mentor's name and community. Lands on Today.
export async function setUpDevice(page, { mentor, community }) {
  await page.waitForSelector('#setup-save', { state: 'visible' });
  await page.fill('#mentor-name', mentor);
  await page.fill('#community-name', community);
  await page.click('#setup-save');
  await waitForToday(page);
}

/// Joins with an invitation link from a coordinator's device. Lands on
/// Today; with `admitted` (the default) waits until the relay admitted the
/// device (no access banner, the status past "connecting").
export async function joinWith(page, link, { mentor, admitted = true }) {
  await page.goto(link);
  await page.waitForSelector('#join-save', { state: 'visible' });
  await page.fill('#mentor-name', mentor);
  await page.click('#join-save');
  await waitForToday(page);
  if (admitted) await waitForAdmission(page);
}

/// When the page was loaded: the same value later means it did not load
/// again in between (no reload, no navigation to a new document).
export async function loadedAt(page) {
  return page.evaluate(() => performance.timeOrigin);
}

/// Waits until the relay admitted the device (the status line says what
/// the relay answered in `data-access`).
export async function waitForAdmission(page, timeout = TIMEOUT) {
  await page.waitForSelector('#sync-status[data-access="member"]', { state: 'attached', timeout });
}

/// What the relay answered of this device: `unknown`, `member`, `waiting`,
/// `not-admitted`, `retired`, `invitation-refused`.
export async function accessOf(page) {
  return page.$eval('#sync-status', (el) => el.dataset.access).catch(() => null);
}

/// A coordinator's invitation for one more device (its device page): picks
/// how long it is valid (seconds: 3600, 86400, 604800) and whom it is for
/// (`forName`) and, on a device holding several communities, to which
/// (`community`, by name), or invites a coordinator (`coordinator: true`);
/// creates it and, with `waitForRelay` (the default), waits until the
/// relay holds it. Returns the join link.
export async function createInvitation(page, { validFor, waitForRelay = true, forName, community, coordinator } = {}) {
  await goTo(page, '#/device');
  await page.waitForSelector('#invite-create', { state: 'visible' });
  await page.selectOption('#invite-role', coordinator ? 'coordinator' : 'mentor');
  if (community) await page.selectOption('#invite-community', { label: community });
  if (validFor) await page.selectOption('#invite-valid', String(validFor));
  if (forName) await page.fill('#invite-name', forName);
  const before = await page.$eval('#join-link', (el) => el.textContent).catch(() => null);
  await page.click('#invite-create');
  // The new link, or the app's "could not create": a failure says why.
  const outcome = await page
    .waitForFunction(
      (b) => {
        if (document.querySelector('#invite-failed')) return 'failed';
        const el = document.querySelector('#join-link');
        return el && el.textContent !== b ? 'made' : null;
      },
      before,
      { timeout: TIMEOUT },
    )
    .then((h) => h.jsonValue())
    .catch((e) => `timed out (${e.message})`);
  if (outcome !== 'made') {
    const status = await page.$eval('#sync-status', (el) => el.outerHTML).catch(() => 'no status line');
    throw new Error(`no invitation: ${outcome}\nstatus: ${status}\nconsole:\n${recentLog(page)}`);
  }
  if (waitForRelay) await page.waitForSelector('#invite-state[data-state="stored"]', { timeout: TIMEOUT });
  return (await page.textContent('#join-link')).trim();
}

/// The join link for another device: a new invitation from this
/// (coordinator's) device.
export const readJoinLink = createInvitation;

/// The invitation's parts in a join link (version 5): its version byte,
/// the role byte (0 mentor, 1 coordinator), the one-time secret (hex) and
/// the link as it was before invitations (version 2: the same ids and
/// name, no role, no secret).
export function invitationOf(link) {
  const [origin, payload] = link.split('#join=');
  const bytes = Buffer.from(payload, 'base64url');
  const withoutSecret = Buffer.concat([Buffer.from([2]), bytes.subarray(34)]);
  return {
    version: bytes[0],
    role: bytes[1],
    secret: bytes.subarray(2, 34).toString('hex'),
    withoutInvitation: `${origin}#join=${withoutSecret.toString('base64url')}`,
  };
}

export async function goTo(page, hash) {
  await page.evaluate((h) => {
    location.hash = h;
  }, hash);
  await page.waitForFunction((h) => location.hash === h, hash);
}

export async function gotoContacts(page) {
  await goTo(page, '#/contacts');
  await page.waitForSelector('#contact-search', { state: 'visible' });
}

/// Selects the first option with a non-empty value, unless one is chosen.
async function selectSomething(page, selector, wanted) {
  if (wanted !== undefined) {
    await page.selectOption(selector, wanted);
    return;
  }
  const current = await page.$eval(selector, (el) => el.value);
  if (current) return;
  const value = await page.$eval(selector, (el) => [...el.options].map((o) => o.value).find((v) => v));
  if (value) await page.selectOption(selector, value);
}

const TEXT_FIELDS = {
  name: '#name',
  phone: '#phone',
  languages: '#languages',
  district: '#district',
  household: '#household',
  notes: '#notes',
  consentDate: '#consent-date',
};

/// Fills the contact form. `consent` defaults to given, with today's date and
/// the first scope; pass `consent: false` to leave it unticked.
export async function fillContact(page, fields) {
  await page.waitForSelector('#save-contact', { state: 'visible' });
  await selectSomething(page, '#target-group', fields.targetGroup);
  for (const [key, selector] of Object.entries(TEXT_FIELDS)) {
    if (fields[key] !== undefined) await page.fill(selector, fields[key]);
  }
  const consent = fields.consent ?? true;
  if (consent) {
    await page.check('#consent-given');
    const date = await page.$eval('#consent-date', (el) => el.value);
    if (!date && fields.consentDate === undefined) {
      await page.fill('#consent-date', new Date().toISOString().slice(0, 10));
    }
    await selectSomething(page, '#consent-scope', fields.consentScope);
  } else if (await page.isChecked('#consent-given')) {
    await page.uncheck('#consent-given');
  }
}

/// Adds a contact through the form and waits for the list.
export async function addContact(page, fields) {
  await goTo(page, '#/contacts/new');
  await fillContact(page, fields);
  await page.click('#save-contact');
  await page.waitForFunction(() => location.hash === '#/contacts', null, { timeout: TIMEOUT });
  await page.waitForSelector('#contact-search', { state: 'visible' });
}

/// The names in the contact list, sorted.
export async function listedNames(page) {
  if (!(await page.evaluate(() => location.hash === '#/contacts'))) await gotoContacts(page);
  const names = await page.$$eval('li.contact-row .contact-name', (els) => els.map((e) => e.textContent.trim()));
  return names.sort();
}

/// Opens the contact called `name` from the list.
export async function openContact(page, name) {
  await gotoContacts(page);
  const href = await page.$$eval(
    'li.contact-row',
    (rows, wanted) => {
      const row = rows.find((r) => r.querySelector('.contact-name')?.textContent.trim() === wanted);
      return row?.querySelector('a[href*="#/contacts/"]')?.getAttribute('href') ?? null;
    },
    name,
  );
  if (!href) throw new Error(`no contact row with a link for ${JSON.stringify(name)}`);
  await goTo(page, href.slice(href.indexOf('#')));
  await page.waitForFunction((n) => document.querySelector('#name')?.value === n, name);
}

export async function readContact(page) {
  return page.evaluate(() => ({
    name: document.querySelector('#name')?.value,
    phone: document.querySelector('#phone')?.value,
    notes: document.querySelector('#notes')?.value,
  }));
}

/// An open record is read first: tap "Edit" (if the page is reading) and
/// wait until its fields take input.
export async function startEditing(page) {
  if (await page.isVisible('#record-edit')) {
    await page.click('#record-edit');
    await page.waitForSelector('fieldset.form-fields:not([disabled])', { timeout: TIMEOUT });
  }
}

/// Edits the open contact and saves.
export async function editOpenContact(page, fields) {
  await startEditing(page);
  for (const [key, value] of Object.entries(fields)) await page.fill(TEXT_FIELDS[key], value);
  await page.click('#save-contact');
  await page.waitForFunction(() => location.hash === '#/contacts', null, { timeout: TIMEOUT });
}

export async function syncState(page) {
  return page.$eval('#sync-status', (el) => el.dataset.state).catch(() => null);
}

/// Waits until a service worker controls the page (it claims clients when it
/// activates); fails clearly if the app never registers one.
export async function waitForServiceWorkerControl(page, timeout = TIMEOUT) {
  const ok = await page.evaluate(async (ms) => {
    if (!('serviceWorker' in navigator)) return 'no serviceWorker in navigator';
    const controlled = (async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
      }
      return true;
    })();
    const late = new Promise((r) => setTimeout(() => r('no active service worker controls the page'), ms));
    return Promise.race([controlled, late]);
  }, timeout);
  if (ok !== true) throw new Error(`${ok} after ${timeout} ms (does the app register /sw.js?)`);
}

// ---------------------------------------------------------------------------
// The whole notebook: tabs, lists, forms of every record (issue 3).

/// A day as `YYYY-MM-DD` in the browser's time zone (Europe/Berlin in every
/// device the harness launches), `days` from today.
export function berlinDate(days = 0) {
  const d = new Date(Date.now() + days * 86_400_000);
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin' }).format(d);
}

/// Taps a tab of the bottom bar (`today`, `contacts`, `consultations`,
/// `events`, `more`) and waits for its route.
export async function tapTab(page, name) {
  await page.click(`#nav-${name}`);
  await page.waitForFunction((n) => location.hash.startsWith(`#/${n}`), name, { timeout: TIMEOUT });
}

/// Opens a route and waits for the element that shows the page is there.
export async function openRoute(page, hash, ready) {
  await goTo(page, hash);
  if (ready) await page.waitForSelector(ready, { state: 'visible' });
}

/// The links to records of `kind` (`consultations`, `events`, …) on the
/// page: every list row links to `#/<kind>/<id>`. Distinct, in page order.
export async function recordLinks(page, kind) {
  return page.$$eval(
    'main a[href*="#/"]',
    (links, k) => {
      const re = new RegExp(`#/${k}/(?!new)([^/?#]+)$`);
      const seen = [];
      for (const a of links) {
        const m = re.exec(a.getAttribute('href') ?? '');
        if (m && !seen.includes(m[1])) seen.push(m[1]);
      }
      return seen;
    },
    kind,
  );
}

/// How many records of `kind` its list shows (`#/<kind>`), after the list
/// has rendered.
export async function listCount(page, kind, { route = `#/${kind}` } = {}) {
  await goTo(page, route);
  await settle(page);
  return (await recordLinks(page, kind)).length;
}

/// Two animation frames and a short pause: Leptos has rendered what the
/// last change asked for.
export async function settle(page, ms = 150) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.waitForTimeout(ms);
}

/// Picks `value` in the field `id`, whatever the page made of it: a
/// `<select>`, a row of big buttons (radio `#<id>-<value>`), or chips
/// (checkbox or button `#<id>-<value>`).
export async function choose(page, id, value) {
  await page.waitForSelector(`#${id}, [id^="${id}-"]`, { state: 'attached' });
  const tag = await page.$eval(`#${id}`, (el) => el.tagName).catch(() => null);
  if (tag === 'SELECT') {
    await page.selectOption(`#${id}`, value);
    return;
  }
  await check(page, `#${id}-${value}`);
}

/// Ticks a checkbox or radio (through its label when the input itself is
/// hidden behind a styled label), or taps a button chip.
export async function check(page, selector) {
  const el = await page.waitForSelector(selector, { state: 'attached' });
  const { type, visible, id, pressed } = await el.evaluate((e) => ({
    type: e.type,
    visible: !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length) && getComputedStyle(e).visibility !== 'hidden' && getComputedStyle(e).opacity !== '0',
    id: e.id,
    pressed: e.getAttribute('aria-pressed') ?? e.getAttribute('aria-checked'),
  }));
  if (type === 'checkbox' || type === 'radio') {
    if (await el.evaluate((e) => e.checked)) return;
    if (visible) await el.check();
    else await page.click(`label[for="${id}"]`);
    await page.waitForFunction((s) => document.querySelector(s)?.checked, selector);
  } else if (pressed !== 'true') {
    await el.click();
  }
}

/// Selects the option of `<select selector>` whose text matches `text`.
export async function selectByText(page, selector, text) {
  await page.waitForSelector(selector, { state: 'attached' });
  const value = await page.$eval(
    selector,
    (el, src) => {
      const re = new RegExp(src, 'i');
      return [...el.options].find((o) => re.test(o.textContent))?.value ?? null;
    },
    text instanceof RegExp ? text.source : text,
  );
  if (value === null) {
    const options = await page.$eval(selector, (el) => [...el.options].map((o) => o.textContent.trim()));
    throw new Error(`no option matching ${text} in ${selector}: ${JSON.stringify(options)}`);
  }
  await page.selectOption(selector, value);
  return value;
}

/// Taps `selector` `times` times, as a thumb would.
export async function tap(page, selector, times = 1) {
  for (let n = 0; n < times; n++) await page.click(selector);
}

/// The contact picker `id` (`consultation-contact`, `referral-contact`, …):
/// type part of the name, tap the match.
export async function pickContact(page, id, name) {
  await page.fill(`#${id}-search`, name);
  const option = page.locator(`#${id} .picker-option`, { hasText: name }).first();
  await option.click();
  await page.waitForSelector(`#${id}-chosen`, { state: 'visible' });
}

/// The picker's "new contact": name (typed into the search first, as a
/// mentor would), consent, and optionally target group and phone.
export async function createContactInPicker(page, id, { name, phone, targetGroup, consent = true }) {
  await page.fill(`#${id}-search`, name);
  await page.click(`#${id}-new`);
  await page.waitForSelector(`#${id}-new-name`, { state: 'visible' });
  if ((await page.inputValue(`#${id}-new-name`)) !== name) await page.fill(`#${id}-new-name`, name);
  if (targetGroup) await choose(page, `${id}-new-group`, targetGroup);
  if (consent) await check(page, `#${id}-new-consent`);
  if (phone) await page.fill(`#${id}-new-phone`, phone);
  await page.click(`#${id}-new-save`);
  if (consent) await page.waitForSelector(`#${id}-chosen`, { state: 'visible' });
}

/// Waits until the form has gone (the save took the mentor elsewhere) and
/// returns the new hash.
export async function waitForSaved(page, formHash) {
  await page.waitForFunction((h) => location.hash !== h, formHash, { timeout: TIMEOUT });
  return page.evaluate(() => location.hash);
}

/// The text of an element, trimmed, or null.
export async function textOf(page, selector) {
  return page.$eval(selector, (el) => el.textContent.trim()).catch(() => null);
}

/// The page's engine worker (Automerge, the store, the relay connection),
/// once it runs: what a test injects a storage failure into or stops.
export async function engineWorker(page, timeout = TIMEOUT) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const worker = page.workers().find((w) => /lotse-engine/.test(w.url()));
    if (worker) return worker;
    if (Date.now() > deadline) throw new Error('the engine worker did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/// How many times the page's engine loaded a document since the page
/// loaded (its performance marks).
export async function documentsLoaded(page) {
  return page.evaluate(() => performance.getEntriesByName('lotse-document-loaded').length);
}

/// Fills an empty install with the demo network (`#/demo`: a coordinator's
/// device holding every demo community) and waits for the app's shell.
export async function openDemo(page, relayUrl) {
  await page.goto(`${relayUrl}/#/demo`);
  await waitForShell(page, 5 * 60_000);
}

/// Every entry of an object store of the app's database, raw, described:
/// its name, its fields, which hold a CryptoKey, and whether an entry
/// written the old way (a CryptoKey beside AES-GCM ciphertext) opens with
/// it. An absent store or database reads as empty.
export function rawEntries(page, store) {
  return page.evaluate(
    (name) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('lotse');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains(name)) {
            db.close();
            return resolve([]);
          }
          const os = db.transaction(name).objectStore(name);
          const keys = os.getAllKeys();
          const values = os.getAll();
          values.onsuccess = async () => {
            db.close();
            const out = [];
            for (const [i, value] of values.result.entries()) {
              const fields = value && typeof value === 'object' && !ArrayBuffer.isView(value) ? Object.keys(value) : [];
              const cryptoKeys = fields.filter((f) => value[f] instanceof CryptoKey);
              let opensOldWay = false;
              if (value && value.wrap instanceof CryptoKey && value.iv && value.sealed) {
                opensOldWay = await crypto.subtle
                  .decrypt({ name: 'AES-GCM', iv: value.iv }, value.wrap, value.sealed)
                  .then(() => true, () => false);
              }
              out.push({ name: String(keys.result[i]), fields, cryptoKeys, opensOldWay });
            }
            resolve(out);
          };
          values.onerror = () => reject(values.error);
        };
      }),
    store,
  );
}

/// The keys of one object store of the app's IndexedDB (`keys`, `drafts`,
/// `statements`, …), as strings.
export async function storeKeys(page, store) {
  return (await rawEntries(page, store)).map((e) => e.name);
}

/// Waits for `selector` (a page's own element); false if it never shows.
export async function shows(page, selector, timeout = 10_000) {
  return page
    .waitForSelector(selector, { state: 'visible', timeout })
    .then(() => true)
    .catch(() => false);
}

/// The first record of `kind` linked from the page at `hash` (null: the page shown).
export async function firstRecord(page, hash, kind) {
  if (hash) await goTo(page, hash);
  for (let i = 0; i < 40; i++) {
    const ids = await recordLinks(page, kind);
    if (ids.length) return `#/${kind}/${ids[0]}`;
    await page.waitForTimeout(250);
  }
  return null;
}

/// A company of the demo that has training places (the list says how many).
export async function companyWithPlaces(page) {
  await goTo(page, '#/companies');
  await shows(page, '.company-row');
  const href = await page.$$eval('.company-row', (rows) => {
    const row = rows.find((r) => /[1-9]/.test(r.querySelector('.company-places')?.textContent ?? '')) ?? rows[0];
    return row?.querySelector('a')?.getAttribute('href') ?? null;
  });
  return href ? href.slice(href.indexOf('#')) : null;
}

// Fluent isolates each placeholder (U+2066 … U+2069); a person does not see
// them, nor the line breaks of the markup.
export const plain = (t) => t.replace(/[\u2066-\u2069]/g, '').replace(/\s+/g, ' ').trim();

export async function pickLanguage(page, lang) {
  await goTo(page, '#/device');
  await page.selectOption('#language', lang);
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
}

export async function openDevices(page) {
  await goTo(page, '#/devices');
  await page.waitForSelector('.page.devices', { state: 'visible' });
}

/// The rows of the devices page as a person reads them.
export async function deviceRows(page) {
  const rows = await page.$$eval('#devices .device-row', (rows) =>
    rows.map((r) => ({
      state: r.dataset.state,
      name: r.dataset.name,
      thisDevice: r.dataset.this === 'true',
      title: r.querySelector('.device-name').textContent,
      text: r.textContent,
      removable: !!r.querySelector('.device-remove'),
      whyNot: r.querySelector('.device-why-not')?.textContent.trim() ?? null,
      synced: r.querySelector('.device-synced')?.dataset.synced ?? '',
      syncText: r.querySelector('.device-synced')?.textContent ?? '',
      persistent: r.querySelector('.device-storage')?.dataset.persistent ?? null,
    })),
  );
  return rows.map((r) => ({ ...r, title: plain(r.title), text: plain(r.text), syncText: plain(r.syncText) }));
}

/// The home community's document id (hex), from the device's settings.
export async function homeDoc(page) {
  return page.evaluate(() => {
    const d = JSON.parse(localStorage.getItem('lotse.device'));
    return d.communities[0].doc.map((b) => b.toString(16).padStart(2, '0')).join('');
  });
}
