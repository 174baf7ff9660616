import { randomBytes } from 'node:crypto';
import { after, before } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnv, type Env } from '../../../server/config/env.js';
import { startEmbeddedStore, type EmbeddedStore } from '../../../server/db/embedded-store.js';
import { seedDemo } from '../../../server/db/seed.js';
import { DEMO_ACCOUNTS } from '../../../server/db/demo-force.js';
import { startServer, type RunningServer } from '../../../server/server.js';
import type { Timer } from '../../../server/live/shift-clock.js';

/** The day the seeded demo force is built around in tests, so every run sees the same data. */
export const TEST_NOW = new Date('2026-11-22T12:00:00Z');

let ownStore: EmbeddedStore | undefined;

/**
 * The embedded FerretDB the test run started (TEST_MONGODB_URI, set by `npm test`), or, when a file
 * is run on its own, one started for this process.
 */
export async function testDatabaseUri(): Promise<string> {
  if (process.env.TEST_MONGODB_URI) return process.env.TEST_MONGODB_URI;
  if (!ownStore) {
    const dir = mkdtempSync(join(tmpdir(), 'taser-test-own-'));
    ownStore = await startEmbeddedStore(dir);
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return ownStore.uri;
}

export type TestServer = RunningServer & { env: Env; dbName: string; stop: () => Promise<void> };

/** A real server on a free port, on its own fresh database, with the BCU demo force seeded unless told not. */
export async function startTestServer(
  opts: {
    seed?: boolean;
    dbName?: string;
    env?: Record<string, string>;
    clock?: () => Date;
    timer?: Timer;
  } = {},
): Promise<TestServer> {
  const dbName = opts.dbName ?? `t_${randomBytes(6).toString('hex')}`;
  const env = loadEnv({
    PORT: '0',
    MONGODB_URI: await testDatabaseUri(),
    DB_NAME: dbName,
    SEED_DEMO: '0',
    LOG_LEVEL: 'error',
    JWT_SECRET: 'test-secret-test-secret-test-secret',
    // Off unless a test turns it on: a sweep at an arbitrary moment would add alerts to exact expectations.
    COVER_SWEEP_SECONDS: '0',
    // Off likewise: a test that wants closed days aggregated calls `services.cover.close()` itself.
    COVER_CLOSE_SECONDS: '0',
    // Off: tests script the live log straight into the store, past the read model the window listens to.
    COVER_WINDOW_DAYS: '0',
    ...opts.env,
  });
  const server = await startServer(env, { clock: opts.clock, ...(opts.timer ? { timer: opts.timer } : {}) });
  if (opts.seed !== false && !opts.dbName) await seedDemo({ scale: 'bcu', now: TEST_NOW });
  return {
    ...server,
    env,
    dbName,
    stop: async () => {
      await server.close();
    },
  };
}

/**
 * Starts a seeded test server before the file's tests (then runs `ready` with it) and stops it, and the
 * store this process started, after them. Returns a getter for the server.
 */
export function useTestServer(
  opts: Parameters<typeof startTestServer>[0] = {},
  ready?: (server: TestServer) => Promise<void>,
): () => TestServer {
  let server: TestServer | undefined;
  before(async () => {
    server = await startTestServer(opts);
    await ready?.(server);
  });
  after(async () => {
    await server?.stop();
    await stopOwnStore();
  });
  return () => server!;
}

/** Stops the store this process started, if any (call in a top-level `after`). */
export async function stopOwnStore(): Promise<void> {
  await ownStore?.stop();
  ownStore = undefined;
}

export const demoPassword = (username: string): string => {
  const a = DEMO_ACCOUNTS.find((x) => x.username === username);
  if (!a) throw new Error(`no demo account ${username}`);
  return a.password;
};

export type Reply<T = any> = { status: number; body: T };

/** A JSON request against the test server. */
export async function call<T = any>(
  server: { url: string },
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.raw !== undefined) body = opts.raw;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  const res = await fetch(`${server.url}/api${path}`, { method, headers, body });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as T) : (undefined as T) };
}

/** Logs in as a demo account and returns its bearer token. */
export async function loginAs(server: { url: string }, username: string): Promise<string> {
  const r = await call<{ token: string }>(server, 'POST', '/auth/login', {
    body: { username, password: demoPassword(username) },
  });
  if (r.status !== 200) throw new Error(`login ${username} failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.token;
}
