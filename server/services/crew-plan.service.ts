import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import type { CreatePlan, CrewLock, PlanStatus, PlanUnit } from '../../shared/schemas/crew-plan.schema.js';
import type { Plan } from '../../shared/schemas/plan.schema.js';
import type { Scenario, ScenarioInput } from '../../shared/schemas/scenario.schema.js';
import type { Actor } from '../../shared/schemas/user.schema.js';
import { LONDON } from '../../shared/time/zone.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { log } from '../logger.js';
import type { Filter } from '../repositories/base.repository.js';
import {
  claimPlanTransition,
  crewPlanRepository as plans,
  publishedCrewRepository,
  type CrewPlanRecord,
  type PublishedCrew,
} from '../repositories/crew-plan.repository.js';
import type { Repositories } from '../repositories/index.js';
import { requireRole, requireScope, scopedFilter } from './access.js';
import type { ForceSettingsReader } from './force-settings.service.js';
import { buildScenario } from './scenario-builder.service.js';
import { placementOfScope } from './user.service.js';

export type SolveHandle = { promise: Promise<Plan>; cancel: () => void };
/** Runs a solve off the event loop (the solver's worker runner); injected so the service has no solver import. */
export type SolveRunner = (
  scenario: ScenarioInput,
  opts: { onProgress: (p: unknown) => void; timeLimitSeconds: number },
) => SolveHandle;
/** Validates a scenario the way the solver will, throwing with the field named. */
export type ScenarioValidator = (input: unknown) => Scenario;

/** What the API shows of a plan: everything but the (large) scenario. */
export type CrewPlanView = Omit<CrewPlanRecord, 'scenario'>;
const view = ({ scenario: _s, ...rest }: CrewPlanRecord): CrewPlanView => rest;

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
 * change, and publishes. Published plans are kept (superseded, never deleted), with who and when.
 */
export function createCrewPlanService(
  repos: Repositories,
  runSolve: SolveRunner,
  validate: ScenarioValidator,
  settings: ForceSettingsReader,
) {
  const jobs = new Map<string, SolveHandle>();
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

  /** A plan in the actor's scope; its (large) scenario only when `withScenario`. */
  const load = async (actor: Actor, id: string, withScenario = false): Promise<CrewPlanRecord> => {
    const p = await plans.get(id, withScenario ? {} : { scenario: 0 });
    if (!p) throw new NotFoundError(`There is no plan ${id}.`, 'plan_not_found');
    requireScope(actor, p);
    return p;
  };

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

  /** Saves a new plan in `solving` and starts its job; the job writes its result back conditionally. */
  const launch = async (
    actor: Actor,
    unit: PlanUnit,
    range: { from: string; to: string },
    scenario: Scenario,
    extra: Partial<CrewPlanRecord> = {},
  ): Promise<CrewPlanView> => {
    const where = await placementOfScope(repos, unit);
    const id = randomUUID();
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
      progress: null,
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
      ...extra,
    };
    await plans.create(record);
    let lastProgress = 0;
    const handle = runSolve(scenario, {
      timeLimitSeconds: SOLVE_TIME_LIMIT_S,
      onProgress: (p) => {
        const now = Date.now();
        if (now - lastProgress < PROGRESS_EVERY_MS) return;
        lastProgress = now;
        void inOrder(id, () => (jobs.has(id) ? plans.update(id, { progress: p }, { status: 'solving' }) : null));
      },
    });
    jobs.set(id, handle);
    /** The job's own ending, unless a cancel already moved the plan on. */
    const finish = async (set: Partial<CrewPlanRecord>) => {
      if (!(await claimPlanTransition(id, 'solving', 'solver'))) return;
      jobs.delete(id);
      await inOrder(id, () => plans.update(id, set));
    };
    handle.promise
      .then(
        (plan) => finish({ status: 'draft', plan, progress: null }),
        (e: unknown) => {
          const err = e as { id?: string; message?: string };
          const cancelled = err?.id === 'solve_cancelled';
          if (!cancelled) log.error(`solve of plan ${id} failed`, { message: err?.message });
          return finish({
            status: cancelled ? 'cancelled' : 'failed',
            error: { id: err?.id ?? 'solve_failed', message: err?.message ?? 'The solve failed.' },
          });
        },
      )
      .catch((e: unknown) => log.error(`could not save the result of plan ${id}`, { message: String(e) }))
      .finally(() => jobs.delete(id));
    return view(record);
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

    /** Solves a scenario given as JSON (the interchange format); its stations must be in the actor's scope. */
    async importScenario(actor: Actor, body: unknown): Promise<CrewPlanView> {
      requireRole(actor, 'plans', 'write');
      const scenario = validate(body);
      if (scenario.shifts.length === 0)
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
      return launch(actor, unit, { from: dates[0] ?? '', to: dates.at(-1) ?? '' }, scenario);
    },

    async list(
      actor: Actor,
      q: { page: number; pageSize: number; status?: PlanStatus; bcu?: string; borough?: string; station?: string },
    ) {
      requireRole(actor, 'plans', 'read');
      const { page, pageSize, status, ...where } = q;
      const filter: Filter = { ...scopedFilter(actor, where), ...(status ? { status } : {}) };
      const r = await plans.list(filter, page, pageSize, { hide: { scenario: 0 }, sort: { startedAt: -1 } });
      return { ...r, items: r.items.map(view) };
    },

    async get(actor: Actor, id: string): Promise<CrewPlanView> {
      requireRole(actor, 'plans', 'read');
      const p = await load(actor, id);
      if (!abandoned(p, new Date())) return view(p);
      await markInterrupted(id);
      return view(await load(actor, id));
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

    async cancel(actor: Actor, id: string): Promise<CrewPlanView> {
      requireRole(actor, 'plans', 'write');
      const p = await load(actor, id);
      const job = jobs.get(id);
      if (p.status !== 'solving' || !job || !(await claimPlanTransition(id, 'solving', actor.username)))
        throw new ConflictError(`Plan ${id} is not solving (status ${p.status}).`, 'plan_not_solving');
      jobs.delete(id);
      job.cancel();
      const done = await inOrder(id, () =>
        plans.update(id, {
          status: 'cancelled',
          error: { id: 'solve_cancelled', message: `Cancelled by ${actor.username}.` },
        }),
      );
      return view(done ?? (await load(actor, id)));
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
      return view(updated);
    },

    /**
     * Re-solves a plan with minimal change: the same unit and dates rebuilt from today's data, the old
     * plan's crews kept where still possible, and the locks honoured. The result is a new draft.
     */
    async resolve(actor: Actor, id: string, locks?: CrewLock[]): Promise<CrewPlanView> {
      requireRole(actor, 'plans', 'write');
      const p = await load(actor, id, true);
      if (!p.plan)
        throw new ConflictError(`Plan ${id} has no result to start from (status ${p.status}).`, 'plan_not_ready');
      const old = p.scenario as Scenario;
      const fresh = validate(await buildScenario(repos, p.force, p.unit, p.from, p.to, old.policy));
      const useLocks = (locks ?? (p.locks as CrewLock[])).filter(Boolean);
      checkLocks(fresh, useLocks);
      const previous = (p.plan as Plan).crews.map((c) => ({
        shift: c.shift,
        members: c.members,
        carriers: c.carriers,
      }));
      return launch(
        actor,
        p.unit,
        p,
        { ...fresh, locks: useLocks, previousPlan: { crews: previous } },
        { basedOn: p.id, revision: p.revision + 1 },
      );
    },

    /**
     * Publishes a draft. Any published plan it replaces for the same unit and overlapping dates is kept as
     * superseded; changing a published roster needs a recorded reason.
     */
    async publish(actor: Actor, id: string, reason?: string): Promise<CrewPlanView> {
      requireRole(actor, 'plans', 'write');
      const p = await load(actor, id, true);
      if (p.status !== 'draft')
        throw new ConflictError(`Only a draft can be published (status ${p.status}).`, 'plan_not_draft');
      const replaced = await plans.find({
        'unit.level': p.unit.level,
        'unit.id': p.unit.id,
        status: 'published',
        from: { $lte: p.to },
        to: { $gte: p.from },
      });
      if (replaced.length && !reason)
        throw new ValidationError(
          'This changes a published roster: give a reason.',
          { path: 'reason', replaces: replaced.map((r) => r.id) },
          'reason_required',
        );
      if (!(await claimPlanTransition(id, 'draft', actor.username)))
        throw new ConflictError(`Plan ${id} is being published by someone else.`, 'plan_not_draft');
      const published = await plans.update(
        id,
        { status: 'published', publishedBy: actor.username, publishedAt: new Date(), publishReason: reason ?? null },
        { status: 'draft' },
      );
      if (!published) throw new ConflictError('The plan changed while you published it; reload it.', 'plan_changed');
      for (const r of replaced)
        if (await claimPlanTransition(r.id, 'published', actor.username))
          await plans.update(r.id, { status: 'superseded', supersededBy: id });
      await publishedCrewRepository.replaceForShifts(
        (p.scenario as Scenario).shifts.map((s) => s.id),
        publishedCrews(p),
      );
      return view(published);
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
      for (const j of jobs.values()) j.cancel();
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
