// Shared first-run steps for `npm start` and `npm test`: plain Node, no dependencies, so it runs on a
// fresh clone before anything is installed.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write(`\n\`${cmd} ${args.join(' ')}\` failed (exit ${r.status ?? r.signal}).\n`);
    process.exit(r.status ?? 1);
  }
};

const newestMtime = (dir) => {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    newest = Math.max(newest, s.isDirectory() ? newestMtime(p) : s.mtimeMs);
  }
  return newest;
};

/** Installs npm dependencies (and, through postinstall, the embedded database) and builds the client. */
export function ensureReady({ needDatabase = !process.env.MONGODB_URI } = {}) {
  if (!existsSync(join(ROOT, 'node_modules', '.package-lock.json'))) {
    process.stderr.write('First run: installing dependencies...\n');
    run('npm', ['install', '--no-audit', '--no-fund']);
  }
  // install-tools exits at once when the binary is there and built as it says; otherwise it (re)builds it.
  if (needDatabase) run('node', ['scripts/install-tools.mjs']);
  const index = join(ROOT, 'dist', 'client', 'index.html');
  if (!existsSync(index) || newestMtime(join(ROOT, 'client')) > statSync(index).mtimeMs) {
    process.stderr.write('Building the web client...\n');
    run('npx', ['vite', 'build', 'client', '--logLevel', 'warn']);
  }
}
