import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { startTestServer, stopOwnStore, type TestServer } from '../integration/helpers/test-server.js';
import { E2E_OUTPUT, launchChromium } from './browser.js';

let server: TestServer;
let browser: Browser;

before(async () => {
  server = await startTestServer();
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await stopOwnStore();
});

describe('web client: login and stations', () => {
  it('shows a wrong password as an error, then logs in and lists the stations in scope', async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.fill('input[name=username]', 'planner.bromley');
    await page.fill('input[name=password]', 'wrong password');
    await page.click('button[type=submit]');
    await page.waitForSelector('text=Wrong username or password.');

    await page.fill('input[name=password]', 'demo-planner-2026');
    await page.click('button[type=submit]');
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
    await page.close();
  });
});
