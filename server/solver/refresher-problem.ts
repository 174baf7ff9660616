import { DateTime } from 'luxon';
import { authorisationLapseDate } from '../../shared/rules/authorisation.js';
import type { CarryPolicy } from '../../shared/rules/eligibility.js';
import {
  courseDates,
  mayCarryApartFromDates,
  renewedLastTrained,
  siteServes,
  type SiteRule,
} from '../../shared/rules/refresher.js';
import type { Abstraction } from '../../shared/schemas/abstraction.schema.js';
import type { Officer } from '../../shared/schemas/officer.schema.js';
import type { ShiftDefinition, Team } from '../../shared/schemas/shift.schema.js';
import { rotaCodeOn, shiftBounds } from '../../shared/time/rota.js';
import type { RefresherProblem } from './refresher.js';

type Abs = Pick<Abstraction, 'officer' | 'kind' | 'from' | 'to'>;
type Off = Pick<Officer, 'collar' | 'name' | 'kind' | 'station' | 'borough' | 'team' | 'taser'>;

/** The unit's data a refresher plan is made from (all plain; the service loads it). */
export type RefresherInput = {
  /** Local date of "today": the plan starts tomorrow. */
  today: string;
  horizonDays: number;
  windowDays: number;
  zone: string;
  policy: CarryPolicy;
  minTaserUnits: number;
  /** The training sites (`trainingSitesOf` the force settings): days, places, the boroughs each serves. */
  sites: readonly SiteRule[];
  teams: readonly Pick<Team, 'id' | 'station' | 'borough' | 'rota'>[];
  definitions: readonly Pick<ShiftDefinition, 'code' | 'start' | 'end'>[];
  officers: readonly Off[];
  /** The unit's abstractions (any kind) overlapping the plan's dates, and its officers' training abstractions. */
  abstractions: readonly Abs[];
  /** Places already taken per `<site id>|<date>` (training abstractions force-wide, `siteOfTraining`). */
  placesTaken: ReadonlyMap<string, number>;
};

/** The key of a course slot (a site on a date) in `placesTaken`. */
export const slotKey = (site: string, date: string): string => `${site}|${date}`;

/** A course slot: one site's course on one date. */
export type CourseSlot = { site: string; date: string };

export type DueOfficer = {
  collar: string;
  name: string;
  station: string;
  borough: string;
  team: string;
  lapses: string;
};
export type RefresherCell = {
  date: string;
  station: string;
  borough: string;
  team: string;
  code: string;
  hours: number;
};

export type RefresherBuild = {
  from: string;
  to: string;
  /** The dates with a course slot, sorted. */
  dates: string[];
  /** The course slots with places left, by date then site order: `problem.places` and `cands[].slot` index them. */
  slots: CourseSlot[];
  problem: RefresherProblem;
  due: DueOfficer[];
  /** Per due officer, per candidate: the date, the site and the shift code left. */
  candidates: { date: string; site: string; code: string }[][];
  cells: RefresherCell[];
  skipped: { alreadyBooked: number; beyondHorizon: number; lapsed: number };
};

/** Officers of each team (at the team's station, as the rota's on-duty rule has it). */
export function teamMembers<O extends Pick<Off, 'team' | 'station'>>(
  teams: readonly Pick<Team, 'id' | 'station'>[],
  officers: readonly O[],
): Map<string, O[]> {
  const out = new Map<string, O[]>(teams.map((t) => [t.id, []]));
  const station = new Map(teams.map((t) => [t.id, t.station]));
  for (const o of officers) if (station.get(o.team) === o.station) out.get(o.team)!.push(o);
  return out;
}

/** Abstractions by officer, and whether one takes an officer off a local date. */
export function absenceIndex(abstractions: readonly Abs[]) {
  const by = new Map<string, Abs[]>();
  for (const a of abstractions) by.set(a.officer, [...(by.get(a.officer) ?? []), a]);
  return {
    away: (collar: string, date: string): boolean => (by.get(collar) ?? []).some((a) => a.from <= date && date <= a.to),
    trainingDates: (collar: string): string[] =>
      (by.get(collar) ?? []).filter((a) => a.kind === 'training').map((a) => a.from),
  };
}

/**
 * The refresher planner's problem for a unit: who is due (lapsing within the horizon, no refresher booked),
 * the course slots they could take (a site serving their borough, on one of its weekdays with places left, a
 * day their team works and they are not abstracted, within `windowDays` before and strictly before the
 * lapse), and the shifts they would leave.
 */
export function buildRefresherProblem(input: RefresherInput): RefresherBuild {
  const { zone, policy } = input;
  const day0 = DateTime.fromISO(input.today, { zone });
  const from = day0.plus({ days: 1 }).toISODate()!;
  const to = day0.plus({ days: input.horizonDays }).toISODate()!;
  const left = (site: SiteRule, date: string) =>
    site.placesPerDay - (input.placesTaken.get(slotKey(site.id, date)) ?? 0);
  const slots: CourseSlot[] = input.sites
    .flatMap((site, k) =>
      courseDates(from, to, site.days, zone)
        .filter((date) => left(site, date) > 0)
        .map((date) => ({ site: site.id, date, k })),
    )
    .sort((a, b) => a.date.localeCompare(b.date) || a.k - b.k)
    .map(({ site, date }) => ({ site, date }));
  const dates = [...new Set(slots.map((s) => s.date))];
  const siteById = new Map(input.sites.map((s) => [s.id, s]));
  const defs = new Map(input.definitions.map((d) => [d.code, d]));
  const members = teamMembers(input.teams, input.officers);
  const abs = absenceIndex(input.abstractions);

  // Who is due, and each carrier's effective lapse.
  const lapseOf = new Map<string, string>();
  const due: DueOfficer[] = [];
  const skipped = { alreadyBooked: 0, beyondHorizon: 0, lapsed: 0 };
  for (const o of input.officers) {
    if (!o.taser || !mayCarryApartFromDates(o, policy, zone)) continue;
    const training = abs.trainingDates(o.collar);
    const lapses = authorisationLapseDate(
      renewedLastTrained(o.taser.lastTrained, training, policy.authorisationMonths),
      policy.authorisationMonths,
      zone,
    );
    lapseOf.set(o.collar, lapses);
    if (!members.get(o.team)?.includes(o)) continue;
    if (training.some((d) => d >= from)) skipped.alreadyBooked += 1;
    else if (lapses <= from) skipped.lapsed += 1;
    else if (lapses > to) skipped.beyondHorizon += 1;
    else due.push({ collar: o.collar, name: o.name, station: o.station, borough: o.borough, team: o.team, lapses });
  }
  const dueSet = new Set(due.map((d) => d.collar));

  // Cells: each team's shift on each course day, with who is on duty and who may carry.
  const cells: RefresherCell[] = [];
  const cellOf = new Map<string, number>();
  const cellCounts: { onDuty: number; carriers: number; group: number }[] = [];
  const groupKey = new Map<string, number>();
  const groups: RefresherProblem['groups'] = [];
  for (const date of dates) {
    for (const t of input.teams) {
      const code = rotaCodeOn(t, date, zone);
      const def = defs.get(code);
      if (!def) continue;
      const present = (members.get(t.id) ?? []).filter((o) => !abs.away(o.collar, date));
      // A due officer counts as a carrier throughout: the plan renews them before their lapse.
      const carriers = present.filter((o) => dueSet.has(o.collar) || (lapseOf.get(o.collar) ?? '') > date).length;
      const { start, end } = shiftBounds(def, date, zone);
      const hours = end.diff(start, 'hours').hours;
      const gk = `${t.borough}|${date}|${code}`;
      let g = groupKey.get(gk);
      if (g === undefined) {
        g = groups.length;
        groupKey.set(gk, g);
        groups.push({ weight: Math.round(hours * 4), carriers: 0, min: input.minTaserUnits });
      }
      groups[g]!.carriers += carriers;
      cellOf.set(`${t.id}|${date}`, cells.length);
      cells.push({ date, station: t.station, borough: t.borough, team: t.id, code, hours });
      cellCounts.push({ onDuty: present.length, carriers, group: g });
    }
  }

  const candidates: { date: string; site: string; code: string }[][] = [];
  const officers: RefresherProblem['officers'] = due.map((o) => {
    const earliest = DateTime.fromISO(o.lapses, { zone }).minus({ days: input.windowDays }).toISODate()!;
    const cands: { slot: number; cell: number }[] = [];
    const meta: { date: string; site: string; code: string }[] = [];
    slots.forEach(({ site, date }, slot) => {
      if (date < earliest || date >= o.lapses || !siteServes(siteById.get(site)!, o.borough)) return;
      const cell = cellOf.get(`${o.team}|${date}`);
      if (cell === undefined || abs.away(o.collar, date)) return;
      cands.push({ slot, cell });
      meta.push({ date, site, code: cells[cell]!.code });
    });
    candidates.push(meta);
    return { cands };
  });
  return {
    from,
    to,
    dates,
    slots,
    problem: {
      places: slots.map((s) => left(siteById.get(s.site)!, s.date)),
      officers,
      cells: cellCounts,
      groups,
    },
    due,
    candidates,
    cells,
    skipped,
  };
}
