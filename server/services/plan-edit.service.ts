import {
  applyEdits,
  locksAfterEdits,
  type CrewCheckFacts,
  type EditCrew,
  type EditLock,
} from '../../shared/rules/crew-check.js';
import type { EditCheckResult, EditOp } from '../../shared/schemas/plan-edit.schema.js';
import { isServiceable } from '../../shared/schemas/device.schema.js';
import type { Plan } from '../../shared/schemas/plan.schema.js';
import type { Scenario } from '../../shared/schemas/scenario.schema.js';
import type { Actor } from '../../shared/schemas/user.schema.js';
import { abstractedFrom } from '../../shared/time/rota.js';
import { AppError, ConflictError, NotFoundError } from '../errors.js';
import { crewPlanRepository as plans, type CrewPlanRecord } from '../repositories/crew-plan.repository.js';
import type { Repositories } from '../repositories/index.js';
import { computeStats } from '../solver/stats.js';
import { parseShiftId } from './on-duty.js';
import { requireRole, requireScope } from './access.js';
import { headlineOf, view as planView, type CrewPlanView } from './crew-plan.service.js';

/** What the plan records about hand edits; its count guards against two planners editing at once. */
export type HandEdits = { count: number; lastAt: string; lastBy: string };

/**
 * Hand edits of a draft plan (issue 7 item 4): swap, move, give or take a device, make or split a crew,
 * each checked by the shared crew check (shared/rules/crew-check.ts) against the plan's scenario. An
 * accepted batch updates the crews and unassigned list, recounts the statistics, and locks every crew
 * it shaped, so "re-solve around my edits" (POST /plans/:id/resolve) keeps them.
 */
export function createPlanEditService(repos: Repositories, clock: () => Date = () => new Date()) {
  /** The plan as `GET /plans/:id` shows it, with its unit's name. */
  const view = async (p: CrewPlanRecord): Promise<CrewPlanView> => {
    const repo = { station: repos.stations, borough: repos.boroughs, bcu: repos.bcus }[p.unit.level];
    const [unit] = await repo.find({ id: p.unit.id });
    return planView(p, unit?.name ?? null);
  };

  const loadDraft = async (actor: Actor, id: string): Promise<CrewPlanRecord & { plan: Plan; scenario: Scenario }> => {
    requireRole(actor, 'plans', 'write');
    const p = await plans.get(id);
    if (!p) throw new NotFoundError(`There is no plan ${id}.`, 'plan_not_found');
    requireScope(actor, p);
    if (p.status !== 'draft' || !p.plan || !p.scenario)
      throw new ConflictError(`Only a draft can be edited (status ${p.status}).`, 'plan_not_draft');
    return p as CrewPlanRecord & { plan: Plan; scenario: Scenario };
  };

  /**
   * The plan's scenario with today's device states, Taser authorisations and abstractions: a device that went
   * faulty, an officer suspended, or one recorded sick since the solve is refused a new place or issue.
   */
  const currentFacts = async (p: { scenario: Scenario; from: string; to: string }): Promise<CrewCheckFacts> => {
    const scenario = p.scenario;
    const ids = scenario.officers.map((o) => o.id);
    const [devices, officers, abstractions] = await Promise.all([
      repos.devices.find({ serial: { $in: scenario.devices.map((d) => d.serial) } }),
      repos.officers.find({ collar: { $in: ids } }),
      repos.abstractions.find({ officer: { $in: ids }, from: { $lte: p.to }, to: { $gte: p.from } }),
    ]);
    const away = new Map<string, typeof abstractions>();
    for (const a of abstractions) away.set(a.officer, [...(away.get(a.officer) ?? []), a]);
    const absences = scenario.officers.flatMap((o) =>
      o.shifts.flatMap((shift) => {
        const date = parseShiftId(shift)?.date;
        const hit = date ? away.get(o.id)?.find((a) => abstractedFrom(a, { date })) : undefined;
        return hit ? [{ officer: o.id, shift, kind: hit.kind }] : [];
      }),
    );
    const device = new Map(devices.map((d) => [d.serial, d]));
    const officer = new Map(officers.map((o) => [o.collar, o]));
    return {
      ...scenario,
      devices: scenario.devices.map((d) => {
        const now = device.get(d.serial);
        return now
          ? { ...d, station: now.station, serviceable: isServiceable(now.state) }
          : { ...d, serviceable: false };
      }),
      officers: scenario.officers.map((o) => {
        const now = officer.get(o.id);
        return now ? { ...o, taser: now.taser } : o;
      }),
      absences,
    };
  };

  const run = async (p: { plan: Plan; scenario: Scenario; from: string; to: string }, ops: EditOp[]) =>
    applyEdits(await currentFacts(p), p.plan, ops);

  return {
    /** Whether the edits would be accepted, saving nothing. */
    async check(actor: Actor, id: string, ops: EditOp[]): Promise<EditCheckResult> {
      const r = await run(await loadDraft(actor, id), ops);
      return r.ok ? { ok: true } : { ok: false, refusal: r.refusal };
    },

    /** Applies the edits, all or none; a refusal is `edit_refused` (422) with the rule in `details`. */
    async apply(actor: Actor, id: string, ops: EditOp[]): Promise<CrewPlanView> {
      const p = await loadDraft(actor, id);
      const r = await run(p, ops);
      if (!r.ok) throw new AppError(422, 'edit_refused', r.refusal.message, r.refusal);
      const before = (p.plan as { handEdits?: HandEdits }).handEdits;
      const crews: EditCrew[] = r.crews;
      const plan: Plan & { handEdits: HandEdits } = {
        ...p.plan,
        // A hand-edited plan is feasible (every hard rule checked) but no longer proven optimal.
        status: 'FEASIBLE',
        ...(p.plan.optimality
          ? { optimality: { ...p.plan.optimality, levels1to3: 'not_proven', locks: 'not_proven' } }
          : {}),
        crews,
        unassigned: r.unassigned,
        stats: computeStats(crews, r.unassigned, p.plan.stats.solveMs),
        handEdits: { count: (before?.count ?? 0) + 1, lastAt: clock().toISOString(), lastBy: actor.username },
      };
      const locks = locksAfterEdits(p.locks as EditLock[], r);
      // Still a draft, and nobody else's edit landed since this one read the plan.
      // The plan is stored apart from the record, so the guard is the record's own count of edits.
      const count = p.editCount ?? 0;
      const guard = count ? { editCount: count } : { editCount: { $in: [0, null] } };
      const updated = await plans.update(
        id,
        { plan, locks, editCount: count + 1, stats: headlineOf(plan) },
        { status: 'draft', ...guard },
      );
      if (!updated) throw new ConflictError('The plan changed while you edited it; reload it.', 'plan_changed');
      return view(updated);
    },
  };
}
export type PlanEditService = ReturnType<typeof createPlanEditService>;
