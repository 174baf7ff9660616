import type { ScenarioChange } from '../../shared/schemas/plan.schema.js';
import type { Scenario, ScenarioDeviceModel, ScenarioOfficer } from '../../shared/schemas/scenario.schema.js';
import { solveComponent } from './model.js';
import { prepareProblem, type Component, type Problem } from './prepare.js';

/** Ids of devices and officers a change adds start with this. */
export const SUGGESTED_ID_PREFIX = 'SUGGEST-';

/**
 * The scenario with `changes` applied, exactly as a suggestion was measured: repair or lend devices,
 * add devices or officers, renew, lift a suspension, endorse (and allow students/specials), authorise.
 * Unknown serials and officers are ignored. Pure: `base` is not changed.
 */
export function applyScenarioChanges(base: Scenario, changes: readonly ScenarioChange[]): Scenario {
  const s: Scenario = structuredClone(base);
  const officers = new Map(s.officers.map((o) => [o.id, o]));
  const devices = new Map(s.devices.map((d) => [d.serial, d]));
  const freshId = (stem: string, taken: (id: string) => boolean): string => {
    for (let n = 1; ; n++) if (!taken(`${stem}-${n}`)) return `${stem}-${n}`;
  };
  for (const c of changes) {
    switch (c.kind) {
      case 'repair_device':
        c.serials.forEach((x) => devices.get(x) && (devices.get(x)!.serviceable = true));
        break;
      case 'move_device':
        c.serials.forEach((x) => devices.get(x) && (devices.get(x)!.station = c.station));
        break;
      case 'add_device':
        for (let n = 0; n < c.count; n++) {
          const serial = freshId(`${SUGGESTED_ID_PREFIX}${c.station}-${c.model}`, (id) => devices.has(id));
          const d = { serial, model: c.model as ScenarioDeviceModel, station: c.station, serviceable: true };
          s.devices.push(d);
          devices.set(serial, d);
        }
        break;
      case 'renew_authorisation':
        c.officers.forEach((id) => {
          const t = officers.get(id)?.taser;
          if (t) t.lastTrained = c.lastTrained;
        });
        break;
      case 'lift_suspension':
        c.officers.forEach((id) => {
          const t = officers.get(id)?.taser;
          if (t) t.suspended = false;
        });
        break;
      case 'endorse_officer':
        c.officers.forEach((id) => {
          const o = officers.get(id);
          if (!o?.taser) return;
          o.taser.endorsed = true;
          if (o.kind === 'student') s.policy.studentOfficersMayCarry = true;
          if (o.kind === 'special') s.policy.specialsMayCarry = true;
        });
        break;
      case 'train_officer':
        c.officers.forEach((id) => {
          const o = officers.get(id);
          if (o && o.taser === null)
            o.taser = {
              lastTrained: c.lastTrained,
              models: [c.model as ScenarioDeviceModel],
              endorsed: false,
              suspended: false,
              volunteer: true,
            };
        });
        break;
      case 'add_officer': {
        const shift = s.shifts.find((x) => x.id === c.shift);
        if (!shift) break;
        for (let n = 0; n < (c.count ?? 1); n++) {
          const o: ScenarioOfficer = {
            id: freshId(`${SUGGESTED_ID_PREFIX}${c.rank}-${c.shift}`, (id) => officers.has(id)),
            rank: c.rank as ScenarioOfficer['rank'],
            kind: 'regular',
            station: shift.station,
            shifts: [c.shift],
            taser:
              c.model === undefined
                ? null
                : {
                    lastTrained: c.lastTrained ?? shift.start.slice(0, 10),
                    models: [c.model as ScenarioDeviceModel],
                    endorsed: false,
                    suspended: false,
                    volunteer: true,
                  },
          };
          s.officers.push(o);
          officers.set(o.id, o);
        }
        break;
      }
    }
  }
  return s;
}

/** Levels (1) and (2) of a component's optimum: officers unassigned, and pairs covered. */
export type Measure = {
  unassigned: number;
  /** Revised: minus the pairs without a carrier. Legacy: the pairs in which both carry. Higher is better. */
  covered: number;
};

/**
 * Re-solves one component (levels 1-3, proven optimal) with changes applied, within a time budget.
 * Results are cached by component and change, so shifts of one component share their measurements.
 */
export class SuggestionMeter {
  private readonly cache = new Map<string, Promise<Measure | null>>();
  private readonly subs = new Map<number, Scenario>();
  measured = 0;

  constructor(
    private readonly problem: Problem,
    private readonly deadline: number,
    private readonly numWorkers = 1,
  ) {}

  outOfTime(): boolean {
    return performance.now() >= this.deadline;
  }

  /** The component alone: its shifts, their officers (on those shifts only), no locks or previous plan. */
  private sub(comp: Component): Scenario {
    let s = this.subs.get(comp.idx);
    if (!s) {
      const { scenario } = this.problem;
      const ids = new Set(comp.shifts.map((i) => this.problem.shifts[i]!.id));
      s = {
        ...scenario,
        shifts: scenario.shifts.filter((x) => ids.has(x.id)),
        officers: scenario.officers
          .filter((o) => o.shifts.some((id) => ids.has(id)))
          .map((o) => ({ ...o, shifts: o.shifts.filter((id) => ids.has(id)) })),
        devices: scenario.devices.filter((d) => d.station === comp.station),
        locks: [],
      };
      delete s.previousPlan;
      this.subs.set(comp.idx, s);
    }
    return s;
  }

  measure(comp: Component, changes: readonly ScenarioChange[]): Promise<Measure | null> {
    const key = `${comp.idx}|${JSON.stringify(changes)}`;
    let p = this.cache.get(key);
    if (!p) {
      p = this.run(comp, changes);
      this.cache.set(key, p);
    }
    return p;
  }

  private async run(comp: Component, changes: readonly ScenarioChange[]): Promise<Measure | null> {
    if (this.outOfTime()) return null;
    const base = this.sub(comp);
    const moved = new Set(changes.flatMap((c) => (c.kind === 'move_device' ? c.serials : [])));
    const withMoved =
      moved.size === 0
        ? base
        : { ...base, devices: [...base.devices, ...this.problem.scenario.devices.filter((d) => moved.has(d.serial))] };
    const changed = changes.length === 0 ? withMoved : applyScenarioChanges(withMoved, changes);
    const problem = prepareProblem({ ...changed, devices: changed.devices.filter((d) => d.station === comp.station) });
    let unassigned = 0;
    let covered = 0;
    for (const c of problem.components) {
      const left = (this.deadline - performance.now()) / 1000;
      if (left <= 0) return null;
      try {
        const r = await solveComponent(problem, c, {
          timeLimitSeconds: Math.min(2, left),
          numWorkers: this.numWorkers,
          levelsOnly: true,
          // Measured here: presolve costs more than it saves on a one-station component.
          params: { cpModelPresolve: false },
        });
        if (r.status !== 'OPTIMAL') return null;
        unassigned += r.objective.unassigned;
        covered += problem.legacy ? r.objective.pairsBothCarry : -r.objective.pairsWithoutCarrier;
      } catch {
        return null;
      }
    }
    this.measured++;
    return { unassigned, covered };
  }
}
