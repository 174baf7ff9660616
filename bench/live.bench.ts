// `npm run --silent bench:live [-- --clients 500 --rate 200 --duration 30]`: starts the server (own
// process, embedded store, 127.0.0.1 only), connects N socket.io clients spread over force, BCU, borough
// and station rooms, drives custody and unit-status events through the REST API at a fixed rate, and
// prints one JSON line: clients, eventsPerSec, p50Ms/p99Ms (HTTP request sent → delta received, over
// every client that received it), lost and outOfOrder (per client, by delta number), serverRssMb.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { io, type Socket } from 'socket.io-client';
import type { BoardSnapshot } from '../shared/schemas/board.schema.js';
import { SOCKET_EVENTS, type BoardDelta } from '../shared/schemas/live-event.schema.js';
import type { PublishedCrew } from '../server/repositories/crew-plan.repository.js';

const arg = (name: string, fallback: number, max: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : Number(process.env[`BENCH_${name.toUpperCase()}`] ?? fallback);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return Math.min(v, max);
};
const CLIENTS = arg('clients', 500, 5000);
const RATE = arg('rate', 200, 2000);
const DURATION_S = arg('duration', 30, 300);
const ROOMS = [
  'force:MPS',
  'bcu:SN',
  'borough:BROM',
  'borough:CROY',
  'borough:SUTT',
  'station:BR',
  'station:OR',
  'station:CR',
  'station:SU',
];
const err = (m: string) => process.stderr.write(`${m}\n`);
const now = () => performance.timeOrigin + performance.now();

// --- server -----------------------------------------------------------------------------------------
const script = fileURLToPath(new URL('./live.server.ts', import.meta.url));
const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
const childExit = new Promise<void>((ok) => child.once('exit', () => ok()));
const killTimer = setTimeout(() => child.kill('SIGKILL'), (DURATION_S + 180) * 1000);
killTimer.unref();
type Ready = { url: string; pid: number; admin: string; control: string; crews: PublishedCrew[] };
const ready = await new Promise<Ready>((ok, fail) => {
  let out = '';
  child.stdout.on('data', (b: Buffer) => {
    out += b.toString();
    const line = out.split('\n').find((l) => l.startsWith('{'));
    if (line) ok(JSON.parse(line) as Ready);
  });
  child.once('exit', (c) => fail(new Error(`bench server exited (${c})`)));
});
if (!new URL(ready.url).hostname.startsWith('127.')) throw new Error('bench talks to 127.0.0.1 only');
err(`server ready at ${ready.url}; ${ready.crews.length} crews`);

// --- clients ----------------------------------------------------------------------------------------
type Client = { socket: Socket; room: string; base: number; seen: Set<number>; maxSeq: number; outOfOrder: number };
const sent = new Map<string, number>();
const samples: number[] = [];
const keyOf = (d: BoardDelta): string | null =>
  d.event.type === 'custody.changed'
    ? `d:${d.event.device.serial}:${d.event.device.version}`
    : d.event.type === 'unit.changed'
      ? `u:${d.event.unit.key}:${d.event.unit.version}`
      : null;

const connect = (room: string): Promise<Client> =>
  new Promise((ok, fail) => {
    const socket = io(ready.url, {
      auth: { token: ready.admin },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    const c: Client = { socket, room, base: 0, seen: new Set(), maxSeq: 0, outOfOrder: 0 };
    const early: BoardDelta[] = [];
    let joined = false;
    socket.on(SOCKET_EVENTS.deltas, (batch: BoardDelta[]) => {
      const t = now();
      for (const d of batch) {
        if (!joined) early.push(d);
        else take(c, d, t);
      }
    });
    socket.once('connect_error', fail);
    socket.once('connect', () => {
      socket.timeout(30_000).emit(SOCKET_EVENTS.join, { room }, (e: unknown, s: BoardSnapshot) => {
        if (e) return fail(e instanceof Error ? e : new Error('join failed'));
        c.base = s.seq;
        c.maxSeq = s.seq;
        joined = true;
        for (const d of early) if (d.seq > s.seq) take(c, d, now());
        ok(c);
      });
    });
  });
const take = (c: Client, d: BoardDelta, t: number) => {
  if (d.seq <= c.base) return;
  if (d.seq < c.maxSeq) c.outOfOrder += 1;
  c.maxSeq = Math.max(c.maxSeq, d.seq);
  c.seen.add(d.seq);
  const k = keyOf(d);
  const t0 = k ? sent.get(k) : undefined;
  if (t0 !== undefined) samples.push(t - t0);
};
const clients: Client[] = [];
for (let i = 0; i < CLIENTS; i += 50)
  clients.push(
    ...(await Promise.all(
      Array.from({ length: Math.min(50, CLIENTS - i) }, (_, j) => connect(ROOMS[(i + j) % ROOMS.length]!)),
    )),
  );
err(`${clients.length} clients joined`);

// --- load -------------------------------------------------------------------------------------------
type Step = { path: string; token: string; body: unknown; key: string };
/** One lane per crew, one request at a time: book on, draw the device, go committed, available, return, book off. */
const lanes = ready.crews.map((crew) => {
  const key = `${crew.shift}|${crew.callSign}`;
  const carrier = crew.carriers[0];
  let unitV = 0;
  let devV = 0;
  const cycle = (): Step[] => {
    const s: Step[] = [];
    const unit = (path: string, body: unknown) =>
      s.push({ path, token: ready.control, body, key: `u:${key}:${++unitV}` });
    for (const m of crew.members) unit('/units/book-on', { shift: crew.shift, officer: m });
    if (carrier)
      s.push({ path: '/custody/issue', token: ready.admin, body: carrier, key: `d:${carrier.device}:${++devV}` });
    unit('/units/status', { shift: crew.shift, callSign: crew.callSign, status: 'committed' });
    unit('/units/status', { shift: crew.shift, callSign: crew.callSign, status: 'available' });
    if (carrier)
      s.push({
        path: '/custody/return',
        token: ready.admin,
        body: { device: carrier.device },
        key: `d:${carrier.device}:${++devV}`,
      });
    for (const m of [...crew.members].reverse()) unit('/units/book-off', { shift: crew.shift, officer: m });
    return s;
  };
  return { busy: false, queue: [] as Step[], cycle };
});
let done = 0;
let failed = 0;
let skipped = 0;
const fire = async (lane: (typeof lanes)[number]) => {
  if (!lane.queue.length) lane.queue = lane.cycle();
  const step = lane.queue.shift()!;
  lane.busy = true;
  sent.set(step.key, now());
  try {
    const res = await fetch(`${ready.url}/api${step.path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${step.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(step.body),
    });
    await res.arrayBuffer();
    if (res.ok) done += 1;
    else {
      failed += 1;
      sent.delete(step.key);
      if (failed <= 5) err(`request ${step.path} failed: ${res.status}`);
    }
  } finally {
    lane.busy = false;
  }
};
const total = Math.round(RATE * DURATION_S);
const start = now();
let next = 0;
const inflight: Promise<void>[] = [];
for (let i = 0; i < total; i++) {
  const due = start + (i * 1000) / RATE;
  const wait = due - now();
  if (wait > 1) await new Promise((r) => setTimeout(r, wait));
  let lane: (typeof lanes)[number] | undefined;
  for (let k = 0; k < lanes.length && !lane; k++) {
    const l = lanes[(next + k) % lanes.length]!;
    if (!l.busy) lane = l;
  }
  next += 1;
  if (!lane) {
    skipped += 1;
    continue;
  }
  inflight.push(fire(lane));
}
await Promise.all(inflight);
const elapsed = (now() - start) / 1000;
await new Promise((r) => setTimeout(r, 2000));

// --- results ----------------------------------------------------------------------------------------
const probe = await connect('force:MPS');
const finals = new Map<string, number>();
for (const room of ROOMS) {
  const s = (await probe.socket.timeout(30_000).emitWithAck(SOCKET_EVENTS.resync, { room })) as BoardSnapshot;
  finals.set(room, s.seq);
}
let lost = 0;
let outOfOrder = 0;
for (const c of clients) {
  lost += Math.max(0, finals.get(c.room)! - c.base - c.seen.size);
  outOfOrder += c.outOfOrder;
}
const rss = (() => {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${ready.pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
})();
samples.sort((a, b) => a - b);
const pct = (p: number) =>
  samples.length
    ? Math.round(samples[Math.min(samples.length - 1, Math.floor((p / 100) * samples.length))]! * 10) / 10
    : null;
for (const c of [...clients, probe]) c.socket.close();
child.kill('SIGTERM');
await childExit;
err(`requests ok ${done}, failed ${failed}, skipped (no idle lane) ${skipped}, deliveries measured ${samples.length}`);
process.stdout.write(
  `${JSON.stringify({
    clients: clients.length,
    eventsPerSec: Math.round((done / elapsed) * 10) / 10,
    p50Ms: pct(50),
    p99Ms: pct(99),
    lost,
    outOfOrder,
    /** Requests not sent for want of an idle lane: a run that skips any is not a pass. */
    skipped,
    pass: lost === 0 && outOfOrder === 0 && skipped === 0 && (pct(99) ?? Infinity) <= 100,
    serverRssMb: rss,
  })}\n`,
);
process.exit(0);
