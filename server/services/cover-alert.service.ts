import type { CoverAlert } from '../../shared/schemas/board.schema.js';
import { log } from '../logger.js';
import type { DomainEvent, EventBus } from '../events/domain-events.js';
import { publishedCrewRepository } from '../repositories/crew-plan.repository.js';
import { custodyRepository } from '../repositories/custody.repository.js';
import type { Repositories } from '../repositories/index.js';
import { coverAlertRepository } from '../repositories/cover-alert.repository.js';
import { unitStatusRepository } from '../repositories/unit-status.repository.js';
import { parseShiftId } from './on-duty.js';

/** The shift a domain event touches Taser cover of, if any. */
const shiftTouched = (e: DomainEvent): string | null => {
  switch (e.type) {
    case 'custody.changed':
      return e.kind === 'issue' || e.kind === 'return' ? e.shift : null;
    case 'unit.changed':
      return e.kind === 'status' ? null : e.unit.shift;
    case 'cover.changed':
      return null;
  }
};

/**
 * Watches Taser cover per borough per shift (date and shift code across the borough's stations): after
 * every booking or custody change it recounts the borough's Taser-equipped units from the database and,
 * when the count crosses the minimum, flips the stored alert with a conditional write and publishes it.
 * Recounts of one borough-shift run one at a time in this process, so a later recount never loses to an
 * earlier one.
 */
export function createCoverAlertService(
  repos: Repositories,
  deps: { events: EventBus; clock: () => Date; minTaserUnits: number; settleMs: number },
) {
  /** Booked-on units of a borough-shift with at least one booked-on officer holding a device. */
  const countTaserUnits = async (borough: string, date: string, code: string): Promise<number> => {
    const units = await unitStatusRepository.find({ borough, shiftDate: date, shiftCode: code, onCount: { $gt: 0 } });
    const collars = units.flatMap((u) => u.bookedOn);
    if (!collars.length) return 0;
    const held = await custodyRepository.devices({ state: 'issued', holder: { $in: collars } });
    const holders = new Set(held.map((d) => d.holder));
    return units.filter((u) => u.bookedOn.some((c) => holders.has(c))).length;
  };

  const evaluate = async (shift: string): Promise<void> => {
    const parsed = parseShiftId(shift);
    if (!parsed) return;
    const station = await repos.stations.get(parsed.station);
    const crew = (await publishedCrewRepository.find({ shift }))[0];
    if (!station || !crew) return;
    const now = deps.clock();
    if (Date.parse(crew.end) <= now.getTime()) return;
    const key = `${station.borough}|${parsed.date}|${parsed.code}`;
    const count = await countTaserUnits(station.borough, parsed.date, parsed.code);
    const min = deps.minTaserUnits;
    const below = count < min;
    const since = now.toISOString();
    const existing = await coverAlertRepository.get(key);
    let changed: CoverAlert | null = null;
    if (!existing) {
      if (!below) return;
      changed = await coverAlertRepository.create({
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
        version: 1,
      });
    } else if (existing.below !== below) {
      changed = await coverAlertRepository.flip(existing, below, { count, min, since });
    }
    if (changed)
      deps.events.publish({
        type: 'cover.changed',
        at: since,
        by: 'system',
        kind: below ? 'raised' : 'cleared',
        alert: changed,
      });
  };

  // One recount per borough-shift at a time; requests that arrive meanwhile fold into one more pass.
  const running = new Map<string, { dirty: Set<string>; done: Promise<void> }>();
  const boroughOf = new Map<string, string>();

  const schedule = async (shift: string): Promise<void> => {
    const parsed = parseShiftId(shift);
    if (!parsed) return;
    let borough = boroughOf.get(parsed.station);
    if (!borough) {
      borough = (await repos.stations.get(parsed.station))?.borough;
      if (!borough) return;
      boroughOf.set(parsed.station, borough);
    }
    const key = `${borough}|${parsed.date}|${parsed.code}`;
    const busy = running.get(key);
    if (busy) {
      busy.dirty.add(shift);
      return busy.done;
    }
    const state = { dirty: new Set([shift]), done: Promise.resolve() };
    running.set(key, state);
    state.done = (async () => {
      try {
        // A burst of bookings and issues in one borough-shift is recounted once: wait for the burst first.
        if (deps.settleMs > 0) await new Promise((r) => setTimeout(r, deps.settleMs));
        while (state.dirty.size) {
          const next = [...state.dirty][0]!;
          state.dirty.clear();
          await evaluate(next).catch((e: unknown) =>
            log.error('cover evaluation failed', { shift, message: String(e) }),
          );
        }
      } finally {
        running.delete(key);
      }
    })();
    return state.done;
  };

  const unsubscribe = deps.events.subscribe((e) => {
    const shift = shiftTouched(e);
    if (shift) void schedule(shift);
  });

  return {
    /** Recounts a shift's borough cover now (also what the event listener does). */
    evaluate: schedule,
    /** Resolves once every recount scheduled so far has finished. */
    async idle(): Promise<void> {
      while (running.size) await Promise.all([...running.values()].map((r) => r.done));
    },
    stop: unsubscribe,
  };
}
export type CoverAlertService = ReturnType<typeof createCoverAlertService>;
