import { Router } from 'express';
import { AuthorisationReportQuerySchema, WhatIfSchema } from '../../../shared/schemas/report.schema.js';
import type { createWhatIfService } from '../../services/what-if.service.js';
import {
  authorisationCsv,
  type createAuthorisationReportService,
} from '../../services/authorisation-report.service.js';
import { actorOf } from '../middleware/auth.middleware.js';
import { parse } from '../validate.js';
import { handle } from './resource.routes.js';

/** Reports for borough leads: `GET /reports/authorisations` as JSON, or as CSV with `format=csv`. */
export function reportsRouter(
  reports: ReturnType<typeof createAuthorisationReportService>,
  whatIf: ReturnType<typeof createWhatIfService>,
): Router {
  const r = Router();
  r.post(
    '/what-if',
    handle(async (req, res) => {
      res.json(await whatIf.compare(actorOf(req), parse(WhatIfSchema, req.body)));
    }),
  );
  r.get(
    '/authorisations',
    handle(async (req, res) => {
      const { format, ...q } = parse(AuthorisationReportQuerySchema, req.query, 'query');
      const report = await reports.report(actorOf(req), q);
      if (format === 'csv') {
        res
          .type('text/csv')
          .attachment(`authorisations-${report.asOf.slice(0, 10)}.csv`)
          .send(authorisationCsv(report));
      } else res.json(report);
    }),
  );
  return r;
}
