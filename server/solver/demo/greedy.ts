import { mayCarryModel } from '../../../shared/rules/eligibility.js';
import { intervalsOverlap } from '../../../shared/rules/shift-overlap.js';
import type { Scenario } from '../../../shared/schemas/scenario.schema.js';

export type GreedyResult = { pairs: number; singles: number; pairsWithoutCarrier: number; unassigned: number };

/**
 * The benchmark's baseline, as a duty sergeant might crew by hand (revised policy): go down the list
 * handing each eligible officer a free device of a model they are trained on; pair each carrier with
 * the next non-carrier (a student only with an experienced carrier); pair the remaining officers in
 * list order (never two students); leftovers single-crew if their rank allows, else unassigned.
 */
export function greedyBaseline(scenario: Scenario): GreedyResult {
  const shifts = [...scenario.shifts]
    .map((s) => ({ ...s, startMs: Date.parse(s.start), endMs: Date.parse(s.end) }))
    .sort((a, b) => a.startMs - b.startMs);
  const onDuty = new Map<string, Scenario['officers']>();
  for (const o of scenario.officers) for (const s of o.shifts) onDuty.set(s, [...(onDuty.get(s) ?? []), o]);
  const used = new Map<string, (typeof shifts)[number][]>();
  const singleRanks = new Set(scenario.policy.singleCrewRanks);
  const res: GreedyResult = { pairs: 0, singles: 0, pairsWithoutCarrier: 0, unassigned: 0 };
  for (const sh of shifts) {
    const officers = onDuty.get(sh.id) ?? [];
    const devices = scenario.devices.filter((d) => d.station === sh.station && d.serviceable);
    const carriers: typeof officers = [];
    const others: typeof officers = [];
    for (const o of officers) {
      const d = devices.find(
        (x) =>
          mayCarryModel(o, x.model, scenario.policy, sh.endMs, scenario.timezone) &&
          !(used.get(x.serial) ?? []).some((u) => intervalsOverlap(u, sh)),
      );
      if (d) {
        used.set(d.serial, [...(used.get(d.serial) ?? []), sh]);
        carriers.push(o);
      } else others.push(o);
    }
    const isStudent = (o: (typeof officers)[number]): boolean => o.kind === 'student';
    const left: typeof officers = [];
    for (const c of carriers) {
      const i = others.findIndex((o) => !(isStudent(o) && isStudent(c)));
      if (i >= 0) {
        others.splice(i, 1);
        res.pairs++;
      } else left.push(c);
    }
    const rest = [...left.map((o) => ({ o, carrier: true })), ...others.map((o) => ({ o, carrier: false }))];
    while (rest.length > 0) {
      const a = rest.shift()!;
      const i = rest.findIndex((b) => !(isStudent(a.o) && isStudent(b.o)));
      if (i >= 0) {
        const b = rest.splice(i, 1)[0]!;
        res.pairs++;
        if (!a.carrier && !b.carrier) res.pairsWithoutCarrier++;
      } else if (!isStudent(a.o) && singleRanks.has(a.o.rank)) res.singles++;
      else res.unassigned++;
    }
  }
  return res;
}
