import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { summariseBoard, type BoardSummary } from '../../shared/live/board-state.js';
import { coverKey, taserCover } from '../../shared/live/cover.js';
import type { BoardSnapshot } from '../../shared/schemas/board.schema.js';
import { seededRandom } from '../../shared/util/random.js';
import { connectLive, eventually, follow, LIVE_NOW, type LiveClient } from './helpers/live-client.js';
import { publishEarlyCrews, type StationFixture } from './helpers/live-fixtures.js';
import { call, loginAs, startTestServer, stopOwnStore, type TestServer } from './helpers/test-server.js';

let server: TestServer;
let tokens: Record<string, string>;
let stations: Map<string, StationFixture>;
const clients: LiveClient[] = [];
const MIN = 3;

before(async () => {
  server = await startTestServer({ clock: () => LIVE_NOW, env: { MIN_TASER_UNITS: String(MIN) } });
  tokens = {};
  for (const u of ['armourer.bromley', 'admin', 'control.south']) tokens[u] = await loginAs(server, u);
  stations = await publishEarlyCrews(server, tokens['control.south']!, tokens.admin!);
});
after(async () => {
  for (const c of clients) c.close();
  await server.stop();
  await stopOwnStore();
});

const post = (user: string, path: string, body: unknown) => call(server, 'POST', path, { token: tokens[user], body });

/**
 * Runs against the real server: the alert's count is what the server's cover service stored (its read model,
 * its recount), the summary is what a board client computes from the deltas it received. Both go through
 * `taserCover` (shared/live/cover.ts); the test checks the two states give the same answer after every event.
 */
describe('cover alerts and the board summary', () => {
  it('agree on the Taser-equipped units of Bromley earlies after each of 200 random issues, returns, book-ons, book-offs and status changes', async () => {
    const rnd = seededRandom(20261122);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const room = 'borough:BROM';
    const client = await connectLive(server.url, tokens['control.south']);
    clients.push(client);
    const follower = follow(client, room);
    follower.load(await client.join(room));

    const br = stations.get('BR')!;
    const or = stations.get('OR')!;
    const at = { borough: 'BROM', date: '2026-11-22', code: 'E' };
    const key = coverKey(at);
    const crews = [...br.crews, ...or.crews];
    // What the test believes, to choose events that mostly succeed (a refusal is still an event).
    const held = new Map<string, string>();
    const bookedOn = new Set<string>();
    const counts = { issue: 0, return: 0, book_on: 0, book_off: 0, status: 0, refused: 0 };
    let raisedOnce = false;

    for (let i = 0; i < 200; i++) {
      const kind = pick(['issue', 'return', 'book_on', 'book_off', 'status'] as const);
      let reply: { status: number; body: unknown } | null = null;
      if (kind === 'issue') {
        const free = br.carriers.filter((c) => !held.has(c.officer) && ![...held.values()].includes(c.device));
        if (free.length) {
          const c = pick(free);
          reply = await post('armourer.bromley', '/custody/issue', c);
          if (reply.status === 201) held.set(c.officer, c.device);
        }
      } else if (kind === 'return') {
        if (held.size) {
          const [officer, device] = pick([...held]);
          reply = await post('armourer.bromley', '/custody/return', { device, officer });
          if (reply.status < 300) held.delete(officer);
        }
      } else if (kind === 'book_on' || kind === 'book_off') {
        const on = kind === 'book_on';
        const members = crews.flatMap((c) => c.members.map((m) => ({ c, m }))).filter((x) => bookedOn.has(x.m) !== on);
        if (members.length) {
          const { c, m } = pick(members);
          reply = await post('control.south', `/units/book-${on ? 'on' : 'off'}`, { shift: c.shift, officer: m });
          if (reply.status < 300) {
            if (on) bookedOn.add(m);
            else bookedOn.delete(m);
          }
        }
      } else {
        const live = crews.filter((c) => c.members.some((m) => bookedOn.has(m)));
        if (live.length) {
          const c = pick(live);
          const status = pick(['available', 'committed', 'at_station'] as const);
          reply = await post('control.south', '/units/status', { shift: c.shift, callSign: c.callSign, status });
        }
      }
      if (!reply) continue;
      if (reply.status >= 300) counts.refused += 1;
      else counts[kind] += 1;

      // The server has recounted, and the client has every delta numbered up to now.
      await server.services.live.cover.idle();
      const api = await call<BoardSnapshot & { summary: BoardSummary }>(server, 'GET', '/board?level=borough&id=BROM', {
        token: tokens['control.south'],
      });
      assert.equal(api.status, 200);
      // A delta may be numbered just after the snapshot read its number: wait for the alert version it shows too.
      const apiAlert = api.body.alerts.find((a) => a.key === key)?.version ?? 0;
      await eventually(
        () =>
          (follower.board?.seq ?? -1) >= api.body.seq && (follower.board?.alerts.get(key)?.version ?? 0) >= apiAlert,
        3000,
      );

      const board = follower.board!;
      const summary = summariseBoard(board);
      const line = summary.cover.find((l) => l.key === key)!;
      const alert = board.alerts.get(key);
      const where = `after event ${i} (${kind}, HTTP ${reply.status})`;
      // The rule applied to the client's state gives what the server stored in its alert.
      if (alert) {
        raisedOnce = true;
        assert.equal(alert.below, line.taserUnits < MIN, `${where}: alert below vs the summary's count`);
        if (alert.below) assert.equal(alert.count, line.taserUnits, `${where}: alert count vs summary`);
      }
      // What the board shows as an alert states the summary's count, and shows exactly while below the minimum.
      assert.deepEqual(
        summary.alerts.map((a) => [a.key, a.count]),
        alert && line.taserUnits < MIN ? [[key, line.taserUnits]] : [],
        `${where}: alerts shown`,
      );
      // The same rule on the REST snapshot (another state reached by another path) agrees too.
      const fromApi = api.body.summary.cover.find((l) => l.key === key)!;
      assert.equal(fromApi.taserUnits, line.taserUnits, `${where}: REST summary vs socket summary`);
      assert.deepEqual(
        api.body.summary.alerts.map((a) => a.count),
        summary.alerts.map((a) => a.count),
        `${where}: REST alerts vs socket alerts`,
      );
      // And what the test knows independently: units with a booked-on officer who holds a device.
      const expected = crews.filter((c) => c.members.some((m) => bookedOn.has(m) && held.has(m))).length;
      assert.equal(line.taserUnits, expected, `${where}: Taser-equipped units`);
      assert.equal(
        taserCover(board.units.values(), (m) => held.has(m), at),
        expected,
      );
    }
    // The sequence exercised every kind of event and crossed the minimum both ways.
    for (const k of ['issue', 'return', 'book_on', 'book_off', 'status'] as const)
      assert.ok(counts[k] >= 10, `too few ${k} events: ${JSON.stringify(counts)}`);
    assert.ok(raisedOnce, 'no cover alert was ever raised');
    const versions = client.deltas.filter((d) => d.event.type === 'cover.changed').length;
    assert.ok(versions >= 5, `only ${versions} cover changes`);
  });
});
