import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  financialQuarter,
  financialYear,
  financialYearOf,
  lastDays,
  month,
  cappedPresets,
  periodPresets,
  weeksPresets,
  quarterOf,
} from '../../../shared/time/periods.js';

describe('period presets', () => {
  it('gives the cliff the weeks reaching the end of this and the next quarter and financial year', () => {
    // 2 Dec 2026: Q3 2026/27 ends 31 Dec (30 days: 5 weeks), Q4 31 Mar 2027 (120 days: 18 weeks), FY 2027/28
    // ends 31 Mar 2028 (486 days: 70 weeks).
    assert.deepEqual(
      weeksPresets('2026-12-02').map((p) => [p.id, p.weeks]),
      [
        ['12-months', 52],
        ['to-quarter-end', 5],
        ['to-next-quarter-end', 18],
        ['to-fy-end', 18],
        ['to-next-fy-end', 70],
      ],
    );
    // A quarter ending within 4 weeks still shows 4 (the cliff's shortest).
    assert.equal(weeksPresets('2026-12-30')[1]!.weeks, 4);
  });

  it('offers a capped picker only the presets that fit: 28 days from 30 Jan 2027 takes February, not a quarter', () => {
    assert.deepEqual(
      cappedPresets('2027-01-30', 28).map((p) => [p.id, p.from, p.to]),
      [
        ['next-7', '2027-01-31', '2027-02-06'],
        ['next-14', '2027-01-31', '2027-02-13'],
        ['next-28', '2027-01-31', '2027-02-27'],
        ['rest-of-month', '2027-01-31', '2027-01-31'],
        ['month-2027-02', '2027-02-01', '2027-02-28'],
        ['last-7', '2027-01-24', '2027-01-30'],
        ['last-28', '2027-01-03', '2027-01-30'],
      ],
    );
    assert.deepEqual(
      cappedPresets('2026-12-31', 28).map((p) => p.id),
      ['next-7', 'next-14', 'next-28', 'last-7', 'last-28'],
    );
  });

  it('starts the financial year on 1 April', () => {
    assert.equal(financialYearOf('2027-03-31'), 2026);
    assert.equal(financialYearOf('2027-04-01'), 2027);
    assert.deepEqual(financialYear(2026), { id: 'fy-2026', label: 'FY 2026/27', from: '2026-04-01', to: '2027-03-31' });
  });
  it('gives the quarters of a financial year, Q4 in the next calendar year with its leap day', () => {
    assert.deepEqual(
      ([1, 2, 3, 4] as const).map((q) => [financialQuarter(2027, q).from, financialQuarter(2027, q).to]),
      [
        ['2027-04-01', '2027-06-30'],
        ['2027-07-01', '2027-09-30'],
        ['2027-10-01', '2027-12-31'],
        ['2028-01-01', '2028-03-31'],
      ],
    );
    assert.equal(financialQuarter(2026, 3).label, 'Q3 2026/27 (Oct–Dec 2026)');
    assert.equal(quarterOf('2027-02-14').id, 'fy-2026-q4');
  });
  it('gives the last 7 days including today, and whole calendar months', () => {
    assert.deepEqual(lastDays('2026-12-02', 7), {
      id: 'last-7',
      label: 'Last 7 days',
      from: '2026-11-26',
      to: '2026-12-02',
    });
    assert.deepEqual([month('2026-03-15', -1).from, month('2026-03-15', -1).to], ['2026-02-01', '2026-02-28']);
  });
  it('offers last 7 days, two months, two financial years and their quarters', () => {
    const p = periodPresets('2026-12-02');
    assert.deepEqual(
      p.map((x) => x.id),
      [
        'last-7',
        'this-month',
        'last-month',
        'fy-2026-q1',
        'fy-2026-q2',
        'fy-2026-q3',
        'fy-2026-q4',
        'fy-2026',
        'fy-2025-q1',
        'fy-2025-q2',
        'fy-2025-q3',
        'fy-2025-q4',
        'fy-2025',
      ],
    );
  });
});
