import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { LIVE_NOW } from '../integration/helpers/live-client.js';
import { publishEarlyCrews } from '../integration/helpers/live-fixtures.js';
import { loginAs } from '../integration/helpers/test-server.js';
import { assertAccessible, assertNoSidewaysScroll } from './axe.js';
import { logIn, useServerAndBrowser } from './browser.js';

const SCREENSHOTS = join(resolve(dirname(fileURLToPath(import.meta.url))), '..', '..', 'docs', 'screenshots');
const ctx = useServerAndBrowser({ clock: () => LIVE_NOW, env: { MIN_TASER_UNITS: '3' } });

describe('web client: control-room wall screen', () => {
  it('reads across a room at 1920×1080 in ?wall=1, shows an issue within 1 s and an alert in words, and survives a lapsed login', async () => {
    const server = ctx.server();
    const [control, admin] = (await Promise.all(['control.south', 'admin'].map((u) => loginAs(server, u)))) as [
      string,
      string,
    ];
    const fixtures = await publishEarlyCrews(server, control, admin);
    const br = fixtures.get('BR')!;

    const page = await logIn(ctx.browser(), server.url, 'control.south', 'demo-control-2026');
    const refused: string[] = [];
    page.on('response', (r) => {
      if (r.status() === 403) refused.push(`${r.request().method()} ${r.url()}`);
    });
    page.on('console', (m) => {
      if (/\b403\b/.test(m.text())) refused.push(m.text());
    });
    await page.waitForSelector('#nav a');
    await page.setViewportSize({ width: 1920, height: 1080 });
    const wallUrl = `${server.url}/#/board?wall=1&room=borough:BROM`;
    await page.goto(wallUrl);
    await page.waitForSelector('#board-status[data-connection=connected]:has-text("Live: Borough Bromley")');
    await page.waitForSelector('#board[data-room="borough:BROM"] #board-units');

    // No controls and no navigation chrome on the wall.
    assert.equal(await page.locator('#board-page button[data-book]').count(), 0);
    assert.equal(await page.locator('#board-page select').count(), 0);
    assert.equal(await page.locator('header.top').isVisible(), false);
    // Large type: the unit rows and the clock are readable across a room.
    const px = async (sel: string) => page.$eval(sel, (el) => Number.parseFloat(getComputedStyle(el).fontSize));
    assert.ok((await px('#board-units tbody td')) >= 24, `unit rows at ${await px('#board-units tbody td')} px`);
    assert.ok((await px('#board-clock .clock-time')) >= 48);
    // The clock runs on the server's time in Europe/London (10:00 UTC on 22 Nov is 10:00 in London).
    assert.match((await page.textContent('#board-clock')) ?? '', /10:0\d:\d\d\s*Sun 22 Nov/);
    // The page is full width.
    const width = await page.$eval('#board-page', (el) => el.getBoundingClientRect().width);
    assert.ok(width >= 1850, `board is ${width} px wide`);

    // The planned carrier and device show before anything is issued.
    const carrier = br.carriers[0]!;
    const crew = br.crews.find((c) => c.members.includes(carrier.officer))!;
    const row = `#board-units tr[data-unit="${crew.callSign}"]`;
    assert.match(
      (await page.textContent(`${row} [data-planned="${carrier.officer}"]`)) ?? '',
      new RegExp(`${carrier.officer} → ${carrier.device} \\(not issued yet\\)`),
    );
    // Orpington's and Bromley's next shift (lates, 14:00) has no published plan: the room is told.
    await page.waitForSelector(
      '[data-no-plan="BROM|2026-11-22|L"]:has-text("Bromley lates, 22 Nov (next): no published crew plan")',
    );
    assert.match(
      (await page.textContent('[data-cover="BROM|2026-11-22|E"]')) ?? '',
      /Now: Earlies 07:00–16:00:\s*0 of 3/,
    );

    // The armourer, in a second browser context, issues from the planned-carriers list in one click; the
    // wall shows it within a second.
    const armoury = await logIn(ctx.browser(), server.url, 'armourer.bromley', 'demo-armourer-2026');
    const armouryRefused: string[] = [];
    armoury.on('response', (r) => {
      if (r.status() === 403) armouryRefused.push(`${r.request().method()} ${r.url()}`);
    });
    armoury.on('console', (m) => {
      if (/\b403\b/.test(m.text())) armouryRefused.push(m.text());
    });
    await armoury.waitForSelector(`#planned-carriers tr[data-officer="${carrier.officer}"]`);
    const o = br.onDuty.find((x) => x.collar === carrier.officer)!;
    const issue = armoury.getByRole('button', { name: `Issue ${carrier.device} to ${o.rank} ${o.name}`, exact: true });
    const t0 = Date.now();
    await issue.click();
    // Waits longer than the bound so a miss reports the time measured, then asserts the bound.
    await page.waitForSelector(`${row}:has-text("⚡${carrier.device}")`, { timeout: 5000 });
    const shownMs = Date.now() - t0;
    assert.ok(shownMs <= 1000, `shown after ${shownMs} ms`);
    await armoury.waitForSelector(
      `#planned-carriers tr[data-officer="${carrier.officer}"]:has-text("Holds ${carrier.device}")`,
    );
    assert.deepEqual(armouryRefused, [], 'the armourer must not be refused anything');
    await armoury.close();
    await page.waitForSelector(`${row} [data-planned="${carrier.officer}"]:has-text("✓ issued")`);

    // The recount raises the cover alert, in words, with the summary's count.
    const alert = page.locator('[data-alert="BROM|2026-11-22|E"]');
    await alert.waitFor();
    assert.match(
      (await alert.textContent())!.replace(/\s+/g, ' '),
      /⚠ ALERT Bromley earlies, 22 Nov: 0 Taser-equipped units on duty, minimum 3, since 10:00/,
    );
    assert.match((await page.textContent('#board-totals')) ?? '', /0 Taser-equipped units of 0 on duty/);
    // Alert and divergence differ in colour and in words.
    const bg = (sel: string) => page.$eval(sel, (el) => getComputedStyle(el).backgroundColor);
    const noPlan = '[data-no-plan="BROM|2026-11-22|L"]';
    assert.notEqual(await bg('[data-alert="BROM|2026-11-22|E"]'), await bg(noPlan));
    assert.match((await page.textContent(noPlan)) ?? '', /◆ NO PLAN/);

    mkdirSync(SCREENSHOTS, { recursive: true });
    assert.match((await alert.getAttribute('class')) ?? '', /flash/);
    await page.screenshot({ path: join(SCREENSHOTS, 'wall.png'), fullPage: false, animations: 'disabled' });
    await assertAccessible(page, 'wall board');

    // The mute toggle is remembered.
    await page.click('#board-mute');
    assert.equal(await page.evaluate(() => localStorage.getItem('taser.board.muted')), '1');

    // The login lapses: the socket's refused reconnect sends the wall to the login and back to the same view.
    await page.evaluate(() => localStorage.setItem('taser.token', 'a.lapsed.token'));
    server.realtime.io.disconnectSockets(true);
    await page.waitForSelector('form.login input[name=username]');
    await page.fill('input[name=username]', 'control.south');
    await page.fill('input[name=password]', 'demo-control-2026');
    await page.click('button[type=submit]');
    await page.waitForSelector('#board-status[data-connection=connected]');
    assert.match(page.url(), /#\/board\?wall=1&room=borough:BROM$/);
    await page.waitForSelector('[data-alert="BROM|2026-11-22|E"]');
    assert.equal(await page.getAttribute('#board-mute', 'aria-pressed'), 'true');

    await page.setViewportSize({ width: 390, height: 844 });
    await assertNoSidewaysScroll(page, 'wall board at 390 px');
    assert.deepEqual(refused, [], 'the control room must not be refused anything');
    await page.close();
  });
});
