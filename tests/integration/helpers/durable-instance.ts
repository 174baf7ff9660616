// A server in its own process that owns and supervises its embedded store (no MONGODB_URI), for the
// fault-injection tests: it seeds the BCU demo force, publishes the early crews of the test day, and prints
// one JSON line `{ url, pid, storePid, storeUri, stations }`, then `{ storeReady, storePid, at }` each time
// its store is running again after a restart. SIGTERM stops it.
import { loadEnv } from '../../../server/config/env.js';
import { seedDemo } from '../../../server/db/seed.js';
import { guardProcess } from '../../../server/process-guard.js';
import { startServer } from '../../../server/server.js';
import { LIVE_NOW } from './live-client.js';
import { publishEarlyCrews } from './live-fixtures.js';
import { loginAs, TEST_NOW } from './test-server.js';

guardProcess();
const env = loadEnv(process.env);
const server = await startServer(env, { clock: () => LIVE_NOW });
const store = server.db.store;
if (!store) throw new Error('durable-instance needs the embedded store: do not set MONGODB_URI');
store.onEvent((e) => {
  if (e.type === 'ready')
    process.stdout.write(`${JSON.stringify({ storeReady: true, storePid: e.pid, at: Date.now() })}\n`);
});
await seedDemo({ scale: 'bcu', now: TEST_NOW });
const stations = await publishEarlyCrews(
  server,
  await loginAs(server, 'control.south'),
  await loginAs(server, 'admin'),
);
process.stdout.write(
  `${JSON.stringify({ url: server.url, pid: process.pid, storePid: store.pid(), storeUri: store.uri, stations: Object.fromEntries(stations) })}\n`,
);
process.on('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
