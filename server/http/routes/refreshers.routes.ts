import { Router } from 'express';
import {
  CliffQuerySchema,
  RefresherBookRequestSchema,
  RefresherPlanRequestSchema,
} from '../../../shared/schemas/refresher.schema.js';
import { cliffCsv, type createRefresherService } from '../../services/refresher.service.js';
import { actorOf } from '../middleware/auth.middleware.js';
import { parse } from '../validate.js';
import { handle } from './resource.routes.js';

/**
 * Under /reports: `GET /authorisation-cliff` (JSON, or CSV with `format=csv`), `POST /refreshers/plan` and
 * `POST /refreshers/book` (201 when booked, 200 when the same proposal was booked before).
 */
export function refreshersRouter(refreshers: ReturnType<typeof createRefresherService>): Router {
  const r = Router();
  r.get(
    '/authorisation-cliff',
    handle(async (req, res) => {
      const { format, ...q } = parse(CliffQuerySchema, req.query, 'query');
      const report = await refreshers.cliff(actorOf(req), q);
      if (format === 'csv')
        res
          .type('text/csv')
          .attachment(`authorisation-cliff-${q.level}-${q.id}-${report.asOf.slice(0, 10)}.csv`)
          .send(cliffCsv(report));
      else res.json(report);
    }),
  );
  r.post(
    '/refreshers/plan',
    handle(async (req, res) => {
      res.json(await refreshers.plan(actorOf(req), parse(RefresherPlanRequestSchema, req.body)));
    }),
  );
  r.post(
    '/refreshers/book',
    handle(async (req, res) => {
      const booking = await refreshers.book(actorOf(req), parse(RefresherBookRequestSchema, req.body));
      res.status(booking.repeated ? 200 : 201).json(booking);
    }),
  );
  return r;
}
