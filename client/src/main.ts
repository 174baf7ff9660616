import { session } from './api.js';
import { h, mount } from './dom.js';
import { armouryPage } from './pages/armoury.page.js';
import { authorisationsPage } from './pages/authorisations.page.js';
import { boardPage } from './pages/board.page.js';
import { loginPage } from './pages/login.page.js';
import { plansPage } from './pages/plans.page.js';
import { stationsPage } from './pages/stations.page.js';

type Route = { path: string; title: string; render: () => HTMLElement; roles?: string[] };

/** Pages reachable from the top bar; later features add theirs here. */
export const routes: Route[] = [
  { path: 'stations', title: 'Stations', render: stationsPage },
  { path: 'plans', title: 'Crew plans', render: plansPage },
  { path: 'board', title: 'Live board', render: boardPage },
  { path: 'armoury', title: 'Armoury', render: armouryPage, roles: ['armourer', 'admin'] },
  {
    path: 'authorisations',
    title: 'Review',
    render: authorisationsPage,
    roles: ['planner', 'borough_lead', 'admin'],
  },
];

const app = document.getElementById('app')!;
const nav = document.getElementById('nav')!;
const who = document.getElementById('who')!;

function render(): void {
  const user = session.user();
  if (!session.token() || !user) {
    nav.replaceChildren();
    who.replaceChildren();
    mount(
      app,
      loginPage(() => {
        location.hash = '#/stations';
        render();
      }),
    );
    return;
  }
  const visible = routes.filter((r) => !r.roles || r.roles.includes(user.role));
  const current = location.hash.replace(/^#\//, '') || visible[0]!.path;
  const route = visible.find((r) => r.path === current) ?? visible[0]!;
  nav.replaceChildren(
    ...visible.map((r) => h('a', { href: `#/${r.path}`, class: r === route ? 'active' : undefined }, r.title)),
  );
  who.replaceChildren(
    `${user.name} · ${user.role.replace('_', ' ')} · ${user.scope.level} ${user.scope.id}`,
    h('button', { class: 'secondary', onclick: () => (session.clear(), render()) }, 'Log out'),
  );
  mount(app, route.render());
}

window.addEventListener('hashchange', render);
render();
