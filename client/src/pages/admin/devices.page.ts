import { html, nothing } from 'lit-html';
import { keyed } from 'lit-html/directives/keyed.js';
import { repeat } from 'lit-html/directives/repeat.js';
import type { Page as ListPage } from '../../../../shared/schemas/common.schema.js';
import { DeviceModelSchema, type DeviceModel } from '../../../../shared/schemas/common.schema.js';
import type { FaultInput, RepairInput } from '../../../../shared/schemas/custody.schema.js';
import type { DeviceState, DeviceView } from '../../../../shared/schemas/device.schema.js';
import type { Station } from '../../../../shared/schemas/org.schema.js';
import { api, isAbort } from '../../api.js';
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

const FORM = 'device-form';
const FIELDS = ['serial', 'model', 'station', 'state', 'note'] as const;

const STATE_LABEL: Record<DeviceState, string> = {
  in_armoury: 'In the armoury',
  issued: 'Issued',
  faulty: 'Faulty',
  in_repair: 'In repair',
  retired: 'Retired',
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
  { label: 'Retire', from: ['in_armoury', 'faulty', 'in_repair'], run: repair('retire') },
];

/** Devices in scope, searchable by serial; create, move between stations, fault, repair, retire, delete. */
export function devicesPage(params: URLSearchParams = new URLSearchParams()): Page {
  return definePage(
    (ctx) => {
      const list = listState<DeviceView>(ctx, '/devices', 'device', { q: params.get('q') });
      const edit = closedEdit<DeviceView>();
      const mayWrite = userCan('devices', 'write');
      const mayChangeState = userCan('custody', 'write');
      let stations: Station[] = [];
      let done = '';

      list.reload();
      api<ListPage<Station>>('GET', '/stations?pageSize=500', undefined, ctx.signal).then(
        (s) => {
          stations = s.items;
          ctx.update();
        },
        (e: unknown) => {
          if (!isAbort(e)) ctx.update();
        },
      );

      const open = (d: DeviceView | null) => {
        openEdit(edit, d);
        done = '';
        ctx.update();
      };

      const submit = (ev: SubmitEvent) => {
        ev.preventDefault();
        const f = read(new FormData(ev.currentTarget as HTMLFormElement));
        const current = edit.editing;
        submitWith(
          ctx,
          edit,
          FIELDS,
          () =>
            current
              ? api<DeviceView>(
                  'PATCH',
                  `/devices/${encodeURIComponent(current.serial)}`,
                  { station: f.str('station') },
                  ctx.signal,
                )
              : api<DeviceView>(
                  'POST',
                  '/devices',
                  {
                    serial: f.str('serial'),
                    model: f.str('model') as DeviceModel,
                    station: f.str('station'),
                    state: f.str('state') as DeviceState,
                  },
                  ctx.signal,
                ),
          (d) => {
            done = current ? `Saved ${d.serial}.` : `Created ${d.serial}.`;
            list.reload();
          },
          'serial',
        );
      };

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
            done = `${d.serial}: ${a.label.toLowerCase()} done; now ${STATE_LABEL[d.state].toLowerCase()}.`;
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
          () => api<void>('DELETE', `/devices/${encodeURIComponent(current.serial)}`, undefined, ctx.signal),
          () => {
            done = `Deleted ${current.serial}.`;
            list.reload();
          },
        );
      };

      const stationOptions = () => stations.map((s) => [s.id, `${s.id} ${s.name}`] as const);

      const form = () => {
        const d = edit.editing;
        const e = edit.errors;
        const actions = d && mayChangeState ? ACTIONS.filter((a) => a.from.includes(d.state)) : [];
        return html`<form id=${FORM} class="card admin-form" @submit=${submit} novalidate>
          <h3>${d ? `Edit ${d.serial}` : 'New device'}</h3>
          ${formTop(e)}
          <div class="form-grid">
            ${textField(FORM, e, 'serial', 'Serial', d?.serial, { disabled: !!d, placeholder: 'X2-004417' })}
            ${selectField(
              FORM,
              e,
              'model',
              'Model',
              DeviceModelSchema.options.map((m) => [m, m] as const),
              d?.model ?? 'X2',
              { disabled: !!d },
            )}
            ${selectField(FORM, e, 'station', 'Station', stationOptions(), d?.station ?? stations[0]?.id)}
            ${
              d
                ? nothing
                : selectField(
                    FORM,
                    e,
                    'state',
                    'State',
                    (['in_armoury', 'faulty', 'in_repair', 'retired'] as const).map(
                      (s) => [s, STATE_LABEL[s]] as const,
                    ),
                    'in_armoury',
                  )
            }
          </div>
          ${
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
                      ? html`${textField(FORM, e, 'note', 'Note (required for a fault)', '')}
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
              : nothing
          }
          ${formButtons(ctx, edit, {
            saveLabel: d ? 'Save device' : 'Create device',
            ...(d ? { onDelete: remove } : {}),
          })}
        </form>`;
      };

      return {
        navigate: followQuery(list),
        view: () =>
          html`${adminTabs('devices')}
            <h2>Devices</h2>
            ${done ? notice(done) : nothing} ${searchBox(list, 'Search by serial', 'device-search')}
            ${
              mayWrite && !edit.open
                ? html`<p><button id="new-device" @click=${() => open(null)}>New device</button></p>`
                : nothing
            }
            ${edit.open ? keyed(edit.key, form()) : nothing}
            <div class="table-wrap">
              <table id="devices">
                <thead>
                  <tr>
                    <th>Serial</th>
                    <th>Model</th>
                    <th>Station</th>
                    <th>State</th>
                    <th>Holder</th>
                    ${mayWrite ? html`<th><span class="visually-hidden">Actions</span></th>` : nothing}
                  </tr>
                </thead>
                <tbody>
                  ${repeat(
                    list.items,
                    (d) => d.serial,
                    (d) =>
                      html`<tr data-serial=${d.serial}>
                        <td>${d.serial}</td>
                        <td>${d.model}</td>
                        <td>${d.station}</td>
                        <td data-state=${d.state}>${statePill(d.state)}</td>
                        <td>${d.holder ?? ''}</td>
                        ${
                          mayWrite
                            ? html`<td>
                                <button class="secondary" aria-label=${`Edit ${d.serial}`} @click=${() => open(d)}>
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
            ${pager(list, 'Devices')}`,
      };
    },
    { id: 'admin-devices', className: 'admin' },
  );
}
