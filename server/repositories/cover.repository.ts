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

type StoredDay = { _id: string; force: string; date: string; stations: string };

/** The cover aggregate and the published crews it is computed from. */
export const coverRepository = {
  /** The stored days of `force` from `from` to `to` (local dates, inclusive), every station of each. */
  async days(force: string, from: string, to: string): Promise<CoverDay[]> {
    const docs = (await CoverDayModel.collection
      .find({ force, date: { $gte: from, $lte: to } })
      .toArray()) as unknown as StoredDay[];
    return docs.flatMap((d) => JSON.parse(d.stations) as CoverDay[]);
  },

  /** Stores closed days (all stations of a force each); a day another request stored first is left as it is. */
  async save(days: readonly CoverDay[]): Promise<void> {
    const byDay = new Map<string, CoverDay[]>();
    for (const d of days) {
      const id = `${d.force}|${d.date}`;
      (byDay.get(id) ?? byDay.set(id, []).get(id)!).push(d);
    }
    if (!byDay.size) return;
    try {
      await CoverDayModel.collection.insertMany(
        [...byDay].map(([id, ds]) => ({
          _id: id as never,
          force: ds[0]!.force,
          date: ds[0]!.date,
          stations: JSON.stringify(ds),
        })),
        { ordered: false },
      );
    } catch (e) {
      const list = (e as { writeErrors?: unknown }).writeErrors;
      const errors = (Array.isArray(list) ? list : list ? [list] : []) as unknown[];
      if (!errors.length || !errors.every(isDuplicateKey)) throw e;
    }
  },

  /** Forgets the stored days `dates` of `force` (a plan was published over them). */
  async forget(force: string, dates: readonly string[]): Promise<void> {
    if (!dates.length) return;
    await CoverDayModel.collection.deleteMany({ force, date: { $in: [...dates] } });
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
