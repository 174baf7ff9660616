import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SOCKET_LIMITS } from '../../server/realtime/socket-limits.js';
import { connectLive } from './helpers/live-client.js';
import { call, loginAs, TEST_NOW, useTestServer } from './helpers/test-server.js';

const server = useTestServer({ clock: () => TEST_NOW });

type Reply = { room?: string; error?: { id: string; details?: { retryAfterSeconds: number } } };

describe('socket limits', () => {
  it('answers board:join with a callback but no payload with validation_failed', async () => {
    const client = await connectLive(server().url, await loginAs(server(), 'control.south'));
    try {
      const reply = (await client.socket.timeout(5000).emitWithAck('board:join')) as Reply;
      assert.equal(reply.error?.id, 'validation_failed');
    } finally {
      client.close();
    }
  });

  it('refuses joins and resyncs beyond the burst with rate_limited and retryAfterSeconds', async () => {
    const client = await connectLive(server().url, await loginAs(server(), 'control.south'));
    try {
      const replies: Reply[] = [];
      for (let i = 0; i < SOCKET_LIMITS.burst + 2; i++)
        replies.push(await client.request<Reply>('board:resync', { room: 'borough:BROM' }));
      const ok = replies.filter((r) => r.room === 'borough:BROM').length;
      const limited = replies.filter((r) => r.error?.id === 'rate_limited');
      // The sequential calls take a little time, in which the bucket earns back a token or two.
      assert.ok(ok >= SOCKET_LIMITS.burst && ok <= SOCKET_LIMITS.burst + 1, `${ok} answered`);
      assert.ok(limited.length >= 1, 'at least one refused');
      assert.equal(limited[0]!.error!.details!.retryAfterSeconds, 1);
      assert.equal(client.socket.connected, true, 'a few refusals do not disconnect');
    } finally {
      client.close();
    }
  });

  it('refuses a flood of 1,000 resyncs without working on it, disconnects the flooder and keeps health fast', async () => {
    const flooder = await connectLive(server().url, await loginAs(server(), 'control.south'));
    const bystander = await connectLive(server().url, await loginAs(server(), 'lead.bromley'));
    try {
      await bystander.join('borough:BROM');
      const heapBefore = process.memoryUsage().heapUsed;
      const answers = { ok: 0, limited: 0, other: 0 };
      const disconnected = new Promise<string>((ok) => flooder.socket.once('disconnect', ok));
      const t0 = performance.now();
      for (let i = 0; i < 1000; i++)
        flooder.socket.emit('board:resync', { room: 'borough:BROM' }, (r: Reply) => {
          if (r.room) answers.ok += 1;
          else if (r.error?.id === 'rate_limited') answers.limited += 1;
          else answers.other += 1;
        });
      const healthMs: number[] = [];
      for (let i = 0; i < 20; i++) {
        const t = performance.now();
        assert.equal((await call(server(), 'GET', '/health')).status, 200);
        healthMs.push(performance.now() - t);
      }
      const reason = await Promise.race([
        disconnected,
        new Promise<string>((ok) => setTimeout(() => ok('timeout'), 5000)),
      ]);
      const floodMs = performance.now() - t0;
      healthMs.sort((a, b) => a - b);
      const heapGrowthMb = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
      console.log(
        `1000 resyncs: ${answers.ok} served, ${answers.limited} rate_limited, ${answers.other} other, ` +
          `disconnected (${reason}) after ${floodMs.toFixed(0)} ms; /api/health p50 ${healthMs[10]!.toFixed(1)} ms, ` +
          `max ${healthMs.at(-1)!.toFixed(1)} ms; heap ${heapGrowthMb.toFixed(1)} MB`,
      );
      assert.equal(reason, 'io server disconnect');
      assert.ok(answers.ok <= SOCKET_LIMITS.burst + 2, `${answers.ok} served`);
      assert.ok(
        answers.limited >= 1 && answers.limited <= SOCKET_LIMITS.floodRefusals + 1,
        `${answers.limited} refused`,
      );
      assert.equal(answers.other, 0);
      assert.ok(answers.ok + answers.limited < 100, 'the rest were never worked on');
      assert.ok(healthMs[10]! < 500, `health p50 ${healthMs[10]} ms`);
      // The bystander's socket is untouched.
      assert.equal(bystander.socket.connected, true);
      assert.equal((await bystander.request<Reply>('board:resync', { room: 'borough:BROM' })).room, 'borough:BROM');
    } finally {
      flooder.close();
      bystander.close();
    }
  });
});
