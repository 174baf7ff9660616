import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { assertAccessible, assertNoSidewaysScroll } from './axe.js';
import { E2E_OUTPUT, logIn, useServerAndBrowser } from './browser.js';

const ctx = useServerAndBrowser();

describe('web client: login and stations', () => {
  it('shows a wrong password as an error, then logs in and lists the stations in scope', async () => {
    const page = await logIn(ctx.browser(), ctx.server().url, 'planner.bromley', 'wrong password');
    await page.waitForSelector('text=Wrong username or password.');

    await page.fill('input[name=password]', 'demo-planner-2026');
    await page.click('button[type=submit]');
    await page.waitForSelector('#plans');
    assert.equal(await page.getAttribute('a[aria-current=page]', 'href'), '#/plans');
    await page.click('a[href="#/stations"]');
    await page.waitForSelector('#stations tbody tr[data-station="OR"] td:nth-child(5):not(:empty)');
    const rows = await page.$$eval('#stations tbody tr', (trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent)),
    );
    assert.deepEqual(rows, [
      ['BR', 'Bromley', 'BROM', 'SN', '125', '50'],
      ['OR', 'Orpington', 'BROM', 'SN', '125', '50'],
    ]);
    assert.match((await page.textContent('#who')) ?? '', /Bromley duty planner · planner · borough BROM/);
    await page.screenshot({ path: join(E2E_OUTPUT, 'stations.png'), fullPage: true });
    await assertAccessible(page, 'stations');
    await page.setViewportSize({ width: 390, height: 844 });
    await assertNoSidewaysScroll(page, 'stations at 390 px');
    await page.close();
  });
});
