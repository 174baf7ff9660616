import { randomBytes } from 'node:crypto';
import {
  CrewPlanBodyModel,
  CrewPlanModel,
  PlanTransitionModel,
  PublishedCrewModel,
} from '../models/crew-plan.model.js';
import type { DroppedCrew, PlanHeadline } from '../../shared/schemas/crew-plan.schema.js';
import { isDuplicateKey } from '../db/store-errors.js';
import { packJson, unpackJsonText, type PackedJson } from '../db/packed-json.js';
import { storeHealth } from '../db/store-health.js';
import { createRepository, notifyWrite, type Filter } from './base.repository.js';

const HIDDEN = { _id: 0, createdAt: 0, updatedAt: 0 } as const;

export type PublishedCrew = {
  plan: string;
  shift: string;
  force: string;
  bcu: string;
  borough: string;
  station: string;
  /** Shift start and end, UTC instants. */
  start: string;
  end: string;
  /** A unit's call sign for the shift, e.g. `BR-N-07`. */
  callSign: string;
  members: string[];
  carriers: { officer: string; device: string }[];
};

/** Published crews: what the control room and the armoury work from on the day. */
export const publishedCrewRepository = {
  async find(filter: Filter): Promise<PublishedCrew[]> {
    return PublishedCrewModel.find(filter, HIDDEN).sort({ shift: 1, callSign: 1 }).lean<PublishedCrew[]>();
  },
  /**
   * Replaces the published crews of the given shifts with those of a newly published plan. Only crews
   * of the same shift id at the same station are replaced: a plan never removes another station's crews.
   */
  async replaceForShifts(shifts: { id: string; station: string }[], crews: PublishedCrew[]): Promise<void> {
    try {
      await storeHealth.write(async () => {
        if (shifts.length)
          await PublishedCrewModel.deleteMany({ $or: shifts.map((s) => ({ shift: s.id, station: s.station })) });
        if (crews.length) await PublishedCrewModel.insertMany(crews);
      });
    } finally {
      notifyWrite('published_crew');
    }
  },
};

/** A crew plan as stored: the scenario it was solved from, the plan, and its life cycle. */
export type CrewPlanRecord = {
  id: string;
  force: string;
  bcu: string;
  borough?: string;
  station?: string;
  unit: { level: 'station' | 'borough' | 'bcu'; id: string };
  from: string;
  to: string;
  status: 'solving' | 'draft' | 'published' | 'superseded' | 'failed' | 'cancelled';
  /** When the solve job was started (by whichever server runs it). */
  startedAt: Date;
  progress: unknown;
  error: { id: string; message: string } | null;
  scenario: unknown;
  plan: unknown;
  locks: unknown[];
  basedOn: string | null;
  createdBy: string;
  publishedBy: string | null;
  publishedAt: Date | null;
  publishReason: string | null;
  supersededBy?: string | null;
  revision: number;
  /** The policy's name, kept beside the scenario so a list need not read the scenario. */
  policyName?: string | null;
  /** The plan's headline figures, kept beside the plan so a list need not read the plan. */
  stats?: PlanHeadline | null;
  /** For an amendment: the first published plan of the chain, and n of "amendment n". */
  amends?: string | null;
  amendment?: number | null;
  /** Locks and previous crews a re-solve or import left out (see DroppedCrewSchema). */
  dropped?: DroppedCrew[];
  /** Hand edits saved on this record: the guard against two planners editing at once (the plan is stored apart). */
  editCount?: number;
};

/** The fields of a plan a list shows: never the scenario or the plan. */
export const SUMMARY_FIELDS = [
  'id',
  'force',
  'bcu',
  'borough',
  'station',
  'unit',
  'from',
  'to',
  'status',
  'startedAt',
  'createdBy',
  'policyName',
  'revision',
  'basedOn',
  'amends',
  'amendment',
  'publishedBy',
  'publishedAt',
  'supersededBy',
  'stats',
  'progress',
  'error',
] as const;
export type CrewPlanSummaryRecord = Pick<CrewPlanRecord, (typeof SUMMARY_FIELDS)[number]>;
const SUMMARY_PROJECTION = Object.fromEntries([['_id', 0], ...SUMMARY_FIELDS.map((f) => [f, 1])]) as Record<
  string,
  0 | 1
>;

/** The noun of plan writes (`notifyWrite`): the summary table and other instances listen for it. */
export const PLAN_NOUN = 'plan';
const base = createRepository<StoredPlan>(CrewPlanModel, 'id', PLAN_NOUN);
/** False once a full scan found every plan keyed by `_id` = id (none of an older store's ObjectIds). */
let legacyIds = true;

/** A list's filter as the summary table can run it: equality on placement fields and status. */
const MEMORY_FILTER_FIELDS = new Set(['force', 'bcu', 'borough', 'station', 'status']);

/**
 * A page of summaries from rows held in memory, with the store's meaning exactly: the equality `filter`
 * (null when it is not one the table can run), sorted newest first by `startedAt`, then by `id`.
 */
export function pageOfSummaries(
  sorted: readonly CrewPlanSummaryRecord[],
  filter: Filter,
  page: number,
  pageSize: number,
): { items: CrewPlanSummaryRecord[]; page: number; pageSize: number; total: number } | null {
  const terms = Object.entries(filter);
  if (terms.some(([k, v]) => !MEMORY_FILTER_FIELDS.has(k) || typeof v !== 'string')) return null;
  const rows = terms.length
    ? sorted.filter((r) => terms.every(([k, v]) => (r as Record<string, unknown>)[k] === v))
    : sorted;
  const start = (page - 1) * pageSize;
  return { items: rows.slice(start, start + pageSize), page, pageSize, total: rows.length };
}

/** The list's order (as `summaries` asks the store): newest `startedAt` first, then `id` ascending. */
export function bySummaryOrder(a: CrewPlanSummaryRecord, b: CrewPlanSummaryRecord): number {
  const d = new Date(b.startedAt).getTime() - new Date(a.startedAt).getTime();
  return d || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
const newBodyVersion = (): string => randomBytes(9).toString('base64url');

/** The large fields, kept in CrewPlanBodyModel (older stores may still hold them inline: the body wins). */
const BIG = ['scenario', 'plan'] as const;
type Big = Pick<CrewPlanRecord, (typeof BIG)[number]>;
const splitBig = <T extends Partial<CrewPlanRecord>>(
  doc: T,
): { small: Omit<T, 'scenario' | 'plan'>; big: Partial<Big> } => {
  const { scenario, plan, ...small } = doc;
  return {
    small,
    big: { ...(scenario !== undefined ? { scenario } : {}), ...(plan !== undefined ? { plan } : {}) },
  };
};

/**
 * Unpacked bodies recently read or written, as JSON text per field, keyed by plan id and tagged with the
 * body's version `v` (new on every write of the body, here or on another instance). A read uses an entry
 * only when the plan document names that very version (`bodyV`), so a stale entry is never served; each
 * read parses its own copy. Bounded in entries and characters; least recently used goes first.
 */
export const bodyCache = {
  maxEntries: 64,
  maxChars: 64 * 1024 * 1024,
  entries: new Map<string, { v: string; text: Partial<Record<BigField, string>> }>(),
  chars: 0,
  size: (e: { text: Partial<Record<BigField, string>> }) => (e.text.scenario?.length ?? 0) + (e.text.plan?.length ?? 0),
  get(id: string, v: string | null | undefined) {
    const e = this.entries.get(id);
    if (!e || !v || e.v !== v) return undefined;
    this.entries.delete(id);
    this.entries.set(id, e);
    return e.text;
  },
  put(id: string, v: string, text: Partial<Record<BigField, string>>) {
    const old = this.entries.get(id);
    const e = { v, text: old?.v === v ? { ...old.text, ...text } : text };
    this.drop(id);
    this.entries.set(id, e);
    this.chars += this.size(e);
    for (const [k] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.chars <= this.maxChars) break;
      this.drop(k);
    }
  },
  drop(id: string) {
    const e = this.entries.get(id);
    if (!e) return;
    this.chars -= this.size(e);
    this.entries.delete(id);
  },
  clear() {
    this.entries.clear();
    this.chars = 0;
  },
};
type BigField = (typeof BIG)[number];

/** Adds the large fields not hidden by `extra` to plan documents read without them. */
async function withBodies(docs: StoredPlan[], extra: Record<string, 0>): Promise<CrewPlanRecord[]> {
  const wanted = BIG.filter((f) => extra[f] !== 0);
  const out = docs.map(({ bodyV: _v, ...d }) => d);
  if (!docs.length || !wanted.length) return out;
  const cached = docs.map((d) => bodyCache.get(d.id, d.bodyV));
  const missing = docs.filter((_, i) => !wanted.every((f) => cached[i]?.[f] !== undefined)).map((d) => d.id);
  const entries: [string, 0 | 1][] = [
    ['_id', 0],
    ['id', 1],
    ['v', 1],
    ...wanted.flatMap((f): [string, 0 | 1][] => [
      [f, 1],
      [`${f}Z`, 1],
    ]),
  ];
  const fields = Object.fromEntries(entries);
  // One read by `_id` each (the only filter FerretDB v1 runs in its store); a body of an older store is
  // found by its `id`.
  const bodies = (
    await Promise.all(
      missing.map(async (id) => {
        const b = await CrewPlanBodyModel.findOne({ _id: id }, fields).lean<StoredBody>();
        return b ?? CrewPlanBodyModel.findOne({ id }, fields).lean<StoredBody>();
      }),
    )
  ).filter((b): b is StoredBody => b !== null);
  const byId = new Map(bodies.map((b) => [b.id, b]));
  return Promise.all(
    out.map(async (d, i) => {
      const b = byId.get(d.id);
      const text: Partial<Record<BigField, string>> = {};
      for (const f of wanted) {
        const hit = cached[i]?.[f];
        const packed = b?.[`${f}Z`];
        if (hit !== undefined) d[f] = JSON.parse(hit);
        else if (packed) {
          text[f] = await unpackJsonText(packed);
          d[f] = JSON.parse(text[f]);
        } else d[f] = b && b[f] !== undefined ? b[f] : (d[f] ?? null);
        dropPaths(d[f], f, extra);
      }
      if (b?.v && Object.keys(text).length) bodyCache.put(d.id, b.v, text);
      return d;
    }),
  );
}

/** A plan document as stored: with the version of its body (see `bodyCache`). */
type StoredPlan = CrewPlanRecord & { bodyV?: string | null };

/** A body as stored: packed (`scenarioZ`, `planZ`), or unpacked in older stores. */
type StoredBody = Partial<Big> & {
  id: string;
  v?: string | null;
  scenarioZ?: PackedJson | null;
  planZ?: PackedJson | null;
};

/** Removes from a large field the parts hidden by dotted keys of `extra` (`'scenario.officers': 0`). */
function dropPaths(value: unknown, field: string, extra: Record<string, 0>): void {
  if (!value || typeof value !== 'object') return;
  for (const key of Object.keys(extra)) {
    if (!key.startsWith(`${field}.`)) continue;
    const path = key.slice(field.length + 1).split('.');
    let at = value as Record<string, unknown> | undefined;
    for (const p of path.slice(0, -1)) at = at?.[p] as Record<string, unknown> | undefined;
    if (at && typeof at === 'object') delete at[path.at(-1)!];
  }
}

/** The stored form of the large fields given: packed, with the unpacked copies (older stores) cleared. */
async function packBody(big: Partial<Big>, v: string): Promise<Record<string, unknown>> {
  const set: Record<string, unknown> = { v };
  for (const f of BIG) {
    if (big[f] === undefined) continue;
    set[`${f}Z`] = await packJson(big[f]);
    set[f] = null;
  }
  return set;
}

async function writeBody(id: string, big: Partial<Big>, v: string): Promise<void> {
  if (!Object.keys(big).length) return;
  bodyCache.drop(id);
  const set = await packBody(big, v);
  await storeHealth.write(() => CrewPlanBodyModel.updateOne({ id }, { $set: set }, { upsert: true }));
}

/**
 * Crew plans. The scenario and plan live in a document of their own (see CrewPlanBodyModel); this
 * repository joins them back, unless hidden (`{ scenario: 0 }`), so callers see one record.
 */
export const crewPlanRepository = {
  key: base.key,
  async get(id: string, extra: Record<string, 0> = {}): Promise<CrewPlanRecord | null> {
    // By `_id` (see CrewPlanModel), then by `id` for a plan of an older store.
    const small = {
      ...HIDDEN,
      ...Object.fromEntries(
        Object.keys(extra)
          .filter((k) => !k.includes('.'))
          .map((k) => [k, 0]),
      ),
    };
    const doc =
      (await CrewPlanModel.findOne({ _id: id }, small).lean<StoredPlan>()) ??
      (await CrewPlanModel.findOne({ id }, small).lean<StoredPlan>());
    return doc ? (await withBodies([doc], extra))[0]! : null;
  },
  async find(filter: Filter, extra: Record<string, 0> = {}): Promise<CrewPlanRecord[]> {
    return withBodies(await base.find(filter, extra), extra);
  },
  async create(doc: CrewPlanRecord): Promise<CrewPlanRecord> {
    await this.insertMany([doc]);
    return (await this.get(doc.id))!;
  },
  async insertMany(docs: CrewPlanRecord[]): Promise<void> {
    if (!docs.length) return;
    const vs = docs.map(() => newBodyVersion());
    const bodies = await Promise.all(
      docs.map(async (d, i) => ({
        _id: d.id,
        id: d.id,
        ...(await packBody({ scenario: d.scenario ?? null, plan: d.plan ?? null }, vs[i]!)),
      })),
    );
    await storeHealth.write(() => CrewPlanBodyModel.insertMany(bodies));
    try {
      await storeHealth.write(() =>
        CrewPlanModel.insertMany(
          docs.map((d, i) => ({ _id: d.id, ...splitBig(d).small, scenario: null, plan: null, bodyV: vs[i] })),
          { ordered: true },
        ),
      );
    } finally {
      // Per plan (a summary table reads just those again); a bulk load drops the table instead.
      if (docs.length <= 100) for (const d of docs) notifyWrite(PLAN_NOUN, d.id);
      else notifyWrite(PLAN_NOUN);
    }
  },
  /**
   * `$set` where the plan still matches `guard`. Unguarded, the large fields are written first (a reader
   * never sees a new status without its plan); guarded, only once the guard matched.
   */
  async update(id: string, set: Partial<CrewPlanRecord>, guard: Filter = {}): Promise<CrewPlanRecord | null> {
    const { small, big } = splitBig(set);
    const guarded = Object.keys(guard).length > 0;
    const v = newBodyVersion();
    if (!guarded) await writeBody(id, big, v);
    // Inline copies (older stores) of what the body now holds are cleared.
    const cleared = Object.fromEntries(Object.keys(big).map((f) => [f, null]));
    const bodyV = Object.keys(big).length ? { bodyV: v } : {};
    const doc = await base.update(id, { ...small, ...cleared, ...bodyV }, guard);
    if (!doc) return null;
    if (guarded) await writeBody(id, big, v);
    return (await withBodies([doc], {}))[0]!;
  },
  async remove(id: string): Promise<boolean> {
    bodyCache.drop(id);
    await storeHealth.write(() => CrewPlanBodyModel.deleteOne({ id }));
    return base.remove(id);
  },
  async count(filter: Filter): Promise<number> {
    return base.count(filter);
  },
  /** A page of plans with only the summary fields: the store never sends the scenario or the plan. */
  async summaries(
    filter: Filter,
    page: number,
    pageSize: number,
  ): Promise<{ items: CrewPlanSummaryRecord[]; page: number; pageSize: number; total: number }> {
    const [items, total] = await Promise.all([
      CrewPlanModel.find(filter, SUMMARY_PROJECTION)
        .sort({ startedAt: -1, id: 1 })
        .skip((page - 1) * pageSize)
        .limit(pageSize)
        .lean<CrewPlanSummaryRecord[]>(),
      CrewPlanModel.countDocuments(filter),
    ]);
    return { items, page, pageSize, total };
  },
  /** Writes a solve's progress while the plan is still solving; false when it no longer is (cancelled). */
  async setProgress(id: string, progress: unknown): Promise<boolean> {
    try {
      const r = await storeHealth.write(() =>
        CrewPlanModel.updateOne({ id, status: 'solving' }, { $set: { progress } }),
      );
      return r.matchedCount === 1;
    } finally {
      notifyWrite(PLAN_NOUN, id);
    }
  },
  /**
   * Every plan's summary fields, in one scan (no body): what the in-memory summary table loads
   * (reference-cache.ts `planSummaries`).
   */
  async allSummaries(): Promise<CrewPlanSummaryRecord[]> {
    const docs = await CrewPlanModel.find({}, { ...SUMMARY_PROJECTION, _id: 1 }).lean<
      (CrewPlanSummaryRecord & { _id?: unknown })[]
    >();
    legacyIds = docs.some((d) => d._id !== d.id);
    return docs.map(({ _id: _i, ...d }) => d);
  },
  /** One plan's summary fields, by `_id` (by `id` only while the store may hold plans of an older version). */
  async summary(id: string): Promise<CrewPlanSummaryRecord | null> {
    const one = await CrewPlanModel.findOne({ _id: id }, SUMMARY_PROJECTION).lean<CrewPlanSummaryRecord>();
    if (one || !legacyIds) return one;
    return CrewPlanModel.findOne({ id }, SUMMARY_PROJECTION).lean<CrewPlanSummaryRecord>();
  },
  /** The highest amendment number of a published plan chain so far (0: none); re-solves share their n. */
  async amendmentsOf(root: string): Promise<number> {
    const docs = await CrewPlanModel.find({ amends: root }, { _id: 0, amendment: 1 }).lean<
      { amendment?: number | null }[]
    >();
    return docs.reduce((n, d) => Math.max(n, d.amendment ?? 0), 0);
  },
};

/** True for exactly one caller per plan and status: the right to move the plan out of `from`. */
export async function claimPlanTransition(plan: string, from: string, by: string): Promise<boolean> {
  const _id = `${plan}:${from}`;
  const at = new Date();
  return storeHealth.write(
    async () => {
      try {
        await PlanTransitionModel.create({ _id, at, by });
        return true;
      } catch (e) {
        if (isDuplicateKey(e)) return false;
        throw e;
      }
    },
    // Outcome unknown: undone at recovery if the stored claim is this very one.
    { what: `plan transition ${_id}`, run: () => PlanTransitionModel.deleteOne({ _id, at, by }).then(() => undefined) },
  );
}

/** Gives back a claim this actor made (a publish that could not go on), so the transition can be tried again. */
export async function releasePlanTransition(plan: string, from: string, by: string): Promise<void> {
  const _id = `${plan}:${from}`;
  await storeHealth.write(() => PlanTransitionModel.deleteOne({ _id, by }).then(() => undefined));
}
