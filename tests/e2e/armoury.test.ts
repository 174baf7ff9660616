import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LIVE_NOW } from '../integration/helpers/live-client.js';
import { publishEarlyCrews } from '../integration/helpers/live-fixtures.js';
import { loginAs } from '../integration/helpers/test-server.js';
import { E2E_OUTPUT, logIn, useServerAndBrowser } from './browser.js';

const ctx = useServerAndBrowser({ clock: () => LIVE_NOW });

describe('web client: armoury', () => {
  it('issues a device, refuses a second holder with the reason, and receives it back with a fault', async () => {
    const server = ctx.server();
    const fixtures = await publishEarlyCrews(
      server,
      await loginAs(server, 'control.south'),
      await loginAs(server, 'admin'),
    );
    const carriers = fixtures.get('BR')!.carriers;
    const modelOf = (serial: string) => serial.split('-')[0];
    const first = carriers[0];
    // another officer trained on the same model, so the refusal is about the device
    const second = carriers.find((c) => c !== first && modelOf(c.device) === modelOf(first!.device));
    const page = await logIn(ctx.browser(), server.url, 'armourer.bromley', 'demo-armourer-2026');
    await page.click('a[href="#/armoury"]');

    await page.fill('input[name=issue-device]', first!.device.toLowerCase());
    await page.fill('input[name=issue-officer]', first!.officer);
    await page.click('#issue button[type=submit]');
    await page.waitForSelector(`#armoury-result:has-text("Issued ${first!.device} to ${first!.officer}.")`);

    await page.fill('input[name=issue-officer]', second!.officer);
    await page.click('#issue button[type=submit]');
    await page.waitForSelector('#armoury-result:has-text("(device_already_issued)")');

    await page.fill('input[name=return-device]', first!.device);
    await page.fill('input[name=return-fault]', 'cartridge bay cracked');
    await page.click('#return button[type=submit]');
    await page.waitForSelector(`#armoury-result:has-text("Received ${first!.device} as faulty.")`);
    await page.waitForSelector('#custody-trail tbody tr:nth-child(2)');
    const rows = await page.$$eval('#custody-trail tbody tr', (trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent).slice(1, 6)),
    );
    assert.deepEqual(rows.slice(0, 2), [
      ['return', first!.device, first!.officer, rows[0]![3], 'issued → faulty'],
      ['issue', first!.device, first!.officer, rows[1]![3], 'in_armoury → issued'],
    ]);
    await page.screenshot({ path: join(E2E_OUTPUT, 'armoury.png'), fullPage: false });
    await page.close();
  });
});
