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
import type { Device, DeviceState } from '../../shared/schemas/device.schema.js';
import type { Actor } from '../../shared/schemas/user.schema.js';
import { custodyRefusal, type CustodyRefusal } from '../../shared/rules/custody-eligibility.js';
import { isStoreUnavailable } from '../db/store-errors.js';
import { AppError, ConflictError, NotFoundError, StoreUnavailableError, ValidationError } from '../errors.js';
import { log } from '../logger.js';
import type { Repositories } from '../repositories/index.js';
import { appendVersion } from '../live/append.js';
import { liveLogRepository } from '../live/log.repository.js';
import { OFFICER_CLAIM_TIMEOUT_MS, type DeviceCustody, type LiveState } from '../live/read-model.js';
import { logId, type CustodyRecord, type OfficerRecord } from '../live/records.js';
import { requireRole, requireScope, scopedFilter } from './access.js';
import { currentShiftOf } from './on-duty.js';
import type { ForceSettingsReader } from './force-settings.service.js';
import type { ReferenceCache } from './reference-cache.js';
import { taserUseRepository } from '../repositories/taser-use.repository.js';
import type { UseRecord } from '../../shared/schemas/taser-use.schema.js';

const REFUSALS: Record<CustodyRefusal, string> = {
  officer_not_authorised: 'holds no Taser authorisation (or has withdrawn as a volunteer)',
  officer_suspended: 'is suspended from carrying Taser',
  authorisation_lapsed: 'has an authorisation that lapses before the shift ends',
  model_not_authorised: 'is not trained on this model',
  officer_kind_not_permitted: 'may not carry under force policy (student or special)',
};

export type CustodyResult = { device: DeviceLive; record: CustodyEvent };
type Extra = {
  officer: string | null;
  shift: string | null;
  callSign: string | null;
  note: string | null;
  discharged?: boolean;
};
type Next = Pick<DeviceCustody, 'state' | 'holder' | 'shift'>;

/**
 * The armoury: issue, return, faults and repairs. Every change is one insert into the custody log,
 * `device:<serial>#<next version>`: the atomic claim (a duplicate means someone changed the device first)
 * and the audit record at once. Checks read the live read model; a stale read shows up as a duplicate and
 * the device is reloaded and checked again. An issue first takes the officer's next custody claim
 * (`officer:<collar>#<n>`), so one officer cannot be issued two devices at once.
 */
export function createCustodyService(
  repos: Repositories,
  deps: { state: LiveState; ref: ReferenceCache; clock: () => Date; settings: ForceSettingsReader },
) {
  const { state, ref } = deps;

  const loadDevice = async (actor: Actor, serial: string): Promise<DeviceLive> => {
    const d = await state.device(serial);
    if (!d) throw new NotFoundError(`There is no device ${serial}.`, 'device_not_found');
    requireScope(actor, d);
    return d;
  };

  /** Loads and checks a device; a refusal is checked once more against the log, in case memory lags. */
  const verified = async (actor: Actor, serial: string, check: (d: DeviceLive) => void): Promise<DeviceLive> => {
    const d = await loadDevice(actor, serial);
    try {
      check(d);
      return d;
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      await state.refreshDevice(serial);
      const again = await loadDevice(actor, serial);
      check(again);
      return again;
    }
  };

  /**
   * Appends the next version of a device; null when that version was taken. Serviceability (faulty, in
   * repair, retired, back in the armoury) is also written to the device document, after the log, before
   * answering; a crash between the two is repaired from the log at the next start.
   */
  const commit = async (
    actor: Actor,
    kind: CustodyKind,
    d: DeviceLive,
    next: Next,
    extra: Extra,
    officerClaim?: { officer: string; seq: number },
    placement?: Pick<Device, 'force' | 'bcu' | 'borough' | 'station'>,
  ): Promise<CustodyResult | null> => {
    const version = d.version + 1;
    const at = deps.clock().toISOString();
    const where = placement ?? d;
    const record: CustodyEvent = {
      id: `${d.serial}#${version}`,
      kind,
      at,
      by: actor.username,
      device: d.serial,
      model: d.model,
      fromState: d.state,
      toState: next.state,
      ...extra,
      force: where.force,
      bcu: where.bcu,
      borough: where.borough,
      station: where.station,
    };
    const stored: CustodyRecord = {
      _id: logId('device', d.serial, version),
      type: 'custody',
      key: d.serial,
      version,
      ...record,
      state: next.state,
      holder: next.holder,
      issuedShift: next.shift,
    };
    const device: DeviceLive = { ...d, ...where, state: next.state, holder: next.holder, shift: next.shift, version };
    // The change is acknowledged (the log record is stored): the document is only a copy of serviceability,
    // which recovery (and the next start) mends from the log if the store fails before it is written.
    const afterApply = async (): Promise<void> => {
      try {
        const doc = await ref.devices.get(d.serial);
        if (doc && next.state !== 'issued' && (doc.state !== next.state || placement))
          await repos.devices.update(d.serial, { state: next.state, ...placement });
      } catch (e) {
        if (!(e instanceof StoreUnavailableError) && !isStoreUnavailable(e)) throw e;
        log.error(`device ${d.serial}: document not updated (store unavailable); mended at recovery`);
      }
    };
    const event = () =>
      ({
        type: 'custody.changed',
        at,
        by: actor.username,
        kind,
        device,
        officer: extra.officer,
        shift: extra.shift,
        callSign: extra.callSign,
      }) as const;
    if (!(await appendVersion(state, stored, { afterApply, event, ...(officerClaim ? { officerClaim } : {}) })))
      return null;
    return { device, record };
  };

  /** A change that does not involve an officer: check, append, and on a lost race reload and go again once. */
  const change = async (
    actor: Actor,
    serial: string,
    kind: CustodyKind,
    check: (d: DeviceLive) => void,
    next: (d: DeviceLive) => Next,
    extra: (d: DeviceLive) => Promise<Extra> | Extra,
    placement?: Pick<Device, 'force' | 'bcu' | 'borough' | 'station'>,
  ): Promise<CustodyResult> => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const d = await verified(actor, serial, check);
      const done = await commit(actor, kind, d, next(d), await extra(d), undefined, placement);
      if (done) return done;
      await state.refreshDevice(serial);
    }
    throw new ConflictError(`Device ${serial} changed meanwhile; try again.`, 'device_changed');
  };

  const notIssued = (d: DeviceLive, serial: string) => {
    if (d.state === 'issued')
      throw new ConflictError(
        `Device ${serial} is issued to ${d.holder ?? 'someone'}; receive it back first.`,
        'device_issued',
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
    return change(
      actor,
      serial,
      kind,
      (d) => {
        notIssued(d, serial);
        if (!from.includes(d.state))
          throw new ConflictError(
            `Device ${serial} is ${d.state}; it cannot go to ${to} from there.`,
            'invalid_device_transition',
          );
      },
      () => ({ state: to, holder: null, shift: null }),
      () => ({ officer: null, shift: null, callSign: null, note }),
    );
  };

  /**
   * Whether a discharge is recorded with the device after its last check (or repair): the last check is the
   * read model's, so a return reads no custody history.
   */
  const checkDue = async (serial: string): Promise<boolean> =>
    taserUseRepository.dischargedAfter(serial, await state.lastCheck(serial));

  const officerHoldsDevice = (collar: string) =>
    new ConflictError(`${collar} already holds a device.`, 'officer_holds_device');

  /** Runs the device step of an issue; a store failure withdraws the officer's claim already stored. */
  const commitOrRetract = async <T>(claim: OfficerRecord, step: () => Promise<T>): Promise<T> => {
    try {
      return await step();
    } catch (e) {
      if (e instanceof StoreUnavailableError || isStoreUnavailable(e)) liveLogRepository.retract(claim);
      throw e;
    }
  };

  /** Whether the officer is busy once the log has been read again (memory may lag another instance). */
  const busyAfterReload = async (collar: string): Promise<boolean> => {
    await state.refreshOfficer(collar);
    const held = state.holding(collar);
    if (held) await state.refreshDevice(held);
    return state.officerBusy(collar) !== null;
  };

  return {
    async issue(actor: Actor, input: IssueInput): Promise<CustodyResult> {
      requireRole(actor, 'custody', 'write');
      const first = await loadDevice(actor, input.device);
      const officer = await ref.officers.get(input.officer);
      if (!officer) throw new NotFoundError(`There is no officer ${input.officer}.`, 'officer_not_found');
      requireScope(actor, officer);
      if (officer.station !== first.station)
        throw new ConflictError(
          `Device ${first.serial} belongs to station ${first.station}; ${officer.collar} works from ${officer.station}.`,
          'device_other_station',
        );
      const now = deps.clock();
      // The force's own policy and issue lead: the rules its plans were made under.
      const settings = await deps.settings.current(officer.force);
      const shift = await currentShiftOf(ref, officer, now, settings.issueLeadMinutes);
      if (!shift) throw new ConflictError(`${officer.collar} is not on duty now.`, 'officer_not_on_duty');
      const refusal = custodyRefusal(officer, first.model as Device['model'], shift.end, settings.policy);
      if (refusal) throw new ConflictError(`${officer.collar} ${REFUSALS[refusal]}.`, refusal);
      const collar = officer.collar;
      const crew = await ref.crewOf(shift.id, collar);

      for (let attempt = 0; attempt < 2; attempt++) {
        const d = await verified(actor, input.device, (x) => {
          if (x.state === 'issued')
            throw new ConflictError(
              `Device ${x.serial} is already issued to ${x.holder ?? 'someone'}.`,
              'device_already_issued',
            );
          if (x.state === 'needs_check')
            throw new ConflictError(
              `Device ${x.serial} was discharged and must be checked by the armourer before it is issued again.`,
              'device_needs_check',
            );
          if (x.state !== 'in_armoury')
            throw new ConflictError(`Device ${x.serial} is ${x.state} and cannot be issued.`, 'device_not_serviceable');
        });
        if (state.officerBusy(collar) && (await busyAfterReload(collar))) throw officerHoldsDevice(collar);

        const release = state.begin(collar);
        try {
          // First the officer's claim: of two issues to one officer, only one takes claim number n.
          const seq = state.claimSeq(collar) + 1;
          const claimedAt = Date.now();
          const claim: OfficerRecord = {
            _id: logId('officer', collar, seq),
            type: 'officer',
            key: collar,
            version: seq,
            at: now.toISOString(),
            claimedAt: new Date(claimedAt).toISOString(),
            by: actor.username,
            device: d.serial,
            deviceVersion: d.version + 1,
          };
          if (!(await appendVersion(state, claim))) {
            release();
            if (await busyAfterReload(collar)) throw officerHoldsDevice(collar);
            continue;
          }
          // A claim this old may already be taken for a crashed writer's by others: give it up.
          if (Date.now() - claimedAt > OFFICER_CLAIM_TIMEOUT_MS / 2)
            throw new ConflictError('The store is too slow to issue safely now; try again.', 'custody_busy');
          // Then the device: of two issues of one device, only one takes its next version. If the store fails
          // here the issue is refused (503) and the claim, which holds nothing, is withdrawn at recovery.
          const done = await commitOrRetract(claim, () =>
            commit(
              actor,
              'issue',
              d,
              { state: 'issued', holder: collar, shift: shift.id },
              { officer: collar, shift: shift.id, callSign: crew?.callSign ?? null, note: null },
              { officer: collar, seq },
            ),
          );
          if (done) return done;
        } finally {
          release();
        }
        // Someone changed the device first. Our officer claim names a device version now taken by another
        // record, so it holds nothing; reload the device and check again.
        await state.refreshDevice(input.device);
      }
      throw new ConflictError(`Device ${input.device} changed meanwhile; try again.`, 'device_changed');
    },

    async receive(actor: Actor, input: ReturnInput): Promise<CustodyResult> {
      requireRole(actor, 'custody', 'write');
      // A discharge recorded while the device was out (or said on return) sends it for a check first.
      const due = input.discharged === true || (await checkDue(input.device));
      return change(
        actor,
        input.device,
        'return',
        (d) => {
          if (d.state !== 'issued' || !d.holder)
            throw new ConflictError(`Device ${d.serial} is not issued (it is ${d.state}).`, 'device_not_issued');
          if (input.officer && input.officer !== d.holder)
            throw new ConflictError(`Device ${d.serial} is held by ${d.holder}, not ${input.officer}.`, 'wrong_holder');
        },
        () => ({ state: input.fault ? 'faulty' : due ? 'needs_check' : 'in_armoury', holder: null, shift: null }),
        async (d) => ({
          officer: d.holder,
          shift: d.shift,
          callSign: d.shift && d.holder ? ((await ref.crewOf(d.shift, d.holder))?.callSign ?? null) : null,
          note: input.fault ? `fault: ${input.fault}` : due && !input.fault ? 'discharge: check due' : null,
          ...(input.discharged ? { discharged: true } : {}),
        }),
      );
    },

    async fault(actor: Actor, input: FaultInput): Promise<CustodyResult> {
      return simpleTransition(actor, input.device, 'fault', ['in_armoury', 'needs_check'], 'faulty', input.note);
    },

    /**
     * A discharge was recorded with a device (the use service's `onDischarge`): a device in the armoury goes to
     * `needs_check` now; one still issued goes to `needs_check` when it is returned (receive reads the uses);
     * one faulty or in repair is checked by its repair. Nothing happens when a check (or repair) is already
     * recorded after the use's instant. The recorder needs no custody right: this is the rule, not their act.
     */
    async dischargeRecorded(actor: Actor, use: UseRecord): Promise<CustodyResult | null> {
      const d = await state.device(use.device);
      if (!d || d.state !== 'in_armoury' || !(await checkDue(use.device))) return null;
      for (let attempt = 0; attempt < 2; attempt++) {
        const now = await state.device(use.device);
        if (!now || now.state !== 'in_armoury') return null;
        const done = await commit(
          actor,
          'needs_check',
          now,
          { state: 'needs_check', holder: null, shift: null },
          { officer: use.officer, shift: null, callSign: null, note: `discharge recorded (use ${use.id})` },
        );
        if (done) return done;
        await state.refreshDevice(use.device);
      }
      return null;
    },

    async repair(actor: Actor, input: RepairInput): Promise<CustodyResult> {
      const note = input.note ?? null;
      switch (input.action) {
        case 'send':
          return simpleTransition(actor, input.device, 'repair_sent', ['faulty'], 'in_repair', note);
        case 'complete':
          return simpleTransition(actor, input.device, 'repaired', ['faulty', 'in_repair'], 'in_armoury', note);
        case 'check':
          return simpleTransition(actor, input.device, 'checked', ['needs_check'], 'in_armoury', note);
        case 'retire':
          // Retiring takes a device out of service for good: the log says why (role first, then the request).
          requireRole(actor, 'custody', 'write');
          if (!input.note)
            throw new ValidationError('Give the reason for retiring the device.', {
              issues: [{ path: 'note', message: 'required to retire a device' }],
            });
          return simpleTransition(
            actor,
            input.device,
            'retired',
            ['faulty', 'in_repair', 'in_armoury', 'needs_check'],
            'retired',
            note,
          );
      }
    },

    /**
     * An edit of a device's serviceability or station (PATCH /devices): refused while it is issued, and
     * recorded in the custody log like any other change, so the board hears of it.
     */
    async edit(
      actor: Actor,
      serial: string,
      to: DeviceState,
      placement?: Pick<Device, 'force' | 'bcu' | 'borough' | 'station'>,
    ): Promise<CustodyResult> {
      const kind = (from: DeviceState): CustodyKind =>
        placement && from === to
          ? 'transferred'
          : to === 'faulty'
            ? 'fault'
            : to === 'in_repair'
              ? 'repair_sent'
              : to === 'retired'
                ? 'retired'
                : 'repaired';
      const current = await loadDevice(actor, serial);
      return change(
        actor,
        serial,
        kind(current.state),
        (d) => notIssued(d, serial),
        () => ({ state: to, holder: null, shift: null }),
        () => ({ officer: null, shift: null, callSign: null, note: 'edited' }),
        placement,
      );
    },

    /**
     * Brings device documents in line with the custody log after a crash between a serviceability record
     * and its document write (the log wins). Run once at start, after the read model is loaded.
     */
    async repairDocuments(): Promise<number> {
      let fixed = 0;
      for (const doc of (await ref.devices.all()).values()) {
        const live = state.overlay(doc);
        if (live.version > 0 && live.state !== 'issued' && live.state !== doc.state) {
          await repos.devices.update(doc.serial, { state: live.state });
          fixed += 1;
        }
      }
      return fixed;
    },

    /** The audit trail within the actor's scope, newest first. */
    async events(actor: Actor, q: CustodyEventQuery) {
      requireRole(actor, 'custody', 'read');
      const { page, pageSize, device, officer, shift, ...where } = q;
      const filter = await scopedFilter(repos, actor, where);
      if (device) filter.device = device;
      if (officer) filter.officer = officer;
      if (shift) filter.shift = shift;
      return liveLogRepository.custodyEvents(filter, page, pageSize);
    },
  };
}
export type CustodyService = ReturnType<typeof createCustodyService>;
