import { z } from 'zod';
import { CodeSchema, DeviceModelSchema } from './common.schema.js';

export const DeviceStateSchema = z.enum(['in_armoury', 'issued', 'faulty', 'in_repair', 'retired', 'needs_check']);
export type DeviceState = z.infer<typeof DeviceStateSchema>;

export const DeviceSchema = z
  .object({
    serial: z.string().regex(/^[A-Z0-9]{1,4}-\d{3,8}$/, 'expected a serial such as X2-004417'),
    model: DeviceModelSchema,
    force: CodeSchema,
    bcu: CodeSchema,
    borough: CodeSchema,
    station: CodeSchema,
    state: DeviceStateSchema,
  })
  .strict();
export type Device = z.infer<typeof DeviceSchema>;

/** A device as the API shows it (`/api/devices`): the document with its custody (holder, shift) and version overlaid from the live read model. */
export const DeviceViewSchema = DeviceSchema.extend({
  holder: z.string().nullable(),
  issuedShift: z.string().nullable(),
  version: z.number().int().min(0),
}).strict();
export type DeviceView = z.infer<typeof DeviceViewSchema>;

export const DeviceInputSchema = DeviceSchema.omit({ force: true, bcu: true, borough: true }).extend({
  state: DeviceStateSchema.default('in_armoury'),
});
export type DeviceInput = z.infer<typeof DeviceInputSchema>;
export const DevicePatchSchema = DeviceSchema.pick({ station: true, state: true }).partial().strict();

/**
 * A device can be issued for a shift only in these states. `needs_check`: a discharge was recorded with it; the
 * armourer checks it (custody repair action `check`) before it is issued again.
 */
export const isServiceable = (state: DeviceState): boolean => state === 'in_armoury' || state === 'issued';
