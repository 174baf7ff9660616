import { DateTime } from 'luxon';
import { officerLabel } from '../../shared/rules/crew-check.js';
import { authorisationExpiry } from '../../shared/rules/authorisation.js';
import type { Abstraction } from '../../shared/schemas/abstraction.schema.js';
import type { Officer } from '../../shared/schemas/officer.schema.js';
import type { Plan } from '../../shared/schemas/plan.schema.js';
import type {
  RosterCell,
  RosterOfficer,
  RosterQuery,
  RosterShift,
  RosterShiftCell,
  RosterView,
} from '../../shared/schemas/roster.schema.js';
import type { Scenario } from '../../shared/schemas/scenario.schema.js';
import type { Actor } from '../../shared/schemas/user.schema.js';
import { eachDate } from '../../shared/time/rota.js';
import { LONDON } from '../../shared/time/zone.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { crewPlanRepository as plans } from '../repositories/crew-plan.repository.js';
import type { Repositories } from '../repositories/index.js';
import { requireRole, requireScope, requireUnitsInScope } from './access.js';
import { parseShiftId } from './on-duty.js';
import type { ReferenceCache } from './reference-cache.js';

type PlanUnitRef = { level: 'station' | 'borough' | 'bcu'; id: string };
/** The store's order of a string key (binary, as MongoDB and FerretDB sort). */
const byKey =
  <T>(key: (t: T) => string) =>
  (a: T, b: T): number =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

/** An authorisation lapsing on or before this many days after the plan's last day is "lapsing soon". */
export const LAPSING_SOON_DAYS = 30;

const localDateOf = (iso: string) => DateTime.fromISO(iso, { zone: LONDON }).toISODate()!;
const localTimeOf = (iso: string) => DateTime.fromISO(iso, { zone: LONDON }).toFormat('HH:mm');
/** Authorisation expiries by training date and months (a bounded memo: luxon's zone arithmetic is slow). */
const expiries = new Map<string, { expires: string; ms: number }>();
const expiryOf = (lastTrained: string, months: number): { expires: string; ms: number } => {
  const key = `${lastTrained}|${months}`;
  let e = expiries.get(key);
  if (!e) {
    const expiry = authorisationExpiry(lastTrained, months, LONDON);
    e = { expires: expiry.toISODate()!, ms: expiry.toMillis() };
    if (expiries.size >= 20_000) expiries.clear();
    expiries.set(key, e);
  }
  return e;
};
/** `f` computed once per distinct argument (within one view). */
const memoOf = <R>(f: (k: string) => R) => {
  const seen = new Map<string, R>();
  return (k: string): R => {
    if (!seen.has(k)) seen.set(k, f(k));
    return seen.get(k)!;
  };
};

/**
 * The roster view of a plan (issue 7 item 2): officers × days, each cell the officer's crew, partner and
 * device on that day's shift, or the abstraction. Names, ranks, teams and Taser status are today's from the
 * officers collection; an officer still in a crew whose day an abstraction now covers is flagged `affected`.
 */
export function createRosterService(repos: Repositories, ref?: ReferenceCache) {
  /** The unit's officers (by collar) and their abstractions overlapping the dates (by id), as the store would list them. */
  const unitPeople = async (unit: PlanUnitRef, from: string, to: string): Promise<[Officer[], Abstraction[]]> => {
    const where = { [unit.level]: unit.id };
    if (!ref)
      return Promise.all([
        repos.officers.find(where),
        repos.abstractions.find({ ...where, from: { $lte: to }, to: { $gte: from } }),
      ]);
    const inUnit = (x: Record<PlanUnitRef['level'], string>) => x[unit.level] === unit.id;
    const officers = [...(await ref.officers.all()).values()].filter(inUnit).sort(byKey((o) => o.collar));
    const abstractions = (await Promise.all(officers.map((o) => ref.abstractionsOf(o.collar, from, to))))
      .flat()
      .filter(inUnit)
      .sort(byKey((a) => a.id));
    return [officers, abstractions];
  };

  return {
    async view(actor: Actor, id: string, q: RosterQuery): Promise<RosterView> {
      requireRole(actor, 'plans', 'read');
      // The scenario's officers and devices are most of a large plan's bytes and the slowest part to read.
      const p = await plans.get(id, {
        'scenario.officers': 0,
        'scenario.devices': 0,
        'scenario.locks': 0,
        'scenario.previousPlan': 0,
        'plan.explanations': 0,
      });
      if (!p) throw new NotFoundError(`There is no plan ${id}.`, 'plan_not_found');
      requireScope(actor, p);
      if (q.station) await requireUnitsInScope(repos, actor, { station: q.station });
      if (!p.plan || !p.scenario)
        throw new ConflictError(`Plan ${id} has no result yet (status ${p.status}).`, 'plan_not_ready');
      const scenario = p.scenario as Scenario;
      const plan = p.plan as Plan;
      const [everyone, abstractions] = await unitPeople(p.unit, p.from, p.to);
      const officers = everyone.filter(
        (o) => (!q.team || o.team === q.team) && (!q.station || o.station === q.station),
      );
      // Luxon's zone arithmetic is most of the view's time: each distinct instant is read once.
      const localDate = memoOf(localDateOf);
      const localTime = memoOf(localTimeOf);
      const shifts: RosterShift[] = scenario.shifts
        .filter((s) => !q.station || s.station === q.station)
        .map((s) => ({
          id: s.id,
          station: s.station,
          name: parseShiftId(s.id)?.code ?? '',
          date: parseShiftId(s.id)?.date ?? localDate(s.start),
          startLocal: localTime(s.start),
          endLocal: localTime(s.end),
          start: s.start,
          end: s.end,
        }));
      const dateOf = new Map(scenario.shifts.map((s) => [s.id, parseShiftId(s.id)?.date ?? localDate(s.start)]));
      const nameOf = new Map(
        everyone.map((o) => [o.collar, officerLabel({ id: o.collar, rank: o.rank, name: o.name })]),
      );

      const wanted = new Set(officers.map((o) => o.collar));
      const cells = new Map<string, Record<string, RosterCell>>();
      const put = (officer: string, date: string, cell: RosterCell) => {
        if (!wanted.has(officer)) return;
        const row = cells.get(officer) ?? {};
        row[date] = cell;
        cells.set(officer, row);
      };
      plan.crews.forEach((c, i) => {
        const date = dateOf.get(c.shift);
        if (!date) return;
        for (const m of c.members) {
          const partner = c.members.find((x) => x !== m);
          const device = c.carriers.find((k) => k.officer === m)?.device;
          const cell: RosterShiftCell = { shift: c.shift, crewIndex: i, carrier: device !== undefined };
          if (partner) {
            cell.partner = partner;
            cell.partnerName = nameOf.get(partner) ?? partner;
          } else cell.single = true;
          if (device) cell.device = device;
          if (c.locked) cell.locked = true;
          put(m, date, cell);
        }
      });
      for (const u of plan.unassigned) {
        const date = dateOf.get(u.shift);
        if (date) put(u.officer, date, { shift: u.shift, carrier: false, unassigned: u.reason });
      }
      const byOfficer = new Map<string, Abstraction[]>();
      for (const a of abstractions) byOfficer.set(a.officer, [...(byOfficer.get(a.officer) ?? []), a]);
      const days = eachDate(p.from, p.to);
      for (const [officer, list] of byOfficer) {
        if (!wanted.has(officer)) continue;
        for (const a of list) {
          // The plan's days the abstraction covers (ISO dates order as strings).
          for (const date of days.filter((d) => d >= a.from && d <= a.to)) {
            const cell = cells.get(officer)?.[date];
            if (cell && 'shift' in cell) {
              cell.affected = a.kind;
              cell.affectedBy = a.id;
            } else if (!cell)
              put(officer, date, { abstraction: { id: a.id, kind: a.kind, ...(a.note ? { note: a.note } : {}) } });
          }
        }
      }

      const months = scenario.policy.authorisationMonths;
      const soon = DateTime.fromISO(p.to, { zone: LONDON }).plus({ days: LAPSING_SOON_DAYS }).startOf('day');
      const soonMs = soon.toMillis();
      const taserOf = (o: Officer): RosterOfficer['taser'] => {
        if (!o.taser) return null;
        const { expires, ms } = expiryOf(o.taser.lastTrained, months);
        return {
          models: o.taser.models,
          expires,
          lapsingSoon: ms <= soonMs,
          suspended: o.taser.suspended,
          endorsed: o.taser.endorsed,
        };
      };
      const carries = (row: Record<string, RosterCell> | undefined) =>
        Object.values(row ?? {}).some((c) => 'carrier' in c && c.carrier);
      const rows: RosterOfficer[] = officers
        .filter((o) => !q.carriersOnly || carries(cells.get(o.collar)))
        .sort(
          (a, b) => a.station.localeCompare(b.station) || a.team.localeCompare(b.team) || a.name.localeCompare(b.name),
        )
        .map((o) => ({
          id: o.collar,
          name: o.name,
          rank: o.rank,
          kind: o.kind,
          team: o.team,
          station: o.station,
          taser: taserOf(o),
          cells: cells.get(o.collar) ?? {},
        }));

      return {
        plan: {
          id: p.id,
          unit: p.unit,
          from: p.from,
          to: p.to,
          status: p.status,
          revision: p.revision,
          policy: scenario.policy,
        },
        days,
        shifts,
        officers: rows,
      };
    },
  };
}
export type RosterService = ReturnType<typeof createRosterService>;
