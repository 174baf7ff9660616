import { CpModel, CpSolver, LinearExpr, type BoolVar } from 'or-tools-wasm/cp-sat';
import { pairsLostTo } from '../../shared/rules/refresher.js';
import { warmUpCpSat } from './cp-sat.js';

/**
 * The refresher planner's model (docs/refreshers.md): pure data, no dates or names, so tests and the
 * benchmark build it directly. `cells` are the shifts worked on course days (one team's shift at one
 * station on one day); `groups` gather the cells of one borough, day and shift code (the force minimum
 * of Taser units is per borough and shift).
 */
export type RefresherProblem = {
  /** Places left on each course day. */
  places: number[];
  /** Per officer due a refresher: the course days they may take (on duty, before the lapse) and the cell they leave. */
  officers: { cands: { day: number; cell: number }[] }[];
  /** Officers on duty and carriers among them on the cell before anyone leaves for the course. */
  cells: { onDuty: number; carriers: number; group: number }[];
  /** `weight`: the shift's length in quarter hours; `min`: Taser units the borough needs on it. */
  groups: { weight: number; carriers: number; min: number }[];
};

export type RefresherStatus = 'OPTIMAL' | 'FEASIBLE' | 'UNKNOWN';

export type RefresherSolution = {
  status: RefresherStatus;
  /** Per officer: the index into their `cands`, or -1 when left unplanned. */
  chosen: number[];
  levels: { unplanned: number; pairsLost: number; quarterHoursBelow: number };
  objective: number;
  bound: number;
  /** (objective - bound) / objective, 0 when proven optimal or both are 0. */
  gap: number;
  ms: number;
};

export type RefresherSolveOptions = { timeLimitSeconds?: number; numWorkers?: number };

/** The weights that make the single objective lexicographic: unplanned, then pairs lost, then hours below. */
export function refresherWeights(p: RefresherProblem): { wUnplanned: number; wPairs: number } {
  const maxQuarterHours = p.groups.reduce((s, g) => s + g.weight, 0);
  const wPairs = maxQuarterHours + 1;
  let maxPairs = 0;
  const inCell = new Array<number>(p.cells.length).fill(0);
  p.officers.forEach((o) => o.cands.forEach((c) => (inCell[c.cell]! += 1)));
  p.cells.forEach((c, i) => (maxPairs += pairsLostTo(c.onDuty, c.carriers, Math.min(inCell[i]!, c.carriers))));
  return { wPairs, wUnplanned: wPairs * (maxPairs + 1) };
}

/** The three objective levels of a choice (the same arithmetic as the model, for checks and reports). */
export function evaluateRefresherChoice(
  p: RefresherProblem,
  chosen: readonly number[],
): { unplanned: number; pairsLost: number; quarterHoursBelow: number; overCapacity: number } {
  const away = new Array<number>(p.cells.length).fill(0);
  const used = new Array<number>(p.places.length).fill(0);
  let unplanned = 0;
  p.officers.forEach((o, i) => {
    const c = chosen[i] ?? -1;
    if (c < 0) unplanned += 1;
    else {
      away[o.cands[c]!.cell]! += 1;
      used[o.cands[c]!.day]! += 1;
    }
  });
  let pairsLost = 0;
  const groupAway = new Array<number>(p.groups.length).fill(0);
  p.cells.forEach((c, i) => {
    pairsLost += pairsLostTo(c.onDuty, c.carriers, away[i]!);
    groupAway[c.group]! += away[i]!;
  });
  let quarterHoursBelow = 0;
  p.groups.forEach((g, i) => {
    if (g.carriers >= g.min && g.carriers - groupAway[i]! < g.min) quarterHoursBelow += g.weight;
  });
  const overCapacity = used.reduce((s, u, d) => s + Math.max(0, u - p.places[d]!), 0);
  return { unplanned, pairsLost, quarterHoursBelow, overCapacity };
}

/**
 * Choose a course day for each officer: at most one each, places respected, minimising (lexicographically)
 * officers left unplanned, pairs without a carrier added, quarter hours below the minimum added.
 */
export async function solveRefreshers(
  p: RefresherProblem,
  opts: RefresherSolveOptions = {},
): Promise<RefresherSolution> {
  const t0 = performance.now();
  await warmUpCpSat();
  const m = new CpModel();
  const { wUnplanned, wPairs } = refresherWeights(p);
  const x: BoolVar[][] = p.officers.map((o, i) => o.cands.map((_, j) => m.newBoolVar(`x${i}_${j}`)));
  const byDay: BoolVar[][] = p.places.map(() => []);
  const byCell: BoolVar[][] = p.cells.map(() => []);
  const objVars: (BoolVar | ReturnType<CpModel['newIntVar']>)[] = [];
  const objCoeffs: number[] = [];
  let objConst = 0;
  p.officers.forEach((o, i) => {
    o.cands.forEach((c, j) => {
      byDay[c.day]!.push(x[i]![j]!);
      byCell[c.cell]!.push(x[i]![j]!);
    });
    if (x[i]!.length > 0) m.addAtMostOne(x[i]!);
    // unplanned = 1 - Σx: weight it as a constant minus the sum.
    objConst += wUnplanned;
    x[i]!.forEach((v) => {
      objVars.push(v);
      objCoeffs.push(-wUnplanned);
    });
  });
  byDay.forEach((vs, d) => {
    if (vs.length > p.places[d]!) m.addLinearConstraint(LinearExpr.sum(vs), 0, p.places[d]!);
  });
  // Cells: away = Σx = Σ z_k (unary, z_k ≥ z_{k+1}); the loss steps are 0 or 1 (pairsLostTo is monotone).
  p.cells.forEach((c, ci) => {
    const xs = byCell[ci]!;
    if (xs.length === 0) return;
    const cap = Math.min(xs.length, c.carriers);
    if (cap < xs.length) m.addLinearConstraint(LinearExpr.sum(xs), 0, cap);
    const steps: number[] = [];
    for (let k = 1; k <= cap; k++)
      steps.push(pairsLostTo(c.onDuty, c.carriers, k) - pairsLostTo(c.onDuty, c.carriers, k - 1));
    const first = steps.findIndex((s) => s > 0);
    if (first < 0) return;
    // Away up to `first` costs nothing; beyond it each step k costs steps[k].
    const z = steps.map((_, k) => m.newBoolVar(`z${ci}_${k}`));
    for (let k = 0; k + 1 < z.length; k++) m.addImplication(z[k + 1]!, z[k]!);
    m.addLinearConstraint(LinearExpr.weightedSum([...xs, ...z], [...xs.map(() => 1), ...z.map(() => -1)]), 0, 0);
    steps.forEach((s, k) => {
      if (s > 0) {
        objVars.push(z[k]!);
        objCoeffs.push(wPairs * s);
      }
    });
  });
  // Groups: below once more carriers leave than the slack above the minimum.
  const groupXs: BoolVar[][] = p.groups.map(() => []);
  p.cells.forEach((c, ci) => groupXs[c.group]!.push(...byCell[ci]!));
  p.groups.forEach((g, gi) => {
    const xs = groupXs[gi]!;
    const slack = g.carriers - g.min;
    if (slack < 0 || xs.length <= slack || g.weight === 0) return;
    const below = m.newBoolVar(`b${gi}`);
    // Σx ≤ slack + (n - slack)·below
    m.addLinearConstraint(
      LinearExpr.weightedSum([...xs, below], [...xs.map(() => 1), -(xs.length - slack)]),
      Number.MIN_SAFE_INTEGER,
      slack,
    );
    objVars.push(below);
    objCoeffs.push(g.weight);
  });
  const obj = objVars.length ? LinearExpr.from(LinearExpr.weightedSum(objVars, objCoeffs)) : LinearExpr.constant(0);
  m.minimize(objConst === 0 ? obj : obj.plus(objConst));
  const solver = new CpSolver();
  const st = solver.statusName(
    (await solver.solve(m, {
      numWorkers: opts.numWorkers ?? 1,
      maxTimeInSeconds: opts.timeLimitSeconds ?? 30,
      randomSeed: 7,
    })) as never,
  ) as string;
  if (st !== 'OPTIMAL' && st !== 'FEASIBLE') {
    return {
      status: 'UNKNOWN',
      chosen: p.officers.map(() => -1),
      levels: evaluateRefresherChoice(
        p,
        p.officers.map(() => -1),
      ),
      objective: NaN,
      bound: NaN,
      gap: 1,
      ms: performance.now() - t0,
    };
  }
  const chosen = x.map((row) => row.findIndex((v) => solver.value(v) === 1));
  const { overCapacity: _o, ...levels } = evaluateRefresherChoice(p, chosen);
  const objective = Math.round(solver.objectiveValue());
  const bound = st === 'OPTIMAL' ? objective : Math.ceil(solver.bestObjectiveBound() - 1e-6);
  return {
    status: st,
    chosen,
    levels,
    objective,
    bound,
    gap: objective === 0 ? 0 : Math.max(0, (objective - bound) / Math.abs(objective)),
    ms: performance.now() - t0,
  };
}
