import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, loginAs, startTestServer, stopOwnStore, type TestServer } from './helpers/test-server.js';

let server: TestServer;
let planner: string;
let admin: string;

before(async () => {
  server = await startTestServer();
  planner = await loginAs(server, 'planner.bromley');
  admin = await loginAs(server, 'admin');
});
after(async () => {
  await server.stop();
  await stopOwnStore();
});

describe('health', () => {
  it('answers without a login and names the database in use', async () => {
    const r = await call(server, 'GET', '/health');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { status: 'ok', database: { kind: 'external', name: server.dbName, reachable: true } });
  });
});

describe('login', () => {
  it('refuses a wrong password with invalid_credentials', async () => {
    const r = await call(server, 'POST', '/auth/login', { body: { username: 'planner.bromley', password: 'nope' } });
    assert.equal(r.status, 401);
    assert.equal(r.body.error.id, 'invalid_credentials');
  });
  it('refuses a request without a token', async () => {
    const r = await call(server, 'GET', '/officers');
    assert.equal(r.status, 401);
    assert.equal(r.body.error.id, 'unauthenticated');
  });
  it('refuses a forged token', async () => {
    const r = await call(server, 'GET', '/officers', { token: `${planner.slice(0, -3)}abc` });
    assert.equal(r.status, 401);
    assert.equal(r.body.error.id, 'invalid_token');
  });
});

describe('scope', () => {
  it('lists only officers of the planner’s borough, paged', async () => {
    const r = await call(server, 'GET', '/officers?pageSize=10&page=2', { token: planner });
    assert.equal(r.status, 200);
    assert.equal(r.body.items.length, 10);
    assert.equal(r.body.page, 2);
    assert.equal(r.body.total, 250);
    assert.ok(r.body.items.every((o: { borough: string }) => o.borough === 'BROM'));
  });
  it('filters by station within scope', async () => {
    const r = await call(server, 'GET', '/officers?station=OR&pageSize=500', { token: planner });
    assert.equal(r.status, 200);
    assert.equal(r.body.total, 125);
    assert.ok(r.body.items.every((o: { station: string }) => o.station === 'OR'));
  });
  it('refuses to list another borough’s officers with 403 out_of_scope', async () => {
    const r = await call(server, 'GET', '/officers?borough=CROY', { token: planner });
    assert.equal(r.status, 403);
    assert.equal(r.body.error.id, 'out_of_scope');
  });
  it('refuses to read another borough’s officer', async () => {
    const croydon = await call(server, 'GET', '/officers?pageSize=1', {
      token: await loginAs(server, 'planner.croydon'),
    });
    const collar = croydon.body.items[0].collar as string;
    const r = await call(server, 'GET', `/officers/${collar}`, { token: planner });
    assert.equal(r.status, 403);
    assert.equal(r.body.error.id, 'out_of_scope');
  });
  it('refuses to move an officer into another borough', async () => {
    const mine = await call(server, 'GET', '/officers?pageSize=1', { token: planner });
    const collar = mine.body.items[0].collar as string;
    const r = await call(server, 'PATCH', `/officers/${collar}`, {
      token: planner,
      body: { station: 'CR', team: 'CR-A' },
    });
    assert.equal(r.status, 403);
    assert.equal(r.body.error.id, 'out_of_scope');
    const still = await call(server, 'GET', `/officers/${collar}`, { token: planner });
    assert.equal(still.body.station, mine.body.items[0].station);
  });
  it('shows a station armourer only their own station, in the station list and the org view', async () => {
    const armourer = await loginAs(server, 'armourer.bromley');
    const list = await call(server, 'GET', '/stations?pageSize=500', { token: armourer });
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.body.items.map((s: { id: string }) => s.id),
      ['BR'],
    );
    const org = await call(server, 'GET', '/org', { token: armourer });
    assert.equal(org.status, 200);
    assert.deepEqual(
      {
        force: org.body.force.id,
        bcus: org.body.bcus.map((b: { id: string }) => b.id),
        boroughs: org.body.boroughs.map((b: { id: string }) => b.id),
        stations: org.body.stations.map((s: { id: string }) => s.id),
      },
      { force: 'MPS', bcus: ['SN'], boroughs: ['BROM'], stations: ['BR'] },
    );
    assert.equal((await call(server, 'GET', '/stations/BR', { token: armourer })).status, 200);
    const other = await call(server, 'GET', '/stations/OR', { token: armourer });
    assert.equal(other.status, 403);
    assert.equal(other.body.error.id, 'out_of_scope');
  });
  it('lists the stations of the planner’s borough in the org view', async () => {
    const org = await call(server, 'GET', '/org', { token: planner });
    assert.deepEqual(
      org.body.stations.map((s: { id: string }) => s.id),
      ['BR', 'OR'],
    );
  });
  it('refuses a role that may not write the resource', async () => {
    const lead = await loginAs(server, 'lead.bromley');
    const r = await call(server, 'DELETE', '/officers/PC1004', { token: lead });
    assert.equal(r.status, 403);
    assert.equal(r.body.error.id, 'forbidden_role');
  });
});

describe('officers CRUD', () => {
  const officer = {
    collar: 'PC9001',
    name: 'Test Officer',
    rank: 'PC',
    kind: 'regular',
    station: 'BR',
    team: 'BR-A',
    taser: { lastTrained: '2026-05-01', models: ['X2'], endorsed: false, suspended: false, volunteer: true },
  };
  it('creates, reads, updates and deletes an officer, deriving borough and BCU from the station', async () => {
    const created = await call(server, 'POST', '/officers', { token: planner, body: officer });
    assert.equal(created.status, 201);
    assert.deepEqual(created.body, { ...officer, force: 'MPS', bcu: 'SN', borough: 'BROM' });
    const patched = await call(server, 'PATCH', '/officers/PC9001', { token: planner, body: { name: 'Renamed' } });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.name, 'Renamed');
    assert.equal((await call(server, 'DELETE', '/officers/PC9001', { token: planner })).status, 204);
    assert.equal(
      (await call(server, 'GET', '/officers/PC9001', { token: planner })).body.error.id,
      'officer_not_found',
    );
  });
  it('refuses a duplicate collar number with 409 officer_exists, keeping the first', async () => {
    await call(server, 'POST', '/officers', { token: planner, body: { ...officer, collar: 'PC9002' } });
    const r = await call(server, 'POST', '/officers', {
      token: planner,
      body: { ...officer, collar: 'PC9002', name: 'Other' },
    });
    assert.equal(r.status, 409);
    assert.equal(r.body.error.id, 'officer_exists');
    assert.equal((await call(server, 'GET', '/officers/PC9002', { token: planner })).body.name, 'Test Officer');
  });
  it('refuses a team that is not at the officer’s station', async () => {
    const r = await call(server, 'POST', '/officers', {
      token: planner,
      body: { ...officer, collar: 'PC9003', team: 'OR-A' },
    });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.id, 'unknown_team');
  });
  it('refuses a duplicate device serial with 409 device_exists', async () => {
    const device = { serial: 'X2-999001', model: 'X2', station: 'BR' };
    assert.equal((await call(server, 'POST', '/devices', { token: admin, body: device })).status, 201);
    const r = await call(server, 'POST', '/devices', { token: admin, body: device });
    assert.equal(r.status, 409);
    assert.equal(r.body.error.id, 'device_exists');
  });
});

describe('teams', () => {
  it('refuses a rota with less than 11 hours between a late and the next early, and accepts the standard one', async () => {
    const team = {
      id: 'BR-F',
      name: 'Team F',
      station: 'BR',
      rota: { pattern: ['L', 'E', 'R', 'R'], anchorDate: '2026-01-05' },
    };
    const bad = await call(server, 'POST', '/teams', { token: planner, body: team });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.id, 'insufficient_rest');
    assert.match(bad.body.error.message, /day 1 L then E \(8 h\)/);
    assert.equal((await call(server, 'GET', '/teams/BR-F', { token: planner })).status, 404);
    const good = await call(server, 'POST', '/teams', {
      token: planner,
      body: { ...team, rota: { ...team.rota, pattern: ['E', 'E', 'L', 'L', 'N', 'N', 'R', 'R', 'R', 'R'] } },
    });
    assert.equal(good.status, 201);
    const patch = await call(server, 'PATCH', '/teams/BR-F', { token: planner, body: { rota: team.rota } });
    assert.equal(patch.status, 400);
    assert.equal(patch.body.error.id, 'insufficient_rest');
  });
});

describe('bad input', () => {
  it('answers malformed JSON with 400 malformed_json', async () => {
    const r = await call(server, 'POST', '/officers', { token: planner, raw: '{"collar":' });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.id, 'malformed_json');
  });
  it('answers wrong types with 400 validation_failed naming the field', async () => {
    const r = await call(server, 'POST', '/officers', { token: planner, body: { collar: 12, name: 'x' } });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.id, 'validation_failed');
    assert.match(r.body.error.message, /collar/);
  });
  it('answers unknown fields with 400 validation_failed', async () => {
    const r = await call(server, 'PATCH', '/officers/PC1004', { token: planner, body: { name: 'A', admin: true } });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.id, 'validation_failed');
    assert.match(r.body.error.message, /unknown field\(s\): admin/);
  });
  it('answers an unknown route with 404 route_not_found', async () => {
    const r = await call(server, 'GET', '/nothing-here', { token: planner });
    assert.equal(r.status, 404);
    assert.equal(r.body.error.id, 'route_not_found');
  });
  it('answers a non-JSON body with 415', async () => {
    const r = await call(server, 'POST', '/officers', {
      token: planner,
      raw: 'collar=1',
      headers: { 'content-type': 'text/plain' },
    });
    assert.equal(r.status, 415);
    assert.equal(r.body.error.id, 'unsupported_media_type');
  });
  it('answers a bad page size with 400', async () => {
    const r = await call(server, 'GET', '/officers?pageSize=100000', { token: planner });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.id, 'validation_failed');
  });
});

describe('duty', () => {
  it('lists the shifts of a station for a day with the officers on duty, minus abstractions', async () => {
    const r = await call(server, 'GET', '/duty?station=OR&from=2026-11-22&to=2026-11-22', { token: planner });
    assert.equal(r.status, 200);
    assert.deepEqual(
      r.body.shifts.map((s: { code: string }) => s.code),
      ['E', 'L', 'N'],
    );
    for (const s of r.body.shifts) {
      assert.equal(s.onDuty.length + s.abstracted.length, 25);
      assert.ok(s.onDuty.every((o: { team: string }) => o.team === s.team));
    }
  });
  it('takes an officer with leave off the shift', async () => {
    const day = await call(server, 'GET', '/duty?station=OR&from=2026-11-22&to=2026-11-22', { token: planner });
    const early = day.body.shifts[0];
    const collar = early.onDuty[1].collar as string;
    const abs = await call(server, 'POST', '/abstractions', {
      token: planner,
      body: { officer: collar, kind: 'court', from: '2026-11-22', to: '2026-11-22' },
    });
    assert.equal(abs.status, 201);
    const again = await call(server, 'GET', '/duty?station=OR&from=2026-11-22&to=2026-11-22', { token: planner });
    assert.ok(!again.body.shifts[0].onDuty.some((o: { collar: string }) => o.collar === collar));
    assert.deepEqual(
      again.body.shifts[0].abstracted.find((a: { collar: string }) => a.collar === collar),
      { collar, kind: 'court' },
    );
  });
});
