// Starts one embedded FerretDB for the whole run (each test file uses its own database on it), runs
// node's test runner over tests/**/*.test.ts, then stops the store. TEST_CONCURRENCY sets parallel files.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { startEmbeddedStore } from '../server/db/embedded-store.js';

const root = process.cwd();
const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.test.ts') ? [p] : [];
  });

const files =
  process.argv.length > 2
    ? process.argv.slice(2)
    : walk(join(root, 'tests'))
        .map((p) => relative(root, p))
        .sort();
const dataDir = mkdtempSync(join(tmpdir(), 'taser-test-db-'));
const store = process.env.MONGODB_URI ? undefined : await startEmbeddedStore(dataDir);
const uri = process.env.MONGODB_URI ?? store!.uri;

const code = await new Promise<number>((ok) => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--test', `--test-concurrency=${process.env.TEST_CONCURRENCY ?? '2'}`, ...files],
    { stdio: 'inherit', env: { ...process.env, TEST_MONGODB_URI: uri, LOG_LEVEL: process.env.LOG_LEVEL ?? 'error' } },
  );
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => child.kill(sig));
  child.on('exit', (c) => ok(c ?? 1));
});
await store?.stop();
rmSync(dataDir, { recursive: true, force: true });
process.exit(code);
