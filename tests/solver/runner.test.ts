import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { SolveProgress } from '../../server/solver/solve.js';
import { ScenarioValidationError, SolveCancelledError } from '../../server/solver/solve.js';
import { SolveRunner } from '../../server/solver/solve-runner.js';
import { generateScenario } from '../../server/solver/demo/generator.js';
import { buildCarrier, buildDevices, buildOfficer, buildScenario } from '../factories/scenario.factory.js';
import { checkPlan } from './helpers/plan-checker.js';

describe('the worker-thread solve runner', () => {
  const runner = new SolveRunner();
  after(() => runner.close());

  it('solves in a worker thread and reports progress', async () => {
    const scenario = buildScenario({ officers: [buildCarrier('PC1'), buildOfficer('PC2')], devices: buildDevices(1) });
    const seen: SolveProgress[] = [];
    const plan = await runner.start(scenario, { onProgress: (p) => seen.push(p) }).promise;
    assert.equal(plan.status, 'OPTIMAL');
    assert.deepEqual(checkPlan(scenario, plan), []);
    assert.deepEqual(seen.at(-1), {
      phase: 'done',
      shiftsDone: 1,
      shiftsTotal: 1,
      componentsDone: 1,
      componentsTotal: 1,
    });
  });

  it('rejects an invalid scenario with the field named', async () => {
    const bad = buildScenario({ officers: [buildOfficer('PC1', { shifts: ['NOPE'] })] });
    await assert.rejects(
      runner.start(bad).promise,
      (e: unknown) =>
        e instanceof ScenarioValidationError && e.issues[0] === 'officers[0].shifts[0]: unknown shift NOPE',
    );
  });

  it('cancels a running solve: the promise rejects with SolveCancelledError, and the runner carries on', async () => {
    const big = generateScenario({
      seed: 3,
      stations: 6,
      startDate: '2026-03-01',
      days: 10,
      officersPerShift: 40,
      devicesPerStation: 18,
    });
    const handle = runner.start(big);
    setTimeout(() => handle.cancel(), 50);
    await assert.rejects(
      handle.promise,
      (e: unknown) => e instanceof SolveCancelledError && e.id === 'solve_cancelled',
    );
    const scenario = buildScenario({ officers: [buildCarrier('PC1'), buildOfficer('PC2')], devices: buildDevices(1) });
    const plan = await runner.start(scenario).promise;
    assert.equal(plan.stats.pairs, 1);
  });

  it('drops a queued solve when it is cancelled', async () => {
    const scenario = buildScenario({ officers: [buildCarrier('PC1'), buildOfficer('PC2')], devices: buildDevices(1) });
    const first = runner.start(scenario);
    const second = runner.start(scenario);
    second.cancel();
    await assert.rejects(second.promise, SolveCancelledError);
    assert.equal((await first.promise).stats.pairs, 1);
  });
});
