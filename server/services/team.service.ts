import type { z } from 'zod';
import type { Team, TeamInputSchema, TeamPatchSchema } from '../../shared/schemas/shift.schema.js';
import { ConflictError } from '../errors.js';
import type { Repositories } from '../repositories/index.js';
import { placementOf } from './placement.service.js';
import { createResourceService } from './resource.service.js';

export function createTeamService(repos: Repositories) {
  return createResourceService<Team, z.infer<typeof TeamInputSchema>, z.infer<typeof TeamPatchSchema>>(
    'teams',
    'team',
    repos.teams,
    {
      async toRecord(_actor, input) {
        return { ...input, ...(await placementOf(repos, input.station)) };
      },
      async applyPatch(_actor, _current, patch) {
        return patch.station ? { ...patch, ...(await placementOf(repos, patch.station)) } : patch;
      },
      async beforeRemove(current) {
        if ((await repos.officers.count({ team: current.id })) > 0)
          throw new ConflictError(`Team ${current.id} still has officers.`, 'team_in_use');
      },
    },
  );
}
