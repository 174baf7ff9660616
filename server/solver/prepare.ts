import { carryIneligibility, type IneligibleReason } from '../../shared/rules/eligibility.js';
import { intervalsOverlap, maximalOverlapCliques } from '../../shared/rules/shift-overlap.js';
import type { CrewSpec, Scenario, ScenarioDeviceModel, ScenarioOfficer } from '../../shared/schemas/scenario.schema.js';
import { shiftLabel } from './labels.js';

export type Model = ScenarioDeviceModel;
export const MODELS: readonly Model[] = ['X2', 'T7', 'T10'];

/** Officers of one shift who are interchangeable for levels (1)-(3). */
export type CrewClass = {
  key: string;
  /** Models this class may carry on this shift (eligible, trained, a serviceable device exists here). */
  models: Model[];
  student: boolean;
  /** Rank in singleCrewRanks and not a student. */
  maySingle: boolean;
  officers: string[];
};

export type PatternCarrier = { officer: string; model: Model; device?: string };
/** One concrete way a lock or baseline crew can be formed. */
export type Pattern = { carriers: PatternCarrier[]; matchesSpec: boolean };

/** A lock or a previous plan's crew on one shift, honoured as a whole or not at all. */
export type CrewUnit = {
  kind: 'lock' | 'baseline';
  /** Index into scenario.locks or previousPlan.crews. */
  index: number;
  shiftIdx: number;
  members: string[];
  patterns: Pattern[];
  /** Why no pattern is valid, when patterns is empty. */
  impossible?: string;
};

export type ShiftInfo = {
  idx: number;
  id: string;
  station: string;
  startMs: number;
  endMs: number;
  label: string;
  onDuty: string[];
  classes: CrewClass[];
  classOf: Map<string, number>;
  /** Why each on-duty officer may not carry here (absent: may carry). */
  ineligible: Map<string, IneligibleReason>;
  /** Eligible officers trained only on models with no serviceable device here. */
  noDeviceForModels: string[];
  units: CrewUnit[];
  component: number;
};

/** Shifts that may share devices (same station, linked by overlaps); solved as one CP-SAT model. */
export type Component = {
  idx: number;
  station: string;
  shifts: number[];
  /** Maximal sets of shifts active at one instant (indices into `shifts` of the problem). */
  cliques: number[][];
};

export type Problem = {
  scenario: Scenario;
  officers: Map<string, ScenarioOfficer>;
  shifts: ShiftInfo[];
  components: Component[];
  /** Serviceable device serials per station and model, sorted. */
  devices: Map<string, Map<Model, string[]>>;
  deviceModel: Map<string, Model>;
  legacy: boolean;
  /** Locks that could not even be considered (e.g. a member already in an earlier lock). */
  rejectedLocks: { index: number; shiftIdx: number; reason: string }[];
};

export function prepareProblem(scenario: Scenario): Problem {
  const legacy = scenario.policy.name === 'legacy';
  const zone = scenario.timezone;
  const officers = new Map(scenario.officers.map((o) => [o.id, o]));
  const devices = new Map<string, Map<Model, string[]>>();
  const deviceModel = new Map<string, Model>();
  for (const d of scenario.devices) {
    deviceModel.set(d.serial, d.model);
    if (!d.serviceable) continue;
    let byModel = devices.get(d.station);
    if (!byModel) devices.set(d.station, (byModel = new Map<ScenarioDeviceModel, string[]>()));
    const list = byModel.get(d.model) ?? [];
    list.push(d.serial);
    byModel.set(d.model, list);
  }
  for (const byModel of devices.values()) for (const list of byModel.values()) list.sort();

  const shiftIdx = new Map<string, number>();
  const shifts: ShiftInfo[] = scenario.shifts.map((s, idx) => {
    shiftIdx.set(s.id, idx);
    return {
      idx,
      id: s.id,
      station: s.station,
      startMs: Date.parse(s.start),
      endMs: Date.parse(s.end),
      label: shiftLabel(s, scenario),
      onDuty: [],
      classes: [],
      classOf: new Map(),
      ineligible: new Map(),
      noDeviceForModels: [],
      units: [],
      component: -1,
    };
  });
  for (const o of scenario.officers) for (const id of o.shifts) shifts[shiftIdx.get(id)!]!.onDuty.push(o.id);

  const singleRanks = new Set(scenario.policy.singleCrewRanks);
  const carryModelsOf = (o: ScenarioOfficer, sh: ShiftInfo): Model[] | IneligibleReason => {
    const why = carryIneligibility(o, scenario.policy, sh.endMs, zone);
    if (why) return why;
    const here = devices.get(sh.station);
    return (o.taser?.models ?? [])
      .filter((m) => (here?.get(m)?.length ?? 0) > 0)
      .sort((a, b) => MODELS.indexOf(a) - MODELS.indexOf(b));
  };

  for (const sh of shifts) {
    const byKey = new Map<string, CrewClass>();
    for (const id of sh.onDuty) {
      const o = officers.get(id)!;
      const cm = carryModelsOf(o, sh);
      let models: Model[] = [];
      if (typeof cm === 'string') sh.ineligible.set(id, cm);
      else {
        models = cm;
        if (models.length === 0) sh.noDeviceForModels.push(id);
      }
      const student = o.kind === 'student';
      const maySingle = !student && singleRanks.has(o.rank);
      const key = `${models.join('+')}|${student ? 'S' : 'E'}|${maySingle ? '1' : '2'}`;
      let c = byKey.get(key);
      if (!c) byKey.set(key, (c = { key, models, student, maySingle, officers: [] }));
      c.officers.push(id);
    }
    sh.classes = [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    sh.classes.forEach((c, i) => c.officers.forEach((id) => sh.classOf.set(id, i)));
  }

  // Units: locks first (earlier locks win a contested officer), then the previous plan's crews.
  const rejectedLocks: Problem['rejectedLocks'] = [];
  const lockedMembers = new Map<number, Set<string>>();
  const lockedSerials = new Map<number, Set<string>>();
  const makeUnit = (kind: CrewUnit['kind'], spec: CrewSpec, index: number): void => {
    const si = shiftIdx.get(spec.shift);
    if (si === undefined) return;
    const sh = shifts[si]!;
    const members = [...new Set(spec.members)];
    if (kind === 'lock') {
      const taken = lockedMembers.get(si) ?? new Set<string>();
      const clash = members.find((m) => taken.has(m));
      if (clash) {
        rejectedLocks.push({ index, shiftIdx: si, reason: `${clash} is already in an earlier lock on this shift` });
        return;
      }
      const serials = lockedSerials.get(si) ?? new Set<string>();
      const dup = (spec.carriers ?? []).find((c) => c.device !== undefined && serials.has(c.device));
      if (dup) {
        rejectedLocks.push({
          index,
          shiftIdx: si,
          reason: `device ${dup.device!} is already locked to another crew on this shift`,
        });
        return;
      }
      members.forEach((m) => taken.add(m));
      lockedMembers.set(si, taken);
      (spec.carriers ?? []).forEach((c) => c.device !== undefined && serials.add(c.device));
      lockedSerials.set(si, serials);
    }
    const { patterns, impossible } = enumeratePatterns(
      kind,
      spec,
      members,
      sh,
      (id) => carryModelsOf(officers.get(id)!, sh),
      {
        legacy,
        singleRanks,
        officers,
        deviceModel,
        serviceable: devices.get(sh.station),
      },
    );
    const unit: CrewUnit = { kind, index, shiftIdx: si, members, patterns };
    if (impossible) unit.impossible = impossible;
    sh.units.push(unit);
  };
  scenario.locks.forEach((l, i) => makeUnit('lock', l, i));
  scenario.previousPlan?.crews.forEach((c, i) => makeUnit('baseline', c, i));

  const components = buildComponents(shifts);
  return { scenario, officers, shifts, components, devices, deviceModel, legacy, rejectedLocks };
}

function enumeratePatterns(
  kind: CrewUnit['kind'],
  spec: CrewSpec,
  members: string[],
  sh: ShiftInfo,
  carryModels: (id: string) => Model[] | IneligibleReason,
  ctx: {
    legacy: boolean;
    singleRanks: Set<string>;
    officers: Map<string, ScenarioOfficer>;
    deviceModel: Map<string, Model>;
    serviceable: Map<Model, string[]> | undefined;
  },
): { patterns: Pattern[]; impossible?: string } {
  const students = members.filter((m) => ctx.officers.get(m)!.kind === 'student');
  if (members.length === 2 && students.length === 2)
    return { patterns: [], impossible: 'two students may not form a pair' };
  if (members.length === 1) {
    const o = ctx.officers.get(members[0]!)!;
    if (o.kind === 'student') return { patterns: [], impossible: 'a student may not be single-crewed' };
    if (!ctx.singleRanks.has(o.rank)) return { patterns: [], impossible: `a ${o.rank} may not single-crew` };
  }
  const specCarrier = new Map((spec.carriers ?? []).map((c) => [c.officer, c.device]));
  // Options per member: null = does not carry, else the carrying choice.
  const options: (PatternCarrier | null)[][] = [];
  for (const m of members) {
    const cm = carryModels(m);
    const opts: (PatternCarrier | null)[] = [];
    const mustCarry = kind === 'lock' && spec.carriers !== undefined && specCarrier.has(m);
    const mustNot = kind === 'lock' && spec.carriers !== undefined && !specCarrier.has(m);
    if (!mustCarry) opts.push(null);
    if (!mustNot && typeof cm !== 'string') {
      const device = kind === 'lock' ? specCarrier.get(m) : undefined;
      if (device !== undefined) {
        const model = ctx.deviceModel.get(device)!;
        const ok = (ctx.serviceable?.get(model) ?? []).includes(device);
        if (ok && cm.includes(model)) opts.push({ officer: m, model, device });
      } else for (const model of cm) opts.push({ officer: m, model });
    }
    if (opts.length === 0) {
      const device = specCarrier.get(m);
      const why =
        typeof cm === 'string'
          ? `${m} may not carry (${cm.replace(/_/g, ' ')})`
          : device !== undefined
            ? `device ${device} is not serviceable or not a model ${m} is trained on`
            : `${m} is not trained on a model with a serviceable device here`;
      return { patterns: [], impossible: why };
    }
    options.push(opts);
  }
  const patterns: Pattern[] = [];
  const specSet = spec.carriers === undefined ? null : new Set(spec.carriers.map((c) => c.officer));
  const push = (chosen: (PatternCarrier | null)[]): void => {
    const carriers = chosen.filter((c): c is PatternCarrier => c !== null);
    if (ctx.legacy) {
      if (members.length === 1 && carriers.length > 0) return;
      if (members.length === 2 && carriers.length === 1) return;
    }
    const matchesSpec =
      specSet === null || (carriers.length === specSet.size && carriers.every((c) => specSet.has(c.officer)));
    patterns.push({ carriers, matchesSpec });
  };
  if (options.length === 1) for (const a of options[0]!) push([a]);
  else for (const a of options[0]!) for (const b of options[1]!) push([a, b]);
  if (patterns.length === 0)
    return { patterns, impossible: 'the legacy policy needs both members of a pair to carry, or neither' };
  return { patterns };
}

function buildComponents(shifts: ShiftInfo[]): Component[] {
  const byStation = new Map<string, ShiftInfo[]>();
  for (const sh of shifts) {
    const list = byStation.get(sh.station) ?? [];
    list.push(sh);
    byStation.set(sh.station, list);
  }
  const components: Component[] = [];
  for (const [station, list] of [...byStation.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const sorted = [...list].sort((a, b) => a.startMs - b.startMs || a.idx - b.idx);
    // Sweep: a shift joins the current component when it starts before the component's latest end.
    let current: ShiftInfo[] = [];
    let maxEnd = -Infinity;
    const flush = (): void => {
      if (current.length === 0) return;
      const cliques = maximalOverlapCliques(current).map((q) => q.map((i) => current[i]!.idx));
      const comp: Component = { idx: components.length, station, shifts: current.map((s) => s.idx), cliques };
      current.forEach((s) => (s.component = comp.idx));
      components.push(comp);
      current = [];
    };
    for (const sh of sorted) {
      if (current.length > 0 && sh.startMs >= maxEnd) flush();
      current.push(sh);
      maxEnd = Math.max(maxEnd, sh.endMs);
    }
    flush();
  }
  return components;
}

/** Shifts of one station that overlap `sh` in time (excluding `sh`). */
export function overlappingShifts(problem: Problem, sh: ShiftInfo): ShiftInfo[] {
  return problem.components[sh.component]!.shifts.map((i) => problem.shifts[i]!).filter(
    (o) => o.idx !== sh.idx && intervalsOverlap(o, sh),
  );
}
