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
import { shiftBounds, shiftInstanceId } from '../../shared/time/rota.js';
import { LONDON } from '../../shared/time/zone.js';
import { DateTime } from 'luxon';
import type { ForceSettingsReader } from './force-settings.service.js';
import { NotFoundError } from '../errors.js';
import type { Repositories } from '../repositories/index.js';
import type { Sequencer } from '../live/sequencer.js';
import { requireRole, requireScope } from './access.js';
import { crewAsUnit, type LiveState } from '../live/read-model.js';
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

  /**
   * The shifts running at `now` and those starting next, per borough of the room's stations, by the force's
   * shift definitions: planned when a crew of one of those stations is published for it.
   */
  const shiftsOf = async (where: Partial<Placement>, now: Date): Promise<BoardShift[]> => {
    const stations = [...(await ref.stations.all()).values()].filter((s) =>
      Object.entries(where).every(([k, v]) => ({ ...s, station: s.id })[k as keyof Placement] === v),
    );
    const force = stations[0]?.force;
    if (!force) return [];
    const [defs, settings] = await Promise.all([ref.shiftDefinitions(force), deps.settings.current(force)]);
    const today = DateTime.fromJSDate(now, { zone: LONDON });
    const t = now.getTime();
    const instances = [-1, 0, 1].flatMap((d) => {
      const date = today.plus({ days: d }).toISODate()!;
      return defs.map((def) => {
        const { start, end } = shiftBounds(def, date);
        return { date, code: def.code, name: def.name, start: start.toMillis(), end: end.toMillis() };
      });
    });
    const running = instances.filter((i) => i.start <= t && t < i.end);
    const nextStart = Math.min(...instances.filter((i) => i.start > t).map((i) => i.start));
    const chosen = [
      ...running.map((i) => ({ ...i, when: 'current' as const })),
      ...instances.filter((i) => i.start === nextStart).map((i) => ({ ...i, when: 'next' as const })),
    ];
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
          start: new Date(i.start).toISOString(),
          end: new Date(i.end).toISOString(),
          when: i.when,
          planned: crews.some((c) => c.length > 0),
          min: settings.minTaserUnits,
        });
      }
    return out;
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
      const [crews, , shifts] = await Promise.all([ref.activeCrews(iso), ref.devices.all(), shiftsOf(where, now)]);
      const numbering = await deps.sequencer.current([room]);
      await state.settle();
      const seq = numbering.seq.get(room) ?? 0;
      const devices = await state.devices(where);
      const units = new Map<string, UnitLive>();
      for (const c of crews) {
        if (!Object.entries(where).every(([k, v]) => c[k as keyof Placement] === v)) continue;
        const u = crewAsUnit(c);
        units.set(u.key, u);
      }
      for (const u of state.units(where, iso)) units.set(u.key, u);
      return {
        room,
        epoch: numbering.epoch,
        seq,
        at: iso,
        devices,
        units: [...units.values()].sort((a, b) => a.key.localeCompare(b.key)),
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
