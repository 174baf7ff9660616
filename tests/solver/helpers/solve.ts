import assert from 'node:assert/strict';
import type { Plan } from '../../../shared/schemas/plan.schema.js';
import type { ScenarioInput } from '../../../shared/schemas/scenario.schema.js';
import { preferBaselineWasm } from '../../../server/solver/cp-sat.js';
import { solveScenario, type SolveOptions } from '../../../server/solver/solve.js';
import { checkPlan } from './plan-checker.js';

preferBaselineWasm();

/** Enough time to measure every suggestion of a test scenario, however busy the machine. */
export const MEASURE_ALL = { suggestionBudgetSeconds: 120 } as const;

/** Solve, then insist that the independent checker finds nothing wrong. */
export async function solveChecked(scenario: ScenarioInput, options: SolveOptions = {}): Promise<Plan> {
  const plan = await solveScenario(scenario, options);
  assert.deepEqual(checkPlan(scenario, plan), [], 'the plan breaks a rule');
  return plan;
}

/** The crew of an officer on a shift. */
export function crewOf(plan: Plan, officer: string, shift?: string): Plan['crews'][number] | undefined {
  return plan.crews.find((c) => c.members.includes(officer) && (shift === undefined || c.shift === shift));
}

export const carriersOn = (plan: Plan, shift?: string): string[] =>
  plan.crews.filter((c) => shift === undefined || c.shift === shift).flatMap((c) => c.carriers.map((k) => k.officer));
