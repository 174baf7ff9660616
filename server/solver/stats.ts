import type { PlanCrew, PlanStats, PlanUnassigned } from '../../shared/schemas/plan.schema.js';

/** Every figure is counted from the crews and the unassigned list; nothing comes from the model. */
export function computeStats(
  crews: readonly PlanCrew[],
  unassigned: readonly PlanUnassigned[],
  solveMs: number,
): PlanStats {
  let pairs = 0;
  let singles = 0;
  let pairsWithoutCarrier = 0;
  let pairsBothCarry = 0;
  let taserCrews = 0;
  const devices = new Set<string>();
  let deviceIssues = 0;
  for (const c of crews) {
    if (c.members.length === 2) {
      pairs++;
      if (c.carriers.length === 0) pairsWithoutCarrier++;
      if (c.carriers.length === 2) pairsBothCarry++;
    } else singles++;
    if (c.carriers.length > 0) taserCrews++;
    for (const k of c.carriers) {
      devices.add(k.device);
      deviceIssues++;
    }
  }
  return {
    crews: crews.length,
    pairs,
    singles,
    pairsWithoutCarrier,
    taserCrews,
    devicesUsed: devices.size,
    unassigned: unassigned.length,
    solveMs: Math.round(solveMs),
    pairsBothCarry,
    deviceIssues,
  };
}
