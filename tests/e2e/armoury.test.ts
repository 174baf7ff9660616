import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LIVE_NOW } from '../integration/helpers/live-client.js';
import { publishEarlyCrews } from '../integration/helpers/live-fixtures.js';
import { loginAs } from '../integration/helpers/test-server.js';
import { assertAccessible, assertNoSidewaysScroll } from './axe.js';
import { E2E_OUTPUT, logIn, useServerAndBrowser } from './browser.js';

const ctx = useServerAndBrowser({ clock: () => LIVE_NOW });

describe('web client: armoury', () => {
  it('lands the station armourer on pages that ask only for what they may read', async () => {
    const page = await logIn(ctx.browser(), ctx.server().url, 'armourer.bromley', 'demo-armourer-2026');
    const refused: string[] = [];
    page.on('response', (r) => {
      if (r.status() >= 400) refused.push(`${r.status()} ${new URL(r.url()).pathname}${new URL(r.url()).search}`);
    });
    await page.waitForSelector('#board-status[data-connection=connected]');
    assert.deepEqual(
      await page.$$eval('select[name=room] option', (os) => os.map((o) => (o as HTMLOptionElement).value)),
      ['station:BR'],
    );
    assert.deepEqual(await page.$$eval('#nav a', (as) => as.map((a) => a.getAttribute('href'))), [
      '#/board',
      '#/armoury',
      '#/stations',
      '#/officers',
    ]);
    await page.click('a[href="#/armoury"]');
    await page.waitForSelector('#custody-trail');
    await page.waitForSelector('text=No custody records yet.');
    await page.click('a[href="#/stations"]');
    await page.waitForSelector('#stations tbody tr[data-station="BR"] td:nth-child(5):not(:empty)');
    assert.deepEqual(
      await page.$$eval('#stations tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-station'))),
      ['BR'],
    );
    // Reference data: the armourer's tabs, each loading only what the role may read.
    await page.click('#nav a[href="#/officers"]');
    await page.waitForSelector('#officers tbody tr');
    assert.deepEqual(await page.$$eval('.tabs a', (as) => as.map((a) => a.getAttribute('href'))), [
      '#/officers',
      '#/devices',
      '#/teams',
    ]);
    await page.click('.tabs a[href="#/devices"]');
    await page.waitForSelector('#new-device');
    await page.click('.tabs a[href="#/teams"]');
    await page.waitForSelector('#shift-definitions tbody tr');
    assert.deepEqual(refused, []);
    await page.close();
  });

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
    await assertAccessible(page, 'armoury');
    await page.setViewportSize({ width: 390, height: 844 });
    await assertNoSidewaysScroll(page, 'armoury at 390 px');
    await page.close();
  });
});
