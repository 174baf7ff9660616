/**
 * SOFT, level 6, heuristic: keep partners together where it costs nothing. When the solver's pair
 * counts allow it (the two officers' roles still have a pair of that kind to fill), an officer is
 * paired again with the partner the previous plan gave them on this shift, or else with their
 * partner on their last shift in this plan.
 */
export const PARTNER_CONTINUITY = {
  id: 'partner-continuity',
  kind: 'soft',
  weight: 'level 6 (heuristic): previous partner first',
  description: 'Keep partners together from one shift to the next.',
} as const;

/** The partner an officer would ideally keep on this shift. */
export function preferredPartner(
  officer: string,
  baselinePartner: ReadonlyMap<string, string>,
  lastPartner: ReadonlyMap<string, string>,
): string | undefined {
  return baselinePartner.get(officer) ?? lastPartner.get(officer);
}
