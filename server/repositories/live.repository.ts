import type { CoverAlert } from '../../shared/schemas/board.schema.js';
import { CoverAlertModel, LiveSequenceModel } from '../models/live.model.js';
import { withoutHidden, type Filter } from './base.repository.js';

const HIDDEN = { _id: 0, createdAt: 0, updatedAt: 0 } as const;

// Field names may not contain dots; codes may, and may never contain `~`.
const field = (room: string): string => room.replaceAll('.', '~');

/** Per-room delta numbers, one document per force. */
export const sequenceRepository = {
  /** The last number handed out for each room (0 for a room that has had none). */
  async current(force: string, rooms: string[]): Promise<Map<string, number>> {
    const doc = await LiveSequenceModel.findById(force).lean<{ rooms?: Record<string, number> }>();
    return new Map(rooms.map((r) => [r, doc?.rooms?.[field(r)] ?? 0]));
  },
  /** Reserves `n` numbers for each room in one atomic write; returns the last number reserved per room. */
  async reserve(force: string, counts: Map<string, number>): Promise<Map<string, number>> {
    const inc: Record<string, number> = {};
    for (const [room, n] of counts) inc[`rooms.${field(room)}`] = n;
    const doc = await LiveSequenceModel.findOneAndUpdate({ _id: force }, { $inc: inc }, { upsert: true, returnDocument: 'after' }).lean<{
      rooms?: Record<string, number>;
    }>();
    return new Map([...counts.keys()].map((r) => [r, doc?.rooms?.[field(r)] ?? 0]));
  },
};

type StoredAlert = CoverAlert;

export const coverAlertRepository = {
  async find(filter: Filter): Promise<StoredAlert[]> {
    return CoverAlertModel.find(filter, HIDDEN).sort({ key: 1 }).lean<StoredAlert[]>();
  },
  async get(key: string): Promise<StoredAlert | null> {
    return CoverAlertModel.findOne({ key }, HIDDEN).lean<StoredAlert>();
  },
  /** Creates the alert record; null if another writer created it first. */
  async create(alert: StoredAlert): Promise<StoredAlert | null> {
    try {
      await CoverAlertModel.create(alert);
      return alert;
    } catch (e) {
      if ((e as { code?: unknown }).code === 11000) return null;
      throw e;
    }
  },
  /** Flips `below` only if it still has the other value: one writer wins each transition. */
  async flip(key: string, below: boolean, set: { count: number; min: number; since: string }): Promise<StoredAlert | null> {
    const doc = await CoverAlertModel.findOneAndUpdate(
      { key, below: !below },
      { $set: { below, ...set }, $inc: { version: 1 } },
      { returnDocument: 'after' },
    ).lean<StoredAlert & { _id?: unknown }>();
    return doc ? withoutHidden(doc) : null;
  },
};
