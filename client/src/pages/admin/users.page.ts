import { html, nothing } from 'lit-html';
import { keyed } from 'lit-html/directives/keyed.js';
import { repeat } from 'lit-html/directives/repeat.js';
import { ScopeLevelSchema, type ScopeLevel } from '../../../../shared/schemas/common.schema.js';
import type { OrgView } from '../../../../shared/schemas/org.schema.js';
import { RoleSchema, type Role, type User } from '../../../../shared/schemas/user.schema.js';
import { api, isAbort, session } from '../../api.js';
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

const FORM = 'user-form';
const FIELDS = ['username', 'name', 'role', 'scope', 'scope.level', 'scope.id', 'password'] as const;

const ROLE_LABEL: Record<Role, string> = {
  planner: 'Duty planner',
  control_room: 'Control room',
  borough_lead: 'Borough lead',
  armourer: 'Armourer',
  admin: 'Administrator',
};

/** Users in the admin's scope, searchable by username or name: role, scope and password; create, edit, delete. */
export function usersPage(params: URLSearchParams = new URLSearchParams()): Page {
  return definePage(
    (ctx) => {
      const list = listState<User>(ctx, '/users', 'user', { q: params.get('q') });
      const edit = closedEdit<User>();
      const mayWrite = userCan('users', 'write');
      let org: OrgView | null = null;
      let level: ScopeLevel = 'station';
      let done = '';
      list.reload();
      api<OrgView>('GET', '/org', undefined, ctx.signal).then(
        (o) => {
          org = o;
          ctx.update();
        },
        (e: unknown) => {
          if (!isAbort(e)) ctx.update();
        },
      );

      /** The units an admin may scope a user to at `l`, as select options. */
      const units = (l: ScopeLevel): (readonly [string, string])[] => {
        if (!org) return [];
        switch (l) {
          case 'force':
            return [[org.force.id, `${org.force.id} ${org.force.name}`]];
          case 'bcu':
            return org.bcus.map((b) => [b.id, `${b.id} ${b.name}`] as const);
          case 'borough':
            return org.boroughs.map((b) => [b.id, `${b.id} ${b.name}`] as const);
          case 'station':
            return org.stations.map((s) => [s.id, `${s.id} ${s.name}`] as const);
        }
      };

      const open = (u: User | null) => {
        openEdit(edit, u);
        level = u?.scope.level ?? 'station';
        done = '';
        ctx.update();
      };

      const submit = (ev: SubmitEvent) => {
        ev.preventDefault();
        const f = read(new FormData(ev.currentTarget as HTMLFormElement));
        const current = edit.editing;
        const body = {
          name: f.str('name'),
          role: f.str('role') as Role,
          scope: { level: f.str('scope.level') as ScopeLevel, id: f.str('scope.id') },
        };
        const password = f.opt('password');
        submitWith(
          ctx,
          edit,
          FIELDS,
          () =>
            current
              ? api<User>(
                  'PATCH',
                  `/users/${encodeURIComponent(current.username)}`,
                  { ...body, ...(password ? { password } : {}) },
                  ctx.signal,
                )
              : api<User>(
                  'POST',
                  '/users',
                  { username: f.str('username'), ...body, password: password ?? '' },
                  ctx.signal,
                ),
          (u) => {
            done = current ? `Saved ${u.username}.` : `Created ${u.username}.`;
            list.reload();
          },
          'username',
        );
      };

      const remove = () => {
        const current = edit.editing;
        if (!current) return;
        submitWith(
          ctx,
          edit,
          FIELDS,
          () => api<void>('DELETE', `/users/${encodeURIComponent(current.username)}`, undefined, ctx.signal),
          () => {
            done = `Deleted ${current.username}.`;
            list.reload();
          },
        );
      };

      const form = () => {
        const u = edit.editing;
        const e = edit.errors;
        const me = session.user()?.username;
        return html`<form id=${FORM} class="card admin-form" @submit=${submit} novalidate>
          <h3>${u ? `Edit ${u.username}` : 'New user'}</h3>
          ${formTop(e)}
          <div class="form-grid">
            ${textField(FORM, e, 'username', 'Username', u?.username, { disabled: !!u, placeholder: 'planner.sutton' })}
            ${textField(FORM, e, 'name', 'Name', u?.name)}
            ${selectField(
              FORM,
              e,
              'role',
              'Role',
              RoleSchema.options.map((r) => [r, ROLE_LABEL[r]] as const),
              u?.role ?? 'planner',
            )}
            ${selectField(
              FORM,
              e,
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
            ${keyed(level, selectField(FORM, e, 'scope.id', 'Scope unit', units(level), u?.scope.id))}
            ${textField(FORM, e, 'password', u ? 'New password' : 'Password', '', {
              type: 'password',
              autocomplete: 'new-password',
              hint: u ? '(leave blank to keep; at least 10 characters)' : '(at least 10 characters)',
            })}
          </div>
          ${formButtons(ctx, edit, {
            saveLabel: u ? 'Save user' : 'Create user',
            ...(u && u.username !== me ? { onDelete: remove } : {}),
          })}
        </form>`;
      };

      return {
        navigate: followQuery(list),
        view: () =>
          html`${adminTabs('users')}
            <h2>Users</h2>
            ${done ? notice(done) : nothing} ${searchBox(list, 'Search by username or name', 'user-search')}
            ${
              mayWrite && !edit.open
                ? html`<p><button id="new-user" @click=${() => open(null)}>New user</button></p>`
                : nothing
            }
            ${edit.open ? keyed(edit.key, form()) : nothing}
            <div class="table-wrap">
              <table id="users">
                <thead>
                  <tr>
                    <th>Username</th>
                    <th>Name</th>
                    <th>Role</th>
                    <th>Scope</th>
                    ${mayWrite ? html`<th><span class="visually-hidden">Actions</span></th>` : nothing}
                  </tr>
                </thead>
                <tbody>
                  ${repeat(
                    list.items,
                    (u) => u.username,
                    (u) =>
                      html`<tr data-username=${u.username}>
                        <td>${u.username}</td>
                        <td>${u.name}</td>
                        <td>${ROLE_LABEL[u.role]}</td>
                        <td>${u.scope.level} ${u.scope.id}</td>
                        ${
                          mayWrite
                            ? html`<td>
                                <button class="secondary" aria-label=${`Edit ${u.username}`} @click=${() => open(u)}>
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
            ${pager(list, 'Users')}`,
      };
    },
    { id: 'admin-users', className: 'admin' },
  );
}
