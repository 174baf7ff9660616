import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { BoardFollower, type ResyncReason } from '../../../shared/live/board-state.js';
import type { BoardSnapshot, UnitLive } from '../../../shared/schemas/board.schema.js';
import type { BoardDelta } from '../../../shared/schemas/live-event.schema.js';

const ROOM = 'station:BR';
const unit = (version: number, bookedOn: string[]): UnitLive => ({
  key: 'BR-2026-11-22-E|BR1',
  shift: 'BR-2026-11-22-E',
  callSign: 'BR1',
  force: 'MPS',
  bcu: 'SN',
  borough: 'BROM',
  station: 'BR',
  start: '2026-11-22T07:00:00.000Z',
  end: '2026-11-22T16:00:00.000Z',
  members: ['PC1', 'PC2'],
  plannedCarriers: [],
  status: bookedOn.length ? 'at_station' : 'off_duty',
  bookedOn,
  version,
});
const snap = (seq: number, epoch = 'e1', u = unit(0, [])): BoardSnapshot => ({
  room: ROOM,
  epoch,
  seq,
  at: '2026-11-22T10:00:00.000Z',
  devices: [],
  units: [u],
  alerts: [],
});
const delta = (seq: number, version: number, bookedOn: string[], epoch = 'e1'): BoardDelta => ({
  room: ROOM,
  epoch,
  seq,
  event: {
    id: `ev${seq}`,
    at: '2026-11-22T10:00:00.000Z',
    by: 'control.sn',
    type: 'unit.changed',
    kind: 'booked_on',
    officer: bookedOn.at(-1) ?? null,
    unit: unit(version, bookedOn),
  },
});

/** A follower whose resyncs answer `next()` and are recorded with their reason. */
const follower = (next: () => BoardSnapshot, gapWaitMs = 1000) => {
  const reasons: ResyncReason[] = [];
  const f = new BoardFollower({
    room: ROOM,
    gapWaitMs,
    resync: () => Promise.resolve(next()),
    onResync: (r) => reasons.push(r),
  });
  return { f, reasons };
};
const flush = () => new Promise<void>((ok) => setImmediate(ok));

describe('BoardFollower with fake timers', () => {
  it('applies deltas in number order when they arrive out of order, without resyncing', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const { f, reasons } = follower(() => snap(0));
      f.load(snap(0));
      f.receive(delta(2, 2, ['PC1', 'PC2']));
      assert.equal(f.board!.seq, 0);
      f.receive(delta(1, 1, ['PC1']));
      assert.equal(f.board!.seq, 2);
      assert.deepEqual(f.board!.units.get('BR-2026-11-22-E|BR1')!.bookedOn, ['PC1', 'PC2']);
      mock.timers.tick(5000);
      assert.deepEqual(reasons, []);
      assert.deepEqual(f.stats, { applied: 2, stale: 0, gaps: 1, resyncs: 0 });
    } finally {
      mock.timers.reset();
    }
  });

  it('waits gapWaitMs for a missing number, then resyncs with reason gap and takes the snapshot', async () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const { f, reasons } = follower(() => snap(3, 'e1', unit(3, ['PC1', 'PC2'])), 500);
      f.load(snap(0));
      f.receive(delta(2, 2, ['PC1', 'PC2']));
      mock.timers.tick(499);
      assert.deepEqual(reasons, []);
      mock.timers.tick(1);
      assert.deepEqual(reasons, ['gap']);
      await flush();
      assert.equal(f.board!.seq, 3);
      assert.equal(f.board!.units.get('BR-2026-11-22-E|BR1')!.version, 3);
    } finally {
      mock.timers.reset();
    }
  });

  it('does not resync when the missing number arrives inside the wait', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const { f, reasons } = follower(() => snap(9), 1000);
      f.load(snap(0));
      f.receive(delta(2, 2, ['PC1', 'PC2']));
      mock.timers.tick(900);
      f.receive(delta(1, 1, ['PC1']));
      mock.timers.tick(1000);
      assert.deepEqual(reasons, []);
      assert.equal(f.board!.seq, 2);
    } finally {
      mock.timers.reset();
    }
  });

  it('resyncs with reason reset on a delta of another epoch', async () => {
    const { f, reasons } = follower(() => snap(1, 'e2', unit(1, ['PC1'])));
    f.load(snap(5));
    f.receive(delta(6, 1, ['PC1'], 'e2'));
    assert.deepEqual(reasons, ['reset']);
    await flush();
    assert.equal(f.board!.epoch, 'e2');
    assert.equal(f.board!.seq, 1);
  });

  it('counts a delta at or below the board number as stale and leaves the board as it is', () => {
    const { f } = follower(() => snap(0));
    f.load(snap(4, 'e1', unit(4, ['PC1'])));
    f.receive(delta(3, 3, []));
    assert.equal(f.stats.stale, 1);
    assert.deepEqual(f.board!.units.get('BR-2026-11-22-E|BR1')!.bookedOn, ['PC1']);
  });

  it('keeps deltas that arrive during a resync and applies those after the snapshot number', async () => {
    const { f, reasons } = follower(() => snap(2, 'e1', unit(2, ['PC1', 'PC2'])));
    f.load(snap(0));
    f.resync('reconnect');
    f.receive(delta(2, 2, ['PC1', 'PC2']));
    f.receive(delta(3, 3, ['PC1', 'PC2', 'PC3']));
    await flush();
    assert.deepEqual(reasons, ['reconnect']);
    assert.equal(f.board!.seq, 3);
    assert.deepEqual(f.board!.units.get('BR-2026-11-22-E|BR1')!.bookedOn, ['PC1', 'PC2', 'PC3']);
  });

  it('never applies an older version of an entity over a newer one', () => {
    const { f } = follower(() => snap(0));
    f.load(snap(0, 'e1', unit(5, ['PC1', 'PC2'])));
    f.receive(delta(1, 4, ['PC1']));
    assert.equal(f.board!.seq, 1);
    assert.equal(f.board!.units.get('BR-2026-11-22-E|BR1')!.version, 5);
  });
});
