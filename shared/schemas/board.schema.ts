import { z } from 'zod';
import { CodeSchema, ScopeLevelSchema } from './common.schema.js';
import { DeviceStateSchema } from './device.schema.js';
import { OfficerSchema } from './officer.schema.js';

const CollarSchema = OfficerSchema.shape.collar;

/** A unit's status as the control room sees it; `off_duty` is derived: nobody of the crew is booked on. */
export const UnitStatusSchema = z.enum(['available', 'committed', 'at_station', 'off_duty']);
export type UnitStatus = z.infer<typeof UnitStatusSchema>;
/** The statuses a control room can set on a booked-on unit. */
export const SettableUnitStatusSchema = z.enum(['available', 'committed', 'at_station']);

/** Book an officer on or off for a shift of the published crew plan. */
export const BookingInputSchema = z.object({ shift: z.string().min(1).max(80), officer: CollarSchema }).strict();
export type BookingInput = z.infer<typeof BookingInputSchema>;

export const UnitStatusInputSchema = z
  .object({ shift: z.string().min(1).max(80), callSign: z.string().min(1).max(40), status: SettableUnitStatusSchema })
  .strict();
export type UnitStatusInput = z.infer<typeof UnitStatusInputSchema>;

/** The unit a board is for: a force, BCU, borough or station. */
export const BoardUnitSchema = z.object({ level: ScopeLevelSchema, id: CodeSchema }).strict();
export type BoardUnit = z.infer<typeof BoardUnitSchema>;
export const BoardQuerySchema = BoardUnitSchema;

/** Room names: `force:MPS`, `bcu:SN`, `borough:BROM`, `station:BR`. */
export const RoomSchema = z
  .string()
  .regex(/^(force|bcu|borough|station):[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'expected a room such as borough:BROM');
export const roomOf = (u: BoardUnit): string => `${u.level}:${u.id}`;
export const unitOfRoom = (room: string): BoardUnit => {
  const i = room.indexOf(':');
  return BoardUnitSchema.parse({ level: room.slice(0, i), id: room.slice(i + 1) });
};

export const JoinInputSchema = z.object({ room: RoomSchema }).strict();
export type JoinInput = z.infer<typeof JoinInputSchema>;

const placement = { force: z.string(), bcu: z.string(), borough: z.string(), station: z.string() };

/** A device as the board shows it; `version` rises with every custody change, so a repeat is ignored. */
export const DeviceLiveSchema = z.object({
  serial: z.string(),
  model: z.string(),
  ...placement,
  state: DeviceStateSchema,
  holder: z.string().nullable(),
  shift: z.string().nullable(),
  version: z.number().int(),
});
export type DeviceLive = z.infer<typeof DeviceLiveSchema>;

/** A crew of the published plan with its live booking state. */
export const UnitLiveSchema = z.object({
  key: z.string(),
  shift: z.string(),
  callSign: z.string(),
  ...placement,
  start: z.string(),
  end: z.string(),
  members: z.array(z.string()),
  plannedCarriers: z.array(z.object({ officer: z.string(), device: z.string() })),
  status: UnitStatusSchema,
  bookedOn: z.array(z.string()),
  version: z.number().int(),
});
export type UnitLive = z.infer<typeof UnitLiveSchema>;

/** Taser cover of a borough for one shift (date and shift code) against the configured minimum. */
export const CoverAlertSchema = z.object({
  key: z.string(),
  force: z.string(),
  bcu: z.string(),
  borough: z.string(),
  date: z.string(),
  code: z.string(),
  start: z.string(),
  end: z.string(),
  below: z.boolean(),
  count: z.number().int(),
  min: z.number().int(),
  since: z.string(),
  version: z.number().int(),
});
export type CoverAlert = z.infer<typeof CoverAlertSchema>;

/**
 * A shift of a borough in the room, running now (`current`) or starting next (`next`), by the force's shift
 * definitions: whether any of the room's stations in the borough has a published plan for it, and the cover
 * minimum. The board's cover strip and its "no published plan" warning read these.
 */
export const BoardShiftSchema = z.object({
  borough: z.string(),
  date: z.string(),
  code: z.string(),
  /** The shift definition's name, e.g. `Nights`. */
  name: z.string(),
  start: z.string(),
  end: z.string(),
  when: z.enum(['current', 'next']),
  planned: z.boolean(),
  min: z.number().int(),
});
export type BoardShift = z.infer<typeof BoardShiftSchema>;

/** What the board needs to show a unit: the state of devices, units and cover alerts within it. */
export const BoardSnapshotSchema = z.object({
  room: z.string(),
  /** The run of numbering `seq` belongs to; deltas of another epoch mean: resync. */
  epoch: z.string(),
  /** The last delta number already reflected in this snapshot. */
  seq: z.number().int(),
  at: z.string(),
  devices: z.array(DeviceLiveSchema),
  units: z.array(UnitLiveSchema),
  alerts: z.array(CoverAlertSchema),
  /** The current and next shift of each borough in the room (absent from snapshots of older servers). */
  shifts: z.array(BoardShiftSchema).optional(),
});
export type BoardSnapshot = z.infer<typeof BoardSnapshotSchema>;
