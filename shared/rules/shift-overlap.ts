/** A time interval in epoch milliseconds, half-open: [startMs, endMs). */
export type Interval = { startMs: number; endMs: number };

/** True when two half-open intervals share time; a night ending 07:00 and an early starting 07:00 do not. */
export function intervalsOverlap(a: Interval, b: Interval): boolean {
  return a.startMs < b.endMs && b.startMs < a.endMs;
}

/**
 * The maximal cliques of an interval graph: sets of intervals that are all active at one instant.
 * Returns index lists into `intervals`; every interval is in at least one clique.
 */
export function maximalOverlapCliques(intervals: readonly Interval[]): number[][] {
  type Ev = { t: number; kind: 0 | 1; i: number };
  const events: Ev[] = [];
  intervals.forEach((iv, i) => {
    events.push({ t: iv.startMs, kind: 1, i });
    events.push({ t: iv.endMs, kind: 0, i });
  });
  // Ends before starts at the same instant: touching intervals do not overlap.
  events.sort((x, y) => x.t - y.t || x.kind - y.kind || x.i - y.i);
  const active = new Set<number>();
  const cliques: number[][] = [];
  let grewSinceLastEnd = false;
  for (const ev of events) {
    if (ev.kind === 1) {
      active.add(ev.i);
      grewSinceLastEnd = true;
    } else {
      if (grewSinceLastEnd) cliques.push([...active].sort((a, b) => a - b));
      grewSinceLastEnd = false;
      active.delete(ev.i);
    }
  }
  return cliques;
}
