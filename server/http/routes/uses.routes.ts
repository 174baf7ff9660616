import { Router } from 'express';
import {
  UseInputSchema,
  UsePatchSchema,
  UseQuerySchema,
  UseReviewSchema,
  PopulationTableSchema,
  QuarterlyQuerySchema,
  ReconciliationQuerySchema,
} from '../../../shared/schemas/taser-use.schema.js';
import type { TaserUseReportService } from '../../services/taser-use-report.service.js';
import type { TaserUseService } from '../../services/taser-use.service.js';
import { quarterlyCsv } from '../../../shared/rules/taser-use.js';
import { actorOf } from '../middleware/auth.middleware.js';
import { parse } from '../validate.js';
import { handle } from './resource.routes.js';

/** Taser use records (issue 11): `/uses`, `/uses/:id` (with its history), review and reopen. */
export function usesRouter(uses: TaserUseService): Router {
  const r = Router();
  r.get(
    '/',
    handle(async (req, res) => {
      res.json(await uses.list(actorOf(req), parse(UseQuerySchema, req.query, 'query')));
    }),
  );
  r.post(
    '/',
    handle(async (req, res) => {
      res.status(201).json(await uses.record(actorOf(req), parse(UseInputSchema, req.body)));
    }),
  );
  r.get(
    '/:id',
    handle(async (req, res) => {
      res.json(await uses.get(actorOf(req), String(req.params.id)));
    }),
  );
  r.patch(
    '/:id',
    handle(async (req, res) => {
      res.json(await uses.edit(actorOf(req), String(req.params.id), parse(UsePatchSchema, req.body)));
    }),
  );
  r.post(
    '/:id/review',
    handle(async (req, res) => {
      res.json(await uses.review(actorOf(req), String(req.params.id), parse(UseReviewSchema, req.body ?? {})));
    }),
  );
  r.post(
    '/:id/reopen',
    handle(async (req, res) => {
      res.json(await uses.reopen(actorOf(req), String(req.params.id), parse(UseReviewSchema, req.body ?? {})));
    }),
  );
  return r;
}

/** The quarterly publication (`/reports/taser-use/quarterly`, JSON or CSV) and the population table it reads. */
export function useStatisticsRouter(
  reports: TaserUseReportService,
  uses: TaserUseService,
): { reports: Router; population: Router } {
  const r = Router();
  r.get(
    '/reconciliation',
    handle(async (req, res) => {
      res.json(await uses.reconciliation(actorOf(req), parse(ReconciliationQuerySchema, req.query, 'query')));
    }),
  );
  r.get(
    '/quarterly',
    handle(async (req, res) => {
      const q = parse(QuarterlyQuerySchema, req.query, 'query');
      const report = await reports.quarterly(actorOf(req), q);
      if (q.format === 'csv') {
        const name = `taser-use-${q.quarter.replace(' ', '-')}${q.borough ? `-${q.borough}` : ''}.csv`;
        res.type('text/csv').attachment(name).send(quarterlyCsv(report.rows));
      } else res.json(report);
    }),
  );
  const p = Router();
  p.get(
    '/',
    handle(async (req, res) => {
      res.json(await reports.population(actorOf(req)));
    }),
  );
  p.put(
    '/',
    handle(async (req, res) => {
      res.json(await reports.setPopulation(actorOf(req), parse(PopulationTableSchema, req.body)));
    }),
  );
  return { reports: r, population: p };
}
