import type { BookingInput, UnitLive, UnitStatusInput } from '../../shared/schemas/board.schema.js';
import type { Actor } from '../../shared/schemas/user.schema.js';
import { AppError, ConflictError, NotFoundError } from '../errors.js';
import type { PublishedCrew } from '../repositories/crew-plan.repository.js';
import { appendVersion } from '../live/append.js';
import { crewAsUnit, unitKey, type LiveState, type UnitEntry } from '../live/read-model.js';
import { logId, type UnitRecord } from '../live/records.js';
import { requireRole, requireScope } from './access.js';
import type { ForceSettingsReader } from './force-settings.service.js';
import { withinShift } from './on-duty.js';
import type { ReferenceCache } from './reference-cache.js';

type Settable = UnitEntry['status'];
type Change = { bookedOn: string[]; status: Settable };

/**
 * Booking on and off against the published crew plan, and unit status. A unit's changes are versioned
 * inserts into the live log (`unit:<shift>|<call sign>#<version>`), each with the unit's whole new state;
 * checks read the live read model, and a lost race reloads the unit and tries again.
 */
export function createUnitStatusService(deps: {
  state: LiveState;
  ref: ReferenceCache;
  clock: () => Date;
  settings: ForceSettingsReader;
}) {
  const { state, ref } = deps;

  const crewOf = async (actor: Actor, input: BookingInput): Promise<PublishedCrew> => {
    requireRole(actor, 'board', 'write');
    const crew = await ref.crewOf(input.shift, input.officer);
    if (!crew)
      throw new NotFoundError(
        `${input.officer} is in no published crew for shift ${input.shift}.`,
        'not_in_published_crew',
      );
    requireScope(actor, crew);
    return crew;
  };

  const current = (crew: PublishedCrew): UnitEntry =>
    state.unit(unitKey(crew.shift, crew.callSign)) ?? { unit: crewAsUnit(crew), status: 'at_station' };

  /**
   * Applies `change` to the unit as known here and appends it as the next version. A refusal (thrown by
   * `change`) or a lost race is checked again once against the log, in case memory lagged another instance.
   */
  const mutate = async (
    actor: Actor,
    crew: PublishedCrew,
    kind: UnitRecord['kind'],
    officer: string | null,
    change: (u: UnitEntry) => Change,
  ): Promise<UnitLive> => {
    const key = unitKey(crew.shift, crew.callSign);
    for (let attempt = 0; attempt < 3; attempt++) {
      const u = current(crew);
      let next: Change;
      try {
        next = change(u);
      } catch (e) {
        if (attempt > 0 || !(e instanceof AppError)) throw e;
        await state.refreshUnit(key);
        continue;
      }
      const version = u.unit.version + 1;
      const unit: UnitLive = {
        ...u.unit,
        bookedOn: next.bookedOn,
        status: next.bookedOn.length ? next.status : 'off_duty',
        version,
      };
      const at = deps.clock().toISOString();
      const record: UnitRecord = {
        _id: logId('unit', key, version),
        type: 'unit',
        key,
        version,
        at,
        by: actor.username,
        kind,
        officer,
        unit,
        status: next.status,
      };
      const event = () => ({ type: 'unit.changed' as const, at, by: actor.username, kind, officer, unit });
      if (!(await appendVersion(state, record, { event }))) {
        await state.refreshUnit(key);
        continue;
      }
      return unit;
    }
    throw new ConflictError('The unit is changing too fast; try again.', 'unit_busy');
  };

  return {
    async bookOn(actor: Actor, input: BookingInput): Promise<UnitLive> {
      const crew = await crewOf(actor, input);
      // Booking on opens with the armoury: the force's issue lead before the shift starts.
      const { issueLeadMinutes } = await deps.settings.current(crew.force);
      if (!withinShift(crew, deps.clock(), issueLeadMinutes))
        throw new ConflictError(`Shift ${crew.shift} is not running now.`, 'shift_not_running');
      return mutate(actor, crew, 'booked_on', input.officer, (u) => {
        if (u.unit.bookedOn.includes(input.officer))
          throw new ConflictError(`${input.officer} is already booked on.`, 'already_booked_on');
        // The first one on resets the status to at station.
        return {
          bookedOn: [...u.unit.bookedOn, input.officer],
          status: u.unit.bookedOn.length ? u.status : 'at_station',
        };
      });
    },

    async bookOff(actor: Actor, input: BookingInput): Promise<UnitLive> {
      const crew = await crewOf(actor, input);
      let held = state.holding(input.officer);
      if (held) {
        // Memory may lag a return made through another instance.
        await state.refreshDevice(held);
        held = state.holding(input.officer);
      }
      if (held)
        throw new ConflictError(`${input.officer} still holds ${held}; return it first.`, 'device_not_returned');
      return mutate(actor, crew, 'booked_off', input.officer, (u) => {
        if (!u.unit.bookedOn.includes(input.officer))
          throw new ConflictError(`${input.officer} is not booked on.`, 'not_booked_on');
        return { bookedOn: u.unit.bookedOn.filter((c) => c !== input.officer), status: u.status };
      });
    },

    async setStatus(actor: Actor, input: UnitStatusInput): Promise<UnitLive> {
      requireRole(actor, 'board', 'write');
      const crew = (await ref.crewsOf(input.shift)).find((c) => c.callSign === input.callSign);
      if (!crew)
        throw new NotFoundError(`There is no unit ${input.callSign} on shift ${input.shift}.`, 'unit_not_found');
      requireScope(actor, crew);
      return mutate(actor, crew, 'status', null, (u) => {
        if (!u.unit.bookedOn.length)
          throw new ConflictError(`${input.callSign} is off duty: book someone on first.`, 'unit_off_duty');
        return { bookedOn: u.unit.bookedOn, status: input.status };
      });
    },
  };
}
export type UnitStatusService = ReturnType<typeof createUnitStatusService>;
