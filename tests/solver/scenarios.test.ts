import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ScenarioInput } from '../../shared/schemas/scenario.schema.js';
import { generateScenario, seededRandom } from '../../server/solver/demo/generator.js';
import {
  buildCarrier,
  buildDevices,
  buildMany,
  buildOfficer,
  buildScenario,
  buildShift,
  buildStation,
} from '../factories/scenario.factory.js';
import { bruteForceOptimum } from './helpers/brute-force.js';
import { checkPlan, planFigures } from './helpers/plan-checker.js';
import { MEASURE_ALL, solveChecked } from './helpers/solve.js';

describe('scenarios with an optimum known by construction', () => {
  it('covers every pair when carriers and devices are plentiful: 20 carriers, 20 others, 20 devices', async () => {
    const plan = await solveChecked(
      buildScenario({
        officers: [...buildMany(20, 'C', (id) => buildCarrier(id)), ...buildMany(20, 'P', (id) => buildOfficer(id))],
        devices: buildDevices(20),
      }),
    );
    assert.deepEqual(planFigures(plan), { unassigned: 0, pairsWithoutCarrier: 0, pairsBothCarry: 0, singles: 0 });
    assert.equal(plan.stats.pairs, 20);
    assert.equal(plan.status, 'OPTIMAL');
  });

  it('leaves exactly pairs - devices pairs uncovered when devices are the limit', async () => {
    // 30 carriers + 30 others = 30 pairs; 12 devices -> 18 pairs without a carrier.
    const plan = await solveChecked(
      buildScenario({
        officers: [...buildMany(30, 'C', (id) => buildCarrier(id)), ...buildMany(30, 'P', (id) => buildOfficer(id))],
        devices: buildDevices(12),
      }),
    );
    assert.equal(plan.stats.pairsWithoutCarrier, 18);
    assert.equal(plan.stats.devicesUsed, 12);
  });

  it('shares 10 devices across a late and a night that overlap by an hour', async () => {
    // Late: 8 pairs able to carry; night: 8 pairs. Only 10 devices while both run: 6 uncovered.
    const late = buildShift({ id: 'BR-L', start: '2026-05-10T13:00:00Z', end: '2026-05-10T22:00:00Z' });
    const night = buildShift({ id: 'BR-N', start: '2026-05-10T21:00:00Z', end: '2026-05-11T06:00:00Z' });
    const officers = [
      ...buildMany(8, 'LC', (id) => buildCarrier(id, { shifts: ['BR-L'] })),
      ...buildMany(8, 'LP', (id) => buildOfficer(id, { shifts: ['BR-L'] })),
      ...buildMany(8, 'NC', (id) => buildCarrier(id, { shifts: ['BR-N'] })),
      ...buildMany(8, 'NP', (id) => buildOfficer(id, { shifts: ['BR-N'] })),
    ];
    const plan = await solveChecked(buildScenario({ shifts: [late, night], officers, devices: buildDevices(10) }));
    assert.equal(plan.stats.pairsWithoutCarrier, 6);
  });

  it('solves stations independently: a spare device at one station does not help another', async () => {
    const plan = await solveChecked(
      buildScenario({
        stations: [buildStation(), buildStation({ id: 'OR', name: 'Orpington' })],
        shifts: [buildShift(), buildShift({ id: 'OR-N', station: 'OR' })],
        officers: [
          buildCarrier('PC1'),
          buildOfficer('PC2'),
          buildCarrier('PC3', { station: 'OR', shifts: ['OR-N'] }),
          buildOfficer('PC4', { station: 'OR', shifts: ['OR-N'] }),
        ],
        devices: buildDevices(2, 'X2', 'OR'),
      }),
      MEASURE_ALL,
    );
    assert.equal(plan.stats.pairsWithoutCarrier, 1);
    const ex = plan.explanations?.find((e) => e.shift === 'BR-N');
    assert.equal(ex?.cause, 'too_few_devices');
    assert.ok(ex?.suggestions.some((s) => s.action === 'move_device' && s.station === 'OR' && s.covers === 1));
  });
});

describe('the solver matches an exhaustive search on small shifts', () => {
  const random = (seed: number, legacy: boolean): ScenarioInput => {
    const r = seededRandom(seed);
    const n = 4 + Math.floor(r() * 4);
    const officers = Array.from({ length: n }, (_, i) => {
      const rank = r() < 0.25 ? 'SGT' : 'PC';
      const kind = rank === 'PC' && r() < 0.3 ? 'student' : 'regular';
      const taser =
        r() < 0.55
          ? {
              lastTrained: r() < 0.2 ? '2025-01-01' : '2026-01-01',
              models: r() < 0.5 ? ['X2'] : r() < 0.5 ? ['T7'] : ['X2', 'T7'],
            }
          : null;
      return buildOfficer(`O${i + 1}`, { rank, kind, taser } as Parameters<typeof buildOfficer>[1]);
    });
    const devices = [...buildDevices(Math.floor(r() * 3), 'X2'), ...buildDevices(Math.floor(r() * 2), 'T7')];
    return buildScenario({ policy: { name: legacy ? 'legacy' : 'revised' }, officers, devices });
  };
  for (const legacy of [false, true]) {
    it(`finds the exhaustive optimum on 30 random shifts (${legacy ? 'legacy' : 'revised'})`, async () => {
      for (let seed = 1; seed <= 30; seed++) {
        const scenario = random(seed + (legacy ? 100 : 0), legacy);
        const plan = await solveChecked(scenario);
        const f = planFigures(plan);
        const best = bruteForceOptimum(scenario);
        assert.deepEqual(
          {
            unassigned: f.unassigned,
            level2: legacy ? 0 - f.pairsBothCarry : f.pairsWithoutCarrier,
            singles: f.singles,
          },
          best,
          `seed ${seed}`,
        );
      }
    });
  }
});

describe('clock changes (Europe/London)', () => {
  it('handles a night across the spring change (29 Mar 2026, 7 hours long)', async () => {
    // 22:00 GMT 28 Mar (22:00Z) to 06:00 BST 29 Mar (05:00Z).
    const night = buildShift({ id: 'N', start: '2026-03-28T22:00:00Z', end: '2026-03-29T05:00:00Z' });
    // Trained 29 Mar 2025: expires 00:00 GMT 29 Mar 2026, during the night. Trained 30 Mar 2025: in date.
    const plan = await solveChecked(
      buildScenario({
        shifts: [night],
        officers: [
          buildCarrier('PC1', { shifts: ['N'] }, { lastTrained: '2025-03-29' }),
          buildCarrier('PC2', { shifts: ['N'] }, { lastTrained: '2025-03-30' }),
          buildOfficer('PC3', { shifts: ['N'] }),
          buildOfficer('PC4', { shifts: ['N'] }),
        ],
        devices: buildDevices(2),
      }),
    );
    assert.deepEqual(
      plan.crews.flatMap((c) => c.carriers.map((k) => k.officer)),
      ['PC2'],
    );
    assert.match(plan.explanations?.[0]?.message ?? '', /PC 1's authorisation lapses at 00:00 on 29 Mar/);
  });

  it('handles a night across the autumn change (25 Oct 2026, 9 hours long) and labels it by local date', async () => {
    // 22:00 BST 24 Oct = 21:00Z; 06:00 GMT 25 Oct = 06:00Z.
    const night = buildShift({ id: 'N', start: '2026-10-24T21:00:00Z', end: '2026-10-25T06:00:00Z' });
    const plan = await solveChecked(
      buildScenario({
        shifts: [night],
        officers: [
          // Expires 00:00 BST 25 Oct (= 23:00Z 24 Oct): lapses during the night.
          buildCarrier('PC1', { shifts: ['N'] }, { lastTrained: '2025-10-25' }),
          buildCarrier('PC2', { shifts: ['N'] }, { lastTrained: '2025-10-26' }),
          buildOfficer('PC3', { shifts: ['N'] }),
          buildOfficer('PC4', { shifts: ['N'] }),
        ],
        devices: buildDevices(2),
      }),
    );
    assert.deepEqual(
      plan.crews.flatMap((c) => c.carriers.map((k) => k.officer)),
      ['PC2'],
    );
    assert.match(plan.explanations?.[0]?.message ?? '', /^Bromley nights 24 Oct:/);
  });
});

describe('generated scenarios', () => {
  it('produces a rule-abiding, proven-optimal plan for a BCU day with overlapping shifts', async () => {
    const scenario = generateScenario({
      seed: 5,
      stations: 3,
      startDate: '2026-03-28',
      days: 2,
      officersPerShift: 30,
      devicesPerStation: 12,
    });
    const plan = await solveChecked(scenario);
    assert.equal(plan.status, 'OPTIMAL');
    assert.equal(plan.optimality?.levels1to3, 'proven');
    assert.deepEqual(checkPlan(scenario, plan), []);
  });
});
