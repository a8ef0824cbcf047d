// Every language clean (the field UX issue, parts 3 and 4): on the main
// pages, with the demo network, in all five languages at 412x915, no word
// of the interface is broken in the middle (a soft hyphen the translation
// placed is a break it allows) and no text is cut off by its box. What a
// person typed (names, notes: isolated in <bdi> or marked translate="no")
// may wrap anywhere and is not checked here. Text that runs out of its box
// over its neighbours (a label wider than its tab) counts as cut off, and
// so does anything off the screen's edge (a button pushed out by a long
// title). Tried: every language, every page below (records being read
// too), and the bottom bar on each; and a referral whose picked
// institution (a German name) must read from its start in every picker.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PHONE, launchDevice, screenshot, startRelay } from '../lib/harness.mjs';
import { companyWithPlaces, firstRecord, goTo, openDemo } from '../lib/app.mjs';

const LANGS = ['de', 'en', 'tr', 'ar', 'ru'];
const PAGES = [
  ['today', '#/today', '#quick-consultation'],
  ['contacts', '#/contacts', 'li.contact-row'],
  ['consultations', '#/consultations', 'main a[href*="#/consultations/"]'],
  ['events', '#/events', '.event-row'],
  ['more', '#/more', '#more-companies'],
  ['review', '#/review', '#review-count'],
  ['duplicates', '#/duplicates', '.duplicate-pair, #duplicates-none'],
  ['contact-new', '#/contacts/new', '#save-contact'],
  ['company-new', '#/companies/new', '#save-company'],
  // Records being read (a summary), whose titles can be long German names.
  ['contact', (p) => firstRecord(p, '#/contacts', 'contacts'), '#record-edit'],
  ['consultation', (p) => firstRecord(p, '#/consultations', 'consultations'), '#record-edit'],
  ['company', (p) => companyWithPlaces(p), '#record-edit'],
  ['training-place', (p) => firstRecord(p, null, 'training-places'), '#record-edit'],
  ['import', '#/import/contacts', '#import-pick'],
];

/// Words of the interface broken across lines, text cut off by its box,
/// and anything that runs off a `screen` px wide screen.
function layoutProblems(screen) {
  const own = (el) => el.closest('bdi, [translate="no"], input, textarea, select, option, svg, .visually-hidden');
  const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || own(el) || !shown(el)) continue;
    const re = /[^\s\u00AD-]{4,}/g;
    for (let m = re.exec(node.textContent); m; m = re.exec(node.textContent)) {
      const whole = node.textContent.slice(Math.max(0, m.index - 1), m.index + m[0].length + 1);
      if (whole.includes('\u00AD')) continue;
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
      if (lines.size > 1) out.push(`"${m[0]}" broken across lines (in .${el.className || el.tagName})`);
    }
  }
  for (const el of document.querySelectorAll('header *, main *, nav *')) {
    if (own(el) || !shown(el) || !el.textContent.trim()) continue;
    const cs = getComputedStyle(el);
    if (['hidden', 'clip'].includes(cs.overflowX) && el.scrollWidth > el.clientWidth + 1) {
      out.push(`cut off: .${el.className || el.tagName} "${el.textContent.trim().slice(0, 40)}"`);
    } else if (
      el.clientWidth > 0 &&
      (el.children.length === 0 || el.matches('nav a, button, .button')) &&
      el.scrollWidth > el.clientWidth + 1
    ) {
      // Text running out of its box over its neighbours.
      out.push(`overflows its box: .${el.className || el.tagName} "${el.textContent.trim().slice(0, 40)}"`);
    }
  }
  // The page itself no wider than the screen (it would scroll sideways,
  // and in Arabic hide the start of every line). A phone browser widens
  // its layout to what overflows (innerWidth grows with it), so the screen's
  // own width is the measure; and every element, so a button pushed off the
  // edge counts even where nothing scrolls.
  if (document.documentElement.scrollWidth > screen + 1) {
    out.push(`the page is ${document.documentElement.scrollWidth} px wide on a ${screen} px screen`);
  }
  const scrolls = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(a).overflowX)) return true;
    }
    return false;
  };
  for (const el of document.querySelectorAll('header *, main *, nav *')) {
    if (!shown(el) || el.closest('.visually-hidden')) continue;
    const r = el.getBoundingClientRect();
    if (r.width > 0 && (r.right > screen + 1 || r.left < -1) && !scrolls(el)) {
      const what = el.id ? `#${el.id}` : `.${el.getAttribute('class') || el.tagName}`;
      out.push(`off the screen (${Math.round(r.left)}..${Math.round(r.right)} px): ${what} "${el.textContent.trim().slice(0, 40)}"`);
    }
  }
  // A picker shows the chosen name from its start: a German name in an
  // Arabic page is laid out left to right inside its <select>, or the
  // picker cuts its beginning ("nabrück-Emsland" for both chambers).
  const RTL = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;
  const strong = (s) => {
    const m = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFFA-Za-z\u00C0-\u024F\u0400-\u04FF]/.exec(s);
    return m && (RTL.test(m[0]) ? 'rtl' : 'ltr');
  };
  for (const sel of document.querySelectorAll('main select')) {
    const opt = sel.selectedOptions[0];
    if (!opt || !shown(sel)) continue;
    const want = strong(opt.textContent);
    if (want && getComputedStyle(opt).direction !== want) {
      out.push(`picker #${sel.id} lays out "${opt.textContent.trim().slice(0, 40)}" ${getComputedStyle(opt).direction}`);
    }
  }
  return out;
}

test('no interface word broken mid-word and no text cut off, every language', { timeout: 15 * 60_000 }, async (t) => {
  const relay = await startRelay();
  const device = await launchDevice('layout');
  t.after(async () => {
    await device.close();
    await relay.dispose();
  });
  const { page } = device;
  await openDemo(page, relay.url);
  const problems = [];
  for (const lang of LANGS) {
    await goTo(page, '#/device');
    await page.waitForSelector('#language', { state: 'visible' });
    await page.selectOption('#language', lang);
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);
    for (const [name, where, ready] of PAGES) {
      const hash = typeof where === 'function' ? await where(page) : where;
      assert.ok(hash, `${lang} ${name}: a record to open`);
      await goTo(page, '#/more');
      await goTo(page, hash);
      await page.waitForSelector(ready, { state: 'visible', timeout: 30_000 });
      await page.waitForTimeout(200);
      for (const p of await page.evaluate(layoutProblems, PHONE.width)) problems.push(`${lang} ${name}: ${p}`);
    }
    // A referral with its institution picked (a German name in every language).
    await goTo(page, '#/referrals');
    const href = await page.getAttribute('main a[href*="#/referrals/"]', 'href', { timeout: 30_000 });
    await goTo(page, href.slice(href.indexOf('#')));
    await page.waitForSelector('main select', { state: 'attached' });
    const pickers = await page.$$eval('main select', (all) => all.filter((s) => s.value).length);
    assert.ok(pickers > 0, `${lang}: the referral shows a picked value`);
    for (const p of await page.evaluate(layoutProblems, PHONE.width)) problems.push(`${lang} referral: ${p}`);
    if (lang === 'ar') await screenshot(page, 'layout-ar-referral');
    // Read, it shows the chosen names as text; edited, in its pickers.
    await page.click('#record-edit');
    await page.waitForSelector('main select', { state: 'visible' });
    for (const p of await page.evaluate(layoutProblems, PHONE.width)) problems.push(`${lang} referral, editing: ${p}`);
    if (lang === 'ar') await screenshot(page, 'layout-ar-referral-edit');
    await page.click('form .actions a.button'); // Cancel: the next language opens it for reading again
    await goTo(page, '#/today');
    await screenshot(page, `layout-${lang}-today`);
  }
  await goTo(page, '#/device');
  await page.selectOption('#language', 'de');
  assert.deepEqual(problems, [], problems.join('\n'));
});
