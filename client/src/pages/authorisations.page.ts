import { html, nothing } from 'lit-html';
import { repeat } from 'lit-html/directives/repeat.js';
import { can } from '../../../shared/auth/permissions.js';
import type { AuthorisationReport, AuthorisationTotals } from '../../../shared/schemas/report.schema.js';
import { api, downloadFile, errorText, isAbort, session } from '../api.js';
import { fmtDate, fmtDateTime, plural } from '../format.js';
import { definePage, type Page } from '../page.js';
import { whatIfCard } from './what-if.js';
import { reviewTabs } from './lead/review-tabs.js';

const totalsRow = (t: AuthorisationTotals) =>
  html`<tr data-unit=${t.unit}>
    <td>${t.unit}</td>
    <td>${t.officers}</td>
    <td>${t.authorised}</td>
    <td>${t.inDate}</td>
    <td>${t.lapsing}</td>
    <td>${t.lapsed}</td>
    <td>${t.suspended}</td>
    <td>${t.serviceableDevices}</td>
  </tr>`;

/** The borough lead's review: who may carry against how many devices, and whose authorisation lapses soon. */
export function authorisationsPage(): Page {
  return definePage(
    (ctx) => {
      const user = session.user()!;
      let days = 60;
      let report: AuthorisationReport | null = null;
      let note = 'Loading…';
      let failed = false;
      // A newer request wins: an answer for a days value the user has since changed is dropped.
      let asked = 0;

      const load = () => {
        const mine = ++asked;
        api<AuthorisationReport>('GET', `/reports/authorisations?days=${days}`, undefined, ctx.signal).then(
          (r) => {
            if (mine !== asked) return;
            report = r;
            note = `As of ${fmtDateTime(r.asOf)}`;
            failed = false;
            ctx.update();
          },
          (e: unknown) => {
            if (isAbort(e) || mine !== asked) return;
            note = `Could not load the report: ${errorText(e)}`;
            failed = true;
            ctx.update();
          },
        );
      };
      load();

      const changeDays = (ev: Event) => {
        const input = ev.currentTarget as HTMLInputElement;
        if (!input.checkValidity()) return;
        days = Number(input.value);
        load();
      };

      const csv = (ev: Event) => {
        ev.preventDefault();
        downloadFile(`/reports/authorisations?format=csv&days=${days}`, 'authorisations.csv', ctx.signal).catch(
          (e: unknown) => {
            if (isAbort(e)) return;
            note = 'Could not download the CSV.';
            failed = true;
            ctx.update();
          },
        );
      };

      const whatIf = can(user.role, 'reports', 'read') ? whatIfCard(ctx, user.scope) : null;

      return () =>
        html`${reviewTabs('authorisations')}
          <h2>Taser authorisations</h2>
          <div class="row">
            <label
              >Lapsing within (days)
              <input name="days" type="number" min="1" max="366" required .value=${String(days)} @change=${changeDays}
            /></label>
            <a href="#" @click=${csv}>Download CSV</a>
          </div>
          <p class=${failed ? 'error' : 'muted'} role="status">${note}</p>
          ${
            report
              ? html`<div id="authorisations">
                  <div class="table-wrap">
                    <table id="authorisation-totals">
                      <thead>
                        <tr>
                          <th>Unit</th>
                          <th>Officers</th>
                          <th>Authorised</th>
                          <th>In date</th>
                          <th>Lapsing ≤ ${report.days} d</th>
                          <th>Lapsed</th>
                          <th>Suspended</th>
                          <th>Serviceable devices</th>
                        </tr>
                      </thead>
                      <tbody>
                        ${repeat(report.stations, (t) => t.unit, totalsRow)}${totalsRow(report.totals)}
                      </tbody>
                    </table>
                  </div>
                  <h3>${plural(report.officers.length, 'officer')} to act on</h3>
                  <div class="table-wrap">
                    <table id="authorisation-officers">
                      <thead>
                        <tr>
                          <th>Officer</th>
                          <th>Rank</th>
                          <th>Station</th>
                          <th>Team</th>
                          <th>Models</th>
                          <th>Last trained</th>
                          <th>Lapses</th>
                          <th>Status</th>
                        </tr>
                      </thead>
                      <tbody>
                        ${repeat(
                          report.officers,
                          (o) => o.collar,
                          (o) =>
                            html`<tr data-officer=${o.collar}>
                              <td>${o.collar} ${o.name}</td>
                              <td>${o.rank}</td>
                              <td>${o.station}</td>
                              <td>${o.team}</td>
                              <td>${o.models.join(', ')}</td>
                              <td>${fmtDate(o.lastTrained)}</td>
                              <td>${fmtDate(o.lapses)}${o.status === 'lapsing' ? ` (${o.daysLeft} d)` : ''}</td>
                              <td><span class="pill ${o.status === 'lapsing' ? '' : 'bad'}">${o.status}</span></td>
                            </tr>`,
                        )}
                      </tbody>
                    </table>
                  </div>
                </div>`
              : nothing
          }
          ${whatIf ? whatIf() : nothing}`;
    },
    { id: 'authorisations-page' },
  );
}
