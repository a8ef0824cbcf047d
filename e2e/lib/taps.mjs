// The three quick actions of a meeting, driven as a mentor's thumb would
// and counted (the field UX issue, part 6): every tap, every choice from a
// list, every character typed. A test holds them to their targets
// (tests/18-taps); the bench reports them (bench/browser.mjs taps).
//
// The count is only honest if every step goes through a `Hand`: the
// scenarios below use nothing else to touch the page.

import { goTo } from './app.mjs';

/// What each scenario may cost, taps besides what is typed (the issue's
/// targets).
export const TARGETS = {
  consultation: 12,
  tally: 6,
  referralDone: 2,
};

/// A thumb on the page, counting.
export class Hand {
  constructor(page) {
    this.page = page;
    this.taps = 0;
    this.typed = 0;
  }

  /// One tap on `selector`.
  async tap(selector, times = 1) {
    for (let n = 0; n < times; n++) {
      await this.page.click(selector);
      this.taps += 1;
    }
  }

  /// A tap into a field, then `text` typed (its characters counted apart
  /// from the taps).
  async type(selector, text) {
    await this.page.click(selector);
    this.taps += 1;
    await this.page.fill(selector, text);
    this.typed += [...text].length;
  }

  /// Picks `value` of the choice `id`: a native list costs two taps (open
  /// it, pick), a row of buttons or a radio one.
  async pick(id, value) {
    const tag = await this.page.$eval(`#${id}`, (el) => el.tagName).catch(() => null);
    if (tag === 'SELECT') {
      await this.page.selectOption(`#${id}`, value);
      this.taps += 2;
    } else {
      await this.tick(`#${id}-${value}`);
    }
  }

  /// Ticks a checkbox or a radio button (its label when the input is
  /// styled away).
  async tick(selector) {
    const visible = await this.page.isVisible(selector);
    if (visible) await this.page.check(selector);
    else {
      const id = await this.page.$eval(selector, (el) => el.id);
      await this.page.click(`label[for="${id}"]`);
    }
    await this.page.waitForFunction((s) => document.querySelector(s)?.checked, selector);
    this.taps += 1;
  }
}

/// A first consultation with someone not yet in the notebook, from Today:
/// the contact is created on the way (name, target group, consent), one
/// topic, the outcome, save. Returns the hand.
export async function firstConsultation(page, { name }) {
  await goTo(page, '#/today');
  await page.waitForSelector('#quick-consultation', { state: 'visible' });
  const hand = new Hand(page);
  await hand.tap('#quick-consultation');
  await page.waitForSelector('#save-consultation', { state: 'visible' });
  await hand.type('#consultation-contact-search', name);
  await hand.tap('#consultation-contact-new');
  await page.waitForSelector('#consultation-contact-new-name', { state: 'visible' });
  if ((await page.inputValue('#consultation-contact-new-name')) !== name) {
    throw new Error('the typed name was not taken over into the new contact');
  }
  await hand.pick('consultation-contact-new-group', 'parent');
  await hand.tick('#consultation-contact-new-consent');
  await hand.tap('#consultation-contact-new-save');
  await page.waitForSelector('#consultation-contact-chosen', { state: 'visible' });
  await hand.tick('#topic-orientation');
  await hand.pick('consultation-outcome', 'follow-up');
  const form = await page.evaluate(() => location.hash);
  await hand.tap('#save-consultation');
  await page.waitForFunction((h) => location.hash !== h, form);
  return hand;
}

/// A school info session tallied from Today: the quick action, the
/// school's name, the counts (`counts`: taps per group, counted apart),
/// save. Returns the hand and the taps spent on counting.
export async function tallyInfoSession(page, { school, counts }) {
  await goTo(page, '#/today');
  await page.waitForSelector('#quick-tally', { state: 'visible' });
  const hand = new Hand(page);
  await hand.tap('#quick-tally');
  await page.waitForSelector('#save-event', { state: 'visible' });
  await hand.type('#event-school', school);
  let counting = 0;
  for (const [group, n] of Object.entries(counts)) {
    await hand.tap(`#tally-${group}-plus`, n);
    counting += n;
  }
  const form = await page.evaluate(() => location.hash);
  await hand.tap('#save-event');
  await page.waitForFunction((h) => location.hash !== h, form);
  return { hand, counting };
}

/// An overdue referral marked done from Today. Returns the hand and the
/// referral's row id.
export async function referralDoneFromToday(page) {
  await goTo(page, '#/today');
  await page.waitForSelector('#overdue-list .due-row', { state: 'visible' });
  const done = await page.$eval('#overdue-list .due-row[data-kind="referral"] .due-done', (b) => b.id);
  const hand = new Hand(page);
  await hand.tap(`#${done}`);
  await page.waitForSelector(`#${done}`, { state: 'detached' });
  return { hand, done };
}
