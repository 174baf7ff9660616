import { z } from 'zod';
import { CodeSchema, DeviceModelSchema, IsoDateSchema, OfficerKindSchema, RankSchema } from './common.schema.js';

export const TaserAuthorisationSchema = z
  .object({
    lastTrained: IsoDateSchema,
    models: z.array(DeviceModelSchema).min(1).max(3),
    endorsed: z.boolean().default(false),
    suspended: z.boolean().default(false),
    volunteer: z.boolean().default(true),
  })
  .strict();
export type TaserAuthorisation = z.infer<typeof TaserAuthorisationSchema>;

export const OfficerSchema = z
  .object({
    collar: z.string().regex(/^[A-Z]{0,4}\d{2,7}$/, 'expected a collar number such as PC1234 or 1234'),
    name: z.string().min(1).max(120),
    rank: RankSchema,
    kind: OfficerKindSchema,
    force: CodeSchema,
    bcu: CodeSchema,
    borough: CodeSchema,
    station: CodeSchema,
    team: CodeSchema,
    taser: TaserAuthorisationSchema.nullable(),
  })
  .strict();
export type Officer = z.infer<typeof OfficerSchema>;

/** Client input: the structure above the station is derived from the station. */
export const OfficerInputSchema = OfficerSchema.omit({ force: true, bcu: true, borough: true });
export type OfficerInput = z.infer<typeof OfficerInputSchema>;
export const OfficerPatchSchema = OfficerInputSchema.omit({ collar: true }).partial().strict();
export type OfficerPatch = z.infer<typeof OfficerPatchSchema>;
