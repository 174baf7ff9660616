import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectLive, LIVE_NOW, type LiveClient } from './helpers/live-client.js';
import { publishEarlyCrews } from './helpers/live-fixtures.js';
import { loginAs, startTestServer, stopOwnStore, type TestServer } from './helpers/test-server.js';

let server: TestServer;
let client: LiveClient | undefined;

before(async () => {
  server = await startTestServer({
    clock: () => LIVE_NOW,
    env: { MIN_TASER_UNITS: '1', COVER_SWEEP_SECONDS: '1' },
  });
});
after(async () => {
  client?.close();
  await server.stop();
  await stopOwnStore();
});

describe('cover sweep', () => {
  it('alerts a running shift that is below the minimum although nobody booked on or drew a device', async () => {
    const control = await loginAs(server, 'control.south');
    client = await connectLive(server.url, control);
    const snap = await client.join('borough:SUTT');
    assert.deepEqual(snap.alerts, []);
    await publishEarlyCrews(server, control, await loginAs(server, 'admin'));
    const raised = await client.next((d) => d.event.type === 'cover.changed', 5000);
    assert.ok(raised.event.type === 'cover.changed');
    assert.equal(raised.event.kind, 'raised');
    assert.deepEqual(
      [raised.event.alert.key, raised.event.alert.count, raised.event.alert.min, raised.event.alert.below],
      ['SUTT|2026-11-22|E', 0, 1, true],
    );
  });
});
