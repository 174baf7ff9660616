import { inScope } from '../../shared/auth/permissions.js';
import type { Placement, ScopeLevel } from '../../shared/schemas/common.schema.js';
import type { OrgView } from '../../shared/schemas/org.schema.js';
import type { Scope } from '../../shared/schemas/user.schema.js';

/** A unit of the force a user may pick (to watch, to compare): its level, id and a label. */
export type UnitChoice = { level: ScopeLevel; id: string; label: string };

/**
 * The units a user may pick from GET /org: their own unit and the units inside it (`inScope`), widest
 * first, so a user at a station is not offered the borough around it.
 */
export function unitsWithin(org: OrgView, scope: Scope): UnitChoice[] {
  const all: [UnitChoice, Partial<Placement>][] = [
    [{ level: 'force', id: org.force.id, label: `Force ${org.force.name}` }, { force: org.force.id }],
    ...org.bcus.map((b): [UnitChoice, Partial<Placement>] => [
      { level: 'bcu', id: b.id, label: `BCU ${b.name}` },
      { force: b.force, bcu: b.id },
    ]),
    ...org.boroughs.map((b): [UnitChoice, Partial<Placement>] => [
      { level: 'borough', id: b.id, label: `Borough ${b.name}` },
      { force: b.force, bcu: b.bcu, borough: b.id },
    ]),
    ...org.stations.map((s): [UnitChoice, Partial<Placement>] => [
      { level: 'station', id: s.id, label: `Station ${s.name}` },
      { force: s.force, bcu: s.bcu, borough: s.borough, station: s.id },
    ]),
  ];
  return all.filter(([, where]) => inScope(scope, where)).map(([u]) => u);
}
