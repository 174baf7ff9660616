import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { assertAccessible, assertNoSidewaysScroll } from './axe.js';
import { call, loginAs } from '../integration/helpers/test-server.js';
import { E2E_OUTPUT, logIn, useServerAndBrowser } from './browser.js';

const ctx = useServerAndBrowser();

/** axe-core at desktop width, then no sideways scroll at 390 px, then back. */
async function checkPage(page: Page, what: string): Promise<void> {
  await assertAccessible(page, what);
  await page.setViewportSize({ width: 390, height: 844 });
  await assertNoSidewaysScroll(page, `${what} at 390 px`);
  await page.screenshot({ path: join(E2E_OUTPUT, `admin-390-${what.replace(/\W+/g, '-')}.png`), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
}

const cells = (page: Page, row: string) =>
  page.$$eval(`${row} td`, (tds) => tds.map((td) => (td.textContent ?? '').replace(/\s+/g, ' ').trim()));

describe('web client: reference data (admin)', () => {
  it('searches, creates and edits officers, devices, teams, users, abstractions and the force policy', async () => {
    const page = await logIn(ctx.browser(), ctx.server().url, 'admin', 'demo-admin-2026');
    await page.waitForSelector('#plans');
    assert.deepEqual(await page.$$eval('#nav a', (as) => as.map((a) => a.textContent?.trim())), [
      'Crew plans',
      'Live board',
      'Armoury',
      'Review',
      'Taser use',
      'Stations',
      'Reference data',
    ]);

    // Officers: search, then a bad collar number refused against its field, then created with an authorisation.
    await page.click('#nav a:has-text("Reference data")');
    await page.waitForSelector('#officers tbody tr');
    assert.equal(await page.getAttribute('.tabs a[aria-current=page]', 'href'), '#/officers');
    await page.fill('#officer-search', 'pc1004');
    await page.waitForSelector('text=1 officer matching “pc1004”');
    assert.deepEqual(
      await page.$$eval('#officers tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-collar'))),
      ['PC1004'],
    );

    // A link to a search (`#/officers?q=…`) opens the list already searched.
    await page.goto(`${ctx.server().url}/#/officers?q=PS1002`);
    await page.waitForSelector('text=1 officer matching “PS1002”');
    assert.equal(await page.inputValue('#officer-search'), 'PS1002');

    await page.click('#new-officer');
    await page.fill('#officer-form input[name=collar]', 'pc 12');
    await page.fill('#officer-form input[name=name]', 'Robin Testwell');
    await page.selectOption('#officer-form select[name=kind]', 'student');
    await page.selectOption('#officer-form select[name=station]', 'BR');
    await page.selectOption('#officer-form select[name=team]', 'BR-C');
    await page.check('#officer-form input[name=taser]');
    await page.fill('#officer-form input[name="taser.lastTrained"]', '2026-10-01');
    await page.check('#officer-form input[name="taser.models"][value=X2]');
    await page.check('#officer-form input[name="taser.endorsed"]');
    await page.click('#officer-form button[type=submit]');
    const collarError = page.locator('#officer-form [data-error-for=collar]');
    await collarError.waitFor();
    assert.equal(await collarError.textContent(), 'expected a collar number such as PC1234 or 1234');
    const collarInput = page.locator('#officer-form input[name=collar]');
    assert.equal(await collarInput.getAttribute('aria-invalid'), 'true');
    assert.equal(await collarInput.getAttribute('aria-describedby'), await collarError.getAttribute('id'));
    assert.equal(await page.textContent('#officer-form .form-top'), 'Please correct the fields marked below.');
    await page.screenshot({ path: join(E2E_OUTPUT, 'admin-officer-field-error.png'), fullPage: false });
    await checkPage(page, 'officers with a field error');

    await collarInput.fill('PC99123');
    await page.click('#officer-form button[type=submit]');
    await page.waitForSelector('text=Created PC99123 Robin Testwell.');
    await page.fill('#officer-search', 'testwell');
    await page.waitForSelector('#officers tbody tr[data-collar=PC99123]');
    assert.deepEqual(await cells(page, '#officers tbody tr[data-collar=PC99123]'), [
      'PC99123',
      'Robin Testwell',
      'PC',
      'Student',
      'BR',
      'BR-C',
      'X2 · trained 1 Oct 2026 until 1 Oct 2027 endorsed',
      'Edit',
    ]);

    // Devices: create one, then fault → repair → back in the armoury from its form.
    await page.click('.tabs a[href="#/devices"]');
    await page.waitForSelector('#devices tbody tr');
    await page.click('#new-device');
    await page.fill('#device-form input[name=serial]', 'X2-777001');
    await page.selectOption('#device-form select[name=station]', 'OR');
    await page.click('#device-form button[type=submit]');
    await page.waitForSelector('text=Created X2-777001.');
    await page.fill('#device-search', 'x2-777');
    await page.waitForSelector('#devices tbody tr[data-serial="X2-777001"]');
    await page.click('button[aria-label="Edit X2-777001"]');
    await page.click('#device-form button:has-text("Report fault")');
    // A fault needs a note: the API's refusal lands on the note field.
    await page.waitForSelector('#device-form [data-error-for=note]');
    await page.fill('#device-form input[name=note]', 'Cartridge bay cracked');
    await page.click('#device-form button:has-text("Report fault")');
    await page.waitForSelector('#device-form legend:has-text("Faulty")');
    await page.click('#device-form button:has-text("Send to repair")');
    await page.waitForSelector('#device-form legend:has-text("In repair")');
    await page.waitForSelector('#devices tbody tr[data-serial="X2-777001"] td[data-state=in_repair]');
    await checkPage(page, 'devices');
    await page.click('#device-form button:has-text("Complete repair")');
    await page.waitForSelector('#device-form legend:has-text("In the armoury")');
    await page.waitForSelector('#devices tbody tr[data-serial="X2-777001"] td[data-state=in_armoury]');
    assert.deepEqual(await cells(page, '#devices tbody tr[data-serial="X2-777001"]'), [
      'X2-777001',
      'X2',
      'OR',
      'In the armoury',
      '',
      'Edit',
    ]);

    // Teams: a rota without 11 hours' rest is refused against the pattern field.
    await page.click('.tabs a[href="#/teams"]');
    await page.waitForSelector('#teams tbody tr[data-team="BR-A"]');
    await page.waitForSelector('#shift-definitions tbody tr[data-shift=N]');
    await page.click('#new-team');
    await page.fill('#team-form input[name=id]', 'BR-F');
    await page.fill('#team-form input[name=name]', 'Team F');
    await page.fill('#team-form input[name="rota.pattern"]', 'n e r r');
    await page.click('#team-form button[type=submit]');
    const rotaError = page.locator('#team-form [data-error-for="rota.pattern"]');
    await rotaError.waitFor();
    assert.match((await rotaError.textContent()) ?? '', /less than 11 hours' rest: day 1 N then E/);
    await page.fill('#team-form input[name="rota.pattern"]', 'E E L L N N R R R R');
    await page.click('#team-form button[type=submit]');
    await page.waitForSelector('text=Created team BR-F.');
    await checkPage(page, 'teams and rotas');

    // Users: create a planner for Sutton.
    await page.click('.tabs a[href="#/users"]');
    await page.waitForSelector('#users tbody tr[data-username=admin]');
    await page.click('#new-user');
    await page.fill('#user-form input[name=username]', 'admin');
    await page.fill('#user-form input[name=name]', 'Sutton duty planner');
    await page.fill('#user-form input[name=password]', 'sutton-planner-2026');
    await page.click('#user-form button[type=submit]');
    // A username already taken is refused against the username field.
    const usernameError = page.locator('#user-form [data-error-for=username]');
    await usernameError.waitFor();
    assert.equal(await usernameError.textContent(), 'A user with username admin already exists.');
    await page.fill('#user-form input[name=username]', 'planner.sutton');
    await page.fill('#user-form input[name=name]', 'Sutton duty planner');
    await page.selectOption('#user-form select[name="scope.level"]', 'borough');
    await page.selectOption('#user-form select[name="scope.id"]', 'SUTT');
    await page.fill('#user-form input[name=password]', 'sutton-planner-2026');
    await page.click('#user-form button[type=submit]');
    await page.waitForSelector('text=Created planner.sutton.');
    await page.waitForSelector('#users tbody tr[data-username="planner.sutton"]');
    assert.deepEqual(await cells(page, '#users tbody tr[data-username="planner.sutton"]'), [
      'planner.sutton',
      'Sutton duty planner',
      'Duty planner',
      'borough SUTT',
      'Edit',
    ]);
    await checkPage(page, 'users');

    // Abstractions: the new officer off sick for two days.
    await page.click('.tabs a[href="#/abstractions"]');
    await page.waitForSelector('#abstractions tbody tr');
    await page.click('#new-abstraction');
    await page.fill('#abstraction-form input[name=officer]', 'PC99123');
    await page.selectOption('#abstraction-form select[name=kind]', 'sickness');
    await page.fill('#abstraction-form input[name=from]', '2026-12-02');
    await page.fill('#abstraction-form input[name=to]', '2026-12-03');
    await page.fill('#abstraction-form textarea[name=note]', 'Flu');
    await page.click('#abstraction-form button[type=submit]');
    await page.waitForSelector('text=Recorded sickness for PC99123, 2–3 Dec 2026.');
    await page.fill('#abstraction-search', 'PC99123');
    await page.waitForSelector('text=1 abstraction matching “PC99123”');
    await page.waitForSelector('#abstractions tbody tr[data-officer=PC99123] td:has-text("Robin Testwell")');
    assert.deepEqual(await cells(page, '#abstractions tbody tr[data-officer=PC99123]'), [
      'PC99123 Robin Testwell',
      'Sickness',
      '2–3 Dec 2026',
      'BR',
      'Flu',
      'Edit',
    ]);
    await checkPage(page, 'abstractions');

    // Force settings: let endorsed students carry; the change is audited.
    await page.click('.tabs a[href="#/settings"]');
    await page.waitForSelector('#settings-form');
    assert.equal(
      await page.textContent('#settings-status'),
      'The built-in defaults apply: nobody has saved this force’s settings yet.',
    );
    await page.check('#settings-form input[name="policy.studentOfficersMayCarry"]');
    await page.click('#settings-form button[type=submit]');
    await page.waitForSelector('text=Saved as version 1.');
    await page.waitForSelector('#settings-audit tbody tr[data-version="1"]');
    assert.deepEqual(await cells(page, '#settings-audit tbody tr[data-version="1"]').then((c) => [c[0], c[2], c[3]]), [
      '1',
      'admin',
      'policy.studentOfficersMayCarry: false → true',
    ]);
    assert.equal(await page.isChecked('#settings-form input[name="policy.studentOfficersMayCarry"]'), true);

    // Another admin saves meanwhile: this form's version is stale, refused with settings_changed, then reloaded.
    const other = await loginAs(ctx.server(), 'admin');
    const saved = await call(ctx.server(), 'PUT', '/force-settings', {
      token: other,
      body: { version: 1, minTaserUnits: 4 },
    });
    assert.equal(saved.status, 200);
    await page.fill('#settings-form input[name="issueLeadMinutes"]', '45');
    await page.click('#settings-form button[type=submit]');
    await page.waitForSelector('#settings-form .form-top:has-text("settings_changed")');
    assert.equal(
      await page.textContent('#settings-form .form-top'),
      'The force settings were changed by someone else (now version 2, you edited 1); reload them. (settings_changed)',
    );
    await page.click('#settings-form button:has-text("Reload the current settings")');
    await page.waitForSelector('#settings-audit tbody tr[data-version="2"]');
    assert.equal(await page.inputValue('#settings-form input[name="minTaserUnits"]'), '4');
    assert.equal(await page.inputValue('#settings-form input[name="issueLeadMinutes"]'), '60');
    await page.screenshot({ path: join(E2E_OUTPUT, 'admin-settings.png'), fullPage: false });
    await checkPage(page, 'force settings');
    await page.close();
  });

  it('shows a planner the screens their role may use, and write buttons only where it may write', async () => {
    const page = await logIn(ctx.browser(), ctx.server().url, 'planner.bromley', 'demo-planner-2026');
    await page.waitForSelector('#plans');
    await page.click('#nav a:has-text("Reference data")');
    await page.waitForSelector('#officers tbody tr');
    assert.deepEqual(await page.$$eval('.tabs a', (as) => as.map((a) => a.textContent?.trim())), [
      'Officers',
      'Devices',
      'Teams and rotas',
      'Abstractions',
    ]);
    assert.equal(await page.locator('#new-officer').count(), 1);
    await page.click('.tabs a[href="#/devices"]');
    await page.waitForSelector('#devices tbody tr');
    assert.equal(await page.locator('#new-device').count(), 0);
    assert.equal(await page.locator('#devices button').count(), 0);
    await page.click('.tabs a[href="#/teams"]');
    await page.waitForSelector('#shift-definitions tbody tr');
    assert.equal(await page.locator('#new-team').count(), 1);
    assert.equal(await page.locator('#new-shift').count(), 0);
    await page.goto(`${ctx.server().url}/#/users`);
    await page.waitForSelector('#plans');
    assert.equal(await page.evaluate(() => location.hash), '#/plans');
    await page.close();
  });
});
