import type { AuthorisationReport } from '../../../shared/schemas/report.schema.js';
import { api, ApiError, session } from '../api.js';
import { h } from '../dom.js';
import { whatIfCard } from './what-if.js';

/** The borough lead's review: who may carry against how many devices, and whose authorisation lapses soon. */
export function authorisationsPage(): HTMLElement {
  const days = h('input', { name: 'days', type: 'number', min: 1, max: 366, value: 60 });
  const status = h('p', { class: 'muted' }, 'Loading…');
  const body = h('div', { id: 'authorisations' });

  const load = async () => {
    const r = await api<AuthorisationReport>('GET', `/reports/authorisations?days=${encodeURIComponent(days.value)}`);
    status.textContent = `As of ${new Date(r.asOf).toLocaleString('en-GB', { timeZone: 'Europe/London' })}`;
    status.className = 'muted';
    const row = (t: AuthorisationReport['totals']) =>
      h(
        'tr',
        { 'data-unit': t.unit },
        ...[t.unit, t.officers, t.authorised, t.inDate, t.lapsing, t.lapsed, t.suspended, t.serviceableDevices].map(
          (v) => h('td', {}, v),
        ),
      );
    body.replaceChildren(
      h(
        'table',
        { id: 'authorisation-totals' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...[
              'Unit',
              'Officers',
              'Authorised',
              'In date',
              `Lapsing ≤ ${r.days} d`,
              'Lapsed',
              'Suspended',
              'Serviceable devices',
            ].map((t) => h('th', {}, t)),
          ),
        ),
        h('tbody', {}, ...r.stations.map(row), row(r.totals)),
      ),
      h('h3', {}, `${r.officers.length} officers to act on`),
      h(
        'table',
        { id: 'authorisation-officers' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['Officer', 'Rank', 'Station', 'Team', 'Models', 'Last trained', 'Lapses', 'Status'].map((t) =>
              h('th', {}, t),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          ...r.officers.map((o) =>
            h(
              'tr',
              { 'data-officer': o.collar },
              h('td', {}, `${o.collar} ${o.name}`),
              h('td', {}, o.rank),
              h('td', {}, o.station),
              h('td', {}, o.team),
              h('td', {}, o.models.join(', ')),
              h('td', {}, o.lastTrained),
              h('td', {}, o.status === 'lapsing' ? `${o.lapses} (${o.daysLeft} d)` : o.lapses),
              h('td', {}, h('span', { class: `pill ${o.status === 'lapsing' ? '' : 'bad'}` }, o.status)),
            ),
          ),
        ),
      ),
    );
  };
  const reload = () =>
    void load().catch((e: unknown) => {
      status.textContent = e instanceof ApiError ? e.message : 'Could not load the report.';
      status.className = 'error';
    });
  days.addEventListener('change', reload);
  reload();

  const csv = (ev: Event) => {
    ev.preventDefault();
    void fetch(`/api/reports/authorisations?format=csv&days=${encodeURIComponent(days.value)}`, {
      headers: { authorization: `Bearer ${session.token() ?? ''}` },
    })
      .then((res) => res.blob())
      .then((blob) => h('a', { href: URL.createObjectURL(blob), download: 'authorisations.csv' }).click());
  };
  return h(
    'section',
    {},
    h('h2', {}, 'Taser authorisations'),
    h(
      'p',
      {},
      h('label', {}, 'Lapsing within (days) ', days),
      ' ',
      h('a', { href: '#', onclick: csv }, 'Download CSV'),
    ),
    status,
    body,
    whatIfCard(),
  );
}
