import { html, nothing } from 'lit-html';
import { live } from 'lit-html/directives/live.js';
import { repeat } from 'lit-html/directives/repeat.js';
import { can } from '../../../shared/auth/permissions.js';
import type {
  ArmouryDevice,
  ArmouryDeviceList,
  PlannedCarrier,
  PlannedCarriers,
} from '../../../shared/schemas/armoury.schema.js';
import type { Page as ListPage } from '../../../shared/schemas/common.schema.js';
import type { CustodyEvent } from '../../../shared/schemas/custody.schema.js';
import type { DeviceState } from '../../../shared/schemas/device.schema.js';
import type { Officer } from '../../../shared/schemas/officer.schema.js';
import type { Station } from '../../../shared/schemas/org.schema.js';
import { api, errorText, isAbort, session } from '../api.js';
import { fmtDateTime, fmtTime, plural } from '../format.js';
import { definePage, type Page } from '../page.js';
import { recordTable } from '../tables.js';

const field = (form: FormData, name: string): string => ((form.get(name) as string | null) ?? '').trim();
const upper = (form: FormData, name: string): string => field(form, name).toUpperCase();
/** `PC1234 (Jo Bloggs)` from the type-ahead, or a bare collar typed by hand → `PC1234`. */
const collarOf = (typed: string): string => typed.trim().split(/\s+/)[0]!.toUpperCase();

const STATES: { value: DeviceState | ''; label: string }[] = [
  { value: '', label: 'All states' },
  { value: 'in_armoury', label: 'In the armoury' },
  { value: 'issued', label: 'Issued' },
  { value: 'faulty', label: 'Faulty' },
  { value: 'in_repair', label: 'In repair' },
  { value: 'retired', label: 'Retired' },
  { value: 'needs_check', label: 'Needs check (discharged)' },
];
const stateLabel = (s: string): string => STATES.find((x) => x.value === s)?.label ?? s;
const kindLabel = (k: string): string => k.replace('_', ' ');
const carrierLabel = (c: PlannedCarrier): string => `${c.rank ?? ''} ${c.name}`.trim();

/** A change the armourer makes to one device from its row, as a form: a button and, where asked, a note. */
type DeviceAction = {
  /** The device states it is offered in. */
  when: (state: DeviceState) => boolean;
  path: string;
  body?: Record<string, string>;
  /** The button's text, and its accessible name for the device. */
  button: string;
  name: (serial: string) => string;
  /** The label of a required note (why), when the action takes one. */
  note?: string;
  /** What the result line says once done. */
  done: (serial: string) => string;
};
const DEVICE_ACTIONS: DeviceAction[] = [
  {
    when: (st) => st === 'in_armoury',
    path: '/custody/fault',
    button: 'Report',
    name: (s) => `Report ${s} faulty`,
    note: 'Fault found',
    done: (s) => `Recorded a fault on ${s}.`,
  },
  {
    when: (st) => st === 'faulty',
    path: '/custody/repair',
    body: { action: 'send' },
    button: 'Send to repair',
    name: (s) => `Send ${s} to repair`,
    done: (s) => `Sent ${s} to repair.`,
  },
  {
    when: (st) => st === 'faulty' || st === 'in_repair',
    path: '/custody/repair',
    body: { action: 'complete' },
    button: 'Complete repair',
    name: (s) => `Complete repair of ${s}`,
    done: (s) => `${s} is back in the armoury.`,
  },
  {
    when: (st) => st === 'needs_check',
    path: '/custody/repair',
    body: { action: 'check' },
    button: 'Check done',
    name: (s) => `Check done on ${s}`,
    done: (s) => `${s} checked: back in the armoury.`,
  },
  {
    when: (st) => st !== 'issued' && st !== 'retired',
    path: '/custody/repair',
    body: { action: 'retire' },
    button: 'Retire',
    name: (s) => `Retire ${s}`,
    note: 'Reason to retire',
    done: (s) => `Retired ${s}.`,
  },
];

/**
 * The armourer's counter (issue 9), worked from lists: the next shift's planned carriers with one-click
 * issue, the station's devices (search, state filter, repair workflow, history), manual issue and return
 * with type-ahead, and the latest custody records. It asks only for what the role may read.
 */
export function armouryPage(): Page {
  return definePage(
    (ctx) => {
      const user = session.user()!;
      const mayWrite = can(user.role, 'custody', 'write');
      const mayList = can(user.role, 'armoury', 'read');
      // An armourer works their own station; a force-wide user picks one.
      let station = user.scope.level === 'station' ? user.scope.id : '';
      let stations: Station[] = [];
      let plan: PlannedCarriers | null = null;
      let planNote = 'Loading…';
      let devices: ArmouryDevice[] = [];
      let devicesNote = 'Loading…';
      let officers: Officer[] = [];
      let events: CustodyEvent[] = [];
      let trailNote = 'Loading…';
      let query = '';
      let stateFilter: DeviceState | '' = '';
      let open: string | null = null;
      let history: CustodyEvent[] = [];
      let historyNote = '';
      let result: { ok: boolean; text: string } | null = null;
      const rowError = new Map<string, string>();
      const busy = new Set<string>();
      let formKey = 0;

      const get = <T>(path: string) => api<T>('GET', path, undefined, ctx.signal);
      const at = (path: string) => `/armoury/${encodeURIComponent(station)}${path}`;
      const failed = (e: unknown, set: (text: string) => void) => {
        if (isAbort(e)) return;
        set(errorText(e));
        ctx.update();
      };

      const loadPlan = () =>
        get<PlannedCarriers>(at('/planned-carriers')).then(
          (p) => {
            plan = p;
            planNote = p.carriers.length ? '' : 'No published plan names carriers for the open or next shift.';
            ctx.update();
          },
          (e) => failed(e, (t) => (planNote = `Could not load the planned carriers: ${t}`)),
        );
      let devicesAsked = 0;
      const loadDevices = () => {
        const asked = ++devicesAsked;
        const params = new URLSearchParams();
        if (query.trim()) params.set('q', query.trim());
        if (stateFilter) params.set('state', stateFilter);
        const qs = params.toString();
        return get<ArmouryDeviceList>(at(`/devices${qs ? `?${qs}` : ''}`)).then(
          (list) => {
            if (asked !== devicesAsked) return;
            devices = list.items;
            devicesNote = list.total ? '' : query || stateFilter ? 'No device matches.' : 'No devices at this station.';
            ctx.update();
          },
          (e) => failed(e, (t) => (devicesNote = `Could not load the devices: ${t}`)),
        );
      };
      const loadOfficers = () =>
        get<ListPage<Officer>>(`/officers?station=${encodeURIComponent(station)}&pageSize=500`).then(
          (p) => {
            officers = p.items;
            ctx.update();
          },
          (e) => failed(e, () => (officers = [])),
        );
      const loadTrail = () =>
        get<ListPage<CustodyEvent>>(`/custody/events?pageSize=15&station=${encodeURIComponent(station)}`).then(
          (p) => {
            events = p.items;
            trailNote = p.total === 0 ? 'No custody records yet.' : '';
            ctx.update();
          },
          (e) => failed(e, (t) => (trailNote = `Could not load the custody records: ${t}`)),
        );
      const loadHistory = (serial: string) =>
        get<ListPage<CustodyEvent>>(`/custody/events?pageSize=50&device=${encodeURIComponent(serial)}`).then(
          (p) => {
            if (open !== serial) return;
            history = p.items;
            historyNote = p.total ? '' : 'No custody records for this device yet.';
            ctx.update();
          },
          (e) => failed(e, (t) => (historyNote = `Could not load the history: ${t}`)),
        );
      const refresh = () => {
        if (!station) return Promise.resolve();
        const work: Promise<unknown>[] = [loadTrail()];
        if (mayList) work.push(loadPlan(), loadDevices());
        if (open) work.push(loadHistory(open));
        return Promise.all(work);
      };
      const loadAll = () => {
        if (!station) return;
        if (mayWrite) void loadOfficers();
        void refresh();
      };

      if (station) loadAll();
      else
        void get<ListPage<Station>>('/stations?pageSize=500').then(
          (p) => {
            stations = p.items;
            station = stations[0]?.id ?? '';
            if (!station) planNote = devicesNote = trailNote = 'No stations in your scope.';
            loadAll();
            ctx.update();
          },
          (e) => failed(e, (t) => (planNote = devicesNote = trailNote = t)),
        );

      /** Runs one custody change; on success says so, clears the form and refreshes every list. */
      const act = async (path: string, body: Record<string, string | boolean>, done: string, key?: string) => {
        if (key) {
          busy.add(key);
          rowError.delete(key);
        }
        ctx.update();
        try {
          await api('POST', path, body, ctx.signal);
          result = { ok: true, text: done };
          // A manual form (no row key) is cleared in the same render that shows its success.
          if (!key) formKey++;
          return true;
        } catch (e) {
          if (isAbort(e)) return false;
          const text = `Refused: ${errorText(e)}`;
          if (key) rowError.set(key, text);
          else result = { ok: false, text };
          return false;
        } finally {
          if (key) busy.delete(key);
          ctx.update();
          await refresh();
        }
      };

      const issueCarrier = (c: PlannedCarrier, device: string) => {
        const key = `${c.shift}|${c.officer}`;
        if (!device) {
          rowError.set(key, 'Choose a device to issue.');
          ctx.update();
          return;
        }
        void act('/custody/issue', { device, officer: c.officer }, `Issued ${device} to ${carrierLabel(c)}.`, key);
      };
      const issue = async (ev: SubmitEvent) => {
        ev.preventDefault();
        const f = new FormData(ev.currentTarget as HTMLFormElement);
        const device = upper(f, 'issue-device');
        const officer = collarOf(field(f, 'issue-officer'));
        await act('/custody/issue', { device, officer }, `Issued ${device} to ${officer}.`);
        ctx.update();
      };
      const receive = async (ev: SubmitEvent) => {
        ev.preventDefault();
        const f = new FormData(ev.currentTarget as HTMLFormElement);
        const device = upper(f, 'return-device');
        const fault = field(f, 'return-fault');
        const discharged = f.get('return-discharged') === 'on';
        await act(
          '/custody/return',
          { device, ...(fault ? { fault } : {}), ...(discharged ? { discharged } : {}) },
          `Received ${device}${fault ? ' as faulty' : discharged ? ' for a check (discharged)' : ''}.`,
        );
        ctx.update();
      };
      /** Runs a device action from its form; one with a note field refuses an empty note. */
      const runAction = (serial: string, a: DeviceAction) => (ev: SubmitEvent) => {
        ev.preventDefault();
        const note = a.note ? field(new FormData(ev.currentTarget as HTMLFormElement), 'note') : '';
        if (a.note && !note) {
          rowError.set(serial, 'Say why first.');
          ctx.update();
          return;
        }
        void act(a.path, { device: serial, ...a.body, ...(note ? { note } : {}) }, a.done(serial), serial);
      };
      const toggle = (serial: string) => {
        open = open === serial ? null : serial;
        history = [];
        historyNote = 'Loading…';
        if (open) void loadHistory(open);
        ctx.update();
      };
      let searchTimer: ReturnType<typeof setTimeout> | undefined;
      ctx.onDispose(() => clearTimeout(searchTimer));
      const search = (ev: Event) => {
        query = (ev.target as HTMLInputElement).value;
        clearTimeout(searchTimer);
        searchTimer = setTimeout(() => void loadDevices(), 200);
      };
      const filter = (ev: Event) => {
        stateFilter = (ev.target as HTMLSelectElement).value as DeviceState | '';
        void loadDevices();
      };
      const pickStation = (ev: Event) => {
        station = (ev.target as HTMLSelectElement).value;
        open = null;
        rowError.clear();
        loadAll();
      };

      const available = () => devices.filter((d) => d.state === 'in_armoury');

      const windowText = () => {
        if (!plan) return nothing;
        const lead = plan.issueLeadMinutes;
        const shifts = plan.shifts.map((s) =>
          s.open
            ? `${s.shift}: issuing open until ${fmtTime(s.end)}`
            : `${s.shift}: issuing opens at ${fmtTime(s.opensAt)} (shift starts ${fmtTime(s.start)})`,
        );
        return html`<p id="issue-window">
          Issuing opens ${plural(lead, 'minute')} before the shift (force setting).
          ${shifts.length ? html`<span class="muted">${shifts.join('; ')}.</span>` : nothing}
        </p>`;
      };

      const carrierRow = (c: PlannedCarrier) => {
        const key = `${c.shift}|${c.officer}`;
        const who = carrierLabel(c);
        let action;
        if (c.holding) action = html`<span class="good">Holds ${c.holding}</span>`;
        else if (!mayWrite) action = nothing;
        else if (c.plannedDevice)
          action = html`<button
            type="button"
            class="small"
            ?disabled=${busy.has(key)}
            aria-label=${`Issue ${c.plannedDevice} to ${who}`}
            @click=${() => issueCarrier(c, c.plannedDevice!)}
          >
            Issue
          </button>`;
        else
          action = html`<form
            class="inline"
            @submit=${(ev: SubmitEvent) => {
              ev.preventDefault();
              issueCarrier(c, field(new FormData(ev.currentTarget as HTMLFormElement), 'device'));
            }}
          >
            <select name="device" aria-label=${`Device for ${who}`}>
              <option value="">Device…</option>
              ${available().map((d) => html`<option value=${d.serial}>${d.serial} (${d.model})</option>`)}
            </select>
            <button type="submit" class="small" ?disabled=${busy.has(key)} aria-label=${`Issue a device to ${who}`}>
              Issue
            </button>
          </form>`;
        return html`<tr data-officer=${c.officer} data-shift=${c.shift}>
          <td>${c.callSign}<br /><span class="muted">${c.open ? 'open' : 'opens later'}</span></td>
          <td>${who}<br /><span class="muted">${c.officer}</span></td>
          <td>${c.plannedDevice ?? html`<span class="muted">none planned</span>`}</td>
          <td>
            ${action}
            ${rowError.has(key) ? html`<p class="error row-error" role="alert">${rowError.get(key)}</p>` : nothing}
          </td>
        </tr>`;
      };

      const actionForm = (d: ArmouryDevice, a: DeviceAction) =>
        html`<form class="row" @submit=${runAction(d.serial, a)}>
          ${a.note ? html`<label>${a.note} <input name="note" autocomplete="off" required /></label>` : nothing}
          <button type="submit" class="small secondary" aria-label=${a.name(d.serial)} ?disabled=${busy.has(d.serial)}>
            ${a.button}
          </button>
        </form>`;
      const deviceActions = (d: ArmouryDevice) =>
        mayWrite
          ? html`<div class="device-actions">
              ${DEVICE_ACTIONS.filter((a) => a.when(d.state)).map((a) => actionForm(d, a))}
            </div>`
          : nothing;

      const deviceRow = (d: ArmouryDevice) =>
        html`<tr data-device=${d.serial} data-state=${d.state}>
            <td>
              <button
                type="button"
                class="link"
                aria-expanded=${open === d.serial ? 'true' : 'false'}
                aria-label=${`${d.serial}: history and actions`}
                @click=${() => toggle(d.serial)}
              >
                ${d.serial}
              </button>
              <br /><span class="muted">${d.model}</span>
            </td>
            <td>${stateLabel(d.state)}</td>
            <td>${d.holder ? html`${d.holderName ?? d.holder}<br /><span class="muted">${d.holder}</span>` : ''}</td>
            <td>${d.lastReturnAt ? fmtDateTime(d.lastReturnAt) : html`<span class="muted">never</span>`}</td>
            <td>
              ${
                d.faults[0]
                  ? html`${d.faults[0].note}${d.faultCount > 1 ? html` <span class="muted">(${d.faultCount} in all)</span>` : nothing}`
                  : ''
              }
              ${
                rowError.has(d.serial) && open !== d.serial
                  ? html`<p class="error row-error" role="alert">${rowError.get(d.serial)}</p>`
                  : nothing
              }
            </td>
          </tr>
          ${
            open === d.serial
              ? html`<tr class="device-detail" data-detail=${d.serial}>
                  <td colspan="5">
                    ${deviceActions(d)}
                    ${
                      rowError.has(d.serial)
                        ? html`<p class="error row-error" role="alert">${rowError.get(d.serial)}</p>`
                        : nothing
                    }
                    <h4>History of ${d.serial}</h4>
                    ${historyNote ? html`<p class="muted">${historyNote}</p>` : nothing}
                    <ul class="history">
                      ${history.map(
                        (e) =>
                          html`<li>
                            ${fmtDateTime(e.at)} · ${kindLabel(e.kind)} · ${stateLabel(e.fromState)} →
                            ${stateLabel(e.toState)}${e.officer ? ` · ${e.officer}` : ''} · by
                            ${e.by}${e.note ? ` · ${e.note}` : ''}
                          </li>`,
                      )}
                    </ul>
                  </td>
                </tr>`
              : nothing
          }`;

      const manualForms = () =>
        html`<datalist id="armoury-officers">
            ${officers.map((o) => html`<option value=${`${o.collar} ${o.rank} ${o.name}`}></option>`)}
          </datalist>
          <datalist id="armoury-serials">
            ${devices.map((d) => html`<option value=${d.serial}>${stateLabel(d.state)}</option>`)}
          </datalist>
          ${repeat(
            [formKey],
            (k) => k,
            () =>
              html`<form class="card row" id="issue" @submit=${issue}>
                  <strong>Issue</strong>
                  <label
                    >Device serial
                    <input
                      name="issue-device"
                      list="armoury-serials"
                      placeholder="X2-004417"
                      autocomplete="off"
                      required
                    />
                  </label>
                  <label
                    >Officer
                    <input
                      name="issue-officer"
                      list="armoury-officers"
                      placeholder="PC1234"
                      autocomplete="off"
                      required
                    />
                  </label>
                  <button type="submit">Issue</button>
                </form>
                <form class="card row" id="return" @submit=${receive}>
                  <strong>Return</strong>
                  <label
                    >Device serial
                    <input
                      name="return-device"
                      list="armoury-serials"
                      placeholder="X2-004417"
                      autocomplete="off"
                      required
                    />
                  </label>
                  <label
                    >Fault <input name="return-fault" placeholder="fault found (optional)" autocomplete="off"
                  /></label>
                  <label class="check"><input name="return-discharged" type="checkbox" /> Discharged</label>
                  <button type="submit">Receive back</button>
                </form>`,
          )}`;

      return () =>
        html`<h2>Armoury${station ? ` — station ${station}` : ''}</h2>
          ${
            stations.length > 1
              ? html`<label
                  >Station
                  <select name="station" @change=${pickStation}>
                    ${stations.map(
                      (s) => html`<option value=${s.id} ?selected=${s.id === station}>${s.id} ${s.name}</option>`,
                    )}
                  </select></label
                >`
              : nothing
          }
          ${windowText()}
          <p id="armoury-result" role="status" class=${result ? (result.ok ? 'good' : 'error') : ''}>
            ${result?.text ?? ''}
          </p>
          ${
            mayList
              ? html`<h3>Planned carriers: open and next shift</h3>
                  ${planNote ? html`<p class="muted">${planNote}</p>` : nothing}
                  ${
                    plan?.carriers.length
                      ? recordTable({
                          id: 'planned-carriers',
                          headers: ['Unit', 'Officer', 'Planned device', 'Issue'],
                          items: plan?.carriers ?? [],
                          key: (c) => `${c.shift}|${c.officer}`,
                          row: carrierRow,
                        })
                      : nothing
                  }`
              : nothing
          }
          ${mayWrite ? manualForms() : nothing}
          ${
            mayList
              ? html`<h3>Devices</h3>
                  <div class="row" role="search">
                    <label
                      >Search serial or holder
                      <input
                        name="device-search"
                        type="search"
                        autocomplete="off"
                        .value=${live(query)}
                        @input=${search}
                      />
                    </label>
                    <label
                      >State
                      <select name="device-state" @change=${filter}>
                        ${STATES.map(
                          (s) =>
                            html`<option value=${s.value} ?selected=${s.value === stateFilter}>${s.label}</option>`,
                        )}
                      </select>
                    </label>
                  </div>
                  ${devicesNote ? html`<p class="muted">${devicesNote}</p>` : nothing}
                  ${recordTable({
                    id: 'devices',
                    headers: ['Serial', 'State', 'Holder', 'Last return', 'Faults'],
                    items: devices,
                    key: (d) => d.serial,
                    row: deviceRow,
                  })}`
              : nothing
          }
          <h3>Latest custody records</h3>
          ${trailNote ? html`<p class="muted">${trailNote}</p>` : nothing}
          ${recordTable({
            id: 'custody-trail',
            headers: ['When', 'What', 'Device', 'Officer', 'Unit', 'State', 'By', 'Note'],
            items: events,
            key: (e) => e.id,
            row: (e) =>
              html`<tr data-event=${e.id}>
                <td>${fmtDateTime(e.at)}</td>
                <td>${kindLabel(e.kind)}</td>
                <td>${e.device}</td>
                <td>${e.officer ?? ''}</td>
                <td>${e.callSign ?? ''}</td>
                <td>${e.fromState} → ${e.toState}</td>
                <td>${e.by}</td>
                <td>${e.note ?? ''}</td>
              </tr>`,
          })}`;
    },
    { id: 'armoury' },
  );
}
