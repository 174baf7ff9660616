import { html, nothing } from 'lit-html';
import { DateTime } from 'luxon';
import { live } from 'lit-html/directives/live.js';
import { repeat } from 'lit-html/directives/repeat.js';
import { io, type Socket } from 'socket.io-client';
import { can } from '../../../shared/auth/permissions.js';
import {
  BoardFollower,
  overdueMinutes,
  summariseBoard,
  type BoardState,
  type BoardSummary,
} from '../../../shared/live/board-state.js';
import { holdersOf } from '../../../shared/live/cover.js';
import {
  roomOf,
  SettableUnitStatusSchema,
  type BoardShift,
  type BoardSnapshot,
  type CoverAlert,
  type UnitLive,
} from '../../../shared/schemas/board.schema.js';
import type { ErrorBody } from '../../../shared/schemas/common.schema.js';
import { SOCKET_EVENTS, type BoardDelta } from '../../../shared/schemas/live-event.schema.js';
import type { OrgView } from '../../../shared/schemas/org.schema.js';
import { api, errorText, expireSession, isAbort, isSessionRefusal, session } from '../api.js';
import { fmtClock, fmtDay, fmtDayMonth, fmtTime, plural, ZONE } from '../format.js';
import { definePage, type Page } from '../page.js';
import { unitsWithin } from '../units.js';

/** The live connection as the controller needs to know it, apart from what their own actions did. */
type Connection = 'connecting' | 'connected' | 'reconnecting' | 'offline';

/** How long the feedback of a control-room action stays before it fades. */
const FEEDBACK_MS = 6000;
const MUTE_KEY = 'taser.board.muted';

/** Sends a join or resync and turns the acknowledgement into a snapshot or an error. */
const ask = (socket: Socket, event: string, room: string): Promise<BoardSnapshot> =>
  new Promise((ok, fail) => {
    socket.timeout(10_000).emit(event, { room }, (err: Error | null, reply: BoardSnapshot | ErrorBody) => {
      if (err) fail(err);
      else if ('error' in reply) fail(new Error(`${reply.error.message} (${reply.error.id})`));
      else ok(reply);
    });
  });

/** A short tone for a new below-minimum alert; silently nothing where the browser allows no audio yet. */
function beep(): void {
  try {
    const Ctx = window.AudioContext;
    if (!Ctx) return;
    const ac = new Ctx();
    const osc = ac.createOscillator();
    const gain = ac.createGain();
    osc.type = 'sine';
    osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.2, ac.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, ac.currentTime + 0.4);
    osc.connect(gain).connect(ac.destination);
    osc.start();
    osc.stop(ac.currentTime + 0.4);
    osc.onended = () => void ac.close();
  } catch {
    // No audio device or not allowed: the flash still shows.
  }
}

/**
 * The control room's live board, for a desk and for a wall screen (`#/board?wall=1`: no controls, no
 * navigation, large type; `&room=borough:BROM` picks the room). A snapshot on join, then numbered deltas; a
 * gap, reconnect or shift boundary resyncs. Taser cover, the summary and the alerts come from one rule
 * (shared/live/cover.ts) applied to the one board state. Leaving the page closes the socket, the pending
 * frame, the clock and the follower's timers.
 */
export function boardPage(params: URLSearchParams = new URLSearchParams()): Page {
  const wall = params.get('wall') === '1' || new URLSearchParams(location.search).get('wall') === '1';
  return definePage(
    (ctx) => {
      const user = session.user()!;
      const canAct = !wall && can(user.role, 'board', 'write');
      let rooms: [string, string][] = [];
      let room = '';
      let boroughNames = new Map<string, string>();
      let connection: Connection = 'connecting';
      let connectionNote = '';
      let downSince: Date | null = null;
      let boardNote = '';
      let boardFailed = false;
      let feedback = '';
      let feedbackTimer: ReturnType<typeof setTimeout> | null = null;
      let socket: Socket | null = null;
      let follower: BoardFollower | null = null;
      let frame = 0;
      /** The server's clock minus this device's, from the last snapshot: the board runs on the server's time. */
      let skew = 0;
      const serverNow = () => new Date(Date.now() + skew);
      let now = serverNow();
      /** A join or resync whose snapshot also sets the clock. */
      const load = (s: Socket, event: string, r: string): Promise<BoardSnapshot> =>
        ask(s, event, r).then((snap) => {
          skew = Date.parse(snap.at) - Date.now();
          now = serverNow();
          return snap;
        });
      let muted = localStorage.getItem(MUTE_KEY) === '1';
      /** Alerts (key and opening time) already seen, so only a new one sounds; null until the first board. */
      let seenAlerts: Set<string> | null = null;
      const flashing = new Set<string>();

      document.body.classList.add('board-view');
      document.body.classList.toggle('wall', wall);
      ctx.onDispose(() => document.body.classList.remove('board-view', 'wall'));

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
        if (feedbackTimer) clearTimeout(feedbackTimer);
        follower?.close();
        socket?.close();
      });

      const setConnection = (c: Connection, note = '') => {
        if (c === 'connected') downSince = null;
        else if (c !== 'connecting' && !downSince) downSince = new Date();
        connection = c;
        connectionNote = note;
        ctx.update();
      };

      // The clock. Shift boundaries need nothing here: the server pushes them as deltas (`shift.boundary`).
      ctx.every(1000, () => {
        now = serverNow();
        ctx.update();
      });

      // The browser knows before socket.io's heartbeat does that the network is gone.
      const wentOffline = () =>
        setConnection('offline', 'this device has no network; the board resumes when it returns');
      const cameOnline = () => {
        if (socket?.connected) setConnection('connected');
        else setConnection('reconnecting', 'network back');
      };
      /** The connection dropped or a retry failed: socket.io keeps trying. */
      const lost = (note: string) => (navigator.onLine ? setConnection('reconnecting', note) : wentOffline());
      window.addEventListener('offline', wentOffline);
      window.addEventListener('online', cameOnline);
      ctx.onDispose(() => {
        window.removeEventListener('offline', wentOffline);
        window.removeEventListener('online', cameOnline);
      });

      /** What one of the controller's own actions did: shown apart from the connection, and fading. */
      const say = (text: string) => {
        feedback = text;
        if (feedbackTimer) clearTimeout(feedbackTimer);
        feedbackTimer = text
          ? setTimeout(() => {
              feedbackTimer = null;
              feedback = '';
              ctx.update();
            }, FEEDBACK_MS)
          : null;
        ctx.update();
      };

      /** A control-room action; the board itself changes when the delta arrives, like everyone else's. */
      const act = (path: string, body: Record<string, string>) => {
        say('');
        api('POST', path, body, ctx.signal).catch((e: unknown) => {
          if (isAbort(e)) return;
          // Puts a status the server refused back to the one it holds (the select renders the board's).
          say(`Refused: ${errorText(e)}`);
        });
      };

      /** Sounds and flashes alerts that opened since the last look (not those already open when the board loaded). */
      const noticeAlerts = (b: BoardState) => {
        const open = summariseBoard(b).alerts.map((a) => `${a.key}@${a.since}`);
        if (!seenAlerts) {
          seenAlerts = new Set(open);
          return;
        }
        const fresh = open.filter((k) => !seenAlerts!.has(k));
        for (const k of fresh) seenAlerts.add(k);
        if (!fresh.length) return;
        if (!muted) beep();
        for (const k of fresh) {
          const key = k.split('@')[0]!;
          flashing.add(key);
          ctx.after(4000, () => {
            flashing.delete(key);
            ctx.update();
          });
        }
      };

      const follow = (next: string) => {
        const s = socket!;
        const previous = follower;
        previous?.close();
        if (previous && previous.room !== next) s.emit(SOCKET_EVENTS.leave, { room: previous.room }, () => undefined);
        room = next;
        seenAlerts = null;
        boardNote = `Loading ${roomLabel(next)}…`;
        boardFailed = false;
        const f = new BoardFollower({
          room: next,
          resync: () => load(s, SOCKET_EVENTS.resync, next),
          onChange: (b) => {
            if (f !== follower) return;
            noticeAlerts(b);
            schedule();
          },
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
        load(s, SOCKET_EVENTS.join, next).then(
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
          if (s.active) lost('cannot reach the live service; retrying');
          else setConnection('offline', refusal ? `${refusal.message} (${refusal.id})` : e.message);
        });
        s.on('disconnect', (reason) => {
          if (ctx.disposed() || reason === 'io client disconnect') return;
          // The server ends a socket when its login expires: reconnecting either resumes or meets the refusal.
          if (reason === 'io server disconnect') s.connect();
          lost('connection lost');
        });
        s.io.on('reconnect_failed', () => setConnection('offline', 'could not reconnect to the live service'));
        s.on('connect', () => {
          setConnection('connected');
          // A reconnect resyncs (which rejoins) the room followed; a room picked while away is followed afresh.
          const f = follower;
          if (!f || f.room !== room) {
            follow(room);
            return;
          }
          f.retarget(() => load(s, SOCKET_EVENTS.resync, f.room));
          f.resync('reconnect');
        });
      };

      api<OrgView>('GET', '/org', undefined, ctx.signal).then(
        (org) => {
          rooms = unitsWithin(org, user.scope).map((u) => [roomOf(u), u.label]);
          boroughNames = new Map(org.boroughs.map((b) => [b.id, b.name]));
          const asked = params.get('room') ?? '';
          const own = roomOf(user.scope);
          room = rooms.some(([r]) => r === asked)
            ? asked
            : rooms.some(([r]) => r === own)
              ? own
              : (rooms[0]?.[0] ?? '');
          ctx.update();
          if (room) connect();
          else setConnection('offline', 'there is no unit in your scope to watch');
        },
        (e: unknown) => {
          // A lapsed login has already sent the app to the login form (api.ts), which returns here.
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

      const roomLabel = (r: string): string => rooms.find(([x]) => x === r)?.[1] ?? r;
      const boroughName = (id: string): string => boroughNames.get(id) ?? id;
      /** `Bromley nights, 22 Nov`: a borough's shift in words. */
      const shiftWords = (b: BoardState, borough: string, date: string, code: string): string => {
        const name = b.shifts.find((s) => s.code === code)?.name ?? `shift ${code}`;
        return `${boroughName(borough)} ${name.toLowerCase()}, ${fmtDayMonth(date)}`;
      };

      const connectionText = (): string => {
        const since = downSince ? ` since ${fmtTime(downSince)}` : '';
        switch (connection) {
          case 'connecting':
            return 'Connecting…';
          case 'connected':
            return `Live: ${roomLabel(room)}`;
          case 'reconnecting':
            return `Reconnecting…${since} (${connectionNote})`;
          case 'offline':
            return `Offline${since}: ${connectionNote}`;
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
        const overdue = overdueMinutes(u, now);
        // A unit of a shift within its issue lead (not started yet) is on the board as oncoming.
        const flag =
          overdue === null
            ? Date.parse(u.start) > now.getTime()
              ? html` <span class="pill" data-oncoming>oncoming ${fmtTime(u.start)}</span>`
              : nothing
            : html` <span class="pill bad" data-overdue=${overdue}
                >⏰ overdue ${Math.floor(overdue / 60)}:${String(overdue % 60).padStart(2, '0')}</span
              >`;
        const pill = html`<span class="pill ${u.status === 'available' ? 'good' : ''}"
            >${u.status.replace('_', ' ')}</span
          >${flag}`;
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
            )}</select
          >${flag}`;
      };

      /** The planned carrier and device of a unit, from the published plan, whether or not it is issued yet. */
      const plannedCell = (u: UnitLive, holders: Map<string, string>) =>
        u.plannedCarriers.length
          ? u.plannedCarriers.map((c, i) => {
              const holding = holders.get(c.officer);
              const state = holding === c.device ? '✓ issued' : holding ? `✗ holds ${holding}` : 'not issued yet';
              return html`${i ? html`<br />` : nothing}<span class="planned" data-planned=${c.officer}
                  >${c.officer} → ${c.device} <span class="muted">(${state})</span></span
                >`;
            })
          : html`<span class="muted">no carrier planned</span>`;

      const alertView = (b: BoardState, a: CoverAlert) =>
        html`<div
          class="notice-line alert ${flashing.has(a.key) ? 'flash' : ''}"
          data-alert=${a.key}
          role="group"
          aria-label="Cover alert"
        >
          <span class="tag" aria-hidden="true">⚠ ALERT</span>
          <strong
            >${shiftWords(b, a.borough, a.date, a.code)}: ${plural(a.count, 'Taser-equipped unit')} on duty, minimum
            ${a.min}, since ${fmtTime(a.since)}</strong
          >
        </div>`;

      /** Per borough: the shift running now and the next one, with Taser cover or a missing plan. */
      const coverStrip = (b: BoardState, s: BoardSummary) => {
        if (!b.shifts.length) return nothing;
        const boroughs = [...new Set(b.shifts.map((x) => x.borough))];
        const cell = (sh: BoardShift) => {
          const line = s.cover.find((c) => c.borough === sh.borough && c.date === sh.date && c.code === sh.code);
          const label = `${sh.when === 'current' ? 'Now' : 'Next'}: ${sh.name} ${fmtTime(sh.start)}–${fmtTime(sh.end)}`;
          if (!sh.planned)
            return html`<div class="cover-cell divergence" data-cover="${sh.borough}|${sh.date}|${sh.code}">
              <span class="tag" aria-hidden="true">◆ NO PLAN</span> ${label}: no published plan
            </div>`;
          if (sh.when === 'next')
            return html`<div class="cover-cell normal" data-cover="${sh.borough}|${sh.date}|${sh.code}">
              <span class="tag" aria-hidden="true">✓</span> ${label}: plan published
            </div>`;
          const n = line?.taserUnits ?? 0;
          const below = n < sh.min;
          return html`<div
            class="cover-cell ${below ? 'alert' : 'normal'}"
            data-cover="${sh.borough}|${sh.date}|${sh.code}"
          >
            <span class="tag" aria-hidden="true">${below ? '⚠ BELOW' : '✓ OK'}</span> ${label}:
            <strong>${n} of ${sh.min}</strong> Taser-equipped units
          </div>`;
        };
        return html`<section class="cover-strip" aria-label="Taser cover by borough">
          ${boroughs.map(
            (bo) =>
              html`<div class="cover-borough">
                <h3>${boroughName(bo)}</h3>
                ${b.shifts.filter((x) => x.borough === bo).map(cell)}
              </div>`,
          )}
        </section>`;
      };

      const noPlanWarnings = (b: BoardState) =>
        b.shifts
          .filter((x) => !x.planned)
          .map(
            (x) =>
              html`<div class="notice-line divergence" data-no-plan="${x.borough}|${x.date}|${x.code}">
                <span class="tag" aria-hidden="true">◆ NO PLAN</span>
                ${shiftWords(b, x.borough, x.date, x.code)} (${x.when === 'current' ? 'now' : 'next'}): no published
                crew plan, so no units to show
              </div>`,
          );

      const boardView = (b: BoardState) => {
        const s = summariseBoard(b);
        // Units on duty first, then the rest of the published plan's units for running shifts.
        const units = [...b.units.values()].sort(
          (x, y) =>
            Number(x.status === 'off_duty') - Number(y.status === 'off_duty') || x.callSign.localeCompare(y.callSign),
        );
        const holders = new Map([...holdersOf(b.devices.values())].map(([o, d]) => [o, d.serial]));
        const overdue = units.filter((u) => overdueMinutes(u, now) !== null).length;
        return html`<div class="card totals" id="board-totals">
            <span><strong>${s.free}</strong> devices free</span>
            <span><strong>${s.devices.issued}</strong> issued</span>
            <span
              ><strong>${s.devices.faulty + s.devices.in_repair + s.devices.needs_check}</strong> faulty, in repair or
              awaiting a check</span
            >
            <span><strong>${s.taserUnits} Taser-equipped units</strong> of ${s.unitsOn} on duty</span>
            ${overdue ? html`<span class="pill bad">⏰ ${plural(overdue, 'unit')} overdue</span>` : nothing}
            <span class="muted">update ${b.seq}</span>
          </div>
          <div id="board-alerts" aria-live="polite">
            ${repeat(
              s.alerts,
              (a) => a.key,
              (a) => alertView(b, a),
            )}
            ${noPlanWarnings(b)}
            ${repeat(
              s.divergences,
              (d) => `${d.unit}:${d.officer}`,
              (d) =>
                html`<div class="notice-line divergence" data-divergence=${d.unit}>
                  <span class="tag" aria-hidden="true">≠ CHECK</span>
                  ${d.callSign}: ${d.officer} is booked on as planned carrier of ${d.planned} but
                  ${d.holding ? `holds ${d.holding}` : 'holds no device'}
                </div>`,
            )}
            ${
              !s.alerts.length && !s.divergences.length && b.shifts.every((x) => x.planned)
                ? html`<div class="notice-line normal" id="board-all-clear">
                    <span class="tag" aria-hidden="true">✓ OK</span> No cover alerts or divergences
                  </div>`
                : nothing
            }
          </div>
          ${coverStrip(b, s)}
          <div class="board-grid">
            <section aria-labelledby="units-h">
              <h3 id="units-h">Units</h3>
              <div class="table-wrap" tabindex="0" role="region" aria-labelledby="units-h">
                <table id="board-units">
                  <thead>
                    <tr>
                      <th>Call sign</th>
                      <th>Shift</th>
                      <th>Status</th>
                      <th>Crew</th>
                      <th>Planned carrier → device</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${repeat(
                      units,
                      (u) => u.key,
                      (u) =>
                        html`<tr data-unit=${u.callSign} class=${overdueMinutes(u, now) !== null ? 'overdue' : ''}>
                          <td><strong>${u.callSign}</strong></td>
                          <td>${fmtTime(u.start)}–${fmtTime(u.end)}</td>
                          <td>${statusCell(u)}</td>
                          <td>${u.members.map((m, i) => html`${i ? ', ' : ''}${memberCell(u, m, holders)}`)}</td>
                          <td>${plannedCell(u, holders)}</td>
                        </tr>`,
                    )}
                  </tbody>
                </table>
              </div>
            </section>
            <section aria-labelledby="stations-h">
              <h3 id="stations-h">Stations</h3>
              <div class="table-wrap" tabindex="0" role="region" aria-labelledby="stations-h">
                <table id="board-stations">
                  <thead>
                    <tr>
                      <th>Station</th>
                      <th>Free</th>
                      <th>Issued</th>
                      <th>Faulty</th>
                      <th>On duty</th>
                      <th>Taser</th>
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
            </section>
          </div>`;
      };

      const toggleMute = () => {
        muted = !muted;
        localStorage.setItem(MUTE_KEY, muted ? '1' : '0');
        ctx.update();
      };

      return () => {
        const b = follower?.board ?? null;
        return html`<div class="board-head">
            <h2>Live board${wall && room ? html`: ${roomLabel(room)}` : nothing}</h2>
            <div class="clock" id="board-clock" aria-label="Time in London">
              <span class="clock-time">${fmtClock(now)}</span>
              <span class="clock-day">${fmtDay(DateTime.fromJSDate(now).setZone(ZONE).toISODate()!)}</span>
            </div>
          </div>
          <div class="board-bar">
            ${
              wall
                ? nothing
                : html`<label
                    >Unit
                    <select name="room" .value=${live(room)} @change=${pick}>
                      ${repeat(
                        rooms,
                        ([r]) => r,
                        ([r, label]) => html`<option value=${r} ?selected=${r === room}>${label}</option>`,
                      )}
                    </select></label
                  >`
            }
            <p id="board-status" class="connection ${connection}" role="status" data-connection=${connection}>
              ${connectionText()}
            </p>
            <button
              type="button"
              class="secondary"
              id="board-mute"
              aria-pressed=${muted ? 'true' : 'false'}
              @click=${toggleMute}
            >
              ${muted ? 'Alert sound: off' : 'Alert sound: on'}
            </button>
          </div>
          <p id="board-feedback" class="feedback ${feedback ? 'shown' : ''}" role="status" aria-live="polite">
            ${feedback}
          </p>
          ${boardNote ? html`<p class=${boardFailed ? 'error' : 'muted'} id="board-note">${boardNote}</p>` : nothing}
          <div id="board" data-room=${b?.room ?? ''} data-seq=${b?.seq ?? ''}>${b ? boardView(b) : nothing}</div>`;
      };
    },
    { id: 'board-page' },
  );
}
