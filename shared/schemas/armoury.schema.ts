import { z } from 'zod';
import { CodeSchema, DeviceModelSchema, RankSchema } from './common.schema.js';
import { DeviceStateSchema } from './device.schema.js';

/** `/armoury/:station/...`: the station whose armoury is shown (an armourer's own station). */
export const ArmouryParamsSchema = z.object({ station: CodeSchema }).strict();
export type ArmouryParams = z.infer<typeof ArmouryParamsSchema>;

/** Filters of the station's device list: `q` matches serial or holder (case-insensitive), `state` one state. */
export const ArmouryDeviceQuerySchema = z
  .object({ q: z.string().trim().max(40).optional(), state: DeviceStateSchema.optional() })
  .strict();
export type ArmouryDeviceQuery = z.infer<typeof ArmouryDeviceQuerySchema>;

/** The latest fault recorded on a device (a fault report, or a fault found on return). */
export const ArmouryFaultSchema = z.object({ at: z.string().datetime(), note: z.string() }).strict();

/** One device of a station's armoury, with its custody overlaid and its last return and faults from the log. */
export const ArmouryDeviceSchema = z
  .object({
    serial: z.string(),
    model: DeviceModelSchema,
    state: DeviceStateSchema,
    /** Collar of the officer holding it (when issued), and their name. */
    holder: z.string().nullable(),
    holderName: z.string().nullable(),
    issuedShift: z.string().nullable(),
    /** When it last came back to the armoury (ISO instant), null if never. */
    lastReturnAt: z.string().datetime().nullable(),
    /** Faults recorded on it, newest first (at most 5), and how many in all. */
    faults: z.array(ArmouryFaultSchema),
    faultCount: z.number().int().min(0),
    version: z.number().int().min(0),
  })
  .strict();
export type ArmouryDevice = z.infer<typeof ArmouryDeviceSchema>;

export const ArmouryDeviceListSchema = z
  .object({ station: z.string(), items: z.array(ArmouryDeviceSchema), total: z.number().int().min(0) })
  .strict();
export type ArmouryDeviceList = z.infer<typeof ArmouryDeviceListSchema>;

/** A published shift at the station whose issue window is open, or the next to open. */
export const ArmouryShiftSchema = z
  .object({
    shift: z.string(),
    start: z.string().datetime(),
    end: z.string().datetime(),
    /** Issuing opens `issueLeadMinutes` before `start`. */
    opensAt: z.string().datetime(),
    open: z.boolean(),
  })
  .strict();
export type ArmouryShift = z.infer<typeof ArmouryShiftSchema>;

/** An officer the published plan names to carry on one of those shifts. */
export const PlannedCarrierSchema = z
  .object({
    shift: z.string(),
    callSign: z.string(),
    officer: z.string(),
    name: z.string(),
    rank: RankSchema.nullable(),
    /** The serial the plan names, null when it names none. */
    plannedDevice: z.string().nullable(),
    /** The device the officer holds now, if any. */
    holding: z.string().nullable(),
    /** Whether the shift's issue window is open now. */
    open: z.boolean(),
  })
  .strict();
export type PlannedCarrier = z.infer<typeof PlannedCarrierSchema>;

export const PlannedCarriersSchema = z
  .object({
    station: z.string(),
    now: z.string().datetime(),
    /** The force's setting: minutes before a shift starts that issuing opens. */
    issueLeadMinutes: z.number().int().min(0),
    shifts: z.array(ArmouryShiftSchema),
    carriers: z.array(PlannedCarrierSchema),
  })
  .strict();
export type PlannedCarriers = z.infer<typeof PlannedCarriersSchema>;
