import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type {
  CreatePlan,
  CrewLock,
  CrewPlanView,
  DroppedCrew,
  PlanDiff,
  PlanHeadline,
  PlanProgress,
  PlanStatus,
  PlanSummary,
  PlanSummaryPage,
  PlanUnit,
} from '../../shared/schemas/crew-plan.schema.js';
import type { Plan } from '../../shared/schemas/plan.schema.js';
import {
  CrewSpecSchema,
  crewIndexOf,
  crewSpecProblems,
  parseScenario,
  type CrewSpec,
  type Scenario,
  type ScenarioInput,
} from '../../shared/schemas/scenario.schema.js';
import { inScope } from '../../shared/auth/permissions.js';
import type { Actor } from '../../shared/schemas/user.schema.js';
import { LONDON } from '../../shared/time/zone.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import { log } from '../logger.js';
import type { Filter } from '../repositories/base.repository.js';
import {
  claimPlanTransition,
  releasePlanTransition,
  crewPlanRepository as plans,
  pageOfSummaries,
  publishedCrewRepository,
  type CrewPlanRecord,
  type CrewPlanSummaryRecord,
  type PublishedCrew,
} from '../repositories/crew-plan.repository.js';
import type { NewEvent } from '../live/read-model.js';
import type { Repositories } from '../repositories/index.js';
import { requireRole, requireScope, scopedFilter } from './access.js';
import type { ForceSettingsReader } from './force-settings.service.js';
import { buildScenario } from './scenario-builder.service.js';
import { placementOfScope } from './user.service.js';

export type SolveHandle = { promise: Promise<Plan>; cancel: () => void };
/** Runs a solve off the event loop (the solver's worker runner); injected so the service has no solver import. */
export type SolveRunner = (
  scenario: ScenarioInput,
  opts: { onProgress: (p: unknown) => void; timeLimitSeconds: number; suggestionBudgetSeconds?: number },
) => SolveHandle;
/** Validates a scenario the way the solver will, throwing with the field named. */
export type ScenarioValidator = (input: unknown) => Scenario;

/** Publishes a committed domain event to the live side (other instances, then the local bus). */
export type EventPublisher = (event: NewEvent) => Promise<void>;

export type { CrewPlanView };

export const headlineOf = (plan: unknown): PlanHeadline | null => {
  const st = (plan as Plan | null)?.stats;
  return st
    ? {
        crews: st.crews,
        pairs: st.pairs,
        pairsWithoutCarrier: st.pairsWithoutCarrier,
        unassigned: st.unassigned,
        taserCrews: st.taserCrews,
      }
    : null;
};
const iso = (d: Date | string | null | undefined): string | null =>
  d == null ? null : d instanceof Date ? d.toISOString() : d;

/** The fields of a plan that may be unset: a list row leaves them out, the plan view shows them as null. */
const optionalFields = (p: CrewPlanSummaryRecord) => ({
  basedOn: p.basedOn ?? null,
  amends: p.amends ?? null,
  amendment: p.amendment ?? null,
  publishedBy: p.publishedBy ?? null,
  publishedAt: iso(p.publishedAt),
  supersededBy: p.supersededBy ?? null,
  progress: (p.progress as PlanProgress | null) ?? null,
  error: p.error ?? null,
});

/** A list row: what PlanSummarySchema describes (unset optional fields left out). */
const summaryOf = (p: CrewPlanSummaryRecord, unitName: string | null = null): PlanSummary => ({
  id: p.id,
  unit: { level: p.unit.level, id: p.unit.id },
  unitName,
  from: p.from,
  to: p.to,
  status: p.status,
  createdAt: iso(p.startedAt)!,
  createdBy: p.createdBy,
  policy: p.policyName ?? null,
  revision: p.revision ?? 0,
  stats: p.stats ?? null,
  ...Object.fromEntries(Object.entries(optionalFields(p)).filter(([, v]) => v !== null)),
});

/** What `GET /plans/:id` shows (CrewPlanViewSchema): everything but the (large) scenario. */
export const view = (p: CrewPlanRecord, unitName: string | null = null): CrewPlanView => ({
  ...summaryOf(
    {
      ...p,
      policyName: p.policyName ?? (p.scenario as Scenario | null)?.policy?.name ?? null,
      stats: p.stats ?? headlineOf(p.plan),
    },
    unitName,
  ),
  startedAt: iso(p.startedAt)!,
  ...optionalFields(p),
  force: p.force,
  bcu: p.bcu,
  ...(p.borough ? { borough: p.borough } : {}),
  ...(p.station ? { station: p.station } : {}),
  plan: (p.plan as Plan | null) ?? null,
  locks: (p.locks ?? []) as CrewLock[],
  dropped: p.dropped ?? [],
  publishReason: p.publishReason ?? null,
});

/** A solve this process runs: started (record being written), running in the worker, or saving its result. */
type Job = {
  handle: SolveHandle | null;
  state: 'starting' | 'running' | 'saving';
  cancelRequested: boolean;
  /** Settles once the job's ending is written (or it gave way to a cancel). */
  done: Promise<void>;
};

const crewKey = (c: { shift: string; members: string[] }) => `${c.shift}:${[...c.members].sort().join('+')}`;
const fullKey = (c: { shift: string; members: string[]; carriers: { officer: string; device: string }[] }) =>
  `${crewKey(c)}|${c.carriers
    .map((k) => `${k.officer}=${k.device}`)
    .sort()
    .join(',')}`;

/** A plan id: 12 URL-safe characters (72 random bits), short enough for list rows and URLs. */
const newPlanId = (): string => randomBytes(9).toString('base64url');

const PROGRESS_EVERY_MS = 500;
/** Each solve is capped at this; the worker runs them one at a time. */
const SOLVE_TIME_LIMIT_S = 60;
/**
 * A plan still `solving` this long after it started has lost its worker (the server that ran it stopped).
 * Only then is it marked failed, so another instance's running solves are never touched.
 */
export const ABANDONED_AFTER_MS = 10 * 60_000;

/**
 * Crew plans: a solve job per plan, run in a worker; drafts that a planner locks, re-solves with minimal
 * change, amends and publishes. Published plans are kept (superseded, never deleted), with who and when.
 */
export function createCrewPlanService(
  repos: Repositories,
  runSolve: SolveRunner,
  validate: ScenarioValidator,
  settings: ForceSettingsReader,
  publishEvent: EventPublisher = () => Promise.resolve(),
  /** Every plan's summary in the list's order, from memory (reference cache); without it lists ask the store. */
  summaries?: () => Promise<readonly CrewPlanSummaryRecord[]>,
) {
  const jobs = new Map<string, Job>();
  // Writes to one plan from this process run one after another: FerretDB v1 updates are not isolated,
  // so a late progress write could otherwise land on top of the result.
  const queues = new Map<string, Promise<unknown>>();
  const inOrder = <T>(id: string, write: () => Promise<T> | T): Promise<T> => {
    const next = (queues.get(id) ?? Promise.resolve()).then(write);
    const settled = next.catch(() => undefined);
    queues.set(id, settled);
    void settled.then(() => {
      if (queues.get(id) === settled) queues.delete(id);
    });
    return next;
  };

  /** A plan in the actor's scope; its (large) scenario only when `withScenario`, its plan unless `light`. */
  const load = async (actor: Actor, id: string, withScenario = false, light = false): Promise<CrewPlanRecord> => {
    const p = await plans.get(id, { ...(withScenario ? {} : { scenario: 0 }), ...(light ? { plan: 0 } : {}) });
    if (!p) throw new NotFoundError(`There is no plan ${id}.`, 'plan_not_found');
    requireScope(actor, p);
    return p;
  };

  /** Names of units (station, borough or BCU), for list rows. */
  const unitNames = async (units: PlanUnit[]): Promise<Map<string, string>> => {
    const ids = (level: PlanUnit['level']) => [...new Set(units.filter((u) => u.level === level).map((u) => u.id))];
    const [st, bo, bc] = await Promise.all([
      ids('station').length ? repos.stations.find({ id: { $in: ids('station') } }) : [],
      ids('borough').length ? repos.boroughs.find({ id: { $in: ids('borough') } }) : [],
      ids('bcu').length ? repos.bcus.find({ id: { $in: ids('bcu') } }) : [],
    ]);
    return new Map([
      ...st.map((x) => [`station:${x.id}`, x.name] as const),
      ...bo.map((x) => [`borough:${x.id}`, x.name] as const),
      ...bc.map((x) => [`bcu:${x.id}`, x.name] as const),
    ]);
  };
  const viewNamed = async (p: CrewPlanRecord): Promise<CrewPlanView> =>
    view(p, (await unitNames([p.unit])).get(`${p.unit.level}:${p.unit.id}`) ?? null);

  /** True when a plan's solve was left behind by a server that stopped (see ABANDONED_AFTER_MS). */
  const abandoned = (p: Pick<CrewPlanRecord, 'id' | 'status' | 'startedAt'>, now: Date) =>
    p.status === 'solving' && !jobs.has(p.id) && new Date(p.startedAt).getTime() < now.getTime() - ABANDONED_AFTER_MS;

  /** Marks an abandoned solve failed, once, whoever notices first. */
  const markInterrupted = async (id: string): Promise<void> => {
    if (await claimPlanTransition(id, 'solving', 'restart'))
      await plans.update(id, {
        status: 'failed',
        error: { id: 'interrupted_by_restart', message: 'The server running the solve stopped; solve again.' },
      });
  };

  const queued = (scenario: Scenario): PlanProgress => ({
    phase: 'queued',
    componentsDone: 0,
    componentsTotal: 0,
    shiftsDone: 0,
    shiftsTotal: scenario.shifts.length,
  });

  /** Saves a new plan in `solving` and starts its job; the job writes its result back conditionally. */
  const launch = async (
    actor: Actor,
    unit: PlanUnit,
    range: { from: string; to: string },
    scenario: Scenario,
    extra: Partial<CrewPlanRecord> = {},
  ): Promise<CrewPlanView> => {
    const where = await placementOfScope(repos, unit);
    const id = newPlanId();
    const record: CrewPlanRecord = {
      id,
      force: where.force ?? actor.force,
      bcu: where.bcu!,
      ...(where.borough ? { borough: where.borough } : {}),
      ...(where.station ? { station: where.station } : {}),
      unit,
      from: range.from,
      to: range.to,
      status: 'solving',
      startedAt: new Date(),
      progress: queued(scenario),
      error: null,
      scenario,
      plan: null,
      locks: scenario.locks ?? [],
      basedOn: null,
      createdBy: actor.username,
      publishedBy: null,
      publishedAt: null,
      publishReason: null,
      revision: 0,
      policyName: scenario.policy.name,
      stats: null,
      amends: null,
      amendment: null,
      dropped: [],
      ...extra,
    };
    let ended!: () => void;
    const job: Job = {
      handle: null,
      state: 'starting',
      cancelRequested: false,
      done: new Promise((ok) => (ended = ok)),
    };
    // Known here before the (large) record is written, so a cancel during the write finds the job.
    jobs.set(id, job);
    try {
      await plans.insertMany([record]);
    } catch (e) {
      jobs.delete(id);
      ended();
      throw e;
    }
    if (job.cancelRequested) {
      jobs.delete(id);
      ended();
      return viewNamed((await plans.get(id, { scenario: 0 })) ?? record);
    }
    let lastProgress = 0;
    const handle = runSolve(scenario, {
      timeLimitSeconds: SOLVE_TIME_LIMIT_S,
      onProgress: (p) => {
        const now = Date.now();
        const phase = (p as PlanProgress).phase;
        if (now - lastProgress < PROGRESS_EVERY_MS && phase !== 'modelling') return;
        lastProgress = now;
        void inOrder(id, async () => {
          if (job.state !== 'running' || job.cancelRequested) return;
          // Not solving any more: cancelled through another instance. Stop the worker here too.
          if (!(await plans.setProgress(id, p)) && job.state === 'running' && !job.cancelRequested) {
            job.cancelRequested = true;
            job.handle?.cancel();
          }
        });
      },
    });
    job.handle = handle;
    job.state = 'running';
    /** The job's own ending, unless a cancel already moved the plan on. */
    const finish = async (set: Partial<CrewPlanRecord>) => {
      if (job.cancelRequested) return;
      job.state = 'saving';
      if (!(await claimPlanTransition(id, 'solving', 'solver'))) return;
      await inOrder(id, () => plans.update(id, set));
    };
    handle.promise
      .then(
        (plan) => finish({ status: 'draft', plan, progress: null, stats: headlineOf(plan) }),
        (e: unknown) => {
          const err = e as { id?: string; message?: string };
          const cancelled = err?.id === 'solve_cancelled';
          if (!cancelled) log.error(`solve of plan ${id} failed`, { message: err?.message });
          return finish({
            status: cancelled ? 'cancelled' : 'failed',
            progress: null,
            error: { id: err?.id ?? 'solve_failed', message: err?.message ?? 'The solve failed.' },
          });
        },
      )
      .catch((e: unknown) => log.error(`could not save the result of plan ${id}`, { message: String(e) }))
      .finally(() => {
        jobs.delete(id);
        ended();
      });
    return viewNamed(record);
  };

  const checkLocks = (scenario: Scenario, locks: CrewLock[]): void => {
    const shifts = new Set(scenario.shifts.map((s) => s.id));
    const onShift = new Map(scenario.officers.map((o) => [o.id, new Set(o.shifts)]));
    locks.forEach((l, i) => {
      if (!shifts.has(l.shift))
        throw new ValidationError(
          `locks.${i}.shift: shift ${l.shift} is not in this plan.`,
          { path: `locks.${i}.shift` },
          'invalid_lock',
        );
      for (const m of l.members)
        if (!onShift.get(m)?.has(l.shift))
          throw new ValidationError(
            `locks.${i}.members: ${m} is not on duty on ${l.shift}.`,
            { path: `locks.${i}.members` },
            'invalid_lock',
          );
      for (const c of l.carriers ?? [])
        if (!l.members.includes(c.officer))
          throw new ValidationError(
            `locks.${i}.carriers: ${c.officer} is not in the crew.`,
            { path: `locks.${i}.carriers` },
            'invalid_lock',
          );
    });
  };

  /**
   * The re-solve rule: the locks and previous crews that can still be formed in `scenario` (today's data),
   * and those that cannot, each with why. A member absent, gone, moved to another shift, or a shift no
   * longer worked drops the crew; a device gone, moved or not serviceable drops only the device (a lock
   * keeps its crew and carrier, a previous crew its carrier).
   */
  const reconcile = async (
    scenario: Scenario,
    locks: CrewSpec[],
    previous: CrewSpec[],
  ): Promise<{ locks: CrewSpec[]; previous: CrewSpec[]; dropped: DroppedCrew[] }> => {
    const ix = crewIndexOf(scenario);
    const serviceable = new Map(scenario.devices.map((d) => [d.serial, d.serviceable]));
    const shiftStart = new Map(scenario.shifts.map((s) => [s.id, s.start]));
    const missing = new Set<string>();
    for (const c of [...locks, ...previous])
      for (const m of c.members) if (!ix.officers.get(m)?.has(c.shift)) missing.add(m);
    const absences = missing.size ? await repos.abstractions.find({ officer: { $in: [...missing] } }) : [];
    const onBooks = missing.size ? await repos.officers.find({ collar: { $in: [...missing] } }) : [];
    const dateOf = (shift: string): string | null => {
      const start = shiftStart.get(shift);
      if (start) return DateTime.fromISO(start, { zone: LONDON }).toISODate();
      const m = /(\d{4}-\d{2}-\d{2})/.exec(shift);
      return m ? m[1]! : null;
    };
    const whyAway = (m: string, shift: string): string => {
      const day = dateOf(shift);
      const a = absences.find((x) => x.officer === m && day !== null && x.from <= day && x.to >= day);
      if (a) return `${m} is absent (${a.kind} ${a.from} to ${a.to})`;
      if (!onBooks.some((o) => o.collar === m)) return `${m} is no longer on the force's books`;
      return `${m} is no longer on duty on ${shift}`;
    };
    const dropped: DroppedCrew[] = [];
    const check = (kind: 'lock' | 'previous', c: CrewSpec): CrewSpec | null => {
      const problems = crewSpecProblems(ix, c);
      const crewProblem = problems.find((p) => p.path[0] !== 'carriers' || p.path[2] !== 'device');
      if (crewProblem) {
        const reason =
          crewProblem.path[0] === 'shift'
            ? `shift ${c.shift} is no longer worked`
            : crewProblem.path[0] === 'members' && typeof crewProblem.path[1] === 'number'
              ? crewProblem.message.startsWith('the same')
                ? crewProblem.message
                : whyAway(c.members[crewProblem.path[1]]!, c.shift)
              : crewProblem.message;
        dropped.push({ kind, shift: c.shift, members: [...c.members], reason });
        return null;
      }
      const badDevice = (d: string | undefined): string | null => {
        if (d === undefined) return null;
        const p = problems.find((x) => x.path[0] === 'carriers' && x.message.includes(d));
        if (p) return p.message;
        return serviceable.get(d) === false ? `device ${d} is not serviceable` : null;
      };
      const carriers = c.carriers?.map((k) => {
        const bad = badDevice(k.device);
        if (!bad) return k;
        dropped.push({
          kind,
          shift: c.shift,
          members: [...c.members],
          reason: `${bad}: the crew is kept, ${k.officer} carries another device`,
        });
        return { officer: k.officer };
      });
      return { ...c, ...(carriers ? { carriers } : {}) };
    };
    const keptLocks = locks.map((l) => check('lock', l)).filter((x): x is CrewSpec => x !== null);
    const keptPrevious = previous.map((c) => check('previous', c)).filter((x): x is CrewSpec => x !== null);
    return { locks: keptLocks, previous: keptPrevious, dropped };
  };

  /** Diff of two lists of crews over the given shifts (see PlanDiffSchema). */
  const diffCrews = (
    planId: string,
    against: string | null,
    before: PlanDiff['shifts'][number]['added'],
    after: PlanDiff['shifts'][number]['added'],
  ): PlanDiff => {
    const shifts = [...new Set([...before, ...after].map((c) => c.shift))].sort();
    const out: PlanDiff = {
      plan: planId,
      against,
      shifts: [],
      officersMoved: [],
      devicesMoved: [],
      counts: { added: 0, removed: 0, changed: 0, unchanged: 0, officersMoved: 0, devicesMoved: 0 },
    };
    for (const shift of shifts) {
      const b = before.filter((c) => c.shift === shift);
      const a = after.filter((c) => c.shift === shift);
      const bKeys = new Set(b.map(fullKey));
      const aKeys = new Set(a.map(fullKey));
      let leftB = b.filter((c) => !aKeys.has(fullKey(c)));
      const leftA = a.filter((c) => !bKeys.has(fullKey(c)));
      out.counts.unchanged += a.length - leftA.length;
      const entry = {
        shift,
        added: [] as typeof a,
        removed: [] as typeof b,
        changed: [] as { from: (typeof b)[0]; to: (typeof a)[0] }[],
      };
      for (const c of leftA) {
        const match = leftB.find((x) => x.members.some((m) => c.members.includes(m)));
        if (match) {
          entry.changed.push({ from: match, to: c });
          leftB = leftB.filter((x) => x !== match);
        } else entry.added.push(c);
      }
      entry.removed = leftB;
      if (entry.added.length || entry.removed.length || entry.changed.length) out.shifts.push(entry);
      out.counts.added += entry.added.length;
      out.counts.removed += entry.removed.length;
      out.counts.changed += entry.changed.length;
      const crewOf = (list: typeof a) => new Map(list.flatMap((c) => c.members.map((m) => [m, c] as const)));
      const bo = crewOf(b);
      const ao = crewOf(a);
      for (const o of [...new Set([...bo.keys(), ...ao.keys()])].sort()) {
        const x = bo.get(o);
        const y = ao.get(o);
        if (x && y && crewKey(x) === crewKey(y)) continue;
        out.officersMoved.push({ officer: o, shift, from: x ? [...x.members] : null, to: y ? [...y.members] : null });
      }
      const carrierOf = (list: typeof a) =>
        new Map(list.flatMap((c) => c.carriers.map((k) => [k.device, k.officer] as const)));
      const bd = carrierOf(b);
      const ad = carrierOf(a);
      for (const d of [...new Set([...bd.keys(), ...ad.keys()])].sort()) {
        const x = bd.get(d) ?? null;
        const y = ad.get(d) ?? null;
        if (x !== y) out.devicesMoved.push({ device: d, shift, from: x, to: y });
      }
    }
    out.counts.officersMoved = out.officersMoved.length;
    out.counts.devicesMoved = out.devicesMoved.length;
    return out;
  };
  const diffCrewOf = (c: Plan['crews'][number] | PublishedCrew) => ({
    shift: c.shift,
    members: [...c.members],
    carriers: c.carriers.map((k) => ({ officer: k.officer, device: k.device })),
  });

  /** Published plans of the same unit whose dates overlap [from, to]. */
  const overlapping = (p: Pick<CrewPlanRecord, 'id' | 'unit' | 'from' | 'to'>, status: Filter['status']) =>
    plans.find(
      {
        'unit.level': p.unit.level,
        'unit.id': p.unit.id,
        status,
        from: { $lte: p.to },
        to: { $gte: p.from },
        id: { $ne: p.id },
      },
      { scenario: 0, plan: 0 },
    );
  /** The published plans of the unit overlapping the plan's dates; `waitMs`: wait that long for one to appear. */
  const publishedOverlapping = async (p: Pick<CrewPlanRecord, 'id' | 'unit' | 'from' | 'to'>, waitMs = 0) => {
    for (let waited = 0; ; waited += 100) {
      const found = await overlapping(p, 'published');
      if (found.length || waited >= waitMs) return found;
      await new Promise((ok) => setTimeout(ok, 100));
    }
  };
  /** The plans a draft is based on: its `basedOn` chain (re-solves, amendments), nearest first. */
  const basedOnChain = async (p: Pick<CrewPlanRecord, 'basedOn'>): Promise<Set<string>> => {
    const seen = new Set<string>();
    for (let next = p.basedOn; next && !seen.has(next) && seen.size < 1000;) {
      seen.add(next);
      next = (await plans.get(next, { scenario: 0, plan: 0 }))?.basedOn ?? null;
    }
    return seen;
  };
  const alreadyPublished = (published: string | null) =>
    new ConflictError(
      published
        ? `Plan ${published} is already published for this unit and dates: amend it instead (POST /plans/${published}/amend).`
        : 'Another plan was published for this unit and dates at the same moment: amend it instead.',
      'plan_already_published',
      { published },
    );
  /**
   * Claims every date of the plan for its unit by unique inserts keyed by the plan last published for
   * that date (or `none`): only one publisher can follow a given roster. Undoes its claims on failure.
   */
  const claimPublishDates = async (
    p: CrewPlanRecord,
    replaced: Set<string>,
    by: string,
  ): Promise<{ ok: true } | { ok: false; holder: string | null }> => {
    const history = (await overlapping(p, { $in: ['published', 'superseded'] })).sort(
      (a, b) =>
        new Date(b.publishedAt ?? 0).getTime() - new Date(a.publishedAt ?? 0).getTime() || (a.id < b.id ? 1 : -1),
    );
    const taken: [string, string][] = [];
    const last = DateTime.fromISO(p.to, { zone: LONDON });
    for (let d = DateTime.fromISO(p.from, { zone: LONDON }); d <= last; d = d.plus({ days: 1 })) {
      const date = d.toISODate()!;
      const latest = history.find((h) => h.from <= date && h.to >= date);
      const before = latest?.id ?? null;
      // Published since this publisher checked: someone else won the date.
      if (latest?.status === 'published' && !replaced.has(latest.id)) {
        for (const [a, b] of taken) await releasePlanTransition(a, b, by);
        return { ok: false, holder: latest.id };
      }
      const key: [string, string] = [`publish:${p.unit.level}:${p.unit.id}:${date}`, before ?? 'none'];
      if (!(await claimPlanTransition(key[0], key[1], by))) {
        for (const [a, b] of taken) await releasePlanTransition(a, b, by);
        return { ok: false, holder: before };
      }
      taken.push(key);
    }
    return { ok: true };
  };

  /**
   * Every id an imported scenario carries stays in the actor's scope: shift ids are namespaced by their
   * station (`BR-2026-11-23-E` at BR), and officers and devices that exist must be at a station in scope.
   */
  const confineToScope = async (actor: Actor, scenario: Scenario): Promise<void> => {
    scenario.shifts.forEach((s, i) => {
      if (!s.id.startsWith(`${s.station}-`))
        throw new ValidationError(
          `Invalid scenario: shifts[${i}].id: shift ${s.id} must start with its station's id (${s.station}-).`,
          { path: `shifts[${i}].id` },
          'invalid_scenario',
        );
    });
    const officers = await repos.officers.find({ collar: { $in: scenario.officers.map((o) => o.id) } });
    for (const o of officers)
      if (!inScope(actor.scope, o))
        throw new ForbiddenError(
          `Officer ${o.collar} is outside your ${actor.scope.level} (${actor.scope.id}).`,
          'out_of_scope',
        );
    const devices = await repos.devices.find({ serial: { $in: scenario.devices.map((d) => d.serial) } });
    for (const d of devices)
      if (!inScope(actor.scope, d))
        throw new ForbiddenError(
          `Device ${d.serial} is outside your ${actor.scope.level} (${actor.scope.id}).`,
          'out_of_scope',
        );
  };

  return {
    /**
     * Builds the scenario for a unit and dates from the database and starts solving it, under the force's
     * policy with any fields the request sets instead.
     */
    async create(actor: Actor, input: CreatePlan): Promise<CrewPlanView> {
      requireRole(actor, 'plans', 'write');
      requireScope(actor, await placementOfScope(repos, input.unit));
      const policy = { ...(await settings.current(actor.force)).policy, ...input.policy };
      const scenario = validate(await buildScenario(repos, actor.force, input.unit, input.from, input.to, policy));
      if (scenario.shifts.length === 0)
        throw new ValidationError('No team works a shift in that unit and date range.', { path: 'unit' }, 'no_shifts');
      if (input.locks) checkLocks(scenario, input.locks);
      return launch(actor, input.unit, input, { ...scenario, locks: input.locks ?? [] });
    },

    /**
     * Solves a scenario given as JSON (the interchange format); its stations must be in the actor's scope.
     * Locks and previous crews that cannot be formed in it are left out and reported in `dropped`.
     */
    async importScenario(actor: Actor, body: unknown): Promise<CrewPlanView> {
      requireRole(actor, 'plans', 'write');
      let scenario: Scenario;
      let dropped: DroppedCrew[] = [];
      const first = parseScenario(body);
      if (first.ok) scenario = first.scenario;
      else {
        const raw = (body ?? {}) as Record<string, unknown>;
        const specs = z.array(CrewSpecSchema).default([]);
        const locks = specs.safeParse(raw.locks);
        const prev = specs.safeParse((raw.previousPlan as { crews?: unknown } | undefined)?.crews);
        if (typeof body !== 'object' || !locks.success || !prev.success) validate(body);
        const core = validate({ ...raw, locks: [], previousPlan: undefined });
        const r = await reconcile(core, locks.data ?? [], prev.data ?? []);
        dropped = r.dropped;
        scenario = validate({
          ...raw,
          locks: r.locks,
          ...(raw.previousPlan ? { previousPlan: { ...raw.previousPlan, crews: r.previous } } : {}),
        });
      }
      if (!scenario.stations.length)
        throw new ValidationError('A scenario needs at least one station.', { path: 'stations' }, 'invalid_scenario');
      if (!scenario.shifts.length)
        throw new ValidationError('The scenario has no shifts to plan.', { path: 'shifts' }, 'no_shifts');
      const stations = await repos.stations.find({ id: { $in: scenario.stations.map((s) => s.id) } });
      const unknown = scenario.stations.filter((s) => !stations.some((x) => x.id === s.id));
      if (unknown.length)
        throw new ValidationError(
          `Unknown station(s): ${unknown.map((s) => s.id).join(', ')}.`,
          { path: 'stations' },
          'unknown_station',
        );
      for (const s of stations) requireScope(actor, { ...s, station: s.id });
      await confineToScope(actor, scenario);
      const boroughs = new Set(stations.map((s) => s.borough));
      const unit: PlanUnit =
        stations.length === 1
          ? { level: 'station', id: stations[0]!.id }
          : boroughs.size === 1
            ? { level: 'borough', id: stations[0]!.borough }
            : { level: 'bcu', id: stations[0]!.bcu };
      if (new Set(stations.map((s) => s.bcu)).size > 1)
        throw new ValidationError('A plan covers one BCU at most.', { path: 'stations' }, 'too_many_bcus');
      const dates = scenario.shifts.map((s) => DateTime.fromISO(s.start, { zone: LONDON }).toISODate()!).sort();
      return launch(actor, unit, { from: dates[0] ?? '', to: dates.at(-1) ?? '' }, scenario, { dropped });
    },

    /** A page of plan summaries, newest first: never the plan or its scenario (PlanSummaryPageSchema). */
    async list(
      actor: Actor,
      q: { page: number; pageSize: number; status?: PlanStatus; bcu?: string; borough?: string; station?: string },
    ): Promise<PlanSummaryPage> {
      requireRole(actor, 'plans', 'read');
      const { page, pageSize, status, ...where } = q;
      const filter: Filter = { ...(await scopedFilter(repos, actor, where)), ...(status ? { status } : {}) };
      const r =
        (summaries && pageOfSummaries(await summaries(), filter, page, pageSize)) ??
        (await plans.summaries(filter, page, pageSize));
      const names = await unitNames(r.items.map((p) => p.unit));
      return { ...r, items: r.items.map((p) => summaryOf(p, names.get(`${p.unit.level}:${p.unit.id}`) ?? null)) };
    },

    async get(actor: Actor, id: string): Promise<CrewPlanView> {
      requireRole(actor, 'plans', 'read');
      const p = await load(actor, id);
      if (!abandoned(p, new Date())) return viewNamed(p);
      await markInterrupted(id);
      return viewNamed(await load(actor, id));
    },

    /** The plan in the interchange format (DESIGN.md section 5). */
    async exportPlan(actor: Actor, id: string): Promise<Plan> {
      requireRole(actor, 'plans', 'read');
      const p = await load(actor, id);
      if (!p.plan) throw new ConflictError(`Plan ${id} has no result yet (status ${p.status}).`, 'plan_not_ready');
      return p.plan as Plan;
    },

    /** The scenario the plan was solved from, in the interchange format. */
    async exportScenario(actor: Actor, id: string): Promise<unknown> {
      requireRole(actor, 'plans', 'read');
      return (await load(actor, id, true)).scenario;
    },

    /**
     * Stops a solve, queued or running (its worker is terminated), and marks the plan cancelled. A solve
     * whose result is being saved at that moment is cancelled too: the result is discarded.
     */
    async cancel(actor: Actor, id: string): Promise<CrewPlanView> {
      requireRole(actor, 'plans', 'write');
      const p = await load(actor, id, false, true);
      const job = jobs.get(id);
      const notSolving = () => new ConflictError(`Plan ${id} is not solving (status ${p.status}).`, 'plan_not_solving');
      const cancelled = {
        status: 'cancelled' as const,
        progress: null,
        error: { id: 'solve_cancelled', message: `Cancelled by ${actor.username}.` },
      };
      /** The solver finished first and is saving: wait for the draft, then discard it. */
      const discardResult = async (j: Job): Promise<CrewPlanView> => {
        await j.done;
        if (!(await claimPlanTransition(id, 'draft', actor.username))) throw notSolving();
        const done = await inOrder(id, () => plans.update(id, { ...cancelled, plan: null, stats: null }));
        return viewNamed(done ?? (await load(actor, id)));
      };
      if (job?.state === 'saving') return discardResult(job);
      if (p.status !== 'solving' && !job) throw notSolving();
      if (!(await claimPlanTransition(id, 'solving', actor.username))) {
        if (job && (job.state as Job['state']) === 'saving') return discardResult(job);
        throw notSolving();
      }
      if (job) {
        job.cancelRequested = true;
        job.handle?.cancel();
      }
      const done = await inOrder(id, () => plans.update(id, cancelled));
      return viewNamed(done ?? (await load(actor, id)));
    },

    /** Deletes a draft, failed or cancelled plan; published and superseded plans are kept for audit. */
    async remove(actor: Actor, id: string): Promise<void> {
      requireRole(actor, 'plans', 'write');
      // A solve that just ended may still be saving its result here: let it finish first.
      const saving = jobs.get(id);
      if (saving?.state === 'saving') await saving.done;
      const p = await load(actor, id, false, true);
      if (p.status === 'published' || p.status === 'superseded')
        throw new ConflictError(
          `Plan ${id} is ${p.status}: published rosters are kept for audit.`,
          'plan_kept_for_audit',
        );
      if (p.status === 'solving') throw new ConflictError(`Plan ${id} is solving: cancel it first.`, 'plan_solving');
      // A draft could be being published at this moment: whoever claims it first wins.
      if (p.status === 'draft' && !(await claimPlanTransition(id, 'draft', actor.username)))
        throw new ConflictError(`Plan ${id} is being published.`, 'plan_not_draft');
      await plans.remove(id);
    },

    /** Replaces a draft's locked crews (the planner's hand-made decisions); re-solve to apply them. */
    async setLocks(actor: Actor, id: string, locks: CrewLock[]): Promise<CrewPlanView> {
      requireRole(actor, 'plans', 'write');
      const p = await load(actor, id, true);
      if (p.status !== 'draft')
        throw new ConflictError(`Only a draft can be edited (status ${p.status}).`, 'plan_not_draft');
      checkLocks(p.scenario as Scenario, locks);
      const updated = await plans.update(id, { locks }, { status: 'draft' });
      if (!updated) throw new ConflictError('The plan changed while you edited it; reload it.', 'plan_changed');
      return viewNamed(updated);
    },

    /**
     * Re-solves a plan with minimal change: the same unit and dates rebuilt from today's data, the old
     * plan's crews kept where still possible, and the locks honoured. Crews and locks that can no longer be
     * formed (an officer absent or gone, a shift no longer worked) are left out and listed in `dropped`,
     * never an error. The result is a new draft.
     */
    async resolve(actor: Actor, id: string, locks?: CrewLock[]): Promise<CrewPlanView> {
      requireRole(actor, 'plans', 'write');
      const p = await load(actor, id, true);
      if (!p.plan)
        throw new ConflictError(`Plan ${id} has no result to start from (status ${p.status}).`, 'plan_not_ready');
      const old = p.scenario as Scenario;
      const fresh = validate(await buildScenario(repos, p.force, p.unit, p.from, p.to, old.policy));
      const useLocks = (locks ?? (p.locks as CrewLock[])).filter(Boolean);
      const previous = (p.plan as Plan).crews.map((c) => ({
        shift: c.shift,
        members: c.members,
        carriers: c.carriers.map((k) => ({ officer: k.officer, device: k.device })),
      }));
      const r = await reconcile(fresh, useLocks, previous);
      // Re-solving a published roster starts an amendment of it; re-solving a draft keeps its chain.
      const fromPublished = p.status === 'published' || p.status === 'superseded';
      const amends = p.amends ?? (fromPublished ? p.id : null);
      const amendment = fromPublished && amends ? (await plans.amendmentsOf(amends)) + 1 : (p.amendment ?? null);
      return launch(
        actor,
        p.unit,
        p,
        { ...fresh, locks: r.locks, previousPlan: { crews: r.previous } },
        {
          basedOn: p.id,
          revision: p.revision + 1,
          dropped: r.dropped,
          amends,
          amendment,
        },
      );
    },

    /**
     * Starts an amendment of a published plan: a new draft that is the published crews as they stand
     * (no solve), with its locks, so a planner can hand-edit or re-solve it and publish it with a reason.
     */
    async amend(actor: Actor, id: string): Promise<CrewPlanView> {
      requireRole(actor, 'plans', 'write');
      const p = await load(actor, id, true);
      if (p.status !== 'published')
        throw new ConflictError(`Only a published plan can be amended (status ${p.status}).`, 'plan_not_published');
      const plan = p.plan as Plan;
      const root = p.amends ?? p.id;
      const amendment = (await plans.amendmentsOf(root)) + 1;
      const scenario = {
        ...(p.scenario as Scenario),
        locks: p.locks as CrewSpec[],
        previousPlan: {
          crews: plan.crews.map((c) => ({ shift: c.shift, members: c.members, carriers: c.carriers })),
        },
      };
      const record: CrewPlanRecord = {
        id: newPlanId(),
        force: p.force,
        bcu: p.bcu,
        ...(p.borough ? { borough: p.borough } : {}),
        ...(p.station ? { station: p.station } : {}),
        unit: p.unit,
        from: p.from,
        to: p.to,
        status: 'draft',
        startedAt: new Date(),
        progress: null,
        error: null,
        scenario,
        plan,
        locks: p.locks,
        basedOn: p.id,
        createdBy: actor.username,
        publishedBy: null,
        publishedAt: null,
        publishReason: null,
        revision: p.revision + 1,
        policyName: p.policyName ?? (p.scenario as Scenario).policy.name,
        stats: p.stats ?? headlineOf(plan),
        amends: root,
        amendment,
        dropped: [],
      };
      await plans.insertMany([record]);
      return viewNamed(record);
    },

    /** This plan's crews against the published plan(s) it would replace: same unit, overlapping dates. */
    async diff(actor: Actor, id: string): Promise<PlanDiff> {
      requireRole(actor, 'plans', 'read');
      const p = await load(actor, id, true);
      if (!p.plan) throw new ConflictError(`Plan ${id} has no result yet (status ${p.status}).`, 'plan_not_ready');
      const shifts = new Set((p.scenario as Scenario).shifts.map((s) => s.id));
      const published = (await publishedOverlapping(p)).sort(
        (a, b) => new Date(b.publishedAt ?? 0).getTime() - new Date(a.publishedAt ?? 0).getTime(),
      );
      const before: PlanDiff['shifts'][number]['added'] = [];
      for (const q of published) {
        const full = await plans.get(q.id, { scenario: 0 });
        for (const c of (full?.plan as Plan | null)?.crews ?? []) if (shifts.has(c.shift)) before.push(diffCrewOf(c));
      }
      const after = (p.plan as Plan).crews.map(diffCrewOf);
      return diffCrews(p.id, published[0]?.id ?? null, before, after);
    },

    /**
     * Publishes a draft. One published roster per unit and date: a published plan overlapping the draft's
     * dates is replaced (kept as superseded) only when the draft is based on it (its `basedOn` chain: an
     * amendment or re-solve of it), and changing a published roster needs a recorded reason. Otherwise
     * `plan_already_published` (409, `details.published`). Publishers of one unit claim each date by a
     * unique insert keyed by the plan last published for it, so of two at once exactly one wins and the
     * other gets the same 409. Emits `plan.published` once the crews are stored.
     */
    async publish(actor: Actor, id: string, reason?: string): Promise<CrewPlanView> {
      requireRole(actor, 'plans', 'write');
      const p = await load(actor, id, true);
      if (p.status !== 'draft')
        throw new ConflictError(`Only a draft can be published (status ${p.status}).`, 'plan_not_draft');
      const replaced = await publishedOverlapping(p);
      const ancestors = await basedOnChain(p);
      const foreign = replaced.find((r) => !ancestors.has(r.id));
      if (foreign) throw alreadyPublished(foreign.id);
      if ((replaced.length || p.amends) && !reason)
        throw new ValidationError(
          'This changes a published roster: give a reason.',
          { path: 'reason', replaces: replaced.map((r) => r.id) },
          'reason_required',
        );
      if (!(await claimPlanTransition(id, 'draft', actor.username)))
        throw new ConflictError(`Plan ${id} is being published by someone else.`, 'plan_not_draft');
      const claims = await claimPublishDates(p, new Set(replaced.map((r) => r.id)), actor.username);
      if (!claims.ok) {
        await releasePlanTransition(id, 'draft', actor.username);
        // Name the plan that won (not the one both were replacing): wait a moment for its publish to land.
        let winner: string | undefined;
        for (let waited = 0; !winner && waited <= 2000; waited += 100) {
          winner = (await publishedOverlapping(p)).find((r) => !replaced.some((x) => x.id === r.id))?.id;
          if (!winner) await new Promise((ok) => setTimeout(ok, 100));
        }
        throw alreadyPublished(winner ?? claims.holder);
      }
      const published = await plans.update(
        id,
        { status: 'published', publishedBy: actor.username, publishedAt: new Date(), publishReason: reason ?? null },
        { status: 'draft' },
      );
      if (!published) throw new ConflictError('The plan changed while you published it; reload it.', 'plan_changed');
      for (const r of replaced)
        if (await claimPlanTransition(r.id, 'published', actor.username))
          await plans.update(r.id, { status: 'superseded', supersededBy: id });
      const scenario = p.scenario as Scenario;
      await publishedCrewRepository.replaceForShifts(
        scenario.shifts.map((s) => ({ id: s.id, station: s.station })),
        publishedCrews(p),
      );
      const stations = [...new Set(scenario.shifts.map((s) => s.station))].sort();
      await publishEvent({
        type: 'plan.published',
        at: new Date().toISOString(),
        by: actor.username,
        plan: id,
        unit: p.unit,
        placement: { force: p.force, bcu: p.bcu, borough: p.borough ?? '', station: p.station ?? '' },
        stations,
        shifts: scenario.shifts.map((s) => s.id),
      }).catch((e: unknown) => log.error('could not announce a published plan', { message: String(e) }));
      return viewNamed(published);
    },

    /** Marks plans left solving by a previous process as failed (their worker died with it). */
    async recoverInterrupted(now = new Date()): Promise<number> {
      const stuck = (await plans.find({ status: 'solving' }, { scenario: 0, plan: 0 })).filter((p) =>
        abandoned(p, now),
      );
      for (const p of stuck) await markInterrupted(p.id);
      return stuck.length;
    },

    /** Cancels every running job (server shutdown). */
    cancelAll(): void {
      for (const j of jobs.values()) j.handle?.cancel();
    },
  };
}
export type CrewPlanService = ReturnType<typeof createCrewPlanService>;

/** The crews of a plan as the control room sees them, with call signs such as `BR-N-07`. */
function publishedCrews(p: CrewPlanRecord): PublishedCrew[] {
  const scenario = p.scenario as Scenario;
  const plan = p.plan as Plan;
  const shifts = new Map(scenario.shifts.map((s) => [s.id, s]));
  const stations = new Map(scenario.stations.map((s) => [s.id, s]));
  const counter = new Map<string, number>();
  return plan.crews.map((c) => {
    const shift = shifts.get(c.shift)!;
    const station = stations.get(shift.station);
    const n = (counter.get(c.shift) ?? 0) + 1;
    counter.set(c.shift, n);
    const code = c.shift.split('-').at(-1) ?? 'X';
    return {
      plan: p.id,
      shift: c.shift,
      force: p.force,
      bcu: station?.bcu ?? p.bcu,
      borough: station?.borough ?? p.borough ?? '',
      station: shift.station,
      start: new Date(shift.start).toISOString(),
      end: new Date(shift.end).toISOString(),
      callSign: `${shift.station}-${code}-${String(n).padStart(2, '0')}`,
      members: c.members,
      carriers: c.carriers.map((x) => ({ officer: x.officer, device: x.device })),
    };
  });
}
