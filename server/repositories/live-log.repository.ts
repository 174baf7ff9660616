import type { CoverAlert, UnitLive } from '../../shared/schemas/board.schema.js';
import type { CustodyEvent } from '../../shared/schemas/custody.schema.js';
import type { Page } from '../../shared/schemas/common.schema.js';
import { LiveLogModel } from '../models/live-log.model.js';
import type { Filter } from './base.repository.js';

/** The `_id` of version `version` of a key: `device:X2-004417#12`, `officer:PC1234#3`, `unit:<shift>|<call sign>#4`. */
export const logId = (kind: LogKind, key: string, version: number): string => `${kind}:${key}#${version}`;

export type LogKind = 'device' | 'officer' | 'unit' | 'cover';
const TYPE: Record<LogKind, LogRecord['type']> = {
  device: 'custody',
  officer: 'officer',
  unit: 'unit',
  cover: 'cover',
};

type Head = { _id: string; key: string; version: number; at: string };

/** A custody change of a device: the audit record (who, what, when, officer, crew, shift) with the new state. */
export type CustodyRecord = Head &
  CustodyEvent & { type: 'custody'; holder: string | null; issuedShift: string | null; state: CustodyEvent['toState'] };

/**
 * An officer's custody claim number `version`: taken before the device record of an issue, so two issues to
 * one officer cannot both succeed. It names the device version it is for; it holds only once that device
 * record exists (see README, "one officer, one device").
 */
export type OfficerRecord = Head & {
  type: 'officer';
  device: string;
  deviceVersion: number;
  by: string;
  /** Wall-clock time of the claim (not the domain clock): how old an unfinished claim is. */
  claimedAt: string;
};

/** A unit's booking or status change, with the unit's full new state. */
export type UnitRecord = Head & {
  type: 'unit';
  kind: 'booked_on' | 'booked_off' | 'status';
  by: string;
  officer: string | null;
  unit: UnitLive;
  /** The settable status, kept while nobody is booked on (then `unit.status` reads `off_duty`). */
  status: 'available' | 'committed' | 'at_station';
};

export type CoverRecord = Head & { type: 'cover'; by: string; alert: CoverAlert };

export type LogRecord = CustodyRecord | OfficerRecord | UnitRecord | CoverRecord;

/**
 * True when a write broke a unique key: MongoDB and FerretDB say 11000 on insert; FerretDB v1 names
 * SQLite's constraint in an InternalError (code 1) elsewhere.
 */
export const isDuplicate = (e: unknown): boolean => {
  if (typeof e !== 'object' || e === null) return false;
  const { code, errmsg, message } = e as { code?: unknown; errmsg?: unknown; message?: unknown };
  const text = `${typeof errmsg === 'string' ? errmsg : ''} ${typeof message === 'string' ? message : ''}`;
  return code === 11000 || /UNIQUE constraint failed|duplicate key/i.test(text);
};

/**
 * Group commit: inserts queue while one `insertMany` (unordered) is in flight and go together in the next
 * one, so concurrent writers share round trips to the store. Each caller learns its own outcome (inserted,
 * or a duplicate `_id`) only once the batch holding its record has been acknowledged by the store.
 */
function createInsertBatcher(maxBatch = 200) {
  type Waiter = { doc: LogRecord; done: (inserted: boolean) => void; fail: (e: unknown) => void };
  let queue: Waiter[] = [];
  let busy = false;

  const flush = async (): Promise<void> => {
    busy = true;
    try {
      while (queue.length) {
        const batch = queue.slice(0, maxBatch);
        queue = queue.slice(batch.length);
        const failedAt = new Map<number, unknown>();
        try {
          await LiveLogModel.collection.insertMany(
            batch.map((w) => w.doc as unknown as { _id: never }),
            { ordered: false },
          );
        } catch (e) {
          const writeErrors = (e as { writeErrors?: { index: number; code?: number }[] | { index: number } })
            .writeErrors;
          const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : null;
          if (!list) {
            for (const w of batch) w.fail(e);
            continue;
          }
          for (const we of list as { index: number; code?: number }[]) failedAt.set(we.index, we);
        }
        batch.forEach((w, i) => {
          const err = failedAt.get(i);
          if (err === undefined) w.done(true);
          else if (isDuplicate(err)) w.done(false);
          else w.fail(err);
        });
      }
    } finally {
      busy = false;
    }
  };

  return (doc: LogRecord): Promise<boolean> =>
    new Promise<boolean>((done, fail) => {
      queue.push({ doc, done, fail });
      if (!busy) void flush();
    });
}

const insert = createInsertBatcher();
const HIDDEN = { _id: 0, type: 0, key: 0, version: 0, holder: 0, issuedShift: 0, state: 0 } as const;

export const liveLogRepository = {
  /**
   * Appends one record; true once it is durably stored, false when its `_id` (that version of that key) was
   * already taken: someone else changed the key first.
   */
  append(record: LogRecord): Promise<boolean> {
    return insert(record);
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
