import { carrierEligibility } from './carrier-eligibility.js';
import { crewFormation } from './crew-formation.js';
import { deviceIssue } from './device-issue.js';
import { legacyPairs } from './legacy-pairs.js';
import { lockedCrews } from './locked-crews.js';
import { pairsWithoutCarrier } from './pairs-without-carrier.js';
import { previousPlan } from './previous-plan.js';
import { fewestSingles } from './singles.js';
import { singleCrew } from './single-crew.js';
import { studentPartner } from './student-partner.js';
import type { ModelRule } from './types.js';
import { fewestUnassigned } from './unassigned.js';

/** Every rule that enters the CP-SAT model, in the order they are applied. */
export const MODEL_RULES: readonly ModelRule[] = [
  crewFormation,
  carrierEligibility,
  deviceIssue,
  singleCrew,
  studentPartner,
  legacyPairs,
  fewestUnassigned,
  pairsWithoutCarrier,
  fewestSingles,
  lockedCrews,
  previousPlan,
];
