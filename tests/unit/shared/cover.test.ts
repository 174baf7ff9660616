import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { overdueMinutes, summarise } from '../../../shared/live/board-state.js';
import { shownAlerts, taserCover, taserCoverByShift } from '../../../shared/live/cover.js';
import type { CoverAlert, DeviceLive, UnitLive } from '../../../shared/schemas/board.schema.js';

const place = { force: 'MPS', bcu: 'SN', borough: 'BROM', station: 'BR' };
const unit = (callSign: string, shift: string, members: string[], bookedOn: string[]): UnitLive => ({
  key: `${shift}|${callSign}`,
  shift,
  callSign,
  ...place,
  start: '2026-11-22T07:00:00.000Z',
  end: '2026-11-22T16:00:00.000Z',
  members,
  plannedCarriers: [],
  status: bookedOn.length ? 'available' : 'off_duty',
  bookedOn,
  version: 1,
});
const device = (serial: string, holder: string | null): DeviceLive => ({
  serial,
  model: 'X2',
  ...place,
  state: holder ? 'issued' : 'in_armoury',
  holder,
  shift: holder ? 'BR-2026-11-22-E' : null,
  version: 1,
});
const alert = (count: number, below: boolean): CoverAlert => ({
  key: 'BROM|2026-11-22|E',
  ...place,
  date: '2026-11-22',
  code: 'E',
  start: '2026-11-22T07:00:00.000Z',
  end: '2026-11-22T16:00:00.000Z',
  below,
  count,
  min: 2,
  since: '2026-11-22T09:00:00.000Z',
  version: 1,
});
const at = { borough: 'BROM', date: '2026-11-22', code: 'E' };

describe('taser cover (one rule)', () => {
  const units = [
    unit('A', 'BR-2026-11-22-E', ['P1', 'P2'], ['P1']),
    unit('B', 'BR-2026-11-22-E', ['P3', 'P4'], []),
    unit('C', 'OR-2026-11-22-E', ['P5', 'P6'], ['P5', 'P6']),
    unit('D', 'BR-2026-11-22-N', ['P7', 'P8'], ['P7']),
  ];
  const holds = (c: string) => ['P1', 'P3', 'P6', 'P7'].includes(c);

  it('counts units of the borough-shift with a booked-on officer holding a device, across stations', () => {
    // A: P1 on and holds; B: P3 holds but nobody is on; C: P6 on and holds; D: another shift.
    assert.equal(taserCover(units, holds, at), 2);
    assert.deepEqual(
      [...taserCoverByShift(units, holds)],
      [
        ['BROM|2026-11-22|E', 2],
        ['BROM|2026-11-22|N', 1],
      ],
    );
  });

  it('shows an open alert with the rule’s count, and not once that count reaches the minimum', () => {
    assert.deepEqual(
      shownAlerts([alert(0, true)], new Map([['BROM|2026-11-22|E', 1]])).map((a) => a.count),
      [1],
    );
    assert.deepEqual(shownAlerts([alert(0, true)], new Map([['BROM|2026-11-22|E', 2]])), []);
    assert.deepEqual(shownAlerts([alert(3, false)], new Map()), []);
  });

  it('gives the summary and its alerts the same count from one board state', () => {
    const devices = [device('S1', 'P1'), device('S2', null)];
    const s = summarise(devices, units.slice(0, 2), [alert(0, true)]);
    assert.equal(s.taserUnits, 1);
    assert.deepEqual(
      s.cover.map((c) => [c.key, c.units, c.unitsOn, c.taserUnits, c.min, c.alert?.count]),
      [['BROM|2026-11-22|E', 2, 1, 1, 2, 1]],
    );
    assert.deepEqual(
      s.alerts.map((a) => [a.key, a.count, a.since]),
      [['BROM|2026-11-22|E', 1, '2026-11-22T09:00:00.000Z']],
    );
  });

  it('flags a unit still booked on after its shift as overdue by whole minutes', () => {
    const u = units[0]!;
    assert.equal(overdueMinutes(u, new Date('2026-11-22T15:59:00Z')), null);
    assert.equal(overdueMinutes(u, new Date('2026-11-22T16:42:30Z')), 42);
    assert.equal(overdueMinutes(units[1]!, new Date('2026-11-22T17:00:00Z')), null);
  });
});
