import { Router } from 'express';
import {
  AmendSchema,
  CreatePlanSchema,
  PlanListQuerySchema,
  PublishSchema,
  ResolveSchema,
  SetLocksSchema,
} from '../../../shared/schemas/crew-plan.schema.js';
import { PlanEditsSchema } from '../../../shared/schemas/plan-edit.schema.js';
import { RosterQuerySchema } from '../../../shared/schemas/roster.schema.js';
import type { CrewPlanService } from '../../services/crew-plan.service.js';
import type { PlanEditService } from '../../services/plan-edit.service.js';
import type { RosterService } from '../../services/roster.service.js';
import { actorOf } from '../middleware/auth.middleware.js';
import { parse } from '../validate.js';
import { handle } from './resource.routes.js';

/**
 * Crew plans: start a solve (202, poll GET /:id), cancel, lock, re-solve, publish; scenario import and
 * plan export in the interchange format; hand edits of a draft and the roster view of any plan.
 */
export function plansRouter(plans: CrewPlanService, more: { edits: PlanEditService; roster: RosterService }): Router {
  const r = Router();
  r.get(
    '/',
    handle(async (req, res) => {
      res.json(await plans.list(actorOf(req), parse(PlanListQuerySchema, req.query, 'query')));
    }),
  );
  r.post(
    '/',
    handle(async (req, res) => {
      res.status(202).json(await plans.create(actorOf(req), parse(CreatePlanSchema, req.body)));
    }),
  );
  r.post(
    '/import',
    handle(async (req, res) => {
      res.status(202).json(await plans.importScenario(actorOf(req), req.body));
    }),
  );
  r.get(
    '/:id',
    handle(async (req, res) => {
      res.json(await plans.get(actorOf(req), req.params.id!));
    }),
  );
  r.get(
    '/:id/export',
    handle(async (req, res) => {
      res.attachment(`plan-${req.params.id}.json`).json(await plans.exportPlan(actorOf(req), req.params.id!));
    }),
  );
  r.get(
    '/:id/scenario',
    handle(async (req, res) => {
      res.attachment(`scenario-${req.params.id}.json`).json(await plans.exportScenario(actorOf(req), req.params.id!));
    }),
  );
  r.post(
    '/:id/cancel',
    handle(async (req, res) => {
      res.json(await plans.cancel(actorOf(req), req.params.id!));
    }),
  );
  r.put(
    '/:id/locks',
    handle(async (req, res) => {
      res.json(await plans.setLocks(actorOf(req), req.params.id!, parse(SetLocksSchema, req.body).locks));
    }),
  );
  r.post(
    '/:id/resolve',
    handle(async (req, res) => {
      res
        .status(202)
        .json(await plans.resolve(actorOf(req), req.params.id!, parse(ResolveSchema, req.body ?? {}).locks));
    }),
  );
  r.delete(
    '/:id',
    handle(async (req, res) => {
      await plans.remove(actorOf(req), req.params.id!);
      res.status(204).end();
    }),
  );
  r.post(
    '/:id/amend',
    handle(async (req, res) => {
      parse(AmendSchema, req.body ?? {});
      res.status(201).json(await plans.amend(actorOf(req), req.params.id!));
    }),
  );
  r.get(
    '/:id/diff',
    handle(async (req, res) => {
      res.json(await plans.diff(actorOf(req), req.params.id!));
    }),
  );
  r.post(
    '/:id/publish',
    handle(async (req, res) => {
      res.json(await plans.publish(actorOf(req), req.params.id!, parse(PublishSchema, req.body ?? {}).reason));
    }),
  );
  r.get(
    '/:id/roster',
    handle(async (req, res) => {
      res.json(await more.roster.view(actorOf(req), req.params.id!, parse(RosterQuerySchema, req.query, 'query')));
    }),
  );
  r.post(
    '/:id/edits',
    handle(async (req, res) => {
      res.json(await more.edits.apply(actorOf(req), req.params.id!, parse(PlanEditsSchema, req.body).ops));
    }),
  );
  r.post(
    '/:id/edits/check',
    handle(async (req, res) => {
      res.json(await more.edits.check(actorOf(req), req.params.id!, parse(PlanEditsSchema, req.body).ops));
    }),
  );
  return r;
}
