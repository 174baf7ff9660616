import { Router } from 'express';
import {
  CustodyEventQuerySchema,
  FaultInputSchema,
  IssueInputSchema,
  RepairInputSchema,
  ReturnInputSchema,
} from '../../../shared/schemas/custody.schema.js';
import type { Services } from '../../services/index.js';
import { actorOf } from '../middleware/auth.middleware.js';
import { parse } from '../validate.js';
import { handle } from './resource.routes.js';

/** The armoury: `/custody/issue`, `/return`, `/fault`, `/repair` and the audit trail `/custody/events`. */
export function custodyRouter(services: Services): Router {
  const custody = services.live.custody;
  const r = Router();
  r.post(
    '/issue',
    handle(async (req, res) => {
      res.status(201).json(await custody.issue(actorOf(req), parse(IssueInputSchema, req.body)));
    }),
  );
  r.post(
    '/return',
    handle(async (req, res) => {
      res.json(await custody.receive(actorOf(req), parse(ReturnInputSchema, req.body)));
    }),
  );
  r.post(
    '/fault',
    handle(async (req, res) => {
      res.json(await custody.fault(actorOf(req), parse(FaultInputSchema, req.body)));
    }),
  );
  r.post(
    '/repair',
    handle(async (req, res) => {
      res.json(await custody.repair(actorOf(req), parse(RepairInputSchema, req.body)));
    }),
  );
  r.get(
    '/events',
    handle(async (req, res) => {
      res.json(await custody.events(actorOf(req), parse(CustodyEventQuerySchema, req.query, 'query')));
    }),
  );
  return r;
}
