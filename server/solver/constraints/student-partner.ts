import { PAIR_TYPES, pairKey, roleIsStudent, type ModelContext } from '../model-context.js';
import type { ModelRule } from './types.js';

/** HARD. Two students never form a pair; a student is never single-crewed. */
export const studentPartner: ModelRule = {
  id: 'student-partner',
  kind: 'hard',
  weight: 'hard',
  description: 'A student is always paired with an experienced (non-student) officer.',
  apply(ctx: ModelContext) {
    for (const sv of ctx.shifts) {
      for (const [a, b] of PAIR_TYPES) {
        if (roleIsStudent(a) && roleIsStudent(b)) ctx.model.addLinearConstraint(sv.pairs.get(pairKey(a, b))!, 0, 0);
      }
      sv.shift.classes.forEach((c, ci) => {
        if (!c.student) return;
        ctx.model.addLinearConstraint(sv.singleCarriers[ci]!, 0, 0);
        ctx.model.addLinearConstraint(sv.singleNonCarriers[ci]!, 0, 0);
      });
    }
  },
};
