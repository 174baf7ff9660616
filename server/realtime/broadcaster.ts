import type { Server } from 'socket.io';
import { SOCKET_EVENTS, type BoardDelta } from '../../shared/schemas/live-event.schema.js';
import { placeOf, type DomainEvent, type EventBus } from '../events/domain-events.js';
import { log } from '../logger.js';
import { roomsFor } from './rooms.js';
import type { Sequencer } from '../live/sequencer.js';

/**
 * The one place that decides who hears what. Events queue in publish order; each pass waits `batchMs` for
 * more, takes everything queued, reserves per-room numbers for the whole batch in one step of the sequencer
 * (in memory on one server, Redis INCRBY across several), then emits each room's deltas of the batch, in
 * number order, as one packet. Only one pass runs at a
 * time, so one instance never emits a room's numbers out of order; through the Redis adapter the emits
 * reach sockets on every instance.
 */
export function createBroadcaster(io: Server, bus: EventBus, sequencer: Sequencer, opts: { batchMs?: number } = {}) {
  let queue: DomainEvent[] = [];
  let running: Promise<void> | null = null;

  const emitBatch = async (batch: DomainEvent[]): Promise<void> => {
    const items = batch.map((event) => ({ event, rooms: roomsOfEvent(event) }));
    const counts = new Map<string, number>();
    for (const { rooms } of items) for (const r of rooms) counts.set(r, (counts.get(r) ?? 0) + 1);
    let reserved: { epoch: string; last: Map<string, number> };
    try {
      reserved = await reserveWithRetry(sequencer, counts);
    } catch (e) {
      // Without numbers the deltas cannot be sent safely; every client of these rooms must resync.
      log.error('could not number live deltas; asking clients to resync', { message: String(e) });
      for (const room of counts.keys()) io.to(room).emit(SOCKET_EVENTS.reset, { room });
      return;
    }
    const { epoch, last } = reserved;
    const next = new Map([...counts].map(([room, n]) => [room, (last.get(room) ?? n) - n + 1]));
    const byRoom = new Map<string, BoardDelta[]>();
    for (const { event, rooms } of items) {
      for (const room of rooms) {
        const seq = next.get(room)!;
        next.set(room, seq + 1);
        let list = byRoom.get(room);
        if (!list) byRoom.set(room, (list = []));
        list.push({ room, epoch, seq, event });
      }
    }
    for (const [room, deltas] of byRoom) io.to(room).emit(SOCKET_EVENTS.deltas, deltas);
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
        // Gather what else comes in the next few milliseconds: fewer, larger packets per room.
        if (opts.batchMs) await new Promise((r) => setTimeout(r, opts.batchMs));
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

/** The rooms an event goes to: those of its place, and for a published plan each of its stations' rooms. */
export function roomsOfEvent(event: DomainEvent): string[] {
  const rooms = roomsFor(placeOf(event));
  if (event.type === 'plan.published' || event.type === 'shift.boundary')
    for (const s of event.stations) if (!rooms.includes(`station:${s}`)) rooms.push(`station:${s}`);
  return rooms;
}

async function reserveWithRetry(sequencer: Sequencer, counts: Map<string, number>) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await sequencer.reserve(counts);
    } catch (e) {
      if (attempt >= 3) throw e;
      await new Promise((r) => setTimeout(r, 50 * attempt));
    }
  }
}
