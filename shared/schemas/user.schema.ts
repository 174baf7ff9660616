import { z } from 'zod';
import { CodeSchema, ScopeLevelSchema } from './common.schema.js';

/** `oversight`: read-only, force-wide, aggregates only (the quarterly Taser-use publication). */
export const RoleSchema = z.enum(['planner', 'control_room', 'borough_lead', 'armourer', 'admin', 'oversight']);
export type Role = z.infer<typeof RoleSchema>;

export const ScopeSchema = z.object({ level: ScopeLevelSchema, id: CodeSchema }).strict();
export type Scope = z.infer<typeof ScopeSchema>;

/** A user as the API shows it: never with the password hash. */
export const UserSchema = z
  .object({
    username: z.string().regex(/^[a-z0-9._-]{3,40}$/, 'expected 3-40 lower-case letters, digits, dot, dash'),
    name: z.string().min(1).max(120),
    role: RoleSchema,
    scope: ScopeSchema,
    force: CodeSchema,
  })
  .strict();
export type User = z.infer<typeof UserSchema>;

export const UserInputSchema = UserSchema.omit({ force: true })
  .extend({ password: z.string().min(10).max(200) })
  .strict();
export type UserInput = z.infer<typeof UserInputSchema>;
export const UserPatchSchema = UserInputSchema.omit({ username: true }).partial().strict();

export const LoginSchema = z
  .object({ username: z.string().min(1).max(60), password: z.string().min(1).max(200) })
  .strict();
export type Login = z.infer<typeof LoginSchema>;

/** Who is acting: what services receive instead of a request (and what `GET /api/auth/me` answers). */
export const ActorSchema = UserSchema.pick({ username: true, role: true, scope: true, force: true });
export type Actor = { username: string; role: Role; scope: Scope; force: string };

/** `POST /api/auth/login`: a bearer token and the user it stands for. */
export const LoginResultSchema = z.object({ token: z.string(), user: UserSchema }).strict();
export type LoginResult = z.infer<typeof LoginResultSchema>;
