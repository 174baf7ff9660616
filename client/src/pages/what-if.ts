import { html, nothing, type TemplateResult } from 'lit-html';
import { repeat } from 'lit-html/directives/repeat.js';
import type { Station, OrgView } from '../../../shared/schemas/org.schema.js';
import {
  WHAT_IF_MAX_DAYS,
  type WhatIf,
  type WhatIfOutcome,
  type WhatIfResult,
  type WhatIfVariant,
} from '../../../shared/schemas/report.schema.js';
import type { Scope } from '../../../shared/schemas/user.schema.js';
import { api, errorText, isAbort } from '../api.js';
import { pageChart } from '../charts.js';
import { cappedPresets, type Period } from '../../../shared/time/periods.js';
import { daysBetween, fmtDay, fmtRange, todayIso } from '../format.js';
import type { PageContext } from '../page.js';
import { unitsWithin, type UnitChoice } from '../units.js';

const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;
const COLOURS = ['#1f4e96', '#b35900', '#1a7f37', '#6f42c1', '#8a6d00'];

const COLUMNS: [string, (o: WhatIfOutcome) => string | number][] = [
  ['Set-up', (o) => o.label],
  ['Hours below minimum (planned)', (o) => o.hoursBelowMinimum ?? '–'],
  ['Crews with Taser', (o) => o.taserCrews],
  ['Pairs without carrier', (o) => o.pairsWithoutCarrier],
  ['Shifts short of cover', (o) => o.shiftsShort],
  ['Pairs both carrying', (o) => o.pairsBothCarry],
  ['Singles', (o) => o.singles],
  ['Unassigned', (o) => o.unassigned],
  ['May carry on duty', (o) => o.authorisedOnDuty],
  ['Serviceable devices', (o) => o.devices],
];

/**
 * A card comparing today's cover with the legacy policy, extra devices and more officers trained, for a
 * borough or station in the user's scope. It lives inside a page and shares its context (requests stop
 * with the page).
 */
export function whatIfCard(ctx: PageContext, scope: Scope): () => TemplateResult {
  let units: UnitChoice[] = [];
  let stations: Station[] = [];
  let note = '';
  let failed = false;
  let busy = false;
  let result: WhatIfResult | null = null;
  const presets = cappedPresets(todayIso(), WHAT_IF_MAX_DAYS);
  let period: Period = presets[0]!;
  const chart = pageChart(ctx, 'what-if-chart');

  /** Planned Taser-equipped units per hour, one line per set-up, and the unit's minimum. */
  const drawChart = () => {
    const r = result;
    chart.draw(
      r && {
        labels: r.hours.map((h) => `${fmtDay(h.date)} ${hh(h.hour)}`),
        series: r.outcomes.map((o, i) => ({
          label: o.label,
          data: o.coverByHour,
          colour: COLOURS[i % COLOURS.length]!,
        })),
        minimum: r.minimum,
        yTitle: 'Taser-equipped units (planned)',
        hourly: true,
      },
    );
  };

  api<OrgView>('GET', '/org', undefined, ctx.signal).then(
    (org) => {
      units = unitsWithin(org, scope).filter((u) => u.level === 'borough' || u.level === 'station');
      const inScope = new Set(units.filter((u) => u.level === 'station').map((u) => u.id));
      stations = org.stations.filter((s) => inScope.has(s.id));
      ctx.update();
    },
    (e: unknown) => {
      if (isAbort(e)) return;
      note = `Could not load your units: ${errorText(e)}`;
      failed = true;
      ctx.update();
    },
  );

  const run = (ev: SubmitEvent) => {
    ev.preventDefault();
    const f = new FormData(ev.currentTarget as HTMLFormElement);
    const get = (name: string) => (f.get(name) as string | null) ?? '';
    const unit = units.find((u) => `${u.level}:${u.id}` === get('whatif-unit'));
    if (!unit || unit.level === 'force') return;
    const from = get('whatif-from');
    const to = get('whatif-to');
    const span = daysBetween(from, to);
    if (span < 1 || span > WHAT_IF_MAX_DAYS) {
      note = `Pick 1 to ${WHAT_IF_MAX_DAYS} days (from on or before to); that is ${span}.`;
      failed = true;
      result = null;
      ctx.update();
      return;
    }
    const station = get('whatif-station');
    const devices = Number(get('whatif-devices'));
    const trained = Number(get('whatif-trained'));
    const variants: WhatIfVariant[] = [{ label: 'Legacy policy: both of a pair carry', policy: 'legacy' }];
    if (devices > 0)
      variants.push({
        label: `+${devices} X2 at ${stations.find((s) => s.id === station)?.name ?? station}`,
        extraDevices: [{ station, model: 'X2', count: devices }],
      });
    if (trained > 0) variants.push({ label: `${trained} more PCs trained`, trainOfficers: trained });
    const body: WhatIf = { unit: { level: unit.level, id: unit.id }, from, to, variants };
    note = 'Solving each variant…';
    failed = false;
    busy = true;
    result = null;
    ctx.update();
    api<WhatIfResult>('POST', '/reports/what-if', body, ctx.signal).then(
      (r) => {
        busy = false;
        result = r;
        queueMicrotask(() => queueMicrotask(drawChart));
        note =
          `${r.shifts} shifts of ${r.unit}, ${fmtRange(r.from, r.to)} (${r.days} ${r.days === 1 ? 'day' : 'days'}); ` +
          (r.outcomes.every((o) => o.status === 'OPTIMAL')
            ? 'each set-up solved to proven optimality.'
            : `solver status: ${r.outcomes.map((o) => o.status).join(', ')}.`);
        ctx.update();
      },
      (e: unknown) => {
        if (isAbort(e)) return;
        busy = false;
        note = `Could not compare: ${errorText(e)}`;
        failed = true;
        ctx.update();
      },
    );
  };

  return () =>
    html`<div class="card">
      <h3>What would a change buy?</h3>
      <form id="what-if" class="row" @submit=${run}>
        <label
          >Unit
          <select name="whatif-unit">
            ${repeat(
              units,
              (u) => `${u.level}:${u.id}`,
              (u) => html`<option value="${u.level}:${u.id}">${u.label}</option>`,
            )}
          </select></label
        >
        <label
          >Period
          <select
            name="whatif-period"
            @change=${(ev: Event) => {
              period = presets.find((p) => p.id === (ev.currentTarget as HTMLSelectElement).value) ?? period;
              ctx.update();
            }}
          >
            ${presets.map((p) => html`<option value=${p.id} ?selected=${p.id === period.id}>${p.label}</option>`)}
            ${period.id === 'custom' ? html`<option value="custom" selected>Dates below</option>` : nothing}
          </select></label
        >
        <label
          >From
          <input
            name="whatif-from"
            type="date"
            .value=${period.from}
            @change=${(ev: Event) => {
              period = {
                id: 'custom',
                label: 'Dates below',
                from: (ev.currentTarget as HTMLInputElement).value,
                to: period.to,
              };
              ctx.update();
            }}
            required
        /></label>
        <label
          >To
          <input
            name="whatif-to"
            type="date"
            .value=${period.to}
            @change=${(ev: Event) => {
              period = {
                id: 'custom',
                label: 'Dates below',
                from: period.from,
                to: (ev.currentTarget as HTMLInputElement).value,
              };
              ctx.update();
            }}
            required
        /></label>
        <label>Extra X2 devices <input name="whatif-devices" type="number" min="0" max="200" value="10" /></label>
        <label
          >at
          <select name="whatif-station">
            ${repeat(
              stations,
              (s) => s.id,
              (s) => html`<option value=${s.id}>${s.name}</option>`,
            )}
          </select></label
        >
        <label>Train more PCs <input name="whatif-trained" type="number" min="0" max="500" value="20" /></label>
        <button type="submit" ?disabled=${busy || units.length === 0}>Compare</button>
      </form>
      <div id="what-if-result">
        ${note ? html`<p class=${failed ? 'error' : 'muted'} role="status">${note}</p>` : nothing}
        ${
          result
            ? html`<div class="table-wrap">
                  <table id="what-if-table">
                    <thead>
                      <tr>
                        ${COLUMNS.map(([t]) => html`<th>${t}</th>`)}
                      </tr>
                    </thead>
                    <tbody>
                      ${repeat(
                        result.outcomes,
                        (o) => o.label,
                        (o) =>
                          html`<tr>
                            ${COLUMNS.map(([, f]) => html`<td>${f(o)}</td>`)}
                          </tr>`,
                      )}
                    </tbody>
                  </table>
                </div>
                <ul id="what-if-summary">
                  ${result.outcomes.filter((o) => o.summary !== null).map((o) => html`<li>${o.summary}</li>`)}
                </ul>
                <div class="cover-chart">
                  <canvas
                    id="what-if-chart"
                    role="img"
                    aria-label="Line chart of planned Taser-equipped units per hour for each set-up against the minimum; the table above has the hours below it."
                  ></canvas>
                </div>
                ${result.days > 1 ? dayTable(result) : nothing}`
            : nothing
        }
      </div>
    </div>`;
}

/** Pairs without a carrier per day, one column per set-up. */
function dayTable(r: WhatIfResult): TemplateResult {
  const first = r.outcomes[0]!;
  return html`<div class="table-wrap">
    <table id="what-if-days">
      <caption>
        Pairs without a carrier by day
      </caption>
      <thead>
        <tr>
          <th>Day</th>
          ${r.outcomes.map((o) => html`<th>${o.label}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${first.pairsWithoutCarrierByDay.map(
          (d, i) =>
            html`<tr>
              <td>${fmtDay(d.date)}</td>
              ${r.outcomes.map((o) => html`<td>${o.pairsWithoutCarrierByDay[i]?.pairsWithoutCarrier ?? ''}</td>`)}
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}
