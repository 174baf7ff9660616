import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { can } from '../../shared/auth/permissions.js';
import type { Page } from '../../shared/schemas/common.schema.js';
import type {
  Reconciliation,
  ReconciliationQuery,
  UseInput,
  UsePatch,
  UseQuery,
  UseRecord,
  UseReview,
  UseVersion,
} from '../../shared/schemas/taser-use.schema.js';
import type { Actor } from '../../shared/schemas/user.schema.js';
import { isDischarge, quarterOf } from '../../shared/rules/taser-use.js';
import { LONDON } from '../../shared/time/zone.js';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { log } from '../logger.js';
import type { Repositories } from '../repositories/index.js';
import type { TaserUseRepository } from '../repositories/taser-use.repository.js';
import { requireRole, requireScope, scopedFilter } from './access.js';

/** Told of a use recorded (or edited) as a discharge: the device must be checked before it is issued again. */
export type DischargeHook = (actor: Actor, use: UseRecord) => Promise<void>;

/** A use the rules refuse: 422 with a stable id (a malformed request is a 400 from the schema instead). */
const refuse = (message: string, id: string, details?: unknown): never => {
  throw new AppError(422, id, message, details);
};

/** The instant of a local date and time in London (a time skipped by the spring change reads an hour on). */
const instantOf = (date: string, time: string): string =>
  DateTime.fromISO(`${date}T${time}`, { zone: LONDON }).toUTC().toISO({ suppressMilliseconds: false })!;

/** Cartridges are counted for a discharge and only for a discharge. */
function checkCartridges(r: Pick<UseRecord, 'highest' | 'cartridges'>): void {
  if (isDischarge(r.highest) && r.cartridges === undefined)
    refuse('Say how many cartridges were fired (or contacts made) for a discharge.', 'cartridges_required', {
      path: 'cartridges',
    });
  if (!isDischarge(r.highest) && r.cartridges !== undefined)
    refuse(
      `Cartridges are counted only for a discharge, not for ${r.highest.replace(/_/g, ' ')}.`,
      'cartridges_not_applicable',
      {
        path: 'cartridges',
      },
    );
}

/**
 * Recording Taser use (issue 11): one record per officer per subject per incident, at the highest use, on the
 * device the officer held then (checked against the custody log). Supervisors record on an officer's behalf
 * (officers have no login in the demo), review and reopen; every change is a new version in the record's
 * history. A discharge sends the device for a check before it can be issued again (`onDischarge`).
 */
export function createTaserUseService(
  repos: Repositories,
  uses: TaserUseRepository,
  deps: {
    clock: () => Date;
    onDischarge?: DischargeHook;
    /** When a device was last checked (or repaired) after a discharge, null when never: the live read model's. */
    lastCheck: (serial: string) => Promise<string | null>;
  },
) {
  const load = async (actor: Actor, id: string): Promise<UseRecord> => {
    const r = await uses.get(id);
    if (!r) throw new NotFoundError(`There is no use record ${id}.`, 'use_not_found');
    requireScope(actor, r);
    return r;
  };

  /** Checks the device against the custody log at the use's instant; a supervisor may record an exception. */
  const custodyAt = async (
    actor: Actor,
    r: Pick<UseRecord, 'officer' | 'device' | 'at'>,
    exceptionReason: string | undefined,
  ): Promise<{ shift: string | null; callSign: string | null; exception: boolean }> => {
    const held = await uses.heldAt(r.device, r.at);
    if (held && held.state === 'issued' && held.holder === r.officer)
      return { shift: held.shift, callSign: held.callSign, exception: false };
    if (exceptionReason !== undefined && can(actor.role, 'use_reviews', 'write'))
      return { shift: null, callSign: null, exception: true };
    const who = held?.state === 'issued' && held.holder ? `was held by ${held.holder}` : 'was not issued to anyone';
    return refuse(
      `${r.officer} did not hold ${r.device} at that time (it ${who}). Check the device and the time, or record ` +
        'it as an exception with a reason.',
      'device_not_held',
      { device: r.device, officer: r.officer, heldBy: held?.state === 'issued' ? held.holder : null },
    );
  };

  const notInFuture = (at: string): void => {
    if (at > deps.clock().toISOString())
      refuse('A use cannot be recorded for a time still to come.', 'use_in_future', { path: 'time' });
  };

  const save = async (
    actor: Actor,
    record: UseRecord,
    action: UseVersion['action'],
    note: string | null,
    before?: UseRecord,
  ): Promise<UseRecord> => {
    await uses.write({
      version: record.version,
      action,
      by: actor.username,
      at: deps.clock().toISOString(),
      note,
      record,
    });
    if (isDischarge(record.highest) && !(before && isDischarge(before.highest) && before.device === record.device))
      try {
        await deps.onDischarge?.(actor, record);
      } catch (e) {
        // The use is stored: the device is still sent for a check when it is returned, and the reconciliation
        // lists the discharge until a check is recorded.
        log.error(`use ${record.id}: device ${record.device} not marked for a check now (${String(e)})`);
      }
    return record;
  };

  return {
    async record(actor: Actor, input: UseInput): Promise<UseRecord> {
      requireRole(actor, 'uses', 'write');
      const officer = await repos.officers.get(input.officer);
      if (!officer)
        throw new ValidationError(`There is no officer ${input.officer}.`, { path: 'officer' }, 'unknown_officer');
      requireScope(actor, officer);
      if (!(await repos.devices.get(input.device)))
        throw new ValidationError(`There is no device ${input.device}.`, { path: 'device' }, 'unknown_device');
      checkCartridges(input);
      const at = instantOf(input.date, input.time);
      notInFuture(at);
      const existing = await uses.bySubject(
        `${input.subjectRef.incident}|${input.subjectRef.subject}|${input.officer}`,
      );
      if (existing)
        throw new ConflictError(
          `This officer's use on subject ${input.subjectRef.subject} of incident ${input.subjectRef.incident} is already ` +
            'recorded: edit that record to the highest use instead.',
          'use_already_recorded',
          { id: existing.id },
        );
      const custody = await custodyAt(actor, { ...input, at }, input.exceptionReason);
      const { exceptionReason, ...fields } = input;
      const record: UseRecord = {
        ...fields,
        ...(custody.exception ? { exceptionReason } : {}),
        id: randomUUID(),
        at,
        zone: LONDON,
        shift: custody.shift,
        callSign: custody.callSign,
        exception: custody.exception,
        force: officer.force,
        bcu: officer.bcu,
        borough: officer.borough,
        station: officer.station,
        quarter: quarterOf(at),
        status: 'submitted',
        recordedBy: actor.username,
        reviewedBy: null,
        reviewNote: null,
        version: 1,
      };
      return save(actor, record, 'recorded', null);
    },

    async edit(actor: Actor, id: string, patch: UsePatch): Promise<UseRecord> {
      requireRole(actor, 'uses', 'write');
      const before = await load(actor, id);
      if (before.status === 'reviewed')
        throw new ConflictError(
          'This use has been reviewed: a supervisor must reopen it before it is changed.',
          'use_reviewed',
        );
      const next: UseRecord = { ...before, ...patch, version: before.version + 1 };
      if (patch.highest && !isDischarge(patch.highest) && patch.cartridges === undefined) delete next.cartridges;
      checkCartridges(next);
      next.at = instantOf(next.date, next.time);
      notInFuture(next.at);
      next.quarter = quarterOf(next.at);
      if (next.at !== before.at && !before.exception) {
        const custody = await custodyAt(actor, next, undefined);
        next.shift = custody.shift;
        next.callSign = custody.callSign;
      }
      return save(actor, next, 'edited', null, before);
    },

    async review(actor: Actor, id: string, input: UseReview): Promise<UseRecord> {
      requireRole(actor, 'use_reviews', 'write');
      const before = await load(actor, id);
      if (before.status === 'reviewed')
        throw new ConflictError('This use is already reviewed.', 'use_already_reviewed');
      const next: UseRecord = {
        ...before,
        status: 'reviewed',
        reviewedBy: actor.username,
        reviewNote: input.note ?? null,
        version: before.version + 1,
      };
      return save(actor, next, 'reviewed', input.note ?? null, before);
    },

    async reopen(actor: Actor, id: string, input: UseReview): Promise<UseRecord> {
      requireRole(actor, 'use_reviews', 'write');
      const before = await load(actor, id);
      if (!input.note) throw new ValidationError('Say why the record is reopened.', { path: 'note' }, 'note_required');
      if (before.status !== 'reviewed')
        throw new ConflictError('Only a reviewed use can be reopened; this one is still open.', 'use_not_reviewed');
      const next: UseRecord = { ...before, status: 'reopened', reviewNote: input.note, version: before.version + 1 };
      return save(actor, next, 'reopened', input.note, before);
    },

    async get(actor: Actor, id: string): Promise<{ use: UseRecord; history: UseVersion[] }> {
      requireRole(actor, 'uses', 'read');
      const use = await load(actor, id);
      return { use, history: await uses.history(id) };
    },

    /**
     * What the borough lead must chase: discharges with no device check recorded since, and devices returned
     * as discharged with no use recorded by their holder with them in that custody period (issue to return).
     */
    async reconciliation(actor: Actor, q: ReconciliationQuery): Promise<Reconciliation> {
      requireRole(actor, 'uses', 'read');
      const filter = await scopedFilter(repos, actor, q);
      const uncheckedDischarges: Reconciliation['uncheckedDischarges'] = [];
      for (const u of await uses.discharges(filter)) {
        const lastCheck = await deps.lastCheck(u.device);
        if (lastCheck && lastCheck > u.at) continue;
        uncheckedDischarges.push({
          use: u.id,
          officer: u.officer,
          device: u.device,
          at: u.at,
          highest: u.highest,
          borough: u.borough,
          station: u.station,
          lastCheck,
        });
      }
      const dischargedReturnsWithoutUse: Reconciliation['dischargedReturnsWithoutUse'] = [];
      for (const r of await uses.dischargedReturns(filter)) {
        const issuedAt = await uses.issuedBefore(r.device, r.version);
        const recorded = r.officer ? await uses.usesIn(r.officer, r.device, issuedAt ?? '', r.at) : [];
        if (recorded.length > 0) continue;
        dischargedReturnsWithoutUse.push({
          device: r.device,
          officer: r.officer,
          issuedAt,
          returnedAt: r.at,
          borough: r.borough,
          station: r.station,
        });
      }
      return { uncheckedDischarges, dischargedReturnsWithoutUse };
    },

    async list(actor: Actor, q: UseQuery): Promise<Page<UseRecord>> {
      requireRole(actor, 'uses', 'read');
      const filter = await scopedFilter(repos, actor, { bcu: q.bcu, borough: q.borough, station: q.station });
      if (q.officer) filter.officer = q.officer;
      if (q.quarter) filter.quarter = q.quarter;
      if (q.status) filter.status = q.status;
      return uses.list(filter, q.page, q.pageSize);
    },
  };
}
export type TaserUseService = ReturnType<typeof createTaserUseService>;
