import { preferBaselineWasm } from '../../server/solver/cp-sat.js';
preferBaselineWasm();
import { generateScenario } from '../../server/solver/demo/generator.js';
import { solveScenario, validateScenario } from '../../server/solver/solve.js';
let total = 0;
for (const [seed, policy, stations, days] of [[1,'revised',3,1],[2,'legacy',3,1],[3,'revised',2,2],[4,'legacy',2,2]] as const) {
  const sc = validateScenario(generateScenario({ seed, stations, stationsPerBorough: 3, startDate: '2026-10-24', days, officersPerShift: 14, devicesPerStation: 5, policy }));
  const t0 = performance.now();
  const plan = await solveScenario(sc);
  const n = plan.explanations!.reduce((s, e) => s + e.suggestions.length, 0);
  total += n;
  console.log(seed, policy, sc.shifts.length, plan.explanations!.length, n, Math.round(performance.now() - t0), plan.explanations!.map(e=>e.cause).join(','));
}
console.log(total);
