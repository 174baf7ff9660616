import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { E2E_OUTPUT, logIn, useServerAndBrowser } from './browser.js';

const ctx = useServerAndBrowser();

describe('web client: crew plans', () => {
  it('builds the crews for a borough day, locks one, re-solves and publishes', async () => {
    const page = await logIn(ctx.browser(), ctx.server().url, 'planner.bromley', 'demo-planner-2026');
    await page.click('a[href="#/plans"]');
    await page.waitForSelector('select[name=unit] option[value="borough:BROM"]', { state: 'attached' });
    await page.selectOption('select[name=unit]', 'borough:BROM');
    await page.fill('input[name=from]', '2026-11-23');
    await page.fill('input[name=to]', '2026-11-23');
    await page.click('#new-plan button[type=submit]');

    await page.waitForSelector('#plan-stats', { timeout: 60_000 });
    assert.match((await page.textContent('#plan-stats')) ?? '', /^OPTIMAL: \d+ crews/);
    assert.equal(await page.locator('.card.shift').count(), 6);
    await page.screenshot({ path: join(E2E_OUTPUT, 'plan-draft.png'), fullPage: false });

    await page.locator('input.lock').first().check();
    await page.click('#resolve');
    await page.waitForSelector('text=revision 1', { timeout: 60_000 });
    assert.equal(await page.locator('input.lock:checked').count(), 1);

    await page.click('#publish');
    await page.waitForSelector('text=Published by planner.bromley');
    await page.screenshot({ path: join(E2E_OUTPUT, 'plan-published.png'), fullPage: false });
    await page.close();
  });
});
