import { DateTime } from 'luxon';
import { carryIneligibility } from '../../shared/rules/eligibility.js';
import type { Plan } from '../../shared/schemas/plan.schema.js';
import type { WhatIf, WhatIfOutcome, WhatIfResult, WhatIfVariant } from '../../shared/schemas/report.schema.js';
import type { Scenario } from '../../shared/schemas/scenario.schema.js';
import type { Actor } from '../../shared/schemas/user.schema.js';
import { LONDON } from '../../shared/time/zone.js';
import { ValidationError } from '../errors.js';
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
  return s;
}

/** Officers on duty in the scenario who may carry on at least one of their shifts. */
const authorisedOnDuty = (s: Scenario): number => {
  const ends = new Map(s.shifts.map((sh) => [sh.id, Date.parse(sh.end)]));
  return s.officers.filter((o) =>
    o.shifts.some((id) => carryIneligibility(o, s.policy, ends.get(id) ?? 0, s.timezone) === null),
  ).length;
};

const outcome = (label: string, s: Scenario, plan: Plan): WhatIfOutcome => ({
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
  const solve = (s: Scenario) => runSolve(s, { onProgress: () => undefined, timeLimitSeconds: 30 }).promise;
  return {
    async compare(actor: Actor, input: WhatIf): Promise<WhatIfResult> {
      requireRole(actor, 'reports', 'read');
      requireScope(actor, await placementOfScope(repos, input.unit));
      // "As today" is the force's own policy; a variant changes it from there.
      const { policy } = await settings.current(actor.force);
      const base = validate(await buildScenario(repos, actor.force, input.unit, input.from, input.to, policy));
      if (base.shifts.length === 0)
        throw new ValidationError('No team works a shift in that unit and date range.', { path: 'unit' }, 'no_shifts');
      const today = DateTime.fromJSDate(clock(), { zone: LONDON }).toISODate()!;
      const variants = input.variants.map((v) => ({ label: v.label, scenario: applyVariant(base, v, today) }));
      const outcomes: WhatIfOutcome[] = [outcome('As today', base, await solve(base))];
      for (const v of variants) outcomes.push(outcome(v.label, v.scenario, await solve(v.scenario)));
      return {
        unit: `${input.unit.level}:${input.unit.id}`,
        from: input.from,
        to: input.to,
        shifts: base.shifts.length,
        outcomes,
      };
    },
  };
}
