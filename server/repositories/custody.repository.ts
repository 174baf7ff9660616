import type { CustodyEvent } from '../../shared/schemas/custody.schema.js';
import type { DeviceLive } from '../../shared/schemas/board.schema.js';
import type { Device, DeviceState } from '../../shared/schemas/device.schema.js';
import type { Page } from '../../shared/schemas/common.schema.js';
import { CustodyEventModel } from '../models/custody-event.model.js';
import { DeviceModel } from '../models/device.model.js';
import { withoutHidden, type Filter } from './base.repository.js';
import { claimVersion, isUniqueViolation, releaseVersion } from './version-claim.js';

const HIDDEN = { _id: 0, createdAt: 0, updatedAt: 0 } as const;

/** A device with its custody fields, as stored. */
export type CustodyDevice = Device & {
  holderKey: string;
  holder: string | null;
  issuedShift: string | null;
  version: number;
};

export { isUniqueViolation } from './version-claim.js';

export const freeKey = (serial: string): string => `free:${serial}`;

export const toDeviceLive = (d: CustodyDevice): DeviceLive => ({
  serial: d.serial,
  model: d.model,
  force: d.force,
  bcu: d.bcu,
  borough: d.borough,
  station: d.station,
  state: d.state,
  holder: d.holder ?? null,
  shift: d.issuedShift ?? null,
  version: d.version ?? 0,
});

export const custodyRepository = {
  /**
   * Gives devices stored before custody existed their free holder key, then builds the unique index that
   * keeps one device per officer. Run once at start, before serving.
   */
  async prepare(): Promise<void> {
    const legacy = await DeviceModel.find({ holderKey: { $exists: false } }, { serial: 1 }).lean<
      { serial: string }[]
    >();
    for (const d of legacy)
      await DeviceModel.updateOne(
        { serial: d.serial, holderKey: { $exists: false } },
        { $set: { holderKey: freeKey(d.serial), holder: null, issuedShift: null, version: 0 } },
      );
    await DeviceModel.collection.createIndex({ holderKey: 1 }, { unique: true, name: 'holderKey_unique' });
  },

  async device(serial: string): Promise<CustodyDevice | null> {
    return DeviceModel.findOne({ serial }, HIDDEN).lean<CustodyDevice>();
  },

  async heldBy(collar: string): Promise<CustodyDevice | null> {
    return DeviceModel.findOne({ holderKey: collar }, HIDDEN).lean<CustodyDevice>();
  },

  async devices(filter: Filter): Promise<CustodyDevice[]> {
    return DeviceModel.find(filter, HIDDEN).sort({ serial: 1 }).lean<CustodyDevice[]>();
  },

  /**
   * Moves a device from the state it was read in (`current`) to a new one, or returns null when someone
   * else changed it first. The precondition is the version read: the writer must first win the claim on
   * the next version (an atomic unique insert), then writes the document. A unique-index violation on the
   * holder key (the officer already holds a device) releases the claim and is thrown for the caller to name.
   */
  async transition(
    current: CustodyDevice,
    set: { state: DeviceState; holder: string | null; issuedShift: string | null },
  ): Promise<CustodyDevice | null> {
    const serial = current.serial;
    const version = (current.version ?? 0) + 1;
    const stillAt = async () => (await DeviceModel.exists({ serial, version: current.version ?? 0 })) !== null;
    if (!(await claimVersion('device', serial, version, stillAt))) return null;
    try {
      const doc = await DeviceModel.findOneAndUpdate(
        { serial, state: current.state, version: current.version ?? 0 },
        { $set: { ...set, holderKey: set.holder ?? freeKey(serial), version } },
        { returnDocument: 'after' },
      ).lean<CustodyDevice & { _id?: unknown }>();
      if (!doc) {
        await releaseVersion('device', serial, version);
        return null;
      }
      return withoutHidden(doc);
    } catch (e) {
      await releaseVersion('device', serial, version);
      throw e;
    }
  },

  /** Appends to the audit trail; a repeat of the same device version is ignored rather than duplicated. */
  async append(event: CustodyEvent): Promise<void> {
    try {
      await CustodyEventModel.create(event);
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
    }
  },

  async events(filter: Filter, page: number, pageSize: number): Promise<Page<CustodyEvent>> {
    const [items, total] = await Promise.all([
      CustodyEventModel.find(filter, HIDDEN)
        .sort({ at: -1, _id: -1 })
        .skip((page - 1) * pageSize)
        .limit(pageSize)
        .lean<CustodyEvent[]>(),
      CustodyEventModel.countDocuments(filter),
    ]);
    return { items, page, pageSize, total };
  },
};
export type CustodyRepository = typeof custodyRepository;
