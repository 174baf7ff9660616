import type { EditOp, EditRefusal, EditRule } from '../schemas/plan-edit.schema.js';
import { DEFAULT_ZONE } from './authorisation.js';
import { carryIneligibility, type CarrierFacts, type IneligibleReason } from './eligibility.js';
import { intervalsOverlap } from './shift-overlap.js';

/**
 * The facts a crew check needs, as plain data: a solver scenario (shared/schemas/scenario.schema.ts)
 * fits as it is, so the server passes the plan's scenario and a client can pass the same shape.
 */
export type CrewCheckFacts = {
  timezone?: string;
  policy: {
    name: 'revised' | 'legacy';
    singleCrewRanks: readonly string[];
    authorisationMonths: number;
    studentOfficersMayCarry: boolean;
    specialsMayCarry: boolean;
  };
  shifts: readonly { id: string; station: string; start: string; end: string; label?: string }[];
  officers: readonly (CarrierFacts & { id: string; name?: string; rank: string; shifts: readonly string[] })[];
  devices: readonly { serial: string; model: string; station: string; serviceable: boolean }[];
  /** Officers away on a shift of the plan (an abstraction recorded since the solve): never put into a crew. */
  absences?: readonly { officer: string; shift: string; kind: string }[];
};

export type EditCarrier = { officer: string; device: string };
export type EditCrew = { shift: string; members: string[]; carriers: EditCarrier[]; locked?: boolean };
export type EditUnassigned = {
  shift: string;
  officer: string;
  reason: string;
  cause?: 'student_without_partner' | 'no_partner_and_may_not_single_crew';
};
/** A plan's crews and unassigned officers: what an edit changes. */
export type EditState = { crews: readonly EditCrew[]; unassigned: readonly EditUnassigned[] };
/** A lock as the solver reads it (CrewLockSchema). */
export type EditLock = { shift: string; members: string[]; carriers?: { officer: string; device?: string }[] };

export type EditOutcome =
  | {
      ok: true;
      crews: EditCrew[];
      unassigned: EditUnassigned[];
      /** The crews the edits shaped, as they ended: each becomes a lock. */
      touched: EditCrew[];
      /** Per shift, every officer whose place the edits changed. */
      moved: Map<string, Set<string>>;
    }
  | { ok: false; refusal: EditRefusal };

type Officer = CrewCheckFacts['officers'][number];
type Shift = CrewCheckFacts['shifts'][number] & { startMs: number; endMs: number };

class Refused extends Error {
  constructor(readonly refusal: Omit<EditRefusal, 'op'>) {
    super(refusal.message);
  }
}

/** "PC Jane Smith" (a name with the rank in front), or "PC 1234" without a name. */
export function officerLabel(o: Pick<Officer, 'id' | 'rank' | 'name'>): string {
  if (o.name) return o.name.startsWith(o.rank) ? o.name : `${o.rank} ${o.name}`;
  const m = /^(PC|SGT|INSP)\s?(\S+)$/.exec(o.id);
  return m ? `${m[1]} ${m[2]}` : `${o.rank} ${o.id}`;
}

const INELIGIBLE: Record<IneligibleReason, string> = {
  no_authorisation: 'has no Taser authorisation',
  not_volunteer: 'has not volunteered to carry',
  suspended: 'is suspended from carrying',
  authorisation_lapsed: 'has an authorisation that lapses before the shift ends',
  student_not_allowed: 'is a student officer and the policy does not let students carry',
  student_not_endorsed: 'is a student officer without an endorsement to carry',
  special_not_allowed: 'is a special and the policy does not let specials carry',
  special_not_endorsed: 'is a special without an endorsement to carry',
};

/** Indexes the facts once; every check below reads them. */
function index(facts: CrewCheckFacts) {
  const shifts = new Map<string, Shift>(
    facts.shifts.map((s) => [s.id, { ...s, startMs: Date.parse(s.start), endMs: Date.parse(s.end) }]),
  );
  const officers = new Map(facts.officers.map((o) => [o.id, o]));
  const devices = new Map(facts.devices.map((d) => [d.serial, d]));
  const zone = facts.timezone ?? DEFAULT_ZONE;
  const label = (shiftId: string) => shifts.get(shiftId)?.label ?? shiftId;
  const name = (id: string) => {
    const o = officers.get(id);
    return o ? officerLabel(o) : id;
  };
  const absent = new Map((facts.absences ?? []).map((a) => [`${a.shift}|${a.officer}`, a.kind]));
  return { facts, shifts, officers, devices, zone, label, name, absent };
}
type Index = ReturnType<typeof index>;

const refuse = (rule: EditRule, message: string, extra: { officer?: string; device?: string; reason?: string } = {}) =>
  new Refused({ rule, message, ...extra });

/**
 * Why a crew breaks a crew-shape rule of DESIGN.md section 4 (students, singles, the legacy policy), or
 * null. `final` adds the legacy rule that both members of a pair carry or neither does, which a batch of
 * edits may reach only at its end.
 */
function crewShapeRefusal(ix: Index, crew: EditCrew, final: boolean): Refused | null {
  const ms = crew.members.map((m) => ix.officers.get(m));
  const legacy = ix.facts.policy.name === 'legacy';
  if (ms.length === 2 && ms.every((o) => o?.kind === 'student'))
    return refuse(
      'students_paired',
      `${ix.name(crew.members[0]!)} and ${ix.name(crew.members[1]!)} are both student officers and may not crew together.`,
      { officer: crew.members[1]! },
    );
  if (ms.length === 1) {
    const o = ms[0]!;
    const who = ix.name(crew.members[0]!);
    if (o?.kind === 'student')
      return refuse('student_single', `${who} is a student and may not be single-crewed.`, { officer: o.id });
    if (o && !ix.facts.policy.singleCrewRanks.includes(o.rank))
      return refuse(
        'rank_may_not_single',
        `${who} may not be single-crewed: a ${o.rank} may not single-crew (single crews: ${ix.facts.policy.singleCrewRanks.join(', ') || 'none'}).`,
        { officer: o.id },
      );
    if (legacy && crew.carriers.length > 0)
      return refuse(
        'legacy_single_may_not_carry',
        `Under the legacy policy a single crew does not carry: take ${who}'s device first.`,
        { officer: crew.members[0]! },
      );
  }
  if (final && legacy && ms.length === 2 && crew.carriers.length === 1) {
    const other = crew.members.find((m) => m !== crew.carriers[0]!.officer)!;
    return refuse(
      'legacy_pair_not_both_carrying',
      `Under the legacy policy both members of a pair carry or neither does: ${ix.name(crew.carriers[0]!.officer)} carries and ${ix.name(other)} does not.`,
      { officer: other },
    );
  }
  return null;
}

/** Why a crew member may not carry `serial` on the crew's shift, given the other crews of the plan, or null. */
function carrierRefusal(
  ix: Index,
  crews: readonly EditCrew[],
  shiftId: string,
  officerId: string,
  serial: string,
): Refused | null {
  const shift = ix.shifts.get(shiftId)!;
  const o = ix.officers.get(officerId)!;
  const d = ix.devices.get(serial);
  const who = ix.name(officerId);
  if (!d) return refuse('unknown_device', `There is no device ${serial}.`, { device: serial });
  if (d.station !== shift.station)
    return refuse(
      'device_other_station',
      `Device ${serial} is kept at ${d.station}, not at ${shift.station} where ${ix.label(shiftId)} works.`,
      { device: serial },
    );
  if (!d.serviceable)
    return refuse('device_not_serviceable', `Device ${serial} is not serviceable (faulty or in repair).`, {
      device: serial,
    });
  for (const c of crews) {
    const k = c.carriers.find((x) => x.device === serial && x.officer !== officerId);
    if (!k) continue;
    const other = ix.shifts.get(c.shift);
    if (other && intervalsOverlap(shift, other))
      return refuse(
        'device_in_use',
        `Device ${serial} is already carried by ${ix.name(k.officer)} on ${ix.label(c.shift)}.`,
        { device: serial, officer: k.officer },
      );
  }
  const why = carryIneligibility(o, ix.facts.policy, shift.endMs, ix.zone);
  if (why)
    return refuse('not_eligible', `${who} may not carry on ${ix.label(shiftId)}: ${who} ${INELIGIBLE[why]}.`, {
      officer: officerId,
      reason: why,
    });
  if (!o.taser?.models.includes(d.model))
    return refuse(
      'not_trained_on_model',
      `${who} is not trained on the ${d.model} (device ${serial}); trained on: ${o.taser?.models.join(', ') || 'none'}.`,
      { officer: officerId, device: serial },
    );
  return null;
}

/**
 * Applies hand edits to a plan's crews in order, checking each against the hard rules the solver plans
 * with (DESIGN.md section 4). All or nothing: the first refused op is reported with its index and nothing
 * else. Devices travel with their carrier; an officer left alone by an edit stays single where their rank
 * allows (dropping the device under the legacy policy), otherwise becomes unassigned.
 */
export function applyEdits(facts: CrewCheckFacts, state: EditState, ops: readonly EditOp[]): EditOutcome {
  const ix = index(facts);
  const crews: EditCrew[] = state.crews.map((c) => ({
    ...c,
    members: [...c.members],
    carriers: c.carriers.map((k) => ({ ...k })),
  }));
  const unassigned: EditUnassigned[] = state.unassigned.map((u) => ({ ...u }));
  const touched = new Set<EditCrew>();
  const moved = new Map<string, Set<string>>();
  const mark = (shift: string, ...officers: string[]) => {
    const s = moved.get(shift) ?? new Set<string>();
    officers.forEach((o) => s.add(o));
    moved.set(shift, s);
  };

  const onShift = (shift: string, officer: string): void => {
    const o = ix.officers.get(officer);
    if (!o || !o.shifts.includes(shift))
      throw refuse('not_on_shift', `${ix.name(officer)} is not on duty on ${ix.label(shift)}.`, { officer });
  };
  /** An officer recorded away since the solve may be taken out of a crew, never put into one. */
  const entering = (shift: string, officer: string): void => {
    const kind = ix.absent.get(`${shift}|${officer}`);
    if (kind)
      throw refuse('officer_absent', `${ix.name(officer)} is recorded away (${kind}) on ${ix.label(shift)}.`, {
        officer,
      });
  };
  const crewOf = (shift: string, officer: string) =>
    crews.find((c) => c.shift === shift && c.members.includes(officer));
  const notAlone = (shift: string, officer: string): EditUnassigned => {
    const o = ix.officers.get(officer)!;
    const who = ix.name(officer);
    return o.kind === 'student'
      ? {
          shift,
          officer,
          cause: 'student_without_partner',
          reason: `${who} is a student and was left without a partner by a hand edit on ${ix.label(shift)}`,
        }
      : {
          shift,
          officer,
          cause: 'no_partner_and_may_not_single_crew',
          reason: `${who} was left without a partner by a hand edit on ${ix.label(shift)} and a ${o.rank} may not single-crew`,
        };
  };
  const maySingle = (officer: string) => {
    const o = ix.officers.get(officer)!;
    return o.kind !== 'student' && ix.facts.policy.singleCrewRanks.includes(o.rank);
  };
  /** A crew of one left by an edit: single where allowed (no device under legacy), else unassigned. */
  const settleAlone = (crew: EditCrew): void => {
    const m = crew.members[0]!;
    mark(crew.shift, m);
    delete crew.locked;
    // Whoever shaped it, a crew someone was taken out of is not what the planner locked.
    touched.delete(crew);
    if (maySingle(m)) {
      if (ix.facts.policy.name === 'legacy') crew.carriers = [];
      return;
    }
    crews.splice(crews.indexOf(crew), 1);
    unassigned.push(notAlone(crew.shift, m));
  };
  /** Takes an officer out of their crew (or the unassigned list); returns the device they carried. */
  const takeOut = (shift: string, officer: string): string | undefined => {
    mark(shift, officer);
    const crew = crewOf(shift, officer);
    if (!crew) {
      const i = unassigned.findIndex((u) => u.shift === shift && u.officer === officer);
      if (i >= 0) unassigned.splice(i, 1);
      return undefined;
    }
    const device = crew.carriers.find((k) => k.officer === officer)?.device;
    crew.members = crew.members.filter((m) => m !== officer);
    crew.carriers = crew.carriers.filter((k) => k.officer !== officer);
    if (crew.members.length === 0) {
      crews.splice(crews.indexOf(crew), 1);
      touched.delete(crew);
    } else settleAlone(crew);
    return device;
  };
  const putInto = (crew: EditCrew, officer: string, device: string | undefined) => {
    crew.members.push(officer);
    if (device) crew.carriers.push({ officer, device });
  };
  const newCrew = (shift: string, members: string[], devices: (string | undefined)[]): EditCrew => {
    const crew: EditCrew = {
      shift,
      members,
      carriers: members.flatMap((m, i) => (devices[i] ? [{ officer: m, device: devices[i] }] : [])),
    };
    crews.push(crew);
    return crew;
  };
  const shaped = (...cs: (EditCrew | undefined)[]) => {
    for (const c of cs) {
      if (!c || !crews.includes(c)) continue;
      touched.add(c);
      const bad = crewShapeRefusal(ix, c, false);
      if (bad) throw bad;
    }
  };

  const apply = (op: EditOp): void => {
    if (!ix.shifts.has(op.shift)) throw refuse('unknown_shift', `There is no shift ${op.shift} in this plan.`);
    switch (op.op) {
      case 'swap': {
        onShift(op.shift, op.a);
        onShift(op.shift, op.b);
        if (op.a === op.b) throw refuse('same_officer', `Choose two different officers to swap.`, { officer: op.a });
        const ca = crewOf(op.shift, op.a);
        const cb = crewOf(op.shift, op.b);
        if (ca === cb)
          throw refuse(
            'same_crew',
            `${ix.name(op.a)} and ${ix.name(op.b)} are ${ca ? 'in the same crew' : 'both unassigned'}: there is nothing to swap.`,
            { officer: op.b },
          );
        if (ca) entering(op.shift, op.b);
        if (cb) entering(op.shift, op.a);
        mark(op.shift, op.a, op.b);
        const place = (crew: EditCrew | undefined, out: string, inn: string, device: string | undefined) => {
          if (!crew) {
            const i = unassigned.findIndex((u) => u.shift === op.shift && u.officer === out);
            unassigned.splice(i, 1, {
              shift: op.shift,
              officer: inn,
              reason: `${ix.name(inn)} was left unassigned by a hand edit on ${ix.label(op.shift)}`,
            });
            return;
          }
          crew.members = crew.members.map((m) => (m === out ? inn : m));
          crew.carriers = crew.carriers.filter((k) => k.officer !== out);
          if (device) crew.carriers.push({ officer: inn, device });
          delete crew.locked;
        };
        const da = ca?.carriers.find((k) => k.officer === op.a)?.device;
        const db = cb?.carriers.find((k) => k.officer === op.b)?.device;
        place(ca, op.a, op.b, db);
        place(cb, op.b, op.a, da);
        shaped(ca, cb);
        return;
      }
      case 'move': {
        onShift(op.shift, op.officer);
        const from = crewOf(op.shift, op.officer);
        if (op.with === undefined) {
          if (from && from.members.length === 1)
            throw refuse('already_single', `${ix.name(op.officer)} is already a single crew.`, {
              officer: op.officer,
            });
          entering(op.shift, op.officer);
          const device = takeOut(op.shift, op.officer);
          shaped(newCrew(op.shift, [op.officer], [device]));
          return;
        }
        onShift(op.shift, op.with);
        if (op.with === op.officer)
          throw refuse('same_officer', `Choose another officer's crew to move to.`, { officer: op.officer });
        const to = crewOf(op.shift, op.with);
        if (!to)
          throw refuse('not_in_crew', `${ix.name(op.with)} is not in a crew on ${ix.label(op.shift)}.`, {
            officer: op.with,
          });
        if (to === from)
          throw refuse('same_crew', `${ix.name(op.officer)} is already crewed with ${ix.name(op.with)}.`, {
            officer: op.officer,
          });
        if (to.members.length === 2)
          throw refuse(
            'crew_full',
            `${ix.name(to.members[0]!)} and ${ix.name(to.members[1]!)} are already a pair: a crew has at most two officers.`,
            { officer: op.with },
          );
        entering(op.shift, op.officer);
        const device = takeOut(op.shift, op.officer);
        mark(op.shift, ...to.members);
        putInto(to, op.officer, device);
        delete to.locked;
        shaped(to);
        return;
      }
      case 'give_device': {
        onShift(op.shift, op.officer);
        entering(op.shift, op.officer);
        const crew = crewOf(op.shift, op.officer);
        if (!crew)
          throw refuse('not_in_crew', `${ix.name(op.officer)} is not in a crew on ${ix.label(op.shift)}.`, {
            officer: op.officer,
          });
        const held = crew.carriers.find((k) => k.officer === op.officer);
        if (held)
          throw refuse(
            'already_carrying',
            `${ix.name(op.officer)} already carries device ${held.device}: a carrier holds one device (take it first).`,
            { officer: op.officer, device: held.device },
          );
        const bad = carrierRefusal(ix, crews, op.shift, op.officer, op.device);
        if (bad) throw bad;
        crew.carriers.push({ officer: op.officer, device: op.device });
        delete crew.locked;
        mark(op.shift, ...crew.members);
        shaped(crew);
        return;
      }
      case 'take_device': {
        onShift(op.shift, op.officer);
        const crew = crewOf(op.shift, op.officer);
        if (!crew || !crew.carriers.some((k) => k.officer === op.officer))
          throw refuse('not_carrying', `${ix.name(op.officer)} carries no device on ${ix.label(op.shift)}.`, {
            officer: op.officer,
          });
        crew.carriers = crew.carriers.filter((k) => k.officer !== op.officer);
        delete crew.locked;
        mark(op.shift, ...crew.members);
        shaped(crew);
        return;
      }
      case 'make_crew': {
        const [a, b] = op.officers;
        onShift(op.shift, a);
        onShift(op.shift, b);
        if (a === b) throw refuse('same_officer', `Choose two different officers for a crew.`, { officer: a });
        const ca = crewOf(op.shift, a);
        if (ca && ca === crewOf(op.shift, b))
          throw refuse('same_crew', `${ix.name(a)} and ${ix.name(b)} are already a crew.`, { officer: b });
        // Checked before anyone is taken out, so a refusal names the pair, not a partner left behind.
        entering(op.shift, a);
        entering(op.shift, b);
        const bad = crewShapeRefusal(ix, { shift: op.shift, members: [a, b], carriers: [] }, false);
        if (bad) throw bad;
        const da = takeOut(op.shift, a);
        const db = takeOut(op.shift, b);
        shaped(newCrew(op.shift, [a, b], [da, db]));
        return;
      }
      case 'split_crew': {
        onShift(op.shift, op.officer);
        const crew = crewOf(op.shift, op.officer);
        if (!crew || crew.members.length !== 2)
          throw refuse('not_a_pair', `${ix.name(op.officer)} is not in a pair on ${ix.label(op.shift)}.`, {
            officer: op.officer,
          });
        const [a, b] = crew.members as [string, string];
        const da = takeOut(op.shift, a);
        const db = takeOut(op.shift, b);
        const singles: EditCrew[] = [];
        for (const [m, d] of [
          [a, da],
          [b, db],
        ] as const) {
          if (!maySingle(m)) {
            unassigned.push(notAlone(op.shift, m));
            continue;
          }
          singles.push(newCrew(op.shift, [m], [ix.facts.policy.name === 'legacy' ? undefined : d]));
        }
        shaped(...singles);
        return;
      }
    }
  };

  for (const [i, op] of ops.entries()) {
    try {
      apply(op);
    } catch (e) {
      if (e instanceof Refused) return { ok: false, refusal: { ...e.refusal, op: i } };
      throw e;
    }
  }
  for (const c of touched) {
    const bad = crewShapeRefusal(ix, c, true);
    if (bad) return { ok: false, refusal: { ...bad.refusal, op: ops.length - 1 } };
  }
  const kept = [...touched].filter((c) => crews.includes(c));
  for (const c of kept) c.locked = true;
  return { ok: true, crews, unassigned, touched: kept, moved };
}

/**
 * The locks after edits: locks naming an officer the edits moved on that shift are dropped (they describe
 * crews that no longer exist), and each crew the edits shaped is locked exactly, carriers and devices included.
 */
export function locksAfterEdits(
  locks: readonly EditLock[],
  outcome: Pick<Extract<EditOutcome, { ok: true }>, 'touched' | 'moved'>,
): EditLock[] {
  const kept = locks.filter((l) => !l.members.some((m) => outcome.moved.get(l.shift)?.has(m)));
  return [
    ...kept,
    ...outcome.touched.map((c) => ({
      shift: c.shift,
      members: [...c.members],
      carriers: c.carriers.map((k) => ({ officer: k.officer, device: k.device })),
    })),
  ];
}
