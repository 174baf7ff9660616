import { Router } from 'express';
import { ArmouryDeviceQuerySchema, ArmouryParamsSchema } from '../../../shared/schemas/armoury.schema.js';
import type { Services } from '../../services/index.js';
import { actorOf } from '../middleware/auth.middleware.js';
import { parse } from '../validate.js';
import { handle } from './resource.routes.js';

/** The armourer's lists (role checked first, then the request, then the station's scope): `/armoury/:station/devices` and `/armoury/:station/planned-carriers`. */
export function armouryRouter(services: Services): Router {
  const armoury = services.armoury;
  const r = Router();
  r.get(
    '/:station/devices',
    handle(async (req, res) => {
      const actor = armoury.reader(actorOf(req));
      const { station } = parse(ArmouryParamsSchema, req.params, 'params');
      res.json(await armoury.devices(actor, station, parse(ArmouryDeviceQuerySchema, req.query, 'query')));
    }),
  );
  r.get(
    '/:station/planned-carriers',
    handle(async (req, res) => {
      const actor = armoury.reader(actorOf(req));
      const { station } = parse(ArmouryParamsSchema, req.params, 'params');
      res.json(await armoury.plannedCarriers(actor, station));
    }),
  );
  return r;
}
