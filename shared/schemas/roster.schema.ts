import { z } from 'zod';
import { AbstractionKindSchema } from './abstraction.schema.js';
import {
  CodeSchema,
  DeviceModelSchema,
  IsoDateSchema,
  LocalTimeSchema,
  OfficerKindSchema,
  RankSchema,
} from './common.schema.js';
import { PlanUnitSchema, PlanStatusSchema } from './crew-plan.schema.js';
import { PolicySchema } from './scenario.schema.js';

/** Query of `GET /plans/:id/roster`: every filter narrows the officers listed. */
export const RosterQuerySchema = z
  .object({
    team: CodeSchema.optional(),
    station: CodeSchema.optional(),
    /** `1`/`true`: only officers who carry on at least one shift of the plan. */
    carriersOnly: z
      .enum(['0', '1', 'true', 'false'])
      .optional()
      .transform((v) => v === '1' || v === 'true'),
  })
  .strict();
export type RosterQuery = z.infer<typeof RosterQuerySchema>;

/** A shift instance of the plan with its local wall-clock times (Europe/London). */
export const RosterShiftSchema = z
  .object({
    id: z.string(),
    station: z.string(),
    /** The shift code: E, L or N. */
    name: z.string(),
    /** Local date the shift starts on. */
    date: IsoDateSchema,
    startLocal: LocalTimeSchema,
    endLocal: LocalTimeSchema,
    /** UTC instants. */
    start: z.string(),
    end: z.string(),
  })
  .strict();
export type RosterShift = z.infer<typeof RosterShiftSchema>;

/**
 * The officer's place on a shift. Fields that would be false or empty are left out to keep a 28-day BCU
 * roster small; `carrier` is always there.
 */
export const RosterShiftCellSchema = z
  .object({
    shift: z.string(),
    /** Index of the crew in `plan.crews` (absent when unassigned). */
    crewIndex: z.number().int().optional(),
    partner: z.string().optional(),
    partnerName: z.string().optional(),
    carrier: z.boolean(),
    device: z.string().optional(),
    single: z.literal(true).optional(),
    /** Why the officer is unassigned. */
    unassigned: z.string().optional(),
    locked: z.literal(true).optional(),
    /** The officer is in the plan for this shift but an abstraction now covers the day (recorded after the solve). */
    affected: AbstractionKindSchema.optional(),
    affectedBy: z.string().optional(),
  })
  .strict();
export type RosterShiftCell = z.infer<typeof RosterShiftCellSchema>;

/** A day the officer is away (and not in the plan that day). */
export const RosterAbstractionCellSchema = z
  .object({
    abstraction: z.object({ id: z.string(), kind: AbstractionKindSchema, note: z.string().optional() }).strict(),
  })
  .strict();
export type RosterAbstractionCell = z.infer<typeof RosterAbstractionCellSchema>;

export const RosterCellSchema = z.union([RosterShiftCellSchema, RosterAbstractionCellSchema]);
export type RosterCell = z.infer<typeof RosterCellSchema>;

export const RosterTaserSchema = z
  .object({
    models: z.array(DeviceModelSchema),
    /** First local date the officer may no longer carry (the plan's policy `authorisationMonths`). */
    expires: IsoDateSchema,
    /** The authorisation lapses on or before 30 days after the plan's last day. */
    lapsingSoon: z.boolean(),
    suspended: z.boolean(),
    endorsed: z.boolean(),
  })
  .strict();
export type RosterTaser = z.infer<typeof RosterTaserSchema>;

export const RosterOfficerSchema = z
  .object({
    /** Collar number. */
    id: z.string(),
    name: z.string(),
    rank: RankSchema,
    kind: OfficerKindSchema,
    team: z.string(),
    station: z.string(),
    taser: RosterTaserSchema.nullable(),
    /** By local date; a rest day with nothing recorded has no entry. */
    cells: z.record(IsoDateSchema, RosterCellSchema),
  })
  .strict();
export type RosterOfficer = z.infer<typeof RosterOfficerSchema>;

/** `GET /plans/:id/roster`: officers × days of a plan, for the planner's grid. */
export const RosterViewSchema = z
  .object({
    plan: z
      .object({
        id: z.string(),
        unit: PlanUnitSchema,
        from: IsoDateSchema,
        to: IsoDateSchema,
        status: PlanStatusSchema,
        revision: z.number().int(),
        policy: PolicySchema,
      })
      .strict(),
    days: z.array(IsoDateSchema),
    shifts: z.array(RosterShiftSchema),
    officers: z.array(RosterOfficerSchema),
  })
  .strict();
export type RosterView = z.infer<typeof RosterViewSchema>;
