import { roomOf, type BoardSnapshot, type BoardUnit, type UnitLive } from '../../shared/schemas/board.schema.js';
import type { Placement } from '../../shared/schemas/common.schema.js';
import type { Actor } from '../../shared/schemas/user.schema.js';
import { summarise, type BoardSummary } from '../../shared/live/board-state.js';
import { NotFoundError } from '../errors.js';
import { publishedCrewRepository } from '../repositories/crew-plan.repository.js';
import { custodyRepository, toDeviceLive } from '../repositories/custody.repository.js';
import type { Repositories } from '../repositories/index.js';
import type { Sequencer } from '../realtime/sequencer.js';
import { coverAlertRepository } from '../repositories/cover-alert.repository.js';
import { crewAsUnit, toUnitLive, unitStatusRepository } from '../repositories/unit-status.repository.js';
import { requireRole, requireScope } from './access.js';
import { placementOfScope } from './user.service.js';

/** The live board of a force, BCU, borough or station, computed from the database. */
export function createBoardService(repos: Repositories, deps: { clock: () => Date; sequencer: Sequencer }) {
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
     * written before the read, so it is in the snapshot; a later number may be too, which is harmless as
     * deltas carry entity versions and a client ignores what it already has.
     */
    async snapshot(actor: Actor, unit: BoardUnit): Promise<BoardSnapshot> {
      await authorise(actor, unit);
      const room = roomOf(unit);
      const numbering = await deps.sequencer.current([room]);
      const seq = numbering.seq.get(room) ?? 0;
      const now = deps.clock();
      const iso = now.toISOString();
      const filter = { [unit.level]: unit.id };
      const [devices, crews, statuses, alerts] = await Promise.all([
        custodyRepository.devices(filter),
        publishedCrewRepository.activeAt(iso, filter),
        unitStatusRepository.find({ ...filter, $or: [{ end: { $gt: iso } }, { onCount: { $gt: 0 } }] }),
        unit.level === 'station' ? Promise.resolve([]) : coverAlertRepository.find({ ...filter, end: { $gt: iso } }),
      ]);
      const units = new Map<string, UnitLive>();
      for (const c of crews) {
        const u = crewAsUnit(c);
        units.set(u.key, u);
      }
      for (const s of statuses) units.set(s.key, toUnitLive(s));
      return {
        room,
        epoch: numbering.epoch,
        seq,
        at: iso,
        devices: devices.map(toDeviceLive),
        units: [...units.values()].sort((a, b) => a.key.localeCompare(b.key)),
        alerts,
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
