// Every mentor's language: German, English, Turkish, Arabic (right to left),
// Russian. Each language walks the main pages at phone size with a
// screenshot of each, and no word of the other source languages may show
// (user data and names are marked translate="no" and skipped); Arabic is
// mirrored; the choice survives a reload, offline too.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PHONE, REPO, SCREENSHOTS, launchDevice, screenshot, startRelay, unexpectedProblems } from '../lib/harness.mjs';
import {
  addContact,
  createInvitation,
  fillContact,
  goTo,
  gotoContacts,
  openApp,
  openContact,
  startEditing,
  setUpDevice,
  waitForAppReady,
  waitForServiceWorkerControl,
  waitForShell,
} from '../lib/app.mjs';

const LANGS = ['de', 'en', 'tr', 'ar', 'ru'];

/// Words that may show in any language: names, not words of one.
const PROPER_NAMES = new Set(['lotse']);

const CONTACTS = [
  { name: 'Ayşe Demir', phone: '+49 541 100001', district: 'Schinkel' },
  { name: 'محمد الأحمد', phone: '+49 541 100002', district: 'Schinkel' },
  { name: 'Olga Nowak (Oma)', phone: '+49 541 100003', district: 'Dodesheide' },
];

const COMMUNITIES = ['Türkische Gemeinde Osnabrück', 'الجالية العربية Osnabrück', 'Arabischsprachige Familien'];

/// What this test types in: user data may show inside a translated sentence
/// ("… the contacts of { $community }"), so it is taken out before the check.
const USER_DATA = [...CONTACTS.flatMap((c) => [c.name, c.district]), ...COMMUNITIES, 'Aylin Kaya', 'Samira', 'Leyla'];

/// The words (three letters or more, lower case) of a language's messages:
/// values only, without comments, ids, variant keys and placeables.
function ftlWords(lang) {
  const source = readFileSync(path.join(REPO, 'src/i18n', `${lang}.ftl`), 'utf8');
  const words = new Set();
  for (const line of source.split('\n')) {
    if (line.startsWith('#')) continue;
    const text = line
      .replace(/^[a-z][a-z0-9-]* =/, '')
      .replace(/^\s*\*?\[[^\]]*\]/, '')
      .replace(/\{[^}]*\}?/g, ' ');
    for (const w of text.match(/\p{L}{3,}/gu) ?? []) words.add(w.toLowerCase());
  }
  return words;
}

const WORDS = Object.fromEntries(LANGS.map((l) => [l, ftlWords(l)]));

/// Words on the screen that belong to German or English and not to `lang`.
function leftovers(texts, lang) {
  const found = [];
  for (const text of texts) {
    for (const w of text.match(/\p{L}{3,}/gu) ?? []) {
      const word = w.toLowerCase();
      if (PROPER_NAMES.has(word) || WORDS[lang].has(word)) continue;
      if (WORDS.en.has(word) || WORDS.de.has(word)) found.push(`${word} in ${JSON.stringify(text)}`);
    }
  }
  return found;
}

/// Every text a person reads or hears on the page: text nodes and the text
/// attributes, except inside translate="no" (user data, the app's name, the
/// join link) and elements in another language (the picker's own names).
async function shownTexts(page) {
  return page.evaluate(() => {
    const lang = document.documentElement.lang;
    const skipped = (el) =>
      !el ||
      el.closest('[translate="no"], script, style, noscript') ||
      (el.closest('[lang]')?.getAttribute('lang') ?? lang) !== lang;
    const out = [document.title];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const t = n.nodeValue.trim();
      if (t && !skipped(n.parentElement)) out.push(t);
    }
    for (const el of document.body.querySelectorAll('[placeholder], [title], [aria-label], [alt]')) {
      if (skipped(el)) continue;
      for (const a of ['placeholder', 'title', 'aria-label', 'alt']) {
        const v = el.getAttribute(a);
        if (v) out.push(v);
      }
    }
    return out;
  });
}

async function assertAllIn(page, lang, where) {
  const texts = (await shownTexts(page)).map((t) => USER_DATA.reduce((rest, data) => rest.replaceAll(data, ' '), t));
  const left = leftovers(texts, lang);
  assert.deepEqual(left, [], `${lang}, ${where}: German or English words on screen`);
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: window.innerWidth,
  }));
  assert.ok(scroll <= width, `${lang}, ${where}: nothing sticks out sideways (${scroll} > ${width})`);
}

async function pickLanguage(page, lang) {
  await page.selectOption('#language', lang);
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
  const dir = await page.evaluate(() => document.documentElement.dir);
  assert.equal(dir, lang === 'ar' ? 'rtl' : 'ltr', `${lang}: <html dir>`);
}

/// Where an element sits: its left and right edge on the screen.
async function box(page, selector) {
  const b = await page.locator(selector).first().boundingBox();
  assert.ok(b, `${selector} is on screen`);
  return { left: b.x, right: b.x + b.width };
}

test('the leftover check finds German and English words, and not the language itself', () => {
  assert.deepEqual(leftovers(['Kaydet', 'Son eşitleme: 14:05'], 'tr'), []);
  assert.equal(leftovers(['Save'], 'tr').length, 1);
  assert.equal(leftovers(['Speichern'], 'ar').length, 1);
  assert.equal(leftovers(['Kontakte'], 'en').length, 1, 'German is a leftover in English');
  assert.equal(leftovers(['Contacts'], 'de').length, 1, 'English is a leftover in German');
  assert.deepEqual(leftovers(['Lotse'], 'ru'), [], 'a name');
});

test('each language walks setup, contacts, the form with its errors and the device page', async (t) => {
  const relay = await startRelay();
  t.after(() => relay.dispose());
  const shots = [];
  const shot = async (page, name, opts) => shots.push(await screenshot(page, name, opts));

  for (const lang of LANGS) {
    await t.test(lang, async () => {
      const device = await launchDevice(`lang-${lang}`);
      try {
        const { page } = device;
        await openApp(page, relay.url);
        assert.equal(await page.inputValue('#language'), 'de', 'a de-DE browser starts in German');
        await pickLanguage(page, lang);
        await assertAllIn(page, lang, 'setup');
        if (lang === 'tr') {
          // The check sees what a component would write in by hand.
          await page.evaluate(() => document.querySelector('.intro').append(' Speichern'));
          assert.equal(leftovers(await shownTexts(page), lang).length, 1, 'an injected German word is found');
          await page.evaluate(() => document.querySelector('.intro').lastChild.remove());
        }
        await shot(page, `06-${lang}-1-setup`);

        await setUpDevice(page, { mentor: 'Aylin Kaya', community: COMMUNITIES[0] });
        for (const c of CONTACTS) await addContact(page, c);
        await gotoContacts(page);
        await page.waitForFunction((n) => document.querySelectorAll('li.contact-row').length === n, CONTACTS.length);
        await assertAllIn(page, lang, 'contacts');
        const [title, status, fab] = [await box(page, '.app-title'), await box(page, '#sync-status'), await box(page, '#add-contact')];
        if (lang === 'ar') {
          assert.ok(title.left > status.right - 1, 'Arabic: the title on the right, the sync status on the left');
          assert.ok(fab.left < PHONE.width / 2, 'Arabic: the add button at the inline end, on the left');
        } else {
          assert.ok(title.right < status.left + 1, `${lang}: the title on the left`);
          assert.ok(fab.right > PHONE.width / 2, `${lang}: the add button on the right`);
        }
        await shot(page, `06-${lang}-2-contacts`);

        await goTo(page, '#/contacts/new');
        await fillContact(page, { name: '', phone: 'abc', consent: false });
        await page.click('#save-contact');
        await page.waitForSelector('#error-name, #error-consent, #error-phone', { state: 'visible' });
        await assertAllIn(page, lang, 'contact form with errors');
        const day = await page.textContent('#consent-date-text');
        const year = String(new Date().getFullYear());
        assert.ok(day.includes(year) && /\p{L}{3,}/u.test(day), `${lang}: the consent date in words: ${day}`);
        await shot(page, `06-${lang}-3-contact-errors`);
        await shot(page, `06-${lang}-3-contact-errors-full`, { fullPage: true });

        await openContact(page, 'Olga Nowak (Oma)');
        await startEditing(page);
        const phoneDir = await page.$eval('#phone', (el) => getComputedStyle(el).direction);
        assert.equal(phoneDir, 'ltr', `${lang}: a phone number reads left to right`);
        await page.fill('#phone', '+49 541 100003');
        await assertAllIn(page, lang, 'contact edit');
        await shot(page, `06-${lang}-4-contact-edit`);

        await createInvitation(page, { waitForRelay: false });
        assert.equal(await page.$eval('#join-link', (el) => getComputedStyle(el).direction), 'ltr', 'the join link reads left to right');
        await assertAllIn(page, lang, 'device');
        await shot(page, `06-${lang}-5-device`);

        assert.deepEqual(unexpectedProblems(device.problems), [], 'no page errors');
      } finally {
        await device.close();
      }
    });
  }
  console.log(`screenshots (412x915) in ${SCREENSHOTS}:\n${shots.join('\n')}`);
});

test("the browser's language is the default, and the join page has the picker too", async (t) => {
  const relay = await startRelay();
  const a = await launchDevice('lang-browser-ar', { locale: 'ar-SY' });
  const b = await launchDevice('lang-browser-tr', { locale: 'tr-TR' });
  t.after(async () => {
    await a.close();
    await b.close();
    await relay.dispose();
  });
  await openApp(a.page, relay.url);
  assert.equal(await a.page.evaluate(() => document.documentElement.lang), 'ar');
  assert.equal(await a.page.evaluate(() => document.documentElement.dir), 'rtl');
  assert.equal(await a.page.inputValue('#language'), 'ar');
  await setUpDevice(a.page, { mentor: 'Samira', community: COMMUNITIES[1] });
  const link = await createInvitation(a.page);

  await b.page.goto(link);
  await b.page.waitForSelector('#join-save', { state: 'visible' });
  assert.equal(await b.page.evaluate(() => document.documentElement.lang), 'tr', 'a tr-TR browser joins in Turkish');
  await assertAllIn(b.page, 'tr', 'join');
  await pickLanguage(b.page, 'ru');
  await assertAllIn(b.page, 'ru', 'join');
  await screenshot(b.page, '06-ru-6-join');
  await pickLanguage(b.page, 'ar');
  await screenshot(b.page, '06-ar-6-join');
  await b.page.fill('#mentor-name', 'Leyla');
  await b.page.click('#join-save');
  await waitForShell(b.page);
  assert.equal(await b.page.evaluate(() => location.hash), '#/today', 'joining lands on Today');
  await gotoContacts(b.page);
  assert.equal(await b.page.evaluate(() => document.documentElement.lang), 'ar', 'the choice holds after joining');
  await assertAllIn(b.page, 'ar', 'contacts after joining');
  assert.deepEqual(unexpectedProblems([...a.problems, ...b.problems]), []);
});

test('the language choice survives a reload, and works offline', async (t) => {
  const relay = await startRelay();
  const device = await launchDevice('lang-offline');
  t.after(async () => {
    await device.close();
    await relay.dispose();
  });
  const { page, context } = device;
  await openApp(page, relay.url);
  await pickLanguage(page, 'ar');
  await setUpDevice(page, { mentor: 'Samira', community: COMMUNITIES[2] });
  await addContact(page, CONTACTS[0]);
  await waitForServiceWorkerControl(page);

  await page.reload();
  await waitForAppReady(page);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'ar', 'after a reload');

  await relay.stop();
  await context.setOffline(true);
  await page.reload();
  await page.waitForSelector('#contact-search', { state: 'visible' });
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'ar', 'after an offline reload');
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
  await page.waitForFunction(() => ['offline', 'connecting'].includes(document.querySelector('#sync-status')?.dataset.state));
  await assertAllIn(page, 'ar', 'contacts, offline');
  await screenshot(page, '06-ar-7-offline');

  // Changed offline, kept offline.
  await goTo(page, '#/device');
  await pickLanguage(page, 'ru');
  await page.reload();
  await page.waitForSelector('#contact-search, #invite-create', { state: 'visible' });
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'ru', 'changed offline, after an offline reload');
  assert.equal(await page.inputValue('#language'), 'ru');
  await assertAllIn(page, 'ru', 'device, offline');
  await screenshot(page, '06-ru-7-offline');
  assert.deepEqual(unexpectedProblems(device.problems), []);
});
