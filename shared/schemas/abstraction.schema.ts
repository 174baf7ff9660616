import { z } from 'zod';
import { IsoDateSchema } from './common.schema.js';

export const AbstractionKindSchema = z.enum(['leave', 'sickness', 'court', 'training']);
export type AbstractionKind = z.infer<typeof AbstractionKindSchema>;

/** An officer away from duty for whole local days, `from` to `to` inclusive. */
export const AbstractionSchema = z
  .object({
    id: z.string().max(64),
    officer: z.string().min(1).max(64),
    kind: AbstractionKindSchema,
    from: IsoDateSchema,
    to: IsoDateSchema,
    note: z.string().max(500).optional(),
    /** For a `training` abstraction booked by the refresher planner: the training site (its id in the force settings). */
    site: z.string().max(64).optional(),
    force: z.string(),
    bcu: z.string(),
    borough: z.string(),
    station: z.string(),
  })
  .strict();
export type Abstraction = z.infer<typeof AbstractionSchema>;

export const AbstractionInputSchema = AbstractionSchema.pick({
  officer: true,
  kind: true,
  from: true,
  to: true,
  note: true,
})
  .strict()
  .refine((a) => a.from <= a.to, { message: '`to` must not be before `from`', path: ['to'] });
export type AbstractionInput = z.infer<typeof AbstractionInputSchema>;
export const AbstractionPatchSchema = z
  .object({
    kind: AbstractionKindSchema,
    from: IsoDateSchema,
    to: IsoDateSchema,
    note: z.string().max(500),
  })
  .partial()
  .strict();
