import v8 from 'node:v8';
import { CpModel, CpSolver } from 'or-tools-wasm/cp-sat';

/**
 * Compile the CP-SAT WebAssembly with V8's baseline tier only. Call before the first solve.
 * Measured here: the optimising tier-up competes for the 2 cores while our small count models solve
 * and keeps a process alive 2-8 s at exit; baseline code solves the benchmark 1.5-3x faster overall.
 * V8 flags are process-wide: the CLI, the benchmark, the tests and the solve worker set it.
 */
export function preferBaselineWasm(): void {
  v8.setFlagsFromString('--liftoff-only');
}

let warm: Promise<void> | null = null;

/**
 * Load the CP-SAT WebAssembly module (≈0.4 s, ≈340 MB) once per process or worker thread; later
 * calls reuse it. Solving loads it too; call this early to take the cost off the first solve.
 */
export function warmUpCpSat(): Promise<void> {
  warm ??= (async () => {
    const m = new CpModel();
    const x = m.newIntVar(0, 1, 'x');
    m.minimize(x);
    await new CpSolver().solve(m, { numWorkers: 1 });
  })();
  // Callers may start loading and never await (e.g. input turned out invalid): never unhandled.
  warm.catch(() => {
    warm = null;
  });
  return warm;
}
