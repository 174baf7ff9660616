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

  it('refuses a station outside the unit, a range over 7 days and the control room', async () => {
    const other = await call(ctx(), 'POST', '/reports/what-if', {
      token: lead,
      body: { ...day, variants: [{ label: 'x', extraDevices: [{ station: 'CR', model: 'X2', count: 1 }] }] },
    });
    assert.equal(other.status, 400);
    assert.equal(other.body.error.id, 'unknown_station');
    const long = await call(ctx(), 'POST', '/reports/what-if', {
      token: lead,
      body: { unit, from: '2026-11-01', to: '2026-11-30', variants: [{ label: 'x', policy: 'legacy' }] },
    });
    assert.equal(long.status, 400);
    assert.equal(long.body.error.id, 'validation_failed');
    const control = await call(ctx(), 'POST', '/reports/what-if', {
      token: await loginAs(ctx(), 'control.south'),
      body: { ...day, variants: [{ label: 'x', policy: 'legacy' }] },
    });
    assert.equal(control.status, 403);
    assert.equal(control.body.error.id, 'forbidden_role');
  });
});
