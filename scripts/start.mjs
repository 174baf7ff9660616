#!/usr/bin/env node
// `npm start`: installs what is missing on first run, then runs the server (PORT, default 3000).
import { spawn } from 'node:child_process';
import { ensureReady, ROOT } from './bootstrap.mjs';

ensureReady();
const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: ROOT, stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
