import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createEventBus } from '../../server/events/domain-events.js';
import { localChannel } from '../../server/live/channel.js';
import { liveLogRepository } from '../../server/live/log.repository.js';
import { createLiveState, type SnapshotEntry } from '../../server/live/read-model.js';
import { liveSnapshotRepository } from '../../server/live/snapshot.repository.js';
import { createSnapshots, SNAPSHOT_FORMAT } from '../../server/live/snapshots.js';
import { LiveSnapshotChunkModel, LiveSnapshotModel } from '../../server/models/live-snapshot.model.js';
import { LIVE_NOW } from './helpers/live-client.js';
import { publishEarlyCrews } from './helpers/live-fixtures.js';
import { call, loginAs, startTestServer, stopOwnStore, type TestServer } from './helpers/test-server.js';

let server: TestServer;
before(async () => {
  server = await startTestServer({ clock: () => LIVE_NOW, env: { MIN_TASER_UNITS: '2', LIVE_SNAPSHOT_SECONDS: '0' } });
});
after(async () => {
  await server.stop();
  await stopOwnStore();
});

const sorted = (es: SnapshotEntry[]) =>
  JSON.parse(JSON.stringify(es.sort((x, y) => `${x.k}|${x.key}`.localeCompare(`${y.k}|${y.key}`)))) as unknown;

/** A second read model over the same store, as a restarted server would build it. */
const restarted = () => {
  const state = createLiveState({ ref: server.services.reference, bus: createEventBus(), channel: localChannel() });
  const snapshots = createSnapshots({
    state,
    ref: server.services.reference,
    clock: () => LIVE_NOW,
    opts: { everyMs: 0, everyChanges: 1, origin: 'test' },
  });
  return { state, snapshots };
};

describe('live read-model snapshots', () => {
  it('restarts from the latest snapshot plus the tail after it to the same state as a full replay of the log', async () => {
    const control = await loginAs(server, 'control.south');
    const admin = await loginAs(server, 'admin');
    const stations = await publishEarlyCrews(server, control, admin);
    const crews = stations.get('BR')!.crews.filter((c) => c.carriers.length);
    const bookOn = async (i: number) => {
      const { officer, device } = crews[i]!.carriers[0]!;
      const body = { shift: crews[i]!.shift, officer };
      assert.equal((await call(server, 'POST', '/units/book-on', { token: control, body })).status, 200);
      assert.equal(
        (await call(server, 'POST', '/custody/issue', { token: admin, body: { device, officer } })).status,
        201,
      );
    };
    await bookOn(0);
    await server.services.live.cover.idle();
    assert.equal(await server.services.live.snapshots.take(true), true);
    // The tail: changes after the snapshot.
    await bookOn(1);
    const { device } = crews[0]!.carriers[0]!;
    assert.equal((await call(server, 'POST', '/custody/return', { token: admin, body: { device } })).status, 200);
    await server.services.live.cover.idle();

    const r = restarted();
    const report = await r.snapshots.load();
    assert.equal(report.from, 'snapshot');
    assert.ok(report.tail >= 4, `tail ${report.tail}`); // book-on, officer claim, issue, return (and any cover alert change)
    assert.deepEqual(sorted(r.state.entries()), sorted(server.services.live.state.entries()));

    const replay = restarted();
    replay.state.replace([], await liveLogRepository.all());
    assert.deepEqual(sorted(replay.state.entries()), sorted(server.services.live.state.entries()));
    assert.equal(r.state.holding(crews[1]!.carriers[0]!.officer), crews[1]!.carriers[0]!.device);
    assert.equal(r.state.holding(crews[0]!.carriers[0]!.officer), null);
  });

  it('ignores a snapshot cut short (chunks without a head, or a head with a chunk missing) and uses the previous one', async () => {
    const good = (await liveSnapshotRepository.heads(SNAPSHOT_FORMAT))[0]!;
    const later = new Date(Date.parse(good.takenAt) + 1000).toISOString();
    // A write that stopped after its chunks: no head, so it does not exist.
    await LiveSnapshotChunkModel.collection.insertOne({
      _id: `${later}|x:0`,
      snapshot: `${later}|x`,
      entries: [],
    } as never);
    // A head whose second chunk never arrived.
    const broken = `${new Date(Date.parse(good.takenAt) + 2000).toISOString()}|y`;
    await LiveSnapshotChunkModel.collection.insertOne({ _id: `${broken}:0`, snapshot: broken, entries: [] } as never);
    await LiveSnapshotModel.collection.insertOne({
      _id: broken,
      format: SNAPSHOT_FORMAT,
      takenAt: broken.split('|')[0],
      origin: 'y',
      chunks: 2,
      entries: 1,
      bytes: 2,
    } as never);
    const r = restarted();
    const report = await r.snapshots.load();
    assert.equal(report.snapshot, good._id);
    assert.deepEqual(sorted(r.state.entries()), sorted(server.services.live.state.entries()));
  });
});
