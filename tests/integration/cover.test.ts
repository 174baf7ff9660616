import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CoverReport } from '../../shared/schemas/cover.schema.js';
import { publishedCrewRepository } from '../../server/repositories/crew-plan.repository.js';
import { coverScript } from './helpers/cover-fixtures.js';
import { call, loginAs, useTestServer } from './helpers/test-server.js';

/*
 * A scripted station day, written as the live side writes it (published crews, then the live log's unit and
 * custody records at exact instants), read back as cover by hour with the server's clock set after the day.
 */
let now = new Date('2026-04-01T12:00:00Z');
const tokens: Record<string, string> = {};
const ctx = useTestServer({ clock: () => now, env: { MIN_TASER_UNITS: '2' } }, async (s) => {
  for (const u of ['lead.bromley', 'admin', 'planner.croydon']) tokens[u] = await loginAs(s, u);
  await script();
});

const place = { force: 'MPS', bcu: 'SN', borough: 'BROM', station: 'BR' };
const script_ = coverScript();
const crew = (shift: string, callSign: string, start: string, end: string, carrier: boolean) =>
  script_.crew(place, shift, callSign, start, end, carrier);
const unit = script_.unit;
const custody = (device: string, at: string, holder: string | null, shift: string) =>
  script_.custody(place, device, at, holder, shift);

// Spring forward, 2026-03-29: 01:00 GMT becomes 02:00 BST, so the day has 23 clock hours (no 01:00).
const N28 = 'BR-2026-03-28-N';
const E = 'BR-2026-03-29-E';
const L = 'BR-2026-03-29-L';
const N29 = 'BR-2026-03-29-N';
const n1 = crew(N28, 'BR-N-01', '2026-03-28T22:00:00.000Z', '2026-03-29T06:00:00.000Z', true);
const n2 = crew(N28, 'BR-N-02', '2026-03-28T22:00:00.000Z', '2026-03-29T06:00:00.000Z', true);
const n3 = crew(N28, 'BR-N-03', '2026-03-28T22:00:00.000Z', '2026-03-29T06:00:00.000Z', false);
const e1 = crew(E, 'BR-E-01', '2026-03-29T06:00:00.000Z', '2026-03-29T15:00:00.000Z', true);
const e2 = crew(E, 'BR-E-02', '2026-03-29T06:00:00.000Z', '2026-03-29T15:00:00.000Z', false);
const l1 = crew(L, 'BR-L-01', '2026-03-29T13:00:00.000Z', '2026-03-29T22:00:00.000Z', true);
const l2 = crew(L, 'BR-L-02', '2026-03-29T13:00:00.000Z', '2026-03-29T22:00:00.000Z', true);
const l3 = crew(L, 'BR-L-03', '2026-03-29T13:00:00.000Z', '2026-03-29T22:00:00.000Z', true);
const n4 = crew(N29, 'BR-N-01', '2026-03-29T21:00:00.000Z', '2026-03-30T06:00:00.000Z', true);
// Fall back, 2026-10-25: 02:00 BST becomes 01:00 GMT, so the day has 25 clock hours (01:00 twice).
const N24 = 'BR-2026-10-24-N';
const E25 = 'BR-2026-10-25-E';
const o1 = crew(N24, 'BR-N-01', '2026-10-24T21:00:00.000Z', '2026-10-25T07:00:00.000Z', true);
const o2 = crew(N24, 'BR-N-02', '2026-10-24T21:00:00.000Z', '2026-10-25T07:00:00.000Z', true);
const o3 = crew(E25, 'BR-E-01', '2026-10-25T07:00:00.000Z', '2026-10-25T16:00:00.000Z', true);

async function script() {
  await publishedCrewRepository.replaceForShifts(
    [N28, E, L, N29, N24, E25].map((id) => ({ id, station: 'BR' })),
    [n1, n2, n3, e1, e2, l1, l2, l3, n4, o1, o2, o3],
  );
  // Night of the 28th: N-01 carries 21:40Z to 05:30Z; N-02 is booked on but never draws a device.
  await unit(n1, '2026-03-28T21:30:00.000Z', ['BR-N-01-a', 'BR-N-01-b']);
  await custody('D1', '2026-03-28T21:40:00.000Z', 'BR-N-01-a', N28);
  await unit(n2, '2026-03-28T22:00:00.000Z', ['BR-N-02-a']);
  await custody('D1', '2026-03-29T05:30:00.000Z', null, N28);
  await unit(n1, '2026-03-29T06:10:00.000Z', []);
  // Early: E-01 carries 06:15Z to 15:00Z; E-02 (no planned carrier) draws a device for half an hour.
  await unit(e1, '2026-03-29T05:45:00.000Z', ['BR-E-01-a']);
  await unit(e2, '2026-03-29T06:00:00.000Z', ['BR-E-02-b']);
  await custody('D2', '2026-03-29T06:15:00.000Z', 'BR-E-01-a', E);
  await custody('D3', '2026-03-29T10:00:00.000Z', 'BR-E-02-b', E);
  await custody('D3', '2026-03-29T10:30:00.000Z', null, E);
  // Late: L-01 never books off (counted to its shift's end), L-02 carries 13:30Z to 20:00Z, L-03 never books on.
  await unit(l1, '2026-03-29T13:00:00.000Z', ['BR-L-01-a']);
  await custody('D4', '2026-03-29T13:00:00.000Z', 'BR-L-01-a', L);
  await custody('D2', '2026-03-29T15:00:00.000Z', null, E);
  await unit(e1, '2026-03-29T15:05:00.000Z', []);
  await unit(l2, '2026-03-29T13:30:00.000Z', ['BR-L-02-a']);
  await custody('D5', '2026-03-29T13:30:00.000Z', 'BR-L-02-a', L);
  await custody('D5', '2026-03-29T20:00:00.000Z', null, L);
  await unit(l2, '2026-03-29T20:00:00.000Z', []);
  // Night of the 29th: N-01 carries 21:30Z to 05:00Z on the 30th.
  await unit(n4, '2026-03-29T21:00:00.000Z', ['BR-N-01-a']);
  await custody('D6', '2026-03-29T21:30:00.000Z', 'BR-N-01-a', N29);
  await custody('D6', '2026-03-30T05:00:00.000Z', null, N29);
  await unit(n4, '2026-03-30T05:30:00.000Z', []);
  // Night of 24 October: N-01 carries 23:30Z to 02:00Z, across the second 01:00.
  await unit(o1, '2026-10-24T23:00:00.000Z', ['BR-N-01-a']);
  await custody('D7', '2026-10-24T23:30:00.000Z', 'BR-N-01-a', N24);
  await custody('D7', '2026-10-25T02:00:00.000Z', null, N24);
}

const get = (user: string, path: string) => call<CoverReport>(ctx(), 'GET', path, { token: tokens[user] });
const figures = (r: CoverReport, k: 'planned' | 'actual') => r.hours.map((h) => h[k]);

describe('cover by hour on the spring-forward day (23 clock hours)', () => {
  const path = '/reports/cover?level=borough&unit=BROM&from=2026-03-29&to=2026-03-29';
  it('counts planned Taser crews and time-weighted Taser-equipped units per clock hour', async () => {
    const r = await get('lead.bromley', path);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(
      r.body.hours.map((h) => h.hour),
      [0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23],
    );
    assert.deepEqual(figures(r.body, 'planned'), [2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 4, 4, 3, 3, 3, 3, 3, 3, 4, 1]);
    assert.deepEqual(
      figures(r.body, 'actual'),
      [1, 1, 1, 1, 1, 0.5, 0.75, 1, 1, 1, 1.5, 1, 1, 2.5, 3, 2, 2, 2, 2, 2, 1, 1.5, 1],
    );
    assert.equal(r.body.minimum, 2);
    assert.deepEqual(r.body.headline, {
      hours: 23,
      hoursElapsed: 23,
      hoursBelowPlanned: 8,
      hoursBelowActual: 16,
      plannedUnitHours: 50,
      actualUnitHours: 31.75,
    });
    assert.deepEqual(r.body.boroughs, [{ borough: 'BROM', hoursBelowPlanned: 8, hoursBelowActual: 16 }]);
  });

  it('gives each shift starting that day its planned Taser crews and average Taser-equipped units', async () => {
    const r = await get('lead.bromley', path);
    assert.deepEqual(
      r.body.shifts.map((s) => [s.code, s.planned, s.actual, s.belowPlanned, s.belowActual]),
      [
        ['E', 1, 1.03, true, true],
        ['L', 3, 1.72, false, true],
        ['N', 1, 0.83, true, true],
      ],
    );
  });

  it('answers the same from the stored aggregate once the day is closed', async () => {
    const first = await get('lead.bromley', path);
    const again = await get('lead.bromley', path);
    assert.deepEqual(again.body, first.body);
  });

  it('counts borough-hours below the minimum for a BCU', async () => {
    const r = await get('admin', '/reports/cover?level=bcu&unit=SN&from=2026-03-29&to=2026-03-29');
    assert.equal(r.status, 200);
    assert.equal(r.body.minimum, 6);
    assert.deepEqual(r.body.boroughs, [
      { borough: 'BROM', hoursBelowPlanned: 8, hoursBelowActual: 16 },
      { borough: 'CROY', hoursBelowPlanned: 23, hoursBelowActual: 23 },
      { borough: 'SUTT', hoursBelowPlanned: 23, hoursBelowActual: 23 },
    ]);
    assert.equal(r.body.headline.hoursBelowPlanned, 54);
    assert.equal(r.body.headline.hoursBelowActual, 62);
  });
});

describe('cover by hour on the fall-back day (25 clock hours)', () => {
  const path = '/reports/cover?level=borough&unit=BROM&from=2026-10-25&to=2026-10-25';
  it('counts both 01:00s', async () => {
    now = new Date('2026-10-28T12:00:00Z');
    const r = await get('lead.bromley', path);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.hours.length, 25);
    assert.deepEqual(
      r.body.hours.slice(0, 4).map((h) => [h.hour, h.offset, h.start]),
      [
        [0, 60, '2026-10-24T23:00:00.000Z'],
        [1, 60, '2026-10-25T00:00:00.000Z'],
        [1, 0, '2026-10-25T01:00:00.000Z'],
        [2, 0, '2026-10-25T02:00:00.000Z'],
      ],
    );
    assert.deepEqual(figures(r.body, 'planned'), [...Array(8).fill(2), ...Array(9).fill(1), ...Array(8).fill(0)]);
    assert.deepEqual(figures(r.body, 'actual'), [0.5, 1, 1, ...Array(22).fill(0)]);
    assert.deepEqual(r.body.headline, {
      hours: 25,
      hoursElapsed: 25,
      hoursBelowPlanned: 17,
      hoursBelowActual: 25,
      plannedUnitHours: 25,
      actualUnitHours: 2.5,
    });
  });

  it('exports one CSV row per borough and clock hour, the two 01:00s told apart by their UTC start', async () => {
    const res = await fetch(
      `${ctx().url}/api/reports/cover?level=borough&unit=BROM&from=2026-10-25&to=2026-10-25&format=csv`,
      {
        headers: { authorization: `Bearer ${tokens['lead.bromley']}` },
      },
    );
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/csv/);
    const lines = (await res.text()).trimEnd().split('\r\n');
    assert.equal(lines[0], 'unit,date,hour,start_utc,planned,actual,minimum,below_planned,below_actual');
    assert.equal(lines.length, 26);
    assert.deepEqual(lines.slice(1, 4), [
      'BROM,2026-10-25,00:00,2026-10-24T23:00:00.000Z,2,0.5,2,false,true',
      'BROM,2026-10-25,01:00,2026-10-25T00:00:00.000Z,2,1,2,false,true',
      'BROM,2026-10-25,01:00,2026-10-25T01:00:00.000Z,2,1,2,false,true',
    ]);
  });

  it('has no actual figure for hours not yet over', async () => {
    now = new Date('2026-10-25T01:30:00Z');
    const r = await get('lead.bromley', path);
    assert.deepEqual(figures(r.body, 'actual').slice(0, 4), [0.5, 1, null, null]);
    assert.equal(r.body.headline.hoursElapsed, 2);
    assert.equal(r.body.headline.hoursBelowActual, 2);
    now = new Date('2026-10-28T12:00:00Z');
  });
});

describe('cover report access', () => {
  it('refuses a borough outside the lead’s scope with out_of_scope', async () => {
    const r = await get('lead.bromley', '/reports/cover?level=borough&unit=CROY&from=2026-10-25&to=2026-10-25');
    assert.equal(r.status, 403);
    assert.equal((r.body as any).error.id, 'out_of_scope');
  });
  it('refuses an unknown unit with unit_not_found', async () => {
    const r = await get('admin', '/reports/cover?level=station&unit=ZZ&from=2026-10-25&to=2026-10-25');
    assert.equal(r.status, 404);
    assert.equal((r.body as any).error.id, 'unit_not_found');
  });
  it('refuses a period longer than a year with validation_failed', async () => {
    const r = await get('admin', '/reports/cover?level=force&unit=MPS&from=2026-01-01&to=2027-01-02');
    assert.equal(r.status, 400);
    assert.equal((r.body as any).error.id, 'validation_failed');
  });
});
