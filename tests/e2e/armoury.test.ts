import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { LIVE_NOW } from '../integration/helpers/live-client.js';
import { publishEarlyCrews } from '../integration/helpers/live-fixtures.js';
import { call, loginAs } from '../integration/helpers/test-server.js';
import { assertAccessible, assertNoSidewaysScroll } from './axe.js';
import { E2E_OUTPUT, logIn, useServerAndBrowser } from './browser.js';

const SCREENSHOTS = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'screenshots');
const ctx = useServerAndBrowser({ clock: () => LIVE_NOW });

/** Every 403 the page meets: refused responses, and console messages that report one. */
function watchRefusals(page: Page): string[] {
  const refused: string[] = [];
  page.on('response', (r) => {
    if (r.status() === 403) refused.push(`403 ${new URL(r.url()).pathname}${new URL(r.url()).search}`);
  });
  page.on('console', (m) => {
    if (m.text().includes('403')) refused.push(`console: ${m.text()}`);
  });
  return refused;
}

/** Opens each top-bar entry, and each tab of a tabbed page, waiting for its requests to settle. */
async function visitEverything(page: Page): Promise<string[]> {
  const seen: string[] = [];
  for (const href of await page.$$eval('#nav a', (as) => as.map((a) => a.getAttribute('href')!))) {
    await page.click(`#nav a[href="${href}"]`);
    await page.waitForLoadState('networkidle');
    seen.push(href);
    for (const tab of await page.$$eval('.tabs a', (as) => as.map((a) => a.getAttribute('href')!))) {
      if (seen.includes(tab)) continue;
      await page.click(`.tabs a[href="${tab}"]`);
      await page.waitForLoadState('networkidle');
      seen.push(tab);
    }
  }
  return seen;
}

describe('web client: armoury', () => {
  it('lands the armourer on the armoury and asks, on every page, only for what the role may read', async () => {
    const page = await logIn(ctx.browser(), ctx.server().url, 'armourer.bromley', 'demo-armourer-2026');
    const refused = watchRefusals(page);
    await page.waitForSelector('#issue-window');
    assert.equal(new URL(page.url()).hash, '#/armoury');
    assert.match((await page.textContent('#issue-window')) ?? '', /Issuing opens 60 minutes before the shift/);
    assert.deepEqual(await page.$$eval('#nav a', (as) => as.map((a) => a.getAttribute('href'))), [
      '#/board',
      '#/armoury',
      '#/stations',
      '#/officers',
    ]);
    assert.deepEqual(await visitEverything(page), [
      '#/board',
      '#/armoury',
      '#/stations',
      '#/officers',
      '#/devices',
      '#/teams',
    ]);
    assert.equal(await page.locator('text=outside your').count(), 0);
    assert.equal(await page.locator('text=may not read').count(), 0);
    assert.deepEqual(refused, []);
    await page.close();
  });

  it('the control room meets no refusal on any of its pages and has no armoury', async () => {
    const page = await logIn(ctx.browser(), ctx.server().url, 'control.south', 'demo-control-2026');
    const refused = watchRefusals(page);
    await page.waitForSelector('#nav a');
    const seen = await visitEverything(page);
    assert.ok(!seen.includes('#/armoury'), 'the control room has no armoury page');
    assert.equal(await page.locator('text=may not read').count(), 0);
    assert.deepEqual(refused, []);
    await page.close();
  });

  it('issues from the planned carriers in one click, refuses beside the row, and repairs a device', async () => {
    const server = ctx.server();
    const [control, admin, armourer] = await Promise.all(
      ['control.south', 'admin', 'armourer.bromley'].map((u) => loginAs(server, u)),
    );
    const br = (await publishEarlyCrews(server, control!, admin!)).get('BR')!;
    const planned = br.crews.flatMap((c) => c.carriers);
    const [first, second] = planned;
    // The second carrier's planned device is found faulty before the shift: its Issue is refused in words.
    const faulty = await call(server, 'POST', '/custody/fault', {
      token: armourer,
      body: { device: second!.device, note: 'no arc' },
    });
    assert.equal(faulty.status, 200, JSON.stringify(faulty.body));
    const label = (collar: string) => {
      const o = br.onDuty.find((x) => x.collar === collar)!;
      return `${o.rank} ${o.name}`;
    };

    const page = await logIn(ctx.browser(), server.url, 'armourer.bromley', 'demo-armourer-2026');
    const refused = watchRefusals(page);
    await page.waitForSelector(`#planned-carriers tr[data-officer="${first!.officer}"]`);
    await page.waitForSelector(`#devices tr[data-device="${first!.device}"]`);
    assert.equal(await page.locator('#planned-carriers tbody tr').count(), planned.length);

    await page.getByRole('button', { name: `Issue ${first!.device} to ${label(first!.officer)}`, exact: true }).click();
    await page.waitForSelector(
      `#planned-carriers tr[data-officer="${first!.officer}"]:has-text("Holds ${first!.device}")`,
    );
    await page.waitForSelector(`#armoury-result:has-text("Issued ${first!.device} to ${label(first!.officer)}.")`);
    await page.waitForSelector(`#devices tr[data-device="${first!.device}"][data-state=issued]`);

    await page
      .getByRole('button', { name: `Issue ${second!.device} to ${label(second!.officer)}`, exact: true })
      .click();
    await page.waitForSelector(
      `#planned-carriers tr[data-officer="${second!.officer}"] .row-error:has-text("(device_not_serviceable)")`,
    );
    assert.match(
      (await page.textContent(`#planned-carriers tr[data-officer="${second!.officer}"] .row-error`))!,
      new RegExp(`Refused: Device ${second!.device} is faulty and cannot be issued`),
    );
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'armoury-list.png'), fullPage: true });

    // Search narrows the device list; the type-ahead offers the station's officers and serials.
    await page.fill('input[name=device-search]', first!.officer.toLowerCase());
    await page.waitForFunction(() => document.querySelectorAll('#devices tbody tr[data-device]').length === 1);
    await page.fill('input[name=device-search]', '');
    await page.waitForFunction(() => document.querySelectorAll('#devices tbody tr[data-device]').length > 1);
    assert.ok((await page.locator('#armoury-officers option').count()) >= br.onDuty.length);
    assert.ok((await page.locator(`#armoury-serials option[value="${first!.device}"]`).count()) === 1);

    // Manual return with a fault; the form is cleared after it.
    await page.fill('input[name=return-device]', first!.device.toLowerCase());
    await page.fill('input[name=return-fault]', 'cartridge bay cracked');
    await page.click('#return button[type=submit]');
    await page.waitForSelector(`#armoury-result:has-text("Received ${first!.device} as faulty.")`);
    assert.equal(await page.inputValue('input[name=return-device]'), '');
    assert.equal(await page.inputValue('input[name=return-fault]'), '');
    await page.waitForSelector(`#devices tr[data-device="${first!.device}"][data-state=faulty]`);

    // The repair workflow, each step in the device's history.
    await page.getByRole('button', { name: `${first!.device}: history and actions` }).click();
    await page.getByRole('button', { name: `Send ${first!.device} to repair` }).click();
    await page.waitForSelector(`#devices tr[data-device="${first!.device}"][data-state=in_repair]`);
    await page.getByRole('button', { name: `Complete repair of ${first!.device}` }).click();
    await page.waitForSelector(`#devices tr[data-device="${first!.device}"][data-state=in_armoury]`);
    await page.waitForSelector(`tr[data-detail="${first!.device}"] .history li:nth-child(4)`);
    const history = await page.$$eval(`tr[data-detail="${first!.device}"] .history li`, (lis) =>
      lis.map((li) => li.textContent.replace(/\s+/g, ' ').split(' · ')[1]),
    );
    assert.deepEqual(history, ['repaired', 'repair sent', 'return', 'issue']);

    await page.screenshot({ path: join(E2E_OUTPUT, 'armoury.png'), fullPage: false });
    await assertAccessible(page, 'armoury');
    await page.setViewportSize({ width: 390, height: 844 });
    await assertNoSidewaysScroll(page, 'armoury at 390 px');
    assert.deepEqual(refused, []);
    await page.close();
  });
});
