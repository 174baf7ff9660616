import type { Page } from '../../shared/schemas/common.schema.js';
import type { ForceSettingsValues } from '../../shared/schemas/force-settings.schema.js';
import { ForceSettingsModel } from '../models/force-settings.model.js';
import { notifyWrite } from './base.repository.js';
import { isDuplicate } from './live-log.repository.js';

/** One saved version of a force's settings: the settings in force from then on, and those it replaced. */
export type ForceSettingsRecord = {
  force: string;
  version: number;
  /** UTC instant of the change. */
  at: string;
  by: string;
  settings: ForceSettingsValues;
  before: ForceSettingsValues;
};

const NOUN = 'force_settings';
const HIDDEN = { projection: { _id: 0 } } as const;
const col = () => ForceSettingsModel.collection;

/** The `_id` of a version: `MPS#3`. */
export const settingsId = (force: string, version: number): string => `${force}#${version}`;

/** Force settings as insert-only versions (see the model); the latest version per force is in force. */
export const forceSettingsRepository = {
  /** The latest version of a force's settings, or null when none was ever saved. */
  async latest(force: string): Promise<ForceSettingsRecord | null> {
    const [doc] = await col().find({ force }, HIDDEN).sort({ version: -1 }).limit(1).toArray();
    return (doc as unknown as ForceSettingsRecord | undefined) ?? null;
  },

  /** The latest version of every force's settings. */
  async allLatest(): Promise<ForceSettingsRecord[]> {
    const docs = (await col().find({}, HIDDEN).toArray()) as unknown as ForceSettingsRecord[];
    const latest = new Map<string, ForceSettingsRecord>();
    for (const d of docs) if ((latest.get(d.force)?.version ?? 0) < d.version) latest.set(d.force, d);
    return [...latest.values()];
  },

  /** Stores a new version; false when that version of the force's settings already exists (someone saved first). */
  async insert(record: ForceSettingsRecord): Promise<boolean> {
    try {
      await col().insertOne({ _id: settingsId(record.force, record.version), ...record } as never);
    } catch (e) {
      if (isDuplicate(e)) return false;
      throw e;
    } finally {
      notifyWrite(NOUN, record.force);
    }
    return true;
  },

  /** A force's versions, newest first: the audit trail of its settings. */
  async history(force: string, page: number, pageSize: number): Promise<Page<ForceSettingsRecord>> {
    const [items, total] = await Promise.all([
      col()
        .find({ force }, HIDDEN)
        .sort({ version: -1 })
        .skip((page - 1) * pageSize)
        .limit(pageSize)
        .toArray() as unknown as Promise<ForceSettingsRecord[]>,
      col().countDocuments({ force }),
    ]);
    return { items, page, pageSize, total };
  },
};
export type ForceSettingsRepository = typeof forceSettingsRepository;
