import { html, nothing } from 'lit-html';
import { keyed } from 'lit-html/directives/keyed.js';
import { repeat } from 'lit-html/directives/repeat.js';
import type { Page as ListPage } from '../../../../shared/schemas/common.schema.js';
import type { Station } from '../../../../shared/schemas/org.schema.js';
import type { ShiftDefinition, Team } from '../../../../shared/schemas/shift.schema.js';
import { api, isAbort } from '../../api.js';
import { fmtDate, todayIso } from '../../format.js';
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

const TEAM_FORM = 'team-form';
const TEAM_FIELDS = ['id', 'name', 'station', 'rota', 'rota.pattern', 'rota.anchorDate'] as const;
const SHIFT_FORM = 'shift-form';
const SHIFT_FIELDS = ['code', 'name', 'start', 'end'] as const;

/** `E E L L n` or `E,E,L` → `['E', 'E', 'L', 'L', 'N']`. */
const parsePattern = (text: string): string[] =>
  text
    .toUpperCase()
    .split(/[\s,]+/)
    .filter(Boolean);

/** Teams with their rotas, and the force's shift definitions the rotas name; create, edit, delete. */
export function teamsPage(params: URLSearchParams = new URLSearchParams()): Page {
  return definePage(
    (ctx) => {
      const list = listState<Team>(ctx, '/teams', 'team', { q: params.get('q') });
      const edit = closedEdit<Team>();
      const shiftEdit = closedEdit<ShiftDefinition>();
      const mayWrite = userCan('teams', 'write');
      const mayWriteShifts = userCan('shift_definitions', 'write');
      let stations: Station[] = [];
      let shifts: ShiftDefinition[] = [];
      let done = '';

      const loadShifts = () =>
        api<ListPage<ShiftDefinition>>('GET', '/shift-definitions?pageSize=100', undefined, ctx.signal).then(
          (r) => {
            shifts = r.items;
            ctx.update();
          },
          (e: unknown) => {
            if (!isAbort(e)) ctx.update();
          },
        );
      list.reload();
      void loadShifts();
      api<ListPage<Station>>('GET', '/stations?pageSize=500', undefined, ctx.signal).then(
        (s) => {
          stations = s.items;
          ctx.update();
        },
        (e: unknown) => {
          if (!isAbort(e)) ctx.update();
        },
      );

      const submitTeam = (ev: SubmitEvent) => {
        ev.preventDefault();
        const f = read(new FormData(ev.currentTarget as HTMLFormElement));
        const current = edit.editing;
        const body = {
          name: f.str('name'),
          station: f.str('station'),
          rota: { pattern: parsePattern(f.str('rota.pattern')), anchorDate: f.str('rota.anchorDate') },
        };
        submitWith(
          ctx,
          edit,
          TEAM_FIELDS,
          () =>
            current
              ? api<Team>('PATCH', `/teams/${encodeURIComponent(current.id)}`, body, ctx.signal)
              : api<Team>('POST', '/teams', { id: f.str('id'), ...body }, ctx.signal),
          (t) => {
            done = current ? `Saved team ${t.id}.` : `Created team ${t.id}.`;
            list.reload();
          },
          'id',
        );
      };
      const removeTeam = () => {
        const current = edit.editing;
        if (!current) return;
        submitWith(
          ctx,
          edit,
          TEAM_FIELDS,
          () => api<void>('DELETE', `/teams/${encodeURIComponent(current.id)}`, undefined, ctx.signal),
          () => {
            done = `Deleted team ${current.id}.`;
            list.reload();
          },
        );
      };

      const submitShift = (ev: SubmitEvent) => {
        ev.preventDefault();
        const f = read(new FormData(ev.currentTarget as HTMLFormElement));
        const current = shiftEdit.editing;
        const body = { name: f.str('name'), start: f.str('start'), end: f.str('end') };
        submitWith(
          ctx,
          shiftEdit,
          SHIFT_FIELDS,
          () =>
            current
              ? api<ShiftDefinition>(
                  'PATCH',
                  `/shift-definitions/${encodeURIComponent(current.code)}`,
                  body,
                  ctx.signal,
                )
              : api<ShiftDefinition>('POST', '/shift-definitions', { code: f.str('code'), ...body }, ctx.signal),
          (s) => {
            done = current ? `Saved shift ${s.code}.` : `Created shift ${s.code}.`;
            void loadShifts();
          },
          'code',
        );
      };
      const removeShift = () => {
        const current = shiftEdit.editing;
        if (!current) return;
        submitWith(
          ctx,
          shiftEdit,
          SHIFT_FIELDS,
          () => api<void>('DELETE', `/shift-definitions/${encodeURIComponent(current.code)}`, undefined, ctx.signal),
          () => {
            done = `Deleted shift ${current.code}.`;
            void loadShifts();
          },
        );
      };

      const teamForm = () => {
        const t = edit.editing;
        const e = edit.errors;
        return html`<form id=${TEAM_FORM} class="card admin-form" @submit=${submitTeam} novalidate>
          <h3>${t ? `Edit team ${t.id}` : 'New team'}</h3>
          ${formTop(e)}
          <div class="form-grid">
            ${textField(TEAM_FORM, e, 'id', 'Team id', t?.id, { disabled: !!t, placeholder: 'BR-F' })}
            ${textField(TEAM_FORM, e, 'name', 'Name', t?.name)}
            ${selectField(
              TEAM_FORM,
              e,
              'station',
              'Station',
              stations.map((s) => [s.id, `${s.id} ${s.name}`] as const),
              t?.station ?? stations[0]?.id,
            )}
            ${textField(TEAM_FORM, e, 'rota.pattern', 'Rota pattern', t?.rota.pattern.join(' '), {
              placeholder: 'E E L L N N R R R R',
              hint: `(shift codes ${shifts.map((s) => s.code).join(', ')}; R for rest)`,
            })}
            ${textField(
              TEAM_FORM,
              e,
              'rota.anchorDate',
              'Day 1 of the pattern falls on',
              t?.rota.anchorDate ?? todayIso(),
              {
                type: 'date',
              },
            )}
          </div>
          ${formButtons(ctx, edit, { saveLabel: t ? 'Save team' : 'Create team', ...(t ? { onDelete: removeTeam } : {}) })}
        </form>`;
      };

      const shiftForm = () => {
        const s = shiftEdit.editing;
        const e = shiftEdit.errors;
        return html`<form id=${SHIFT_FORM} class="card admin-form" @submit=${submitShift} novalidate>
          <h3>${s ? `Edit shift ${s.code}` : 'New shift'}</h3>
          ${formTop(e)}
          <div class="form-grid">
            ${textField(SHIFT_FORM, e, 'code', 'Code', s?.code, { disabled: !!s, placeholder: 'E' })}
            ${textField(SHIFT_FORM, e, 'name', 'Name', s?.name)}
            ${textField(SHIFT_FORM, e, 'start', 'Starts (local)', s?.start, { type: 'time' })}
            ${textField(SHIFT_FORM, e, 'end', 'Ends (local; before the start runs past midnight)', s?.end, {
              type: 'time',
            })}
          </div>
          ${formButtons(ctx, shiftEdit, {
            saveLabel: s ? 'Save shift' : 'Create shift',
            ...(s ? { onDelete: removeShift } : {}),
          })}
        </form>`;
      };

      return {
        navigate: followQuery(list),
        view: () =>
          html`${adminTabs('teams')}
            <h2>Teams and rotas</h2>
            ${done ? notice(done) : nothing} ${searchBox(list, 'Search by team id or name', 'team-search')}
            ${
              mayWrite && !edit.open
                ? html`<p>
                    <button
                      id="new-team"
                      @click=${() => {
                        openEdit(edit, null);
                        done = '';
                        ctx.update();
                      }}
                    >
                      New team
                    </button>
                  </p>`
                : nothing
            }
            ${edit.open ? keyed(edit.key, teamForm()) : nothing}
            <div class="table-wrap">
              <table id="teams">
                <thead>
                  <tr>
                    <th>Team</th>
                    <th>Name</th>
                    <th>Station</th>
                    <th>Rota</th>
                    <th>Day 1 on</th>
                    ${mayWrite ? html`<th><span class="visually-hidden">Actions</span></th>` : nothing}
                  </tr>
                </thead>
                <tbody>
                  ${repeat(
                    list.items,
                    (t) => t.id,
                    (t) =>
                      html`<tr data-team=${t.id}>
                        <td>${t.id}</td>
                        <td>${t.name}</td>
                        <td>${t.station}</td>
                        <td class="rota">${t.rota.pattern.join(' ')}</td>
                        <td>${fmtDate(t.rota.anchorDate)}</td>
                        ${
                          mayWrite
                            ? html`<td>
                                <button
                                  class="secondary"
                                  aria-label=${`Edit team ${t.id}`}
                                  @click=${() => {
                                    openEdit(edit, t);
                                    done = '';
                                    ctx.update();
                                  }}
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
            ${pager(list, 'Teams')}

            <h2>Shift definitions</h2>
            ${
              mayWriteShifts && !shiftEdit.open
                ? html`<p>
                    <button
                      id="new-shift"
                      @click=${() => {
                        openEdit(shiftEdit, null);
                        done = '';
                        ctx.update();
                      }}
                    >
                      New shift
                    </button>
                  </p>`
                : nothing
            }
            ${shiftEdit.open ? keyed(shiftEdit.key, shiftForm()) : nothing}
            <div class="table-wrap">
              <table id="shift-definitions">
                <thead>
                  <tr>
                    <th>Code</th>
                    <th>Name</th>
                    <th>Starts</th>
                    <th>Ends</th>
                    ${mayWriteShifts ? html`<th><span class="visually-hidden">Actions</span></th>` : nothing}
                  </tr>
                </thead>
                <tbody>
                  ${repeat(
                    shifts,
                    (s) => s.code,
                    (s) =>
                      html`<tr data-shift=${s.code}>
                        <td>${s.code}</td>
                        <td>${s.name}</td>
                        <td>${s.start}</td>
                        <td>${s.end}</td>
                        ${
                          mayWriteShifts
                            ? html`<td>
                                <button
                                  class="secondary"
                                  aria-label=${`Edit shift ${s.code}`}
                                  @click=${() => {
                                    openEdit(shiftEdit, s);
                                    done = '';
                                    ctx.update();
                                  }}
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
            </div>`,
      };
    },
    { id: 'admin-teams', className: 'admin' },
  );
}
