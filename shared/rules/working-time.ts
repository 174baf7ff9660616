import { DateTime } from 'luxon';
import type { ShiftDefinition } from '../schemas/shift.schema.js';
import { shiftBounds } from '../time/rota.js';
import { LONDON } from '../time/zone.js';

/** DESIGN.md: at least 11 hours' rest between shifts. */
export const MIN_REST_HOURS = 11;

export type RestBreach = { day: number; from: string; to: string; restHours: number };

/**
 * Where a rota pattern leaves less than the minimum rest between one day's shift and the next day's
 * (the pattern repeats, so the last day is followed by the first). Measured on an ordinary week, away from
 * clock changes; unknown codes count as rest.
 */
export function restBreaches(
  pattern: readonly string[],
  definitions: readonly Pick<ShiftDefinition, 'code' | 'start' | 'end'>[],
  minHours = MIN_REST_HOURS,
): RestBreach[] {
  const defs = new Map(definitions.map((d) => [d.code, d]));
  const day0 = DateTime.fromISO('2026-01-05', { zone: LONDON });
  const out: RestBreach[] = [];
  pattern.forEach((code, i) => {
    const next = pattern[(i + 1) % pattern.length]!;
    const a = defs.get(code);
    const b = defs.get(next);
    if (!a || !b || pattern.length < 2) return;
    const end = shiftBounds(a, day0.toISODate()!).end;
    const start = shiftBounds(b, day0.plus({ days: 1 }).toISODate()!).start;
    const restHours = start.diff(end, 'hours').hours;
    if (restHours < minHours) out.push({ day: i, from: code, to: next, restHours });
  });
  return out;
}
