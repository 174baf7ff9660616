import { html, nothing } from 'lit-html';
import { ifDefined } from 'lit-html/directives/if-defined.js';
import { keyed } from 'lit-html/directives/keyed.js';
import { repeat } from 'lit-html/directives/repeat.js';
import {
  AbstractionKindSchema,
  type Abstraction,
  type AbstractionKind,
} from '../../../../shared/schemas/abstraction.schema.js';
import type { Officer } from '../../../../shared/schemas/officer.schema.js';
import { fmtRange, todayIso } from '../../format.js';
import { api } from '../../api.js';
import { definePage, type Page } from '../../page.js';
import {
  adminTabs,
  followQuery,
  closedEdit,
  formButtons,
  formTop,
  listState,
  notice,
  openEdit,
  pager,
  read,
  searchBox,
  selectField,
  submitWith,
  textField,
  userCan,
} from './admin-kit.js';

const FORM = 'abstraction-form';
const FIELDS = ['officer', 'kind', 'from', 'to', 'note'] as const;

const KIND_LABEL: Record<AbstractionKind, string> = {
  sickness: 'Sickness',
  leave: 'Leave',
  court: 'Court',
  training: 'Training',
};

/** Officers away from duty (sickness, leave, court, training), newest first; record, edit, delete. */
export function abstractionsPage(params: URLSearchParams = new URLSearchParams()): Page {
  return definePage(
    (ctx) => {
      /** Officers' names by collar, looked up for the rows shown (a deleted officer keeps just the collar). */
      const names = new Map<string, string>();
      const lookUpNames = (items: Abstraction[]) => {
        const missing = [...new Set(items.map((a) => a.officer))].filter((c) => !names.has(c));
        void Promise.all(
          missing.map((c) =>
            api<Officer>('GET', `/officers/${encodeURIComponent(c)}`, undefined, ctx.signal).then(
              (o) => void names.set(c, o.name),
              () => undefined,
            ),
          ),
        ).then(() => ctx.update());
      };
      const list = listState<Abstraction>(ctx, '/abstractions', 'abstraction', {
        q: params.get('q'),
        onLoad: lookUpNames,
      });
      const edit = closedEdit<Abstraction>();
      const mayWrite = userCan('abstractions', 'write');
      let done = '';
      list.reload();

      const open = (a: Abstraction | null) => {
        openEdit(edit, a);
        done = '';
        ctx.update();
      };

      const submit = (ev: SubmitEvent) => {
        ev.preventDefault();
        const f = read(new FormData(ev.currentTarget as HTMLFormElement));
        const current = edit.editing;
        const kind = f.str('kind') as AbstractionKind;
        submitWith(
          ctx,
          edit,
          FIELDS,
          () =>
            current
              ? api<Abstraction>(
                  'PATCH',
                  `/abstractions/${encodeURIComponent(current.id)}`,
                  { kind, from: f.str('from'), to: f.str('to'), note: f.str('note') },
                  ctx.signal,
                )
              : api<Abstraction>(
                  'POST',
                  '/abstractions',
                  {
                    officer: f.str('officer').toUpperCase(),
                    kind,
                    from: f.str('from'),
                    to: f.str('to'),
                    ...(f.opt('note') ? { note: f.str('note') } : {}),
                  },
                  ctx.signal,
                ),
          (a) => {
            done = `${current ? 'Saved' : 'Recorded'} ${KIND_LABEL[a.kind].toLowerCase()} for ${a.officer}, ${fmtRange(a.from, a.to)}.`;
            list.reload();
          },
        );
      };

      const remove = () => {
        const current = edit.editing;
        if (!current) return;
        submitWith(
          ctx,
          edit,
          FIELDS,
          () => api<void>('DELETE', `/abstractions/${encodeURIComponent(current.id)}`, undefined, ctx.signal),
          () => {
            done = `Deleted the ${KIND_LABEL[current.kind].toLowerCase()} of ${current.officer}.`;
            list.reload();
          },
        );
      };

      const form = () => {
        const a = edit.editing;
        const e = edit.errors;
        return html`<form id=${FORM} class="card admin-form" @submit=${submit} novalidate>
          <h3>${a ? `Edit the ${KIND_LABEL[a.kind].toLowerCase()} of ${a.officer}` : 'Record an abstraction'}</h3>
          ${formTop(e)}
          <div class="form-grid">
            ${textField(FORM, e, 'officer', 'Officer (collar number)', a?.officer, {
              disabled: !!a,
              placeholder: 'PC1234',
            })}
            ${selectField(
              FORM,
              e,
              'kind',
              'Kind',
              AbstractionKindSchema.options.map((k) => [k, KIND_LABEL[k]] as const),
              a?.kind ?? 'sickness',
            )}
            ${textField(FORM, e, 'from', 'From', a?.from ?? todayIso(), { type: 'date' })}
            ${textField(FORM, e, 'to', 'To (inclusive)', a?.to ?? todayIso(), { type: 'date' })}
          </div>
          <label class="field"
            >Note
            <textarea
              name="note"
              rows="2"
              maxlength="500"
              aria-invalid=${e.fields.note ? 'true' : 'false'}
              aria-describedby=${ifDefined(e.fields.note ? `${FORM}-note-error` : undefined)}
              .value=${a?.note ?? ''}
            ></textarea
            >${
              e.fields.note
                ? html`<span class="field-error" id="${FORM}-note-error" data-error-for="note">${e.fields.note}</span>`
                : nothing
            }</label
          >
          ${formButtons(ctx, edit, { saveLabel: a ? 'Save' : 'Record', ...(a ? { onDelete: remove } : {}) })}
        </form>`;
      };

      return {
        navigate: followQuery(list),
        view: () =>
          html`${adminTabs('abstractions')}
            <h2>Abstractions</h2>
            ${done ? notice(done) : nothing} ${searchBox(list, 'Search by collar number or note', 'abstraction-search')}
            ${
              mayWrite && !edit.open
                ? html`<p><button id="new-abstraction" @click=${() => open(null)}>Record an abstraction</button></p>`
                : nothing
            }
            ${edit.open ? keyed(edit.key, form()) : nothing}
            <div class="table-wrap">
              <table id="abstractions">
                <thead>
                  <tr>
                    <th>Officer</th>
                    <th>Kind</th>
                    <th>Dates</th>
                    <th>Station</th>
                    <th>Note</th>
                    ${mayWrite ? html`<th><span class="visually-hidden">Actions</span></th>` : nothing}
                  </tr>
                </thead>
                <tbody>
                  ${repeat(
                    list.items,
                    (a) => a.id,
                    (a) =>
                      html`<tr data-abstraction=${a.id} data-officer=${a.officer}>
                        <td>${a.officer} ${names.get(a.officer) ?? ''}</td>
                        <td>${KIND_LABEL[a.kind]}</td>
                        <td>${fmtRange(a.from, a.to)}</td>
                        <td>${a.station}</td>
                        <td>${a.note ?? ''}</td>
                        ${
                          mayWrite
                            ? html`<td>
                                <button
                                  class="secondary"
                                  aria-label=${`Edit the ${KIND_LABEL[a.kind].toLowerCase()} of ${a.officer}`}
                                  @click=${() => open(a)}
                                >
                                  Edit
                                </button>
                              </td>`
                            : nothing
                        }
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>
            ${pager(list, 'Abstractions')}`,
      };
    },
    { id: 'admin-abstractions', className: 'admin' },
  );
}
