import { randomInt } from 'node:crypto';
import bcrypt from 'bcryptjs';
import type { Page, PageQuery, Placement } from '../../shared/schemas/common.schema.js';
import type { Actor, User, UserInput } from '../../shared/schemas/user.schema.js';
import type { z } from 'zod';
import type { UserPatchSchema } from '../../shared/schemas/user.schema.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { textSearch } from '../repositories/base.repository.js';
import type { Repositories, StoredUser } from '../repositories/index.js';
import { placementOfScope, requireRole, requireScope, requireUnitsInScope } from './access.js';
import { sessionVersionOf } from './auth.service.js';

export const BCRYPT_ROUNDS = 10;

/** Where a scope's unit sits (its home is services/access.ts; re-exported for existing importers). */
export { placementOfScope } from './access.js';

/** True when a patch changes what a session was granted on: the password, the role or the scope. */
export const endsSessions = (current: StoredUser, patch: Partial<UserInput>): boolean =>
  patch.password !== undefined ||
  (patch.role !== undefined && patch.role !== current.role) ||
  (patch.scope !== undefined && (patch.scope.level !== current.scope.level || patch.scope.id !== current.scope.id));

const present = ({ username, name, role, scope, force }: StoredUser): User => ({ username, name, role, scope, force });

/** Users are managed by admins, each only within their own scope. */
export function createUserService(repos: Repositories) {
  const load = async (actor: Actor, username: string) => {
    const u = await repos.users.get(username);
    if (!u) throw new NotFoundError(`There is no user ${username}.`, 'user_not_found');
    requireScope(actor, await placementOfScope(repos, u.scope));
    return u;
  };
  return {
    async list(actor: Actor, q: PageQuery): Promise<Page<User>> {
      requireRole(actor, 'users', 'read');
      await requireUnitsInScope(repos, actor, q);
      const all = await repos.users.find({ force: actor.force, ...textSearch(['username', 'name'], q.q) });
      const visible: User[] = [];
      for (const u of all) {
        const where = await placementOfScope(repos, u.scope).catch(() => ({}));
        if ((where as Partial<Placement>)[actor.scope.level] === actor.scope.id) visible.push(present(u));
      }
      const start = (q.page - 1) * q.pageSize;
      return {
        items: visible.slice(start, start + q.pageSize),
        page: q.page,
        pageSize: q.pageSize,
        total: visible.length,
      };
    },
    async get(actor: Actor, username: string): Promise<User> {
      requireRole(actor, 'users', 'read');
      return present(await load(actor, username));
    },
    async create(actor: Actor, input: UserInput): Promise<User> {
      requireRole(actor, 'users', 'write');
      const where = await placementOfScope(repos, input.scope);
      requireScope(actor, where);
      const { password, ...rest } = input;
      const passwordHash = await bcrypt.hash(password, BCRYPT_ROUNDS);
      // A fresh random version: a token of an earlier user of the same name (deleted since) is not this one's.
      const sessionVersion = randomInt(1, 2 ** 31);
      return present(
        await repos.users.create({ ...rest, force: where.force ?? actor.force, passwordHash, sessionVersion }),
      );
    },
    async update(actor: Actor, username: string, patch: z.infer<typeof UserPatchSchema>): Promise<User> {
      requireRole(actor, 'users', 'write');
      const current = await load(actor, username);
      if (patch.scope) requireScope(actor, await placementOfScope(repos, patch.scope));
      const { password, ...rest } = patch;
      const set: Partial<StoredUser> = { ...rest };
      if (password) set.passwordHash = await bcrypt.hash(password, BCRYPT_ROUNDS);
      // A new password, role or scope ends every session of the old one (tokens and open sockets alike).
      if (endsSessions(current, patch)) set.sessionVersion = sessionVersionOf(current) + 1;
      return present((await repos.users.update(username, set))!);
    },
    async remove(actor: Actor, username: string): Promise<void> {
      requireRole(actor, 'users', 'write');
      await load(actor, username);
      if (username === actor.username)
        throw new ValidationError('You cannot delete yourself.', undefined, 'cannot_delete_self');
      await repos.users.remove(username);
    },
  };
}
