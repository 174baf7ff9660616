import { nextShiftBoundary, occurrencesAround, opensAt } from '../../shared/rules/current-shift.js';
import { log } from '../logger.js';
import type { BoardService } from '../services/board.service.js';
import type { ForceSettingsReader } from '../services/force-settings.service.js';
import type { ReferenceCache } from '../services/reference-cache.js';
import type { LiveState } from './read-model.js';
import type { Sequencer } from './sequencer.js';

/** Runs `fn` once the clock reaches `when` (ms); returns a cancel. Injected so tests can move the clock. */
export type Timer = { at(when: number, fn: () => void): () => void };

/** The longest single wait: a clock that jumps (or a machine that slept) is noticed within this. */
const MAX_WAIT_MS = 60_000;

/** A timer on `clock`: waits in steps of at most a minute and fires once the clock has reached `when`. */
export const clockTimer = (clock: () => Date): Timer => ({
  at(when, fn) {
    let t: ReturnType<typeof setTimeout> | null = null;
    const arm = (): void => {
      const wait = when - clock().getTime();
      if (wait <= 0) return fn();
      t = setTimeout(arm, Math.min(wait, MAX_WAIT_MS));
      t.unref();
    };
    arm();
    return () => {
      if (t) clearTimeout(t);
    };
  },
});

/**
 * Moves the boards on at each shift boundary (issue 9): computes the next instant at which the set of
 * current shifts changes (a shift's issue window opening, `issueLeadMinutes` before its start, or its end;
 * shared/rules/current-shift.ts) from every force's shift definitions and published crews, waits for it on
 * the injected clock, and publishes one `shift.boundary` event per borough of the force (board.service.ts
 * `boundary`). With several instances each computes the same boundaries from its own replicated read model;
 * the first to claim a boundary in Redis (`sequencer.claim`) publishes it, numbered by the shared sequencer
 * like any delta. The deltas are idempotent (versions), so a duplicate would do no harm.
 */
export function createShiftClock(deps: {
  clock: () => Date;
  timer: Timer;
  ref: ReferenceCache;
  settings: ForceSettingsReader;
  state: LiveState;
  sequencer: Sequencer;
  board: BoardService;
}) {
  let last = deps.clock().getTime();
  let cancel: (() => void) | null = null;
  let stopped = true;
  let chain: Promise<void> = Promise.resolve();

  const forces = async (): Promise<string[]> =>
    [...new Set([...(await deps.ref.stations.all()).values()].map((s) => s.force))].sort();

  /** Every boundary of a force in (`after`, `upto`], and the first after `after` (ms). */
  const boundariesOf = async (force: string, after: number) => {
    const [defs, settings, crews] = await Promise.all([
      deps.ref.shiftDefinitions(force),
      deps.settings.current(force),
      deps.ref.recentCrews(),
    ]);
    const shifts = [...occurrencesAround(defs, new Date(after)), ...crews.filter((c) => c.force === force)];
    return {
      shifts,
      lead: settings.issueLeadMinutes,
      next: nextShiftBoundary(shifts, after, settings.issueLeadMinutes),
    };
  };

  const arm = async (): Promise<void> => {
    cancel?.();
    cancel = null;
    if (stopped) return;
    let at: number | null = null;
    for (const f of await forces()) {
      const { next } = await boundariesOf(f, last);
      if (next !== null && (at === null || next < at)) at = next;
    }
    if (stopped || at === null) return;
    cancel = deps.timer.at(at, () => {
      chain = chain.then(pass, pass);
    });
  };

  /** Publishes the boundaries the clock passed since the last pass, then waits for the next. */
  const pass = async (): Promise<void> => {
    if (stopped) return;
    const upto = deps.clock().getTime();
    try {
      if (upto > last) {
        for (const force of await forces()) {
          const { shifts, lead } = await boundariesOf(force, last);
          const crossed = shifts
            .flatMap((s) => [opensAt(s, lead), Date.parse(s.end)])
            .filter((t) => t > last && t <= upto);
          if (!crossed.length) continue;
          if (!(await deps.sequencer.claim(`boundary:${force}:${Math.max(...crossed)}`, 3_600_000))) continue;
          for (const e of await deps.board.boundary(force, last, upto)) await deps.state.publish(e);
        }
        last = upto;
      }
    } catch (e) {
      log.error('shift boundary failed', { message: String(e) });
    }
    await arm().catch((e: unknown) => log.error('could not schedule the next shift boundary', { message: String(e) }));
  };

  let stopInvalidate: (() => void) | null = null;
  return {
    /** Starts following the clock from now. */
    start(): void {
      stopped = false;
      last = deps.clock().getTime();
      stopInvalidate = deps.ref.onInvalidate((noun) => {
        if (noun === 'shift_definition' || noun === 'force_settings' || noun === 'published_crew' || noun === 'station')
          chain = chain.then(arm).catch(() => undefined);
      });
      chain = chain
        .then(arm)
        .catch((e: unknown) => log.error('could not schedule a shift boundary', { message: String(e) }));
    },
    /** Resolves when the passes and schedulings queued so far are done. */
    idle: (): Promise<void> => chain,
    stop(): void {
      stopped = true;
      cancel?.();
      stopInvalidate?.();
    },
  };
}
export type ShiftClock = ReturnType<typeof createShiftClock>;
