import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildCarrier,
  buildDevices,
  buildMany,
  buildOfficer,
  buildScenario,
  buildShift,
} from '../factories/scenario.factory.js';
import { carriersOn, crewOf, solveChecked } from './helpers/solve.js';

describe('objective level 1: fewest unassigned', () => {
  it('pairs students with experienced officers before experienced officers with each other', async () => {
    // 2 students, 2 PCs: pairing PC+PC would strand both students.
    const plan = await solveChecked(
      buildScenario({
        officers: [
          buildCarrier('PC1'),
          buildCarrier('PC2'),
          buildOfficer('ST1', { kind: 'student' }),
          buildOfficer('ST2', { kind: 'student' }),
        ],
        devices: buildDevices(2),
      }),
    );
    assert.equal(plan.stats.unassigned, 0);
    assert.equal(plan.stats.pairs, 2);
  });

  it('places an officer even when that leaves a pair without a carrier (level 1 before level 2)', async () => {
    // Carrier, PC, student, sergeant, one device: every way of placing all four leaves a pair
    // without a carrier or a sergeant single; the solver must still place all four.
    const plan = await solveChecked(
      buildScenario({
        officers: [
          buildCarrier('PC1'),
          buildOfficer('PC2'),
          buildOfficer('ST1', { kind: 'student' }),
          buildOfficer('SGT1', { rank: 'SGT' }),
        ],
        devices: buildDevices(1),
      }),
    );
    assert.equal(plan.stats.unassigned, 0);
  });
});

describe('objective level 2 (revised): fewest pairs without a carrier', () => {
  it('spreads carriers one per pair instead of pairing two carriers', async () => {
    const plan = await solveChecked(
      buildScenario({
        officers: [buildCarrier('PC1'), buildCarrier('PC2'), buildOfficer('PC3'), buildOfficer('PC4')],
        devices: buildDevices(2),
      }),
    );
    assert.equal(plan.stats.pairsWithoutCarrier, 0);
    assert.notDeepEqual(crewOf(plan, 'PC1')?.members.sort(), ['PC1', 'PC2']);
  });

  it('gives scarce devices to officers trained on that model', async () => {
    // PC1 knows X2 and T7, PC2 only X2; one X2 and one T7: PC1 must take the T7.
    const plan = await solveChecked(
      buildScenario({
        officers: [
          buildCarrier('PC1', {}, { models: ['X2', 'T7'] }),
          buildCarrier('PC2', {}, { models: ['X2'] }),
          buildOfficer('PC3'),
          buildOfficer('PC4'),
        ],
        devices: [...buildDevices(1, 'X2'), ...buildDevices(1, 'T7')],
      }),
    );
    assert.equal(plan.stats.pairsWithoutCarrier, 0);
    const t7 = plan.crews.flatMap((c) => c.carriers).find((k) => k.device.startsWith('T7'));
    assert.equal(t7?.officer, 'PC1');
  });

  it('shares devices between overlapping shifts to cover the most pairs overall', async () => {
    // Late and night overlap; 2 devices. The late has 2 pairs with carriers available, the night 1.
    const late = buildShift({ id: 'BR-L', start: '2026-05-10T13:00:00Z', end: '2026-05-10T22:00:00Z' });
    const night = buildShift({ id: 'BR-N', start: '2026-05-10T21:00:00Z', end: '2026-05-11T06:00:00Z' });
    const plan = await solveChecked(
      buildScenario({
        shifts: [late, night],
        officers: [
          ...buildMany(4, 'L', (id) => buildCarrier(id, { shifts: ['BR-L'] })),
          buildCarrier('N1', { shifts: ['BR-N'] }),
          buildOfficer('N2', { shifts: ['BR-N'] }),
        ],
        devices: buildDevices(2),
      }),
    );
    assert.equal(plan.stats.pairsWithoutCarrier, 1);
  });
});

describe('objective level 2 (legacy): most pairs in which both carry', () => {
  it('pairs carriers together', async () => {
    const plan = await solveChecked(
      buildScenario({
        policy: { name: 'legacy' },
        officers: [buildCarrier('PC1'), buildOfficer('PC2'), buildCarrier('PC3'), buildOfficer('PC4')],
        devices: buildDevices(2),
      }),
    );
    assert.equal(plan.stats.pairsBothCarry, 1);
    assert.deepEqual(crewOf(plan, 'PC1')?.members.sort(), ['PC1', 'PC3']);
  });
});

describe('objective level 3: fewest single crews', () => {
  it('pairs a sergeant rather than single-crew them when that costs nothing above', async () => {
    const plan = await solveChecked(
      buildScenario({
        officers: [buildCarrier('PC1'), buildOfficer('SGT1', { rank: 'SGT' })],
        devices: buildDevices(1),
      }),
    );
    assert.equal(plan.stats.singles, 0);
    assert.equal(plan.stats.pairs, 1);
  });

  it('single-crews a sergeant when that avoids a pair without a carrier (level 2 before level 3)', async () => {
    // PC1 carries (one device); PC2 + SGT1 would be an uncovered pair; SGT1 single and PC2 with PC1 is better.
    const plan = await solveChecked(
      buildScenario({
        officers: [
          buildCarrier('PC1'),
          buildOfficer('PC2'),
          buildOfficer('SGT1', { rank: 'SGT' }),
          buildOfficer('PC3'),
        ],
        devices: buildDevices(1),
      }),
    );
    // 4 officers: pairs {PC1,x},{y,z} -> one uncovered pair unless SGT1 goes single; then PC3 or PC2 would be unassigned (level 1 wins).
    assert.equal(plan.stats.unassigned, 0);
    assert.equal(plan.stats.pairsWithoutCarrier, 1);
    assert.equal(plan.stats.singles, 0);
  });
});

describe('objective level 4: locks and the previous plan', () => {
  it('honours a locked crew when it costs nothing', async () => {
    const plan = await solveChecked(
      buildScenario({
        officers: [buildCarrier('PC1'), buildCarrier('PC2'), buildOfficer('PC3'), buildOfficer('PC4')],
        devices: buildDevices(2),
        locks: [{ shift: 'BR-N', members: ['PC2', 'PC4'], carriers: [{ officer: 'PC2', device: 'X2-000002' }] }],
      }),
    );
    const c = crewOf(plan, 'PC2')!;
    assert.deepEqual(c.members, ['PC2', 'PC4']);
    assert.deepEqual(c.carriers, [{ officer: 'PC2', device: 'X2-000002' }]);
    assert.equal(c.locked, true);
    assert.equal(plan.optimality?.locks, 'proven');
  });

  it('does not honour a lock that would leave a pair without a carrier, and says why', async () => {
    const plan = await solveChecked(
      buildScenario({
        officers: [buildCarrier('PC1'), buildCarrier('PC2'), buildOfficer('PC3'), buildOfficer('PC4')],
        devices: buildDevices(2),
        locks: [{ shift: 'BR-N', members: ['PC1', 'PC2'] }],
      }),
    );
    assert.equal(plan.stats.pairsWithoutCarrier, 0);
    assert.notDeepEqual(crewOf(plan, 'PC1')?.members.sort(), ['PC1', 'PC2']);
    assert.ok(plan.explanations?.some((e) => e.cause === 'lock_not_honoured'));
  });

  it('keeps the previous plan’s crews and carriers when re-solving', async () => {
    const officers = [buildCarrier('PC1'), buildCarrier('PC2'), buildOfficer('PC3'), buildOfficer('PC4')];
    const previousPlan = {
      crews: [
        { shift: 'BR-N', members: ['PC1', 'PC4'], carriers: [{ officer: 'PC1', device: 'X2-000002' }] },
        { shift: 'BR-N', members: ['PC2', 'PC3'], carriers: [{ officer: 'PC2', device: 'X2-000001' }] },
      ],
    };
    const plan = await solveChecked(buildScenario({ officers, devices: buildDevices(2), previousPlan }));
    assert.deepEqual(
      plan.crews.map((c) => ({ members: c.members, carriers: c.carriers })),
      [
        { members: ['PC1', 'PC4'], carriers: [{ officer: 'PC1', device: 'X2-000002' }] },
        { members: ['PC2', 'PC3'], carriers: [{ officer: 'PC2', device: 'X2-000001' }] },
      ],
    );
  });
});

describe('soft rules over a horizon', () => {
  it('rotates carrying among interchangeable officers across consecutive shifts', async () => {
    const days = ['10', '11', '12', '13'];
    const shifts = days.map((d) =>
      buildShift({ id: `N${d}`, start: `2026-05-${d}T21:00:00Z`, end: `2026-05-${Number(d) + 1}T06:00:00Z` }),
    );
    const ids = shifts.map((s) => s.id);
    const plan = await solveChecked(
      buildScenario({
        shifts,
        officers: [buildCarrier('PC1', { shifts: ids }), buildCarrier('PC2', { shifts: ids })],
        devices: buildDevices(1),
      }),
    );
    const counts = new Map<string, number>();
    for (const k of carriersOn(plan)) counts.set(k, (counts.get(k) ?? 0) + 1);
    assert.deepEqual([...counts.entries()].sort(), [
      ['PC1', 2],
      ['PC2', 2],
    ]);
  });

  it('keeps partners together from one shift to the next', async () => {
    const shifts = ['10', '11'].map((d) =>
      buildShift({ id: `N${d}`, start: `2026-05-${d}T21:00:00Z`, end: `2026-05-${Number(d) + 1}T06:00:00Z` }),
    );
    const ids = shifts.map((s) => s.id);
    const plan = await solveChecked(
      buildScenario({
        shifts,
        officers: [
          buildCarrier('PC1', { shifts: ids }),
          buildCarrier('PC2', { shifts: ids }),
          buildOfficer('PC3', { shifts: ids }),
          buildOfficer('PC4', { shifts: ids }),
        ],
        devices: buildDevices(2),
        locks: [{ shift: 'N10', members: ['PC1', 'PC4'] }],
      }),
    );
    assert.deepEqual(crewOf(plan, 'PC1', 'N11')?.members, ['PC1', 'PC4']);
  });
});
