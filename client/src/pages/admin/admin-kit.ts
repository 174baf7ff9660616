import { html, nothing, type TemplateResult } from 'lit-html';
import { ifDefined } from 'lit-html/directives/if-defined.js';
import { keyed } from 'lit-html/directives/keyed.js';
import { recordTable } from '../../tables.js';
import { can, type Action, type Resource } from '../../../../shared/auth/permissions.js';
import type { Page as ListPage } from '../../../../shared/schemas/common.schema.js';
import { api, ApiError, errorText, isAbort, session } from '../../api.js';
import { plural } from '../../format.js';
import type { PageContext } from '../../page.js';
import { tabNav } from '../../tabs.js';

/** The reference-data screens: one top-bar entry, these tabs inside it (each shown when `can()` allows). */
export const ADMIN_TABS = [
  { path: 'officers', title: 'Officers', resource: 'officers', action: 'read' },
  { path: 'devices', title: 'Devices', resource: 'devices', action: 'read' },
  { path: 'teams', title: 'Teams and rotas', resource: 'teams', action: 'read' },
  { path: 'abstractions', title: 'Abstractions', resource: 'abstractions', action: 'read' },
  { path: 'users', title: 'Users', resource: 'users', action: 'read' },
  { path: 'settings', title: 'Force settings', resource: 'force_settings', action: 'write' },
] as const satisfies readonly { path: string; title: string; resource: Resource; action: Action }[];
export type AdminPath = (typeof ADMIN_TABS)[number]['path'];

/** True when the logged-in user's role may `action` the `resource` (shared/auth/permissions.ts). */
export const userCan = (resource: Resource, action: Action): boolean => {
  const u = session.user();
  return !!u && can(u.role, resource, action);
};

/** The sub-navigation of the reference-data screens, with `current` marked. */
export const adminTabs = (current: AdminPath): TemplateResult => tabNav('Reference data', ADMIN_TABS, current);

/** A form's refusal: messages against named fields, and what belongs to no field at the top. */
export type FormErrors = { top: string; fields: Record<string, string> };
export const noErrors = (): FormErrors => ({ top: '', fields: {} });

type Issue = { path: string; message: string };

/** The field-level issues of an API error: zod's `details.issues` from validation, or a service's `details.path`. */
function issuesOf(e: ApiError): Issue[] {
  const d = e.details as { issues?: unknown; path?: unknown } | undefined;
  if (d && Array.isArray(d.issues))
    return d.issues.filter(
      (i): i is Issue =>
        typeof i === 'object' &&
        i !== null &&
        typeof (i as Issue).path === 'string' &&
        typeof (i as Issue).message === 'string',
    );
  if (d && typeof d.path === 'string') return [{ path: d.path, message: e.message }];
  return [];
}

/**
 * Maps an API refusal onto a form: each issue goes to the input named by its zod path (or the nearest
 * enclosing one, so `taser.models.0` lands on `taser.models`); anything else is shown at the top.
 */
export function formErrors(e: unknown, fieldNames: readonly string[], keyField?: string): FormErrors {
  const out = noErrors();
  if (!(e instanceof ApiError)) {
    out.top = errorText(e);
    return out;
  }
  // A duplicate (`officer_exists`, `user_exists`…) is about the record's key, e.g. the collar number typed.
  const issues =
    keyField && e.status === 409 && e.id.endsWith('_exists') ? [{ path: keyField, message: e.message }] : issuesOf(e);
  let unplaced = issues.length === 0;
  for (const i of issues) {
    const parts = i.path.split('.');
    let name: string | undefined;
    for (let n = parts.length; n > 0 && !name; n--) {
      const candidate = parts.slice(0, n).join('.');
      if (fieldNames.includes(candidate)) name = candidate;
    }
    if (!name) {
      unplaced = true;
      continue;
    }
    out.fields[name] = out.fields[name] ? `${out.fields[name]}; ${i.message}` : i.message;
  }
  out.top = unplaced ? errorText(e) : 'Please correct the fields marked below.';
  return out;
}

const errId = (form: string, name: string) => `${form}-${name.replace(/\./g, '-')}-error`;

/** A field's error line, tied to its input by `aria-describedby`. */
const errorLine = (form: string, errors: FormErrors, name: string) =>
  errors.fields[name]
    ? html`<span class="field-error" id=${errId(form, name)} data-error-for=${name}>${errors.fields[name]}</span>`
    : nothing;

const described = (form: string, errors: FormErrors, name: string) =>
  errors.fields[name] ? errId(form, name) : undefined;

type InputOpts = {
  type?: string;
  required?: boolean;
  disabled?: boolean;
  placeholder?: string;
  autocomplete?: string;
  min?: number;
  max?: number;
  hint?: string;
};

/** A labelled input whose API error is shown under it. */
export function textField(
  form: string,
  errors: FormErrors,
  name: string,
  label: string,
  value: string | number | undefined,
  o: InputOpts = {},
): TemplateResult {
  return html`<label class="field"
    >${label}${o.hint ? html` <span class="muted">${o.hint}</span>` : nothing}
    <input
      name=${name}
      type=${o.type ?? 'text'}
      value=${value ?? ''}
      ?required=${o.required ?? false}
      ?disabled=${o.disabled ?? false}
      placeholder=${ifDefined(o.placeholder)}
      autocomplete=${o.autocomplete ?? 'off'}
      min=${ifDefined(o.min)}
      max=${ifDefined(o.max)}
      aria-invalid=${errors.fields[name] ? 'true' : 'false'}
      aria-describedby=${ifDefined(described(form, errors, name))}
    />${errorLine(form, errors, name)}</label
  >`;
}

/** A labelled select; options are `[value, label]`, optionally grouped. */
export function selectField(
  form: string,
  errors: FormErrors,
  name: string,
  label: string,
  options:
    | readonly (readonly [string, string])[]
    | readonly { group: string; options: readonly (readonly [string, string])[] }[],
  value: string | undefined,
  o: { disabled?: boolean; onChange?: (v: string) => void } = {},
): TemplateResult {
  const opt = ([v, l]: readonly [string, string]) => html`<option value=${v} ?selected=${v === value}>${l}</option>`;
  return html`<label class="field"
    >${label}
    <select
      name=${name}
      ?disabled=${o.disabled ?? false}
      aria-invalid=${errors.fields[name] ? 'true' : 'false'}
      aria-describedby=${ifDefined(described(form, errors, name))}
      @change=${(ev: Event) => o.onChange?.((ev.currentTarget as HTMLSelectElement).value)}
    >
      ${options.map((x) => ('group' in x ? html`<optgroup label=${x.group}>${x.options.map(opt)}</optgroup>` : opt(x)))}
    </select>
    ${errorLine(form, errors, name)}</label
  >`;
}

/** One checkbox (sent as present or absent). */
export function checkField(
  form: string,
  errors: FormErrors,
  name: string,
  label: string,
  checked: boolean,
  o: { onChange?: (v: boolean) => void } = {},
): TemplateResult {
  return html`<label class="check"
    ><input
      type="checkbox"
      name=${name}
      ?checked=${checked}
      aria-invalid=${errors.fields[name] ? 'true' : 'false'}
      aria-describedby=${ifDefined(described(form, errors, name))}
      @change=${(ev: Event) => o.onChange?.((ev.currentTarget as HTMLInputElement).checked)}
    />
    ${label}${errorLine(form, errors, name)}</label
  >`;
}

/** A group of checkboxes sharing a name (a list value), under a legend, with the list's error. */
export function checkGroup(
  form: string,
  errors: FormErrors,
  name: string,
  legend: string,
  options: readonly (readonly [string, string])[],
  selected: readonly string[],
): TemplateResult {
  return html`<fieldset
    class="check-group"
    aria-invalid=${errors.fields[name] ? 'true' : 'false'}
    aria-describedby=${ifDefined(described(form, errors, name))}
  >
    <legend>${legend}</legend>
    ${options.map(
      ([v, l]) =>
        html`<label class="check"
          ><input type="checkbox" name=${name} value=${v} ?checked=${selected.includes(v)} /> ${l}</label
        >`,
    )}
    ${errorLine(form, errors, name)}
  </fieldset>`;
}

/** The message at the top of a form: what belongs to no field, or a pointer to the fields below. */
export const formTop = (errors: FormErrors): TemplateResult =>
  html`<p class="error form-top" role="alert">${errors.top}</p>`;

/** Reading a submitted form. */
export const read = (fd: FormData) => ({
  str: (name: string): string => ((fd.get(name) as string | null) ?? '').trim(),
  /** The text, or undefined when empty (so the API names a missing field rather than a bad value). */
  opt: (name: string): string | undefined => ((fd.get(name) as string | null) ?? '').trim() || undefined,
  num: (name: string): number | undefined => {
    const v = ((fd.get(name) as string | null) ?? '').trim();
    return v === '' ? undefined : Number(v);
  },
  bool: (name: string): boolean => fd.get(name) !== null,
  all: (name: string): string[] => fd.getAll(name).map(String),
});
export type FormReader = ReturnType<typeof read>;

/** A paged, searchable list read from the API, e.g. `/officers`. */
export type ListState<T> = {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
  q: string;
  status: string;
  failed: boolean;
  reload: () => void;
  search: (q: string) => void;
  go: (page: number) => void;
};

/**
 * Keeps a list page in step with its search and page; late answers to superseded requests are dropped. `q` is
 * the first search (a route's `?q=`), `onLoad` hears each page of items that arrives.
 */
export function listState<T>(
  ctx: PageContext,
  path: string,
  noun: string,
  opts: { q?: string | null; pageSize?: number; onLoad?: (items: T[]) => void } = {},
): ListState<T> {
  let seq = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  ctx.onDispose(() => clearTimeout(timer));
  const s: ListState<T> = {
    items: [],
    total: 0,
    page: 1,
    pageSize: opts.pageSize ?? 25,
    q: opts.q ?? '',
    status: 'Loading…',
    failed: false,
    reload: () => {
      const mine = ++seq;
      const params = new URLSearchParams({ page: String(s.page), pageSize: String(s.pageSize) });
      if (s.q.trim()) params.set('q', s.q.trim());
      api<ListPage<T>>('GET', `${path}?${params.toString()}`, undefined, ctx.signal).then(
        (r) => {
          if (mine !== seq) return;
          s.items = r.items;
          s.total = r.total;
          s.failed = false;
          opts.onLoad?.(r.items);
          s.status = s.q.trim()
            ? `${plural(r.total, noun)} matching “${s.q.trim()}”`
            : `${plural(r.total, noun)} in your scope`;
          ctx.update();
        },
        (e: unknown) => {
          if (isAbort(e) || mine !== seq) return;
          s.failed = true;
          s.status = errorText(e);
          ctx.update();
        },
      );
    },
    search: (q) => {
      s.q = q;
      s.page = 1;
      clearTimeout(timer);
      timer = setTimeout(s.reload, 250);
    },
    go: (page) => {
      s.page = page;
      s.reload();
    },
  };
  return s;
}

/** Follows a route's `?q=` (`#/officers?q=PC1234`) when the hash changes while the list is shown. */
export const followQuery =
  <T>(s: ListState<T>) =>
  (params: URLSearchParams): void => {
    s.q = params.get('q') ?? '';
    s.page = 1;
    s.reload();
  };

/** The search box and status line of a list. */
export const searchBox = <T>(s: ListState<T>, label: string, id: string): TemplateResult =>
  html`<div class="toolbar">
      <label class="search"
        >${label}
        <input
          type="search"
          id=${id}
          .value=${s.q}
          @input=${(ev: Event) => s.search((ev.currentTarget as HTMLInputElement).value)}
          autocomplete="off"
      /></label>
    </div>
    <p class=${s.failed ? 'error' : 'muted'} role="status">${s.status}</p>`;

/** Previous / next paging under a list. */
export function pager<T>(s: ListState<T>, label: string): TemplateResult {
  const pages = Math.max(1, Math.ceil(s.total / s.pageSize));
  if (pages <= 1) return html``;
  return html`<nav class="pager" aria-label=${`${label} pages`}>
    <button class="secondary" ?disabled=${s.page <= 1} @click=${() => s.go(s.page - 1)}>Previous</button>
    <span>Page ${s.page} of ${pages}</span>
    <button class="secondary" ?disabled=${s.page >= pages} @click=${() => s.go(s.page + 1)}>Next</button>
  </nav>`;
}

/** The state of an open create/edit form: which record (none: creating), its errors, and a key that renews it. */
export type EditState<T> = {
  open: boolean;
  editing: T | null;
  key: number;
  errors: FormErrors;
  busy: boolean;
  confirmDelete: boolean;
};
export const closedEdit = <T>(): EditState<T> => ({
  open: false,
  editing: null,
  key: 0,
  errors: noErrors(),
  busy: false,
  confirmDelete: false,
});

/** Opens a fresh form (a new key, so inputs start from the record, not from the last form's typing). */
export function openEdit<T>(e: EditState<T>, record: T | null): void {
  e.open = true;
  e.editing = record;
  e.key += 1;
  e.errors = noErrors();
  e.busy = false;
  e.confirmDelete = false;
}

/**
 * Runs a form's request: shows busy, maps a refusal onto the form's fields (a duplicate onto `keyField`), and on
 * success closes the form and calls `done`.
 */
export function submitWith<T, R>(
  ctx: PageContext,
  e: EditState<T>,
  fieldNames: readonly string[],
  request: () => Promise<R>,
  done: (r: R) => void,
  keyField?: string,
): void {
  e.busy = true;
  e.errors = noErrors();
  ctx.update();
  request().then(
    (r) => {
      e.busy = false;
      e.open = false;
      done(r);
      ctx.update();
    },
    (err: unknown) => {
      if (isAbort(err)) return;
      e.busy = false;
      e.errors = formErrors(err, fieldNames, keyField);
      ctx.update();
      queueMicrotask(() => {
        document.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      });
    },
  );
}

/** Save, cancel and (with a confirmation step) delete for a create/edit form. */
export function formButtons<T>(
  ctx: PageContext,
  e: EditState<T>,
  o: { saveLabel: string; onDelete?: () => void },
): TemplateResult {
  return html`<div class="form-buttons">
    <button type="submit" ?disabled=${e.busy}>${o.saveLabel}</button>
    <button
      type="button"
      class="secondary"
      @click=${() => {
        e.open = false;
        ctx.update();
      }}
    >
      Cancel
    </button>
    ${
      o.onDelete
        ? e.confirmDelete
          ? html`<button type="button" class="danger" ?disabled=${e.busy} @click=${o.onDelete}>Confirm delete</button>`
          : html`<button
              type="button"
              class="secondary"
              @click=${() => {
                e.confirmDelete = true;
                ctx.update();
              }}
            >
              Delete…
            </button>`
        : nothing
    }
  </div>`;
}

/** A short-lived success line under a list's heading. */
export const notice = (text: string): TemplateResult => html`<p class="good notice" role="status">${text}</p>`;

/** A multi-line text input whose API error is shown under it. */
export function textAreaField(
  form: string,
  errors: FormErrors,
  name: string,
  label: string,
  value: string | undefined,
  o: { rows?: number; maxlength?: number } = {},
): TemplateResult {
  return html`<label class="field"
    >${label}
    <textarea
      name=${name}
      rows=${ifDefined(o.rows)}
      maxlength=${ifDefined(o.maxlength)}
      aria-invalid=${errors.fields[name] ? 'true' : 'false'}
      aria-describedby=${ifDefined(described(form, errors, name))}
      .value=${value ?? ''}
    ></textarea
    >${errorLine(form, errors, name)}</label
  >`;
}

type FieldArgs<F> = F extends (form: string, errors: FormErrors, ...rest: infer R) => TemplateResult ? R : never;

/** The field helpers bound to one form and its current errors: `f.text('name', 'Name', value)`. */
export const fieldsOf = (form: string, errors: FormErrors) => ({
  text: (...a: FieldArgs<typeof textField>) => textField(form, errors, ...a),
  textArea: (...a: FieldArgs<typeof textAreaField>) => textAreaField(form, errors, ...a),
  select: (...a: FieldArgs<typeof selectField>) => selectField(form, errors, ...a),
  check: (...a: FieldArgs<typeof checkField>) => checkField(form, errors, ...a),
  group: (...a: FieldArgs<typeof checkGroup>) => checkGroup(form, errors, ...a),
});
export type Fields = ReturnType<typeof fieldsOf>;

/** Reads `path` for the page: `apply` takes the answer, and the page re-renders (after a failure too). */
export const loadInto = <R>(ctx: PageContext, path: string, apply: (r: R) => void): Promise<void> =>
  api<R>('GET', path, undefined, ctx.signal).then(
    (r) => {
      apply(r);
      ctx.update();
    },
    (e: unknown) => {
      if (!isAbort(e)) ctx.update();
    },
  );

/** `[id, 'id name']` select options for records such as stations. */
export const idNameOptions = (items: readonly { id: string; name: string }[]): (readonly [string, string])[] =>
  items.map((s) => [s.id, `${s.id} ${s.name}`] as const);

/** The line under a list's heading saying what was last done (shared by the screen's forms). */
export type DoneLine = { text: string };

type FormOpts = { heading: string; saveLabel: string; onSubmit: (f: FormReader) => void; deletable?: boolean };

/** A record's create/edit form and its requests (a fresh form per record; see `EditState`). */
export type RecordEditor<T> = EditState<T> & {
  /** The record's id (its row's key, and the last part of its path). */
  idOf: (r: T) => string;
  /** Whether the user may write: the New button, the Edit cells and the Actions column. */
  mayWrite: boolean;
  /** What was last done, shown under the heading. */
  done: DoneLine;
  /** Opens the form on `record` (null: a new one) and clears the last-done line. */
  show: (record: T | null) => void;
  /** Creates (POST to the collection) or saves (PATCH the open record) with `body`. */
  save: (body: unknown) => void;
  /** Deletes the open record. */
  remove: () => void;
  /** The field helpers of the form, with its current errors. */
  fields: () => Fields;
  /** The form: heading, top message, `grid` of inputs, `extra` below it, save/cancel/delete. */
  form: (o: FormOpts, grid: TemplateResult, extra?: TemplateResult) => TemplateResult;
  /** The form (from `render`) while open, renewed per record. */
  view: (render: () => TemplateResult) => unknown;
  /** The **New …** button above the list, shown to writers while no form is open. */
  newButton: (id: string, label: string) => TemplateResult | typeof nothing;
  /** A row's Edit button cell, shown to writers. */
  editCell: (record: T, ariaLabel: string) => TemplateResult | typeof nothing;
  /** The table of `items` with the Actions column when the user may write. */
  table: (
    items: readonly T[],
    o: { id: string; headers: readonly string[]; row: (r: T) => TemplateResult },
  ) => TemplateResult;
};

/**
 * The create/edit/delete side of a reference-data screen. A record lives at `collection/idOf(r)`; `name(r)` words
 * the last-done line ("Created PC1234 Ann Smith.", "Deleted …") unless `savedText`/`deletedText` say otherwise;
 * `after` runs after each successful write. Forms of one screen share its `done` line.
 */
export function recordEditor<T>(
  ctx: PageContext,
  o: {
    form: string;
    fields: readonly string[];
    keyField?: string;
    collection: string;
    idOf: (r: T) => string;
    mayWrite: boolean;
    done?: DoneLine;
    after: () => void;
    name?: (r: T) => string;
    savedText?: (saved: T, created: boolean) => string;
    deletedText?: (deleted: T) => string;
    onShow?: (record: T | null) => void;
  },
): RecordEditor<T> {
  const path = (r: T) => `${o.collection}/${encodeURIComponent(o.idOf(r))}`;
  const name = o.name ?? o.idOf;
  const savedText = o.savedText ?? ((r: T, created: boolean) => `${created ? 'Created' : 'Saved'} ${name(r)}.`);
  const deletedText = o.deletedText ?? ((r: T) => `Deleted ${name(r)}.`);
  const e: RecordEditor<T> = Object.assign(closedEdit<T>(), {
    idOf: o.idOf,
    mayWrite: o.mayWrite,
    done: o.done ?? { text: '' },
    show: (record: T | null) => {
      openEdit(e, record);
      o.onShow?.(record);
      e.done.text = '';
      ctx.update();
    },
    save: (body: unknown) => {
      const current = e.editing;
      submitWith(
        ctx,
        e,
        o.fields,
        () =>
          current ? api<T>('PATCH', path(current), body, ctx.signal) : api<T>('POST', o.collection, body, ctx.signal),
        (saved) => {
          e.done.text = savedText(saved, !current);
          o.after();
        },
        o.keyField,
      );
    },
    remove: () => {
      const current = e.editing;
      if (!current) return;
      submitWith(
        ctx,
        e,
        o.fields,
        () => api<void>('DELETE', path(current), undefined, ctx.signal),
        () => {
          e.done.text = deletedText(current);
          o.after();
        },
      );
    },
    fields: () => fieldsOf(o.form, e.errors),
    form: (f: FormOpts, grid: TemplateResult, extra?: TemplateResult) =>
      html`<form
        id=${o.form}
        class="card admin-form"
        @submit=${(ev: SubmitEvent) => {
          ev.preventDefault();
          f.onSubmit(read(new FormData(ev.currentTarget as HTMLFormElement)));
        }}
        novalidate
      >
        <h3>${f.heading}</h3>
        ${formTop(e.errors)}
        <div class="form-grid">${grid}</div>
        ${extra ?? nothing}
        ${formButtons(ctx, e, {
          saveLabel: f.saveLabel,
          ...(e.editing && (f.deletable ?? true) ? { onDelete: e.remove } : {}),
        })}
      </form>`,
    view: (render: () => TemplateResult) => (e.open ? keyed(e.key, render()) : nothing),
    newButton: (id: string, label: string) =>
      o.mayWrite && !e.open ? html`<p><button id=${id} @click=${() => e.show(null)}>${label}</button></p>` : nothing,
    editCell: (record: T, ariaLabel: string) =>
      o.mayWrite
        ? html`<td>
            <button class="secondary" aria-label=${ariaLabel} @click=${() => e.show(record)}>Edit</button>
          </td>`
        : nothing,
    table: (items: readonly T[], t: { id: string; headers: readonly string[]; row: (r: T) => TemplateResult }) =>
      recordTable({ ...t, actions: o.mayWrite, items, key: o.idOf }),
  });
  return e;
}

/**
 * A reference-data screen: tabs, heading, last-done line, search box, the **New …** button, the open form, the
 * table of the list's page and its paging, then anything `below`. It follows a route's `?q=` (`navigate`).
 */
export const listScreen = <T>(o: {
  tab: AdminPath;
  title: string;
  list: ListState<T>;
  search: readonly [label: string, id: string];
  editor: RecordEditor<T>;
  create: readonly [id: string, label: string];
  form: () => TemplateResult;
  table: { id: string; headers: readonly string[]; row: (r: T) => TemplateResult };
  pagerLabel?: string;
  below?: () => TemplateResult;
}): { navigate: (params: URLSearchParams) => void; view: () => TemplateResult } => ({
  navigate: followQuery(o.list),
  view: () =>
    html`${adminTabs(o.tab)}
      <h2>${o.title}</h2>
      ${o.editor.done.text ? notice(o.editor.done.text) : nothing} ${searchBox(o.list, ...o.search)}
      ${o.editor.newButton(...o.create)} ${o.editor.view(o.form)} ${o.editor.table(o.list.items, o.table)}
      ${pager(o.list, o.pagerLabel ?? o.title)} ${o.below?.() ?? nothing}`,
});
