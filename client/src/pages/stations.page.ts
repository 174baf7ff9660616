import type { Page } from '../../../shared/schemas/common.schema.js';
import type { Station } from '../../../shared/schemas/org.schema.js';
import { api, ApiError } from '../api.js';
import { h } from '../dom.js';

/** The stations in the user's scope, with a count of officers and devices at each. */
export function stationsPage(): HTMLElement {
  const body = h('tbody');
  const status = h('p', { class: 'muted' }, 'Loading…');
  const load = async () => {
    const page = await api<Page<Station>>('GET', '/stations?pageSize=500');
    status.textContent = `${page.total} station${page.total === 1 ? '' : 's'} in your scope`;
    const rows = await Promise.all(
      page.items.map(async (s) => {
        const [officers, devices] = await Promise.all([
          api<Page<unknown>>('GET', `/officers?station=${encodeURIComponent(s.id)}&pageSize=1`),
          api<Page<unknown>>('GET', `/devices?station=${encodeURIComponent(s.id)}&pageSize=1`),
        ]);
        return h(
          'tr',
          { 'data-station': s.id },
          h('td', {}, s.id),
          h('td', {}, s.name),
          h('td', {}, s.borough),
          h('td', {}, s.bcu),
          h('td', {}, officers.total),
          h('td', {}, devices.total),
        );
      }),
    );
    body.replaceChildren(...rows);
  };
  load().catch((e: unknown) => {
    status.textContent = e instanceof ApiError ? e.message : 'Could not load stations.';
    status.className = 'error';
  });
  return h(
    'section',
    {},
    h('h2', {}, 'Stations'),
    status,
    h(
      'table',
      { id: 'stations' },
      h(
        'thead',
        {},
        h('tr', {}, ...['Code', 'Station', 'Borough', 'BCU', 'Officers', 'Devices'].map((t) => h('th', {}, t))),
      ),
      body,
    ),
  );
}
