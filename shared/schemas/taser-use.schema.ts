import { z } from 'zod';
import { CodeSchema, IsoDateSchema, PageNumberSchema, TextSchema, pageSizeSchema } from './common.schema.js';
import { DeviceSchema } from './device.schema.js';
import { OfficerSchema } from './officer.schema.js';

/**
 * Recording Taser use (issue 11). The counting unit is the Home Office one: one record per officer per subject per
 * incident, holding the HIGHEST use in the seven categories. Where two officers use Taser on one subject there are
 * two records; where one officer draws then fires, one record, as fired.
 */

/** The seven categories, lowest to highest. The first four are non-discharge, the last three discharges. */
export const USE_LEVELS = ['drawn', 'aimed', 'arced', 'red_dot', 'drive_stun', 'angled_drive_stun', 'fired'] as const;
export const UseLevelSchema = z.enum(USE_LEVELS);
export type UseLevel = z.infer<typeof UseLevelSchema>;

/** Subject age bands as in the Home Office police use of force statistics. */
export const AGE_BANDS = ['under_11', '11_17', '18_34', '35_49', '50_64', '65_plus', 'unknown'] as const;
export const AgeBandSchema = z.enum(AGE_BANDS);
export type AgeBand = z.infer<typeof AgeBandSchema>;

export const GENDERS = ['male', 'female', 'other', 'unknown'] as const;
export const GenderSchema = z.enum(GENDERS);
export type Gender = z.infer<typeof GenderSchema>;

/** Officer-perceived ethnicity: the five broad groups plus "not stated". */
export const ETHNIC_GROUPS = ['asian', 'black', 'mixed', 'white', 'other'] as const;
export const PERCEIVED_ETHNICITIES = [...ETHNIC_GROUPS, 'not_stated'] as const;
export const EthnicGroupSchema = z.enum(ETHNIC_GROUPS);
export type EthnicGroup = z.infer<typeof EthnicGroupSchema>;
export const PerceivedEthnicitySchema = z.enum(PERCEIVED_ETHNICITIES);
export type PerceivedEthnicity = z.infer<typeof PerceivedEthnicitySchema>;

export const ImpactFactorSchema = z.enum(['none', 'mental_health', 'physical_health', 'both']);
export const InjurySchema = z.enum(['none', 'minor', 'severe']);
export const UseOutcomeSchema = z.enum([
  'arrested',
  'detained_mental_health',
  'taken_to_hospital',
  'no_further_action',
  'other',
]);

/** A postcode district (the outward code), e.g. `BR1`, `SE19`, `EC1A`. */
export const PostcodeDistrictSchema = z
  .string()
  .regex(/^[A-Z]{1,2}[0-9][A-Z0-9]?$/, 'expected a postcode district such as BR1 or SE19');

/** The incident and the subject within it; the same subject in one incident is one count per officer. */
export const SubjectRefSchema = z
  .object({
    incident: CodeSchema,
    subject: z.number().int().min(1).max(50),
  })
  .strict();

/** What an officer (or a supervisor on their behalf) records. Shift, call sign and borough are derived. */
export const UseInputSchema = z
  .object({
    officer: OfficerSchema.shape.collar,
    device: DeviceSchema.shape.serial,
    /** Local date and time of the use, in Europe/London. */
    date: IsoDateSchema,
    time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time as HH:mm'),
    location: z.string().trim().min(1).max(200),
    postcodeDistrict: PostcodeDistrictSchema,
    subjectRef: SubjectRefSchema,
    highest: UseLevelSchema,
    /** Cartridges fired or probes/contacts made; required (≥ 1) for a discharge, absent otherwise. */
    cartridges: z.number().int().min(1).max(10).optional(),
    ageBand: AgeBandSchema,
    gender: GenderSchema,
    ethnicity: PerceivedEthnicitySchema,
    impactFactor: ImpactFactorSchema,
    subjectInjury: InjurySchema,
    officerInjury: InjurySchema,
    outcome: UseOutcomeSchema,
    bodyWornVideo: z.boolean(),
    /** Only a supervisor may record a use on a device the officer did not hold, and must say why. */
    exceptionReason: z.string().trim().min(10).max(500).optional(),
  })
  .strict();
export type UseInput = z.infer<typeof UseInputSchema>;

export const UseStatusSchema = z.enum(['submitted', 'reviewed', 'reopened']);
export type UseStatus = z.infer<typeof UseStatusSchema>;

/** A stored use record. */
export const UseRecordSchema = UseInputSchema.extend({
  id: z.string(),
  /** The UTC instant of the use, read from the local date and time in `zone`. */
  at: z.string().datetime(),
  zone: z.string(),
  shift: z.string().nullable(),
  callSign: z.string().nullable(),
  force: CodeSchema,
  bcu: CodeSchema,
  borough: CodeSchema,
  station: CodeSchema,
  /** Financial-year quarter the use falls in, e.g. `2026-27 Q3`. */
  quarter: z.string(),
  status: UseStatusSchema,
  /** True when a supervisor recorded it on a device the officer did not hold (with `exceptionReason`). */
  exception: z.boolean(),
  recordedBy: z.string(),
  reviewedBy: z.string().nullable(),
  reviewNote: TextSchema.nullable(),
  version: z.number().int().min(1),
}).strict();
export type UseRecord = z.infer<typeof UseRecordSchema>;

/** A borough's resident population by broad ethnic group (configuration, with its source). */
export const BoroughPopulationSchema = z
  .object({
    borough: CodeSchema,
    total: z.number().int().min(1),
    byEthnicity: z.record(EthnicGroupSchema, z.number().int().min(0)),
  })
  .strict();
export type BoroughPopulation = z.infer<typeof BoroughPopulationSchema>;

export const PopulationTableSchema = z
  .object({ source: z.string().min(1).max(500), year: z.number().int(), boroughs: z.array(BoroughPopulationSchema) })
  .strict();
export type PopulationTable = z.infer<typeof PopulationTableSchema>;

/** A published value: a number, or `<N` where the count is suppressed, or null where a rate has no base. */
export const PublishedValueSchema = z.union([z.number(), z.string().regex(/^<\d+$/), z.null()]);
export type PublishedValue = z.infer<typeof PublishedValueSchema>;

/** One row of the flat open-data layout: borough × quarter × measure. */
export const QuarterlyRowSchema = z
  .object({
    borough: CodeSchema,
    boroughName: z.string(),
    quarter: z.string(),
    measure: z.string(),
    value: PublishedValueSchema,
  })
  .strict();
export type QuarterlyRow = z.infer<typeof QuarterlyRowSchema>;

/** An edit of a use while it is submitted or reopened: everything but who, which device and which subject. */
export const UsePatchSchema = UseInputSchema.omit({
  officer: true,
  device: true,
  subjectRef: true,
  exceptionReason: true,
})
  .partial()
  .strict();
export type UsePatch = z.infer<typeof UsePatchSchema>;

/** A supervisor's review, or reopening (the note is required to reopen). */
export const UseReviewSchema = z.object({ note: z.string().trim().min(1).max(500).optional() }).strict();
export type UseReview = z.infer<typeof UseReviewSchema>;

export const UseQuerySchema = z
  .object({
    page: PageNumberSchema,
    pageSize: pageSizeSchema(200, 50),
    bcu: CodeSchema.optional(),
    borough: CodeSchema.optional(),
    station: CodeSchema.optional(),
    officer: CodeSchema.optional(),
    quarter: z
      .string()
      .regex(/^\d{4}-\d{2} Q[1-4]$/, 'expected a quarter such as 2026-27 Q3')
      .optional(),
    status: UseStatusSchema.optional(),
  })
  .strict();
export type UseQuery = z.infer<typeof UseQuerySchema>;

export const UseActionSchema = z.enum(['recorded', 'edited', 'reviewed', 'reopened']);

/** One entry of a use's history: the change and the record as it stood after it. */
export const UseVersionSchema = z
  .object({
    version: z.number().int().min(1),
    action: UseActionSchema,
    by: z.string(),
    at: z.string().datetime(),
    note: z.string().nullable(),
    record: UseRecordSchema,
  })
  .strict();
export type UseVersion = z.infer<typeof UseVersionSchema>;

export const UseWithHistorySchema = z.object({ use: UseRecordSchema, history: z.array(UseVersionSchema) }).strict();

/** `GET /reports/taser-use/quarterly`: which quarter, and optionally one borough (else every borough in scope). */
export const QuarterlyQuerySchema = z
  .object({
    quarter: z.string().regex(/^\d{4}-\d{2} Q[1-4]$/, 'expected a quarter such as 2026-27 Q3'),
    borough: CodeSchema.optional(),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .strict();
export type QuarterlyQuery = z.infer<typeof QuarterlyQuerySchema>;

/** The publication: the flat rows, and the same values by borough for a table. */
export const QuarterlyReportSchema = z
  .object({
    quarter: z.string(),
    from: IsoDateSchema,
    to: IsoDateSchema,
    threshold: z.number().int(),
    populationSource: z.string(),
    boroughs: z.array(
      z
        .object({ borough: CodeSchema, boroughName: z.string(), measures: z.record(z.string(), PublishedValueSchema) })
        .strict(),
    ),
    rows: z.array(QuarterlyRowSchema),
  })
  .strict();
export type QuarterlyReport = z.infer<typeof QuarterlyReportSchema>;

/** `GET /population`: the table in use and who last set it (`updatedBy` null: the shipped demo table). */
export const PopulationViewSchema = z
  .object({ table: PopulationTableSchema, updatedAt: z.string().nullable(), updatedBy: z.string().nullable() })
  .strict();
export type PopulationView = z.infer<typeof PopulationViewSchema>;

/** `GET /reports/taser-use/reconciliation`: what the borough lead must chase, within the actor's scope. */
export const ReconciliationQuerySchema = z
  .object({ bcu: CodeSchema.optional(), borough: CodeSchema.optional(), station: CodeSchema.optional() })
  .strict();
export type ReconciliationQuery = z.infer<typeof ReconciliationQuerySchema>;

/** A discharge recorded with no check of its device recorded since (a repair counts as a check). */
export const UncheckedDischargeSchema = z
  .object({
    use: z.string(),
    officer: z.string(),
    device: z.string(),
    at: z.string().datetime(),
    highest: UseLevelSchema,
    borough: z.string(),
    station: z.string(),
    lastCheck: z.string().datetime().nullable(),
  })
  .strict();

/** A device returned as discharged with no use recorded by its holder with it in that custody period. */
export const DischargedReturnSchema = z
  .object({
    device: z.string(),
    officer: z.string().nullable(),
    issuedAt: z.string().datetime().nullable(),
    returnedAt: z.string().datetime(),
    borough: z.string(),
    station: z.string(),
  })
  .strict();

export const ReconciliationSchema = z
  .object({
    uncheckedDischarges: z.array(UncheckedDischargeSchema),
    dischargedReturnsWithoutUse: z.array(DischargedReturnSchema),
  })
  .strict();
export type Reconciliation = z.infer<typeof ReconciliationSchema>;
