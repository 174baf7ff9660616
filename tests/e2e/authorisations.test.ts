import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { call, loginAs, TEST_NOW } from '../integration/helpers/test-server.js';
import { assertAccessible, assertNoSidewaysScroll } from './axe.js';
import { E2E_OUTPUT, logIn, useServerAndBrowser } from './browser.js';

const ctx = useServerAndBrowser({ clock: () => TEST_NOW });

describe('web client: authorisations', () => {
  it('shows the borough lead who lapses soon, with the same figures as the API', async () => {
    const server = ctx.server();
    const api = await call(server, 'GET', '/reports/authorisations?days=30', {
      token: await loginAs(server, 'lead.bromley'),
    });
    const page = await logIn(ctx.browser(), server.url, 'lead.bromley', 'demo-lead-2026');
    await page.click('a[href="#/authorisations"]');
    await page.waitForSelector('#authorisation-officers tbody tr');
    await page.fill('input[name=days]', '30');
    await page.dispatchEvent('input[name=days]', 'change');
    await page.waitForSelector(`text=${api.body.officers.length} officers to act on`);
    const total = await page.$$eval('#authorisation-totals tbody tr:last-child td', (tds) =>
      tds.map((td) => td.textContent),
    );
    const t = api.body.totals;
    assert.deepEqual(
      total,
      [t.unit, t.officers, t.authorised, t.inDate, t.lapsing, t.lapsed, t.suspended, t.serviceableDevices].map(String),
    );
    await page.screenshot({ path: join(E2E_OUTPUT, 'authorisations.png'), fullPage: false });

    await page.waitForSelector('select[name=whatif-unit] option[value="borough:BROM"]', { state: 'attached' });
    await page.fill('input[name=whatif-from]', '2026-11-23');
    await page.fill('input[name=whatif-to]', '2026-11-25');
    await page.click('#what-if button[type=submit]');
    await page.waitForSelector('#what-if-table tbody tr:nth-child(4)', { timeout: 60_000 });
    const labels = await page.$$eval('#what-if-table tbody tr td:first-child', (tds) =>
      tds.map((td) => td.textContent),
    );
    assert.deepEqual(labels, [
      'As today',
      'Legacy policy: both of a pair carry',
      '+10 X2 at Bromley',
      '20 more PCs trained',
    ]);
    // Three days: one row per day, and each variant against today as a sentence.
    assert.equal(await page.locator('#what-if-days tbody tr').count(), 3);
    const sentences = await page.$$eval('#what-if-summary li', (lis) => lis.map((li) => li.textContent));
    assert.equal(sentences.length, 3);
    assert.match(
      sentences[2]!,
      /^With 20 more PCs trained, pairs without a Taser carrier from 23 Nov to 25 Nov 2026 (fall from|stay at) \d+/,
    );
    await page.locator('#what-if-table').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(E2E_OUTPUT, 'what-if.png'), fullPage: false });
    await assertAccessible(page, 'authorisations and what-if');
    await page.setViewportSize({ width: 390, height: 844 });
    await assertNoSidewaysScroll(page, 'authorisations at 390 px');
    await page.close();
  });
});
