import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { authorisationExpiry, authorisationLapseDate, isAuthorisedUntil } from '../../shared/rules/authorisation.js';
import { carryIneligibility, mayCarryModel } from '../../shared/rules/eligibility.js';
import { intervalsOverlap, maximalOverlapCliques } from '../../shared/rules/shift-overlap.js';

const Z = 'Europe/London';
const policy = { authorisationMonths: 12, studentOfficersMayCarry: false, specialsMayCarry: false };

describe('authorisation expiry', () => {
  it('expires at 00:00 local on the date 12 months after training (BST: 23:00Z the day before)', () => {
    assert.equal(authorisationExpiry('2025-07-15', 12, Z).toUTC().toISO(), '2026-07-14T23:00:00.000Z');
  });

  it('expires at 00:00 GMT in winter', () => {
    assert.equal(authorisationExpiry('2025-01-20', 12, Z).toUTC().toISO(), '2026-01-20T00:00:00.000Z');
  });

  it('clamps to the last day of a shorter month (31 Jan + 1 month = 28 Feb)', () => {
    assert.equal(authorisationLapseDate('2026-01-31', 1, Z), '2026-02-28');
  });

  it('allows a shift that ends exactly at expiry, and not one that ends a minute later', () => {
    const expiry = Date.parse('2026-01-20T00:00:00Z');
    assert.equal(isAuthorisedUntil('2025-01-20', 12, expiry, Z), true);
    assert.equal(isAuthorisedUntil('2025-01-20', 12, expiry + 60_000, Z), false);
  });

  it('counts calendar months, not 365 days, across a leap day', () => {
    assert.equal(authorisationLapseDate('2027-03-01', 12, Z), '2028-03-01');
  });
});

describe('eligibility to carry', () => {
  const shiftEnd = Date.parse('2026-05-11T06:00:00Z');
  const taser = { lastTrained: '2026-01-01', models: ['X2'], endorsed: false, suspended: false };
  it('names the reason an officer may not carry', () => {
    assert.equal(carryIneligibility({ kind: 'regular', taser: null }, policy, shiftEnd, Z), 'no_authorisation');
    assert.equal(
      carryIneligibility({ kind: 'regular', taser: { ...taser, suspended: true } }, policy, shiftEnd, Z),
      'suspended',
    );
    assert.equal(
      carryIneligibility({ kind: 'student', taser: { ...taser, endorsed: true } }, policy, shiftEnd, Z),
      'student_not_allowed',
    );
    assert.equal(
      carryIneligibility({ kind: 'special', taser }, { ...policy, specialsMayCarry: true }, shiftEnd, Z),
      'special_not_endorsed',
    );
    assert.equal(
      carryIneligibility({ kind: 'regular', taser: { ...taser, lastTrained: '2025-05-10' } }, policy, shiftEnd, Z),
      'authorisation_lapsed',
    );
    assert.equal(
      carryIneligibility({ kind: 'regular', taser: { ...taser, volunteer: false } }, policy, shiftEnd, Z),
      'not_volunteer',
    );
    assert.equal(carryIneligibility({ kind: 'regular', taser }, policy, shiftEnd, Z), null);
  });
  it('requires training on the model', () => {
    assert.equal(mayCarryModel({ kind: 'regular', taser }, 'X2', policy, shiftEnd, Z), true);
    assert.equal(mayCarryModel({ kind: 'regular', taser }, 'T7', policy, shiftEnd, Z), false);
  });
});

describe('shift overlap', () => {
  it('treats touching shifts as not overlapping', () => {
    assert.equal(intervalsOverlap({ startMs: 0, endMs: 10 }, { startMs: 10, endMs: 20 }), false);
    assert.equal(intervalsOverlap({ startMs: 0, endMs: 11 }, { startMs: 10, endMs: 20 }), true);
  });
  it('finds the maximal cliques of early, late and night', () => {
    const e = { startMs: 7, endMs: 15 };
    const l = { startMs: 14, endMs: 23 };
    const n = { startMs: 22, endMs: 31 };
    const e2 = { startMs: 31, endMs: 39 };
    assert.deepEqual(maximalOverlapCliques([e, l, n, e2]), [[0, 1], [1, 2], [3]]);
  });
});
