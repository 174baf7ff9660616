import type { ModelContext } from '../model-context.js';
import type { ModelRule } from './types.js';

/**
 * HARD. A single crew is an officer of a rank in policy.singleCrewRanks (and never a student).
 * Revised policy: a single may carry. Legacy policy: singles never carry.
 */
export const singleCrew: ModelRule = {
  id: 'single-crew',
  kind: 'hard',
  weight: 'hard',
  description: 'Only ranks in singleCrewRanks deploy single; under the legacy policy a single never carries.',
  apply(ctx: ModelContext) {
    for (const sv of ctx.shifts) {
      sv.shift.classes.forEach((c, ci) => {
        if (!c.maySingle) {
          ctx.model.addLinearConstraint(sv.singleCarriers[ci]!, 0, 0);
          ctx.model.addLinearConstraint(sv.singleNonCarriers[ci]!, 0, 0);
        } else if (ctx.problem.legacy) ctx.model.addLinearConstraint(sv.singleCarriers[ci]!, 0, 0);
      });
    }
  },
};
