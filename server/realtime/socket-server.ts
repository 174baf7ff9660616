import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import { Server } from 'socket.io';
import { SOCKET_EVENTS } from '../../shared/schemas/live-event.schema.js';
import type { Actor } from '../../shared/schemas/user.schema.js';
import type { Env } from '../config/env.js';
import { asClientError } from '../db/store-health.js';
import { AppError, errorBody } from '../errors.js';
import { log } from '../logger.js';
import type { Services } from '../services/index.js';
import { createBroadcaster } from './broadcaster.js';
import { registerBoardHandlers } from './handlers/board.handlers.js';
import { watchSessions } from './session-watch.js';
import { guardSocket, SOCKET_LIMITS, type SocketLimits } from './socket-limits.js';

export type Realtime = { io: Server; idle: () => Promise<void>; close: () => Promise<void> };

/**
 * socket.io on the app's HTTP server. Sockets authenticate with the REST bearer token in
 * `handshake.auth.token`; a refusal reaches the client as `connect_error` with `data` in the REST error
 * shape. With REDIS_URL set, socket.io's Redis adapter joins the instances.
 */
export async function startRealtime(
  http: HttpServer,
  services: Services,
  env: Pick<Env, 'REDIS_URL'> & Partial<Pick<Env, 'LIVE_BATCH_MS'>>,
  opts: { limits?: Partial<SocketLimits> } = {},
): Promise<Realtime> {
  const io = new Server(http, { serveClient: false, cors: { origin: false } });
  let redis: { close: () => Promise<unknown> } | undefined;
  if (env.REDIS_URL) {
    const pub = createClient({ url: env.REDIS_URL });
    const sub = pub.duplicate();
    for (const c of [pub, sub]) c.on('error', (e: unknown) => log.error('redis client error', { message: String(e) }));
    await Promise.all([pub.connect(), sub.connect()]);
    io.adapter(createAdapter(pub, sub));
    redis = { close: () => Promise.allSettled([pub.close(), sub.close()]) };
    log.info('socket.io joined to other instances through Redis');
  }

  const sessions = watchSessions(services);
  const limits = { ...SOCKET_LIMITS, ...opts.limits };
  io.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    services.auth.authenticate(typeof token === 'string' ? token : undefined).then(
      (actor) => {
        (socket.data as { actor?: unknown }).actor = actor;
        next();
      },
      (thrown: unknown) => {
        const e = asClientError(thrown);
        const body =
          e instanceof AppError ? errorBody(e) : { error: { id: 'internal_error', message: 'Something went wrong.' } };
        const err = new Error(body.error.message) as Error & { data?: unknown };
        err.data = body;
        next(err);
      },
    );
  });
  io.on('connection', (socket) => {
    // A login lasts TOKEN_TTL_HOURS: a socket does not outlive its token.
    const token = (socket.handshake.auth as { token: string }).token;
    const expiry = services.auth.expiresAt(token);
    if (expiry !== null) {
      const timer = setTimeout(() => socket.disconnect(true), Math.max(0, expiry - Date.now()));
      timer.unref();
      socket.once('disconnect', () => clearTimeout(timer));
    }
    sessions.add(socket, (socket.data as { actor: Actor }).actor.username);
    guardSocket(socket, [SOCKET_EVENTS.join, SOCKET_EVENTS.resync], limits);
    registerBoardHandlers(socket, services);
  });

  const broadcaster = createBroadcaster(io, services.live.events, services.live.sequencer, {
    batchMs: env.LIVE_BATCH_MS ?? 0,
  });
  return {
    io,
    idle: async () => {
      await services.live.cover.idle();
      await broadcaster.idle();
    },
    close: async () => {
      await services.live.cover.idle();
      services.live.cover.stop();
      await broadcaster.stop();
      sessions.stop();
      io.disconnectSockets(true);
      await new Promise<void>((ok) => {
        void io.close(() => ok());
      });
      await redis?.close();
      services.live.state.stop();
      services.reference.stop();
      await services.live.channel.close();
      await services.live.sequencer.close();
    },
  };
}
