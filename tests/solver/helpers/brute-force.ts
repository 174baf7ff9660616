/**
 * Exhaustive optimum of objective levels (1)-(3) for a one-shift scenario with a handful of
 * officers: tries every partition into crews and every carrier/model choice. Independent of the
 * solver; eligibility comes from the independent checker.
 */
import type { ScenarioInput } from '../../../shared/schemas/scenario.schema.js';
import { independentEligible } from './plan-checker.js';

export type Figures = { unassigned: number; level2: number; singles: number };

export function bruteForceOptimum(scenario: ScenarioInput): Figures {
  if (scenario.shifts.length !== 1) throw new Error('one shift only');
  const sh = scenario.shifts[0]!;
  const endMs = Date.parse(sh.end);
  const legacy = scenario.policy.name === 'legacy';
  const singleRanks = new Set(scenario.policy.singleCrewRanks ?? ['SGT', 'INSP']);
  const officers = scenario.officers.filter((o) => o.shifts.includes(sh.id));
  const stock = new Map<string, number>();
  for (const d of scenario.devices)
    if (d.station === sh.station && d.serviceable) stock.set(d.model, (stock.get(d.model) ?? 0) + 1);
  const models = officers.map((o) =>
    independentEligible(o, scenario, endMs) ? (o.taser?.models ?? []).filter((m) => (stock.get(m) ?? 0) > 0) : [],
  );
  const student = officers.map((o) => o.kind === 'student');
  const maySingle = officers.map((o, i) => !student[i] && singleRanks.has(o.rank));

  let best: [number, number, number] = [Infinity, Infinity, Infinity];
  const better = (a: [number, number, number], b: [number, number, number]): boolean =>
    a[0] !== b[0] ? a[0] < b[0] : a[1] !== b[1] ? a[1] < b[1] : a[2] < b[2];
  const placed = new Array<boolean>(officers.length).fill(false);
  // level2: revised = pairs without a carrier; legacy = -(pairs in which both carry).
  const carryOptions = (i: number): (string | null)[] => [null, ...models[i]!];
  const take = (m: string | null): boolean => {
    if (m === null) return true;
    const n = stock.get(m) ?? 0;
    if (n <= 0) return false;
    stock.set(m, n - 1);
    return true;
  };
  const give = (m: string | null): void => {
    if (m !== null) stock.set(m, stock.get(m)! + 1);
  };
  const rec = (u: number, l2: number, s: number): void => {
    const i = placed.indexOf(false);
    if (i < 0) {
      const cand: [number, number, number] = [u, l2, s];
      if (better(cand, best)) best = cand;
      return;
    }
    placed[i] = true;
    rec(u + 1, l2, s);
    if (maySingle[i]) {
      for (const m of carryOptions(i)) {
        if (legacy && m !== null) continue;
        if (!take(m)) continue;
        rec(u, l2, s + 1);
        give(m);
      }
    }
    for (let j = i + 1; j < officers.length; j++) {
      if (placed[j] || (student[i] && student[j])) continue;
      placed[j] = true;
      for (const a of carryOptions(i)) {
        if (!take(a)) continue;
        for (const b of carryOptions(j)) {
          const carriers = Number(a !== null) + Number(b !== null);
          if (legacy && carriers === 1) continue;
          if (!take(b)) continue;
          const delta = legacy ? (carriers === 2 ? -1 : 0) : carriers === 0 ? 1 : 0;
          rec(u, l2 + delta, s);
          give(b);
        }
        give(a);
      }
      placed[j] = false;
    }
    placed[i] = false;
  };
  rec(0, 0, 0);
  return { unassigned: best[0], level2: best[1], singles: best[2] };
}
