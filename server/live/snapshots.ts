import { log } from '../logger.js';
import { storeHealth } from '../db/store-health.js';
import { parseShiftId } from '../services/on-duty.js';
import type { ReferenceCache } from '../services/reference-cache.js';
import { liveLogRepository } from './log.repository.js';
import { unitKey, type LiveState, type SnapshotEntry } from './read-model.js';
import type { LogKind, LogRecord } from './records.js';
import { liveSnapshotRepository, type SnapshotHead } from './snapshot.repository.js';

/**
 * The entry format of snapshots written by this code (`SnapshotEntry`). 3: a device's custody holds its last
 * check. Format 2 (without it) is still read: the read model then reads a device's last check from the log
 * once, when it is first asked for.
 */
export const SNAPSHOT_FORMAT = 3;
const READS = [SNAPSHOT_FORMAT, 2];
/** A snapshot older than this is not used: the tail is read per key from recent crews (kept for 24 h). */
const MAX_AGE_MS = 20 * 3600_000;
const PROBES_AT_ONCE = 32;

export type SnapshotOptions = { everyMs: number; everyChanges: number; origin: string };
export type LoadReport = {
  from: 'snapshot' | 'log';
  snapshot: string | null;
  entries: number;
  tail: number;
  ms: number;
  /** Of `ms`: reading the snapshot, and reading the tail after it. */
  snapshotMs?: number;
  tailMs?: number;
};

/**
 * Compaction of the live log by snapshots of the read model. The log stays insert-only; a snapshot is a
 * copy of the read model (every key at its version) taken every `everyMs` or `everyChanges` changes, and at
 * a clean shutdown. A start (or a recovery after a store outage) reads the newest snapshot, then the tail:
 * for every key that can have changed since, the records after the snapshot's version, looked up by `_id`
 * (`<kind>:<key>#<version + 1>` and on, the store's one indexed lookup). The keys probed are every device,
 * every officer, every unit and cover alert of the crews of the last 24 h, and every key the snapshot has
 * that is still live (a unit with someone booked on, an alert or unit whose shift has not ended). Other
 * keys cannot change (booking needs the shift running; booking off and status need someone booked on).
 * Without a usable snapshot (none, older than 20 h, a chunk missing, another format) the whole log is read.
 */
export function createSnapshots(deps: {
  state: LiveState;
  ref: ReferenceCache;
  clock: () => Date;
  opts: SnapshotOptions;
}) {
  const { state, ref } = deps;
  let lastChanges = -1;
  let taking: Promise<boolean> | null = null;

  const tailOf = async (
    kind: LogKind,
    keys: Iterable<string>,
    known: Map<string, number>,
    out: LogRecord[],
  ): Promise<number> => {
    const list = [...new Set(keys)];
    let probes = 0;
    for (let i = 0; i < list.length; i += PROBES_AT_ONCE) {
      const batch = list.slice(i, i + PROBES_AT_ONCE);
      const found = await Promise.all(
        batch.map((k) => liveLogRepository.after(kind, k, known.get(`${kind}|${k}`) ?? 0)),
      );
      probes += batch.length;
      for (const rs of found) out.push(...rs);
    }
    return probes;
  };

  /** The keys whose records may follow the snapshot (see above), probed until none is left. */
  const readTail = async (entries: SnapshotEntry[]): Promise<LogRecord[]> => {
    const out: LogRecord[] = [];
    const now = deps.clock().toISOString();
    const known = new Map<string, number>();
    const keys = { device: [] as string[], officer: [] as string[], unit: [] as string[], cover: [] as string[] };
    for (const x of entries) {
      known.set(
        `${x.k}|${x.key}`,
        x.k === 'device' ? x.c.version : x.k === 'officer' ? x.seq : x.k === 'unit' ? x.e.unit.version : x.a.version,
      );
      if (x.k === 'device' || x.k === 'officer') keys[x.k].push(x.key);
      else if (x.k === 'unit' && (x.e.unit.bookedOn.length > 0 || x.e.unit.end > now)) keys.unit.push(x.key);
      else if (x.k === 'cover' && x.a.end > now) keys.cover.push(x.key);
    }
    const devices = [...(await ref.devices.all()).keys(), ...keys.device];
    const officers = [...(await ref.officers.all()).keys(), ...keys.officer];
    const crews = await ref.recentCrews();
    const units = [...crews.map((c) => unitKey(c.shift, c.callSign)), ...keys.unit];
    const covers = [...keys.cover];
    for (const c of crews) {
      const p = parseShiftId(c.shift);
      if (p) covers.push(`${c.borough}|${p.date}|${p.code}`);
    }
    await Promise.all([
      tailOf('device', devices, known, out),
      tailOf('officer', officers, known, out),
      tailOf('unit', units, known, out),
      tailOf('cover', covers, known, out),
    ]);
    return out;
  };

  const usable = async (): Promise<{ head: SnapshotHead; entries: SnapshotEntry[] } | null> => {
    for (const head of (await liveSnapshotRepository.heads(...READS)).slice(0, 3)) {
      if (Date.now() - Date.parse(head.takenAt) > MAX_AGE_MS) return null;
      const entries = await liveSnapshotRepository.entries(head);
      if (entries) return { head, entries };
    }
    return null;
  };

  /** Replaces the read model with the newest snapshot and the tail after it, or with the whole log. */
  const load = async (): Promise<LoadReport> => {
    const t0 = performance.now();
    const snap = await usable();
    if (!snap) {
      const all = await liveLogRepository.all();
      state.replace([], all);
      lastChanges = -1;
      return { from: 'log', snapshot: null, entries: 0, tail: all.length, ms: Math.round(performance.now() - t0) };
    }
    // The tail is read from the snapshot's versions, then both replace the read model in one step.
    const t1 = performance.now();
    const tail = await readTail(snap.entries);
    const t2 = performance.now();
    state.replace(snap.entries, tail);
    lastChanges = state.changes();
    return {
      from: 'snapshot',
      snapshot: snap.head._id,
      entries: snap.entries.length,
      tail: tail.length,
      ms: Math.round(performance.now() - t0),
      snapshotMs: Math.round(t1 - t0),
      tailMs: Math.round(t2 - t1),
    };
  };

  /**
   * Writes a snapshot of the read model now. Skipped (false) while the store is not serving, while a custody
   * take is in progress here (its officer claim may yet be withdrawn), and when nothing changed since the
   * last one. Other instances' changes are settled first (`state.settle()`), so the copy holds every change
   * published before it was taken.
   */
  const take = async (force = false): Promise<boolean> => {
    if (taking) return taking;
    taking = (async () => {
      try {
        if (!storeHealth.status().ok || state.takesInProgress() > 0) return false;
        await state.settle();
        if (state.takesInProgress() > 0) return false;
        const changes = state.changes();
        if (!force && changes === lastChanges) return false;
        const takenAt = new Date().toISOString();
        const entries = state.entries();
        const head = await liveSnapshotRepository.write(
          { _id: `${takenAt}|${deps.opts.origin}`, format: SNAPSHOT_FORMAT, takenAt, origin: deps.opts.origin },
          entries,
        );
        lastChanges = changes;
        log.debug(`live snapshot ${head._id}: ${head.entries} entries, ${head.bytes} bytes`);
        await liveSnapshotRepository
          .prune()
          .catch((e: unknown) => log.error('snapshot prune failed', { message: String(e) }));
        return true;
      } catch (e) {
        // The previous snapshot stays the latest: this one has no head.
        log.error('live snapshot not written', { message: String(e) });
        return false;
      } finally {
        taking = null;
      }
    })();
    return taking;
  };

  return {
    load,
    take,
    /** Takes a snapshot every `everyMs`, or sooner once `everyChanges` changes have been applied. */
    start(): () => void {
      const { everyMs, everyChanges } = deps.opts;
      if (everyMs <= 0) return () => undefined;
      let last = Date.now();
      const timer = setInterval(
        () => {
          const due =
            Date.now() - last >= everyMs || (lastChanges >= 0 && state.changes() - lastChanges >= everyChanges);
          if (!due) return;
          last = Date.now();
          void take();
        },
        Math.min(everyMs, 5000),
      );
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}
export type Snapshots = ReturnType<typeof createSnapshots>;
