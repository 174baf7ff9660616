import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Env } from './config/env.js';
import { connectDatabase, type Database } from './db/connection.js';
import { storeHealth } from './db/store-health.js';
import { createApp } from './http/app.js';
import { answerClientError } from './http/middleware/limits.middleware.js';
import { log } from './logger.js';
import { memorySequencer, redisSequencer } from './live/sequencer.js';
import { startRealtime, type Realtime } from './realtime/socket-server.js';
import { repositories } from './repositories/index.js';
import { stopSolveWorker } from './solver/solve-runner.js';
import { createEventBus } from './events/domain-events.js';
import { localChannel, redisChannel } from './live/channel.js';
import type { Timer } from './live/shift-clock.js';
import { createServices, type Services } from './services/index.js';

export type RunningServer = {
  url: string;
  port: number;
  http: Server;
  db: Database;
  services: Services;
  realtime: Realtime;
  close: () => Promise<void>;
};

/** Connects the store, wires services and serves HTTP; `close()` stops all of it in order. */
export async function startServer(
  env: Env,
  opts: { db?: Database; clock?: () => Date; timer?: Timer } = {},
): Promise<RunningServer> {
  const db = opts.db ?? (await connectDatabase(env));
  const sequencer = env.REDIS_URL ? await redisSequencer(env.REDIS_URL) : memorySequencer();
  const channel = env.REDIS_URL ? await redisChannel(env.REDIS_URL) : localChannel();
  const services = createServices(repositories, env, {
    clock: opts.clock ?? (() => new Date()),
    ...(opts.timer ? { timer: opts.timer } : {}),
    events: createEventBus(),
    sequencer,
    channel,
    snapshots: { everyMs: env.LIVE_SNAPSHOT_SECONDS * 1000, everyChanges: env.LIVE_SNAPSHOT_CHANGES },
  });
  // The live read model: the latest snapshot and the log's tail after it (the whole log when there is none),
  // then device documents mended from it if a crash left one behind.
  const loaded = await services.live.snapshots.load();
  log.info(
    `live read model loaded from ${loaded.from} in ${loaded.ms} ms (${loaded.entries} entries, ${loaded.tail} records)`,
  );
  if (loaded.from === 'log') void services.live.snapshots.take();
  const stopSnapshots = services.live.snapshots.start();
  const mended = await services.live.custody.repairDocuments();
  const stopSweeping = services.live.cover.startSweeping(env.COVER_SWEEP_SECONDS * 1000);
  // Cover by hour: closed days aggregated in the background, so a report over past days reads the aggregate.
  const stopClosing = services.cover.startClosing(env.COVER_CLOSE_SECONDS * 1000, env.COVER_BACKFILL_DAYS);
  // Its last days in memory: read once in the background; until then open days are read from the store.
  const window = services.cover.window;
  window?.start();
  if (mended) log.info(`${mended} device document(s) brought in line with the custody log`);
  // Store outages: writes are refused until the store answers again, then writes in doubt are undone and
  // the read model and reference data are read again (writes may have been refused meanwhile).
  storeHealth.attach({
    ping: () => db.ping(1500),
    recovered: [
      async () => {
        services.reference.invalidateAll();
        const again = await services.live.snapshots.load();
        log.info(
          `live read model reloaded from ${again.from} in ${again.ms} ms (${again.entries} entries, ${again.tail} records)`,
        );
        const fixed = await services.live.custody.repairDocuments();
        if (fixed) log.info(`${fixed} device document(s) brought in line with the custody log after recovery`);
      },
    ],
  });
  const interrupted = await services.plans.recoverInterrupted();
  if (interrupted) log.info(`${interrupted} plan solve(s) interrupted by the last stop marked failed`);
  const app = createApp(services, repositories, db);
  const http = createServer(app);
  http.on('clientError', answerClientError);
  await new Promise<void>((ok, fail) => {
    http.once('error', fail);
    http.listen(env.PORT, env.HOST, () => ok());
  });
  const realtime = await startRealtime(http, services, env);
  // Boards follow the clock: pushed deltas at every shift boundary (server/live/shift-clock.ts).
  services.live.shiftClock.start();
  const port = (http.address() as AddressInfo).port;
  const url = `http://${env.HOST}:${port}`;
  log.info(`listening on ${url}`);
  return {
    url,
    port,
    http,
    db,
    services,
    realtime,
    close: async () => {
      storeHealth.attach(null);
      services.live.shiftClock.stop();
      stopSweeping();
      await stopClosing();
      window?.stop();
      stopSnapshots();
      await realtime.close();
      await new Promise<void>((ok) => {
        http.close(() => ok());
        http.closeAllConnections();
      });
      // A clean shutdown leaves a snapshot behind: the next start reads only what follows it.
      await services.live.snapshots.take();
      services.plans.cancelAll();
      await stopSolveWorker();
      if (!opts.db) await db.close();
    },
  };
}
