import { html, nothing } from 'lit-html';
import { keyed } from 'lit-html/directives/keyed.js';
import { repeat } from 'lit-html/directives/repeat.js';
import { authorisationLapseDate } from '../../../../shared/rules/authorisation.js';
import {
  DeviceModelSchema,
  OfficerKindSchema,
  RankSchema,
  type DeviceModel,
} from '../../../../shared/schemas/common.schema.js';
import type { Page as ListPage } from '../../../../shared/schemas/common.schema.js';
import type { ForceSettings } from '../../../../shared/schemas/force-settings.schema.js';
import type { Officer, OfficerInput } from '../../../../shared/schemas/officer.schema.js';
import type { Station } from '../../../../shared/schemas/org.schema.js';
import type { Team } from '../../../../shared/schemas/shift.schema.js';
import { api, isAbort } from '../../api.js';
import { fmtDate, todayIso, ZONE } from '../../format.js';
import { definePage, type Page } from '../../page.js';
import {
  adminTabs,
  followQuery,
  checkField,
  checkGroup,
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

const FORM = 'officer-form';
const FIELDS = [
  'collar',
  'name',
  'rank',
  'kind',
  'station',
  'team',
  'taser',
  'taser.lastTrained',
  'taser.models',
  'taser.endorsed',
  'taser.suspended',
  'taser.volunteer',
] as const;

const KIND_LABEL: Record<Officer['kind'], string> = { regular: 'Regular', student: 'Student', special: 'Special' };

/** Officers in scope, searchable by collar or name, with their Taser authorisation; create, edit, delete. */
export function officersPage(params: URLSearchParams = new URLSearchParams()): Page {
  return definePage(
    (ctx) => {
      const list = listState<Officer>(ctx, '/officers', 'officer', { q: params.get('q') });
      const edit = closedEdit<Officer>();
      const mayWrite = userCan('officers', 'write');
      let stations: Station[] = [];
      let teams: Team[] = [];
      let months: number | null = null;
      let authorised = false;
      let station: string | undefined;
      let done = '';

      list.reload();
      Promise.all([
        api<ListPage<Station>>('GET', '/stations?pageSize=500', undefined, ctx.signal),
        api<ListPage<Team>>('GET', '/teams?pageSize=500', undefined, ctx.signal),
        api<ForceSettings>('GET', '/force-settings', undefined, ctx.signal).catch(() => null),
      ]).then(
        ([s, t, f]) => {
          stations = s.items;
          teams = t.items;
          months = f?.policy.authorisationMonths ?? null;
          ctx.update();
        },
        (e: unknown) => {
          if (!isAbort(e)) ctx.update();
        },
      );

      const open = (o: Officer | null) => {
        openEdit(edit, o);
        authorised = !!o?.taser;
        station = o?.station;
        done = '';
        ctx.update();
      };

      const submit = (ev: SubmitEvent) => {
        ev.preventDefault();
        const f = read(new FormData(ev.currentTarget as HTMLFormElement));
        const current = edit.editing;
        const body: Omit<OfficerInput, 'collar'> = {
          name: f.str('name'),
          rank: f.str('rank') as OfficerInput['rank'],
          kind: f.str('kind') as OfficerInput['kind'],
          station: f.str('station'),
          team: f.str('team'),
          taser: authorised
            ? {
                lastTrained: f.str('taser.lastTrained'),
                models: f.all('taser.models') as DeviceModel[],
                endorsed: f.bool('taser.endorsed'),
                suspended: f.bool('taser.suspended'),
                volunteer: f.bool('taser.volunteer'),
              }
            : null,
        };
        submitWith(
          ctx,
          edit,
          FIELDS,
          () =>
            current
              ? api<Officer>('PATCH', `/officers/${encodeURIComponent(current.collar)}`, body, ctx.signal)
              : api<Officer>('POST', '/officers', { collar: f.str('collar'), ...body }, ctx.signal),
          (o) => {
            done = current ? `Saved ${o.collar} ${o.name}.` : `Created ${o.collar} ${o.name}.`;
            list.reload();
          },
          'collar',
        );
      };

      const remove = () => {
        const current = edit.editing;
        if (!current) return;
        submitWith(
          ctx,
          edit,
          FIELDS,
          () => api<void>('DELETE', `/officers/${encodeURIComponent(current.collar)}`, undefined, ctx.signal),
          () => {
            done = `Deleted ${current.collar} ${current.name}.`;
            list.reload();
          },
        );
      };

      const taserCell = (o: Officer) => {
        const t = o.taser;
        if (!t) return html`<span class="muted">not authorised</span>`;
        const lapse = months === null ? null : authorisationLapseDate(t.lastTrained, months, ZONE);
        return html`${t.models.join(', ')} · trained ${fmtDate(t.lastTrained)}
        ${
          lapse
            ? lapse <= todayIso()
              ? html`<span class="pill bad">lapsed ${fmtDate(lapse)}</span>`
              : html`<span class="muted">until ${fmtDate(lapse)}</span>`
            : nothing
        }
        ${t.endorsed ? html`<span class="pill">endorsed</span>` : nothing}
        ${t.suspended ? html`<span class="pill bad">suspended</span>` : nothing}
        ${t.volunteer ? nothing : html`<span class="pill">not volunteering</span>`}`;
      };

      /** An officer's team works from the officer's station: the team select offers that station's teams. */
      const teamOptions = (at: string | undefined) =>
        teams.filter((t) => t.station === at).map((t) => [t.id, `${t.id} (${t.name})`] as const);

      const form = () => {
        const o = edit.editing;
        const e = edit.errors;
        const t = o?.taser;
        const at = station ?? stations[0]?.id;
        return html`<form id=${FORM} class="card admin-form" @submit=${submit} novalidate>
          <h3>${o ? `Edit ${o.collar} ${o.name}` : 'New officer'}</h3>
          ${formTop(e)}
          <div class="form-grid">
            ${textField(FORM, e, 'collar', 'Collar number', o?.collar, {
              disabled: !!o,
              placeholder: 'PC1234',
              hint: o ? '' : '(e.g. PC1234)',
            })}
            ${textField(FORM, e, 'name', 'Name', o?.name)}
            ${selectField(
              FORM,
              e,
              'rank',
              'Rank',
              RankSchema.options.map((r) => [r, r] as const),
              o?.rank ?? 'PC',
            )}
            ${selectField(
              FORM,
              e,
              'kind',
              'Kind',
              OfficerKindSchema.options.map((k) => [k, KIND_LABEL[k]] as const),
              o?.kind ?? 'regular',
            )}
            ${selectField(
              FORM,
              e,
              'station',
              'Station',
              stations.map((s) => [s.id, `${s.id} ${s.name}`] as const),
              at,
              {
                onChange: (v) => {
                  station = v;
                  ctx.update();
                },
              },
            )}
            ${keyed(at, selectField(FORM, e, 'team', 'Team', teamOptions(at), o?.team))}
          </div>
          <fieldset class="taser">
            <legend>Taser authorisation</legend>
            ${checkField(FORM, e, 'taser', 'Holds a Taser authorisation', authorised, {
              onChange: (v) => {
                authorised = v;
                ctx.update();
              },
            })}
            ${
              authorised
                ? html`<div class="form-grid">
                    ${textField(FORM, e, 'taser.lastTrained', 'Last trained', t?.lastTrained ?? todayIso(), {
                      type: 'date',
                    })}
                    ${checkGroup(
                      FORM,
                      e,
                      'taser.models',
                      'Models trained on',
                      DeviceModelSchema.options.map((m) => [m, m] as const),
                      t?.models ?? [],
                    )}
                    <div class="checks">
                      ${checkField(FORM, e, 'taser.endorsed', 'Endorsed (student or special)', t?.endorsed ?? false)}
                      ${checkField(FORM, e, 'taser.suspended', 'Suspended', t?.suspended ?? false)}
                      ${checkField(FORM, e, 'taser.volunteer', 'Volunteer', t?.volunteer ?? true)}
                    </div>
                  </div>`
                : nothing
            }
          </fieldset>
          ${formButtons(ctx, edit, {
            saveLabel: o ? 'Save officer' : 'Create officer',
            ...(o ? { onDelete: remove } : {}),
          })}
        </form>`;
      };

      return {
        navigate: followQuery(list),
        view: () =>
          html`${adminTabs('officers')}
            <h2>Officers</h2>
            ${done ? notice(done) : nothing} ${searchBox(list, 'Search by collar or name', 'officer-search')}
            ${
              mayWrite && !edit.open
                ? html`<p><button id="new-officer" @click=${() => open(null)}>New officer</button></p>`
                : nothing
            }
            ${edit.open ? keyed(edit.key, form()) : nothing}
            <div class="table-wrap">
              <table id="officers">
                <thead>
                  <tr>
                    <th>Collar</th>
                    <th>Name</th>
                    <th>Rank</th>
                    <th>Kind</th>
                    <th>Station</th>
                    <th>Team</th>
                    <th>Taser</th>
                    ${mayWrite ? html`<th><span class="visually-hidden">Actions</span></th>` : nothing}
                  </tr>
                </thead>
                <tbody>
                  ${repeat(
                    list.items,
                    (o) => o.collar,
                    (o) =>
                      html`<tr data-collar=${o.collar}>
                        <td>${o.collar}</td>
                        <td>${o.name}</td>
                        <td>${o.rank}</td>
                        <td>${KIND_LABEL[o.kind]}</td>
                        <td>${o.station}</td>
                        <td>${o.team}</td>
                        <td>${taserCell(o)}</td>
                        ${
                          mayWrite
                            ? html`<td>
                                <button class="secondary" aria-label=${`Edit ${o.collar}`} @click=${() => open(o)}>
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
            ${pager(list, 'Officers')}`,
      };
    },
    { id: 'admin-officers', className: 'admin' },
  );
}
