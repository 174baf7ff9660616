import type { DateTime } from 'luxon';
import { authorisationExpiry } from '../../shared/rules/authorisation.js';
import { intervalsOverlap } from '../../shared/rules/shift-overlap.js';
import type { Explanation, PlanCrew, PlanUnassigned, Suggestion } from '../../shared/schemas/plan.schema.js';
import { officerLabel } from '../../shared/rules/crew-check.js';
import { plural } from './labels.js';
import { MODELS, type Model, type Problem, type ShiftInfo } from './prepare.js';

const NUMBER_WORDS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
const words = (n: number): string => NUMBER_WORDS[n] ?? String(n);
const pairsWord = (n: number): string => `${words(n)} ${n === 1 ? 'pair' : 'pairs'}`;

/** Carriers of each model per shift, from the plan. */
function carriersByShift(problem: Problem, crews: readonly PlanCrew[]): Map<string, Map<Model, number>> {
  const out = new Map<string, Map<Model, number>>();
  for (const c of crews) {
    for (const k of c.carriers) {
      const m = problem.deviceModel.get(k.device)!;
      const byModel = out.get(c.shift) ?? new Map<Model, number>();
      byModel.set(m, (byModel.get(m) ?? 0) + 1);
      out.set(c.shift, byModel);
    }
  }
  return out;
}

/**
 * Why a shift ends with pairs lacking a carrier, officers unassigned or a lock broken, in a
 * planner's words, with the figures and what would fix it. Computed from the data and the plan.
 */
export function explainPlan(
  problem: Problem,
  crews: readonly PlanCrew[],
  unassigned: readonly PlanUnassigned[],
  lockStatus: { honoured: Set<number>; droppedPins: { lock: number; device: string }[] },
): Explanation[] {
  const { scenario } = problem;
  const zone = scenario.timezone;
  const crewsOf = new Map<string, PlanCrew[]>();
  crews.forEach((c) => crewsOf.set(c.shift, [...(crewsOf.get(c.shift) ?? []), c]));
  const unassignedOf = new Map<string, PlanUnassigned[]>();
  unassigned.forEach((u) => unassignedOf.set(u.shift, [...(unassignedOf.get(u.shift) ?? []), u]));
  const carried = carriersByShift(problem, crews);
  const stationName = new Map(scenario.stations.map((s) => [s.id, s.name ?? s.id]));
  const faulty = new Map<string, Map<Model, string[]>>();
  for (const d of scenario.devices) {
    if (d.serviceable) continue;
    const byModel = faulty.get(d.station) ?? new Map<Model, string[]>();
    byModel.set(d.model, [...(byModel.get(d.model) ?? []), d.serial]);
    faulty.set(d.station, byModel);
  }
  const deviceCount = (station: string, m: Model): number => problem.devices.get(station)?.get(m)?.length ?? 0;
  /** Devices of m still free for `sh`: capacity minus the busiest instant of the shift. */
  const freeFor = (sh: ShiftInfo, m: Model): number => {
    const comp = problem.components[sh.component]!;
    let peak = 0;
    for (const q of comp.cliques) {
      if (!q.includes(sh.idx)) continue;
      peak = Math.max(
        peak,
        q.reduce((s, i) => s + (carried.get(problem.shifts[i]!.id)?.get(m) ?? 0), 0),
      );
    }
    return deviceCount(sh.station, m) - peak;
  };
  /** Devices of m at another station not needed there while `sh` runs (conservative). */
  const spareAt = (station: string, sh: ShiftInfo, m: Model): number => {
    const busy = problem.shifts
      .filter((o) => o.station === station && intervalsOverlap(o, sh))
      .reduce((s, o) => s + (carried.get(o.id)?.get(m) ?? 0), 0);
    return Math.max(0, deviceCount(station, m) - busy);
  };

  const out: Explanation[] = [];
  for (const sh of problem.shifts) {
    const shCrews = crewsOf.get(sh.id) ?? [];
    const pairs = shCrews.filter((c) => c.members.length === 2);
    const pwc = pairs.filter((c) => c.carriers.length === 0).length;
    const notBoth = pairs.filter((c) => c.carriers.length < 2).length;
    const short = problem.legacy ? notBoth : pwc;
    if (short > 0) out.push(explainShortfall(sh, pairs.length, short));
    const un = unassignedOf.get(sh.id) ?? [];
    if (un.length > 0) out.push(explainUnassigned(sh, un));
  }

  function explainShortfall(sh: ShiftInfo, pairs: number, short: number): Explanation {
    const officers = sh.onDuty.map((id) => problem.officers.get(id)!);
    const carriersHere = new Set((crewsOf.get(sh.id) ?? []).flatMap((c) => c.carriers.map((k) => k.officer)));
    // Able to carry: eligible for the whole shift, whether or not a device of their model is here.
    const able = sh.onDuty.filter((id) => !sh.ineligible.has(id));
    const idleAble = able.filter((id) => !carriersHere.has(id));
    const stationModels = MODELS.filter(
      (m) => deviceCount(sh.station, m) > 0 || (faulty.get(sh.station)?.get(m)?.length ?? 0) > 0,
    );
    const numbers: Record<string, number> = {
      officersOnDuty: sh.onDuty.length,
      pairs,
      [problem.legacy ? 'pairsNotBothCarrying' : 'pairsWithoutCarrier']: short,
      ableToCarry: able.length,
      carriers: carriersHere.size,
    };
    const parts: string[] = [];
    parts.push(
      problem.legacy
        ? `${plural(pairs, 'pair')}, ${words(short)} not both carrying`
        : `${plural(pairs, 'pair')}, ${words(short)} without a carrier`,
    );
    parts.push(`${plural(able.length, 'officer')} able to carry`);
    const devParts: string[] = [];
    let usedElsewhere = 0;
    for (const m of stationModels) {
      const d = deviceCount(sh.station, m);
      numbers[`devices${m}`] = d;
      const f = faulty.get(sh.station)?.get(m)?.length ?? 0;
      if (f > 0) numbers[`faulty${m}`] = f;
      const mine = carried.get(sh.id)?.get(m) ?? 0;
      const free = freeFor(sh, m);
      const elsewhere = d - free - mine;
      if (elsewhere > 0) numbers[`inUseOnOverlappingShifts${m}`] = elsewhere;
      usedElsewhere += elsewhere;
      devParts.push(`${d} ${m}`);
    }
    parts.push(
      devParts.length > 0 ? `serviceable devices: ${devParts.join(', ')}` : 'no serviceable devices at the station',
    );
    if (usedElsewhere > 0) parts.push(`${plural(usedElsewhere, 'device')} in use on overlapping shifts`);
    for (const m of stationModels) {
      const f = faulty.get(sh.station)?.get(m)?.length ?? 0;
      if (f > 0) parts.push(`${f} ${m} ${f === 1 ? 'device' : 'devices'} faulty`);
    }
    const lapsed = officers.filter((o) => sh.ineligible.get(o.id) === 'authorisation_lapsed');
    numbers.authorisationsLapsed = lapsed.length;
    const lapseText = (o: (typeof officers)[number]): { text: string; date: DateTime } => {
      const exp = authorisationExpiry(o.taser!.lastTrained, scenario.policy.authorisationMonths, zone);
      const day = exp.toFormat('d LLL');
      return {
        date: exp,
        text:
          exp.toMillis() <= sh.startMs
            ? `${officerLabel(o)}'s authorisation lapsed ${day}`
            : `${officerLabel(o)}'s authorisation lapses at 00:00 on ${day}, before the shift ends`,
      };
    };
    lapsed.slice(0, 3).forEach((o) => parts.push(lapseText(o).text));
    if (lapsed.length > 3) parts.push(`${lapsed.length - 3} more authorisations lapsed`);
    const suspended = officers.filter((o) => sh.ineligible.get(o.id) === 'suspended');
    numbers.suspended = suspended.length;
    if (suspended.length > 0) parts.push(`${plural(suspended.length, 'authorised officer')} suspended`);
    const notEndorsed = officers.filter((o) => {
      const r = sh.ineligible.get(o.id);
      return (
        r === 'student_not_endorsed' ||
        r === 'special_not_endorsed' ||
        r === 'student_not_allowed' ||
        r === 'special_not_allowed'
      );
    });
    if (notEndorsed.length > 0) {
      numbers.authorisedStudentsOrSpecialsNotAllowed = notEndorsed.length;
      parts.push(
        `${plural(notEndorsed.length, 'authorised student or special', 'authorised students or specials')} may not carry`,
      );
    }
    if (sh.noDeviceForModels.length > 0) {
      numbers.trainedOnlyOnModelsWithoutDevice = sh.noDeviceForModels.length;
      parts.push(
        `${plural(sh.noDeviceForModels.length, 'officer')} trained only on models with no serviceable device here`,
      );
    }

    const suggestions: Suggestion[] = [];
    let budget = short;
    const devicesBinding = idleAble.length > 0;
    if (devicesBinding) {
      for (const m of MODELS) {
        const wanting = idleAble.filter((id) => problem.officers.get(id)!.taser?.models.includes(m) ?? false).length;
        let need = Math.min(budget, wanting);
        if (need <= 0) continue;
        const f = faulty.get(sh.station)?.get(m) ?? [];
        if (f.length > 0) {
          const covers = Math.min(need, f.length);
          suggestions.push({
            action: 'repair_device',
            model: m,
            devices: f.slice(0, covers),
            covers,
            message: `repairing ${covers === 1 ? `${m} ${f[0]!}` : `${covers} faulty ${m} devices`} would cover ${pairsWord(covers)}`,
          });
        }
        const here = scenario.stations.find((s) => s.id === sh.station);
        const others = scenario.stations
          .filter((s) => s.id !== sh.station && (s.borough === here?.borough || s.bcu === here?.bcu))
          .sort(
            (a, b) =>
              Number(b.borough === here?.borough) - Number(a.borough === here?.borough) || (a.id < b.id ? -1 : 1),
          );
        for (const st of others) {
          if (need <= 0) break;
          const spare = spareAt(st.id, sh, m);
          if (spare <= 0) continue;
          const covers = Math.min(need, spare);
          need -= covers;
          suggestions.push({
            action: 'move_device',
            model: m,
            station: st.id,
            covers,
            message: `${covers === 1 ? `a spare ${m}` : `${covers} spare ${m} devices`} at ${stationName.get(st.id)!} would cover ${pairsWord(covers)}`,
          });
        }
      }
      if (suggestions.length === 0) {
        const m = MODELS.find((x) =>
          idleAble.some((id) => problem.officers.get(id)!.taser?.models.includes(x) ?? false),
        );
        if (m !== undefined) {
          const covers = Math.min(short, idleAble.length);
          suggestions.push({
            action: 'add_device',
            model: m,
            covers,
            message: `${covers === 1 ? `one more ${m}` : `${covers} more ${m} devices`} at ${stationName.get(sh.station)!} would cover ${pairsWord(covers)}`,
          });
        }
      }
    } else {
      for (const o of lapsed) {
        if (budget <= 0) break;
        const m = (o.taser?.models ?? []).find((x) => freeFor(sh, x) > 0);
        if (m === undefined) continue;
        budget--;
        suggestions.push({
          action: 'renew_authorisation',
          officer: o.id,
          model: m,
          covers: 1,
          message: `a refresher for ${officerLabel(o)} (lapsed ${lapseText(o).date.toFormat('d LLL')}) would cover one pair with a spare ${m}`,
        });
      }
      for (const o of [...suspended, ...notEndorsed]) {
        if (budget <= 0) break;
        const m = (o.taser?.models ?? []).find((x) => freeFor(sh, x) > 0);
        if (m === undefined) continue;
        budget--;
        const susp = sh.ineligible.get(o.id) === 'suspended';
        suggestions.push({
          action: susp ? 'lift_suspension' : 'endorse_officer',
          officer: o.id,
          model: m,
          covers: 1,
          message: susp
            ? `lifting ${officerLabel(o)}'s suspension would cover one pair`
            : `endorsing ${officerLabel(o)} (and the force setting allowing ${o.kind}s to carry) would cover one pair`,
        });
      }
    }
    const message = `${sh.label}: ${parts.join(', ')}${suggestions.length > 0 ? `; ${suggestions.map((s) => s.message).join('; ')}` : ''}`;
    return {
      shift: sh.id,
      cause: problem.legacy
        ? 'legacy_pairs_not_both_carrying'
        : devicesBinding
          ? 'too_few_devices'
          : 'too_few_carriers',
      message,
      numbers,
      suggestions,
    };
  }

  function explainUnassigned(sh: ShiftInfo, un: PlanUnassigned[]): Explanation {
    const officers = sh.onDuty.map((id) => problem.officers.get(id)!);
    const students = officers.filter((o) => o.kind === 'student').length;
    const studentsOut = un.filter((u) => u.cause === 'student_without_partner').length;
    const oddOut = un.length - studentsOut;
    const parts: string[] = [];
    if (studentsOut > 0)
      parts.push(
        `${plural(studentsOut, 'student')} without an experienced partner (${students} students, ${officers.length - students} experienced officers on duty)`,
      );
    if (oddOut > 0)
      parts.push(`${plural(oddOut, 'officer')} left without a partner and of a rank that may not single-crew`);
    const suggestions: Suggestion[] = [];
    if (studentsOut > 0)
      suggestions.push({
        action: 'add_experienced_officer',
        covers: studentsOut,
        message: `${studentsOut === 1 ? 'one more experienced officer' : `${studentsOut} more experienced officers`} on this shift would place ${studentsOut === 1 ? 'the student' : 'the students'}`,
      });
    if (oddOut > 0)
      suggestions.push({
        action: 'add_single_crew_rank',
        covers: oddOut,
        message: `one more officer on duty (or a sergeant able to single-crew) would place ${oddOut === 1 ? 'them' : 'one of them'}`,
      });
    return {
      shift: sh.id,
      cause: 'officers_unassigned',
      message: `${sh.label}: ${plural(un.length, 'officer')} unassigned: ${parts.join('; ')}; ${suggestions.map((s) => s.message).join('; ')}`,
      numbers: {
        officersOnDuty: officers.length,
        unassigned: un.length,
        students,
        studentsWithoutPartner: studentsOut,
        withoutPartner: oddOut,
      },
      suggestions,
    };
  }

  // Locks.
  for (const sh of problem.shifts) {
    for (const u of sh.units) {
      if (u.kind !== 'lock' || lockStatus.honoured.has(u.index)) continue;
      const who = u.members.map((m) => officerLabel(problem.officers.get(m)!)).join(' and ');
      const why =
        u.impossible ??
        'honouring it would leave an officer unassigned, a pair without a carrier or an extra single crew, or it clashes with another lock over a device';
      out.push({
        shift: sh.id,
        cause: 'lock_not_honoured',
        message: `${sh.label}: the locked crew ${who} was not kept: ${why}`,
        numbers: { lock: u.index },
        suggestions: [],
      });
    }
  }
  for (const r of problem.rejectedLocks) {
    const sh = problem.shifts[r.shiftIdx]!;
    out.push({
      shift: sh.id,
      cause: 'lock_not_honoured',
      message: `${sh.label}: lock ${r.index} was not kept: ${r.reason}`,
      numbers: { lock: r.index },
      suggestions: [],
    });
  }
  for (const d of lockStatus.droppedPins) {
    const sh = problem.shifts.find((s) => s.units.some((u) => u.kind === 'lock' && u.index === d.lock));
    out.push({
      shift: sh?.id ?? '',
      cause: 'lock_not_honoured',
      message: `${sh?.label ?? 'a shift'}: lock ${d.lock} kept its crew but not device ${d.device}, which an overlapping shift needed`,
      numbers: { lock: d.lock },
      suggestions: [],
    });
  }
  return out;
}
