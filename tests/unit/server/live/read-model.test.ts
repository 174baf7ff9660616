import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { taserCover } from '../../../../shared/live/cover.js';
import { createEventBus } from '../../../../server/events/domain-events.js';
import { localChannel } from '../../../../server/live/channel.js';
import { createLiveState } from '../../../../server/live/read-model.js';
import { logId, type LogRecord, type UnitRecord } from '../../../../server/live/records.js';
import type { ReferenceCache } from '../../../../server/services/reference-cache.js';
import type { UnitLive } from '../../../../shared/schemas/board.schema.js';

// The read model needs the reference cache only for device documents and write forwarding; these tests
// apply log records and read custody, claims, units and alerts, which never touch it.
const ref = { onLocalWrite: () => () => undefined, invalidate: () => undefined } as unknown as ReferenceCache;
const model = () => createLiveState({ ref, bus: createEventBus(), channel: localChannel() });

const custody = (
  serial: string,
  version: number,
  toState: 'issued' | 'in_armoury',
  holder: string | null,
): LogRecord => ({
  _id: logId('device', serial, version),
  type: 'custody',
  key: serial,
  version,
  at: `2026-11-22T10:0${version}:00.000Z`,
  id: `${serial}#${version}`,
  kind: toState === 'issued' ? 'issue' : 'return',
  by: 'armourer.sn',
  device: serial,
  model: 'T7',
  fromState: toState === 'issued' ? 'in_armoury' : 'issued',
  toState,
  officer: holder,
  shift: holder ? 'BR-2026-11-22-E' : null,
  callSign: null,
  note: null,
  force: 'MPS',
  bcu: 'SN',
  borough: 'BROM',
  station: 'BR',
  state: toState,
  holder,
  issuedShift: holder ? 'BR-2026-11-22-E' : null,
});
const U = 'BR-2026-11-22-E|BR1';
const unitRecord = (version: number, bookedOn: string[]): UnitRecord => {
  const unit: UnitLive = {
    key: U,
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
  };
  return {
    _id: logId('unit', U, version),
    type: 'unit',
    key: U,
    version,
    at: unit.start,
    by: 'control.sn',
    kind: 'booked_on',
    officer: null,
    unit,
    status: 'at_station',
  };
};
const claim = (collar: string, version: number, device: string, deviceVersion: number): LogRecord => ({
  _id: logId('officer', collar, version),
  type: 'officer',
  key: collar,
  version,
  at: '2026-11-22T10:00:00.000Z',
  claimedAt: '2026-11-22T10:00:00.000Z',
  by: 'armourer.sn',
  device,
  deviceVersion,
});
const LOG: LogRecord[] = [
  claim('PC1', 1, 'X2-1', 1),
  custody('X2-1', 1, 'issued', 'PC1'),
  unitRecord(1, ['PC1']),
  unitRecord(2, ['PC1', 'PC2']),
  custody('X2-1', 2, 'in_armoury', null),
  claim('PC2', 1, 'X2-1', 3),
  custody('X2-1', 3, 'issued', 'PC2'),
];

describe('the live read model', () => {
  it('applies log records: the latest version per key wins, whatever order they come in', () => {
    const a = model();
    a.replace([], [...LOG].reverse());
    assert.equal(a.holding('PC2'), 'X2-1');
    assert.equal(a.holding('PC1'), null);
    assert.deepEqual(a.unit(U)?.unit.bookedOn, ['PC1', 'PC2']);
    assert.equal(a.claimSeq('PC2'), 1);
    assert.equal(a.known('device', 'X2-1'), 3);
    assert.equal(a.known('unit', U), 2);
    const booked = a.units({ borough: 'BROM' }, '2026-11-22T00:00:00.000Z');
    assert.equal(
      taserCover(booked, (c) => a.holding(c) !== null, { borough: 'BROM', date: '2026-11-22', code: 'E' }),
      1,
    );
  });

  it('ignores a record at or below the version it knows', () => {
    const a = model();
    a.replace([], LOG);
    a.applyRecord(custody('X2-1', 2, 'in_armoury', null));
    assert.equal(a.holding('PC2'), 'X2-1');
    assert.equal(a.known('device', 'X2-1'), 3);
  });

  it('restores from its own snapshot entries plus the tail to the same state as a full replay', () => {
    const full = model();
    full.replace([], LOG);
    const head = model();
    head.replace([], LOG.slice(0, 4));
    const restored = model();
    restored.replace(head.entries(), LOG.slice(4));
    assert.deepEqual(
      restored.entries().sort((x, y) => `${x.k}${x.key}`.localeCompare(`${y.k}${y.key}`)),
      full.entries().sort((x, y) => `${x.k}${x.key}`.localeCompare(`${y.k}${y.key}`)),
    );
    assert.equal(restored.holding('PC2'), 'X2-1');
  });

  it('keeps a device’s last check by version whatever order its records come in, and in its snapshot entries', async () => {
    const checked = (version: number): LogRecord =>
      ({ ...custody('X2-1', version, 'in_armoury', null), kind: 'checked' }) as LogRecord;
    // X2-1: issued, returned, issued (LOG); returned at 10:04, checked at 10:05, issued at 10:06.
    const log = [...LOG, custody('X2-1', 4, 'in_armoury', null), checked(5), custody('X2-1', 6, 'issued', 'PC1')];
    const lastCheck = (m: ReturnType<typeof model>) => {
      const x = m.entries().find((e) => e.k === 'device' && e.key === 'X2-1');
      return x?.k === 'device' ? x.c.lastCheck : 'no entry';
    };
    for (const order of [log, [...log].reverse()]) {
      const a = model();
      a.replace([], order);
      assert.deepEqual(lastCheck(a), { version: 5, at: '2026-11-22T10:05:00.000Z' });
      assert.equal(await a.lastCheck('X2-1'), '2026-11-22T10:05:00.000Z');
    }
    const never = model();
    never.replace([], LOG);
    assert.equal(lastCheck(never), null);
    assert.equal(await never.lastCheck('X2-1'), null);
    assert.equal(await never.lastCheck('X2-404'), null);

    // From a snapshot before the check plus the tail, and from one after it with nothing after.
    const head = model();
    head.replace([], log.slice(0, 8));
    const restored = model();
    restored.replace(head.entries(), log.slice(8));
    assert.deepEqual(lastCheck(restored), { version: 5, at: '2026-11-22T10:05:00.000Z' });
    const full = model();
    full.replace([], log);
    const again = model();
    again.replace(full.entries(), []);
    assert.deepEqual(lastCheck(again), { version: 5, at: '2026-11-22T10:05:00.000Z' });

    // A format-2 entry (no last check) stays unknown after a tail without a check, and a check after it settles it.
    const old = full
      .entries()
      .map((x) =>
        x.k === 'device'
          ? { ...x, c: { state: x.c.state, holder: x.c.holder, shift: x.c.shift, version: x.c.version } }
          : x,
      );
    const fromOld = model();
    fromOld.replace(old, [custody('X2-1', 7, 'in_armoury', null)]);
    assert.equal(lastCheck(fromOld), undefined);
    fromOld.applyRecord(checked(8));
    assert.deepEqual(lastCheck(fromOld), { version: 8, at: '2026-11-22T10:08:00.000Z' });
  });

  it('says an officer whose claim has no device record yet is pending, and one holding a device holds', () => {
    const a = model();
    a.replace([], [{ ...claim('PC3', 1, 'X2-9', 1), claimedAt: new Date().toISOString() } as LogRecord]);
    assert.equal(a.officerBusy('PC3'), 'pending');
    a.replace([], LOG);
    assert.equal(a.officerBusy('PC2'), 'holds');
    assert.equal(a.officerBusy('PC1'), null);
  });
});
