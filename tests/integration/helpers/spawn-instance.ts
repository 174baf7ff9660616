import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { testDatabaseUri, type TestServer } from './test-server.js';

export type Instance = { url: string; stop: () => Promise<void> };

/** Starts tests/integration/helpers/instance.ts in a child process with the given environment. */
export async function spawnInstance(env: Record<string, string>): Promise<Instance> {
  const script = fileURLToPath(new URL('./instance.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  const url = await new Promise<string>((ok, fail) => {
    let out = '';
    const t = setTimeout(() => fail(new Error('instance did not start in 30 s')), 30_000);
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        clearTimeout(t);
        ok((JSON.parse(line) as { url: string }).url);
      }
    });
    child.once('exit', (code) => fail(new Error(`instance exited with ${code}`)));
  });
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * A second instance beside test server `a`: its database, JWT secret and Redis (`redisUrl`), the clock fixed
 * at `clock`. Cover by hour's aggregation timer and in-memory window are off, as on `a`.
 */
export async function spawnBeside(a: TestServer, redisUrl: string, clock: Date): Promise<Instance> {
  return spawnInstance({
    PORT: '0',
    MONGODB_URI: await testDatabaseUri(),
    DB_NAME: a.dbName,
    SEED_DEMO: '0',
    LOG_LEVEL: 'error',
    JWT_SECRET: a.env.JWT_SECRET!,
    REDIS_URL: redisUrl,
    TEST_CLOCK: clock.toISOString(),
    COVER_CLOSE_SECONDS: '0',
    COVER_WINDOW_DAYS: '0',
  });
}
