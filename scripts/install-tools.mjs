#!/usr/bin/env node
// Builds the embedded database (FerretDB v1.24.2, SQLite backend) from its Go module into .tools/bin.
// Runs as npm's postinstall, so `npm install` / `npm start` / `npm test` on a fresh clone get it.
// Set SKIP_TOOLS=1 to skip (e.g. when MONGODB_URI points at a real server).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MODULE = 'github.com/FerretDB/FerretDB';
const VERSION = 'v1.24.2';
const binDir = join(root, '.tools', 'bin');
const target = join(binDir, 'ferretdb');
// What the binary was built from: a binary without this stamp (or with another) is rebuilt.
const BUILD = `${VERSION}+sqlite-id-index`;
const stamp = join(binDir, 'ferretdb.build');

const built = existsSync(target) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === BUILD;
if (process.env.SKIP_TOOLS === '1' || built) process.exit(0);
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
// One fix to FerretDB's SQLite backend: it looks documents up by `_ferretdb_sjson->'$._id'` while its unique
// `_id` index is on `_ferretdb_sjson->"_id"`; SQLite uses an expression index only for the same expression,
// so every find, update and delete by `_id` scanned the whole table (a live log of 1M records: seconds
// each). The lookup is made to use the index's own expression (same value, now an index search).
const metadataGo = join(src, 'internal', 'backends', 'sqlite', 'metadata', 'metadata.go');
const before = readFileSync(metadataGo, 'utf8');
const after = before.replace(`IDColumn = DefaultColumn + "->'$._id'"`, 'IDColumn = DefaultColumn + `->"_id"`');
if (after === before) throw new Error(`FerretDB ${VERSION}: the _id lookup expression to fix was not found`);
writeFileSync(metadataGo, after);
go(['build', '-trimpath', '-o', target, './cmd/ferretdb'], { cwd: src, env: { ...process.env, GOFLAGS: '-mod=mod' } });
rmSync(src, { recursive: true, force: true });
writeFileSync(stamp, `${BUILD}\n`);
log(`FerretDB ready at ${target}`);
