import type { Socket } from 'socket.io';
import { unitOfRoom } from '../../shared/schemas/board.schema.js';
import { SOCKET_EVENTS } from '../../shared/schemas/live-event.schema.js';
import type { Actor } from '../../shared/schemas/user.schema.js';
import { log } from '../logger.js';
import type { Services } from '../services/index.js';

const BOARD_ROOM = /^(force|bcu|borough|station):/;

/**
 * Keeps open sockets in step with their users: when a user is written (here or, through the live channel,
 * on another instance), each of that user's sockets is judged again at once. A token no longer valid
 * (session version moved on, user deleted) disconnects the socket; otherwise the socket takes the user's
 * new role and scope and leaves every board room it may no longer hear.
 */
export function watchSessions(services: Services) {
  const byUser = new Map<string, Set<Socket>>();

  const recheck = async (socket: Socket): Promise<void> => {
    const token = (socket.handshake.auth as { token?: string }).token;
    let actor: Actor;
    try {
      actor = await services.auth.authenticate(token);
    } catch {
      socket.disconnect(true);
      return;
    }
    (socket.data as { actor: Actor }).actor = actor;
    for (const room of [...socket.rooms]) {
      if (!BOARD_ROOM.test(room)) continue;
      try {
        await services.live.board.authorise(actor, unitOfRoom(room));
      } catch {
        await socket.leave(room);
        // The client's follower resyncs on a reset and meets the refusal, so the board says why it stopped.
        socket.emit(SOCKET_EVENTS.reset, { room });
      }
    }
  };

  const unsubscribe = services.reference.onInvalidate((noun, key) => {
    if (noun !== 'user') return;
    const sockets = key === undefined ? [...byUser.values()].flatMap((s) => [...s]) : [...(byUser.get(key) ?? [])];
    for (const socket of sockets)
      recheck(socket).catch((e: unknown) => log.error('socket session re-check failed', { message: String(e) }));
  });

  return {
    /** Follows a connected socket until it disconnects. */
    add(socket: Socket, username: string): void {
      let set = byUser.get(username);
      if (!set) byUser.set(username, (set = new Set()));
      set.add(socket);
      socket.once('disconnect', () => {
        set.delete(socket);
        if (!set.size && byUser.get(username) === set) byUser.delete(username);
      });
    },
    stop: unsubscribe,
  };
}
