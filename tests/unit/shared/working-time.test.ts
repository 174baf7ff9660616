import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { restBreaches } from '../../../shared/rules/working-time.js';

const defs = [
  { code: 'E', start: '07:00', end: '16:00' },
  { code: 'L', start: '14:00', end: '23:00' },
  { code: 'N', start: '22:00', end: '07:00' },
];

describe('rest between shifts', () => {
  it('accepts the 2 early / 2 late / 2 night / 4 rest rota', () => {
    assert.deepEqual(restBreaches(['E', 'E', 'L', 'L', 'N', 'N', 'R', 'R', 'R', 'R'], defs), []);
  });
  it('finds a late followed by an early (8 hours) and a night followed by an early (0 hours)', () => {
    assert.deepEqual(restBreaches(['L', 'E', 'N', 'E', 'R'], defs), [
      { day: 0, from: 'L', to: 'E', restHours: 8 },
      { day: 2, from: 'N', to: 'E', restHours: 0 },
    ]);
  });
  it('wraps round: the last day of the cycle is followed by the first', () => {
    assert.deepEqual(restBreaches(['E', 'L'], defs), [{ day: 1, from: 'L', to: 'E', restHours: 8 }]);
  });
});
