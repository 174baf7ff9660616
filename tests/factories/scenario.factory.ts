import { defaultPolicy } from '../../shared/rules/force-settings.js';
import type { ScenarioInput } from '../../shared/schemas/scenario.schema.js';

type Officer = ScenarioInput['officers'][number];
type Shift = ScenarioInput['shifts'][number];
type Device = ScenarioInput['devices'][number];
type Station = ScenarioInput['stations'][number];
type Taser = NonNullable<Officer['taser']>;

/** A night at Bromley, 10-11 May 2026 (BST): 22:00-07:00 local. */
export const DEFAULT_SHIFT_ID = 'BR-N';

export function buildStation(overrides: Partial<Station> = {}): Station {
  return { id: 'BR', name: 'Bromley', borough: 'Bromley', bcu: 'SN', ...overrides };
}

export function buildShift(overrides: Partial<Shift> = {}): Shift {
  return {
    id: DEFAULT_SHIFT_ID,
    station: 'BR',
    start: '2026-05-10T21:00:00Z',
    end: '2026-05-11T06:00:00Z',
    ...overrides,
  };
}

/** An in-date Taser authorisation (trained 1 Jan 2026, so valid until 1 Jan 2027). */
export function buildTaser(overrides: Partial<Taser> = {}): Taser {
  return { lastTrained: '2026-01-01', models: ['X2'], endorsed: false, suspended: false, ...overrides };
}

/** A regular PC without Taser on the default shift. */
export function buildOfficer(id: string, overrides: Partial<Officer> = {}): Officer {
  return { id, rank: 'PC', kind: 'regular', station: 'BR', shifts: [DEFAULT_SHIFT_ID], taser: null, ...overrides };
}

/** A regular PC authorised on `models` (default X2) on the default shift. */
export function buildCarrier(id: string, overrides: Partial<Officer> = {}, taser: Partial<Taser> = {}): Officer {
  return buildOfficer(id, { taser: buildTaser(taser), ...overrides });
}

export function buildDevice(serial: string, overrides: Partial<Device> = {}): Device {
  const model = overrides.model ?? (serial.startsWith('T7') ? 'T7' : serial.startsWith('T10') ? 'T10' : 'X2');
  return { serial, model, station: 'BR', serviceable: true, ...overrides };
}

/** `n` devices of one model at one station: X2-000001 ... */
export function buildDevices(n: number, model: Device['model'] = 'X2', station = 'BR', from = 1): Device[] {
  return Array.from({ length: n }, (_, i) =>
    buildDevice(`${model}-${String(from + i).padStart(6, '0')}`, { model, station }),
  );
}

/** `n` officers built by `make(id, i)`, ids `${prefix}${start + i}`. */
export function buildMany(n: number, prefix: string, make: (id: string, i: number) => Officer, start = 1): Officer[] {
  return Array.from({ length: n }, (_, i) => make(`${prefix}${start + i}`, i));
}

/** A valid scenario: one station, one night shift, the given officers and devices (defaults: none). */
export function buildScenario(
  overrides: Omit<Partial<ScenarioInput>, 'policy'> & { policy?: Partial<ScenarioInput['policy']> } = {},
): ScenarioInput {
  const { policy, ...rest } = overrides;
  return {
    version: 1,
    timezone: 'Europe/London',
    stations: [buildStation()],
    shifts: [buildShift()],
    officers: [],
    devices: [],
    ...rest,
    policy: { ...defaultPolicy(), ...policy },
  };
}
