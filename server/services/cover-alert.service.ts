import { taserCover } from '../../shared/live/cover.js';
import type { CoverAlert } from '../../shared/schemas/board.schema.js';
import { log } from '../logger.js';
import type { DomainEvent, EventBus } from '../events/domain-events.js';
import { appendVersion } from '../live/append.js';
import type { LiveState } from '../live/read-model.js';
import { logId } from '../live/records.js';
import type { ForceSettingsReader } from './force-settings.service.js';
import { parseShiftId } from './on-duty.js';
import type { ReferenceCache } from './reference-cache.js';

/** The shift a domain event touches Taser cover of, if any. */
const shiftTouched = (e: DomainEvent): string | null => {
  switch (e.type) {
    case 'custody.changed':
      return e.kind === 'issue' || e.kind === 'return' ? e.shift : null;
    case 'unit.changed':
      return e.kind === 'status' ? null : e.unit.shift;
    case 'cover.changed':
    case 'plan.published':
    case 'shift.boundary':
      return null;
  }
};

/**
 * Watches Taser cover per borough per shift (date and shift code across the borough's stations): after
 * every booking or custody change (here or on another instance) it recounts the borough's Taser-equipped
 * units from the live read model with the shared rule (`taserCover`, shared/live/cover.ts) and, when the count
 * crosses the minimum or an open alert's count changes, appends the alert's next version
 * (`cover:<borough>|<date>|<code>#<n>`) and publishes it. Two instances recounting at once: one version
 * wins, the other reloads the alert and finds nothing left to flip. Recounts of one borough-shift run one
 * at a time in this process, so a later recount never loses to an earlier one.
 */
export function createCoverAlertService(deps: {
  state: LiveState;
  ref: ReferenceCache;
  events: EventBus;
  clock: () => Date;
  /** The force's settings: the minimum is its `minTaserUnits`. */
  settings: ForceSettingsReader;
  settleMs: number;
}) {
  const { state, ref } = deps;

  const evaluate = async (shift: string): Promise<void> => {
    const parsed = parseShiftId(shift);
    if (!parsed) return;
    const station = await ref.stations.get(parsed.station);
    const crew = (await ref.crewsOf(shift))[0];
    if (!station || !crew) return;
    const key = `${station.borough}|${parsed.date}|${parsed.code}`;
    for (let attempt = 0; attempt < 3; attempt++) {
      const now = deps.clock();
      if (Date.parse(crew.end) <= now.getTime()) return;
      const min = (await deps.settings.current(station.force)).minTaserUnits;
      // The one rule the boards' summaries count with (shared/live/cover.ts), on this instance's read model.
      const count = taserCover(
        state.units({ borough: station.borough }, now.toISOString()),
        (collar) => state.holding(collar) !== null,
        { borough: station.borough, date: parsed.date, code: parsed.code },
      );
      const below = count < min;
      const existing = state.alert(key);
      // A new version when the alert opens or closes, and while open whenever its count or minimum changes,
      // so the alert a board shows never states another count than its summary.
      if (!existing && !below) return;
      if (existing && existing.below === below && (!below || (existing.count === count && existing.min === min)))
        return;
      // An open alert that is only recounted keeps the time it opened.
      const since = existing?.below && below ? existing.since : now.toISOString();
      const alert: CoverAlert = {
        key,
        force: station.force,
        bcu: station.bcu,
        borough: station.borough,
        date: parsed.date,
        code: parsed.code,
        start: crew.start,
        end: crew.end,
        below,
        count,
        min,
        since,
        version: (existing?.version ?? 0) + 1,
      };
      const stored = await appendVersion(
        state,
        {
          _id: logId('cover', key, alert.version),
          type: 'cover',
          key,
          version: alert.version,
          at: now.toISOString(),
          by: 'system',
          alert,
        },
        {
          event: () => ({
            type: 'cover.changed',
            at: now.toISOString(),
            by: 'system',
            kind: below ? 'raised' : 'cleared',
            alert,
          }),
        },
      );
      if (!stored) {
        await state.refreshAlert(key);
        continue;
      }
      return;
    }
  };

  // One recount per borough-shift at a time; requests that arrive meanwhile fold into one more pass.
  const running = new Map<string, { dirty: Set<string>; done: Promise<void> }>();
  const boroughOf = new Map<string, string>();

  const schedule = async (shift: string): Promise<void> => {
    const parsed = parseShiftId(shift);
    if (!parsed) return;
    let borough = boroughOf.get(parsed.station);
    if (!borough) {
      borough = (await ref.stations.get(parsed.station))?.borough;
      if (!borough) return;
      boroughOf.set(parsed.station, borough);
    }
    const key = `${borough}|${parsed.date}|${parsed.code}`;
    const busy = running.get(key);
    if (busy) {
      busy.dirty.add(shift);
      return busy.done;
    }
    const run = { dirty: new Set([shift]), done: Promise.resolve() };
    running.set(key, run);
    run.done = (async () => {
      try {
        // A burst of bookings and issues in one borough-shift is recounted once: wait for the burst first.
        if (deps.settleMs > 0) await new Promise((r) => setTimeout(r, deps.settleMs));
        while (run.dirty.size) {
          const next = [...run.dirty][0]!;
          run.dirty.clear();
          await evaluate(next).catch((e: unknown) =>
            log.error('cover evaluation failed', { shift, message: String(e) }),
          );
        }
      } finally {
        running.delete(key);
      }
    })();
    return run.done;
  };

  const listener = (e: DomainEvent) => {
    const shift = shiftTouched(e);
    if (shift) schedule(shift).catch((e: unknown) => log.error('cover recount failed', { shift, message: String(e) }));
  };
  const unsubscribe = deps.events.subscribe(listener);
  const unsubscribeRemote = state.onRemote(listener);

  /** Recounts every shift running now, whether or not anything happened in it. */
  const sweep = async (): Promise<void> => {
    const crews = await ref.activeCrews(deps.clock().toISOString());
    await Promise.all([...new Set(crews.map((c) => c.shift))].map(schedule));
  };

  return {
    /** Recounts a shift's borough cover now (also what the event listener does). */
    evaluate: schedule,
    sweep,
    /** Sweeps every `ms` until stopped: a shift that starts below the minimum is alerted without any event. */
    startSweeping(ms: number): () => void {
      if (ms <= 0) return () => undefined;
      const timer = setInterval(() => {
        sweep().catch((e: unknown) => log.error('cover sweep failed', { message: String(e) }));
      }, ms);
      timer.unref();
      return () => clearInterval(timer);
    },
    /** Resolves once every recount scheduled so far has finished. */
    async idle(): Promise<void> {
      while (running.size) await Promise.all([...running.values()].map((r) => r.done));
    },
    stop(): void {
      unsubscribe();
      unsubscribeRemote();
    },
  };
}
export type CoverAlertService = ReturnType<typeof createCoverAlertService>;
