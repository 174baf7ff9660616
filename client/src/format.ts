import { DateTime } from 'luxon';
import { LONDON } from '../../shared/time/zone.js';

/** Every date and time the client shows or sends is read in the force's zone, whatever the browser's. */
export const ZONE = LONDON;

/** Now, in Europe/London. */
export const nowLocal = (): DateTime => DateTime.now().setZone(ZONE);

/** Today's local date, `YYYY-MM-DD`. */
export const todayIso = (): string => nowLocal().toISODate()!;

/** Tomorrow's local date, `YYYY-MM-DD` (correct after midnight in summer, unlike slicing a UTC string). */
export const tomorrowIso = (): string => nowLocal().plus({ days: 1 }).toISODate()!;

/** A local date `n` days after `iso`. */
export const addDays = (iso: string, n: number): string =>
  DateTime.fromISO(iso, { zone: ZONE }).plus({ days: n }).toISODate()!;

/** Whole local days from `from` to `to` inclusive. */
export const daysBetween = (from: string, to: string): number =>
  Math.round(DateTime.fromISO(to, { zone: ZONE }).diff(DateTime.fromISO(from, { zone: ZONE }), 'days').days) + 1;

const instant = (iso: string | Date): DateTime =>
  (typeof iso === 'string' ? DateTime.fromISO(iso) : DateTime.fromJSDate(iso)).setZone(ZONE);

/** `Mon 23 Nov` for a local date. */
export const fmtDay = (isoDate: string): string => DateTime.fromISO(isoDate, { zone: ZONE }).toFormat('ccc d LLL');

/** `23 Nov 2026` for a local date. */
export const fmtDate = (isoDate: string): string => DateTime.fromISO(isoDate, { zone: ZONE }).toFormat('d LLL yyyy');

/** `07:00`, local, for a UTC instant. */
export const fmtTime = (iso: string | Date): string => instant(iso).toFormat('HH:mm');

/** `23 Nov 2026, 07:00`, local, for a UTC instant. */
export const fmtDateTime = (iso: string | Date): string => instant(iso).toFormat('d LLL yyyy, HH:mm');

/** `23–29 Nov 2026` or `23 Nov 2026` for a range of local dates. */
export function fmtRange(from: string, to: string): string {
  if (from === to) return fmtDate(from);
  const a = DateTime.fromISO(from, { zone: ZONE });
  const b = DateTime.fromISO(to, { zone: ZONE });
  if (a.year === b.year && a.month === b.month) return `${a.toFormat('d')}–${b.toFormat('d LLL yyyy')}`;
  if (a.year === b.year) return `${a.toFormat('d LLL')} – ${b.toFormat('d LLL yyyy')}`;
  return `${a.toFormat('d LLL yyyy')} – ${b.toFormat('d LLL yyyy')}`;
}

/** `n thing` or `n things`. */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** `10:42:07`, local, for a wall clock. */
export const fmtClock = (iso: string | Date): string => instant(iso).toFormat('HH:mm:ss');

/** `22 Nov`, for a local date. */
export const fmtDayMonth = (isoDate: string): string => DateTime.fromISO(isoDate, { zone: ZONE }).toFormat('d LLL');

/** `45 min`, `2 h 05 min`: a duration in whole minutes. */
export const fmtMinutes = (minutes: number): string => {
  const m = Math.max(0, Math.floor(minutes));
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
};
