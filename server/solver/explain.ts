import { DateTime } from 'luxon';
import { authorisationExpiry } from '../../shared/rules/authorisation.js';
import { intervalsOverlap } from '../../shared/rules/shift-overlap.js';
import type {
  Explanation,
  ExplanationCause,
  PlanCrew,
  PlanUnassigned,
  ScenarioChange,
  Suggestion,
} from '../../shared/schemas/plan.schema.js';
import type { ScenarioOfficer } from '../../shared/schemas/scenario.schema.js';
import { officerLabel } from '../../shared/rules/crew-check.js';
import { plural } from './labels.js';
import { MODELS, type Model, type Problem, type ShiftInfo } from './prepare.js';
import type { SuggestionMeter } from './suggest.js';

/** Changes measured per shift short of cover (each a re-solve of its component, cached per component). */
export const MAX_CANDIDATES_PER_SHIFT = 12;

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
export async function explainPlan(
  problem: Problem,
  crews: readonly PlanCrew[],
  unassigned: readonly PlanUnassigned[],
  lockStatus: { honoured: Set<number>; droppedPins: { lock: number; device: string }[] },
  meter: SuggestionMeter,
): Promise<Explanation[]> {
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
    if (short > 0) out.push(await explainShortfall(sh, pairs.length, short));
    const un = unassignedOf.get(sh.id) ?? [];
    if (un.length > 0) out.push(await explainUnassigned(sh, un));
  }

  function componentShifts(sh: ShiftInfo): string[] {
    return problem.components[sh.component]!.shifts.map((i) => problem.shifts[i]!.id);
  }
  /** Idle officers able to carry on any shift of the component: without one, no device can help. */
  function idleAbleInComponent(sh: ShiftInfo): string[] {
    return problem.components[sh.component]!.shifts.flatMap((i) => {
      const o = problem.shifts[i]!;
      const carrying = new Set((crewsOf.get(o.id) ?? []).flatMap((c) => c.carriers.map((k) => k.officer)));
      return o.onDuty.filter((id) => !o.ineligible.has(id) && !carrying.has(id));
    });
  }
  function gainWords(g: number): string {
    return problem.legacy ? `give ${pairsWord(g)} more in which both carry` : `cover ${pairsWord(g)}`;
  }
  function shiftDate(sh: ShiftInfo): string {
    return DateTime.fromMillis(sh.startMs, { zone }).toISODate()!;
  }

  type Candidate = {
    side: 'device' | 'carrier' | 'both';
    /** Same group: a bigger change is kept only when it gains more than a smaller one. */
    group: string;
    size: number;
    /** 0: the change sized to the shortfall; 1: its one-unit version, measured after every tier-0 one. */
    tier: number;
    change: ScenarioChange[];
    fields: { action: Suggestion['action']; model?: string; station?: string; officer?: string; devices?: string[] };
    message: (g: number) => string;
  };

  async function measureShortfall(
    sh: ShiftInfo,
    short: number,
    facts: {
      idleAble: string[];
      lapsed: ScenarioOfficer[];
      suspended: ScenarioOfficer[];
      notEndorsed: ScenarioOfficer[];
      lapseText: (o: ScenarioOfficer) => { text: string; date: DateTime };
    },
  ): Promise<{ cause: ExplanationCause; suggestions: Suggestion[]; measured: boolean }> {
    const comp = problem.components[sh.component]!;
    const here = stationName.get(sh.station)!;
    const officerOf = (id: string): ScenarioOfficer => problem.officers.get(id)!;
    const trainedOn = (ids: string[], m: Model): number =>
      ids.filter((id) => officerOf(id).taser?.models.includes(m) ?? false).length;
    const perPair = problem.legacy ? 2 : 1;
    const device: Candidate[] = [];
    const carrier: Candidate[] = [];
    const compIdle = idleAbleInComponent(sh);
    if (compIdle.length > 0) {
      const pool = facts.idleAble.length > 0 ? facts.idleAble : compIdle;
      const models = MODELS.filter((m) => trainedOn(pool, m) > 0)
        .sort((a, b) => trainedOn(pool, b) - trainedOn(pool, a))
        .slice(0, 2);
      const st = scenario.stations.find((x) => x.id === sh.station);
      const others = scenario.stations
        .filter((x) => x.id !== sh.station && (x.borough === st?.borough || x.bcu === st?.bcu))
        .sort(
          (a, b) => Number(b.borough === st?.borough) - Number(a.borough === st?.borough) || (a.id < b.id ? -1 : 1),
        );
      for (const m of models) {
        const need = Math.max(1, Math.min(short * perPair, trainedOn(pool, m)));
        const sizes = need > 1 ? [need, 1] : [1];
        for (const n of sizes)
          device.push({
            side: 'device',
            group: `add_device|${m}`,
            size: n,
            tier: n === 1 && need > 1 ? 1 : 0,
            change: [{ kind: 'add_device', station: sh.station, model: m, count: n }],
            fields: { action: 'add_device', model: m, station: sh.station },
            message: (g) => `${n === 1 ? `one more ${m}` : `${n} more ${m} devices`} at ${here} would ${gainWords(g)}`,
          });
        const f = faulty.get(sh.station)?.get(m) ?? [];
        const fixes = [...new Set([Math.min(need, f.length), 1])].filter((n) => n >= 1 && n <= f.length);
        for (const n of fixes) {
          const serials = f.slice(0, n);
          device.push({
            side: 'device',
            group: `repair_device|${m}`,
            size: n,
            tier: n === 1 && fixes.length > 1 ? 1 : 0,
            change: [{ kind: 'repair_device', serials }],
            fields: { action: 'repair_device', model: m, devices: serials },
            message: (g) =>
              `repairing ${n === 1 ? `${m} ${serials[0]!}` : `${n} faulty ${m} devices`} would ${gainWords(g)}`,
          });
        }
        let lenders = 0;
        for (const o of others) {
          if (lenders >= 2) break;
          const spare = spareAt(o.id, sh, m);
          if (spare <= 0) continue;
          lenders++;
          const n = Math.min(need, spare);
          const serials = (problem.devices.get(o.id)?.get(m) ?? []).slice(-n);
          device.push({
            side: 'device',
            group: `move_device|${m}|${o.id}`,
            size: n,
            tier: 0,
            change: [{ kind: 'move_device', serials, station: sh.station }],
            fields: { action: 'move_device', model: m, station: o.id, devices: serials },
            message: (g) =>
              `${n === 1 ? `a spare ${m}` : `${n} spare ${m} devices`} at ${stationName.get(o.id)!} would ${gainWords(g)}`,
          });
        }
      }
    }
    // Carriers: a model with a serviceable device here, the freest first.
    const stationModels = MODELS.filter((m) => deviceCount(sh.station, m) > 0).sort(
      (a, b) => freeFor(sh, b) - freeFor(sh, a),
    );
    const m0 = stationModels[0];
    const day = shiftDate(sh);
    if (m0 !== undefined) {
      const untrained = sh.onDuty.filter((id) => {
        const o = officerOf(id);
        return o.taser === null && o.kind === 'regular';
      });
      const k = Math.min(short * perPair, untrained.length);
      for (const n of [...new Set([k, 1])].filter((x) => x >= 1 && x <= untrained.length)) {
        const ids = untrained.slice(0, n);
        carrier.push({
          side: 'carrier',
          group: `train_officer|${m0}`,
          size: n,
          tier: n === 1 && k > 1 ? 1 : 0,
          change: [{ kind: 'train_officer', officers: ids, model: m0, lastTrained: day }],
          fields: { action: 'train_officer', model: m0, ...(n === 1 ? { officer: ids[0]! } : {}) },
          message: (g) =>
            `authorising ${n === 1 ? officerLabel(officerOf(ids[0]!)) : `${n} officers on duty`} on ${m0} would ${gainWords(g)}`,
        });
      }
    }
    const officerGroups: [Suggestion['action'], ScenarioOfficer[]][] = [
      ['renew_authorisation', facts.lapsed],
      ['lift_suspension', facts.suspended],
      ['endorse_officer', facts.notEndorsed],
    ];
    for (const [action, list] of officerGroups) {
      if (list.length === 0) continue;
      const all = list.slice(0, Math.max(1, short * perPair));
      const sets = all.length > 1 ? [all, all.slice(0, 1)] : [all];
      for (const set of sets) {
        const ids = set.map((o) => o.id);
        const one = set.length === 1 ? set[0]! : null;
        const change: ScenarioChange =
          action === 'renew_authorisation'
            ? { kind: 'renew_authorisation', officers: ids, lastTrained: day }
            : action === 'lift_suspension'
              ? { kind: 'lift_suspension', officers: ids }
              : { kind: 'endorse_officer', officers: ids };
        carrier.push({
          side: 'carrier',
          group: action,
          size: set.length,
          tier: set.length === 1 && all.length > 1 ? 1 : 0,
          change: [change],
          fields: { action, ...(one ? { officer: one.id } : {}) },
          message: (g) => {
            const what = `would ${gainWords(g)}`;
            if (action === 'renew_authorisation')
              return one
                ? `a refresher for ${officerLabel(one)} (lapsed ${facts.lapseText(one).date.toFormat('d LLL')}) ${what}`
                : `refreshers for ${set.length} officers whose authorisation lapsed ${what}`;
            if (action === 'lift_suspension')
              return one
                ? `lifting ${officerLabel(one)}'s suspension ${what}`
                : `lifting ${set.length} suspensions ${what}`;
            return one
              ? `endorsing ${officerLabel(one)} (and the force setting allowing ${one.kind}s to carry) ${what}`
              : `endorsing ${set.length} authorised students or specials (and the force setting allowing them to carry) ${what}`;
          },
        });
      }
    }
    if (m0 !== undefined)
      carrier.push({
        side: 'carrier',
        group: `add_carrier|${m0}`,
        size: 1,
        tier: 1,
        change: [{ kind: 'add_officer', shift: sh.id, rank: 'PC', model: m0, lastTrained: day }],
        fields: { action: 'add_carrier', model: m0 },
        message: (g) => `one more officer authorised on ${m0} on this shift would ${gainWords(g)}`,
      });

    // The changes sized to the shortfall first, device and carrier sides alternately, then the
    // one-unit versions; capped.
    const byTier = (a: Candidate, b: Candidate): number => a.tier - b.tier;
    const order: Candidate[] = [];
    const dq = [...device].sort(byTier);
    const cq = [...carrier].sort(byTier);
    while (dq.length > 0 || cq.length > 0) {
      if (dq.length > 0) order.push(dq.shift()!);
      if (cq.length > 0) order.push(cq.shift()!);
    }
    const base = await meter.measure(comp, []);
    if (base === null) return { cause: unmeasuredCause(sh), suggestions: [], measured: false };
    const results: { c: Candidate; gain: number }[] = [];
    for (const c of order.slice(0, MAX_CANDIDATES_PER_SHIFT)) {
      const r = await meter.measure(comp, c.change);
      if (r === null) continue;
      if (r.unassigned > base.unassigned) continue;
      results.push({ c, gain: r.covered - base.covered });
    }
    const best = (side: Candidate['side']): number =>
      Math.max(0, ...results.filter((x) => x.c.side === side).map((x) => x.gain));
    const devGain = best('device');
    const carGain = best('carrier');
    const d0 = device[0];
    const c0 = carrier.find((c) => c.group.startsWith('train_officer')) ?? carrier[0];
    if (devGain === 0 && carGain === 0 && d0 && c0) {
      const both: Candidate = {
        side: 'both',
        group: 'combined',
        size: 1,
        tier: 0,
        change: [...d0.change, ...c0.change],
        fields: { action: 'combined' },
        message: (g) =>
          `${d0.message(g).replace(/ would .*$/, '')} and ${c0.message(g).replace(/ would .*$/, '')}, together, would ${gainWords(g)}`,
      };
      const r = await meter.measure(comp, both.change);
      if (r !== null && r.unassigned <= base.unassigned) results.push({ c: both, gain: r.covered - base.covered });
    }
    const suggestions = keepHelpful(results);
    const anyMeasured = results.length > 0 || order.length === 0;
    const cause: ExplanationCause = !anyMeasured
      ? unmeasuredCause(sh)
      : devGain > 0 || carGain > 0
        ? carGain > devGain
          ? 'too_few_carriers'
          : 'too_few_devices'
        : problem.legacy
          ? 'legacy_pairs_not_both_carrying'
          : 'pair_structure';
    return { cause, suggestions, measured: anyMeasured };
  }

  /** When the budget ran out: no device can help without an idle officer able to carry. */
  function unmeasuredCause(sh: ShiftInfo): ExplanationCause {
    if (problem.legacy) return 'legacy_pairs_not_both_carrying';
    return idleAbleInComponent(sh).length > 0 ? 'too_few_devices' : 'too_few_carriers';
  }

  /** Changes that help; within a group a bigger change only when it gains more than a smaller one. */
  function keepHelpful(results: { c: Candidate; gain: number }[]): Suggestion[] {
    const kept: { c: Candidate; gain: number }[] = [];
    const seen = new Set<string>();
    for (const r of [...results].sort((a, b) => a.c.size - b.c.size)) {
      if (r.gain <= 0) continue;
      const key = JSON.stringify(r.c.change);
      if (seen.has(key)) continue;
      const smaller = kept.filter((k) => k.c.group === r.c.group).map((k) => k.gain);
      if (smaller.length > 0 && Math.max(...smaller) >= r.gain) continue;
      seen.add(key);
      kept.push(r);
    }
    // Back in the order measured (probes first), biggest gain first.
    return kept
      .sort((a, b) => b.gain - a.gain || results.indexOf(a) - results.indexOf(b))
      .map(({ c, gain }) => ({ ...c.fields, covers: gain, change: c.change, message: c.message(gain) }));
  }

  async function explainShortfall(sh: ShiftInfo, pairs: number, short: number): Promise<Explanation> {
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

    const measured = await measureShortfall(sh, short, { idleAble, lapsed, suspended, notEndorsed, lapseText });
    const suggestions = measured.suggestions;
    const message = `${sh.label}: ${parts.join(', ')}${suggestions.length > 0 ? `; ${suggestions.map((s) => s.message).join('; ')}` : ''}`;
    return {
      shift: sh.id,
      cause: measured.cause,
      message,
      numbers,
      suggestions,
      componentShifts: componentShifts(sh),
      measured: measured.measured,
    };
  }

  async function explainUnassigned(sh: ShiftInfo, un: PlanUnassigned[]): Promise<Explanation> {
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
    let measured = false;
    const comp = problem.components[sh.component]!;
    const base = await meter.measure(comp, []);
    if (base !== null) {
      measured = true;
      const tries: [Suggestion['action'], string, number, (g: number) => string][] = [];
      const place = (g: number): string => (g === 1 ? 'one of them' : `${g} of them`);
      if (studentsOut > 0)
        for (const n of [...new Set([studentsOut, 1])])
          tries.push([
            'add_experienced_officer',
            'PC',
            n,
            (g) =>
              `${n === 1 ? 'one more experienced officer' : `${n} more experienced officers`} on this shift would place ${g === un.length && g === 1 ? 'them' : place(g)}`,
          ]);
      const sgt = scenario.policy.singleCrewRanks[0];
      if (oddOut > 0 && sgt !== undefined)
        tries.push([
          'add_single_crew_rank',
          sgt,
          1,
          (g) => `one more ${sgt} on duty, able to single-crew, would place ${place(g)}`,
        ]);
      if (oddOut > 0)
        tries.push(['add_experienced_officer', 'PC', 1, (g) => `one more officer on duty would place ${place(g)}`]);
      const seen = new Map<string, number>();
      for (const [action, rank, count, words] of tries.sort((a, b) => a[2] - b[2])) {
        const change: ScenarioChange[] = [{ kind: 'add_officer', shift: sh.id, rank, count }];
        const key = JSON.stringify(change);
        if (seen.has(key)) continue;
        const r = await meter.measure(comp, change);
        if (r === null) continue;
        const gain = base.unassigned - r.unassigned;
        seen.set(key, gain);
        const smaller = Math.max(
          0,
          ...[...seen.entries()].filter(([k]) => k !== key && k.includes(`"rank":"${rank}"`)).map(([, g]) => g),
        );
        if (gain <= 0 || gain <= smaller) continue;
        suggestions.push({ action, covers: gain, change, message: words(gain) });
      }
    }
    return {
      shift: sh.id,
      cause: 'officers_unassigned',
      message: `${sh.label}: ${plural(un.length, 'officer')} unassigned: ${parts.join('; ')}${suggestions.length > 0 ? `; ${suggestions.map((s) => s.message).join('; ')}` : ''}`,
      numbers: {
        officersOnDuty: officers.length,
        unassigned: un.length,
        students,
        studentsWithoutPartner: studentsOut,
        withoutPartner: oddOut,
      },
      suggestions,
      componentShifts: componentShifts(sh),
      measured,
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
