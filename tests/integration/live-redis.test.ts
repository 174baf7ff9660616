import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertSameBoard, connectLive, eventually, follow, LIVE_NOW, type LiveClient } from './helpers/live-client.js';
import { publishEarlyCrews, type StationFixture } from './helpers/live-fixtures.js';
import { startRedis, type RedisServer } from './helpers/redis.js';
import { spawnBeside, type Instance } from './helpers/spawn-instance.js';
import { call, loginAs, startTestServer, stopOwnStore, type TestServer } from './helpers/test-server.js';

let redis: RedisServer;
let a: TestServer;
let b: Instance;
let stations: Map<string, StationFixture>;
let control: string;
let admin: string;
const clients: LiveClient[] = [];

before(async () => {
  redis = await startRedis();
  a = await startTestServer({ clock: () => LIVE_NOW, env: { REDIS_URL: redis.url } });
  b = await spawnBeside(a, redis.url, LIVE_NOW);
  control = await loginAs(a, 'control.south');
  admin = await loginAs(a, 'admin');
  stations = await publishEarlyCrews(a, control, admin);
});
after(async () => {
  for (const c of clients) c.close();
  await b?.stop();
  await a?.stop();
  await redis?.stop();
  await stopOwnStore();
});

const live = async (url: string, token: string) => {
  const c = await connectLive(url, token);
  clients.push(c);
  return c;
};

describe('two server instances joined by Redis', () => {
  it('delivers an event written through one instance to a client of the other, numbered alike on both', async () => {
    const onB = await live(b.url, control);
    const onA = await live(a.url, control);
    const followB = follow(onB, 'bcu:SN');
    const snapB = await onB.join('bcu:SN');
    const snapA = await onA.join('bcu:SN');
    assert.equal(snapA.epoch, snapB.epoch);
    assert.equal(snapA.seq, snapB.seq);
    followB.load(snapB);

    const crew = stations.get('BR')!.crews.find((c) => c.carriers.length)!;
    const carrier = crew.carriers[0]!;
    const issued = await call(a, 'POST', '/custody/issue', {
      token: admin,
      body: { device: carrier.device, officer: carrier.officer },
    });
    assert.equal(issued.status, 201, JSON.stringify(issued.body));
    const heardB = await onB.next((d) => d.event.type === 'custody.changed');
    assert.equal(heardB.seq, snapB.seq + 1);
    assert.equal(heardB.event.type === 'custody.changed' && heardB.event.device.holder, carrier.officer);
    const heardA = await onA.next((d) => d.event.type === 'custody.changed');
    assert.equal(heardA.seq, heardB.seq);
    assert.equal(heardA.event.id, heardB.event.id);

    // And the other way: written through B, heard on A with the next number.
    const booked = await call(b, 'POST', '/units/book-on', {
      token: control,
      body: { shift: crew.shift, officer: carrier.officer },
    });
    assert.equal(booked.status, 200, JSON.stringify(booked.body));
    const bookedOnA = await onA.next((d) => d.event.type === 'unit.changed');
    assert.ok(bookedOnA.seq > heardA.seq);

    const last = Math.max(...onA.deltas.map((d) => d.seq));
    await eventually(() => followB.board!.seq === last && onB.deltas.length === onA.deltas.length);
    // Both clients get every number once. Emits from two instances can cross on the way (B's own number
    // may reach its local socket after A's next one arrives through Redis); the follower holds an early
    // number until the missing one arrives, so no resync is needed.
    const numbers = (c: typeof onA) => c.deltas.map((d) => d.seq).sort((x, y) => x - y);
    assert.deepEqual(numbers(onB), numbers(onA));
    assert.deepEqual(
      numbers(onA),
      Array.from({ length: onA.deltas.length }, (_, k) => snapA.seq + 1 + k),
    );
    assert.equal(followB.stats.resyncs, 0);
    await assertSameBoard(followB, () => onA.join('bcu:SN'));
  });

  it('keeps scope isolation across instances', async () => {
    const lead = await loginAs(a, 'lead.bromley');
    const bromleyOnB = await live(b.url, lead);
    assert.equal(((await bromleyOnB.join('borough:CROY')) as any).error.id, 'out_of_scope');
    await bromleyOnB.join('borough:BROM');
    const crew = stations.get('CR')!.crews.find((c) => c.carriers.length)!;
    const r = await call(a, 'POST', '/custody/issue', {
      token: admin,
      body: { device: crew.carriers[0]!.device, officer: crew.carriers[0]!.officer },
    });
    assert.equal(r.status, 201);
    const br = stations.get('BR')!.crews.filter((c) => c.carriers.length)[1]!;
    await call(a, 'POST', '/custody/issue', {
      token: admin,
      body: { device: br.carriers[0]!.device, officer: br.carriers[0]!.officer },
    });
    const first = await bromleyOnB.next((d) => d.event.type === 'custody.changed');
    assert.equal(first.event.type === 'custody.changed' && first.event.device.borough, 'BROM');
  });
});

describe('force settings across instances', () => {
  it('applies a settings change saved through one instance on the other at once', async () => {
    const onB = () => call(b, 'GET', '/force-settings', { token: control });
    // B has served the settings (version 0, nothing saved) from its cache before the change.
    assert.equal((await onB()).body.version, 0);
    const saved = await call(a, 'PUT', '/force-settings', { token: admin, body: { version: 0, minTaserUnits: 5 } });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    await eventually(async () => (await onB()).body.version === 1);
    assert.equal((await onB()).body.minTaserUnits, 5);
  });
});

describe('sessions across instances', () => {
  it('disconnects a user’s socket on the other instance at once when their scope changes', async () => {
    const created = await call(a, 'POST', '/users', {
      token: admin,
      body: {
        username: 'control.roaming',
        name: 'Roaming',
        role: 'control_room',
        scope: { level: 'bcu', id: 'SN' },
        password: 'roaming-pass-1',
      },
    });
    assert.equal(created.status, 201);
    const token = (
      await call<{ token: string }>(a, 'POST', '/auth/login', {
        body: { username: 'control.roaming', password: 'roaming-pass-1' },
      })
    ).body.token;
    const onB = await live(b.url, token);
    await onB.join('bcu:SN');
    const disconnected = new Promise<string>((ok) => {
      onB.socket.once('disconnect', ok);
      setTimeout(() => ok('still connected after 5 s'), 5000).unref();
    });
    const moved = await call(a, 'PATCH', '/users/control.roaming', {
      token: admin,
      body: { scope: { level: 'borough', id: 'CROY' } },
    });
    assert.equal(moved.status, 200);
    assert.equal(await disconnected, 'io server disconnect');
    const refused = await call(b, 'GET', '/auth/me', { token });
    assert.equal(refused.body.error.id, 'session_revoked');
  });
});
