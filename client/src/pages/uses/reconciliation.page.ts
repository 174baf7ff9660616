import { html, nothing } from 'lit-html';
import type { Reconciliation } from '../../../../shared/schemas/taser-use.schema.js';
import { api, errorText, isAbort } from '../../api.js';
import { fmtDateTime, plural } from '../../format.js';
import { recordTable } from '../../tables.js';
import { definePage, type Page } from '../../page.js';
import { LEVEL_LABEL, useTabs } from './uses-kit.js';

/** The borough lead's reconciliation: discharges whose device is not yet checked, and discharged returns with no use. */
export function reconciliationPage(): Page {
  return definePage((ctx) => {
    let data: Reconciliation | null = null;
    let note = 'Loading…';
    let failed = false;
    api<Reconciliation>('GET', '/reports/taser-use/reconciliation', undefined, ctx.signal).then(
      (r) => {
        data = r;
        note = '';
        ctx.update();
      },
      (e: unknown) => {
        if (isAbort(e)) return;
        failed = true;
        note = `Could not load the reconciliation: ${errorText(e)}`;
        ctx.update();
      },
    );
    return () =>
      html`${useTabs('use-reconciliation')}
        <h2>Taser use: reconciliation</h2>
        <p class=${failed ? 'error' : 'muted'} role="status">${note}</p>
        ${
          data
            ? html`<h3>${plural(data.uncheckedDischarges.length, 'discharge')} with the device not yet checked</h3>
                ${
                  data.uncheckedDischarges.length === 0
                    ? html`<p class="muted">Every discharged device has been checked since.</p>`
                    : recordTable({
                        id: 'unchecked-discharges',
                        headers: ['When', 'Officer', 'Device', 'Use', 'Station', 'Last check'],
                        contained: true,
                        items: data.uncheckedDischarges,
                        key: (u) => u.use,
                        row: (u) =>
                          html`<tr data-use=${u.use}>
                            <td>${fmtDateTime(u.at)}</td>
                            <td>${u.officer}</td>
                            <td>${u.device}</td>
                            <td>${LEVEL_LABEL[u.highest]}</td>
                            <td>${u.station}</td>
                            <td>${u.lastCheck ? fmtDateTime(u.lastCheck) : 'never'}</td>
                          </tr>`,
                      })
                }
                <h3>
                  ${plural(data.dischargedReturnsWithoutUse.length, 'device')} returned as discharged with no use
                  recorded
                </h3>
                ${
                  data.dischargedReturnsWithoutUse.length === 0
                    ? html`<p class="muted">Every discharged return has its use recorded.</p>`
                    : recordTable({
                        id: 'discharged-returns',
                        headers: ['Device', 'Holder', 'Issued', 'Returned', 'Station'],
                        contained: true,
                        items: data.dischargedReturnsWithoutUse,
                        key: (r) => `${r.device}|${r.returnedAt}`,
                        row: (r) =>
                          html`<tr data-device=${r.device}>
                            <td>${r.device}</td>
                            <td>${r.officer ?? '–'}</td>
                            <td>${r.issuedAt ? fmtDateTime(r.issuedAt) : '–'}</td>
                            <td>${fmtDateTime(r.returnedAt)}</td>
                            <td>${r.station}</td>
                          </tr>`,
                      })
                }`
            : nothing
        }`;
  });
}
