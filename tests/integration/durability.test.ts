import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import mongoose from 'mongoose';
import { FERRETDB_BIN } from '../../server/db/embedded-store.js';
import type { StationFixture } from './helpers/live-fixtures.js';
import { call, loginAs, type Reply } from './helpers/test-server.js';

// Fault injection: a server that owns and supervises its embedded FerretDB, with writes in flight when the
// store process is SIGKILLed. Every write answered 2xx must be in the store and the read model after
// recovery, every write answered 503 must be in neither, nothing may be answered 500, and the server must
// serve again within 10 s of its store running again. Then the server itself is SIGKILLed: its store goes.

type Started = {
  url: string;
  pid: number;
  storePid: number;
  storeUri: string;
  stations: Record<string, StationFixture>;
};

let child: ChildProcess;
let info: Started;
const lines: Record<string, unknown>[] = [];
let dataDir: string;
let exitCode: number | null | undefined;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
/** Polls `check` every 25 ms until it returns a value, or fails after `ms`. */
async function until<T>(what: string, ms: number, check: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(25);
  }
}

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'taser-durability-'));
  const env: Record<string, string> = { ...(process.env as Record<string, string>) };
  delete env.MONGODB_URI;
  delete env.TEST_MONGODB_URI;
  Object.assign(env, {
    PORT: '0',
    DATA_DIR: dataDir,
    DB_NAME: 'durability',
    SEED_DEMO: '0',
    LOG_LEVEL: process.env.DURABILITY_LOG_LEVEL ?? 'silent',
    JWT_SECRET: 'test-secret-test-secret-test-secret',
    COVER_SWEEP_SECONDS: '0',
    MIN_TASER_UNITS: '2',
  });
  const script = fileURLToPath(new URL('./helpers/durable-instance.ts', import.meta.url));
  child = spawn(process.execPath, ['--import', 'tsx', script], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  child.once('exit', (code) => (exitCode = code));
  let out = '';
  child.stdout!.on('data', (b: Buffer) => {
    out += b.toString();
    let nl: number;
    while ((nl = out.indexOf('\n')) >= 0) {
      const line = out.slice(0, nl);
      out = out.slice(nl + 1);
      if (line.startsWith('{')) lines.push(JSON.parse(line) as Record<string, unknown>);
    }
  });
  info = (await until('the server under test to start', 90_000, () => {
    if (exitCode !== undefined) throw new Error(`server under test exited with ${exitCode}`);
    return lines.find((l) => 'url' in l);
  })) as unknown as Started;
});

after(async () => {
  if (exitCode === undefined) {
    child.kill('SIGKILL');
    await until('the server under test to exit', 10_000, () => (exitCode !== undefined ? true : undefined));
  }
  rmSync(dataDir, { recursive: true, force: true });
});

/** A write and how it was answered. */
type Outcome = { op: string; status: number; body: any; sentAt: number };

describe('a store killed with writes in flight', { skip: !existsSync(FERRETDB_BIN) && 'FerretDB is not built' }, () => {
  it('keeps every acknowledged write, applies no refused one, answers no 500, and serves again within 10 s', async () => {
    const control = await loginAs(info, 'control.south');
    const admin = await loginAs(info, 'admin');
    const br = info.stations.BR!;
    const cr = info.stations.CR!;
    // Units whose crews are booked on, so their status may change; one carrier per station for custody.
    const units = [...br.crews, ...cr.crews].filter((c) => c.members.length).slice(0, 5);
    for (const u of units)
      assert.equal(
        (
          await call(info, 'POST', '/units/book-on', {
            token: control,
            body: { shift: u.shift, officer: u.members[0] },
          })
        ).status,
        200,
      );
    const carriers = [br.carriers[0]!, cr.carriers[0]!];
    const officer = br.onDuty[0]!.collar;
    const marker = `durability-${Date.now()}`;

    const outcomes: Outcome[] = [];
    const send = async (op: string, method: string, path: string, token: string, body: unknown) => {
      const sentAt = Date.now();
      let r: Reply;
      try {
        r = await call(info, method, path, { token, body });
      } catch (e) {
        r = { status: 0, body: String(e) };
      }
      outcomes.push({ op, status: r.status, body: r.body, sentAt });
      if (r.status === 503) {
        assert.equal(r.body.error.id, 'store_unavailable');
        assert.equal(r.body.error.details.retryable, true);
        await sleep(20);
      }
      return r;
    };

    let stop = false;
    const statuses = ['committed', 'available', 'at_station'] as const;
    const unitWorker = async (u: (typeof units)[number], k: number) => {
      for (let i = k; !stop; i++) {
        const status = statuses[i % 3];
        await send(`unit ${u.callSign}`, 'POST', '/units/status', control, {
          shift: u.shift,
          callSign: u.callSign,
          status,
        });
      }
    };
    // Issue, return, issue, …: after a 503 the device is as it was, so the same step is tried again.
    const custodyWorker = async (c: { officer: string; device: string }) => {
      let issued = false;
      while (!stop) {
        const r = issued
          ? await send(`return ${c.device}`, 'POST', '/custody/return', admin, { device: c.device, officer: c.officer })
          : await send(`issue ${c.device}`, 'POST', '/custody/issue', admin, c);
        if (r.status === 200 || r.status === 201) issued = !issued;
      }
    };
    const abstractionWorker = async () => {
      for (let i = 0; !stop; i++)
        await send('abstraction', 'POST', '/abstractions', admin, {
          officer,
          kind: 'training',
          from: '2027-03-01',
          to: '2027-03-02',
          note: `${marker}-${i}`,
        });
    };
    // Reference data: one officer renamed over and over; a rename answered 503 must not be left applied.
    const renameWorker = async () => {
      for (let i = 0; !stop; i++)
        await send('rename', 'PATCH', `/officers/${officer}`, admin, { name: `${marker}-name-${i}` });
    };
    // The first unit is left to the probe below (two writers of one unit may lose races: 409 unit_busy).
    const workers = [
      ...units.slice(1).map((u, k) => unitWorker(u, k)),
      ...carriers.map((c) => custodyWorker(c)),
      abstractionWorker(),
      renameWorker(),
    ];

    // Let writes flow, then kill the store in the middle of them.
    await until('writes to be acknowledged', 20_000, () =>
      outcomes.filter((o) => o.status < 300).length >= 30 ? true : undefined,
    );
    const killedPid = info.storePid;
    process.kill(killedPid, 'SIGKILL');
    const killedAt = Date.now();
    // The store is restarted after a backoff of at least 0.5 s: meanwhile health says degraded, and why.
    const degraded = await until('health to say degraded', 3000, async () => {
      const h = await call(info, 'GET', '/health');
      return h.status === 503 ? h.body : undefined;
    });
    assert.equal(degraded.status, 'degraded');
    assert.ok(['store_restarting', 'store_unavailable'].includes(degraded.reason), degraded.reason);
    const ready = (await until('the store to be restarted', 20_000, () =>
      lines.find((l) => l.storeReady && l.storePid !== killedPid),
    )) as { storePid: number; at: number };
    assert.notEqual(ready.storePid, killedPid);
    assert.ok(!alive(killedPid));

    // Health is degraded until the server has recovered; then it is ok and a write succeeds.
    const health = await call(info, 'GET', '/health');
    const sawDegraded = health.status === 503 ? (health.body as { reason: string }).reason : null;
    const okAt = await until('health ok', 10_000, async () => {
      const h = await call(info, 'GET', '/health');
      return h.status === 200 && h.body.status === 'ok' ? Date.now() : undefined;
    });
    const writeAt = await until('a write to succeed', 10_000, async () => {
      const r = await call(info, 'POST', '/units/status', {
        token: control,
        body: { shift: units[0]!.shift, callSign: units[0]!.callSign, status: 'committed' },
      });
      outcomes.push({ op: `unit ${units[0]!.callSign}`, status: r.status, body: r.body, sentAt: Date.now() });
      return r.status === 200 ? Date.now() : undefined;
    });
    const recoveryMs = Math.max(okAt, writeAt) - ready.at;
    process.stdout.write(
      `# durability: store killed at +0 ms, running again at +${ready.at - killedAt} ms, health ok and a write acknowledged ${recoveryMs} ms after that (degraded reason seen: ${sawDegraded ?? 'none'})\n`,
    );
    assert.ok(recoveryMs <= 10_000, `served again ${recoveryMs} ms after the store returned`);

    // Some more writes after recovery, then stop and let everything in flight finish.
    const total = outcomes.length;
    await until('writes after recovery', 20_000, () => (outcomes.length >= total + 20 ? true : undefined));
    stop = true;
    await Promise.all(workers);

    // Answers: only 2xx and 503; some of each.
    const byStatus = new Map<number, number>();
    for (const o of outcomes) byStatus.set(o.status, (byStatus.get(o.status) ?? 0) + 1);
    const unexpected = outcomes.filter((o) => o.status !== 503 && (o.status < 200 || o.status >= 300));
    assert.deepEqual(
      unexpected.map((o) => `${o.op}: ${o.status} ${JSON.stringify(o.body)}`),
      [],
    );
    process.stdout.write(`# durability: answers by status ${JSON.stringify([...byStatus].sort())}\n`);
    assert.ok((byStatus.get(503) ?? 0) > 0, `some writes were refused: ${JSON.stringify([...byStatus])}`);
    assert.equal(exitCode, undefined, 'the server process is still running');
    assert.ok(alive(info.pid));

    // The store, read directly.
    const db = await mongoose.createConnection(info.storeUri, { dbName: 'durability' }).asPromise();
    try {
      const log = db.collection('live_log');
      const acked = outcomes.filter((o) => o.status >= 200 && o.status < 300);

      // Units: the versions in the log since the test began are exactly the acknowledged ones.
      for (const u of units) {
        const key = `${u.shift}|${u.callSign}`;
        const mine = acked
          .filter((o) => o.op === `unit ${u.callSign}`)
          .map((o) => o.body as { version: number; status: string });
        const stored = await log.find({ type: 'unit', key, kind: 'status' }).sort({ version: 1 }).toArray();
        assert.deepEqual(
          stored.map((r) => r.version),
          mine.map((m) => m.version).sort((a, b) => a - b),
          `unit ${u.callSign}: stored status versions are the acknowledged ones`,
        );
        const last = mine.reduce((a, b) => (b.version > a.version ? b : a));
        const board = await call(info, 'GET', `/board?level=station&id=${u.station}`, { token: control });
        const live = (board.body.units as { key: string; version: number; status: string }[]).find(
          (x) => x.key === key,
        )!;
        assert.deepEqual(
          { version: live.version, status: live.status },
          { version: last.version, status: last.status },
        );
      }

      // Devices: the custody records in the log are exactly the acknowledged issues and returns.
      for (const c of carriers) {
        const byVersion = (a: { version: number }, b: { version: number }) => a.version - b.version;
        const mine = acked
          .filter((o) => o.op.endsWith(c.device))
          .map((o) => {
            const r = (o.body as { record: { id: string; kind: string } }).record;
            return { version: Number(r.id.split('#')[1]), kind: r.kind };
          })
          .sort(byVersion);
        const stored = (await log.find({ type: 'custody', key: c.device }).toArray())
          .map((r) => ({ version: r.version as number, kind: r.kind as string }))
          .sort(byVersion);
        assert.ok(mine.length > 0);
        assert.deepEqual(stored, mine, `device ${c.device}: stored custody records are the acknowledged ones`);
        const last = mine.at(-1)!;
        const device = await call(info, 'GET', `/devices/${c.device}`, { token: admin });
        assert.equal(device.status, 200);
        assert.deepEqual(
          { state: device.body.state, holder: device.body.holder, version: device.body.version },
          last.kind === 'issue'
            ? { state: 'issued', holder: c.officer, version: last.version }
            : { state: 'in_armoury', holder: null, version: last.version },
        );
      }

      // Abstractions: those stored with this run's marker are exactly the acknowledged ones, and readable.
      const ids = acked.filter((o) => o.op === 'abstraction').map((o) => (o.body as { id: string }).id);
      const storedAbs = await db
        .collection('abstractions')
        .find({ note: { $regex: `^${marker}-` } })
        .toArray();
      assert.deepEqual(storedAbs.map((a) => a.id as string).sort(), [...ids].sort());
      for (const id of ids.slice(-3))
        assert.equal((await call(info, 'GET', `/abstractions/${id}`, { token: admin })).status, 200);

      // Officer renames: the stored name is the last acknowledged one (a refused rename that landed was undone).
      const renames = outcomes.filter((o) => o.op === 'rename');
      const lastAcked = renames.filter((o) => o.status === 200).at(-1)!.body as { name: string };
      const storedOfficer = await db.collection('officers').findOne({ collar: officer });
      assert.equal(storedOfficer?.name, lastAcked.name);
      assert.equal((await call(info, 'GET', `/officers/${officer}`, { token: admin })).body.name, lastAcked.name);
      process.stdout.write(
        `# durability: officer renames ${renames.length}, refused ${renames.filter((o) => o.status === 503).length}\n`,
      );
    } finally {
      await db.close();
    }
  });

  it('restarts a store that keeps dying with a growing delay, and serves again each time it stays up', async () => {
    const control = await loginAs(info, 'control.south');
    const unit = info.stations.SU!.crews[0]!;
    const gaps: number[] = [];
    for (let round = 0; round < 3; round++) {
      const current = lines.filter((l) => l.storeReady).at(-1) as { storePid: number } | undefined;
      const pid = current?.storePid ?? info.storePid;
      const seen = lines.length;
      process.kill(pid, 'SIGKILL');
      const killedAt = Date.now();
      // Killed again as soon as it is back (before the server has recovered): the delay doubles.
      const ready = (await until('the store to be restarted', 20_000, () =>
        lines.slice(seen).find((l) => l.storeReady),
      )) as { storePid: number; at: number };
      gaps.push(ready.at - killedAt);
    }
    process.stdout.write(
      `# durability: kill-to-running gaps of a store killed three times running ${JSON.stringify(gaps)} ms\n`,
    );
    // Delays of 0.5 s doubling (plus FerretDB's start-up each time).
    assert.ok(gaps[0]! >= 500 && gaps[1]! >= 1000 && gaps[2]! >= 2000, JSON.stringify(gaps));
    assert.ok(gaps[2]! > gaps[0]!, JSON.stringify(gaps));
    const back = (lines.filter((l) => l.storeReady).at(-1) as { at: number }).at;
    const served = await until('a write to succeed', 10_000, async () => {
      const b = await call(info, 'POST', '/units/book-on', {
        token: control,
        body: { shift: unit.shift, officer: unit.members[0] },
      });
      if (b.status !== 503) assert.equal(b.status, 200, JSON.stringify(b.body));
      return b.status === 200 ? Date.now() : undefined;
    });
    assert.ok(served - back <= 10_000);
    assert.equal((await call(info, 'GET', '/health')).status, 200);
    assert.equal(exitCode, undefined);
  });

  it('takes its store with it when the server process is SIGKILLed', async () => {
    const ready = lines.filter((l) => l.storeReady).at(-1) as { storePid: number } | undefined;
    const storePid = ready?.storePid ?? info.storePid;
    assert.ok(alive(storePid), 'the store runs before');
    process.kill(info.pid, 'SIGKILL');
    await until('the server to exit', 5000, () => (exitCode !== undefined ? true : undefined));
    const goneAfter = await until('the store to be gone', 5000, () => (alive(storePid) ? undefined : Date.now()));
    assert.ok(!alive(storePid));
    assert.ok(goneAfter > 0);
  });
});
