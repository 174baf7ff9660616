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

/** The `_id` of a force's day document, and of its generation counter (bumped whenever days are forgotten). */
const dayId = (force: string, date: string) => `${force}|${date}`;
const generationId = (force: string) => `${force}|generation`;

const CREW_FIELDS = { _id: 0, shift: 1, borough: 1, station: 1, start: 1, end: 1, callSign: 1, carriers: 1 } as const;

/** The cover aggregate and the published crews it is computed from. */
export const coverRepository = {
  /**
   * The stored days of `force` on local dates `dates`, every station of each, by date (dates not stored are
   * absent). Exact `_id` reads, one a date, in parallel: the embedded store pushes only those down.
   */
  async days(force: string, dates: readonly string[]): Promise<Map<string, CoverDay[]>> {
    const docs = await Promise.all(
      dates.map(
        (date) => CoverDayModel.collection.findOne({ _id: dayId(force, date) as never }) as Promise<StoredDay | null>,
      ),
    );
    const out = new Map<string, CoverDay[]>();
    for (const d of docs) if (d) out.set(d.date, JSON.parse(d.stations) as CoverDay[]);
    return out;
  },

  /**
   * The force's aggregate generation: a number that changes whenever stored days are forgotten, so an
   * in-memory copy (any app instance's) knows when it is stale. One exact `_id` read.
   */
  async generation(force: string): Promise<number> {
    const doc = (await CoverDayModel.collection.findOne({ _id: generationId(force) as never })) as {
      n?: number;
    } | null;
    return doc?.n ?? 0;
  },

  /** Stores closed days (all stations of a force each); a day another request stored first is left as it is. */
  async save(days: readonly CoverDay[]): Promise<void> {
    const byDay = new Map<string, CoverDay[]>();
    for (const d of days) {
      const id = dayId(d.force, d.date);
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

  /** Forgets the stored days `dates` of `force` (a plan was published over them) and bumps its generation. */
  async forget(force: string, dates: readonly string[]): Promise<void> {
    if (!dates.length) return;
    await CoverDayModel.collection.deleteMany({ _id: { $in: dates.map((d) => dayId(force, d)) as never[] } });
    await CoverDayModel.collection.updateOne(
      { _id: generationId(force) as never },
      { $inc: { n: 1 } },
      { upsert: true },
    );
  },

  /** Every published crew whose shift ends after `since` (cover's in-memory window, at its load). */
  async crewsEndingAfter(since: string): Promise<PublishedCrew[]> {
    return PublishedCrewModel.collection
      .find({ end: { $gt: since } }, { projection: CREW_FIELDS })
      .toArray() as unknown as Promise<PublishedCrew[]>;
  },

  /** The published crews of `stations` whose shift overlaps [`from`, `to`) (UTC instants). */
  async crews(stations: readonly string[], from: string, to: string): Promise<PublishedCrew[]> {
    return PublishedCrewModel.collection
      .find({ station: { $in: [...stations] }, start: { $lt: to }, end: { $gt: from } }, { projection: CREW_FIELDS })
      .toArray() as unknown as Promise<PublishedCrew[]>;
  },
};
export type CoverRepository = typeof coverRepository;
