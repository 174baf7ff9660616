import { DateTime } from 'luxon';
import { eachDate } from '../time/rota.js';
import { LONDON } from '../time/zone.js';

/*
 * Cover by hour (issue 10): how many Taser-equipped units were on duty in each local clock hour. The one home
 * of the definition, used by the cover report (planned from published crews, actual from the live log) and by
 * anything else that wants "hours below minimum" for a set of crews (the what-if).
 *
 * A figure for an hour is time-weighted: the unit-hours of Taser cover that fall inside the hour, so a unit
 * equipped for the whole hour counts 1, one equipped for the last 15 minutes counts 0.25. Hours are local
 * clock hours in Europe/London: a day has 24 of them, the spring-forward day 23 (no 01:00) and the
 * fall-back day 25 (01:00 twice, first at +01:00 then at +00:00).
 */

const HOUR = 3_600_000;

/** One local clock hour: its local date and hour, its UTC offset (minutes) and its instants (epoch ms). */
export type HourSlot = { date: string; hour: number; offset: number; start: number; end: number };

/** An interval of Taser cover by one unit, epoch ms, `end` exclusive. */
export type CoverInterval = { start: number; end: number };

/** The local clock hours of one local date, in order (23, 24 or 25 of them). */
export function hoursOfDay(date: string, zone = LONDON): HourSlot[] {
  const first = DateTime.fromISO(date, { zone }).startOf('day');
  const last = first.plus({ days: 1 }).toMillis();
  const out: HourSlot[] = [];
  // Step in real hours from local midnight: London's offsets are whole hours, so each step starts a clock hour.
  for (let t = first.toMillis(); t < last; t += HOUR) {
    const local = DateTime.fromMillis(t, { zone });
    out.push({ date, hour: local.hour, offset: local.offset, start: t, end: Math.min(t + HOUR, last) });
  }
  return out;
}

/** The local clock hours of the local dates `from`..`to`, inclusive, in order. */
export function localHours(from: string, to: string, zone = LONDON): HourSlot[] {
  return eachDate(from, to, zone).flatMap((d) => hoursOfDay(d, zone));
}

/** The first slot whose end lies after `t` (slots are contiguous and ordered). */
function firstSlotAfter(slots: readonly HourSlot[], t: number): number {
  let lo = 0;
  let hi = slots.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (slots[mid]!.end <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Time-weighted cover per slot: for each slot, the hours of the intervals inside it divided by the slot's length. */
export function coverByHour(intervals: Iterable<CoverInterval>, slots: readonly HourSlot[]): number[] {
  const out = slots.map(() => 0);
  for (const iv of intervals) {
    if (iv.end <= iv.start) continue;
    for (let i = firstSlotAfter(slots, iv.start); i < slots.length; i++) {
      const s = slots[i]!;
      if (s.start >= iv.end) break;
      const overlap = Math.min(s.end, iv.end) - Math.max(s.start, iv.start);
      if (overlap > 0) out[i]! += overlap / (s.end - s.start);
    }
  }
  return out;
}

/** A crew as a plan has it: its shift's instants and its carriers (a Taser crew has at least one). */
export type PlannedCrew = { start: string; end: string; carriers: readonly unknown[] };

/** The cover intervals of a plan's crews: each crew with a carrier covers its whole shift. */
export const plannedIntervals = (crews: Iterable<PlannedCrew>): CoverInterval[] =>
  [...crews].filter((c) => c.carriers.length > 0).map((c) => ({ start: Date.parse(c.start), end: Date.parse(c.end) }));

/** Planned Taser cover per local hour of `from`..`to` for a set of crews (what a what-if can compare). */
export function plannedCoverByHour(
  crews: Iterable<PlannedCrew>,
  from: string,
  to: string,
  zone = LONDON,
): { slots: HourSlot[]; cover: number[] } {
  const slots = localHours(from, to, zone);
  return { slots, cover: coverByHour(plannedIntervals(crews), slots) };
}

/** Figures are kept to 1/100 of a unit: a minute of one unit's cover is 0.0167. */
export const roundCover = (x: number): number => Math.round(x * 100) / 100;

/** An hour is below the minimum when its (rounded) cover is less than the minimum. */
export const isBelow = (cover: number, min: number): boolean => roundCover(cover) < min;

/** How many of the figures fall below the minimum. */
export const hoursBelow = (cover: readonly number[], min: number): number =>
  cover.filter((c) => isBelow(c, min)).length;

/** The union of intervals, sorted and merged (two carriers of one unit still make one Taser-equipped unit). */
export function unionIntervals(intervals: Iterable<CoverInterval>): CoverInterval[] {
  const sorted = [...intervals].filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const out: CoverInterval[] = [];
  for (const iv of sorted) {
    const last = out[out.length - 1];
    if (last && iv.start <= last.end) last.end = Math.max(last.end, iv.end);
    else out.push({ ...iv });
  }
  return out;
}

/** The parts of `a` that lie inside some interval of `b` (both unions, sorted). */
export function intersectIntervals(a: readonly CoverInterval[], b: readonly CoverInterval[]): CoverInterval[] {
  const out: CoverInterval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const start = Math.max(a[i]!.start, b[j]!.start);
    const end = Math.min(a[i]!.end, b[j]!.end);
    if (end > start) out.push({ start, end });
    if (a[i]!.end < b[j]!.end) i++;
    else j++;
  }
  return out;
}

/** The date and shift code of a shift instance id `<station>-<yyyy-mm-dd>-<code>`, or null. */
export function shiftOfId(id: string): { station: string; date: string; code: string } | null {
  const m = /^(.+)-(\d{4}-\d{2}-\d{2})-([^-]+)$/.exec(id);
  return m ? { station: m[1]!, date: m[2]!, code: m[3]! } : null;
}
