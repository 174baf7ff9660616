import { z } from 'zod';
import { DEFAULT_FORCE_SETTINGS } from '../rules/force-settings.js';
import { CodeSchema, PageNumberSchema, pageSizeSchema, RankSchema } from './common.schema.js';

/** The force's crewing policy (DESIGN.md section 5): who may crew alone, who may carry, for how long. */
export const ForcePolicySchema = z
  .object({
    name: z.enum(['revised', 'legacy']),
    singleCrewRanks: z
      .array(RankSchema)
      .max(3)
      .refine((r) => new Set(r).size === r.length, 'each rank at most once'),
    authorisationMonths: z.number().int().min(1).max(60),
    studentOfficersMayCarry: z.boolean(),
    specialsMayCarry: z.boolean(),
  })
  .strict();
export type ForcePolicy = z.infer<typeof ForcePolicySchema>;

/** Refresher course capacity: places per course day, on the ISO weekdays given (1 = Monday; all when absent). */
export const RefresherCourseSchema = z
  .object({
    placesPerDay: z.number().int().min(1).max(500),
    days: z
      .array(z.number().int().min(1).max(7))
      .min(1)
      .max(7)
      .refine((d) => new Set(d).size === d.length, 'each weekday at most once')
      .optional(),
  })
  .strict();
export type RefresherCourse = z.infer<typeof RefresherCourseSchema>;

const distinct = (xs: readonly unknown[]) => new Set(xs).size === xs.length;

/**
 * A training site where refresher courses run (docs/refreshers.md): `placesPerDay` places on each of its ISO
 * weekdays `days` (1 = Monday). It serves the officers of the boroughs listed in `boroughs`, or of every
 * borough of the force when `boroughs` is absent.
 */
export const TrainingSiteSchema = z
  .object({
    id: CodeSchema,
    name: z.string().trim().min(1, 'a site needs a name').max(80),
    days: z
      .array(z.number().int().min(1).max(7))
      .min(1, 'pick at least one course day')
      .max(7)
      .refine(distinct, 'each weekday at most once'),
    placesPerDay: z.number().int().min(1).max(200),
    boroughs: z
      .array(CodeSchema)
      .min(1, 'list at least one borough, or leave the list out for every borough')
      .max(200)
      .refine(distinct, 'each borough at most once')
      .optional(),
  })
  .strict();
export type TrainingSite = z.infer<typeof TrainingSiteSchema>;

/** The force's training sites: 1–50, ids unique. */
export const TrainingSitesSchema = z
  .array(TrainingSiteSchema)
  .min(1, 'at least one training site')
  .max(50)
  .superRefine((sites, ctx) => {
    const seen = new Set<string>();
    sites.forEach((s, i) => {
      if (seen.has(s.id))
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: [i, 'id'], message: `site id "${s.id}" is used twice` });
      seen.add(s.id);
    });
  });

/** The settings an admin edits: one set per force. */
export const ForceSettingsValuesSchema = z
  .object({
    policy: ForcePolicySchema,
    /** Minimum Taser-equipped units per borough and shift before the control room is alerted. */
    minTaserUnits: z.number().int().min(0).max(1000),
    /** Minutes before a shift starts that issuing a device to its officers opens. */
    issueLeadMinutes: z.number().int().min(0).max(240),
    course: RefresherCourseSchema,
    /**
     * Refresher training sites; when absent, one site derived from `course` serving every borough
     * (`trainingSitesOf`, shared/rules/refresher.ts).
     */
    trainingSites: TrainingSitesSchema.optional(),
    /** Published Taser-use counts from 1 to this minus one are shown as `<N` (small-number suppression). */
    smallNumberThreshold: z.number().int().min(1).max(100),
  })
  .strict();
export type ForceSettingsValues = z.infer<typeof ForceSettingsValuesSchema>;

/**
 * `PUT /api/force-settings`: the `version` being edited (0 = the built-in defaults) and the fields to change;
 * a field left out keeps its current value, `policy` fields likewise one by one, `course` and `trainingSites`
 * are replaced whole (`trainingSites: null` removes the sites: the planner goes back to `course`).
 */
export const ForceSettingsUpdateSchema = z
  .object({
    version: z.number().int().min(0),
    policy: ForcePolicySchema.partial().strict().optional(),
    minTaserUnits: ForceSettingsValuesSchema.shape.minTaserUnits.optional(),
    issueLeadMinutes: ForceSettingsValuesSchema.shape.issueLeadMinutes.optional(),
    course: RefresherCourseSchema.optional(),
    trainingSites: TrainingSitesSchema.nullable().optional(),
    smallNumberThreshold: ForceSettingsValuesSchema.shape.smallNumberThreshold.optional(),
  })
  .strict();
export type ForceSettingsUpdate = z.infer<typeof ForceSettingsUpdateSchema>;

/**
 * `GET /api/force-settings`: the force's current settings. `version` 0 with `updatedAt`/`updatedBy` null means
 * nobody has saved any yet and the built-in defaults apply.
 */
export const ForceSettingsSchema = ForceSettingsValuesSchema.extend({
  force: z.string(),
  version: z.number().int().min(0),
  updatedAt: z.string().datetime().nullable(),
  updatedBy: z.string().nullable(),
}).strict();
export type ForceSettings = z.infer<typeof ForceSettingsSchema>;

/** One change of the settings (`GET /api/force-settings/audit`): who, when, and the settings before and after. */
export const ForceSettingsAuditEntrySchema = z
  .object({
    force: z.string(),
    version: z.number().int().min(1),
    at: z.string().datetime(),
    by: z.string(),
    before: ForceSettingsValuesSchema,
    after: ForceSettingsValuesSchema,
  })
  .strict();
export type ForceSettingsAuditEntry = z.infer<typeof ForceSettingsAuditEntrySchema>;

export const ForceSettingsAuditQuerySchema = z
  .object({
    page: PageNumberSchema,
    pageSize: pageSizeSchema(200, 50),
  })
  .strict();
export type ForceSettingsAuditQuery = z.infer<typeof ForceSettingsAuditQuerySchema>;

/** The built-in settings as values (copies, safe to change); the cover minimum may come from configuration. */
export function defaultForceSettings(seed: { minTaserUnits?: number } = {}): ForceSettingsValues {
  const d = DEFAULT_FORCE_SETTINGS;
  return {
    policy: { ...d.policy, singleCrewRanks: [...d.policy.singleCrewRanks] },
    minTaserUnits: seed.minTaserUnits ?? d.minTaserUnits,
    issueLeadMinutes: d.issueLeadMinutes,
    course: { placesPerDay: d.course.placesPerDay, days: [...d.course.days] },
    smallNumberThreshold: d.smallNumberThreshold,
  };
}
