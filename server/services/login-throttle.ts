/** How one kind of key (an account, an address) is throttled. */
export type ThrottleRule = {
  /** Failures allowed before the first delay. */
  freeFailures: number;
  /** The delay after the `freeFailures`-th failure; each further failure doubles it. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A key with no failure for this long starts afresh. */
  forgetMs: number;
};

/** Per account: 5 failures, then 1 s, 2 s, 4 s ... up to 15 minutes. */
export const ACCOUNT_RULE: ThrottleRule = {
  freeFailures: 5,
  baseDelayMs: 1000,
  maxDelayMs: 15 * 60_000,
  forgetMs: 60 * 60_000,
};
/** Per address: more room (several people share an office address), the same doubling after. */
export const ADDRESS_RULE: ThrottleRule = {
  freeFailures: 20,
  baseDelayMs: 1000,
  maxDelayMs: 15 * 60_000,
  forgetMs: 60 * 60_000,
};
/** Keys held at most; the oldest idle ones go first, so a flood of made-up usernames cannot grow memory. */
export const MAX_THROTTLE_KEYS = 50_000;

type Entry = { failures: number; lockedUntil: number; lastFailure: number; inflight: number };

/** What `begin` answers: go ahead (then report the outcome once), or wait this many seconds. */
export type Attempt =
  | { ok: true; fail(): void; succeed(): void; cancel(): void }
  | { ok: false; retryAfterSeconds: number; key: 'account' | 'address' };

/**
 * Login throttling, in memory (one server instance; with several, each counts its own). An attempt is
 * refused before any password is hashed when its account or address is locked, or, once at the failure
 * limit, while another attempt of the same key is still being checked (so parallel guesses cannot slip
 * through together). A success clears the account's record, never the address's.
 */
export function createLoginThrottle(
  clock: () => Date,
  rules: { account: ThrottleRule; address: ThrottleRule } = { account: ACCOUNT_RULE, address: ADDRESS_RULE },
  maxKeys = MAX_THROTTLE_KEYS,
) {
  const entries = new Map<string, Entry>();

  const entryOf = (key: string, rule: ThrottleRule, now: number): Entry => {
    let e = entries.get(key);
    if (e && e.inflight === 0 && e.lockedUntil <= now && now - e.lastFailure > rule.forgetMs) {
      entries.delete(key);
      e = undefined;
    }
    if (!e) {
      if (entries.size >= maxKeys) {
        for (const [k, old] of entries) {
          if (entries.size < maxKeys) break;
          if (old.inflight === 0) entries.delete(k);
        }
      }
      e = { failures: 0, lockedUntil: 0, lastFailure: 0, inflight: 0 };
      entries.set(key, e);
    }
    return e;
  };

  const wait = (e: Entry, rule: ThrottleRule, now: number): number | null => {
    if (e.lockedUntil > now) return Math.ceil((e.lockedUntil - now) / 1000);
    if (e.failures + e.inflight >= rule.freeFailures && e.inflight > 0) return 1;
    return null;
  };

  const failed = (e: Entry, rule: ThrottleRule, now: number): void => {
    e.inflight = Math.max(0, e.inflight - 1);
    e.failures += 1;
    e.lastFailure = now;
    if (e.failures >= rule.freeFailures) {
      const delay = Math.min(rule.maxDelayMs, rule.baseDelayMs * 2 ** Math.min(30, e.failures - rule.freeFailures));
      e.lockedUntil = Math.max(e.lockedUntil, now + delay);
    }
  };

  return {
    /** Starts a login attempt for `account` from `address`. */
    begin(account: string, address: string): Attempt {
      const now = clock().getTime();
      const a = entryOf(`account:${account.toLowerCase()}`, rules.account, now);
      const b = entryOf(`address:${address}`, rules.address, now);
      const waitA = wait(a, rules.account, now);
      if (waitA !== null) return { ok: false, retryAfterSeconds: waitA, key: 'account' };
      const waitB = wait(b, rules.address, now);
      if (waitB !== null) return { ok: false, retryAfterSeconds: waitB, key: 'address' };
      a.inflight += 1;
      b.inflight += 1;
      let done = false;
      return {
        ok: true,
        fail() {
          if (done) return;
          done = true;
          const at = clock().getTime();
          failed(a, rules.account, at);
          failed(b, rules.address, at);
        },
        succeed() {
          if (done) return;
          done = true;
          entries.delete(`account:${account.toLowerCase()}`);
          b.inflight = Math.max(0, b.inflight - 1);
        },
        /** The attempt could not be judged (store down, server busy): counted neither way. */
        cancel() {
          if (done) return;
          done = true;
          a.inflight = Math.max(0, a.inflight - 1);
          b.inflight = Math.max(0, b.inflight - 1);
        },
      };
    },
    /** Keys currently held (for tests and health). */
    size: (): number => entries.size,
  };
}
export type LoginThrottle = ReturnType<typeof createLoginThrottle>;

/**
 * Runs CPU-heavy work (bcrypt) one job at a time: bcryptjs hashes on the event loop, so thirty in parallel
 * hold every other request for seconds, while one at a time gives the same throughput and leaves room for
 * other requests between hashes. A queue longer than `maxQueued` is refused at once.
 */
export function createWorkQueue(concurrency = 1, maxQueued = 100) {
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = (): void => {
    running -= 1;
    const next = waiting.shift();
    if (next) {
      running += 1;
      next();
    }
  };
  return {
    /** Runs `job` when a slot is free; null when the queue is full. */
    run<T>(job: () => Promise<T>): Promise<T> | null {
      if (running >= concurrency && waiting.length >= maxQueued) return null;
      const start = async (): Promise<T> => {
        try {
          return await job();
        } finally {
          release();
        }
      };
      if (running < concurrency) {
        running += 1;
        return start();
      }
      return new Promise<void>((ok) => waiting.push(ok)).then(start);
    },
  };
}
