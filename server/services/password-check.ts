import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import bcrypt from 'bcryptjs';
import { log } from '../logger.js';

// Plain CommonJS, so the worker needs no TypeScript loader: bcryptjs's UMD build, compareSync per message.
const workerSource = (bcryptPath: string): string => `
const { parentPort } = require('node:worker_threads');
const bcrypt = require(${JSON.stringify(bcryptPath)});
parentPort.on('message', ({ id, password, hash }) => {
  let ok = false;
  try { ok = bcrypt.compareSync(password, hash); } catch { ok = false; }
  parentPort.postMessage({ id, ok });
});`;

/**
 * Checks passwords against bcrypt hashes in a worker thread, so the CPU a check costs (tens of ms, and
 * hundreds on a busy machine) never holds the event loop that serves everyone else. The worker starts on
 * first use and again after a crash; if it cannot start, checks run on the main thread as before.
 */
export function createPasswordChecker() {
  let worker: Worker | null = null;
  let broken = false;
  let nextId = 1;
  const pending = new Map<number, { ok: (v: boolean) => void; fail: (e: Error) => void }>();

  const failAll = (e: Error): void => {
    for (const p of pending.values()) p.fail(e);
    pending.clear();
  };
  const start = (): Worker | null => {
    if (worker) return worker;
    if (broken) return null;
    try {
      const path = createRequire(import.meta.url).resolve('bcryptjs');
      const w = new Worker(workerSource(path), { eval: true });
      w.on('message', (m: { id: number; ok: boolean }) => {
        const p = pending.get(m.id);
        pending.delete(m.id);
        if (!pending.size) w.unref();
        p?.ok(m.ok);
      });
      w.on('error', (e) => {
        log.error('password worker failed', { message: String(e) });
        worker = null;
        failAll(e);
      });
      w.on('exit', () => {
        if (worker === w) worker = null;
        failAll(new Error('password worker exited'));
      });
      // Held open only while a check is pending (listeners added above ref it: unref last).
      w.unref();
      worker = w;
      return w;
    } catch (e) {
      log.error('password worker could not start; checking on the main thread', { message: String(e) });
      broken = true;
      return null;
    }
  };

  return {
    /** True when `password` matches `hash`. */
    compare(password: string, hash: string): Promise<boolean> {
      const w = start();
      if (!w) return bcrypt.compare(password, hash);
      const id = nextId++;
      return new Promise<boolean>((ok, fail) => {
        if (!pending.size) w.ref();
        pending.set(id, { ok, fail });
        w.postMessage({ id, password, hash });
      });
    },
    async close(): Promise<void> {
      const w = worker;
      worker = null;
      broken = true;
      if (w) await w.terminate();
    },
  };
}
export type PasswordChecker = ReturnType<typeof createPasswordChecker>;
