import type { ModelContext } from '../model-context.js';
import type { ModelRule } from './types.js';

/**
 * SOFT, objective level 5 (with level 4, after levels 1-3 are fixed): re-solve with minimal
 * change. Each crew of scenario.previousPlan costs 2 when broken up and 1 when kept with different
 * carriers; kept as it was costs 0.
 */
export const previousPlan: ModelRule = {
  id: 'previous-plan',
  kind: 'soft',
  weight: 'level 5: 2 per previous crew broken up, 1 per previous crew with other carriers',
  description: 'When re-solving, keep the previous plan’s crews and carriers where that costs nothing above.',
  apply(ctx: ModelContext) {
    for (const sv of ctx.shifts) {
      sv.shift.units.forEach((u, ui) => {
        if (u.kind !== 'baseline') return;
        ctx.levels.baselineChanged.addConst(2);
        u.patterns.forEach((p, pi) =>
          ctx.levels.baselineChanged.add(sv.unitPatterns[ui]![pi], p.matchesSpec ? -2 : -1),
        );
      });
    }
  },
};
