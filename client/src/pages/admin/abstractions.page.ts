import { html } from 'lit-html';
import {
  AbstractionKindSchema,
  type Abstraction,
  type AbstractionKind,
} from '../../../../shared/schemas/abstraction.schema.js';
import type { Officer } from '../../../../shared/schemas/officer.schema.js';
import { fmtRange, todayIso } from '../../format.js';
import { api } from '../../api.js';
import { definePage, type Page } from '../../page.js';
import { listScreen, listState, recordEditor, userCan, type FormReader } from './admin-kit.js';

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
      const edit = recordEditor<Abstraction>(ctx, {
        form: FORM,
        fields: FIELDS,
        collection: '/abstractions',
        idOf: (a) => a.id,
        mayWrite: userCan('abstractions', 'write'),
        after: list.reload,
        savedText: (a, created) =>
          `${created ? 'Recorded' : 'Saved'} ${KIND_LABEL[a.kind].toLowerCase()} for ${a.officer}, ${fmtRange(a.from, a.to)}.`,
        deletedText: (a) => `Deleted the ${KIND_LABEL[a.kind].toLowerCase()} of ${a.officer}.`,
      });
      list.reload();

      const submit = (f: FormReader) => {
        const kind = f.str('kind') as AbstractionKind;
        edit.save(
          edit.editing
            ? { kind, from: f.str('from'), to: f.str('to'), note: f.str('note') }
            : {
                officer: f.str('officer').toUpperCase(),
                kind,
                from: f.str('from'),
                to: f.str('to'),
                ...(f.opt('note') ? { note: f.str('note') } : {}),
              },
        );
      };

      const form = () => {
        const a = edit.editing;
        const f = edit.fields();
        return edit.form(
          {
            heading: a ? `Edit the ${KIND_LABEL[a.kind].toLowerCase()} of ${a.officer}` : 'Record an abstraction',
            saveLabel: a ? 'Save' : 'Record',
            onSubmit: submit,
          },
          html`${f.text('officer', 'Officer (collar number)', a?.officer, { disabled: !!a, placeholder: 'PC1234' })}
          ${f.select(
            'kind',
            'Kind',
            AbstractionKindSchema.options.map((k) => [k, KIND_LABEL[k]] as const),
            a?.kind ?? 'sickness',
          )}
          ${f.text('from', 'From', a?.from ?? todayIso(), { type: 'date' })}
          ${f.text('to', 'To (inclusive)', a?.to ?? todayIso(), { type: 'date' })}`,
          f.textArea('note', 'Note', a?.note, { rows: 2, maxlength: 500 }),
        );
      };

      return listScreen({
        tab: 'abstractions',
        title: 'Abstractions',
        list,
        search: ['Search by collar number or note', 'abstraction-search'],
        editor: edit,
        create: ['new-abstraction', 'Record an abstraction'],
        form,
        table: {
          id: 'abstractions',
          headers: ['Officer', 'Kind', 'Dates', 'Station', 'Note'],
          row: (a) =>
            html`<tr data-abstraction=${a.id} data-officer=${a.officer}>
              <td>${a.officer} ${names.get(a.officer) ?? ''}</td>
              <td>${KIND_LABEL[a.kind]}</td>
              <td>${fmtRange(a.from, a.to)}</td>
              <td>${a.station}</td>
              <td>${a.note ?? ''}</td>
              ${edit.editCell(a, `Edit the ${KIND_LABEL[a.kind].toLowerCase()} of ${a.officer}`)}
            </tr>`,
        },
      });
    },
    { id: 'admin-abstractions', className: 'admin' },
  );
}
