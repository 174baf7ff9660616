import type { BookingInput, UnitLive, UnitStatusInput } from '../../shared/schemas/board.schema.js';
import type { Actor } from '../../shared/schemas/user.schema.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { EventBus } from '../events/domain-events.js';
import { publishedCrewRepository, type PublishedCrew } from '../repositories/crew-plan.repository.js';
import { custodyRepository } from '../repositories/custody.repository.js';
import { toUnitLive, unitKey, unitStatusRepository } from '../repositories/unit-status.repository.js';
import { requireRole, requireScope } from './access.js';
import { parseShiftId, withinShift } from './on-duty.js';

/** Booking on and off against the published crew plan, and unit status. */
export function createUnitStatusService(deps: { events: EventBus; clock: () => Date }) {
  const units = unitStatusRepository;

  const crewOf = async (actor: Actor, input: BookingInput): Promise<PublishedCrew> => {
    requireRole(actor, 'board', 'write');
    const crew = await publishedCrewRepository.crewOf(input.shift, input.officer);
    if (!crew)
      throw new NotFoundError(
        `${input.officer} is in no published crew for shift ${input.shift}.`,
        'not_in_published_crew',
      );
    requireScope(actor, crew);
    return crew;
  };

  const publish = (actor: Actor, kind: 'booked_on' | 'booked_off' | 'status', officer: string | null, unit: UnitLive) =>
    deps.events.publish({
      type: 'unit.changed',
      at: deps.clock().toISOString(),
      by: actor.username,
      kind,
      officer,
      unit,
    });

  return {
    async bookOn(actor: Actor, input: BookingInput): Promise<UnitLive> {
      const crew = await crewOf(actor, input);
      if (!withinShift(crew, deps.clock()))
        throw new ConflictError(`Shift ${crew.shift} is not running now.`, 'shift_not_running');
      const parsed = parseShiftId(crew.shift);
      await units.ensure(crew, parsed?.date ?? crew.start.slice(0, 10), parsed?.code ?? '');
      const done = await units.bookOn(unitKey(crew.shift, crew.callSign), input.officer);
      if (!done) throw new ConflictError(`${input.officer} is already booked on.`, 'already_booked_on');
      const unit = toUnitLive(done);
      publish(actor, 'booked_on', input.officer, unit);
      return unit;
    },

    async bookOff(actor: Actor, input: BookingInput): Promise<UnitLive> {
      const crew = await crewOf(actor, input);
      const held = await custodyRepository.heldBy(input.officer);
      if (held)
        throw new ConflictError(`${input.officer} still holds ${held.serial}; return it first.`, 'device_not_returned');
      const done = await units.bookOff(unitKey(crew.shift, crew.callSign), input.officer);
      if (!done) throw new ConflictError(`${input.officer} is not booked on.`, 'not_booked_on');
      const unit = toUnitLive(done);
      publish(actor, 'booked_off', input.officer, unit);
      return unit;
    },

    async setStatus(actor: Actor, input: UnitStatusInput): Promise<UnitLive> {
      requireRole(actor, 'board', 'write');
      const key = unitKey(input.shift, input.callSign);
      const current = await units.get(key);
      if (!current) {
        const crews = await publishedCrewRepository.find({ shift: input.shift, callSign: input.callSign });
        if (!crews[0])
          throw new NotFoundError(`There is no unit ${input.callSign} on shift ${input.shift}.`, 'unit_not_found');
        requireScope(actor, crews[0]);
        throw new ConflictError(`${input.callSign} is off duty: book someone on first.`, 'unit_off_duty');
      }
      requireScope(actor, current);
      const done = await units.setStatus(key, input.status);
      if (!done) throw new ConflictError(`${input.callSign} is off duty: book someone on first.`, 'unit_off_duty');
      const unit = toUnitLive(done);
      publish(actor, 'status', null, unit);
      return unit;
    },
  };
}
export type UnitStatusService = ReturnType<typeof createUnitStatusService>;
