import assert from 'node:assert/strict';
import { io, type Socket } from 'socket.io-client';
import type { BoardSnapshot } from '../../../shared/schemas/board.schema.js';
import { SOCKET_EVENTS, type BoardDelta } from '../../../shared/schemas/live-event.schema.js';
import { BoardFollower, boardEntities, type BoardState } from '../../../shared/live/board-state.js';

/** The instant live tests run at: 10:00 on the seeded day, inside the early shift (07:00–16:00) only. */
export const LIVE_NOW = new Date('2026-11-22T10:00:00Z');

export type LiveClient = {
  socket: Socket;
  deltas: BoardDelta[];
  join: (room: string) => Promise<BoardSnapshot>;
  request: <T = any>(event: string, payload: unknown) => Promise<T>;
  /** Resolves with the first delta matching `pred` (already received or yet to come). */
  next: (pred: (d: BoardDelta) => boolean, timeoutMs?: number) => Promise<BoardDelta>;
  close: () => void;
};

/** A real socket.io client, connected and authenticated; rejects with the server's error body. */
export async function connectLive(url: string, token: string | undefined): Promise<LiveClient> {
  const socket = io(url, {
    auth: token ? { token } : {},
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  await new Promise<void>((ok, fail) => {
    socket.once('connect', () => ok());
    socket.once('connect_error', (e: Error & { data?: unknown }) =>
      fail(Object.assign(new Error(e.message), { data: e.data })),
    );
  });
  const deltas: BoardDelta[] = [];
  const waiters: { pred: (d: BoardDelta) => boolean; ok: (d: BoardDelta) => void }[] = [];
  socket.on(SOCKET_EVENTS.deltas, (batch: BoardDelta[]) => {
    for (const d of batch) {
      deltas.push(d);
      for (const w of [...waiters])
        if (w.pred(d)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.ok(d);
        }
    }
  });
  const request = <T>(event: string, payload: unknown): Promise<T> =>
    socket.timeout(10_000).emitWithAck(event, payload) as Promise<T>;
  return {
    socket,
    deltas,
    request,
    join: (room) => request<BoardSnapshot>(SOCKET_EVENTS.join, { room }),
    next: (pred, timeoutMs = 10_000) => {
      const seen = deltas.find(pred);
      if (seen) return Promise.resolve(seen);
      return new Promise((ok, fail) => {
        const t = setTimeout(() => fail(new Error('no matching delta in time')), timeoutMs);
        waiters.push({ pred, ok: (d) => (clearTimeout(t), ok(d)) });
      });
    },
    close: () => socket.close(),
  };
}

/** A BoardFollower fed by a client's socket; `drop` lets a test lose chosen deltas on purpose. */
export function follow(
  client: LiveClient,
  room: string,
  opts: { drop?: (d: BoardDelta) => boolean; gapWaitMs?: number } = {},
) {
  const follower = new BoardFollower({
    room,
    gapWaitMs: opts.gapWaitMs ?? 200,
    resync: () => client.request<BoardSnapshot>(SOCKET_EVENTS.resync, { room }),
  });
  client.socket.on(SOCKET_EVENTS.deltas, (batch: BoardDelta[]) => {
    for (const d of batch) if (!opts.drop?.(d)) follower.receive(d);
  });
  return follower;
}

export const entitiesOf = (b: BoardState | BoardSnapshot) =>
  'devices' in b && Array.isArray(b.devices)
    ? {
        devices: [...(b as BoardSnapshot).devices].sort((x, y) => x.serial.localeCompare(y.serial)),
        units: [...(b as BoardSnapshot).units].sort((x, y) => x.key.localeCompare(y.key)),
        alerts: [...(b as BoardSnapshot).alerts].sort((x, y) => x.key.localeCompare(y.key)),
      }
    : boardEntities(b as BoardState);

/** Polls until `check` passes or the time is up. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Asserts that a follower's board equals a fresh snapshot once both have caught up: changes may still be
 * in flight when the test looks (a cover recount runs just after the write that caused it).
 */
export async function assertSameBoard(
  follower: { board: BoardState | null },
  freshSnapshot: () => Promise<BoardSnapshot>,
  timeoutMs = 5000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const s = await freshSnapshot();
    await eventually(() => (follower.board?.seq ?? -1) >= s.seq, 2000).catch(() => undefined);
    const now = entitiesOf(s);
    const mine = entitiesOf(follower.board!);
    if (JSON.stringify(now) === JSON.stringify(mine) || Date.now() > end) {
      assert.deepEqual(mine, now);
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
