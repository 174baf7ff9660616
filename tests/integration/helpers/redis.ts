import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { freePort } from '../../../server/db/embedded-store.js';

export type RedisServer = { url: string; stop: () => Promise<void> };

/** A real redis-server on a free loopback port, without persistence, for one test file. */
export async function startRedis(bin = process.env.REDIS_SERVER ?? '/usr/bin/redis-server'): Promise<RedisServer> {
  const port = await freePort();
  const child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  let exited = false;
  const gone = new Promise<void>((ok) => child.once('exit', () => ((exited = true), ok())));
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ok = await new Promise<boolean>((r) => {
      const s = connect({ port, host: '127.0.0.1' });
      s.once('connect', () => (s.destroy(), r(true)));
      s.once('error', () => r(false));
    });
    if (ok) break;
    if (exited || Date.now() > deadline) throw new Error(`redis-server (${bin}) did not start`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      if (!exited) child.kill('SIGTERM');
      await gone;
    },
  };
}
