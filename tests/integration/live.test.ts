import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { summarise, summariseBoard } from '../../shared/live/board-state.js';
import type { BoardSnapshot } from '../../shared/schemas/board.schema.js';
import { SOCKET_EVENTS } from '../../shared/schemas/live-event.schema.js';
import { assertSameBoard, connectLive, eventually, follow, LIVE_NOW, type LiveClient } from './helpers/live-client.js';
import { publishEarlyCrews, type StationFixture } from './helpers/live-fixtures.js';
import { call, loginAs, startTestServer, stopOwnStore, type TestServer } from './helpers/test-server.js';

let server: TestServer;
let tokens: Record<string, string>;
let stations: Map<string, StationFixture>;
const clients: LiveClient[] = [];

before(async () => {
  server = await startTestServer({ clock: () => LIVE_NOW, env: { MIN_TASER_UNITS: '1' } });
  tokens = {};
  for (const u of ['armourer.bromley', 'admin', 'control.south', 'lead.bromley', 'planner.croydon', 'planner.bromley'])
    tokens[u] = await loginAs(server, u);
  stations = await publishEarlyCrews(server, tokens['control.south']!, tokens.admin!);
});
after(async () => {
  for (const c of clients) c.close();
  await server.stop();
  await stopOwnStore();
});

const live = async (user: string | undefined) => {
  const c = await connectLive(server.url, user ? tokens[user] : undefined);
  clients.push(c);
  return c;
};
const post = (user: string, path: string, body: unknown) => call(server, 'POST', path, { token: tokens[user], body });
/** A planned carrier of a station whose crew is in the published plan, with the planned device. */
const planned = (station: string, n = 0) => {
  const f = stations.get(station)!;
  const crews = f.crews.filter((c) => c.carriers.length > 0);
  const crew = crews[n]!;
  return { crew, carrier: crew.carriers[0]!, shift: f.shift.id };
};
const fresh = async (room: string): Promise<BoardSnapshot> => {
  const c = await live('admin');
  const s = await c.join(room);
  c.close();
  return s;
};

describe('socket authentication', () => {
  it('refuses a socket without a token with the REST error shape', async () => {
    await assert.rejects(live(undefined), (e: { data?: unknown }) => {
      assert.deepEqual(e.data, { error: { id: 'unauthenticated', message: 'Log in first.' } });
      return true;
    });
  });
  it('refuses a forged token with invalid_token', async () => {
    await assert.rejects(connectLive(server.url, 'x.y.z'), (e: { data?: { error: { id: string } } }) => {
      assert.equal(e.data?.error.id, 'invalid_token');
      return true;
    });
  });
});

describe('joining rooms', () => {
  it('acknowledges a join with a snapshot of the room', async () => {
    const c = await live('control.south');
    const s = await c.join('bcu:SN');
    assert.equal(s.room, 'bcu:SN');
    assert.equal(s.at, LIVE_NOW.toISOString());
    assert.equal(s.devices.length, 200);
    const crews = [...stations.values()].reduce((n, f) => n + f.crews.length, 0);
    assert.equal(s.units.length, crews);
    assert.ok(s.units.every((u) => u.status === 'off_duty' && u.version === 0));
    const summary = summarise(s.devices, s.units, s.alerts);
    assert.equal(summary.devices.issued, 0);
    assert.equal(summary.free, s.devices.filter((d) => d.state === 'in_armoury').length);
  });
  it('refuses a room outside the socket’s scope with out_of_scope', async () => {
    const c = await live('lead.bromley');
    assert.deepEqual(await c.request(SOCKET_EVENTS.join, { room: 'borough:CROY' }), {
      error: { id: 'out_of_scope', message: 'That is outside your borough (BROM).' },
    });
    assert.equal(((await c.join('bcu:SN')) as any).error.id, 'out_of_scope');
    assert.equal(((await c.join('station:CR')) as any).error.id, 'out_of_scope');
    assert.equal((await c.join('station:OR')).room, 'station:OR');
  });
  it('refuses an unknown unit and a malformed room with stable ids', async () => {
    const c = await live('admin');
    assert.equal(((await c.join('borough:NOPE')) as any).error.id, 'unit_not_found');
    assert.equal((await c.request(SOCKET_EVENTS.join, { room: 'planet:earth' })).error.id, 'validation_failed');
    assert.equal((await c.request(SOCKET_EVENTS.join, 'borough:BROM')).error.id, 'validation_failed');
    assert.equal((await c.request(SOCKET_EVENTS.leave, { room: 'borough:BROM' })).error.id, 'not_joined');
  });
});

describe('scope isolation', () => {
  it('never lets a borough’s client hear another borough’s events', async () => {
    const bromley = await live('lead.bromley');
    const croydon = await live('planner.croydon');
    await bromley.join('borough:BROM');
    await croydon.join('borough:CROY');
    const cr = planned('CR');
    const r1 = await post('admin', '/custody/issue', { device: cr.carrier.device, officer: cr.carrier.officer });
    assert.equal(r1.status, 201, JSON.stringify(r1.body));
    const heard = await croydon.next((d) => d.event.type === 'custody.changed');
    assert.equal(heard.room, 'borough:CROY');
    assert.equal(heard.event.type === 'custody.changed' && heard.event.device.serial, cr.carrier.device);
    const br = planned('BR');
    const r2 = await post('armourer.bromley', '/custody/issue', {
      device: br.carrier.device,
      officer: br.carrier.officer,
    });
    assert.equal(r2.status, 201);
    const first = await bromley.next(() => true);
    // Deltas reach a socket in the order they are emitted: had CROY's reached BROM, it would come first.
    assert.equal(first.event.type === 'custody.changed' && first.event.device.serial, br.carrier.device);
    await post('admin', '/custody/return', { device: cr.carrier.device });
    await post('armourer.bromley', '/custody/return', { device: br.carrier.device });
    await croydon.next((d) => d.event.type === 'custody.changed' && d.event.kind === 'return');
    await bromley.next((d) => d.event.type === 'custody.changed' && d.event.kind === 'return');
    const boroughOf = (d: (typeof bromley.deltas)[number]) =>
      d.event.type === 'custody.changed'
        ? d.event.device.borough
        : d.event.type === 'unit.changed'
          ? d.event.unit.borough
          : d.event.type === 'cover.changed'
            ? d.event.alert.borough
            : d.event.placement.borough;
    assert.deepEqual([...new Set(bromley.deltas.map((d) => `${d.room} ${boroughOf(d)}`))], ['borough:BROM BROM']);
    assert.deepEqual([...new Set(croydon.deltas.map((d) => `${d.room} ${boroughOf(d)}`))], ['borough:CROY CROY']);
    assert.equal(bromley.deltas.filter((d) => d.event.type === 'custody.changed').length, 2);
    assert.equal(croydon.deltas.filter((d) => d.event.type === 'custody.changed').length, 2);
  });
});

describe('snapshot and numbered deltas', () => {
  it('numbers deltas per room from the snapshot on, and a follower ends with the board a fresh snapshot shows', async () => {
    const c = await live('control.south');
    // Listen before joining: deltas numbered after the snapshot can arrive before its acknowledgement.
    const follower = follow(c, 'bcu:SN');
    const snap = await c.join('bcu:SN');
    follower.load(snap);
    const { crew, carrier, shift } = planned('OR');
    assert.equal((await post('control.south', '/units/book-on', { shift, officer: carrier.officer })).status, 200);
    const other = crew.members.find((m) => m !== carrier.officer)!;
    assert.equal((await post('control.south', '/units/book-on', { shift, officer: other })).status, 200);
    await post('admin', '/custody/issue', { device: carrier.device, officer: carrier.officer });
    await post('control.south', '/units/status', { shift, callSign: crew.callSign, status: 'committed' });
    const last = await c.next((d) => d.event.type === 'unit.changed' && d.event.kind === 'status');
    // A delta numbered before the snapshot can still arrive after the join (it was in flight); the
    // snapshot already reflects it. Every later number arrives once, in order.
    const mine = c.deltas.filter(
      (d) => d.room === 'bcu:SN' && d.epoch === snap.epoch && d.seq > snap.seq && d.seq <= last.seq,
    );
    assert.deepEqual(
      mine.map((d) => d.seq),
      Array.from({ length: last.seq - snap.seq }, (_, i) => snap.seq + 1 + i),
    );
    assert.ok(mine.length >= 4);
    await eventually(() => follower.board!.seq >= last.seq);
    await assertSameBoard(follower, () => fresh('bcu:SN'));
    const unit = follower.board!.units.get(`${shift}|${crew.callSign}`)!;
    assert.equal(unit.status, 'committed');
    assert.deepEqual(unit.bookedOn, [carrier.officer, other]);
    const summary = summariseBoard(follower.board!);
    assert.equal(summary.taserUnits, 1);
    assert.equal(summary.stations.find((s) => s.station === 'OR')!.taserUnits, 1);
    assert.equal(follower.stats.resyncs, 0);
  });

  it('shows a planned carrier booked on without a device as a divergence until the device is issued', async () => {
    const c = await live('control.south');
    const follower = follow(c, 'borough:SUTT');
    follower.load(await c.join('borough:SUTT'));
    const { crew, carrier, shift } = planned('SU');
    await post('control.south', '/units/book-on', { shift, officer: carrier.officer });
    await eventually(() => summariseBoard(follower.board!).divergences.length === 1);
    assert.deepEqual(summariseBoard(follower.board!).divergences, [
      {
        kind: 'carrier_without_device',
        unit: `${shift}|${crew.callSign}`,
        callSign: crew.callSign,
        station: 'SU',
        officer: carrier.officer,
        planned: carrier.device,
        holding: null,
      },
    ]);
    const rest = await call(server, 'GET', '/board?level=borough&id=SUTT', { token: tokens['control.south'] });
    assert.equal(rest.body.summary.divergences.length, 1);
    await post('admin', '/custody/issue', { device: carrier.device, officer: carrier.officer });
    await eventually(() => summariseBoard(follower.board!).divergences.length === 0);
  });

  it('refuses booking someone not in the published plan, twice, or off while holding a device', async () => {
    const { carrier, shift } = planned('SU');
    const dup = await post('control.south', '/units/book-on', { shift, officer: carrier.officer });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.error.id, 'already_booked_on');
    const off = await post('control.south', '/units/book-off', { shift, officer: carrier.officer });
    assert.equal(off.body.error.id, 'device_not_returned');
    const stranger = await post('control.south', '/units/book-on', { shift, officer: 'PC0001' });
    assert.equal(stranger.status, 404);
    assert.equal(stranger.body.error.id, 'not_in_published_crew');
    const armourer = await post('armourer.bromley', '/units/book-on', { shift, officer: carrier.officer });
    assert.equal(armourer.body.error.id, 'forbidden_role');
  });
});

describe('gaps and reconnects', () => {
  it('resyncs to a correct snapshot when a delta goes missing', async () => {
    const c = await live('control.south');
    let lost = -1;
    const follower = follow(c, 'borough:BROM', { drop: (d) => d.seq === lost, gapWaitMs: 100 });
    const snap = await c.join('borough:BROM');
    lost = snap.seq + 1;
    follower.load(snap);
    const { crew, carrier, shift } = planned('BR', 1);
    await post('control.south', '/units/book-on', { shift, officer: carrier.officer });
    await post('armourer.bromley', '/custody/issue', { device: carrier.device, officer: carrier.officer });
    await c.next((d) => d.seq === lost + 1);
    await eventually(() => follower.stats.resyncs === 1 && follower.board!.seq >= lost + 1);
    assert.equal(follower.stats.gaps, 1);
    await assertSameBoard(follower, () => fresh('borough:BROM'));
    const unit = follower.board!.units.get(`${shift}|${crew.callSign}`)!;
    assert.deepEqual(unit.bookedOn, [carrier.officer]);
    assert.equal(follower.board!.devices.get(carrier.device)!.holder, carrier.officer);
  });

  it('gets the same board after reconnecting as a client that stayed', async () => {
    const stayed = await live('control.south');
    const follower = follow(stayed, 'bcu:SN');
    follower.load(await stayed.join('bcu:SN'));
    const leaving = await live('control.south');
    await leaving.join('bcu:SN');
    leaving.close();
    const { carrier, shift } = planned('BR', 2);
    await post('control.south', '/units/book-on', { shift, officer: carrier.officer });
    const back = await live('control.south');
    await assertSameBoard(follower, () => back.join('bcu:SN'));
  });
});

describe('cover alerts', () => {
  it('raises an alert when a borough falls below the minimum of Taser units and clears it on recovery', async () => {
    const c = await live('control.south');
    const follower = follow(c, 'borough:CROY');
    const snap = await c.join('borough:CROY');
    follower.load(snap);
    const key = 'CROY|2026-11-22|E';
    // Earlier tests left Croydon's early shift with no Taser unit: below the minimum of 1.
    const before = snap.alerts.find((a) => a.key === key)!;
    assert.equal(before.below, true);
    const { crew, carrier, shift } = planned('CR', 1);
    await post('control.south', '/units/book-on', { shift, officer: carrier.officer });
    await post('admin', '/custody/issue', { device: carrier.device, officer: carrier.officer });
    const cleared = await c.next((d) => d.event.type === 'cover.changed' && d.event.kind === 'cleared');
    assert.ok(cleared.event.type === 'cover.changed');
    assert.deepEqual(
      { ...cleared.event.alert, since: 'x' },
      {
        key,
        force: 'MPS',
        bcu: 'SN',
        borough: 'CROY',
        date: '2026-11-22',
        code: 'E',
        start: crew.start,
        end: crew.end,
        below: false,
        count: 1,
        min: 1,
        since: 'x',
        version: before.version + 1,
      },
    );
    await eventually(() => summariseBoard(follower.board!).alerts.length === 0);
    await post('admin', '/custody/return', { device: carrier.device });
    const raised = await c.next((d) => d.event.type === 'cover.changed' && d.event.kind === 'raised');
    assert.ok(raised.event.type === 'cover.changed');
    assert.equal(raised.event.alert.count, 0);
    assert.equal(raised.event.alert.version, before.version + 2);
    await eventually(() => summariseBoard(follower.board!).alerts.length === 1);
    assert.equal(summariseBoard(follower.board!).alerts[0]!.key, key);
    const bromley = await live('lead.bromley');
    const s = await bromley.join('borough:BROM');
    assert.ok(s.alerts.every((a) => a.borough === 'BROM'));
  });
});
