#!/usr/bin/env node
// `npm test`: installs what is missing on first run, then runs the whole suite against a real embedded
// FerretDB started for this run (see scripts/run-tests.ts). Pass file paths to run only those.
import { spawn } from 'node:child_process';
import { ensureReady, ROOT } from './bootstrap.mjs';

ensureReady({ needDatabase: !process.env.MONGODB_URI });
const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/run-tests.ts', ...process.argv.slice(2)], {
  cwd: ROOT,
  stdio: 'inherit',
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 1));
