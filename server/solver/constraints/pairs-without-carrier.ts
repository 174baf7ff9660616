import { pairKey, type ModelContext } from '../model-context.js';
import type { ModelRule } from './types.js';

/**
 * SOFT, objective level 2. Revised policy: fewest pairs with no carrier (NN-NN and NN-NS pairs).
 * Legacy policy: most pairs in which both carry (CN-CN and CN-CS pairs).
 */
export const pairsWithoutCarrier: ModelRule = {
  id: 'pairs-covered',
  kind: 'soft',
  weight: 'level 2: W2 = (officers able to single-crew + 1) per pair',
  description: 'Revised: fewest pairs without a carrier. Legacy: most pairs in which both carry.',
  apply(ctx: ModelContext) {
    const { pairsWithoutCarrier: pwc, pairsBothCarry: both } = ctx.levels;
    for (const sv of ctx.shifts) {
      pwc.add(sv.pairs.get(pairKey('NN', 'NN'))).add(sv.pairs.get(pairKey('NN', 'NS')));
      both
        .add(sv.pairs.get(pairKey('CN', 'CN')))
        .add(sv.pairs.get(pairKey('CN', 'CS')))
        .add(sv.pairs.get(pairKey('CS', 'CS')));
      sv.shift.units.forEach((u, ui) =>
        u.patterns.forEach((p, pi) => {
          if (u.members.length !== 2) return;
          if (p.carriers.length === 0) pwc.add(sv.unitPatterns[ui]![pi]);
          if (p.carriers.length === 2) both.add(sv.unitPatterns[ui]![pi]);
        }),
      );
    }
  },
};
