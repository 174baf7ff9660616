#!/usr/bin/env node
// Builds the embedded database (FerretDB v1.24.2, SQLite backend) from its Go module into .tools/bin.
// Runs as npm's postinstall, so `npm install` / `npm start` / `npm test` on a fresh clone get it.
// Set SKIP_TOOLS=1 to skip (e.g. when MONGODB_URI points at a real server).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MODULE = 'github.com/FerretDB/FerretDB';
const VERSION = 'v1.24.2';
const binDir = join(root, '.tools', 'bin');
const target = join(binDir, 'ferretdb');

if (process.env.SKIP_TOOLS === '1' || existsSync(target)) process.exit(0);
mkdirSync(binDir, { recursive: true });
const log = (m) => process.stderr.write(`[install-tools] ${m}\n`);

function go(args, opts = {}) {
  return execFileSync('go', args, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', ...opts });
}

try {
  go(['version']);
} catch {
  log('Go is not installed: the embedded FerretDB cannot be built. Install Go or set MONGODB_URI.');
  process.exit(0);
}

log(`building FerretDB ${VERSION} from its Go module (first run only, a few minutes)...`);
try {
  go(['install', '-trimpath', `${MODULE}/cmd/ferretdb@${VERSION}`], { env: { ...process.env, GOBIN: binDir } });
} catch {
  // `go install mod@version` also asks the proxy for the module's version list (for a deprecation
  // notice); where that list is refused, fetch the exact version and build it inside its own module.
  log('go install failed; building the same module version from the module cache instead');
  const info = JSON.parse(go(['mod', 'download', '-json', `${MODULE}@${VERSION}`]));
  go(['build', '-trimpath', '-o', target, './cmd/ferretdb'], { cwd: info.Dir });
}
log(`FerretDB ready at ${target}`);
