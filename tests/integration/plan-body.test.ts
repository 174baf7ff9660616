import assert from 'node:assert/strict';
import { buildPlanRecord } from '../factories/plan-record.factory.js';
import { describe, it } from 'node:test';
import { CrewPlanBodyModel, CrewPlanModel } from '../../server/models/crew-plan.model.js';
import { packJson } from '../../server/db/packed-json.js';
import { bodyCache, crewPlanRepository, type CrewPlanRecord } from '../../server/repositories/crew-plan.repository.js';
import { useTestServer } from './helpers/test-server.js';

/** Issue 8: a plan's scenario and plan are stored packed (gzipped JSON) and read back exactly. */
const server = useTestServer({ seed: false });

const scenario = {
  version: 1,
  policy: { name: 'revised', authorisationMonths: 12 },
  shifts: [{ id: 'BR-2026-11-23-E', station: 'BR', start: '2026-11-23T07:00:00Z', end: '2026-11-23T17:00:00Z' }],
  officers: [
    { id: 'PC1', name: 'Ann Žąk', shifts: ['BR-2026-11-23-E'], note: 'ünïcødé – “quotes”' },
    { id: 'PC2', name: 'Bo', shifts: ['BR-2026-11-23-E'], nested: { deep: [1, 2.5, null, true, { x: '' }] } },
  ],
  devices: [{ serial: 'T7-0001', station: 'BR', serviceable: true }],
};
const plan = {
  version: 1,
  status: 'OPTIMAL',
  crews: [{ shift: 'BR-2026-11-23-E', members: ['PC1', 'PC2'], carriers: [{ officer: 'PC1', device: 'T7-0001' }] }],
  unassigned: [],
  stats: {
    crews: 1,
    pairs: 1,
    singles: 0,
    pairsWithoutCarrier: 0,
    taserCrews: 1,
    devicesUsed: 1,
    unassigned: 0,
    solveMs: 7,
  },
  explanations: [{ shift: 'BR-2026-11-23-E', cause: 'too_few_devices', message: 'm', numbers: {}, suggestions: [] }],
};

const record = (id: string, over: Partial<CrewPlanRecord> = {}): CrewPlanRecord =>
  buildPlanRecord(id, { station: 'BR', unit: { level: 'station', id: 'BR' }, scenario, plan, ...over });

const rawBody = async (id: string) =>
  CrewPlanBodyModel.collection.findOne({ id }) as Promise<Record<string, unknown> | null>;

describe('plan bodies in the store', () => {
  it('stores the scenario and plan packed, never as documents, and reads them back unchanged', async () => {
    assert.ok(server());
    await crewPlanRepository.insertMany([record('body-1')]);
    const raw = await rawBody('body-1');
    assert.equal(raw?.scenario, null);
    assert.equal(raw?.plan, null);
    assert.equal(raw?.scenarioZ?.constructor.name, 'Binary');
    assert.equal(raw?.planZ?.constructor.name, 'Binary');
    const small = await CrewPlanModel.collection.findOne({ id: 'body-1' });
    assert.equal(small?.scenario, null);
    assert.equal(small?.plan, null);
    const back = await crewPlanRepository.get('body-1');
    assert.deepEqual(back?.scenario, scenario);
    assert.deepEqual(back?.plan, plan);
  });

  it('packs a plan written by an update and keeps a null plan null', async () => {
    await crewPlanRepository.insertMany([record('body-2', { status: 'solving', plan: null })]);
    assert.equal((await crewPlanRepository.get('body-2'))?.plan, null);
    assert.equal((await rawBody('body-2'))?.planZ, null);
    const changed = { ...plan, crews: [{ ...plan.crews[0]!, locked: true }] };
    const updated = await crewPlanRepository.update('body-2', { status: 'draft', plan: changed });
    assert.deepEqual(updated?.plan, changed);
    assert.deepEqual((await crewPlanRepository.get('body-2'))?.plan, changed);
    assert.deepEqual((await crewPlanRepository.get('body-2'))?.scenario, scenario);
  });

  it('leaves out what a read hides, to the level of a part of the scenario', async () => {
    await crewPlanRepository.insertMany([record('body-3')]);
    const light = await crewPlanRepository.get('body-3', { scenario: 0, 'plan.explanations': 0 });
    assert.equal(light?.scenario, undefined);
    assert.deepEqual(Object.keys(light?.plan as object).sort(), ['crews', 'stats', 'status', 'unassigned', 'version']);
    const part = await crewPlanRepository.get('body-3', { 'scenario.officers': 0, 'scenario.devices': 0 });
    assert.deepEqual(Object.keys(part?.scenario as object).sort(), ['policy', 'shifts', 'version']);
    // The next read gets the whole of it again.
    assert.deepEqual((await crewPlanRepository.get('body-3'))?.scenario, scenario);
  });

  it('still reads a body stored unpacked by an older version, and packs it when it is next written', async () => {
    await crewPlanRepository.insertMany([record('body-4')]);
    await CrewPlanBodyModel.collection.updateOne(
      { id: 'body-4' },
      { $set: { scenario, plan }, $unset: { scenarioZ: '', planZ: '' } },
    );
    const old = await crewPlanRepository.get('body-4');
    assert.deepEqual(old?.scenario, scenario);
    assert.deepEqual(old?.plan, plan);
    await crewPlanRepository.update('body-4', { plan: { ...plan, status: 'FEASIBLE' } });
    const raw = await rawBody('body-4');
    assert.equal(raw?.plan, null);
    assert.equal(raw?.planZ?.constructor.name, 'Binary');
    assert.deepEqual(raw?.scenario, scenario);
    const now = await crewPlanRepository.get('body-4');
    assert.equal((now?.plan as { status: string }).status, 'FEASIBLE');
    assert.deepEqual(now?.scenario, scenario);
  });
});

describe('the cache of unpacked plan bodies', () => {
  it('serves a body written elsewhere (another instance) at once, never the cached older one', async () => {
    bodyCache.clear();
    await crewPlanRepository.insertMany([record('cache-1')]);
    assert.deepEqual((await crewPlanRepository.get('cache-1'))?.plan, plan);
    assert.equal(bodyCache.entries.has('cache-1'), true);
    // Each read gets its own copy: changing one never changes the next.
    const first = (await crewPlanRepository.get('cache-1'))!;
    (first.plan as { crews: unknown[] }).crews.length = 0;
    assert.deepEqual((await crewPlanRepository.get('cache-1'))?.plan, plan);
    // Another instance writes the body and the plan document straight to the store (not through this cache).
    const other = { ...plan, status: 'FEASIBLE' };
    await CrewPlanBodyModel.collection.updateOne(
      { id: 'cache-1' },
      { $set: { v: 'other-v', planZ: await packJson(other) } },
    );
    await CrewPlanModel.collection.updateOne({ id: 'cache-1' }, { $set: { bodyV: 'other-v' } });
    assert.deepEqual((await crewPlanRepository.get('cache-1'))?.plan, other);
    assert.equal(bodyCache.entries.get('cache-1')?.v, 'other-v');
    assert.equal('bodyV' in (await crewPlanRepository.get('cache-1'))!, false);
  });

  it('keeps at most maxEntries bodies, dropping the least recently used', async () => {
    bodyCache.clear();
    const max = bodyCache.maxEntries;
    bodyCache.maxEntries = 2;
    try {
      await crewPlanRepository.insertMany([record('lru-1'), record('lru-2'), record('lru-3')]);
      await crewPlanRepository.get('lru-1');
      await crewPlanRepository.get('lru-2');
      await crewPlanRepository.get('lru-1');
      await crewPlanRepository.get('lru-3');
      assert.deepEqual([...bodyCache.entries.keys()], ['lru-1', 'lru-3']);
    } finally {
      bodyCache.maxEntries = max;
    }
  });
});

describe('plan documents keyed by the plan id', () => {
  it('stores a plan and its body under `_id` = the plan id, and still reads a plan of an older store (ObjectId `_id`)', async () => {
    await crewPlanRepository.insertMany([record('key-1')]);
    assert.equal((await CrewPlanModel.collection.findOne({ id: 'key-1' }))?._id, 'key-1');
    assert.equal((await CrewPlanBodyModel.collection.findOne({ id: 'key-1' }))?._id, 'key-1');
    const { _id: _a, ...small } = (await CrewPlanModel.collection.findOne({ id: 'key-1' }))!;
    const { _id: _b, ...body } = (await CrewPlanBodyModel.collection.findOne({ id: 'key-1' }))!;
    await CrewPlanModel.collection.insertOne({ ...small, id: 'old-1', bodyV: null });
    await CrewPlanBodyModel.collection.insertOne({ ...body, id: 'old-1' });
    const old = await crewPlanRepository.get('old-1');
    assert.equal(old?.id, 'old-1');
    assert.deepEqual(old?.plan, plan);
    assert.equal(await crewPlanRepository.get('none-such'), null);
  });
});
