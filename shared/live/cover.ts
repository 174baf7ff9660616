import type { CoverAlert, DeviceLive, UnitLive } from '../schemas/board.schema.js';

/**
 * Taser cover: the one rule for how many Taser-equipped units a borough has on one shift. The server's cover
 * alerts (server/services/cover-alert.service.ts), the board summary (shared/live/board-state.ts `summarise`)
 * and the alerts the board shows all count with `taserCover`, so a summary and an alert never disagree.
 */

/** A borough's shift: local date and shift code, across the borough's stations. */
export type CoverShift = { borough: string; date: string; code: string };

/** `BR-2026-11-22-N` → its local date and shift code (the tail of `shiftInstanceId`), or null. */
export const shiftDateCode = (shift: string): { date: string; code: string } | null => {
  const m = /-(\d{4}-\d{2}-\d{2})-([A-Z]{1,3})$/.exec(shift);
  return m ? { date: m[1]!, code: m[2]! } : null;
};

/** The key of a borough's shift, as cover alerts are keyed: `BROM|2026-11-22|N`. */
export const coverKey = (c: CoverShift): string => `${c.borough}|${c.date}|${c.code}`;

/** The borough-shift a unit counts towards, or null for a shift id of another shape. */
export const coverShiftOf = (u: Pick<UnitLive, 'borough' | 'shift'>): CoverShift | null => {
  const dc = shiftDateCode(u.shift);
  return dc ? { borough: u.borough, ...dc } : null;
};

/** Who holds a device now: issued devices by holder. */
export const holdersOf = (devices: Iterable<DeviceLive>): Map<string, DeviceLive> => {
  const m = new Map<string, DeviceLive>();
  for (const d of devices) if (d.state === 'issued' && d.holder) m.set(d.holder, d);
  return m;
};

/** A unit is Taser-equipped when someone of its crew is booked on and one of its booked-on officers holds a device. */
export const isTaserUnit = (u: Pick<UnitLive, 'bookedOn'>, holds: (collar: string) => boolean): boolean =>
  u.bookedOn.length > 0 && u.bookedOn.some(holds);

/** THE rule: the Taser-equipped units of a borough's shift. */
export function taserCover(
  units: Iterable<Pick<UnitLive, 'borough' | 'shift' | 'bookedOn'>>,
  holds: (collar: string) => boolean,
  at: CoverShift,
): number {
  let n = 0;
  for (const u of units) {
    if (u.borough !== at.borough || !isTaserUnit(u, holds)) continue;
    const dc = shiftDateCode(u.shift);
    if (dc && dc.date === at.date && dc.code === at.code) n += 1;
  }
  return n;
}

/** `taserCover` of every borough-shift that has a unit, by `coverKey`. */
export function taserCoverByShift(
  units: Iterable<Pick<UnitLive, 'borough' | 'shift' | 'bookedOn'>>,
  holds: (collar: string) => boolean,
): Map<string, number> {
  const m = new Map<string, number>();
  for (const u of units) {
    const c = coverShiftOf(u);
    if (!c) continue;
    const k = coverKey(c);
    m.set(k, (m.get(k) ?? 0) + (isTaserUnit(u, holds) ? 1 : 0));
  }
  return m;
}

/**
 * The cover alerts a board shows: those the server holds below the minimum, with the count the rule gives on
 * the same state the summary is read from, and only while that count is still below the minimum (between a
 * change and the server's recount, the board never shows "3 units, minimum 3" as an alert).
 */
export function shownAlerts(alerts: Iterable<CoverAlert>, counts: ReadonlyMap<string, number>): CoverAlert[] {
  const out: CoverAlert[] = [];
  for (const a of alerts) {
    if (!a.below) continue;
    const count = counts.get(a.key) ?? 0;
    if (count < a.min) out.push({ ...a, count });
  }
  return out.sort((a, b) => a.key.localeCompare(b.key));
}
