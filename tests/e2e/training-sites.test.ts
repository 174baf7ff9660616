import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { assertAccessible, assertNoSidewaysScroll } from './axe.js';
import { call, loginAs } from '../integration/helpers/test-server.js';
import { E2E_OUTPUT, logIn, useServerAndBrowser } from './browser.js';

const ctx = useServerAndBrowser();

describe('web client: refresher training sites (admin)', () => {
  it('adds a second site serving one borough, shows a duplicate id against its field, saves both', async () => {
    const page = await logIn(ctx.browser(), ctx.server().url, 'admin', 'demo-admin-2026');
    await page.waitForSelector('#plans');
    await page.click('#nav a:has-text("Reference data")');
    await page.click('.tabs a[href="#/settings"]');
    await page.waitForSelector('#settings-form #training-sites fieldset.training-site');
    // No sites saved: the one site derived from the course setting, serving every borough.
    assert.deepEqual(
      [
        await page.inputValue('input[name="trainingSites.0.id"]'),
        await page.inputValue('input[name="trainingSites.0.name"]'),
        await page.inputValue('input[name="trainingSites.0.placesPerDay"]'),
        await page.isChecked('input[name="trainingSites.0.all"]'),
      ],
      ['default', 'Training site', '12', true],
    );

    await page.fill('input[name="trainingSites.0.id"]', 'hendon');
    await page.fill('input[name="trainingSites.0.name"]', 'Hendon');
    await page.click('#add-site');
    await page.waitForSelector('input[name="trainingSites.1.id"]');
    await page.fill('input[name="trainingSites.1.id"]', 'hendon');
    await page.fill('input[name="trainingSites.1.name"]', 'Bromley training centre');
    await page.fill('input[name="trainingSites.1.placesPerDay"]', '3');
    await page.uncheck('input[name="trainingSites.1.all"]');
    await page.check('input[name="trainingSites.1.boroughs"][value="BROM"]');
    await page.click('#settings-form button[type=submit]');
    await page.waitForSelector('[data-error-for="trainingSites.1.id"]');
    assert.equal(await page.textContent('[data-error-for="trainingSites.1.id"]'), 'site id "hendon" is used twice');
    assert.equal(await page.getAttribute('input[name="trainingSites.1.id"]', 'aria-invalid'), 'true');
    await assertAccessible(page, 'training sites with a field error');
    await page.setViewportSize({ width: 390, height: 844 });
    await assertNoSidewaysScroll(page, 'training sites at 390 px');
    await page.screenshot({ path: join(E2E_OUTPUT, 'admin-390-training-sites.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.fill('input[name="trainingSites.1.id"]', 'brom-tc');
    await page.click('#settings-form button[type=submit]');
    await page.waitForSelector('text=Saved as version 1.');
    const saved = await call(ctx.server(), 'GET', '/force-settings', {
      token: await loginAs(ctx.server(), 'admin'),
    });
    assert.deepEqual(saved.body.trainingSites, [
      { id: 'hendon', name: 'Hendon', days: [1, 2, 3, 4, 5], placesPerDay: 12 },
      { id: 'brom-tc', name: 'Bromley training centre', days: [2, 4], placesPerDay: 3, boroughs: ['BROM'] },
    ]);
    // The form shows the saved sites; removing one and saving leaves the other.
    await page.waitForSelector('#settings-audit tbody tr[data-version="1"]');
    assert.equal(await page.inputValue('input[name="trainingSites.1.id"]'), 'brom-tc');
    assert.equal(await page.isChecked('input[name="trainingSites.1.boroughs"][value="BROM"]'), true);
    await page.click('button[aria-label="Remove site 1 Hendon"]');
    await page.click('#settings-form button[type=submit]');
    await page.waitForSelector('text=Saved as version 2.');
    const after = await call(ctx.server(), 'GET', '/force-settings', {
      token: await loginAs(ctx.server(), 'admin'),
    });
    assert.deepEqual(
      after.body.trainingSites.map((s: { id: string }) => s.id),
      ['brom-tc'],
    );
    await page.close();
  });
});
