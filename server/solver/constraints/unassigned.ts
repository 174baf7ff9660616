import type { ModelContext } from '../model-context.js';
import type { ModelRule } from './types.js';

/** SOFT, objective level 1 (highest): fewest officers left unassigned. */
export const fewestUnassigned: ModelRule = {
  id: 'fewest-unassigned',
  kind: 'soft',
  weight: 'level 1: W1 = W2 x (pairs bound + 1) per officer',
  description: 'Place as many officers on duty in crews as the hard rules allow.',
  apply(ctx: ModelContext) {
    for (const sv of ctx.shifts) sv.unassigned.forEach((v) => ctx.levels.unassigned.add(v));
  },
};
