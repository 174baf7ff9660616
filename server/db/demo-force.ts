import { DateTime } from 'luxon';
import type { Abstraction } from '../../shared/schemas/abstraction.schema.js';
import type { DeviceModel } from '../../shared/schemas/common.schema.js';
import type { Device } from '../../shared/schemas/device.schema.js';
import type { Officer } from '../../shared/schemas/officer.schema.js';
import type { Bcu, Borough, Force, Station } from '../../shared/schemas/org.schema.js';
import type { ShiftDefinition, Team } from '../../shared/schemas/shift.schema.js';
import type { Role, Scope } from '../../shared/schemas/user.schema.js';
import { LONDON } from '../../shared/time/zone.js';
import { seededRandom } from '../../shared/util/random.js';

export type DemoScale = 'bcu' | 'force';

const FIRST = [
  'Sam',
  'Alex',
  'Priya',
  'Tom',
  'Aisha',
  'Jack',
  'Chloe',
  'Ravi',
  'Emma',
  'Kwame',
  'Lucy',
  'Dan',
  'Zara',
  'Owen',
  'Mia',
  'Leon',
  'Grace',
  'Imran',
  'Ellie',
  'Ben',
  'Nadia',
  'Harry',
  'Sophie',
  'Yusuf',
  'Katie',
  'Josh',
  'Amara',
  'Liam',
  'Hannah',
  'Marcus',
];
const LAST = [
  'Okafor',
  'Smith',
  'Patel',
  'Jones',
  'Khan',
  'Williams',
  'Brown',
  'Taylor',
  'Ahmed',
  'Davies',
  'Evans',
  'Wilson',
  'Thomas',
  'Roberts',
  'Mensah',
  'Walker',
  'Wright',
  'Clarke',
  'Hughes',
  'Green',
  'Hall',
  'Lewis',
  'Begum',
  'Wood',
  'Harris',
  'Martin',
  'Jackson',
  'Nowak',
  'Scott',
  'Morris',
];

/** BCUs and boroughs of the demo force; the first BCU is the BCU demo. Station ids are borough-derived. */
const STRUCTURE: { id: string; name: string; boroughs: [string, string, string[]][] }[] = [
  {
    id: 'SN',
    name: 'South',
    boroughs: [
      ['BROM', 'Bromley', ['BR:Bromley', 'OR:Orpington']],
      ['CROY', 'Croydon', ['CR:Croydon']],
      ['SUTT', 'Sutton', ['SU:Sutton']],
    ],
  },
  {
    id: 'SW',
    name: 'South West',
    boroughs: [
      ['KING', 'Kingston', ['KT:Kingston']],
      ['MERT', 'Merton', ['MT:Merton']],
      ['RICH', 'Richmond', ['RI:Richmond']],
      ['WAND', 'Wandsworth', ['WA:Wandsworth']],
    ],
  },
  {
    id: 'AS',
    name: 'South Area',
    boroughs: [
      ['LAMB', 'Lambeth', ['LB:Lambeth']],
      ['SOUT', 'Southwark', ['SW:Southwark']],
    ],
  },
  {
    id: 'SE',
    name: 'South East',
    boroughs: [
      ['BEXL', 'Bexley', ['BX:Bexley']],
      ['GREE', 'Greenwich', ['GR:Greenwich']],
      ['LEWI', 'Lewisham', ['LW:Lewisham']],
    ],
  },
  {
    id: 'EA',
    name: 'East Area',
    boroughs: [
      ['HAVE', 'Havering', ['HV:Havering']],
      ['BARK', 'Barking and Dagenham', ['BD:Barking']],
      ['REDB', 'Redbridge', ['RB:Ilford']],
    ],
  },
  {
    id: 'NE',
    name: 'North East',
    boroughs: [
      ['NEWH', 'Newham', ['NH:Forest Gate']],
      ['WALT', 'Waltham Forest', ['WF:Chingford']],
    ],
  },
  {
    id: 'CE',
    name: 'Central East',
    boroughs: [
      ['HACK', 'Hackney', ['HK:Stoke Newington']],
      ['TOWE', 'Tower Hamlets', ['TH:Bethnal Green']],
    ],
  },
  {
    id: 'NA',
    name: 'North Area',
    boroughs: [
      ['ENFI', 'Enfield', ['EN:Edmonton']],
      ['HARI', 'Haringey', ['HR:Tottenham']],
    ],
  },
  {
    id: 'CN',
    name: 'Central North',
    boroughs: [
      ['CAMD', 'Camden', ['CD:Kentish Town']],
      ['ISLI', 'Islington', ['IS:Islington']],
    ],
  },
  {
    id: 'NW',
    name: 'North West',
    boroughs: [
      ['BARN', 'Barnet', ['BN:Colindale']],
      ['BREN', 'Brent', ['BT:Wembley']],
      ['HARR', 'Harrow', ['HW:Harrow']],
    ],
  },
  {
    id: 'WA',
    name: 'West Area',
    boroughs: [
      ['EALI', 'Ealing', ['EL:Ealing']],
      ['HILL', 'Hillingdon', ['HI:Uxbridge']],
      ['HOUN', 'Hounslow', ['HO:Hounslow']],
    ],
  },
  {
    id: 'AW',
    name: 'Central West',
    boroughs: [
      ['HAMM', 'Hammersmith and Fulham', ['HF:Hammersmith']],
      ['KENS', 'Kensington and Chelsea', ['KC:Kensington']],
      ['WEST', 'Westminster', ['WM:Charing Cross']],
    ],
  },
];

export const DEMO_FORCE_ID = 'MPS';
export const ROTA_PATTERN = ['E', 'E', 'L', 'L', 'N', 'N', 'R', 'R', 'R', 'R'];
const ROTA_BASE = DateTime.fromISO('2026-01-05', { zone: LONDON });

export type DemoAccount = { username: string; name: string; role: Role; scope: Scope; password: string };

/** One account per role, and a second planner in another borough to show scope. Demo data only. */
export const DEMO_ACCOUNTS: DemoAccount[] = [
  {
    username: 'planner.bromley',
    name: 'Bromley duty planner',
    role: 'planner',
    scope: { level: 'borough', id: 'BROM' },
    password: 'demo-planner-2026',
  },
  {
    username: 'planner.croydon',
    name: 'Croydon duty planner',
    role: 'planner',
    scope: { level: 'borough', id: 'CROY' },
    password: 'demo-planner-2026',
  },
  {
    username: 'control.south',
    name: 'South BCU control room',
    role: 'control_room',
    scope: { level: 'bcu', id: 'SN' },
    password: 'demo-control-2026',
  },
  {
    username: 'lead.bromley',
    name: 'Bromley borough lead',
    role: 'borough_lead',
    scope: { level: 'borough', id: 'BROM' },
    password: 'demo-lead-2026',
  },
  {
    username: 'armourer.bromley',
    name: 'Bromley station armourer',
    role: 'armourer',
    scope: { level: 'station', id: 'BR' },
    password: 'demo-armourer-2026',
  },
  {
    username: 'admin',
    name: 'Force administrator',
    role: 'admin',
    scope: { level: 'force', id: DEMO_FORCE_ID },
    password: 'demo-admin-2026',
  },
  {
    username: 'oversight',
    name: 'Police and crime panel (oversight)',
    role: 'oversight',
    scope: { level: 'force', id: DEMO_FORCE_ID },
    password: 'demo-oversight-2026',
  },
];

export type DemoForce = {
  force: Force;
  bcus: Bcu[];
  boroughs: Borough[];
  stations: Station[];
  shiftDefinitions: ShiftDefinition[];
  teams: Team[];
  officers: Officer[];
  devices: Device[];
  abstractions: Abstraction[];
};

/**
 * Builds the demo force. Shares follow DESIGN.md section 7: about 45% of response officers hold a
 * Taser authorisation, some lapse within 60 days of `today` and a few have lapsed; X2 and T7 devices are
 * pooled per station with a few faulty; students and a few specials; five teams per station on a
 * 2 early / 2 late / 2 night / 4 rest rota.
 */
export function buildDemoForce(scale: DemoScale, today: string, seed = 2017): DemoForce {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const day = DateTime.fromISO(today, { zone: LONDON });
  const teamSize = scale === 'bcu' ? 25 : 50;
  const devicesPerStation = scale === 'bcu' ? 50 : 78;
  const structure = scale === 'bcu' ? STRUCTURE.slice(0, 1) : STRUCTURE;
  const force: Force = { id: DEMO_FORCE_ID, name: 'Metropolitan Police Service' };
  const out: DemoForce = {
    force,
    bcus: [],
    boroughs: [],
    stations: [],
    shiftDefinitions: [
      { code: 'E', name: 'Earlies', force: force.id, start: '07:00', end: '16:00' },
      { code: 'L', name: 'Lates', force: force.id, start: '14:00', end: '23:00' },
      { code: 'N', name: 'Nights', force: force.id, start: '22:00', end: '07:00' },
    ],
    teams: [],
    officers: [],
    devices: [],
    abstractions: [],
  };
  let collar = 1000;
  let serial = 4000;
  let absId = 0;
  for (const b of structure) {
    out.bcus.push({ id: b.id, name: b.name, force: force.id });
    for (const [boroughId, boroughName, stations] of b.boroughs) {
      out.boroughs.push({ id: boroughId, name: boroughName, force: force.id, bcu: b.id });
      for (const st of stations) {
        const [stationId, stationName] = st.split(':') as [string, string];
        const place = { force: force.id, bcu: b.id, borough: boroughId, station: stationId };
        out.stations.push({ id: stationId, name: stationName, force: force.id, bcu: b.id, borough: boroughId });
        ['A', 'B', 'C', 'D', 'E'].forEach((letter, k) => {
          const teamId = `${stationId}-${letter}`;
          out.teams.push({
            id: teamId,
            name: `Team ${letter}`,
            ...place,
            rota: { pattern: ROTA_PATTERN, anchorDate: ROTA_BASE.minus({ days: 2 * k }).toISODate()! },
          });
          for (let i = 0; i < teamSize; i++) {
            const rank = i === 0 ? 'INSP' : i <= 2 ? 'SGT' : 'PC';
            const r = rnd();
            const kind = rank !== 'PC' ? 'regular' : r < 0.12 ? 'student' : r < 0.15 ? 'special' : 'regular';
            const authorised = kind === 'regular' ? rnd() < (rank === 'PC' ? 0.5 : 0.6) : rnd() < 0.05;
            collar += 1;
            let taser: Officer['taser'] = null;
            if (authorised) {
              const t = rnd();
              // 85% trained 1-10 months ago; 10% due to lapse in the next 60 days; 5% lapsed.
              const daysAgo =
                t < 0.85
                  ? 30 + Math.floor(rnd() * 270)
                  : t < 0.95
                    ? 306 + Math.floor(rnd() * 58)
                    : 366 + Math.floor(rnd() * 60);
              const m = rnd();
              const models: DeviceModel[] = m < 0.6 ? ['X2'] : m < 0.8 ? ['T7'] : ['X2', 'T7'];
              taser = {
                lastTrained: day.minus({ days: daysAgo }).toISODate()!,
                models,
                endorsed: kind !== 'regular',
                suspended: rnd() < 0.01,
                volunteer: true,
              };
            }
            out.officers.push({
              collar: `${rank === 'PC' ? 'PC' : rank === 'SGT' ? 'PS' : 'IN'}${collar}`,
              name: `${pick(FIRST)} ${pick(LAST)}`,
              rank,
              kind,
              ...place,
              team: teamId,
              taser,
            });
            if (rnd() < 0.08) {
              const start = day.plus({ days: Math.floor(rnd() * 21) });
              const kindOfAbs = pick(['leave', 'leave', 'leave', 'sickness', 'court', 'training'] as const);
              const len = kindOfAbs === 'leave' ? 3 + Math.floor(rnd() * 10) : 1 + Math.floor(rnd() * 3);
              out.abstractions.push({
                id: `demo-${++absId}`,
                officer: out.officers.at(-1)!.collar,
                kind: kindOfAbs,
                from: start.toISODate()!,
                to: start.plus({ days: len - 1 }).toISODate()!,
                ...place,
              });
            }
          }
        });
        for (let i = 0; i < devicesPerStation; i++) {
          const model: DeviceModel = i < devicesPerStation * 0.7 ? 'X2' : 'T7';
          const r = rnd();
          serial += 1;
          out.devices.push({
            serial: `${model}-${String(serial).padStart(6, '0')}`,
            model,
            ...place,
            state: r < 0.05 ? 'faulty' : r < 0.07 ? 'in_repair' : 'in_armoury',
          });
        }
      }
    }
  }
  return out;
}
