import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { LIVE_NOW } from '../integration/helpers/live-client.js';
import { publishEarlyCrews } from '../integration/helpers/live-fixtures.js';
import { call, loginAs } from '../integration/helpers/test-server.js';
import { assertAccessible, assertNoSidewaysScroll } from './axe.js';
import { logIn, useServerAndBrowser } from './browser.js';

const SCREENSHOTS = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'screenshots');
let now = LIVE_NOW; // 10:00 GMT on Sunday 22 November 2026, the early shift running
const ctx = useServerAndBrowser({ clock: () => now });

describe('web client: Taser use', () => {
  it('a supervisor records an officer’s use and reviews it, the armourer checks the device, the publication counts it', async () => {
    const server = ctx.server();
    const [admin, armourer, control] = await Promise.all(
      ['admin', 'armourer.bromley', 'control.south'].map((u) => loginAs(server, u)),
    );
    const br = (await publishEarlyCrews(server, control!, admin!)).get('BR')!;
    const carrier = br.carriers[0]!;
    const issued = await call(server, 'POST', '/custody/issue', { token: armourer, body: carrier });
    assert.equal(issued.status, 201, JSON.stringify(issued.body));
    now = new Date('2026-11-22T10:30:00Z');

    // The borough lead records the use on the officer's behalf.
    const lead = await logIn(ctx.browser(), server.url, 'lead.bromley', 'demo-lead-2026');
    // The form's choices start empty: each is made deliberately.
    const chooseSubject = async () => {
      await lead.selectOption('select[name=gender]', 'male');
      await lead.selectOption('select[name=ethnicity]', 'asian');
      await lead.selectOption('select[name=impactFactor]', 'none');
      await lead.selectOption('select[name=subjectInjury]', 'none');
      await lead.selectOption('select[name=officerInjury]', 'none');
      await lead.selectOption('select[name=outcome]', 'arrested');
    };
    await lead.waitForSelector('#nav a');
    await lead.click('#nav a[href="#/uses"]');
    await lead.waitForSelector('#use-form');
    assert.equal(await lead.inputValue('select[name=gender]'), '', 'nothing chosen for the officer');
    await lead.fill('input[name=officer]', carrier.officer);
    await lead.dispatchEvent('input[name=officer]', 'change');
    await lead.waitForSelector(`#held-devices option[value="${carrier.device}"]`, { state: 'attached' });
    await lead.fill('input[name=device]', carrier.device);
    await lead.fill('input[name=date]', '2026-11-22');
    await lead.fill('input[name=time]', '10:15');
    await lead.fill('input[name=location]', 'High Street, outside the station');
    await lead.fill('input[name=postcodeDistrict]', 'BR1');
    await lead.fill('input[name=incident]', 'CAD-7001');
    await lead.selectOption('select[name=highest]', 'fired');
    await lead.fill('input[name=cartridges]', '1');
    await lead.selectOption('select[name=ageBand]', '18_34');
    await chooseSubject();
    await lead.check('input[name=bodyWornVideo]');
    await assertAccessible(lead, 'the use form');
    await lead.click('#use-form button[type=submit]');
    await lead.waitForSelector('#use-form-status:has-text("Recorded")');
    await lead.waitForSelector('#use-detail');
    assert.match((await lead.textContent('#use-detail h3')) ?? '', /Fired \(submitted\)/);
    // A second record for the same officer, subject and incident is refused in words.
    await lead.fill('input[name=officer]', carrier.officer);
    await lead.fill('input[name=device]', carrier.device);
    await lead.fill('input[name=date]', '2026-11-22');
    await lead.fill('input[name=time]', '10:15');
    await lead.fill('input[name=location]', 'High Street');
    await lead.fill('input[name=postcodeDistrict]', 'BR1');
    await lead.fill('input[name=incident]', 'CAD-7001');
    await lead.selectOption('select[name=ageBand]', '18_34');
    await chooseSubject();
    await lead.click('#use-form button[type=submit]');
    await lead.waitForSelector('#use-form-status:has-text("use_already_recorded")');

    await lead.click('#use-detail button:has-text("Mark reviewed")');
    await lead.waitForSelector('#use-detail h3:has-text("(reviewed)")');
    assert.match((await lead.textContent('#use-detail ul.history')) ?? '', /v2 reviewed by lead\.bromley/);
    // The list by financial-year quarter: the use is in 2026-27 Q3 (22 November), not in Q2.
    await lead.selectOption('select[name=uses-quarter]', '2026-27 Q2');
    await lead.waitForSelector('p[role=status]:has-text("No use recorded in 2026-27 Q2.")');
    await lead.selectOption('select[name=uses-quarter]', '2026-27 Q3');
    await lead.waitForSelector('#uses-table tbody tr');
    assert.match((await lead.textContent('#uses-table tbody')) ?? '', /CAD-7001/);
    await assertAccessible(lead, 'the uses list and a use');
    await lead.setViewportSize({ width: 390, height: 844 });
    await assertNoSidewaysScroll(lead, 'the uses page at 390 px');
    await lead.setViewportSize({ width: 1280, height: 900 });

    // The device comes back and must be checked before it is issued again.
    now = new Date('2026-11-22T10:45:00Z');
    const back = await call(server, 'POST', '/custody/return', { token: armourer, body: { device: carrier.device } });
    assert.equal(back.body.device.state, 'needs_check');
    await lead.click('.tabs a[href="#/use-reconciliation"]');
    await lead.waitForSelector(`#unchecked-discharges tr[data-use]`);
    assert.match((await lead.textContent('#unchecked-discharges tbody')) ?? '', new RegExp(carrier.device));

    const arm = await logIn(ctx.browser(), server.url, 'armourer.bromley', 'demo-armourer-2026');
    await arm.waitForSelector(`#devices tr[data-device="${carrier.device}"][data-state=needs_check]`);
    await arm.getByRole('button', { name: `${carrier.device}: history and actions` }).click();
    await arm.getByRole('button', { name: `Check done on ${carrier.device}` }).click();
    await arm.waitForSelector(`#devices tr[data-device="${carrier.device}"][data-state=in_armoury]`);
    await arm.close();

    // Every count shown: the threshold lowered to 1 for the demonstration.
    const settings = await call(server, 'GET', '/force-settings', { token: admin });
    const put = await call(server, 'PUT', '/force-settings', {
      token: admin,
      body: { version: settings.body.version, smallNumberThreshold: 1 },
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    await lead.goto(`${server.url}/#/use-quarterly?quarter=2026-27%20Q3`);
    await lead.waitForSelector('#quarterly-table tr[data-measure=uses_total]');
    const cell = async (m: string) =>
      lead.$$eval(`#quarterly-table tr[data-measure=${m}] td`, (tds) => tds.map((td) => td.textContent?.trim()));
    assert.deepEqual(await cell('uses_total'), ['1']);
    assert.deepEqual(await cell('uses_fired'), ['1']);
    assert.deepEqual(await cell('discharges'), ['1']);
    assert.deepEqual(await cell('uses_arced'), ['0']);
    assert.match((await lead.textContent('#population-source')) ?? '', /Census 2021/);
    await assertAccessible(lead, 'the quarterly publication');
    mkdirSync(SCREENSHOTS, { recursive: true });
    await lead.screenshot({ path: join(SCREENSHOTS, 'taser-use-quarterly.png'), fullPage: false });
    await lead.setViewportSize({ width: 390, height: 844 });
    await assertNoSidewaysScroll(lead, 'the quarterly publication at 390 px');
    await lead.close();
  });

  it('lands oversight on the publication for every borough, with no other page', async () => {
    const page = await logIn(ctx.browser(), ctx.server().url, 'oversight', 'demo-oversight-2026');
    const refused: string[] = [];
    page.on('response', (r) => {
      if (r.status() === 403) refused.push(new URL(r.url()).pathname);
    });
    await page.waitForSelector('#quarterly-table');
    assert.equal(new URL(page.url()).hash, '#/use-quarterly');
    assert.deepEqual(await page.$$eval('#nav a', (as) => as.map((a) => a.getAttribute('href'))), ['#/use-quarterly']);
    assert.deepEqual(await page.$$eval('.tabs a', (as) => as.map((a) => a.getAttribute('href'))), ['#/use-quarterly']);
    assert.deepEqual(
      await page.$$eval('#quarterly-table thead th[data-borough]', (ths) =>
        ths.map((th) => th.getAttribute('data-borough')),
      ),
      ['BROM', 'CROY', 'SUTT'],
    );
    await page.goto(`${ctx.server().url}/#/uses`);
    await page.waitForSelector('#quarterly-table');
    assert.equal(new URL(page.url()).hash, '#/use-quarterly');
    assert.deepEqual(refused, []);
    await page.close();
  });
});
