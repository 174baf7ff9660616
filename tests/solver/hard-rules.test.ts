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
import { carriersOn, crewOf, solveChecked } from './helpers/solve.js';

describe('hard rule 1: devices', () => {
  it('gives each carrier exactly one device and a device at most one carrier per shift', async () => {
    const plan = await solveChecked(
      buildScenario({ officers: buildMany(4, 'PC', (id) => buildCarrier(id)), devices: buildDevices(1) }),
    );
    assert.equal(carriersOn(plan).length, 1);
    assert.equal(plan.stats.pairsWithoutCarrier, 1);
  });

  it('never issues an unserviceable device', async () => {
    const plan = await solveChecked(
      buildScenario({
        officers: [buildCarrier('PC1'), buildOfficer('PC2')],
        devices: [buildDevice('X2-000001', { serviceable: false })],
      }),
    );
    assert.equal(plan.stats.devicesUsed, 0);
    assert.equal(plan.stats.pairsWithoutCarrier, 1);
  });

  it('refuses a device of a model the officer is not trained on', async () => {
    const plan = await solveChecked(
      buildScenario({
        officers: [buildCarrier('PC1', {}, { models: ['X2'] }), buildOfficer('PC2')],
        devices: buildDevices(2, 'T7'),
      }),
    );
    assert.deepEqual(carriersOn(plan), []);
  });

  it('uses only devices of the shift’s station', async () => {
    const plan = await solveChecked(
      buildScenario({
        stations: [buildStation(), buildStation({ id: 'OR', name: 'Orpington' })],
        officers: [buildCarrier('PC1'), buildOfficer('PC2')],
        devices: buildDevices(3, 'X2', 'OR'),
      }),
    );
    assert.deepEqual(carriersOn(plan), []);
  });

  it('never lets one device serve two overlapping shifts at a station', async () => {
    const late = buildShift({ id: 'BR-L', start: '2026-05-10T13:00:00Z', end: '2026-05-10T22:00:00Z' });
    const night = buildShift({ id: 'BR-N', start: '2026-05-10T21:00:00Z', end: '2026-05-11T06:00:00Z' });
    const plan = await solveChecked(
      buildScenario({
        shifts: [late, night],
        officers: [
          buildCarrier('PC1', { shifts: ['BR-L'] }),
          buildOfficer('PC2', { shifts: ['BR-L'] }),
          buildCarrier('PC3', { shifts: ['BR-N'] }),
          buildOfficer('PC4', { shifts: ['BR-N'] }),
        ],
        devices: buildDevices(1),
      }),
    );
    assert.equal(carriersOn(plan).length, 1);
    assert.equal(plan.stats.pairsWithoutCarrier, 1);
  });

  it('lets a device pass from a night to an early that starts when the night ends', async () => {
    const night = buildShift({ id: 'BR-N', start: '2026-05-10T21:00:00Z', end: '2026-05-11T06:00:00Z' });
    const early = buildShift({ id: 'BR-E', start: '2026-05-11T06:00:00Z', end: '2026-05-11T14:00:00Z' });
    const plan = await solveChecked(
      buildScenario({
        shifts: [night, early],
        officers: [
          buildCarrier('PC1', { shifts: ['BR-N'] }),
          buildOfficer('PC2', { shifts: ['BR-N'] }),
          buildCarrier('PC3', { shifts: ['BR-E'] }),
          buildOfficer('PC4', { shifts: ['BR-E'] }),
        ],
        devices: buildDevices(1),
      }),
    );
    assert.deepEqual(plan.crews.flatMap((c) => c.carriers.map((k) => `${c.shift}:${k.officer}:${k.device}`)).sort(), [
      'BR-E:PC3:X2-000001',
      'BR-N:PC1:X2-000001',
    ]);
  });
});

describe('hard rule 2: who may carry', () => {
  it('does not let an officer carry when the authorisation lapses before the shift ends', async () => {
    // Trained 11 May 2025: expires 00:00 BST 11 May 2026, an hour before this night ends.
    const plan = await solveChecked(
      buildScenario({
        officers: [buildCarrier('PC1', {}, { lastTrained: '2025-05-11' }), buildOfficer('PC2')],
        devices: buildDevices(1),
      }),
    );
    assert.deepEqual(carriersOn(plan), []);
  });

  it('does not let a suspended officer carry', async () => {
    const plan = await solveChecked(
      buildScenario({
        officers: [buildCarrier('PC1', {}, { suspended: true }), buildOfficer('PC2')],
        devices: buildDevices(1),
      }),
    );
    assert.deepEqual(carriersOn(plan), []);
  });

  it('lets an endorsed student carry only when the force allows students to carry', async () => {
    const officers = [buildCarrier('PC1', { kind: 'student' }, { endorsed: true }), buildOfficer('PC2')];
    const off = await solveChecked(buildScenario({ officers, devices: buildDevices(1) }));
    assert.deepEqual(carriersOn(off), []);
    const on = await solveChecked(
      buildScenario({ officers, devices: buildDevices(1), policy: { studentOfficersMayCarry: true } }),
    );
    assert.deepEqual(carriersOn(on), ['PC1']);
  });

  it('does not let an unendorsed special carry even when specials may', async () => {
    const plan = await solveChecked(
      buildScenario({
        officers: [buildCarrier('PC1', { kind: 'special' }, { endorsed: false }), buildOfficer('PC2')],
        devices: buildDevices(1),
        policy: { specialsMayCarry: true },
      }),
    );
    assert.deepEqual(carriersOn(plan), []);
  });

  it('lets an endorsed special carry when specials may', async () => {
    const plan = await solveChecked(
      buildScenario({
        officers: [buildCarrier('PC1', { kind: 'special' }, { endorsed: true }), buildOfficer('PC2')],
        devices: buildDevices(1),
        policy: { specialsMayCarry: true },
      }),
    );
    assert.deepEqual(carriersOn(plan), ['PC1']);
  });
});

describe('hard rule 3: single crews', () => {
  it('never single-crews a PC: the odd PC out is unassigned', async () => {
    const plan = await solveChecked(buildScenario({ officers: buildMany(3, 'PC', (id) => buildOfficer(id)) }));
    assert.equal(plan.stats.pairs, 1);
    assert.equal(plan.stats.singles, 0);
    assert.equal(plan.unassigned.length, 1);
    assert.equal(plan.unassigned[0]!.cause, 'no_partner_and_may_not_single_crew');
  });

  it('single-crews a sergeant rather than leave them out, and lets them carry under the revised policy', async () => {
    const plan = await solveChecked(
      buildScenario({
        officers: [buildOfficer('PC1'), buildOfficer('PC2'), buildCarrier('SGT1', { rank: 'SGT' })],
        devices: buildDevices(1),
      }),
    );
    assert.deepEqual(crewOf(plan, 'SGT1')?.members, ['SGT1']);
    assert.deepEqual(carriersOn(plan), ['SGT1']);
  });

  it('never lets a single carry under the legacy policy', async () => {
    const plan = await solveChecked(
      buildScenario({
        policy: { name: 'legacy' },
        officers: [buildOfficer('PC1'), buildOfficer('PC2'), buildCarrier('SGT1', { rank: 'SGT' })],
        devices: buildDevices(1),
      }),
    );
    assert.deepEqual(crewOf(plan, 'SGT1')?.members, ['SGT1']);
    assert.deepEqual(carriersOn(plan), []);
  });

  it('honours singleCrewRanks: with none, nobody goes single', async () => {
    const plan = await solveChecked(
      buildScenario({
        policy: { singleCrewRanks: [] },
        officers: [buildOfficer('PC1'), buildOfficer('PC2'), buildOfficer('SGT1', { rank: 'SGT' })],
      }),
    );
    assert.equal(plan.stats.singles, 0);
    assert.equal(plan.stats.unassigned, 1);
  });

  it('under the legacy policy, a carrier pairs only with another carrier', async () => {
    const plan = await solveChecked(
      buildScenario({
        policy: { name: 'legacy' },
        officers: [buildCarrier('PC1'), buildOfficer('PC2'), buildCarrier('PC3'), buildOfficer('PC4')],
        devices: buildDevices(2),
      }),
    );
    for (const c of plan.crews)
      assert.ok(c.carriers.length === 0 || c.carriers.length === c.members.length, JSON.stringify(c));
    assert.equal(plan.stats.pairsBothCarry, 1);
  });
});

describe('hard rule 4: students', () => {
  it('never pairs two students, and leaves a student without an experienced partner unassigned', async () => {
    const plan = await solveChecked(
      buildScenario({
        officers: [
          ...buildMany(3, 'ST', (id) => buildOfficer(id, { kind: 'student' })),
          buildOfficer('PC1'),
          buildOfficer('SGT1', { rank: 'SGT' }),
        ],
      }),
    );
    assert.equal(plan.stats.unassigned, 1);
    assert.equal(plan.unassigned[0]!.cause, 'student_without_partner');
    assert.equal(plan.stats.pairs, 2);
  });

  it('never single-crews a student, even of a rank allowed to go single', async () => {
    const plan = await solveChecked(
      buildScenario({ officers: [buildOfficer('SGT1', { rank: 'SGT', kind: 'student' })] }),
    );
    assert.equal(plan.stats.singles, 0);
    assert.equal(plan.stats.unassigned, 1);
  });
});

describe('crew formation', () => {
  it('places every officer on duty in exactly one crew on each of their shifts', async () => {
    const e = buildShift({ id: 'BR-E', start: '2026-05-10T06:00:00Z', end: '2026-05-10T14:00:00Z' });
    const l = buildShift({ id: 'BR-L', start: '2026-05-10T13:00:00Z', end: '2026-05-10T22:00:00Z' });
    const officers = buildMany(9, 'PC', (id, i) =>
      i % 3 === 0 ? buildCarrier(id, { shifts: ['BR-E'] }) : buildOfficer(id, { shifts: [i % 2 ? 'BR-E' : 'BR-L'] }),
    );
    const plan = await solveChecked(buildScenario({ shifts: [e, l], officers, devices: buildDevices(2) }));
    assert.equal(plan.crews.reduce((s, c) => s + c.members.length, 0) + plan.unassigned.length, 9);
  });
});
