import type { Plan, SolveStatus } from '../../shared/schemas/plan.schema.js';
import { ScenarioSchema, formatScenarioIssues, type Scenario } from '../../shared/schemas/scenario.schema.js';
import { assignOfficers } from './assign.js';
import { warmUpCpSat } from './cp-sat.js';
import { explainPlan } from './explain.js';
import { solveComponent, type ComponentResult, type ShiftCounts } from './model.js';
import { prepareProblem } from './prepare.js';
import { computeStats } from './stats.js';
import { SuggestionMeter } from './suggest.js';

/** Most wall-clock time measuring suggestions takes by default: as long as the solve took, 1 s to this. */
export const DEFAULT_SUGGESTION_BUDGET_SECONDS = 5;

export type SolvePhase = 'validating' | 'modelling' | 'solving' | 'assigning' | 'explaining' | 'done';
export type SolveProgress = {
  phase: SolvePhase;
  shiftsDone: number;
  shiftsTotal: number;
  componentsDone: number;
  componentsTotal: number;
};

export type SolveOptions = {
  /** Wall-clock budget for all CP-SAT calls together; default 60 s. */
  timeLimitSeconds?: number;
  /** CP-SAT workers per component; default 1 (deterministic, and components are small). */
  numWorkers?: number;
  onProgress?: (p: SolveProgress) => void;
  /** Checked between components; when it returns true the solve stops with SolveCancelledError. */
  isCancelled?: () => boolean;
  /**
   * Wall-clock budget for measuring suggestions (re-solving components with candidate changes);
   * default: as long as the solve took, at least 1 s and at most 5 s. 0 measures nothing: explanations
   * keep their figures, without suggestions (`measured: false`).
   */
  suggestionBudgetSeconds?: number;
};

/** A scenario failed validation; `issues` name each field (`officers[3].taser.lastTrained: ...`). */
export class ScenarioValidationError extends Error {
  readonly id = 'invalid_scenario';
  constructor(readonly issues: string[]) {
    super(`invalid scenario:\n  ${issues.join('\n  ')}`);
    this.name = 'ScenarioValidationError';
  }
}

/** The solve was cancelled before it finished. */
export class SolveCancelledError extends Error {
  readonly id = 'solve_cancelled';
  constructor() {
    super('solve cancelled');
    this.name = 'SolveCancelledError';
  }
}

/** Validate (applying defaults) or throw ScenarioValidationError. */
export function validateScenario(input: unknown): Scenario {
  const r = ScenarioSchema.safeParse(input);
  if (!r.success) throw new ScenarioValidationError(formatScenarioIssues(r.error));
  return r.data;
}

/**
 * Solve a scenario in this thread: scenario in, plan out. Levels (1)-(3) are proven optimal per
 * component of shifts that share devices; see server/solver/README.md.
 */
export async function solveScenario(input: unknown, options: SolveOptions = {}): Promise<Plan> {
  const t0 = performance.now();
  const budget = options.timeLimitSeconds ?? 60;
  const progress = (p: Omit<SolveProgress, 'shiftsTotal' | 'componentsTotal'>, totals: [number, number]): void =>
    options.onProgress?.({ ...p, shiftsTotal: totals[0], componentsTotal: totals[1] });
  const warming = warmUpCpSat();
  const scenario = validateScenario(input);
  const problem = prepareProblem(scenario);
  const totals: [number, number] = [problem.shifts.length, problem.components.length];
  progress({ phase: 'modelling', shiftsDone: 0, componentsDone: 0 }, totals);
  await warming;

  const results: ComponentResult[] = [];
  let shiftsDone = 0;
  // Bigger components first is no better here; keep station/time order for readable progress.
  for (const comp of problem.components) {
    if (options.isCancelled?.()) throw new SolveCancelledError();
    // Before each component too, so a long component shows which one is running.
    progress({ phase: 'solving', shiftsDone, componentsDone: results.length }, totals);
    const left = Math.max(1, budget - (performance.now() - t0) / 1000);
    const r = await solveComponent(problem, comp, { timeLimitSeconds: left, numWorkers: options.numWorkers ?? 1 });
    results.push(r);
    shiftsDone += comp.shifts.length;
    progress({ phase: 'solving', shiftsDone, componentsDone: results.length }, totals);
  }
  if (options.isCancelled?.()) throw new SolveCancelledError();
  progress({ phase: 'assigning', shiftsDone, componentsDone: results.length }, totals);
  const counts = new Map<number, ShiftCounts>();
  for (const r of results) for (const c of r.counts) counts.set(c.shiftIdx, c);
  const { crews, unassigned, devicePinsDropped } = assignOfficers(problem, counts);

  progress({ phase: 'explaining', shiftsDone, componentsDone: results.length }, totals);
  const honoured = new Set<number>();
  for (const sh of problem.shifts) {
    const c = counts.get(sh.idx)!;
    sh.units.forEach((u, ui) => {
      if (u.kind === 'lock' && c.unitPattern[ui]! >= 0) honoured.add(u.index);
    });
  }
  for (const d of devicePinsDropped) honoured.delete(d.lock);
  const solveSeconds = (performance.now() - t0) / 1000;
  const suggestionSeconds =
    options.suggestionBudgetSeconds ?? Math.min(DEFAULT_SUGGESTION_BUDGET_SECONDS, Math.max(1, solveSeconds));
  const meter = new SuggestionMeter(problem, performance.now() + 1000 * suggestionSeconds, options.numWorkers ?? 1);
  const explanations = await explainPlan(
    problem,
    crews,
    unassigned,
    { honoured, droppedPins: devicePinsDropped },
    meter,
  );

  const statuses = results.map((r) => r.status);
  const status: SolveStatus = statuses.every((s) => s === 'OPTIMAL')
    ? 'OPTIMAL'
    : statuses.some((s) => s === 'UNKNOWN')
      ? 'UNKNOWN'
      : 'FEASIBLE';
  const unitStatuses = results.map((r) => r.unitStatus).filter((s) => s !== null);
  const plan: Plan = {
    version: 1,
    status,
    crews,
    unassigned,
    stats: computeStats(crews, unassigned, performance.now() - t0),
    optimality: {
      levels1to3: status === 'OPTIMAL' ? 'proven' : 'not_proven',
      locks: unitStatuses.length === 0 ? 'none' : unitStatuses.every((s) => s === 'OPTIMAL') ? 'proven' : 'not_proven',
      soft: 'heuristic',
    },
    explanations,
    components: results.length,
  };
  progress({ phase: 'done', shiftsDone, componentsDone: results.length }, totals);
  return plan;
}
