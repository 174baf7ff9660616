import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LIVE_NOW } from './helpers/live-client.js';
import { publishEarlyCrews, type StationFixture } from './helpers/live-fixtures.js';
import { call, loginAs, startTestServer, stopOwnStore, type TestServer } from './helpers/test-server.js';

// The early shift at BR runs 07:00–16:00 UTC on 2026-11-22; the clock starts 90 minutes before it.
const EARLY_START = '2026-11-22T07:00:00Z';
let now = new Date('2026-11-22T05:30:00Z');
let server: TestServer;
let armourer: string;
let admin: string;
let control: string;
let br: StationFixture;

before(async () => {
  server = await startTestServer({ clock: () => now });
  [armourer, admin, control] = (await Promise.all(
    ['armourer.bromley', 'admin', 'control.south'].map((u) => loginAs(server, u)),
  )) as [string, string, string];
  br = (await publishEarlyCrews(server, control, admin)).get('BR')!;
});
after(async () => {
  await server.stop();
  await stopOwnStore();
});

const carriersOf = (token: string, station = 'BR') =>
  call(server, 'GET', `/armoury/${station}/planned-carriers`, { token });
const devicesOf = (token: string, query = '', station = 'BR') =>
  call(server, 'GET', `/armoury/${station}/devices${query}`, { token });
const issue = (device: string, officer: string) =>
  call(server, 'POST', '/custody/issue', { token: armourer, body: { device, officer } });

describe('armoury lists: the issue lead comes from the force settings', () => {
  it('opens issuing and booking on when a longer issueLeadMinutes is saved, and says so in the list', async () => {
    const first = br.carriers[0]!;
    const before = await carriersOf(armourer);
    assert.equal(before.status, 200, JSON.stringify(before.body));
    assert.equal(before.body.issueLeadMinutes, 60);
    assert.deepEqual(before.body.shifts, [
      { shift: br.shift.id, start: EARLY_START, end: br.shift.end, opensAt: '2026-11-22T06:00:00.000Z', open: false },
    ]);
    assert.equal((await issue(first.device, first.officer)).body.error.id, 'officer_not_on_duty');
    const crew = br.crews.find((c) => c.members.includes(first.officer))!;
    const early = await call(server, 'POST', '/units/book-on', {
      token: control,
      body: { shift: crew.shift, officer: first.officer },
    });
    assert.equal(early.status, 409);
    assert.equal(early.body.error.id, 'shift_not_running');

    const saved = await call(server, 'PUT', '/force-settings', {
      token: admin,
      body: { version: 0, issueLeadMinutes: 120 },
    });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));

    const moved = await carriersOf(armourer);
    assert.equal(moved.body.issueLeadMinutes, 120);
    assert.deepEqual(moved.body.shifts, [
      { shift: br.shift.id, start: EARLY_START, end: br.shift.end, opensAt: '2026-11-22T05:00:00.000Z', open: true },
    ]);
    const issued = await issue(first.device, first.officer);
    assert.equal(issued.status, 201, JSON.stringify(issued.body));
    const booked = await call(server, 'POST', '/units/book-on', {
      token: control,
      body: { shift: crew.shift, officer: first.officer },
    });
    assert.equal(booked.status, 200, JSON.stringify(booked.body));
    const row = (await carriersOf(armourer)).body.carriers.find(
      (c: { officer: string }) => c.officer === first.officer,
    );
    assert.deepEqual(row, {
      shift: br.shift.id,
      callSign: crew.callSign,
      officer: first.officer,
      name: br.onDuty.find((o) => o.collar === first.officer)!.name,
      rank: br.onDuty.find((o) => o.collar === first.officer)!.rank,
      plannedDevice: first.device,
      holding: first.device,
      open: true,
    });
    // Back to the built-in lead for the tests below.
    await call(server, 'PUT', '/force-settings', { token: admin, body: { version: 1, issueLeadMinutes: 60 } });
    now = LIVE_NOW;
  });
});

describe('armoury lists: planned carriers', () => {
  it('lists every carrier of the published crews of the open shift, with the planned serial', async () => {
    const r = await carriersOf(armourer);
    assert.equal(r.status, 200);
    assert.equal(r.body.now, LIVE_NOW.toISOString());
    assert.deepEqual(
      r.body.carriers.map((c: { officer: string; plannedDevice: string | null; open: boolean }) => [
        c.officer,
        c.plannedDevice,
        c.open,
      ]),
      br.crews.flatMap((c) => c.carriers.map((k) => [k.officer, k.device, true])),
    );
  });

  it('refuses another role, another station and an unknown station', async () => {
    const wrongRole = await carriersOf(control);
    assert.equal(wrongRole.status, 403);
    assert.equal(wrongRole.body.error.id, 'forbidden_role');
    const otherStation = await carriersOf(armourer, 'OR');
    assert.equal(otherStation.status, 403);
    assert.equal(otherStation.body.error.id, 'out_of_scope');
    const none = await carriersOf(admin, 'ZZ');
    assert.equal(none.status, 404);
    assert.equal(none.body.error.id, 'station_not_found');
    // Role before the request: a role that may not read the lists is refused even with a malformed station.
    const badAndForbidden = await devicesOf(control, '', 'not a code');
    assert.equal(badAndForbidden.status, 403);
  });
});

describe('armoury lists: devices and the repair workflow', () => {
  it('lists the station devices with holder, and filters by state and by serial or holder', async () => {
    const all = await devicesOf(armourer);
    assert.equal(all.status, 200, JSON.stringify(all.body));
    const held = all.body.items.find((d: { serial: string }) => d.serial === br.carriers[0]!.device);
    assert.equal(held.state, 'issued');
    assert.equal(held.holder, br.carriers[0]!.officer);
    assert.equal(held.issuedShift, br.shift.id);
    const issued = await devicesOf(armourer, '?state=issued');
    assert.deepEqual(
      issued.body.items.map((d: { serial: string }) => d.serial),
      [br.carriers[0]!.device],
    );
    const byHolder = await devicesOf(armourer, `?q=${br.carriers[0]!.officer.toLowerCase()}`);
    assert.deepEqual(
      byHolder.body.items.map((d: { serial: string }) => d.serial),
      [br.carriers[0]!.device],
    );
    const bySerial = await devicesOf(armourer, `?q=${br.carriers[1]!.device}`);
    assert.deepEqual(
      bySerial.body.items.map((d: { serial: string; holder: string | null }) => [d.serial, d.holder]),
      [[br.carriers[1]!.device, null]],
    );
    assert.equal((await devicesOf(armourer, '', 'OR')).body.error.id, 'out_of_scope');
    assert.equal((await devicesOf(control)).body.error.id, 'forbidden_role');
  });

  it('shows the last return and the fault, then sends to repair, completes it and retires with a reason', async () => {
    const serial = br.carriers[0]!.device;
    const back = await call(server, 'POST', '/custody/return', {
      token: armourer,
      body: { device: serial, fault: 'probe door loose' },
    });
    assert.equal(back.status, 200, JSON.stringify(back.body));
    const row = (await devicesOf(armourer, `?q=${serial}`)).body.items[0];
    assert.deepEqual(
      { state: row.state, holder: row.holder, lastReturnAt: row.lastReturnAt, faults: row.faults, n: row.faultCount },
      {
        state: 'faulty',
        holder: null,
        lastReturnAt: LIVE_NOW.toISOString(),
        faults: [{ at: LIVE_NOW.toISOString(), note: 'probe door loose' }],
        n: 1,
      },
    );
    const repair = (action: string, note?: string) =>
      call(server, 'POST', '/custody/repair', { token: armourer, body: { device: serial, action, note } });
    assert.equal((await repair('send')).body.device.state, 'in_repair');
    assert.equal((await repair('complete')).body.device.state, 'in_armoury');
    const noReason = await repair('retire');
    assert.equal(noReason.status, 400);
    assert.equal(noReason.body.error.id, 'validation_failed');
    const retired = await repair('retire', 'housing cracked beyond repair');
    assert.equal(retired.status, 200, JSON.stringify(retired.body));
    const trail = await call(server, 'GET', `/custody/events?device=${serial}`, { token: armourer });
    assert.deepEqual(
      trail.body.items.map((e: { kind: string; toState: string; note: string | null }) => [e.kind, e.toState, e.note]),
      [
        ['retired', 'retired', 'housing cracked beyond repair'],
        ['repaired', 'in_armoury', null],
        ['repair_sent', 'in_repair', null],
        ['return', 'faulty', 'fault: probe door loose'],
        ['issue', 'issued', null],
      ],
    );
    assert.equal((await devicesOf(armourer, '?state=retired')).body.items[0].serial, serial);
  });
});
