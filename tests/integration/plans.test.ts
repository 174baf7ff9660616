import assert from 'node:assert/strict';
import { buildPlanRecord } from '../factories/plan-record.factory.js';
import { after, before, describe, it } from 'node:test';
import { crewPlanRepository } from '../../server/repositories/crew-plan.repository.js';
import { call, loginAs, startTestServer, stopOwnStore, type TestServer } from './helpers/test-server.js';

let server: TestServer;
let planner: string;

before(async () => {
  server = await startTestServer();
  planner = await loginAs(server, 'planner.bromley');
});
after(async () => {
  await server.stop();
  await stopOwnStore();
});

/** Polls a plan until it leaves `solving`. */
async function settled(id: string, token = planner): Promise<any> {
  for (let i = 0; i < 600; i++) {
    const r = await call(server, 'GET', `/plans/${id}`, { token });
    assert.equal(r.status, 200);
    if (r.body.status !== 'solving') return r.body;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error(`plan ${id} still solving after 60 s`);
}

const oneDay = { unit: { level: 'borough', id: 'BROM' }, from: '2026-11-23', to: '2026-11-23' };

describe('crew plans', () => {
  let draft: any;

  it('solves a borough day in a background job and stores a draft whose crews are the officers on duty', async () => {
    const started = await call(server, 'POST', '/plans', { token: planner, body: oneDay });
    assert.equal(started.status, 202);
    assert.equal(started.body.status, 'solving');
    draft = await settled(started.body.id);
    assert.equal(draft.status, 'draft');
    assert.equal(draft.createdBy, 'planner.bromley');
    assert.equal(draft.plan.version, 1);
    assert.equal(draft.plan.status, 'OPTIMAL');

    const duty = await call(server, 'GET', '/duty?borough=BROM&from=2026-11-23&to=2026-11-23', { token: planner });
    const shiftIds = duty.body.shifts.map((s: { id: string }) => s.id).sort();
    assert.deepEqual([...new Set(draft.plan.crews.map((c: { shift: string }) => c.shift))].sort(), shiftIds);
    for (const s of duty.body.shifts) {
      const placed = draft.plan.crews
        .filter((c: { shift: string }) => c.shift === s.id)
        .flatMap((c: { members: string[] }) => c.members)
        .concat(
          draft.plan.unassigned
            .filter((u: { shift: string }) => u.shift === s.id)
            .map((u: { officer: string }) => u.officer),
        )
        .sort();
      assert.deepEqual(placed, s.onDuty.map((o: { collar: string }) => o.collar).sort());
    }
    const crews = draft.plan.crews.length;
    assert.equal(draft.plan.stats.crews, crews);
  });

  it('exports the plan and its scenario in the interchange format', async () => {
    const plan = await call(server, 'GET', `/plans/${draft.id}/export`, { token: planner });
    assert.equal(plan.status, 200);
    assert.deepEqual(plan.body, draft.plan);
    const scenario = await call(server, 'GET', `/plans/${draft.id}/scenario`, { token: planner });
    assert.equal(scenario.body.version, 1);
    assert.equal(scenario.body.timezone, 'Europe/London');
    assert.deepEqual(scenario.body.stations.map((s: { id: string }) => s.id).sort(), ['BR', 'OR']);
  });

  it('imports an exported scenario and solves it to the same statistics', async () => {
    const scenario = await call(server, 'GET', `/plans/${draft.id}/scenario`, { token: planner });
    const started = await call(server, 'POST', '/plans/import', { token: planner, body: scenario.body });
    assert.equal(started.status, 202);
    const done = await settled(started.body.id);
    assert.equal(done.unit.level, 'borough');
    const { solveMs: _a, ...stats } = done.plan.stats;
    const { solveMs: _b, ...expected } = draft.plan.stats;
    assert.deepEqual(stats, expected);
  });

  it('refuses an invalid scenario on import, naming the field', async () => {
    const r = await call(server, 'POST', '/plans/import', {
      token: planner,
      body: { version: 1, policy: { name: 'revised' } },
    });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.id, 'invalid_scenario');
    assert.match(r.body.error.message, /stations/);
  });

  it('refuses a scenario with no station as invalid_scenario, and one with no shift as no_shifts', async () => {
    const scenario = (await call(server, 'GET', `/plans/${draft.id}/scenario`, { token: planner })).body;
    const noStation = await call(server, 'POST', '/plans/import', {
      token: planner,
      body: { ...scenario, stations: [], shifts: [], officers: [], devices: [], locks: [], previousPlan: undefined },
    });
    assert.equal(noStation.status, 400);
    assert.equal(noStation.body.error.id, 'invalid_scenario');
    assert.match(noStation.body.error.message, /stations/);
    const noShift = await call(server, 'POST', '/plans/import', {
      token: planner,
      body: { ...scenario, shifts: [], officers: [], devices: [], locks: [], previousPlan: undefined },
    });
    assert.equal(noShift.status, 400);
    assert.equal(noShift.body.error.id, 'no_shifts');
    assert.deepEqual(noShift.body.error.details, { path: 'shifts' });
  });

  it('hides a borough’s plans from another borough’s planner', async () => {
    const croydon = await loginAs(server, 'planner.croydon');
    const r = await call(server, 'GET', `/plans/${draft.id}`, { token: croydon });
    assert.equal(r.status, 403);
    assert.equal(r.body.error.id, 'out_of_scope');
    const start = await call(server, 'POST', '/plans', { token: croydon, body: oneDay });
    assert.equal(start.status, 403);
    assert.equal(start.body.error.id, 'out_of_scope');
  });

  it('refuses an import whose shift id is not namespaced by its station, naming the field', async () => {
    const scenario = (await call(server, 'GET', `/plans/${draft.id}/scenario`, { token: planner })).body;
    const first = scenario.shifts[0];
    const renamed = (id: string) => (id === first.id ? 'CR-2026-11-23-E' : id);
    const body = {
      ...scenario,
      shifts: scenario.shifts.map((s: { id: string }) => ({ ...s, id: renamed(s.id) })),
      officers: scenario.officers.map((o: { shifts: string[] }) => ({ ...o, shifts: o.shifts.map(renamed) })),
      locks: [],
      previousPlan: undefined,
    };
    const r = await call(server, 'POST', '/plans/import', { token: planner, body });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.id, 'invalid_scenario');
    assert.deepEqual(r.body.error.details, { path: 'shifts[0].id' });
    assert.match(
      r.body.error.message,
      new RegExp(
        `^Invalid scenario: shifts\\[0\\]\\.id: shift CR-2026-11-23-E must start with its station's id \\(${first.station}-\\)\\.$`,
      ),
    );
  });

  it('refuses an import carrying an officer or a device of another borough, naming it', async () => {
    const croydon = await loginAs(server, 'planner.croydon');
    const theirOfficer = (await call(server, 'GET', '/officers?station=CR&pageSize=1', { token: croydon })).body
      .items[0];
    const theirDevice = (await call(server, 'GET', '/devices?station=CR&pageSize=1', { token: croydon })).body.items[0];
    const scenario = (await call(server, 'GET', `/plans/${draft.id}/scenario`, { token: planner })).body;
    const base = { ...scenario, locks: [], previousPlan: undefined };
    const officer = { ...scenario.officers[0], id: theirOfficer.collar, shifts: [] };
    const withOfficer = await call(server, 'POST', '/plans/import', {
      token: planner,
      body: { ...base, officers: [...scenario.officers, officer] },
    });
    assert.equal(withOfficer.status, 403);
    assert.equal(withOfficer.body.error.id, 'out_of_scope');
    assert.match(withOfficer.body.error.message, new RegExp(`Officer ${theirOfficer.collar} is outside your borough`));
    const device = { ...scenario.devices[0], serial: theirDevice.serial };
    const withDevice = await call(server, 'POST', '/plans/import', {
      token: planner,
      body: { ...base, devices: [...scenario.devices, device] },
    });
    assert.equal(withDevice.status, 403);
    assert.equal(withDevice.body.error.id, 'out_of_scope');
    assert.match(withDevice.body.error.message, new RegExp(`Device ${theirDevice.serial} is outside your borough`));
  });

  it('refuses a lock naming an officer who is not on that shift', async () => {
    const shift = draft.plan.crews[0].shift as string;
    const r = await call(server, 'PUT', `/plans/${draft.id}/locks`, {
      token: planner,
      body: { locks: [{ shift, members: ['PC0000000'] }] },
    });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.id, 'invalid_lock');
  });

  it('re-solves with a locked crew honoured and the rest of the plan kept', async () => {
    const scenario = (await call(server, 'GET', `/plans/${draft.id}/scenario`, { token: planner })).body;
    const student = new Set(scenario.officers.filter((o: any) => o.kind === 'student').map((o: any) => String(o.id)));
    // two pairs of one shift, each with one carrier and no student: swapping partners costs nothing
    const easy = draft.plan.crews.filter(
      (c: any) => c.members.length === 2 && c.carriers.length === 1 && !c.members.some((m: string) => student.has(m)),
    );
    const a = easy[0];
    const b = easy.find((c: any) => c !== a && c.shift === a.shift);
    assert.ok(b, 'two swappable pairs on one shift');
    const carrierOf = (c: any) => c.carriers[0].officer as string;
    const otherOf = (c: any) => c.members.find((m: string) => m !== carrierOf(c)) as string;
    const lock = { shift: a.shift, members: [carrierOf(a), otherOf(b)] };
    const locked = await call(server, 'PUT', `/plans/${draft.id}/locks`, { token: planner, body: { locks: [lock] } });
    assert.equal(locked.status, 200);
    assert.deepEqual(locked.body.locks, [lock]);
    const started = await call(server, 'POST', `/plans/${draft.id}/resolve`, { token: planner, body: {} });
    assert.equal(started.status, 202);
    const next = await settled(started.body.id);
    assert.equal(next.status, 'draft');
    assert.equal(next.basedOn, draft.id);
    assert.equal(next.revision, 1);
    const key = (c: { shift: string; members: string[] }) => `${c.shift}:${[...c.members].sort().join('+')}`;
    const nextKeys = new Set(next.plan.crews.map(key));
    assert.ok(nextKeys.has(key(lock)), 'the locked crew is in the new plan');
    const untouched = draft.plan.crews.filter((c: any) => c !== a && c !== b);
    const kept = untouched.filter((c: any) => nextKeys.has(key(c))).length;
    assert.ok(kept >= untouched.length - 2, `kept ${kept} of ${untouched.length} untouched crews`);
    assert.deepEqual(
      [next.plan.stats.unassigned, next.plan.stats.pairsWithoutCarrier],
      [draft.plan.stats.unassigned, draft.plan.stats.pairsWithoutCarrier],
    );
  });

  it('publishes a draft with who and when, and needs a reason to replace a published roster', async () => {
    const first = await call(server, 'POST', `/plans/${draft.id}/publish`, { token: planner, body: {} });
    assert.equal(first.status, 200);
    assert.equal(first.body.status, 'published');
    assert.equal(first.body.publishedBy, 'planner.bromley');
    assert.ok(Date.now() - Date.parse(first.body.publishedAt) < 60_000);

    const again = await call(server, 'POST', `/plans/${draft.id}/publish`, { token: planner, body: {} });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.id, 'plan_not_draft');

    const fresh = await settled((await call(server, 'POST', '/plans', { token: planner, body: oneDay })).body.id);
    const over = await call(server, 'POST', `/plans/${fresh.id}/publish`, {
      token: planner,
      body: { reason: 'a fresh build' },
    });
    assert.equal(over.status, 409);
    assert.equal(over.body.error.id, 'plan_already_published');
    assert.deepEqual(over.body.error.details, { published: draft.id });
    assert.match(over.body.error.message, new RegExp(`amend it instead \\(POST /plans/${draft.id}/amend\\)`));
    assert.equal((await call(server, 'GET', `/plans/${fresh.id}`, { token: planner })).body.status, 'draft');

    const second = (await call(server, 'POST', `/plans/${draft.id}/amend`, { token: planner, body: {} })).body;
    assert.equal(second.basedOn, draft.id);
    const noReason = await call(server, 'POST', `/plans/${second.id}/publish`, { token: planner, body: {} });
    assert.equal(noReason.status, 400);
    assert.equal(noReason.body.error.id, 'reason_required');
    const withReason = await call(server, 'POST', `/plans/${second.id}/publish`, {
      token: planner,
      body: { reason: 'PC sick at short notice' },
    });
    assert.equal(withReason.status, 200);
    assert.equal(withReason.body.publishReason, 'PC sick at short notice');
    const old = await call(server, 'GET', `/plans/${draft.id}`, { token: planner });
    assert.equal(old.body.status, 'superseded');
    assert.equal(old.body.supersededBy, second.id);
    const published = await call(server, 'GET', '/plans?status=published', { token: planner });
    assert.deepEqual(
      published.body.items.map((p: { id: string }) => p.id),
      [second.id],
    );
  });

  it('cancels a running solve', async () => {
    const started = await call(server, 'POST', '/plans', {
      token: planner,
      body: { unit: { level: 'borough', id: 'BROM' }, from: '2026-11-01', to: '2026-11-30' },
    });
    assert.equal(started.status, 202);
    const r = await call(server, 'POST', `/plans/${started.body.id}/cancel`, { token: planner });
    assert.equal(r.status, 200);
    assert.equal(r.body.status, 'cancelled');
    assert.equal(r.body.error.id, 'solve_cancelled');
    const later = await settled(started.body.id);
    assert.equal(later.status, 'cancelled');
    assert.equal(later.plan, null);
  });

  it('refuses a date range longer than 31 days and a range that ends before it starts', async () => {
    const long = await call(server, 'POST', '/plans', {
      token: planner,
      body: { unit: { level: 'borough', id: 'BROM' }, from: '2026-11-01', to: '2027-01-01' },
    });
    assert.equal(long.status, 400);
    assert.equal(long.body.error.id, 'validation_failed');
    const back = await call(server, 'POST', '/plans', {
      token: planner,
      body: { unit: { level: 'borough', id: 'BROM' }, from: '2026-11-05', to: '2026-11-01' },
    });
    assert.equal(back.status, 400);
  });

  it('publishes a draft once when two planners publish it at the same moment', async () => {
    const live = (await call(server, 'GET', '/plans?status=published', { token: planner })).body.items[0];
    const next = (await call(server, 'POST', `/plans/${live.id}/amend`, { token: planner, body: {} })).body;
    const body = { reason: 'two planners, one click each' };
    const replies = await Promise.all([
      call(server, 'POST', `/plans/${next.id}/publish`, { token: planner, body }),
      call(server, 'POST', `/plans/${next.id}/publish`, { token: planner, body }),
    ]);
    assert.deepEqual(replies.map((r) => r.status).sort(), [200, 409]);
    assert.equal(replies.find((r) => r.status === 409)!.body.error.id, 'plan_not_draft');
    assert.equal((await call(server, 'GET', `/plans/${next.id}`, { token: planner })).body.status, 'published');
  });

  it('marks a solve abandoned by a stopped server as failed, and leaves a recent one alone', async () => {
    const base = (await call(server, 'GET', `/plans/${draft.id}/scenario`, { token: planner })).body;
    const stored = (id: string, startedAt: Date) =>
      buildPlanRecord(id, { status: 'solving', startedAt, scenario: base });
    await crewPlanRepository.create(stored('abandoned-1', new Date(Date.now() - 11 * 60_000)));
    await crewPlanRepository.create(stored('recent-1', new Date()));
    const old = await call(server, 'GET', '/plans/abandoned-1', { token: planner });
    assert.equal(old.body.status, 'failed');
    assert.equal(old.body.error.id, 'interrupted_by_restart');
    assert.equal((await call(server, 'GET', '/plans/recent-1', { token: planner })).body.status, 'solving');
  });
});
