import type { UnitLive } from '../../shared/schemas/board.schema.js';
import { UnitStatusModel } from '../models/unit-status.model.js';
import { ConflictError } from '../errors.js';
import { withoutHidden, type Filter } from './base.repository.js';
import { claimVersion, isUniqueViolation, releaseVersion } from './version-claim.js';
import type { PublishedCrew } from './crew-plan.repository.js';

const HIDDEN = { _id: 0, createdAt: 0, updatedAt: 0 } as const;

export type StoredUnitStatus = Omit<UnitLive, 'status'> & {
  status: 'available' | 'committed' | 'at_station';
  shiftDate: string;
  shiftCode: string;
  onCount: number;
};

export const unitKey = (shift: string, callSign: string): string => `${shift}|${callSign}`;

/** The live view of a stored unit: nobody booked on reads as off duty. */
export const toUnitLive = (u: StoredUnitStatus): UnitLive => ({
  key: u.key,
  shift: u.shift,
  callSign: u.callSign,
  force: u.force,
  bcu: u.bcu,
  borough: u.borough,
  station: u.station,
  start: u.start,
  end: u.end,
  members: u.members ?? [],
  plannedCarriers: (u.plannedCarriers ?? []).map((c) => ({ officer: c.officer, device: c.device })),
  status: (u.onCount ?? 0) > 0 ? u.status : 'off_duty',
  bookedOn: u.bookedOn ?? [],
  version: u.version ?? 0,
});

/** A published crew nobody has booked on yet. */
export const crewAsUnit = (c: PublishedCrew): UnitLive => ({
  key: unitKey(c.shift, c.callSign),
  shift: c.shift,
  callSign: c.callSign,
  force: c.force,
  bcu: c.bcu,
  borough: c.borough,
  station: c.station,
  start: c.start,
  end: c.end,
  members: c.members,
  plannedCarriers: c.carriers.map((x) => ({ officer: x.officer, device: x.device })),
  status: 'off_duty',
  bookedOn: [],
  version: 0,
});

type Found = StoredUnitStatus & { _id?: unknown };
const after = { returnDocument: 'after' } as const;

export const unitStatusRepository = {
  async find(filter: Filter): Promise<StoredUnitStatus[]> {
    return UnitStatusModel.find(filter, HIDDEN).sort({ key: 1 }).lean<StoredUnitStatus[]>();
  },

  /** Makes sure the unit's live record exists, copying the published crew on first use. */
  async ensure(crew: PublishedCrew, date: string, code: string): Promise<void> {
    if (await UnitStatusModel.exists({ key: unitKey(crew.shift, crew.callSign) })) return;
    await UnitStatusModel.updateOne(
      { key: unitKey(crew.shift, crew.callSign) },
      {
        $setOnInsert: {
          shift: crew.shift,
          callSign: crew.callSign,
          shiftDate: date,
          shiftCode: code,
          force: crew.force,
          bcu: crew.bcu,
          borough: crew.borough,
          station: crew.station,
          start: crew.start,
          end: crew.end,
          members: crew.members,
          plannedCarriers: crew.carriers.map((x) => ({ officer: x.officer, device: x.device })),
          status: 'at_station',
          onCount: 0,
          version: 0,
        },
      },
      { upsert: true },
    ).catch((e: unknown) => {
      // Two first bookings at once: the unique key lets one create it, and that is all we need.
      if (!isUniqueViolation(e)) throw e;
    });
  },

  /**
   * Applies `change` to the unit as last read, as one versioned write (claim the next version, then write
   * if still at the version read), retrying on a lost race. `change` returns null to refuse.
   */
  async mutate(
    key: string,
    change: (u: StoredUnitStatus) => Partial<StoredUnitStatus> | null,
  ): Promise<StoredUnitStatus | null> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const u = await this.get(key);
      if (!u) return null;
      const set = change(u);
      if (!set) return null;
      const version = (u.version ?? 0) + 1;
      const stillAt = async () => (await UnitStatusModel.exists({ key, version: u.version ?? 0 })) !== null;
      if (!(await claimVersion('unit', key, version, stillAt))) continue;
      const doc = await UnitStatusModel.findOneAndUpdate(
        { key, version: u.version ?? 0 },
        { $set: { ...set, version } },
        after,
      ).lean<Found>();
      if (doc) return withoutHidden(doc);
      await releaseVersion('unit', key, version);
    }
    throw new ConflictError('The unit is changing too fast; try again.', 'unit_busy');
  },

  /** Books an officer on; the first one on resets the status to at station. Null when already on. */
  async bookOn(key: string, collar: string): Promise<StoredUnitStatus | null> {
    return this.mutate(key, (u) =>
      (u.bookedOn ?? []).includes(collar)
        ? null
        : {
            bookedOn: [...(u.bookedOn ?? []), collar],
            onCount: (u.onCount ?? 0) + 1,
            status: (u.onCount ?? 0) === 0 ? 'at_station' : u.status,
          },
    );
  },

  /** Books an officer off; null when they were not booked on. */
  async bookOff(key: string, collar: string): Promise<StoredUnitStatus | null> {
    return this.mutate(key, (u) =>
      (u.bookedOn ?? []).includes(collar)
        ? { bookedOn: u.bookedOn.filter((c) => c !== collar), onCount: Math.max(0, (u.onCount ?? 0) - 1) }
        : null,
    );
  },

  /** Sets the status of a unit that has someone booked on; null otherwise. */
  async setStatus(key: string, status: StoredUnitStatus['status']): Promise<StoredUnitStatus | null> {
    return this.mutate(key, (u) => ((u.onCount ?? 0) > 0 ? { status } : null));
  },

  async get(key: string): Promise<StoredUnitStatus | null> {
    return UnitStatusModel.findOne({ key }, HIDDEN).lean<StoredUnitStatus>();
  },
};
export type UnitStatusRepository = typeof unitStatusRepository;
