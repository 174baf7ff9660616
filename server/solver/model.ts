import { CpSolver, type IntVar } from 'or-tools-wasm/cp-sat';
import { MODEL_RULES } from './constraints/index.js';
import { Lin, createContext, type ModelContext, type PairType } from './model-context.js';
import type { Component, Model, Problem } from './prepare.js';

export type CpStatus = 'OPTIMAL' | 'FEASIBLE' | 'INFEASIBLE' | 'UNKNOWN' | 'MODEL_INVALID';

/** The solved counts of one shift. */
export type ShiftCounts = {
  shiftIdx: number;
  /** carriers[c] model -> count. */
  carriers: Map<Model, number>[];
  singleCarriers: number[];
  singleNonCarriers: number[];
  unassigned: number[];
  pairs: Map<PairType, number>;
  /** Per unit: index of the chosen pattern, or -1 when not honoured. */
  unitPattern: number[];
};

export type ComponentResult = {
  component: number;
  status: CpStatus;
  /** Status of the second pass (locks, previous plan), or null when there was none. */
  unitStatus: CpStatus | null;
  counts: ShiftCounts[];
  objective: { unassigned: number; pairsWithoutCarrier: number; pairsBothCarry: number; singles: number };
  ms: number;
};

export type ComponentSolveOptions = {
  timeLimitSeconds: number;
  numWorkers: number;
  /** Levels (1)-(3) only: skip the locks/previous-plan pass (measuring suggestions needs no more). */
  levelsOnly?: boolean;
  /** Extra CP-SAT parameters. */
  params?: Record<string, unknown>;
};

function statusOf(solver: CpSolver, st: unknown): CpStatus {
  return solver.statusName(st as never) as CpStatus;
}

/** Build and solve the count model of one component: levels 1-3 first, then locks and previous crews. */
export async function solveComponent(
  problem: Problem,
  component: Component,
  opts: ComponentSolveOptions,
): Promise<ComponentResult> {
  const t0 = performance.now();
  const ctx = createContext(problem, component);
  for (const rule of MODEL_RULES) rule.apply(ctx);
  const { levels, model } = ctx;

  let maySingle = 0;
  let pairBound = 0;
  for (const sv of ctx.shifts) {
    pairBound += Math.floor(sv.shift.onDuty.length / 2);
    sv.shift.classes.forEach((c) => (maySingle += c.maySingle ? c.officers.length : 0));
  }
  const w2 = maySingle + 1;
  const w1 = w2 * (pairBound + 1);
  const main = new Lin().addLin(levels.unassigned, w1).addLin(levels.singles, 1);
  if (problem.legacy) main.addLin(levels.pairsBothCarry, -w2).addConst(w2 * pairBound);
  else main.addLin(levels.pairsWithoutCarrier, w2);
  model.minimize(main.expr());

  const allVars = collectVars(ctx);
  const solver = new CpSolver();
  const params = {
    numWorkers: opts.numWorkers,
    maxTimeInSeconds: opts.timeLimitSeconds,
    randomSeed: 7,
    ...opts.params,
  };
  const stA = statusOf(solver, await solver.solve(model, params));
  if (stA !== 'OPTIMAL' && stA !== 'FEASIBLE') {
    throw new Error(
      `CP-SAT returned ${stA} for component ${component.idx} (${component.station}); the count model is always feasible`,
    );
  }
  let values = allVars.map((v) => solver.value(v));
  let unitStatus: CpStatus | null = null;
  const hasUnits = ctx.shifts.some((sv) => sv.shift.units.length > 0);
  if (hasUnits && stA === 'OPTIMAL' && opts.levelsOnly !== true) {
    const best = Math.round(solver.objectiveValue());
    model.addLinearConstraint(main.expr(), best, best);
    let baselineUnits = 0;
    ctx.shifts.forEach((sv) => sv.shift.units.forEach((u) => (baselineUnits += u.kind === 'baseline' ? 1 : 0)));
    model.minimize(
      new Lin()
        .addLin(levels.locksBroken, 2 * baselineUnits + 1)
        .addLin(levels.baselineChanged)
        .expr(),
    );
    allVars.forEach((v, i) => model.addHint(v, values[i]!));
    const solverB = new CpSolver();
    const stB = statusOf(solverB, await solverB.solve(model, params));
    unitStatus = stB;
    if (stB === 'OPTIMAL' || stB === 'FEASIBLE') values = allVars.map((v) => solverB.value(v));
  } else if (hasUnits) unitStatus = 'UNKNOWN';

  const valueOf = new Map<IntVar, number>(allVars.map((v, i) => [v, values[i]!]));
  const val = (v: IntVar): number => valueOf.get(v)!;
  const evalLin = (l: Lin): number => l.vars.reduce((s, v, i) => s + val(v) * l.coeffs[i]!, l.constant);
  const counts: ShiftCounts[] = ctx.shifts.map((sv) => ({
    shiftIdx: sv.shift.idx,
    carriers: sv.k.map(
      (row) => new Map(sv.stationModels.map((m, j) => [m, val(row[j]!)] as const).filter(([, n]) => n > 0)),
    ),
    singleCarriers: sv.singleCarriers.map(val),
    singleNonCarriers: sv.singleNonCarriers.map(val),
    unassigned: sv.unassigned.map(val),
    pairs: new Map([...sv.pairs.entries()].map(([k, v]) => [k, val(v)] as const)),
    unitPattern: sv.unitPatterns.map((bools) => bools.findIndex((b) => val(b) === 1)),
  }));
  return {
    component: component.idx,
    status: stA,
    unitStatus,
    counts,
    objective: {
      unassigned: evalLin(levels.unassigned),
      pairsWithoutCarrier: evalLin(levels.pairsWithoutCarrier),
      pairsBothCarry: evalLin(levels.pairsBothCarry),
      singles: evalLin(levels.singles),
    },
    ms: performance.now() - t0,
  };
}

function collectVars(ctx: ModelContext): IntVar[] {
  const out: IntVar[] = [];
  for (const sv of ctx.shifts) {
    sv.k.forEach((row) => out.push(...row));
    out.push(...sv.singleCarriers, ...sv.singleNonCarriers, ...sv.unassigned, ...sv.pairs.values());
    sv.unitPatterns.forEach((bools) => out.push(...bools));
  }
  return out;
}
