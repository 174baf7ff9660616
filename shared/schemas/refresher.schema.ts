import { z } from 'zod';
import { CodeSchema, IsoDateSchema, ScopeLevelSchema } from './common.schema.js';
import { PlanUnitSchema } from './crew-plan.schema.js';

/** `GET /reports/authorisation-cliff`: a unit (station, borough, BCU or force) and how many weeks ahead. */
export const CliffQuerySchema = z
  .object({
    level: ScopeLevelSchema,
    id: CodeSchema,
    weeks: z.coerce.number().int().min(4).max(104).default(52),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .strict();
export type CliffQuery = z.infer<typeof CliffQuerySchema>;

/** One week of the cliff: from `week` (a Monday... or today for the first) to `end` inclusive. */
export const CliffWeekSchema = z
  .object({
    week: IsoDateSchema,
    end: IsoDateSchema,
    /** Officers who may carry on every day of the week (in date at its end), booked refreshers counted. */
    inDate: z.number().int().min(0),
    /** Carriers the rota needs: per team, the most pairs on any of its shifts that week, summed. */
    needed: z.number().int().min(0),
    below: z.boolean(),
    /** Authorisations lapsing during the week (after booked refreshers). */
    lapsing: z.number().int().min(0),
    /** Refreshers (training abstractions) booked in the week. */
    refreshers: z.number().int().min(0),
  })
  .strict();
export type CliffWeek = z.infer<typeof CliffWeekSchema>;

export const CliffReportSchema = z
  .object({
    unit: z.string(),
    asOf: z.string(),
    authorisationMonths: z.number().int(),
    /** Officers who may carry apart from dates (authorised, volunteer, not suspended, kind allowed). */
    authorised: z.number().int().min(0),
    weeks: z.array(CliffWeekSchema),
    weeksBelow: z.number().int().min(0),
    firstBelow: IsoDateSchema.nullable(),
  })
  .strict();
export type CliffReport = z.infer<typeof CliffReportSchema>;

/** `POST /reports/refreshers/plan`. */
export const RefresherPlanRequestSchema = z
  .object({
    unit: PlanUnitSchema,
    /** Plan refreshers for authorisations lapsing within this many days from tomorrow. */
    horizonDays: z.number().int().min(14).max(366).default(365),
    /** A refresher is taken at most this many days before the lapse (the authorisation restarts on the course day). */
    windowDays: z.number().int().min(7).max(180).default(84),
    timeLimitSeconds: z.number().int().min(1).max(60).default(30),
  })
  .strict();
export type RefresherPlanRequest = z.infer<typeof RefresherPlanRequestSchema>;

export const CoverFiguresSchema = z
  .object({
    /** Pairs without a carrier on the shifts of the unit's course days (count model, docs/refreshers.md). */
    pairsWithoutCarrier: z.number().int().min(0),
    /** Hours of borough shifts with fewer carriers on duty than the force minimum of Taser units. */
    hoursBelowMinimum: z.number().min(0),
  })
  .strict();
export type CoverFigures = z.infer<typeof CoverFiguresSchema>;

export const RefresherAssignmentSchema = z
  .object({
    officer: z.string(),
    name: z.string(),
    station: z.string(),
    team: z.string(),
    /** The course day (an on-duty day of the officer's team). */
    date: IsoDateSchema,
    /** The training site of the course (one serving the officer's borough). */
    site: z.object({ id: z.string(), name: z.string() }).strict(),
    /** The shift code the officer leaves. */
    shift: z.string(),
    /** First day the officer may no longer carry without the refresher. */
    lapses: IsoDateSchema,
  })
  .strict();
export type RefresherAssignment = z.infer<typeof RefresherAssignmentSchema>;

export const RefresherWeekSchema = z
  .object({
    week: IsoDateSchema,
    officers: z.array(z.string()),
    before: CoverFiguresSchema,
    after: CoverFiguresSchema,
  })
  .strict();

export const RefresherProposalSchema = z
  .object({
    /** Names exactly this proposal over exactly these data: booking checks it. */
    id: z.string(),
    unit: z.string(),
    asOf: z.string(),
    from: IsoDateSchema,
    to: IsoDateSchema,
    status: z.enum(['OPTIMAL', 'FEASIBLE', 'UNKNOWN']),
    /** The weighted objective, its proven bound and the relative gap (0 when proven optimal). */
    objective: z.number(),
    bound: z.number(),
    gap: z.number(),
    ms: z.number(),
    assignments: z.array(RefresherAssignmentSchema),
    /** Officers due a refresher for whom no course day within capacity falls on a duty day before the lapse. */
    unplanned: z.array(z.object({ officer: z.string(), name: z.string(), lapses: IsoDateSchema }).strict()),
    skipped: z
      .object({ alreadyBooked: z.number().int(), beyondHorizon: z.number().int(), lapsed: z.number().int() })
      .strict(),
    added: CoverFiguresSchema,
    weeks: z.array(RefresherWeekSchema),
    /**
     * Per training site: its course days within the plan's dates with places left, those places, and how
     * many of them the proposal fills.
     */
    sites: z.array(
      z
        .object({
          id: z.string(),
          name: z.string(),
          courseDays: z.number().int().min(0),
          placesLeft: z.number().int().min(0),
          proposed: z.number().int().min(0),
        })
        .strict(),
    ),
  })
  .strict();
export type RefresherProposal = z.infer<typeof RefresherProposalSchema>;

/** `POST /reports/refreshers/book`: the proposal as reviewed. */
export const RefresherBookRequestSchema = z
  .object({
    unit: PlanUnitSchema,
    proposalId: z.string().regex(/^[0-9a-f]{24}$/, 'expected a proposal id'),
    /** The plan request's horizon and window, when not the defaults (they are part of the proposal's id). */
    horizonDays: RefresherPlanRequestSchema.shape.horizonDays,
    windowDays: RefresherPlanRequestSchema.shape.windowDays,
    /**
     * Each with the site proposed; `site` may be left out when exactly one site serving the officer has a
     * course on that date.
     */
    assignments: z
      .array(z.object({ officer: CodeSchema, date: IsoDateSchema, site: CodeSchema.optional() }).strict())
      .min(1)
      .max(5000),
  })
  .strict();
export type RefresherBookRequest = z.infer<typeof RefresherBookRequestSchema>;

/** The audit record of a booking (also the answer, with `repeated` true when it was booked before). */
export const RefresherBookingSchema = z
  .object({
    id: z.string(),
    force: z.string(),
    unit: z.string(),
    by: z.string(),
    at: z.string(),
    abstractions: z.array(z.string()),
    /** `site`: the training site booked (absent in bookings made before sites). */
    assignments: z
      .array(z.object({ officer: z.string(), date: IsoDateSchema, site: z.string().optional() }).strict())
      .min(0),
  })
  .strict();
export type RefresherBooking = z.infer<typeof RefresherBookingSchema>;
