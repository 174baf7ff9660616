import type { Device } from '../../../shared/schemas/device.schema.js';
import type { Officer } from '../../../shared/schemas/officer.schema.js';
import { custodyRefusal } from '../../../shared/rules/custody-eligibility.js';
import { DEFAULT_FORCE_SETTINGS } from '../../../shared/rules/force-settings.js';
import { publishedCrewRepository, type PublishedCrew } from '../../../server/repositories/crew-plan.repository.js';
import { call } from './test-server.js';

export type StationFixture = {
  station: string;
  borough: string;
  shift: { id: string; team: string; start: string; end: string };
  onDuty: Officer[];
  crews: PublishedCrew[];
  /** Officers on duty who may carry, each with a free device of a model they are trained on, all distinct. */
  carriers: { officer: string; device: string }[];
  freeDevices: Device[];
};

const BOROUGH: Record<string, string> = { BR: 'BROM', OR: 'BROM', CR: 'CROY', SU: 'SUTT' };

/**
 * Publishes a crew plan for the early shift of 2026-11-22 at every BCU station, from the rota as the API
 * reports it: on-duty officers in pairs, each pair's first eligible officer planned to carry a free device.
 */
export async function publishEarlyCrews(
  server: { url: string },
  control: string,
  admin: string,
): Promise<Map<string, StationFixture>> {
  const out = new Map<string, StationFixture>();
  for (const station of ['BR', 'OR', 'CR', 'SU']) {
    const duty = await call(server, 'GET', `/duty?station=${station}&from=2026-11-22&to=2026-11-22`, {
      token: control,
    });
    if (duty.status !== 200) throw new Error(`duty ${station}: ${JSON.stringify(duty.body)}`);
    const e = (
      duty.body.shifts as { id: string; team: string; code: string; start: string; end: string; onDuty: Officer[] }[]
    ).find((s) => s.code === 'E')!;
    const devices = await call(server, 'GET', `/devices?station=${station}&pageSize=500`, { token: admin });
    const free: Device[] = (devices.body.items as Device[]).filter((d) => d.state === 'in_armoury');
    const unused = [...free];
    const carriers: { officer: string; device: string }[] = [];
    for (const o of e.onDuty) {
      const i = unused.findIndex((d) => custodyRefusal(o, d.model, e.end, DEFAULT_FORCE_SETTINGS.policy) === null);
      if (i >= 0) carriers.push({ officer: o.collar, device: unused.splice(i, 1)[0]!.serial });
    }
    const crews: PublishedCrew[] = [];
    for (let i = 0; i + 1 < e.onDuty.length; i += 2) {
      const members = [e.onDuty[i]!.collar, e.onDuty[i + 1]!.collar];
      const planned = carriers.find((c) => members.includes(c.officer));
      crews.push({
        plan: 'test-plan',
        shift: e.id,
        force: 'MPS',
        bcu: 'SN',
        borough: BOROUGH[station]!,
        station,
        start: e.start,
        end: e.end,
        callSign: `${station}-E-${String(crews.length + 1).padStart(2, '0')}`,
        members,
        carriers: planned ? [planned] : [],
      });
    }
    await publishedCrewRepository.replaceForShifts([{ id: e.id, station }], crews);
    out.set(station, {
      station,
      borough: BOROUGH[station]!,
      shift: { id: e.id, team: e.team, start: e.start, end: e.end },
      onDuty: e.onDuty,
      crews,
      carriers,
      freeDevices: free,
    });
  }
  return out;
}
