import { html } from 'lit-html';
import { keyed } from 'lit-html/directives/keyed.js';
import { ScopeLevelSchema, type ScopeLevel } from '../../../../shared/schemas/common.schema.js';
import type { OrgView } from '../../../../shared/schemas/org.schema.js';
import { RoleSchema, type Role, type User } from '../../../../shared/schemas/user.schema.js';
import { session } from '../../api.js';
import { definePage, type Page } from '../../page.js';
import { idNameOptions, listScreen, listState, loadInto, recordEditor, userCan, type FormReader } from './admin-kit.js';

const FORM = 'user-form';
const FIELDS = ['username', 'name', 'role', 'scope', 'scope.level', 'scope.id', 'password'] as const;

const ROLE_LABEL: Record<Role, string> = {
  planner: 'Duty planner',
  control_room: 'Control room',
  borough_lead: 'Borough lead',
  armourer: 'Armourer',
  admin: 'Administrator',
  oversight: 'Oversight (aggregates only)',
};

/** Users in the admin's scope, searchable by username or name: role, scope and password; create, edit, delete. */
export function usersPage(params: URLSearchParams = new URLSearchParams()): Page {
  return definePage(
    (ctx) => {
      const list = listState<User>(ctx, '/users', 'user', { q: params.get('q') });
      let org: OrgView | null = null;
      let level: ScopeLevel = 'station';
      const edit = recordEditor<User>(ctx, {
        form: FORM,
        fields: FIELDS,
        keyField: 'username',
        collection: '/users',
        idOf: (u) => u.username,
        mayWrite: userCan('users', 'write'),
        after: list.reload,
        onShow: (u) => (level = u?.scope.level ?? 'station'),
      });
      list.reload();
      void loadInto<OrgView>(ctx, '/org', (o) => (org = o));

      /** The units an admin may scope a user to at `l`, as select options. */
      const units = (l: ScopeLevel): (readonly [string, string])[] => {
        if (!org) return [];
        switch (l) {
          case 'force':
            return idNameOptions([org.force]);
          case 'bcu':
            return idNameOptions(org.bcus);
          case 'borough':
            return idNameOptions(org.boroughs);
          case 'station':
            return idNameOptions(org.stations);
        }
      };

      const submit = (f: FormReader) => {
        const body = {
          name: f.str('name'),
          role: f.str('role') as Role,
          scope: { level: f.str('scope.level') as ScopeLevel, id: f.str('scope.id') },
        };
        const password = f.opt('password');
        edit.save(
          edit.editing
            ? { ...body, ...(password ? { password } : {}) }
            : { username: f.str('username'), ...body, password: password ?? '' },
        );
      };

      const form = () => {
        const u = edit.editing;
        const f = edit.fields();
        return edit.form(
          {
            heading: u ? `Edit ${u.username}` : 'New user',
            saveLabel: u ? 'Save user' : 'Create user',
            onSubmit: submit,
            deletable: u?.username !== session.user()?.username,
          },
          html`${f.text('username', 'Username', u?.username, { disabled: !!u, placeholder: 'planner.sutton' })}
          ${f.text('name', 'Name', u?.name)}
          ${f.select(
            'role',
            'Role',
            RoleSchema.options.map((r) => [r, ROLE_LABEL[r]] as const),
            u?.role ?? 'planner',
          )}
          ${f.select(
            'scope.level',
            'Scope level',
            ScopeLevelSchema.options.map((l) => [l, l] as const),
            level,
            {
              onChange: (v) => {
                level = v as ScopeLevel;
                ctx.update();
              },
            },
          )}
          ${keyed(level, f.select('scope.id', 'Scope unit', units(level), u?.scope.id))}
          ${f.text('password', u ? 'New password' : 'Password', '', {
            type: 'password',
            autocomplete: 'new-password',
            hint: u ? '(leave blank to keep; at least 10 characters)' : '(at least 10 characters)',
          })}`,
        );
      };

      return listScreen({
        tab: 'users',
        title: 'Users',
        list,
        search: ['Search by username or name', 'user-search'],
        editor: edit,
        create: ['new-user', 'New user'],
        form,
        table: {
          id: 'users',
          headers: ['Username', 'Name', 'Role', 'Scope'],
          row: (u) =>
            html`<tr data-username=${u.username}>
              <td>${u.username}</td>
              <td>${u.name}</td>
              <td>${ROLE_LABEL[u.role]}</td>
              <td>${u.scope.level} ${u.scope.id}</td>
              ${edit.editCell(u, `Edit ${u.username}`)}
            </tr>`,
        },
      });
    },
    { id: 'admin-users', className: 'admin' },
  );
}
