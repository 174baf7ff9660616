import type { Page } from '../../shared/schemas/common.schema.js';
import type { PopulationTable, UseRecord, UseVersion } from '../../shared/schemas/taser-use.schema.js';
import { isDuplicateKey } from '../db/store-errors.js';
import { storeHealth } from '../db/store-health.js';
import { ConflictError } from '../errors.js';
import { LiveLogModel } from '../models/live-log.model.js';
import { PopulationModel, TaserUseModel, TaserUseVersionModel } from '../models/taser-use.model.js';
import type { Filter } from './base.repository.js';
import { isDischarge } from '../../shared/rules/taser-use.js';
import { USE_LEVELS } from '../../shared/schemas/taser-use.schema.js';

const DISCHARGE_LEVELS = USE_LEVELS.filter(isDischarge);

export const subjectKey = (r: Pick<UseRecord, 'officer' | 'subjectRef'>): string =>
  `${r.subjectRef.incident}|${r.subjectRef.subject}|${r.officer}`;

type CurrentDoc = {
  id: string;
  subjectKey: string;
  officer: string;
  device: string;
  quarter: string;
  status: string;
  at: string;
  version: number;
  record: UseRecord;
  force: string;
  bcu: string;
  borough: string;
  station: string;
};

const currentDoc = (r: UseRecord): CurrentDoc => ({
  id: r.id,
  subjectKey: subjectKey(r),
  officer: r.officer,
  device: r.device,
  quarter: r.quarter,
  status: r.status,
  at: r.at,
  version: r.version,
  record: r,
  force: r.force,
  bcu: r.bcu,
  borough: r.borough,
  station: r.station,
});

/** Who held a device at an instant, from the custody log: the device's latest custody record at or before it. */
export type HeldAt = {
  holder: string | null;
  state: string;
  shift: string | null;
  callSign: string | null;
  since: string;
  station: string;
};

export const taserUseRepository = {
  async get(id: string): Promise<UseRecord | null> {
    const d = await TaserUseModel.findOne({ id }, { record: 1 }).lean<{ record: UseRecord }>();
    return d?.record ?? null;
  },

  async bySubject(key: string): Promise<UseRecord | null> {
    const d = await TaserUseModel.findOne({ subjectKey: key }, { record: 1 }).lean<{ record: UseRecord }>();
    return d?.record ?? null;
  },

  async list(filter: Filter, page: number, pageSize: number): Promise<Page<UseRecord>> {
    const [docs, total] = await Promise.all([
      TaserUseModel.find(filter, { record: 1 })
        .sort({ at: -1, id: 1 })
        .skip((page - 1) * pageSize)
        .limit(pageSize)
        .lean<{ record: UseRecord }[]>(),
      TaserUseModel.countDocuments(filter),
    ]);
    return { items: docs.map((d) => d.record), page, pageSize, total };
  },

  /** Every record matching `filter` (the counting for a publication reads whole quarters). */
  async all(filter: Filter): Promise<UseRecord[]> {
    const docs = await TaserUseModel.find(filter, { record: 1 }).lean<{ record: UseRecord }[]>();
    return docs.map((d) => d.record);
  },

  async history(id: string): Promise<UseVersion[]> {
    const docs = await TaserUseVersionModel.find({ id }).sort({ version: 1 }).lean<(UseVersion & { _id: string })[]>();
    return docs.map(({ version, action, by, at, note, record }) => ({ version, action, by, at, note, record }));
  },

  /**
   * Stores version `next.record.version` of a use: the history entry first (the claim: a duplicate `_id` means
   * the record changed since it was read, 409 `use_changed`), then the current record, guarded by the previous
   * version (or created, unique per subject: 409 `use_already_recorded`). A store failure is a 503; the
   * history entry of a write whose outcome is unknown is removed at recovery, as is a current record left
   * ahead of it.
   */
  async write(next: Omit<UseVersion, 'version'> & { version: number }): Promise<void> {
    const { record } = next;
    const historyId = `${record.id}#${record.version}`;
    const w = { what: `taser use ${historyId}`, run: () => undoWrite(record, historyId) };
    await storeHealth.write(async () => {
      try {
        await TaserUseVersionModel.create({ _id: historyId, id: record.id, ...next, record });
      } catch (e) {
        if (isDuplicateKey(e))
          throw new ConflictError(
            'This use was changed by someone else meanwhile: reload it and try again.',
            'use_changed',
          );
        throw e;
      }
      const doc = currentDoc(record);
      if (record.version === 1) {
        try {
          await TaserUseModel.create(doc);
        } catch (e) {
          if (!isDuplicateKey(e)) throw e;
          await TaserUseVersionModel.deleteOne({ _id: historyId });
          throw new ConflictError(
            'A use by this officer on this subject in this incident is already recorded: edit it instead.',
            'use_already_recorded',
          );
        }
      } else {
        const r = await TaserUseModel.replaceOne({ id: record.id, version: record.version - 1 }, doc);
        if (r.matchedCount !== 1) {
          await TaserUseVersionModel.deleteOne({ _id: historyId });
          throw new ConflictError(
            'This use was changed by someone else meanwhile: reload it and try again.',
            'use_changed',
          );
        }
      }
    }, w);
  },

  /**
   * Whether a discharge is recorded with the device at an instant after `since` (its last check, from the
   * live read model; null: never checked). A use at the very instant of the check is taken as checked.
   */
  async dischargedAfter(serial: string, since: string | null): Promise<boolean> {
    const where: Record<string, unknown> = { device: serial, 'record.highest': { $in: DISCHARGE_LEVELS } };
    if (since) where.at = { $gt: since };
    return (await TaserUseModel.collection.findOne(where, { projection: { _id: 1 } })) !== null;
  },

  /** Discharge uses in a scope filter (placement fields), newest first. */
  async discharges(filter: Filter): Promise<UseRecord[]> {
    const docs = await TaserUseModel.collection
      .find({ ...filter, 'record.highest': { $in: DISCHARGE_LEVELS } }, { projection: { record: 1 } })
      .sort({ at: -1 })
      .toArray();
    return docs.map((d) => d.record as UseRecord);
  },

  /** Uses by an officer with a device at instants in [from, to) (to null: open). */
  async usesIn(officer: string, device: string, from: string, to: string | null): Promise<UseRecord[]> {
    const at: Record<string, string> = { $gte: from };
    if (to) at.$lt = to;
    const docs = await TaserUseModel.collection.find({ officer, device, at }, { projection: { record: 1 } }).toArray();
    return docs.map((d) => d.record as UseRecord);
  },

  /** Returns said to be discharged (custody `return` records with `discharged: true`) in a scope filter. */
  async dischargedReturns(
    filter: Filter,
  ): Promise<
    { device: string; version: number; officer: string | null; at: string; borough: string; station: string }[]
  > {
    const docs = await LiveLogModel.collection
      .find({ ...filter, type: 'custody', kind: 'return', discharged: true })
      .sort({ at: -1 })
      .limit(500)
      .toArray();
    return docs.map((d) => ({
      device: d.key as string,
      version: d.version as number,
      officer: (d.officer as string | null) ?? null,
      at: d.at as string,
      borough: d.borough as string,
      station: d.station as string,
    }));
  },

  /** When the device was last issued before custody version `version` (the start of that custody period). */
  async issuedBefore(serial: string, version: number): Promise<string | null> {
    const r = await LiveLogModel.collection
      .find({ type: 'custody', key: serial, kind: 'issue', version: { $lt: version } }, { projection: { at: 1 } })
      .sort({ version: -1 })
      .limit(1)
      .toArray();
    return (r[0]?.at as string | undefined) ?? null;
  },

  /** The device's custody as it stood at `at` (ISO instant), or null when it has no custody record by then. */
  async heldAt(serial: string, at: string): Promise<HeldAt | null> {
    const r = await LiveLogModel.findOne({ type: 'custody', key: serial, at: { $lte: at } })
      .sort({ version: -1 })
      .lean<{
        holder: string | null;
        state: string;
        issuedShift: string | null;
        callSign: string | null;
        at: string;
        station: string;
      }>();
    if (!r) return null;
    return {
      holder: r.holder,
      state: r.state,
      shift: r.issuedShift,
      callSign: r.callSign,
      since: r.at,
      station: r.station,
    };
  },
};
export type TaserUseRepository = typeof taserUseRepository;

export type StoredPopulation = { table: PopulationTable; updatedAt: string; updatedBy: string };

export const populationRepository = {
  async get(force: string): Promise<StoredPopulation | null> {
    return PopulationModel.findOne(
      { force },
      { _id: 0, table: 1, updatedAt: 1, updatedBy: 1 },
    ).lean<StoredPopulation>();
  },
  /** Replaces the force's table; acknowledged only once stored (a store failure is a 503). */
  async put(force: string, p: StoredPopulation): Promise<void> {
    await storeHealth.write(() => PopulationModel.replaceOne({ force }, { force, ...p }, { upsert: true }));
  },
};
export type PopulationRepository = typeof populationRepository;

/** Undoes a write whose outcome is unknown: its history entry, and the current record if it got that far. */
async function undoWrite(record: UseRecord, historyId: string): Promise<void> {
  await TaserUseVersionModel.deleteOne({ _id: historyId });
  const current = await TaserUseModel.findOne({ id: record.id }, { version: 1 }).lean<{ version: number }>();
  if (current?.version !== record.version) return;
  const prev = await TaserUseVersionModel.findOne({ id: record.id, version: record.version - 1 }).lean<{
    record: UseRecord;
  }>();
  if (prev) await TaserUseModel.replaceOne({ id: record.id, version: record.version }, currentDoc(prev.record));
  else await TaserUseModel.deleteOne({ id: record.id, version: record.version });
}
