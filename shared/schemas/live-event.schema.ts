import { z } from 'zod';
import { CustodyKindSchema } from './custody.schema.js';
import { BoardShiftSchema, CoverAlertSchema, DeviceLiveSchema, UnitLiveSchema } from './board.schema.js';

const base = { id: z.string(), at: z.string(), by: z.string() };
const PlacementSchema = z.object({ force: z.string(), bcu: z.string(), borough: z.string(), station: z.string() });
/** An entity that leaves the board, at the version it left at (a board holding a later one keeps it). */
const GoneSchema = z.object({ key: z.string(), version: z.number().int() });

/** Domain events as they go over the wire: each carries the new state of what it changed. */
export const LiveEventSchema = z.discriminatedUnion('type', [
  z.object({
    ...base,
    type: z.literal('custody.changed'),
    kind: CustodyKindSchema,
    device: DeviceLiveSchema,
    officer: z.string().nullable(),
    /** The shift the device was issued for (on a return, the shift it comes back from). */
    shift: z.string().nullable(),
    callSign: z.string().nullable(),
  }),
  z.object({
    ...base,
    type: z.literal('unit.changed'),
    kind: z.enum(['booked_on', 'booked_off', 'status']),
    officer: z.string().nullable(),
    unit: UnitLiveSchema,
  }),
  z.object({
    ...base,
    type: z.literal('cover.changed'),
    kind: z.enum(['raised', 'cleared']),
    alert: CoverAlertSchema,
  }),
  /**
   * A crew plan was published (a new roster or an amendment): its crews are stored. `units` are the plan's
   * units that are on the board now (their shift current by shared/rules/current-shift.ts, or someone booked
   * on), with their planned carriers: a board replaces its units of `shifts` with them (keeping booked-on
   * ones). Without `units` (an older server) boards resync.
   */
  z.object({
    ...base,
    type: z.literal('plan.published'),
    plan: z.string(),
    unit: z.object({ level: z.enum(['station', 'borough', 'bcu']), id: z.string() }),
    /** Where the plan sits: a borough plan has `station: ''`, a BCU plan also `borough: ''`. */
    placement: z.object({ force: z.string(), bcu: z.string(), borough: z.string(), station: z.string() }),
    /** The stations its shifts are at: each one's room hears the event too. */
    stations: z.array(z.string()),
    shifts: z.array(z.string()),
    units: z.array(UnitLiveSchema).optional(),
  }),
  /**
   * The clock passed a shift boundary of a borough (a shift's issue window opened, or a shift ended): the
   * server moves its boards on without any request. `units`: units that became current (with their planned
   * carriers and any live state); `left`: units whose shift ended with nobody booked on; `overdue`: units
   * whose shift ended with someone still booked on (they stay, overdue since `since`); `closed`: the ended
   * shifts' cover alerts; `shifts`: the borough's current and next shifts now. Heard in the borough's
   * force, BCU and borough rooms and in each of `stations`' rooms (a station board keeps its own units).
   */
  z.object({
    ...base,
    type: z.literal('shift.boundary'),
    placement: PlacementSchema,
    stations: z.array(z.string()),
    units: z.array(UnitLiveSchema),
    left: z.array(GoneSchema),
    overdue: z.array(z.object({ key: z.string(), since: z.string() })),
    closed: z.array(GoneSchema),
    shifts: z.array(BoardShiftSchema),
  }),
]);
export type LiveEvent = z.infer<typeof LiveEventSchema>;
export type LiveEventType = LiveEvent['type'];

/** One numbered change for one room. Numbers run 1, 2, 3... per room; a missing one means resync. */
export const BoardDeltaSchema = z.object({
  room: z.string(),
  epoch: z.string(),
  seq: z.number().int().positive(),
  event: LiveEventSchema,
});
export type BoardDelta = z.infer<typeof BoardDeltaSchema>;

/** Socket event names, both directions. */
export const SOCKET_EVENTS = {
  join: 'board:join',
  leave: 'board:leave',
  resync: 'board:resync',
  /**
   * A room's deltas of one broadcast pass, in number order (`BoardDelta[]`): one packet per room per pass
   * instead of one per delta, as writing to hundreds of sockets is what the server spends most on.
   */
  deltas: 'board:deltas',
  /** The server could not number some changes: every client of the room must resync. */
  reset: 'board:reset',
} as const;
