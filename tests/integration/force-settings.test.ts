import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_FORCE_SETTINGS } from '../../shared/rules/force-settings.js';
import { LIVE_NOW } from './helpers/live-client.js';
import { publishEarlyCrews } from './helpers/live-fixtures.js';
import { call, loginAs, startTestServer, stopOwnStore, type TestServer } from './helpers/test-server.js';

let server: TestServer;
let admin: string;
let planner: string;
let armourer: string;
let control: string;

before(async () => {
  server = await startTestServer({ clock: () => LIVE_NOW });
  [admin, planner, armourer, control] = (await Promise.all(
    ['admin', 'planner.bromley', 'armourer.bromley', 'control.south'].map((u) => loginAs(server, u)),
  )) as [string, string, string, string];
});
after(async () => {
  await server.stop();
  await stopOwnStore();
});

/** The built-in settings as DESIGN.md gives them, written out: the first test checks the API serves exactly these. */
const DESIGN_DEFAULTS = {
  policy: {
    name: 'revised',
    singleCrewRanks: ['SGT', 'INSP'],
    authorisationMonths: 12,
    studentOfficersMayCarry: false,
    specialsMayCarry: false,
  },
  minTaserUnits: 3,
  issueLeadMinutes: 60,
  course: { placesPerDay: 12, days: [1, 2, 3, 4, 5] },
  smallNumberThreshold: 5,
};
const DEFAULTS = DEFAULT_FORCE_SETTINGS;
const STUDENTS_MAY_CARRY = { ...DEFAULTS, policy: { ...DEFAULTS.policy, studentOfficersMayCarry: true } };

const settings = (token: string) => call(server, 'GET', '/force-settings', { token });
const save = (token: string, body: unknown) => call(server, 'PUT', '/force-settings', { token, body });

// The tests of this file run in order on one database: the API tests leave the policy as they found it
// (students may not carry), so the story below starts from the built-in policy.
describe('force settings API', () => {
  it('serves the built-in defaults as version 0 to any user of the force before an admin saves any', async () => {
    for (const token of [admin, control]) {
      const r = await settings(token);
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, { force: 'MPS', version: 0, updatedAt: null, updatedBy: null, ...DESIGN_DEFAULTS });
    }
  });

  it('refuses a change by a planner with forbidden_role and keeps the settings', async () => {
    const r = await save(planner, { version: 0, policy: { studentOfficersMayCarry: true } });
    assert.equal(r.status, 403);
    assert.equal(r.body.error.id, 'forbidden_role');
    assert.equal((await settings(planner)).body.version, 0);
  });

  it('refuses an invalid change with 400, naming the field', async () => {
    const r = await save(admin, { version: 0, policy: { authorisationMonths: 0 }, minTaserUnits: -1 });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.id, 'validation_failed');
    assert.deepEqual(
      r.body.error.details.issues.map((i: { path: string }) => i.path),
      ['policy.authorisationMonths', 'minTaserUnits'],
    );
    const unknown = await save(admin, { version: 0, policy: { studentsMayCarry: true } });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error.details.issues[0].path, 'policy');
    assert.match(unknown.body.error.details.issues[0].message, /studentsMayCarry/);
    assert.equal((await settings(admin)).body.version, 0);
  });

  it('lets an admin allow endorsed students to carry, and records who, when, before and after', async () => {
    const r = await save(admin, { version: 0, policy: { studentOfficersMayCarry: true } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const expected = {
      force: 'MPS',
      version: 1,
      updatedAt: LIVE_NOW.toISOString(),
      updatedBy: 'admin',
      ...STUDENTS_MAY_CARRY,
    };
    assert.deepEqual(r.body, expected);
    assert.deepEqual((await settings(control)).body, expected);

    const audit = await call(server, 'GET', '/force-settings/audit', { token: admin });
    assert.equal(audit.status, 200);
    assert.deepEqual(audit.body, {
      items: [
        {
          force: 'MPS',
          version: 1,
          at: LIVE_NOW.toISOString(),
          by: 'admin',
          before: DEFAULTS,
          after: STUDENTS_MAY_CARRY,
        },
      ],
      page: 1,
      pageSize: 50,
      total: 1,
    });
  });

  it('refuses a change made to an older version with 409 settings_changed', async () => {
    const r = await save(admin, { version: 0, minTaserUnits: 5 });
    assert.equal(r.status, 409);
    assert.equal(r.body.error.id, 'settings_changed');
    assert.equal(r.body.error.details.version, 1);
    assert.equal((await settings(admin)).body.minTaserUnits, 3);
  });

  it('shows the audit trail to admins only', async () => {
    const r = await call(server, 'GET', '/force-settings/audit', { token: planner });
    assert.equal(r.status, 403);
    assert.equal(r.body.error.id, 'forbidden_role');
  });

  it('writes nothing when the change is no change, and lists every change newest first', async () => {
    const same = await save(admin, { version: 1, policy: { studentOfficersMayCarry: true } });
    assert.equal(same.status, 200);
    assert.equal(same.body.version, 1);
    const back = await save(admin, { version: 1, policy: { studentOfficersMayCarry: false } });
    assert.equal(back.status, 200);
    assert.equal(back.body.version, 2);
    const audit = await call(server, 'GET', '/force-settings/audit', { token: admin });
    assert.deepEqual(
      audit.body.items.map((e: { version: number; after: { policy: { studentOfficersMayCarry: boolean } } }) => [
        e.version,
        e.after.policy.studentOfficersMayCarry,
      ]),
      [
        [2, false],
        [1, true],
      ],
    );
    assert.deepEqual(audit.body.items[0].before, STUDENTS_MAY_CARRY);
  });
});

describe('an endorsed student under the force policy', () => {
  const STUDENT = 'PC9301';
  const PARTNER = 'PC9302';
  const DEVICE = 'X2-993001';
  let shift: { id: string; team: string };

  /** Solves BR for 22 Nov with the student locked as the carrier of a crew, and returns the plan and scenario. */
  const planWithStudentCarrying = async () => {
    const started = await call(server, 'POST', '/plans', {
      token: planner,
      body: {
        unit: { level: 'station', id: 'BR' },
        from: '2026-11-22',
        to: '2026-11-22',
        locks: [{ shift: shift.id, members: [STUDENT, PARTNER], carriers: [{ officer: STUDENT }] }],
      },
    });
    assert.equal(started.status, 202, JSON.stringify(started.body));
    let plan: any;
    for (let i = 0; i < 600 && plan?.status !== 'draft'; i++) {
      plan = (await call(server, 'GET', `/plans/${started.body.id}`, { token: planner })).body;
      assert.notEqual(plan.status, 'failed', JSON.stringify(plan.error));
      if (plan.status !== 'draft') await new Promise((ok) => setTimeout(ok, 100));
    }
    const scenario = await call(server, 'GET', `/plans/${started.body.id}/scenario`, { token: planner });
    const crew = plan.plan.crews.find((c: { members: string[] }) => c.members.includes(STUDENT));
    return { plan: plan.plan, scenario: scenario.body, crew };
  };
  const issue = () =>
    call(server, 'POST', '/custody/issue', { token: armourer, body: { device: DEVICE, officer: STUDENT } });

  before(async () => {
    const duty = await call(server, 'GET', '/duty?station=BR&from=2026-11-22&to=2026-11-22', { token: planner });
    shift = (duty.body.shifts as { id: string; team: string; code: string }[]).find((s) => s.code === 'E')!;
    assert.ok(shift, 'an early shift at BR on 22 Nov');
  });

  it('is refused a carrier’s place and a device while the policy does not let students carry', async () => {
    const created = await call(server, 'POST', '/officers', {
      token: admin,
      body: {
        collar: STUDENT,
        name: 'Student Carrier',
        rank: 'PC',
        kind: 'student',
        station: 'BR',
        team: shift.team,
        taser: { lastTrained: '2026-09-01', models: ['X2'], endorsed: true },
      },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const partner = await call(server, 'POST', '/officers', {
      token: admin,
      body: {
        collar: PARTNER,
        name: 'Untrained Partner',
        rank: 'PC',
        kind: 'regular',
        station: 'BR',
        team: shift.team,
        taser: null,
      },
    });
    assert.equal(partner.status, 201, JSON.stringify(partner.body));
    const device = await call(server, 'POST', '/devices', {
      token: admin,
      body: { serial: DEVICE, model: 'X2', station: 'BR' },
    });
    assert.equal(device.status, 201, JSON.stringify(device.body));
    assert.equal((await settings(admin)).body.policy.studentOfficersMayCarry, false);

    const { plan, scenario, crew } = await planWithStudentCarrying();
    assert.equal(scenario.policy.studentOfficersMayCarry, false);
    assert.ok(crew, 'the student is crewed');
    assert.equal(crew.locked, undefined);
    assert.deepEqual(
      plan.crews
        .flatMap((c: { carriers: { officer: string }[] }) => c.carriers)
        .filter((c: { officer: string }) => c.officer === STUDENT),
      [],
    );
    assert.ok(plan.explanations.some((e: { cause: string }) => e.cause === 'lock_not_honoured'));

    const r = await issue();
    assert.equal(r.status, 409);
    assert.equal(r.body.error.id, 'officer_kind_not_permitted');
  });

  it('is planned as a carrier and issued a device once an admin lets endorsed students carry', async () => {
    const { version } = (await settings(admin)).body;
    const saved = await save(admin, { version, policy: { studentOfficersMayCarry: true } });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));

    const { plan, scenario, crew } = await planWithStudentCarrying();
    assert.equal(scenario.policy.studentOfficersMayCarry, true);
    assert.deepEqual(scenario.officers.find((o: { id: string }) => o.id === STUDENT)?.kind, 'student');
    assert.deepEqual(crew.members, [STUDENT, PARTNER]);
    assert.equal(crew.locked, true);
    assert.deepEqual(
      crew.carriers.map((c: { officer: string }) => c.officer),
      [STUDENT],
    );
    assert.equal(plan.status, 'OPTIMAL');

    const r = await issue();
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.device.holder, STUDENT);
    assert.equal(r.body.record.shift, shift.id);
  });

  it('lets a planner still override the force policy for one plan', async () => {
    const started = await call(server, 'POST', '/plans', {
      token: planner,
      body: {
        unit: { level: 'station', id: 'BR' },
        from: '2026-11-23',
        to: '2026-11-23',
        policy: { studentOfficersMayCarry: false, authorisationMonths: 24 },
      },
    });
    assert.equal(started.status, 202, JSON.stringify(started.body));
    const scenario = await call(server, 'GET', `/plans/${started.body.id}/scenario`, { token: planner });
    assert.deepEqual(scenario.body.policy, {
      ...DEFAULTS.policy,
      authorisationMonths: 24,
    });
    await call(server, 'POST', `/plans/${started.body.id}/cancel`, { token: planner });
  });
});

describe('reports, cover alerts and the what-if under the force settings', () => {
  const change = async (fields: Record<string, unknown>) => {
    const { version } = (await settings(admin)).body;
    const r = await save(admin, { version, ...fields });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  };

  it('reads authorisation lapses in the authorisation report with the force’s authorisation months', async () => {
    const created = await call(server, 'POST', '/officers', {
      token: admin,
      body: {
        collar: 'PC9303',
        name: 'Trained Long Ago',
        rank: 'PC',
        kind: 'regular',
        station: 'BR',
        team: 'BR-A',
        taser: { lastTrained: '2025-06-01', models: ['X2'] },
      },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const row = async () =>
      (await call(server, 'GET', '/reports/authorisations?station=BR', { token: planner })).body.officers.find(
        (o: { collar: string }) => o.collar === 'PC9303',
      );
    assert.deepEqual([(await row())?.status, (await row())?.lapses], ['lapsed', '2026-06-01']);
    await change({ policy: { authorisationMonths: 24 } });
    assert.equal(await row(), undefined);
    await change({ policy: { authorisationMonths: 12 } });
  });

  it('alerts the control room against the force’s minimum of Taser-equipped units', async () => {
    await publishEarlyCrews(server, control, admin);
    const cover = server.services.live.cover;
    await cover.sweep();
    await cover.idle();
    const alert = () => server.services.live.state.alert('BROM|2026-11-22|E');
    assert.deepEqual([alert()?.min, alert()?.below], [3, true]);
    await change({ minTaserUnits: 0 });
    await cover.sweep();
    await cover.idle();
    assert.deepEqual([alert()?.min, alert()?.below, alert()?.count], [0, false, 0]);
  });

  it('takes the force’s policy as the what-if’s “as today”', async () => {
    const lead = await loginAs(server, 'lead.bromley');
    const asToday = async () => {
      const r = await call(server, 'POST', '/reports/what-if', {
        token: lead,
        body: {
          unit: { level: 'station', id: 'BR' },
          from: '2026-11-22',
          to: '2026-11-22',
          variants: [{ label: 'Legacy', policy: 'legacy' }],
        },
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body.outcomes[0].authorisedOnDuty as number;
    };
    // Long authorisations, so that only the student rule separates the two counts.
    await change({ policy: { studentOfficersMayCarry: false, authorisationMonths: 60 } });
    const without = await asToday();
    await change({ policy: { studentOfficersMayCarry: true } });
    const withStudents = await asToday();
    const duty = await call(server, 'GET', '/duty?station=BR&from=2026-11-22&to=2026-11-22', { token: planner });
    const students = new Set(
      (duty.body.shifts as { onDuty: { collar: string; kind: string; taser: any }[] }[])
        .flatMap((s) => s.onDuty)
        .filter((o) => o.kind === 'student' && o.taser?.endorsed && !o.taser.suspended && o.taser.volunteer !== false)
        .map((o) => o.collar),
    );
    assert.ok(students.has('PC9301'));
    assert.equal(withStudents - without, students.size);
  });
});
