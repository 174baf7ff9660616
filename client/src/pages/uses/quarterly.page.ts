import { html, nothing } from 'lit-html';
import type { PublishedValue, QuarterlyReport } from '../../../../shared/schemas/taser-use.schema.js';
import { api, downloadFile, errorText, isAbort } from '../../api.js';
import { fmtDate } from '../../format.js';
import { definePage, type Page } from '../../page.js';
import { LEVEL_LABEL, quarterSelect, recentQuarters, useTabs, words } from './uses-kit.js';

/** A measure id of the flat layout (`uses_fired`, `rate_per_1000_black`…) in words. */
export function measureLabel(m: string): string {
  if (m === 'uses_total') return 'Uses (all)';
  if (m === 'non_discharges') return 'Non-discharges';
  if (m === 'discharges') return 'Discharges';
  if (m === 'discharge_rate_pct') return 'Discharges as % of uses';
  const level = m.match(/^uses_(drawn|aimed|arced|red_dot|drive_stun|angled_drive_stun|fired)$/);
  if (level) return `Uses: ${LEVEL_LABEL[level[1] as keyof typeof LEVEL_LABEL].toLowerCase()}`;
  const by = m.match(/^uses_(age|gender|ethnicity)_(.+)$/);
  if (by) return `Uses: ${by[1]} ${words(by[2]!).toLowerCase()}`;
  const rate = m.match(/^rate_per_1000_(.+)$/);
  if (rate) return `Rate per 1,000 residents: ${rate[1] === 'all' ? 'all' : words(rate[1]!).toLowerCase()}`;
  const disp = m.match(/^disproportionality_(.+)$/);
  if (disp) return `Disproportionality vs White: ${words(disp[1]!).toLowerCase()}`;
  return words(m);
}

const shown = (v: PublishedValue | undefined): string =>
  v === null || v === undefined ? '–' : typeof v === 'number' ? v.toLocaleString('en-GB') : v;

/**
 * The quarterly publication (borough lead: own boroughs; oversight: every borough): one column per borough,
 * one row per measure; printable, and as the flat open-data CSV.
 */
export function quarterlyPage(params: URLSearchParams = new URLSearchParams()): Page {
  return definePage((ctx) => {
    const quarters = recentQuarters(new Date());
    let quarter = params.get('quarter') ?? quarters[0]!;
    let report: QuarterlyReport | null = null;
    let note = 'Loading…';
    let failed = false;
    let asked = 0;

    const load = () => {
      const mine = ++asked;
      note = 'Loading…';
      api<QuarterlyReport>(
        'GET',
        `/reports/taser-use/quarterly?quarter=${encodeURIComponent(quarter)}`,
        undefined,
        ctx.signal,
      ).then(
        (r) => {
          if (mine !== asked) return;
          report = r;
          failed = false;
          note =
            `${r.quarter}: ${fmtDate(r.from)} to ${fmtDate(r.to)}. ` +
            (r.threshold > 1
              ? `Counts from 1 to ${r.threshold - 1} are shown as <${r.threshold}; values worked out from them as [c].`
              : 'No count is suppressed.');
          ctx.update();
        },
        (e: unknown) => {
          if (isAbort(e) || mine !== asked) return;
          failed = true;
          note = `Could not load the publication: ${errorText(e)}`;
          ctx.update();
        },
      );
      ctx.update();
    };
    load();

    const csv = (ev: Event) => {
      ev.preventDefault();
      downloadFile(
        `/reports/taser-use/quarterly?format=csv&quarter=${encodeURIComponent(quarter)}`,
        `taser-use-${quarter.replace(' ', '-')}.csv`,
        ctx.signal,
      ).catch((e: unknown) => {
        if (isAbort(e)) return;
        failed = true;
        note = 'Could not download the CSV.';
        ctx.update();
      });
    };

    const measures = (r: QuarterlyReport): string[] => Object.keys(r.boroughs[0]?.measures ?? {});

    return () =>
      html`${useTabs('use-quarterly')}
        <h2>Taser use: quarterly publication</h2>
        <div class="row no-print">
          ${quarterSelect('quarter', quarters, quarter, (q) => {
            quarter = q;
            load();
          })}
          <a href="#" id="quarterly-csv" @click=${csv}>Download CSV (open data)</a>
          <button type="button" class="secondary" @click=${() => window.print()}>Print</button>
        </div>
        <p class=${failed ? 'error' : 'muted'} role="status">${note}</p>
        ${
          report
            ? html`<div class="table-wrap contained">
                  <table id="quarterly-table">
                    <caption class="visually-hidden">
                      Taser use by measure and borough, ${report.quarter}
                    </caption>
                    <thead>
                      <tr>
                        <th scope="col">Measure</th>
                        ${report.boroughs.map((b) => html`<th scope="col" data-borough=${b.borough}>${b.boroughName}</th>`)}
                      </tr>
                    </thead>
                    <tbody>
                      ${measures(report).map(
                        (m) =>
                          html`<tr data-measure=${m}>
                            <th scope="row">${measureLabel(m)}</th>
                            ${report!.boroughs.map((b) => html`<td>${shown(b.measures[m])}</td>`)}
                          </tr>`,
                      )}
                    </tbody>
                  </table>
                </div>
                <p class="muted" id="population-source">
                  Rates read the resident population: ${report.populationSource}. Ethnicity is as perceived by the
                  officer; a subject whose perceived ethnicity was not stated counts in the total only.
                </p>`
            : nothing
        }`;
  });
}
