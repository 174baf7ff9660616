import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rotaCodeOn } from '../../shared/time/rota.js';
import { call, loginAs, TEST_NOW, useTestServer } from './helpers/test-server.js';

let lead: string;
const ctx = useTestServer({ clock: () => TEST_NOW }, async (s) => {
  lead = await loginAs(s, 'lead.bromley');
});

/** 12 calendar months after a training date (no 29 Feb in the seeded years). */
const plusYear = (d: string) => `${Number(d.slice(0, 4)) + 1}${d.slice(4)}`;
const BROM = { level: 'borough', id: 'BROM' };

describe('authorisation cliff and refresher planner', () => {
  it('counts in-date carriers per week from the last training, and marks weeks below the rota’s need', async () => {
    const r = await call(ctx(), 'GET', '/reports/authorisation-cliff?level=borough&id=BROM&weeks=52', { token: lead });
    assert.equal(r.status, 200);
    assert.equal(r.body.weeks.length, 52);
    assert.deepEqual(
      [r.body.weeks[0].week, r.body.weeks[0].end, r.body.weeks[51].end],
      ['2026-11-22', '2026-11-28', '2027-11-20'],
    );
    const officers = (await call(ctx(), 'GET', '/officers?pageSize=500', { token: lead })).body.items as any[];
    // Seeded training abstractions renew an authorisation from their day when taken before the lapse.
    const training = ((await call(ctx(), 'GET', '/abstractions?pageSize=500', { token: lead })).body.items as any[])
      .filter((a) => a.kind === 'training')
      .sort((a, b) => a.from.localeCompare(b.from));
    const lapseBy = (o: any, end: string) => {
      let cur = o.taser.lastTrained;
      for (const a of training)
        if (a.officer === o.collar && a.from <= end && a.from > cur && a.from < plusYear(cur)) cur = a.from;
      return plusYear(cur);
    };
    const carriers = officers.filter(
      (o) => o.taser && !o.taser.suspended && o.taser.volunteer !== false && o.kind === 'regular',
    );
    assert.equal(r.body.authorised, carriers.length);
    for (const i of [0, 10, 51]) {
      const w = r.body.weeks[i];
      const next = new Date(Date.parse(`${w.end}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      assert.equal(w.inDate, carriers.filter((o) => lapseBy(o, w.end) >= next).length, `week ${w.week}`);
      assert.equal(w.below, w.inDate < w.needed);
    }
    assert.ok(r.body.weeks[0].needed > 0);
    assert.equal(r.body.weeksBelow, r.body.weeks.filter((w: any) => w.below).length);
    const csv = await fetch(`${ctx().url}/api/reports/authorisation-cliff?level=borough&id=BROM&weeks=8&format=csv`, {
      headers: { authorization: `Bearer ${lead}` },
    });
    const text = await csv.text();
    assert.equal(csv.status, 200, text);
    const lines = text.trimEnd().split('\r\n');
    assert.equal(lines[0], 'week,end,inDate,needed,below,lapsing,refreshers');
    assert.equal(lines.length, 9);
  });

  it('refuses a cliff outside the lead’s borough', async () => {
    const r = await call(ctx(), 'GET', '/reports/authorisation-cliff?level=borough&id=CROY', { token: lead });
    assert.equal(r.status, 403);
    assert.equal(r.body.error.id, 'out_of_scope');
  });

  it('plans refreshers before each lapse, on duty days, within places, and books them into the cliff once', async () => {
    const plan = await call(ctx(), 'POST', '/reports/refreshers/plan', {
      token: lead,
      body: { unit: BROM, horizonDays: 90 },
    });
    assert.equal(plan.status, 200, JSON.stringify(plan.body));
    const p = plan.body;
    assert.equal(p.status, 'OPTIMAL');
    assert.ok(p.assignments.length > 10, `only ${p.assignments.length} planned`);
    const teams = new Map(
      ((await call(ctx(), 'GET', '/teams?pageSize=500', { token: lead })).body.items as any[]).map((t) => [t.id, t]),
    );
    const perDay = new Map<string, number>();
    for (const a of p.assignments) {
      assert.ok(a.date > '2026-11-22' && a.date < a.lapses, `${a.officer} on ${a.date}, lapses ${a.lapses}`);
      assert.notEqual(rotaCodeOn(teams.get(a.team), a.date), 'R', `${a.officer} on a rest day ${a.date}`);
      assert.ok([1, 2, 3, 4, 5].includes(new Date(`${a.date}T12:00:00Z`).getUTCDay()), `${a.date} not a weekday`);
      perDay.set(a.date, (perDay.get(a.date) ?? 0) + 1);
    }
    assert.ok(Math.max(...perDay.values()) <= 12);
    assert.equal(
      p.weeks.reduce((s: number, w: any) => s + w.officers.length, 0),
      p.assignments.length,
    );

    const assignments = p.assignments.map((a: any) => ({ officer: a.officer, date: a.date }));
    const tampered = await call(ctx(), 'POST', '/reports/refreshers/book', {
      token: lead,
      body: { unit: BROM, horizonDays: 90, proposalId: p.id, assignments: assignments.slice(1) },
    });
    assert.equal(tampered.status, 409);
    assert.equal(tampered.body.error.id, 'refresher_plan_stale');

    const before = await call(ctx(), 'GET', '/reports/authorisation-cliff?level=borough&id=BROM&weeks=52', {
      token: lead,
    });
    const body = { unit: BROM, horizonDays: 90, proposalId: p.id, assignments };
    const booked = await call(ctx(), 'POST', '/reports/refreshers/book', { token: lead, body });
    assert.equal(booked.status, 201, JSON.stringify(booked.body));
    assert.equal(booked.body.by, 'lead.bromley');
    assert.equal(booked.body.abstractions.length, assignments.length);
    const again = await call(ctx(), 'POST', '/reports/refreshers/book', { token: lead, body });
    assert.equal(again.status, 200);
    assert.equal(again.body.repeated, true);
    assert.deepEqual(again.body.abstractions, booked.body.abstractions);

    const first = assignments[0];
    const abs = await call(ctx(), 'GET', `/abstractions?q=${first.officer}&pageSize=100`, { token: lead });
    const mine = abs.body.items.filter((a: any) => a.officer === first.officer && a.kind === 'training');
    assert.deepEqual(
      mine.map((a: any) => [a.from, a.to]),
      [[first.date, first.date]],
    );

    const after = await call(ctx(), 'GET', '/reports/authorisation-cliff?level=borough&id=BROM&weeks=52', {
      token: lead,
    });
    const sum = (r: any, k: string) => r.body.weeks.reduce((s: number, w: any) => s + w[k], 0);
    assert.equal(sum(after, 'refreshers') - sum(before, 'refreshers'), assignments.length);
    // Every booked officer is renewed before lapsing: the last weeks count them in date again.
    assert.ok(after.body.weeks[51].inDate >= before.body.weeks[51].inDate + assignments.length);

    // Booked now: planning again skips them.
    const replan = await call(ctx(), 'POST', '/reports/refreshers/plan', {
      token: lead,
      body: { unit: BROM, horizonDays: 90 },
    });
    assert.equal(replan.body.skipped.alreadyBooked, p.skipped.alreadyBooked + assignments.length);
    assert.equal(replan.body.assignments.length, 0);
  });
});
