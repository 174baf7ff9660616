import { CpModel, CpSolver, LinearExpr, type BoolVar, type IntVar } from 'or-tools-wasm/cp-sat';
import { pairsLostTo } from '../../shared/rules/refresher.js';
import { warmUpCpSat } from './cp-sat.js';

/**
 * The refresher planner's model (docs/refreshers.md): pure data, no dates or names, so tests and the
 * benchmark build it directly. `cells` are the shifts worked on course days (one team's shift at one
 * station on one day); `groups` gather the cells of one borough, day and shift code (the force minimum
 * of Taser units is per borough and shift).
 */
export type RefresherProblem = {
  /** Places left in each course slot (one training site's course on one date). */
  places: number[];
  /**
   * Per officer due a refresher: the course slots they may take (a site serving them, a date they are on duty,
   * before the lapse) and the cell they leave. Slots of different sites on one date leave the same cell.
   */
  officers: { cands: { slot: number; cell: number }[] }[];
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

export type RefresherSolveOptions = {
  timeLimitSeconds?: number;
  numWorkers?: number;
  /** Stop once the objective is proven within this fraction of its bound (e.g. 0.01). */
  relativeGapLimit?: number;
};

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
      used[o.cands[c]!.slot]! += 1;
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
 * Level 1 exactly: the most officers that can be given a course slot within its places (a bipartite
 * b-matching of officers to slots, by augmenting paths). Every officer's away count on a cell is at most its carriers by
 * construction (the officers due are carriers there), so only the places bind.
 */
export function mostPlannable(p: RefresherProblem): number {
  const slotOf = new Array<number>(p.officers.length).fill(-1);
  const holders: number[][] = p.places.map(() => []);
  const augment = (start: number): boolean => {
    // BFS over officers; an edge officer -> slot, a slot at capacity leads on to each officer holding it.
    const prev = new Map<number, { officer: number; slot: number }>();
    const seen = new Set<number>([start]);
    const queue = [start];
    while (queue.length) {
      const o = queue.shift()!;
      for (const c of p.officers[o]!.cands) {
        if (slotOf[o] === c.slot) continue;
        if (holders[c.slot]!.length < p.places[c.slot]!) {
          // Walk back: each officer on the path moves to the slot it reached.
          let cur = o;
          let slot = c.slot;
          for (;;) {
            const old = slotOf[cur]!;
            if (old >= 0) holders[old] = holders[old]!.filter((x) => x !== cur);
            slotOf[cur] = slot;
            holders[slot]!.push(cur);
            const back = prev.get(cur);
            if (!back) return true;
            cur = back.officer;
            slot = back.slot;
          }
        }
        for (const h of holders[c.slot]!) {
          if (seen.has(h)) continue;
          seen.add(h);
          prev.set(h, { officer: o, slot: c.slot });
          queue.push(h);
        }
      }
    }
    return false;
  };
  let n = 0;
  p.officers.forEach((_, i) => (n += augment(i) ? 1 : 0));
  return n;
}

/**
 * A quick greedy start: officers with the fewest course slots first, each to the slot that adds the least
 * (unplanned, pairs lost, quarter hours below), later days first on ties (the authorisation restarts on the
 * course day, so a later one wastes less of it). Given to CP-SAT as its hint.
 */
export function greedyRefreshers(p: RefresherProblem): number[] {
  const used = new Array<number>(p.places.length).fill(0);
  const away = new Array<number>(p.cells.length).fill(0);
  const groupAway = new Array<number>(p.groups.length).fill(0);
  const { wPairs } = refresherWeights(p);
  const chosen = p.officers.map(() => -1);
  const order = p.officers.map((_, i) => i).sort((a, b) => p.officers[a]!.cands.length - p.officers[b]!.cands.length);
  for (const i of order) {
    let best = -1;
    let bestCost = Infinity;
    p.officers[i]!.cands.forEach((c, j) => {
      if (used[c.slot]! >= p.places[c.slot]!) return;
      const cell = p.cells[c.cell]!;
      if (away[c.cell]! >= cell.carriers) return;
      const g = p.groups[cell.group]!;
      const dPairs =
        pairsLostTo(cell.onDuty, cell.carriers, away[c.cell]! + 1) -
        pairsLostTo(cell.onDuty, cell.carriers, away[c.cell]!);
      const dBelow =
        g.carriers >= g.min &&
        g.carriers - groupAway[cell.group]! - 1 < g.min &&
        g.carriers - groupAway[cell.group]! >= g.min
          ? g.weight
          : 0;
      const cost = dPairs * wPairs + dBelow;
      if (cost <= bestCost) {
        best = j;
        bestCost = cost;
      }
    });
    if (best < 0) continue;
    const c = p.officers[i]!.cands[best]!;
    chosen[i] = best;
    used[c.slot]! += 1;
    away[c.cell]! += 1;
    groupAway[p.cells[c.cell]!.group]! += 1;
  }
  return chosen;
}

/**
 * Choose a course slot (site and date) for each officer: at most one each, each slot's places respected, minimising lexicographically
 * (1) officers left unplanned, (2) pairs without a carrier added, (3) quarter hours below the minimum added,
 * as one weighted objective ({@link refresherWeights}); docs/refreshers.md gives the model.
 */
export async function solveRefreshers(
  p: RefresherProblem,
  opts: RefresherSolveOptions = {},
): Promise<RefresherSolution> {
  const t0 = performance.now();
  await warmUpCpSat();
  const m = new CpModel();
  const { wUnplanned, wPairs } = refresherWeights(p);
  const start = greedyRefreshers(p);
  const x: BoolVar[][] = p.officers.map((o, i) => o.cands.map((_, j) => m.newBoolVar(`x${i}_${j}`)));
  const bySlot: BoolVar[][] = p.places.map(() => []);
  const byCell: BoolVar[][] = p.cells.map(() => []);
  const objVars: IntVar[] = [];
  const objCoeffs: number[] = [];
  let objConst = 0;
  p.officers.forEach((o, i) => {
    o.cands.forEach((c, j) => {
      bySlot[c.slot]!.push(x[i]![j]!);
      byCell[c.cell]!.push(x[i]![j]!);
      m.addHint(x[i]![j]!, start[i] === j ? 1 : 0);
    });
    if (x[i]!.length > 1) m.addAtMostOne(x[i]!);
  });
  // Level 1 is solved exactly beforehand (mostPlannable): the model plans exactly that many.
  const plannable = mostPlannable(p);
  const allX = x.flat();
  if (allX.length > 0) m.addLinearConstraint(LinearExpr.sum(allX), plannable, plannable);
  objConst += (p.officers.length - plannable) * wUnplanned;
  bySlot.forEach((vs, d) => {
    if (vs.length > p.places[d]!) m.addLinearConstraint(LinearExpr.sum(vs), 0, p.places[d]!);
  });
  const startAway = new Array<number>(p.cells.length).fill(0);
  p.officers.forEach((o, i) => start[i]! >= 0 && (startAway[o.cands[start[i]!]!.cell]! += 1));
  // Cells: away = Σx = Σ z_k (unary, z_k ≥ z_{k+1}); each step costs 0 or 1 pair (pairsLostTo is monotone).
  p.cells.forEach((c, ci) => {
    const xs = byCell[ci]!;
    if (xs.length === 0) return;
    const cap = Math.min(xs.length, c.carriers);
    const steps: number[] = [];
    for (let k = 1; k <= cap; k++)
      steps.push(pairsLostTo(c.onDuty, c.carriers, k) - pairsLostTo(c.onDuty, c.carriers, k - 1));
    if (steps.every((s) => s === 0)) return;
    const z = steps.map((_, k) => m.newBoolVar(`z${ci}_${k}`));
    for (let k = 0; k + 1 < z.length; k++) m.addImplication(z[k + 1]!, z[k]!);
    m.addLinearConstraint(LinearExpr.weightedSum([...xs, ...z], [...xs.map(() => 1), ...z.map(() => -1)]), 0, 0);
    z.forEach((v, k) => m.addHint(v, k < startAway[ci]! ? 1 : 0));
    steps.forEach((s, k) => {
      if (s > 0) {
        objVars.push(z[k]!);
        objCoeffs.push(wPairs * s);
      }
    });
  });
  // Groups: below once more carriers leave than the slack above the minimum.
  const groupXs: BoolVar[][] = p.groups.map(() => []);
  const groupStart = new Array<number>(p.groups.length).fill(0);
  p.cells.forEach((c, ci) => {
    groupXs[c.group]!.push(...byCell[ci]!);
    groupStart[c.group]! += startAway[ci]!;
  });
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
    m.addHint(below, groupStart[gi]! > slack ? 1 : 0);
    objVars.push(below);
    objCoeffs.push(g.weight);
  });
  const obj = objVars.length ? LinearExpr.from(LinearExpr.weightedSum(objVars, objCoeffs)) : LinearExpr.constant(0);
  m.minimize(obj.plus(objConst));
  const solver = new CpSolver();
  const st = solver.statusName(
    await solver.solve(m, {
      numWorkers: opts.numWorkers ?? 1,
      maxTimeInSeconds: opts.timeLimitSeconds ?? 30,
      randomSeed: 7,
      // Presolve on this model is slow in WebAssembly for little gain; the LP bound does the proving.
      maxPresolveIterations: 1,
      cpModelProbingLevel: 1,
      // The full linear relaxation: on the Bromley demo (365 days) it finds 31 pairs lost instead of 34 in the
      // 30 s limit and proves a bound within 6.5 % (level 1 proved none); the benchmark BCU stays OPTIMAL in ~2 s.
      linearizationLevel: 2,
      ...(process.env.REFRESHER_DEBUG ? { logSearchProgress: true } : {}),
      ...(opts.relativeGapLimit ? { relativeGapLimit: opts.relativeGapLimit } : {}),
    }),
  );
  const found = st === 'OPTIMAL' || st === 'FEASIBLE';
  const chosen = found ? x.map((row) => row.findIndex((v) => solver.value(v) === 1)) : start;
  const { overCapacity: _o, ...levels } = evaluateRefresherChoice(p, chosen);
  const objective = levels.unplanned * wUnplanned + levels.pairsLost * wPairs + levels.quarterHoursBelow;
  const bound =
    st === 'OPTIMAL' ? objective : found ? Math.min(objective, Math.ceil(solver.bestObjectiveBound() - 1e-6)) : 0;
  if (process.env.REFRESHER_DEBUG) console.error(`${st} ${objective} bound ${solver.bestObjectiveBound()}`);
  return {
    status: st === 'OPTIMAL' ? 'OPTIMAL' : 'FEASIBLE',
    chosen,
    levels,
    objective,
    bound,
    gap: objective === 0 ? 0 : Math.max(0, (objective - bound) / objective),
    ms: performance.now() - t0,
  };
}
