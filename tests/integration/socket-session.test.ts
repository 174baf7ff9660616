import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectLive } from './helpers/live-client.js';
import { call, loginAs, useTestServer } from './helpers/test-server.js';

// Logins last 0.002 h = 7.2 s here, so a socket's token runs out within the test.
const server = useTestServer({ env: { TOKEN_TTL_HOURS: '0.002' } });

const login = async (username: string, password: string) =>
  (await call<{ token: string }>(server(), 'POST', '/auth/login', { body: { username, password } })).body.token;

describe('socket sessions', () => {
  it('checks the user again on every join: a deleted user is refused and disconnected', async () => {
    const admin = await loginAs(server(), 'admin');
    const user = { username: 'control.temp', name: 'Temp', role: 'control_room', scope: { level: 'bcu', id: 'SN' } };
    const created = await call(server(), 'POST', '/users', {
      token: admin,
      body: { ...user, password: 'temporary-pass-1' },
    });
    assert.equal(created.status, 201);
    const client = await connectLive(server().url, await login('control.temp', 'temporary-pass-1'));
    try {
      const snap = await client.join('bcu:SN');
      assert.equal(snap.room, 'bcu:SN');
      // A narrower scope would end the session (see sessions.test.ts); a name change keeps it.
      const renamed = await call(server(), 'PATCH', '/users/control.temp', { token: admin, body: { name: 'Renamed' } });
      assert.equal(renamed.status, 200);
      assert.equal((await client.request<{ room: string }>('board:resync', { room: 'bcu:SN' })).room, 'bcu:SN');

      // Removed between two joins: the join is refused and the socket ends, whichever comes first.
      const disconnected = new Promise<string>((ok) => client.socket.once('disconnect', ok));
      assert.equal((await call(server(), 'DELETE', '/users/control.temp', { token: admin })).status, 204);
      assert.equal(await disconnected, 'io server disconnect');
    } finally {
      client.close();
    }
  });

  it('disconnects a socket when its login expires', async () => {
    const client = await connectLive(server().url, await loginAs(server(), 'control.south'));
    try {
      const t0 = Date.now();
      const reason = await new Promise<string>((ok) => {
        client.socket.once('disconnect', ok);
        setTimeout(() => ok('still connected after 12 s'), 12_000).unref();
      });
      assert.equal(reason, 'io server disconnect');
      assert.ok(Date.now() - t0 < 8000, `disconnected after ${Date.now() - t0} ms`);
    } finally {
      client.close();
    }
  });
});
