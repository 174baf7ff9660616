import { loadEnv } from './config/env.js';
import { seedDemoIfEmpty } from './db/seed.js';
import { log, setLogLevel } from './logger.js';
import { guardProcess } from './process-guard.js';
import { startServer } from './server.js';

guardProcess();
const env = loadEnv();
setLogLevel(env.LOG_LEVEL);
const server = await startServer(env);
if (env.SEED_DEMO === '1') {
  const accounts = await seedDemoIfEmpty({ scale: 'bcu', now: new Date() });
  if (accounts) {
    process.stdout.write('\nDemo force loaded. Demo accounts (demo data only):\n');
    for (const a of accounts)
      process.stdout.write(`  ${a.role.padEnd(13)} ${a.username.padEnd(22)} password: ${a.password}\n`);
  }
}
process.stdout.write(`\nTaser crewing planner running at ${server.url}/ (health: ${server.url}/api/health)\n`);

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  log.info(`${signal}: shutting down`);
  server.close().then(
    () => process.exit(0),
    (e: unknown) => {
      log.error('shutdown failed', { message: String(e) });
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
