import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { CoverReport } from '../../shared/schemas/cover.schema.js';
import { publishedCrewRepository, type PublishedCrew } from '../../server/repositories/crew-plan.repository.js';
import { coverScript } from '../integration/helpers/cover-fixtures.js';
import { call, loginAs, TEST_NOW } from '../integration/helpers/test-server.js';
import { assertAccessible, assertNoSidewaysScroll } from './axe.js';
import { logIn, useServerAndBrowser } from './browser.js';

const ctx = useServerAndBrowser({ clock: () => TEST_NOW });
const SCREENSHOTS = join(process.cwd(), 'docs', 'screenshots');

const BR = { force: 'MPS', bcu: 'SN', borough: 'BROM', station: 'BR' };
const OR = { ...BR, station: 'OR' };

/** A week of Bromley plans (two Taser crews on BR earlies, one on OR lates) and two days of Bromley bookings. */
async function scriptWeek() {
  const s = coverScript();
  const crews: PublishedCrew[] = [];
  const shifts: { id: string; station: string }[] = [];
  for (let d = 16; d <= 22; d++) {
    const date = `2026-11-${d}`;
    const e = `BR-${date}-E`;
    const l = `OR-${date}-L`;
    shifts.push({ id: e, station: 'BR' }, { id: l, station: 'OR' });
    crews.push(
      s.crew(BR, e, 'BR-E-01', `${date}T07:00:00.000Z`, `${date}T16:00:00.000Z`, true),
      s.crew(BR, e, 'BR-E-02', `${date}T07:00:00.000Z`, `${date}T16:00:00.000Z`, true),
      s.crew(OR, l, 'OR-L-01', `${date}T14:00:00.000Z`, `${date}T23:00:00.000Z`, true),
      s.crew(OR, l, 'OR-L-02', `${date}T14:00:00.000Z`, `${date}T23:00:00.000Z`, false),
    );
  }
  await publishedCrewRepository.replaceForShifts(shifts, crews);
  const [c21, c22] = [crews[20]!, crews[24]!];
  await s.unit(c21, '2026-11-21T06:50:00.000Z', ['BR-E-01-a']);
  await s.custody(BR, 'X2-E2E-1', '2026-11-21T07:00:00.000Z', 'BR-E-01-a', c21.shift);
  await s.custody(BR, 'X2-E2E-1', '2026-11-21T15:00:00.000Z', null, c21.shift);
  await s.unit(c21, '2026-11-21T15:10:00.000Z', []);
  await s.unit(c22, '2026-11-22T07:00:00.000Z', ['BR-E-01-a']);
  await s.custody(BR, 'X2-E2E-1', '2026-11-22T07:00:00.000Z', 'BR-E-01-a', c22.shift);
}

describe('web client: cover by hour', () => {
  it('shows lead.bromley the last 7 days as a heatmap and a chart, with the API’s headline', async () => {
    const server = ctx.server();
    await scriptWeek();
    const api = await call<CoverReport>(
      server,
      'GET',
      '/reports/cover?level=borough&unit=BROM&from=2026-11-16&to=2026-11-22',
      { token: await loginAs(server, 'lead.bromley') },
    );
    assert.equal(api.status, 200);
    // Minimum 3: planned 2 (07–13), 3 (14–15), 1 (16–22), 0 otherwise; at most 1 unit equipped; 12:00 on the 22nd.
    assert.deepEqual(
      [api.body.headline.hours, api.body.headline.hoursElapsed, api.body.headline.hoursBelowPlanned],
      [168, 156, 154],
    );
    assert.equal(api.body.headline.hoursBelowActual, 156);
    assert.equal(api.body.headline.actualUnitHours, 13);

    const page = await logIn(ctx.browser(), server.url, 'lead.bromley', 'demo-lead-2026');
    await page.clock.setFixedTime(TEST_NOW);
    await page.click('#nav a:text-is("Review")');
    await page.click('nav.tabs a[href="#/cover"]');
    await page.waitForSelector('#cover-heatmap tbody tr');
    assert.equal(await page.inputValue('input[name=cover-from]'), '2026-11-16');
    assert.equal(await page.inputValue('input[name=cover-to]'), '2026-11-22');
    const figure = (k: string) => page.textContent(`#cover-headline [data-figure=${k}]`);
    assert.equal(await figure('below-planned'), '154');
    assert.equal(await figure('below-actual'), '156');
    assert.equal(await figure('minimum'), '3');
    assert.equal(await page.locator('#cover-heatmap tbody tr').count(), 7);
    assert.equal(await page.locator('#cover-heatmap tbody tr:first-child td').count(), 24);
    // 21 November, 10:00: actual 1, below the minimum of 3, with the ▼ cue besides the colour.
    const cell = page.locator('#cover-heatmap tr[data-date="2026-11-21"] td').nth(10);
    assert.equal((await cell.textContent())?.replace(/\s+/g, ' ').trim(), '▼below minimum: 1');
    assert.match((await cell.getAttribute('class')) ?? '', /below/);
    await page.check('input[name=cover-which][value=planned]');
    const planned = page.locator('#cover-heatmap tr[data-date="2026-11-21"] td').nth(14);
    assert.equal((await planned.textContent())?.trim(), '3');
    assert.match((await planned.getAttribute('class')) ?? '', /ok/);
    // chart.js drew on the canvas (a blank canvas exports as a short data URL).
    await page.waitForFunction(() => {
      const c = document.getElementById('cover-chart') as HTMLCanvasElement | null;
      return !!c && c.width > 0 && c.toDataURL().length > 5000;
    });
    await page.check('input[name=cover-which][value=actual]');
    await page.screenshot({ path: join(SCREENSHOTS, 'cover-heatmap.png'), fullPage: true });
    // By shift: one row per shift of the API's answer, the figures the same.
    await page.click('.cover-shifts summary');
    assert.equal(await page.locator('#cover-shifts tbody tr').count(), api.body.shifts.length);
    const s0 = api.body.shifts.find((s) => s.actual !== null && s.planned > 0)!;
    const row = page.locator(`#cover-shifts tr[data-shift="${s0.date}|${s0.code}"] td`);
    assert.equal(
      (await row.nth(3).textContent())?.replace(/\s+/g, ' ').trim(),
      `${s0.belowPlanned ? '▼below minimum: ' : ''}${s0.planned}`,
    );
    assert.equal(
      (await row.nth(4).textContent())?.replace(/\s+/g, ' ').trim(),
      `${s0.belowActual ? '▼below minimum: ' : ''}${s0.actual}`,
    );
    const options = await page.$$eval('select[name=cover-period] option', (os) => os.map((o) => o.textContent));
    assert.ok(options.includes('Q3 2026/27 (Oct–Dec 2026)'), options.join(', '));
    await assertAccessible(page, 'cover by hour');
    await page.setViewportSize({ width: 390, height: 844 });
    // chart.js follows its container's width through a ResizeObserver, a frame or two after the resize.
    await page
      .waitForFunction(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth, null, {
        timeout: 3000,
      })
      .catch(() => undefined);
    await assertNoSidewaysScroll(page, 'cover by hour at 390 px');
    await page.close();
  });
});
