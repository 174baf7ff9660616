import type { CoverAlert } from '../../shared/schemas/board.schema.js';
import { CoverAlertModel } from '../models/cover-alert.model.js';
import { withoutHidden, type Filter } from './base.repository.js';
import { claimVersion, isUniqueViolation, releaseVersion } from './version-claim.js';

const HIDDEN = { _id: 0, createdAt: 0, updatedAt: 0 } as const;

export const coverAlertRepository = {
  async find(filter: Filter): Promise<CoverAlert[]> {
    return CoverAlertModel.find(filter, HIDDEN).sort({ key: 1 }).lean<CoverAlert[]>();
  },
  async get(key: string): Promise<CoverAlert | null> {
    return CoverAlertModel.findOne({ key }, HIDDEN).lean<CoverAlert>();
  },
  /** Creates the alert record; null if another writer created it first. */
  async create(alert: CoverAlert): Promise<CoverAlert | null> {
    try {
      await CoverAlertModel.create(alert);
      return alert;
    } catch (e) {
      if (isUniqueViolation(e)) return null;
      throw e;
    }
  },
  /** Flips `below` of the alert as read, as one versioned write; null if someone else changed it first. */
  async flip(
    current: CoverAlert,
    below: boolean,
    set: { count: number; min: number; since: string },
  ): Promise<CoverAlert | null> {
    const version = current.version + 1;
    const stillAt = async () => (await CoverAlertModel.exists({ key: current.key, version: current.version })) !== null;
    if (!(await claimVersion('cover', current.key, version, stillAt))) return null;
    const doc = await CoverAlertModel.findOneAndUpdate(
      { key: current.key, version: current.version },
      { $set: { below, ...set, version } },
      { returnDocument: 'after' },
    ).lean<CoverAlert & { _id?: unknown }>();
    if (!doc) await releaseVersion('cover', current.key, version);
    return doc ? withoutHidden(doc) : null;
  },
};
