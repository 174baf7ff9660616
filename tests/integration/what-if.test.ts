import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call, loginAs, TEST_NOW, useTestServer } from './helpers/test-server.js';

let lead: string;
const ctx = useTestServer({ clock: () => TEST_NOW }, async (s) => {
  lead = await loginAs(s, 'lead.bromley');
});

const unit = { level: 'borough', id: 'BROM' };
const day = { unit, from: '2026-11-23', to: '2026-11-23' };

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
    assert.equal(
      uplift.summary,
      `With 20 more PCs trained and 10 more X2 at Orpington, pairs without a Taser carrier from 23 Nov to 25 Nov 2026 fall from ${today.pairsWithoutCarrier} to ${uplift.pairsWithoutCarrier}.`,
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
