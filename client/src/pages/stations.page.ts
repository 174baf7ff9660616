import { html } from 'lit-html';
import { repeat } from 'lit-html/directives/repeat.js';
import type { Page as ListPage } from '../../../shared/schemas/common.schema.js';
import type { Station } from '../../../shared/schemas/org.schema.js';
import { api, errorText, isAbort } from '../api.js';
import { plural } from '../format.js';
import { definePage, type Page } from '../page.js';

type Row = Station & { officers: number; devices: number };

/** The stations in the user's scope, with a count of officers and devices at each. */
export function stationsPage(): Page {
  return definePage((ctx) => {
    let rows: Row[] = [];
    let status = 'Loading…';
    let failed = false;
    const load = async () => {
      const get = <T>(path: string) => api<ListPage<T>>('GET', path, undefined, ctx.signal);
      const page = await get<Station>('/stations?pageSize=500');
      status = `${plural(page.total, 'station')} in your scope`;
      rows = await Promise.all(
        page.items.map(async (s) => {
          const [officers, devices] = await Promise.all([
            get(`/officers?station=${encodeURIComponent(s.id)}&pageSize=1`),
            get(`/devices?station=${encodeURIComponent(s.id)}&pageSize=1`),
          ]);
          return { ...s, officers: officers.total, devices: devices.total };
        }),
      );
      ctx.update();
    };
    load().catch((e: unknown) => {
      if (isAbort(e)) return;
      status = errorText(e);
      failed = true;
      ctx.update();
    });
    return () =>
      html`<h2>Stations</h2>
        <p class=${failed ? 'error' : 'muted'}>${status}</p>
        <div class="table-wrap">
          <table id="stations">
            <thead>
              <tr>
                <th>Code</th>
                <th>Station</th>
                <th>Borough</th>
                <th>BCU</th>
                <th>Officers</th>
                <th>Devices</th>
              </tr>
            </thead>
            <tbody>
              ${repeat(
                rows,
                (s) => s.id,
                (s) =>
                  html`<tr data-station=${s.id}>
                    <td>${s.id}</td>
                    <td>${s.name}</td>
                    <td>${s.borough}</td>
                    <td>${s.bcu}</td>
                    <td>${s.officers}</td>
                    <td>${s.devices}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>`;
  });
}
