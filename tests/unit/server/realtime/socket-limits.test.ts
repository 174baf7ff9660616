import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTokenBucket } from '../../../../server/realtime/socket-limits.js';

describe('token bucket', () => {
  it('gives its burst at once, then one per refill period, and says how long to wait', () => {
    let now = 0;
    const b = createTokenBucket(10, 1, () => now);
    const taken = Array.from({ length: 12 }, () => b.take());
    assert.deepEqual(taken, [...Array<null>(10).fill(null), 1, 1]);
    now += 1000;
    assert.equal(b.take(), null);
    assert.equal(b.take(), 1);
    now += 60_000;
    assert.equal(Array.from({ length: 11 }, () => b.take()).filter((w) => w === null).length, 10);
  });
});
