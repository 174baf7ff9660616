import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CoverReport } from '../../shared/schemas/cover.schema.js';
import { CoverDayModel } from '../../server/models/cover-day.model.js';
import { publishedCrewRepository } from '../../server/repositories/crew-plan.repository.js';
import type { CoverDay } from '../../server/repositories/cover.repository.js';
import { bromleyEarly, coverScript } from './helpers/cover-fixtures.js';
import { call, loginAs, useTestServer } from './helpers/test-server.js';

/*
 * Closed days are aggregated ahead of any report (`services.cover.close`, what the COVER_CLOSE_SECONDS timer
 * runs): a day is stored once it is closed (24 hours after its end), not before; a day already stored is not
 * computed again; a plan published over a stored day makes the next run compute it again.
 */
let now = new Date('2026-11-11T12:00:00Z');
let token = '';
const ctx = useTestServer({ clock: () => now, env: { MIN_TASER_UNITS: '2' } }, async (s) => {
  token = await loginAs(s, 'lead.bromley');
  await script();
});

const day = bromleyEarly(coverScript());
const { shift: SHIFT } = day;
const [e1, e2, e3] = day.crews;

async function script() {
  await publishedCrewRepository.replaceForShifts([{ id: SHIFT, station: 'BR' }], [...day.crews]);
  await day.bookings();
}

/** The stored day of Bromley station, or null when the force's day is not stored. */
const storedBromley = async (date: string): Promise<CoverDay | null> => {
  const doc = (await CoverDayModel.collection.findOne({ _id: `MPS|${date}` as never })) as {
    stations: string;
  } | null;
  if (!doc) return null;
  return (JSON.parse(doc.stations) as CoverDay[]).find((d) => d.station === 'BR') ?? null;
};
const sum = (xs: readonly number[]) => Math.round(xs.reduce((n, x) => n + x, 0) * 100) / 100;

describe('aggregating closed days ahead of reports', () => {
  it('stores the closed days of the window and not a day that is not closed yet', async () => {
    // 11 Nov 12:00Z: the 10th ended at midnight, and closes 24 hours later; the 9th is closed.
    const r = await ctx().services.cover.close(3);
    assert.deepEqual(r, { dates: 2, computed: 2 });
    assert.equal(await storedBromley('2026-11-10'), null);
    const ninth = await storedBromley('2026-11-09');
    assert.ok(ninth);
    assert.equal(sum(ninth.planned), 0);
    assert.ok(await storedBromley('2026-11-08'));
    assert.equal(await storedBromley('2026-11-07'), null, 'before the window');
  });

  it('stores a day once it is closed, with its planned and actual figures per clock hour', async () => {
    now = new Date('2026-11-12T06:00:00Z');
    const r = await ctx().services.cover.close(3);
    assert.deepEqual(r, { dates: 2, computed: 1 });
    const day = await storedBromley('2026-11-10');
    assert.ok(day);
    assert.equal(day.planned.length, 24);
    assert.deepEqual(day.planned.slice(6, 17), [0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0]);
    assert.deepEqual(day.actual.slice(6, 17), [0, 0.5, 1, 1, 1, 1, 1, 1, 1, 0.5, 0]);
    assert.equal(sum(day.actual), 8);
    assert.deepEqual(day.shifts, [
      { code: 'E', start: '2026-11-10T07:00:00.000Z', end: '2026-11-10T16:00:00.000Z', planned: 2, actual: 8 / 9 },
    ]);
  });

  it('does not compute a stored day again, and the report reads it', async () => {
    assert.deepEqual(await ctx().services.cover.close(3), { dates: 2, computed: 0 });
    const r = await call<CoverReport>(
      ctx(),
      'GET',
      '/reports/cover?level=station&unit=BR&from=2026-11-10&to=2026-11-10',
      { token },
    );
    assert.equal(r.status, 200);
    assert.equal(r.body.headline.plannedUnitHours, 18);
    assert.equal(r.body.headline.actualUnitHours, 8);
    assert.deepEqual(
      r.body.shifts.map((x) => [x.code, x.planned, x.actual]),
      [['E', 2, 0.89]],
    );
  });

  it('computes a day again after a plan is published over it', async () => {
    // The plan replaces the shift's crews: only E-01 planned to carry now.
    await day.publish(ctx().services.live.events, [e1, { ...e2, carriers: [] }, e3], now);
    for (let i = 0; i < 100 && (await storedBromley('2026-11-10')); i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(await storedBromley('2026-11-10'), null, 'the published plan forgets the day');
    assert.deepEqual(await ctx().services.cover.close(3), { dates: 2, computed: 2 });
    const stored = await storedBromley('2026-11-10');
    assert.ok(stored);
    assert.deepEqual(stored.planned.slice(6, 17), [0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0]);
    assert.equal(sum(stored.actual), 8);
  });
});
