import mongoose from 'mongoose';
import type { Env } from '../config/env.js';
import { log } from '../logger.js';
import { startEmbeddedStore, type EmbeddedStore } from './embedded-store.js';
import { allModels } from '../models/index.js';

export type Database = {
  kind: 'embedded-ferretdb' | 'external';
  connection: mongoose.Connection;
  close: () => Promise<void>;
};

/** Connects mongoose to MONGODB_URI, or to an embedded FerretDB started for this process. */
export async function connectDatabase(env: Pick<Env, 'MONGODB_URI' | 'DATA_DIR' | 'DB_NAME'>): Promise<Database> {
  let store: EmbeddedStore | undefined;
  let uri = env.MONGODB_URI;
  if (!uri) {
    store = await startEmbeddedStore(env.DATA_DIR);
    uri = store.uri;
    log.info(`embedded FerretDB listening on 127.0.0.1:${store.port}, data in ${store.dataDir}`);
  }
  mongoose.set('strictQuery', true);
  try {
    await mongoose.connect(uri, { dbName: env.DB_NAME, serverSelectionTimeoutMS: 10_000, autoIndex: false });
    // Unique keys live in the database: build every model's indexes before serving.
    for (const model of allModels) await model.createIndexes();
  } catch (e) {
    await store?.stop();
    throw e;
  }
  return {
    kind: store ? 'embedded-ferretdb' : 'external',
    connection: mongoose.connection,
    close: async () => {
      await mongoose.disconnect();
      await store?.stop();
    },
  };
}
