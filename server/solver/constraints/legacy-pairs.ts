import { PAIR_TYPES, pairKey, roleIsCarrier, type ModelContext } from '../model-context.js';
import type { ModelRule } from './types.js';

/** HARD (legacy policy only). A carrier deploys only in a pair in which both carry. */
export const legacyPairs: ModelRule = {
  id: 'legacy-pairs',
  kind: 'hard',
  weight: 'hard',
  description: 'Legacy policy: a pair has two carriers or none.',
  apply(ctx: ModelContext) {
    if (!ctx.problem.legacy) return;
    for (const sv of ctx.shifts) {
      for (const [a, b] of PAIR_TYPES) {
        if (roleIsCarrier(a) !== roleIsCarrier(b)) ctx.model.addLinearConstraint(sv.pairs.get(pairKey(a, b))!, 0, 0);
      }
    }
  },
};
