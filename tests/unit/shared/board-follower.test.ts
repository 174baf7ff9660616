import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BoardFollower, type ResyncReason } from '../../../shared/live/board-state.js';
import type { BoardSnapshot } from '../../../shared/schemas/board.schema.js';
import type { BoardDelta } from '../../../shared/schemas/live-event.schema.js';

const snapshot = (seq: number, callSigns: string[]): BoardSnapshot => ({
  room: 'borough:BROM',
  epoch: 'e1',
  seq,
  at: '2026-11-22T10:00:00.000Z',
  devices: [],
  units: callSigns.map((callSign) => ({
    key: `BR-2026-11-22-E|${callSign}`,
    shift: 'BR-2026-11-22-E',
    callSign,
    force: 'MPS',
    bcu: 'SN',
    borough: 'BROM',
    station: 'BR',
    start: '2026-11-22T07:00:00.000Z',
    end: '2026-11-22T16:00:00.000Z',
    members: ['PC1'],
    plannedCarriers: [],
    status: 'off_duty',
    bookedOn: [],
    version: 0,
  })),
  alerts: [],
});

const published = (seq: number): BoardDelta => ({
  room: 'borough:BROM',
  epoch: 'e1',
  seq,
  event: {
    id: 'ev1',
    at: '2026-11-22T10:00:00.000Z',
    by: 'planner.bromley',
    type: 'plan.published',
    plan: 'p2',
    unit: { level: 'borough', id: 'BROM' },
    placement: { force: 'MPS', bcu: 'SN', borough: 'BROM', station: '' },
    stations: ['BR', 'OR'],
    shifts: ['BR-2026-11-22-E'],
  },
});

describe('a board follower hearing plan.published', () => {
  it('without units (an older server) resyncs the room and shows the new units from the fresh snapshot', async () => {
    const reasons: ResyncReason[] = [];
    let resynced!: () => void;
    const done = new Promise<void>((ok) => (resynced = ok));
    const follower = new BoardFollower({
      room: 'borough:BROM',
      resync: () => Promise.resolve(snapshot(6, ['BR-E-01', 'BR-E-02'])),
      onResync: (r) => reasons.push(r),
      onChange: (b) => {
        if (b.seq === 6) resynced();
      },
    });
    follower.load(snapshot(4, ['BR-E-01']));
    follower.receive(published(5));
    await done;
    assert.deepEqual(reasons, ['plan_published']);
    assert.deepEqual(
      [...follower.board!.units.values()].map((u) => u.callSign),
      ['BR-E-01', 'BR-E-02'],
    );
    assert.equal(follower.stats.resyncs, 1);
    follower.close();
  });
});

describe('a board follower hearing plan.published with units', () => {
  it('replaces the plan’s shifts’ units by the delta, with no resync', () => {
    const reasons: ResyncReason[] = [];
    const follower = new BoardFollower({
      room: 'borough:BROM',
      resync: () => Promise.reject(new Error('no resync expected')),
      onResync: (r) => reasons.push(r),
    });
    follower.load(snapshot(4, ['BR-E-01', 'BR-E-03']));
    const units = snapshot(0, ['BR-E-01', 'BR-E-02']).units.map((u) => ({
      ...u,
      plannedCarriers: [{ officer: 'PC1', device: 'X1000001' }],
    }));
    const d = published(5);
    follower.receive({ ...d, event: { ...d.event, units } as BoardDelta['event'] });
    assert.deepEqual(reasons, []);
    assert.equal(follower.board!.seq, 5);
    assert.deepEqual(
      [...follower.board!.units.values()].map((u) => [u.callSign, u.plannedCarriers.length]),
      [
        ['BR-E-01', 1],
        ['BR-E-02', 1],
      ],
    );
    follower.close();
  });
});
