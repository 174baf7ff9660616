import { DateTime } from 'luxon';
import type { ShiftDefinition } from '../schemas/shift.schema.js';
import { shiftBounds } from '../time/rota.js';
import { LONDON } from '../time/zone.js';

/**
 * The one rule for "current" (issue 9): a shift is current at `now` from the force's issue lead
 * (`issueLeadMinutes` of its settings) before its start until its end. Officers may book on and draw a
 * device in that window, the armoury lists its planned carriers, and the board shows its units.
 */
export const isCurrentShift = (s: { start: string; end: string }, now: Date, leadMinutes: number): boolean => {
  const t = now.getTime();
  return Date.parse(s.start) - leadMinutes * 60_000 <= t && t < Date.parse(s.end);
};

/** The instant (ms) a shift becomes current: its start less the issue lead. */
export const opensAt = (s: { start: string }, leadMinutes: number): number =>
  Date.parse(s.start) - leadMinutes * 60_000;

/** A shift of the force's definitions on a local date, with its UTC bounds (ISO). */
export type ShiftOccurrence = { date: string; code: string; name: string; start: string; end: string };

/** The force's shifts of the local dates around `now` (the day before to the day after next), in start order. */
export function occurrencesAround(
  defs: Pick<ShiftDefinition, 'code' | 'name' | 'start' | 'end'>[],
  now: Date,
): ShiftOccurrence[] {
  const today = DateTime.fromJSDate(now, { zone: LONDON });
  return [-1, 0, 1, 2]
    .flatMap((d) => {
      const date = today.plus({ days: d }).toISODate()!;
      return defs.map((def) => {
        const { start, end } = shiftBounds(def, date);
        return { date, code: def.code, name: def.name, start: start.toUTC().toISO()!, end: end.toUTC().toISO()! };
      });
    })
    .sort((a, b) => a.start.localeCompare(b.start) || a.code.localeCompare(b.code));
}

/** The shifts current at `now` (the rule above) and those that become current next, each marked. */
export function currentShifts<S extends { start: string; end: string }>(
  shifts: S[],
  now: Date,
  leadMinutes: number,
): (S & { when: 'current' | 'next' })[] {
  const t = now.getTime();
  const current = shifts.filter((s) => isCurrentShift(s, now, leadMinutes));
  const later = shifts.filter((s) => opensAt(s, leadMinutes) > t);
  const nextOpen = Math.min(...later.map((s) => opensAt(s, leadMinutes)));
  return [
    ...current.map((s) => ({ ...s, when: 'current' as const })),
    ...later.filter((s) => opensAt(s, leadMinutes) === nextOpen).map((s) => ({ ...s, when: 'next' as const })),
  ];
}

/**
 * The first instant after `after` (ms) at which the set of current shifts changes: a shift's opening (start
 * less the lead) or its end. Null when none of `shifts` has one left.
 */
export function nextShiftBoundary(shifts: { start: string; end: string }[], after: number, leadMinutes: number) {
  let best: number | null = null;
  for (const s of shifts)
    for (const t of [opensAt(s, leadMinutes), Date.parse(s.end)])
      if (t > after && (best === null || t < best)) best = t;
  return best;
}
