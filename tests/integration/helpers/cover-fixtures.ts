import assert from 'node:assert/strict';
import type { UnitLive } from '../../../shared/schemas/board.schema.js';
import type { EventBus } from '../../../server/events/domain-events.js';
import { publishedCrewRepository, type PublishedCrew } from '../../../server/repositories/crew-plan.repository.js';
import { liveLogRepository } from '../../../server/live/log.repository.js';
import { crewAsUnit, unitKey } from '../../../server/live/read-model.js';
import { logId, type LogRecord } from '../../../server/live/records.js';

type Place = { force: string; bcu: string; borough: string; station: string };

/**
 * Builders for a scripted day of cover: published crews, and the live log's unit and custody records written
 * at exact instants, as the live side writes them (each key's versions counted from 1). `write` appends a
 * record: straight into the store by default; pass the live write path (`appendVersion`) to have the read
 * model (and what listens to it) see it too.
 */
export function coverScript(write: (r: LogRecord) => Promise<boolean> = (r) => liveLogRepository.append(r)) {
  const versions = new Map<string, number>();
  const next = (key: string) => {
    const v = (versions.get(key) ?? 0) + 1;
    versions.set(key, v);
    return v;
  };
  /** A crew of a published plan, officers `<call sign>-a` and `-b`, `-a` planned to carry when `carrier`. */
  const crew = (
    place: Place,
    shift: string,
    callSign: string,
    start: string,
    end: string,
    carrier: boolean,
  ): PublishedCrew => ({
    plan: 'cover-test',
    shift,
    ...place,
    start,
    end,
    callSign,
    members: [`${callSign}-a`, `${callSign}-b`],
    carriers: carrier ? [{ officer: `${callSign}-a`, device: `D-${callSign}` }] : [],
  });
  /** A unit's booking record: who of the crew is booked on from `at` (nobody: booked off). */
  const unit = async (c: PublishedCrew, at: string, bookedOn: string[]) => {
    const key = unitKey(c.shift, c.callSign);
    const version = next(`unit:${key}`);
    const u: UnitLive = {
      ...crewAsUnit(c),
      status: bookedOn.length ? 'available' : 'off_duty',
      bookedOn,
      version,
    };
    const r = {
      _id: logId('unit', key, version),
      type: 'unit',
      key,
      version,
      at,
      kind: bookedOn.length ? 'booked_on' : 'booked_off',
      by: 'control.south',
      officer: null,
      unit: u,
      status: 'available',
    } as LogRecord;
    assert.equal(await write(r), true);
  };
  /** A device's custody record: issued to `holder` from `at`, or back in the armoury (`holder` null). */
  const custody = async (place: Place, device: string, at: string, holder: string | null, shift: string) => {
    const version = next(`device:${device}`);
    const r = {
      _id: logId('device', device, version),
      type: 'custody',
      key: device,
      version,
      at,
      id: `${device}#${version}`,
      kind: holder ? 'issue' : 'return',
      by: 'armourer.bromley',
      device,
      model: 'X2',
      fromState: holder ? 'in_armoury' : 'issued',
      toState: holder ? 'issued' : 'in_armoury',
      officer: holder,
      shift,
      callSign: null,
      note: null,
      ...place,
      holder,
      issuedShift: holder ? shift : null,
      state: holder ? 'issued' : 'in_armoury',
    } as LogRecord;
    assert.equal(await write(r), true);
  };
  return { crew, unit, custody };
}

/**
 * One early shift at Bromley station on 10 November 2026 (GMT, so local 07:00–16:00 is 07:00Z–16:00Z): three
 * crews, E-01 and E-02 planned to carry. `bookings` writes its day: E-01 carries 07:30Z to 15:30Z; E-02 is
 * booked on all shift but never draws a device. Planned 18 unit-hours, actual 8.
 */
export function bromleyEarly(script: ReturnType<typeof coverScript>) {
  const place = { force: 'MPS', bcu: 'SN', borough: 'BROM', station: 'BR' };
  const shift = 'BR-2026-11-10-E';
  const crew = (callSign: string, carrier: boolean) =>
    script.crew(place, shift, callSign, '2026-11-10T07:00:00.000Z', '2026-11-10T16:00:00.000Z', carrier);
  const crews = [crew('BR-E-01', true), crew('BR-E-02', true), crew('BR-E-03', false)] as const;
  const [e1, e2] = crews;
  /**
   * Publishes `crews` over the shift as the publish route does for the cover side: the crews stored, then
   * the `plan.published` domain event on `events` (the server's bus).
   */
  const publish = async (events: EventBus, published: readonly PublishedCrew[], at: Date) => {
    await publishedCrewRepository.replaceForShifts([{ id: shift, station: 'BR' }], [...published]);
    events.publish({
      type: 'plan.published',
      at: at.toISOString(),
      by: 'planner.bromley',
      plan: `cover-test-${at.getTime()}`,
      unit: { level: 'station', id: 'BR' },
      placement: place,
      stations: ['BR'],
      shifts: [shift],
    });
  };
  const bookings = async () => {
    await script.unit(e1, '2026-11-10T07:00:00.000Z', ['BR-E-01-a']);
    await script.custody(place, 'D1', '2026-11-10T07:30:00.000Z', 'BR-E-01-a', shift);
    await script.unit(e2, '2026-11-10T07:00:00.000Z', ['BR-E-02-a']);
    await script.custody(place, 'D1', '2026-11-10T15:30:00.000Z', null, shift);
    await script.unit(e1, '2026-11-10T16:00:00.000Z', []);
    await script.unit(e2, '2026-11-10T16:00:00.000Z', []);
  };
  return { place, shift, crews, publish, bookings };
}
