import { DateTime } from 'luxon';
import type { PlanUnit } from '../../shared/schemas/crew-plan.schema.js';
import type { ForcePolicy } from '../../shared/schemas/force-settings.schema.js';
import type { Policy, ScenarioInput } from '../../shared/schemas/scenario.schema.js';
import { isServiceable } from '../../shared/schemas/device.schema.js';
import { expandRota, onDuty } from '../../shared/time/rota.js';
import { LONDON } from '../../shared/time/zone.js';
import type { Repositories } from '../repositories/index.js';

/**
 * A solver scenario (DESIGN.md section 5) for a unit and date range under `policy` (the force's settings,
 * or a plan's own when re-solving), from the database: shift instances
 * from team rotas, the officers on each minus abstractions, and the unit's devices (serviceable unless
 * faulty or in repair; retired devices are left out).
 */
export async function buildScenario(
  repos: Repositories,
  force: string,
  unit: PlanUnit,
  from: string,
  to: string,
  policy: ForcePolicy | Policy,
): Promise<ScenarioInput> {
  const filter = { [unit.level]: unit.id };
  const [stations, teams, defs, officers, devices, abstractions] = await Promise.all([
    repos.stations.find(unit.level === 'station' ? { id: unit.id } : filter),
    repos.teams.find(filter),
    repos.shiftDefinitions.find({ force }),
    repos.officers.find(filter),
    repos.devices.find({ ...filter, state: { $ne: 'retired' } }),
    repos.abstractions.find({ ...filter, from: { $lte: to }, to: { $gte: from } }),
  ]);
  const stationName = new Map(stations.map((s) => [s.id, s.name]));
  const instances = expandRota(teams, defs, from, to, LONDON);
  const shiftsOf = new Map<string, string[]>();
  for (const shift of instances) {
    for (const o of onDuty(shift, officers, abstractions).present) {
      shiftsOf.set(o.collar, [...(shiftsOf.get(o.collar) ?? []), shift.id]);
    }
  }
  return {
    version: 1,
    timezone: LONDON,
    policy: { ...policy, singleCrewRanks: [...policy.singleCrewRanks] },
    stations: stations.map((s) => ({ id: s.id, name: s.name, borough: s.borough, bcu: s.bcu })),
    shifts: instances.map((s) => ({
      id: s.id,
      station: s.station,
      start: s.start,
      end: s.end,
      label: `${stationName.get(s.station) ?? s.station} ${s.name.toLowerCase()} ${DateTime.fromISO(s.date, { zone: LONDON }).toFormat('d LLL')}`,
    })),
    officers: officers
      .filter((o) => shiftsOf.has(o.collar))
      .map((o) => ({
        id: o.collar,
        name: o.name,
        rank: o.rank,
        kind: o.kind,
        station: o.station,
        shifts: shiftsOf.get(o.collar)!,
        taser: o.taser,
      })),
    devices: devices.map((d) => ({
      serial: d.serial,
      model: d.model,
      station: d.station,
      serviceable: isServiceable(d.state),
    })),
  };
}
