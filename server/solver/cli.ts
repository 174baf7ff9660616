import { readFile } from 'node:fs/promises';
import { preferBaselineWasm } from './cp-sat.js';

// Optimising tier-up runs in background threads a short-lived process would wait ~2-8 s for at exit.
preferBaselineWasm();
const { ScenarioValidationError, solveScenario } = await import('./solve.js');
const { warmUpCpSat } = await import('./cp-sat.js');
// Load CP-SAT while the scenario is read and validated.
const warming = warmUpCpSat();

/**
 * `npm run --silent solve -- <scenario.json> [--time-limit <seconds>]`
 * Prints only the plan JSON on stdout; progress and errors go to stderr.
 * Exit 0 with a plan; 2 on invalid or unreadable input; 1 on an internal failure.
 */
async function main(argv: string[]): Promise<number> {
  const args = argv.slice(2);
  let file: string | undefined;
  let timeLimitSeconds: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--time-limit') timeLimitSeconds = Number(args[++i]);
    else if (a === '-h' || a === '--help') {
      process.stderr.write('usage: npm run --silent solve -- <scenario.json> [--time-limit <seconds>]\n');
      return 0;
    } else file ??= a;
  }
  void warming;
  if (!file) {
    process.stderr.write('solve: missing scenario file\nusage: npm run --silent solve -- <scenario.json>\n');
    return 2;
  }
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (e) {
    process.stderr.write(`solve: cannot read ${file}: ${(e as Error).message}\n`);
    return 2;
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    process.stderr.write(`solve: ${file} is not valid JSON: ${(e as Error).message}\n`);
    return 2;
  }
  try {
    const plan = await solveScenario(json, {
      ...(timeLimitSeconds !== undefined && Number.isFinite(timeLimitSeconds) ? { timeLimitSeconds } : {}),
      onProgress: (p) => {
        if (p.phase === 'done')
          process.stderr.write(`solve: done, ${p.shiftsTotal} shifts in ${p.componentsTotal} components\n`);
      },
    });
    process.stdout.write(`${JSON.stringify(plan)}\n`);
    process.stderr.write(
      `solve: ${plan.status}, ${plan.stats.crews} crews, ${plan.stats.pairsWithoutCarrier} pairs without a carrier, ${plan.stats.unassigned} unassigned, ${plan.stats.solveMs} ms\n`,
    );
    return 0;
  } catch (e) {
    if (e instanceof ScenarioValidationError) {
      process.stderr.write(`solve: ${file}: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`solve: failed: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}

// Exit explicitly: the CP-SAT runtime may keep handles open.
main(process.argv).then(
  (code) => process.stdout.write('', () => process.exit(code)),
  (e: unknown) => {
    process.stderr.write(`solve: failed: ${String(e)}\n`);
    process.exit(1);
  },
);
