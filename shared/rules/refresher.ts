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
