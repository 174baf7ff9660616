import { z } from 'zod';
import { CodeSchema, PageNumberSchema, pageSizeSchema } from './common.schema.js';
import { DeviceSchema } from './device.schema.js';
import { OfficerSchema } from './officer.schema.js';

const SerialSchema = DeviceSchema.shape.serial;
const CollarSchema = OfficerSchema.shape.collar;

/** An armourer hands a device to an officer for the shift the officer is on now. */
export const IssueInputSchema = z.object({ device: SerialSchema, officer: CollarSchema }).strict();
export type IssueInput = z.infer<typeof IssueInputSchema>;

/**
 * A device comes back to the armoury; a fault found on return sends it straight to `faulty`. `discharged`: the
 * officer says it was fired (or drive-stunned) this shift: it comes back `needs_check`, and the reconciliation
 * lists the return until a use is recorded for that officer and device.
 */
export const ReturnInputSchema = z
  .object({
    device: SerialSchema,
    officer: CollarSchema.optional(),
    fault: z.string().min(1).max(500).optional(),
    discharged: z.boolean().optional(),
  })
  .strict();
export type ReturnInput = z.infer<typeof ReturnInputSchema>;

export const FaultInputSchema = z.object({ device: SerialSchema, note: z.string().min(1).max(500) }).strict();
export type FaultInput = z.infer<typeof FaultInputSchema>;

/**
 * `send`: faulty → in repair; `complete`: faulty or in repair → back in the armoury; `retire`: out of service for
 * good; `check`: the check after a discharge is done, needs check → back in the armoury.
 */
export const RepairActionSchema = z.enum(['send', 'complete', 'retire', 'check']);
export const RepairInputSchema = z
  .object({ device: SerialSchema, action: RepairActionSchema, note: z.string().min(1).max(500).optional() })
  .strict();
export type RepairInput = z.infer<typeof RepairInputSchema>;

/**
 * `transferred`: moved to another station by an edit of the device (PATCH /devices); `needs_check`: a discharge
 * was recorded with the device (in the armoury); `checked`: the armourer checked it after a discharge.
 */
export const CustodyKindSchema = z.enum([
  'issue',
  'return',
  'fault',
  'repair_sent',
  'repaired',
  'retired',
  'transferred',
  'needs_check',
  'checked',
]);
export type CustodyKind = z.infer<typeof CustodyKindSchema>;

/** One line of the append-only custody audit trail. */
export const CustodyEventSchema = z.object({
  id: z.string(),
  kind: CustodyKindSchema,
  at: z.string().datetime(),
  by: z.string(),
  device: z.string(),
  model: z.string(),
  fromState: z.string(),
  toState: z.string(),
  officer: z.string().nullable(),
  shift: z.string().nullable(),
  callSign: z.string().nullable(),
  note: z.string().nullable(),
  /** On a return: the officer said the device was discharged. */
  discharged: z.boolean().optional(),
  force: z.string(),
  bcu: z.string(),
  borough: z.string(),
  station: z.string(),
});
export type CustodyEvent = z.infer<typeof CustodyEventSchema>;

export const CustodyEventQuerySchema = z
  .object({
    page: PageNumberSchema,
    pageSize: pageSizeSchema(500, 50),
    device: SerialSchema.optional(),
    officer: CollarSchema.optional(),
    shift: z.string().max(80).optional(),
    bcu: CodeSchema.optional(),
    borough: CodeSchema.optional(),
    station: CodeSchema.optional(),
  })
  .strict();
export type CustodyEventQuery = z.infer<typeof CustodyEventQuerySchema>;
