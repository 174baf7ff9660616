import type { BoardSnapshot, CoverAlert, DeviceLive, UnitLive } from '../schemas/board.schema.js';
import type { DeviceState } from '../schemas/device.schema.js';
import type { BoardDelta, LiveEvent } from '../schemas/live-event.schema.js';

/** A board held in memory: entities keyed by identity, each with the version it was last seen at. */
export type BoardState = {
  room: string;
  epoch: string;
  seq: number;
  devices: Map<string, DeviceLive>;
  units: Map<string, UnitLive>;
  alerts: Map<string, CoverAlert>;
};

export const boardFromSnapshot = (s: BoardSnapshot): BoardState => ({
  room: s.room,
  epoch: s.epoch,
  seq: s.seq,
  devices: new Map(s.devices.map((d) => [d.serial, d])),
  units: new Map(s.units.map((u) => [u.key, u])),
  alerts: new Map(s.alerts.map((a) => [a.key, a])),
});

const newer = <T extends { version: number }>(map: Map<string, T>, key: string, next: T): void => {
  const known = map.get(key);
  if (!known || next.version > known.version) map.set(key, next);
};

/** Applies one event's new entity states; an entity already seen at that version or later is left as is. */
export function applyEvent(board: BoardState, e: LiveEvent): void {
  switch (e.type) {
    case 'custody.changed':
      newer(board.devices, e.device.serial, e.device);
      return;
    case 'unit.changed':
      newer(board.units, e.unit.key, e.unit);
      return;
    case 'cover.changed':
      newer(board.alerts, e.alert.key, e.alert);
      return;
    case 'plan.published':
      // Carries no entities: the follower resyncs the room to load the new planned units.
      return;
  }
}

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
  divergences: Divergence[];
  alerts: CoverAlert[];
};

/** A unit counts as Taser-equipped when it is booked on and one of its booked-on officers holds a device. */
export const isTaserUnit = (u: Pick<UnitLive, 'status' | 'bookedOn'>, holders: ReadonlyMap<string, unknown>): boolean =>
  u.status !== 'off_duty' && u.bookedOn.some((o) => holders.has(o));

/** Counts and lists the control room reads off a board: free devices, units out with Taser, divergences, alerts. */
export function summarise(
  devices: Iterable<DeviceLive>,
  units: Iterable<UnitLive>,
  alerts: Iterable<CoverAlert>,
): BoardSummary {
  const holders = new Map<string, DeviceLive>();
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
  for (const d of devices) {
    const { s } = stationOf(d.station, d.borough);
    s.devices[d.state] += 1;
    total[d.state] += 1;
    if (d.state === 'issued' && d.holder) holders.set(d.holder, d);
  }
  let unitsOn = 0;
  let taserUnits = 0;
  const divergences: Divergence[] = [];
  for (const u of units) {
    if (u.status === 'off_duty') continue;
    const { s, b } = stationOf(u.station, u.borough);
    unitsOn += 1;
    s.unitsOn += 1;
    b.unitsOn += 1;
    if (isTaserUnit(u, holders)) {
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
    divergences: divergences.sort((a, b) => a.callSign.localeCompare(b.callSign) || a.officer.localeCompare(b.officer)),
    alerts: [...alerts].filter((a) => a.below).sort((a, b) => a.key.localeCompare(b.key)),
  };
}

export const summariseBoard = (b: BoardState): BoardSummary =>
  summarise(b.devices.values(), b.units.values(), b.alerts.values());

/** A board as plain sorted arrays, for comparing two boards. */
export const boardEntities = (b: BoardState) => ({
  devices: [...b.devices.values()].sort((x, y) => x.serial.localeCompare(y.serial)),
  units: [...b.units.values()].sort((x, y) => x.key.localeCompare(y.key)),
  alerts: [...b.alerts.values()].sort((x, y) => x.key.localeCompare(y.key)),
});

/** Why a follower reloaded its board; `plan_published`: a new roster for the room was published. */
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
      if (next.event.type === 'plan.published') replanned = true;
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
