import { isAuthorisedUntil } from './authorisation.js';

export type CarrierKind = 'regular' | 'student' | 'special';

/** The facts about an officer that decide whether they may carry. */
export type CarrierFacts = {
  kind: CarrierKind;
  taser: {
    lastTrained: string;
    models: readonly string[];
    endorsed: boolean;
    suspended: boolean;
    volunteer?: boolean;
  } | null;
};

/** The policy settings that decide who may carry. */
export type CarryPolicy = {
  authorisationMonths: number;
  studentOfficersMayCarry: boolean;
  specialsMayCarry: boolean;
};

export type IneligibleReason =
  | 'no_authorisation'
  | 'not_volunteer'
  | 'suspended'
  | 'authorisation_lapsed'
  | 'student_not_allowed'
  | 'student_not_endorsed'
  | 'special_not_allowed'
  | 'special_not_endorsed';

/**
 * Why an officer may not carry on a shift ending at `shiftEndMs`, or null when they may.
 * Students and specials need both the force setting and a personal endorsement.
 */
export function carryIneligibility(
  officer: CarrierFacts,
  policy: CarryPolicy,
  shiftEndMs: number,
  zone: string,
): IneligibleReason | null {
  const t = officer.taser;
  if (t === null) return 'no_authorisation';
  if (t.volunteer === false) return 'not_volunteer';
  if (t.suspended) return 'suspended';
  if (officer.kind === 'student') {
    if (!policy.studentOfficersMayCarry) return 'student_not_allowed';
    if (!t.endorsed) return 'student_not_endorsed';
  }
  if (officer.kind === 'special') {
    if (!policy.specialsMayCarry) return 'special_not_allowed';
    if (!t.endorsed) return 'special_not_endorsed';
  }
  if (!isAuthorisedUntil(t.lastTrained, policy.authorisationMonths, shiftEndMs, zone)) return 'authorisation_lapsed';
  return null;
}

/** True when the officer may carry on a shift ending at `shiftEndMs` (any model). */
export function mayCarry(officer: CarrierFacts, policy: CarryPolicy, shiftEndMs: number, zone: string): boolean {
  return carryIneligibility(officer, policy, shiftEndMs, zone) === null;
}

/** True when the officer may carry a device of `model` on that shift. */
export function mayCarryModel(
  officer: CarrierFacts,
  model: string,
  policy: CarryPolicy,
  shiftEndMs: number,
  zone: string,
): boolean {
  return mayCarry(officer, policy, shiftEndMs, zone) && (officer.taser?.models.includes(model) ?? false);
}
