import type { ModelContext } from '../model-context.js';
import type { ModelRule } from './types.js';

/**
 * SOFT, objective level 4 (solved after levels 1-3 are fixed at their optimum): honour as many
 * planner-locked crews as possible, each exactly as locked (members, and carriers/devices if given).
 * A lock is never honoured at the cost of an unassigned officer, an uncovered pair or an extra single.
 */
export const lockedCrews: ModelRule = {
  id: 'locked-crews',
  kind: 'soft',
  weight: 'level 4: weight (2 x previous-plan crews + 1) per lock broken',
  description: 'Honour the crews the planner locked.',
  apply(ctx: ModelContext) {
    for (const sv of ctx.shifts) {
      sv.shift.units.forEach((u, ui) => {
        if (u.kind !== 'lock') return;
        ctx.levels.locksBroken.addConst(1);
        sv.unitPatterns[ui]!.forEach((b) => ctx.levels.locksBroken.add(b, -1));
      });
    }
  },
};
