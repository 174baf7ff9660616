import { CoverDayModel } from '../models/cover-day.model.js';
import { PublishedCrewModel } from '../models/crew-plan.model.js';
import { isDuplicateKey } from '../db/store-errors.js';
import type { PublishedCrew } from './crew-plan.repository.js';

/** Figures of one shift at one station: Taser crews planned, and time-weighted Taser-equipped units. */
export type StoredShiftCover = { code: string; start: string; end: string; planned: number; actual: number };

/** One station's closed local day of cover (see CoverDayModel). */
export type CoverDay = {
  force: string;
  bcu: string;
  borough: string;
  station: string;
  date: string;
  planned: number[];
  actual: number[];
  shifts: StoredShiftCover[];
};

const idOf = (d: Pick<CoverDay, 'station' | 'date'>) => `${d.station}|${d.date}`;

/** The cover aggregate and the published crews it is computed from. */
export const coverRepository = {
  /** The stored days of `stations` from `from` to `to` (local dates, inclusive). */
  async days(stations: readonly string[], from: string, to: string): Promise<CoverDay[]> {
    return CoverDayModel.collection
      .find(
        { station: { $in: [...stations] }, date: { $gte: from, $lte: to } },
        { projection: { _id: 0, force: 1, bcu: 1, borough: 1, station: 1, date: 1, planned: 1, actual: 1, shifts: 1 } },
      )
      .toArray() as unknown as Promise<CoverDay[]>;
  },

  /** Stores closed days; a day another request stored first is left as it is (both computed the same). */
  async save(days: readonly CoverDay[]): Promise<void> {
    if (!days.length) return;
    try {
      await CoverDayModel.collection.insertMany(
        days.map((d) => ({ _id: idOf(d) as never, ...d })),
        { ordered: false },
      );
    } catch (e) {
      const list = (e as { writeErrors?: unknown }).writeErrors;
      const errors = (Array.isArray(list) ? list : list ? [list] : []) as unknown[];
      if (!errors.length || !errors.every(isDuplicateKey)) throw e;
    }
  },

  /** Forgets the stored days of `stations` on `dates` (a plan was published over them). */
  async forget(stations: readonly string[], dates: readonly string[]): Promise<void> {
    if (!stations.length || !dates.length) return;
    await CoverDayModel.collection.deleteMany({ station: { $in: [...stations] }, date: { $in: [...dates] } });
  },

  /** The published crews of `stations` whose shift overlaps [`from`, `to`) (UTC instants). */
  async crews(stations: readonly string[], from: string, to: string): Promise<PublishedCrew[]> {
    return PublishedCrewModel.collection
      .find(
        { station: { $in: [...stations] }, start: { $lt: to }, end: { $gt: from } },
        { projection: { _id: 0, shift: 1, borough: 1, station: 1, start: 1, end: 1, callSign: 1, carriers: 1 } },
      )
      .toArray() as unknown as Promise<PublishedCrew[]>;
  },
};
export type CoverRepository = typeof coverRepository;
