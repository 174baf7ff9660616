// `npm run --silent bench:restart [-- --days 365 --replay-cap-s 90]`: a simulated year of one BCU's live
// events (8 stations, 10 units a shift, 3 shifts a day; bookings, status, Taser issues and returns, cover
// alerts: ≈1M live-log records) inserted in bulk into a fresh embedded store, a snapshot of the read model,
// a realistic tail after it (an hour of changes), then the read model's restart (latest snapshot + tail)
// timed three times. Prints one JSON line: records, snapshotEntries, snapshotBytes, tailRecords,
// restartMs (median of 3), and fullReplayMs (the whole log, no snapshot; null if over the cap).
import mongoose from 'mongoose';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedStore } from '../server/db/embedded-store.js';
import { createEventBus } from '../server/events/domain-events.js';
import { localChannel } from '../server/live/channel.js';
import { createLiveState, unitKey } from '../server/live/read-model.js';
import { liveLogRepository } from '../server/live/log.repository.js';
import { logId, type LogRecord } from '../server/live/records.js';
import { createSnapshots } from '../server/live/snapshots.js';
import { LiveLogModel } from '../server/models/live-log.model.js';
import type { PublishedCrew } from '../server/repositories/crew-plan.repository.js';
import type { ReferenceCache } from '../server/services/reference-cache.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const DAYS = arg('days', 365);
const REPLAY_CAP_MS = arg('replay-cap-s', 120) * 1000;
/** Seeding: raw documents through the driver's collection, unordered, `BATCH` a batch, `IN_FLIGHT` at once. */
const BATCH = arg('batch', 10_000);
const IN_FLIGHT = arg('in-flight', 3);
const STATIONS = ['BR', 'OR', 'CR', 'SU', 'WA', 'BE', 'PE', 'CO'];
const UNITS = 10;
const SHIFTS = [
  ['E', 7],
  ['L', 15],
  ['N', 23],
] as const;
const err = (m: string) => process.stderr.write(`${m}\n`);

const dir = mkdtempSync(join(tmpdir(), 'bench-restart-'));
const store = await startEmbeddedStore(dir, { supervise: false });
await mongoose.connect(store.uri, { dbName: 'bench_restart', autoIndex: false });
const col = LiveLogModel.collection;

const devices = new Map<string, { serial: string }>();
const officers = new Map<string, { collar: string }>();
for (const st of STATIONS) for (let i = 0; i < 40; i++) devices.set(`${st}-X${i}`, { serial: `${st}-X${i}` });
for (const st of STATIONS) for (let i = 0; i < 100; i++) officers.set(`${st}${i}`, { collar: `${st}${i}` });
const version = new Map<string, number>();
const next = (kind: string, key: string) => {
  const v = (version.get(`${kind}:${key}`) ?? 0) + 1;
  version.set(`${kind}:${key}`, v);
  return v;
};
const crews: PublishedCrew[] = [];

/** One day's records of one BCU. */
function day(d: number, start: Date): LogRecord[] {
  const out: LogRecord[] = [];
  const date = new Date(start.getTime() + d * 86_400_000).toISOString().slice(0, 10);
  for (const [code, hour] of SHIFTS)
    for (const [si, st] of STATIONS.entries()) {
      const shift = `${st}-${date}-${code}`;
      const s = new Date(`${date}T${String(hour).padStart(2, '0')}:00:00.000Z`);
      const at = (m: number) => new Date(s.getTime() + m * 60_000).toISOString();
      const end = at(9 * 60);
      for (let u = 0; u < UNITS; u++) {
        const callSign = `${st}${u + 1}`;
        const key = unitKey(shift, callSign);
        const members = [`${st}${(u * 2 + d) % 100}`, `${st}${(u * 2 + 1 + d) % 100}`];
        const base = {
          key: key,
          shift,
          callSign,
          force: 'MPS',
          bcu: 'SN',
          borough: `B${si % 4}`,
          station: st,
          start: s.toISOString(),
          end,
          members,
          plannedCarriers: [],
        };
        if (d === DAYS - 1) crews.push({ ...base, carriers: [] } as unknown as PublishedCrew);
        const unit = (
          bookedOn: string[],
          kind: 'booked_on' | 'booked_off' | 'status',
          m: number,
          status: 'available' | 'at_station' | 'committed' = 'at_station',
        ) => {
          const v = next('unit', key);
          out.push({
            _id: logId('unit', key, v),
            type: 'unit',
            key,
            version: v,
            at: at(m),
            by: 'control.sn',
            kind,
            officer: null,
            unit: { ...base, status: bookedOn.length ? status : 'off_duty', bookedOn, version: v },
            status,
          });
        };
        unit([members[0]!], 'booked_on', 0);
        unit(members, 'booked_on', 1);
        for (const [i, collar] of members.entries()) {
          const serial = `${st}-X${(u * 2 + i) % 40}`;
          const dv = next('device', serial);
          const c = next('officer', collar);
          out.push({
            _id: logId('officer', collar, c),
            type: 'officer',
            key: collar,
            version: c,
            at: at(2),
            claimedAt: at(2),
            by: 'armourer',
            device: serial,
            deviceVersion: dv,
          });
          const ev = (v: number, issued: boolean, m: number) =>
            ({
              _id: logId('device', serial, v),
              type: 'custody',
              key: serial,
              version: v,
              id: `${serial}#${v}`,
              kind: issued ? 'issue' : 'return',
              at: at(m),
              by: 'armourer',
              device: serial,
              model: 'T7',
              fromState: issued ? 'in_armoury' : 'issued',
              toState: issued ? 'issued' : 'in_armoury',
              officer: collar,
              shift,
              callSign,
              note: null,
              force: 'MPS',
              bcu: 'SN',
              borough: base.borough,
              station: st,
              state: issued ? 'issued' : 'in_armoury',
              holder: issued ? collar : null,
              issuedShift: issued ? shift : null,
            }) as LogRecord;
          out.push(ev(dv, true, 3));
          out.push(ev(next('device', serial), false, 530));
        }
        unit(members, 'status', 60, 'committed');
        unit([], 'booked_off', 535);
      }
      if (si % 4 === 0) {
        const key = `B${si % 4}|${date}|${code}`;
        const v = next('cover', key);
        out.push({
          _id: logId('cover', key, v),
          type: 'cover',
          key,
          version: v,
          at: at(5),
          by: 'system',
          alert: {
            key,
            force: 'MPS',
            bcu: 'SN',
            borough: `B${si % 4}`,
            date,
            code,
            start: s.toISOString(),
            end,
            below: v % 2 === 1,
            count: 1,
            min: 2,
            since: at(5),
            version: v,
          },
        });
      }
    }
  return out;
}

const ref = {
  onLocalWrite: () => () => undefined,
  invalidate: () => undefined,
  devices: { all: () => Promise.resolve(devices) },
  officers: { all: () => Promise.resolve(officers) },
  recentCrews: () => Promise.resolve(crews),
} as unknown as ReferenceCache;
const fresh = () => {
  const state = createLiveState({ ref, bus: createEventBus(), channel: localChannel() });
  const snapshots = createSnapshots({
    state,
    ref,
    clock: () => new Date(),
    opts: { everyMs: 0, everyChanges: 1, origin: 'bench' },
  });
  return { state, snapshots };
};
const a = fresh();

const t0 = Date.now();
const first = new Date(Date.now() - (DAYS - 1) * 86_400_000);
first.setUTCHours(0, 0, 0, 0);
let records = 0;
let buffer: LogRecord[] = [];
const inFlight = new Set<Promise<void>>();
/** Sends full batches (all of them when `all`), keeping at most `IN_FLIGHT` insertMany calls open. */
const flush = async (all = false) => {
  while (buffer.length >= BATCH || (all && buffer.length)) {
    const batch = buffer.slice(0, BATCH);
    buffer = buffer.slice(batch.length);
    const p: Promise<void> = col
      .insertMany(batch as never[], { ordered: false })
      .then(() => {
        records += batch.length;
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
  }
  if (all) await Promise.all(inFlight);
};
let tail: LogRecord[] = [];
for (let d = 0; d < DAYS; d++) {
  const rs = day(d, first);
  // The last day's last shift comes after the snapshot: its records are the tail.
  const cut = d === DAYS - 1 ? Math.floor(rs.length / 3) : 0;
  const before = rs.slice(0, rs.length - cut);
  tail = rs.slice(rs.length - cut);
  buffer.push(...before);
  // The read model the snapshot is taken of, built as the records are seeded (what the server held).
  for (const r of before) a.state.applyRecord(r);
  await flush();
  if (d % 30 === 29) err(`day ${d + 1}: ${records} records in ${Date.now() - t0} ms`);
}
await flush(true);
err(`seeded ${records} records in ${Date.now() - t0} ms`);

await a.snapshots.take(true);
buffer.push(...tail);
await flush(true);
err(`snapshot taken, tail of ${tail.length} inserted at ${Date.now() - t0} ms`);

const times: number[] = [];
let report: Awaited<ReturnType<ReturnType<typeof fresh>['snapshots']['load']>> | null = null;
for (let i = 0; i < 3; i++) {
  const b = fresh();
  report = await b.snapshots.load();
  times.push(report.ms);
  err(`restart ${i + 1}: ${JSON.stringify(report)}`);
  if (report.from !== 'snapshot') throw new Error('restart did not use the snapshot');
}
const head = (await mongoose.connection.db!.collection('live_snapshots').find({}).toArray())[0] as unknown as {
  entries: number;
  bytes: number;
};
// The no-snapshot replay of the whole log, for comparison (capped: the process exits after printing).
const tr = Date.now();
const replay = await Promise.race([
  (async () => {
    const all = await liveLogRepository.all();
    fresh().state.replace([], all);
    return Date.now() - tr;
  })(),
  new Promise<null>((ok) => setTimeout(() => ok(null), REPLAY_CAP_MS).unref()),
]);
times.sort((x, y) => x - y);
process.stdout.write(
  `${JSON.stringify({ records, snapshotEntries: head.entries, snapshotBytes: head.bytes, tailRecords: report!.tail, restartMs: times[1], fullReplayMs: replay, totalS: Math.round((Date.now() - t0) / 1000) })}\n`,
);
await store.stop();
rmSync(dir, { recursive: true, force: true });
process.exit(0);
