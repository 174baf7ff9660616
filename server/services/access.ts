import { can, inScope, type Action, type Resource } from '../../shared/auth/permissions.js';
import type { Placement } from '../../shared/schemas/common.schema.js';
import type { Station } from '../../shared/schemas/org.schema.js';
import type { ScopeLevel } from '../../shared/schemas/common.schema.js';
import type { Actor, Scope } from '../../shared/schemas/user.schema.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import type { Filter } from '../repositories/base.repository.js';
import type { Repositories } from '../repositories/index.js';

/** The force structure's repositories: what resolving a unit to its placement reads. */
export type OrgRepositories = Pick<Repositories, 'forces' | 'bcus' | 'boroughs' | 'stations'>;

/** The force structure's levels, broadest first. */
const LEVELS: readonly ScopeLevel[] = ['force', 'bcu', 'borough', 'station'];

/** Throws unless the actor's role may do `action` on `resource`. */
export function requireRole(actor: Actor, resource: Resource, action: Action): void {
  if (!can(actor.role, resource, action)) {
    throw new ForbiddenError(`A ${actor.role} may not ${action} ${resource.replace('_', ' ')}.`, 'forbidden_role');
  }
}

/** Throws unless the record lies inside the actor's scope. */
export function requireScope(actor: Actor, where: Partial<Placement>): void {
  if (!inScope(actor.scope, where)) {
    throw new ForbiddenError(`That is outside your ${actor.scope.level} (${actor.scope.id}).`, 'out_of_scope');
  }
}

/**
 * The query filter for a list: what the caller asked for, narrowed to the actor's scope. Every unit the
 * filter names, at any level, must exist (else 404 `unit_not_found`) and either lie inside the actor's scope
 * or contain it (else 403 `out_of_scope`): a filter is refused, never silently emptied. A borough planner may
 * filter by one of their stations or by their own BCU; not by another borough's station, another BCU or
 * another borough.
 */
export async function scopedFilter(org: OrgRepositories, actor: Actor, asked: Partial<Placement>): Promise<Filter> {
  const filter: Filter = {};
  for (const [k, v] of Object.entries(asked)) if (v !== undefined) filter[k] = v;
  await requireUnitsInScope(org, actor, asked);
  filter[actor.scope.level] = actor.scope.id;
  return filter;
}

/** Refuses a filter naming a unit that does not exist (404 `unit_not_found`) or lies outside the actor's scope. */
export async function requireUnitsInScope(
  org: OrgRepositories,
  actor: Actor,
  asked: Partial<Placement>,
): Promise<void> {
  let own: Partial<Placement> | undefined;
  for (const level of LEVELS) {
    const id = asked[level];
    if (id === undefined || (level === actor.scope.level && id === actor.scope.id)) continue;
    const where = await placementOfScope(org, { level, id }).catch((e: unknown) => {
      if (e instanceof ValidationError) throw new NotFoundError(`There is no ${level} ${id}.`, 'unit_not_found');
      throw e;
    });
    if (inScope(actor.scope, where)) continue;
    // A broader unit is allowed when it contains the actor's own unit (a borough planner's own BCU).
    own ??= await placementOfScope(org, actor.scope).catch(() => ({}));
    if (own[level] !== id) requireScope(actor, where);
  }
}

/** A station is placed at itself: its own id is its `station`. */
export const stationPlacement = (s: Station): Placement => ({
  force: s.force,
  bcu: s.bcu,
  borough: s.borough,
  station: s.id,
});

/** A scoped placement filter for the stations collection, where a station names itself by `id`. */
export function stationFilter(filter: Filter): Filter {
  const { station, ...rest } = filter;
  return station === undefined ? rest : { ...rest, id: station };
}

/** Where a scope's unit sits in the force structure; refuses a unit that does not exist. */
export async function placementOfScope(repos: OrgRepositories, scope: Scope): Promise<Partial<Placement>> {
  const missing = () =>
    new ValidationError(`There is no ${scope.level} ${scope.id}.`, { path: 'scope.id' }, 'unknown_scope');
  switch (scope.level) {
    case 'force': {
      if (!(await repos.forces.get(scope.id))) throw missing();
      return { force: scope.id };
    }
    case 'bcu': {
      const b = await repos.bcus.get(scope.id);
      if (!b) throw missing();
      return { force: b.force, bcu: b.id };
    }
    case 'borough': {
      const b = await repos.boroughs.get(scope.id);
      if (!b) throw missing();
      return { force: b.force, bcu: b.bcu, borough: b.id };
    }
    case 'station': {
      const s = await repos.stations.get(scope.id);
      if (!s) throw missing();
      return { force: s.force, bcu: s.bcu, borough: s.borough, station: s.id };
    }
  }
}
