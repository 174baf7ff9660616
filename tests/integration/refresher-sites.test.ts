import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call, loginAs, TEST_NOW, useTestServer } from './helpers/test-server.js';

let lead: string;
let admin: string;
const ctx = useTestServer({ clock: () => TEST_NOW }, async (s) => {
  [lead, admin] = await Promise.all([loginAs(s, 'lead.bromley'), loginAs(s, 'admin')]);
});

const BROM = { level: 'borough', id: 'BROM' };
/** Hendon: Tuesdays, 2 places, every borough (first: legacy training counts here); Bromley: Thursdays, 3, BROM only. */
const SITES = [
  { id: 'hendon', name: 'Hendon', days: [2], placesPerDay: 2 },
  { id: 'brom-tc', name: 'Bromley training centre', days: [4], placesPerDay: 3, boroughs: ['BROM'] },
];
const save = (body: unknown) => call(ctx(), 'PUT', '/force-settings', { token: admin, body });
const weekday = (d: string) => new Date(`${d}T12:00:00Z`).getUTCDay() || 7;
const datesFrom = (from: string, to: string) => {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T12:00:00Z`); t <= Date.parse(`${to}T12:00:00Z`); t += 86_400_000)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
};

/** Every training abstraction of the force (the admin sees the force). */
async function training(): Promise<any[]> {
  const out: any[] = [];
  for (let page = 1; ; page++) {
    const r = await call(ctx(), 'GET', `/abstractions?pageSize=500&page=${page}`, { token: admin });
    out.push(...r.body.items.filter((a: any) => a.kind === 'training'));
    if (page * 500 >= r.body.total) return out;
  }
}

describe('refresher planner with training sites', () => {
  it('refuses bad sites with 400 validation_failed, naming the field, and keeps the settings', async () => {
    const cases: [unknown, string, RegExp][] = [
      [[SITES[0], { ...SITES[1], id: 'hendon' }], 'trainingSites.1.id', /site id "hendon" is used twice/],
      [[{ ...SITES[0], days: [] }], 'trainingSites.0.days', /at least one course day/],
      [[{ ...SITES[0], days: [2, 2] }], 'trainingSites.0.days', /each weekday at most once/],
      [[{ ...SITES[0], days: [8] }], 'trainingSites.0.days.0', /7/],
      [[{ ...SITES[0], placesPerDay: 201 }], 'trainingSites.0.placesPerDay', /200/],
      [[{ ...SITES[0], placesPerDay: 0 }], 'trainingSites.0.placesPerDay', /1/],
      [[{ ...SITES[0], name: '  ' }], 'trainingSites.0.name', /a site needs a name/],
      [[{ ...SITES[1], boroughs: ['BROM', 'NOPE'] }], 'trainingSites.0.boroughs.1', /unknown borough NOPE/],
      [[], 'trainingSites', /at least one training site/],
    ];
    for (const [trainingSites, path, message] of cases) {
      const r = await save({ version: 0, trainingSites });
      assert.equal(r.status, 400, JSON.stringify(trainingSites));
      assert.equal(r.body.error.id, 'validation_failed');
      assert.deepEqual(
        r.body.error.details.issues.map((i: { path: string }) => i.path),
        [path],
      );
      assert.match(r.body.error.details.issues[0].message, message);
    }
    const now = await call(ctx(), 'GET', '/force-settings', { token: admin });
    assert.equal(now.body.version, 0);
    assert.equal(now.body.trainingSites, undefined);
  });

  it('plans at the sites that serve each officer within each site-day’s places left, and books the site', async () => {
    const saved = await save({ version: 0, trainingSites: SITES });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    assert.deepEqual(saved.body.trainingSites, SITES);
    assert.deepEqual(saved.body.course, { placesPerDay: 12, days: [1, 2, 3, 4, 5] });

    const legacy = await training();
    assert.ok(legacy.length > 0 && legacy.every((a) => a.site === undefined), 'the seed has training without a site');
    const takenOn = (date: string) => legacy.filter((a) => a.from <= date && date <= a.to).length;

    const plan = await call(ctx(), 'POST', '/reports/refreshers/plan', {
      token: lead,
      body: { unit: BROM, horizonDays: 90 },
    });
    assert.equal(plan.status, 200, JSON.stringify(plan.body));
    const p = plan.body;
    assert.equal(p.status, 'OPTIMAL');
    const days = datesFrom(p.from, p.to);
    // Legacy training (no site) takes Hendon's places (the first site serving the officer); Bromley's are all left.
    const hendonLeft = days.filter((d) => weekday(d) === 2).reduce((s, d) => s + Math.max(0, 2 - takenOn(d)), 0);
    const bromLeft = 3 * days.filter((d) => weekday(d) === 4).length;
    assert.ok(hendonLeft < 2 * days.filter((d) => weekday(d) === 2).length, 'some Hendon places are taken');
    const perSlot = new Map<string, number>();
    for (const a of p.assignments) {
      assert.ok(['hendon', 'brom-tc'].includes(a.site.id), a.site.id);
      assert.equal(a.site.name, SITES.find((s) => s.id === a.site.id)!.name);
      assert.equal(weekday(a.date), a.site.id === 'hendon' ? 2 : 4, `${a.officer} at ${a.site.id} on ${a.date}`);
      assert.ok(a.date < a.lapses);
      perSlot.set(`${a.site.id}|${a.date}`, (perSlot.get(`${a.site.id}|${a.date}`) ?? 0) + 1);
    }
    for (const [k, n] of perSlot) {
      const [site, date] = k.split('|') as [string, string];
      assert.ok(n <= (site === 'hendon' ? 2 - takenOn(date) : 3), `${k}: ${n} planned`);
    }
    const count = (site: string) => p.assignments.filter((a: any) => a.site.id === site).length;
    assert.ok(count('hendon') > 0 && count('brom-tc') > 0, 'both sites used');
    assert.deepEqual(
      p.sites.map((s: any) => [s.id, s.name, s.placesLeft, s.proposed]),
      [
        ['hendon', 'Hendon', hendonLeft, count('hendon')],
        ['brom-tc', 'Bromley training centre', bromLeft, count('brom-tc')],
      ],
    );

    const assignments = p.assignments.map((a: any) => ({ officer: a.officer, date: a.date, site: a.site.id }));
    // Another site than proposed is not this proposal.
    const moved = assignments.map((a: any, i: number) => (i === 0 ? { ...a, site: 'elsewhere' } : a));
    const bad = await call(ctx(), 'POST', '/reports/refreshers/book', {
      token: lead,
      body: { unit: BROM, horizonDays: 90, proposalId: p.id, assignments: moved },
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.id, 'refresher_not_allowed');

    const booked = await call(ctx(), 'POST', '/reports/refreshers/book', {
      token: lead,
      body: { unit: BROM, horizonDays: 90, proposalId: p.id, assignments },
    });
    assert.equal(booked.status, 201, JSON.stringify(booked.body));
    assert.deepEqual(booked.body.assignments, assignments);
    const after = await training();
    for (const a of assignments) {
      const abs = after.find((x) => x.id === `rf-${p.id}-${a.officer}`);
      assert.ok(abs, a.officer);
      assert.deepEqual(
        [abs.officer, abs.from, abs.to, abs.site, abs.note],
        [
          a.officer,
          a.date,
          a.date,
          a.site,
          `Taser refresher at ${SITES.find((s) => s.id === a.site)!.name} (plan ${p.id})`,
        ],
      );
    }

    // The bookings take their own site's places: planning again finds exactly that many fewer left at each.
    const replan = await call(ctx(), 'POST', '/reports/refreshers/plan', {
      token: lead,
      body: { unit: BROM, horizonDays: 90 },
    });
    assert.equal(replan.status, 200);
    assert.equal(replan.body.assignments.length, 0);
    assert.deepEqual(
      replan.body.sites.map((s: any) => [s.id, s.placesLeft]),
      [
        ['hendon', hendonLeft - count('hendon')],
        ['brom-tc', bromLeft - count('brom-tc')],
      ],
    );
  });

  it('goes back to the course setting when the sites are removed (trainingSites: null)', async () => {
    const cur = await call(ctx(), 'GET', '/force-settings', { token: admin });
    const r = await save({ version: cur.body.version, trainingSites: null });
    assert.equal(r.status, 200);
    assert.equal(r.body.trainingSites, undefined);
    const plan = await call(ctx(), 'POST', '/reports/refreshers/plan', {
      token: lead,
      body: { unit: BROM, horizonDays: 30 },
    });
    assert.equal(plan.status, 200);
    assert.deepEqual(
      plan.body.sites.map((s: any) => [s.id, s.name]),
      [['default', 'Training site']],
    );
    assert.ok(plan.body.assignments.every((a: any) => a.site.id === 'default'));
  });
});
