import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  currentShifts,
  isCurrentShift,
  nextShiftBoundary,
  occurrencesAround,
} from '../../../shared/rules/current-shift.js';

const defs = [
  { code: 'E', name: 'Earlies', start: '07:00', end: '16:00' },
  { code: 'L', name: 'Lates', start: '14:00', end: '23:00' },
  { code: 'N', name: 'Nights', start: '22:00', end: '07:00' },
];
const at = (iso: string) => new Date(iso);
const night = { start: '2026-11-21T22:00:00.000Z', end: '2026-11-22T07:00:00.000Z' };
const early = { start: '2026-11-22T07:00:00.000Z', end: '2026-11-22T16:00:00.000Z' };

describe('isCurrentShift (the one "current" rule)', () => {
  it('is current from the issue lead before the start until (not including) the end', () => {
    assert.equal(isCurrentShift(early, at('2026-11-22T05:59:59Z'), 60), false);
    assert.equal(isCurrentShift(early, at('2026-11-22T06:00:00Z'), 60), true);
    assert.equal(isCurrentShift(early, at('2026-11-22T15:59:59Z'), 60), true);
    assert.equal(isCurrentShift(early, at('2026-11-22T16:00:00Z'), 60), false);
  });
  it('with no lead is current only while running', () => {
    assert.equal(isCurrentShift(early, at('2026-11-22T06:30:00Z'), 0), false);
    assert.equal(isCurrentShift(early, at('2026-11-22T07:00:00Z'), 0), true);
  });
});

describe('currentShifts', () => {
  it('at 06:30 in November marks nights and the earlies (within the 60-minute lead) current, lates next', () => {
    const shifts = occurrencesAround(defs, at('2026-11-22T06:30:00Z'));
    assert.deepEqual(
      currentShifts(shifts, at('2026-11-22T06:30:00Z'), 60).map((s) => `${s.date} ${s.code} ${s.when}`),
      ['2026-11-21 N current', '2026-11-22 E current', '2026-11-22 L next'],
    );
  });
  it('at 05:59 marks only the nights current and the earlies next', () => {
    const shifts = occurrencesAround(defs, at('2026-11-22T05:59:00Z'));
    assert.deepEqual(
      currentShifts(shifts, at('2026-11-22T05:59:00Z'), 60).map((s) => `${s.code} ${s.when}`),
      ['N current', 'E next'],
    );
  });
});

describe('occurrencesAround and nextShiftBoundary across the October clock change', () => {
  it('makes the night of 24 October ten hours long (22:00 BST to 07:00 GMT)', () => {
    const n = occurrencesAround(defs, at('2026-10-25T00:30:00Z')).find(
      (s) => s.date === '2026-10-24' && s.code === 'N',
    )!;
    assert.equal(n.start, '2026-10-24T21:00:00.000Z');
    assert.equal(n.end, '2026-10-25T07:00:00.000Z');
  });
  it('gives the issue-lead opening of the earlies, then the night’s end, as the next boundaries', () => {
    const shifts = occurrencesAround(defs, at('2026-10-25T00:30:00Z'));
    const first = nextShiftBoundary(shifts, Date.parse('2026-10-25T00:30:00Z'), 60)!;
    assert.equal(new Date(first).toISOString(), '2026-10-25T06:00:00.000Z');
    const second = nextShiftBoundary(shifts, first, 60)!;
    assert.equal(new Date(second).toISOString(), '2026-10-25T07:00:00.000Z');
  });
  it('has no boundary when no shift is left', () => {
    assert.equal(nextShiftBoundary([night], Date.parse(night.end), 60), null);
  });
});
