import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { log } from '../logger.js';
import type { DomainEvent } from '../events/domain-events.js';

/**
 * What one instance tells the others so their read models follow its writes: a committed domain event
 * (with the officer custody claim number it took, if any), or a reference-data write to invalidate.
 */
export type LiveMessage =
  | { kind: 'event'; origin: string; event: DomainEvent; officerClaim?: { officer: string; seq: number } }
  | { kind: 'invalidate'; origin: string; noun: string; key?: string }
  | { kind: 'barrier'; origin: string; token: string };

export type LiveChannel = {
  /** This instance's name on the channel. */
  origin: string;
  /** Sends to the other instances; resolves once Redis has taken it (so it is ordered before later commands). */
  publish(m: LiveMessage): Promise<void>;
  /** Messages from the other instances, in the order Redis published them. */
  onMessage(h: (m: LiveMessage) => void): void;
  /**
   * Resolves once every message published (by anyone) before this call has been received here: publishes a
   * token and waits for it to come back, as Redis delivers one channel's messages in publish order.
   */
  barrier(): Promise<void>;
  close(): Promise<void>;
};

/** One instance: nobody to tell. */
export function localChannel(): LiveChannel {
  return {
    origin: randomUUID().slice(0, 8),
    publish: () => Promise.resolve(),
    onMessage: () => undefined,
    barrier: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}

const CHANNEL = 'taser:live:events';

/** Several instances: a Redis pub/sub channel shared by all of them. */
export async function redisChannel(url: string): Promise<LiveChannel> {
  const origin = randomUUID().slice(0, 8);
  const pub = createClient({ url });
  const sub = pub.duplicate();
  for (const c of [pub, sub]) c.on('error', (e: unknown) => log.error('live channel error', { message: String(e) }));
  await Promise.all([pub.connect(), sub.connect()]);
  const handlers: ((m: LiveMessage) => void)[] = [];
  const barriers = new Map<string, () => void>();
  await sub.subscribe(CHANNEL, (raw: string) => {
    let m: LiveMessage;
    try {
      m = JSON.parse(raw) as LiveMessage;
    } catch {
      return;
    }
    if (m.kind === 'barrier') {
      if (m.origin === origin) barriers.get(m.token)?.();
      return;
    }
    if (m.origin === origin) return;
    for (const h of handlers) {
      try {
        h(m);
      } catch (e) {
        log.error('live channel handler failed', { message: String(e) });
      }
    }
  });
  return {
    origin,
    async publish(m) {
      await pub.publish(CHANNEL, JSON.stringify(m));
    },
    onMessage(h) {
      handlers.push(h);
    },
    async barrier() {
      const token = randomUUID();
      const arrived = new Promise<void>((ok) => barriers.set(token, ok));
      const timeout = new Promise<void>((ok) => setTimeout(ok, 2000).unref());
      await pub.publish(CHANNEL, JSON.stringify({ kind: 'barrier', origin, token } satisfies LiveMessage));
      await Promise.race([arrived, timeout]);
      barriers.delete(token);
    },
    async close() {
      await Promise.allSettled([sub.close(), pub.close()]);
    },
  };
}
