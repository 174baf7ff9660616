import { Router } from 'express';
import { BoardQuerySchema, BookingInputSchema, UnitStatusInputSchema } from '../../../shared/schemas/board.schema.js';
import type { Services } from '../../services/index.js';
import { actorOf } from '../middleware/auth.middleware.js';
import { parse } from '../validate.js';
import { handle } from './resource.routes.js';

/** Unit booking and status (`/units/...`) and the board snapshot (`/board?level=&id=`). */
export function boardRouter(services: Services): Router {
  const { units, board } = services.live;
  const r = Router();
  r.post(
    '/units/book-on',
    handle(async (req, res) => {
      res.json(await units.bookOn(actorOf(req), parse(BookingInputSchema, req.body)));
    }),
  );
  r.post(
    '/units/book-off',
    handle(async (req, res) => {
      res.json(await units.bookOff(actorOf(req), parse(BookingInputSchema, req.body)));
    }),
  );
  r.post(
    '/units/status',
    handle(async (req, res) => {
      res.json(await units.setStatus(actorOf(req), parse(UnitStatusInputSchema, req.body)));
    }),
  );
  r.get(
    '/board',
    handle(async (req, res) => {
      res.json(await board.board(actorOf(req), parse(BoardQuerySchema, req.query, 'query')));
    }),
  );
  return r;
}
