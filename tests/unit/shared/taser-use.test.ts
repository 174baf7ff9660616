import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  countedUses,
  financialQuarter,
  higherUse,
  isDischarge,
  quarterLabel,
  quarterOf,
  quarterRange,
  quarterlyCsv,
  quarterlyRows,
  suppress,
  type CountedUse,
} from '../../../shared/rules/taser-use.js';
import type { BoroughPopulation } from '../../../shared/schemas/taser-use.schema.js';

const use = (over: Partial<CountedUse> & { incident: string; officer: string }): CountedUse => ({
  borough: 'BROM',
  quarter: '2026-27 Q3',
  subjectRef: { incident: over.incident, subject: 1 },
  highest: 'drawn',
  ageBand: '18_34',
  gender: 'male',
  ethnicity: 'white',
  ...over,
});

const value = (rows: ReturnType<typeof quarterlyRows>, measure: string) =>
  rows.find((r) => r.measure === measure)?.value;

describe('Taser use counting rules', () => {
  it('orders the seven categories and tells discharges from non-discharges', () => {
    assert.equal(higherUse('drawn', 'fired'), 'fired');
    assert.equal(higherUse('red_dot', 'arced'), 'red_dot');
    assert.equal(higherUse('angled_drive_stun', 'drive_stun'), 'angled_drive_stun');
    assert.deepEqual(
      (['drawn', 'aimed', 'arced', 'red_dot', 'drive_stun', 'angled_drive_stun', 'fired'] as const).map(isDischarge),
      [false, false, false, false, true, true, true],
    );
  });

  it('places a use in its financial-year quarter on the London calendar', () => {
    // 31 March 23:30 BST is 22:30 UTC: still Q4 of 2025-26 in London.
    assert.deepEqual(financialQuarter('2026-03-31T22:30:00Z'), { fyStart: 2025, quarter: 4 });
    // 31 March 23:30 UTC is 1 April 00:30 BST: Q1 of 2026-27.
    assert.deepEqual(financialQuarter('2026-03-31T23:30:00Z'), { fyStart: 2026, quarter: 1 });
    assert.equal(quarterOf('2026-12-31T23:59:00Z'), '2026-27 Q3');
    assert.equal(quarterOf('2027-01-01T00:00:00Z'), '2026-27 Q4');
    assert.equal(quarterLabel(2099, 2), '2099-00 Q2');
    assert.deepEqual(quarterRange('2026-27 Q4'), { from: '2027-01-01', to: '2027-03-31' });
    assert.deepEqual(quarterRange('2026-27 Q1'), { from: '2026-04-01', to: '2026-06-30' });
    assert.equal(quarterRange('2026-28 Q1'), null);
    assert.equal(quarterRange('2026 Q1'), null);
  });

  it('counts two officers on one subject twice, and one officer drawn-then-fired once, as fired', () => {
    const counted = countedUses([
      use({ incident: 'I1', officer: 'A', highest: 'drawn' }),
      use({ incident: 'I1', officer: 'A', highest: 'fired' }),
      use({ incident: 'I1', officer: 'A', highest: 'aimed' }),
      use({ incident: 'I1', officer: 'B', highest: 'red_dot' }),
      use({ incident: 'I1', officer: 'B', highest: 'drawn', subjectRef: { incident: 'I1', subject: 2 } }),
    ]);
    assert.deepEqual(counted.map((u) => `${u.officer}/${u.subjectRef.subject}/${u.highest}`).sort(), [
      'A/1/fired',
      'B/1/red_dot',
      'B/2/drawn',
    ]);
  });

  it('suppresses counts from 1 to threshold−1 and keeps zero', () => {
    assert.deepEqual(
      [0, 1, 4, 5, 12].map((n) => suppress(n, 5)),
      [0, '<5', '<5', 5, 12],
    );
    assert.deepEqual(
      [2, 3].map((n) => suppress(n, 3)),
      ['<3', 3],
    );
  });

  it('publishes a borough quarter with rates per 1,000 and disproportionality against the White group', () => {
    const population: BoroughPopulation = {
      borough: 'BROM',
      total: 100_000,
      byEthnicity: { white: 60_000, black: 10_000, asian: 20_000, mixed: 6_000, other: 4_000 },
    };
    const uses: CountedUse[] = [];
    for (let i = 0; i < 12; i++) uses.push(use({ incident: `W${i}`, officer: 'A', ethnicity: 'white' }));
    for (let i = 0; i < 6; i++)
      uses.push(use({ incident: `B${i}`, officer: 'A', ethnicity: 'black', highest: i < 5 ? 'fired' : 'drawn' }));
    uses.push(use({ incident: 'X1', officer: 'A', ethnicity: 'asian', highest: 'red_dot' }));
    // Another quarter and another borough are not counted.
    uses.push(use({ incident: 'Q', officer: 'A', quarter: '2026-27 Q4' }));
    uses.push(use({ incident: 'C', officer: 'A', borough: 'CROY' }));
    const rows = quarterlyRows({
      borough: 'BROM',
      boroughName: 'Bromley',
      quarter: '2026-27 Q3',
      uses,
      population,
      threshold: 5,
    });
    assert.equal(value(rows, 'uses_total'), 19);
    assert.equal(value(rows, 'uses_drawn'), 13);
    assert.equal(value(rows, 'uses_fired'), 5);
    assert.equal(value(rows, 'uses_red_dot'), '<5');
    assert.equal(value(rows, 'uses_aimed'), 0);
    assert.equal(value(rows, 'discharges'), 5);
    assert.equal(value(rows, 'non_discharges'), 14);
    assert.equal(value(rows, 'discharge_rate_pct'), 26.3);
    assert.equal(value(rows, 'uses_ethnicity_white'), 12);
    assert.equal(value(rows, 'uses_ethnicity_black'), 6);
    assert.equal(value(rows, 'uses_ethnicity_asian'), '<5');
    assert.equal(value(rows, 'rate_per_1000_all'), 0.19);
    assert.equal(value(rows, 'rate_per_1000_white'), 0.2);
    assert.equal(value(rows, 'rate_per_1000_black'), 0.6);
    assert.equal(value(rows, 'rate_per_1000_asian'), '[c]');
    assert.equal(value(rows, 'disproportionality_black'), 3);
    assert.equal(value(rows, 'disproportionality_asian'), '[c]');
    assert.equal(value(rows, 'disproportionality_mixed'), 0);
    assert.equal(new Set(rows.map((r) => r.measure)).size, rows.length, 'one row per measure');
  });

  it('writes the flat layout as CSV with a header and one line per row', () => {
    const csv = quarterlyCsv([
      { borough: 'BROM', boroughName: 'Bromley, Kent', quarter: '2026-27 Q3', measure: 'uses_total', value: '<5' },
      {
        borough: 'BROM',
        boroughName: 'Bromley, Kent',
        quarter: '2026-27 Q3',
        measure: 'rate_per_1000_all',
        value: null,
      },
    ]);
    assert.equal(
      csv,
      'borough,borough_name,quarter,measure,value\r\nBROM,"Bromley, Kent",2026-27 Q3,uses_total,<5\r\nBROM,"Bromley, Kent",2026-27 Q3,rate_per_1000_all,\r\n',
    );
  });
});
