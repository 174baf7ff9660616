import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultPolicy } from '../../../shared/rules/force-settings.js';
import { applyEdits, locksAfterEdits, type CrewCheckFacts, type EditState } from '../../../shared/rules/crew-check.js';
import type { EditOp } from '../../../shared/schemas/plan-edit.schema.js';

const E = 'BR-2026-11-24-E';
const L = 'BR-2026-11-24-L';
const ok = { lastTrained: '2026-06-01', models: ['X2'], endorsed: false, suspended: false };
const officer = (
  id: string,
  name: string,
  rank: string,
  kind: 'regular' | 'student' | 'special',
  taser: object | null,
  shifts = [E],
) => ({
  id,
  name,
  rank,
  kind,
  shifts,
  taser: taser as CrewCheckFacts['officers'][number]['taser'],
});

const facts = (policy: Partial<CrewCheckFacts['policy']> = {}): CrewCheckFacts => ({
  timezone: 'Europe/London',
  policy: { ...defaultPolicy(), ...policy },
  shifts: [
    {
      id: E,
      station: 'BR',
      start: '2026-11-24T07:00:00Z',
      end: '2026-11-24T17:00:00Z',
      label: 'Bromley earlies 24 Nov',
    },
    { id: L, station: 'BR', start: '2026-11-24T14:00:00Z', end: '2026-11-25T00:00:00Z', label: 'Bromley lates 24 Nov' },
  ],
  officers: [
    officer('PC1', 'Ann Able', 'PC', 'regular', ok),
    officer('PC2', 'Ben Best', 'PC', 'regular', null),
    officer('PC3', 'Cat Cole', 'PC', 'student', null),
    officer('PC4', 'Dan Dee', 'PC', 'student', null),
    officer('SGT5', 'Eve Ely', 'SGT', 'regular', { ...ok, models: ['T7'] }),
    officer('PC6', 'Fay Fox', 'PC', 'regular', { ...ok, suspended: true }),
    officer('PC7', 'Gus Gray', 'PC', 'regular', { ...ok, lastTrained: '2025-11-01' }),
    officer('PC8', 'Hal Hunt', 'PC', 'regular', ok, [L]),
    officer('PC9', 'Ivy Iles', 'PC', 'special', { ...ok, endorsed: true }),
    officer('PC10', 'Jo Jay', 'PC', 'regular', null, [L]),
  ],
  devices: [
    { serial: 'D1', model: 'X2', station: 'BR', serviceable: true },
    { serial: 'D2', model: 'X2', station: 'BR', serviceable: true },
    { serial: 'D3', model: 'X2', station: 'BR', serviceable: false },
    { serial: 'D4', model: 'X2', station: 'OR', serviceable: true },
    { serial: 'D5', model: 'T7', station: 'BR', serviceable: true },
    { serial: 'D6', model: 'X2', station: 'BR', serviceable: true },
  ],
});

const state = (): EditState => ({
  crews: [
    { shift: E, members: ['PC1', 'PC2'], carriers: [{ officer: 'PC1', device: 'D1' }] },
    { shift: E, members: ['PC3', 'SGT5'], carriers: [] },
    { shift: E, members: ['PC4', 'PC6'], carriers: [] },
    { shift: E, members: ['PC7', 'PC9'], carriers: [] },
    { shift: L, members: ['PC8', 'PC10'], carriers: [{ officer: 'PC8', device: 'D2' }] },
  ],
  unassigned: [],
});

/** The refusal's rule and message for one op, or a failure when it was accepted. */
function refused(op: EditOp, f = facts(), s = state()) {
  const r = applyEdits(f, s, [op]);
  assert.equal(r.ok, false, `expected ${JSON.stringify(op)} to be refused`);
  return r.ok ? { rule: '', message: '', reason: undefined } : r.refusal;
}
function accepted(ops: EditOp[], f = facts(), s = state()) {
  const r = applyEdits(f, s, ops);
  if (!r.ok) assert.fail(`refused: ${r.refusal.rule} ${r.refusal.message}`);
  return r;
}

describe('hand edits refused by the hard rules', () => {
  it('refuses pairing two students', () => {
    const r = refused({ op: 'swap', shift: E, a: 'SGT5', b: 'PC4' });
    assert.equal(r.rule, 'students_paired');
    assert.equal(r.message, 'PC Cat Cole and PC Dan Dee are both student officers and may not crew together.');
    assert.equal(refused({ op: 'make_crew', shift: E, officers: ['PC3', 'PC4'] }).rule, 'students_paired');
  });
  it('refuses a single student', () => {
    const r = refused({ op: 'move', shift: E, officer: 'PC3' });
    assert.equal(r.rule, 'student_single');
    assert.equal(r.message, 'PC Cat Cole is a student and may not be single-crewed.');
  });
  it('refuses a single crew of a rank that may not single-crew', () => {
    const r = refused({ op: 'move', shift: E, officer: 'PC2' });
    assert.equal(r.rule, 'rank_may_not_single');
    assert.equal(
      r.message,
      'PC Ben Best may not be single-crewed: a PC may not single-crew (single crews: SGT, INSP).',
    );
  });
  it('refuses a device to an officer who may not carry, naming why', () => {
    const none = refused({ op: 'give_device', shift: E, officer: 'PC2', device: 'D6' });
    assert.equal(none.rule, 'not_eligible');
    assert.equal(none.reason, 'no_authorisation');
    assert.equal(
      none.message,
      'PC Ben Best may not carry on Bromley earlies 24 Nov: PC Ben Best has no Taser authorisation.',
    );
    assert.equal(refused({ op: 'give_device', shift: E, officer: 'PC6', device: 'D6' }).reason, 'suspended');
    assert.equal(refused({ op: 'give_device', shift: E, officer: 'PC7', device: 'D6' }).reason, 'authorisation_lapsed');
    assert.equal(refused({ op: 'give_device', shift: E, officer: 'PC9', device: 'D6' }).reason, 'special_not_allowed');
  });
  it('lets an endorsed special carry when the policy allows specials', () => {
    const r = accepted(
      [{ op: 'give_device', shift: E, officer: 'PC9', device: 'D6' }],
      facts({ specialsMayCarry: true }),
    );
    assert.deepEqual(r.crews[3]!.carriers, [{ officer: 'PC9', device: 'D6' }]);
  });
  it('refuses a device of a model the officer is not trained on', () => {
    const r = refused({ op: 'give_device', shift: E, officer: 'SGT5', device: 'D6' });
    assert.equal(r.rule, 'not_trained_on_model');
    assert.equal(r.message, 'SGT Eve Ely is not trained on the X2 (device D6); trained on: T7.');
  });
  it('refuses a device that is not serviceable, at another station, unknown, or carried on an overlapping shift', () => {
    assert.equal(refused({ op: 'give_device', shift: E, officer: 'PC9', device: 'D3' }).rule, 'device_not_serviceable');
    assert.equal(refused({ op: 'give_device', shift: E, officer: 'PC9', device: 'D4' }).rule, 'device_other_station');
    assert.equal(refused({ op: 'give_device', shift: E, officer: 'PC9', device: 'D9' }).rule, 'unknown_device');
    const late = refused({ op: 'give_device', shift: E, officer: 'PC9', device: 'D2' });
    assert.equal(late.rule, 'device_in_use');
    assert.equal(late.message, 'Device D2 is already carried by PC Hal Hunt on Bromley lates 24 Nov.');
    assert.equal(refused({ op: 'give_device', shift: E, officer: 'SGT5', device: 'D1' }).rule, 'device_in_use');
  });
  it('refuses a second device to a carrier, and taking a device from someone who has none', () => {
    assert.equal(refused({ op: 'give_device', shift: E, officer: 'PC1', device: 'D6' }).rule, 'already_carrying');
    assert.equal(refused({ op: 'take_device', shift: E, officer: 'PC2' }).rule, 'not_carrying');
  });
  it('refuses an officer who is not on that shift, a full crew, and splitting a pair that is not one', () => {
    const r = refused({ op: 'swap', shift: E, a: 'PC1', b: 'PC8' });
    assert.equal(r.rule, 'not_on_shift');
    assert.equal(r.message, 'PC Hal Hunt is not on duty on Bromley earlies 24 Nov.');
    assert.equal(refused({ op: 'move', shift: E, officer: 'PC2', with: 'PC4' }).rule, 'crew_full');
    assert.equal(refused({ op: 'swap', shift: E, a: 'PC1', b: 'PC2' }).rule, 'same_crew');
    const single = accepted([{ op: 'move', shift: E, officer: 'SGT5' }]);
    assert.equal(refused({ op: 'split_crew', shift: E, officer: 'SGT5' }, facts(), single).rule, 'not_a_pair');
  });
  it('under the legacy policy refuses a carrying single and a pair in which only one carries', () => {
    const legacy = facts({ name: 'legacy' });
    const single = accepted([{ op: 'move', shift: E, officer: 'SGT5' }], legacy);
    assert.equal(
      refused({ op: 'give_device', shift: E, officer: 'SGT5', device: 'D5' }, legacy, single).rule,
      'legacy_single_may_not_carry',
    );
    assert.equal(
      refused({ op: 'give_device', shift: E, officer: 'SGT5', device: 'D5' }, legacy).rule,
      'legacy_pair_not_both_carrying',
    );
  });
  it('refuses putting an officer recorded away into a crew, and lets the planner take them out', () => {
    const away = { ...facts(), absences: [{ officer: 'PC2', shift: E, kind: 'sickness' }] };
    const r = refused({ op: 'make_crew', shift: E, officers: ['PC2', 'PC9'] }, away);
    assert.equal(r.rule, 'officer_absent');
    assert.equal(r.message, 'PC Ben Best is recorded away (sickness) on Bromley earlies 24 Nov.');
    assert.equal(refused({ op: 'swap', shift: E, a: 'PC2', b: 'PC4' }, away).rule, 'officer_absent');
    const out = accepted(
      [
        { op: 'split_crew', shift: E, officer: 'SGT5' },
        { op: 'swap', shift: E, a: 'PC3', b: 'PC2' },
      ],
      away,
    );
    assert.deepEqual(out.crews[0]!.members, ['PC1', 'PC3']);
    assert.ok(out.unassigned.some((u) => u.officer === 'PC2'));
  });
  it('is all or nothing: a refused second op reports its index and leaves the input untouched', () => {
    const s = state();
    const before = JSON.stringify(s);
    const r = applyEdits(facts(), s, [
      { op: 'swap', shift: E, a: 'PC2', b: 'PC3' },
      { op: 'move', shift: E, officer: 'PC3' },
    ]);
    assert.equal(r.ok, false);
    assert.equal(r.ok ? -1 : r.refusal.op, 1);
    assert.equal(JSON.stringify(s), before);
  });
});

describe('hand edits accepted', () => {
  it('swaps two officers; devices stay with their carrier; both crews are locked', () => {
    const r = accepted([{ op: 'swap', shift: E, a: 'PC1', b: 'PC3' }]);
    assert.deepEqual(r.crews.slice(0, 2), [
      { shift: E, members: ['PC3', 'PC2'], carriers: [], locked: true },
      { shift: E, members: ['PC1', 'SGT5'], carriers: [{ officer: 'PC1', device: 'D1' }], locked: true },
    ]);
    assert.equal(r.touched.length, 2);
  });
  it('moves a sergeant to a single crew and leaves the student partner unassigned with the reason', () => {
    const r = accepted([{ op: 'move', shift: E, officer: 'SGT5' }]);
    assert.deepEqual(r.crews.at(-1), { shift: E, members: ['SGT5'], carriers: [], locked: true });
    assert.deepEqual(r.unassigned, [
      {
        shift: E,
        officer: 'PC3',
        cause: 'student_without_partner',
        reason: 'PC Cat Cole is a student and was left without a partner by a hand edit on Bromley earlies 24 Nov',
      },
    ]);
    assert.equal(r.crews.length, 5);
  });
  it('moves an officer into a single crew', () => {
    const single = accepted([{ op: 'split_crew', shift: E, officer: 'SGT5' }]);
    const r = accepted([{ op: 'move', shift: E, officer: 'PC3', with: 'SGT5' }], facts(), single);
    assert.deepEqual(r.crews.at(-1), { shift: E, members: ['SGT5', 'PC3'], carriers: [], locked: true });
    assert.deepEqual(r.unassigned, []);
  });
  it('gives and takes a device', () => {
    const r = accepted([
      { op: 'give_device', shift: E, officer: 'SGT5', device: 'D5' },
      { op: 'take_device', shift: E, officer: 'PC1' },
    ]);
    assert.deepEqual(r.crews[1]!.carriers, [{ officer: 'SGT5', device: 'D5' }]);
    assert.deepEqual(r.crews[0]!.carriers, []);
    assert.equal(r.crews[0]!.locked, true);
  });
  it('makes a crew of two officers taken from their crews; a partner left who may not single is unassigned', () => {
    const r = accepted([{ op: 'make_crew', shift: E, officers: ['PC1', 'SGT5'] }]);
    assert.deepEqual(r.crews.at(-1), {
      shift: E,
      members: ['PC1', 'SGT5'],
      carriers: [{ officer: 'PC1', device: 'D1' }],
      locked: true,
    });
    assert.deepEqual(
      r.unassigned.map((u) => [u.officer, u.cause]),
      [
        ['PC2', 'no_partner_and_may_not_single_crew'],
        ['PC3', 'student_without_partner'],
      ],
    );
    assert.equal(r.crews.length, 4);
  });
  it('splits a pair: the sergeant single, the student unassigned', () => {
    const r = accepted([{ op: 'split_crew', shift: E, officer: 'PC3' }]);
    assert.deepEqual(r.crews.at(-1), { shift: E, members: ['SGT5'], carriers: [], locked: true });
    assert.deepEqual(
      r.unassigned.map((u) => u.officer),
      ['PC3'],
    );
  });
  it('swaps an unassigned officer into a crew: the one swapped out is unassigned', () => {
    const split = accepted([{ op: 'split_crew', shift: E, officer: 'PC3' }]);
    const r = accepted([{ op: 'swap', shift: E, a: 'PC3', b: 'PC2' }], facts(), split);
    assert.deepEqual(r.crews[0], {
      shift: E,
      members: ['PC1', 'PC3'],
      carriers: [{ officer: 'PC1', device: 'D1' }],
      locked: true,
    });
    assert.deepEqual(
      r.unassigned.map((u) => u.officer),
      ['PC2'],
    );
  });
  it('drops the lock of the single crew an officer is moved into', () => {
    const single = accepted([{ op: 'split_crew', shift: E, officer: 'SGT5' }]);
    const locks = locksAfterEdits([], single);
    assert.deepEqual(locks, [{ shift: E, members: ['SGT5'], carriers: [] }]);
    const r = accepted([{ op: 'move', shift: E, officer: 'PC3', with: 'SGT5' }], facts(), single);
    assert.deepEqual(locksAfterEdits(locks, r), [{ shift: E, members: ['SGT5', 'PC3'], carriers: [] }]);
  });
  it('drops locks naming a moved officer and locks the crews the edits shaped', () => {
    const r = accepted([{ op: 'swap', shift: E, a: 'PC2', b: 'PC3' }]);
    const locks = locksAfterEdits(
      [
        { shift: E, members: ['PC1', 'PC2'] },
        { shift: E, members: ['PC4', 'PC6'], carriers: [] },
      ],
      r,
    );
    assert.deepEqual(locks, [
      { shift: E, members: ['PC4', 'PC6'], carriers: [] },
      { shift: E, members: ['PC1', 'PC3'], carriers: [{ officer: 'PC1', device: 'D1' }] },
      { shift: E, members: ['PC2', 'SGT5'], carriers: [] },
    ]);
  });
});
