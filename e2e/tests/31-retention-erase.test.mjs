// Retention periods (issue 13): a coordinator sets a community's retention
// period on the demo network (whose contacts go back a year); the retention
// page lists the contacts past it, and erases them all in one request. The
// list is empty afterwards, the contacts list no longer holds them, every
// other community's contacts are untouched, and the receipt counts what was
// removed.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, launchDevice, screenshot, startRelay, unexpectedProblems } from '../lib/harness.mjs';
import { firstRecord, goTo, openDemo, plain, startEditing, syncState } from '../lib/app.mjs';

/// The retention page's counts per community, as the page says them.
async function retentionCounts(page) {
  await goTo(page, '#/retention');
  await page.waitForSelector('#retention-page', { state: 'visible' });
  return page.$$eval('.retention-count', (els) => els.map((e) => e.textContent));
}

describe('erasing every contact past a retention period', () => {
  let relay, device;

  before(async () => {
    relay = await startRelay();
    device = await launchDevice('retention');
  });

  after(async () => {
    await device?.close();
    await relay?.dispose();
  });

  it('lists them, erases them in one step, and lists none after', async () => {
    const { page } = device;
    await openDemo(page, relay.url);

    const community = await firstRecord(page, '#/network', 'communities');
    assert.ok(community, 'the demo has a community');
    await goTo(page, community);
    await startEditing(page);
    await page.waitForSelector('#community-retention', { state: 'visible' });
    await page.fill('#community-retention', '3');
    await page.click('#save-community');
    await page.waitForFunction(() => location.hash === '#/network', null, { timeout: 30_000 });

    // The demo's first community has a period already; this one gets one
    // too (or a shorter one).
    const total = (counts) => counts.reduce((sum, c) => sum + Number(plain(c).match(/\d+/)?.[0] ?? 0), 0);
    const past = await eventually(
      async () => {
        const c = await retentionCounts(page);
        return c.length >= 1 && total(c) > 0 && total(c);
      },
      { message: 'the retention page lists contacts past the period', timeout: 60_000 },
    );
    // An erasure starts from a settled device: everything sent and taken.
    await eventually(async () => (await syncState(page)) === 'synced', { message: 'the device is synced', timeout: 120_000 });
    await page.waitForSelector('#erasure-erase', { state: 'visible' });
    assert.match(plain(await page.textContent('#erasure-erase')), new RegExp(`Alle ${past} Kontakte`));
    await page.click('#erasure-erase');
    await page.click('#erasure-confirm');
    await page.waitForSelector('#erasure-done', { state: 'visible', timeout: 60_000 });
    await screenshot(page, 'retention-erased-de', { fullPage: true });

    await eventually(
      async () => {
        const c = await retentionCounts(page);
        return c.length >= 1 && total(c) === 0;
      },
      { message: 'none past the period once the device moved', timeout: 120_000, interval: 1_000 },
    );
    const removed = plain(await page.textContent('#erasure-receipts .receipt-counts'));
    // Each person's merged duplicates go with them: at least as many.
    const contacts = Number(removed.match(/Kontakt (\d+)/)?.[1]);
    assert.ok(contacts >= past, `the receipt counts the contacts removed: ${removed}`);
    assert.deepEqual(unexpectedProblems(device.problems), []);
  });
});
