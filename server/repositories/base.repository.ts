import type { Model } from 'mongoose';
import type { Page } from '../../shared/schemas/common.schema.js';
import { isDuplicateKey } from '../db/store-errors.js';
import { storeHealth } from '../db/store-health.js';
import { ConflictError } from '../errors.js';

/** Fields mongoose adds that never leave the repository layer. */
const HIDDEN = { _id: 0, createdAt: 0, updatedAt: 0 } as const;

/** A plain copy without the fields that never leave the repository layer. */
export function withoutHidden<T extends object>(
  doc: T & { _id?: unknown; createdAt?: unknown; updatedAt?: unknown },
): T {
  const { _id: _i, createdAt: _c, updatedAt: _u, ...rest } = doc;
  return rest as T;
}

/** A canonical JSON text (keys sorted), to compare a stored document with the one a write sent. */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x) && !(x instanceof Date)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : x,
  );

export type Filter = Record<string, unknown>;

/** `text` as a literal inside a regular expression: every metacharacter escaped. */
export const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The filter for a text search: any of `fields` contains `text`, case-insensitively. The text is matched
 * literally (escaped) and only ever placed as a regex value, so it can never become a query operator.
 */
export function textSearch(fields: readonly string[], text: string | undefined): Filter {
  const t = text?.trim();
  if (!t || !fields.length) return {};
  const pattern = escapeRegex(t);
  return { $or: fields.map((f) => ({ [f]: { $regex: pattern, $options: 'i' } })) };
}

/** Told after every write through a repository: the noun and key written (no key: many at once). */
export type WriteListener = (noun: string, key?: string) => void;
const writeListeners = new Set<WriteListener>();

/** Subscribes to repository writes (caches of reference data invalidate on them); returns an unsubscribe. */
export function onRepositoryWrite(l: WriteListener): () => void {
  writeListeners.add(l);
  return () => writeListeners.delete(l);
}

/** Tells every write listener that `noun` (`key`, or many) changed in the store. */
export function notifyWrite(noun: string, key?: string): void {
  for (const l of writeListeners) l(noun, key);
}

/** A repository over one mongoose model keyed by a natural unique field; returns plain objects. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- mongoose's document type is not the plain type T
export function createRepository<T extends object>(model: Model<any>, key: keyof T & string, noun: string) {
  const conflict = (value: unknown) =>
    new ConflictError(`A ${noun} with ${key} ${String(value)} already exists.`, `${noun}_exists`);
  return {
    key,
    /** A page of records; `hide` leaves large fields out, `sort` defaults to the key. */
    async list(
      filter: Filter,
      page: number,
      pageSize: number,
      opts: { hide?: Record<string, 0>; sort?: Record<string, 1 | -1> } = {},
    ): Promise<Page<T>> {
      const [items, total] = await Promise.all([
        model
          .find(filter, { ...HIDDEN, ...opts.hide })
          .sort(opts.sort ?? { [key]: 1 })
          .skip((page - 1) * pageSize)
          .limit(pageSize)
          .lean<T[]>(),
        model.countDocuments(filter),
      ]);
      return { items, page, pageSize, total };
    },
    async find(filter: Filter, extra: Record<string, 0> = {}): Promise<T[]> {
      return model
        .find(filter, { ...HIDDEN, ...extra })
        .sort({ [key]: 1 })
        .lean<T[]>();
    },
    async get(value: string, extra: Record<string, 0> = {}): Promise<T | null> {
      return model.findOne({ [key]: value }, { ...HIDDEN, ...extra }).lean<T>();
    },
    /**
     * Inserts one record. Every write goes through `storeHealth.write`: refused while the store is down, and
     * any store failure is a 503 `store_unavailable`. A create whose outcome is unknown is undone at recovery
     * (deleted if the stored document is still exactly the one sent).
     */
    async create(doc: T): Promise<T> {
      const value = (doc as Record<string, unknown>)[key];
      await storeHealth.write(
        async () => {
          try {
            await model.create(doc);
          } catch (e) {
            if (isDuplicateKey(e)) throw conflict(value);
            throw e;
          }
        },
        {
          what: `${noun} ${String(value)}`,
          run: async () => {
            const stored = await model.findOne({ [key]: value }, HIDDEN).lean<Record<string, unknown>>();
            const sent = doc as Record<string, unknown>;
            if (stored && Object.keys(sent).every((k) => canonical(stored[k]) === canonical(sent[k])))
              await model.deleteOne({ [key]: value });
            notifyWrite(noun, String(value));
          },
        },
      );
      notifyWrite(noun, String(value));
      return (await this.get(String(value))) as T;
    },
    async insertMany(docs: T[]): Promise<void> {
      if (docs.length) await storeHealth.write(() => model.insertMany(docs, { ordered: true }));
      notifyWrite(noun);
    },
    /**
     * Applies `$set` only where the document still matches `guard`: one atomic conditional write. An update
     * whose outcome is unknown is undone at recovery: the fields it set are put back to what they were just
     * before it, if they differ from that now (it landed); otherwise nothing is done (it did not).
     */
    async update(value: string, set: Partial<T>, guard: Filter = {}): Promise<T | null> {
      const fields = Object.keys(set);
      const before = await model.findOne({ [key]: value }, HIDDEN).lean<Record<string, unknown>>();
      try {
        // FerretDB v1 does not implement projections on findAndModify: strip the hidden fields here.
        const doc = await storeHealth.write(
          async () => {
            try {
              return await model
                .findOneAndUpdate({ ...guard, [key]: value }, { $set: set }, { returnDocument: 'after' })
                .lean<T & { _id?: unknown; createdAt?: unknown; updatedAt?: unknown }>();
            } catch (e) {
              if (isDuplicateKey(e)) throw conflict(value);
              throw e;
            }
          },
          before
            ? {
                what: `${noun} ${value} update`,
                run: async () => {
                  const now = await model.findOne({ [key]: value }, HIDDEN).lean<Record<string, unknown>>();
                  if (!now || fields.every((k) => canonical(now[k]) === canonical(before[k]))) return;
                  const back: Record<string, unknown> = {};
                  const gone: Record<string, ''> = {};
                  for (const k of fields)
                    if (before[k] === undefined) gone[k] = '';
                    else back[k] = before[k];
                  await model.collection.updateOne(
                    { [key]: value },
                    {
                      ...(Object.keys(back).length ? { $set: back } : {}),
                      ...(Object.keys(gone).length ? { $unset: gone } : {}),
                    },
                  );
                  notifyWrite(noun, value);
                },
              }
            : undefined,
        );
        return doc ? withoutHidden(doc) : null;
      } finally {
        notifyWrite(noun, value);
      }
    },
    /** Deletes one record. A delete whose outcome is unknown is undone at recovery (the record put back if gone). */
    async remove(value: string): Promise<boolean> {
      const before = await model.collection.findOne({ [key]: value });
      try {
        const r = await storeHealth.write(
          () => model.deleteOne({ [key]: value }),
          before
            ? {
                what: `${noun} ${value} delete`,
                run: async () => {
                  if (!(await model.collection.findOne({ [key]: value }))) await model.collection.insertOne(before);
                  notifyWrite(noun, value);
                },
              }
            : undefined,
        );
        return r.deletedCount === 1;
      } finally {
        notifyWrite(noun, value);
      }
    },
    async count(filter: Filter): Promise<number> {
      return model.countDocuments(filter);
    },
  };
}
export type Repository<T extends object> = ReturnType<typeof createRepository<T>>;
