import { Router } from 'express';
import { PageQuerySchema } from '../../../shared/schemas/common.schema.js';
import { AbstractionInputSchema, AbstractionPatchSchema } from '../../../shared/schemas/abstraction.schema.js';
import { DeviceInputSchema, DevicePatchSchema } from '../../../shared/schemas/device.schema.js';
import { OfficerInputSchema, OfficerPatchSchema } from '../../../shared/schemas/officer.schema.js';
import { StationInputSchema, StationPatchSchema } from '../../../shared/schemas/org.schema.js';
import {
  ShiftDefinitionInputSchema,
  ShiftDefinitionPatchSchema,
  TeamInputSchema,
  TeamPatchSchema,
} from '../../../shared/schemas/shift.schema.js';
import { LoginSchema, UserInputSchema, UserPatchSchema } from '../../../shared/schemas/user.schema.js';
import type { Database } from '../../db/connection.js';
import { storeHealth } from '../../db/store-health.js';
import type { Repositories } from '../../repositories/index.js';
import { DutyQuerySchema } from '../../services/duty.service.js';
import type { Services } from '../../services/index.js';
import { actorOf, authenticate } from '../middleware/auth.middleware.js';
import { requireRouteRole } from '../middleware/role.middleware.js';
import { ROUTES } from '../openapi.js';
import { parse } from '../validate.js';
import { plansRouter } from './plans.routes.js';
import { reportsRouter } from './reports.routes.js';
import { armouryRouter } from './armoury.routes.js';
import { coverRouter } from './cover.routes.js';
import { refreshersRouter } from './refreshers.routes.js';
import { boardRouter } from './board.routes.js';
import { custodyRouter } from './custody.routes.js';
import { useStatisticsRouter, usesRouter } from './uses.routes.js';
import { docsRouter } from './docs.routes.js';
import { forceSettingsRouter } from './force-settings.routes.js';
import { handle, resourceRouter } from './resource.routes.js';

/** The whole REST API under /api. */
export function apiRouter(
  services: Services,
  repos: Repositories,
  db: Pick<Database, 'kind' | 'connection' | 'ping'>,
): Router {
  const api = Router();

  /**
   * `200 { status: 'ok', database }` while the store serves; `503 { status: 'degraded', reason, since,
   * database }` while it is down (`store_unavailable`), restarting (`store_restarting`) or being recovered
   * (`store_recovering`).
   */
  api.get(
    '/health',
    handle(async (_req, res) => {
      let s = storeHealth.status();
      if (s.ok) {
        try {
          await db.ping(1500);
        } catch (e) {
          storeHealth.observe(e);
          s = storeHealth.status();
          if (s.ok) s = { ok: false, reason: 'store_unavailable', since: new Date().toISOString() };
        }
      }
      const database = { kind: db.kind, name: db.connection.name, reachable: s.ok };
      if (s.ok) res.status(200).json({ status: 'ok', database });
      else {
        res.setHeader('Retry-After', '1');
        res.status(503).json({ status: 'degraded', reason: s.reason, since: s.since, database });
      }
    }),
  );

  api.use(docsRouter());

  api.post(
    '/auth/login',
    handle(async (req, res) => {
      res.json(await services.auth.login(parse(LoginSchema, req.body), { address: req.ip ?? 'unknown' }));
    }),
  );

  api.use(authenticate(services.auth));
  // The role before the body: every registered route refuses a role the permission matrix does not allow.
  api.use(requireRouteRole(ROUTES));

  api.get('/auth/me', (req, res) => {
    res.json(actorOf(req));
  });

  api.get(
    '/org',
    handle(async (req, res) => {
      res.json(await services.stations.view(actorOf(req)));
    }),
  );

  api.use('/stations', resourceRouter(services.stations, { input: StationInputSchema, patch: StationPatchSchema }));
  api.use('/teams', resourceRouter(services.teams, { input: TeamInputSchema, patch: TeamPatchSchema }));
  api.use('/officers', resourceRouter(services.officers, { input: OfficerInputSchema, patch: OfficerPatchSchema }));
  api.use('/devices', resourceRouter(services.devices, { input: DeviceInputSchema, patch: DevicePatchSchema }));
  api.use(
    '/abstractions',
    resourceRouter(services.abstractions, { input: AbstractionInputSchema, patch: AbstractionPatchSchema }),
  );
  api.use(
    '/shift-definitions',
    resourceRouter(
      {
        ...services.shiftDefinitions,
        list: (actor, q) => services.shiftDefinitions.list(actor, parse(PageQuerySchema, q, 'query')),
      },
      { input: ShiftDefinitionInputSchema, patch: ShiftDefinitionPatchSchema },
    ),
  );
  api.use('/users', resourceRouter(services.users, { input: UserInputSchema, patch: UserPatchSchema }));

  api.get(
    '/duty',
    handle(async (req, res) => {
      res.json({ shifts: await services.duty.roster(actorOf(req), parse(DutyQuerySchema, req.query, 'query')) });
    }),
  );

  api.use('/force-settings', forceSettingsRouter(services.forceSettings));
  api.use('/plans', plansRouter(services.plans, { edits: services.planEdits, roster: services.roster }));
  api.use('/reports/cover', coverRouter(services.cover));
  api.use('/reports', reportsRouter(services.reports, services.whatIf));
  api.use('/reports', refreshersRouter(services.refreshers));
  api.use('/custody', custodyRouter(services));
  api.use('/uses', usesRouter(services.uses));
  const useStatistics = useStatisticsRouter(services.useReports, services.uses);
  api.use('/reports/taser-use', useStatistics.reports);
  api.use('/population', useStatistics.population);
  api.use('/armoury', armouryRouter(services));
  api.use(boardRouter(services));

  return api;
}
