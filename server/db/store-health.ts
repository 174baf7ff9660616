import { AppError, StoreUnavailableError } from '../errors.js';
import { log } from '../logger.js';
import { isStoreUnavailable } from './store-errors.js';

/**
 * Why the store is not serving: `store_unavailable` (a store operation failed with a connection-class error,
 * or the driver lost the server), `store_restarting` (the embedded store exited and is being restarted),
 * `store_recovering` (the store answers again; undoing writes whose outcome was unknown and reloading the
 * read model before serving).
 */
export type StoreDownReason = 'store_unavailable' | 'store_restarting' | 'store_recovering';
export type StoreStatus = { ok: true } | { ok: false; reason: StoreDownReason; since: string };

type Hooks = {
  /** Answers when the store is reachable (a ping); rejects or times out when not. */
  ping: () => Promise<void>;
  /** Run in order once the store answers again, before writes are accepted. */
  recovered: (() => Promise<void>)[];
};

/** How long recovery waits for store writes begun before the outage to finish (they fail or succeed). */
const DRAIN_MS = 15_000;
const POLL_MS = 200;

/**
 * The store's health for this process (one per process, like the mongoose connection it watches). Every
 * write goes through `write()`: refused at once (503 `store_unavailable`) while the store is not serving,
 * counted while in flight, and its failure turned into a `StoreUnavailableError` that starts recovery.
 * Writes whose outcome is unknown (the store may have applied them before the connection broke) register an
 * undo, which recovery runs before the read model is reloaded, so a write answered 503 is never applied.
 */
function createStoreHealth() {
  let status: StoreStatus = { ok: true };
  let hooks: Hooks | null = null;
  let inFlight = 0;
  let recovering: Promise<void> | null = null;
  const undo: { what: string; run: () => Promise<void> }[] = [];
  const listeners = new Set<(s: StoreStatus) => void>();
  let recoveries = 0;

  const set = (s: StoreStatus): void => {
    status = s;
    for (const l of listeners) l(s);
  };
  const down = (reason: StoreDownReason): void => {
    if (status.ok || status.reason !== reason)
      set({ ok: false, reason, since: status.ok ? new Date().toISOString() : status.since });
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());

  const recover = async (): Promise<void> => {
    // Store writes begun before the outage finish first (fail, or succeed if the store came back in time),
    // so none lands after the undo and reload below; new ones are refused until the end.
    const drainUntil = Date.now() + DRAIN_MS;
    while (inFlight > 0 && Date.now() < drainUntil) await sleep(20);
    if (inFlight > 0) log.error(`store recovery: ${inFlight} write(s) still in flight after ${DRAIN_MS} ms`);
    for (;;) {
      if (!hooks) return;
      try {
        await hooks.ping();
      } catch {
        if (status.ok || status.reason !== 'store_restarting') down('store_unavailable');
        await sleep(POLL_MS);
        continue;
      }
      down('store_recovering');
      try {
        const undone = undo.length;
        while (undo.length) {
          const u = undo[0]!;
          await u.run();
          undo.shift();
        }
        if (undone) log.info(`store recovery: ${undone} write(s) in doubt undone`);
        recoveryWrites += 1;
        try {
          for (const h of hooks.recovered) await h();
        } finally {
          recoveryWrites -= 1;
        }
      } catch (e) {
        log.error('store recovery failed; trying again', { message: String(e) });
        down('store_unavailable');
        await sleep(POLL_MS);
        continue;
      }
      recoveries += 1;
      log.info('store available again: read model reloaded');
      set({ ok: true });
      return;
    }
  };
  const reportDown = (reason: StoreDownReason = 'store_unavailable'): void => {
    down(reason);
    if (hooks) startRecovery();
  };
  const observe = (e: unknown): boolean => {
    if (!isStoreUnavailable(e)) return false;
    if (status.ok) log.error('store unavailable', { message: String((e as Error)?.message ?? e) });
    reportDown(status.ok ? 'store_unavailable' : status.reason);
    return true;
  };
  let recoveryWrites = 0;
  const assertWritable = (): void => {
    if (status.ok) return;
    // Recovery's own steps (e.g. mending device documents from the log) write while the gate is still shut.
    if (status.reason === 'store_recovering' && recoveryWrites > 0) return;
    throw new StoreUnavailableError();
  };
  const failed = (e: unknown, inDoubt?: { what: string; run: () => Promise<void> }): unknown => {
    if (e instanceof AppError && !(e instanceof StoreUnavailableError)) return e;
    if (inDoubt) undo.push(inDoubt);
    if (!observe(e)) {
      log.error('store write failed', { message: String((e as Error)?.message ?? e) });
      reportDown('store_unavailable');
    }
    return e instanceof StoreUnavailableError ? e : new StoreUnavailableError();
  };
  const startRecovery = (): void => {
    if (recovering) return;
    recovering = recover().finally(() => {
      recovering = null;
      // Failed again while recovering (a write raced the last step): go round once more.
      if (!status.ok) startRecovery();
    });
  };

  return {
    status: (): StoreStatus => status,
    /** How many times the store has been recovered in this process. */
    recoveries: () => recoveries,
    /** Told of every change of status. */
    onChange(l: (s: StoreStatus) => void): () => void {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    /** Wires the checks and recovery steps of the running server; `null` detaches them (server closed). */
    attach(h: Hooks | null): void {
      hooks = h;
      // A server attaching has just connected and loaded; one detaching is closing.
      status = { ok: true };
      if (!h) undo.length = 0;
    },
    /** The store is known to be down (`reason`); recovery starts and polls until it answers. */
    reportDown,
    /** Inspects an error from the store: a connection-class one marks the store down. True if it did. */
    observe,
    /** Refuses at once while the store is not serving. */
    assertWritable,
    /**
     * Runs one write: refused while the store is not serving; any failure that is not the caller's own
     * `AppError` is a `StoreUnavailableError` (and starts recovery). `inDoubt` is the undo of this write,
     * registered when its outcome is unknown.
     */
    async write<T>(fn: () => Promise<T>, inDoubt?: { what: string; run: () => Promise<void> }): Promise<T> {
      assertWritable();
      inFlight += 1;
      try {
        return await fn();
      } catch (e) {
        throw failed(e, inDoubt);
      } finally {
        inFlight -= 1;
      }
    },
    /**
     * A write failed with `e`: an application error (e.g. a duplicate turned into a 409) passes; anything else
     * registers `inDoubt` (the write may have landed), marks the store down and becomes a
     * `StoreUnavailableError`.
     */
    failed,
    /** Counts a write made outside `write()` (a record waiting in the group commit) while it is in flight. */
    track(): () => void {
      inFlight += 1;
      let done = false;
      return () => {
        if (!done) inFlight -= 1;
        done = true;
      };
    },
    /** Registers the undo of a write whose outcome is unknown. */
    inDoubt(u: { what: string; run: () => Promise<void> }): void {
      undo.push(u);
    },
    /** Undos waiting for the store (tests, health). */
    pendingUndo: () => undo.length,
    /** Resolves once the store is serving (or after `timeoutMs`). */
    async whenOk(timeoutMs = 30_000): Promise<boolean> {
      const until = Date.now() + timeoutMs;
      while (!status.ok && Date.now() < until) await sleep(20);
      return status.ok;
    },
  };
}

export const storeHealth = createStoreHealth();
export type StoreHealth = typeof storeHealth;

/**
 * What a failure becomes for a client (REST and socket acknowledgements alike): a connection-class error of
 * the driver or of mongoose (network, server selection, pool cleared, topology closed, buffering timeout…)
 * is a `StoreUnavailableError` (503 `store_unavailable`, retryable), and the store is marked down so
 * recovery starts; application errors and anything else pass unchanged.
 */
export function asClientError(err: unknown): unknown {
  if (err instanceof AppError) return err;
  if (storeHealth.observe(err)) return new StoreUnavailableError();
  return err;
}
