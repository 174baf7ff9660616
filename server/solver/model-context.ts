import { CpModel, LinearExpr, type IntVar, type BoolVar, type LinearExprLike } from 'or-tools-wasm/cp-sat';
import type { Component, Model, Problem, ShiftInfo } from './prepare.js';

/** Crew roles that decide who may pair with whom. */
export type Role = 'CN' | 'CS' | 'NN' | 'NS';
export const ROLES: readonly Role[] = ['CN', 'CS', 'NN', 'NS'];
/** C/N: carrier or not; N/S: experienced (non-student) or student. */
export const roleIsCarrier = (r: Role): boolean => r[0] === 'C';
export const roleIsStudent = (r: Role): boolean => r[1] === 'S';

export type PairType = `${Role}-${Role}`;
/** Every unordered pair of roles, in a fixed order. */
export const PAIR_TYPES: readonly [Role, Role][] = ROLES.flatMap((a, i) =>
  ROLES.slice(i).map((b) => [a, b] as [Role, Role]),
);
export const pairKey = (a: Role, b: Role): PairType => `${a}-${b}`;

/** A linear expression kept as plain terms so that rules can add to it cheaply. */
export class Lin {
  readonly vars: IntVar[] = [];
  readonly coeffs: number[] = [];
  constant = 0;
  add(v: IntVar | null | undefined, c = 1): this {
    if (v && c !== 0) {
      this.vars.push(v);
      this.coeffs.push(c);
    }
    return this;
  }
  addConst(c: number): this {
    this.constant += c;
    return this;
  }
  addLin(other: Lin, c = 1): this {
    other.vars.forEach((v, i) => this.add(v, other.coeffs[i]! * c));
    this.constant += other.constant * c;
    return this;
  }
  expr(): LinearExprLike {
    const s =
      this.vars.length === 0 ? LinearExpr.constant(0) : LinearExpr.from(LinearExpr.weightedSum(this.vars, this.coeffs));
    return this.constant === 0 ? s : s.plus(this.constant);
  }
}

/** The count variables of one shift (see README: "The formulation"). */
export type ShiftVars = {
  shift: ShiftInfo;
  /** Models with a serviceable device at the shift's station. */
  stationModels: Model[];
  /** k[c][j]: officers of class c carrying stationModels[j]. */
  k: IntVar[][];
  /** Single crews of class c that carry / do not carry. */
  singleCarriers: IntVar[];
  singleNonCarriers: IntVar[];
  unassigned: IntVar[];
  /** Pairs by the roles of their two members. */
  pairs: Map<PairType, IntVar>;
  /** unitPatterns[u][p]: lock/baseline unit u is formed as its pattern p. */
  unitPatterns: BoolVar[][];
  /** Officers of class c left for the free part once honoured units are taken out. */
  available: Lin[];
};

/** What every constraint file receives: the model, the data and the variables. */
export type ModelContext = {
  model: CpModel;
  problem: Problem;
  component: Component;
  shifts: ShiftVars[];
  byShift: Map<number, ShiftVars>;
  /** Objective levels, filled by the objective rule files. */
  levels: {
    unassigned: Lin;
    pairsWithoutCarrier: Lin;
    pairsBothCarry: Lin;
    singles: Lin;
    locksBroken: Lin;
    baselineChanged: Lin;
  };
};

export function createContext(problem: Problem, component: Component): ModelContext {
  const model = new CpModel();
  const shifts: ShiftVars[] = [];
  const byShift = new Map<number, ShiftVars>();
  for (const si of component.shifts) {
    const sh = problem.shifts[si]!;
    const here = problem.devices.get(sh.station);
    const stationModels = ([...(here?.keys() ?? [])] as Model[]).filter((m) => (here?.get(m)?.length ?? 0) > 0).sort();
    const p = `s${si}`;
    const sv: ShiftVars = {
      shift: sh,
      stationModels,
      k: sh.classes.map((c, ci) => stationModels.map((m) => model.newIntVar(0, c.officers.length, `${p}_k${ci}_${m}`))),
      singleCarriers: sh.classes.map((c, ci) => model.newIntVar(0, c.officers.length, `${p}_sc${ci}`)),
      singleNonCarriers: sh.classes.map((c, ci) => model.newIntVar(0, c.officers.length, `${p}_sn${ci}`)),
      unassigned: sh.classes.map((c, ci) => model.newIntVar(0, c.officers.length, `${p}_u${ci}`)),
      pairs: new Map(
        PAIR_TYPES.map(([a, b]) => [
          pairKey(a, b),
          model.newIntVar(0, Math.floor(sh.onDuty.length / (a === b ? 2 : 1)), `${p}_x${a}${b}`),
        ]),
      ),
      unitPatterns: sh.units.map((u, ui) => u.patterns.map((_, pi) => model.newBoolVar(`${p}_l${ui}_${pi}`))),
      available: sh.classes.map((c) => new Lin().addConst(c.officers.length)),
    };
    shifts.push(sv);
    byShift.set(si, sv);
  }
  return {
    model,
    problem,
    component,
    shifts,
    byShift,
    levels: {
      unassigned: new Lin(),
      pairsWithoutCarrier: new Lin(),
      pairsBothCarry: new Lin(),
      singles: new Lin(),
      locksBroken: new Lin(),
      baselineChanged: new Lin(),
    },
  };
}

/** Carriers of class c on a shift, all models. */
export function carriersOfClass(sv: ShiftVars, ci: number): Lin {
  const l = new Lin();
  sv.k[ci]!.forEach((v) => l.add(v));
  return l;
}

/** Members of role r in the free (non-unit) pairs of a shift, as a linear expression. */
export function roleCount(sv: ShiftVars, r: Role): Lin {
  const l = new Lin();
  sv.shift.classes.forEach((c, ci) => {
    if (c.student !== roleIsStudent(r)) return;
    if (roleIsCarrier(r)) l.addLin(carriersOfClass(sv, ci)).add(sv.singleCarriers[ci], -1);
    else
      l.addLin(sv.available[ci]!)
        .addLin(carriersOfClass(sv, ci), -1)
        .add(sv.singleNonCarriers[ci], -1)
        .add(sv.unassigned[ci], -1);
  });
  return l;
}
