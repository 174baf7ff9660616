import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { overdueMinutes } from '../../shared/live/board-state.js';
import type { BoardSnapshot } from '../../shared/schemas/board.schema.js';
import type { Officer } from '../../shared/schemas/officer.schema.js';
import { SOCKET_EVENTS, type BoardDelta } from '../../shared/schemas/live-event.schema.js';
import { publishedCrewRepository, type PublishedCrew } from '../../server/repositories/crew-plan.repository.js';
import { assertSameBoard, connectLive, eventually, follow, type LiveClient } from './helpers/live-client.js';
import { TestClock } from './helpers/test-clock.js';
import { call, loginAs, startTestServer, stopOwnStore, type TestServer } from './helpers/test-server.js';

/**
 * Issue 9 item 1: the board follows the clock. The server's shift clock waits on an injected clock; the
 * tests move it across shift boundaries with a socket joined to `borough:BROM` and never ask for anything.
 * First the night of the clock change (last Sunday of October 2026), then a November night → earlies.
 */
const clock = new TestClock('2026-10-25T00:30:00Z');
let server: TestServer;
let control: string;
let admin: string;
const clients: LiveClient[] = [];

before(async () => {
  server = await startTestServer({ clock: clock.now, timer: clock.timer, env: { MIN_TASER_UNITS: '1' } });
  control = await loginAs(server, 'control.south');
  admin = await loginAs(server, 'admin');
});
after(async () => {
  for (const c of clients) c.close();
  await server.stop();
  await stopOwnStore();
});

const BOROUGH: Record<string, string> = { BR: 'BROM', OR: 'BROM' };

/** Publishes pairs of the officers on duty for a station's shift (date, code), the first of each planned to carry. */
async function publishCrews(station: string, date: string, code: string): Promise<PublishedCrew[]> {
  const duty = await call(server, 'GET', `/duty?station=${station}&from=${date}&to=${date}`, { token: control });
  assert.equal(duty.status, 200, JSON.stringify(duty.body));
  const s = (duty.body.shifts as { id: string; code: string; start: string; end: string; onDuty: Officer[] }[]).find(
    (x) => x.code === code,
  )!;
  const devices = await call(server, 'GET', `/devices?station=${station}&pageSize=500`, { token: admin });
  const free = (devices.body.items as { serial: string; state: string }[]).filter((d) => d.state === 'in_armoury');
  const crews: PublishedCrew[] = [];
  for (let i = 0; i + 1 < s.onDuty.length && crews.length < 4; i += 2) {
    const members = [s.onDuty[i]!.collar, s.onDuty[i + 1]!.collar];
    crews.push({
      plan: 'clock-test',
      shift: s.id,
      force: 'MPS',
      bcu: 'SN',
      borough: BOROUGH[station]!,
      station,
      start: s.start,
      end: s.end,
      callSign: `${station}-${code}-${String(crews.length + 1).padStart(2, '0')}`,
      members,
      carriers: [{ officer: members[0]!, device: free[crews.length]!.serial }],
    });
  }
  assert.ok(crews.length >= 2, `two crews on ${s.id}`);
  await publishedCrewRepository.replaceForShifts([{ id: s.id, station }], crews);
  return crews;
}

const live = async () => {
  const c = await connectLive(server.url, control);
  clients.push(c);
  return c;
};
const fresh = async (room: string): Promise<BoardSnapshot> => {
  const c = await live();
  const s = await c.join(room);
  c.close();
  return s;
};
const keys = (units: Iterable<{ key: string }>) => [...units].map((u) => u.key).sort();
const boundaryAt = (iso: string) => (d: BoardDelta) => d.event.type === 'shift.boundary' && d.event.at === iso;

describe('the board across the October clock change', () => {
  it('opens the earlies at 06:00 UTC and ends a ten-hour night at 07:00 UTC (07:00 GMT) by pushed deltas', async () => {
    // Nights of Saturday 24 October: 22:00 BST (21:00Z) to 07:00 GMT (07:00Z) on Sunday 25.
    const nights = await publishCrews('BR', '2026-10-24', 'N');
    const earlies = await publishCrews('BR', '2026-10-25', 'E');
    assert.equal(Date.parse(nights[0]!.start), Date.parse('2026-10-24T21:00:00Z'));
    assert.equal(Date.parse(nights[0]!.end), Date.parse('2026-10-25T07:00:00Z'));
    await server.services.live.shiftClock.idle();
    await eventually(() => clock.pending()[0] === Date.parse('2026-10-25T06:00:00Z'));
    const client = await live();
    const follower = follow(client, 'station:BR');
    follower.load(await client.join('station:BR'));
    assert.deepEqual(
      keys(follower.board!.units.values()),
      keys(nights.map((c) => ({ key: `${c.shift}|${c.callSign}` }))),
    );

    clock.set('2026-10-25T06:00:00Z');
    await client.next(boundaryAt('2026-10-25T06:00:00.000Z'));
    await eventually(() => follower.board!.units.size === nights.length + earlies.length);
    assert.equal(clock.pending()[0], Date.parse('2026-10-25T07:00:00Z'), 'the next boundary is the night’s end in GMT');

    clock.set('2026-10-25T07:00:00Z');
    await client.next(boundaryAt('2026-10-25T07:00:00.000Z'));
    await eventually(() => follower.board!.units.size === earlies.length);
    assert.deepEqual(
      keys(follower.board!.units.values()),
      keys(earlies.map((c) => ({ key: `${c.shift}|${c.callSign}` }))),
    );
    assert.equal(follower.stats.resyncs, 0);
    await assertSameBoard(follower, () => fresh('station:BR'));
    follower.close();
  });
});

describe('the board across a November shift change', () => {
  let nights: PublishedCrew[];
  let earlies: PublishedCrew[];
  before(async () => {
    clock.set('2026-11-22T05:30:00Z');
    await server.services.live.shiftClock.idle();
    nights = [...(await publishCrews('BR', '2026-11-21', 'N')), ...(await publishCrews('OR', '2026-11-21', 'N'))];
    earlies = [...(await publishCrews('BR', '2026-11-22', 'E')), ...(await publishCrews('OR', '2026-11-22', 'E'))];
  });

  it('shows the earlies from the issue lead, then drops the nights, keeps the one still booked on overdue and closes the night alert', async () => {
    const client = await live();
    const follower = follow(client, 'borough:BROM');
    follower.load(await client.join('borough:BROM'));
    const nightKeys = keys(nights.map((c) => ({ key: `${c.shift}|${c.callSign}` })));
    const earlyKeys = keys(earlies.map((c) => ({ key: `${c.shift}|${c.callSign}` })));
    assert.deepEqual(keys(follower.board!.units.values()), nightKeys, 'before 06:00 the room shows the night units');

    // A night carrier books on at 05:30: nobody holds a device, so the nights' cover alert opens (0 of 1).
    const night = nights[0]!;
    const booked = await call(server, 'POST', '/units/book-on', {
      token: control,
      body: { shift: night.shift, officer: night.members[0] },
    });
    assert.equal(booked.status, 200, JSON.stringify(booked.body));
    const raised = await client.next((d) => d.event.type === 'cover.changed' && d.event.alert.code === 'N');
    assert.ok(raised.event.type === 'cover.changed');
    const alertKey = raised.event.alert.key;
    assert.equal(raised.event.alert.below, true);
    await eventually(() => follower.board!.alerts.has(alertKey));

    clock.set('2026-11-22T06:00:00Z');
    const opened = await client.next(boundaryAt('2026-11-22T06:00:00.000Z'));
    assert.ok(opened.event.type === 'shift.boundary');
    assert.deepEqual(keys(opened.event.units), earlyKeys);
    assert.ok(opened.event.units.every((u) => u.plannedCarriers.length === 1 && u.status === 'off_duty'));
    assert.deepEqual(opened.event.left, []);
    assert.deepEqual(
      opened.event.shifts.map((s) => `${s.code} ${s.when}`),
      ['N current', 'E current', 'L next'],
    );
    await eventually(() => follower.board!.units.size === nightKeys.length + earlyKeys.length);
    // The book-on window (the board's units) holds the oncoming units within the lead.
    assert.deepEqual(keys(follower.board!.units.values()), keys([...nightKeys, ...earlyKeys].map((key) => ({ key }))));

    clock.set('2026-11-22T07:25:00Z');
    const ended = await client.next(boundaryAt('2026-11-22T07:25:00.000Z'));
    assert.ok(ended.event.type === 'shift.boundary');
    const nightKey = `${night.shift}|${night.callSign}`;
    assert.deepEqual(ended.event.overdue, [{ key: nightKey, since: night.end }]);
    assert.equal(Date.parse(night.end), Date.parse('2026-11-22T07:00:00Z'));
    assert.deepEqual(
      ended.event.left.map((g) => g.key),
      nightKeys.filter((k) => k !== nightKey),
    );
    assert.deepEqual(
      ended.event.closed.map((g) => g.key),
      [alertKey],
    );
    await eventually(() => follower.board!.units.size === earlyKeys.length + 1);
    assert.deepEqual(keys(follower.board!.units.values()), keys([...earlyKeys, nightKey].map((key) => ({ key }))));
    assert.equal(overdueMinutes(follower.board!.units.get(nightKey)!, clock.now()), 25);
    assert.equal(follower.board!.alerts.has(alertKey), false);
    assert.equal(follower.stats.resyncs, 0, 'no request from the client');
    await assertSameBoard(follower, () => fresh('borough:BROM'));
    const snap = await fresh('borough:BROM');
    assert.deepEqual(follower.board!.shifts, snap.shifts);

    // Booking the night officer off removes the overdue unit, on the board and in the snapshot alike.
    const off = await call(server, 'POST', '/units/book-off', {
      token: control,
      body: { shift: night.shift, officer: night.members[0] },
    });
    assert.equal(off.status, 200, JSON.stringify(off.body));
    await eventually(() => !follower.board!.units.has(nightKey));
    await assertSameBoard(follower, () => fresh('borough:BROM'));
    assert.equal(SOCKET_EVENTS.deltas, 'board:deltas');
    follower.close();
  });
});
