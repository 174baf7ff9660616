import type { CustodyEvent } from '../../shared/schemas/custody.schema.js';
import type { Page } from '../../shared/schemas/common.schema.js';
import { randomUUID } from 'node:crypto';
import { isDuplicateKey, isStoreUnavailable } from '../db/store-errors.js';
import { storeHealth } from '../db/store-health.js';
import { LiveLogModel } from '../models/live-log.model.js';
import type { Filter } from '../repositories/base.repository.js';
import { CHECK_KINDS } from '../../shared/rules/taser-use.js';
import type { LastCheck } from './read-model.js';
import { logId, TYPE, type LogKind, type LogRecord } from './records.js';

/**
 * Group commit: inserts queue while one `insertMany` (unordered) is in flight and go together in the next
 * one, so concurrent writers share round trips to the store. Each caller learns its own outcome (inserted,
 * or a duplicate `_id`) only once the store has acknowledged the batch holding its record. The store's
 * answer is trusted record by record only when it accounts for every record (inserted, or refused as a
 * duplicate); any other failure (a network error, a server-selection timeout, a bulk-write error with an
 * empty `writeErrors` list) fails every record of the batch with `store_unavailable`, and each is registered
 * as in doubt: recovery deletes it (by `_id` and this write's token `w`) before the read model is reloaded.
 */
function createInsertBatcher(maxBatch = 200) {
  type Waiter = { doc: LogRecord & { w: string }; done: (inserted: boolean) => void; fail: (e: unknown) => void };
  let queue: Waiter[] = [];
  let busy = false;

  /** Per-record outcome from a batch error, or null when the error does not account for every record. */
  const outcomes = (e: unknown, size: number): Map<number, unknown> | null => {
    if (isStoreUnavailable(e)) return null;
    const x = e as {
      writeErrors?: unknown;
      insertedCount?: unknown;
      writeConcernError?: unknown;
      errorResponse?: unknown;
    };
    const raw = x.writeErrors;
    const list = (Array.isArray(raw) ? raw : raw ? [raw] : []) as { index: number; code?: number }[];
    if (!list.length || x.writeConcernError) return null;
    if (typeof x.insertedCount !== 'number' || x.insertedCount + list.length !== size) return null;
    const failedAt = new Map<number, unknown>();
    for (const we of list) {
      if (typeof we?.index !== 'number') return null;
      failedAt.set(we.index, we);
    }
    return failedAt.size === list.length ? failedAt : null;
  };

  const flush = async (): Promise<void> => {
    busy = true;
    try {
      while (queue.length) {
        const batch = queue.slice(0, maxBatch);
        queue = queue.slice(batch.length);
        let failedAt = new Map<number, unknown>();
        try {
          await LiveLogModel.collection.insertMany(
            batch.map((w) => w.doc as unknown as { _id: never }),
            { ordered: false },
          );
        } catch (e) {
          const known = outcomes(e, batch.length);
          if (!known) {
            for (const w of batch) w.fail(storeHealth.failed(e, undoOf(w.doc)));
            continue;
          }
          failedAt = known;
        }
        batch.forEach((w, i) => {
          const err = failedAt.get(i);
          if (err === undefined) w.done(true);
          else if (isDuplicateKey(err)) w.done(false);
          // Refused by the store (it said so for this record): not written, nothing to undo.
          else w.fail(storeHealth.failed(err));
        });
      }
    } finally {
      busy = false;
    }
  };

  return async (record: LogRecord): Promise<boolean> => {
    storeHealth.assertWritable();
    const release = storeHealth.track();
    record.w = randomUUID();
    const doc = { ...record, w: record.w };
    return await new Promise<boolean>((done, fail) => {
      queue.push({ doc, done, fail });
      if (!busy) void flush();
    }).finally(release);
  };
}

const insert = createInsertBatcher();

/** The undo of an appended record: delete it, if it is still this very write (`_id` and token). */
const undoOf = (r: LogRecord) => ({
  what: `live_log ${r._id}`,
  run: async () => {
    await LiveLogModel.collection.deleteOne({ _id: r._id as never, w: r.w });
  },
});
const HIDDEN = { _id: 0, type: 0, key: 0, version: 0, holder: 0, issuedShift: 0, state: 0, w: 0 } as const;

export const liveLogRepository = {
  /**
   * Appends one record; true once the store has acknowledged it, false when its `_id` (that version of that
   * key) was already taken: someone else changed the key first. Rejects with `StoreUnavailableError` (503
   * `store_unavailable`) when the store did not acknowledge it; the record is then not applied anywhere.
   */
  append(record: LogRecord): Promise<boolean> {
    return insert(record);
  },

  /**
   * Withdraws an acknowledged record whose change could not be completed because the store failed (an
   * officer's custody claim whose device record was refused): deleted at recovery, before the read model is
   * reloaded, so the refused change leaves nothing behind.
   */
  retract(record: LogRecord): void {
    storeHealth.inDoubt(undoOf(record));
  },

  /** Every record, in one scan (restart: the read model keeps the latest per key). */
  async all(): Promise<LogRecord[]> {
    return LiveLogModel.collection.find({}).toArray() as unknown as Promise<LogRecord[]>;
  },

  /** Version `version` of a key, by `_id` (the store's one fast lookup), or null. */
  async get(kind: LogKind, key: string, version: number): Promise<LogRecord | null> {
    const doc = await LiveLogModel.collection.findOne({ _id: logId(kind, key, version) as never });
    return doc && (doc as unknown as LogRecord).type === TYPE[kind] ? (doc as unknown as LogRecord) : null;
  },

  /**
   * A device's last check (or repair) by a scan of its custody records; null when never. Only for a device
   * loaded from a snapshot that did not hold it (format 2): the read model keeps it otherwise.
   */
  async lastCheck(serial: string): Promise<LastCheck | null> {
    const r = await LiveLogModel.collection
      .find({ type: 'custody', key: serial, kind: { $in: [...CHECK_KINDS] } }, { projection: { version: 1, at: 1 } })
      .sort({ version: -1 })
      .limit(1)
      .toArray();
    return r[0] ? { version: r[0].version as number, at: r[0].at as string } : null;
  },

  /** The records of a key after `known`, probing version by version by `_id` until one is missing. */
  async after(kind: LogKind, key: string, known: number): Promise<LogRecord[]> {
    const out: LogRecord[] = [];
    for (let v = known + 1; ; v++) {
      const r = await this.get(kind, key, v);
      if (!r) return out;
      out.push(r);
    }
  },

  /** The custody audit trail, newest first. */
  async custodyEvents(filter: Filter, page: number, pageSize: number): Promise<Page<CustodyEvent>> {
    const where = { ...filter, type: 'custody' };
    // The native driver: mongoose's strictQuery would drop filter fields the loose schema does not name.
    const [items, total] = await Promise.all([
      LiveLogModel.collection
        .find(where, { projection: HIDDEN })
        .sort({ at: -1, version: -1 })
        .skip((page - 1) * pageSize)
        .limit(pageSize)
        .toArray() as unknown as Promise<CustodyEvent[]>,
      LiveLogModel.collection.countDocuments(where),
    ]);
    return { items, page, pageSize, total };
  },
};
export type LiveLogRepository = typeof liveLogRepository;
