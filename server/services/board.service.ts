import {
  roomOf,
  type BoardShift,
  type BoardSnapshot,
  type BoardUnit,
  type UnitLive,
} from '../../shared/schemas/board.schema.js';
import type { Placement } from '../../shared/schemas/common.schema.js';
import type { Actor } from '../../shared/schemas/user.schema.js';
import { summarise, type BoardSummary } from '../../shared/live/board-state.js';
import { shiftInstanceId } from '../../shared/time/rota.js';
import { currentShifts, isCurrentShift, occurrencesAround, opensAt } from '../../shared/rules/current-shift.js';
import type { PublishedCrew } from '../repositories/crew-plan.repository.js';
import type { ForceSettingsReader } from './force-settings.service.js';
import { NotFoundError } from '../errors.js';
import type { Repositories } from '../repositories/index.js';
import type { Sequencer } from '../live/sequencer.js';
import { requireRole, requireScope } from './access.js';
import { crewAsUnit, unitKey, type LiveState, type NewEvent } from '../live/read-model.js';
import type { ReferenceCache } from './reference-cache.js';
import { placementOfScope } from './user.service.js';

/** The live board of a force, BCU, borough or station, read from the live read model. */
export function createBoardService(
  repos: Repositories,
  deps: {
    clock: () => Date;
    sequencer: Sequencer;
    state: LiveState;
    ref: ReferenceCache;
    settings: ForceSettingsReader;
  },
) {
  const { state, ref } = deps;

  const inWhere = (where: Partial<Placement>, p: Placement): boolean =>
    Object.entries(where).every(([k, v]) => p[k as keyof Placement] === v);
  /** The force's issue lead in minutes (force settings). */
  const leadOf = async (force: string): Promise<number> => (await deps.settings.current(force)).issueLeadMinutes;

  /**
   * The shifts current at `now` and those becoming current next (shared/rules/current-shift.ts, with the
   * force's issue lead), per borough of the room's stations, by the force's shift definitions: planned when
   * a crew of one of those stations is published for it.
   */
  const shiftsOf = async (where: Partial<Placement>, now: Date): Promise<BoardShift[]> => {
    const stations = [...(await ref.stations.all()).values()].filter((s) => inWhere(where, { ...s, station: s.id }));
    const force = stations[0]?.force;
    if (!force) return [];
    const [defs, settings] = await Promise.all([ref.shiftDefinitions(force), deps.settings.current(force)]);
    const chosen = currentShifts(occurrencesAround(defs, now), now, settings.issueLeadMinutes);
    const byBorough = new Map<string, string[]>();
    for (const s of stations) byBorough.set(s.borough, [...(byBorough.get(s.borough) ?? []), s.id]);
    const out: BoardShift[] = [];
    for (const [borough, ids] of [...byBorough].sort((a, b) => a[0].localeCompare(b[0])))
      for (const i of chosen) {
        const crews = await Promise.all(ids.map((id) => ref.crewsOf(shiftInstanceId(id, i.date, i.code))));
        out.push({
          borough,
          date: i.date,
          code: i.code,
          name: i.name,
          start: i.start,
          end: i.end,
          when: i.when,
          planned: crews.some((c) => c.length > 0),
          min: settings.minTaserUnits,
        });
      }
    return out;
  };

  /** The published crews of a place whose shift is current at `now` (the one rule, with each force's lead). */
  const currentCrews = async (where: Partial<Placement>, now: Date): Promise<PublishedCrew[]> => {
    const leads = new Map<string, number>();
    const out: PublishedCrew[] = [];
    for (const c of await ref.recentCrews()) {
      if (!inWhere(where, c)) continue;
      let lead = leads.get(c.force);
      if (lead === undefined) leads.set(c.force, (lead = await leadOf(c.force)));
      if (isCurrentShift(c, now, lead)) out.push(c);
    }
    return out;
  };

  /**
   * The board's units (in memory, no await): the current crews with their live state, and every unit with
   * someone booked on (after its shift's end: overdue). The snapshot and the boundary deltas both use it.
   */
  const unitsOf = (where: Partial<Placement>, crews: PublishedCrew[]): UnitLive[] => {
    const units = new Map<string, UnitLive>();
    for (const c of crews) {
      const u = state.unit(unitKey(c.shift, c.callSign))?.unit ?? crewAsUnit(c);
      units.set(u.key, u);
    }
    for (const u of state.bookedUnits(where)) units.set(u.key, u);
    return [...units.values()].sort((a, b) => a.key.localeCompare(b.key));
  };

  /**
   * The deltas of the clock passing from `after` to `upto` (ms) for a force: per borough, the units that
   * became current, those whose shift ended (leaving, or overdue when someone is booked on), the ended
   * shifts' alerts and the borough's shifts now.
   */
  const boundary = async (force: string, after: number, upto: number): Promise<NewEvent[]> => {
    const lead = await leadOf(force);
    const now = new Date(upto);
    const stations = [...(await ref.stations.all()).values()].filter((s) => s.force === force);
    const crews = (await ref.recentCrews()).filter((c) => c.force === force);
    await state.settle();
    const byBorough = new Map<string, { bcu: string; stations: string[] }>();
    for (const s of stations) {
      const b = byBorough.get(s.borough) ?? { bcu: s.bcu, stations: [] };
      b.stations.push(s.id);
      byBorough.set(s.borough, b);
    }
    const events: NewEvent[] = [];
    for (const [borough, b] of [...byBorough].sort((x, y) => x[0].localeCompare(y[0]))) {
      const mine = crews.filter((c) => c.borough === borough);
      const opened = mine.filter((c) => {
        const t = opensAt(c, lead);
        return t > after && t <= upto && isCurrentShift(c, now, lead);
      });
      const ended = mine.filter((c) => {
        const t = Date.parse(c.end);
        return t > after && t <= upto;
      });
      const units = unitsOf({ force, borough }, opened).filter((u) => opened.some((c) => c.shift === u.shift));
      const left: { key: string; version: number }[] = [];
      const overdue: { key: string; since: string }[] = [];
      for (const c of ended) {
        const key = unitKey(c.shift, c.callSign);
        const live = state.unit(key)?.unit;
        if (live && live.bookedOn.length > 0) overdue.push({ key, since: c.end });
        else left.push({ key, version: live?.version ?? 0 });
      }
      // Booked-on units whose crew was dropped from the plan are on the board by their own state.
      const closed = state
        .alertsEnded(after, upto)
        .filter((a) => a.force === force && a.borough === borough)
        .map((a) => ({ key: a.key, version: a.version }));
      events.push({
        type: 'shift.boundary',
        at: now.toISOString(),
        by: 'system',
        placement: { force, bcu: b.bcu, borough, station: '' },
        stations: b.stations.sort(),
        units,
        left: left.sort((x, y) => x.key.localeCompare(y.key)),
        overdue: overdue.sort((x, y) => x.key.localeCompare(y.key)),
        closed: closed.sort((x, y) => x.key.localeCompare(y.key)),
        shifts: await shiftsOf({ force, borough }, now),
      });
    }
    return events;
  };

  /**
   * The units of a just-published plan's shifts that are on the board now, for its `plan.published` delta
   * (the same rule as the snapshot).
   */
  const publishedUnits = async (shifts: string[], now: Date): Promise<UnitLive[]> => {
    const wanted = new Set(shifts);
    const crews = (await currentCrews({}, now)).filter((c) => wanted.has(c.shift));
    await state.settle();
    const forced = new Set(crews.map((c) => unitKey(c.shift, c.callSign)));
    return unitsOf({}, crews).filter((u) => forced.has(u.key) || wanted.has(u.shift));
  };

  /** Where the unit sits; refuses an unknown unit, a role without board access and a unit outside scope. */
  const authorise = async (actor: Actor, unit: BoardUnit): Promise<Partial<Placement>> => {
    requireRole(actor, 'board', 'read');
    const where = await placementOfScope(repos, unit).catch(() => {
      throw new NotFoundError(`There is no ${unit.level} ${unit.id}.`, 'unit_not_found');
    });
    requireScope(actor, where);
    return where;
  };

  return {
    authorise,
    shiftsOf,
    currentCrews,
    boundary,
    publishedUnits,

    /**
     * The board now. The room's delta number is read before the data: every change numbered up to it was
     * applied to the read model before it was published, so it is in the snapshot (with other instances,
     * `settle` first waits for every change they published before the number was read). A later change may
     * be in it too, which is harmless: deltas carry entity versions and a client ignores what it has.
     */
    async snapshot(actor: Actor, unit: BoardUnit): Promise<BoardSnapshot> {
      await authorise(actor, unit);
      const room = roomOf(unit);
      const now = deps.clock();
      const iso = now.toISOString();
      const where = { [unit.level]: unit.id } as Partial<Placement>;
      // Reference data first (it may need the store); then the number; then memory, with no await between.
      const [crews, , shifts] = await Promise.all([currentCrews(where, now), ref.devices.all(), shiftsOf(where, now)]);
      const numbering = await deps.sequencer.current([room]);
      await state.settle();
      const seq = numbering.seq.get(room) ?? 0;
      const devices = await state.devices(where);
      const units = unitsOf(where, crews);
      return {
        room,
        epoch: numbering.epoch,
        seq,
        at: iso,
        devices,
        units,
        alerts: unit.level === 'station' ? [] : state.alerts(where, iso),
        shifts,
      };
    },

    /** A snapshot with the counts the control room reads off it. */
    async board(actor: Actor, unit: BoardUnit): Promise<BoardSnapshot & { summary: BoardSummary }> {
      const s = await this.snapshot(actor, unit);
      return { ...s, summary: summarise(s.devices, s.units, s.alerts) };
    },
  };
}
export type BoardService = ReturnType<typeof createBoardService>;
