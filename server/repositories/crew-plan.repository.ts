import { CrewPlanModel, PlanTransitionModel, PublishedCrewModel } from '../models/crew-plan.model.js';
import type { DroppedCrew, PlanHeadline } from '../../shared/schemas/crew-plan.schema.js';
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
    await PublishedCrewModel.deleteMany({ shift: { $in: shifts } });
    if (crews.length) await PublishedCrewModel.insertMany(crews);
    notifyWrite('published_crew');
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
  /** The policy's name, kept beside the scenario so a list need not read the scenario. */
  policyName?: string | null;
  /** The plan's headline figures, kept beside the plan so a list need not read the plan. */
  stats?: PlanHeadline | null;
  /** For an amendment: the first published plan of the chain, and n of "amendment n". */
  amends?: string | null;
  amendment?: number | null;
  /** Locks and previous crews a re-solve or import left out (see DroppedCrewSchema). */
  dropped?: DroppedCrew[];
};

/** The fields of a plan a list shows: never the scenario or the plan. */
export const SUMMARY_FIELDS = [
  'id',
  'force',
  'bcu',
  'borough',
  'station',
  'unit',
  'from',
  'to',
  'status',
  'startedAt',
  'createdBy',
  'policyName',
  'revision',
  'basedOn',
  'amends',
  'amendment',
  'publishedBy',
  'publishedAt',
  'supersededBy',
  'stats',
  'progress',
  'error',
] as const;
export type CrewPlanSummaryRecord = Pick<CrewPlanRecord, (typeof SUMMARY_FIELDS)[number]>;
const SUMMARY_PROJECTION = Object.fromEntries([['_id', 0], ...SUMMARY_FIELDS.map((f) => [f, 1])]) as Record<
  string,
  0 | 1
>;

const base = createRepository<CrewPlanRecord>(CrewPlanModel, 'id', 'plan');
export const crewPlanRepository = {
  ...base,
  /** A page of plans with only the summary fields: the store never sends the scenario or the plan. */
  async summaries(
    filter: Filter,
    page: number,
    pageSize: number,
  ): Promise<{ items: CrewPlanSummaryRecord[]; page: number; pageSize: number; total: number }> {
    const [items, total] = await Promise.all([
      CrewPlanModel.find(filter, SUMMARY_PROJECTION)
        .sort({ startedAt: -1, id: 1 })
        .skip((page - 1) * pageSize)
        .limit(pageSize)
        .lean<CrewPlanSummaryRecord[]>(),
      CrewPlanModel.countDocuments(filter),
    ]);
    return { items, page, pageSize, total };
  },
  /** Writes a solve's progress while the plan is still solving; false when it no longer is (cancelled). */
  async setProgress(id: string, progress: unknown): Promise<boolean> {
    const r = await CrewPlanModel.updateOne({ id, status: 'solving' }, { $set: { progress } });
    return r.matchedCount === 1;
  },
  /** The number of amendments of a published plan chain so far. */
  async amendmentsOf(root: string): Promise<number> {
    return CrewPlanModel.countDocuments({ amends: root });
  },
};

const isUnique = (e: unknown): boolean => {
  const { code, message } = (e ?? {}) as { code?: unknown; message?: unknown };
  return code === 11000 || /UNIQUE constraint failed|duplicate key/i.test(typeof message === 'string' ? message : '');
};

/** True for exactly one caller per plan and status: the right to move the plan out of `from`. */
export async function claimPlanTransition(plan: string, from: string, by: string): Promise<boolean> {
  try {
    await PlanTransitionModel.create({ _id: `${plan}:${from}`, at: new Date(), by });
    return true;
  } catch (e) {
    if (isUnique(e)) return false;
    throw e;
  }
}
