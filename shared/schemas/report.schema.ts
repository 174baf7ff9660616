import { z } from 'zod';
import { ScenarioChangeSchema } from './plan.schema.js';
import { CodeSchema } from './common.schema.js';

export const AuthorisationReportQuerySchema = z
  .object({
    bcu: CodeSchema.optional(),
    borough: CodeSchema.optional(),
    station: CodeSchema.optional(),
    /** Authorisations lapsing within this many days are listed. */
    days: z.coerce.number().int().min(1).max(366).default(60),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .strict();
export type AuthorisationReportQuery = z.infer<typeof AuthorisationReportQuerySchema>;

export const AuthorisationStatusSchema = z.enum(['lapsed', 'lapsing', 'suspended']);
export type AuthorisationStatus = z.infer<typeof AuthorisationStatusSchema>;

/** One officer whose authorisation has lapsed, lapses soon, or is suspended. */
export type AuthorisationRow = {
  collar: string;
  name: string;
  rank: string;
  station: string;
  borough: string;
  team: string;
  lastTrained: string;
  models: string[];
  /** First local date the officer may no longer carry. */
  lapses: string;
  daysLeft: number;
  status: AuthorisationStatus;
};

export type AuthorisationTotals = {
  unit: string;
  officers: number;
  authorised: number;
  inDate: number;
  lapsing: number;
  lapsed: number;
  suspended: number;
  devices: number;
  serviceableDevices: number;
};

export type AuthorisationReport = {
  asOf: string;
  days: number;
  totals: AuthorisationTotals;
  stations: AuthorisationTotals[];
  officers: AuthorisationRow[];
};

/** One alternative to compare with today's set-up: a policy, extra devices, more officers trained. */
export const WhatIfVariantSchema = z
  .object({
    label: z.string().trim().min(1).max(80),
    policy: z.enum(['revised', 'legacy']).optional(),
    extraDevices: z
      .array(
        z
          .object({ station: CodeSchema, model: z.enum(['X2', 'T7', 'T10']), count: z.number().int().min(1).max(200) })
          .strict(),
      )
      .max(20)
      .refine(
        (ds) => new Set(ds.map((d) => `${d.station}|${d.model}`)).size === ds.length,
        'each station and model at most once (add to its count instead)',
      )
      .optional(),
    /** Train this many more of the unit's untrained regular PCs (on X2), as an uplift would. */
    trainOfficers: z.number().int().min(1).max(500).optional(),
    /** A plan suggestion's `change`, applied as measured (server/solver/suggest.ts applyScenarioChanges). */
    changes: z.array(ScenarioChangeSchema).max(20).optional(),
  })
  .strict();
export type WhatIfVariant = z.infer<typeof WhatIfVariantSchema>;

export const WhatIfSchema = z
  .object({
    unit: z.object({ level: z.enum(['station', 'borough', 'bcu']), id: CodeSchema }).strict(),
    from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    variants: z.array(WhatIfVariantSchema).min(1).max(4),
  })
  .strict()
  .refine((w) => w.from <= w.to, { message: 'from must be on or before to', path: ['to'] });
export type WhatIf = z.infer<typeof WhatIfSchema>;

/** The longest what-if range, in days; longer is refused with `range_too_long`. */
export const WHAT_IF_MAX_DAYS = 28;

/** Cover figures of one solved variant, all from the plan's own statistics. */
export type WhatIfOutcome = {
  label: string;
  status: string;
  crews: number;
  pairs: number;
  singles: number;
  taserCrews: number;
  pairsWithoutCarrier: number;
  pairsBothCarry: number;
  unassigned: number;
  devicesUsed: number;
  authorisedOnDuty: number;
  devices: number;
  /** Shifts with at least one pair without a carrier (legacy: a pair not both carrying). */
  shiftsShort: number;
  /** Pairs without a carrier per day of the range, in date order. */
  pairsWithoutCarrierByDay: { date: string; pairsWithoutCarrier: number }[];
  /**
   * The change against "As today" as a sentence a lead can put in a report (null for "As today"):
   * "With 20 more PCs trained and 10 more X2 at Orpington, pairs without a Taser carrier from 1 Dec to
   * 28 Dec 2026 fall from 41 to 6."
   */
  summary: string | null;
};
export type WhatIfResult = {
  unit: string;
  from: string;
  to: string;
  days: number;
  shifts: number;
  outcomes: WhatIfOutcome[];
};
