import { Lin, type ModelContext } from '../model-context.js';
import type { ModelRule } from './types.js';

/**
 * HARD. A carrier holds one device of the shift's station; a device has at most one carrier per
 * shift and never carriers in two overlapping shifts. Serials of one model at one station are
 * interchangeable, so it is enough that, at every instant, the carriers of model m on the active
 * shifts of a station number at most its serviceable devices of m: one constraint per maximal clique
 * of the overlap graph. Serials are then given out by interval colouring (assign.ts), which the clique
 * bound makes always possible. A device a lock names is used at most once per clique.
 */
export const deviceIssue: ModelRule = {
  id: 'device-issue',
  kind: 'hard',
  weight: 'hard',
  description:
    'Each carrier has one serviceable device of a trained model at the station; no device serves two overlapping shifts.',
  apply(ctx: ModelContext) {
    const station = ctx.component.station;
    const here = ctx.problem.devices.get(station);
    for (const clique of ctx.component.cliques) {
      const models = new Set(clique.flatMap((si) => ctx.byShift.get(si)!.stationModels));
      for (const m of models) {
        const cap = here?.get(m)?.length ?? 0;
        const sum = new Lin();
        const pinned = new Map<string, Lin>();
        for (const si of clique) {
          const sv = ctx.byShift.get(si)!;
          const j = sv.stationModels.indexOf(m);
          if (j >= 0) sv.k.forEach((row) => sum.add(row[j]));
          sv.shift.units.forEach((u, ui) =>
            u.patterns.forEach((p, pi) => {
              for (const c of p.carriers) {
                if (c.model !== m) continue;
                const b = sv.unitPatterns[ui]![pi]!;
                sum.add(b);
                if (c.device !== undefined) {
                  const l = pinned.get(c.device) ?? new Lin();
                  pinned.set(c.device, l.add(b));
                }
              }
            }),
          );
        }
        if (sum.vars.length > 0) ctx.model.addLinearConstraint(sum.expr(), 0, cap);
        for (const l of pinned.values()) if (l.vars.length > 1) ctx.model.addLinearConstraint(l.expr(), 0, 1);
      }
    }
  },
};
