import type { Server } from 'socket.io';
import { SOCKET_EVENTS, type BoardDelta } from '../../shared/schemas/live-event.schema.js';
import { placeOf, type DomainEvent, type EventBus } from '../events/domain-events.js';
import { log } from '../logger.js';
import { sequenceRepository } from '../repositories/live.repository.js';
import { roomsFor } from './rooms.js';

/**
 * The one place that decides who hears what. Events queue in publish order; each pass takes everything
 * queued, reserves per-room numbers for the whole batch with one atomic `$inc` on the force's sequence
 * document (shared by every instance), then emits the batch in number order. Only one pass runs at a
 * time, so one instance never emits a room's numbers out of order; through the Redis adapter the emits
 * reach sockets on every instance.
 */
export function createBroadcaster(io: Server, bus: EventBus) {
  let queue: DomainEvent[] = [];
  let running: Promise<void> | null = null;

  const emitBatch = async (batch: DomainEvent[]): Promise<void> => {
    const byForce = new Map<string, { event: DomainEvent; rooms: string[] }[]>();
    for (const event of batch) {
      const place = placeOf(event);
      const list = byForce.get(place.force) ?? [];
      list.push({ event, rooms: roomsFor(place) });
      byForce.set(place.force, list);
    }
    for (const [force, items] of byForce) {
      const counts = new Map<string, number>();
      for (const { rooms } of items) for (const r of rooms) counts.set(r, (counts.get(r) ?? 0) + 1);
      let last: Map<string, number>;
      try {
        last = await reserveWithRetry(force, counts);
      } catch (e) {
        // Without numbers the deltas cannot be sent safely; every client of these rooms must resync.
        log.error('could not number live deltas; asking clients to resync', { message: String(e) });
        for (const room of counts.keys()) io.to(room).emit(SOCKET_EVENTS.reset, { room });
        continue;
      }
      const next = new Map([...counts].map(([room, n]) => [room, (last.get(room) ?? n) - n + 1]));
      for (const { event, rooms } of items) {
        for (const room of rooms) {
          const seq = next.get(room)!;
          next.set(room, seq + 1);
          const delta: BoardDelta = { room, seq, event };
          io.to(room).emit(SOCKET_EVENTS.delta, delta);
        }
      }
    }
  };

  const pump = async (): Promise<void> => {
    while (queue.length) {
      const batch = queue;
      queue = [];
      await emitBatch(batch);
    }
  };

  const kick = (): void => {
    if (running) return;
    running = (async () => {
      try {
        await pump();
      } catch (err) {
        log.error('broadcast failed', { message: String(err) });
      } finally {
        running = null;
      }
      if (queue.length) kick();
    })();
  };

  const unsubscribe = bus.subscribe((e) => {
    queue.push(e);
    kick();
  });

  return {
    /** Stops listening and waits for what is queued to go out. */
    async stop(): Promise<void> {
      unsubscribe();
      while (running) await running;
    },
    /** Resolves when everything published so far has been emitted. */
    async idle(): Promise<void> {
      while (running) await running;
    },
  };
}

async function reserveWithRetry(force: string, counts: Map<string, number>): Promise<Map<string, number>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await sequenceRepository.reserve(force, counts);
    } catch (e) {
      if (attempt >= 3) throw e;
      await new Promise((r) => setTimeout(r, 50 * attempt));
    }
  }
}
