import type { z } from 'zod';
import type { Team, TeamInputSchema, TeamPatchSchema } from '../../shared/schemas/shift.schema.js';
import { MIN_REST_HOURS, restBreaches } from '../../shared/rules/working-time.js';
import { ConflictError, ValidationError } from '../errors.js';
import type { Repositories } from '../repositories/index.js';
import { placementOf } from './placement.service.js';
import { createResourceService } from './resource.service.js';

export function createTeamService(repos: Repositories) {
  /** Refuses a rota that leaves less than 11 hours' rest between consecutive shifts. */
  const checkRest = async (force: string, rota: Team['rota']) => {
    const breaches = restBreaches(rota.pattern, await repos.shiftDefinitions.find({ force }));
    if (breaches.length)
      throw new ValidationError(
        `This rota leaves less than ${MIN_REST_HOURS} hours' rest: ${breaches
          .map((b) => `day ${b.day + 1} ${b.from} then ${b.to} (${b.restHours} h)`)
          .join('; ')}.`,
        { path: 'rota.pattern', breaches },
        'insufficient_rest',
      );
  };
  return createResourceService<Team, z.infer<typeof TeamInputSchema>, z.infer<typeof TeamPatchSchema>>(
    'teams',
    'team',
    repos.teams,
    {
      org: repos,
      search: ['id', 'name'],
      async toRecord(actor, input) {
        await checkRest(actor.force, input.rota);
        return { ...input, ...(await placementOf(repos, input.station)) };
      },
      async applyPatch(actor, _current, patch) {
        if (patch.rota) await checkRest(actor.force, patch.rota);
        return patch.station ? { ...patch, ...(await placementOf(repos, patch.station)) } : patch;
      },
      async beforeRemove(current) {
        if ((await repos.officers.count({ team: current.id })) > 0)
          throw new ConflictError(`Team ${current.id} still has officers.`, 'team_in_use');
      },
    },
  );
}
