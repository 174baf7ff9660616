import type { CoverAlert, DeviceLive, UnitLive } from '../../shared/schemas/board.schema.js';
import type { Placement } from '../../shared/schemas/common.schema.js';
import type { Device, DeviceState } from '../../shared/schemas/device.schema.js';
import type { PublishedCrew } from '../repositories/crew-plan.repository.js';
import type { DomainEvent, EventBus } from '../events/domain-events.js';
import { isCheck } from '../../shared/rules/taser-use.js';
import { log } from '../logger.js';
import type { ReferenceCache } from '../services/reference-cache.js';
import type { LiveChannel, LiveMessage } from './channel.js';
import { liveLogRepository } from './log.repository.js';
import type { CustodyRecord, LogKind, LogRecord, OfficerRecord } from './records.js';

/**
 * An officer custody claim whose device record has not followed within this long was left by a writer
 * that died between its two inserts; it no longer blocks the officer. A writer gives up its own claim at
 * half this (see `claimStillFresh`), so a live writer never completes a claim others consider dead.
 */
export const OFFICER_CLAIM_TIMEOUT_MS = 30_000;

/** A device's last check after a discharge (a `checked` or `repaired` custody record): its version and instant. */
export type LastCheck = { version: number; at: string };

/**
 * The custody side of a device: who holds it, the version of its log it is at, and its last check (null:
 * never checked; left out: not known, an entry from a snapshot of format 2, which did not hold it).
 */
export type DeviceCustody = {
  state: DeviceState;
  holder: string | null;
  shift: string | null;
  version: number;
  lastCheck?: LastCheck | null;
};

/**
 * The last check of a device once `incoming` (a record's or snapshot entry's; null or left out: it is no
 * check) is applied over `known`. The latest check by version wins whatever order the records come in (the
 * log is replayed in no order, and an older record can tell of a check the entry has not seen). A check
 * cannot settle a last check not known unless it is newer than everything the entry stands for.
 */
const laterCheck = (
  known: DeviceCustody | undefined,
  incoming: LastCheck | null | undefined,
): LastCheck | null | undefined => {
  if (!known) return incoming;
  const k = known.lastCheck;
  if (!incoming) return k;
  if (k === undefined) return incoming.version > known.version ? incoming : undefined;
  return k && k.version >= incoming.version ? k : incoming;
};

/** A unit's live state and the settable status it keeps while nobody is booked on. */
export type UnitEntry = { unit: UnitLive; status: 'available' | 'committed' | 'at_station' };

/** A domain event before the bus stamps its id. */
/** A unit or custody record as the read model sees it: a key's version, when it was written, its state. */
export type SeenRecord =
  | { type: 'unit'; key: string; version: number; at: string; unit: UnitLive }
  | { type: 'custody'; key: string; version: number; at: string; state: string; holder: string | null };

export type NewEvent = DomainEvent extends infer E ? (E extends DomainEvent ? Omit<E, 'id'> : never) : never;

export const unitKey = (shift: string, callSign: string): string => `${shift}|${callSign}`;

/** A published crew nobody has booked on yet. */
export const crewAsUnit = (c: PublishedCrew): UnitLive => ({
  key: unitKey(c.shift, c.callSign),
  shift: c.shift,
  callSign: c.callSign,
  force: c.force,
  bcu: c.bcu,
  borough: c.borough,
  station: c.station,
  start: c.start,
  end: c.end,
  members: c.members,
  plannedCarriers: c.carriers.map((x) => ({ officer: x.officer, device: x.device })),
  status: 'off_duty',
  bookedOn: [],
  version: 0,
});

/**
 * One key of the read model as a snapshot holds it (see server/live/snapshots.ts): a device's custody, an
 * officer's claim number and latest claim, a unit, a cover alert. Versioned like the log records they stand for.
 */
export type SnapshotEntry =
  | { k: 'device'; key: string; c: DeviceCustody }
  | { k: 'officer'; key: string; seq: number; r: OfficerRecord | null }
  | { k: 'unit'; key: string; e: UnitEntry }
  | { k: 'cover'; key: string; a: CoverAlert };

const inPlace = (where: Partial<Placement>, p: Placement): boolean =>
  (Object.keys(where) as (keyof Placement)[]).every((k) => where[k] === undefined || where[k] === p[k]);

/**
 * The live read model: device custody, officers' holdings and claims, unit bookings and status, cover
 * alerts, in memory. Loaded at start from the latest snapshot and the log's tail after it (server/live/
 * snapshots.ts; the whole log when there is no snapshot); then every committed change is applied
 * here (by the writer, or from another instance's message) before it is published. An entity is only
 * ever replaced by a higher version, so messages that cross or repeat do no harm. Writers validate
 * against it and claim the next version by inserting it; a duplicate means this memory was stale, and
 * the key is reloaded from the log by `_id` (`refresh*`).
 */
export function createLiveState(deps: { ref: ReferenceCache; bus: EventBus; channel: LiveChannel }) {
  const repo = liveLogRepository;
  const custody = new Map<string, DeviceCustody>();
  const holders = new Map<string, string>();
  const claims = new Map<string, OfficerRecord>();
  const claimSeq = new Map<string, number>();
  const inFlight = new Map<string, number>();
  const units = new Map<string, UnitEntry>();
  const alerts = new Map<string, CoverAlert>();
  const remoteListeners = new Set<(e: DomainEvent) => void>();
  const seenListeners = new Set<(r: SeenRecord) => void>();
  const seen = (r: SeenRecord) => {
    for (const l of seenListeners) l(r);
  };
  let changes = 0;

  const applyCustody = (serial: string, c: DeviceCustody): boolean => {
    const known = custody.get(serial);
    const lastCheck = laterCheck(known, c.lastCheck);
    if (known && known.version >= c.version) {
      if (lastCheck !== known.lastCheck) {
        custody.set(serial, { ...known, lastCheck });
        changes += 1;
      }
      return false;
    }
    if (known?.holder && holders.get(known.holder) === serial) holders.delete(known.holder);
    const { state, holder, shift, version } = c;
    custody.set(serial, { state, holder, shift, version, ...(lastCheck === undefined ? {} : { lastCheck }) });
    changes += 1;
    if (c.state === 'issued' && c.holder) holders.set(c.holder, serial);
    return true;
  };
  const applyClaim = (r: OfficerRecord): void => {
    claimSeq.set(r.key, Math.max(claimSeq.get(r.key) ?? 0, r.version));
    const known = claims.get(r.key);
    if (!known || known.version < r.version) {
      claims.set(r.key, r);
      changes += 1;
    }
  };
  const applyUnit = (e: UnitEntry): boolean => {
    const known = units.get(e.unit.key);
    if (known && known.unit.version >= e.unit.version) return false;
    units.set(e.unit.key, e);
    changes += 1;
    return true;
  };
  const applyAlert = (a: CoverAlert): boolean => {
    const known = alerts.get(a.key);
    if (known && known.version >= a.version) return false;
    alerts.set(a.key, a);
    changes += 1;
    return true;
  };

  const custodyOf = (r: CustodyRecord): DeviceCustody => ({
    state: r.toState as DeviceState,
    holder: r.holder,
    shift: r.issuedShift,
    version: r.version,
    lastCheck: isCheck(r.kind) ? { version: r.version, at: r.at } : null,
  });
  const applyRecord = (r: LogRecord): void => {
    switch (r.type) {
      case 'custody':
        applyCustody(r.key, custodyOf(r));
        seen({ type: 'custody', key: r.key, version: r.version, at: r.at, state: r.state, holder: r.holder });
        return;
      case 'officer':
        applyClaim(r);
        return;
      case 'unit':
        applyUnit({ unit: r.unit, status: r.status });
        seen({ type: 'unit', key: r.key, version: r.version, at: r.at, unit: r.unit });
        return;
      case 'cover':
        applyAlert(r.alert);
        return;
    }
  };

  // Bumped by `replace`: a refresh whose read began before a reload does not apply what it read (it may have
  // read a record that recovery then undid).
  let generation = 0;
  const refresh = async (kind: LogKind, key: string, known: number): Promise<void> => {
    const g = generation;
    const records = await repo.after(kind, key, known);
    if (g !== generation) return;
    for (const r of records) applyRecord(r);
  };

  const toLive = (d: Device, c: DeviceCustody | undefined): DeviceLive => ({
    serial: d.serial,
    model: d.model,
    force: d.force,
    bcu: d.bcu,
    borough: d.borough,
    station: d.station,
    state: c?.state ?? d.state,
    holder: c?.holder ?? null,
    shift: c?.shift ?? null,
    version: c?.version ?? 0,
  });

  // Other instances' commits: apply, then tell the local listeners (cover alerts recount).
  deps.channel.onMessage((m: LiveMessage) => {
    if (m.kind === 'invalidate') return deps.ref.invalidate(m.noun, m.key);
    if (m.kind !== 'event') return;
    const e = m.event;
    if (m.officerClaim)
      claimSeq.set(m.officerClaim.officer, Math.max(claimSeq.get(m.officerClaim.officer) ?? 0, m.officerClaim.seq));
    switch (e.type) {
      case 'custody.changed':
        applyCustody(e.device.serial, {
          state: e.device.state,
          holder: e.device.holder,
          shift: e.device.shift,
          version: e.device.version,
          lastCheck: isCheck(e.kind) ? { version: e.device.version, at: e.at } : null,
        });
        seen({
          type: 'custody',
          key: e.device.serial,
          version: e.device.version,
          at: e.at,
          state: e.device.state,
          holder: e.device.holder,
        });
        // Serviceability and placement live on the device document, which the other instance has updated.
        if (e.kind !== 'issue' && e.kind !== 'return') deps.ref.invalidate('device', e.device.serial);
        break;
      case 'unit.changed':
        applyUnit({ unit: e.unit, status: e.unit.status === 'off_duty' ? 'at_station' : e.unit.status });
        seen({ type: 'unit', key: e.unit.key, version: e.unit.version, at: e.at, unit: e.unit });
        break;
      case 'cover.changed':
        applyAlert(e.alert);
        break;
      case 'plan.published':
      case 'shift.boundary':
        // Its crews reach this instance's reference cache as a `published_crew` invalidation; a boundary
        // changes no stored state (units and alerts leave the board by the clock, see board.service.ts).
        break;
    }
    for (const l of remoteListeners) l(e);
  });
  const stopForwarding = deps.ref.onLocalWrite((noun, key) => {
    deps.channel
      .publish({ kind: 'invalidate', origin: deps.channel.origin, noun, ...(key === undefined ? {} : { key }) })
      .catch((e: unknown) => log.error('could not tell other instances of a write', { message: String(e) }));
  });

  return {
    /** Applies one log record (a version lower than or equal to the one known is ignored). */
    applyRecord,
    /**
     * Hears every unit and custody record this instance applies or is told of (its own appends, records read
     * back from the log, other instances' changes), repeats included: for keeping recent history (cover by
     * hour's window). Listeners must be cheap and must not throw.
     */
    onRecordSeen(l: (r: SeenRecord) => void): () => void {
      seenListeners.add(l);
      return () => seenListeners.delete(l);
    },
    /** Every key as a snapshot holds it. */
    entries(): SnapshotEntry[] {
      const out: SnapshotEntry[] = [];
      for (const [key, c] of custody) out.push({ k: 'device', key, c });
      for (const [key, seq] of claimSeq) out.push({ k: 'officer', key, seq, r: claims.get(key) ?? null });
      for (const [key, e] of units) out.push({ k: 'unit', key, e });
      for (const [key, a] of alerts) out.push({ k: 'cover', key, a });
      return out;
    },
    /** Takes in progress in this process (a snapshot waits until there are none, see snapshots.ts). */
    takesInProgress: (): number => inFlight.size,
    /** Changes applied since start: what the snapshot schedule counts. */
    changes: (): number => changes,
    /**
     * Replaces the read model in one step with a snapshot's entries and then `records` (the tail; or, with no
     * snapshot, the whole log): the latest version per key wins. Takes in progress here (`begin`) are kept;
     * a refresh whose read began before this does not apply what it read.
     */
    replace(entries: SnapshotEntry[], records: Iterable<LogRecord>): void {
      generation += 1;
      custody.clear();
      holders.clear();
      claims.clear();
      claimSeq.clear();
      units.clear();
      alerts.clear();
      for (const x of entries) {
        switch (x.k) {
          case 'device':
            applyCustody(x.key, x.c);
            break;
          case 'officer':
            claimSeq.set(x.key, x.seq);
            if (x.r) applyClaim(x.r);
            break;
          case 'unit':
            applyUnit(x.e);
            break;
          case 'cover':
            applyAlert(x.a);
            break;
        }
      }
      for (const r of records) applyRecord(r);
    },
    /** The version known here of a key (a device's, an officer's claim number, a unit's, an alert's). */
    known(kind: LogKind, key: string): number {
      switch (kind) {
        case 'device':
          return custody.get(key)?.version ?? 0;
        case 'officer':
          return claimSeq.get(key) ?? 0;
        case 'unit':
          return units.get(key)?.unit.version ?? 0;
        case 'cover':
          return alerts.get(key)?.version ?? 0;
      }
    },

    /**
     * Tells everyone of a change already applied here: the other instances first (so a snapshot there that
     * sees this change's delta number also sees the change, see `settle`), then the local bus.
     */
    async publish(event: NewEvent, officerClaim?: { officer: string; seq: number }): Promise<void> {
      const e = { ...event, id: '' };
      await deps.channel
        .publish({ kind: 'event', origin: deps.channel.origin, event: e, ...(officerClaim ? { officerClaim } : {}) })
        .catch((err: unknown) => log.error('could not tell other instances of a change', { message: String(err) }));
      deps.bus.publish(event);
    },
    /** Waits until every change other instances published before now is applied here. */
    settle: () => deps.channel.barrier(),
    onRemote(l: (e: DomainEvent) => void): () => void {
      remoteListeners.add(l);
      return () => remoteListeners.delete(l);
    },

    // --- devices ---------------------------------------------------------------------------------------
    /** A device as the board shows it, or null when there is none. */
    async device(serial: string): Promise<DeviceLive | null> {
      const d = await deps.ref.devices.get(serial);
      return d ? toLive(d, custody.get(serial)) : null;
    },
    /** Overlays custody on a stored device (the document holds static data and serviceability only). */
    overlay: (d: Device): DeviceLive => toLive(d, custody.get(d.serial)),
    applyCustody,
    refreshDevice: (serial: string) => refresh('device', serial, custody.get(serial)?.version ?? 0),
    /**
     * When the device was last checked (or repaired) after a discharge; null when never. From memory, except
     * once for a device loaded from a format-2 snapshot (read from the log, then kept).
     */
    async lastCheck(serial: string): Promise<string | null> {
      const c = custody.get(serial);
      if (!c) return null;
      if (c.lastCheck !== undefined) return c.lastCheck?.at ?? null;
      const found = await repo.lastCheck(serial);
      const now = custody.get(serial);
      if (now && now.lastCheck === undefined) custody.set(serial, { ...now, lastCheck: found });
      return found?.at ?? null;
    },
    /** The device an officer holds, if any. */
    holding: (collar: string): string | null => holders.get(collar) ?? null,
    async devices(where: Partial<Placement>): Promise<DeviceLive[]> {
      const all = await deps.ref.devices.all();
      return [...all.values()]
        .filter((d) => inPlace(where, d))
        .map((d) => toLive(d, custody.get(d.serial)))
        .sort((a, b) => a.serial.localeCompare(b.serial));
    },

    // --- officer custody claims -------------------------------------------------------------------------
    /** The officer's last claim number known here. */
    claimSeq: (collar: string): number => claimSeq.get(collar) ?? 0,
    applyClaim,
    refreshOfficer: (collar: string) => refresh('officer', collar, claimSeq.get(collar) ?? 0),
    /**
     * Why an officer cannot take a device now: holding one, or a take in progress (here, or a claim whose
     * device record has not followed yet and is not old enough to be a crashed writer's).
     */
    officerBusy(collar: string): 'holds' | 'pending' | null {
      if (holders.has(collar)) return 'holds';
      if ((inFlight.get(collar) ?? 0) > 0) return 'pending';
      const last = claims.get(collar);
      if (!last) return null;
      const reached = custody.get(last.device)?.version ?? 0;
      if (reached < last.deviceVersion && Date.now() - Date.parse(last.claimedAt) < OFFICER_CLAIM_TIMEOUT_MS)
        return 'pending';
      return null;
    },
    /** Marks a take of this officer in progress in this process (the bracket around its two inserts). */
    begin(collar: string): () => void {
      inFlight.set(collar, (inFlight.get(collar) ?? 0) + 1);
      let ended = false;
      return () => {
        if (ended) return;
        ended = true;
        const n = (inFlight.get(collar) ?? 1) - 1;
        if (n > 0) inFlight.set(collar, n);
        else inFlight.delete(collar);
      };
    },

    // --- units ------------------------------------------------------------------------------------------
    unit: (key: string): UnitEntry | null => units.get(key) ?? null,
    applyUnit,
    refreshUnit: (key: string) => refresh('unit', key, units.get(key)?.unit.version ?? 0),
    /** Units of a place that are live (shift not over) or still have someone booked on. */
    units(where: Partial<Placement>, instant: string): UnitLive[] {
      return [...units.values()]
        .map((e) => e.unit)
        .filter((u) => inPlace(where, u) && (u.end > instant || u.bookedOn.length > 0));
    },

    /** Units of a place with someone booked on (they stay on the board after their shift: overdue). */
    bookedUnits(where: Partial<Placement>): UnitLive[] {
      return [...units.values()].map((e) => e.unit).filter((u) => u.bookedOn.length > 0 && inPlace(where, u));
    },

    // --- cover alerts -----------------------------------------------------------------------------------
    alert: (key: string): CoverAlert | null => alerts.get(key) ?? null,
    applyAlert,
    refreshAlert: (key: string) => refresh('cover', key, alerts.get(key)?.version ?? 0),
    /** Alerts whose shift ended in (`after`, `upto`] (ms): a boundary closes them on the boards. */
    alertsEnded(after: number, upto: number): CoverAlert[] {
      return [...alerts.values()].filter((a) => {
        const t = Date.parse(a.end);
        return t > after && t <= upto;
      });
    },
    alerts(where: Partial<Placement>, instant: string): CoverAlert[] {
      return [...alerts.values()]
        .filter((a) => inPlace(where, { ...a, station: '' }) && a.end > instant)
        .sort((a, b) => a.key.localeCompare(b.key));
    },

    stop(): void {
      stopForwarding();
    },
  };
}
export type LiveState = ReturnType<typeof createLiveState>;
