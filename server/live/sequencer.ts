import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';

/**
 * Per-room delta numbers. An `epoch` names one run of the numbering: when numbers restart (a single
 * server restarted, or Redis lost its data) the epoch changes, and a client holding numbers of another
 * epoch resyncs instead of taking new deltas for old ones.
 */
export type Sequencer = {
  /** Reserves `n` numbers per room in one atomic step; the last number reserved per room. */
  reserve(counts: Map<string, number>): Promise<{ epoch: string; last: Map<string, number> }>;
  /** The last number handed out per room. */
  current(rooms: string[]): Promise<{ epoch: string; seq: Map<string, number> }>;
  /**
   * Claims a one-off job (a shift boundary's deltas, see shift-clock.ts) for this instance: true for the
   * first instance to ask within `ttlMs`, false for the others. In memory (one server) always true.
   */
  claim(key: string, ttlMs: number): Promise<boolean>;
  close(): Promise<void>;
};

/** One server: numbers live in memory, handed out by the broadcaster's single pass, a new epoch per start. */
export function memorySequencer(): Sequencer {
  const epoch = randomUUID().slice(0, 8);
  const counters = new Map<string, number>();
  return {
    reserve(counts) {
      const last = new Map<string, number>();
      for (const [room, n] of counts) {
        const v = (counters.get(room) ?? 0) + n;
        counters.set(room, v);
        last.set(room, v);
      }
      return Promise.resolve({ epoch, last });
    },
    current(rooms) {
      return Promise.resolve({ epoch, seq: new Map(rooms.map((r) => [r, counters.get(r) ?? 0])) });
    },
    claim: () => Promise.resolve(true),
    close: () => Promise.resolve(),
  };
}

const EPOCH_KEY = 'taser:live:epoch';
const seqKey = (room: string): string => `taser:live:seq:${room}`;

/**
 * Several servers: numbers are Redis counters (INCRBY is atomic), so every instance numbers a room from
 * the same sequence. The epoch key is created if missing in the same MULTI as the increments, so a Redis
 * that lost its data starts a new epoch together with its new numbers.
 */
export async function redisSequencer(url: string): Promise<Sequencer> {
  const client = createClient({ url });
  client.on('error', () => undefined);
  await client.connect();
  const candidate = randomUUID().slice(0, 8);
  return {
    async reserve(counts) {
      const rooms = [...counts.keys()];
      const m = client.multi().set(EPOCH_KEY, candidate, { condition: 'NX' }).get(EPOCH_KEY);
      for (const r of rooms) m.incrBy(seqKey(r), counts.get(r)!);
      const replies = (await m.exec()) as unknown[];
      return {
        epoch: String(replies[1]),
        last: new Map(rooms.map((r, i) => [r, Number(replies[i + 2])])),
      };
    },
    async current(rooms) {
      const m = client.multi().set(EPOCH_KEY, candidate, { condition: 'NX' }).get(EPOCH_KEY);
      for (const r of rooms) m.get(seqKey(r));
      const replies = (await m.exec()) as unknown[];
      return {
        epoch: String(replies[1]),
        seq: new Map(rooms.map((r, i) => [r, Number(replies[i + 2] ?? 0)])),
      };
    },
    async claim(key, ttlMs) {
      const ok = await client.set(`taser:live:claim:${key}`, candidate, {
        condition: 'NX',
        expiration: { type: 'PX', value: ttlMs },
      });
      return ok === 'OK';
    },
    async close() {
      await client.close();
    },
  };
}
