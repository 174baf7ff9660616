import assert from 'node:assert/strict';
import { buildPlanRecord } from '../factories/plan-record.factory.js';
import { after, before, describe, it } from 'node:test';
import { crewPlanRepository, type CrewPlanRecord } from '../../server/repositories/crew-plan.repository.js';
import { eventually } from './helpers/live-client.js';
import { startRedis, type RedisServer } from './helpers/redis.js';
import { spawnBeside, type Instance } from './helpers/spawn-instance.js';
import { call, loginAs, startTestServer, stopOwnStore, TEST_NOW, type TestServer } from './helpers/test-server.js';

/**
 * Issue 8: plan lists are served from an in-memory table of summaries, kept current on every plan write
 * through the repository here and, through the live channel, on another instance.
 */
let redis: RedisServer;
let a: TestServer;
let b: Instance;
let admin: string;
let planner: string;

before(async () => {
  redis = await startRedis();
  a = await startTestServer({ clock: () => TEST_NOW, env: { REDIS_URL: redis.url } });
  b = await spawnBeside(a, redis.url, TEST_NOW);
  admin = await loginAs(a, 'admin');
  planner = await loginAs(a, 'planner.bromley');
});
after(async () => {
  await b?.stop();
  await a?.stop();
  await redis?.stop();
  await stopOwnStore();
});

const PLACES = [
  { unit: { level: 'station', id: 'BR' }, bcu: 'SN', borough: 'BROM', station: 'BR' },
  { unit: { level: 'station', id: 'CR' }, bcu: 'SN', borough: 'CROY', station: 'CR' },
  { unit: { level: 'borough', id: 'BROM' }, bcu: 'SN', borough: 'BROM' },
  { unit: { level: 'bcu', id: 'SN' }, bcu: 'SN' },
] as const;
const STATUSES = ['draft', 'published', 'superseded', 'cancelled', 'solving'] as const;

const record = (n: number, over: Partial<CrewPlanRecord> = {}): CrewPlanRecord => {
  const place = PLACES[n % PLACES.length]!;
  const r = buildPlanRecord(`sum-${String(n).padStart(3, '0')}`, {
    ...place,
    unit: { ...place.unit },
    status: STATUSES[n % STATUSES.length]!,
    // Every third plan shares its start with the one before: ties are ordered by id.
    startedAt: new Date(TEST_NOW.getTime() - Math.floor(n / 3) * 60_000),
    policyName: 'revised',
    stats: null,
    ...over,
  });
  // A BCU plan has no borough.
  if (!('borough' in place)) delete r.borough;
  return r;
};

const ids = (r: { body: { items: { id: string }[] } }) => r.body.items.map((p) => p.id);
const list = async (server: { url: string }, query: string, token = admin) => {
  const r = await call(server, 'GET', `/plans?${query}`, { token });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r as { status: number; body: { items: { id: string; status: string }[]; total: number } };
};

describe('plan lists from the in-memory summary table', () => {
  it('pages, filters and orders exactly as the store does (newest first, ties by id)', async () => {
    await crewPlanRepository.insertMany(Array.from({ length: 40 }, (_, n) => record(n)));
    const cases: [string, Record<string, string>, number, number][] = [
      ['pageSize=20', {}, 1, 20],
      ['pageSize=7&page=3', {}, 3, 7],
      ['pageSize=10&status=published', { status: 'published' }, 1, 10],
      ['pageSize=5&page=2&borough=BROM', { borough: 'BROM' }, 2, 5],
      ['pageSize=50&station=CR&status=superseded', { station: 'CR', status: 'superseded' }, 1, 50],
      ['pageSize=20&page=99', {}, 99, 20],
    ];
    for (const [query, filter, page, pageSize] of cases) {
      const fromStore = await crewPlanRepository.summaries({ force: 'MPS', ...filter }, page, pageSize);
      const r = await list(a, query);
      assert.deepEqual(
        ids(r),
        fromStore.items.map((p) => p.id),
        query,
      );
      assert.equal(r.body.total, fromStore.total, query);
    }
    const first = await list(a, 'pageSize=4');
    // sum-000..002 share the newest start: by id.
    assert.deepEqual(ids(first), ['sum-000', 'sum-001', 'sum-002', 'sum-003']);
    const scoped = await list(a, 'pageSize=100', planner);
    const bromley = await crewPlanRepository.summaries({ borough: 'BROM' }, 1, 100);
    assert.deepEqual(
      ids(scoped),
      bromley.items.map((p) => p.id),
    );
    assert.equal(scoped.body.total, 20);
  });

  it('shows a create, a status change, progress and a delete on the next list of this instance', async () => {
    const before = (await list(a, 'pageSize=1')).body.total;
    await crewPlanRepository.insertMany([
      record(900, { id: 'sum-new', status: 'solving', startedAt: new Date(TEST_NOW.getTime() + 60_000) }),
    ]);
    let r = await list(a, 'pageSize=1');
    assert.deepEqual(ids(r), ['sum-new']);
    assert.equal(r.body.total, before + 1);

    const progress = { phase: 'solving', componentsDone: 2, componentsTotal: 5, shiftsDone: 3, shiftsTotal: 9 };
    assert.equal(await crewPlanRepository.setProgress('sum-new', progress), true);
    r = await list(a, 'pageSize=1');
    assert.deepEqual((r.body.items[0] as { progress?: unknown }).progress, progress);

    await crewPlanRepository.update('sum-new', { status: 'published', progress: null });
    r = await list(a, 'pageSize=1&status=published');
    assert.deepEqual(ids(r), ['sum-new']);
    assert.equal(r.body.items[0]!.status, 'published');

    assert.equal(await crewPlanRepository.remove('sum-new'), true);
    r = await list(a, 'pageSize=1');
    assert.notDeepEqual(ids(r), ['sum-new']);
    assert.equal(r.body.total, before);
  });

  it("shows another instance's writes: a plan created, changed and deleted through A is listed so on B", async () => {
    const onB = async (query: string) => list(b, query);
    const before = (await onB('pageSize=1')).body.total;
    await crewPlanRepository.insertMany([
      record(901, { id: 'sum-remote', status: 'draft', startedAt: new Date(TEST_NOW.getTime() + 120_000) }),
    ]);
    await eventually(async () => ids(await onB('pageSize=1'))[0] === 'sum-remote');
    assert.equal((await onB('pageSize=1')).body.total, before + 1);

    await crewPlanRepository.update('sum-remote', { status: 'cancelled' });
    await eventually(async () => (await onB('pageSize=1')).body.items[0]!.status === 'cancelled');

    await crewPlanRepository.remove('sum-remote');
    await eventually(async () => (await onB('pageSize=1')).body.total === before);
    assert.notDeepEqual(ids(await onB('pageSize=1')), ['sum-remote']);
  });
});
