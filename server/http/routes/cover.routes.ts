import { Router } from 'express';
import { CoverQuerySchema } from '../../../shared/schemas/cover.schema.js';
import { requireRole } from '../../services/access.js';
import { coverCsv, type CoverService } from '../../services/cover.service.js';
import { actorOf } from '../middleware/auth.middleware.js';
import { parse } from '../validate.js';
import { handle } from './resource.routes.js';

/** `GET /reports/cover`: cover by hour and shift, planned against actual, as JSON or (`format=csv`) CSV. */
export function coverRouter(cover: CoverService): Router {
  const r = Router();
  r.get(
    '/',
    handle(async (req, res) => {
      // A role that may not read reports is refused before its query is judged.
      requireRole(actorOf(req), 'reports', 'read');
      const { format, ...q } = parse(CoverQuerySchema, req.query, 'query');
      if (format === 'csv') {
        const rows = await cover.rows(actorOf(req), q);
        res.type('text/csv').attachment(`cover-${q.level}-${q.unit}-${q.from}-${q.to}.csv`).send(coverCsv(rows));
      } else res.json(await cover.report(actorOf(req), q));
    }),
  );
  return r;
}
