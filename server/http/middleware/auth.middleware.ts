import type { NextFunction, Request, Response } from 'express';
import type { Actor } from '../../../shared/schemas/user.schema.js';
import type { AuthService } from '../../services/auth.service.js';

declare module 'express-serve-static-core' {
  interface Request {
    actor?: Actor;
  }
}

/** Reads `Authorization: Bearer <token>` and puts the actor on the request; refuses with 401 otherwise. */
export const authenticate =
  (auth: AuthService) =>
  (req: Request, _res: Response, next: NextFunction): void => {
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
    auth.authenticate(token).then(
      (actor) => {
        req.actor = actor;
        next();
      },
      (e: unknown) => next(e),
    );
  };

/** The actor of an authenticated request. */
export const actorOf = (req: Request): Actor => {
  if (!req.actor) throw new Error('route mounted without authenticate');
  return req.actor;
};
