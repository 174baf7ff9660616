import { ScopeLevelSchema, type ScopeLevel } from '../../shared/schemas/common.schema.js';
import type { OrgView } from '../../shared/schemas/org.schema.js';
import type { Scope } from '../../shared/schemas/user.schema.js';

/** A unit of the force a user may pick (to watch, to compare): its level, id and a label. */
export type UnitChoice = { level: ScopeLevel; id: string; label: string };

const rank = (level: ScopeLevel): number => ScopeLevelSchema.options.indexOf(level);

/**
 * The units a user may pick from GET /org: their own unit and the units inside it, widest first. The server
 * decides what the org view holds; this keeps a user at a station from being offered its borough.
 */
export function unitsWithin(org: OrgView, scope: Scope): UnitChoice[] {
  const all: UnitChoice[] = [
    { level: 'force', id: org.force.id, label: `Force ${org.force.name}` },
    ...org.bcus.map((b): UnitChoice => ({ level: 'bcu', id: b.id, label: `BCU ${b.name}` })),
    ...org.boroughs.map((b): UnitChoice => ({ level: 'borough', id: b.id, label: `Borough ${b.name}` })),
    ...org.stations.map((s): UnitChoice => ({ level: 'station', id: s.id, label: `Station ${s.name}` })),
  ];
  return all.filter((u) => rank(u.level) > rank(scope.level) || (u.level === scope.level && u.id === scope.id));
}
