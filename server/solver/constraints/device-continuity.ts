/**
 * SOFT, level 6, heuristic: fewer device handovers. A handover is a carrier being issued a
 * different serial from the one they carried on their previous carrying shift (or that the previous
 * plan gave them). Serials are given out by interval colouring in start order; each carrier gets
 * their own last serial when it is free, else the free serial in serial order.
 */
export const DEVICE_CONTINUITY = {
  id: 'device-continuity',
  kind: 'soft',
  weight: 'level 6 (heuristic): same serial as last time when free',
  description: 'Keep each carrier on the same device from shift to shift.',
} as const;

/** The serial to issue: the preferred one when free, else the first free one. */
export function pickSerial(free: readonly string[], preferred: readonly (string | undefined)[]): string | undefined {
  for (const p of preferred) if (p !== undefined && free.includes(p)) return p;
  return free[0];
}
