import { DateTime } from 'luxon';
import type { Scenario, Shift } from '../../shared/schemas/scenario.schema.js';

/** "earlies", "lates" or "nights" from the local start hour. */
export function shiftKind(startIso: string, zone: string): 'earlies' | 'lates' | 'nights' {
  const h = DateTime.fromISO(startIso, { zone }).hour;
  if (h >= 4 && h < 12) return 'earlies';
  if (h >= 12 && h < 19) return 'lates';
  return 'nights';
}

/** "28 Mar" in the scenario's zone. */
export function localDay(iso: string, zone: string): string {
  return DateTime.fromISO(iso, { zone }).toFormat('d LLL');
}

/** A planner's name for a shift: "Bromley nights 28 Mar" (or the scenario's own label). */
export function shiftLabel(shift: Shift, scenario: Pick<Scenario, 'stations' | 'timezone'>): string {
  if (shift.label) return shift.label;
  const st = scenario.stations.find((s) => s.id === shift.station);
  const place = st?.name ?? shift.station;
  return `${place} ${shiftKind(shift.start, scenario.timezone)} ${localDay(shift.start, scenario.timezone)}`;
}

/** "2 X2 devices" / "1 T7 device". */
export function plural(n: number, one: string, many: string = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
