import type { ModelContext } from '../model-context.js';
import type { ModelRule } from './types.js';

/** SOFT, objective level 3: fewest single crews (double crewing stays the norm). */
export const fewestSingles: ModelRule = {
  id: 'fewest-singles',
  kind: 'soft',
  weight: 'level 3: weight 1 per single crew',
  description: 'Prefer pairs to single crews.',
  apply(ctx: ModelContext) {
    for (const sv of ctx.shifts) {
      sv.singleCarriers.forEach((v) => ctx.levels.singles.add(v));
      sv.singleNonCarriers.forEach((v) => ctx.levels.singles.add(v));
      sv.shift.units.forEach((u, ui) => {
        if (u.members.length === 1) sv.unitPatterns[ui]!.forEach((b) => ctx.levels.singles.add(b));
      });
    }
  },
};
