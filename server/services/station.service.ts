import type { Actor } from '../../shared/schemas/user.schema.js';
import type { OrgView, Station, StationInput } from '../../shared/schemas/org.schema.js';
import type { z } from 'zod';
import type { StationPatchSchema } from '../../shared/schemas/org.schema.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { Repositories } from '../repositories/index.js';
import { requireRole, scopedFilter, stationFilter, stationPlacement } from './access.js';
import { createResourceService } from './resource.service.js';

export function createStationService(repos: Repositories) {
  const crud = createResourceService<Station, StationInput, z.infer<typeof StationPatchSchema>>(
    'org',
    'station',
    repos.stations,
    {
      org: repos,
      search: ['id', 'name'],
      async toRecord(_actor, input) {
        const b = await repos.boroughs.get(input.borough);
        if (!b)
          throw new ValidationError(`There is no borough ${input.borough}.`, { path: 'borough' }, 'unknown_borough');
        return { ...input, force: b.force, bcu: b.bcu };
      },
      applyPatch(_actor, _current, patch) {
        return Promise.resolve(patch);
      },
      async beforeRemove(current) {
        const inUse =
          (await repos.officers.count({ station: current.id })) + (await repos.devices.count({ station: current.id }));
        if (inUse > 0)
          throw new ConflictError(`Station ${current.id} still has officers or devices.`, 'station_in_use');
      },
      placeOf: stationPlacement,
      filterOf: stationFilter,
    },
  );
  return {
    ...crud,
    /** The force and the BCUs, boroughs and stations inside the actor's scope (GET /org). */
    async view(actor: Actor): Promise<OrgView> {
      requireRole(actor, 'org', 'read');
      const stations = await repos.stations.find(stationFilter(await scopedFilter(repos, actor, {})));
      const force = await repos.forces.get(actor.force);
      if (!force) throw new NotFoundError(`There is no force ${actor.force}.`, 'force_not_found');
      return {
        force,
        bcus: await repos.bcus.find({ id: { $in: [...new Set(stations.map((s) => s.bcu))] } }),
        boroughs: await repos.boroughs.find({ id: { $in: [...new Set(stations.map((s) => s.borough))] } }),
        stations,
      };
    },
  };
}
