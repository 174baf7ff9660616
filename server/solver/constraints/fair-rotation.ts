/**
 * SOFT, level 6, heuristic (applied when turning counts into officers, after levels 1-5 are fixed).
 * Carrying is spread over the horizon: among interchangeable officers the solver needs k carriers
 * from, it takes first those the previous plan had carrying on this shift, then those who have
 * carried least so far in this plan, then scenario order. Weight: a deterministic ordering, not a
 * CP-SAT term.
 */
export const FAIR_ROTATION = {
  id: 'fair-rotation',
  kind: 'soft',
  weight: 'level 6 (heuristic): least-carried first',
  description: 'Spread carrying fairly across authorised officers over the horizon.',
} as const;

export type RotationState = { carried: Map<string, number>; order: Map<string, number> };

/** Sort key: officers earlier in the result should carry first. */
export function carrierPriority(
  officers: readonly string[],
  state: RotationState,
  preferred: ReadonlySet<string>,
): string[] {
  return [...officers].sort(
    (a, b) =>
      Number(preferred.has(b)) - Number(preferred.has(a)) ||
      (state.carried.get(a) ?? 0) - (state.carried.get(b) ?? 0) ||
      (state.order.get(a) ?? 0) - (state.order.get(b) ?? 0),
  );
}
