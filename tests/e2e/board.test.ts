import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { eventually, LIVE_NOW } from '../integration/helpers/live-client.js';
import { publishEarlyCrews } from '../integration/helpers/live-fixtures.js';
import { call, loginAs } from '../integration/helpers/test-server.js';
import { assertAccessible, assertNoSidewaysScroll } from './axe.js';
import { E2E_OUTPUT, logIn, useServerAndBrowser } from './browser.js';

const ctx = useServerAndBrowser({ clock: () => LIVE_NOW, env: { MIN_TASER_UNITS: '1' } });

describe('web client: live board', () => {
  it('shows a device issue and a book-on as they happen, without reloading', async () => {
    const server = ctx.server();
    const [control, admin, armourer] = (await Promise.all(
      ['control.south', 'admin', 'armourer.bromley'].map((u) => loginAs(server, u)),
    )) as [string, string, string];
    const fixtures = await publishEarlyCrews(server, control, admin);
    const br = fixtures.get('BR')!;
    const free = br.freeDevices.length;

    const page = await logIn(ctx.browser(), server.url, 'control.south', 'demo-control-2026');
    await page.click('a[href="#/board"]');
    await page.waitForSelector('select[name=room] option[value="station:BR"]', { state: 'attached' });
    await page.selectOption('select[name=room]', 'station:BR');
    await page.waitForSelector(`#board-totals:has-text("${free} devices free")`);
    await page.waitForSelector('#board-status[data-connection=connected]:has-text("Live: Station Bromley")');
    assert.match((await page.textContent('#board-totals')) ?? '', /0 Taser-equipped units of 0 on duty/);

    const carrier = br.carriers[0]!;
    const issued = await call(server, 'POST', '/custody/issue', { token: armourer, body: carrier });
    assert.equal(issued.status, 201);
    await page.waitForSelector(`#board-totals:has-text("${free - 1} devices free")`);

    const crew = br.crews.find((c) => c.members.includes(carrier.officer))!;
    // The controller books the carrier on from the board itself.
    await page.click(`#board-units tr[data-unit="${crew.callSign}"] button[data-book="on:${carrier.officer}"]`);
    await page.waitForSelector('#board-totals:has-text("1 Taser-equipped units of 1 on duty")');
    const row = await page.textContent(`#board-units tr[data-unit="${crew.callSign}"]`);
    assert.match(row ?? '', new RegExp(`${carrier.officer} ⚡${carrier.device}`));
    await page.selectOption(`select[name="status-${crew.callSign}"]`, 'committed');
    await eventually(async () => {
      const units = await call(server, 'GET', '/board?level=station&id=BR', { token: control });
      return units.body.units.find((u: { callSign: string }) => u.callSign === crew.callSign)?.status === 'committed';
    });
    await page.waitForSelector(`select[name="status-${crew.callSign}"] option[value=committed][selected]`, {
      state: 'attached',
    });
    await page.screenshot({ path: join(E2E_OUTPUT, 'live-board.png'), fullPage: false });
    await assertAccessible(page, 'live board');
    await page.setViewportSize({ width: 390, height: 844 });
    await assertNoSidewaysScroll(page, 'live board at 390 px');
    await page.close();
  });

  it('closes its live connection when the user leaves, and a refused login on the socket goes back through the login to the board', async () => {
    const server = ctx.server();
    const sockets = async () => (await server.realtime.io.fetchSockets()).length;
    await eventually(async () => (await sockets()) === 0);
    const page = await logIn(ctx.browser(), server.url, 'control.south', 'demo-control-2026');
    await page.click('a[href="#/board"]');
    await page.waitForSelector('#board-status[data-connection=connected]');
    await page.waitForSelector('#board-totals');
    assert.equal(await sockets(), 1);
    // The network goes and comes back: the board says so, apart from any action's feedback.
    await page.context().setOffline(true);
    await page.waitForSelector('#board-status[data-connection=offline]:has-text("this device has no network")');
    assert.match((await page.textContent('#board-status')) ?? '', /Offline since \d\d:\d\d/);
    assert.equal((await page.textContent('#board-feedback'))?.trim(), '');
    await page.context().setOffline(false);
    await page.waitForSelector('#board-status[data-connection=connected]:has-text("Live: BCU")');

    await page.click('a[href="#/stations"]');
    await page.waitForSelector('#stations');
    await eventually(async () => (await sockets()) === 0);

    await page.click('a[href="#/board"]');
    await page.waitForSelector('#board-status[data-connection=connected]');
    // The login lapses; the server ends the socket, and the reconnect is refused with invalid_token.
    await page.evaluate(() => localStorage.setItem('taser.token', 'a.lapsed.token'));
    server.realtime.io.disconnectSockets(true);
    await page.waitForSelector('form.login input[name=username]');
    assert.equal(await page.evaluate(() => localStorage.getItem('taser.token')), null);
    await page.fill('input[name=username]', 'control.south');
    await page.fill('input[name=password]', 'demo-control-2026');
    await page.click('button[type=submit]');
    await page.waitForSelector('#board-status[data-connection=connected]');
    assert.match(page.url(), /#\/board$/);
    await page.close();
  });
});
