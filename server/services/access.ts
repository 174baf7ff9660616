import { can, inScope, type Action, type Resource } from '../../shared/auth/permissions.js';
import type { Placement } from '../../shared/schemas/common.schema.js';
import type { Station } from '../../shared/schemas/org.schema.js';
import type { Actor } from '../../shared/schemas/user.schema.js';
import { ForbiddenError } from '../errors.js';
import type { Filter } from '../repositories/base.repository.js';

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
 * The query filter for a list: what the caller asked for, narrowed to the actor's scope. Asking for
 * another unit at the actor's own level is refused rather than silently emptied.
 */
export function scopedFilter(actor: Actor, asked: Partial<Placement>): Filter {
  const filter: Filter = {};
  for (const [k, v] of Object.entries(asked)) if (v !== undefined) filter[k] = v;
  const own = filter[actor.scope.level];
  if (own !== undefined && own !== actor.scope.id) requireScope(actor, asked);
  filter[actor.scope.level] = actor.scope.id;
  return filter;
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
