import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LIVE_NOW } from './helpers/live-client.js';
import { publishEarlyCrews, type StationFixture } from './helpers/live-fixtures.js';
import { call, loginAs, startTestServer, stopOwnStore, type TestServer } from './helpers/test-server.js';

let server: TestServer;
let armourer: string;
let admin: string;
let planner: string;
let control: string;
let br: StationFixture;

const taser = (lastTrained: string, extra: Record<string, unknown> = {}) => ({
  lastTrained,
  models: ['X2'],
  endorsed: false,
  suspended: false,
  volunteer: true,
  ...extra,
});

before(async () => {
  server = await startTestServer({ clock: () => LIVE_NOW });
  [armourer, admin, planner, control] = (await Promise.all(
    ['armourer.bromley', 'admin', 'planner.bromley', 'control.south'].map((u) => loginAs(server, u)),
  )) as [string, string, string, string];
  br = (await publishEarlyCrews(server, control, admin)).get('BR')!;
  const team = br.shift.team;
  const other = ['BR-A', 'BR-B', 'BR-C', 'BR-D', 'BR-E'].find((t) => t !== team)!;
  const officers = [
    { collar: 'PC9101', team, taser: taser('2026-06-01') },
    { collar: 'PC9102', team, taser: taser('2025-11-22') },
    { collar: 'PC9103', team, taser: taser('2026-06-01', { suspended: true }) },
    { collar: 'PC9104', team, taser: taser('2026-06-01', { models: ['T7'] }) },
    { collar: 'PC9105', team, taser: null },
    { collar: 'PC9106', team: other, taser: taser('2026-06-01') },
    { collar: 'PC9107', team, taser: taser('2026-06-01') },
    { collar: 'PC9108', team, taser: taser('2026-06-01') },
    { collar: 'PC9109', team, kind: 'student', taser: taser('2026-06-01', { endorsed: true }) },
    { collar: 'PC9110', team, taser: taser('2025-11-23') },
  ];
  for (const o of officers) {
    const r = await call(server, 'POST', '/officers', {
      token: planner,
      body: { name: `Test ${o.collar}`, rank: 'PC', kind: 'regular', station: 'BR', ...o },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  for (let i = 1; i <= 12; i++) {
    const r = await call(server, 'POST', '/devices', {
      token: admin,
      body: { serial: `X2-9900${String(i).padStart(2, '0')}`, model: 'X2', station: 'BR' },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  await call(server, 'POST', '/devices', {
    token: admin,
    body: { serial: 'X2-990020', model: 'X2', station: 'BR', state: 'faulty' },
  });
  await call(server, 'POST', '/devices', { token: admin, body: { serial: 'T7-990030', model: 'T7', station: 'BR' } });
  await call(server, 'POST', '/devices', { token: admin, body: { serial: 'X2-990040', model: 'X2', station: 'OR' } });
});
after(async () => {
  await server.stop();
  await stopOwnStore();
});

const issue = (token: string, device: string, officer: string) =>
  call(server, 'POST', '/custody/issue', { token, body: { device, officer } });
const receive = (token: string, body: Record<string, unknown>) =>
  call(server, 'POST', '/custody/return', { token, body });

describe('issuing a device', () => {
  it('issues a serviceable device to an on-duty authorised officer and records who, what, when, which shift', async () => {
    const r = await issue(armourer, 'X2-990001', 'PC9101');
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.deepEqual(r.body.device, {
      serial: 'X2-990001',
      model: 'X2',
      force: 'MPS',
      bcu: 'SN',
      borough: 'BROM',
      station: 'BR',
      state: 'issued',
      holder: 'PC9101',
      shift: br.shift.id,
      version: 1,
    });
    assert.deepEqual(r.body.record, {
      id: 'X2-990001#1',
      kind: 'issue',
      at: LIVE_NOW.toISOString(),
      by: 'armourer.bromley',
      device: 'X2-990001',
      model: 'X2',
      fromState: 'in_armoury',
      toState: 'issued',
      officer: 'PC9101',
      shift: br.shift.id,
      callSign: null,
      note: null,
      force: 'MPS',
      bcu: 'SN',
      borough: 'BROM',
      station: 'BR',
    });
    const device = await call(server, 'GET', '/devices/X2-990001', { token: armourer });
    assert.equal(device.body.state, 'issued');
  });

  it('records the planned crew’s call sign when the officer is in the published plan', async () => {
    const c = br.carriers.find((x) => br.crews.some((k) => k.carriers[0]?.officer === x.officer))!;
    const crew = br.crews.find((k) => k.members.includes(c.officer))!;
    const r = await issue(armourer, c.device, c.officer);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.record.callSign, crew.callSign);
    assert.equal((await receive(armourer, { device: c.device })).status, 200);
  });

  const refusals: [string, string, string, number][] = [
    ['an officer not on duty', 'PC9106', 'officer_not_on_duty', 409],
    ['an officer whose authorisation lapses before the shift ends', 'PC9102', 'authorisation_lapsed', 409],
    ['a suspended officer', 'PC9103', 'officer_suspended', 409],
    ['an officer without Taser authorisation', 'PC9105', 'officer_not_authorised', 409],
    ['a student officer while force policy does not allow it', 'PC9109', 'officer_kind_not_permitted', 409],
    ['an unknown officer', 'PC9999', 'officer_not_found', 404],
  ];
  for (const [what, officer, id, status] of refusals)
    it(`refuses ${what} with ${id}`, async () => {
      const r = await issue(armourer, 'X2-990002', officer);
      assert.equal(r.status, status);
      assert.equal(r.body.error.id, id);
      const device = await call(server, 'GET', '/devices/X2-990002', { token: armourer });
      assert.equal(device.body.state, 'in_armoury');
    });

  it('lets an officer carry when the authorisation lapses at midnight after the shift ends', async () => {
    const r = await issue(armourer, 'X2-990011', 'PC9110');
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal((await receive(armourer, { device: 'X2-990011' })).status, 200);
  });

  it('refuses a device of a model the officer is not trained on', async () => {
    const r = await issue(armourer, 'X2-990002', 'PC9104');
    assert.equal(r.status, 409);
    assert.equal(r.body.error.id, 'model_not_authorised');
  });

  it('refuses an officer who already holds a device', async () => {
    const r = await issue(armourer, 'X2-990003', 'PC9101');
    assert.equal(r.status, 409);
    assert.equal(r.body.error.id, 'officer_holds_device');
  });

  it('refuses a device already out, a faulty one, one of another station and an unknown one', async () => {
    assert.equal((await issue(armourer, 'X2-990001', 'PC9107')).body.error.id, 'device_already_issued');
    assert.equal((await issue(armourer, 'X2-990020', 'PC9107')).body.error.id, 'device_not_serviceable');
    assert.equal((await issue(admin, 'X2-990040', 'PC9107')).body.error.id, 'device_other_station');
    const r = await issue(armourer, 'X2-000404', 'PC9107');
    assert.equal(r.status, 404);
    assert.equal(r.body.error.id, 'device_not_found');
  });

  it('refuses an armourer outside the device’s station, and a role that may not issue', async () => {
    assert.equal((await issue(armourer, 'X2-990040', 'PC9107')).body.error.id, 'out_of_scope');
    const r = await issue(control, 'X2-990002', 'PC9107');
    assert.equal(r.status, 403);
    assert.equal(r.body.error.id, 'forbidden_role');
  });

  it('refuses malformed input with 400 validation_failed', async () => {
    const r = await call(server, 'POST', '/custody/issue', {
      token: armourer,
      body: { device: 'nope', officer: 'PC9107', x: 1 },
    });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.id, 'validation_failed');
  });
});

describe('two armourers at once', () => {
  it('gives one device to exactly one of two officers issued it at the same moment, every time', async () => {
    for (let round = 0; round < 5; round++) {
      const [a, b] = await Promise.all([issue(armourer, 'X2-990004', 'PC9107'), issue(admin, 'X2-990004', 'PC9108')]);
      const statuses = [a.status, b.status].sort();
      assert.deepEqual(statuses, [201, 409], JSON.stringify([a.body, b.body]));
      const loser = a.status === 409 ? a : b;
      assert.equal(loser.body.error.id, 'device_already_issued');
      const winner = a.status === 201 ? 'PC9107' : 'PC9108';
      const device = await call(server, 'GET', '/devices/X2-990004', { token: armourer });
      assert.equal(device.body.holder, winner);
      assert.equal((await receive(armourer, { device: 'X2-990004', officer: winner })).status, 200);
    }
    const trail = await call(server, 'GET', '/custody/events?device=X2-990004&pageSize=100', { token: armourer });
    assert.equal(trail.body.total, 10);
    assert.deepEqual(
      trail.body.items.map((e: { kind: string }) => e.kind),
      Array.from({ length: 5 }, () => ['return', 'issue']).flat(),
    );
  });

  it('gives one officer at most one of two devices issued to them at the same moment', async () => {
    for (let round = 0; round < 5; round++) {
      const [a, b] = await Promise.all([issue(armourer, 'X2-990005', 'PC9107'), issue(admin, 'X2-990006', 'PC9107')]);
      assert.deepEqual([a.status, b.status].sort(), [201, 409], JSON.stringify([a.body, b.body]));
      assert.equal((a.status === 409 ? a : b).body.error.id, 'officer_holds_device');
      const held = a.status === 201 ? 'X2-990005' : 'X2-990006';
      const free = held === 'X2-990005' ? 'X2-990006' : 'X2-990005';
      assert.equal((await call(server, 'GET', `/devices/${free}`, { token: armourer })).body.state, 'in_armoury');
      assert.equal((await receive(armourer, { device: held })).status, 200);
    }
  });
});

describe('returns, faults and repairs', () => {
  it('receives a device back, refuses a second return, and keeps the audit trail in order', async () => {
    const r = await receive(armourer, { device: 'X2-990001', officer: 'PC9101' });
    assert.equal(r.status, 200);
    assert.equal(r.body.device.state, 'in_armoury');
    assert.equal(r.body.device.holder, null);
    assert.equal(r.body.record.kind, 'return');
    assert.equal(r.body.record.officer, 'PC9101');
    assert.equal(r.body.record.shift, br.shift.id);
    const again = await receive(armourer, { device: 'X2-990001' });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.id, 'device_not_issued');
  });

  it('refuses a return naming the wrong holder', async () => {
    await issue(armourer, 'X2-990007', 'PC9107');
    const r = await receive(armourer, { device: 'X2-990007', officer: 'PC9108' });
    assert.equal(r.status, 409);
    assert.equal(r.body.error.id, 'wrong_holder');
  });

  it('takes a device reported faulty on return out of service, then through repair back to the armoury', async () => {
    const back = await receive(armourer, { device: 'X2-990007', fault: 'cartridge bay cracked' });
    assert.equal(back.body.device.state, 'faulty');
    assert.equal(back.body.record.note, 'fault: cartridge bay cracked');
    assert.equal((await issue(armourer, 'X2-990007', 'PC9107')).body.error.id, 'device_not_serviceable');
    const sent = await call(server, 'POST', '/custody/repair', {
      token: armourer,
      body: { device: 'X2-990007', action: 'send' },
    });
    assert.equal(sent.body.device.state, 'in_repair');
    assert.equal(sent.body.record.kind, 'repair_sent');
    const done = await call(server, 'POST', '/custody/repair', {
      token: armourer,
      body: { device: 'X2-990007', action: 'complete' },
    });
    assert.equal(done.body.device.state, 'in_armoury');
    const trail = await call(server, 'GET', '/custody/events?device=X2-990007', { token: armourer });
    assert.deepEqual(
      trail.body.items.map((e: { kind: string; fromState: string; toState: string }) => [
        e.kind,
        e.fromState,
        e.toState,
      ]),
      [
        ['repaired', 'in_repair', 'in_armoury'],
        ['repair_sent', 'faulty', 'in_repair'],
        ['return', 'issued', 'faulty'],
        ['issue', 'in_armoury', 'issued'],
      ],
    );
  });

  it('records a fault on a device in the armoury and refuses one on an issued device', async () => {
    const f = await call(server, 'POST', '/custody/fault', {
      token: armourer,
      body: { device: 'X2-990008', note: 'no arc' },
    });
    assert.equal(f.status, 200);
    assert.equal(f.body.device.state, 'faulty');
    await issue(armourer, 'X2-990009', 'PC9108');
    const r = await call(server, 'POST', '/custody/fault', {
      token: armourer,
      body: { device: 'X2-990009', note: 'x' },
    });
    assert.equal(r.status, 409);
    assert.equal(r.body.error.id, 'device_issued');
    const bad = await call(server, 'POST', '/custody/repair', {
      token: armourer,
      body: { device: 'X2-990010', action: 'send' },
    });
    assert.equal(bad.status, 409);
    assert.equal(bad.body.error.id, 'invalid_device_transition');
  });

  it('refuses an edit of an issued device and records a serviceability edit in the custody log', async () => {
    const issued = await call(server, 'PATCH', '/devices/X2-990009', { token: admin, body: { state: 'faulty' } });
    assert.equal(issued.status, 409);
    assert.equal(issued.body.error.id, 'device_issued');
    const r = await call(server, 'PATCH', '/devices/X2-990012', { token: admin, body: { state: 'in_repair' } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.state, 'in_repair');
    assert.equal(r.body.version, 1);
    const trail = await call(server, 'GET', '/custody/events?device=X2-990012', { token: armourer });
    assert.deepEqual(
      trail.body.items.map((e: { kind: string; fromState: string; toState: string; by: string }) => [
        e.kind,
        e.fromState,
        e.toState,
        e.by,
      ]),
      [['repair_sent', 'in_armoury', 'in_repair', 'admin']],
    );
    assert.equal((await issue(armourer, 'X2-990012', 'PC9107')).body.error.id, 'device_not_serviceable');
  });

  it('deletes only a device that was never used; one with a custody history is to be retired', async () => {
    const used = await call(server, 'DELETE', '/devices/X2-990012', { token: admin });
    assert.equal(used.status, 409);
    assert.equal(used.body.error.id, 'device_has_history');
    assert.equal((await call(server, 'GET', '/devices/X2-990012', { token: admin })).status, 200);
    const created = await call(server, 'POST', '/devices', {
      token: admin,
      body: { serial: 'T7-990099', model: 'T7', station: 'BR' },
    });
    assert.equal(created.status, 201);
    assert.equal((await call(server, 'DELETE', '/devices/T7-990099', { token: admin })).status, 204);
    assert.equal((await call(server, 'GET', '/devices/T7-990099', { token: admin })).body.error.id, 'device_not_found');
  });

  it('shows the audit trail only within scope', async () => {
    const croydon = await loginAs(server, 'planner.croydon');
    const r = await call(server, 'GET', '/custody/events?borough=BROM', { token: croydon });
    assert.equal(r.status, 403);
    assert.equal(r.body.error.id, 'out_of_scope');
    const mine = await call(server, 'GET', '/custody/events?pageSize=500', { token: croydon });
    assert.equal(mine.body.total, 0);
    const bromley = await call(server, 'GET', '/custody/events?station=BR&pageSize=500', { token: armourer });
    assert.ok(bromley.body.total >= 20);
    assert.ok(bromley.body.items.every((e: { station: string }) => e.station === 'BR'));
  });
});
