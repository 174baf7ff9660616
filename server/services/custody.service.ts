import type { DeviceLive } from '../../shared/schemas/board.schema.js';
import type {
  CustodyEvent,
  CustodyEventQuery,
  CustodyKind,
  FaultInput,
  IssueInput,
  RepairInput,
  ReturnInput,
} from '../../shared/schemas/custody.schema.js';
import type { DeviceState } from '../../shared/schemas/device.schema.js';
import type { Actor } from '../../shared/schemas/user.schema.js';
import { custodyRefusal, type CustodyRefusal } from '../../shared/rules/custody-eligibility.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { EventBus } from '../events/domain-events.js';
import { publishedCrewRepository } from '../repositories/crew-plan.repository.js';
import {
  custodyRepository,
  isUniqueViolation,
  toDeviceLive,
  type CustodyDevice,
} from '../repositories/custody.repository.js';
import type { Repositories } from '../repositories/index.js';
import { requireRole, requireScope, scopedFilter } from './access.js';
import { currentShiftOf } from './on-duty.js';

const REFUSALS: Record<CustodyRefusal, string> = {
  officer_not_authorised: 'holds no Taser authorisation (or has withdrawn as a volunteer)',
  officer_suspended: 'is suspended from carrying Taser',
  authorisation_lapsed: 'has an authorisation that lapses before the shift ends',
  model_not_authorised: 'is not trained on this model',
  officer_kind_not_permitted: 'may not carry under force policy (student or special)',
};

export type CustodyResult = { device: DeviceLive; record: CustodyEvent };

/** The armoury: issue, return, faults and repairs, each one atomic conditional write plus its audit record. */
export function createCustodyService(repos: Repositories, deps: { events: EventBus; clock: () => Date }) {
  const custody = custodyRepository;

  const loadDevice = async (actor: Actor, serial: string): Promise<CustodyDevice> => {
    const d = await custody.device(serial);
    if (!d) throw new NotFoundError(`There is no device ${serial}.`, 'device_not_found');
    requireScope(actor, d);
    return d;
  };

  /** Writes the audit record of a committed change and then tells everyone. */
  const record = async (
    actor: Actor,
    kind: CustodyKind,
    fromState: DeviceState,
    d: CustodyDevice,
    at: Date,
    extra: { officer: string | null; shift: string | null; callSign: string | null; note: string | null },
  ): Promise<CustodyResult> => {
    const rec: CustodyEvent = {
      id: `${d.serial}#${d.version}`,
      kind,
      at: at.toISOString(),
      by: actor.username,
      device: d.serial,
      model: d.model,
      fromState,
      toState: d.state,
      ...extra,
      force: d.force,
      bcu: d.bcu,
      borough: d.borough,
      station: d.station,
    };
    await custody.append(rec);
    const device = toDeviceLive(d);
    deps.events.publish({
      type: 'custody.changed',
      at: rec.at,
      by: actor.username,
      kind,
      device,
      officer: extra.officer,
      shift: extra.shift,
      callSign: extra.callSign,
    });
    return { device, record: rec };
  };

  /** Names why a conditional device write found its precondition gone, once the winner's write has landed. */
  const lostRace = async (read: CustodyDevice): Promise<never> => {
    const serial = read.serial;
    let now = await custody.device(serial);
    for (let i = 0; i < 50 && now && now.version === read.version; i++) {
      await new Promise((r) => setTimeout(r, 20));
      now = await custody.device(serial);
    }
    if (now?.state === 'issued')
      throw new ConflictError(
        `Device ${serial} is already issued to ${now.holder ?? 'someone'}.`,
        'device_already_issued',
      );
    throw new ConflictError(
      `Device ${serial} is ${now?.state ?? 'gone'} and cannot be issued.`,
      'device_not_serviceable',
    );
  };

  const simpleTransition = async (
    actor: Actor,
    serial: string,
    kind: CustodyKind,
    from: DeviceState[],
    to: DeviceState,
    note: string | null,
  ): Promise<CustodyResult> => {
    requireRole(actor, 'custody', 'write');
    const d = await loadDevice(actor, serial);
    if (d.state === 'issued')
      throw new ConflictError(
        `Device ${serial} is issued to ${d.holder ?? 'someone'}; receive it back first.`,
        'device_issued',
      );
    if (!from.includes(d.state))
      throw new ConflictError(
        `Device ${serial} is ${d.state}; it cannot go to ${to} from there.`,
        'invalid_device_transition',
      );
    const at = deps.clock();
    const done = await custody.transition(d, { state: to, holder: null, issuedShift: null });
    if (!done) throw new ConflictError(`Device ${serial} changed meanwhile; try again.`, 'device_changed');
    return record(actor, kind, d.state, done, at, { officer: null, shift: null, callSign: null, note });
  };

  return {
    async issue(actor: Actor, input: IssueInput): Promise<CustodyResult> {
      requireRole(actor, 'custody', 'write');
      const d = await loadDevice(actor, input.device);
      const officer = await repos.officers.get(input.officer);
      if (!officer) throw new NotFoundError(`There is no officer ${input.officer}.`, 'officer_not_found');
      requireScope(actor, officer);
      if (officer.station !== d.station)
        throw new ConflictError(
          `Device ${d.serial} belongs to station ${d.station}; ${officer.collar} works from ${officer.station}.`,
          'device_other_station',
        );
      const now = deps.clock();
      const shift = await currentShiftOf(repos, officer, now);
      if (!shift) throw new ConflictError(`${officer.collar} is not on duty now.`, 'officer_not_on_duty');
      const refusal = custodyRefusal(officer, d.model, shift.end);
      if (refusal) throw new ConflictError(`${officer.collar} ${REFUSALS[refusal]}.`, refusal);
      if (d.state === 'issued')
        throw new ConflictError(
          `Device ${d.serial} is already issued to ${d.holder ?? 'someone'}.`,
          'device_already_issued',
        );
      if (d.state !== 'in_armoury')
        throw new ConflictError(`Device ${d.serial} is ${d.state} and cannot be issued.`, 'device_not_serviceable');
      let done: CustodyDevice | null;
      try {
        // The check and the write are one: only a device still in the armoury is taken, and the unique
        // holder key refuses a second device for the same officer.
        done = await custody.transition(d, {
          state: 'issued',
          holder: officer.collar,
          issuedShift: shift.id,
        });
      } catch (e) {
        if (isUniqueViolation(e, 'holderKey'))
          throw new ConflictError(`${officer.collar} already holds a device.`, 'officer_holds_device');
        throw e;
      }
      if (!done) return lostRace(d);
      const crew = await publishedCrewRepository.crewOf(shift.id, officer.collar);
      return record(actor, 'issue', 'in_armoury', done, now, {
        officer: officer.collar,
        shift: shift.id,
        callSign: crew?.callSign ?? null,
        note: null,
      });
    },

    async receive(actor: Actor, input: ReturnInput): Promise<CustodyResult> {
      requireRole(actor, 'custody', 'write');
      const d = await loadDevice(actor, input.device);
      if (d.state !== 'issued' || !d.holder)
        throw new ConflictError(`Device ${d.serial} is not issued (it is ${d.state}).`, 'device_not_issued');
      if (input.officer && input.officer !== d.holder)
        throw new ConflictError(`Device ${d.serial} is held by ${d.holder}, not ${input.officer}.`, 'wrong_holder');
      const now = deps.clock();
      const to: DeviceState = input.fault ? 'faulty' : 'in_armoury';
      const done = await custody.transition(d, { state: to, holder: null, issuedShift: null });
      if (!done) throw new ConflictError(`Device ${d.serial} was received meanwhile.`, 'device_not_issued');
      const crew = d.issuedShift ? await publishedCrewRepository.crewOf(d.issuedShift, d.holder) : null;
      return record(actor, 'return', 'issued', done, now, {
        officer: d.holder,
        shift: d.issuedShift,
        callSign: crew?.callSign ?? null,
        note: input.fault ? `fault: ${input.fault}` : null,
      });
    },

    async fault(actor: Actor, input: FaultInput): Promise<CustodyResult> {
      return simpleTransition(actor, input.device, 'fault', ['in_armoury'], 'faulty', input.note);
    },

    async repair(actor: Actor, input: RepairInput): Promise<CustodyResult> {
      const note = input.note ?? null;
      switch (input.action) {
        case 'send':
          return simpleTransition(actor, input.device, 'repair_sent', ['faulty'], 'in_repair', note);
        case 'complete':
          return simpleTransition(actor, input.device, 'repaired', ['faulty', 'in_repair'], 'in_armoury', note);
        case 'retire':
          return simpleTransition(
            actor,
            input.device,
            'retired',
            ['faulty', 'in_repair', 'in_armoury'],
            'retired',
            note,
          );
      }
    },

    /** The audit trail within the actor's scope, newest first. */
    async events(actor: Actor, q: CustodyEventQuery) {
      requireRole(actor, 'custody', 'read');
      const { page, pageSize, device, officer, shift, ...where } = q;
      const filter = scopedFilter(actor, where);
      if (device) filter.device = device;
      if (officer) filter.officer = officer;
      if (shift) filter.shift = shift;
      return custody.events(filter, page, pageSize);
    },
  };
}
export type CustodyService = ReturnType<typeof createCustodyService>;
