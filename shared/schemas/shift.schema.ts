import { z } from 'zod';
import { CodeSchema, IsoDateSchema, LocalTimeSchema } from './common.schema.js';

/** A force-configured shift: local start and end times; an end at or before the start runs past midnight. */
export const ShiftDefinitionSchema = z
  .object({
    code: z.string().regex(/^[A-Z]{1,3}$/, 'expected 1-3 capital letters'),
    name: z.string().min(1).max(60),
    force: CodeSchema,
    start: LocalTimeSchema,
    end: LocalTimeSchema,
  })
  .strict();
export type ShiftDefinition = z.infer<typeof ShiftDefinitionSchema>;
export const ShiftDefinitionInputSchema = ShiftDefinitionSchema.omit({ force: true });
export const ShiftDefinitionPatchSchema = ShiftDefinitionInputSchema.omit({ code: true }).partial().strict();

/** One day of a rota: a shift code, or `R` for a rest day. */
export const RotaDaySchema = z.string().regex(/^([A-Z]{1,3})$/);

export const RotaSchema = z
  .object({
    /** The cycle, one entry per day, e.g. E E L L N N R R R R. */
    pattern: z.array(RotaDaySchema).min(1).max(56),
    /** The local date on which day 0 of the pattern falls for this team. */
    anchorDate: IsoDateSchema,
  })
  .strict();
export type Rota = z.infer<typeof RotaSchema>;

export const TeamSchema = z
  .object({
    id: CodeSchema,
    name: z.string().min(1).max(60),
    force: CodeSchema,
    bcu: CodeSchema,
    borough: CodeSchema,
    station: CodeSchema,
    rota: RotaSchema,
  })
  .strict();
export type Team = z.infer<typeof TeamSchema>;
export const TeamInputSchema = TeamSchema.omit({ force: true, bcu: true, borough: true });
export const TeamPatchSchema = TeamInputSchema.omit({ id: true }).partial().strict();

/** A concrete shift: instants in UTC, with the zone its local times are read in. */
export const ShiftInstanceSchema = z.object({
  id: z.string(),
  station: CodeSchema,
  code: z.string(),
  name: z.string(),
  date: IsoDateSchema,
  team: CodeSchema,
  start: z.string().datetime(),
  end: z.string().datetime(),
  zone: z.string(),
  hours: z.number(),
});
export type ShiftInstance = z.infer<typeof ShiftInstanceSchema>;
