import { CrewPlanModel, PlanTransitionModel, PublishedCrewModel } from '../models/crew-plan.model.js';
import { isDuplicateKey } from '../db/store-errors.js';
import { storeHealth } from '../db/store-health.js';
import { createRepository, notifyWrite, type Filter } from './base.repository.js';

const HIDDEN = { _id: 0, createdAt: 0, updatedAt: 0 } as const;

export type PublishedCrew = {
  plan: string;
  shift: string;
  force: string;
  bcu: string;
  borough: string;
  station: string;
  /** Shift start and end, UTC instants. */
  start: string;
  end: string;
  /** A unit's call sign for the shift, e.g. `BR-N-07`. */
  callSign: string;
  members: string[];
  carriers: { officer: string; device: string }[];
};

/** Published crews: what the control room and the armoury work from on the day. */
export const publishedCrewRepository = {
  async find(filter: Filter): Promise<PublishedCrew[]> {
    return PublishedCrewModel.find(filter, HIDDEN).sort({ shift: 1, callSign: 1 }).lean<PublishedCrew[]>();
  },
  /** Replaces the published crews of the given shifts with those of a newly published plan. */
  async replaceForShifts(shifts: string[], crews: PublishedCrew[]): Promise<void> {
    try {
      await storeHealth.write(async () => {
        await PublishedCrewModel.deleteMany({ shift: { $in: shifts } });
        if (crews.length) await PublishedCrewModel.insertMany(crews);
      });
    } finally {
      notifyWrite('published_crew');
    }
  },
};

/** A crew plan as stored: the scenario it was solved from, the plan, and its life cycle. */
export type CrewPlanRecord = {
  id: string;
  force: string;
  bcu: string;
  borough?: string;
  station?: string;
  unit: { level: 'station' | 'borough' | 'bcu'; id: string };
  from: string;
  to: string;
  status: 'solving' | 'draft' | 'published' | 'superseded' | 'failed' | 'cancelled';
  /** When the solve job was started (by whichever server runs it). */
  startedAt: Date;
  progress: unknown;
  error: { id: string; message: string } | null;
  scenario: unknown;
  plan: unknown;
  locks: unknown[];
  basedOn: string | null;
  createdBy: string;
  publishedBy: string | null;
  publishedAt: Date | null;
  publishReason: string | null;
  supersededBy?: string | null;
  revision: number;
};

export const crewPlanRepository = createRepository<CrewPlanRecord>(CrewPlanModel, 'id', 'plan');

/** True for exactly one caller per plan and status: the right to move the plan out of `from`. */
export async function claimPlanTransition(plan: string, from: string, by: string): Promise<boolean> {
  const _id = `${plan}:${from}`;
  const at = new Date();
  return storeHealth.write(
    async () => {
      try {
        await PlanTransitionModel.create({ _id, at, by });
        return true;
      } catch (e) {
        if (isDuplicateKey(e)) return false;
        throw e;
      }
    },
    // Outcome unknown: undone at recovery if the stored claim is this very one.
    { what: `plan transition ${_id}`, run: () => PlanTransitionModel.deleteOne({ _id, at, by }).then(() => undefined) },
  );
}
