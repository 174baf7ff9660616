// `npm run bench:plans`: plan reads with many plans stored (issue 8). Starts the app on a fresh embedded
// store, seeds the BCU demo, stores BENCH_PLANS (default 1,000) plans with real-shaped bodies (scenarios
// built from the seeded force, crews paired per shift): station days, borough weeks and some 28-day BCU
// plans. Then measures plan reads over HTTP with a real token and prints one JSON line: p50/p95/max (ms)
// per request over BENCH_SAMPLES (default 30) samples after a warm-up.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { PlanUnit } from '../shared/schemas/crew-plan.schema.js';
import type { Plan } from '../shared/schemas/plan.schema.js';
import type { Policy, Scenario } from '../shared/schemas/scenario.schema.js';
import { LONDON } from '../shared/time/zone.js';
import { loadEnv } from '../server/config/env.js';
import { startEmbeddedStore } from '../server/db/embedded-store.js';
import { seedDemo } from '../server/db/seed.js';
import { setLogLevel } from '../server/logger.js';
import { crewPlanRepository, type CrewPlanRecord } from '../server/repositories/crew-plan.repository.js';
import { repositories } from '../server/repositories/index.js';
import { buildScenario } from '../server/services/scenario-builder.service.js';
import { headlineOf } from '../server/services/crew-plan.service.js';
import { startServer } from '../server/server.js';
import { validateScenario } from '../server/solver/solve.js';
import { call, loginAs, TEST_NOW } from '../tests/integration/helpers/test-server.js';

const TOTAL = Number(process.env.BENCH_PLANS ?? 1000);
const SAMPLES = Math.max(5, Number(process.env.BENCH_SAMPLES ?? 30));

setLogLevel('error');
const dir = mkdtempSync(join(tmpdir(), 'taser-bench-plans-'));
const store = await startEmbeddedStore(dir);
const env = loadEnv({
  PORT: '0',
  HOST: '127.0.0.1',
  MONGODB_URI: store.uri,
  DB_NAME: 'bench_plans',
  SEED_DEMO: '0',
  LOG_LEVEL: 'error',
  JWT_SECRET: 'bench-secret-bench-secret-bench',
  COVER_SWEEP_SECONDS: '0',
});
const server = await startServer(env, { clock: () => TEST_NOW });
await seedDemo({ scale: 'bcu', now: TEST_NOW });
const admin = await loginAs(server, 'admin');
const planner = await loginAs(server, 'planner.bromley');
const settings = await call(server, 'GET', '/force-settings', { token: admin });
const policy = (settings.body as { policy: Policy }).policy;

/** A plan as a solver might give it: per shift, officers paired in list order, the first of each pair carrying. */
function pairUp(scenario: Scenario): Plan {
  const onShift = new Map<string, Scenario['officers']>();
  for (const o of scenario.officers) for (const s of o.shifts) onShift.set(s, [...(onShift.get(s) ?? []), o]);
  const crews: Plan['crews'] = [];
  const unassigned: Plan['unassigned'] = [];
  let carriers = 0;
  for (const sh of scenario.shifts) {
    const officers = onShift.get(sh.id) ?? [];
    const devices = scenario.devices.filter((d) => d.station === sh.station && d.serviceable);
    for (let i = 0; i + 1 < officers.length; i += 2) {
      const device = devices[i / 2];
      if (device) carriers++;
      crews.push({
        shift: sh.id,
        members: [officers[i]!.id, officers[i + 1]!.id],
        carriers: device ? [{ officer: officers[i]!.id, device: device.serial }] : [],
      });
    }
    if (officers.length % 2) unassigned.push({ shift: sh.id, officer: officers.at(-1)!.id, reason: 'No partner.' });
  }
  return {
    version: 1,
    status: 'FEASIBLE',
    crews,
    unassigned,
    stats: {
      crews: crews.length,
      pairs: crews.length,
      singles: 0,
      pairsWithoutCarrier: crews.length - carriers,
      taserCrews: carriers,
      devicesUsed: carriers,
      unassigned: unassigned.length,
      solveMs: 1234,
    },
    explanations: unassigned.slice(0, 20).map((u) => ({
      shift: u.shift,
      cause: 'officers_unassigned',
      message: `Officer ${u.officer} has no partner on ${u.shift}.`,
      numbers: { unassigned: 1 },
      suggestions: [],
    })),
  };
}

type Template = { unit: PlanUnit; from: string; to: string; scenario: Scenario; plan: Plan };
const template = async (unit: PlanUnit, from: string, days: number): Promise<Template> => {
  const to = DateTime.fromISO(from, { zone: LONDON })
    .plus({ days: days - 1 })
    .toISODate()!;
  const scenario = validateScenario(await buildScenario(repositories, 'MPS', unit, from, to, policy));
  return { unit, from, to, scenario, plan: pairUp(scenario) };
};
const t0 = performance.now();
const stationDays: Template[] = [];
for (const [i, st] of ['BR', 'OR', 'CR', 'SU'].entries())
  for (const d of [0, 3]) stationDays.push(await template({ level: 'station', id: st }, `2026-11-${23 + d + i}`, 1));
const boroughWeeks = [
  await template({ level: 'borough', id: 'BROM' }, '2026-11-23', 7),
  await template({ level: 'borough', id: 'CROY' }, '2026-11-30', 7),
];
const bcuMonth = await template({ level: 'bcu', id: 'SN' }, '2026-11-23', 28);

const placeOf = (unit: PlanUnit): Pick<CrewPlanRecord, 'bcu' | 'borough' | 'station'> => {
  if (unit.level === 'bcu') return { bcu: unit.id };
  if (unit.level === 'borough') return { bcu: 'SN', borough: unit.id };
  const borough = { BR: 'BROM', OR: 'BROM', CR: 'CROY', SU: 'SUTT' }[unit.id]!;
  return { bcu: 'SN', borough, station: unit.id };
};
const STATUSES = ['superseded', 'superseded', 'published', 'draft', 'cancelled'] as const;
const records: CrewPlanRecord[] = [];
for (let n = 0; n < TOTAL; n++) {
  // About 3% 28-day BCU plans, 17% borough weeks, the rest station days; the oldest first.
  const t = n % 33 === 5 ? bcuMonth : n % 6 === 1 ? boroughWeeks[n % 2]! : stationDays[n % stationDays.length]!;
  const id = `bench-${String(n).padStart(5, '0')}`;
  records.push({
    id,
    force: 'MPS',
    ...placeOf(t.unit),
    unit: t.unit,
    from: t.from,
    to: t.to,
    status: STATUSES[n % STATUSES.length]!,
    startedAt: new Date(TEST_NOW.getTime() - (TOTAL - n) * 3_600_000),
    progress: null,
    error: null,
    scenario: t.scenario,
    plan: t.plan,
    locks: [],
    basedOn: null,
    createdBy: 'planner.bromley',
    publishedBy: null,
    publishedAt: null,
    publishReason: null,
    revision: n % 3,
    policyName: t.scenario.policy.name,
    stats: headlineOf(t.plan),
    amends: null,
    amendment: null,
    dropped: [],
  });
}
for (let i = 0; i < records.length; i += 25) await crewPlanRepository.insertMany(records.slice(i, i + 25));
const seedMs = Math.round(performance.now() - t0);
process.stderr.write(`stored ${TOTAL} plans in ${seedMs} ms\n`);

const newest = records.at(-1)!.id;
const oldest = records[0]!.id;
const oldBcu = records.find((r) => r.unit.level === 'bcu')!.id;
const newBcu = [...records].reverse().find((r) => r.unit.level === 'bcu')!.id;
const lastPage = Math.ceil(TOTAL / 20);

const REQUESTS: [string, string, string][] = [
  ['list_first_page', '/plans?pageSize=20', admin],
  ['list_count_pageSize1', '/plans?pageSize=1', admin],
  ['list_filtered', '/plans?pageSize=20&status=published&borough=BROM', admin],
  ['list_scoped_planner', '/plans?pageSize=20', planner],
  ['list_late_page', `/plans?pageSize=20&page=${lastPage - 1}`, admin],
  ['get_newest', `/plans/${newest}`, admin],
  ['get_oldest', `/plans/${oldest}`, admin],
  ['get_bcu_28_days', `/plans/${newBcu}`, admin],
  ['roster_bcu_28_days', `/plans/${newBcu}/roster`, admin],
  ['roster_bcu_28_days_old', `/plans/${oldBcu}/roster`, admin],
];

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((xs.length - 1) * p))]!;
const results: Record<string, { p50: number; p95: number; max: number; bytes: number }> = {};
const ONLY = process.env.BENCH_ONLY?.split(',');
for (const [name, path, token] of REQUESTS) {
  if (ONLY && !ONLY.includes(name)) continue;
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < SAMPLES + 3; i++) {
    const t = performance.now();
    const res = await fetch(`${server.url}/api${path}`, { headers: { authorization: `Bearer ${token}` } });
    const text = await res.text();
    const ms = performance.now() - t;
    if (res.status !== 200) throw new Error(`${name}: ${res.status} ${text.slice(0, 200)}`);
    bytes = text.length;
    if (i >= 3) times.push(ms);
  }
  times.sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 10) / 10;
  results[name] = { p50: r(pct(times, 0.5)), p95: r(pct(times, 0.95)), max: r(times.at(-1)!), bytes };
  process.stderr.write(`${name} ${JSON.stringify(results[name])}\n`);
}

process.stdout.write(
  `${JSON.stringify({
    bench: 'plans',
    plans: TOTAL,
    samples: SAMPLES,
    seedMs,
    bodies: {
      stationDay: JSON.stringify({ s: stationDays[0]!.scenario, p: stationDays[0]!.plan }).length,
      boroughWeek: JSON.stringify({ s: boroughWeeks[0]!.scenario, p: boroughWeeks[0]!.plan }).length,
      bcu28Days: JSON.stringify({ s: bcuMonth.scenario, p: bcuMonth.plan }).length,
      bcu28DaysCrews: bcuMonth.plan.crews.length,
    },
    results,
  })}\n`,
);
await server.close();
await store.stop();
rmSync(dir, { recursive: true, force: true });
process.exit(0);
