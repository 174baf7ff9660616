import { intervalsOverlap } from '../../shared/rules/shift-overlap.js';
import type { PlanCrew, PlanUnassigned } from '../../shared/schemas/plan.schema.js';
import { pickSerial } from './constraints/device-continuity.js';
import { carrierPriority, type RotationState } from './constraints/fair-rotation.js';
import { preferredPartner } from './constraints/partner-continuity.js';
import { officerLabel } from '../../shared/rules/crew-check.js';
import { PAIR_TYPES, pairKey, type PairType, type Role } from './model-context.js';
import type { ShiftCounts } from './model.js';
import type { Model, Problem, ShiftInfo } from './prepare.js';

type Member = { id: string; model?: Model; device?: string };
type DraftCrew = { shift: ShiftInfo; members: Member[]; locked: boolean };

export type Assignment = {
  crews: PlanCrew[];
  unassigned: PlanUnassigned[];
  /** Locks whose pinned device could not be kept (rare: a pinned serial clashed with interval colouring). */
  devicePinsDropped: { lock: number; device: string }[];
};

/**
 * Turn solved counts into concrete crews, carriers and device serials. Counts already satisfy every
 * hard rule; this step picks which interchangeable officer and serial fills each slot, applying the
 * heuristic soft rules (fair rotation, partners, device continuity) in chronological order.
 */
export function assignOfficers(problem: Problem, countsByShift: Map<number, ShiftCounts>): Assignment {
  const { scenario } = problem;
  const order = new Map(scenario.officers.map((o, i) => [o.id, i]));
  const rotation: RotationState = { carried: new Map(), order };
  const lastPartner = new Map<string, string>();
  const lastSerial = new Map<string, string>();
  const baseline = baselineIndex(problem);
  const devicePinsDropped: Assignment['devicePinsDropped'] = [];

  // Serials pinned by honoured locks, so that colouring keeps them free for their shift.
  const pinnedBy = new Map<string, { shift: ShiftInfo; officer: string; lock: number }[]>();
  for (const sh of problem.shifts) {
    const c = countsByShift.get(sh.idx)!;
    sh.units.forEach((u, ui) => {
      const p = c.unitPattern[ui]!;
      if (p < 0 || u.kind !== 'lock') return;
      for (const k of u.patterns[p]!.carriers) {
        if (k.device === undefined) continue;
        const list = pinnedBy.get(k.device) ?? [];
        list.push({ shift: sh, officer: k.officer, lock: u.index });
        pinnedBy.set(k.device, list);
      }
    });
  }
  const used = new Map<string, ShiftInfo[]>();

  const crews: PlanCrew[] = [];
  const unassigned: PlanUnassigned[] = [];
  const chrono = [...problem.shifts].sort((a, b) => a.startMs - b.startMs || a.idx - b.idx);
  for (const sh of chrono) {
    const counts = countsByShift.get(sh.idx)!;
    const b = baseline.get(sh.idx);
    const drafts: DraftCrew[] = [];
    const inUnit = new Set<string>();
    sh.units.forEach((u, ui) => {
      const p = counts.unitPattern[ui]!;
      if (p < 0) return;
      const pattern = u.patterns[p]!;
      u.members.forEach((m) => inUnit.add(m));
      drafts.push({
        shift: sh,
        locked: u.kind === 'lock',
        members: u.members.map((id) => {
          const c = pattern.carriers.find((k) => k.officer === id);
          return c ? { id, model: c.model, ...(c.device !== undefined ? { device: c.device } : {}) } : { id };
        }),
      });
    });

    const byRole: Record<Role, Member[]> = { CN: [], CS: [], NN: [], NS: [] };
    sh.classes.forEach((cls, ci) => {
      const free = cls.officers.filter((id) => !inUnit.has(id));
      const quota = counts.carriers[ci]!;
      const nCarriers = [...quota.values()].reduce((s, n) => s + n, 0);
      const ranked = carrierPriority(free, rotation, b?.carriers ?? new Set());
      const carriers = ranked.slice(0, nCarriers);
      const nonCarriers = free.filter((id) => !carriers.includes(id));
      // Models: a carrier keeps the model of their last/previous-plan serial when the quota allows.
      const left = new Map(quota);
      const modelOf = new Map<string, Model>();
      for (const id of carriers) {
        const pref = [b?.device.get(id), lastSerial.get(id)].map((s) => (s ? problem.deviceModel.get(s) : undefined));
        const m = pref.find((x) => x !== undefined && (left.get(x) ?? 0) > 0);
        if (m) {
          modelOf.set(id, m);
          left.set(m, left.get(m)! - 1);
        }
      }
      for (const id of carriers) {
        if (modelOf.has(id)) continue;
        const m = [...left.entries()].find(([, n]) => n > 0)![0];
        modelOf.set(id, m);
        left.set(m, left.get(m)! - 1);
      }
      const singleFirst = (ids: string[]): string[] =>
        [...ids].sort(
          (x, y) =>
            Number(b?.singles.has(y) ?? false) - Number(b?.singles.has(x) ?? false) ||
            rankOrder(problem, y) - rankOrder(problem, x) ||
            order.get(x)! - order.get(y)!,
        );
      const singleCarriers = new Set(singleFirst(carriers).slice(0, counts.singleCarriers[ci]));
      const singleNon = new Set(singleFirst(nonCarriers).slice(0, counts.singleNonCarriers[ci]));
      const restNon = nonCarriers.filter((id) => !singleNon.has(id));
      // Unassigned: the last in scenario order, avoiding those the previous plan had in a crew.
      const unassignedIds = new Set(
        [...restNon]
          .sort(
            (x, y) =>
              Number(b?.members.has(x) ?? false) - Number(b?.members.has(y) ?? false) || order.get(y)! - order.get(x)!,
          )
          .slice(0, counts.unassigned[ci]),
      );
      for (const id of carriers) {
        const m: Member = { id, model: modelOf.get(id)! };
        if (singleCarriers.has(id)) drafts.push({ shift: sh, locked: false, members: [m] });
        else byRole[cls.student ? 'CS' : 'CN'].push(m);
      }
      for (const id of singleNon) drafts.push({ shift: sh, locked: false, members: [{ id }] });
      for (const id of restNon) {
        if (unassignedIds.has(id)) unassigned.push(unassignedEntry(problem, sh, id));
        else byRole[cls.student ? 'NS' : 'NN'].push({ id });
      }
    });

    // Pairs: counts per role pair; keep earlier partners first where a pair of that kind is left.
    const remaining = new Map(PAIR_TYPES.map(([x, y]) => [pairKey(x, y), counts.pairs.get(pairKey(x, y)) ?? 0]));
    const roleOf = new Map<string, Role>();
    for (const r of Object.keys(byRole) as Role[]) byRole[r].forEach((m) => roleOf.set(m.id, r));
    const memberOf = new Map<string, Member>();
    for (const r of Object.keys(byRole) as Role[]) byRole[r].forEach((m) => memberOf.set(m.id, m));
    const paired = new Set<string>();
    const typeOf = (x: Role, y: Role): PairType => {
      const i = PAIR_TYPES.findIndex(([a, c]) => (a === x && c === y) || (a === y && c === x));
      const [a, c] = PAIR_TYPES[i]!;
      return pairKey(a, c);
    };
    for (const r of ['CN', 'CS', 'NN', 'NS'] as Role[]) {
      for (const m of byRole[r]) {
        if (paired.has(m.id)) continue;
        const p = preferredPartner(m.id, b?.partner ?? new Map(), lastPartner);
        if (p === undefined || paired.has(p) || !roleOf.has(p) || p === m.id) continue;
        const t = typeOf(r, roleOf.get(p)!);
        if ((remaining.get(t) ?? 0) <= 0) continue;
        remaining.set(t, remaining.get(t)! - 1);
        paired.add(m.id).add(p);
        drafts.push({ shift: sh, locked: false, members: [m, memberOf.get(p)!] });
      }
    }
    const queue: Record<Role, Member[]> = {
      CN: byRole.CN.filter((m) => !paired.has(m.id)),
      CS: byRole.CS.filter((m) => !paired.has(m.id)),
      NN: byRole.NN.filter((m) => !paired.has(m.id)),
      NS: byRole.NS.filter((m) => !paired.has(m.id)),
    };
    for (const [x, y] of PAIR_TYPES) {
      let n = remaining.get(pairKey(x, y)) ?? 0;
      while (n-- > 0) {
        const a = queue[x].shift();
        const c = queue[y].shift();
        if (!a || !c) throw new Error(`internal: pair counts do not match roles on ${sh.id}`);
        drafts.push({ shift: sh, locked: false, members: [a, c] });
      }
    }
    for (const r of Object.keys(queue) as Role[])
      if (queue[r].length > 0) throw new Error(`internal: ${r} officers left unpaired on ${sh.id}`);

    // Serials, by interval colouring in start order.
    const here = problem.devices.get(sh.station);
    const isFree = (serial: string, officer: string): boolean => {
      if ((used.get(serial) ?? []).some((o) => o.idx === sh.idx || intervalsOverlap(o, sh))) return false;
      return !(pinnedBy.get(serial) ?? []).some((p) =>
        p.shift.idx === sh.idx ? p.officer !== officer : intervalsOverlap(p.shift, sh),
      );
    };
    const carriersHere = drafts.flatMap((d) => d.members.filter((m) => m.model !== undefined));
    // Pinned serials first so that nobody else takes them.
    carriersHere.sort((x, y) => Number(y.device !== undefined) - Number(x.device !== undefined));
    for (const m of carriersHere) {
      const all = here?.get(m.model!) ?? [];
      let serial = m.device !== undefined && isFree(m.device, m.id) ? m.device : undefined;
      if (serial === undefined) {
        serial = pickSerial(
          all.filter((s) => isFree(s, m.id)),
          [lastSerial.get(m.id), b?.device.get(m.id)],
        );
      }
      if (serial === undefined) {
        // Only a pinned serial clash can get here: take a serial a later lock pinned, dropping that pin.
        serial = all.find((s) => !(used.get(s) ?? []).some((o) => o.idx === sh.idx || intervalsOverlap(o, sh)));
        if (serial === undefined) throw new Error(`internal: no free ${m.model!} device for ${m.id} on ${sh.id}`);
        for (const p of pinnedBy.get(serial) ?? []) devicePinsDropped.push({ lock: p.lock, device: serial });
        pinnedBy.delete(serial);
      }
      m.device = serial;
      used.set(serial, [...(used.get(serial) ?? []), sh]);
      lastSerial.set(m.id, serial);
      rotation.carried.set(m.id, (rotation.carried.get(m.id) ?? 0) + 1);
    }

    drafts.sort(
      (x, y) => Number(y.locked) - Number(x.locked) || order.get(x.members[0]!.id)! - order.get(y.members[0]!.id)!,
    );
    for (const d of drafts) {
      const members = [...d.members].sort(
        (x, y) =>
          Number(y.device !== undefined) - Number(x.device !== undefined) || order.get(x.id)! - order.get(y.id)!,
      );
      if (members.length === 2) {
        lastPartner.set(members[0]!.id, members[1]!.id);
        lastPartner.set(members[1]!.id, members[0]!.id);
      } else lastPartner.delete(members[0]!.id);
      const crew: PlanCrew = {
        shift: sh.id,
        members: members.map((m) => m.id),
        carriers: members.filter((m) => m.device !== undefined).map((m) => ({ officer: m.id, device: m.device! })),
      };
      if (d.locked) crew.locked = true;
      crews.push(crew);
    }
  }
  // Keep the output in scenario shift order.
  const shiftOrder = new Map(problem.shifts.map((s) => [s.id, s.idx]));
  crews.sort((a, b) => shiftOrder.get(a.shift)! - shiftOrder.get(b.shift)!);
  unassigned.sort(
    (a, b) => shiftOrder.get(a.shift)! - shiftOrder.get(b.shift)! || order.get(a.officer)! - order.get(b.officer)!,
  );
  return { crews, unassigned, devicePinsDropped };
}

function rankOrder(problem: Problem, id: string): number {
  return ['PC', 'SGT', 'INSP'].indexOf(problem.officers.get(id)!.rank);
}

type BaselineShift = {
  carriers: Set<string>;
  device: Map<string, string>;
  partner: Map<string, string>;
  singles: Set<string>;
  members: Set<string>;
};

function baselineIndex(problem: Problem): Map<number, BaselineShift> {
  const out = new Map<number, BaselineShift>();
  const idx = new Map(problem.shifts.map((s) => [s.id, s.idx]));
  for (const c of problem.scenario.previousPlan?.crews ?? []) {
    const si = idx.get(c.shift);
    if (si === undefined) continue;
    let b = out.get(si);
    if (!b)
      out.set(
        si,
        (b = { carriers: new Set(), device: new Map(), partner: new Map(), singles: new Set(), members: new Set() }),
      );
    c.members.forEach((m) => b.members.add(m));
    if (c.members.length === 2) {
      b.partner.set(c.members[0]!, c.members[1]!);
      b.partner.set(c.members[1]!, c.members[0]!);
    } else b.singles.add(c.members[0]!);
    for (const k of c.carriers ?? []) {
      b.carriers.add(k.officer);
      if (k.device !== undefined) b.device.set(k.officer, k.device);
    }
  }
  return out;
}

function unassignedEntry(problem: Problem, sh: ShiftInfo, id: string): PlanUnassigned {
  const o = problem.officers.get(id)!;
  const name = officerLabel(o);
  const onDuty = sh.onDuty.map((x) => problem.officers.get(x)!);
  if (o.kind === 'student') {
    const students = onDuty.filter((x) => x.kind === 'student').length;
    const experienced = onDuty.length - students;
    return {
      shift: sh.id,
      officer: id,
      cause: 'student_without_partner',
      reason: `${name} is a student and no experienced officer was left to partner them on ${sh.label} (${students} students, ${experienced} experienced officers on duty)`,
    };
  }
  const ranks = problem.scenario.policy.singleCrewRanks;
  return {
    shift: sh.id,
    officer: id,
    cause: 'no_partner_and_may_not_single_crew',
    reason: `${name} had no partner left on ${sh.label} (${onDuty.length} officers on duty) and a ${o.rank} may not single-crew (single crews: ${ranks.length > 0 ? ranks.join(', ') : 'none'})`,
  };
}
