import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { localHours } from '../../shared/rules/cover-hours.js';
import type { Plan } from '../../shared/schemas/plan.schema.js';
import type { Scenario } from '../../shared/schemas/scenario.schema.js';
import { plannedCoverOf, upliftSentence } from '../../server/services/what-if.service.js';
import { call, loginAs, TEST_NOW, useTestServer } from './helpers/test-server.js';

let lead: string;
const ctx = useTestServer({ clock: () => TEST_NOW }, async (s) => {
  lead = await loginAs(s, 'lead.bromley');
});

const unit = { level: 'borough', id: 'BROM' };
const day = { unit, from: '2026-11-23', to: '2026-11-23' };

describe('planned cover by hour of a what-if set-up', () => {
  // Two boroughs, one station each; 29 Mar 2026 is the spring-forward day (23 hours, no 01:00).
  const shift = (id: string, station: string, start: string, end: string) => ({ id, station, start, end });
  const scenario = {
    stations: [
      { id: 'A', borough: 'BA' },
      { id: 'B', borough: 'BB' },
    ],
    shifts: [
      shift('A-E', 'A', '2026-03-29T06:00:00Z', '2026-03-29T15:00:00Z'), // 07:00–16:00 BST
      shift('A-L', 'A', '2026-03-29T13:00:00Z', '2026-03-29T22:00:00Z'), // 14:00–23:00 BST
      shift('B-E', 'B', '2026-03-29T06:30:00Z', '2026-03-29T15:30:00Z'), // 07:30–16:30 BST
    ],
  } as unknown as Scenario;
  const crew = (shift: string, carriers: number) => ({
    shift,
    members: ['x', 'y'],
    carriers: Array.from({ length: carriers }, (_, i) => ({ officer: `o${i}`, device: `d${i}`, model: 'X2' })),
  });
  const plan = {
    crews: [crew('A-E', 1), crew('A-E', 1), crew('A-E', 0), crew('A-L', 2), crew('B-E', 1), crew('B-E', 1)],
  } as unknown as Plan;
  const slots = localHours('2026-03-29', '2026-03-29');

  it('counts Taser crews per clock hour over a 23-hour day and hours below the minimum per borough', () => {
    const { cover, hoursBelowMinimum } = plannedCoverOf(scenario, plan, slots, 2, true);
    assert.equal(slots.length, 23);
    const expected = Array.from({ length: 23 }, () => 0);
    // Local hours 00,02..23 → slot index: 00 is 0, then hour h is index h − 1.
    const at = (h: number) => (h === 0 ? 0 : h - 1);
    for (let h = 7; h < 16; h++) expected[at(h)]! += 2; // A-E: two Taser crews
    for (let h = 14; h < 23; h++) expected[at(h)]! += 1; // A-L: one crew, both carrying
    expected[at(7)]! += 1; // B-E from 07:30: two crews for half an hour
    for (let h = 8; h < 16; h++) expected[at(h)]! += 2;
    expected[at(16)]! += 1; // to 16:30
    assert.deepEqual(cover, expected);
    // BA (minimum 2): 00–06 (6 hours: no 01:00) and 16–22 with one crew (7) and 23 (1): 14 below.
    // BB: every hour but 08–15 (8 full hours): 23 − 8 = 15 below. Borough-hours: 29.
    assert.equal(hoursBelowMinimum, 29);
    assert.equal(plannedCoverOf(scenario, plan, slots, 2, false).hoursBelowMinimum, null);
  });

  it('puts the change in hours below the minimum, and in pairs, as one sentence', () => {
    assert.equal(
      upliftSentence('20 more PCs trained and 10 more X2 at Orpington', 'in December 2026', [12, 3], [41, 6]),
      'With 20 more PCs trained and 10 more X2 at Orpington, hours below the minimum in December 2026 fall from 41 to 6, and pairs without a Taser carrier fall from 12 to 3.',
    );
    assert.equal(
      upliftSentence('10 more X2 at Orpington', 'in December 2026', [4, 4], null),
      'With 10 more X2 at Orpington, pairs without a Taser carrier in December 2026 stay at 4.',
    );
  });
});

describe('what a policy or uplift change would buy', () => {
  it('compares today with the legacy policy, extra devices and more officers trained', async () => {
    const r = await call(ctx(), 'POST', '/reports/what-if', {
      token: lead,
      body: {
        ...day,
        variants: [
          { label: 'Legacy: both carry', policy: 'legacy' },
          { label: '+10 X2 at Bromley', extraDevices: [{ station: 'BR', model: 'X2', count: 10 }] },
          { label: 'Train 20 more', trainOfficers: 20 },
        ],
      },
    });
    assert.equal(r.status, 200);
    assert.equal(r.body.shifts, 6);
    const [today, legacy, devices, trained] = r.body.outcomes;
    assert.deepEqual(
      r.body.outcomes.map((o: any) => [o.label, o.status]),
      [
        ['As today', 'OPTIMAL'],
        ['Legacy: both carry', 'OPTIMAL'],
        ['+10 X2 at Bromley', 'OPTIMAL'],
        ['Train 20 more', 'OPTIMAL'],
      ],
    );

    // "As today" is exactly what a planner's solve of the same day gives.
    const plan = (await call(ctx(), 'POST', '/plans', { token: await loginAs(ctx(), 'planner.bromley'), body: day }))
      .body;
    let done: any;
    for (let i = 0; i < 300 && (!done || done.status === 'solving'); i++) {
      await new Promise((ok) => setTimeout(ok, 100));
      done = (await call(ctx(), 'GET', `/plans/${plan.id}`, { token: lead })).body;
    }
    assert.deepEqual(
      [today.taserCrews, today.pairsWithoutCarrier, today.unassigned, today.singles],
      [
        done.plan.stats.taserCrews,
        done.plan.stats.pairsWithoutCarrier,
        done.plan.stats.unassigned,
        done.plan.stats.singles,
      ],
    );

    // Before 2017 both of a pair carried: fewer crews with a Taser, every one a pair where both carry.
    assert.ok(legacy.taserCrews < today.taserCrews, `legacy ${legacy.taserCrews} < revised ${today.taserCrews}`);
    assert.equal(legacy.pairsBothCarry, legacy.taserCrews);
    // Devices are not what limits cover here: ten more change nothing but the count.
    assert.equal(devices.devices, today.devices + 10);
    assert.ok(devices.pairsWithoutCarrier <= today.pairsWithoutCarrier);
    // Carriers are: twenty more trained officers leave fewer pairs without one.
    assert.ok(trained.authorisedOnDuty > today.authorisedOnDuty);
    assert.ok(trained.authorisedOnDuty <= today.authorisedOnDuty + 20);
    assert.ok(today.pairsWithoutCarrier > 0);
    assert.ok(trained.pairsWithoutCarrier < today.pairsWithoutCarrier);
    assert.equal(trained.unassigned, today.unassigned);
  });

  it('compares a range of days: per-day figures that add up, and the change as a sentence', async () => {
    const r = await call(ctx(), 'POST', '/reports/what-if', {
      token: lead,
      body: {
        unit,
        from: '2026-11-23',
        to: '2026-11-25',
        variants: [{ label: 'Uplift', trainOfficers: 20, extraDevices: [{ station: 'OR', model: 'X2', count: 10 }] }],
      },
    });
    assert.equal(r.status, 200);
    assert.equal(r.body.days, 3);
    assert.equal(r.body.shifts, 18);
    const [today, uplift] = r.body.outcomes;
    for (const o of [today, uplift]) {
      assert.deepEqual(
        o.pairsWithoutCarrierByDay.map((d: any) => d.date),
        ['2026-11-23', '2026-11-24', '2026-11-25'],
      );
      assert.equal(
        o.pairsWithoutCarrierByDay.reduce((s: number, d: any) => s + d.pairsWithoutCarrier, 0),
        o.pairsWithoutCarrier,
      );
      assert.ok(o.shiftsShort <= r.body.shifts);
    }
    assert.equal(today.summary, null);
    assert.ok(uplift.pairsWithoutCarrier < today.pairsWithoutCarrier);
    // Hours from the first shift's start (07:00 on the 23rd) to the end of the 25th; one borough, its minimum.
    assert.equal(r.body.hours.length, 17 + 24 + 24);
    assert.deepEqual(r.body.hours[0], { date: '2026-11-23', hour: 7, offset: 0, start: '2026-11-23T07:00:00.000Z' });
    assert.equal(r.body.boroughMinimum, 3);
    assert.equal(r.body.minimum, 3);
    for (const o of [today, uplift]) {
      assert.equal(o.coverByHour.length, r.body.hours.length);
      assert.equal(o.hoursBelowMinimum, o.coverByHour.filter((c: number) => c < 3).length);
    }
    assert.ok(uplift.hoursBelowMinimum <= today.hoursBelowMinimum);
    const hours = (a: number, b: number) =>
      a === b ? `stay at ${a}` : a > b ? `fall from ${a} to ${b}` : `rise from ${a} to ${b}`;
    assert.equal(
      uplift.summary,
      `With 20 more PCs trained and 10 more X2 at Orpington, hours below the minimum from 23 Nov to 25 Nov 2026 ${hours(today.hoursBelowMinimum, uplift.hoursBelowMinimum)}, and pairs without a Taser carrier fall from ${today.pairsWithoutCarrier} to ${uplift.pairsWithoutCarrier}.`,
    );
  });

  it('shows the gain a plan’s suggestion promised when its change is the variant', async () => {
    const planner = await loginAs(ctx(), 'planner.bromley');
    const plan = (await call(ctx(), 'POST', '/plans', { token: planner, body: day })).body;
    let done: any;
    for (let i = 0; i < 300 && (!done || done.status === 'solving'); i++) {
      await new Promise((ok) => setTimeout(ok, 100));
      done = (await call(ctx(), 'GET', `/plans/${plan.id}`, { token: lead })).body;
    }
    const suggestions = (done.plan.explanations as any[])
      .filter((e) => e.cause !== 'officers_unassigned')
      .flatMap((e) => e.suggestions as any[]);
    assert.ok(suggestions.length > 0, 'the day has suggestions');
    // The biggest promise of each kind, each tried as a what-if variant.
    const picks = new Map<string, any>();
    for (const s of suggestions) if ((picks.get(s.action)?.covers ?? 0) < s.covers) picks.set(s.action, s);
    const tried = [...picks.values()].slice(0, 4);
    const r = await call(ctx(), 'POST', '/reports/what-if', {
      token: lead,
      body: { ...day, variants: tried.map((s, i) => ({ label: `suggestion ${i + 1}`, changes: s.change })) },
    });
    assert.equal(r.status, 200);
    const [today, ...withChange] = r.body.outcomes;
    tried.forEach((s, i) => {
      const gain = today.pairsWithoutCarrier - withChange[i].pairsWithoutCarrier;
      // Measured on the shift's own component; the rest of the unit can only gain more.
      assert.ok(gain >= s.covers, `"${s.message}" promised ${s.covers}, the what-if shows ${gain}`);
    });
  });

  it('takes up to 28 days and refuses 29 with range_too_long', async () => {
    const long = await call(ctx(), 'POST', '/reports/what-if', {
      token: lead,
      body: { unit, from: '2026-11-01', to: '2026-11-29', variants: [{ label: 'x', policy: 'legacy' }] },
    });
    assert.equal(long.status, 400);
    assert.equal(long.body.error.id, 'range_too_long');
    const backwards = await call(ctx(), 'POST', '/reports/what-if', {
      token: lead,
      body: { unit, from: '2026-11-02', to: '2026-11-01', variants: [{ label: 'x', policy: 'legacy' }] },
    });
    assert.equal(backwards.status, 400);
    assert.equal(backwards.body.error.id, 'validation_failed');
    const month = await call(ctx(), 'POST', '/reports/what-if', {
      token: lead,
      body: {
        unit: { level: 'station', id: 'OR' },
        from: '2026-11-01',
        to: '2026-11-28',
        variants: [{ label: '+10 X2', extraDevices: [{ station: 'OR', model: 'X2', count: 10 }] }],
      },
    });
    assert.equal(month.status, 200);
    assert.equal(month.body.days, 28);
    assert.equal(month.body.outcomes[0].pairsWithoutCarrierByDay.length, 28);
    // A station has no minimum of its own: no hours below it, and the sentence speaks of pairs only.
    assert.equal(month.body.minimum, null);
    assert.equal(month.body.outcomes[1].hoursBelowMinimum, null);
    assert.match(
      month.body.outcomes[1].summary,
      /^With 10 more X2 at Orpington, pairs without a Taser carrier from 1 Nov to 28 Nov 2026 /,
    );
  });

  it('refuses a station outside the unit and the control room', async () => {
    const other = await call(ctx(), 'POST', '/reports/what-if', {
      token: lead,
      body: { ...day, variants: [{ label: 'x', extraDevices: [{ station: 'CR', model: 'X2', count: 1 }] }] },
    });
    assert.equal(other.status, 400);
    assert.equal(other.body.error.id, 'unknown_station');
    const control = await call(ctx(), 'POST', '/reports/what-if', {
      token: await loginAs(ctx(), 'control.south'),
      body: { ...day, variants: [{ label: 'x', policy: 'legacy' }] },
    });
    assert.equal(control.status, 403);
    assert.equal(control.body.error.id, 'forbidden_role');
  });
});
