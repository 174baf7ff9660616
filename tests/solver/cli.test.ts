import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PlanSchema } from '../../shared/schemas/plan.schema.js';
import type { ScenarioInput } from '../../shared/schemas/scenario.schema.js';
import { buildCarrier, buildOfficer, buildScenario } from '../factories/scenario.factory.js';
import { checkPlan } from './helpers/plan-checker.js';

const run = (file: string): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'server/solver/cli.ts', file],
      { cwd: process.cwd() },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });

describe('the solve command', () => {
  it('prints only the plan JSON for the example scenario and exits 0', async () => {
    const { code, stdout } = await run('examples/scenario-small.json');
    assert.equal(code, 0);
    const plan = PlanSchema.parse(JSON.parse(stdout));
    const scenario = JSON.parse(readFileSync('examples/scenario-small.json', 'utf8')) as ScenarioInput;
    assert.deepEqual(checkPlan(scenario, plan), []);
    assert.equal(plan.status, 'OPTIMAL');
    assert.ok(
      plan.explanations?.some((e) => e.message.startsWith('Bromley nights 28 Mar: 3 pairs, two without a carrier')),
    );
  });

  it('exits non-zero naming the field of an invalid scenario, with nothing on stdout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'solve-'));
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify(
        buildScenario({ officers: [buildOfficer('PC1'), buildCarrier('PC2', {}, { lastTrained: '2025-13-01' })] }),
      ),
    );
    const { code, stdout, stderr } = await run(file);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /officers\[1\]\.taser\.lastTrained: expected YYYY-MM-DD/);
  });

  it('exits non-zero on an unreadable file', async () => {
    const { code, stderr } = await run('does-not-exist.json');
    assert.equal(code, 2);
    assert.match(stderr, /cannot read does-not-exist\.json/);
  });
});
