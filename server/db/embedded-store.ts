import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FERRETDB_BIN = join(ROOT, '.tools', 'bin', 'ferretdb');

export type EmbeddedStore = { uri: string; port: number; dataDir: string; stop: () => Promise<void> };

/** A free TCP port on loopback, chosen by the kernel. */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => ok(port));
    });
  });
}

const canConnect = (port: number): Promise<boolean> =>
  new Promise((ok) => {
    const s = connect({ port, host: '127.0.0.1' });
    s.once('connect', () => {
      s.destroy();
      ok(true);
    });
    s.once('error', () => ok(false));
  });

/**
 * Starts FerretDB (SQLite backend) on a free loopback port with its files in `dataDir`, and waits
 * until it accepts connections. `stop()` ends it cleanly.
 */
export async function startEmbeddedStore(dataDir: string, timeoutMs = 30_000): Promise<EmbeddedStore> {
  if (!existsSync(FERRETDB_BIN)) {
    throw new Error(
      `The embedded database is not built (${FERRETDB_BIN} is missing). Run \`npm install\` (it builds FerretDB with Go) or set MONGODB_URI.`,
    );
  }
  mkdirSync(dataDir, { recursive: true });
  const port = await freePort();
  const child: ChildProcess = spawn(
    FERRETDB_BIN,
    [
      '--handler=sqlite',
      `--sqlite-url=file:${dataDir}/`,
      `--listen-addr=127.0.0.1:${port}`,
      '--debug-addr=-',
      '--telemetry=disable',
      `--state-dir=${dataDir}`,
      '--log-level=error',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => {
    stderr = (stderr + b.toString()).slice(-4000);
  });
  let exited = false;
  const exitedPromise = new Promise<void>((ok) => child.once('exit', () => ((exited = true), ok())));
  // If this process dies without stopping the store (a crash, process.exit), do not leave it running.
  const orphanGuard = () => {
    if (!exited) child.kill('SIGKILL');
  };
  process.once('exit', orphanGuard);
  void exitedPromise.then(() => process.removeListener('exit', orphanGuard));

  const deadline = Date.now() + timeoutMs;
  while (!(await canConnect(port))) {
    if (exited) throw new Error(`FerretDB exited before it was ready: ${stderr.trim()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`FerretDB did not accept connections within ${timeoutMs} ms: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  const stop = async (): Promise<void> => {
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exitedPromise;
    clearTimeout(timer);
  };
  return { uri: `mongodb://127.0.0.1:${port}/`, port, dataDir, stop };
}
