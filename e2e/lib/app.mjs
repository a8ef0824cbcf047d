// Driving the app through its DOM contract (hash routes, element ids), as a
// mentor would: ARCHITECTURE.md and the foundation issue list the contract.

import { TIMEOUT } from './harness.mjs';

/// Opens the app and waits until one of its first screens is there.
export async function openApp(page, url) {
  await page.goto(url);
  await waitForAppReady(page);
}

export async function waitForAppReady(page) {
  await page.waitForSelector('#mentor-name, #contact-search, #join-error', {
    state: 'visible',
    timeout: TIMEOUT,
  });
}

/// The first-start screen: the mentor's name and community.
export async function setUpDevice(page, { mentor, community }) {
  await page.waitForSelector('#setup-save', { state: 'visible' });
  await page.fill('#mentor-name', mentor);
  await page.fill('#community-name', community);
  await page.click('#setup-save');
  await page.waitForSelector('#contact-search', { state: 'visible' });
}

/// Joins with a link from another device.
export async function joinWith(page, link, { mentor }) {
  await page.goto(link);
  await page.waitForSelector('#join-save', { state: 'visible' });
  await page.fill('#mentor-name', mentor);
  await page.click('#join-save');
  await page.waitForSelector('#contact-search', { state: 'visible' });
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

/// Edits the open contact and saves.
export async function editOpenContact(page, fields) {
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
