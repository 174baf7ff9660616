import { html, nothing } from 'lit-html';
import { can } from '../../../../shared/auth/permissions.js';
import type { CliffReport, RefresherBooking, RefresherProposal } from '../../../../shared/schemas/refresher.schema.js';
import { api, downloadFile, errorText, isAbort, session } from '../../api.js';
import { pageChart } from '../../charts.js';
import { weeksPresets } from '../../../../shared/time/periods.js';
import { fmtDate, plural, todayIso } from '../../format.js';
import { recordTable } from '../../tables.js';
import { definePage, type Page } from '../../page.js';
import { reviewTabs } from './review-tabs.js';

/**
 * The authorisation cliff (in-date carriers per week against the rota's need, weeks below marked) and the
 * refresher planner: plan, review week by week, book.
 */
export function cliffPage(): Page {
  return definePage(
    (ctx) => {
      const user = session.user()!;
      const unit = user.scope;
      const mayPlan = can(user.role, 'refreshers', 'read') && unit.level !== 'force';
      const mayBook = can(user.role, 'refreshers', 'write') && unit.level !== 'force';
      let weeks = 52;
      let report: CliffReport | null = null;
      let note = 'Loading…';
      let failed = false;
      let proposal: RefresherProposal | null = null;
      let planNote = '';
      let busy = false;
      const chart = pageChart(ctx, 'cliff-chart');
      const query = () => `level=${unit.level}&id=${encodeURIComponent(unit.id)}&weeks=${weeks}`;

      const draw = () =>
        chart.draw(
          report && {
            labels: report.weeks.map((w) => fmtDate(w.week)),
            series: [
              {
                label: 'In-date carriers (▲ below need)',
                data: report.weeks.map((w) => w.inDate),
                colour: '#1b5e20',
                smooth: true,
                marked: report.weeks.map((w) => w.below),
              },
              {
                label: 'Carriers the rota needs',
                data: report.weeks.map((w) => w.needed),
                colour: '#b71c1c',
                dashed: true,
              },
            ],
          },
        );

      let asked = 0;
      const load = () => {
        const mine = ++asked;
        api<CliffReport>('GET', `/reports/authorisation-cliff?${query()}`, undefined, ctx.signal).then(
          (r) => {
            if (mine !== asked) return;
            report = r;
            failed = false;
            note = r.firstBelow
              ? `${plural(r.weeksBelow, 'week')} below need, the first from ${fmtDate(r.firstBelow)}.`
              : `In-date carriers meet the rota's need in every week.`;
            ctx.update();
            queueMicrotask(() => queueMicrotask(draw));
          },
          (e: unknown) => {
            if (isAbort(e) || mine !== asked) return;
            note = `Could not load the cliff: ${errorText(e)}`;
            failed = true;
            ctx.update();
          },
        );
      };
      load();

      const presets = weeksPresets(todayIso());
      const pickPreset = (ev: Event) => {
        const p = presets.find((x) => x.id === (ev.currentTarget as HTMLSelectElement).value);
        if (!p) return;
        weeks = p.weeks;
        load();
      };

      const changeWeeks = (ev: Event) => {
        const input = ev.currentTarget as HTMLInputElement;
        if (!input.checkValidity()) return;
        weeks = Number(input.value);
        load();
      };

      const csv = (ev: Event) => {
        ev.preventDefault();
        downloadFile(`/reports/authorisation-cliff?${query()}&format=csv`, 'authorisation-cliff.csv', ctx.signal).catch(
          (e: unknown) => {
            if (isAbort(e)) return;
            note = 'Could not download the CSV.';
            failed = true;
            ctx.update();
          },
        );
      };

      const plan = () => {
        busy = true;
        planNote = 'Planning refreshers…';
        ctx.update();
        api<RefresherProposal>(
          'POST',
          '/reports/refreshers/plan',
          { unit: { level: unit.level, id: unit.id }, horizonDays: 365 },
          ctx.signal,
        ).then(
          (p) => {
            proposal = p;
            busy = false;
            planNote = `${plural(p.assignments.length, 'refresher')} proposed (${
              p.status === 'OPTIMAL'
                ? 'proven the best possible'
                : p.gap >= 0.5
                  ? 'the best found in the time limit, not proven the best possible'
                  : `the best found in the time limit, within ${(p.gap * 100).toFixed(1)} % of the best possible`
            }): ${plural(p.added.pairsWithoutCarrier, 'pair')} left without a carrier and ${p.added.hoursBelowMinimum} h below minimum added.${
              p.unplanned.length
                ? ` ${plural(p.unplanned.length, 'officer')} could not be fitted before their lapse.`
                : ''
            }`;
            ctx.update();
          },
          (e: unknown) => {
            if (isAbort(e)) return;
            busy = false;
            planNote = `Could not plan: ${errorText(e)}`;
            ctx.update();
          },
        );
      };

      const book = () => {
        if (!proposal) return;
        busy = true;
        ctx.update();
        const p = proposal;
        api<RefresherBooking>(
          'POST',
          '/reports/refreshers/book',
          {
            unit: { level: unit.level, id: unit.id },
            horizonDays: 365,
            proposalId: p.id,
            assignments: p.assignments.map((a) => ({ officer: a.officer, date: a.date, site: a.site.id })),
          },
          ctx.signal,
        ).then(
          (b) => {
            busy = false;
            proposal = null;
            planNote = `Booked ${plural(b.assignments.length, 'refresher')} as training abstractions.`;
            load();
          },
          (e: unknown) => {
            if (isAbort(e)) return;
            busy = false;
            planNote = `Could not book: ${errorText(e)}`;
            ctx.update();
          },
        );
      };

      const names = (p: RefresherProposal) => new Map(p.assignments.map((a) => [a.officer, `${a.officer} ${a.name}`]));
      /** The week's refreshers per training site, e.g. "Hendon 2, Bromley 3". */
      const sitesOfWeek = (p: RefresherProposal, officers: readonly string[]) => {
        const n = new Map<string, number>();
        for (const a of p.assignments)
          if (officers.includes(a.officer)) n.set(a.site.name, (n.get(a.site.name) ?? 0) + 1);
        return [...n].map(([name, k]) => `${k} at ${name}`).join(', ');
      };

      return () =>
        html`${reviewTabs('cliff')}
          <h2>Authorisation cliff</h2>
          <div class="row">
            <label
              >Period
              <select name="cliff-period" @change=${pickPreset}>
                ${presets.map(
                  (p) =>
                    html`<option
                      value=${p.id}
                      ?selected=${p.weeks === weeks && p === presets.find((x) => x.weeks === weeks)}
                    >
                      ${p.label}
                    </option>`,
                )}
                ${presets.some((p) => p.weeks === weeks) ? nothing : html`<option selected>${weeks} weeks</option>`}
              </select></label
            >
            <label
              >Weeks ahead
              <input
                name="weeks"
                type="number"
                min="4"
                max="104"
                required
                .value=${String(weeks)}
                @change=${changeWeeks}
            /></label>
            <a href="#" @click=${csv}>Download CSV</a>
          </div>
          <p class=${failed ? 'error' : 'muted'} role="status" id="cliff-note">${note}</p>
          <div class="chart-wrap" style="position:relative;height:280px;width:100%;overflow:hidden">
            <canvas
              id="cliff-chart"
              role="img"
              aria-label="In-date Taser carriers per week against carriers the rota needs; the table below has the figures"
            ></canvas>
          </div>
          ${
            report
              ? html`<details>
                  <summary>Weeks as a table</summary>
                  ${recordTable({
                    id: 'cliff-table',
                    headers: ['Week from', 'In date', 'Needed', 'Lapsing', 'Refreshers booked', 'Status'],
                    items: report.weeks,
                    key: (w) => w.week,
                    row: (w) =>
                      html`<tr data-week=${w.week} class=${w.below ? 'below' : ''}>
                        <td>${fmtDate(w.week)}</td>
                        <td>${w.inDate}</td>
                        <td>${w.needed}</td>
                        <td>${w.lapsing}</td>
                        <td>${w.refreshers}</td>
                        <td>${w.below ? html`<span class="pill bad">below need</span>` : 'ok'}</td>
                      </tr>`,
                  })}
                </details>`
              : nothing
          }
          ${
            mayPlan
              ? html`<h3>Refresher planner</h3>
                  <p class="muted">
                    Chooses a course day for each officer whose authorisation lapses in the next 12 months, on a day
                    they are on duty, at a training site serving their borough, within its places, losing the least
                    Taser cover.
                  </p>
                  <div class="row">
                    <button type="button" id="plan-refreshers" ?disabled=${busy} @click=${plan}>Plan refreshers</button>
                    ${
                      proposal && mayBook && proposal.assignments.length > 0
                        ? html`<button type="button" id="book-refreshers" ?disabled=${busy} @click=${book}>
                            Book ${plural(proposal.assignments.length, 'refresher')}
                          </button>`
                        : nothing
                    }
                  </div>
                  <p class="muted" role="status" id="refresher-note">${planNote}</p>
                  ${
                    proposal
                      ? html`${recordTable({
                            id: 'refresher-weeks',
                            headers: [
                              'Week from',
                              'Officers on the course',
                              'Training site',
                              'Pairs without carrier (before → after)',
                              'Hours below minimum (before → after)',
                            ],
                            items: proposal.weeks,
                            key: (w) => w.week,
                            row: (w) =>
                              html`<tr data-week=${w.week}>
                                <td>${fmtDate(w.week)}</td>
                                <td>${w.officers.map((o) => names(proposal!).get(o) ?? o).join(', ')}</td>
                                <td>${sitesOfWeek(proposal!, w.officers)}</td>
                                <td>${w.before.pairsWithoutCarrier} → ${w.after.pairsWithoutCarrier}</td>
                                <td>${w.before.hoursBelowMinimum} → ${w.after.hoursBelowMinimum}</td>
                              </tr>`,
                          })}
                          <p class="muted" id="refresher-sites">
                            Places:
                            ${proposal.sites
                              .map(
                                (x) =>
                                  `${x.name} ${x.proposed} of ${x.placesLeft} left on ${plural(x.courseDays, 'course day')}`,
                              )
                              .join('; ')}.
                          </p>
                          <details>
                            <summary>Each refresher</summary>
                            ${recordTable({
                              id: 'refresher-assignments',
                              headers: ['Officer', 'Course day', 'Training site', 'Shift left', 'Lapses'],
                              items: proposal.assignments,
                              key: (a) => a.officer,
                              row: (a) =>
                                html`<tr data-officer=${a.officer} data-site=${a.site.id}>
                                  <td>${a.officer} ${a.name}</td>
                                  <td>${fmtDate(a.date)}</td>
                                  <td>${a.site.name}</td>
                                  <td>${a.team} ${a.shift}</td>
                                  <td>${fmtDate(a.lapses)}</td>
                                </tr>`,
                            })}
                          </details>`
                      : nothing
                  }`
              : nothing
          }`;
    },
    { id: 'cliff-page' },
  );
}
