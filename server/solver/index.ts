export { solveScenario, validateScenario, ScenarioValidationError, SolveCancelledError } from './solve.js';
export type { SolveOptions, SolveProgress, SolvePhase } from './solve.js';
export { warmUpCpSat } from './cp-sat.js';
