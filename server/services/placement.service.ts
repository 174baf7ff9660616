import type { Placement } from '../../shared/schemas/common.schema.js';
import { ValidationError } from '../errors.js';
import type { Repositories } from '../repositories/index.js';

/** Resolves a station code to its place in the force structure, or refuses an unknown station. */
export async function placementOf(repos: Repositories, station: string): Promise<Placement> {
  const s = await repos.stations.get(station);
  if (!s) throw new ValidationError(`There is no station ${station}.`, { path: 'station' }, 'unknown_station');
  return { force: s.force, bcu: s.bcu, borough: s.borough, station: s.id };
}
