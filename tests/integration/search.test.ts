import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, loginAs, startTestServer, stopOwnStore, type TestServer } from './helpers/test-server.js';

let server: TestServer;
let admin: string;
let croydon: string;

const officer = (collar: string, name: string) => ({
  collar,
  name,
  rank: 'PC',
  kind: 'regular',
  station: 'BR',
  team: 'BR-A',
  taser: null,
});

before(async () => {
  server = await startTestServer();
  admin = await loginAs(server, 'admin');
  croydon = await loginAs(server, 'planner.croydon');
  for (const [collar, name] of [
    ['PC99001', 'Zeb Qa.rk'],
    ['PC99002', 'Zeb Qaxrk'],
  ] as const) {
    const r = await call(server, 'POST', '/officers', { token: admin, body: officer(collar, name) });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
});
after(async () => {
  await server.stop();
  await stopOwnStore();
});

const collars = (items: { collar: string }[]) => items.map((o) => o.collar);

describe('list search (q)', () => {
  it('finds officers by name, case-insensitively, ignoring surrounding spaces', async () => {
    const r = await call(server, 'GET', `/officers?q=${encodeURIComponent('  zEB q ')}`, { token: admin });
    assert.equal(r.status, 200);
    assert.equal(r.body.total, 2);
    assert.deepEqual(collars(r.body.items), ['PC99001', 'PC99002']);
  });

  it('finds an officer by collar number', async () => {
    const r = await call(server, 'GET', '/officers?q=pc99002', { token: admin });
    assert.deepEqual(collars(r.body.items), ['PC99002']);
  });

  it('matches regular-expression characters literally', async () => {
    const dot = await call(server, 'GET', `/officers?q=${encodeURIComponent('qa.rk')}`, { token: admin });
    assert.deepEqual(collars(dot.body.items), ['PC99001']);
    const star = await call(server, 'GET', `/officers?q=${encodeURIComponent('.*')}`, { token: admin });
    assert.equal(star.body.total, 0);
  });

  it('searches only within the caller’s scope', async () => {
    const r = await call(server, 'GET', '/officers?q=zeb', { token: croydon });
    assert.equal(r.status, 200);
    assert.equal(r.body.total, 0);
  });

  it('pages the matches', async () => {
    const r = await call(server, 'GET', '/devices?q=t7-00404&pageSize=4&page=3', { token: admin });
    assert.equal(r.body.total, 10);
    assert.deepEqual(
      r.body.items.map((d: { serial: string }) => d.serial),
      ['T7-004048', 'T7-004049'],
    );
  });

  it('finds teams by id and users by username or name', async () => {
    const teams = await call(server, 'GET', '/teams?q=br-', { token: admin });
    assert.deepEqual(
      teams.body.items.map((t: { id: string }) => t.id),
      ['BR-A', 'BR-B', 'BR-C', 'BR-D', 'BR-E'],
    );
    const users = await call(server, 'GET', '/users?q=Bromley', { token: admin });
    assert.deepEqual(
      users.body.items.map((u: { username: string }) => u.username),
      ['armourer.bromley', 'lead.bromley', 'planner.bromley'],
    );
  });

  it('refuses operator syntax and repeated q instead of treating them as a query', async () => {
    const op = await call(server, 'GET', '/officers?q[$ne]=x', { token: admin });
    assert.equal(op.status, 400);
    assert.equal(op.body.error.id, 'validation_failed');
    assert.equal(op.body.error.details.issues[0].message, 'unknown field(s): q[$ne]');
    const twice = await call(server, 'GET', '/officers?q=a&q=b', { token: admin });
    assert.equal(twice.status, 400);
    assert.deepEqual(
      twice.body.error.details.issues.map((i: { path: string }) => i.path),
      ['q'],
    );
  });

  it('refuses a search longer than 100 characters', async () => {
    const r = await call(server, 'GET', `/officers?q=${'a'.repeat(101)}`, { token: admin });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.id, 'validation_failed');
    assert.equal(r.body.error.details.issues[0].path, 'q');
  });
});
