import { DateTime } from 'luxon';
import { carryIneligibility } from '../../shared/rules/eligibility.js';
import type { Plan } from '../../shared/schemas/plan.schema.js';
import {
  WHAT_IF_MAX_DAYS,
  type WhatIf,
  type WhatIfOutcome,
  type WhatIfResult,
  type WhatIfVariant,
} from '../../shared/schemas/report.schema.js';
import type { Scenario } from '../../shared/schemas/scenario.schema.js';
import type { Actor } from '../../shared/schemas/user.schema.js';
import { LONDON } from '../../shared/time/zone.js';
import { ValidationError } from '../errors.js';
import { applyScenarioChanges } from '../solver/suggest.js';
import type { Repositories } from '../repositories/index.js';
import { requireRole, requireScope } from './access.js';
import type { ScenarioValidator, SolveRunner } from './crew-plan.service.js';
import type { ForceSettingsReader } from './force-settings.service.js';
import { buildScenario } from './scenario-builder.service.js';
import { placementOfScope } from './user.service.js';

/** Today's set-up changed as a variant says: another policy, extra devices, more officers trained. */
export function applyVariant(base: Scenario, v: WhatIfVariant, today: string): Scenario {
  const s: Scenario = structuredClone(base);
  if (v.policy) s.policy = { ...s.policy, name: v.policy };
  for (const [i, d] of (v.extraDevices ?? []).entries()) {
    if (!s.stations.some((st) => st.id === d.station))
      throw new ValidationError(
        `variants: station ${d.station} is not in the unit.`,
        { path: `extraDevices.${i}.station` },
        'unknown_station',
      );
    for (let n = 1; n <= d.count; n++)
      s.devices.push({
        // The line number keeps serials unique when the same station and model appear twice.
        serial: `WHATIF-${d.station}-${d.model}-${i + 1}-${n}`,
        model: d.model,
        station: d.station,
        serviceable: true,
      });
  }
  if (v.trainOfficers) {
    const untrained = s.officers
      .filter((o) => o.taser === null && o.kind === 'regular' && o.rank === 'PC')
      .sort((a, b) => a.id.localeCompare(b.id))
      .slice(0, v.trainOfficers);
    for (const o of untrained)
      o.taser = { lastTrained: today, models: ['X2'], endorsed: false, suspended: false, volunteer: true };
  }
  return v.changes ? applyScenarioChanges(s, v.changes) : s;
}

/** "20 more PCs trained and 10 more X2 at Orpington": what a variant changes, in a lead's words. */
export function describeVariant(v: WhatIfVariant, stationName: (id: string) => string): string {
  const parts: string[] = [];
  if (v.trainOfficers) parts.push(`${v.trainOfficers} more ${v.trainOfficers === 1 ? 'PC' : 'PCs'} trained`);
  for (const d of v.extraDevices ?? []) parts.push(`${d.count} more ${d.model} at ${stationName(d.station)}`);
  if (v.policy === 'legacy') parts.push('the legacy policy (both of a pair carry)');
  if (v.policy === 'revised') parts.push('the revised policy');
  if (v.changes) parts.push(v.label);
  if (parts.length === 0) return v.label;
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)!}`;
}

/** "in December 2026" for a whole month, "on 23 Nov 2026" for a day, else "from 1 Dec to 28 Dec 2026". */
export function describePeriod(from: string, to: string): string {
  const a = DateTime.fromISO(from, { zone: LONDON });
  const b = DateTime.fromISO(to, { zone: LONDON });
  if (from === to) return `on ${a.toFormat('d LLL yyyy')}`;
  if (a.day === 1 && a.hasSame(b, 'month') && b.plus({ days: 1 }).day === 1) return `in ${a.toFormat('LLLL yyyy')}`;
  return `from ${a.toFormat(a.hasSame(b, 'year') ? 'd LLL' : 'd LLL yyyy')} to ${b.toFormat('d LLL yyyy')}`;
}

/** "With …, pairs without a Taser carrier in December 2026 fall from 41 to 6." */
export function upliftSentence(what: string, period: string, before: number, after: number): string {
  const change =
    after < before
      ? `fall from ${before} to ${after}`
      : after > before
        ? `rise from ${before} to ${after}`
        : `stay at ${before}`;
  return `With ${what}, pairs without a Taser carrier ${period} ${change}.`;
}

/** Officers on duty in the scenario who may carry on at least one of their shifts. */
const authorisedOnDuty = (s: Scenario): number => {
  const ends = new Map(s.shifts.map((sh) => [sh.id, Date.parse(sh.end)]));
  return s.officers.filter((o) =>
    o.shifts.some((id) => carryIneligibility(o, s.policy, ends.get(id) ?? 0, s.timezone) === null),
  ).length;
};

/** Shifts with a pair short of cover, and pairs without a carrier per local day of a shift's start. */
function shortfall(
  s: Scenario,
  plan: Plan,
  days: string[],
): Pick<WhatIfOutcome, 'shiftsShort' | 'pairsWithoutCarrierByDay'> {
  const legacy = s.policy.name === 'legacy';
  const dayOf = new Map(
    s.shifts.map((sh) => [sh.id, DateTime.fromISO(sh.start, { zone: LONDON }).toISODate()!] as const),
  );
  const byDay = new Map(days.map((d) => [d, 0]));
  const short = new Set<string>();
  for (const c of plan.crews) {
    if (c.members.length !== 2) continue;
    if (c.carriers.length === 0) {
      const d = dayOf.get(c.shift);
      if (d !== undefined) byDay.set(d, (byDay.get(d) ?? 0) + 1);
    }
    if (c.carriers.length === 0 || (legacy && c.carriers.length < 2)) short.add(c.shift);
  }
  return {
    shiftsShort: short.size,
    pairsWithoutCarrierByDay: [...byDay.entries()]
      .filter(([d]) => days.includes(d))
      .map(([date, pairsWithoutCarrier]) => ({ date, pairsWithoutCarrier })),
  };
}

const outcome = (label: string, s: Scenario, plan: Plan, days: string[]): WhatIfOutcome => ({
  label,
  status: plan.status,
  crews: plan.stats.crews,
  pairs: plan.stats.pairs,
  singles: plan.stats.singles,
  taserCrews: plan.stats.taserCrews,
  pairsWithoutCarrier: plan.stats.pairsWithoutCarrier,
  pairsBothCarry: plan.stats.pairsBothCarry ?? plan.crews.filter((c) => c.carriers.length === 2).length,
  unassigned: plan.stats.unassigned,
  devicesUsed: plan.stats.devicesUsed,
  authorisedOnDuty: authorisedOnDuty(s),
  devices: s.devices.filter((d) => d.serviceable).length,
  ...shortfall(s, plan, days),
  summary: null,
});

/**
 * What a policy or uplift change would buy: solves the unit's real rota for a few days as it is (under the
 * force's settings) and
 * under each variant, and reports the cover each gives. Solves run in the solver worker, one at a time.
 */
export function createWhatIfService(
  repos: Repositories,
  runSolve: SolveRunner,
  validate: ScenarioValidator,
  clock: () => Date,
  settings: ForceSettingsReader,
) {
  // The what-if reads cover figures only: no time spent measuring suggestions.
  const solve = (s: Scenario) =>
    runSolve(s, { onProgress: () => undefined, timeLimitSeconds: 30, suggestionBudgetSeconds: 0 }).promise;
  return {
    async compare(actor: Actor, input: WhatIf): Promise<WhatIfResult> {
      requireRole(actor, 'reports', 'read');
      requireScope(actor, await placementOfScope(repos, input.unit));
      const first = DateTime.fromISO(input.from, { zone: LONDON });
      const days = Math.round(DateTime.fromISO(input.to, { zone: LONDON }).diff(first, 'days').days) + 1;
      if (days > WHAT_IF_MAX_DAYS)
        throw new ValidationError(
          `A what-if covers at most ${WHAT_IF_MAX_DAYS} days; ${input.from} to ${input.to} is ${days}.`,
          { path: 'to' },
          'range_too_long',
        );
      const dates = Array.from({ length: days }, (_, i) => first.plus({ days: i }).toISODate()!);
      // "As today" is the force's own policy; a variant changes it from there.
      const { policy } = await settings.current(actor.force);
      const base = validate(await buildScenario(repos, actor.force, input.unit, input.from, input.to, policy));
      if (base.shifts.length === 0)
        throw new ValidationError('No team works a shift in that unit and date range.', { path: 'unit' }, 'no_shifts');
      const today = DateTime.fromJSDate(clock(), { zone: LONDON }).toISODate()!;
      const variants = input.variants.map((v) => ({ label: v.label, scenario: applyVariant(base, v, today) }));
      const today0 = outcome('As today', base, await solve(base), dates);
      const outcomes: WhatIfOutcome[] = [today0];
      const names = new Map(base.stations.map((st) => [st.id, st.name ?? st.id]));
      const period = describePeriod(input.from, input.to);
      for (const [i, v] of variants.entries()) {
        const o = outcome(v.label, v.scenario, await solve(v.scenario), dates);
        const what = describeVariant(input.variants[i]!, (id) => names.get(id) ?? id);
        o.summary = upliftSentence(what, period, today0.pairsWithoutCarrier, o.pairsWithoutCarrier);
        outcomes.push(o);
      }
      return {
        unit: `${input.unit.level}:${input.unit.id}`,
        from: input.from,
        to: input.to,
        days,
        shifts: base.shifts.length,
        outcomes,
      };
    },
  };
}
