import { io, type Socket } from 'socket.io-client';
import { BoardFollower, summariseBoard, type BoardState } from '../../../shared/live/board-state.js';
import type { BoardSnapshot, UnitLive } from '../../../shared/schemas/board.schema.js';
import type { ErrorBody } from '../../../shared/schemas/common.schema.js';
import { SOCKET_EVENTS, type BoardDelta } from '../../../shared/schemas/live-event.schema.js';
import { api, ApiError, session } from '../api.js';
import { h } from '../dom.js';

type Org = {
  bcus: { id: string; name: string }[];
  boroughs: { id: string; name: string }[];
  stations: { id: string; name: string }[];
};

/** A user may watch their own unit and the units inside it. */
const RANK: Record<string, number> = { force: 0, bcu: 1, borough: 2, station: 3 };

const time = (iso: string) =>
  new Date(iso).toLocaleTimeString('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit' });

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
 */
export function boardPage(): HTMLElement {
  const user = session.user()!;
  const roomSelect = h('select', { name: 'room' });
  const status = h('p', { class: 'muted', id: 'board-status' }, 'Connecting…');
  const view = h('div', { id: 'board' });
  let socket: Socket | null = null;
  let follower: BoardFollower | null = null;
  let frame = 0;
  const canAct = ['control_room', 'admin'].includes(user.role);
  /** A control-room action; the board itself changes when the delta arrives, like everyone else's. */
  const act = (path: string, body: Record<string, string>) => {
    api('POST', path, body).then(
      () => undefined,
      (e: unknown) => {
        status.textContent = e instanceof ApiError ? `Refused: ${e.message} (${e.id})` : 'Could not reach the server.';
        status.className = 'error';
      },
    );
  };

  const render = (b: BoardState) => {
    const s = summariseBoard(b);
    view.dataset.seq = String(b.seq);
    view.dataset.room = b.room;
    // Units on duty first, then the rest of the published plan's units for running shifts.
    const units = [...b.units.values()].sort(
      (x, y) =>
        Number(x.status === 'off_duty') - Number(y.status === 'off_duty') || x.callSign.localeCompare(y.callSign),
    );
    const holders = new Map([...b.devices.values()].filter((d) => d.holder).map((d) => [d.holder!, d.serial]));
    const memberCell = (u: UnitLive, m: string) => {
      const on = u.bookedOn.includes(m);
      const label = `${m}${on ? '' : ' (not on)'}${holders.has(m) ? ` ⚡${holders.get(m)}` : ''}`;
      if (!canAct) return h('span', { class: 'member' }, label);
      return h(
        'span',
        { class: 'member' },
        label,
        ' ',
        h(
          'button',
          {
            class: 'secondary small',
            'data-book': `${on ? 'off' : 'on'}:${m}`,
            onclick: () => act(`/units/book-${on ? 'off' : 'on'}`, { shift: u.shift, officer: m }),
          },
          on ? 'book off' : 'book on',
        ),
      );
    };
    const statusCell = (u: UnitLive) => {
      const pill = h('span', { class: `pill ${u.status === 'available' ? 'good' : ''}` }, u.status.replace('_', ' '));
      if (!canAct || u.status === 'off_duty') return pill;
      const select = h(
        'select',
        { name: `status-${u.callSign}` },
        ...(['available', 'committed', 'at_station'] as const).map((st) =>
          h('option', { value: st, selected: st === u.status }, st.replace('_', ' ')),
        ),
      );
      select.addEventListener('change', () =>
        act('/units/status', { shift: u.shift, callSign: u.callSign, status: select.value }),
      );
      return select;
    };
    const unitRow = (u: UnitLive) =>
      h(
        'tr',
        { 'data-unit': u.callSign },
        h('td', {}, u.callSign),
        h('td', {}, `${time(u.start)}–${time(u.end)}`),
        h('td', {}, statusCell(u)),
        h('td', {}, ...u.members.flatMap((m, i) => (i ? [', ', memberCell(u, m)] : [memberCell(u, m)]))),
      );
    view.replaceChildren(
      h(
        'div',
        { class: 'card', id: 'board-totals' },
        h('strong', {}, `${s.free} devices free`),
        ` · ${s.devices.issued} issued · ${s.devices.faulty + s.devices.in_repair} faulty or in repair · `,
        h('strong', {}, `${s.taserUnits} Taser-equipped units`),
        ` of ${s.unitsOn} on duty`,
        h('span', { class: 'muted' }, ` · update ${b.seq}`),
      ),
      ...s.alerts.map((a) =>
        h(
          'div',
          { class: 'explanation alert', 'data-alert': a.key },
          h('strong', {}, `${a.borough} ${a.code} ${a.date}: ${a.count} Taser units, minimum ${a.min}`),
          ` since ${time(a.since)}`,
        ),
      ),
      ...s.divergences.map((d) =>
        h(
          'div',
          { class: 'explanation divergence' },
          `${d.callSign}: ${d.officer} is booked on as planned carrier of ${d.planned} but ${d.holding ? `holds ${d.holding}` : 'holds no device'}`,
        ),
      ),
      h(
        'table',
        { id: 'board-stations' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['Station', 'Free', 'Issued', 'Faulty/repair', 'Units on', 'Taser units'].map((t) => h('th', {}, t)),
          ),
        ),
        h(
          'tbody',
          {},
          ...s.stations.map((st) =>
            h(
              'tr',
              { 'data-station': st.station },
              h('td', {}, st.station),
              h('td', {}, st.free),
              h('td', {}, st.devices.issued),
              h('td', {}, st.devices.faulty + st.devices.in_repair),
              h('td', {}, st.unitsOn),
              h('td', {}, st.taserUnits),
            ),
          ),
        ),
      ),
      h('h3', {}, 'Units'),
      h(
        'table',
        { id: 'board-units' },
        h('thead', {}, h('tr', {}, ...['Call sign', 'Shift', 'Status', 'Crew'].map((t) => h('th', {}, t)))),
        h('tbody', {}, ...units.map(unitRow)),
      ),
    );
  };

  /** Renders the board being followed now, at most once a frame; a replaced follower's late news is ignored. */
  const schedule = () => {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      if (follower?.board) render(follower.board);
    });
  };

  const follow = (room: string) => {
    const previous = follower;
    previous?.close();
    const s = socket!;
    if (previous && previous.room !== room) s.emit(SOCKET_EVENTS.leave, { room: previous.room }, () => undefined);
    follower = new BoardFollower({
      room,
      resync: () => ask(s, SOCKET_EVENTS.resync, room),
      onChange: schedule,
      onResync: (why) => (status.textContent = `Resynchronising (${why})…`),
      onError: (e) => {
        status.textContent = e instanceof Error ? e.message : 'Could not load the board.';
        status.className = 'error';
      },
    });
    const f = follower;
    ask(s, SOCKET_EVENTS.join, room).then(
      (snap) => {
        if (f !== follower) return;
        f.load(snap);
        status.textContent = `Live: ${room}`;
        status.className = 'muted';
      },
      (e: unknown) => {
        status.textContent = e instanceof Error ? e.message : String(e);
        status.className = 'error';
      },
    );
  };

  const connect = () => {
    socket = io({ auth: { token: session.token() }, transports: ['websocket'] });
    socket.on(SOCKET_EVENTS.deltas, (batch: BoardDelta[]) => {
      for (const d of batch) follower?.receive(d);
    });
    socket.on(SOCKET_EVENTS.reset, () => follower?.resync('reset'));
    socket.on('connect_error', (e: Error & { data?: ErrorBody }) => {
      status.textContent = e.data?.error.message ?? 'Cannot reach the live service; retrying…';
      status.className = 'error';
    });
    let first = true;
    socket.on('connect', () => {
      if (first) {
        first = false;
        follow(roomSelect.value);
      } else if (follower) {
        follower.retarget(() => ask(socket!, SOCKET_EVENTS.resync, roomSelect.value));
        follower.resync('reconnect');
        status.textContent = `Live: ${roomSelect.value}`;
        status.className = 'muted';
      }
    });
  };

  // Before the socket is up there is nothing to switch: connecting follows the selected room.
  roomSelect.addEventListener('change', () => socket?.connected && follow(roomSelect.value));
  api<Org>('GET', '/org')
    .then((org) => {
      const own = `${user.scope.level}:${user.scope.id}`;
      const options = [
        ...(user.scope.level === 'force' ? [[own, `Force ${user.scope.id}`]] : []),
        ...org.bcus.map((b) => [`bcu:${b.id}`, `BCU ${b.name}`]),
        ...org.boroughs.map((b) => [`borough:${b.id}`, `Borough ${b.name}`]),
        ...org.stations.map((s) => [`station:${s.id}`, `Station ${s.name}`]),
      ].filter(([room]) => RANK[room!.split(':')[0]!]! >= RANK[user.scope.level]!);
      roomSelect.replaceChildren(...options.map(([value, label]) => h('option', { value: value! }, label)));
      roomSelect.value = options.some(([v]) => v === own) ? own : options[0]![0]!;
      connect();
    })
    .catch(() => (status.textContent = 'Could not load your units.'));

  const root = h('section', {}, h('h2', {}, 'Live board'), h('label', {}, 'Unit ', roomSelect), status, view);
  // Leaving the page closes the socket.
  window.addEventListener('hashchange', () => socket?.close(), { once: true });
  return root;
}
