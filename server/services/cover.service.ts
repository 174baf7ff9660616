import { DateTime } from 'luxon';
import {
  coverByHour,
  intersectIntervals,
  isBelow,
  localHours,
  plannedIntervals,
  roundCover,
  shiftOfId,
  unionIntervals,
  type CoverInterval,
  type HourSlot,
} from '../../shared/rules/cover-hours.js';
import type { Placement } from '../../shared/schemas/common.schema.js';
import type { CoverCsvRow, CoverHour, CoverQuery, CoverReport, CoverShift } from '../../shared/schemas/cover.schema.js';
import type { Actor } from '../../shared/schemas/user.schema.js';
import { eachDate } from '../../shared/time/rota.js';
import { LONDON } from '../../shared/time/zone.js';
import { NotFoundError } from '../errors.js';
import type { EventBus } from '../events/domain-events.js';
import { log } from '../logger.js';
import type { CoverWindow } from '../live/cover-window.js';
import type { CoverLogRepository, CustodyStateRecord, UnitStateRecord } from '../repositories/cover-log.repository.js';
import type { CoverDay, CoverRepository, StoredShiftCover } from '../repositories/cover.repository.js';
import type { PublishedCrew } from '../repositories/crew-plan.repository.js';
import type { Repositories } from '../repositories/index.js';
import { requireRole, requireScope, stationFilter } from './access.js';
import type { ForceSettingsReader } from './force-settings.service.js';

const DAY = 86_400_000;
/** A day's figures are final (and stored) once this long after its end: late book-offs and returns are in. */
const SETTLE_MS = DAY;
/** How far before a period the custody log is read: a device issued then may still be held in it. */
const CUSTODY_LOOKBACK_MS = DAY;
/** Closed days are aggregated this many at a time: one read of crews and one of the live log per chunk. */
const CLOSE_CHUNK_DAYS = 31;

type StationRef = { id: string; force: string; bcu: string; borough: string };

/**
 * Each officer's intervals holding an issued device, from the custody records (a device's state holds from
 * its record's `at` until its next record; the last one until `now`).
 */
export function holdingsOf(custody: readonly CustodyStateRecord[], now: number): Map<string, CoverInterval[]> {
  const byDevice = new Map<string, CustodyStateRecord[]>();
  for (const r of custody) (byDevice.get(r.key) ?? byDevice.set(r.key, []).get(r.key)!).push(r);
  const raw = new Map<string, CoverInterval[]>();
  for (const records of byDevice.values()) {
    records.sort((a, b) => a.version - b.version);
    records.forEach((r, i) => {
      if (r.state !== 'issued' || !r.holder) return;
      const next = records[i + 1];
      const iv = { start: Date.parse(r.at), end: next ? Date.parse(next.at) : now };
      (raw.get(r.holder) ?? raw.set(r.holder, []).get(r.holder)!).push(iv);
    });
  }
  return new Map([...raw].map(([o, ivs]) => [o, unionIntervals(ivs)]));
}

/**
 * The intervals each unit was Taser-equipped (the board's rule, shared/live/board-state.ts `isTaserUnit`:
 * booked on, and one of its booked-on officers holds a device). A unit's state holds from its record's `at`
 * until its next record; the last one until its shift's end or `now`, whichever is first.
 */
export function equippedUnits(
  units: readonly UnitStateRecord[],
  holdings: ReadonlyMap<string, CoverInterval[]>,
  now: number,
): Map<string, { shift: string; station: string; intervals: CoverInterval[] }> {
  const byUnit = new Map<string, UnitStateRecord[]>();
  for (const r of units) (byUnit.get(r.key) ?? byUnit.set(r.key, []).get(r.key)!).push(r);
  const out = new Map<string, { shift: string; station: string; intervals: CoverInterval[] }>();
  for (const [key, records] of byUnit) {
    records.sort((a, b) => a.version - b.version);
    const parts: CoverInterval[] = [];
    records.forEach((r, i) => {
      if (r.unit.status === 'off_duty' || !r.unit.bookedOn.length) return;
      const next = records[i + 1];
      const segment = [
        {
          start: Date.parse(r.at),
          end: next ? Date.parse(next.at) : Math.min(now, Date.parse(r.unit.end)),
        },
      ];
      if (segment[0]!.end <= segment[0]!.start) return;
      for (const o of r.unit.bookedOn) parts.push(...intersectIntervals(segment, holdings.get(o) ?? []));
    });
    const last = records[records.length - 1]!;
    out.set(key, { shift: last.unit.shift, station: last.unit.station, intervals: unionIntervals(parts) });
  }
  return out;
}

/** The length of the parts of `intervals` inside [start, end). */
const overlapMs = (intervals: readonly CoverInterval[], start: number, end: number): number =>
  intervals.reduce((n, iv) => n + Math.max(0, Math.min(iv.end, end) - Math.max(iv.start, start)), 0);

/**
 * The cover days of `stations` over local dates `dates` (consecutive), from published crews and the live
 * log as of `now`: per clock hour planned and actual, and per shift starting that day.
 */
export function computeCoverDays(
  stations: readonly StationRef[],
  dates: readonly string[],
  crews: readonly PublishedCrew[],
  log: { units: readonly UnitStateRecord[]; custody: readonly CustodyStateRecord[] },
  now: number,
): CoverDay[] {
  const slots = localHours(dates[0]!, dates[dates.length - 1]!);
  const ranges = new Map<string, [number, number]>();
  slots.forEach((s, i) => {
    const r = ranges.get(s.date);
    if (r) r[1] = i + 1;
    else ranges.set(s.date, [i, i + 1]);
  });
  const units = equippedUnits(log.units, holdingsOf(log.custody, now), now);
  const out: CoverDay[] = [];
  for (const st of stations) {
    const own = crews.filter((c) => c.station === st.id);
    const ownUnits = [...units.values()].filter((u) => u.station === st.id);
    const planned = coverByHour(plannedIntervals(own), slots);
    const actual = coverByHour(
      ownUnits.flatMap((u) => u.intervals),
      slots,
    );
    const shifts = new Map<string, StoredShiftCover & { date: string }>();
    for (const c of own) {
      const id = shiftOfId(c.shift);
      if (!id) continue;
      const s =
        shifts.get(c.shift) ??
        shifts
          .set(c.shift, { date: id.date, code: id.code, start: c.start, end: c.end, planned: 0, actual: 0 })
          .get(c.shift)!;
      if (c.carriers.length) s.planned += 1;
    }
    for (const [shift, s] of shifts) {
      const start = Date.parse(s.start);
      const end = Date.parse(s.end);
      s.actual =
        ownUnits.filter((u) => u.shift === shift).reduce((n, u) => n + overlapMs(u.intervals, start, end), 0) /
        (end - start);
    }
    for (const date of dates) {
      const [a, b] = ranges.get(date)!;
      out.push({
        force: st.force,
        bcu: st.bcu,
        borough: st.borough,
        station: st.id,
        date,
        planned: planned.slice(a, b),
        actual: actual.slice(a, b),
        shifts: [...shifts.values()]
          .filter((s) => s.date === date)
          .map(({ date: _d, ...s }) => s)
          .sort((x, y) => x.start.localeCompare(y.start) || x.code.localeCompare(y.code)),
      });
    }
  }
  return out;
}

/** A placement filter for the boroughs collection, where a borough names itself by `id`. */
const boroughFilter = ({ borough, ...rest }: Record<string, string>) =>
  borough === undefined ? rest : { ...rest, id: borough };

/** The end of a local date, epoch ms. */
const dayEnd = (date: string): number => DateTime.fromISO(date, { zone: LONDON }).plus({ days: 1 }).toMillis();

/** Cover by hour and shift, planned (published crews) against actual (live log), for a unit and a period. */
export function createCoverService(
  repos: Repositories,
  clock: () => Date,
  settings: ForceSettingsReader,
  store: { cover: CoverRepository; log: CoverLogRepository; window?: CoverWindow },
  events?: EventBus,
) {
  // A published plan changes the planned figures of its stations' days: forget them, recompute on next read.
  events?.subscribe((e) => {
    if (e.type !== 'plan.published') return;
    memory.delete(e.placement.force);
    store.window?.published();
    const dates = new Set<string>();
    for (const s of e.shifts) {
      const id = shiftOfId(s);
      if (id) dates.add(id.date).add(DateTime.fromISO(id.date).minus({ days: 1 }).toISODate()!);
    }
    store.cover
      .forget(e.placement.force, [...dates])
      .catch((err: unknown) => log.error('cover days not forgotten', { plan: e.plan, message: String(err) }));
  });

  const resolve = async (actor: Actor, q: Pick<CoverQuery, 'level' | 'unit'>): Promise<Partial<Placement>> => {
    const missing = () => new NotFoundError(`There is no ${q.level} ${q.unit}.`, 'unit_not_found');
    switch (q.level) {
      case 'station': {
        const s = await repos.stations.get(q.unit);
        if (!s) throw missing();
        return { force: s.force, bcu: s.bcu, borough: s.borough, station: s.id };
      }
      case 'borough': {
        const b = await repos.boroughs.get(q.unit);
        if (!b) throw missing();
        return { force: b.force, bcu: b.bcu, borough: b.id };
      }
      case 'bcu': {
        const b = await repos.bcus.get(q.unit);
        if (!b) throw missing();
        return { force: b.force, bcu: b.id };
      }
      case 'force': {
        if (q.unit !== actor.force && !(await repos.forces.get(q.unit))) throw missing();
        return { force: q.unit };
      }
    }
  };

  /**
   * Closed days kept in memory per force, with the store's generation they were read under: a report whose
   * generation read differs (a plan was published, here or on another instance) drops them. Bounded.
   */
  const memory = new Map<string, { generation: number; days: Map<string, CoverDay[]> }>();
  const MEMORY_DAYS = 1_100;
  const remember = (force: string, generation: number, date: string, days: CoverDay[]) => {
    let m = memory.get(force);
    if (!m || m.generation !== generation) memory.set(force, (m = { generation, days: new Map() }));
    if (m.days.size >= MEMORY_DAYS) m.days.clear();
    m.days.set(date, days);
  };

  /**
   * The days of `stations`: closed ones from memory or the store, the rest computed. A day is computed and
   * stored for every station of the force at once (one document a day), so `forceStations` are all of them.
   */
  const daysOf = async (
    force: string,
    forceStations: StationRef[],
    stations: StationRef[],
    dates: string[],
    now: number,
  ): Promise<{ days: CoverDay[]; computed: number }> => {
    const wanted = new Set(stations.map((s) => s.id));
    const closed = (d: string) => dayEnd(d) + SETTLE_MS <= now;
    const generation = await store.cover.generation(force);
    let m = memory.get(force);
    if (!m || m.generation !== generation) memory.set(force, (m = { generation, days: new Map() }));
    const known = m.days;
    const unread = dates.filter((d) => closed(d) && !known.has(d));
    if (unread.length) {
      for (const [date, ds] of await store.cover.days(force, unread)) remember(force, generation, date, ds);
    }
    const found = new Map(dates.filter((d) => closed(d) && known.has(d)).map((d) => [d, known.get(d)!]));
    const kept = [...found.values()].flatMap((ds) => ds.filter((d) => wanted.has(d.station)));
    const todo = dates.filter((d) => !found.has(d));
    if (!todo.length) return { days: kept, computed: 0 };
    const span = eachDate(todo[0]!, todo[todo.length - 1]!);
    // Closed days are computed for the whole force (to be stored); open ones only for the unit.
    const storing = span.some((d) => !found.has(d) && closed(d));
    const computing = storing ? forceStations : stations;
    const ids = computing.map((s) => s.id);
    const from = DateTime.fromISO(span[0]!, { zone: LONDON }).toUTC();
    // To a day after: a night starting on the last day ends the next morning, and its shift figures need it.
    const to = new Date(Math.min(dayEnd(span[span.length - 1]!) + DAY, now)).toISOString();
    const crewFrom = from.toISO()!;
    const crewTo = new Date(dayEnd(span[span.length - 1]!)).toISOString();
    // Unit records from a day before: a unit booked on before midnight may still be on after it.
    const logFrom = from.minus({ days: 1 }).toISO()!;
    // The last days (the open ones) from memory when the window holds them; otherwise from the store.
    const recent = store.window?.read(ids, crewFrom, crewTo, logFrom, to, CUSTODY_LOOKBACK_MS);
    const [crews, logRecords] = recent
      ? [recent.crews, recent]
      : await Promise.all([
          store.cover.crews(ids, crewFrom, crewTo),
          store.log.read(ids, logFrom, to, CUSTODY_LOOKBACK_MS),
        ]);
    const fresh = computeCoverDays(computing, span, crews, logRecords, now).filter((d) => !found.has(d.date));
    // Stored (and remembered) only if no plan was published meanwhile: those figures may predate it.
    if (storing && (await store.cover.generation(force)) === generation) {
      const done = fresh.filter((d) => closed(d.date));
      await store.cover.save(done);
      const byDate = new Map<string, CoverDay[]>();
      for (const d of done) (byDate.get(d.date) ?? byDate.set(d.date, []).get(d.date)!).push(d);
      for (const [date, ds] of byDate) remember(force, generation, date, ds);
    }
    return { days: [...kept, ...fresh.filter((d) => wanted.has(d.station))], computed: todo.length };
  };

  /** The last local date that is closed at `now` (its end plus the settling time has passed). */
  const lastClosed = (now: number): string => {
    let d = DateTime.fromMillis(now, { zone: LONDON }).startOf('day').minus({ days: 1 });
    while (dayEnd(d.toISODate()!) + SETTLE_MS > now) d = d.minus({ days: 1 });
    return d.toISODate()!;
  };

  /** One closing run at a time, whoever starts it (the timer or a caller). */
  let closing: Promise<{ dates: number; computed: number }> | null = null;
  const closeAll = async (backfillDays: number, stopped: () => boolean) => {
    const now = clock().getTime();
    const first = DateTime.fromMillis(now, { zone: LONDON }).startOf('day').minus({ days: backfillDays }).toISODate()!;
    const last = lastClosed(now);
    const dates = first <= last ? eachDate(first, last) : [];
    let computed = 0;
    for (const force of await repos.forces.find({})) {
      const stations = (await repos.stations.find({ force: force.id })).map((s) => ({
        id: s.id,
        force: s.force,
        bcu: s.bcu,
        borough: s.borough,
      }));
      if (!stations.length) continue;
      for (let i = 0; i < dates.length && !stopped(); i += CLOSE_CHUNK_DAYS) {
        const chunk = dates.slice(i, i + CLOSE_CHUNK_DAYS);
        computed += (await daysOf(force.id, stations, stations, chunk, now)).computed;
      }
    }
    return { dates: dates.length, computed };
  };

  const compute = async (actor: Actor, q: Omit<CoverQuery, 'format'>) => {
    requireRole(actor, 'reports', 'read');
    const placement = await resolve(actor, q);
    requireScope(actor, placement);
    const force = placement.force!;
    const where: Record<string, string> = {};
    for (const k of ['force', 'bcu', 'borough', 'station'] as const) if (placement[k]) where[k] = placement[k];
    const [forceStationDocs, stationDocs, boroughDocs, current] = await Promise.all([
      repos.stations.find({ force }),
      repos.stations.find(stationFilter(where)),
      q.level === 'station' ? Promise.resolve([]) : repos.boroughs.find(boroughFilter(where)),
      settings.current(force),
    ]);
    const ref = (s: StationRef): StationRef => ({ id: s.id, force: s.force, bcu: s.bcu, borough: s.borough });
    const stations = stationDocs.map(ref);
    const boroughMinimum = current.minTaserUnits;
    const minimum = q.level === 'station' ? null : boroughMinimum * boroughDocs.length;
    const now = clock().getTime();
    const dates = eachDate(q.from, q.to);
    const days = stations.length ? (await daysOf(force, forceStationDocs.map(ref), stations, dates, now)).days : [];
    const slots = localHours(q.from, q.to);
    return { q, now, slots, days, stations, boroughs: boroughDocs.map((b) => b.id), boroughMinimum, minimum };
  };

  type Computed = Awaited<ReturnType<typeof compute>>;

  /** Per-slot sums over the days of the stations `pick` selects. */
  const sums = (c: Computed, pick: (d: CoverDay) => boolean) => {
    const index = new Map<string, number>();
    c.slots.forEach((s, i) => {
      if (!index.has(s.date)) index.set(s.date, i);
    });
    const planned = c.slots.map(() => 0);
    const actual = c.slots.map(() => 0);
    for (const d of c.days) {
      if (!pick(d)) continue;
      const at = index.get(d.date);
      if (at === undefined) continue;
      d.planned.forEach((x, i) => (planned[at + i]! += x));
      d.actual.forEach((x, i) => (actual[at + i]! += x));
    }
    return { planned, actual };
  };

  const hourRows = (
    slots: readonly HourSlot[],
    planned: number[],
    actual: number[],
    minimum: number | null,
    now: number,
  ): CoverHour[] =>
    slots.map((s, i) => {
      const p = roundCover(planned[i]!);
      // An hour has an actual figure once it is over.
      const a = s.end <= now ? roundCover(actual[i]!) : null;
      return {
        date: s.date,
        hour: s.hour,
        offset: s.offset,
        start: new Date(s.start).toISOString(),
        planned: p,
        actual: a,
        minimum,
        belowPlanned: minimum !== null && isBelow(p, minimum),
        belowActual: minimum !== null && a !== null && isBelow(a, minimum),
      };
    });

  return {
    /** The in-memory window of the last days (absent when turned off): loaded by the server at start. */
    window: store.window ?? null,

    /**
     * Aggregates ahead of any report: every force's closed days from `backfillDays` before today to the last
     * closed day, those not stored yet computed and stored (`CLOSE_CHUNK_DAYS` at a time), those stored read
     * into memory. A day a plan was published over is forgotten and so computed again by the next run.
     * Resolves with the dates looked at and the days computed (per force).
     */
    close(backfillDays: number, stopped: () => boolean = () => false): Promise<{ dates: number; computed: number }> {
      closing ??= closeAll(backfillDays, stopped).finally(() => (closing = null));
      return closing;
    },

    /** Runs `close` every `ms` (the first run soon after start); the returned stop waits for a run under way. */
    startClosing(ms: number, backfillDays: number): () => Promise<void> {
      if (ms <= 0) return () => Promise.resolve();
      let stopped = false;
      const run = () => {
        if (stopped) return;
        const t = performance.now();
        this.close(backfillDays, () => stopped)
          .then((r) => {
            if (r.computed)
              log.info(`cover: ${r.computed} closed day(s) aggregated in ${Math.round(performance.now() - t)} ms`);
          })
          .catch((e: unknown) => log.error('cover days not aggregated', { message: String(e) }));
      };
      const first = setTimeout(run, Math.min(ms, 5_000));
      const timer = setInterval(run, ms);
      first.unref();
      timer.unref();
      return async () => {
        stopped = true;
        clearTimeout(first);
        clearInterval(timer);
        await closing?.catch(() => undefined);
      };
    },

    async report(actor: Actor, q: Omit<CoverQuery, 'format'>): Promise<CoverReport> {
      const c = await compute(actor, q);
      const total = sums(c, () => true);
      const hours = hourRows(c.slots, total.planned, total.actual, c.minimum, c.now);
      const boroughs =
        q.level === 'station'
          ? []
          : c.boroughs.map((b) => {
              const rows = (() => {
                const x = sums(c, (d) => d.borough === b);
                return hourRows(c.slots, x.planned, x.actual, c.boroughMinimum, c.now);
              })();
              return {
                borough: b,
                hoursBelowPlanned: rows.filter((r) => r.belowPlanned).length,
                hoursBelowActual: rows.filter((r) => r.belowActual).length,
              };
            });
      const shiftMap = new Map<string, { s: CoverShift; unfinished: boolean }>();
      for (const d of c.days)
        for (const s of d.shifts) {
          const key = `${d.date}|${s.code}`;
          const e =
            shiftMap.get(key) ??
            shiftMap
              .set(key, {
                s: { date: d.date, code: s.code, start: s.start, end: s.end, planned: 0, actual: 0, ...noFigures },
                unfinished: false,
              })
              .get(key)!;
          e.s.planned += s.planned;
          e.s.actual! += s.actual;
          if (s.start < e.s.start) e.s.start = s.start;
          if (s.end > e.s.end) e.s.end = s.end;
        }
      const shifts = [...shiftMap.values()]
        .map(({ s }) => {
          const planned = roundCover(s.planned);
          const actual = Date.parse(s.end) <= c.now ? roundCover(s.actual!) : null;
          return {
            ...s,
            planned,
            actual,
            minimum: c.minimum,
            belowPlanned: c.minimum !== null && isBelow(planned, c.minimum),
            belowActual: c.minimum !== null && actual !== null && isBelow(actual, c.minimum),
          };
        })
        .sort((a, b) => a.start.localeCompare(b.start) || a.code.localeCompare(b.code));
      const multi = q.level === 'bcu' || q.level === 'force';
      const elapsed = hours.filter((h) => h.actual !== null);
      return {
        unit: { level: q.level, id: q.unit },
        from: q.from,
        to: q.to,
        asOf: new Date(c.now).toISOString(),
        boroughMinimum: c.boroughMinimum,
        minimum: c.minimum,
        headline: {
          hours: hours.length,
          hoursElapsed: elapsed.length,
          hoursBelowPlanned: multi
            ? boroughs.reduce((n, b) => n + b.hoursBelowPlanned, 0)
            : hours.filter((h) => h.belowPlanned).length,
          hoursBelowActual: multi
            ? boroughs.reduce((n, b) => n + b.hoursBelowActual, 0)
            : hours.filter((h) => h.belowActual).length,
          plannedUnitHours: roundCover(total.planned.reduce((n, x) => n + x, 0)),
          actualUnitHours: roundCover(total.actual.reduce((n, x, i) => n + (c.slots[i]!.end <= c.now ? x : 0), 0)),
        },
        boroughs,
        hours,
        shifts,
      };
    },

    /** One row per station (station report) or borough (any other) and clock hour, for spreadsheets. */
    async rows(actor: Actor, q: Omit<CoverQuery, 'format'>): Promise<CoverCsvRow[]> {
      const c = await compute(actor, q);
      const units =
        q.level === 'station'
          ? c.stations.map((s) => ({ id: s.id, pick: (d: CoverDay) => d.station === s.id, min: null }))
          : c.boroughs.map((b) => ({ id: b, pick: (d: CoverDay) => d.borough === b, min: c.boroughMinimum }));
      return units.flatMap((u) => {
        const x = sums(c, u.pick);
        return hourRows(c.slots, x.planned, x.actual, u.min, c.now).map((h) => ({
          unit: u.id,
          date: h.date,
          hour: `${String(h.hour).padStart(2, '0')}:00`,
          startUtc: h.start,
          planned: h.planned,
          actual: h.actual,
          minimum: h.minimum,
          belowPlanned: h.belowPlanned,
          belowActual: h.belowActual,
        }));
      });
    },
  };
}
export type CoverService = ReturnType<typeof createCoverService>;

const noFigures = { minimum: null, belowPlanned: false, belowActual: false } as const;

/** The rows as CSV: unit, date, local hour, UTC start (tells the two 01:00s apart), figures. */
export function coverCsv(rows: readonly CoverCsvRow[]): string {
  const head = 'unit,date,hour,start_utc,planned,actual,minimum,below_planned,below_actual';
  const cell = (v: string | number | boolean | null) => (v === null ? '' : String(v));
  return (
    [
      head,
      ...rows.map((r) =>
        [r.unit, r.date, r.hour, r.startUtc, r.planned, r.actual, r.minimum, r.belowPlanned, r.belowActual]
          .map(cell)
          .join(','),
      ),
    ].join('\r\n') + '\r\n'
  );
}
