import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { Abstraction, AbstractionInput, AbstractionPatchSchema } from '../../shared/schemas/abstraction.schema.js';
import { ValidationError } from '../errors.js';
import type { Repositories } from '../repositories/index.js';
import { createResourceService } from './resource.service.js';

export function createAbstractionService(repos: Repositories) {
  return createResourceService<Abstraction, AbstractionInput, z.infer<typeof AbstractionPatchSchema>>(
    'abstractions',
    'abstraction',
    repos.abstractions,
    {
      org: repos,
      search: ['officer', 'note'],
      sort: { from: -1, id: 1 },
      async toRecord(_actor, input) {
        const o = await repos.officers.get(input.officer);
        if (!o)
          throw new ValidationError(`There is no officer ${input.officer}.`, { path: 'officer' }, 'unknown_officer');
        return { ...input, id: randomUUID(), force: o.force, bcu: o.bcu, borough: o.borough, station: o.station };
      },
      applyPatch(_actor, current, patch) {
        const from = patch.from ?? current.from;
        const to = patch.to ?? current.to;
        if (from > to) throw new ValidationError('`to` must not be before `from`.', { path: 'to' });
        return Promise.resolve(patch);
      },
    },
  );
}
