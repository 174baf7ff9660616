import type { Socket } from 'socket.io';
import { JoinInputSchema, unitOfRoom } from '../../../shared/schemas/board.schema.js';
import { SOCKET_EVENTS } from '../../../shared/schemas/live-event.schema.js';
import type { Actor } from '../../../shared/schemas/user.schema.js';
import { AppError, errorBody, StoreUnavailableError, ValidationError } from '../../errors.js';
import { asClientError } from '../../db/store-health.js';
import { parse } from '../../http/validate.js';
import { log } from '../../logger.js';
import type { Services } from '../../services/index.js';

type Ack = (reply: unknown) => void;

/**
 * Runs a handler and acknowledges with its result, or with the REST error shape. A call with only a
 * callback (no payload) is answered too, with the validation error. (Rate limits are applied before this,
 * as packets arrive: see socket-limits.ts.)
 */
const acked =
  (name: string, fn: (input: unknown) => Promise<unknown>) =>
  (...args: unknown[]): void => {
    const ack = args.at(-1);
    if (typeof ack !== 'function') return;
    const input = args.length > 1 ? args[0] : undefined;
    const reply = ack as Ack;
    fn(input).then(reply, (thrown: unknown) => {
      const e = asClientError(thrown);
      if (e instanceof AppError) return reply(errorBody(e));
      log.error(`socket handler ${name} failed`, { message: String(e), stack: (e as Error)?.stack });
      reply({ error: { id: 'internal_error', message: 'Something went wrong on our side.' } });
    });
  };

/**
 * Board rooms. `board:join` checks role and scope, joins the room and then answers with a snapshot, so
 * every delta numbered after the snapshot reaches the socket; `board:resync` is the same for a socket
 * that lost track; `board:leave` leaves.
 */
export function registerBoardHandlers(socket: Socket, services: Services): void {
  const board = services.live.board;
  const token = (socket.handshake.auth as { token?: string }).token;

  const snapshot = async (input: unknown) => {
    const { room } = parse(JoinInputSchema, input, 'join');
    const unit = unitOfRoom(room);
    // Checked again on every join and resync: a user removed, or moved to another role or scope, since the
    // socket connected is judged as they are now.
    const actor: Actor = await services.auth.authenticate(token).catch((e: unknown) => {
      // A refused login ends the socket; a store outage does not (the client tries again).
      if (!(asClientError(e) instanceof StoreUnavailableError)) setImmediate(() => socket.disconnect(true));
      throw e;
    });
    (socket.data as { actor: Actor }).actor = actor;
    await board.authorise(actor, unit).catch(async (e: unknown) => {
      await socket.leave(room);
      throw e;
    });
    await socket.join(room);
    return board.snapshot(actor, unit);
  };

  socket.on(SOCKET_EVENTS.join, acked('join', snapshot));
  socket.on(SOCKET_EVENTS.resync, acked('resync', snapshot));
  socket.on(
    SOCKET_EVENTS.leave,
    acked('leave', async (input) => {
      const { room } = parse(JoinInputSchema, input, 'leave');
      if (!socket.rooms.has(room)) throw new ValidationError(`You are not in ${room}.`, undefined, 'not_joined');
      await socket.leave(room);
      return { ok: true, room };
    }),
  );
}
