import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CoverReport } from '../../shared/schemas/cover.schema.js';
import { appendVersion } from '../../server/live/append.js';
import type { CoverWindow } from '../../server/live/cover-window.js';
import { bromleyEarly, coverScript } from './helpers/cover-fixtures.js';
import { call, loginAs, useTestServer } from './helpers/test-server.js';

/*
 * Cover by hour's in-memory window (server/live/cover-window.ts): the day not yet closed is computed from the
 * unit and custody records the live read model applied and the published crews, without a store read, and
 * gives exactly what the store would.
 */
const now = new Date('2026-11-10T20:00:00Z');
let token = '';
const ctx = useTestServer({ clock: () => now, env: { MIN_TASER_UNITS: '2', COVER_WINDOW_DAYS: '5' } }, async (s) => {
  token = await loginAs(s, 'lead.bromley');
});
const windowOf = (): CoverWindow => {
  const w = ctx().services.cover.window;
  assert.ok(w, 'COVER_WINDOW_DAYS turns the window on');
  return w;
};
const until = async (what: string, ok: () => boolean) => {
  for (let i = 0; i < 250 && !ok(); i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(ok(), what);
};

// Through the live write path: appended, then applied to the read model the window listens to.
const day = bromleyEarly(coverScript((r) => appendVersion(ctx().services.live.state, r)));
const { crews } = day;

const report = (from: string, to: string) =>
  call<CoverReport>(ctx(), 'GET', `/reports/cover?level=station&unit=BR&from=${from}&to=${to}`, { token });

describe('cover by hour from the in-memory window', () => {
  it('computes a day not yet closed from the records the live side applied, without a store read', async () => {
    await until('the window loads at start', () => windowOf().ready());
    await day.publish(ctx().services.live.events, crews, now);
    assert.equal(windowOf().ready(), false, 'a publish makes its crews stale until read again');
    await until('the crews are read again', () => windowOf().ready());
    await day.bookings();

    const before = windowOf().reads();
    const r = await report('2026-11-10', '2026-11-10');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(windowOf().reads(), { window: before.window + 1, store: before.store });
    assert.equal(r.body.headline.plannedUnitHours, 18);
    assert.equal(r.body.headline.actualUnitHours, 8);
    assert.deepEqual(
      r.body.hours.slice(6, 17).map((h) => [h.planned, h.actual]),
      [
        [0, 0],
        [2, 0.5],
        [2, 1],
        [2, 1],
        [2, 1],
        [2, 1],
        [2, 1],
        [2, 1],
        [2, 1],
        [2, 0.5],
        [0, 0],
      ],
    );
    assert.deepEqual(
      r.body.shifts.map((x) => [x.code, x.planned, x.actual]),
      [['E', 2, 0.89]],
    );
  });

  it('leaves a period starting before the window to the store, which gives the same figures', async () => {
    const window = await report('2026-11-10', '2026-11-10');
    const before = windowOf().reads();
    const r = await report('2026-10-01', '2026-11-10');
    assert.equal(r.status, 200);
    assert.equal(windowOf().reads().store, before.store + 1);
    assert.deepEqual(
      r.body.hours.filter((h) => h.date === '2026-11-10'),
      window.body.hours,
    );
    assert.deepEqual(
      r.body.shifts.filter((x) => x.date === '2026-11-10'),
      window.body.shifts,
    );
  });
});
