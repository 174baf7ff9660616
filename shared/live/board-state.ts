import type { BoardShift, BoardSnapshot, CoverAlert, DeviceLive, UnitLive } from '../schemas/board.schema.js';
import type { DeviceState } from '../schemas/device.schema.js';
import type { BoardDelta, LiveEvent } from '../schemas/live-event.schema.js';
import { coverKey, coverShiftOf, holdersOf, isTaserUnit, shownAlerts, taserCoverByShift } from './cover.js';

export { isTaserUnit } from './cover.js';

/** A board held in memory: entities keyed by identity, each with the version it was last seen at. */
export type BoardState = {
  room: string;
  epoch: string;
  seq: number;
  devices: Map<string, DeviceLive>;
  units: Map<string, UnitLive>;
  alerts: Map<string, CoverAlert>;
  /** The current and next shifts of the room's boroughs as of the last snapshot (see `BoardShiftSchema`). */
  shifts: BoardShift[];
};

export const boardFromSnapshot = (s: BoardSnapshot): BoardState => ({
  room: s.room,
  epoch: s.epoch,
  seq: s.seq,
  shifts: s.shifts ?? [],
  devices: new Map(s.devices.map((d) => [d.serial, d])),
  units: new Map(s.units.map((u) => [u.key, u])),
  alerts: new Map(s.alerts.map((a) => [a.key, a])),
});

const newer = <T extends { version: number }>(map: Map<string, T>, key: string, next: T): void => {
  const known = map.get(key);
  if (!known || next.version > known.version) map.set(key, next);
};

/** Whether a place is within a board's room (`borough:BROM`, `station:BR`…). */
export const inRoom = (room: string, p: { force: string; bcu: string; borough: string; station: string }): boolean => {
  const i = room.indexOf(':');
  const level = room.slice(0, i) as 'force' | 'bcu' | 'borough' | 'station';
  return p[level] === room.slice(i + 1);
};

/**
 * Whether a unit stays on the board after a change at `at`: a unit leaves once its shift has ended with
 * nobody booked on (the server's snapshot applies the same rule, server/services/board.service.ts).
 */
export const unitStays = (u: Pick<UnitLive, 'end' | 'bookedOn'>, at: string): boolean =>
  u.bookedOn.length > 0 || Date.parse(u.end) > Date.parse(at);

/** Sets a unit unless the board holds a later version of it (an equal one is replaced: a re-published plan). */
const atLeast = (board: BoardState, u: UnitLive): void => {
  const known = board.units.get(u.key);
  if (!known || u.version >= known.version) board.units.set(u.key, u);
};

/** Applies one event's new entity states; an entity already seen at that version or later is left as is. */
export function applyEvent(board: BoardState, e: LiveEvent): void {
  switch (e.type) {
    case 'custody.changed':
      newer(board.devices, e.device.serial, e.device);
      return;
    case 'unit.changed':
      newer(board.units, e.unit.key, e.unit);
      if (board.units.get(e.unit.key) === e.unit && !unitStays(e.unit, e.at)) board.units.delete(e.unit.key);
      return;
    case 'cover.changed':
      newer(board.alerts, e.alert.key, e.alert);
      return;
    case 'plan.published': {
      // Without units (an older server) the follower resyncs instead.
      if (!e.units) return;
      const shifts = new Set(e.shifts);
      const keep = new Set(e.units.map((u) => u.key));
      for (const u of [...board.units.values()])
        if (shifts.has(u.shift) && !keep.has(u.key) && u.bookedOn.length === 0) board.units.delete(u.key);
      for (const u of e.units) if (inRoom(board.room, u)) atLeast(board, u);
      return;
    }
    case 'shift.boundary': {
      for (const u of e.units) if (inRoom(board.room, u)) atLeast(board, u);
      for (const g of e.left) {
        const known = board.units.get(g.key);
        if (known && known.version <= g.version && known.bookedOn.length === 0) board.units.delete(g.key);
      }
      for (const g of e.closed) {
        const known = board.alerts.get(g.key);
        if (known && known.version <= g.version) board.alerts.delete(g.key);
      }
      if (board.room.startsWith('station:')) {
        // A station board's shifts say whether its own station is planned: keep its flags, move the times on.
        const mine = new Map(board.shifts.map((s) => [`${s.date}|${s.code}`, s.planned]));
        const next = e.shifts.map((s) => ({ ...s, planned: mine.get(`${s.date}|${s.code}`) ?? s.planned }));
        board.shifts = [...board.shifts.filter((s) => s.borough !== e.placement.borough), ...next];
      } else
        board.shifts = [...board.shifts.filter((s) => s.borough !== e.placement.borough), ...e.shifts].sort(
          (a, b) => a.borough.localeCompare(b.borough) || a.start.localeCompare(b.start),
        );
      return;
    }
  }
}

/** When a unit still booked on after its shift's end became overdue (its end), or null. */
export const overdueSince = (u: Pick<UnitLive, 'end' | 'bookedOn'>, now: Date): string | null =>
  u.bookedOn.length > 0 && Date.parse(u.end) <= now.getTime() ? u.end : null;

export type DeviceCounts = Record<DeviceState, number>;
const noDevices = (): DeviceCounts => ({
  in_armoury: 0,
  issued: 0,
  faulty: 0,
  in_repair: 0,
  retired: 0,
  needs_check: 0,
});

export type Divergence = {
  kind: 'carrier_without_device' | 'carrier_other_device';
  unit: string;
  callSign: string;
  station: string;
  officer: string;
  planned: string;
  holding: string | null;
};

export type BoardSummary = {
  devices: DeviceCounts;
  free: number;
  unitsOn: number;
  taserUnits: number;
  stations: {
    station: string;
    borough: string;
    devices: DeviceCounts;
    free: number;
    unitsOn: number;
    taserUnits: number;
  }[];
  boroughs: { borough: string; unitsOn: number; taserUnits: number }[];
  /** Taser cover per borough-shift of the board's units (the rule in shared/live/cover.ts). */
  cover: CoverLine[];
  divergences: Divergence[];
  /** Cover alerts below the minimum, with `count` from the same rule as `cover` (shared/live/cover.ts). */
  alerts: CoverAlert[];
};

/** A borough's shift on the board: its planned units, those on duty, those Taser-equipped, and its alert. */
export type CoverLine = {
  key: string;
  borough: string;
  date: string;
  code: string;
  start: string;
  end: string;
  units: number;
  unitsOn: number;
  taserUnits: number;
  /** The minimum, when the server has an alert record for this borough-shift. */
  min: number | null;
  /** The alert shown for it, if any (then `alert.count === taserUnits`). */
  alert: CoverAlert | null;
};

/** Counts and lists the control room reads off a board: free devices, units out with Taser, divergences, alerts. */
export function summarise(
  devices: Iterable<DeviceLive>,
  units: Iterable<UnitLive>,
  alerts: Iterable<CoverAlert>,
): BoardSummary {
  const devs = [...devices];
  const holders = holdersOf(devs);
  const holds = (collar: string) => holders.has(collar);
  const stations = new Map<string, BoardSummary['stations'][number]>();
  const boroughs = new Map<string, BoardSummary['boroughs'][number]>();
  const stationOf = (station: string, borough: string) => {
    let s = stations.get(station);
    if (!s) stations.set(station, (s = { station, borough, devices: noDevices(), free: 0, unitsOn: 0, taserUnits: 0 }));
    let b = boroughs.get(borough);
    if (!b) boroughs.set(borough, (b = { borough, unitsOn: 0, taserUnits: 0 }));
    return { s, b };
  };
  const total = noDevices();
  for (const d of devs) {
    const { s } = stationOf(d.station, d.borough);
    s.devices[d.state] += 1;
    total[d.state] += 1;
  }
  let unitsOn = 0;
  let taserUnits = 0;
  const divergences: Divergence[] = [];
  const allUnits = [...units];
  const counts = taserCoverByShift(allUnits, holds);
  const alertList = [...alerts];
  const shown = shownAlerts(alertList, counts);
  const alertByKey = new Map(alertList.map((a) => [a.key, a]));
  const shownByKey = new Map(shown.map((a) => [a.key, a]));
  const cover = new Map<string, CoverLine>();
  for (const u of allUnits) {
    const c = coverShiftOf(u);
    if (!c) continue;
    const key = coverKey(c);
    let line = cover.get(key);
    if (!line)
      cover.set(
        key,
        (line = {
          key,
          ...c,
          start: u.start,
          end: u.end,
          units: 0,
          unitsOn: 0,
          taserUnits: counts.get(key) ?? 0,
          min: alertByKey.get(key)?.min ?? null,
          alert: shownByKey.get(key) ?? null,
        }),
      );
    line.units += 1;
    if (u.status !== 'off_duty') line.unitsOn += 1;
  }
  for (const u of allUnits) {
    if (u.status === 'off_duty') continue;
    const { s, b } = stationOf(u.station, u.borough);
    unitsOn += 1;
    s.unitsOn += 1;
    b.unitsOn += 1;
    if (isTaserUnit(u, holds)) {
      taserUnits += 1;
      s.taserUnits += 1;
      b.taserUnits += 1;
    }
    for (const c of u.plannedCarriers) {
      if (!u.bookedOn.includes(c.officer)) continue;
      const held = holders.get(c.officer);
      if (!held || held.serial !== c.device)
        divergences.push({
          kind: held ? 'carrier_other_device' : 'carrier_without_device',
          unit: u.key,
          callSign: u.callSign,
          station: u.station,
          officer: c.officer,
          planned: c.device,
          holding: held?.serial ?? null,
        });
    }
  }
  for (const s of stations.values()) s.free = s.devices.in_armoury;
  return {
    devices: total,
    free: total.in_armoury,
    unitsOn,
    taserUnits,
    stations: [...stations.values()].sort((a, b) => a.station.localeCompare(b.station)),
    boroughs: [...boroughs.values()].sort((a, b) => a.borough.localeCompare(b.borough)),
    cover: [...cover.values()].sort((a, b) => a.start.localeCompare(b.start) || a.key.localeCompare(b.key)),
    divergences: divergences.sort((a, b) => a.callSign.localeCompare(b.callSign) || a.officer.localeCompare(b.officer)),
    alerts: shown,
  };
}

export const summariseBoard = (b: BoardState): BoardSummary =>
  summarise(b.devices.values(), b.units.values(), b.alerts.values());

/**
 * Minutes a unit has been on past its shift's end with someone still booked on (the control room chases it),
 * or null when it is not overdue.
 */
export const overdueMinutes = (u: Pick<UnitLive, 'status' | 'end'>, now: Date): number | null => {
  if (u.status === 'off_duty') return null;
  const past = now.getTime() - Date.parse(u.end);
  return past >= 0 ? Math.floor(past / 60_000) : null;
};

/** A board as plain sorted arrays, for comparing two boards. */
export const boardEntities = (b: BoardState) => ({
  devices: [...b.devices.values()].sort((x, y) => x.serial.localeCompare(y.serial)),
  units: [...b.units.values()].sort((x, y) => x.key.localeCompare(y.key)),
  alerts: [...b.alerts.values()].sort((x, y) => x.key.localeCompare(y.key)),
});

/**
 * Why a follower reloaded its board; `plan_published`: a roster was published by a server whose delta
 * carries no units (older servers; current ones push the units, and the clock's boundaries, as deltas).
 */
export type ResyncReason = 'gap' | 'reset' | 'reconnect' | 'plan_published';

export type FollowerOptions = {
  room: string;
  /** Fetches a fresh snapshot of the room (a `board:resync` over the socket). */
  resync: () => Promise<BoardSnapshot>;
  /** How long a missing number may take to arrive (it can be overtaken between instances) before resyncing. */
  gapWaitMs?: number;
  onChange?: (board: BoardState) => void;
  onResync?: (reason: ResyncReason) => void;
  onError?: (e: unknown) => void;
};

/**
 * Follows one room: loads a snapshot, applies numbered deltas in order, holds early ones briefly, and
 * resyncs when a number stays missing. Deltas that arrive before the snapshot are kept and replayed.
 */
export class BoardFollower {
  board: BoardState | null = null;
  readonly stats = { applied: 0, stale: 0, gaps: 0, resyncs: 0 };
  private pending = new Map<number, BoardDelta>();
  private gapTimer: ReturnType<typeof setTimeout> | null = null;
  private syncing = false;

  constructor(private opts: FollowerOptions) {}

  get room(): string {
    return this.opts.room;
  }

  /** Points resyncs at a new connection (after a reconnect to another server). */
  retarget(resync: FollowerOptions['resync']): void {
    this.opts = { ...this.opts, resync };
  }

  load(snapshot: BoardSnapshot): void {
    this.board = boardFromSnapshot(snapshot);
    this.drain();
    this.opts.onChange?.(this.board);
  }

  receive(d: BoardDelta): void {
    if (d.room !== this.opts.room) return;
    if (!this.board || this.syncing) {
      this.pending.set(d.seq, d);
      return;
    }
    if (d.epoch !== this.board.epoch) {
      // The numbering restarted (a restart, or a shared counter store that lost its data).
      this.pending.clear();
      this.resync('reset');
      return;
    }
    if (d.seq <= this.board.seq) {
      this.stats.stale += 1;
      return;
    }
    this.pending.set(d.seq, d);
    this.drain();
    this.opts.onChange?.(this.board);
  }

  /** Throws the board away and loads a fresh snapshot. */
  resync(reason: ResyncReason): void {
    if (this.syncing) return;
    this.syncing = true;
    this.stats.resyncs += 1;
    this.clearGap();
    this.opts.onResync?.(reason);
    this.opts.resync().then(
      (s) => {
        this.syncing = false;
        this.load(s);
      },
      (e: unknown) => {
        this.syncing = false;
        this.opts.onError?.(e);
      },
    );
  }

  close(): void {
    this.clearGap();
  }

  private drain(): void {
    const b = this.board;
    if (!b) return;
    for (const [seq, d] of [...this.pending]) if (seq <= b.seq || d.epoch !== b.epoch) this.pending.delete(seq);
    let replanned = false;
    for (let next = this.pending.get(b.seq + 1); next; next = this.pending.get(b.seq + 1)) {
      this.pending.delete(next.seq);
      applyEvent(b, next.event);
      b.seq = next.seq;
      this.stats.applied += 1;
      if (next.event.type === 'plan.published' && !next.event.units) replanned = true;
    }
    if (replanned) {
      // The room's planned units changed wholesale: load them (a snapshot newer than every delta applied).
      this.resync('plan_published');
      return;
    }
    if (this.pending.size === 0) this.clearGap();
    else if (!this.gapTimer) {
      this.stats.gaps += 1;
      this.gapTimer = setTimeout(() => {
        this.gapTimer = null;
        if (this.board && this.pending.size > 0 && !this.pending.has(this.board.seq + 1)) this.resync('gap');
      }, this.opts.gapWaitMs ?? 1000);
    }
  }

  private clearGap(): void {
    if (this.gapTimer) clearTimeout(this.gapTimer);
    this.gapTimer = null;
  }
}
