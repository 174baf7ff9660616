// A second server instance in its own process (mongoose keeps one connection per process): started by
// tests with the same database and Redis as the first, it prints `{"url": ...}` once it listens.
import { loadEnv } from '../../../server/config/env.js';
import { startServer } from '../../../server/server.js';

const clock = process.env.TEST_CLOCK ? () => new Date(process.env.TEST_CLOCK!) : undefined;
const server = await startServer(loadEnv(process.env), { clock });
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
process.on('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
