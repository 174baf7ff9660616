import { preferBaselineWasm } from '../server/solver/cp-sat.js';
import { generateScenario, type GeneratorOptions } from '../server/solver/demo/generator.js';

// Same WebAssembly tier as the solve command (see server/solver/cp-sat.ts); BENCH_TIERUP=1 to compare.
if (process.env.BENCH_TIERUP !== '1') preferBaselineWasm();
const { solveScenario, validateScenario } = await import('../server/solver/solve.js');
const { greedyBaseline } = await import('../server/solver/demo/greedy.js');

/** The benchmark cases of issue 3; sizes from DESIGN.md section 7. */
export const BENCH_CASES: Record<string, GeneratorOptions> = {
  'bcu-shift': {
    seed: 11,
    stations: 1,
    startDate: '2026-03-28',
    days: 1,
    shiftCodes: ['L'],
    officersPerShift: 130,
    devicesPerStation: 52,
  },
  'bcu-day': {
    seed: 12,
    stations: 3,
    stationsPerBorough: 1,
    startDate: '2026-03-28',
    days: 1,
    officersPerShift: 45,
    devicesPerStation: 20,
  },
  'force-day': {
    seed: 13,
    stations: 32,
    stationsPerBorough: 1,
    startDate: '2026-03-28',
    days: 1,
    officersPerShift: 45,
    devicesPerStation: 22,
  },
  'bcu-28-days': {
    seed: 14,
    stations: 3,
    stationsPerBorough: 1,
    startDate: '2026-03-16',
    days: 28,
    officersPerShift: 45,
    devicesPerStation: 20,
  },
};

const only = process.argv.slice(2);
for (const [name, opts] of Object.entries(BENCH_CASES)) {
  if (only.length > 0 && !only.includes(name)) continue;
  const scenario = validateScenario(generateScenario(opts));
  const t0 = performance.now();
  const plan = await solveScenario(scenario, { timeLimitSeconds: 120 });
  const ms = Math.round(performance.now() - t0);
  const greedy = greedyBaseline(scenario);
  const officerShifts = scenario.officers.reduce((s, o) => s + o.shifts.length, 0);
  console.log(
    JSON.stringify({
      case: name,
      officers: scenario.officers.filter((o) => o.shifts.length > 0).length,
      officerShifts,
      shifts: scenario.shifts.length,
      devices: scenario.devices.length,
      status: plan.status,
      levels1to3: plan.optimality?.levels1to3,
      ms,
      pairsWithoutCarrier: plan.stats.pairsWithoutCarrier,
      unassigned: plan.stats.unassigned,
      singles: plan.stats.singles,
      greedy: {
        pairsWithoutCarrier: greedy.pairsWithoutCarrier,
        unassigned: greedy.unassigned,
        singles: greedy.singles,
      },
    }),
  );
}
// Issue 10: the refresher planner on a BCU (≈500 authorised officers due within 12 months, 2 course days a
// week × 12 places), in this thread as the worker would run it.
if (only.length === 0 || only.includes('bcu-refreshers')) {
  const { refresherBenchInput } = await import('../server/solver/demo/refresher-case.js');
  const { buildRefresherProblem } = await import('../server/solver/refresher-problem.js');
  const { solveRefreshers } = await import('../server/solver/refresher.js');
  const t0 = performance.now();
  const input = refresherBenchInput();
  const build = buildRefresherProblem(input);
  const buildMs = Math.round(performance.now() - t0);
  const sol = await solveRefreshers(build.problem, { timeLimitSeconds: 60, relativeGapLimit: 0.01 });
  console.log(
    JSON.stringify({
      case: 'bcu-refreshers',
      authorised: input.officers.filter((o) => o.taser).length,
      due: build.due.length,
      sites: input.sites.length,
      courseDays: build.dates.length,
      slots: build.slots.length,
      places: build.problem.places.reduce((s, n) => s + n, 0),
      candidates: build.problem.officers.reduce((s, o) => s + o.cands.length, 0),
      status: sol.status,
      objective: sol.objective,
      bound: sol.bound,
      gap: sol.gap,
      levels: sol.levels,
      buildMs,
      ms: Math.round(sol.ms),
    }),
  );
}
process.exit(0);
