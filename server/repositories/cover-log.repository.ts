import { LiveLogModel } from '../models/live-log.model.js';

/** A unit's booking state from one live-log record: who of the crew is booked on, from `at`. */
export type UnitStateRecord = {
  key: string;
  version: number;
  at: string;
  unit: {
    shift: string;
    station: string;
    borough: string;
    status: string;
    bookedOn: string[];
    start: string;
    end: string;
  };
};
/** A device's custody state from one live-log record: its holder (when issued), from `at`. */
export type CustodyStateRecord = { key: string; version: number; at: string; state: string; holder: string | null };

/**
 * The cover report's one read of the live log (issue 10): the unit records of `stations` written in
 * [`from`, `to`) and every device custody record in [`from` − `custodyLookbackMs`, `to`), each with only the
 * fields cover needs. A separate file so the live log's own repository can move without this query.
 */
const UNIT_FIELDS = {
  _id: 0,
  key: 1,
  version: 1,
  at: 1,
  'unit.shift': 1,
  'unit.station': 1,
  'unit.borough': 1,
  'unit.status': 1,
  'unit.bookedOn': 1,
  'unit.start': 1,
  'unit.end': 1,
} as const;
const CUSTODY_FIELDS = { _id: 0, key: 1, version: 1, at: 1, state: 1, holder: 1 } as const;

export const coverLogRepository = {
  /** Every unit and custody record written at or after `since` (cover's in-memory window, at its load). */
  async since(since: string): Promise<{ units: UnitStateRecord[]; custody: CustodyStateRecord[] }> {
    const [units, custody] = await Promise.all([
      LiveLogModel.collection
        .find({ type: 'unit', at: { $gte: since } }, { projection: UNIT_FIELDS })
        .toArray() as unknown as Promise<UnitStateRecord[]>,
      LiveLogModel.collection
        .find({ type: 'custody', at: { $gte: since } }, { projection: CUSTODY_FIELDS })
        .toArray() as unknown as Promise<CustodyStateRecord[]>,
    ]);
    return { units, custody };
  },

  async read(
    stations: readonly string[],
    from: string,
    to: string,
    custodyLookbackMs: number,
  ): Promise<{ units: UnitStateRecord[]; custody: CustodyStateRecord[] }> {
    const since = new Date(Date.parse(from) - custodyLookbackMs).toISOString();
    // The native driver: mongoose's strictQuery would drop filter fields the loose schema does not name.
    const [units, custody] = await Promise.all([
      LiveLogModel.collection
        .find(
          { type: 'unit', 'unit.station': { $in: [...stations] }, at: { $gte: from, $lt: to } },
          { projection: UNIT_FIELDS },
        )
        .toArray() as unknown as Promise<UnitStateRecord[]>,
      LiveLogModel.collection
        .find({ type: 'custody', at: { $gte: since, $lt: to } }, { projection: CUSTODY_FIELDS })
        .toArray() as unknown as Promise<CustodyStateRecord[]>,
    ]);
    return { units, custody };
  },
};
export type CoverLogRepository = typeof coverLogRepository;
