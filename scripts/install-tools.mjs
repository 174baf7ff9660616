#!/usr/bin/env node
// Builds the embedded database (FerretDB v1.24.2, SQLite backend) from its Go module into .tools/bin.
// Runs as npm's postinstall, so `npm install` / `npm start` / `npm test` on a fresh clone get it.
// Set SKIP_TOOLS=1 to skip (e.g. when MONGODB_URI points at a real server).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
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

log(`building FerretDB ${VERSION} from its Go module (first run only, about two minutes)...`);
// `go install ${MODULE}/cmd/ferretdb@${VERSION}` cannot be used as it is: the module zip lacks the generated
// build/version/version.txt, so that binary panics at start, and here the proxy also refuses the version
// list that `go install` asks for. So: fetch exactly that module version through the Go module proxy, copy
// it to a writable folder, write the version file FerretDB's own build task would write, and build it.
const info = JSON.parse(go(['mod', 'download', '-json', `${MODULE}@${VERSION}`]));
const src = join(root, '.tools', 'src', `ferretdb-${VERSION}`);
rmSync(src, { recursive: true, force: true });
cpSync(info.Dir, src, { recursive: true });
execFileSync('chmod', ['-R', 'u+w', src]);
writeFileSync(join(src, 'build', 'version', 'version.txt'), `${VERSION}\n`);
go(['build', '-trimpath', '-o', target, './cmd/ferretdb'], { cwd: src, env: { ...process.env, GOFLAGS: '-mod=mod' } });
rmSync(src, { recursive: true, force: true });
log(`FerretDB ready at ${target}`);
