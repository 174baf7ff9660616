import { DateTime, Interval } from 'luxon';
import type { Abstraction } from '../schemas/abstraction.schema.js';
import type { ShiftDefinition, ShiftInstance, Team } from '../schemas/shift.schema.js';
import { LONDON } from './zone.js';

const DAY_FORMAT = 'yyyy-MM-dd';

/** The local dates from `from` to `to` inclusive. */
export function eachDate(from: string, to: string, zone = LONDON): string[] {
  const out: string[] = [];
  let d = DateTime.fromISO(from, { zone }).startOf('day');
  const last = DateTime.fromISO(to, { zone }).startOf('day');
  while (d <= last) {
    out.push(d.toFormat(DAY_FORMAT));
    d = d.plus({ days: 1 });
  }
  return out;
}

/** What a team's rota says for a local date: a shift code or `R`. */
export function rotaCodeOn(team: Pick<Team, 'rota'>, date: string, zone = LONDON): string {
  const anchor = DateTime.fromISO(team.rota.anchorDate, { zone });
  const day = DateTime.fromISO(date, { zone });
  const offset = Math.round(day.diff(anchor, 'days').days);
  const n = team.rota.pattern.length;
  return team.rota.pattern[((offset % n) + n) % n] ?? 'R';
}

/**
 * The start and end instants of a shift that starts on a local date: luxon resolves the wall-clock
 * times in the zone, so a night across a clock change is an hour shorter (spring) or longer (autumn).
 */
export function shiftBounds(def: Pick<ShiftDefinition, 'start' | 'end'>, date: string, zone = LONDON) {
  const day = DateTime.fromISO(date, { zone });
  const [sh, sm] = def.start.split(':').map(Number) as [number, number];
  const [eh, em] = def.end.split(':').map(Number) as [number, number];
  const start = day.set({ hour: sh, minute: sm, second: 0, millisecond: 0 });
  const endDay = eh * 60 + em <= sh * 60 + sm ? day.plus({ days: 1 }) : day;
  const end = endDay.set({ hour: eh, minute: em, second: 0, millisecond: 0 });
  return { start, end };
}

export const shiftInstanceId = (station: string, date: string, code: string): string => `${station}-${date}-${code}`;

/** The shift instances that teams work between two local dates inclusive (by start date). */
export function expandRota(
  teams: readonly Team[],
  definitions: readonly ShiftDefinition[],
  from: string,
  to: string,
  zone = LONDON,
): ShiftInstance[] {
  const defs = new Map(definitions.map((d) => [d.code, d]));
  const out: ShiftInstance[] = [];
  for (const date of eachDate(from, to, zone)) {
    for (const team of teams) {
      const code = rotaCodeOn(team, date, zone);
      const def = defs.get(code);
      if (!def) continue;
      const { start, end } = shiftBounds(def, date, zone);
      out.push({
        id: shiftInstanceId(team.station, date, code),
        station: team.station,
        code,
        name: def.name,
        date,
        team: team.id,
        start: start.toUTC().toISO({ suppressMilliseconds: true })!,
        end: end.toUTC().toISO({ suppressMilliseconds: true })!,
        zone,
        hours: end.diff(start, 'hours').hours,
      });
    }
  }
  return out.sort((a, b) => a.start.localeCompare(b.start) || a.station.localeCompare(b.station));
}

/** True when an abstraction takes the officer off a shift: it covers the shift's local start date. */
export function abstractedFrom(abs: Pick<Abstraction, 'from' | 'to'>, shift: Pick<ShiftInstance, 'date'>): boolean {
  return abs.from <= shift.date && shift.date <= abs.to;
}

/** Officers of the shift's team at its station, minus those abstracted, with who was taken off and why. */
export function onDuty<O extends { collar: string; team: string; station: string }>(
  shift: ShiftInstance,
  officers: readonly O[],
  abstractions: readonly Pick<Abstraction, 'officer' | 'from' | 'to' | 'kind'>[],
): { present: O[]; abstracted: { officer: O; kind: Abstraction['kind'] }[] } {
  const byOfficer = new Map<string, Pick<Abstraction, 'officer' | 'from' | 'to' | 'kind'>[]>();
  for (const a of abstractions) byOfficer.set(a.officer, [...(byOfficer.get(a.officer) ?? []), a]);
  const present: O[] = [];
  const abstracted: { officer: O; kind: Abstraction['kind'] }[] = [];
  for (const o of officers) {
    if (o.team !== shift.team || o.station !== shift.station) continue;
    const hit = (byOfficer.get(o.collar) ?? []).find((a) => abstractedFrom(a, shift));
    if (hit) abstracted.push({ officer: o, kind: hit.kind });
    else present.push(o);
  }
  return { present, abstracted };
}

/** Duration of an instance in hours, from its UTC instants. */
export const shiftHours = (s: Pick<ShiftInstance, 'start' | 'end'>): number =>
  Interval.fromDateTimes(DateTime.fromISO(s.start), DateTime.fromISO(s.end)).length('hours');
