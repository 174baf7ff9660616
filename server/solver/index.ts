export { solveScenario, validateScenario, ScenarioValidationError, SolveCancelledError } from './solve.js';
export type { SolveOptions, SolveProgress, SolvePhase } from './solve.js';
export { warmUpCpSat } from './cp-sat.js';
export { SolveRunner, startSolve, stopSolveWorker } from './solve-runner.js';
export {
  solveRefreshers,
  evaluateRefresherChoice,
  type RefresherProblem,
  type RefresherSolution,
} from './refresher.js';
export { startRefresherPlan } from './solve-runner.js';
export type { SolveHandle, StartSolveOptions } from './solve-runner.js';
export { applyScenarioChanges } from './suggest.js';
