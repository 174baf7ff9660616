import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import jwt from 'jsonwebtoken';
import type { Actor, Login, User } from '../../shared/schemas/user.schema.js';
import { TooManyRequestsError, UnauthorizedError } from '../errors.js';
import type { Repositories } from '../repositories/index.js';
import { createLoginThrottle, createWorkQueue, type LoginThrottle } from './login-throttle.js';
import { createPasswordChecker, type PasswordChecker } from './password-check.js';
import type { ReferenceCache } from './reference-cache.js';

// Compared against when the username is unknown, so both failures take the same time.
const DUMMY_HASH = bcrypt.hashSync('not-a-real-password', 10);

/** The session version of a stored user; users stored before versions existed are at 0. */
export const sessionVersionOf = (u: { sessionVersion?: number | undefined }): number => u.sessionVersion ?? 0;

/**
 * Password login and bearer tokens (JWT, HS256); the same token authenticates REST and sockets. A token
 * carries its user's session version (`sv`); a password, role or scope change moves the user's version on,
 * and every token of the old version is refused from then on (`session_revoked`). Logins are throttled
 * per account and per address before any password is hashed.
 */
export function createAuthService(
  repos: Repositories,
  opts: {
    secret?: string;
    ttlHours: number;
    clock?: () => Date;
    throttle?: LoginThrottle;
    passwords?: PasswordChecker;
  },
  ref?: Pick<ReferenceCache, 'users'>,
) {
  const secret = opts.secret ?? randomBytes(32).toString('hex');
  const throttle = opts.throttle ?? createLoginThrottle(opts.clock ?? (() => new Date()));
  const passwords = opts.passwords ?? createPasswordChecker();
  const hashing = createWorkQueue(1, 100);
  // Verifying an HS256 token costs a key import each time (measured: a tenth of the server's CPU under the
  // live bench); a token once verified is remembered until it expires. Bounded: the oldest go first. Only
  // the signature check is remembered: the session version is compared with the user's on every use.
  const verified = new Map<string, { sub: string; sv: number; exp: number }>();
  const claimsOf = (token: string): { sub: string; sv: number } => {
    const known = verified.get(token);
    if (known && known.exp > Date.now()) return known;
    if (known) verified.delete(token);
    const payload = jwt.verify(token, secret, { algorithms: ['HS256'] });
    if (typeof payload !== 'object' || typeof payload.sub !== 'string') throw new Error('no subject');
    const sv = typeof payload.sv === 'number' ? payload.sv : 0;
    if (verified.size >= 10_000) verified.delete(verified.keys().next().value!);
    const claims = { sub: payload.sub, sv, exp: (payload.exp ?? 0) * 1000 };
    verified.set(token, claims);
    return claims;
  };
  return {
    /**
     * Checks a password and signs a token. Refused with 429 `too_many_attempts` (and `retryAfterSeconds`)
     * while the account or the address is throttled, whatever the password.
     */
    async login(
      input: Login,
      from: { address: string } = { address: 'unknown' },
    ): Promise<{ token: string; user: User }> {
      const attempt = throttle.begin(input.username, from.address);
      if (!attempt.ok)
        throw new TooManyRequestsError(
          `Too many failed logins ${attempt.key === 'account' ? 'for this account' : 'from this address'}; try again in ${attempt.retryAfterSeconds} s.`,
          attempt.retryAfterSeconds,
        );
      let u: Awaited<ReturnType<Repositories['users']['get']>>;
      let ok: boolean;
      try {
        u = await repos.users.get(input.username);
        const hash = u?.passwordHash ?? DUMMY_HASH;
        const checking = hashing.run(() => passwords.compare(input.password, hash));
        if (!checking)
          throw new TooManyRequestsError('Too many logins at once; try again in a moment.', 1, 'login_busy', 503);
        ok = await checking;
      } catch (e) {
        // Not the caller's fault (store down, queue full): not counted either way.
        attempt.cancel();
        throw e;
      }
      if (!u || !ok) {
        attempt.fail();
        throw new UnauthorizedError('Wrong username or password.', 'invalid_credentials');
      }
      attempt.succeed();
      const token = jwt.sign({ sub: u.username, sv: sessionVersionOf(u) }, secret, {
        algorithm: 'HS256',
        expiresIn: `${opts.ttlHours}h`,
      });
      const { passwordHash: _h, demo: _d, sessionVersion: _v, ...user } = u;
      return { token, user };
    },
    /** When a token stops being valid (epoch ms), or null when it does not verify. */
    expiresAt(token: string): number | null {
      try {
        claimsOf(token);
        return verified.get(token)?.exp ?? null;
      } catch {
        return null;
      }
    },
    /**
     * The actor a token stands for. Users are read from the reference cache, which every user write (here or
     * on another instance) invalidates, so role and scope changes apply at once, and a token of an older
     * session version is refused with 401 `session_revoked`.
     */
    async authenticate(token: string | undefined): Promise<Actor> {
      if (!token) throw new UnauthorizedError();
      let claims: { sub: string; sv: number };
      try {
        claims = claimsOf(token);
      } catch {
        throw new UnauthorizedError('Your session is invalid or has expired; log in again.', 'invalid_token');
      }
      const u = ref ? await ref.users.get(claims.sub) : await repos.users.get(claims.sub);
      if (!u) throw new UnauthorizedError('That user no longer exists.', 'invalid_token');
      if (sessionVersionOf(u) !== claims.sv)
        throw new UnauthorizedError(
          'Your session was ended (your password, role or scope changed); log in again.',
          'session_revoked',
        );
      return { username: u.username, role: u.role, scope: u.scope, force: u.force };
    },
  };
}
export type AuthService = ReturnType<typeof createAuthService>;
