import { html, nothing, type TemplateResult } from 'lit-html';
import { repeat } from 'lit-html/directives/repeat.js';
import type { CoverHour, CoverReport } from '../../../../shared/schemas/cover.schema.js';
import type { OrgView } from '../../../../shared/schemas/org.schema.js';
import { periodPresets, type Period } from '../../../../shared/time/periods.js';
import { api, downloadFile, errorText, isAbort, session } from '../../api.js';
import { pageChart } from '../../charts.js';
import { fmtDate, fmtDateTime, fmtDay, fmtTime, todayIso } from '../../format.js';
import { definePage, type Page } from '../../page.js';
import { unitsWithin, type UnitChoice } from '../../units.js';
import { reviewTabs } from './review-tabs.js';

const HOURS = Array.from({ length: 24 }, (_, h) => h);
const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;

type Which = 'planned' | 'actual';
const WHICH = [
  ['actual', 'Actual'],
  ['planned', 'Planned'],
] as const satisfies readonly (readonly [Which, string])[];

/** One heatmap cell: every slot of that local hour on that day (none on the spring day's 01:00, two in autumn). */
function cell(slots: CoverHour[], which: Which): TemplateResult {
  if (!slots.length) return html`<td class="cover-cell none" title="No such hour (clocks go forward)">–</td>`;
  const values = slots.map((s) => s[which]);
  if (values.every((v) => v === null)) return html`<td class="cover-cell none">–</td>`;
  const below = slots.some((s) => (which === 'planned' ? s.belowPlanned : s.belowActual));
  const text = values.map((v) => (v === null ? '–' : String(v))).join(' / ');
  const min = slots[0]!.minimum;
  return html`<td class="cover-cell ${min === null ? 'none' : below ? 'below' : 'ok'}">
    ${below ? html`<span aria-hidden="true">▼</span><span class="visually-hidden">below minimum: </span>` : nothing}${text}
  </td>`;
}

/** A shift's figure, ▼ and words when below the minimum. */
const shiftFigure = (v: number | null, below: boolean) =>
  v === null
    ? html`<td>–</td>`
    : html`<td class=${below ? 'below' : ''}>
        ${below ? html`<span aria-hidden="true">▼</span><span class="visually-hidden">below minimum: </span>` : nothing}${v}
      </td>`;

/**
 * Per shift (summed over the unit's stations): Taser crews planned, and the average Taser-equipped units over
 * the shift, actual; in a disclosure, a quarter has some 270 of them.
 */
function shiftTable(r: CoverReport): TemplateResult {
  if (!r.shifts.length) return html`<p class="muted">By shift: no shift in this period has a published plan.</p>`;
  const below = r.shifts.filter((s) => s.belowPlanned || s.belowActual).length;
  return html`<details class="cover-shifts">
    <summary>
      By shift: ${r.shifts.length}
      shift${r.shifts.length === 1 ? '' : 's'}${r.minimum === null ? '' : `, ${below} below the minimum planned or actual`}
    </summary>
    <div class="table-wrap" tabindex="0" role="region" aria-label="Cover by shift">
      <table id="cover-shifts">
        <caption class="visually-hidden">
          Taser crews planned and average Taser-equipped units per shift
        </caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Shift</th>
            <th scope="col">Hours</th>
            <th scope="col">Planned Taser crews</th>
            <th scope="col">Actual (average units)</th>
            <th scope="col">Minimum</th>
          </tr>
        </thead>
        <tbody>
          ${repeat(
            r.shifts,
            (s) => `${s.date}|${s.code}`,
            (s) =>
              html`<tr data-shift="${s.date}|${s.code}">
                <td>${fmtDay(s.date)}</td>
                <td>${s.code}</td>
                <td>${fmtTime(s.start)}–${fmtTime(s.end)}</td>
                ${shiftFigure(s.planned, s.belowPlanned)} ${shiftFigure(s.actual, s.belowActual)}
                <td>${s.minimum ?? '–'}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
  </details>`;
}

/**
 * Cover by hour for the borough lead (issue 10): a unit in scope, a period (with financial-year presets),
 * the headline hours below minimum, a days × hours heatmap (numbers in every cell, ▼ below the minimum) of
 * planned or actual cover, a line chart of planned, actual and the minimum, and the CSV.
 */
export function coverPage(): Page {
  return definePage(
    (ctx) => {
      const user = session.user()!;
      const presets = periodPresets(todayIso());
      let period: Period = presets[0]!;
      let units: UnitChoice[] = [];
      let unit: UnitChoice | null = null;
      let which: Which = 'actual';
      let report: CoverReport | null = null;
      let note = 'Loading…';
      let failed = false;
      let asked = 0;
      const chart = pageChart(ctx, 'cover-chart');

      const query = (format: 'json' | 'csv') =>
        `/reports/cover?level=${unit!.level}&unit=${encodeURIComponent(unit!.id)}&from=${period.from}&to=${period.to}&format=${format}`;

      const drawChart = () => {
        const r = report;
        chart.draw(
          r && {
            labels: r.hours.map((h) => `${fmtDay(h.date)} ${hh(h.hour)}`),
            series: [
              { label: 'Planned', data: r.hours.map((h) => h.planned), colour: '#1f4e96' },
              { label: 'Actual', data: r.hours.map((h) => h.actual), colour: '#1a7f37' },
            ],
            minimum: r.minimum,
            yTitle: 'Taser-equipped units',
            hourly: true,
          },
        );
      };

      const load = () => {
        if (!unit) return;
        const mine = ++asked;
        note = 'Loading…';
        ctx.update();
        api<CoverReport>('GET', query('json'), undefined, ctx.signal).then(
          (r) => {
            if (mine !== asked) return;
            report = r;
            note = `As of ${fmtDateTime(r.asOf)}`;
            failed = false;
            ctx.update();
            // After the template has put the canvas in place.
            queueMicrotask(() => queueMicrotask(drawChart));
          },
          (e: unknown) => {
            if (isAbort(e) || mine !== asked) return;
            note = `Could not load cover: ${errorText(e)}`;
            failed = true;
            ctx.update();
          },
        );
      };

      api<OrgView>('GET', '/org', undefined, ctx.signal).then(
        (org) => {
          units = unitsWithin(org, user.scope);
          unit = units[0] ?? null;
          load();
        },
        (e: unknown) => {
          if (isAbort(e)) return;
          note = `Could not load your units: ${errorText(e)}`;
          failed = true;
          ctx.update();
        },
      );

      const pickUnit = (ev: Event) => {
        unit = units.find((u) => `${u.level}:${u.id}` === (ev.currentTarget as HTMLSelectElement).value) ?? unit;
        load();
      };
      const pickPreset = (ev: Event) => {
        period = presets.find((p) => p.id === (ev.currentTarget as HTMLSelectElement).value) ?? period;
        load();
      };
      const pickDate = (end: 'from' | 'to') => (ev: Event) => {
        const input = ev.currentTarget as HTMLInputElement;
        if (!input.value) return;
        period = { id: 'custom', label: 'Custom', from: period.from, to: period.to, [end]: input.value };
        if (period.from <= period.to) load();
      };
      const pickWhich = (ev: Event) => {
        which = (ev.currentTarget as HTMLInputElement).value as Which;
        ctx.update();
      };

      const csv = (ev: Event) => {
        ev.preventDefault();
        if (!unit) return;
        downloadFile(query('csv'), `cover-${unit.id}-${period.from}-${period.to}.csv`, ctx.signal).catch(
          (e: unknown) => {
            if (isAbort(e)) return;
            note = 'Could not download the CSV.';
            failed = true;
            ctx.update();
          },
        );
      };

      const heatmap = (r: CoverReport) => {
        const days = new Map<string, CoverHour[]>();
        for (const h of r.hours) (days.get(h.date) ?? days.set(h.date, []).get(h.date)!).push(h);
        return html`<div class="table-wrap" tabindex="0" role="region" aria-label="Cover heatmap, days by hours">
          <table id="cover-heatmap" class="cover-heatmap">
            <caption>
              ${which === 'planned' ? 'Planned' : 'Actual'} Taser-equipped units per
              hour${r.minimum === null ? '' : `; ▼ below the minimum of ${r.minimum}`}
            </caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                ${HOURS.map((h) => html`<th scope="col">${String(h).padStart(2, '0')}</th>`)}
              </tr>
            </thead>
            <tbody>
              ${repeat(
                [...days],
                ([d]) => d,
                ([d, slots]) =>
                  html`<tr data-date=${d}>
                    <th scope="row">${fmtDay(d)}</th>
                    ${HOURS.map((h) =>
                      cell(
                        slots.filter((s) => s.hour === h),
                        which,
                      ),
                    )}
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>`;
      };

      return () => {
        const r = report;
        return html`${reviewTabs('cover')}
          <h2>Cover by hour</h2>
          <div class="row">
            <label
              >Unit
              <select name="cover-unit" @change=${pickUnit}>
                ${units.map(
                  (u) => html`<option value="${u.level}:${u.id}" ?selected=${u === unit}>${u.label}</option>`,
                )}
              </select></label
            >
            <label
              >Period
              <select name="cover-period" @change=${pickPreset}>
                ${period.id === 'custom' ? html`<option value="custom" selected>Custom</option>` : nothing}
                ${presets.map((p) => html`<option value=${p.id} ?selected=${p.id === period.id}>${p.label}</option>`)}
              </select></label
            >
            <label
              >From <input type="date" name="cover-from" .value=${period.from} @change=${pickDate('from')}
            /></label>
            <label>To <input type="date" name="cover-to" .value=${period.to} @change=${pickDate('to')} /></label>
            <a href="#" id="cover-csv" @click=${csv}>Download CSV</a>
          </div>
          <p class=${failed ? 'error' : 'muted'} role="status">${note}</p>
          ${
            r
              ? html`<div id="cover">
                  <p class="muted">${fmtDate(r.from)} to ${fmtDate(r.to)}</p>
                  <dl class="cover-headline" id="cover-headline">
                    <div>
                      <dt>Hours below minimum, planned</dt>
                      <dd data-figure="below-planned">${r.minimum === null ? '–' : r.headline.hoursBelowPlanned}</dd>
                    </div>
                    <div>
                      <dt>Hours below minimum, actual</dt>
                      <dd data-figure="below-actual">${r.minimum === null ? '–' : r.headline.hoursBelowActual}</dd>
                    </div>
                    <div>
                      <dt>Hours</dt>
                      <dd data-figure="hours">${r.headline.hours} (${r.headline.hoursElapsed} over)</dd>
                    </div>
                    <div>
                      <dt>Minimum per hour</dt>
                      <dd data-figure="minimum">${r.minimum ?? 'none for a station'}</dd>
                    </div>
                    <div>
                      <dt>Taser unit-hours, planned / actual</dt>
                      <dd data-figure="unit-hours">${r.headline.plannedUnitHours} / ${r.headline.actualUnitHours}</dd>
                    </div>
                  </dl>
                  ${
                    r.boroughs.length > 1
                      ? html`<p class="muted">
                          Borough-hours below the borough minimum of ${r.boroughMinimum}:
                          ${r.boroughs.map((b) => `${b.borough} ${b.hoursBelowPlanned} planned, ${b.hoursBelowActual} actual`).join('; ')}
                        </p>`
                      : nothing
                  }
                  <fieldset class="row cover-toggle">
                    <legend>Heatmap shows</legend>
                    ${WHICH.map(
                      ([value, label]) =>
                        html`<label
                          ><input
                            type="radio"
                            name="cover-which"
                            value=${value}
                            ?checked=${which === value}
                            @change=${pickWhich}
                          />
                          ${label}</label
                        >`,
                    )}
                  </fieldset>
                  ${heatmap(r)}
                  <h3>Planned, actual and minimum per hour</h3>
                  <div class="cover-chart">
                    <canvas
                      id="cover-chart"
                      role="img"
                      aria-label="Line chart of planned and actual Taser-equipped units per hour against the minimum; the heatmap above has the same figures."
                    ></canvas>
                  </div>
                  ${shiftTable(r)}
                </div>`
              : nothing
          }`;
      };
    },
    { id: 'cover-page' },
  );
}
