import type { Model } from 'mongoose';
import type { Page } from '../../shared/schemas/common.schema.js';
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

const isDuplicateKey = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 11000;

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
    async create(doc: T): Promise<T> {
      try {
        await model.create(doc);
      } catch (e) {
        if (isDuplicateKey(e)) throw conflict((doc as Record<string, unknown>)[key]);
        throw e;
      }
      notifyWrite(noun, String((doc as Record<string, unknown>)[key]));
      return (await this.get(String((doc as Record<string, unknown>)[key]))) as T;
    },
    async insertMany(docs: T[]): Promise<void> {
      if (docs.length) await model.insertMany(docs, { ordered: true });
      notifyWrite(noun);
    },
    /** Applies `$set` only where the document still matches `guard`: one atomic conditional write. */
    async update(value: string, set: Partial<T>, guard: Filter = {}): Promise<T | null> {
      try {
        // FerretDB v1 does not implement projections on findAndModify: strip the hidden fields here.
        const doc = await model
          .findOneAndUpdate({ ...guard, [key]: value }, { $set: set }, { returnDocument: 'after' })
          .lean<T & { _id?: unknown; createdAt?: unknown; updatedAt?: unknown }>();
        notifyWrite(noun, value);
        return doc ? withoutHidden(doc) : null;
      } catch (e) {
        notifyWrite(noun, value);
        if (isDuplicateKey(e)) throw conflict(value);
        throw e;
      }
    },
    async remove(value: string): Promise<boolean> {
      const r = await model.deleteOne({ [key]: value });
      notifyWrite(noun, value);
      return r.deletedCount === 1;
    },
    async count(filter: Filter): Promise<number> {
      return model.countDocuments(filter);
    },
  };
}
export type Repository<T extends object> = ReturnType<typeof createRepository<T>>;
