import type { Abstraction } from '../../shared/schemas/abstraction.schema.js';
import type { Device } from '../../shared/schemas/device.schema.js';
import type { Officer } from '../../shared/schemas/officer.schema.js';
import type { Station } from '../../shared/schemas/org.schema.js';
import type { ShiftDefinition, Team } from '../../shared/schemas/shift.schema.js';
import { isCurrentShift } from '../../shared/rules/current-shift.js';
import { log } from '../logger.js';
import { onRepositoryWrite } from '../repositories/base.repository.js';
import {
  bySummaryOrder,
  crewPlanRepository,
  publishedCrewRepository,
  PLAN_NOUN,
  type CrewPlanSummaryRecord,
  type PublishedCrew,
} from '../repositories/crew-plan.repository.js';
import type { ForceSettingsRecord } from '../repositories/force-settings.repository.js';
import type { Repositories, StoredUser } from '../repositories/index.js';

/** How long a fully loaded table is served before it is reloaded in the background (writes by other tools). */
export const REFERENCE_TTL_MS = 30_000;

/**
 * One reference table held in memory: loaded whole in one query on first use, served from memory, reloaded
 * in the background once older than the TTL. A write through our repositories (here or, via the live
 * channel, on another instance) invalidates its key, which is then read alone on next use; a bulk write
 * drops the table. A load racing an invalidation never brings the old value back.
 */
export class CachedTable<T> {
  private map: Map<string, T> | null = null;
  private loadedAt = 0;
  private loading: Promise<Map<string, T>> | null = null;
  private invalidatedDuringLoad = new Set<string>();
  private droppedDuringLoad = false;
  /** Bumped on every change, so derived indexes know when to rebuild. */
  generation = 0;

  constructor(
    private readonly loadAll: () => Promise<T[]>,
    private readonly keyOf: (t: T) => string,
    private readonly loadOne: ((key: string) => Promise<T | null>) | null,
    private readonly ttlMs = REFERENCE_TTL_MS,
  ) {}

  private load(): Promise<Map<string, T>> {
    if (this.loading) return this.loading;
    this.invalidatedDuringLoad.clear();
    this.droppedDuringLoad = false;
    const started = Date.now();
    this.loading = this.loadAll().then(
      (rows) => {
        this.loading = null;
        if (this.droppedDuringLoad) return this.load();
        const map = new Map(rows.map((r) => [this.keyOf(r), r]));
        // A key written while the load ran may have been read before the write: read it again.
        for (const k of this.invalidatedDuringLoad) this.dirty.add(k);
        this.map = map;
        this.loadedAt = started;
        this.generation += 1;
        return map;
      },
      (e: unknown) => {
        this.loading = null;
        throw e;
      },
    );
    return this.loading;
  }

  /** Every row, by key; keys invalidated since are read again first. */
  async all(): Promise<Map<string, T>> {
    if (!this.map) return this.load();
    if (Date.now() - this.loadedAt > this.ttlMs && !this.loading)
      this.load().catch((e: unknown) => log.error('reference reload failed', { message: String(e) }));
    if (this.dirty.size) await this.refetchDirty();
    return this.map ?? this.load();
  }

  private dirty = new Set<string>();
  private refetching: Promise<void> | null = null;

  private refetchDirty(): Promise<void> {
    if (this.refetching) return this.refetching;
    this.refetching = (async () => {
      try {
        while (this.dirty.size && this.loadOne) {
          const keys = [...this.dirty];
          this.dirty.clear();
          const rows = await Promise.all(keys.map((k) => this.loadOne!(k)));
          keys.forEach((k, i) => {
            const row = rows[i];
            if (row) this.map?.set(k, row);
            else this.map?.delete(k);
          });
          this.generation += 1;
        }
      } finally {
        this.refetching = null;
      }
    })();
    return this.refetching;
  }

  async get(key: string): Promise<T | null> {
    const map = await this.all();
    const hit = map.get(key);
    if (hit || !this.loadOne) return hit ?? null;
    // Not known: written by a tool that bypassed our repositories, or missing. Read it alone.
    const one = await this.loadOne(key);
    if (one && this.map) {
      this.map.set(key, one);
      this.generation += 1;
    }
    return one;
  }

  /** Marks one key to be read again before its next use, or drops the whole table. */
  invalidate(key?: string): void {
    this.generation += 1;
    // Nothing held and nothing loading: the next use loads everything anyway.
    if (!this.map && !this.loading) return;
    if (key === undefined || !this.loadOne) {
      this.map = null;
      this.droppedDuringLoad = true;
      return;
    }
    this.dirty.add(key);
    this.invalidatedDuringLoad.add(key);
  }
}

/**
 * The slowly-changing data the live side validates against, in memory: officers, teams, shift definitions,
 * abstractions, stations, users (for authentication), devices (static data and serviceability), the
 * published crews and each force's settings. Invalidated by writes through the repositories of this process (`onRepositoryWrite`)
 * and, with several instances, by the other instances' writes (the live channel calls `invalidate`).
 */
export function createReferenceCache(repos: Repositories, clock: () => Date) {
  const table = <T>(
    repo: { find: (f: Record<string, unknown>) => Promise<T[]>; get?: (k: string) => Promise<T | null> },
    keyOf: (t: T) => string,
    one = true,
  ) => new CachedTable<T>(() => repo.find({}), keyOf, one && repo.get ? (k) => repo.get!(k) : null);

  const officers = table<Officer>(repos.officers, (o) => o.collar);
  const teams = table<Team>(repos.teams, (t) => t.id);
  const shiftDefinitions = table<ShiftDefinition>(repos.shiftDefinitions, (d) => `${d.force}|${d.code}`, false);
  const abstractions = table<Abstraction>(repos.abstractions, (a) => a.id, false);
  const stations = table<Station>(repos.stations, (s) => s.id);
  const users = table<StoredUser>(repos.users, (u) => u.username);
  const devices = table<Device>(repos.devices, (d) => d.serial);
  // The latest saved settings of each force (a handful of rows); a save invalidates its force.
  const forceSettings = new CachedTable<ForceSettingsRecord>(
    () => repos.forceSettings.allLatest(),
    (s) => s.force,
    (force) => repos.forceSettings.latest(force),
  );
  // Published crews of shifts that ended at most a day ago, loaded whole: a day's crews across a force are a
  // few thousand small rows.
  const crews = new CachedTable<PublishedCrew>(
    () => publishedCrewRepository.find({ end: { $gt: new Date(clock().getTime() - 86_400_000).toISOString() } }),
    (c) => `${c.shift}|${c.callSign}`,
    null,
  );
  // Every plan's summary fields (never a body: ~1 kB a plan), so lists filter, sort and page in memory
  // (FerretDB v1 reads every plan document for any query but an `_id` lookup). Each plan write here or on
  // another instance (live channel) marks its plan to be read again, by `_id`, before the next list.
  const planSummaries = new CachedTable<CrewPlanSummaryRecord>(
    () => crewPlanRepository.allSummaries(),
    (p) => p.id,
    (id) => crewPlanRepository.summary(id),
  );

  const tables: Record<string, CachedTable<unknown>> = {
    officer: officers,
    team: teams,
    shift_definition: shiftDefinitions,
    abstraction: abstractions,
    station: stations,
    user: users,
    device: devices,
    published_crew: crews,
    force_settings: forceSettings,
    [PLAN_NOUN]: planSummaries,
  } as Record<string, CachedTable<unknown>>;

  /** Derived lookups, rebuilt when their table's generation moves. */
  const memo = <T, R>(t: CachedTable<T>, build: (rows: Map<string, T>) => R) => {
    let at = -1;
    let value: R | null = null;
    return async (): Promise<R> => {
      const rows = await t.all();
      if (value === null || at !== t.generation) {
        value = build(rows);
        at = t.generation;
      }
      return value;
    };
  };
  const abstractionsByOfficer = memo(abstractions, (rows) => {
    const m = new Map<string, Abstraction[]>();
    for (const a of rows.values()) m.set(a.officer, [...(m.get(a.officer) ?? []), a]);
    return m;
  });
  const crewsByShift = memo(crews, (rows) => {
    const m = new Map<string, PublishedCrew[]>();
    for (const c of rows.values()) m.set(c.shift, [...(m.get(c.shift) ?? []), c]);
    for (const list of m.values()) list.sort((a, b) => a.callSign.localeCompare(b.callSign));
    return m;
  });

  const sortedPlanSummaries = memo(planSummaries, (rows) => [...rows.values()].sort(bySummaryOrder));

  const listeners = new Set<(noun: string, key?: string) => void>();
  const invalidated = new Set<(noun: string, key?: string) => void>();
  const invalidate = (noun: string, key?: string): void => {
    tables[noun]?.invalidate(key);
    for (const l of invalidated) l(noun, key);
  };
  const unsubscribe = onRepositoryWrite((noun, key) => {
    if (!tables[noun]) return;
    invalidate(noun, key);
    for (const l of listeners) l(noun, key);
  });

  return {
    officers,
    teams,
    stations,
    users,
    devices,
    /** The force's shift definitions. */
    async shiftDefinitions(force: string): Promise<ShiftDefinition[]> {
      return [...(await shiftDefinitions.all()).values()].filter((d) => d.force === force);
    },
    /** An officer's abstractions overlapping `from`..`to` (local dates). */
    async abstractionsOf(collar: string, from: string, to: string): Promise<Abstraction[]> {
      return ((await abstractionsByOfficer()).get(collar) ?? []).filter((a) => a.from <= to && a.to >= from);
    },
    /** The published crews of a shift, by call sign. */
    async crewsOf(shift: string): Promise<PublishedCrew[]> {
      return (await crewsByShift()).get(shift) ?? [];
    },
    /** The published crew an officer is planned in for a shift, if any. */
    async crewOf(shift: string, collar: string): Promise<PublishedCrew | null> {
      return (await this.crewsOf(shift)).find((c) => c.members.includes(collar)) ?? null;
    },
    /** Every published crew of a shift that ended less than 24 hours ago or has not ended. */
    async recentCrews(): Promise<PublishedCrew[]> {
      return [...(await crews.all()).values()];
    },
    /**
     * Every published crew whose shift is current at `instant` (ISO UTC) by the one rule
     * (shared/rules/current-shift.ts): running, or opening within `leadMinutes` (0: running only, as the cover
     * sweep counts; the board passes the force's issue lead, see board.service.ts `currentCrews`).
     */
    async activeCrews(instant: string, leadMinutes = 0): Promise<PublishedCrew[]> {
      const now = new Date(instant);
      return [...(await crews.all()).values()].filter((c) => isCurrentShift(c, now, leadMinutes));
    },
    /**
     * The latest saved settings of a force, or null when it has none (the defaults apply). Served from memory:
     * a force without saved settings is not looked up in the store again until a save invalidates it.
     */
    async forceSettings(force: string): Promise<ForceSettingsRecord | null> {
      return (await forceSettings.all()).get(force) ?? null;
    },
    /** Every plan's summary, in the list's order (newest first, then by id). Callers must not change them. */
    planSummaries: sortedPlanSummaries,
    /** Drops a key (or a table) written elsewhere, e.g. by another instance. */
    invalidate,
    /** Drops every table: each is read again on next use (after a store outage). */
    invalidateAll(): void {
      for (const t of Object.values(tables)) t.invalidate();
    },
    /** Told after every invalidation, local or from another instance (open sockets re-check their user). */
    onInvalidate(l: (noun: string, key?: string) => void): () => void {
      invalidated.add(l);
      return () => invalidated.delete(l);
    },
    /** Told of every local write to a cached table (the live channel forwards them to other instances). */
    onLocalWrite(l: (noun: string, key?: string) => void): () => void {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    stop: unsubscribe,
  };
}
export type ReferenceCache = ReturnType<typeof createReferenceCache>;
