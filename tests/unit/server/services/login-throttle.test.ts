import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLoginThrottle, createWorkQueue } from '../../../../server/services/login-throttle.js';

const rule = { freeFailures: 3, baseDelayMs: 1000, maxDelayMs: 8000, forgetMs: 60_000 };
const setup = (maxKeys = 100) => {
  let now = 0;
  const t = createLoginThrottle(
    () => new Date(now),
    { account: rule, address: { ...rule, freeFailures: 10 } },
    maxKeys,
  );
  return { t, advance: (ms: number) => (now += ms) };
};

describe('login throttle', () => {
  it('locks an account after its free failures, doubling up to the cap', () => {
    const { t, advance } = setup();
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      const a = t.begin('u', `10.0.0.${i}`);
      if (!a.ok) {
        waits.push(a.retryAfterSeconds);
        advance(a.retryAfterSeconds * 1000);
        i--;
        continue;
      }
      a.fail();
    }
    assert.deepEqual(waits, [1, 2, 4, 8, 8]);
  });

  it('refuses a second attempt of a key at its limit while the first is still being checked', () => {
    const { t } = setup();
    const first = [t.begin('u', 'a'), t.begin('u', 'a'), t.begin('u', 'a')];
    assert.ok(first.every((a) => a.ok));
    const fourth = t.begin('u', 'a');
    assert.deepEqual(fourth, { ok: false, retryAfterSeconds: 1, key: 'account' });
  });

  it('clears the account on success but not the address', () => {
    const { t } = setup();
    for (let i = 0; i < 2; i++) {
      const a = t.begin('u', 'a');
      assert.ok(a.ok);
      a.fail();
    }
    const ok = t.begin('u', 'a');
    assert.ok(ok.ok);
    ok.succeed();
    for (let i = 0; i < 2; i++) {
      const a = t.begin('u', 'a');
      assert.ok(a.ok);
      a.fail();
    }
    assert.ok(t.begin('u', 'a').ok, 'two failures since the success: still free');
  });

  it('forgets a key after forgetMs without failures', () => {
    const { t, advance } = setup();
    for (let i = 0; i < 3; i++) {
      const a = t.begin('u', `x${i}`);
      assert.ok(a.ok);
      a.fail();
    }
    assert.equal(t.begin('u', 'y').ok, false);
    advance(60_001);
    assert.equal(t.begin('u', 'y').ok, true);
  });

  it('holds at most maxKeys keys', () => {
    const { t } = setup(10);
    for (let i = 0; i < 50; i++) {
      const a = t.begin(`user${i}`, 'a');
      if (a.ok) a.cancel();
    }
    assert.ok(t.size() <= 10, `${t.size()} keys`);
  });
});

describe('work queue', () => {
  it('runs one job at a time and refuses when the queue is full', async () => {
    const q = createWorkQueue(1, 2);
    let running = 0;
    let most = 0;
    const job = async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5));
      running -= 1;
      return 'done';
    };
    const a = q.run(job);
    const b = q.run(job);
    const c = q.run(job);
    assert.equal(q.run(job), null);
    assert.deepEqual(await Promise.all([a, b, c]), ['done', 'done', 'done']);
    assert.equal(most, 1);
  });
});
