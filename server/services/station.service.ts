import type { Station, StationInput } from '../../shared/schemas/org.schema.js';
import type { z } from 'zod';
import type { StationPatchSchema } from '../../shared/schemas/org.schema.js';
import { ConflictError, ValidationError } from '../errors.js';
import type { Repositories } from '../repositories/index.js';
import { createResourceService } from './resource.service.js';

export function createStationService(repos: Repositories) {
  return createResourceService<Station, StationInput, z.infer<typeof StationPatchSchema>>(
    'org',
    'station',
    repos.stations,
    {
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
    },
  );
}
