import type { WhatIfResult, WhatIfVariant } from '../../../shared/schemas/report.schema.js';
import { api, ApiError, session } from '../api.js';
import { h } from '../dom.js';

type Org = { boroughs: { id: string; name: string }[]; stations: { id: string; name: string }[] };

/** A card comparing today's cover with the legacy policy, extra devices and more officers trained. */
export function whatIfCard(): HTMLElement {
  const user = session.user()!;
  const unit = h('select', { name: 'whatif-unit' });
  const day = h('input', {
    name: 'whatif-day',
    type: 'date',
    value: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10),
  });
  const station = h('select', { name: 'whatif-station' });
  const devices = h('input', { name: 'whatif-devices', type: 'number', min: 0, max: 200, value: 10 });
  const trained = h('input', { name: 'whatif-trained', type: 'number', min: 0, max: 500, value: 20 });
  const out = h('div', { id: 'what-if-result' });

  void api<Org>('GET', '/org').then((org) => {
    unit.replaceChildren(
      ...(user.scope.level === 'station'
        ? []
        : org.boroughs.map((b) => h('option', { value: `borough:${b.id}` }, `Borough ${b.name}`))),
      ...org.stations.map((s) => h('option', { value: `station:${s.id}` }, `Station ${s.name}`)),
    );
    station.replaceChildren(...org.stations.map((s) => h('option', { value: s.id }, s.name)));
  });

  const run = (ev: Event) => {
    ev.preventDefault();
    const [level, id] = unit.value.split(':') as [string, string];
    const variants: WhatIfVariant[] = [{ label: 'Legacy policy: both of a pair carry', policy: 'legacy' }];
    if (Number(devices.value) > 0)
      variants.push({
        label: `+${devices.value} X2 at ${station.selectedOptions[0]?.textContent ?? station.value}`,
        extraDevices: [{ station: station.value, model: 'X2', count: Number(devices.value) }],
      });
    if (Number(trained.value) > 0)
      variants.push({ label: `${trained.value} more PCs trained`, trainOfficers: Number(trained.value) });
    out.replaceChildren(h('p', { class: 'muted' }, 'Solving each variant…'));
    api<WhatIfResult>('POST', '/reports/what-if', {
      unit: { level, id },
      from: day.value,
      to: day.value,
      variants,
    }).then(
      (r) => {
        const cols: [string, (o: WhatIfResult['outcomes'][number]) => string | number][] = [
          ['Set-up', (o) => o.label],
          ['Crews with Taser', (o) => o.taserCrews],
          ['Pairs without carrier', (o) => o.pairsWithoutCarrier],
          ['Pairs both carrying', (o) => o.pairsBothCarry],
          ['Singles', (o) => o.singles],
          ['Unassigned', (o) => o.unassigned],
          ['May carry on duty', (o) => o.authorisedOnDuty],
          ['Serviceable devices', (o) => o.devices],
        ];
        out.replaceChildren(
          h(
            'p',
            { class: 'muted' },
            `${r.shifts} shifts of ${r.unit} on ${r.from}; ` +
              (r.outcomes.every((o) => o.status === 'OPTIMAL')
                ? 'each set-up solved to proven optimality.'
                : `solver status: ${r.outcomes.map((o) => o.status).join(', ')}.`),
          ),
          h(
            'table',
            { id: 'what-if-table' },
            h('thead', {}, h('tr', {}, ...cols.map(([t]) => h('th', {}, t)))),
            h('tbody', {}, ...r.outcomes.map((o) => h('tr', {}, ...cols.map(([, f]) => h('td', {}, f(o)))))),
          ),
        );
      },
      (e: unknown) =>
        out.replaceChildren(h('p', { class: 'error' }, e instanceof ApiError ? e.message : 'Could not compare.')),
    );
  };

  return h(
    'div',
    { class: 'card' },
    h('h3', {}, 'What would a change buy?'),
    h(
      'form',
      { id: 'what-if', onsubmit: run, class: 'row' },
      h('label', {}, 'Unit', unit),
      h('label', {}, 'Day', day),
      h('label', {}, 'Extra X2 devices', devices),
      h('label', {}, 'at', station),
      h('label', {}, 'Train more PCs', trained),
      h('button', { type: 'submit' }, 'Compare'),
    ),
    out,
  );
}
