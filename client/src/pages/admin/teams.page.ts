import { html } from 'lit-html';
import type { Page as ListPage } from '../../../../shared/schemas/common.schema.js';
import type { Station } from '../../../../shared/schemas/org.schema.js';
import type { ShiftDefinition, Team } from '../../../../shared/schemas/shift.schema.js';
import { fmtDate, todayIso } from '../../format.js';
import { definePage, type Page } from '../../page.js';
import { idNameOptions, listScreen, listState, loadInto, recordEditor, userCan, type FormReader } from './admin-kit.js';

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
      let stations: Station[] = [];
      let shifts: ShiftDefinition[] = [];
      const loadShifts = () =>
        loadInto<ListPage<ShiftDefinition>>(ctx, '/shift-definitions?pageSize=100', (r) => (shifts = r.items));

      const edit = recordEditor<Team>(ctx, {
        form: TEAM_FORM,
        fields: TEAM_FIELDS,
        keyField: 'id',
        collection: '/teams',
        idOf: (t) => t.id,
        mayWrite: userCan('teams', 'write'),
        after: list.reload,
        name: (t) => `team ${t.id}`,
      });
      const shiftEdit = recordEditor<ShiftDefinition>(ctx, {
        form: SHIFT_FORM,
        fields: SHIFT_FIELDS,
        keyField: 'code',
        collection: '/shift-definitions',
        idOf: (s) => s.code,
        mayWrite: userCan('shift_definitions', 'write'),
        done: edit.done,
        after: () => void loadShifts(),
        name: (s) => `shift ${s.code}`,
      });

      list.reload();
      void loadShifts();
      void loadInto<ListPage<Station>>(ctx, '/stations?pageSize=500', (s) => (stations = s.items));

      const submitTeam = (f: FormReader) => {
        const body = {
          name: f.str('name'),
          station: f.str('station'),
          rota: { pattern: parsePattern(f.str('rota.pattern')), anchorDate: f.str('rota.anchorDate') },
        };
        edit.save(edit.editing ? body : { id: f.str('id'), ...body });
      };

      const submitShift = (f: FormReader) => {
        const body = { name: f.str('name'), start: f.str('start'), end: f.str('end') };
        shiftEdit.save(shiftEdit.editing ? body : { code: f.str('code'), ...body });
      };

      const teamForm = () => {
        const t = edit.editing;
        const f = edit.fields();
        return edit.form(
          {
            heading: t ? `Edit team ${t.id}` : 'New team',
            saveLabel: t ? 'Save team' : 'Create team',
            onSubmit: submitTeam,
          },
          html`${f.text('id', 'Team id', t?.id, { disabled: !!t, placeholder: 'BR-F' })}
          ${f.text('name', 'Name', t?.name)}
          ${f.select('station', 'Station', idNameOptions(stations), t?.station ?? stations[0]?.id)}
          ${f.text('rota.pattern', 'Rota pattern', t?.rota.pattern.join(' '), {
            placeholder: 'E E L L N N R R R R',
            hint: `(shift codes ${shifts.map((s) => s.code).join(', ')}; R for rest)`,
          })}
          ${f.text('rota.anchorDate', 'Day 1 of the pattern falls on', t?.rota.anchorDate ?? todayIso(), { type: 'date' })}`,
        );
      };

      const shiftForm = () => {
        const s = shiftEdit.editing;
        const f = shiftEdit.fields();
        return shiftEdit.form(
          {
            heading: s ? `Edit shift ${s.code}` : 'New shift',
            saveLabel: s ? 'Save shift' : 'Create shift',
            onSubmit: submitShift,
          },
          html`${f.text('code', 'Code', s?.code, { disabled: !!s, placeholder: 'E' })}
          ${f.text('name', 'Name', s?.name)} ${f.text('start', 'Starts (local)', s?.start, { type: 'time' })}
          ${f.text('end', 'Ends (local; before the start runs past midnight)', s?.end, { type: 'time' })}`,
        );
      };

      return listScreen({
        tab: 'teams',
        title: 'Teams and rotas',
        list,
        search: ['Search by team id or name', 'team-search'],
        editor: edit,
        create: ['new-team', 'New team'],
        form: teamForm,
        table: {
          id: 'teams',
          headers: ['Team', 'Name', 'Station', 'Rota', 'Day 1 on'],
          row: (t) =>
            html`<tr data-team=${t.id}>
              <td>${t.id}</td>
              <td>${t.name}</td>
              <td>${t.station}</td>
              <td class="rota">${t.rota.pattern.join(' ')}</td>
              <td>${fmtDate(t.rota.anchorDate)}</td>
              ${edit.editCell(t, `Edit team ${t.id}`)}
            </tr>`,
        },
        pagerLabel: 'Teams',
        below: () =>
          html`<h2>Shift definitions</h2>
            ${shiftEdit.newButton('new-shift', 'New shift')} ${shiftEdit.view(shiftForm)}
            ${shiftEdit.table(shifts, {
              id: 'shift-definitions',
              headers: ['Code', 'Name', 'Starts', 'Ends'],
              row: (s) =>
                html`<tr data-shift=${s.code}>
                  <td>${s.code}</td>
                  <td>${s.name}</td>
                  <td>${s.start}</td>
                  <td>${s.end}</td>
                  ${shiftEdit.editCell(s, `Edit shift ${s.code}`)}
                </tr>`,
            })}`,
      });
    },
    { id: 'admin-teams', className: 'admin' },
  );
}
