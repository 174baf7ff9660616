import { z } from 'zod';
import { CodeSchema, IsoDateSchema, PageNumberSchema, pageSizeSchema } from './common.schema.js';
import { ForcePolicySchema } from './force-settings.schema.js';
import { PlanSchema } from './plan.schema.js';

export const PlanUnitSchema = z.object({ level: z.enum(['station', 'borough', 'bcu']), id: CodeSchema }).strict();
export type PlanUnit = z.infer<typeof PlanUnitSchema>;

/** Policy settings a planner or borough lead may choose for a solve (the force's settings otherwise). */
export const PlanPolicyInputSchema = ForcePolicySchema.partial().strict();
export type PlanPolicyInput = z.infer<typeof PlanPolicyInputSchema>;

export const CrewLockSchema = z
  .object({
    shift: z.string().min(1).max(64),
    members: z.array(z.string().min(1).max(64)).min(1).max(2),
    carriers: z
      .array(z.object({ officer: z.string().min(1).max(64), device: z.string().min(1).max(64).optional() }).strict())
      .max(2)
      .optional(),
  })
  .strict();
export type CrewLock = z.infer<typeof CrewLockSchema>;

export const CreatePlanSchema = z
  .object({
    unit: PlanUnitSchema,
    from: IsoDateSchema,
    to: IsoDateSchema,
    policy: PlanPolicyInputSchema.optional(),
    locks: z.array(CrewLockSchema).max(2000).optional(),
  })
  .strict()
  .refine((p) => p.from <= p.to, { message: '`to` must not be before `from`', path: ['to'] })
  .refine((p) => (Date.parse(p.to) - Date.parse(p.from)) / 86_400_000 <= 31, {
    message: 'at most 31 days per plan',
    path: ['to'],
  });
export type CreatePlan = z.infer<typeof CreatePlanSchema>;

export const SetLocksSchema = z.object({ locks: z.array(CrewLockSchema).max(2000) }).strict();
export const ResolveSchema = z.object({ locks: z.array(CrewLockSchema).max(2000).optional() }).strict();
export const PublishSchema = z.object({ reason: z.string().trim().min(3).max(500).optional() }).strict();

export const PlanStatusSchema = z.enum(['solving', 'draft', 'published', 'superseded', 'failed', 'cancelled']);
export type PlanStatus = z.infer<typeof PlanStatusSchema>;

export const PlanListQuerySchema = z
  .object({
    page: PageNumberSchema,
    pageSize: pageSizeSchema(200, 20),
    status: PlanStatusSchema.optional(),
    bcu: CodeSchema.optional(),
    borough: CodeSchema.optional(),
    station: CodeSchema.optional(),
  })
  .strict();

/** What a running solve is doing: its phase, components done of total, shifts modelled of total. */
export const PlanProgressSchema = z
  .object({
    phase: z.enum(['queued', 'validating', 'modelling', 'solving', 'assigning', 'explaining', 'saving', 'done']),
    componentsDone: z.number().int(),
    componentsTotal: z.number().int(),
    shiftsDone: z.number().int(),
    shiftsTotal: z.number().int(),
  })
  .passthrough();
export type PlanProgress = z.infer<typeof PlanProgressSchema>;

/**
 * A lock or a previous plan's crew left out of a re-solve (or import) because it can no longer be formed:
 * a member absent, gone or moved, a device gone or at another station, or the shift gone. Never an error.
 */
export const DroppedCrewSchema = z
  .object({
    kind: z.enum(['lock', 'previous']),
    shift: z.string(),
    members: z.array(z.string()),
    /** Why, in words: `PC1113 is absent (sickness 2026-11-24 to 2026-11-25)`. */
    reason: z.string(),
  })
  .strict();
export type DroppedCrew = z.infer<typeof DroppedCrewSchema>;

/** The headline figures of a solved plan (from `plan.stats`). */
export const PlanHeadlineSchema = z
  .object({
    crews: z.number().int(),
    pairs: z.number().int(),
    pairsWithoutCarrier: z.number().int(),
    unassigned: z.number().int(),
    taserCrews: z.number().int(),
  })
  .strict();
export type PlanHeadline = z.infer<typeof PlanHeadlineSchema>;

const DateLikeSchema = z.union([z.string(), z.date()]).transform((d) => (d instanceof Date ? d.toISOString() : d));

const ErrorBodySchema = z.object({ id: z.string(), message: z.string() });

/**
 * One row of `GET /plans`: no plan, no scenario. To keep 100 rows well under 50 kB, fields that are not
 * set (null) are left out of a row: `basedOn`, `amends`, `amendment`, `publishedBy`, `publishedAt`,
 * `supersededBy`, `progress`, `error`. `GET /plans/:id` always has them (null when not set).
 */
export const PlanSummarySchema = z.object({
  id: z.string(),
  unit: PlanUnitSchema,
  /** The unit's name (station, borough or BCU), when known. */
  unitName: z.string().nullable(),
  from: IsoDateSchema,
  to: IsoDateSchema,
  status: PlanStatusSchema,
  /** When the plan was created (its solve started, or the amendment was made), ISO instant. */
  createdAt: DateLikeSchema,
  createdBy: z.string(),
  /** The crewing policy's name (`revised` or `legacy`), null for plans stored before it was recorded. */
  policy: z.string().nullable(),
  /** 0 for a fresh build; each re-solve or amendment is the plan it is based on + 1. */
  revision: z.number().int(),
  /** Null for headline figures until the plan has a result. */
  stats: PlanHeadlineSchema.nullable(),
  basedOn: z.string().nullish(),
  /** For an amendment: the first published plan of the chain it amends ("amendment n of plan m"). */
  amends: z.string().nullish(),
  /** For an amendment: n, counting from 1 per `amends`. */
  amendment: z.number().int().nullish(),
  publishedBy: z.string().nullish(),
  publishedAt: DateLikeSchema.nullish(),
  supersededBy: z.string().nullish(),
  /** While solving: what the solve is doing. */
  progress: PlanProgressSchema.nullish(),
  /** Failed or cancelled: why. */
  error: ErrorBodySchema.nullish(),
});
export type PlanSummary = z.infer<typeof PlanSummarySchema>;

export const PlanSummaryPageSchema = z.object({
  items: z.array(PlanSummarySchema),
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
});
export type PlanSummaryPage = z.infer<typeof PlanSummaryPageSchema>;

/** What `GET /plans/:id` returns: the summary plus the plan itself, its locks and what a re-solve dropped. */
export const CrewPlanViewSchema = PlanSummarySchema.extend({
  /** The same instant as `createdAt`: when the solve started. */
  startedAt: DateLikeSchema,
  basedOn: z.string().nullable(),
  amends: z.string().nullable(),
  amendment: z.number().int().nullable(),
  publishedBy: z.string().nullable(),
  publishedAt: DateLikeSchema.nullable(),
  supersededBy: z.string().nullable(),
  progress: PlanProgressSchema.nullable(),
  error: ErrorBodySchema.nullable(),
  force: z.string(),
  bcu: z.string(),
  borough: z.string().optional(),
  station: z.string().optional(),
  plan: PlanSchema.nullable(),
  locks: z.array(CrewLockSchema),
  /** Locks and previous crews the last re-solve (or import) could not use, with why. */
  dropped: z.array(DroppedCrewSchema),
  publishReason: z.string().nullable(),
});
export type CrewPlanView = z.infer<typeof CrewPlanViewSchema>;

export const AmendSchema = z.object({}).strict();

/** One crew as the diff shows it. */
const DiffCrewSchema = z.object({
  shift: z.string(),
  members: z.array(z.string()),
  carriers: z.array(z.object({ officer: z.string(), device: z.string() })),
});
export type DiffCrew = z.infer<typeof DiffCrewSchema>;

/** `GET /plans/:id/diff`: this plan against the published plan it would replace (same unit, overlapping dates). */
export const PlanDiffSchema = z.object({
  plan: z.string(),
  /** The published plan compared against; null when nothing is published there (every crew is then added). */
  against: z.string().nullable(),
  shifts: z.array(
    z.object({
      shift: z.string(),
      added: z.array(DiffCrewSchema),
      removed: z.array(DiffCrewSchema),
      /** A crew that kept at least one member but changed members or carriers/devices. */
      changed: z.array(z.object({ from: DiffCrewSchema, to: DiffCrewSchema })),
    }),
  ),
  /** Officers whose crew (members) changed on a shift; null `from`/`to` = not in a crew. */
  officersMoved: z.array(
    z.object({
      officer: z.string(),
      shift: z.string(),
      from: z.array(z.string()).nullable(),
      to: z.array(z.string()).nullable(),
    }),
  ),
  /** Devices whose carrier changed on a shift; null = not carried. */
  devicesMoved: z.array(
    z.object({ device: z.string(), shift: z.string(), from: z.string().nullable(), to: z.string().nullable() }),
  ),
  counts: z.object({
    added: z.number().int(),
    removed: z.number().int(),
    changed: z.number().int(),
    unchanged: z.number().int(),
    officersMoved: z.number().int(),
    devicesMoved: z.number().int(),
  }),
});
export type PlanDiff = z.infer<typeof PlanDiffSchema>;
