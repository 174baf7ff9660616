import type { ModelContext } from '../model-context.js';
import type { ModelRule } from './types.js';

/**
 * HARD. Only an eligible officer carries (authorisation in date for the whole shift, not suspended,
 * a volunteer, a regular officer or an endorsed student/special where the policy allows), and only a
 * model they are trained on. Eligibility itself is `shared/rules/eligibility.ts`; prepare.ts puts
 * its answer on each class as `models`.
 */
export const carrierEligibility: ModelRule = {
  id: 'carrier-eligibility',
  kind: 'hard',
  weight: 'hard',
  description: 'A carrier is eligible for the whole shift and trained on the model of their device.',
  apply(ctx: ModelContext) {
    for (const sv of ctx.shifts) {
      sv.shift.classes.forEach((c, ci) => {
        sv.stationModels.forEach((m, j) => {
          if (!c.models.includes(m)) ctx.model.addLinearConstraint(sv.k[ci]![j]!, 0, 0);
        });
      });
    }
  },
};
