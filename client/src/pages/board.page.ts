import { html, nothing } from 'lit-html';
import { live } from 'lit-html/directives/live.js';
import { repeat } from 'lit-html/directives/repeat.js';
import { io, type Socket } from 'socket.io-client';
import { can } from '../../../shared/auth/permissions.js';
import { BoardFollower, summariseBoard, type BoardState } from '../../../shared/live/board-state.js';
import {
  roomOf,
  SettableUnitStatusSchema,
  type BoardSnapshot,
  type UnitLive,
} from '../../../shared/schemas/board.schema.js';
import type { ErrorBody } from '../../../shared/schemas/common.schema.js';
import { SOCKET_EVENTS, type BoardDelta } from '../../../shared/schemas/live-event.schema.js';
import type { OrgView } from '../../../shared/schemas/org.schema.js';
import { api, errorText, expireSession, isAbort, isSessionRefusal, session } from '../api.js';
import { fmtDay, fmtTime } from '../format.js';
import { definePage, type Page } from '../page.js';
import { unitsWithin } from '../units.js';

/** The live connection as the controller needs to know it, apart from what their own actions did. */
type Connection = 'connecting' | 'connected' | 'reconnecting' | 'offline';

/** Sends a join or resync and turns the acknowledgement into a snapshot or an error. */
const ask = (socket: Socket, event: string, room: string): Promise<BoardSnapshot> =>
  new Promise((ok, fail) => {
    socket.timeout(10_000).emit(event, { room }, (err: Error | null, reply: BoardSnapshot | ErrorBody) => {
      if (err) fail(err);
      else if ('error' in reply) fail(new Error(`${reply.error.message} (${reply.error.id})`));
      else ok(reply);
    });
  });

/**
 * The control room's live board: devices free and out, units booked on and with Taser, divergences from
 * the published plan, cover alerts. A snapshot on join, then numbered deltas; a gap or reconnect resyncs.
 * Leaving the page closes the socket, the pending frame and the follower's timers.
 */
export function boardPage(): Page {
  return definePage(
    (ctx) => {
      const user = session.user()!;
      const canAct = can(user.role, 'board', 'write');
      let rooms: [string, string][] = [];
      let room = '';
      let connection: Connection = 'connecting';
      let connectionNote = '';
      let boardNote = '';
      let boardFailed = false;
      let feedback = '';
      let socket: Socket | null = null;
      let follower: BoardFollower | null = null;
      let frame = 0;

      /** Renders the board being followed now, at most once a frame. */
      const schedule = () => {
        if (frame || ctx.disposed()) return;
        frame = requestAnimationFrame(() => {
          frame = 0;
          ctx.update();
        });
      };
      ctx.onDispose(() => {
        if (frame) cancelAnimationFrame(frame);
        follower?.close();
        socket?.close();
      });

      const setConnection = (c: Connection, note = '') => {
        connection = c;
        connectionNote = note;
        ctx.update();
      };

      // The browser knows before socket.io's heartbeat does that the network is gone.
      const wentOffline = () =>
        setConnection('offline', 'this device has no network; the board resumes when it returns.');
      const cameOnline = () => {
        if (socket?.connected) setConnection('connected');
        else setConnection('reconnecting', 'network back; reconnecting…');
      };
      /** The connection dropped or a retry failed: socket.io keeps trying. */
      const lost = (note: string) => (navigator.onLine ? setConnection('reconnecting', note) : wentOffline());
      window.addEventListener('offline', wentOffline);
      window.addEventListener('online', cameOnline);
      ctx.onDispose(() => {
        window.removeEventListener('offline', wentOffline);
        window.removeEventListener('online', cameOnline);
      });

      /** A control-room action; the board itself changes when the delta arrives, like everyone else's. */
      const act = (path: string, body: Record<string, string>) => {
        feedback = '';
        ctx.update();
        api('POST', path, body, ctx.signal).catch((e: unknown) => {
          if (isAbort(e)) return;
          feedback = `Refused: ${errorText(e)}`;
          // Puts a status the server refused back to the one it holds.
          ctx.update();
        });
      };

      const follow = (next: string) => {
        const s = socket!;
        const previous = follower;
        previous?.close();
        if (previous && previous.room !== next) s.emit(SOCKET_EVENTS.leave, { room: previous.room }, () => undefined);
        room = next;
        boardNote = `Loading ${next}…`;
        boardFailed = false;
        const f = new BoardFollower({
          room: next,
          resync: () => ask(s, SOCKET_EVENTS.resync, next),
          onChange: () => f === follower && schedule(),
          onResync: (why) => {
            if (f !== follower) return;
            boardNote = `Resynchronising (${why})…`;
            ctx.update();
          },
          onError: (e) => {
            if (f !== follower) return;
            boardNote = e instanceof Error ? e.message : 'Could not load the board.';
            boardFailed = true;
            ctx.update();
          },
        });
        follower = f;
        ctx.update();
        ask(s, SOCKET_EVENTS.join, next).then(
          (snap) => {
            if (f !== follower || ctx.disposed()) return;
            f.load(snap);
            boardNote = '';
            ctx.update();
          },
          (e: unknown) => {
            if (f !== follower) return;
            boardNote = e instanceof Error ? e.message : String(e);
            boardFailed = true;
            ctx.update();
          },
        );
      };

      const connect = () => {
        // A function, so a reconnect sends the token the session holds then.
        const s = io({ auth: (cb) => cb({ token: session.token() }), transports: ['websocket'] });
        socket = s;
        s.on(SOCKET_EVENTS.deltas, (batch: BoardDelta[]) => {
          for (const d of batch) follower?.receive(d);
        });
        s.on(SOCKET_EVENTS.reset, () => follower?.resync('reset'));
        s.on('connect_error', (e: Error & { data?: ErrorBody }) => {
          const refusal = e.data?.error;
          if (isSessionRefusal(refusal?.id)) {
            // The login ended: the app shows the login form and comes back to this board.
            s.close();
            expireSession();
            return;
          }
          // A refusal in the server's handshake is final; a network failure is retried by socket.io.
          if (s.active) lost('cannot reach the live service; retrying…');
          else setConnection('offline', refusal ? `${refusal.message} (${refusal.id})` : e.message);
        });
        s.on('disconnect', (reason) => {
          if (ctx.disposed() || reason === 'io client disconnect') return;
          // The server ends a socket when its login expires: reconnecting either resumes or meets the refusal.
          if (reason === 'io server disconnect') s.connect();
          lost('connection lost; reconnecting…');
        });
        s.io.on('reconnect_failed', () => setConnection('offline', 'could not reconnect to the live service.'));
        s.on('connect', () => {
          setConnection('connected');
          // A reconnect resyncs (which rejoins) the room followed; a room picked while away is followed afresh.
          const f = follower;
          if (!f || f.room !== room) {
            follow(room);
            return;
          }
          f.retarget(() => ask(s, SOCKET_EVENTS.resync, f.room));
          f.resync('reconnect');
        });
      };

      api<OrgView>('GET', '/org', undefined, ctx.signal).then(
        (org) => {
          rooms = unitsWithin(org, user.scope).map((u) => [roomOf(u), u.label]);
          const own = roomOf(user.scope);
          room = rooms.some(([r]) => r === own) ? own : (rooms[0]?.[0] ?? '');
          ctx.update();
          if (room) connect();
          else setConnection('offline', 'there is no unit in your scope to watch.');
        },
        (e: unknown) => {
          if (isAbort(e)) return;
          setConnection('offline', `could not load your units: ${errorText(e)}`);
        },
      );

      const pick = (ev: Event) => {
        const next = (ev.currentTarget as HTMLSelectElement).value;
        // Before the socket is up there is nothing to switch: connecting follows the selected room.
        if (socket?.connected) follow(next);
        else room = next;
      };

      const connectionText = (): string => {
        switch (connection) {
          case 'connecting':
            return 'Connecting…';
          case 'connected':
            return `Live: ${room}`;
          case 'reconnecting':
            return `Reconnecting: ${connectionNote}`;
          case 'offline':
            return `Offline: ${connectionNote}`;
        }
      };

      const memberCell = (u: UnitLive, m: string, holders: Map<string, string>) => {
        const on = u.bookedOn.includes(m);
        const label = `${m}${on ? '' : ' (not on)'}${holders.has(m) ? ` ⚡${holders.get(m)}` : ''}`;
        const verb = on ? 'off' : 'on';
        return html`<span class="member"
          >${label}${
            canAct
              ? html` <button
                  type="button"
                  class="secondary small"
                  data-book="${verb}:${m}"
                  aria-label="book ${verb} ${m}"
                  @click=${() => act(`/units/book-${verb}`, { shift: u.shift, officer: m })}
                >
                  book ${verb}
                </button>`
              : nothing
          }</span
        >`;
      };

      const statusCell = (u: UnitLive) => {
        const pill = html`<span class="pill ${u.status === 'available' ? 'good' : ''}"
          >${u.status.replace('_', ' ')}</span
        >`;
        if (!canAct || u.status === 'off_duty') return pill;
        return html`<select
          name="status-${u.callSign}"
          aria-label="Status of ${u.callSign}"
          .value=${live(u.status)}
          @change=${(ev: Event) =>
            act('/units/status', {
              shift: u.shift,
              callSign: u.callSign,
              status: (ev.currentTarget as HTMLSelectElement).value,
            })}
        >
          ${SettableUnitStatusSchema.options.map(
            (st) => html`<option value=${st} ?selected=${st === u.status}>${st.replace('_', ' ')}</option>`,
          )}
        </select>`;
      };

      const boardView = (b: BoardState) => {
        const s = summariseBoard(b);
        // Units on duty first, then the rest of the published plan's units for running shifts.
        const units = [...b.units.values()].sort(
          (x, y) =>
            Number(x.status === 'off_duty') - Number(y.status === 'off_duty') || x.callSign.localeCompare(y.callSign),
        );
        const holders = new Map([...b.devices.values()].filter((d) => d.holder).map((d) => [d.holder!, d.serial]));
        return html`<div class="card" id="board-totals">
            <strong>${s.free} devices free</strong> · ${s.devices.issued} issued ·
            ${s.devices.faulty + s.devices.in_repair + s.devices.needs_check} faulty, in repair or awaiting a check ·
            <strong>${s.taserUnits} Taser-equipped units</strong> of ${s.unitsOn} on duty
            <span class="muted"> · update ${b.seq}</span>
          </div>
          ${repeat(
            s.alerts,
            (a) => a.key,
            (a) =>
              html`<div class="explanation alert" data-alert=${a.key}>
                <strong>${a.borough} ${a.code} ${fmtDay(a.date)}: ${a.count} Taser units, minimum ${a.min}</strong>
                since ${fmtTime(a.since)}
              </div>`,
          )}
          ${repeat(
            s.divergences,
            (d) => `${d.unit}:${d.officer}`,
            (d) =>
              html`<div class="explanation divergence">
                ${d.callSign}: ${d.officer} is booked on as planned carrier of ${d.planned} but
                ${d.holding ? `holds ${d.holding}` : 'holds no device'}
              </div>`,
          )}
          <div class="table-wrap">
            <table id="board-stations">
              <thead>
                <tr>
                  <th>Station</th>
                  <th>Free</th>
                  <th>Issued</th>
                  <th>Faulty/repair</th>
                  <th>Units on</th>
                  <th>Taser units</th>
                </tr>
              </thead>
              <tbody>
                ${repeat(
                  s.stations,
                  (st) => st.station,
                  (st) =>
                    html`<tr data-station=${st.station}>
                      <td>${st.station}</td>
                      <td>${st.free}</td>
                      <td>${st.devices.issued}</td>
                      <td>${st.devices.faulty + st.devices.in_repair + st.devices.needs_check}</td>
                      <td>${st.unitsOn}</td>
                      <td>${st.taserUnits}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>
          <h3>Units</h3>
          <div class="table-wrap">
            <table id="board-units">
              <thead>
                <tr>
                  <th>Call sign</th>
                  <th>Shift</th>
                  <th>Status</th>
                  <th>Crew</th>
                </tr>
              </thead>
              <tbody>
                ${repeat(
                  units,
                  (u) => u.key,
                  (u) =>
                    html`<tr data-unit=${u.callSign}>
                      <td>${u.callSign}</td>
                      <td>${fmtTime(u.start)}–${fmtTime(u.end)}</td>
                      <td>${statusCell(u)}</td>
                      <td>${u.members.map((m, i) => html`${i ? ', ' : ''}${memberCell(u, m, holders)}`)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`;
      };

      return () => {
        const b = follower?.board ?? null;
        return html`<h2>Live board</h2>
          <label
            >Unit
            <select name="room" .value=${live(room)} @change=${pick}>
              ${repeat(
                rooms,
                ([r]) => r,
                ([r, label]) => html`<option value=${r} ?selected=${r === room}>${label}</option>`,
              )}
            </select></label
          >
          <p id="board-status" class="connection ${connection}" role="status" data-connection=${connection}>
            ${connectionText()}
          </p>
          ${boardNote ? html`<p class=${boardFailed ? 'error' : 'muted'} id="board-note">${boardNote}</p>` : nothing}
          <p id="board-feedback" class="error" role="alert">${feedback}</p>
          <div id="board" data-room=${b?.room ?? ''} data-seq=${b?.seq ?? ''}>${b ? boardView(b) : nothing}</div>`;
      };
    },
    { id: 'board-page' },
  );
}
