import { z } from 'zod';
import { CodeSchema, ScopeLevelSchema } from './common.schema.js';

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date yyyy-mm-dd');

/** The longest period a cover report spans: a financial year, leap day included. */
export const MAX_COVER_DAYS = 366;

/** `GET /reports/cover`: a unit (station, borough, BCU or force) and local dates `from`..`to`, inclusive. */
export const CoverQuerySchema = z
  .object({
    level: ScopeLevelSchema,
    unit: CodeSchema,
    from: IsoDate,
    to: IsoDate,
    format: z.enum(['json', 'csv']).default('json'),
  })
  .strict()
  .refine((q) => q.from <= q.to && (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 < MAX_COVER_DAYS, {
    message: `from..to must be 1 to ${MAX_COVER_DAYS} days`,
    path: ['to'],
  });
export type CoverQuery = z.infer<typeof CoverQuerySchema>;

/**
 * Figures are time-weighted Taser-equipped units (unit-hours in the hour or shift divided by its length, to
 * 1/100); `actual` is null for an hour that has not started yet; `minimum` is null for a station (the force
 * minimum is set per borough) and for a BCU or force is the borough minimum times its boroughs.
 */
const figures = {
  planned: z.number(),
  actual: z.number().nullable(),
  minimum: z.number().int().nullable(),
  belowPlanned: z.boolean(),
  belowActual: z.boolean(),
};

/** One local clock hour: `hour` 0–23 local, `offset` minutes from UTC (tells the two 01:00s of October apart). */
export const CoverHourSchema = z.object({
  date: IsoDate,
  hour: z.number().int(),
  offset: z.number().int(),
  start: z.string(),
  ...figures,
});
export type CoverHour = z.infer<typeof CoverHourSchema>;

/** One shift (date and shift code) summed over the unit's stations; figures averaged over the shift. */
export const CoverShiftSchema = z.object({
  date: IsoDate,
  code: z.string(),
  start: z.string(),
  end: z.string(),
  ...figures,
});
export type CoverShift = z.infer<typeof CoverShiftSchema>;

/** Hours below minimum of one borough of the unit (the headline of a BCU or force counts borough-hours). */
export const CoverBoroughSchema = z.object({
  borough: z.string(),
  hoursBelowPlanned: z.number().int(),
  hoursBelowActual: z.number().int(),
});

export const CoverHeadlineSchema = z.object({
  /** Clock hours in the period. */
  hours: z.number().int(),
  /** Hours that have started (those with an actual figure). */
  hoursElapsed: z.number().int(),
  /** Hours whose cover was below the unit's minimum; for a BCU or force, borough-hours (summed over boroughs). */
  hoursBelowPlanned: z.number().int(),
  hoursBelowActual: z.number().int(),
  plannedUnitHours: z.number(),
  actualUnitHours: z.number(),
});

export const CoverReportSchema = z.object({
  unit: z.object({ level: ScopeLevelSchema, id: z.string() }),
  from: IsoDate,
  to: IsoDate,
  asOf: z.string(),
  /** The force minimum of Taser-equipped units per borough and shift. */
  boroughMinimum: z.number().int(),
  minimum: z.number().int().nullable(),
  headline: CoverHeadlineSchema,
  boroughs: z.array(CoverBoroughSchema),
  hours: z.array(CoverHourSchema),
  shifts: z.array(CoverShiftSchema),
});
export type CoverReport = z.infer<typeof CoverReportSchema>;

/** One CSV row: a station (station report) or borough (any other) and one clock hour. */
export type CoverCsvRow = {
  unit: string;
  date: string;
  hour: string;
  startUtc: string;
  planned: number;
  actual: number | null;
  minimum: number | null;
  belowPlanned: boolean;
  belowActual: boolean;
};
