import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  financialQuarter,
  financialYear,
  financialYearOf,
  lastDays,
  month,
  periodPresets,
  quarterOf,
} from '../../../shared/time/periods.js';

describe('period presets', () => {
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
