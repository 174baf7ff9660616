import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call, loginAs, TEST_NOW, useTestServer } from './helpers/test-server.js';

let lead: string;
const ctx = useTestServer({ clock: () => TEST_NOW }, async (s) => {
  lead = await loginAs(s, 'lead.bromley');
});

/** 12 calendar months after a training date, as a date string (no 29 Feb in the seeded years). */
const plusYear = (d: string) => `${Number(d.slice(0, 4)) + 1}${d.slice(4)}`;

describe('authorisation report', () => {
  it('lists lapsed, lapsing (within 60 days) and suspended authorisations of the borough, soonest first', async () => {
    const r = await call(ctx(), 'GET', '/reports/authorisations?days=60', { token: lead });
    assert.equal(r.status, 200);
    assert.equal(r.body.asOf, TEST_NOW.toISOString());
    const officers = (await call(ctx(), 'GET', '/officers?pageSize=500', { token: lead })).body.items as any[];
    const expected = officers
      .filter((o) => o.taser)
      .map((o) => {
        const lapses = plusYear(o.taser.lastTrained);
        const status = o.taser.suspended
          ? 'suspended'
          : lapses <= '2026-11-22'
            ? 'lapsed'
            : lapses <= '2027-01-21'
              ? 'lapsing'
              : null;
        return { collar: o.collar, lapses, status };
      })
      .filter((x) => x.status)
      .sort((a, b) => a.lapses.localeCompare(b.lapses) || a.collar.localeCompare(b.collar));
    assert.ok(expected.some((x) => x.status === 'lapsed') && expected.some((x) => x.status === 'lapsing'));
    assert.deepEqual(
      r.body.officers.map((o: any) => ({ collar: o.collar, lapses: o.lapses, status: o.status })),
      expected,
    );
    const t = r.body.totals;
    assert.equal(t.officers, 250);
    assert.equal(t.authorised, officers.filter((o) => o.taser).length);
    assert.equal(t.lapsed, expected.filter((x) => x.status === 'lapsed').length);
    assert.equal(t.lapsing, expected.filter((x) => x.status === 'lapsing').length);
    assert.equal(t.inDate + t.lapsed + t.suspended, t.authorised);
    assert.deepEqual(
      r.body.stations.map((s: any) => [s.unit, s.officers, s.devices]),
      [
        ['BR', 125, 50],
        ['OR', 125, 50],
      ],
    );
  });

  it('exports the same officers as CSV', async () => {
    const res = await fetch(`${ctx().url}/api/reports/authorisations?format=csv`, {
      headers: { authorization: `Bearer ${lead}` },
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/csv/);
    const lines = (await res.text()).trimEnd().split('\r\n');
    assert.equal(lines[0], 'collar,name,rank,station,borough,team,lastTrained,models,lapses,daysLeft,status');
    const json = await call(ctx(), 'GET', '/reports/authorisations', { token: lead });
    assert.equal(lines.length - 1, json.body.officers.length);
    assert.ok(lines[1]!.startsWith(`"${json.body.officers[0].collar}",`));
  });

  it('is refused to the control room and outside the lead’s borough', async () => {
    const control = await loginAs(ctx(), 'control.south');
    const r = await call(ctx(), 'GET', '/reports/authorisations', { token: control });
    assert.equal(r.status, 403);
    assert.equal(r.body.error.id, 'forbidden_role');
    const other = await call(ctx(), 'GET', '/reports/authorisations?borough=CROY', { token: lead });
    assert.equal(other.status, 403);
    assert.equal(other.body.error.id, 'out_of_scope');
    const bad = await call(ctx(), 'GET', '/reports/authorisations?days=0', { token: lead });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.id, 'validation_failed');
  });
});
