import mongoose from 'mongoose';
import type { Env } from '../config/env.js';
import { log } from '../logger.js';
import { startEmbeddedStore, type EmbeddedStore } from './embedded-store.js';
import { storeHealth } from './store-health.js';
import { allModels } from '../models/index.js';

export type Database = {
  kind: 'embedded-ferretdb' | 'external';
  connection: mongoose.Connection;
  /** The embedded store this process supervises, when there is one. */
  store?: EmbeddedStore;
  /** Answers when the store answers a ping within `timeoutMs`; rejects otherwise. */
  ping: (timeoutMs?: number) => Promise<void>;
  close: () => Promise<void>;
};

/** A ping that gives up after `timeoutMs` (the driver would wait for server selection, 10 s). */
async function pingWithin(connection: mongoose.Connection, timeoutMs: number): Promise<void> {
  const db = connection.db;
  if (!db) throw new Error('not connected');
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      db.admin().ping(),
      new Promise((_ok, fail) => {
        timer = setTimeout(() => fail(new Error(`ping: no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Connects mongoose to MONGODB_URI, or to an embedded FerretDB started and supervised for this process
 * (restarted on exit, see `startEmbeddedStore`). The store's exits and the connection's errors and losses
 * mark the store down (`storeHealth`), which refuses writes until it is back and the read model reloaded;
 * none of them ends the process.
 */
export async function connectDatabase(env: Pick<Env, 'MONGODB_URI' | 'DATA_DIR' | 'DB_NAME'>): Promise<Database> {
  let store: EmbeddedStore | undefined;
  let uri = env.MONGODB_URI;
  if (!uri) {
    store = await startEmbeddedStore(env.DATA_DIR);
    uri = store.uri;
    log.info(`embedded FerretDB listening on 127.0.0.1:${store.port}, data in ${store.dataDir}`);
  }
  mongoose.set('strictQuery', true);
  const connection = mongoose.connection;
  let closing = false;
  const onError = (e: unknown) => {
    if (closing) return;
    log.error('database connection error', { message: String((e as Error)?.message ?? e) });
    storeHealth.observe(e);
  };
  const onDisconnected = () => {
    if (closing) return;
    log.error('database connection lost');
    const s = storeHealth.status();
    storeHealth.reportDown(s.ok ? 'store_unavailable' : s.reason);
  };
  connection.on('error', onError);
  connection.on('disconnected', onDisconnected);
  const stopWatching = store?.onEvent((e) => {
    if (e.type === 'exited') {
      log.error(`embedded FerretDB exited (code ${e.code}, signal ${e.signal}); restarting in ${e.restartInMs} ms`);
      storeHealth.reportDown('store_restarting');
    } else {
      log.info(`embedded FerretDB running again (pid ${e.pid}, restart ${e.restarts})`);
    }
  });
  try {
    await mongoose.connect(uri, {
      dbName: env.DB_NAME,
      serverSelectionTimeoutMS: 10_000,
      // Notice a store that went away (or came back) within a second, not the default ten.
      heartbeatFrequencyMS: 1000,
      autoIndex: false,
    });
    // Unique keys live in the database: build every model's indexes before serving.
    for (const model of allModels) await model.createIndexes();
  } catch (e) {
    stopWatching?.();
    connection.off('error', onError);
    connection.off('disconnected', onDisconnected);
    await store?.stop();
    throw e;
  }
  return {
    kind: store ? 'embedded-ferretdb' : 'external',
    connection,
    store,
    ping: (timeoutMs = 1500) => pingWithin(connection, timeoutMs),
    close: async () => {
      closing = true;
      stopWatching?.();
      await mongoose.disconnect();
      connection.off('error', onError);
      connection.off('disconnected', onDisconnected);
      await store?.stop();
    },
  };
}
