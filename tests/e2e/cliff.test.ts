import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { TEST_NOW } from '../integration/helpers/test-server.js';
import { assertAccessible, assertNoSidewaysScroll } from './axe.js';
import { logIn, useServerAndBrowser } from './browser.js';

const ctx = useServerAndBrowser({ clock: () => TEST_NOW });
const SCREENSHOTS = resolve(dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');

describe('web client: authorisation cliff and refresher planner', () => {
  it('shows the borough lead the cliff for 12 months, plans refreshers and books them', async () => {
    const server = ctx.server();
    const page = await logIn(ctx.browser(), server.url, 'lead.bromley', 'demo-lead-2026');
    await page.click('#nav a:text-is("Review")');
    await page.click('nav.tabs a[href="#/cliff"]');
    await page.waitForSelector('#cliff-table tbody tr:nth-child(52)', { state: 'attached' });
    assert.equal(await page.$$eval('#cliff-table tbody tr', (trs) => trs.length), 52);
    await page.waitForFunction(() => (document.getElementById('cliff-chart') as HTMLCanvasElement).width > 0);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'cliff.png'), fullPage: false });

    await page.click('#plan-refreshers');
    await page.waitForSelector('#refresher-weeks tbody tr', { timeout: 90_000 });
    const booking = (await page.textContent('#book-refreshers'))!.trim();
    const n = Number(/Book (\d+) refreshers?/.exec(booking)?.[1]);
    assert.ok(n > 0, booking);
    await assertAccessible(page, 'cliff with a refresher proposal');
    await page.evaluate(() => document.getElementById('plan-refreshers')!.scrollIntoView());
    await page.screenshot({ path: join(SCREENSHOTS, 'refresher-proposal.png'), fullPage: false });
    await page.click('#book-refreshers');
    await page.waitForSelector(`text=Booked ${n} refresher`);
    // The cliff reloads with the bookings counted.
    await page.waitForFunction(
      (count) =>
        [...document.querySelectorAll('#cliff-table tbody tr td:nth-child(5)')].reduce(
          (s, td) => s + Number(td.textContent),
          0,
        ) >= count,
      n,
    );
    await page.setViewportSize({ width: 390, height: 844 });
    await assertNoSidewaysScroll(page, 'cliff at 390 px');
    await page.close();
  });
});
