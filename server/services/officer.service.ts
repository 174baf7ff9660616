import type { Officer, OfficerInput, OfficerPatch } from '../../shared/schemas/officer.schema.js';
import { ValidationError } from '../errors.js';
import type { Repositories } from '../repositories/index.js';
import { placementOf } from './placement.service.js';
import { createResourceService } from './resource.service.js';

export function createOfficerService(repos: Repositories) {
  /** An officer's team must exist and work from the officer's station. */
  const checkTeam = async (team: string, station: string) => {
    const t = await repos.teams.get(team);
    if (!t || t.station !== station)
      throw new ValidationError(`There is no team ${team} at station ${station}.`, { path: 'team' }, 'unknown_team');
  };
  return createResourceService<Officer, OfficerInput, OfficerPatch>('officers', 'officer', repos.officers, {
    org: repos,
    search: ['collar', 'name'],
    async toRecord(_actor, input) {
      const placement = await placementOf(repos, input.station);
      await checkTeam(input.team, input.station);
      return { ...input, ...placement };
    },
    async applyPatch(_actor, current, patch) {
      const station = patch.station ?? current.station;
      if (patch.station || patch.team) await checkTeam(patch.team ?? current.team, station);
      return patch.station ? { ...patch, ...(await placementOf(repos, station)) } : patch;
    },
  });
}
