import { html, nothing } from 'lit-html';
import { keyed } from 'lit-html/directives/keyed.js';
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
import { fmtDate, todayIso, ZONE } from '../../format.js';
import { definePage, type Page } from '../../page.js';
import { idNameOptions, listScreen, listState, loadInto, recordEditor, userCan, type FormReader } from './admin-kit.js';

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
      let stations: Station[] = [];
      let teams: Team[] = [];
      let months: number | null = null;
      let authorised = false;
      let station: string | undefined;
      const edit = recordEditor<Officer>(ctx, {
        form: FORM,
        fields: FIELDS,
        keyField: 'collar',
        collection: '/officers',
        idOf: (o) => o.collar,
        mayWrite: userCan('officers', 'write'),
        after: list.reload,
        name: (o) => `${o.collar} ${o.name}`,
        onShow: (o) => {
          authorised = !!o?.taser;
          station = o?.station;
        },
      });

      list.reload();
      void loadInto<ListPage<Station>>(ctx, '/stations?pageSize=500', (s) => (stations = s.items));
      void loadInto<ListPage<Team>>(ctx, '/teams?pageSize=500', (t) => (teams = t.items));
      void loadInto<ForceSettings>(ctx, '/force-settings', (f) => (months = f.policy.authorisationMonths));

      const submit = (f: FormReader) => {
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
        edit.save(edit.editing ? body : { collar: f.str('collar'), ...body });
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
        const f = edit.fields();
        const t = o?.taser;
        const at = station ?? stations[0]?.id;
        return edit.form(
          {
            heading: o ? `Edit ${o.collar} ${o.name}` : 'New officer',
            saveLabel: o ? 'Save officer' : 'Create officer',
            onSubmit: submit,
          },
          html`${f.text('collar', 'Collar number', o?.collar, {
            disabled: !!o,
            placeholder: 'PC1234',
            hint: o ? '' : '(e.g. PC1234)',
          })}
          ${f.text('name', 'Name', o?.name)}
          ${f.select(
            'rank',
            'Rank',
            RankSchema.options.map((r) => [r, r] as const),
            o?.rank ?? 'PC',
          )}
          ${f.select(
            'kind',
            'Kind',
            OfficerKindSchema.options.map((k) => [k, KIND_LABEL[k]] as const),
            o?.kind ?? 'regular',
          )}
          ${f.select('station', 'Station', idNameOptions(stations), at, {
            onChange: (v) => {
              station = v;
              ctx.update();
            },
          })}
          ${keyed(at, f.select('team', 'Team', teamOptions(at), o?.team))}`,
          html`<fieldset class="taser">
            <legend>Taser authorisation</legend>
            ${f.check('taser', 'Holds a Taser authorisation', authorised, {
              onChange: (v) => {
                authorised = v;
                ctx.update();
              },
            })}
            ${
              authorised
                ? html`<div class="form-grid">
                    ${f.text('taser.lastTrained', 'Last trained', t?.lastTrained ?? todayIso(), { type: 'date' })}
                    ${f.group(
                      'taser.models',
                      'Models trained on',
                      DeviceModelSchema.options.map((m) => [m, m] as const),
                      t?.models ?? [],
                    )}
                    <div class="checks">
                      ${f.check('taser.endorsed', 'Endorsed (student or special)', t?.endorsed ?? false)}
                      ${f.check('taser.suspended', 'Suspended', t?.suspended ?? false)}
                      ${f.check('taser.volunteer', 'Volunteer', t?.volunteer ?? true)}
                    </div>
                  </div>`
                : nothing
            }
          </fieldset>`,
        );
      };

      return listScreen({
        tab: 'officers',
        title: 'Officers',
        list,
        search: ['Search by collar or name', 'officer-search'],
        editor: edit,
        create: ['new-officer', 'New officer'],
        form,
        table: {
          id: 'officers',
          headers: ['Collar', 'Name', 'Rank', 'Kind', 'Station', 'Team', 'Taser'],
          row: (o) =>
            html`<tr data-collar=${o.collar}>
              <td>${o.collar}</td>
              <td>${o.name}</td>
              <td>${o.rank}</td>
              <td>${KIND_LABEL[o.kind]}</td>
              <td>${o.station}</td>
              <td>${o.team}</td>
              <td>${taserCell(o)}</td>
              ${edit.editCell(o, `Edit ${o.collar}`)}
            </tr>`,
        },
      });
    },
    { id: 'admin-officers', className: 'admin' },
  );
}
