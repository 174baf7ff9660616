import { inScope } from '../../shared/auth/permissions.js';
import { quarterRange, quarterlyRows } from '../../shared/rules/taser-use.js';
import type {
  PopulationTable,
  PopulationView,
  QuarterlyQuery,
  QuarterlyReport,
} from '../../shared/schemas/taser-use.schema.js';
import type { Actor } from '../../shared/schemas/user.schema.js';
import { DEMO_FORCE_ID } from '../db/demo-force.js';
import { demoPopulation } from '../db/demo-population.js';
import { ValidationError } from '../errors.js';
import type { Repositories } from '../repositories/index.js';
import type { PopulationRepository, TaserUseRepository } from '../repositories/taser-use.repository.js';
import { requireRole, requireScope, requireUnitsInScope } from './access.js';
import type { ForceSettingsReader } from './force-settings.service.js';

/**
 * The quarterly publication of Taser use by borough (issue 11), in the flat open-data layout, and the population
 * table its rates read. Aggregates only: no name or collar number leaves this service, so the `oversight` role
 * may read it force-wide. Every record counts whatever its review status (as forms submitted to the Home Office
 * do); a record reopened and corrected counts as corrected.
 */
export function createTaserUseReportService(
  repos: Repositories,
  uses: TaserUseRepository,
  population: PopulationRepository,
  deps: { clock: () => Date; settings: ForceSettingsReader },
) {
  const populationOf = async (force: string): Promise<PopulationView> => {
    const stored = await population.get(force);
    if (stored) return stored;
    const table: PopulationTable =
      force === DEMO_FORCE_ID
        ? demoPopulation()
        : { source: 'Not configured: an administrator must load the population table.', year: 0, boroughs: [] };
    return { table, updatedAt: null, updatedBy: null };
  };

  return {
    async quarterly(actor: Actor, q: QuarterlyQuery): Promise<QuarterlyReport> {
      requireRole(actor, 'use_statistics', 'read');
      const range = quarterRange(q.quarter);
      if (!range)
        throw new ValidationError(
          `${q.quarter} is not a financial-year quarter.`,
          { path: 'quarter' },
          'invalid_quarter',
        );
      const all = await repos.boroughs.find({ force: actor.force });
      // An unknown borough is 404 unit_not_found, another's 403 out_of_scope, as for every list filter.
      if (q.borough) await requireUnitsInScope(repos, actor, { borough: q.borough });
      const boroughs = all
        .filter((b) =>
          q.borough ? b.id === q.borough : inScope(actor.scope, { force: b.force, bcu: b.bcu, borough: b.id }),
        )
        .sort((x, y) => x.name.localeCompare(y.name));
      const ids = boroughs.map((b) => b.id);
      const [records, pop, settings] = await Promise.all([
        uses.all({ force: actor.force, quarter: q.quarter, borough: { $in: ids } }),
        populationOf(actor.force),
        deps.settings.current(actor.force),
      ]);
      const threshold = settings.smallNumberThreshold;
      const out: QuarterlyReport = {
        quarter: q.quarter,
        ...range,
        threshold,
        populationSource: pop.table.source,
        boroughs: [],
        rows: [],
      };
      for (const b of boroughs) {
        const rows = quarterlyRows({
          borough: b.id,
          boroughName: b.name,
          quarter: q.quarter,
          uses: records,
          population: pop.table.boroughs.find((p) => p.borough === b.id),
          threshold,
        });
        out.rows.push(...rows);
        out.boroughs.push({
          borough: b.id,
          boroughName: b.name,
          measures: Object.fromEntries(rows.map((r) => [r.measure, r.value])),
        });
      }
      return out;
    },

    async population(actor: Actor): Promise<PopulationView> {
      requireRole(actor, 'population', 'read');
      return populationOf(actor.force);
    },

    /** Replaces the force's population table: every borough must be the force's, each group within its total. */
    async setPopulation(actor: Actor, table: PopulationTable): Promise<PopulationView> {
      requireRole(actor, 'population', 'write');
      // Force-wide only: an admin scoped to a BCU or borough is refused (out_of_scope).
      requireScope(actor, { force: actor.force });
      const known = new Set((await repos.boroughs.find({ force: actor.force })).map((b) => b.id));
      const seen = new Set<string>();
      for (const [i, b] of table.boroughs.entries()) {
        const at = { path: `boroughs.${i}` };
        if (!known.has(b.borough))
          throw new ValidationError(`There is no borough ${b.borough} in this force.`, at, 'unknown_borough');
        if (seen.has(b.borough)) throw new ValidationError(`${b.borough} is listed twice.`, at, 'duplicate_borough');
        seen.add(b.borough);
        const groups = Object.values(b.byEthnicity).reduce((s, n) => s + n, 0);
        if (groups > b.total)
          throw new ValidationError(
            `${b.borough}: the groups add up to ${groups}, more than the total ${b.total}.`,
            at,
            'population_inconsistent',
          );
      }
      const stored = { table, updatedAt: deps.clock().toISOString(), updatedBy: actor.username };
      await population.put(actor.force, stored);
      return stored;
    },
  };
}
export type TaserUseReportService = ReturnType<typeof createTaserUseReportService>;
