import { storeHealth } from './db/store-health.js';
import { log } from './logger.js';

/**
 * The process never ends on a store error: an unhandled rejection or uncaught exception that comes from the
 * store (the driver's network or server-selection errors, a pool cleared, a topology closed…) is logged and
 * marks the store down, and the server keeps serving (503 `store_unavailable` until the store is back).
 * Other unhandled rejections are logged; another uncaught exception ends the process (exit 1), and the
 * embedded store goes with it.
 */
export function guardProcess(): void {
  process.on('unhandledRejection', (e: unknown) => {
    if (storeHealth.observe(e)) log.error('store error nobody awaited; still running', { message: String(e) });
    else log.error('unhandled rejection', { message: String(e), stack: (e as Error)?.stack });
  });
  process.on('uncaughtException', (e: Error) => {
    if (storeHealth.observe(e)) {
      log.error('uncaught store error; still running', { message: String(e) });
      return;
    }
    log.error('uncaught exception; exiting', { message: String(e), stack: e?.stack });
    process.exit(1);
  });
}
