import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateScenario } from '../../server/solver/demo/generator.js';
import { solveScenario, validateScenario } from '../../server/solver/solve.js';
import { applyScenarioChanges } from '../../server/solver/suggest.js';
import type { Plan } from '../../shared/schemas/plan.schema.js';
import type { Scenario } from '../../shared/schemas/scenario.schema.js';
import {
  buildCarrier,
  buildDevice,
  buildDevices,
  buildMany,
  buildOfficer,
  buildScenario,
  buildShift,
  buildStation,
} from '../factories/scenario.factory.js';
import { MEASURE_ALL, solveChecked } from './helpers/solve.js';

/** Pairs covered on `shifts`: minus pairs without a carrier (revised), or pairs both carrying (legacy). */
function covered(plan: Plan, shifts: Set<string>, legacy: boolean): number {
  const pairs = plan.crews.filter((c) => shifts.has(c.shift) && c.members.length === 2);
  return legacy
    ? pairs.filter((c) => c.carriers.length === 2).length
    : -pairs.filter((c) => c.carriers.length === 0).length;
}
const unassignedOn = (plan: Plan, shifts: Set<string>): number =>
  plan.unassigned.filter((u) => shifts.has(u.shift)).length;

/** The scenario cut to one station's shifts (stations share nothing, so their figures are unchanged). */
function atStation(s: Scenario, station: string): Scenario {
  const ids = new Set(s.shifts.filter((x) => x.station === station).map((x) => x.id));
  return {
    ...s,
    shifts: s.shifts.filter((x) => ids.has(x.id)),
    officers: s.officers
      .filter((o) => o.shifts.some((id) => ids.has(id)))
      .map((o) => ({ ...o, shifts: o.shifts.filter((id) => ids.has(id)) })),
    locks: s.locks.filter((l) => ids.has(l.shift)),
  };
}

const DEVICE_ACTIONS = new Set(['add_device', 'repair_device', 'move_device']);
const CARRIER_ACTIONS = new Set([
  'renew_authorisation',
  'lift_suspension',
  'endorse_officer',
  'train_officer',
  'add_carrier',
]);

/** Scenarios: generated days (three stations in a borough, overlapping earlies/lates/nights), both policies. */
function scenarios(): { name: string; scenario: Scenario }[] {
  const out: { name: string; scenario: Scenario }[] = [];
  const cases: [number, 'revised' | 'legacy', number, number, number][] = [
    [1, 'revised', 1, 14, 5],
    [2, 'legacy', 1, 14, 5],
    [3, 'revised', 2, 12, 4],
    [4, 'legacy', 2, 12, 6],
    [5, 'revised', 1, 20, 8],
    [6, 'legacy', 1, 20, 8],
    [7, 'revised', 1, 10, 3],
    [8, 'legacy', 1, 16, 10],
  ];
  for (const [seed, policy, days, officersPerShift, devicesPerStation] of cases)
    out.push({
      name: `generated seed ${seed} ${policy} ${days}d`,
      scenario: validateScenario(
        generateScenario({
          seed,
          stations: 3,
          stationsPerBorough: 3,
          startDate: '2026-10-24',
          days,
          officersPerShift,
          devicesPerStation,
          policy,
        }),
      ),
    });
  // Built by hand: faulty devices, a spare at another station, lapsed, suspended, students and specials.
  const late = buildShift({ id: 'BR-L', start: '2026-05-10T13:00:00Z', end: '2026-05-10T22:00:00Z' });
  const night = buildShift();
  const orNight = buildShift({ id: 'OR-N', station: 'OR' });
  for (const policy of ['revised', 'legacy'] as const)
    out.push({
      name: `factory ${policy}`,
      scenario: validateScenario(
        buildScenario({
          policy: { name: policy },
          stations: [buildStation(), buildStation({ id: 'OR', name: 'Orpington' })],
          shifts: [late, night, orNight],
          officers: [
            ...buildMany(5, 'PCA', (id) => buildCarrier(id, { shifts: [late.id] }, { models: ['X2', 'T7'] })),
            ...buildMany(7, 'PCB', (id) => buildOfficer(id, { shifts: [late.id] })),
            ...buildMany(4, 'PCC', (id) => buildCarrier(id)),
            ...buildMany(2, 'PCD', (id) => buildCarrier(id, {}, { lastTrained: '2025-03-01' })),
            buildCarrier('PCE1', {}, { suspended: true }),
            buildCarrier('ST1', { kind: 'student' }),
            buildCarrier('SP1', { kind: 'special' }),
            ...buildMany(6, 'PCF', (id) => buildOfficer(id)),
            buildOfficer('ST2', { kind: 'student' }),
            buildOfficer('SG1', { rank: 'SGT' }),
            ...buildMany(3, 'PCG', (id) => buildOfficer(id, { station: 'OR', shifts: [orNight.id] })),
          ],
          devices: [
            ...buildDevices(4, 'X2'),
            buildDevice('X2-000090', { serviceable: false }),
            buildDevice('T7-000090', { serviceable: false }),
            ...buildDevices(2, 'X2', 'OR', 50),
            ...buildDevices(1, 'T7', 'OR', 60),
          ],
        }),
      ),
    });
  return out;
}

describe('measured suggestions', () => {
  it('gain, applied to the scenario and solved again, exactly what each suggestion says it covers (≥ 200)', async () => {
    let checked = 0;
    const byAction = new Map<string, number>();
    for (const { name, scenario } of scenarios()) {
      const legacy = scenario.policy.name === 'legacy';
      const plan = await solveScenario(scenario, MEASURE_ALL);
      for (const ex of plan.explanations ?? []) {
        if (ex.cause === 'lock_not_honoured') continue;
        assert.notEqual(ex.measured, false, `${name}: ${ex.message} not measured`);
        const shifts = new Set(ex.componentShifts);
        const station = scenario.shifts.find((x) => x.id === ex.shift)!.station;
        const keys = ex.suggestions.map((s) => JSON.stringify(s.change));
        assert.equal(new Set(keys).size, keys.length, `${name}: duplicate suggestions on ${ex.shift}`);
        // The cause agrees with the re-solves.
        const helps = (set: Set<string>): boolean => ex.suggestions.some((s) => set.has(s.action) && s.covers > 0);
        if (ex.cause === 'too_few_devices') assert.ok(helps(DEVICE_ACTIONS), `${name}: ${ex.message}`);
        if (ex.cause === 'too_few_carriers') assert.ok(helps(CARRIER_ACTIONS), `${name}: ${ex.message}`);
        if (ex.cause === 'pair_structure' || ex.cause === 'legacy_pairs_not_both_carrying')
          assert.ok(!helps(DEVICE_ACTIONS) && !helps(CARRIER_ACTIONS), `${name}: ${ex.message}`);
        const before = await solveScenario(atStation(scenario, station), { suggestionBudgetSeconds: 0 });
        for (const s of ex.suggestions) {
          assert.ok(s.covers > 0, `${name}: ${s.message}`);
          const changed = atStation(applyScenarioChanges(scenario, s.change!), station);
          const after = await solveScenario(changed, { suggestionBudgetSeconds: 0 });
          assert.equal(after.status, 'OPTIMAL');
          const gain: number =
            ex.cause === 'officers_unassigned'
              ? unassignedOn(before, shifts) - unassignedOn(after, shifts)
              : covered(after, shifts, legacy) - covered(before, shifts, legacy);
          assert.equal(gain, s.covers, `${name}: "${s.message}" gave ${gain}`);
          checked++;
          byAction.set(s.action, (byAction.get(s.action) ?? 0) + 1);
        }
      }
    }
    console.log(`suggestions checked: ${checked}`, JSON.stringify(Object.fromEntries(byAction)));
    assert.ok(checked >= 200, `only ${checked} suggestions checked`);
    for (const a of ['add_device', 'repair_device', 'move_device', 'train_officer', 'renew_authorisation'])
      assert.ok((byAction.get(a) ?? 0) > 0, `no ${a} suggestion checked`);
  });

  it('says too_few_carriers, not too_few_devices, when devices sit unused', async () => {
    // 8 X2 serviceable, 2 in use: more devices gain nothing, a refresher does.
    const plan = await solveChecked(
      buildScenario({
        officers: [
          buildCarrier('PC1'),
          buildCarrier('PC2'),
          buildCarrier('PC7', {}, { lastTrained: '2025-04-02' }),
          ...buildMany(5, 'PC3', (id) => buildOfficer(id)),
        ],
        devices: buildDevices(8),
      }),
      MEASURE_ALL,
    );
    const ex = plan.explanations!.find((e) => e.shift === 'BR-N' && e.cause !== 'officers_unassigned')!;
    assert.equal(ex.cause, 'too_few_carriers');
    assert.equal(ex.numbers.pairsWithoutCarrier, 2);
    assert.ok(!ex.suggestions.some((s) => DEVICE_ACTIONS.has(s.action)));
    assert.deepEqual(
      ex.suggestions.map((s) => [s.action, s.officer ?? null, s.covers]),
      [
        ['train_officer', null, 2],
        ['renew_authorisation', 'PC7', 1],
        ['train_officer', 'PC31', 1],
      ],
    );
  });
});
