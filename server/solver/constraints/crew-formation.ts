import { Lin, PAIR_TYPES, pairKey, ROLES, roleCount, carriersOfClass, type ModelContext } from '../model-context.js';
import type { ModelRule } from './types.js';

/**
 * HARD. Every officer on duty is in exactly one crew of one or two, or unassigned.
 * Counts per class: carriers + single non-carriers + unassigned + paired non-carriers = officers
 * left after honoured lock/baseline crews; pairs by role use up exactly the paired members of
 * each role (a CN-NN pair uses one CN and one NN; a CN-CN pair two CN).
 */
export const crewFormation: ModelRule = {
  id: 'crew-formation',
  kind: 'hard',
  weight: 'hard',
  description: 'Every officer on duty is in exactly one crew of one or two officers, or unassigned.',
  apply(ctx: ModelContext) {
    const { model } = ctx;
    for (const sv of ctx.shifts) {
      const sh = sv.shift;
      // Units (locks, previous crews): at most one pattern each; an officer in at most one honoured unit.
      const unitsOf = new Map<string, Lin>();
      sh.units.forEach((u, ui) => {
        const bools = sv.unitPatterns[ui]!;
        if (bools.length > 1) model.addAtMostOne(bools);
        const honoured = new Lin();
        bools.forEach((b) => honoured.add(b));
        for (const m of u.members) {
          const l = unitsOf.get(m) ?? new Lin();
          l.addLin(honoured);
          unitsOf.set(m, l);
          sv.available[sh.classOf.get(m)!]!.addLin(honoured, -1);
        }
      });
      for (const l of unitsOf.values()) if (l.vars.length > 1) model.addLinearConstraint(l.expr(), 0, 1);

      sh.classes.forEach((c, ci) => {
        const carriers = carriersOfClass(sv, ci);
        // Single carriers are carriers.
        model.addLinearConstraint(
          new Lin().addLin(carriers).add(sv.singleCarriers[ci], -1).expr(),
          0,
          c.officers.length,
        );
        // Paired non-carriers are what is left, and cannot be negative.
        const pairedNon = new Lin()
          .addLin(sv.available[ci]!)
          .addLin(carriers, -1)
          .add(sv.singleNonCarriers[ci], -1)
          .add(sv.unassigned[ci], -1);
        model.addLinearConstraint(pairedNon.expr(), 0, c.officers.length);
      });
      for (const r of ROLES) {
        const used = new Lin();
        for (const [a, b] of PAIR_TYPES) {
          const mult = (a === r ? 1 : 0) + (b === r ? 1 : 0);
          if (mult > 0) used.add(sv.pairs.get(pairKey(a, b)), mult);
        }
        model.addEquality(used.expr(), roleCount(sv, r).expr());
      }
    }
  },
};
