import { Router } from 'express';
import {
  ForceSettingsAuditQuerySchema,
  ForceSettingsUpdateSchema,
} from '../../../shared/schemas/force-settings.schema.js';
import type { ForceSettingsService } from '../../services/force-settings.service.js';
import { actorOf } from '../middleware/auth.middleware.js';
import { parse } from '../validate.js';
import { handle } from './resource.routes.js';

/** The actor's force's settings: read (anyone of the force), change (admin), and their audit trail (admin). */
export function forceSettingsRouter(settings: ForceSettingsService): Router {
  const r = Router();
  r.get(
    '/',
    handle(async (req, res) => {
      res.json(await settings.get(actorOf(req)));
    }),
  );
  r.put(
    '/',
    handle(async (req, res) => {
      res.json(await settings.update(actorOf(req), parse(ForceSettingsUpdateSchema, req.body)));
    }),
  );
  r.get(
    '/audit',
    handle(async (req, res) => {
      res.json(await settings.audit(actorOf(req), parse(ForceSettingsAuditQuerySchema, req.query, 'query')));
    }),
  );
  return r;
}
