import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import jwt from 'jsonwebtoken';
import type { Actor, Login, User } from '../../shared/schemas/user.schema.js';
import { UnauthorizedError } from '../errors.js';
import type { Repositories } from '../repositories/index.js';
import type { ReferenceCache } from './reference-cache.js';

// Compared against when the username is unknown, so both failures take the same time.
const DUMMY_HASH = bcrypt.hashSync('not-a-real-password', 10);

/** Password login and bearer tokens (JWT, HS256); the same token authenticates REST and sockets. */
export function createAuthService(
  repos: Repositories,
  opts: { secret?: string; ttlHours: number },
  ref?: Pick<ReferenceCache, 'users'>,
) {
  const secret = opts.secret ?? randomBytes(32).toString('hex');
  // Verifying an HS256 token costs a key import each time (measured: a tenth of the server's CPU under the
  // live bench); a token once verified is remembered until it expires. Bounded: the oldest go first.
  const verified = new Map<string, { sub: string; exp: number }>();
  const subjectOf = (token: string): string => {
    const known = verified.get(token);
    if (known && known.exp > Date.now()) return known.sub;
    if (known) verified.delete(token);
    const payload = jwt.verify(token, secret, { algorithms: ['HS256'] });
    if (typeof payload !== 'object' || typeof payload.sub !== 'string') throw new Error('no subject');
    if (verified.size >= 10_000) verified.delete(verified.keys().next().value!);
    verified.set(token, { sub: payload.sub, exp: (payload.exp ?? 0) * 1000 });
    return payload.sub;
  };
  return {
    async login(input: Login): Promise<{ token: string; user: User }> {
      const u = await repos.users.get(input.username);
      const ok = await bcrypt.compare(input.password, u?.passwordHash ?? DUMMY_HASH);
      if (!u || !ok) throw new UnauthorizedError('Wrong username or password.', 'invalid_credentials');
      const token = jwt.sign({ sub: u.username }, secret, { algorithm: 'HS256', expiresIn: `${opts.ttlHours}h` });
      const { passwordHash: _h, demo: _d, ...user } = u;
      return { token, user };
    },
    /** When a token stops being valid (epoch ms), or null when it does not verify. */
    expiresAt(token: string): number | null {
      try {
        subjectOf(token);
        return verified.get(token)?.exp ?? null;
      } catch {
        return null;
      }
    },
    /**
     * The actor a token stands for. Users are read from the reference cache, which every user write (here or
     * on another instance) invalidates, so role and scope changes apply at once.
     */
    async authenticate(token: string | undefined): Promise<Actor> {
      if (!token) throw new UnauthorizedError();
      let sub: string;
      try {
        sub = subjectOf(token);
      } catch {
        throw new UnauthorizedError('Your session is invalid or has expired; log in again.', 'invalid_token');
      }
      const u = ref ? await ref.users.get(sub) : await repos.users.get(sub);
      if (!u) throw new UnauthorizedError('That user no longer exists.', 'invalid_token');
      return { username: u.username, role: u.role, scope: u.scope, force: u.force };
    },
  };
}
export type AuthService = ReturnType<typeof createAuthService>;
