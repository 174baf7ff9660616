import { html, nothing } from 'lit-html';
import type { Page as ListPage } from '../../../../shared/schemas/common.schema.js';
import { DeviceModelSchema, type DeviceModel } from '../../../../shared/schemas/common.schema.js';
import type { FaultInput, RepairInput } from '../../../../shared/schemas/custody.schema.js';
import type { DeviceState, DeviceView } from '../../../../shared/schemas/device.schema.js';
import type { Station } from '../../../../shared/schemas/org.schema.js';
import { api } from '../../api.js';
import { definePage, type Page } from '../../page.js';
import {
  idNameOptions,
  listScreen,
  listState,
  loadInto,
  openEdit,
  read,
  recordEditor,
  submitWith,
  userCan,
  type FormReader,
} from './admin-kit.js';

const FORM = 'device-form';
const FIELDS = ['serial', 'model', 'station', 'state', 'note'] as const;

const STATE_LABEL: Record<DeviceState, string> = {
  in_armoury: 'In the armoury',
  issued: 'Issued',
  faulty: 'Faulty',
  in_repair: 'In repair',
  retired: 'Retired',
  needs_check: 'Needs check (discharged)',
};
const statePill = (s: DeviceState) =>
  html`<span class="pill ${s === 'in_armoury' ? 'good' : s === 'issued' ? '' : 'bad'}">${STATE_LABEL[s]}</span>`;

/** A state change through the custody log (README, custody table), offered only from the states it applies to. */
type StateAction = {
  label: string;
  from: readonly DeviceState[];
  run: (serial: string, note?: string) => Promise<unknown>;
};
const repair = (action: RepairInput['action']) => (device: string, note?: string) =>
  api('POST', '/custody/repair', { device, action, ...(note ? { note } : {}) } satisfies RepairInput);
const ACTIONS: StateAction[] = [
  {
    label: 'Report fault',
    from: ['in_armoury'],
    run: (device, note) => api('POST', '/custody/fault', { device, note: note ?? '' } satisfies FaultInput),
  },
  { label: 'Send to repair', from: ['faulty'], run: repair('send') },
  { label: 'Complete repair', from: ['faulty', 'in_repair'], run: repair('complete') },
  { label: 'Check done', from: ['needs_check'], run: repair('check') },
  { label: 'Retire', from: ['in_armoury', 'faulty', 'in_repair', 'needs_check'], run: repair('retire') },
];

/** Devices in scope, searchable by serial; create, move between stations, fault, repair, retire, delete. */
export function devicesPage(params: URLSearchParams = new URLSearchParams()): Page {
  return definePage(
    (ctx) => {
      const list = listState<DeviceView>(ctx, '/devices', 'device', { q: params.get('q') });
      const mayChangeState = userCan('custody', 'write');
      let stations: Station[] = [];
      const edit = recordEditor<DeviceView>(ctx, {
        form: FORM,
        fields: FIELDS,
        keyField: 'serial',
        collection: '/devices',
        idOf: (d) => d.serial,
        mayWrite: userCan('devices', 'write'),
        after: list.reload,
      });

      list.reload();
      void loadInto<ListPage<Station>>(ctx, '/stations?pageSize=500', (s) => (stations = s.items));

      const submit = (f: FormReader) =>
        edit.save(
          edit.editing
            ? { station: f.str('station') }
            : {
                serial: f.str('serial'),
                model: f.str('model') as DeviceModel,
                station: f.str('station'),
                state: f.str('state') as DeviceState,
              },
        );

      const change = (a: StateAction) => {
        const current = edit.editing;
        if (!current) return;
        const form = document.getElementById(FORM) as HTMLFormElement | null;
        const note = form ? read(new FormData(form)).opt('note') : undefined;
        submitWith(
          ctx,
          edit,
          FIELDS,
          async () => {
            await a.run(current.serial, note);
            return api<DeviceView>('GET', `/devices/${encodeURIComponent(current.serial)}`, undefined, ctx.signal);
          },
          (d) => {
            // Stay on the device: the next step (repair, then back in service) is usually the same person's.
            openEdit(edit, d);
            edit.done.text = `${d.serial}: ${a.label.toLowerCase()} done; now ${STATE_LABEL[d.state].toLowerCase()}.`;
            list.reload();
          },
        );
      };

      const form = () => {
        const d = edit.editing;
        const f = edit.fields();
        const actions = d && mayChangeState ? ACTIONS.filter((a) => a.from.includes(d.state)) : [];
        return edit.form(
          {
            heading: d ? `Edit ${d.serial}` : 'New device',
            saveLabel: d ? 'Save device' : 'Create device',
            onSubmit: submit,
          },
          html`${f.text('serial', 'Serial', d?.serial, { disabled: !!d, placeholder: 'X2-004417' })}
          ${f.select(
            'model',
            'Model',
            DeviceModelSchema.options.map((m) => [m, m] as const),
            d?.model ?? 'X2',
            {
              disabled: !!d,
            },
          )}
          ${f.select('station', 'Station', idNameOptions(stations), d?.station ?? stations[0]?.id)}
          ${
            d
              ? nothing
              : f.select(
                  'state',
                  'State',
                  (['in_armoury', 'faulty', 'in_repair', 'retired'] as const).map((s) => [s, STATE_LABEL[s]] as const),
                  'in_armoury',
                )
          }`,
          d
            ? html`<fieldset class="state-actions">
                <legend>State: ${statePill(d.state)}${d.holder ? html` with ${d.holder}` : nothing}</legend>
                ${
                  d.state === 'issued'
                    ? html`<p class="muted">Receive it back in the armoury before changing its state or station.</p>`
                    : nothing
                }
                ${
                  actions.length
                    ? html`${f.text('note', 'Note (required for a fault)', '')}
                        <div class="form-buttons">
                          ${actions.map(
                            (a) =>
                              html`<button
                                type="button"
                                class="secondary"
                                ?disabled=${edit.busy}
                                @click=${() => change(a)}
                              >
                                ${a.label}
                              </button>`,
                          )}
                        </div>`
                    : nothing
                }
              </fieldset>`
            : undefined,
        );
      };

      return listScreen({
        tab: 'devices',
        title: 'Devices',
        list,
        search: ['Search by serial', 'device-search'],
        editor: edit,
        create: ['new-device', 'New device'],
        form,
        table: {
          id: 'devices',
          headers: ['Serial', 'Model', 'Station', 'State', 'Holder'],
          row: (d) =>
            html`<tr data-serial=${d.serial}>
              <td>${d.serial}</td>
              <td>${d.model}</td>
              <td>${d.station}</td>
              <td data-state=${d.state}>${statePill(d.state)}</td>
              <td>${d.holder ?? ''}</td>
              ${edit.editCell(d, `Edit ${d.serial}`)}
            </tr>`,
        },
      });
    },
    { id: 'admin-devices', className: 'admin' },
  );
}
