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
