import assert from 'node:assert/strict';
import type { UnitLive } from '../../../shared/schemas/board.schema.js';
import type { PublishedCrew } from '../../../server/repositories/crew-plan.repository.js';
import { liveLogRepository } from '../../../server/live/log.repository.js';
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
    const key = `${c.shift}|${c.callSign}`;
    const version = next(`unit:${key}`);
    const u: UnitLive = {
      key,
      shift: c.shift,
      callSign: c.callSign,
      force: c.force,
      bcu: c.bcu,
      borough: c.borough,
      station: c.station,
      start: c.start,
      end: c.end,
      members: c.members,
      plannedCarriers: c.carriers,
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
