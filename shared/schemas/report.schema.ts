import { z } from 'zod';
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
