import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { repositories } from '../../server/repositories/index.js';
import { carryIneligibility } from '../../shared/rules/eligibility.js';
import { checkPlan } from '../solver/helpers/plan-checker.js';
import { call, loginAs, TEST_NOW, useTestServer } from './helpers/test-server.js';

const server = useTestServer({ clock: () => TEST_NOW });
const DAY = '2026-11-23';
const oneDay = { unit: { level: 'borough', id: 'BROM' }, from: DAY, to: DAY };

async function settled(id: string, token: string): Promise<any> {
  for (let i = 0; i < 1200; i++) {
    const r = await call(server(), 'GET', `/plans/${id}`, { token });
    assert.equal(r.status, 200);
    if (r.body.status !== 'solving') return r.body;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error(`plan ${id} still solving`);
}

type Crew = { shift: string; members: string[]; carriers: { officer: string; device: string }[]; locked?: boolean };
const key = (c: { shift: string; members: string[] }) => `${c.shift}:${[...c.members].sort().join('+')}`;

describe('hand edits of a draft plan', () => {
  let planner: string;
  let draft: any;
  let scenario: any;
  let officers: Map<string, any>;
  // On one shift: two pairs, each one carrier and one non-carrier, no students.
  let shift: string;
  let p1: Crew;
  let p2: Crew;
  const nonCarrier = (c: Crew) => c.members.find((m) => !c.carriers.some((k) => k.officer === m))!;
  const carrier = (c: Crew) => c.carriers[0]!;

  const edit = (ops: unknown[], token = planner) =>
    call(server(), 'POST', `/plans/${draft.id}/edits`, { token, body: { ops } });
  const stored = async () => (await call(server(), 'GET', `/plans/${draft.id}`, { token: planner })).body;
  /** The stored plan passes the independent checker: hard rules hold and the statistics match the crews. */
  const consistent = (plan: any) => assert.deepEqual(checkPlan(scenario, plan), []);

  it('starts from a solved Bromley day', async () => {
    planner = await loginAs(server(), 'planner.bromley');
    const started = await call(server(), 'POST', '/plans', { token: planner, body: oneDay });
    draft = await settled(started.body.id, planner);
    assert.equal(draft.status, 'draft');
    scenario = (await call(server(), 'GET', `/plans/${draft.id}/scenario`, { token: planner })).body;
    officers = new Map(scenario.officers.map((o: any) => [o.id, o]));
    const easy = (draft.plan.crews as Crew[]).filter(
      (c) =>
        c.members.length === 2 &&
        c.carriers.length === 1 &&
        c.members.every((m) => officers.get(m).kind !== 'student' && officers.get(m).rank === 'PC'),
    );
    p1 = easy[0]!;
    p2 = easy.find((c) => c !== p1 && c.shift === p1.shift)!;
    assert.ok(p2, 'two pairs with one carrier on one shift');
    shift = p1.shift;
  });

  it('refuses a student single-crewed, with the rule and a planner’s sentence, and stores nothing', async () => {
    const before = await stored();
    const c = (draft.plan.crews as Crew[]).find((x) => x.members.some((m) => officers.get(m).kind === 'student'))!;
    const student = c.members.find((m) => officers.get(m).kind === 'student')!;
    const r = await edit([{ op: 'move', shift: c.shift, officer: student }]);
    assert.equal(r.status, 422);
    assert.equal(r.body.error.id, 'edit_refused');
    assert.equal(r.body.error.details.rule, 'student_single');
    assert.equal(r.body.error.details.op, 0);
    assert.equal(
      r.body.error.message,
      `${officers.get(student).rank} ${officers.get(student).name} is a student and may not be single-crewed.`,
    );
    assert.deepEqual(await stored(), before);
  });

  it('refuses a PC single crew, a device carried by another crew, and a device to an officer with no authorisation', async () => {
    const single = await edit([{ op: 'move', shift, officer: nonCarrier(p1) }]);
    assert.equal(single.body.error.details.rule, 'rank_may_not_single');
    const inUse = await edit([{ op: 'give_device', shift, officer: nonCarrier(p1), device: carrier(p2).device }]);
    assert.equal(inUse.status, 422);
    assert.equal(inUse.body.error.details.rule, 'device_in_use');
    const unauthorised = (draft.plan.crews as Crew[])
      .filter((c) => c.shift === shift)
      .flatMap((c) => c.members)
      .find((m) => officers.get(m).taser === null);
    assert.ok(unauthorised, 'an officer without authorisation on the shift');
    const r = await edit([
      { op: 'take_device', shift, officer: carrier(p1).officer },
      { op: 'give_device', shift, officer: unauthorised, device: carrier(p1).device },
    ]);
    assert.equal(r.body.error.details.rule, 'not_eligible');
    assert.equal(r.body.error.details.reason, 'no_authorisation');
    assert.equal(r.body.error.details.op, 1);
  });

  it('refuses a device that has gone faulty since the solve', async () => {
    const serial = carrier(p1).device;
    const was = (await repositories.devices.get(serial))!.state;
    await repositories.devices.update(serial, { state: 'faulty' });
    try {
      const r = await edit([
        { op: 'take_device', shift, officer: carrier(p1).officer },
        { op: 'give_device', shift, officer: carrier(p1).officer, device: serial },
      ]);
      assert.equal(r.status, 422);
      assert.equal(r.body.error.details.rule, 'device_not_serviceable');
      assert.equal(r.body.error.message, `Device ${serial} is not serviceable (faulty or in repair).`);
    } finally {
      await repositories.devices.update(serial, { state: was });
    }
  });

  it('refuses putting an officer recorded sick since the solve into a crew', async () => {
    const sick = carrier(p1).officer;
    const rec = await call(server(), 'POST', '/abstractions', {
      token: planner,
      body: { officer: sick, kind: 'sickness', from: DAY, to: DAY },
    });
    assert.equal(rec.status, 201, JSON.stringify(rec.body));
    try {
      const r = await edit([{ op: 'make_crew', shift, officers: [sick, nonCarrier(p2)] }]);
      assert.equal(r.status, 422);
      assert.equal(r.body.error.details.rule, 'officer_absent');
      assert.equal(r.body.error.details.officer, sick);
    } finally {
      assert.equal((await call(server(), 'DELETE', `/abstractions/${rec.body.id}`, { token: planner })).status, 204);
    }
  });

  it('answers a check without saving', async () => {
    const before = await stored();
    const no = await call(server(), 'POST', `/plans/${draft.id}/edits/check`, {
      token: planner,
      body: { ops: [{ op: 'move', shift, officer: nonCarrier(p1) }] },
    });
    assert.equal(no.status, 200);
    assert.equal(no.body.ok, false);
    assert.equal(no.body.refusal.rule, 'rank_may_not_single');
    const yes = await call(server(), 'POST', `/plans/${draft.id}/edits/check`, {
      token: planner,
      body: { ops: [{ op: 'swap', shift, a: nonCarrier(p1), b: nonCarrier(p2) }] },
    });
    assert.deepEqual(yes.body, { ok: true });
    assert.deepEqual(await stored(), before);
  });

  it('swaps two officers: both crews change, are locked, and the statistics still match the crews', async () => {
    const r = await edit([{ op: 'swap', shift, a: nonCarrier(p1), b: nonCarrier(p2) }]);
    assert.equal(r.status, 200);
    const a = { shift, members: [carrier(p1).officer, nonCarrier(p2)], carriers: [carrier(p1)] };
    const b = { shift, members: [carrier(p2).officer, nonCarrier(p1)], carriers: [carrier(p2)] };
    const crews = r.body.plan.crews as Crew[];
    assert.deepEqual(
      crews
        .filter((c) => c.locked)
        .map(key)
        .sort(),
      [key(a), key(b)].sort(),
    );
    assert.deepEqual(
      r.body.locks.map((l: any) => [key(l), l.carriers]),
      [
        [key(a), [carrier(p1)]],
        [key(b), [carrier(p2)]],
      ],
    );
    assert.equal(r.body.plan.status, 'FEASIBLE');
    assert.equal(r.body.plan.handEdits.count, 1);
    assert.equal(r.body.plan.handEdits.lastBy, 'planner.bromley');
    assert.equal(r.body.plan.handEdits.lastAt, TEST_NOW.toISOString());
    assert.equal(r.body.plan.stats.crews, draft.plan.stats.crews);
    consistent(r.body.plan);
    assert.deepEqual(await stored(), r.body);
  });

  it('takes and gives a device, makes a crew and splits it, each recounted and locked', async () => {
    const device = scenario.devices.find((d: any) => d.serial === carrier(p1).device);
    const shiftEnd = Date.parse(scenario.shifts.find((s: any) => s.id === shift).end);
    // Every eligible officer of the shift already carries: move p1's device to another carrier.
    const before0 = await stored();
    const other = (before0.plan.crews as Crew[]).find(
      (c) =>
        c.shift === shift &&
        !c.members.includes(carrier(p1).officer) &&
        c.carriers.length === 1 &&
        officers.get(c.carriers[0]!.officer).taser.models.includes(device.model),
    )!;
    const eligible = other.carriers[0]!.officer;
    assert.equal(carryIneligibility(officers.get(eligible), scenario.policy, shiftEnd, 'Europe/London'), null);
    const r = await edit([
      { op: 'take_device', shift, officer: carrier(p1).officer },
      { op: 'take_device', shift, officer: eligible },
      { op: 'give_device', shift, officer: eligible, device: device.serial },
    ]);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const got = (r.body.plan.crews as Crew[]).find((c) => c.members.includes(eligible))!;
    assert.deepEqual(got.carriers, [{ officer: eligible, device: device.serial }]);
    assert.equal(got.locked, true);
    assert.equal(r.body.plan.stats.taserCrews, before0.plan.stats.taserCrews - 1);
    assert.equal(r.body.plan.stats.pairsWithoutCarrier, before0.plan.stats.pairsWithoutCarrier + 1);
    assert.ok(!(r.body.plan.crews as Crew[]).some((c) => c.carriers.some((k) => k.officer === carrier(p1).officer)));
    consistent(r.body.plan);

    const before = await stored();
    // After the swap: [carrier 1, non-carrier 2] and [carrier 2, non-carrier 1].
    const [x, y] = [carrier(p2).officer, nonCarrier(p2)];
    const made = await edit([{ op: 'make_crew', shift, officers: [x, y] }]);
    assert.equal(made.status, 200, JSON.stringify(made.body));
    const pair = (made.body.plan.crews as Crew[]).find((c) => key(c) === key({ shift, members: [x, y] }))!;
    assert.equal(pair.locked, true);
    assert.deepEqual(pair.carriers, [carrier(p2)]);
    // The two officers left behind are PCs who may not single-crew: unassigned, with the reason.
    assert.equal(made.body.plan.stats.unassigned, before.plan.stats.unassigned + 2);
    assert.ok(made.body.locks.some((l: any) => key(l) === key(pair)));
    consistent(made.body.plan);

    const split = await edit([{ op: 'split_crew', shift, officer: x }]);
    assert.equal(split.status, 200);
    assert.equal(split.body.plan.stats.unassigned, made.body.plan.stats.unassigned + 2);
    assert.ok(!split.body.locks.some((l: any) => l.shift === shift && l.members.includes(x)));
    consistent(split.body.plan);

    const back = await edit([
      { op: 'make_crew', shift, officers: [x, y] },
      { op: 'move', shift, officer: nonCarrier(p1), with: x },
    ]);
    assert.equal(back.status, 422);
    assert.equal(back.body.error.details.rule, 'crew_full');
  });

  it('splits a sergeant’s pair and moves the partner back in', async () => {
    const q = (draft.plan.crews as Crew[]).find(
      (c) =>
        c.members.length === 2 &&
        c.members.some((m) => officers.get(m).rank !== 'PC') &&
        c.members.every((m) => officers.get(m).kind !== 'student'),
    )!;
    assert.ok(q, 'a pair with a sergeant or inspector');
    const sgt = q.members.find((m) => officers.get(m).rank !== 'PC')!;
    const other = q.members.find((m) => m !== sgt)!;
    const split = await edit([{ op: 'split_crew', shift: q.shift, officer: sgt }]);
    assert.equal(split.status, 200, JSON.stringify(split.body));
    assert.ok(
      (split.body.plan.crews as Crew[]).some(
        (c) => c.shift === q.shift && key(c) === key({ shift: q.shift, members: [sgt] }) && c.locked,
      ),
    );
    consistent(split.body.plan);
    const moved = await edit([{ op: 'move', shift: q.shift, officer: other, with: sgt }]);
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    const pair = (moved.body.plan.crews as Crew[]).find((c) => key(c) === key(q))!;
    assert.equal(pair.locked, true);
    const locks = moved.body.locks.map(key);
    assert.ok(locks.includes(key(q)));
    assert.ok(!locks.includes(key({ shift: q.shift, members: [sgt] })), 'the single crew’s lock is gone');
    assert.equal(
      moved.body.plan.stats.singles,
      split.body.plan.stats.singles - (officers.get(other).rank === 'PC' ? 1 : 2),
    );
    consistent(moved.body.plan);
  });

  it('re-solves around the edits with the stored locks', async () => {
    const edited = await stored();
    const started = await call(server(), 'POST', `/plans/${draft.id}/resolve`, { token: planner, body: {} });
    assert.equal(started.status, 202, JSON.stringify(started.body));
    const next = await settled(started.body.id, planner);
    assert.equal(next.status, 'draft');
    assert.deepEqual(next.locks, edited.locks);
  });

  it('refuses edits by a planner of another borough, and edits of a published plan', async () => {
    const croydon = await loginAs(server(), 'planner.croydon');
    const other = await edit([{ op: 'swap', shift, a: nonCarrier(p1), b: nonCarrier(p2) }], croydon);
    assert.equal(other.status, 403);
    assert.equal(other.body.error.id, 'out_of_scope');
    const pub = await call(server(), 'POST', `/plans/${draft.id}/publish`, { token: planner, body: {} });
    assert.equal(pub.status, 200);
    const r = await edit([{ op: 'swap', shift, a: nonCarrier(p1), b: nonCarrier(p2) }]);
    assert.equal(r.status, 409);
    assert.equal(r.body.error.id, 'plan_not_draft');
  });
});

describe('roster view', () => {
  let planner: string;
  let plan: any;

  it('shows names, local times, partner and device for a published Bromley plan', async () => {
    planner = await loginAs(server(), 'planner.bromley');
    const started = await call(server(), 'POST', '/plans', {
      token: planner,
      body: { unit: { level: 'borough', id: 'BROM' }, from: '2026-11-24', to: '2026-11-25' },
    });
    plan = await settled(started.body.id, planner);
    const pub = await call(server(), 'POST', `/plans/${plan.id}/publish`, { token: planner, body: {} });
    assert.equal(pub.status, 200, JSON.stringify(pub.body));
    const r = await call(server(), 'GET', `/plans/${plan.id}/roster`, { token: planner });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const v = r.body;
    assert.deepEqual(v.days, ['2026-11-24', '2026-11-25']);
    assert.deepEqual(
      { ...v.plan, policy: v.plan.policy.name },
      {
        id: plan.id,
        unit: plan.unit,
        from: '2026-11-24',
        to: '2026-11-25',
        status: 'published',
        revision: 0,
        policy: 'revised',
      },
    );
    const early = v.shifts.find((s: any) => s.id === 'BR-2026-11-24-E');
    assert.deepEqual(early, {
      id: 'BR-2026-11-24-E',
      station: 'BR',
      name: 'E',
      date: '2026-11-24',
      startLocal: '07:00',
      endLocal: '16:00',
      start: '2026-11-24T07:00:00Z',
      end: '2026-11-24T16:00:00Z',
    });
    const crew = (plan.plan.crews as Crew[]).find((c) => c.members.length === 2 && c.carriers.length === 1)!;
    const i = (plan.plan.crews as Crew[]).indexOf(crew);
    const [a, b] = crew.members as [string, string];
    const stored = (await repositories.officers.get(a))!;
    const partner = (await repositories.officers.get(b))!;
    const row = v.officers.find((o: any) => o.id === a);
    assert.equal(row.name, stored.name);
    assert.equal(row.rank, stored.rank);
    assert.equal(row.team, stored.team);
    const date = crew.shift.slice(-12, -2);
    const device = crew.carriers.find((k) => k.officer === a)?.device;
    assert.deepEqual(row.cells[date], {
      shift: crew.shift,
      crewIndex: i,
      partner: b,
      partnerName: `${partner.rank} ${partner.name}`,
      carrier: device !== undefined,
      ...(device ? { device } : {}),
    });
    assert.equal(v.officers.length, await repositories.officers.count({ borough: 'BROM' }));
  });

  it('flags an officer who has gone sick since the plan was published, and shows an absence on a day off', async () => {
    const crew = (plan.plan.crews as Crew[]).find((c) => c.shift.endsWith('-E'))!;
    const sick = crew.members[0]!;
    const date = crew.shift.slice(-12, -2);
    const rec = await call(server(), 'POST', '/abstractions', {
      token: planner,
      body: { officer: sick, kind: 'sickness', from: date, to: date, note: 'flu' },
    });
    assert.equal(rec.status, 201, JSON.stringify(rec.body));
    const inPlan = new Set(
      (plan.plan.crews as Crew[]).flatMap((c) => c.members).concat(plan.plan.unassigned.map((u: any) => u.officer)),
    );
    const off = (await repositories.officers.find({ borough: 'BROM' })).find((o) => !inPlan.has(o.collar))!;
    const leave = await call(server(), 'POST', '/abstractions', {
      token: planner,
      body: { officer: off.collar, kind: 'leave', from: '2026-11-25', to: '2026-11-25' },
    });
    assert.equal(leave.status, 201, JSON.stringify(leave.body));

    const v = (await call(server(), 'GET', `/plans/${plan.id}/roster`, { token: planner })).body;
    const cell = v.officers.find((o: any) => o.id === sick).cells[date];
    assert.equal(cell.shift, crew.shift);
    assert.equal(cell.affected, 'sickness');
    assert.equal(cell.affectedBy, rec.body.id);
    assert.deepEqual(v.officers.find((o: any) => o.id === off.collar).cells['2026-11-25'], {
      abstraction: { id: leave.body.id, kind: 'leave' },
    });
  });

  it('filters by team, station and carriers only', async () => {
    const all = (await call(server(), 'GET', `/plans/${plan.id}/roster`, { token: planner })).body;
    const team = all.officers[0].team;
    const byTeam = (await call(server(), 'GET', `/plans/${plan.id}/roster?team=${team}`, { token: planner })).body;
    assert.ok(byTeam.officers.length > 0 && byTeam.officers.length < all.officers.length);
    assert.ok(byTeam.officers.every((o: any) => o.team === team));
    const carriers = (await call(server(), 'GET', `/plans/${plan.id}/roster?carriersOnly=1`, { token: planner })).body;
    const carries = (o: any) => Object.values(o.cells).some((c: any) => c.carrier === true);
    assert.deepEqual(
      carriers.officers.map((o: any) => o.id),
      all.officers.filter(carries).map((o: any) => o.id),
    );
    assert.ok(carriers.officers.length < all.officers.length);
    const or = (await call(server(), 'GET', `/plans/${plan.id}/roster?station=OR`, { token: planner })).body;
    assert.ok(or.officers.length > 0 && or.officers.every((o: any) => o.station === 'OR'));
    assert.ok(or.shifts.every((s: any) => s.station === 'OR'));
  });

  it('shows a night across the October clock change with its local times', async () => {
    const started = await call(server(), 'POST', '/plans', {
      token: planner,
      body: { unit: { level: 'station', id: 'BR' }, from: '2026-10-24', to: '2026-10-24' },
    });
    const p = await settled(started.body.id, planner);
    const v = (await call(server(), 'GET', `/plans/${p.id}/roster`, { token: planner })).body;
    const night = v.shifts.find((s: any) => s.name === 'N');
    assert.ok(night, 'a night on 24 October');
    assert.equal(night.startLocal, '22:00');
    assert.equal(night.endLocal, '07:00');
    assert.equal(night.start, '2026-10-24T21:00:00Z');
    assert.equal(night.end, '2026-10-25T07:00:00Z');
  });

  it('refuses another borough’s planner', async () => {
    const croydon = await loginAs(server(), 'planner.croydon');
    const r = await call(server(), 'GET', `/plans/${plan.id}/roster`, { token: croydon });
    assert.equal(r.status, 403);
    assert.equal(r.body.error.id, 'out_of_scope');
  });

  it('keeps a 28-day BCU roster small (size printed)', async () => {
    const admin = await loginAs(server(), 'admin');
    const started = await call(server(), 'POST', '/plans', {
      token: admin,
      body: { unit: { level: 'bcu', id: 'SN' }, from: '2026-11-23', to: '2026-12-20' },
    });
    const p = await settled(started.body.id, admin);
    assert.equal(p.status, 'draft');
    const t0 = performance.now();
    const res = await fetch(`${server().url}/api/plans/${p.id}/roster`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    const text = await res.text();
    const ms = performance.now() - t0;
    const v = JSON.parse(text);
    const cells = v.officers.reduce((n: number, o: any) => n + Object.keys(o.cells).length, 0);
    console.log(
      `28-day BCU roster: ${v.officers.length} officers, ${v.shifts.length} shifts, ${cells} cells, ${text.length} bytes (${(text.length / 1024).toFixed(0)} kB; gzip ${(gzipSync(text).length / 1024).toFixed(0)} kB), served in ${ms.toFixed(0)} ms`,
    );
    assert.equal(v.days.length, 28);
    assert.ok(text.length < 3_000_000, `${text.length} bytes`);
  });
});
