import type { Resource } from '../../shared/auth/permissions.js';
import type { Page, PageQuery, Placement } from '../../shared/schemas/common.schema.js';
import type { Actor } from '../../shared/schemas/user.schema.js';
import { NotFoundError } from '../errors.js';
import { textSearch, type Filter, type Repository } from '../repositories/base.repository.js';
import { requireRole, requireScope, scopedFilter, type OrgRepositories } from './access.js';

type Hooks<T, In, Patch> = {
  /** The force structure, to check the units a list filter names against the actor's scope. */
  org: OrgRepositories;
  /** Turns validated input into the stored record (placement, defaults, cross-checks). */
  toRecord: (actor: Actor, input: In) => Promise<T>;
  /** Applies a validated patch to the current record, re-deriving anything that depends on it. */
  applyPatch: (actor: Actor, current: T, patch: Patch) => Promise<Partial<T>>;
  /** Refuses a delete that would leave dangling references. */
  beforeRemove?: (current: T) => Promise<void>;
  /** The fields a list's `q` searches (name and id fields). */
  search: readonly (keyof T & string)[];
  /** The list order; the key by default. */
  sort?: Partial<Record<keyof T & string, 1 | -1>>;
  /** Where a record sits, for scope checks, when it does not carry its own placement (a station is its own). */
  placeOf?: (record: T) => Partial<Placement>;
  /** Turns a scoped placement filter into this collection's fields. */
  filterOf?: (filter: Filter) => Filter;
};

/** Scoped CRUD for one resource: role checks, scope checks, not-found handling, in one place. */
export function createResourceService<T extends Partial<Placement> & object, In, Patch>(
  resource: Resource,
  noun: string,
  repo: Repository<T>,
  hooks: Hooks<T, In, Patch>,
) {
  const place = hooks.placeOf ?? ((r: T): Partial<Placement> => r);
  const load = async (actor: Actor, key: string): Promise<T> => {
    const found = await repo.get(key);
    if (!found) throw new NotFoundError(`There is no ${noun} ${key}.`, `${noun}_not_found`);
    requireScope(actor, place(found));
    return found;
  };
  return {
    async list(actor: Actor, q: PageQuery, extra: Record<string, unknown> = {}): Promise<Page<T>> {
      requireRole(actor, resource, 'read');
      const { page, pageSize, q: text, ...where } = q;
      const scoped = await scopedFilter(hooks.org, actor, where);
      return repo.list(
        { ...extra, ...(hooks.filterOf ? hooks.filterOf(scoped) : scoped), ...textSearch(hooks.search, text) },
        page,
        pageSize,
        hooks.sort ? { sort: hooks.sort as Record<string, 1 | -1> } : {},
      );
    },
    async get(actor: Actor, key: string): Promise<T> {
      requireRole(actor, resource, 'read');
      return load(actor, key);
    },
    async create(actor: Actor, input: In): Promise<T> {
      requireRole(actor, resource, 'write');
      const record = await hooks.toRecord(actor, input);
      requireScope(actor, place(record));
      return repo.create(record);
    },
    async update(actor: Actor, key: string, patch: Patch): Promise<T> {
      requireRole(actor, resource, 'write');
      const current = await load(actor, key);
      const set = await hooks.applyPatch(actor, current, patch);
      requireScope(actor, place({ ...current, ...set }));
      const updated = await repo.update(key, set);
      if (!updated) throw new NotFoundError(`There is no ${noun} ${key}.`, `${noun}_not_found`);
      return updated;
    },
    async remove(actor: Actor, key: string): Promise<void> {
      requireRole(actor, resource, 'write');
      const current = await load(actor, key);
      await hooks.beforeRemove?.(current);
      await repo.remove(key);
    },
  };
}
export type ResourceService<T extends object, In, Patch> = {
  list(actor: Actor, q: PageQuery, extra?: Record<string, unknown>): Promise<Page<T>>;
  get(actor: Actor, key: string): Promise<T>;
  create(actor: Actor, input: In): Promise<T>;
  update(actor: Actor, key: string, patch: Patch): Promise<T>;
  remove(actor: Actor, key: string): Promise<void>;
};
