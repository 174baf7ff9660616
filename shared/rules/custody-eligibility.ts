import type { DeviceModel } from '../schemas/common.schema.js';
import type { Officer } from '../schemas/officer.schema.js';
import { LONDON } from '../time/zone.js';
import { carryIneligibility, type CarryPolicy, type IneligibleReason } from './eligibility.js';

/** The armoury's refusal ids: the planner's eligibility rule, named as the issue API reports it. */
export type CustodyRefusal =
  | 'officer_not_authorised'
  | 'officer_suspended'
  | 'authorisation_lapsed'
  | 'model_not_authorised'
  | 'officer_kind_not_permitted';

export type CustodyPolicy = CarryPolicy;

const REFUSAL: Record<IneligibleReason, CustodyRefusal> = {
  no_authorisation: 'officer_not_authorised',
  not_volunteer: 'officer_not_authorised',
  suspended: 'officer_suspended',
  authorisation_lapsed: 'authorisation_lapsed',
  student_not_allowed: 'officer_kind_not_permitted',
  student_not_endorsed: 'officer_kind_not_permitted',
  special_not_allowed: 'officer_kind_not_permitted',
  special_not_endorsed: 'officer_kind_not_permitted',
};

/**
 * Why an officer may not be issued a device of `model` for a shift ending at `shiftEnd` (ISO instant),
 * or null when they may: the same rule the solver plans with (shared/rules/eligibility.ts). Being on duty
 * and holding no other device are checked by the caller; `policy` is the force's (its stored settings).
 */
export function custodyRefusal(
  officer: Pick<Officer, 'kind' | 'taser'>,
  model: DeviceModel,
  shiftEnd: string,
  policy: CustodyPolicy,
): CustodyRefusal | null {
  const reason = carryIneligibility(officer, policy, Date.parse(shiftEnd), LONDON);
  if (reason) return REFUSAL[reason];
  return officer.taser?.models.includes(model) ? null : 'model_not_authorised';
}
