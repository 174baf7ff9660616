import type { z } from 'zod';
import type { PageQuery } from '../../shared/schemas/common.schema.js';
import type {
  ShiftDefinition,
  ShiftDefinitionInputSchema,
  ShiftDefinitionPatchSchema,
} from '../../shared/schemas/shift.schema.js';
import type { Actor } from '../../shared/schemas/user.schema.js';
import { NotFoundError } from '../errors.js';
import { textSearch } from '../repositories/base.repository.js';
import type { Repositories } from '../repositories/index.js';
import { requireRole, requireUnitsInScope } from './access.js';

type Input = z.infer<typeof ShiftDefinitionInputSchema>;
type Patch = z.infer<typeof ShiftDefinitionPatchSchema>;

/** Shift definitions are force configuration: everyone in the force reads them, admins change them. */
export function createShiftDefinitionService(repos: Repositories) {
  const load = async (actor: Actor, code: string) => {
    const found = (await repos.shiftDefinitions.find({ force: actor.force, code }))[0];
    if (!found) throw new NotFoundError(`There is no shift ${code}.`, 'shift_definition_not_found');
    return found;
  };
  return {
    async list(actor: Actor, q: PageQuery) {
      requireRole(actor, 'shift_definitions', 'read');
      await requireUnitsInScope(repos, actor, q);
      return repos.shiftDefinitions.list(
        { force: actor.force, ...textSearch(['code', 'name'], q.q) },
        q.page,
        q.pageSize,
      );
    },
    async get(actor: Actor, code: string): Promise<ShiftDefinition> {
      requireRole(actor, 'shift_definitions', 'read');
      return load(actor, code);
    },
    async create(actor: Actor, input: Input): Promise<ShiftDefinition> {
      requireRole(actor, 'shift_definitions', 'write');
      return repos.shiftDefinitions.create({ ...input, force: actor.force });
    },
    async update(actor: Actor, code: string, patch: Patch): Promise<ShiftDefinition> {
      requireRole(actor, 'shift_definitions', 'write');
      await load(actor, code);
      return (await repos.shiftDefinitions.update(code, patch, { force: actor.force }))!;
    },
    async remove(actor: Actor, code: string): Promise<void> {
      requireRole(actor, 'shift_definitions', 'write');
      await load(actor, code);
      await repos.shiftDefinitions.remove(code);
    },
  };
}
