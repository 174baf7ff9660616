import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PlanSchema } from '../../shared/schemas/plan.schema.js';
import { parseScenario } from '../../shared/schemas/scenario.schema.js';
import { buildCarrier, buildDevices, buildOfficer, buildScenario } from '../factories/scenario.factory.js';
import { solveChecked } from './helpers/solve.js';

const issues = (input: unknown): string[] => {
  const r = parseScenario(input);
  return r.ok ? [] : r.issues;
};

describe('scenario validation', () => {
  it('names the field of a malformed date', () => {
    const s = buildScenario({
      officers: [
        buildOfficer('PC1'),
        buildOfficer('PC2'),
        buildOfficer('PC3'),
        buildCarrier('PC4', {}, { lastTrained: '03/11/2025' }),
      ],
    });
    assert.deepEqual(issues(s), ['officers[3].taser.lastTrained: expected YYYY-MM-DD']);
  });

  it('names a missing field and a bad enum', () => {
    const s = buildScenario({ officers: [buildOfficer('PC1', { rank: 'DC' as never })] }) as Record<string, unknown>;
    delete s.devices;
    const got = issues(s);
    assert.ok(got.includes('devices: required'), got.join('\n'));
    assert.ok(
      got.some((i) => i.startsWith("officers[0].rank: Invalid enum value. Expected 'PC' | 'SGT' | 'INSP'")),
      got.join('\n'),
    );
  });

  it('checks cross references: unknown shift, unknown station, device elsewhere', () => {
    const s = buildScenario({
      officers: [buildOfficer('PC1', { shifts: ['NOPE'] }), buildOfficer('PC2', { station: 'XX' })],
      devices: buildDevices(1),
      locks: [{ shift: 'BR-N', members: ['PC2'], carriers: [{ officer: 'PC2', device: 'X2-999999' }] }],
    });
    assert.deepEqual(issues(s), [
      'officers[0].shifts[0]: unknown shift NOPE',
      'officers[1].station: unknown station XX',
      'locks[0].carriers[0].device: unknown device X2-999999',
    ]);
  });

  it('refuses an officer rostered on two overlapping shifts', () => {
    const s = buildScenario({
      shifts: [
        { id: 'A', station: 'BR', start: '2026-05-10T06:00:00Z', end: '2026-05-10T14:00:00Z' },
        { id: 'B', station: 'BR', start: '2026-05-10T13:00:00Z', end: '2026-05-10T22:00:00Z' },
      ],
      officers: [buildOfficer('PC1', { shifts: ['A', 'B'] })],
    });
    assert.deepEqual(issues(s), ['officers[0].shifts: shifts A and B overlap in time']);
  });

  it('allows and ignores unknown fields', async () => {
    const s = {
      ...buildScenario({
        officers: [buildCarrier('PC1'), buildOfficer('PC2', { collar: 99 })],
        devices: buildDevices(1),
      }),
      futureField: { x: 1 },
    };
    assert.deepEqual(issues(s), []);
    const plan = await solveChecked(s);
    assert.equal(plan.stats.pairs, 1);
  });

  it('produces plans that satisfy the plan schema', async () => {
    const plan = await solveChecked(
      buildScenario({
        officers: [buildCarrier('PC1'), buildOfficer('PC2'), buildOfficer('PC3')],
        devices: buildDevices(1),
      }),
    );
    assert.equal(PlanSchema.safeParse(plan).success, true);
  });
});
