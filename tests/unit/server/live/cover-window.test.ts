import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCoverWindow } from '../../../../server/live/cover-window.js';
import type { SeenRecord } from '../../../../server/live/read-model.js';
import type { CustodyStateRecord, UnitStateRecord } from '../../../../server/repositories/cover-log.repository.js';
import type { PublishedCrew } from '../../../../server/repositories/crew-plan.repository.js';
import type { UnitLive } from '../../../../shared/schemas/board.schema.js';

/*
 * The window's own logic (server/live/cover-window.ts): what it answers and when it leaves a read to the
 * store. Its sources are plain functions here; tests/integration/cover-window.test.ts runs it on the real
 * store and live write path.
 */
const DAY = 86_400_000;

const unitRecord = (key: string, version: number, at: string, station = 'BR'): UnitStateRecord => ({
  key,
  version,
  at,
  unit: {
    shift: `${station}-2026-11-20-E`,
    station,
    borough: 'BROM',
    status: 'available',
    bookedOn: ['A'],
    start: '2026-11-20T07:00:00.000Z',
    end: '2026-11-20T16:00:00.000Z',
  },
});
const custodyRecord = (key: string, version: number, at: string): CustodyStateRecord => ({
  key,
  version,
  at,
  state: 'issued',
  holder: 'A',
});
const crew = (station: string, start: string, end: string): PublishedCrew =>
  ({ shift: `${station}-x`, station, start, end, callSign: `${station}-1`, carriers: [] }) as unknown as PublishedCrew;

function setup(opts: { crews?: () => Promise<PublishedCrew[]> } = {}) {
  let now = new Date('2026-11-20T12:00:00Z');
  const listeners: ((r: SeenRecord) => void)[] = [];
  const stored = {
    units: [
      unitRecord('BR-E|1', 1, '2026-11-19T07:00:00.000Z'),
      unitRecord('CR-E|1', 1, '2026-11-19T07:00:00.000Z', 'CR'),
    ],
    custody: [custodyRecord('D1', 1, '2026-11-19T07:10:00.000Z')],
  };
  const sinces: string[] = [];
  const window = createCoverWindow({
    clock: () => now,
    days: 2,
    loadLog: (since) => {
      sinces.push(since);
      return Promise.resolve(stored);
    },
    loadCrews:
      opts.crews ?? (() => Promise.resolve([crew('BR', '2026-11-20T07:00:00.000Z', '2026-11-20T16:00:00.000Z')])),
    onRecordSeen: (l) => {
      listeners.push(l);
      return () => listeners.splice(listeners.indexOf(l), 1);
    },
  });
  const hear = (r: SeenRecord) => listeners.forEach((l) => l(r));
  return { window, hear, sinces, setNow: (d: Date) => (now = d) };
}

// Reads for 20 November (GMT): crews from its start, log from a day before, custody a day before that.
const READ = [
  '2026-11-20T00:00:00.000Z',
  '2026-11-21T00:00:00.000Z',
  '2026-11-19T00:00:00.000Z',
  '2026-11-20T12:00:00.000Z',
] as const;
const read = (w: ReturnType<typeof setup>['window'], stations = ['BR']) => w.read(stations, ...READ, DAY);

describe('cover window', () => {
  it('leaves reads to the store until it has loaded, from local midnight `days` ago', async () => {
    const { window, sinces } = setup();
    assert.equal(read(window), null);
    await window.load();
    assert.deepEqual(sinces, ['2026-11-18T00:00:00.000Z']);
    assert.equal(window.ready(), true);
    const r = read(window);
    assert.ok(r);
    assert.deepEqual(
      r.units.map((u) => u.key),
      ['BR-E|1'],
      'only the stations asked for',
    );
    assert.deepEqual(
      r.custody.map((c) => c.key),
      ['D1'],
    );
    assert.equal(r.crews.length, 1);
    assert.deepEqual(window.reads(), { window: 1, store: 1 });
  });

  it('keeps what the read model hears, a repeated version once', async () => {
    const { window, hear } = setup();
    await window.load();
    const unit = { station: 'BR', shift: 'BR-2026-11-20-E', borough: 'BROM', status: 'off_duty', bookedOn: [] };
    const seen: SeenRecord = {
      type: 'unit',
      key: 'BR-E|1',
      version: 2,
      at: '2026-11-20T10:00:00.000Z',
      unit: { ...unit, start: '2026-11-20T07:00:00.000Z', end: '2026-11-20T16:00:00.000Z' } as unknown as UnitLive,
    };
    hear(seen);
    hear(seen);
    hear({ type: 'unit', key: 'BR-E|1', version: 1, at: '2026-11-19T07:00:00.000Z', unit: seen.unit });
    hear({ type: 'custody', key: 'D1', version: 2, at: '2026-11-20T10:00:00.000Z', state: 'in_armoury', holder: null });
    // Written after the read's end: not part of it.
    hear({ type: 'custody', key: 'D1', version: 3, at: '2026-11-20T13:00:00.000Z', state: 'issued', holder: 'B' });
    const r = read(window)!;
    assert.deepEqual(r.units.map((u) => `${u.key}#${u.version}`).sort(), ['BR-E|1#1', 'BR-E|1#2']);
    assert.deepEqual(r.units.find((u) => u.version === 2)!.unit.status, 'off_duty');
    assert.deepEqual(r.custody.map((c) => `${c.key}#${c.version}`).sort(), ['D1#1', 'D1#2']);
  });

  it('leaves a period starting before the window to the store', async () => {
    const { window } = setup();
    await window.load();
    // 18 November's custody lookback starts on the 16th, before the window (18th).
    assert.equal(
      window.read(
        ['BR'],
        '2026-11-18T00:00:00.000Z',
        '2026-11-19T00:00:00.000Z',
        '2026-11-17T00:00:00.000Z',
        READ[3],
        DAY,
      ),
      null,
    );
  });

  it('answers nothing after a publish until the crews are read again', async () => {
    let release: (c: PublishedCrew[]) => void = () => undefined;
    let calls = 0;
    const { window } = setup({
      crews: () => {
        calls += 1;
        if (calls === 1) return Promise.resolve([]);
        return new Promise((ok) => (release = ok));
      },
    });
    await window.load();
    assert.equal(read(window)!.crews.length, 0);
    window.published();
    assert.equal(read(window), null);
    release([crew('BR', '2026-11-20T07:00:00.000Z', '2026-11-20T16:00:00.000Z')]);
    await new Promise((ok) => setImmediate(ok));
    assert.equal(read(window)!.crews.length, 1);
  });

  it('drops what falls before the window as days pass', async () => {
    const { window, setNow } = setup();
    await window.load();
    setNow(new Date('2026-11-22T12:00:00Z'));
    // The window now starts on the 20th: reads of the 20th (log from the 19th) go to the store...
    assert.equal(read(window), null);
    // ...and a read of the 22nd finds nothing left from the 19th.
    const r = window.read(
      ['BR'],
      '2026-11-22T00:00:00.000Z',
      '2026-11-23T00:00:00.000Z',
      '2026-11-21T00:00:00.000Z',
      '2026-11-22T12:00:00.000Z',
      DAY,
    )!;
    assert.deepEqual([r.units.length, r.custody.length, r.crews.length], [0, 0, 0]);
  });
});
