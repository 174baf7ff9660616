import { DateTime } from 'luxon';
import type { DeviceModel } from '../schemas/common.schema.js';
import type { Officer } from '../schemas/officer.schema.js';
import { LONDON } from '../time/zone.js';

/**
 * Interim copy of the authorisation-expiry rule (DESIGN.md §4) for the armoury; the planner branch has
 * its own in shared/rules/, and the two should become one.
 * The authorisation expires at 00:00 local time on the date `months` calendar months after `lastTrained`.
 */
export function custodyAuthorisationExpiry(lastTrained: string, months = 12, zone = LONDON): DateTime {
  return DateTime.fromISO(lastTrained, { zone }).startOf('day').plus({ months });
}

export type CustodyRefusal =
  | 'officer_not_authorised'
  | 'officer_suspended'
  | 'authorisation_lapsed'
  | 'model_not_authorised'
  | 'officer_kind_not_permitted';

export type CustodyPolicy = {
  authorisationMonths: number;
  studentOfficersMayCarry: boolean;
  specialsMayCarry: boolean;
};
export const DEFAULT_CUSTODY_POLICY: CustodyPolicy = {
  authorisationMonths: 12,
  studentOfficersMayCarry: false,
  specialsMayCarry: false,
};

/**
 * Why an officer may not be issued a device of `model` for a shift ending at `shiftEnd` (ISO instant),
 * or null when they may. Being on duty and holding no other device are checked by the caller.
 */
export function custodyRefusal(
  officer: Pick<Officer, 'kind' | 'taser'>,
  model: DeviceModel,
  shiftEnd: string,
  policy: CustodyPolicy = DEFAULT_CUSTODY_POLICY,
): CustodyRefusal | null {
  const t = officer.taser;
  if (!t || !t.volunteer) return 'officer_not_authorised';
  if (t.suspended) return 'officer_suspended';
  if (officer.kind === 'student' && !(policy.studentOfficersMayCarry && t.endorsed))
    return 'officer_kind_not_permitted';
  if (officer.kind === 'special' && !(policy.specialsMayCarry && t.endorsed)) return 'officer_kind_not_permitted';
  const expiry = custodyAuthorisationExpiry(t.lastTrained, policy.authorisationMonths);
  if (DateTime.fromISO(shiftEnd, { setZone: true }) > expiry) return 'authorisation_lapsed';
  if (!t.models.includes(model)) return 'model_not_authorised';
  return null;
}
