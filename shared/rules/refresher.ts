import { DateTime } from 'luxon';
import { authorisationLapseDate } from './authorisation.js';
import { carryIneligibility, type CarrierFacts, type CarryPolicy } from './eligibility.js';

/**
 * Taser refreshers (issue 10, docs/refreshers.md). A `training` abstraction of an authorised officer is a
 * refresher: on its first day `d`, when `d` falls after the last training and before the authorisation
 * lapses, the authorisation runs again from `d`. A course after the lapse does not renew (it is a full
 * course, not a refresher). Returns the effective last-training date.
 */
export function renewedLastTrained(lastTrained: string, refresherDates: readonly string[], months: number): string {
  let cur = lastTrained;
  for (const d of [...refresherDates].sort()) {
    if (d > cur && d < authorisationLapseDate(cur, months)) cur = d;
  }
  return cur;
}

/**
 * May carry at all (authorised, volunteer, not suspended, student/special rules), whatever the dates: the
 * officers a refresher plan renews and the cliff counts.
 */
export function mayCarryApartFromDates(officer: CarrierFacts, policy: CarryPolicy, zone: string): boolean {
  if (!officer.taser) return false;
  // Far enough ahead that only the date-independent reasons remain.
  const r = carryIneligibility(officer, { ...policy, authorisationMonths: 1200 }, 0, zone);
  return r === null;
}

/**
 * Pairs left without a carrier on a shift where `onDuty` officers pair up and `carriers` of them may carry:
 * ⌊onDuty / 2⌋ pairs, each carrier equips a different pair. The count model of the refresher planner.
 */
export const pairsWithoutCarrier = (onDuty: number, carriers: number): number =>
  Math.max(0, Math.floor(Math.max(0, onDuty) / 2) - Math.max(0, carriers));

/**
 * Pairs without a carrier added when `away` carriers leave a shift of `onDuty` officers with `carriers`
 * carriers for a course day: the planner's primary cost per shift.
 */
export const pairsLostTo = (onDuty: number, carriers: number, away: number): number =>
  pairsWithoutCarrier(onDuty - away, carriers - away) - pairsWithoutCarrier(onDuty, carriers);

/** The local dates from `from` to `to` inclusive whose ISO weekday (1 = Monday) is one of `weekdays`. */
export function courseDates(from: string, to: string, weekdays: readonly number[], zone: string): string[] {
  const out: string[] = [];
  let d = DateTime.fromISO(from, { zone }).startOf('day');
  const last = DateTime.fromISO(to, { zone }).startOf('day');
  while (d <= last) {
    if (weekdays.includes(d.weekday)) out.push(d.toISODate()!);
    d = d.plus({ days: 1 });
  }
  return out;
}

/** A refresher training site, as the force settings give it (`TrainingSiteSchema`). */
export type SiteRule = {
  id: string;
  name: string;
  days: readonly number[];
  placesPerDay: number;
  /** The boroughs whose officers it serves; absent = every borough. */
  boroughs?: readonly string[] | undefined;
};

/** The id and name of the site derived from the force-wide `course` setting when no sites are configured. */
export const DEFAULT_SITE = { id: 'default', name: 'Training site' } as const;

/**
 * The force's training sites: those configured, or else one site derived from `course` (its places, its
 * weekdays — every day when it names none — serving every borough), so settings saved before sites existed
 * plan as they did.
 */
export function trainingSitesOf(s: {
  course: { placesPerDay: number; days?: readonly number[] | undefined };
  trainingSites?: readonly SiteRule[] | undefined;
}): SiteRule[] {
  if (s.trainingSites?.length) return [...s.trainingSites];
  return [{ ...DEFAULT_SITE, placesPerDay: s.course.placesPerDay, days: s.course.days ?? [1, 2, 3, 4, 5, 6, 7] }];
}

/** Whether a site serves an officer of `borough` (a site with no borough list serves every borough). */
export const siteServes = (site: Pick<SiteRule, 'boroughs'>, borough: string): boolean =>
  !site.boroughs || site.boroughs.includes(borough);

/**
 * The site whose places a training abstraction takes: the site it names when that site is configured; else
 * (a training abstraction from before sites, entered by hand, or naming a site since removed) the first site,
 * in the settings' order, that serves the officer's borough; null when none does.
 */
export function siteOfTraining(
  a: { site?: string | undefined; borough: string },
  sites: readonly SiteRule[],
): SiteRule | null {
  return (a.site && sites.find((s) => s.id === a.site)) || sites.find((s) => siteServes(s, a.borough)) || null;
}
