import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { CrewPlanView, PlanDiff } from '../../shared/schemas/crew-plan.schema.js';
import type { EditCheckResult, EditOp } from '../../shared/schemas/plan-edit.schema.js';
import type { PlanCrew } from '../../shared/schemas/plan.schema.js';
import type { RosterView } from '../../shared/schemas/roster.schema.js';
import { LIVE_NOW } from '../integration/helpers/live-client.js';
import { call, demoPassword, loginAs } from '../integration/helpers/test-server.js';
import { assertAccessible, assertNoSidewaysScroll } from './axe.js';
import { E2E_OUTPUT, logIn, useServerAndBrowser } from './browser.js';

// The board shows the shifts running at the server's clock: 10:00 on Sunday 22 November 2026 (an early shift).
const ctx = useServerAndBrowser({ clock: () => LIVE_NOW, env: { MIN_TASER_UNITS: '1' } });

const FROM = '2026-11-22';
const TO = '2026-11-28';
const SICK_FROM = '2026-11-24';
const SICK_TO = '2026-11-25';

const key = (c: { shift: string; members: string[] }) => `${c.shift}:${[...c.members].sort().join('+')}`;

/** axe-core on the page as it is, then the same state at 390 px: nothing but the roster grid scrolls sideways. */
async function checkState(page: Page, what: string): Promise<void> {
  await assertAccessible(page, what);
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: 390, height: 844 });
  await assertNoSidewaysScroll(page, `${what} at 390 px`);
  await page.setViewportSize(size);
}

/** Waits until the open plan is `id` (or any other than `not`) and has left `solving`. */
async function waitForPlan(page: Page, want: { status: string; not?: string }): Promise<string> {
  const head = page.locator(
    `#plan-head[data-status="${want.status}"]${want.not ? `:not([data-plan="${want.not}"])` : ''}`,
  );
  await head.waitFor({ timeout: 120_000 });
  return (await head.getAttribute('data-plan'))!;
}

/** Shows only `officer`'s team in the grid (rows outside the scrolled window are not in the DOM). */
async function showTeamOf(page: Page, roster: RosterView, officer: string): Promise<void> {
  const team = roster.officers.find((o) => o.id === officer)!.team;
  await page.selectOption('select[name=team]', team);
  await page.locator(`#roster tr[data-officer="${officer}"]`).waitFor();
}

/** Clicks Swap in the open cell dialog and waits for the edit to be saved (failing with the refusal shown, if any). */
async function saveSwap(page: Page): Promise<void> {
  await page.click('[data-action=swap] button');
  await page.waitForSelector('#plan-status:has-text("Edit saved"), #why-swap .error');
  if (await page.locator('#why-swap .error').count())
    assert.fail(`swap refused: ${await page.textContent('#why-swap')}`);
}

describe('web client: the duty planner’s workspace', () => {
  it('builds a week for Bromley, records a sickness, re-solves, edits by hand, publishes and amends; the board follows', async () => {
    const server = ctx.server();
    const planner = await loginAs(server, 'planner.bromley');
    const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const r = await call<T>(server, method, path, { token: planner, ...(body === undefined ? {} : { body }) });
      assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };

    // Build a week for Bromley.
    const page = await logIn(ctx.browser(), server.url, 'planner.bromley', demoPassword('planner.bromley'));
    await page.click('a[href="#/plans"]');
    await page.waitForSelector('select[name=unit] option[value="borough:BROM"]', { state: 'attached' });
    await checkState(page, 'plan list');
    await page.selectOption('select[name=unit]', 'borough:BROM');
    await page.fill('input[name=from]', FROM);
    await page.fill('input[name=to]', TO);
    await page.click('#new-plan button[type=submit]');
    const first = await waitForPlan(page, { status: 'draft' });

    // Read it as a roster with names and local times.
    await page.waitForSelector('#roster tbody tr[data-officer]');
    let roster = await api<RosterView>('GET', `/plans/${first}/roster`);
    const someone = roster.officers[0]!;
    const firstRow = (await page.textContent(`#roster tr[data-officer="${someone.id}"]`)) ?? '';
    assert.ok(firstRow.includes(someone.name), `the row names ${someone.name}`);
    assert.match((await page.textContent('#roster')) ?? '', /\b\d\d:\d\d–\d\d:\d\d\b/);
    assert.match((await page.textContent('#roster thead')) ?? '', /Sun 22 Nov.*Sat 28 Nov/s);
    await page.screenshot({ path: join(E2E_OUTPUT, 'roster.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('#roster-scroll').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(E2E_OUTPUT, 'roster-phone.png') });
    await page.setViewportSize({ width: 1280, height: 900 });
    await checkState(page, 'roster');

    // The per-shift crew view, one click away: lock two crews there.
    await page.click(`#roster thead button[data-day="2026-11-23"]`);
    await page.waitForSelector('section.shift ul.crews li');
    await checkState(page, 'crews by shift');
    let plan = await api<CrewPlanView>('GET', `/plans/${first}`);
    const mondays = new Set(roster.shifts.filter((s) => s.date === '2026-11-23').map((s) => s.id));
    const toLock = plan.plan!.crews.filter((c) => mondays.has(c.shift) && c.members.length === 2).slice(0, 2);
    assert.equal(toLock.length, 2);
    for (const c of toLock) {
      await page.click(`section.shift[data-shift="${c.shift}"] button[data-lock="${c.members.join('+')}"]`);
      await page.waitForSelector(
        `section.shift[data-shift="${c.shift}"] li.locked[data-crew="${c.members.join('+')}"]`,
      );
    }
    plan = await api<CrewPlanView>('GET', `/plans/${first}`);
    assert.deepEqual(plan.locks.map(key).sort(), toLock.map(key).sort());

    // Record an officer sick for two days from the roster.
    await page.click('#tab-roster');
    await page.waitForSelector('#roster tbody tr[data-officer]');
    const sickDays = new Set(roster.shifts.filter((s) => s.date >= SICK_FROM && s.date <= SICK_TO).map((s) => s.id));
    const locked = new Set(toLock.flatMap((c) => c.members));
    const sickCrew = plan.plan!.crews.find(
      (c) => sickDays.has(c.shift) && c.members.length === 2 && !c.members.some((m) => locked.has(m)),
    )!;
    const sick = sickCrew.members[0]!;
    await showTeamOf(page, roster, sick);
    await page.click(`#roster button.cell[data-officer="${sick}"][data-date="${SICK_FROM}"]`);
    await page.waitForSelector('dialog#cell-dialog[open] #absence-form');
    await page.screenshot({ path: join(E2E_OUTPUT, 'cell-dialog.png') });
    await checkState(page, 'cell dialog');
    await page.selectOption('#absence-form select[name=kind]', 'sickness');
    await page.fill('#absence-form input[name=to]', SICK_TO);
    await page.fill('#absence-form input[name=note]', 'Flu, reported by phone');
    await page.click('#absence-form button[type=submit]');
    await page.waitForSelector('#affected-banner');
    await page.waitForSelector(`#roster td.affected button[data-officer="${sick}"][data-date="${SICK_FROM}"]`);
    assert.match((await page.textContent('#affected-banner')) ?? '', /now absent/);
    await checkState(page, 'roster with an absent officer');

    // Re-solve with minimal change: locks kept, at least 90% of the unaffected crews kept.
    await page.click('#resolve-affected');
    const second = await waitForPlan(page, { status: 'draft', not: first });
    const after = await api<CrewPlanView>('GET', `/plans/${second}`);
    const kept = new Set(after.plan!.crews.map(key));
    for (const c of toLock) assert.ok(kept.has(key(c)), `lock ${key(c)} kept`);
    assert.ok(
      !after.plan!.crews.some((c) => sickDays.has(c.shift) && c.members.includes(sick)),
      'the sick officer is out of the crews of their sick days',
    );
    const unaffected = plan.plan!.crews.filter((c) => !(sickDays.has(c.shift) && c.members.includes(sick)));
    const share = unaffected.filter((c) => kept.has(key(c))).length / unaffected.length;
    assert.ok(share >= 0.9, `kept ${(share * 100).toFixed(1)}% of unaffected crews`);
    await page.waitForSelector('#roster tbody tr[data-officer]');
    roster = await api<RosterView>('GET', `/plans/${second}/roster`);

    // Swap two officers by hand; a refused swap says why first.
    const check = async (ops: EditOp[]) => api<EditCheckResult>('POST', `/plans/${second}/edits/check`, { ops });
    const lockedNow = new Set(after.locks.flatMap((l) => l.members));
    const pairsOn = (shift: string) =>
      after.plan!.crews.filter(
        (c) => c.shift === shift && c.members.length === 2 && !c.members.some((m) => lockedNow.has(m)),
      );
    const dayOf = new Map(roster.shifts.map((s) => [s.id, s.date]));
    let refused: { a: string; b: string; shift: string; message: string } | null = null;
    let allowed: { a: string; b: string; shift: string } | null = null;
    const candidates = [...new Set(after.plan!.crews.map((c) => c.shift))].filter((s) => dayOf.get(s)! >= '2026-11-26');
    for (const shift of candidates) {
      const pairs = pairsOn(shift);
      for (let i = 0; i < pairs.length && !(refused && allowed); i++)
        for (let j = i + 1; j < pairs.length && !(refused && allowed); j++)
          for (const a of pairs[i]!.members)
            for (const b of pairs[j]!.members) {
              if (refused && allowed) break;
              const r = await check([{ op: 'swap', shift, a, b }]);
              if (r.ok && !allowed) allowed = { a, b, shift };
              else if (!r.ok && !refused) refused = { a, b, shift, message: r.refusal.message };
            }
      if (refused && allowed) break;
    }
    assert.ok(allowed, 'some swap is allowed');
    const openCell = async (officer: string, shift: string) => {
      await showTeamOf(page, roster, officer);
      await page.click(`#roster button.cell[data-officer="${officer}"][data-date="${dayOf.get(shift)}"]`);
      await page.waitForSelector('dialog#cell-dialog[open] fieldset.edits');
    };
    if (refused) {
      await openCell(refused.a, refused.shift);
      await page.selectOption('select[name=edit-swap]', refused.b);
      await page.waitForSelector('#why-swap .error');
      assert.equal(await page.textContent('#why-swap'), `Refused: ${refused.message}`);
      assert.ok(await page.locator('[data-action=swap] button').isDisabled());
      console.log(`refused swap shown: ${refused.message}`);
    } else {
      // No swap on these shifts breaks a rule: making a PC single does.
      const shift = candidates[0]!;
      const pc = pairsOn(shift)
        .flatMap((c) => c.members)
        .find((m) => roster.officers.find((o) => o.id === m)?.rank === 'PC')!;
      await openCell(pc, shift);
      await page.selectOption('select[name=edit-move]', '');
      await page.waitForSelector('#why-move .error');
      assert.match((await page.textContent('#why-move')) ?? '', /^Refused: .+/);
      console.log(`no swap refused; refused move shown: ${await page.textContent('#why-move')}`);
    }
    await page.screenshot({ path: join(E2E_OUTPUT, 'refused-edit.png') });
    await checkState(page, 'a refused hand edit');
    await page.keyboard.press('Escape');
    await page.waitForSelector('dialog#cell-dialog:not([open])', { state: 'attached' });

    await openCell(allowed.a, allowed.shift);
    await page.selectOption('select[name=edit-swap]', allowed.b);
    await page.waitForSelector('#why-swap .good');
    await saveSwap(page);
    await page.waitForSelector(
      `#roster button.cell[data-officer="${allowed.a}"][data-date="${dayOf.get(allowed.shift)}"] .lock`,
    );
    const edited = await api<CrewPlanView>('GET', `/plans/${second}`);
    const newCrew = edited.plan!.crews.find((c) => c.shift === allowed.shift && c.members.includes(allowed.a))!;
    assert.ok(
      newCrew.members.some((m) =>
        pairsOn(allowed.shift)
          .find((c) => c.members.includes(allowed.b))!
          .members.includes(m),
      ),
    );
    assert.ok(
      edited.locks.some((l) => key(l) === key(newCrew)),
      'the hand-edited crew is locked',
    );

    // Publish.
    await page.click('#publish');
    await waitForPlan(page, { status: 'published' });
    await checkState(page, 'published roster');

    // The control room's board, open before the amendment.
    const board = await logIn(ctx.browser(), server.url, 'control.south', demoPassword('control.south'));
    await board.click('a[href="#/board"]');
    await board.waitForSelector('select[name=room] option[value="station:BR"]', { state: 'attached' });
    await board.selectOption('select[name=room]', 'station:BR');
    await board.waitForSelector('#board-status[data-connection=connected]:has-text("Live: Station Bromley")');
    const running = roster.shifts.find(
      (s) => s.station === 'BR' && s.start <= LIVE_NOW.toISOString() && s.end > LIVE_NOW.toISOString(),
    )!;
    assert.ok(running, 'an early shift at BR runs at the board clock');
    const published = await api<CrewPlanView>('GET', `/plans/${second}`);
    const boardPairs = published.plan!.crews.filter((c) => c.shift === running.id && c.members.length === 2);
    await board.waitForSelector(`#board-units tr:has-text("${boardPairs[0]!.members[0]}")`);

    // Amend the published roster: swap two officers of the running shift, read the changes, publish with a reason.
    await page.click('#amend');
    const amendment = await waitForPlan(page, { status: 'draft', not: second });
    await page.waitForSelector('#changes-summary');
    const am = await api<CrewPlanView>('GET', `/plans/${amendment}`);
    assert.equal(am.amends, second);
    const amLocked = new Set(am.locks.flatMap((l) => l.members));
    const free = am.plan!.crews.filter(
      (c) => c.shift === running.id && c.members.length === 2 && !c.members.some((m) => amLocked.has(m)),
    );
    let amendSwap: { a: string; b: string } | null = null;
    for (let i = 0; i < free.length && !amendSwap; i++)
      for (let j = i + 1; j < free.length && !amendSwap; j++)
        for (const a of free[i]!.members)
          for (const b of free[j]!.members) {
            const r = await call<EditCheckResult>(server, 'POST', `/plans/${amendment}/edits/check`, {
              token: planner,
              body: { ops: [{ op: 'swap', shift: running.id, a, b }] },
            });
            if (r.body.ok && !amendSwap) amendSwap = { a, b };
          }
    assert.ok(amendSwap, 'some swap on the running shift is allowed');
    await page.click('#tab-roster');
    await page.waitForSelector('#roster tbody tr[data-officer]');
    roster = await api<RosterView>('GET', `/plans/${amendment}/roster`);
    await showTeamOf(page, roster, amendSwap.a);
    await page.click(`#roster button.cell[data-officer="${amendSwap.a}"][data-date="${running.date}"]`);
    await page.waitForSelector('dialog#cell-dialog[open] fieldset.edits');
    await page.selectOption('select[name=edit-swap]', amendSwap.b);
    await page.waitForSelector('#why-swap .good');
    await saveSwap(page);

    await page.click('#tab-changes');
    await page.waitForSelector('#crews-changed tbody tr');
    const diff = await api<PlanDiff>('GET', `/plans/${amendment}/diff`);
    assert.equal(diff.against, second);
    assert.ok(diff.counts.changed >= 1 && diff.officersMoved.some((m) => m.officer === amendSwap.a));
    assert.match((await page.textContent('#changes-summary')) ?? '', /2 crews changed|\d+ crews changed/);
    await page.screenshot({ path: join(E2E_OUTPUT, 'amendment-diff.png') });
    await checkState(page, 'amendment changes');

    // A reason is required; with one, the amendment is published.
    assert.equal(await page.getAttribute('#publish-reason', 'required'), '');
    await page.fill('#publish-reason', 'PC swapped to cover a court warning');
    await page.click('#publish');
    await waitForPlan(page, { status: 'published' });
    assert.match((await page.textContent('#plan-head')) ?? '', /PC swapped to cover a court warning/);
    const final = await api<CrewPlanView>('GET', `/plans/${amendment}`);
    const moved = final.plan!.crews.find((c: PlanCrew) => c.shift === running.id && c.members.includes(amendSwap.a))!;
    const partner = moved.members.find((m) => m !== amendSwap.a)!;

    // The board shows the new crew without a reload.
    await board.waitForFunction(
      ([a, b]) =>
        [...document.querySelectorAll('#board-units tr')].some(
          (tr) => tr.textContent.includes(a!) && tr.textContent.includes(b!),
        ),
      [amendSwap.a, partner],
      { timeout: 10_000 },
    );
    await board.close();
    await page.close();
  });

  it('follows and cancels a 28-day BCU solve, renders the roster of another (time printed, not asserted), deletes it', async () => {
    const server = ctx.server();
    const admin = await loginAs(server, 'admin');
    const build = async () => {
      const r = await call<CrewPlanView>(server, 'POST', '/plans', {
        token: admin,
        body: { unit: { level: 'bcu', id: 'SN' }, from: '2026-11-23', to: '2026-12-20' },
      });
      assert.equal(r.status, 202, JSON.stringify(r.body));
      return r.body.id;
    };
    const page = await logIn(ctx.browser(), server.url, 'admin', demoPassword('admin'));
    await page.waitForSelector('#nav a');

    // Progress says what the solve is doing; Cancel stops it.
    const doomed = await build();
    await page.goto(`${server.url}/#/plans?id=${doomed}`);
    const progress = page.locator('#plan-head[data-status=solving] .progress');
    await progress.waitFor({ timeout: 10_000 });
    console.log(`progress while solving: ${((await progress.textContent()) ?? '').replace(/\s+/g, ' ').trim()}`);
    await checkState(page, 'a solve in progress');
    await page.click('#cancel-solve');
    await page.locator(`#plan-head[data-plan="${doomed}"][data-status=cancelled]`).waitFor();
    assert.equal(
      (await call<CrewPlanView>(server, 'GET', `/plans/${doomed}`, { token: admin })).body.status,
      'cancelled',
    );

    const started = { body: { id: await build() } };
    await page.goto(`${server.url}/#/plans?id=${started.body.id}`);
    await waitForPlan(page, { status: 'draft' });
    await page.waitForSelector('#roster-view[data-render-ms]:not([data-render-ms=""])', { timeout: 60_000 });
    const ms = await page.getAttribute('#roster-view', 'data-render-ms');
    const count = (await page.textContent('#roster-count')) ?? '';
    console.log(`28-day BCU roster (${count.trim()}, 28 days) rendered in ${ms} ms after the data arrived`);
    await checkState(page, 'a 28-day BCU roster');

    // Housekeeping: the list tells plans apart, filters by status, and deletes a draft after a confirmation.
    await page.click('a[href="#/plans"]:has-text("All plans")');
    const row = page.locator(`#plans tr[data-plan="${started.body.id}"]`);
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /South|SN/);
    assert.match((await row.textContent()) ?? '', /23 Nov – 20 Dec 2026/);
    assert.match((await row.textContent()) ?? '', /by admin/);
    await page.screenshot({ path: join(E2E_OUTPUT, 'plan-list.png') });
    await page.selectOption('select[name=status-filter]', 'published');
    await row.waitFor({ state: 'detached' });
    await page.selectOption('select[name=status-filter]', 'draft');
    await row.waitFor();
    page.once('dialog', (d) => void d.accept());
    await page.click(`#plans button[data-delete="${started.body.id}"]`);
    await row.waitFor({ state: 'detached' });
    assert.equal((await call(server, 'GET', `/plans/${started.body.id}`, { token: admin })).status, 404);
    await page.close();
  });
});
