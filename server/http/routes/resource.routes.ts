import { Router, type Request, type Response } from 'express';
import type { z } from 'zod';
import { PageQuerySchema } from '../../../shared/schemas/common.schema.js';
import type { ResourceService } from '../../services/resource.service.js';
import { actorOf } from '../middleware/auth.middleware.js';
import { parse } from '../validate.js';

/** Wraps an async handler so a rejection reaches the error handler. */
export const handle =
  (fn: (req: Request, res: Response) => Promise<void>) =>
  (req: Request, res: Response, next: (e?: unknown) => void): void => {
    fn(req, res).catch(next);
  };

/** The five REST routes of a resource: list (paged, filtered), get, create, update, delete. */
export function resourceRouter<T extends object, In, Patch>(
  service: ResourceService<T, In, Patch>,
  schemas: { input: z.ZodType<In, z.ZodTypeDef, unknown>; patch: z.ZodType<Patch, z.ZodTypeDef, unknown> },
): Router {
  const r = Router();
  r.get(
    '/',
    handle(async (req, res) => {
      res.json(await service.list(actorOf(req), parse(PageQuerySchema, req.query, 'query')));
    }),
  );
  r.get(
    '/:key',
    handle(async (req, res) => {
      res.json(await service.get(actorOf(req), req.params.key!));
    }),
  );
  r.post(
    '/',
    handle(async (req, res) => {
      res.status(201).json(await service.create(actorOf(req), parse(schemas.input, req.body)));
    }),
  );
  r.patch(
    '/:key',
    handle(async (req, res) => {
      res.json(await service.update(actorOf(req), req.params.key!, parse(schemas.patch, req.body)));
    }),
  );
  r.delete(
    '/:key',
    handle(async (req, res) => {
      await service.remove(actorOf(req), req.params.key!);
      res.status(204).end();
    }),
  );
  return r;
}
