import { DateTime } from 'luxon';
import { LONDON } from './zone.js';

/*
 * The periods a lead picks from (issue 10): the last 7 days, this and last month, the quarters of a UK
 * financial year (1 April to 31 March: Q1 April–June, Q2 July–September, Q3 October–December, Q4
 * January–March) and whole financial years. Local dates, both ends inclusive.
 */

export type Period = { id: string; label: string; from: string; to: string };

const iso = (d: DateTime): string => d.toISODate()!;

/** The year a financial year starts in: 2026 for 2026/27 (1 April 2026 to 31 March 2027). */
export const financialYearOf = (date: string, zone = LONDON): number => {
  const d = DateTime.fromISO(date, { zone });
  return d.month >= 4 ? d.year : d.year - 1;
};

/** `2026/27` for the financial year starting in 2026. */
export const financialYearLabel = (start: number): string => `${start}/${String((start + 1) % 100).padStart(2, '0')}`;

/** The financial year starting 1 April of `start`. */
export function financialYear(start: number, zone = LONDON): Period {
  const from = DateTime.fromObject({ year: start, month: 4, day: 1 }, { zone });
  return {
    id: `fy-${start}`,
    label: `FY ${financialYearLabel(start)}`,
    from: iso(from),
    to: iso(from.plus({ years: 1 }).minus({ days: 1 })),
  };
}

/** Quarter `q` (1–4) of the financial year starting in `start`. */
export function financialQuarter(start: number, q: 1 | 2 | 3 | 4, zone = LONDON): Period {
  const from = DateTime.fromObject({ year: start, month: 4, day: 1 }, { zone }).plus({ months: 3 * (q - 1) });
  return {
    id: `fy-${start}-q${q}`,
    label: `Q${q} ${financialYearLabel(start)} (${from.toFormat('LLL')}–${from.plus({ months: 2 }).toFormat('LLL yyyy')})`,
    from: iso(from),
    to: iso(from.plus({ months: 3 }).minus({ days: 1 })),
  };
}

/** The financial quarter a date falls in. */
export function quarterOf(date: string, zone = LONDON): Period {
  const d = DateTime.fromISO(date, { zone });
  const start = financialYearOf(date, zone);
  const q = (Math.floor(((d.month - 4 + 12) % 12) / 3) + 1) as 1 | 2 | 3 | 4;
  return financialQuarter(start, q, zone);
}

/** The calendar month `offset` months from the one `today` is in (0 this month, -1 last month). */
export function month(today: string, offset: number, zone = LONDON): Period {
  const from = DateTime.fromISO(today, { zone }).startOf('month').plus({ months: offset });
  return {
    id: offset === 0 ? 'this-month' : offset === -1 ? 'last-month' : `month-${iso(from).slice(0, 7)}`,
    label: offset === 0 ? 'This month' : offset === -1 ? 'Last month' : from.toFormat('LLLL yyyy'),
    from: iso(from),
    to: iso(from.endOf('month')),
  };
}

/** The `n` days ending with `today`. */
export function lastDays(today: string, n: number, zone = LONDON): Period {
  const end = DateTime.fromISO(today, { zone });
  return { id: `last-${n}`, label: `Last ${n} days`, from: iso(end.minus({ days: n - 1 })), to: iso(end) };
}

/**
 * The presets a lead's period picker offers on `today`: last 7 days, this and last month, the four quarters
 * of this financial year and of the last, this financial year and the last.
 */
export function periodPresets(today: string, zone = LONDON): Period[] {
  const fy = financialYearOf(today, zone);
  const quarters = (start: number) => ([1, 2, 3, 4] as const).map((q) => financialQuarter(start, q, zone));
  return [
    lastDays(today, 7, zone),
    month(today, 0, zone),
    month(today, -1, zone),
    ...quarters(fy),
    financialYear(fy, zone),
    ...quarters(fy - 1),
    financialYear(fy - 1, zone),
  ];
}

/** The `n` days starting the day after `today`. */
export function nextDays(today: string, n: number, zone = LONDON): Period {
  const start = DateTime.fromISO(today, { zone }).plus({ days: 1 });
  return { id: `next-${n}`, label: `Next ${n} days`, from: iso(start), to: iso(start.plus({ days: n - 1 })) };
}

/** Days from `from` to `to`, both included. */
export const periodDays = (p: Pick<Period, 'from' | 'to'>): number =>
  Math.round(DateTime.fromISO(p.to).diff(DateTime.fromISO(p.from), 'days').days) + 1;

/**
 * The presets a period picker capped at `maxDays` offers on `today` (the what-if: 28): the next 7, 14 and 28
 * days, the rest of this month and next month, this and last month, the last 7 and 28 days, and any financial
 * quarter or year of `periodPresets` — each only when it fits.
 */
export function cappedPresets(today: string, maxDays: number, zone = LONDON): Period[] {
  const rest = month(today, 0, zone);
  const tomorrow = iso(DateTime.fromISO(today, { zone }).plus({ days: 1 }));
  const all = [
    nextDays(today, 7, zone),
    nextDays(today, 14, zone),
    nextDays(today, 28, zone),
    ...(tomorrow <= rest.to ? [{ id: 'rest-of-month', label: 'Rest of this month', from: tomorrow, to: rest.to }] : []),
    month(today, 1, zone),
    ...periodPresets(today, zone).filter((p) => p.id !== 'last-7'),
    lastDays(today, 7, zone),
    lastDays(today, 28, zone),
  ];
  const seen = new Set<string>();
  return all.filter((p) => {
    const fits = periodDays(p) >= 1 && periodDays(p) <= maxDays && !seen.has(`${p.from}|${p.to}`);
    seen.add(`${p.from}|${p.to}`);
    return fits;
  });
}

/** A look-ahead preset in whole weeks from today (the authorisation cliff: 4 to 104 weeks). */
export type WeeksPreset = { id: string; label: string; weeks: number };

/**
 * The cliff's look-ahead presets on `today`: 12 months, and the weeks that reach the end of this and the
 * next financial quarter and year (a cliff week runs today + 7i to today + 7i + 6, so ⌈days / 7⌉ weeks
 * cover to that date), each kept within 4 to 104 weeks.
 */
export function weeksPresets(today: string, zone = LONDON): WeeksPreset[] {
  const t = DateTime.fromISO(today, { zone });
  const weeksTo = (end: string) =>
    Math.min(104, Math.max(4, Math.ceil((Math.round(DateTime.fromISO(end, { zone }).diff(t, 'days').days) + 1) / 7)));
  const q = quarterOf(today, zone);
  const nextQ = quarterOf(iso(DateTime.fromISO(q.to, { zone }).plus({ days: 1 })), zone);
  const fy = financialYear(financialYearOf(today, zone), zone);
  const nextFy = financialYear(financialYearOf(today, zone) + 1, zone);
  return [
    { id: '12-months', label: '12 months', weeks: 52 },
    { id: 'to-quarter-end', label: `To the end of ${q.label}`, weeks: weeksTo(q.to) },
    { id: 'to-next-quarter-end', label: `To the end of ${nextQ.label}`, weeks: weeksTo(nextQ.to) },
    { id: 'to-fy-end', label: `To the end of ${fy.label}`, weeks: weeksTo(fy.to) },
    { id: 'to-next-fy-end', label: `To the end of ${nextFy.label}`, weeks: weeksTo(nextFy.to) },
  ];
}
