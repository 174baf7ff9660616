import { CpModel, CpSolver } from 'or-tools-wasm/cp-sat';

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
  return warm;
}
