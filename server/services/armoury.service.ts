import type {
  ArmouryDevice,
  ArmouryDeviceList,
  ArmouryDeviceQuery,
  ArmouryShift,
  PlannedCarrier,
  PlannedCarriers,
} from '../../shared/schemas/armoury.schema.js';
import type { CustodyEvent } from '../../shared/schemas/custody.schema.js';
import type { Actor } from '../../shared/schemas/user.schema.js';
import { NotFoundError } from '../errors.js';
import { publishedCrewRepository, type PublishedCrew } from '../repositories/crew-plan.repository.js';
import { liveLogRepository } from '../live/log.repository.js';
import { requireRole, requireScope, stationPlacement } from './access.js';
import type { ForceSettingsReader } from './force-settings.service.js';
import type { LiveState } from '../live/read-model.js';
import { withinShift } from './on-duty.js';
import type { ReferenceCache } from './reference-cache.js';

/** The fault text of a custody record, or null: a fault report's note, or a return's `fault: …` note. */
const faultOf = (e: CustodyEvent): string | null =>
  e.kind === 'fault' ? (e.note ?? '') : e.kind === 'return' && e.note?.startsWith('fault: ') ? e.note.slice(7) : null;

/**
 * The armourer's lists (issue 9): a station's devices with their custody, last return and faults, and the
 * officers the published plan names to carry on the shifts whose issue window is open or opens next.
 * Read only; issuing and repairs go through the custody service. Role first, then the station's scope.
 */
export function createArmouryService(deps: {
  state: LiveState;
  ref: ReferenceCache;
  clock: () => Date;
  settings: ForceSettingsReader;
}) {
  const { state, ref } = deps;

  const stationOf = async (actor: Actor, id: string) => {
    requireRole(actor, 'armoury', 'read');
    const station = await ref.stations.get(id);
    if (!station) throw new NotFoundError(`There is no station ${id}.`, 'station_not_found');
    requireScope(actor, stationPlacement(station));
    return station;
  };

  return {
    /** The actor, once their role may read the armoury's lists (checked before the request is parsed). */
    reader(actor: Actor): Actor {
      requireRole(actor, 'armoury', 'read');
      return actor;
    },

    /** The station's devices, by serial, filtered by `q` (serial or holder) and `state`. */
    async devices(actor: Actor, id: string, q: ArmouryDeviceQuery): Promise<ArmouryDeviceList> {
      const station = await stationOf(actor, id);
      const live = await state.devices({ station: station.id });
      const serials = live.map((d) => d.serial);
      const page = serials.length
        ? await liveLogRepository.custodyEvents(
            { device: { $in: serials }, kind: { $in: ['return', 'fault'] } },
            1,
            Math.max(200, serials.length * 20),
          )
        : { items: [] as CustodyEvent[] };
      const returned = new Map<string, string>();
      const faults = new Map<string, { at: string; note: string }[]>();
      for (const e of page.items) {
        if (e.kind === 'return' && !returned.has(e.device)) returned.set(e.device, e.at);
        const note = faultOf(e);
        if (note !== null) faults.set(e.device, [...(faults.get(e.device) ?? []), { at: e.at, note }]);
      }
      const needle = q.q?.toUpperCase() ?? '';
      const items: ArmouryDevice[] = [];
      for (const d of live) {
        if (q.state && d.state !== q.state) continue;
        const holder = d.state === 'issued' ? d.holder : null;
        const officer = holder ? await ref.officers.get(holder) : null;
        if (needle && !d.serial.includes(needle) && !(holder ?? '').includes(needle)) continue;
        const all = faults.get(d.serial) ?? [];
        items.push({
          serial: d.serial,
          model: d.model as ArmouryDevice['model'],
          state: d.state,
          holder,
          holderName: officer?.name ?? null,
          issuedShift: d.state === 'issued' ? d.shift : null,
          lastReturnAt: returned.get(d.serial) ?? null,
          faults: all.slice(0, 5),
          faultCount: all.length,
          version: d.version,
        });
      }
      return { station: station.id, items, total: items.length };
    },

    /**
     * The carriers of the published crews at the station for every shift whose issue window (the force's
     * `issueLeadMinutes` before its start, until its end) is open now, and for the next shift to open.
     */
    async plannedCarriers(actor: Actor, id: string): Promise<PlannedCarriers> {
      const station = await stationOf(actor, id);
      const now = deps.clock();
      const { issueLeadMinutes } = await deps.settings.current(station.force);
      const crews = await publishedCrewRepository.find({ station: station.id, end: { $gt: now.toISOString() } });
      const byShift = new Map<string, PublishedCrew[]>();
      for (const c of crews) byShift.set(c.shift, [...(byShift.get(c.shift) ?? []), c]);
      const shifts: ArmouryShift[] = [...byShift.values()]
        .map(([c]) => ({
          shift: c!.shift,
          start: c!.start,
          end: c!.end,
          opensAt: new Date(Date.parse(c!.start) - issueLeadMinutes * 60_000).toISOString(),
          open: withinShift(c!, now, issueLeadMinutes),
        }))
        .sort((a, b) => a.start.localeCompare(b.start));
      const next = shifts.find((s) => !s.open);
      const shown = shifts.filter((s) => s.open || (next && s.start === next.start));
      const carriers: PlannedCarrier[] = [];
      for (const s of shown)
        for (const crew of byShift.get(s.shift)!)
          for (const c of crew.carriers) {
            const officer = await ref.officers.get(c.officer);
            carriers.push({
              shift: s.shift,
              callSign: crew.callSign,
              officer: c.officer,
              name: officer?.name ?? c.officer,
              rank: officer?.rank ?? null,
              plannedDevice: c.device || null,
              holding: state.holding(c.officer),
              open: s.open,
            });
          }
      return { station: station.id, now: now.toISOString(), issueLeadMinutes, shifts: shown, carriers };
    },
  };
}
export type ArmouryService = ReturnType<typeof createArmouryService>;
