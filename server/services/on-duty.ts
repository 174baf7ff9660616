import { DateTime } from 'luxon';
import type { Officer } from '../../shared/schemas/officer.schema.js';
import type { ShiftInstance } from '../../shared/schemas/shift.schema.js';
import { expandRota, onDuty } from '../../shared/time/rota.js';
import { LONDON } from '../../shared/time/zone.js';
import { isCurrentShift } from '../../shared/rules/current-shift.js';
import type { Abstraction } from '../../shared/schemas/abstraction.schema.js';
import type { ShiftDefinition, Team } from '../../shared/schemas/shift.schema.js';

/**
 * True when `now` lies in a shift's working window: from the force's issue lead (`issueLeadMinutes` of its
 * settings, read by the caller) before its start until its end. The one rule, in shared/rules/current-shift.ts.
 */
export const withinShift = isCurrentShift;

/** `BR-2026-11-22-N` → station, local date and shift code (the shape of `shiftInstanceId`). */
export const parseShiftId = (id: string): { station: string; date: string; code: string } | null => {
  const m = /^(.+)-(\d{4}-\d{2}-\d{2})-([A-Z]{1,3})$/.exec(id);
  return m ? { station: m[1]!, date: m[2]!, code: m[3]! } : null;
};

/** Where the duty check reads teams, shift definitions and abstractions from (the reference cache). */
export type DutySource = {
  teams: { get(id: string): Promise<Team | null> };
  shiftDefinitions(force: string): Promise<ShiftDefinition[]>;
  abstractionsOf(collar: string, from: string, to: string): Promise<Abstraction[]>;
};

/**
 * The rota shift an officer is on at `now` (within the booking window), minus abstractions, or null.
 * Where two overlap (a late starting as a night's lead time begins), the one that started last wins.
 */
export async function currentShiftOf(
  ref: DutySource,
  officer: Officer,
  now: Date,
  leadMinutes: number,
): Promise<ShiftInstance | null> {
  const team = await ref.teams.get(officer.team);
  if (!team) return null;
  const today = DateTime.fromJSDate(now, { zone: LONDON });
  const from = today.minus({ days: 1 }).toISODate()!;
  const to = today.toISODate()!;
  const [defs, abstractions] = await Promise.all([
    ref.shiftDefinitions(officer.force),
    ref.abstractionsOf(officer.collar, from, to),
  ]);
  const running = expandRota([team], defs, from, to, LONDON)
    .filter((s) => withinShift(s, now, leadMinutes))
    .filter((s) => onDuty(s, [officer], abstractions).present.length === 1);
  return running.sort((a, b) => b.start.localeCompare(a.start))[0] ?? null;
}
