import { html, render } from 'lit-html';
import { can, type Action, type Resource } from '../../shared/auth/permissions.js';
import type { Role } from '../../shared/schemas/user.schema.js';
import { SESSION_EXPIRED, session } from './api.js';
import type { Page } from './page.js';
import { abstractionsPage } from './pages/admin/abstractions.page.js';
import { ADMIN_TABS, type AdminPath } from './pages/admin/admin-kit.js';
import { devicesPage } from './pages/admin/devices.page.js';
import { officersPage } from './pages/admin/officers.page.js';
import { settingsPage } from './pages/admin/settings.page.js';
import { teamsPage } from './pages/admin/teams.page.js';
import { usersPage } from './pages/admin/users.page.js';
import { armouryPage } from './pages/armoury.page.js';
import { authorisationsPage } from './pages/authorisations.page.js';
import { cliffPage } from './pages/lead/cliff.page.js';
import { boardPage } from './pages/board.page.js';
import { coverPage } from './pages/lead/cover.page.js';
import { loginPage } from './pages/login.page.js';
import { plansPage } from './pages/plans.page.js';
import { stationsPage } from './pages/stations.page.js';
import { quarterlyPage } from './pages/uses/quarterly.page.js';
import { reconciliationPage } from './pages/uses/reconciliation.page.js';
import { usesPage } from './pages/uses/uses.page.js';
import { USE_TABS, type UsePath } from './pages/uses/uses-kit.js';
import { REVIEW_TABS, type ReviewPath } from './pages/lead/review-tabs.js';

/** A page of the app, shown to users whose role `can(resource, action)` (shared/auth/permissions.ts). */
type Route = {
  path: string;
  title: string;
  resource: Resource;
  action: Action;
  page: (params: URLSearchParams) => Page;
  /** Routes sharing a group have one top-bar entry (the first the user may see); the page shows the rest as tabs. */
  group?: string;
  /** Roles kept from the page although they may read its resource (oversight sees the publication only). */
  notFor?: readonly Role[];
};

const USE_PAGES: Record<UsePath, (params: URLSearchParams) => Page> = {
  uses: () => usesPage(),
  'use-quarterly': (params) => quarterlyPage(params),
  'use-reconciliation': () => reconciliationPage(),
};

const ADMIN_PAGES: Record<AdminPath, (params: URLSearchParams) => Page> = {
  officers: officersPage,
  devices: devicesPage,
  teams: teamsPage,
  abstractions: abstractionsPage,
  users: usersPage,
  settings: () => settingsPage(),
};

const REVIEW_PAGES: Record<ReviewPath, () => Page> = {
  authorisations: () => authorisationsPage(),
  cover: () => coverPage(),
  cliff: () => cliffPage(),
};

/** Pages reachable from the top bar, in order; later features add theirs here. */
export const routes: Route[] = [
  { path: 'plans', title: 'Crew plans', resource: 'plans', action: 'read', page: (params) => plansPage(params) },
  { path: 'board', title: 'Live board', resource: 'board', action: 'read', page: (params) => boardPage(params) },
  { path: 'armoury', title: 'Armoury', resource: 'armoury', action: 'read', page: () => armouryPage() },
  ...REVIEW_TABS.map((t) => ({ ...t, group: 'Review', page: () => REVIEW_PAGES[t.path]() })),
  ...USE_TABS.map((t) => ({
    ...t,
    group: 'Taser use',
    page: (params: URLSearchParams) => USE_PAGES[t.path](params),
  })),
  {
    path: 'stations',
    title: 'Stations',
    resource: 'org',
    action: 'read',
    page: () => stationsPage(),
    notFor: ['oversight'],
  },
  ...ADMIN_TABS.map((t) => ({
    ...t,
    group: 'Reference data',
    page: (params: URLSearchParams) => ADMIN_PAGES[t.path](params),
  })),
];

/** Where each role starts when no page is asked for (its own work first); others start at their first page. */
const LANDING: Partial<Record<Role, string>> = {
  armourer: 'armoury',
  control_room: 'board',
  oversight: 'use-quarterly',
};

const app = document.getElementById('app')!;
const nav = document.getElementById('nav')!;
const who = document.getElementById('who')!;
let current: Page | null = null;
let shownPath = '';

/** `#/plans?id=…` → the route path and its parameters. */
function parseHash(): { path: string; params: URLSearchParams } {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path = '', query = ''] = raw.split('?');
  return { path, params: new URLSearchParams(query) };
}

/** Leaves the current page before the next one is made, so its clean-up never undoes the next one's setup. */
function show(make: () => Page): void {
  current?.dispose();
  current = null;
  const page = make();
  current = page;
  app.replaceChildren(page.el);
}

function renderApp(): void {
  const user = session.user();
  if (!session.token() || !user) {
    render(html``, nav);
    render(html``, who);
    const back = location.hash && !location.hash.startsWith('#/login') ? location.hash : '';
    shownPath = 'login';
    show(() =>
      loginPage(() => {
        if (back && location.hash !== back) location.hash = back;
        else renderApp();
      }),
    );
    return;
  }
  const visible = routes.filter((r) => can(user.role, r.resource, r.action) && !r.notFor?.includes(user.role));
  const { path, params } = parseHash();
  const landing = visible.find((r) => r.path === LANDING[user.role]) ?? visible[0]!;
  const route = visible.find((r) => r.path === path) ?? landing;
  if (route.path !== path) {
    history.replaceState(null, '', `#/${route.path}`);
  }
  // One entry per group (the group's first visible route), so the top bar stays short on a phone.
  const entries = visible.filter((r) => !r.group || visible.find((x) => x.group === r.group) === r);
  render(
    html`${entries.map((r) => {
      const active = r === route || (!!r.group && r.group === route.group);
      return html`<a href="#/${r.path}" class=${active ? 'active' : ''} aria-current=${active ? 'page' : 'false'}
        >${r.group ?? r.title}</a
      >`;
    })}`,
    nav,
  );
  render(
    html`<span>${user.name} · ${user.role.replace('_', ' ')} · ${user.scope.level} ${user.scope.id}</span>
      <button class="secondary" @click=${logOut}>Log out</button>`,
    who,
  );
  if (current?.navigate && shownPath === route.path) current.navigate(params);
  else show(() => route.page(params));
  shownPath = route.path;
}

function logOut(): void {
  session.clear();
  location.hash = '';
  renderApp();
}

window.addEventListener('hashchange', renderApp);
window.addEventListener(SESSION_EXPIRED, renderApp);
renderApp();
