import { DateTime } from 'luxon';
import { seededRandom } from '../../../shared/util/random.js';
import type { RefresherInput } from '../refresher-problem.js';

/**
 * A synthetic BCU for the refresher planner's benchmark: `boroughs` × `stationsPerBorough` stations, five
 * teams each on a 10-day E E L L N N R R R R rota, `teamSize` officers a team of whom 35–65 % are authorised,
 * trained on a random day of the last 12 months (so every authorisation lapses within the horizon), each
 * with two weeks' leave.
 */
export function refresherBenchInput(
  opts: { seed?: number; boroughs?: number; stationsPerBorough?: number; teamSize?: number } = {},
): RefresherInput {
  const rnd = seededRandom(opts.seed ?? 21);
  const today = '2026-12-01';
  const teams: RefresherInput['teams'][number][] = [];
  const officers: RefresherInput['officers'][number][] = [];
  const abstractions: RefresherInput['abstractions'][number][] = [];
  const pattern = ['E', 'E', 'L', 'L', 'N', 'N', 'R', 'R', 'R', 'R'];
  let collar = 100000;
  for (let b = 0; b < (opts.boroughs ?? 3); b++) {
    for (let s = 0; s < (opts.stationsPerBorough ?? 3); s++) {
      const station = `ST${b}${s}`;
      for (let t = 0; t < 5; t++) {
        const id = `${station}-T${t}`;
        teams.push({
          id,
          station,
          borough: `BO${b}`,
          rota: {
            pattern,
            anchorDate: DateTime.fromISO(today)
              .plus({ days: 2 * t })
              .toISODate()!,
          },
        });
        const share = 0.35 + 0.3 * rnd();
        for (let k = 0; k < (opts.teamSize ?? 24); k++) {
          const trained = DateTime.fromISO(today)
            .minus({ days: 1 + Math.floor(rnd() * 364) })
            .toISODate()!;
          // Two weeks' leave somewhere in the year: teams' head counts (and so pairs) vary by day.
          const leave = DateTime.fromISO(today).plus({ days: Math.floor(rnd() * 351) });
          abstractions.push({
            officer: String(collar),
            kind: 'leave',
            from: leave.toISODate()!,
            to: leave.plus({ days: 13 }).toISODate()!,
          });
          officers.push({
            collar: String(collar++),
            name: `PC ${collar}`,
            kind: 'regular',
            station,
            borough: `BO${b}`,
            team: id,
            taser:
              rnd() < share
                ? { lastTrained: trained, models: ['X2'], endorsed: false, suspended: false, volunteer: true }
                : null,
          });
        }
      }
    }
  }
  return {
    today,
    horizonDays: 365,
    windowDays: 84,
    zone: 'Europe/London',
    policy: { authorisationMonths: 12, studentOfficersMayCarry: false, specialsMayCarry: false },
    minTaserUnits: 3,
    // One training site serving the whole BCU: Tuesdays and Thursdays, 12 places.
    sites: [{ id: 'centre', name: 'Training centre', days: [2, 4], placesPerDay: 12 }],
    teams,
    definitions: [
      { code: 'E', start: '07:00', end: '15:00' },
      { code: 'L', start: '14:00', end: '22:00' },
      { code: 'N', start: '22:00', end: '07:00' },
    ],
    officers,
    abstractions,
    placesTaken: new Map(),
  };
}
