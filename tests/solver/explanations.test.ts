import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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

describe('explanations', () => {
  it('explains a shortfall of devices with faulty devices and a spare at another station', async () => {
    const night = buildShift({ id: 'BR-2026-03-28-N', start: '2026-03-28T22:00:00Z', end: '2026-03-29T06:00:00Z' });
    const orNight = buildShift({
      id: 'OR-2026-03-28-N',
      station: 'OR',
      start: '2026-03-28T22:00:00Z',
      end: '2026-03-29T06:00:00Z',
    });
    const plan = await solveChecked(
      buildScenario({
        stations: [buildStation(), buildStation({ id: 'OR', name: 'Orpington' })],
        shifts: [night, orNight],
        officers: [
          ...buildMany(6, 'PC1', (id) => buildCarrier(id, { shifts: [night.id] }, { models: ['X2', 'T7'] })),
          ...buildMany(12, 'PC2', (id) => buildOfficer(id, { shifts: [night.id] })),
          buildCarrier('PC1234', { shifts: [night.id] }, { lastTrained: '2025-03-21' }),
          buildOfficer('PC3001', { station: 'OR', shifts: [orNight.id] }),
          buildOfficer('PC3002', { station: 'OR', shifts: [orNight.id] }),
        ],
        devices: [
          ...buildDevices(4, 'X2'),
          buildDevice('X2-000090', { serviceable: false }),
          buildDevice('X2-000091', { serviceable: false }),
          buildDevice('T7-000001', { station: 'OR', model: 'T7' }),
        ],
      }),
      MEASURE_ALL,
    );
    // 19 officers -> 9 pairs + odd one; 6 able carriers but 4 devices -> 5 pairs without a carrier.
    const ex = plan.explanations!.find((e) => e.shift === night.id && e.cause === 'too_few_devices')!;
    assert.ok(ex, JSON.stringify(plan.explanations));
    assert.equal(ex.numbers.pairsWithoutCarrier, 5);
    assert.equal(ex.numbers.ableToCarry, 6);
    assert.equal(ex.numbers.faultyX2, 2);
    assert.equal(ex.numbers.authorisationsLapsed, 1);
    assert.match(ex.message, /^Bromley nights 28 Mar: 9 pairs, five without a carrier, 6 officers able to carry/);
    assert.match(ex.message, /2 X2 devices faulty/);
    assert.match(ex.message, /PC 1234's authorisation lapsed 21 Mar/);
    assert.match(ex.message, /a spare T7 at Orpington would cover one pair/);
    // Each measured by re-solving: the sized change first, its one-device version after it.
    assert.deepEqual(
      ex.suggestions.map((s) => [s.action, s.model, s.covers]),
      [
        ['add_device', 'X2', 2],
        ['repair_device', 'X2', 2],
        ['add_device', 'T7', 2],
        ['move_device', 'T7', 1],
        ['add_device', 'X2', 1],
        ['repair_device', 'X2', 1],
        ['add_device', 'T7', 1],
      ],
    );
    // PC 1234's refresher would give a seventh able carrier but no device: measured, it gains nothing.
    assert.ok(!ex.suggestions.some((s) => s.action === 'renew_authorisation'));
  });

  it('explains a shortfall of carriers and suggests renewing a lapsed authorisation', async () => {
    const plan = await solveChecked(
      buildScenario({
        officers: [
          buildCarrier('PC1'),
          buildCarrier('PC7', {}, { lastTrained: '2025-04-02' }),
          buildOfficer('PC2'),
          buildOfficer('PC3'),
        ],
        devices: buildDevices(3),
      }),
      MEASURE_ALL,
    );
    const ex = plan.explanations!.find((e) => e.cause === 'too_few_carriers')!;
    assert.ok(ex, JSON.stringify(plan.explanations));
    assert.deepEqual(
      ex.suggestions.map((s) => [s.action, s.officer, s.covers]),
      [
        ['train_officer', 'PC2', 1],
        ['renew_authorisation', 'PC7', 1],
      ],
    );
    assert.match(ex.message, /a refresher for PC 7 \(lapsed 2 Apr\) would cover one pair/);
  });

  it('explains unassigned students in a planner’s words', async () => {
    const plan = await solveChecked(
      buildScenario({
        officers: [
          buildOfficer('ST1', { kind: 'student', name: 'Sam Ode' }),
          buildOfficer('ST2', { kind: 'student' }),
          buildOfficer('PC1'),
        ],
      }),
      MEASURE_ALL,
    );
    assert.equal(plan.unassigned.length, 1);
    const ex = plan.explanations!.find((e) => e.cause === 'officers_unassigned')!;
    assert.deepEqual(ex.numbers, {
      officersOnDuty: 3,
      unassigned: 1,
      students: 2,
      studentsWithoutPartner: 1,
      withoutPartner: 0,
    });
    assert.match(ex.message, /^Bromley nights 10 May: 1 officer unassigned: 1 student without an experienced partner/);
    assert.match(
      plan.unassigned[0]!.reason,
      /is a student and no experienced officer was left to partner them on Bromley nights 10 May/,
    );
  });
});
