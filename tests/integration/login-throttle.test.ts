import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call, demoPassword, TEST_NOW, useTestServer } from './helpers/test-server.js';

// The server's clock is this variable: tests move it on instead of sleeping through delays.
let now = TEST_NOW.getTime();
const server = useTestServer({ clock: () => new Date(now) });
const advance = (seconds: number): void => {
  now += seconds * 1000;
};

const login = (username: string, password: string) =>
  call(server(), 'POST', '/auth/login', { body: { username, password } });
const loginRaw = (username: string, password: string) =>
  fetch(`${server().url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });

/** Lets every address and account start afresh: an hour without failures forgets them. */
const forgetAll = (): void => advance(2 * 3600);

describe('login throttling per account', () => {
  it('refuses the sixth attempt after five failures with 429 too_many_attempts and Retry-After, even with the right password', async () => {
    forgetAll();
    for (let i = 0; i < 5; i++) assert.equal((await login('planner.bromley', `wrong-${i}`)).status, 401);
    const res = await loginRaw('planner.bromley', demoPassword('planner.bromley'));
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '1');
    const body = (await res.json()) as { error: { id: string; details: { retryAfterSeconds: number } } };
    assert.equal(body.error.id, 'too_many_attempts');
    assert.equal(body.error.details.retryAfterSeconds, 1);
  });

  it('doubles the delay with each further failure', async () => {
    forgetAll();
    for (let i = 0; i < 5; i++) await login('lead.bromley', 'wrong');
    const delays: string[] = [];
    for (let i = 0; i < 4; i++) {
      const locked = await loginRaw('lead.bromley', 'wrong');
      assert.equal(locked.status, 429);
      const wait = Number(locked.headers.get('retry-after'));
      delays.push(String(wait));
      advance(wait);
      assert.equal((await login('lead.bromley', 'wrong')).status, 401);
    }
    assert.deepEqual(delays, ['1', '2', '4', '8']);
  });

  it('lets the right password in once the delay has passed, and a success clears the account', async () => {
    forgetAll();
    for (let i = 0; i < 5; i++) await login('armourer.bromley', 'wrong');
    assert.equal((await login('armourer.bromley', demoPassword('armourer.bromley'))).status, 429);
    advance(1);
    assert.equal((await login('armourer.bromley', demoPassword('armourer.bromley'))).status, 200);
    // Cleared: four more failures are free again.
    for (let i = 0; i < 4; i++) assert.equal((await login('armourer.bromley', 'wrong')).status, 401);
    assert.equal((await login('armourer.bromley', demoPassword('armourer.bromley'))).status, 200);
  });

  it('does not lock one account because of another', async () => {
    forgetAll();
    for (let i = 0; i < 6; i++) await login('planner.croydon', 'wrong');
    assert.equal((await login('planner.croydon', 'wrong')).status, 429);
    assert.equal((await login('control.south', demoPassword('control.south'))).status, 200);
  });

  it('throttles an unknown username like a real one', async () => {
    forgetAll();
    for (let i = 0; i < 5; i++) assert.equal((await login('nobody.here', 'wrong')).status, 401);
    assert.equal((await login('nobody.here', 'wrong')).status, 429);
  });
});

describe('login throttling per address', () => {
  it('refuses an address after 20 failures across accounts, and the right password from it too', async () => {
    forgetAll();
    for (let i = 0; i < 20; i++) assert.equal((await login(`guess.${i}`, 'wrong')).status, 401);
    const r = await login('admin', demoPassword('admin'));
    assert.equal(r.status, 429);
    assert.equal(r.body.error.id, 'too_many_attempts');
    assert.match(r.body.error.message, /from this address/);
    advance(1);
    assert.equal((await login('admin', demoPassword('admin'))).status, 200);
  });
});

describe('login under a flood', () => {
  it('refuses most of 30 parallel wrong logins at once and keeps health fast', async () => {
    forgetAll();
    const started = Date.now();
    const flood = Promise.all(
      Array.from({ length: 30 }, () => login('planner.bromley', 'wrong').then((r) => r.status)),
    );
    const healthMs: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t = performance.now();
      assert.equal((await call(server(), 'GET', '/health')).status, 200);
      healthMs.push(performance.now() - t);
    }
    const statuses = await flood;
    const floodMs = Date.now() - started;
    healthMs.sort((a, b) => a - b);
    const p50 = healthMs[5]!;
    console.log(
      `30 parallel wrong logins: ${floodMs} ms; /api/health p50 ${p50.toFixed(1)} ms, max ${healthMs.at(-1)!.toFixed(1)} ms`,
    );
    // At most five reach bcrypt; the rest are refused before any hashing.
    assert.equal(statuses.filter((s) => s === 401).length, 5);
    assert.equal(statuses.filter((s) => s === 429).length, 25);
    assert.ok(p50 < 500, `health p50 ${p50} ms`);
  });
});
