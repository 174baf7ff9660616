import { DateTime } from 'luxon';
import { defaultPolicy } from '../../../shared/rules/force-settings.js';
import type { ScenarioInput } from '../../../shared/schemas/scenario.schema.js';
import { seededRandom } from '../../../shared/util/random.js';

export { seededRandom };

const STATION_NAMES = [
  'Bromley',
  'Orpington',
  'Croydon',
  'Sutton',
  'Lewisham',
  'Greenwich',
  'Bexleyheath',
  'Plumstead',
  'Brixton',
  'Walworth',
  'Peckham',
  'Wandsworth',
  'Kingston',
  'Richmond',
  'Hounslow',
  'Ealing',
  'Acton',
  'Southall',
  'Uxbridge',
  'Wembley',
  'Colindale',
  'Barnet',
  'Edmonton',
  'Tottenham',
  'Stoke Newington',
  'Bethnal Green',
  'Stratford',
  'Ilford',
  'Romford',
  'Hammersmith',
  'Charing Cross',
  'Islington',
];

/** Local shift times (Europe/London): earlies, lates and nights; early/late and late/night overlap. */
export const SHIFT_TIMES = {
  E: { start: '07:00', hours: 8, name: 'earlies' },
  L: { start: '14:00', hours: 9, name: 'lates' },
  N: { start: '22:00', hours: 9, name: 'nights' },
} as const;
export type ShiftCode = keyof typeof SHIFT_TIMES;

export type GeneratorOptions = {
  seed: number;
  stations: number;
  /** Stations per borough (a BCU is 3 boroughs). */
  stationsPerBorough?: number;
  startDate: string;
  days: number;
  shiftCodes?: ShiftCode[];
  /** Officers on duty on one shift at one station, on average. */
  officersPerShift: number;
  /** Devices per station (about 5% faulty). */
  devicesPerStation: number;
  policy?: 'revised' | 'legacy';
  zone?: string;
};

/**
 * A realistic, deterministic scenario (DESIGN.md section 7): five teams per station on a
 * 2 earlies / 2 lates / 2 nights / 4 rest rota, ~90% turnout, 17:2:1 PC:SGT:INSP, students and a
 * few specials, ~45% of regulars Taser-authorised (X2, T7 or both; some lapsed or lapsing, a few
 * suspended), X2 and T7 devices with some faulty.
 */
export function generateScenario(opts: GeneratorOptions): ScenarioInput {
  const rnd = seededRandom(opts.seed);
  const zone = opts.zone ?? 'Europe/London';
  const codes = opts.shiftCodes ?? ['E', 'L', 'N'];
  const perBorough = opts.stationsPerBorough ?? 1;
  const start = DateTime.fromISO(opts.startDate, { zone });
  const stations = Array.from({ length: opts.stations }, (_, i) => {
    const name =
      STATION_NAMES[i % STATION_NAMES.length]! +
      (i >= STATION_NAMES.length ? ` ${Math.floor(i / STATION_NAMES.length) + 1}` : '');
    const borough = Math.floor(i / perBorough);
    return {
      id: `ST${String(i + 1).padStart(2, '0')}`,
      name,
      borough: `B${borough + 1}`,
      bcu: `BCU${Math.floor(borough / 3) + 1}`,
    };
  });
  const shifts: { id: string; station: string; start: string; end: string; code: ShiftCode; day: number }[] = [];
  for (const st of stations) {
    for (let d = 0; d < opts.days; d++) {
      const date = start.plus({ days: d });
      for (const code of codes) {
        const t = SHIFT_TIMES[code];
        const [h, m] = t.start.split(':').map(Number) as [number, number];
        const s = date.set({ hour: h, minute: m, second: 0, millisecond: 0 });
        const e = s.plus({ hours: t.hours });
        shifts.push({
          id: `${st.id}-${date.toISODate()}-${code}`,
          station: st.id,
          start: s.toUTC().toISO()!,
          end: e.toUTC().toISO()!,
          code,
          day: d,
        });
      }
    }
  }
  // Rota: team t works position (d + 2t) mod 10 of E,E,L,L,N,N,R,R,R,R. A single day/shift
  // scenario staffs each shift from one team.
  const rotaPos = (team: number, day: number): ShiftCode | null =>
    (['E', 'E', 'L', 'L', 'N', 'N', null, null, null, null] as const)[(day + 2 * team) % 10]!;
  const turnout = 0.9;
  const teamSize = Math.max(2, Math.round(opts.officersPerShift / turnout));
  const officers: ScenarioInput['officers'] = [];
  const horizonStart = start;
  let n = 1000;
  for (const st of stations) {
    for (let team = 0; team < 5; team++) {
      for (let k = 0; k < teamSize; k++) {
        const id = `PC${++n}`;
        const r = rnd();
        const rank = r < 0.05 ? 'INSP' : r < 0.15 ? 'SGT' : 'PC';
        const kr = rnd();
        const kind = rank !== 'PC' ? 'regular' : kr < 0.12 ? 'student' : kr < 0.15 ? 'special' : 'regular';
        const authorised = kind === 'regular' ? rnd() < 0.47 : rnd() < 0.1;
        const mr = rnd();
        const models = mr < 0.6 ? ['X2'] : mr < 0.85 ? ['T7'] : ['X2', 'T7'];
        // Trained up to 13 months before the horizon: ~1 in 13 already lapsed, more lapse during it.
        const trained = horizonStart.minus({ days: Math.floor(rnd() * 395) }).toISODate()!;
        const taser = authorised
          ? { lastTrained: trained, models, endorsed: kind !== 'regular' && rnd() < 0.5, suspended: rnd() < 0.02 }
          : null;
        const mine = shifts
          .filter((s) => s.station === st.id)
          .filter((s) => (opts.days === 1 && codes.length === 1 ? team === 0 : rotaPos(team, s.day) === s.code))
          .filter(() => rnd() < turnout)
          .map((s) => s.id);
        const rankId = rank === 'PC' ? id : `${rank}${n}`;
        officers.push({
          id: rankId,
          rank,
          kind,
          station: st.id,
          shifts: mine,
          taser,
        } as ScenarioInput['officers'][number]);
      }
    }
  }
  const devices: ScenarioInput['devices'] = [];
  let serial = 100;
  for (const st of stations) {
    for (let i = 0; i < opts.devicesPerStation; i++) {
      const model = rnd() < 0.62 ? 'X2' : 'T7';
      devices.push({
        serial: `${model}-${String(++serial).padStart(6, '0')}`,
        model,
        station: st.id,
        serviceable: rnd() >= 0.05,
      });
    }
  }
  return {
    version: 1,
    timezone: zone,
    policy: { ...defaultPolicy(), ...(opts.policy ? { name: opts.policy } : {}) },
    stations,
    shifts: shifts.map(({ id, station, start: s, end }) => ({ id, station, start: s, end })),
    officers,
    devices,
  };
}
