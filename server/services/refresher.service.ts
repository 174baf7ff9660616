import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { authorisationLapseDate } from '../../shared/rules/authorisation.js';
import {
  mayCarryApartFromDates,
  pairsWithoutCarrier,
  siteOfTraining,
  trainingSitesOf,
} from '../../shared/rules/refresher.js';
import type { Abstraction } from '../../shared/schemas/abstraction.schema.js';
import type { PlanUnit } from '../../shared/schemas/crew-plan.schema.js';
import type {
  CliffQuery,
  CliffReport,
  CliffWeek,
  CoverFigures,
  RefresherAssignment,
  RefresherBookRequest,
  RefresherBooking,
  RefresherPlanRequest,
  RefresherProposal,
} from '../../shared/schemas/refresher.schema.js';
import type { Actor, Scope } from '../../shared/schemas/user.schema.js';
import { rotaCodeOn } from '../../shared/time/rota.js';
import { LONDON } from '../../shared/time/zone.js';
import { ConflictError, ValidationError } from '../errors.js';
import type { Repositories } from '../repositories/index.js';
import {
  absenceIndex,
  buildRefresherProblem,
  slotKey,
  teamMembers,
  type RefresherInput,
} from '../solver/refresher-problem.js';
import type { RefresherProblem, RefresherSolution, RefresherSolveOptions } from '../solver/refresher.js';
import { placementOfReportUnit, requireRole } from './access.js';
import type { ForceSettingsReader } from './force-settings.service.js';

/** Runs the refresher model (in the solver worker in the server). */
export type RefresherRunner = (p: RefresherProblem, o: RefresherSolveOptions) => Promise<RefresherSolution>;

const iso = (d: DateTime): string => d.toISODate()!;

/**
 * The borough lead's authorisation cliff and refresher planner (issue 10, docs/refreshers.md): in-date carriers
 * per week against what the rota needs, and a CP-SAT plan of refresher course days booked as training
 * abstractions.
 */
export function createRefresherService(
  repos: Repositories,
  clock: () => Date,
  settings: ForceSettingsReader,
  run: RefresherRunner,
) {
  const today = () => iso(DateTime.fromJSDate(clock(), { zone: LONDON }));

  async function unitFilter(actor: Actor, unit: Scope | PlanUnit): Promise<Record<string, string>> {
    await placementOfReportUnit(repos, actor, unit);
    return { [unit.level]: unit.id };
  }

  /** Everything a plan (or a booking's re-check) is made from, as of today. */
  async function loadInput(actor: Actor, unit: PlanUnit, horizonDays: number, windowDays: number) {
    const filter = await unitFilter(actor, unit);
    const day0 = today();
    const to = iso(DateTime.fromISO(day0, { zone: LONDON }).plus({ days: horizonDays }));
    // Training up to a year and a half back still shapes a renewal chain; other kinds matter from today.
    const since = iso(DateTime.fromISO(day0, { zone: LONDON }).minus({ days: 550 }));
    const [current, teams, definitions, officers, abstractions, forceTraining] = await Promise.all([
      settings.current(actor.force),
      repos.teams.find(filter),
      repos.shiftDefinitions.find({ force: actor.force }),
      repos.officers.find(filter),
      repos.abstractions.find({ ...filter, to: { $gte: since } }),
      repos.abstractions.find({ force: actor.force, kind: 'training', to: { $gt: day0 }, from: { $lte: to } }),
    ]);
    const sites = trainingSitesOf(current);
    // Places taken per site and date: each training abstraction at its site (siteOfTraining), every day of it.
    const placesTaken = new Map<string, number>();
    for (const a of forceTraining) {
      const site = siteOfTraining(a, sites);
      if (!site) continue;
      for (let d = DateTime.fromISO(a.from, { zone: LONDON }); iso(d) <= a.to; d = d.plus({ days: 1 })) {
        const k = slotKey(site.id, iso(d));
        placesTaken.set(k, (placesTaken.get(k) ?? 0) + 1);
      }
    }
    const input: RefresherInput = {
      today: day0,
      horizonDays,
      windowDays,
      zone: LONDON,
      policy: current.policy,
      minTaserUnits: current.minTaserUnits,
      sites,
      teams,
      definitions,
      officers,
      abstractions,
      placesTaken,
    };
    return { input, officers };
  }

  /** A stable name for exactly these assignments over exactly these data. */
  function proposalId(
    unit: PlanUnit,
    input: RefresherInput,
    assignments: { officer: string; date: string; site: string }[],
  ): string {
    const key = (a: Pick<Abstraction, 'officer' | 'kind' | 'from' | 'to'>) =>
      `${a.officer}|${a.kind}|${a.from}|${a.to}`;
    const data = {
      unit,
      today: input.today,
      horizon: input.horizonDays,
      window: input.windowDays,
      policy: input.policy,
      min: input.minTaserUnits,
      sites: input.sites.map((x) => [x.id, x.name, x.days, x.placesPerDay, x.boroughs ?? null]),
      teams: input.teams.map((t) => [t.id, t.station, t.rota.anchorDate, t.rota.pattern.join('')]),
      definitions: input.definitions.map((d) => [d.code, d.start, d.end]).sort(),
      officers: input.officers.map((o) => [o.collar, o.team, o.station, o.kind, o.taser]),
      abstractions: input.abstractions.map(key).sort(),
      places: [...input.placesTaken.entries()].sort(),
      assignments: assignments.map((a) => `${a.officer}|${a.date}|${a.site}`).sort(),
    };
    return createHash('sha256').update(JSON.stringify(data)).digest('hex').slice(0, 24);
  }

  return {
    /** In-date carriers per week for `weeks` weeks from today, against the carriers the rota needs. */
    async cliff(actor: Actor, q: Omit<CliffQuery, 'format'>): Promise<CliffReport> {
      requireRole(actor, 'reports', 'read');
      const filter = await unitFilter(actor, { level: q.level, id: q.id });
      const day0 = DateTime.fromJSDate(clock(), { zone: LONDON }).startOf('day');
      const last = day0.plus({ days: 7 * q.weeks - 1 });
      const [current, teams, definitions, officers, abstractions] = await Promise.all([
        settings.current(actor.force),
        repos.teams.find(filter),
        repos.shiftDefinitions.find({ force: actor.force }),
        repos.officers.find(filter),
        repos.abstractions.find({ ...filter, to: { $gte: iso(day0.minus({ days: 550 })) }, from: { $lte: iso(last) } }),
      ]);
      const { policy } = current;
      const months = policy.authorisationMonths;
      const abs = absenceIndex(abstractions);
      // Per carrier: the lapse in force from each date on (a refresher before the lapse starts a new one).
      const chains: { from: string; lapses: string }[][] = [];
      const refresherDays: string[] = [];
      for (const o of officers) {
        if (!o.taser || !mayCarryApartFromDates(o, policy, LONDON)) continue;
        let cur = o.taser.lastTrained;
        const chain = [{ from: '0000-00-00', lapses: authorisationLapseDate(cur, months, LONDON) }];
        for (const d of abs.trainingDates(o.collar).sort()) {
          if (d >= iso(day0)) refresherDays.push(d);
          if (d > cur && d < chain[chain.length - 1]!.lapses) {
            cur = d;
            chain.push({ from: d, lapses: authorisationLapseDate(d, months, LONDON) });
          }
        }
        chains.push(chain);
      }
      const lapseOn = (chain: { from: string; lapses: string }[], date: string): string => {
        let l = chain[0]!.lapses;
        for (const c of chain) if (c.from <= date) l = c.lapses;
        return l;
      };
      const members = teamMembers(teams, officers);
      const defs = new Set(definitions.map((d) => d.code));
      const weeks: CliffWeek[] = [];
      for (let w = 0; w < q.weeks; w++) {
        const start = day0.plus({ days: 7 * w });
        const s = iso(start);
        const e = iso(start.plus({ days: 6 }));
        const after = iso(start.plus({ days: 7 }));
        let inDate = 0;
        let lapsing = 0;
        for (const chain of chains) {
          const l = lapseOn(chain, e);
          if (l >= after) inDate += 1;
          if (s <= l && l <= e) lapsing += 1;
        }
        let needed = 0;
        for (const t of teams) {
          let most = 0;
          for (let k = 0; k < 7; k++) {
            const date = iso(start.plus({ days: k }));
            if (!defs.has(rotaCodeOn(t, date, LONDON))) continue;
            const present = (members.get(t.id) ?? []).filter((o) => !abs.away(o.collar, date)).length;
            most = Math.max(most, Math.floor(present / 2));
          }
          needed += most;
        }
        weeks.push({
          week: s,
          end: e,
          inDate,
          needed,
          below: inDate < needed,
          lapsing,
          refreshers: refresherDays.filter((d) => s <= d && d <= e).length,
        });
      }
      const below = weeks.filter((w) => w.below);
      return {
        unit: `${q.level}:${q.id}`,
        asOf: clock().toISOString(),
        authorisationMonths: months,
        authorised: chains.length,
        weeks,
        weeksBelow: below.length,
        firstBelow: below[0]?.week ?? null,
      };
    },

    /** A proposal: a course day for each officer due, chosen by CP-SAT to lose the least cover. */
    async plan(actor: Actor, req: RefresherPlanRequest): Promise<RefresherProposal> {
      requireRole(actor, 'refreshers', 'read');
      const { input } = await loadInput(actor, req.unit, req.horizonDays, req.windowDays);
      const build = buildRefresherProblem(input);
      const sol = await run(build.problem, { timeLimitSeconds: req.timeLimitSeconds, relativeGapLimit: 0.001 });
      const assignments: RefresherAssignment[] = [];
      const unplanned: RefresherProposal['unplanned'] = [];
      const siteName = new Map(input.sites.map((x) => [x.id, x.name]));
      const away = new Array<number>(build.cells.length).fill(0);
      build.due.forEach((o, i) => {
        const c = sol.chosen[i]!;
        if (c < 0) {
          unplanned.push({ officer: o.collar, name: o.name, lapses: o.lapses });
          return;
        }
        const cand = build.problem.officers[i]!.cands[c]!;
        away[cand.cell]! += 1;
        const { date, site, code } = build.candidates[i]![c]!;
        assignments.push({
          officer: o.collar,
          name: o.name,
          station: o.station,
          team: o.team,
          date,
          site: { id: site, name: siteName.get(site)! },
          shift: code,
          lapses: o.lapses,
        });
      });
      assignments.sort((a, b) => a.date.localeCompare(b.date) || a.officer.localeCompare(b.officer));
      // Cover per week of the course days: pairs without a carrier and hours below the minimum, before and after.
      const weekOf = (date: string) => iso(DateTime.fromISO(date, { zone: LONDON }).startOf('week'));
      const byWeek = new Map<string, { officers: string[]; before: CoverFigures; after: CoverFigures }>();
      const at = (w: string) =>
        byWeek.get(w) ??
        byWeek
          .set(w, {
            officers: [],
            before: { pairsWithoutCarrier: 0, hoursBelowMinimum: 0 },
            after: { pairsWithoutCarrier: 0, hoursBelowMinimum: 0 },
          })
          .get(w)!;
      const groupAway = new Array<number>(build.problem.groups.length).fill(0);
      const groupWeek: string[] = [];
      const groupHours: number[] = [];
      build.cells.forEach((cell, ci) => {
        const c = build.problem.cells[ci]!;
        const w = at(weekOf(cell.date));
        w.before.pairsWithoutCarrier += pairsWithoutCarrier(c.onDuty, c.carriers);
        w.after.pairsWithoutCarrier += pairsWithoutCarrier(c.onDuty - away[ci]!, c.carriers - away[ci]!);
        groupAway[c.group]! += away[ci]!;
        groupWeek[c.group] = weekOf(cell.date);
        groupHours[c.group] = cell.hours;
      });
      build.problem.groups.forEach((g, gi) => {
        const w = at(groupWeek[gi]!);
        if (g.carriers < g.min) w.before.hoursBelowMinimum += groupHours[gi]!;
        if (g.carriers - groupAway[gi]! < g.min) w.after.hoursBelowMinimum += groupHours[gi]!;
      });
      for (const a of assignments) at(weekOf(a.date)).officers.push(a.officer);
      const weeks = [...byWeek.entries()]
        .filter(([, w]) => w.officers.length > 0)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([week, w]) => ({ week, ...w }));
      const added = weeks.reduce(
        (s, w) => ({
          pairsWithoutCarrier: s.pairsWithoutCarrier + w.after.pairsWithoutCarrier - w.before.pairsWithoutCarrier,
          hoursBelowMinimum: s.hoursBelowMinimum + w.after.hoursBelowMinimum - w.before.hoursBelowMinimum,
        }),
        { pairsWithoutCarrier: 0, hoursBelowMinimum: 0 },
      );
      const sites = input.sites.map((x) => {
        const slots = build.slots.flatMap((sl, k) => (sl.site === x.id ? [k] : []));
        return {
          id: x.id,
          name: x.name,
          courseDays: slots.length,
          placesLeft: slots.reduce((sum, k) => sum + build.problem.places[k]!, 0),
          proposed: assignments.filter((a) => a.site.id === x.id).length,
        };
      });
      return {
        id: proposalId(
          req.unit,
          input,
          assignments.map((a) => ({ officer: a.officer, date: a.date, site: a.site.id })),
        ),
        unit: `${req.unit.level}:${req.unit.id}`,
        asOf: clock().toISOString(),
        from: build.from,
        to: build.to,
        status: sol.status,
        objective: sol.objective,
        bound: sol.bound,
        gap: sol.gap,
        ms: Math.round(sol.ms),
        assignments,
        unplanned,
        skipped: build.skipped,
        added,
        weeks,
        sites,
      };
    },

    /**
     * Books exactly the reviewed proposal: one `training` abstraction per assignment, and the audit record.
     * Repeating a booking returns the first; a proposal whose data changed since is refused (409).
     */
    async book(actor: Actor, req: RefresherBookRequest): Promise<RefresherBooking & { repeated: boolean }> {
      requireRole(actor, 'refreshers', 'write');
      await unitFilter(actor, req.unit);
      const before = await repos.refresherBookings.get(req.proposalId);
      if (before && before.force === actor.force) return { ...before, repeated: true };
      const { input, officers } = await loadInput(actor, req.unit, req.horizonDays, req.windowDays);
      const build = buildRefresherProblem(input);
      // Each officer's legal course slots; an assignment without a site takes the one site on that date.
      const legal = new Map(build.due.map((o, i) => [o.collar, build.candidates[i]!]));
      const assignments = req.assignments.map((a, i) => {
        const slots = (legal.get(a.officer) ?? []).filter((c) => c.date === a.date && (!a.site || c.site === a.site));
        if (slots.length === 0)
          throw new ValidationError(
            `${a.officer} may not take a refresher on ${a.date}${a.site ? ` at ${a.site}` : ''}.`,
            { path: `assignments.${i}` },
            'refresher_not_allowed',
          );
        if (slots.length > 1)
          throw new ValidationError(
            `${a.officer} may take a refresher at more than one site on ${a.date}: name the site.`,
            { path: `assignments.${i}.site` },
            'refresher_not_allowed',
          );
        return { officer: a.officer, date: a.date, site: slots[0]!.site };
      });
      if (proposalId(req.unit, input, assignments) !== req.proposalId)
        throw new ConflictError(
          'The officers, rotas, abstractions, training sites or course places changed since this proposal was made: plan again.',
          'refresher_plan_stale',
        );
      // Never more than a course's places left, whatever the request says.
      const places = new Map(build.slots.map((sl, k) => [slotKey(sl.site, sl.date), build.problem.places[k]!]));
      const taking = new Map<string, number>();
      for (const [i, a] of assignments.entries()) {
        const k = slotKey(a.site, a.date);
        taking.set(k, (taking.get(k) ?? 0) + 1);
        if (taking.get(k)! > (places.get(k) ?? 0))
          throw new ValidationError(
            `The course at ${a.site} on ${a.date} has ${places.get(k) ?? 0} places left.`,
            { path: `assignments.${i}` },
            'refresher_not_allowed',
          );
      }
      const record: RefresherBooking = {
        id: req.proposalId,
        force: actor.force,
        unit: `${req.unit.level}:${req.unit.id}`,
        by: actor.username,
        at: clock().toISOString(),
        abstractions: assignments.map((a) => `rf-${req.proposalId}-${a.officer}`),
        assignments,
      };
      // The record first: it claims the proposal, so a concurrent second booking finds it instead of booking twice.
      try {
        await repos.refresherBookings.create(record);
      } catch (e) {
        const won = await repos.refresherBookings.get(req.proposalId);
        if (won) return { ...won, repeated: true };
        throw e;
      }
      const byCollar = new Map(officers.map((o) => [o.collar, o]));
      const siteName = new Map(input.sites.map((x) => [x.id, x.name]));
      for (const a of assignments) {
        const o = byCollar.get(a.officer)!;
        const id = `rf-${req.proposalId}-${a.officer}`;
        if (await repos.abstractions.get(id)) continue;
        await repos.abstractions.create({
          id,
          officer: a.officer,
          kind: 'training',
          from: a.date,
          to: a.date,
          note: `Taser refresher at ${siteName.get(a.site)} (plan ${req.proposalId})`,
          site: a.site,
          force: o.force,
          bcu: o.bcu,
          borough: o.borough,
          station: o.station,
        });
      }
      return { ...record, repeated: false };
    },
  };
}

const csvCell = (v: unknown): string => `"${String(v).replace(/"/g, '""')}"`;

/** The cliff as CSV, one row per week. */
export function cliffCsv(r: CliffReport): string {
  const cols: (keyof CliffWeek)[] = ['week', 'end', 'inDate', 'needed', 'below', 'lapsing', 'refreshers'];
  return [cols.join(','), ...r.weeks.map((w) => cols.map((c) => csvCell(w[c])).join(','))].join('\r\n') + '\r\n';
}
