import type { NextFunction, Request, Response } from 'express';
import type { ApiRoute } from '../openapi.js';
import { requireRole } from '../../services/access.js';
import { actorOf } from './auth.middleware.js';

type Compiled = { method: string; pattern: RegExp; access: Exclude<ApiRoute['access'], string> };

/** `/plans/{id}/edits` → a pattern matching `/plans/<one segment>/edits` (an optional trailing slash). */
const patternOf = (path: string): RegExp =>
  new RegExp(
    `^${path
      .split(/\{[^}]+\}/)
      .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
      .join('[^/]+')}/?$`,
  );

/**
 * Checks the caller's role against the route registry before anything reads the body or query: a role the
 * permission matrix refuses is answered 403 `forbidden_role` whatever it sent; then the route validates its
 * input (400) and the service checks the scope of the ids (403 `out_of_scope`). Mounted after `authenticate`;
 * routes the registry does not list, or lists as `public`/`any`, pass through (their services still check).
 */
export function requireRouteRole(routes: readonly ApiRoute[]) {
  const compiled: Compiled[] = routes
    .flatMap((r) =>
      typeof r.access === 'object'
        ? [{ method: r.method.toUpperCase(), pattern: patternOf(r.path), access: r.access }]
        : [],
    )
    // Literal paths (`/plans/import`) before templated ones (`/plans/{id}`).
    .sort((a, b) => Number(a.pattern.source.includes('[^/]+')) - Number(b.pattern.source.includes('[^/]+')));
  return (req: Request, _res: Response, next: NextFunction): void => {
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    const route = compiled.find((c) => c.method === method && c.pattern.test(req.path));
    if (!route) return next();
    try {
      requireRole(actorOf(req), route.access.resource, route.access.action);
      next();
    } catch (e) {
      next(e);
    }
  };
}
