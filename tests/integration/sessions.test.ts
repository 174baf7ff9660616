import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectLive } from './helpers/live-client.js';
import { call, loginAs, useTestServer } from './helpers/test-server.js';

const server = useTestServer();

const login = async (username: string, password: string): Promise<string> => {
  const r = await call<{ token: string }>(server(), 'POST', '/auth/login', { body: { username, password } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.token;
};

let n = 0;
/** A fresh control-room user of the SN BCU and a token for it. */
const freshUser = async (admin: string) => {
  const username = `session.user${++n}`;
  const created = await call(server(), 'POST', '/users', {
    token: admin,
    body: {
      username,
      name: 'Temp',
      role: 'control_room',
      scope: { level: 'bcu', id: 'SN' },
      password: 'first-password-1',
    },
  });
  assert.equal(created.status, 201);
  return { username, token: await login(username, 'first-password-1') };
};

const me = (token: string) => call(server(), 'GET', '/auth/me', { token });

describe('session versions on REST', () => {
  it('refuses a token with 401 session_revoked once its user’s password changes; the new password works', async () => {
    const admin = await loginAs(server(), 'admin');
    const u = await freshUser(admin);
    assert.equal((await me(u.token)).status, 200); // verified once, so remembered
    const changed = await call(server(), 'PATCH', `/users/${u.username}`, {
      token: admin,
      body: { password: 'second-password-2' },
    });
    assert.equal(changed.status, 200);
    const refused = await me(u.token);
    assert.equal(refused.status, 401);
    assert.equal(refused.body.error.id, 'session_revoked');
    const fresh = await login(u.username, 'second-password-2');
    assert.equal((await me(fresh)).status, 200);
  });

  it('revokes on a role change and on a scope change, not on a name change', async () => {
    const admin = await loginAs(server(), 'admin');
    const u = await freshUser(admin);
    await call(server(), 'PATCH', `/users/${u.username}`, { token: admin, body: { name: 'Renamed' } });
    assert.equal((await me(u.token)).status, 200);
    await call(server(), 'PATCH', `/users/${u.username}`, {
      token: admin,
      body: { scope: { level: 'bcu', id: 'SN' } },
    });
    assert.equal((await me(u.token)).status, 200, 'the same scope again changes nothing');
    await call(server(), 'PATCH', `/users/${u.username}`, { token: admin, body: { role: 'planner' } });
    assert.equal((await me(u.token)).body.error.id, 'session_revoked');
    const t2 = await login(u.username, 'first-password-1');
    await call(server(), 'PATCH', `/users/${u.username}`, {
      token: admin,
      body: { scope: { level: 'borough', id: 'CROY' } },
    });
    assert.equal((await me(t2)).body.error.id, 'session_revoked');
  });

  it('does not let a deleted user’s token in again when a user of the same name is created', async () => {
    const admin = await loginAs(server(), 'admin');
    const u = await freshUser(admin);
    assert.equal((await call(server(), 'DELETE', `/users/${u.username}`, { token: admin })).status, 204);
    assert.equal((await me(u.token)).body.error.id, 'invalid_token');
    const again = await call(server(), 'POST', '/users', {
      token: admin,
      body: {
        username: u.username,
        name: 'Again',
        role: 'admin',
        scope: { level: 'force', id: 'MPS' },
        password: 'first-password-1',
      },
    });
    assert.equal(again.status, 201);
    const r = await me(u.token);
    assert.equal(r.status, 401);
    assert.equal(r.body.error.id, 'session_revoked');
  });

  it('never shows the session version in a login or user view', async () => {
    const admin = await loginAs(server(), 'admin');
    const u = await freshUser(admin);
    const r = await call(server(), 'POST', '/auth/login', {
      body: { username: u.username, password: 'first-password-1' },
    });
    assert.deepEqual(Object.keys(r.body.user).sort(), ['force', 'name', 'role', 'scope', 'username']);
    const view = await call(server(), 'GET', `/users/${u.username}`, { token: admin });
    assert.deepEqual(Object.keys(view.body).sort(), ['force', 'name', 'role', 'scope', 'username']);
  });
});

describe('session versions on open sockets', () => {
  it('disconnects a user’s open socket at once when their scope changes, and refuses its token on reconnect', async () => {
    const admin = await loginAs(server(), 'admin');
    const u = await freshUser(admin);
    const client = await connectLive(server().url, u.token);
    try {
      assert.equal((await client.join('bcu:SN')).room, 'bcu:SN');
      const disconnected = new Promise<string>((ok) => {
        client.socket.once('disconnect', ok);
        setTimeout(() => ok('still connected after 3 s'), 3000).unref();
      });
      const moved = await call(server(), 'PATCH', `/users/${u.username}`, {
        token: admin,
        body: { scope: { level: 'borough', id: 'CROY' } },
      });
      assert.equal(moved.status, 200);
      assert.equal(await disconnected, 'io server disconnect');
    } finally {
      client.close();
    }
    await assert.rejects(connectLive(server().url, u.token), (e: { data?: { error: { id: string } } }) => {
      assert.equal(e.data?.error.id, 'session_revoked');
      return true;
    });
  });

  it('keeps a socket connected, in its room, when only the user’s name changes', async () => {
    const admin = await loginAs(server(), 'admin');
    const u = await freshUser(admin);
    const client = await connectLive(server().url, u.token);
    try {
      await client.join('bcu:SN');
      await call(server(), 'PATCH', `/users/${u.username}`, { token: admin, body: { name: 'New name' } });
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(client.socket.connected, true);
      const again = await client.request<{ room: string }>('board:resync', { room: 'bcu:SN' });
      assert.equal(again.room, 'bcu:SN');
    } finally {
      client.close();
    }
  });
});
