import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { summariseBoard } from '../../shared/live/board-state.js';
import { SOCKET_EVENTS, type BoardDelta } from '../../shared/schemas/live-event.schema.js';
import { connectLive, entitiesOf, eventually, follow, LIVE_NOW, type LiveClient } from './helpers/live-client.js';
import { publishEarlyCrews } from './helpers/live-fixtures.js';
import { call, loginAs, startTestServer, stopOwnStore, type TestServer } from './helpers/test-server.js';

let server: TestServer;
const clients: LiveClient[] = [];

before(async () => {
  server = await startTestServer({ clock: () => LIVE_NOW, env: { MIN_TASER_UNITS: '2' } });
});
after(async () => {
  for (const c of clients) c.close();
  await server.stop();
  await stopOwnStore();
});

describe('restart', () => {
  it('rebuilds the live board from the database, and a reconnected client resyncs to the same board', async () => {
    const control = await loginAs(server, 'control.south');
    const admin = await loginAs(server, 'admin');
    const stations = await publishEarlyCrews(server, control, admin);
    // Some of the day: two units of Bromley out with Taser, one booked on without, a faulty device.
    const crews = stations.get('BR')!.crews.filter((c) => c.carriers.length);
    for (const crew of crews.slice(0, 3)) {
      const { officer, device } = crew.carriers[0]!;
      assert.equal(
        (await call(server, 'POST', '/units/book-on', { token: control, body: { shift: crew.shift, officer } })).status,
        200,
      );
      if (crew !== crews[2])
        assert.equal(
          (await call(server, 'POST', '/custody/issue', { token: admin, body: { device, officer } })).status,
          201,
        );
    }
    const spare = stations.get('BR')!.freeDevices.find((d) => !crews.some((c) => c.carriers[0]!.device === d.serial))!;
    await call(server, 'POST', '/custody/fault', { token: admin, body: { device: spare.serial, note: 'no arc' } });
    await call(server, 'POST', '/units/status', {
      token: control,
      body: { shift: crews[0]!.shift, callSign: crews[0]!.callSign, status: 'committed' },
    });
    await server.realtime.idle();

    const c1 = await connectLive(server.url, control);
    clients.push(c1);
    const follower = follow(c1, 'bcu:SN');
    const before = await c1.join('bcu:SN');
    follower.load(before);
    const summaryBefore = summariseBoard(follower.board!);
    assert.equal(summaryBefore.taserUnits, 2);
    assert.equal(summaryBefore.divergences.length, 1);

    const dbName = server.dbName;
    await server.stop();
    server = await startTestServer({ clock: () => LIVE_NOW, dbName, env: { MIN_TASER_UNITS: '2' } });

    const c2 = await connectLive(server.url, control);
    clients.push(c2);
    const after = await c2.join('bcu:SN');
    assert.deepEqual(entitiesOf(after), entitiesOf(before));
    assert.notEqual(after.epoch, before.epoch);

    // The old follower, fed by the new socket, sees a delta of the new numbering and resyncs rather than
    // mistaking it for an old number.
    const moved = follow(c2, 'bcu:SN');
    moved.load(after);
    follower.retarget(() => c2.request(SOCKET_EVENTS.resync, { room: 'bcu:SN' }));
    c2.socket.on(SOCKET_EVENTS.deltas, (batch: BoardDelta[]) => batch.forEach((d) => follower.receive(d)));
    const { officer, device } = crews[2]!.carriers[0]!;
    assert.equal(
      (await call(server, 'POST', '/custody/issue', { token: admin, body: { device, officer } })).status,
      201,
    );
    await eventually(() => follower.stats.resyncs === 1 && follower.board!.devices.get(device)?.holder === officer);
    await eventually(() => moved.board!.devices.get(device)?.holder === officer);
    await eventually(
      () => JSON.stringify(entitiesOf(follower.board!)) === JSON.stringify(entitiesOf(moved.board!)),
    ).catch(() => assert.deepEqual(entitiesOf(follower.board!), entitiesOf(moved.board!)));
    assert.equal(summariseBoard(follower.board!).taserUnits, 3);
    assert.equal(summariseBoard(follower.board!).divergences.length, 0);
  });
});
