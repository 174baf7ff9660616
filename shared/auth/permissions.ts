import type { Placement } from '../schemas/common.schema.js';
import type { Role, Scope } from '../schemas/user.schema.js';

export type Resource =
  | 'org'
  | 'shift_definitions'
  | 'teams'
  | 'officers'
  | 'devices'
  | 'abstractions'
  | 'users'
  | 'duty'
  | 'plans'
  | 'custody'
  | 'armoury'
  | 'board'
  | 'reports'
  | 'force_settings'
  | 'force_settings_audit'
  | 'uses'
  | 'use_reviews'
  | 'use_statistics'
  | 'population'
  | 'refreshers';
export type Action = 'read' | 'write';

/** Every role that works with named officers; `oversight` sees aggregates only, never a name or a collar number. */
const ALL: readonly Role[] = ['planner', 'control_room', 'borough_lead', 'armourer', 'admin'];
const EVERYONE: readonly Role[] = [...ALL, 'oversight'];

/** Which roles may read and write each resource; scope is checked separately. */
const MATRIX: Record<Resource, Record<Action, readonly Role[]>> = {
  org: { read: EVERYONE, write: ['admin'] },
  shift_definitions: { read: EVERYONE, write: ['admin'] },
  teams: { read: ALL, write: ['planner', 'admin'] },
  officers: { read: ALL, write: ['planner', 'admin'] },
  devices: { read: ALL, write: ['armourer', 'admin'] },
  abstractions: { read: ['planner', 'borough_lead', 'admin'], write: ['planner', 'admin'] },
  users: { read: ['admin'], write: ['admin'] },
  duty: { read: ['planner', 'borough_lead', 'control_room', 'admin'], write: [] },
  plans: { read: ['planner', 'borough_lead', 'control_room', 'admin'], write: ['planner', 'admin'] },
  custody: { read: ALL, write: ['armourer', 'admin'] },
  /** The armourer's lists of a station (devices, planned carriers); issuing itself is custody write. */
  armoury: { read: ['armourer', 'admin'], write: [] },
  reports: { read: ['planner', 'borough_lead', 'admin'], write: [] },
  force_settings: { read: EVERYONE, write: ['admin'] },
  force_settings_audit: { read: ['admin'], write: [] },
  // Taser use (issue 11): officers have no login in the demo, so supervisors record on their behalf.
  uses: { read: ['borough_lead', 'admin'], write: ['borough_lead', 'admin'] },
  use_reviews: { read: ['borough_lead', 'admin'], write: ['borough_lead', 'admin'] },
  use_statistics: { read: ['borough_lead', 'oversight', 'admin'], write: [] },
  population: { read: ['borough_lead', 'oversight', 'admin'], write: ['admin'] },
  /** Refresher plans: read = plan a proposal, write = book it (creates training abstractions). */
  refreshers: { read: ['planner', 'borough_lead', 'admin'], write: ['planner', 'borough_lead', 'admin'] },
  board: { read: ['control_room', 'borough_lead', 'planner', 'armourer', 'admin'], write: ['control_room', 'admin'] },
};

export const can = (role: Role, resource: Resource, action: Action): boolean => MATRIX[resource][action].includes(role);

/** The roles that may do `action` on `resource` (the API description lists them per route). */
export const rolesFor = (resource: Resource, action: Action): readonly Role[] => MATRIX[resource][action];

/** True when a record placed at `where` lies inside `scope`. */
export const inScope = (scope: Scope, where: Partial<Placement>): boolean => where[scope.level] === scope.id;
