import type { Socket } from 'socket.io';
import { errorBody, TooManyRequestsError } from '../errors.js';
import { log } from '../logger.js';

/** What one socket may ask of the server. */
export type SocketLimits = {
  /** Joins and resyncs a socket may make at once (the bucket's size). */
  burst: number;
  /** Joins and resyncs a socket earns back per second (10 per 10 s). */
  refillPerSecond: number;
  /** Refused requests within `windowMs` after which the socket is disconnected as a flood. */
  floodRefusals: number;
  /** Packets of any kind within `windowMs` after which the socket is disconnected as a flood. */
  maxPackets: number;
  windowMs: number;
};

export const SOCKET_LIMITS: SocketLimits = {
  burst: 20,
  refillPerSecond: 1,
  floodRefusals: 50,
  maxPackets: 300,
  windowMs: 10_000,
};

/** A token bucket: `take()` answers null when a token was taken, else the seconds until one is earned. */
export function createTokenBucket(capacity: number, refillPerSecond: number, now: () => number = Date.now) {
  let tokens = capacity;
  let at = now();
  return {
    take(): number | null {
      const t = now();
      tokens = Math.min(capacity, tokens + ((t - at) / 1000) * refillPerSecond);
      at = t;
      if (tokens >= 1) {
        tokens -= 1;
        return null;
      }
      return Math.max(1, Math.ceil((1 - tokens) / refillPerSecond));
    },
  };
}

/** Counts events in fixed windows of `windowMs`. */
function windowCounter(windowMs: number, now: () => number) {
  let start = now();
  let count = 0;
  return (): number => {
    const t = now();
    if (t - start >= windowMs) {
      start = t;
      count = 0;
    }
    return ++count;
  };
}

/**
 * The limits of one socket, applied as its packets arrive, before any handler runs: `events` (joins and
 * resyncs) draw from a token bucket, and one refused is acknowledged at once with `rate_limited` (no work
 * queued); a socket refused more than `floodRefusals` times in a window, or sending more than `maxPackets`
 * packets in one, is disconnected and whatever it sent after is dropped unread.
 */
export function guardSocket(
  socket: Socket,
  events: readonly string[],
  limits: SocketLimits = SOCKET_LIMITS,
  now: () => number = Date.now,
): void {
  const limited = new Set(events);
  const bucket = createTokenBucket(limits.burst, limits.refillPerSecond, now);
  const refusals = windowCounter(limits.windowMs, now);
  const packets = windowCounter(limits.windowMs, now);
  let cut = false;
  const cutOff = (why: string): void => {
    if (cut) return;
    cut = true;
    const user = (socket.data as { actor?: { username?: string } }).actor?.username;
    log.info(`socket ${socket.id} of ${user ?? '?'} disconnected: ${why}`);
    // After the refusal already written has gone out.
    setImmediate(() => socket.disconnect(true));
  };
  socket.use((packet, next) => {
    if (cut) return;
    if (packets() > limits.maxPackets) return cutOff(`more than ${limits.maxPackets} packets in ${limits.windowMs} ms`);
    if (limited.has(String(packet[0]))) {
      const wait = bucket.take();
      if (wait !== null) {
        if (refusals() > limits.floodRefusals) cutOff(`more than ${limits.floodRefusals} refused requests`);
        const ack: unknown = packet.at(-1);
        if (typeof ack === 'function')
          (ack as (r: unknown) => void)(
            errorBody(
              new TooManyRequestsError(
                `Too many joins and resyncs from this connection; try again in ${wait} s.`,
                wait,
                'rate_limited',
              ),
            ),
          );
        return;
      }
    }
    next();
  });
}
