import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The FerretDB binary: `.tools/bin/ferretdb` (scripts/install-tools.mjs), or `FERRETDB_BIN` when set. */
export const FERRETDB_BIN = process.env.FERRETDB_BIN || join(ROOT, '.tools', 'bin', 'ferretdb');

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

/** What the supervisor tells of its store: it exited (and will be restarted unless stopped), or it is ready. */
export type StoreEvent =
  | { type: 'exited'; pid: number | null; code: number | null; signal: string | null; restartInMs: number }
  | { type: 'ready'; pid: number; restarts: number };

export type EmbeddedStore = {
  uri: string;
  port: number;
  dataDir: string;
  /** The FerretDB process's id now (it changes on each restart), or null while it is down. */
  pid: () => number | null;
  /** How many times it has been restarted after an unexpected exit. */
  restarts: () => number;
  onEvent: (l: (e: StoreEvent) => void) => () => void;
  stop: () => Promise<void>;
};

/** Restart delays after an unexpected exit: 0.5 s doubling to 5 s; back to 0.5 s once a run lasted 10 s. */
export const RESTART_BACKOFF = { firstMs: 500, maxMs: 5000, stableMs: 10_000 };

/**
 * The watchdog FerretDB runs under: FerretDB cannot watch its parent, so a shell starts it (stdin and stdout
 * away from us), prints its pid, and keeps reading our end of a pipe on fd 3; when this server process
 * ends in any way (even SIGKILL) the pipe closes, the read ends and the shell kills FerretDB. The shell
 * exits with FerretDB's status when FerretDB exits by itself.
 */
const WATCHDOG = [
  'exec 3<&0',
  '"$@" </dev/null >/dev/null 3<&- &',
  'p=$!',
  'echo "$p"',
  '(while read -r _ <&3; do :; done; kill -KILL "$p" 2>/dev/null) &',
  'w=$!',
  'exec 3<&-',
  'wait "$p"',
  's=$?',
  'kill "$w" 2>/dev/null',
  'exit "$s"',
].join('\n');

/**
 * Starts FerretDB (SQLite backend) on a free loopback port with its files in `dataDir`, waits until it
 * accepts connections, and supervises it: an unexpected exit is followed by a restart on the same port and
 * data directory (so the URI stays valid) after a backoff (`RESTART_BACKOFF`). FerretDB dies with this
 * process, however it ends (see `WATCHDOG`). `stop()` ends it cleanly and stops supervising.
 */
export async function startEmbeddedStore(
  dataDir: string,
  opts: number | { timeoutMs?: number; supervise?: boolean } = {},
): Promise<EmbeddedStore> {
  const { timeoutMs = 30_000, supervise = true } = typeof opts === 'number' ? { timeoutMs: opts } : opts;
  if (!existsSync(FERRETDB_BIN)) {
    throw new Error(
      `The embedded database is not built (${FERRETDB_BIN} is missing). Run \`npm install\` (it builds FerretDB with Go) or set MONGODB_URI.`,
    );
  }
  mkdirSync(dataDir, { recursive: true });
  const port = await freePort();
  const args = [
    '--handler=sqlite',
    `--sqlite-url=file:${dataDir}/`,
    `--listen-addr=127.0.0.1:${port}`,
    '--debug-addr=-',
    '--telemetry=disable',
    `--state-dir=${dataDir}`,
    '--log-level=error',
  ];
  const listeners = new Set<(e: StoreEvent) => void>();
  const emit = (e: StoreEvent) => {
    for (const l of listeners) l(e);
  };

  type Run = { child: ChildProcess; pid: Promise<number | null>; exited: Promise<void>; isExited: () => boolean };
  let current: Run | null = null;
  let currentPid: number | null = null;
  let stopping = false;
  let restarts = 0;
  let failures = 0;
  let restartTimer: NodeJS.Timeout | null = null;
  let stderr = '';

  // If this process exits without stopping the store (a crash, process.exit), do not leave it running.
  const orphanGuard = () => {
    if (currentPid) {
      try {
        process.kill(currentPid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  process.on('exit', orphanGuard);

  const spawnOnce = (): Run => {
    const child = spawn('sh', ['-c', WATCHDOG, 'ferretdb-watchdog', FERRETDB_BIN, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    // Our end of the watchdog's pipe: never written, closed when this process ends.
    child.stdin?.on('error', () => undefined);
    let out = '';
    const pid = new Promise<number | null>((ok) => {
      child.stdout?.on('data', (b: Buffer) => {
        out += b.toString();
        const line = out.split('\n')[0];
        if (out.includes('\n') && line) ok(Number(line.trim()) || null);
      });
      child.once('exit', () => ok(null));
    });
    child.stderr?.on('data', (b: Buffer) => {
      stderr = (stderr + b.toString()).slice(-4000);
    });
    let exited = false;
    const exitedP = new Promise<void>((ok) => child.once('exit', () => ((exited = true), ok())));
    void pid.then((p) => {
      if (!exited) currentPid = p;
    });
    return { child, pid, exited: exitedP, isExited: () => exited };
  };

  const waitReady = async (run: Run, ms: number): Promise<void> => {
    const deadline = Date.now() + ms;
    while (!(await canConnect(port))) {
      if (run.isExited()) throw new Error(`FerretDB exited before it was ready: ${stderr.trim()}`);
      if (Date.now() > deadline) {
        run.child.kill('SIGKILL');
        const p = await run.pid;
        if (p) process.kill(p, 'SIGKILL');
        throw new Error(`FerretDB did not accept connections within ${ms} ms: ${stderr.trim()}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const watch = (run: Run, startedAt: number): void => {
    run.child.once('exit', (code, signal) => {
      if (current === run) currentPid = null;
      if (stopping || !supervise) return;
      if (Date.now() - startedAt >= RESTART_BACKOFF.stableMs) failures = 0;
      const delay = Math.min(RESTART_BACKOFF.maxMs, RESTART_BACKOFF.firstMs * 2 ** failures);
      failures += 1;
      emit({ type: 'exited', pid: null, code, signal, restartInMs: delay });
      restartTimer = setTimeout(() => void restart(), delay);
    });
  };

  const restart = async (): Promise<void> => {
    restartTimer = null;
    if (stopping) return;
    const run = spawnOnce();
    current = run;
    const startedAt = Date.now();
    watch(run, startedAt);
    try {
      await waitReady(run, timeoutMs);
    } catch {
      return; // its exit (or the kill on timeout) schedules the next attempt
    }
    if (stopping || run.isExited()) return;
    restarts += 1;
    currentPid = await run.pid;
    emit({ type: 'ready', pid: currentPid ?? 0, restarts });
  };

  const first = spawnOnce();
  current = first;
  try {
    await waitReady(first, timeoutMs);
  } catch (e) {
    process.removeListener('exit', orphanGuard);
    throw e;
  }
  currentPid = await first.pid;
  watch(first, Date.now());

  const stop = async (): Promise<void> => {
    stopping = true;
    if (restartTimer) clearTimeout(restartTimer);
    const run = current;
    if (run && !run.isExited()) {
      const p = await run.pid;
      try {
        if (p) process.kill(p, 'SIGTERM');
        else run.child.kill('SIGTERM');
      } catch {
        // already gone
      }
      const timer = setTimeout(() => {
        if (p) {
          try {
            process.kill(p, 'SIGKILL');
          } catch {
            // gone
          }
        }
        run.child.stdin?.end();
      }, 5000);
      await run.exited;
      clearTimeout(timer);
    }
    currentPid = null;
    process.removeListener('exit', orphanGuard);
  };
  return {
    uri: `mongodb://127.0.0.1:${port}/`,
    port,
    dataDir,
    pid: () => currentPid,
    restarts: () => restarts,
    onEvent(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    stop,
  };
}
