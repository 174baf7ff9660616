/**
 * An independent checker of DESIGN.md section 4 for any plan. It deliberately shares no code with
 * the solver or shared/rules: eligibility, expiry and overlap are re-implemented here.
 */
import { DateTime } from 'luxon';
import type { Plan } from '../../../shared/schemas/plan.schema.js';
import type { ScenarioInput } from '../../../shared/schemas/scenario.schema.js';

type Officer = ScenarioInput['officers'][number];

/** Expiry instant: local midnight on the date `months` calendar months after training (day clamped). */
export function independentExpiryMs(lastTrained: string, months: number, zone: string): number {
  const [y, m, d] = lastTrained.split('-').map(Number) as [number, number, number];
  const total = m - 1 + months;
  const year = y + Math.floor(total / 12);
  const month = (total % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return DateTime.fromObject({ year, month, day: Math.min(d, lastDay) }, { zone }).toMillis();
}

export function independentEligible(o: Officer, scenario: ScenarioInput, shiftEndMs: number): boolean {
  const t = o.taser;
  const p = scenario.policy;
  if (!t || t.suspended === true || (t as { volunteer?: boolean }).volunteer === false) return false;
  if (o.kind === 'student' && !(p.studentOfficersMayCarry === true && t.endorsed === true)) return false;
  if (o.kind === 'special' && !(p.specialsMayCarry === true && t.endorsed === true)) return false;
  return (
    shiftEndMs <= independentExpiryMs(t.lastTrained, p.authorisationMonths ?? 12, scenario.timezone ?? 'Europe/London')
  );
}

export function checkPlan(scenario: ScenarioInput, plan: Plan): string[] {
  const errors: string[] = [];
  const officers = new Map(scenario.officers.map((o) => [o.id, o]));
  const shifts = new Map(scenario.shifts.map((s) => [s.id, { ...s, s: Date.parse(s.start), e: Date.parse(s.end) }]));
  const devices = new Map(scenario.devices.map((d) => [d.serial, d]));
  const singleRanks = new Set(scenario.policy.singleCrewRanks ?? ['SGT', 'INSP']);
  const legacy = scenario.policy.name === 'legacy';

  // Everyone on duty exactly once per shift.
  const seen = new Map<string, number>();
  const bump = (shift: string, officer: string): void => {
    const k = `${shift}|${officer}`;
    seen.set(k, (seen.get(k) ?? 0) + 1);
  };
  for (const c of plan.crews) c.members.forEach((m) => bump(c.shift, m));
  for (const u of plan.unassigned) bump(u.shift, u.officer);
  for (const o of scenario.officers) {
    for (const s of o.shifts) {
      const n = seen.get(`${s}|${o.id}`) ?? 0;
      if (n !== 1) errors.push(`${o.id} appears ${n} times on ${s}`);
      seen.delete(`${s}|${o.id}`);
    }
  }
  for (const k of seen.keys()) errors.push(`${k.replace('|', ': ')} is not on duty there`);

  const deviceUse: { serial: string; shift: string; s: number; e: number }[] = [];
  for (const c of plan.crews) {
    const sh = shifts.get(c.shift);
    if (!sh) {
      errors.push(`crew on unknown shift ${c.shift}`);
      continue;
    }
    const members = c.members.map((m) => officers.get(m));
    if (members.some((m) => !m)) continue;
    const ms = members as Officer[];
    if (ms.length < 1 || ms.length > 2) errors.push(`crew of ${ms.length} on ${c.shift}`);
    if (ms.length === 2 && ms[0]!.id === ms[1]!.id) errors.push(`${ms[0]!.id} paired with themselves`);
    if (ms.length === 2 && ms.every((m) => m.kind === 'student'))
      errors.push(`two students paired on ${c.shift}: ${c.members.join(', ')}`);
    if (ms.length === 1) {
      const o = ms[0]!;
      if (o.kind === 'student') errors.push(`student ${o.id} single-crewed on ${c.shift}`);
      if (!singleRanks.has(o.rank)) errors.push(`${o.rank} ${o.id} single-crewed on ${c.shift}`);
      if (legacy && c.carriers.length > 0) errors.push(`legacy: single ${o.id} carries on ${c.shift}`);
    }
    if (legacy && ms.length === 2 && c.carriers.length === 1)
      errors.push(`legacy: pair with one carrier on ${c.shift}`);
    const carrierIds = new Set<string>();
    for (const k of c.carriers) {
      if (carrierIds.has(k.officer)) errors.push(`${k.officer} holds two devices on ${c.shift}`);
      carrierIds.add(k.officer);
      const o = officers.get(k.officer);
      if (!o || !c.members.includes(k.officer)) {
        errors.push(`carrier ${k.officer} is not a member of the crew on ${c.shift}`);
        continue;
      }
      const d = devices.get(k.device);
      if (!d) {
        errors.push(`unknown device ${k.device}`);
        continue;
      }
      if (d.station !== sh.station)
        errors.push(`device ${k.device} at ${d.station} used on ${c.shift} at ${sh.station}`);
      if (!d.serviceable) errors.push(`unserviceable device ${k.device} issued on ${c.shift}`);
      if (!o.taser?.models.includes(d.model))
        errors.push(`${o.id} not trained on ${d.model} (${k.device}) on ${c.shift}`);
      if (!independentEligible(o, scenario, sh.e)) errors.push(`${o.id} is not eligible to carry on ${c.shift}`);
      deviceUse.push({ serial: k.device, shift: c.shift, s: sh.s, e: sh.e });
    }
  }
  for (let i = 0; i < deviceUse.length; i++) {
    for (let j = i + 1; j < deviceUse.length; j++) {
      const a = deviceUse[i]!;
      const b = deviceUse[j]!;
      if (a.serial !== b.serial) continue;
      if (a.shift === b.shift) errors.push(`device ${a.serial} has two carriers on ${a.shift}`);
      else if (a.s < b.e && b.s < a.e)
        errors.push(`device ${a.serial} used on overlapping shifts ${a.shift} and ${b.shift}`);
    }
  }

  // Stats are what the crews show.
  const pairs = plan.crews.filter((c) => c.members.length === 2);
  const expected = {
    crews: plan.crews.length,
    pairs: pairs.length,
    singles: plan.crews.length - pairs.length,
    pairsWithoutCarrier: pairs.filter((c) => c.carriers.length === 0).length,
    taserCrews: plan.crews.filter((c) => c.carriers.length > 0).length,
    devicesUsed: new Set(plan.crews.flatMap((c) => c.carriers.map((k) => k.device))).size,
    unassigned: plan.unassigned.length,
  };
  for (const [k, v] of Object.entries(expected)) {
    const got = (plan.stats as Record<string, unknown>)[k];
    if (got !== v) errors.push(`stats.${k} is ${String(got)}, crews show ${v}`);
  }
  return errors;
}

/** Objective figures of a plan, counted from its crews. */
export function planFigures(plan: Plan): {
  unassigned: number;
  pairsWithoutCarrier: number;
  pairsBothCarry: number;
  singles: number;
} {
  const pairs = plan.crews.filter((c) => c.members.length === 2);
  return {
    unassigned: plan.unassigned.length,
    pairsWithoutCarrier: pairs.filter((c) => c.carriers.length === 0).length,
    pairsBothCarry: pairs.filter((c) => c.carriers.length === 2).length,
    singles: plan.crews.length - pairs.length,
  };
}
