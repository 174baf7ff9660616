import { z } from 'zod';
import { CodeSchema } from './common.schema.js';

export const ForceSchema = z.object({ id: CodeSchema, name: z.string().min(1).max(120) }).strict();
export type Force = z.infer<typeof ForceSchema>;

export const BcuSchema = z.object({ id: CodeSchema, name: z.string().min(1).max(120), force: CodeSchema }).strict();
export type Bcu = z.infer<typeof BcuSchema>;

export const BoroughSchema = z
  .object({ id: CodeSchema, name: z.string().min(1).max(120), force: CodeSchema, bcu: CodeSchema })
  .strict();
export type Borough = z.infer<typeof BoroughSchema>;

export const StationSchema = z
  .object({
    id: CodeSchema,
    name: z.string().min(1).max(120),
    force: CodeSchema,
    bcu: CodeSchema,
    borough: CodeSchema,
  })
  .strict();
export type Station = z.infer<typeof StationSchema>;

/** What a client sends to create a station: its parents are derived from the borough. */
export const StationInputSchema = StationSchema.omit({ force: true, bcu: true });
export type StationInput = z.infer<typeof StationInputSchema>;
export const StationPatchSchema = StationInputSchema.omit({ id: true, borough: true }).partial().strict();

/** GET /api/org: the force and the BCUs, boroughs and stations inside the caller's scope. */
export const OrgViewSchema = z
  .object({
    force: ForceSchema,
    bcus: z.array(BcuSchema),
    boroughs: z.array(BoroughSchema),
    stations: z.array(StationSchema),
  })
  .strict();
export type OrgView = z.infer<typeof OrgViewSchema>;
