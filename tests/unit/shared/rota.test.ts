import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eachDate, expandRota, rotaCodeOn, shiftBounds, shiftHours } from '../../../shared/time/rota.js';
import { IsoDateSchema } from '../../../shared/schemas/common.schema.js';
import type { ShiftDefinition, Team } from '../../../shared/schemas/shift.schema.js';

const defs: ShiftDefinition[] = [
  { code: 'E', name: 'Earlies', force: 'F', start: '07:00', end: '16:00' },
  { code: 'L', name: 'Lates', force: 'F', start: '14:00', end: '23:00' },
  { code: 'N', name: 'Nights', force: 'F', start: '22:00', end: '07:00' },
];
const pattern = ['E', 'E', 'L', 'L', 'N', 'N', 'R', 'R', 'R', 'R'];
const team = (id: string, anchorDate: string): Team => ({
  id,
  name: id,
  force: 'F',
  bcu: 'B',
  borough: 'X',
  station: 'S',
  rota: { pattern, anchorDate },
});

describe('shift bounds across clock changes', () => {
  it('makes a 22:00-07:00 night starting 28 March 2026 last 8 hours (spring forward)', () => {
    const { start, end } = shiftBounds({ start: '22:00', end: '07:00' }, '2026-03-28');
    assert.equal(start.toUTC().toISO(), '2026-03-28T22:00:00.000Z');
    assert.equal(end.toUTC().toISO(), '2026-03-29T06:00:00.000Z');
    assert.equal(end.diff(start, 'hours').hours, 8);
  });
  it('makes a 22:00-07:00 night starting 24 October 2026 last 10 hours (fall back)', () => {
    const { start, end } = shiftBounds({ start: '22:00', end: '07:00' }, '2026-10-24');
    assert.equal(start.toUTC().toISO(), '2026-10-24T21:00:00.000Z');
    assert.equal(end.toUTC().toISO(), '2026-10-25T07:00:00.000Z');
    assert.equal(end.diff(start, 'hours').hours, 10);
  });
  it('keeps an ordinary night at 9 hours', () => {
    const { start, end } = shiftBounds({ start: '22:00', end: '07:00' }, '2026-11-22');
    assert.equal(end.diff(start, 'hours').hours, 9);
  });
});

describe('rota expansion', () => {
  it('follows a team through its 10-day cycle', () => {
    const t = team('A', '2026-01-05');
    assert.deepEqual(
      eachDate('2026-01-05', '2026-01-16').map((d) => rotaCodeOn(t, d)),
      ['E', 'E', 'L', 'L', 'N', 'N', 'R', 'R', 'R', 'R', 'E', 'E'],
    );
    assert.equal(rotaCodeOn(t, '2026-01-04'), 'R');
  });
  it('gives five offset teams exactly one early, late and night each day', () => {
    const teams = [0, 2, 4, 6, 8].map((k, i) => team(`T${i}`, `2026-01-${String(5 - k + 10).padStart(2, '0')}`));
    const shifts = expandRota(teams, defs, '2026-03-01', '2026-03-10');
    assert.equal(shifts.length, 30);
    for (const d of eachDate('2026-03-01', '2026-03-10')) {
      assert.deepEqual(
        shifts
          .filter((s) => s.date === d)
          .map((s) => s.code)
          .sort(),
        ['E', 'L', 'N'],
      );
    }
  });
  it('stores UTC instants with the zone and hours of nights across both 2026 changes', () => {
    // the pattern's day 0 is E, so anchor four days earlier to land on N
    const spring = expandRota([team('A', '2026-03-24')], defs, '2026-03-28', '2026-03-28')[0]!;
    assert.equal(spring.code, 'N');
    assert.equal(spring.start, '2026-03-28T22:00:00Z');
    assert.equal(spring.end, '2026-03-29T06:00:00Z');
    assert.equal(spring.zone, 'Europe/London');
    assert.equal(spring.hours, 8);
    assert.equal(shiftHours(spring), 8);
    const autumn = expandRota([team('A', '2026-10-20')], defs, '2026-10-24', '2026-10-24')[0]!;
    assert.equal(autumn.code, 'N');
    assert.equal(autumn.hours, 10);
  });
});

describe('calendar dates', () => {
  it('refuses a date that does not exist', () => {
    assert.equal(IsoDateSchema.safeParse('2026-02-28').success, true);
    assert.equal(IsoDateSchema.safeParse('2026-02-30').success, false);
    assert.equal(IsoDateSchema.safeParse('2026-13-01').success, false);
  });
});
