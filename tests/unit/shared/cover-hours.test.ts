import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  coverByHour,
  hoursBelow,
  hoursOfDay,
  intersectIntervals,
  plannedCoverByHour,
  roundCover,
  shiftOfId,
  unionIntervals,
} from '../../../shared/rules/cover-hours.js';

const at = (iso: string) => Date.parse(iso);

describe('local clock hours', () => {
  it('gives 24 hours on an ordinary day', () => {
    assert.equal(hoursOfDay('2026-11-02').length, 24);
  });
  it('gives 23 hours on the spring-forward day, without 01:00', () => {
    const hours = hoursOfDay('2026-03-29');
    assert.equal(hours.length, 23);
    assert.deepEqual(
      hours.slice(0, 3).map((h) => [h.hour, h.offset]),
      [
        [0, 0],
        [2, 60],
        [3, 60],
      ],
    );
  });
  it('gives 25 hours on the fall-back day, with 01:00 twice', () => {
    const hours = hoursOfDay('2026-10-25');
    assert.equal(hours.length, 25);
    assert.deepEqual(
      hours.slice(0, 4).map((h) => [h.hour, h.offset]),
      [
        [0, 60],
        [1, 60],
        [1, 0],
        [2, 0],
      ],
    );
    assert.equal(hours[0]!.start, at('2026-10-24T23:00:00Z'));
  });
});

describe('cover by hour', () => {
  it('weights a unit by the part of each hour it was equipped', () => {
    const slots = hoursOfDay('2026-11-02');
    const cover = coverByHour(
      [
        { start: at('2026-11-02T07:00:00Z'), end: at('2026-11-02T09:00:00Z') },
        { start: at('2026-11-02T07:45:00Z'), end: at('2026-11-02T08:30:00Z') },
      ],
      slots,
    );
    assert.deepEqual(cover.slice(6, 10).map(roundCover), [0, 1.25, 1.5, 0]);
    assert.equal(hoursBelow(cover.map(roundCover), 1), 22);
  });
  it('counts a planned night across the spring change over its 23-hour day', () => {
    const crews = [{ start: '2026-03-28T22:00:00Z', end: '2026-03-29T06:00:00Z', carriers: [1] }];
    const { slots, cover } = plannedCoverByHour(crews, '2026-03-29', '2026-03-29');
    assert.equal(slots.length, 23);
    // 00:00 GMT to 07:00 BST (06:00Z): six clock hours 00, 02, 03, 04, 05, 06.
    assert.deepEqual(cover.slice(0, 7), [1, 1, 1, 1, 1, 1, 0]);
  });
  it('ignores crews without a carrier', () => {
    const crews = [{ start: '2026-11-02T07:00:00Z', end: '2026-11-02T17:00:00Z', carriers: [] }];
    assert.equal(
      plannedCoverByHour(crews, '2026-11-02', '2026-11-02').cover.reduce((a, b) => a + b, 0),
      0,
    );
  });
});

describe('interval algebra', () => {
  it('merges overlapping intervals and intersects two unions', () => {
    const u = unionIntervals([
      { start: 5, end: 9 },
      { start: 1, end: 3 },
      { start: 2, end: 4 },
    ]);
    assert.deepEqual(u, [
      { start: 1, end: 4 },
      { start: 5, end: 9 },
    ]);
    assert.deepEqual(intersectIntervals(u, [{ start: 3, end: 6 }]), [
      { start: 3, end: 4 },
      { start: 5, end: 6 },
    ]);
  });
  it('reads a shift instance id', () => {
    assert.deepEqual(shiftOfId('BR-2026-11-02-N'), { station: 'BR', date: '2026-11-02', code: 'N' });
    assert.equal(shiftOfId('nonsense'), null);
  });
});
