// The server side of `npm run bench:live`: the app on a fresh embedded store, the BCU demo seeded, an early
// shift's crews published, the clock fixed inside that shift. Prints one JSON line once ready.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnv } from '../server/config/env.js';
import { startEmbeddedStore } from '../server/db/embedded-store.js';
import { seedDemo } from '../server/db/seed.js';
import { setLogLevel } from '../server/logger.js';
import { startServer } from '../server/server.js';
import { publishEarlyCrews } from '../tests/integration/helpers/live-fixtures.js';
import { LIVE_NOW } from '../tests/integration/helpers/live-client.js';
import { loginAs, TEST_NOW } from '../tests/integration/helpers/test-server.js';

setLogLevel('error');
const dir = mkdtempSync(join(tmpdir(), 'taser-bench-live-'));
const store = await startEmbeddedStore(dir);
const env = loadEnv({
  PORT: '0',
  HOST: '127.0.0.1',
  MONGODB_URI: store.uri,
  DB_NAME: 'bench_live',
  SEED_DEMO: '0',
  LOG_LEVEL: 'error',
  JWT_SECRET: 'bench-secret-bench-secret-bench',
  MIN_TASER_UNITS: '3',
});
const server = await startServer(env, { clock: () => LIVE_NOW });
await seedDemo({ scale: 'bcu', now: TEST_NOW });
const control = await loginAs(server, 'control.south');
const admin = await loginAs(server, 'admin');
const stations = await publishEarlyCrews(server, control, admin);
process.stdout.write(
  `${JSON.stringify({ url: server.url, pid: process.pid, admin, control, crews: [...stations.values()].flatMap((s) => s.crews) })}\n`,
);
const stop = () => {
  void server
    .close()
    .then(() => store.stop())
    .finally(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
