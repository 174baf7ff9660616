import { DateTime } from 'luxon';
import {
  AGE_BANDS,
  ETHNIC_GROUPS,
  GENDERS,
  PERCEIVED_ETHNICITIES,
  USE_LEVELS,
  type BoroughPopulation,
  type EthnicGroup,
  type PublishedValue,
  type QuarterlyRow,
  type UseLevel,
} from '../schemas/taser-use.schema.js';
import type { CustodyKind } from '../schemas/custody.schema.js';
import { LONDON } from '../time/zone.js';

/**
 * The counting rules for Taser use (issue 11), one home for the service, the CSV and the printable page.
 * See docs/taser-use.md for the table of rules.
 */

const DISCHARGES: ReadonlySet<UseLevel> = new Set(['drive_stun', 'angled_drive_stun', 'fired']);

/** Drive-stun, angled drive-stun and fired are discharges; drawn, aimed, arced and red-dot are not. */
export const isDischarge = (level: UseLevel): boolean => DISCHARGES.has(level);

/** Custody kinds that count as the device's check after a discharge (a repair checks it too). */
export const CHECK_KINDS: readonly CustodyKind[] = ['checked', 'repaired'];
export const isCheck = (kind: CustodyKind): boolean => CHECK_KINDS.includes(kind);

/** The higher of two uses in the Home Office order (drawn < aimed < arced < red-dot < drive-stun < angled < fired). */
export const higherUse = (a: UseLevel, b: UseLevel): UseLevel =>
  USE_LEVELS.indexOf(a) >= USE_LEVELS.indexOf(b) ? a : b;

/** The default small-number threshold: published counts from 1 to 4 are shown as `<5`. */
export const DEFAULT_SUPPRESSION_THRESHOLD = 5;

/** The financial year (April to March) and quarter a UTC instant falls in, read on the local calendar. */
export function financialQuarter(at: string | Date, zone = LONDON): { fyStart: number; quarter: 1 | 2 | 3 | 4 } {
  const local = (typeof at === 'string' ? DateTime.fromISO(at) : DateTime.fromJSDate(at)).setZone(zone);
  const fyStart = local.month >= 4 ? local.year : local.year - 1;
  const quarter = (Math.floor(((local.month + 8) % 12) / 3) + 1) as 1 | 2 | 3 | 4;
  return { fyStart, quarter };
}

/** `2026-27 Q3`: the label the publication and the CSV use. */
export const quarterLabel = (fyStart: number, quarter: number): string =>
  `${fyStart}-${String((fyStart + 1) % 100).padStart(2, '0')} Q${quarter}`;

export const quarterOf = (at: string | Date, zone = LONDON): string => {
  const q = financialQuarter(at, zone);
  return quarterLabel(q.fyStart, q.quarter);
};

const QUARTER_LABEL = /^(\d{4})-(\d{2}) Q([1-4])$/;

/** The local dates a quarter label covers (inclusive), or null when the label is not one. */
export function quarterRange(label: string): { from: string; to: string } | null {
  const m = QUARTER_LABEL.exec(label);
  if (!m) return null;
  const fyStart = Number(m[1]);
  if ((fyStart + 1) % 100 !== Number(m[2])) return null;
  const q = Number(m[3]);
  const start = DateTime.fromObject({ year: fyStart, month: 4, day: 1 }, { zone: LONDON }).plus({
    months: (q - 1) * 3,
  });
  return { from: start.toISODate()!, to: start.plus({ months: 3 }).minus({ days: 1 }).toISODate()! };
}

/** What the counting needs of a use record. */
export type CountedUse = {
  officer: string;
  borough: string;
  quarter: string;
  subjectRef: { incident: string; subject: number };
  highest: UseLevel;
  ageBand: (typeof AGE_BANDS)[number];
  gender: (typeof GENDERS)[number];
  ethnicity: (typeof PERCEIVED_ETHNICITIES)[number];
};

/**
 * The uses that count: one per officer per subject per incident, at the highest level recorded. Two officers on
 * one subject are two uses; one officer recorded twice for one subject (drawn, then fired) is one use, as fired.
 */
export function countedUses<T extends CountedUse>(records: readonly T[]): T[] {
  const best = new Map<string, T>();
  for (const r of records) {
    const key = `${r.subjectRef.incident}\u0000${r.subjectRef.subject}\u0000${r.officer}`;
    const prev = best.get(key);
    if (!prev || higherUse(r.highest, prev.highest) !== prev.highest) best.set(key, r);
  }
  return [...best.values()];
}

/** A count as published: 1 to threshold−1 become `<threshold`; zero stays zero. */
export const suppress = (n: number, threshold: number): PublishedValue =>
  n > 0 && n < threshold ? `<${threshold}` : n;

/** A value derived from a suppressed count is withheld too, marked `[c]` as official statistics do. */
export const WITHHELD = '[c]';

const round = (x: number, places: number): number => Math.round(x * 10 ** places) / 10 ** places;

/**
 * The measures for one borough and quarter, in the flat open-data layout (one row per measure).
 * Rates are per 1,000 residents of the group; disproportionality is a group's rate over the White group's rate.
 */
export function quarterlyRows(input: {
  borough: string;
  boroughName: string;
  quarter: string;
  uses: readonly CountedUse[];
  population: BoroughPopulation | undefined;
  threshold: number;
}): QuarterlyRow[] {
  const { borough, boroughName, quarter, threshold } = input;
  const uses = countedUses(input.uses.filter((u) => u.borough === borough && u.quarter === quarter));
  const rows: QuarterlyRow[] = [];
  const count = (measure: string, n: number): void => {
    rows.push({ borough, boroughName, quarter, measure, value: suppress(n, threshold) });
  };
  const derived = (measure: string, value: number | null, from: number[]): void => {
    const hidden = from.some((n) => n > 0 && n < threshold);
    rows.push({ borough, boroughName, quarter, measure, value: hidden ? WITHHELD : value });
  };
  const tally = <K extends string>(keys: readonly K[], of: (u: CountedUse) => K): Record<K, number> => {
    const t = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
    for (const u of uses) t[of(u)] += 1;
    return t;
  };

  const total = uses.length;
  const discharges = uses.filter((u) => isDischarge(u.highest)).length;
  count('uses_total', total);
  const byLevel = tally(USE_LEVELS, (u) => u.highest);
  for (const level of USE_LEVELS) count(`uses_${level}`, byLevel[level]);
  count('non_discharges', total - discharges);
  count('discharges', discharges);
  derived('discharge_rate_pct', total ? round((100 * discharges) / total, 1) : null, [discharges, total]);
  const byAge = tally(AGE_BANDS, (u) => u.ageBand);
  for (const band of AGE_BANDS) count(`uses_age_${band}`, byAge[band]);
  const byGender = tally(GENDERS, (u) => u.gender);
  for (const g of GENDERS) count(`uses_gender_${g}`, byGender[g]);
  const byEthnicity = tally(PERCEIVED_ETHNICITIES, (u) => u.ethnicity);
  for (const e of PERCEIVED_ETHNICITIES) count(`uses_ethnicity_${e}`, byEthnicity[e]);

  const pop = input.population;
  // Ratios are taken from the unrounded rates; only what is published is rounded.
  const rawRate = (n: number, base: number | undefined): number | null => (base ? (1000 * n) / base : null);
  const rounded = (x: number | null): number | null => (x === null ? null : round(x, 3));
  derived('rate_per_1000_all', rounded(rawRate(total, pop?.total)), [total]);
  const groupRate = (g: EthnicGroup): number | null => rawRate(byEthnicity[g], pop?.byEthnicity[g]);
  for (const g of ETHNIC_GROUPS) derived(`rate_per_1000_${g}`, rounded(groupRate(g)), [byEthnicity[g]]);
  const white = groupRate('white');
  for (const g of ETHNIC_GROUPS.filter((e) => e !== 'white')) {
    const r = groupRate(g);
    derived(`disproportionality_${g}`, r !== null && white ? round(r / white, 2) : null, [
      byEthnicity[g],
      byEthnicity.white,
    ]);
  }
  return rows;
}

/** The flat layout as CSV (RFC 4180 quoting), one row per borough × quarter × measure. */
export function quarterlyCsv(rows: readonly QuarterlyRow[]): string {
  const cell = (v: string | number | null): string => {
    const s = v === null ? '' : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = ['borough,borough_name,quarter,measure,value'];
  for (const r of rows) lines.push([r.borough, r.boroughName, r.quarter, r.measure, r.value].map(cell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
