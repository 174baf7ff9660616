import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PlanSummaryPageSchema, CrewPlanViewSchema } from '../../shared/schemas/crew-plan.schema.js';
import { crewPlanRepository, type CrewPlanRecord } from '../../server/repositories/crew-plan.repository.js';
import { call, loginAs, startTestServer, stopOwnStore, type TestServer } from './helpers/test-server.js';

/** Issue 7 item 6: summaries-only paged list, deleting drafts, cancel of a long solve, progress. */
let server: TestServer;
let planner: string;
let admin: string;

before(async () => {
  server = await startTestServer();
  planner = await loginAs(server, 'planner.bromley');
  admin = await loginAs(server, 'admin');
});
after(async () => {
  await server.stop();
  await stopOwnStore();
});

async function settled(id: string, token = planner): Promise<any> {
  for (let i = 0; i < 1200; i++) {
    const r = await call(server, 'GET', `/plans/${id}`, { token });
    assert.equal(r.status, 200);
    if (r.body.status !== 'solving') return r.body;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error(`plan ${id} still solving`);
}

const oneDay = { unit: { level: 'borough', id: 'BROM' }, from: '2026-11-23', to: '2026-11-23' };

describe('plan housekeeping', () => {
  let draft: any;

  before(async () => {
    draft = await settled((await call(server, 'POST', '/plans', { token: planner, body: oneDay })).body.id);
    assert.equal(draft.status, 'draft');
  });

  it('shows a plan with its unit name, policy and headline figures, in the shared view schema', async () => {
    const r = await call(server, 'GET', `/plans/${draft.id}`, { token: planner });
    const v = CrewPlanViewSchema.parse(r.body);
    assert.equal(v.unitName, 'Bromley');
    assert.equal(v.policy, 'revised');
    assert.equal(v.createdBy, 'planner.bromley');
    assert.deepEqual(v.stats, {
      crews: draft.plan.stats.crews,
      pairs: draft.plan.stats.pairs,
      pairsWithoutCarrier: draft.plan.stats.pairsWithoutCarrier,
      unassigned: draft.plan.stats.unassigned,
      taserCrews: draft.plan.stats.taserCrews,
    });
    assert.equal('scenario' in r.body, false);
  });

  it('lists summaries only, paged, under 50 kB for 100 plans', async () => {
    const full = (await crewPlanRepository.get(draft.id))!;
    const copies: CrewPlanRecord[] = Array.from({ length: 100 }, (_, i) => ({
      ...full,
      id: `bulk-${String(i).padStart(3, '0')}`,
      startedAt: new Date(Date.parse('2026-01-01T00:00:00Z') + i * 60_000),
    }));
    await crewPlanRepository.insertMany(copies);
    const t0 = performance.now();
    const r = await call(server, 'GET', '/plans?pageSize=100', { token: planner });
    const ms = performance.now() - t0;
    assert.equal(r.status, 200);
    const page = PlanSummaryPageSchema.parse(r.body);
    assert.equal(page.items.length, 100);
    assert.equal(page.total, 101);
    const bytes = Buffer.byteLength(JSON.stringify(r.body));
    assert.ok(bytes < 50_000, `list of 100 plans is ${bytes} bytes`);
    console.log(`GET /plans?pageSize=100: ${bytes} bytes in ${ms.toFixed(0)} ms`);
    for (const item of r.body.items) {
      assert.equal('plan' in item, false);
      assert.equal('scenario' in item, false);
    }
    const first = r.body.items[0];
    assert.equal(first.id, draft.id, 'newest first');
    assert.equal(first.unitName, 'Bromley');
    assert.equal(first.policy, 'revised');
    assert.equal(first.stats.crews, draft.plan.stats.crews);
    const second = await call(server, 'GET', '/plans?page=2&pageSize=40', { token: planner });
    assert.deepEqual(
      second.body.items.map((p: { id: string }) => p.id),
      copies
        .map((c) => c.id)
        .reverse()
        .slice(39, 79),
    );
    for (const c of copies) await crewPlanRepository.remove(c.id);
  });

  it('deletes a draft (204), then it is gone', async () => {
    const other = await settled((await call(server, 'POST', '/plans', { token: planner, body: oneDay })).body.id);
    const del = await call(server, 'DELETE', `/plans/${other.id}`, { token: planner });
    assert.equal(del.status, 204);
    assert.equal((await call(server, 'GET', `/plans/${other.id}`, { token: planner })).status, 404);
  });

  it('keeps published and superseded plans for audit, and refuses to delete a solving plan', async () => {
    const pub = await call(server, 'POST', `/plans/${draft.id}/publish`, { token: planner, body: {} });
    assert.equal(pub.status, 200);
    const del = await call(server, 'DELETE', `/plans/${draft.id}`, { token: planner });
    assert.equal(del.status, 409);
    assert.equal(del.body.error.id, 'plan_kept_for_audit');

    const solving = await call(server, 'POST', '/plans', {
      token: planner,
      body: { unit: { level: 'borough', id: 'BROM' }, from: '2026-11-01', to: '2026-11-28' },
    });
    const refused = await call(server, 'DELETE', `/plans/${solving.body.id}`, { token: planner });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.id, 'plan_solving');
    const cancelled = await call(server, 'POST', `/plans/${solving.body.id}/cancel`, { token: planner });
    assert.equal(cancelled.status, 200);
    assert.equal((await call(server, 'DELETE', `/plans/${solving.body.id}`, { token: planner })).status, 204);
  });

  it('cancels a 28-day BCU solve while it runs: the worker stops, the plan ends cancelled, the next solve runs', async () => {
    const started = await call(server, 'POST', '/plans', {
      token: admin,
      body: { unit: { level: 'bcu', id: 'SN' }, from: '2026-11-01', to: '2026-11-28' },
    });
    assert.equal(started.status, 202);
    assert.equal(started.body.progress.phase, 'queued');
    // wait until the worker reports it is modelling or solving
    let progress: any = null;
    for (let i = 0; i < 600 && !(progress && progress.phase !== 'queued'); i++) {
      const r = await call(server, 'GET', `/plans/${started.body.id}`, { token: admin });
      assert.equal(r.body.status, 'solving', 'still solving when the test cancels it');
      progress = r.body.progress;
      await new Promise((ok) => setTimeout(ok, 50));
    }
    assert.ok(['modelling', 'solving'].includes(progress.phase), JSON.stringify(progress));
    assert.ok(progress.shiftsTotal > 100, JSON.stringify(progress));
    assert.ok(progress.componentsTotal >= 1, JSON.stringify(progress));
    const r = await call(server, 'POST', `/plans/${started.body.id}/cancel`, { token: admin });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.status, 'cancelled');
    assert.equal(r.body.error.id, 'solve_cancelled');
    await new Promise((ok) => setTimeout(ok, 1000));
    const later = await call(server, 'GET', `/plans/${started.body.id}`, { token: admin });
    assert.equal(later.body.status, 'cancelled');
    assert.equal(later.body.plan, null);
    // a fresh worker takes the next solve at once
    const t0 = Date.now();
    const next = await settled((await call(server, 'POST', '/plans', { token: planner, body: oneDay })).body.id);
    assert.equal(next.status, 'draft');
    assert.ok(Date.now() - t0 < 30_000);
    const again = await call(server, 'POST', `/plans/${started.body.id}/cancel`, { token: admin });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.id, 'plan_not_solving');
  });
});
