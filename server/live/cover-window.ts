import { DateTime } from 'luxon';
import { LONDON } from '../../shared/time/zone.js';
import { log } from '../logger.js';
import type { CustodyStateRecord, UnitStateRecord } from '../repositories/cover-log.repository.js';
import type { PublishedCrew } from '../repositories/crew-plan.repository.js';
import type { SeenRecord } from './read-model.js';

/** Where the window's history comes from at load, and when it is told of new records and published plans. */
export type CoverWindowDeps = {
  clock: () => Date;
  /** Local days kept before today (the window starts at local midnight that many days ago). */
  days: number;
  /** The unit records written at or after `since`, and the custody records likewise (one read each). */
  loadLog: (since: string) => Promise<{ units: UnitStateRecord[]; custody: CustodyStateRecord[] }>;
  /** The published crews whose shift ends after `since`. */
  loadCrews: (since: string) => Promise<PublishedCrew[]>;
  /** Subscribes to every unit and custody record the live read model applies or hears of. */
  onRecordSeen: (l: (r: SeenRecord) => void) => () => void;
};

/**
 * The last few days of the live log's unit and custody records and the published crews of shifts ending in
 * them or later, in memory, so cover by hour computes the days not yet closed (yesterday, today, future days)
 * without reading the store, whose only index is `_id` (issue 10: a force-wide quarter in under 2 s).
 *
 * Loaded once in the background (one read of each), then kept current from the live read model: every
 * instance applies its own appends and hears the others' through the live channel, so the window holds what
 * the board holds. Records are kept by key and version (repeats do no harm). A published plan makes the
 * crews stale until they are read again; `read` answers null (the caller reads the store) whenever the
 * window cannot answer exactly: not loaded yet, crews being read again, or a period starting before it.
 */
export function createCoverWindow(deps: CoverWindowDeps) {
  const units = new Map<string, UnitStateRecord>();
  const custody = new Map<string, CustodyStateRecord>();
  let crews: PublishedCrew[] = [];
  /** The window's start, epoch ms; null until loaded. */
  let since: number | null = null;
  /** Bumped by each publish: a crews read that started before one is stale when it ends. */
  let crewGeneration = 0;
  let crewsReady = false;
  let stopped = false;
  let retry: NodeJS.Timeout | null = null;
  /** Reads answered here, and left to the store: an observable count (tests, logs). */
  const reads = { window: 0, store: 0 };

  const startOf = (now: number) =>
    DateTime.fromMillis(now, { zone: LONDON }).startOf('day').minus({ days: deps.days }).toMillis();

  const addUnit = (r: UnitStateRecord) => units.set(`${r.key}#${r.version}`, r);
  const addCustody = (r: CustodyStateRecord) => custody.set(`${r.key}#${r.version}`, r);

  const unsubscribe = deps.onRecordSeen((r) => {
    if (r.type === 'unit')
      addUnit({
        key: r.key,
        version: r.version,
        at: r.at,
        unit: {
          shift: r.unit.shift,
          station: r.unit.station,
          borough: r.unit.borough,
          status: r.unit.status,
          bookedOn: [...r.unit.bookedOn],
          start: r.unit.start,
          end: r.unit.end,
        },
      });
    else addCustody({ key: r.key, version: r.version, at: r.at, state: r.state, holder: r.holder });
  });

  const readCrews = async (from: string): Promise<void> => {
    const g = crewGeneration;
    crewsReady = false;
    const read = await deps.loadCrews(from);
    if (g !== crewGeneration || stopped) return;
    crews = read;
    crewsReady = true;
  };

  /** Drops what lies before the window's start as the clock moves on. */
  const prune = () => {
    if (since === null) return;
    const start = startOf(deps.clock().getTime());
    if (start <= since) return;
    since = start;
    const keep = (r: { at: string }) => Date.parse(r.at) >= start;
    for (const [k, r] of units) if (!keep(r)) units.delete(k);
    for (const [k, r] of custody) if (!keep(r)) custody.delete(k);
    crews = crews.filter((c) => Date.parse(c.end) > start);
  };

  return {
    /** Reads the window's history (records heard meanwhile are kept too). Resolves once it can answer. */
    async load(): Promise<void> {
      const start = startOf(deps.clock().getTime());
      const from = new Date(start).toISOString();
      const [read] = await Promise.all([deps.loadLog(from), readCrews(from)]);
      if (stopped) return;
      for (const r of read.units) addUnit(r);
      for (const r of read.custody) addCustody(r);
      since = start;
      prune();
    },

    /** Loads in the background, again every `retryMs` until it has (e.g. the store was down at start). */
    start(retryMs = 30_000): void {
      const attempt = () => {
        if (stopped) return;
        const t = performance.now();
        this.load().then(
          () => log.info(`cover window loaded in ${Math.round(performance.now() - t)} ms`),
          (e: unknown) => {
            log.error('cover window not loaded; trying again', { message: String(e) });
            retry = setTimeout(attempt, retryMs);
            retry.unref();
          },
        );
      };
      attempt();
    },

    /** A plan was published (here or on another instance): its crews are read again before the next answer. */
    published(): void {
      crewGeneration += 1;
      // Also while the first load is under way: its crews read may have missed this plan and is dropped.
      const from = since ?? startOf(deps.clock().getTime());
      readCrews(new Date(from).toISOString()).catch((e: unknown) =>
        log.error('cover window: published crews not read', { message: String(e) }),
      );
    },

    /**
     * What the store would answer for cover's reads (server/repositories/cover.repository.ts `crews` and
     * cover-log.repository.ts `read`, same filters), or null when the window does not hold all of it.
     */
    read(
      stations: readonly string[],
      crewFrom: string,
      crewTo: string,
      logFrom: string,
      logTo: string,
      custodyLookbackMs: number,
    ): { crews: PublishedCrew[]; units: UnitStateRecord[]; custody: CustodyStateRecord[] } | null {
      prune();
      if (since === null || !crewsReady) {
        reads.store += 1;
        return null;
      }
      const custodyFrom = new Date(Date.parse(logFrom) - custodyLookbackMs).toISOString();
      if (Math.min(Date.parse(crewFrom), Date.parse(custodyFrom)) < since) {
        reads.store += 1;
        return null;
      }
      reads.window += 1;
      const wanted = new Set(stations);
      return {
        crews: crews.filter((c) => wanted.has(c.station) && c.start < crewTo && c.end > crewFrom),
        units: [...units.values()].filter((r) => wanted.has(r.unit.station) && r.at >= logFrom && r.at < logTo),
        custody: [...custody.values()].filter((r) => r.at >= custodyFrom && r.at < logTo),
      };
    },

    /** Whether the window can answer (loaded, crews current). */
    ready: (): boolean => since !== null && crewsReady,
    /** How many reads it answered, and how many it left to the store. */
    reads: (): { window: number; store: number } => ({ ...reads }),

    stop(): void {
      stopped = true;
      if (retry) clearTimeout(retry);
      unsubscribe();
    },
  };
}
export type CoverWindow = ReturnType<typeof createCoverWindow>;
