import type { UnitLive } from '../../shared/schemas/board.schema.js';
import { UnitStatusModel } from '../models/unit-status.model.js';
import { withoutHidden, type Filter } from './base.repository.js';
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
    );
  },

  /**
   * Books an officer on: the first one on resets the status to at station. Each step is one conditional
   * write; null when the officer is already booked on.
   */
  async bookOn(key: string, collar: string): Promise<StoredUnitStatus | null> {
    const push = { $push: { bookedOn: collar }, $inc: { onCount: 1, version: 1 } };
    const first = await UnitStatusModel.findOneAndUpdate(
      { key, onCount: 0, bookedOn: { $ne: collar } },
      { ...push, $set: { status: 'at_station' } },
      after,
    ).lean<Found>();
    if (first) return withoutHidden(first);
    const more = await UnitStatusModel.findOneAndUpdate({ key, bookedOn: { $ne: collar } }, push, after).lean<Found>();
    return more ? withoutHidden(more) : null;
  },

  /** Books an officer off; null when they were not booked on. */
  async bookOff(key: string, collar: string): Promise<StoredUnitStatus | null> {
    const doc = await UnitStatusModel.findOneAndUpdate(
      { key, bookedOn: collar },
      { $pull: { bookedOn: collar }, $inc: { onCount: -1, version: 1 } },
      after,
    ).lean<Found>();
    return doc ? withoutHidden(doc) : null;
  },

  /** Sets the status of a unit that has someone booked on; null otherwise. */
  async setStatus(key: string, status: StoredUnitStatus['status']): Promise<StoredUnitStatus | null> {
    const doc = await UnitStatusModel.findOneAndUpdate(
      { key, onCount: { $gt: 0 } },
      { $set: { status }, $inc: { version: 1 } },
      after,
    ).lean<Found>();
    return doc ? withoutHidden(doc) : null;
  },

  async get(key: string): Promise<StoredUnitStatus | null> {
    return UnitStatusModel.findOne({ key }, HIDDEN).lean<StoredUnitStatus>();
  },
};
export type UnitStatusRepository = typeof unitStatusRepository;
