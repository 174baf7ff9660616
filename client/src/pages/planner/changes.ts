import { html, nothing, type TemplateResult } from 'lit-html';
import type { DiffCrew, PlanDiff } from '../../../../shared/schemas/crew-plan.schema.js';
import { plural } from '../../format.js';
import { shortId } from './list.js';
import type { RosterGrid } from './roster.js';
import { shiftLabel } from './shifts.js';

/** What publishing this plan would change against the published roster: crews, officers and devices moved. */
export function changesView(diff: PlanDiff | null, grid: RosterGrid): TemplateResult {
  if (!diff) return html`<p class="muted">Comparing with the published roster…</p>`;
  const name = (id: string) => grid.officer(id)?.name ?? id;
  const shift = (id: string) => shiftLabel(grid.shift(id), id);
  const crew = (c: DiffCrew | null | undefined) =>
    c
      ? html`${c.members.map(name).join(' + ')}${c.carriers.map((k) => html` <span class="tz">⚡ ${k.device}</span>`)}`
      : html`<span class="muted">—</span>`;
  const team = (m: string[] | null) => (m ? m.map(name).join(' + ') : 'not in a crew');
  const n = diff.counts;
  const shifts = diff.shifts.filter((s) => s.added.length + s.removed.length + s.changed.length > 0);
  return html`<div id="changes">
    <p id="changes-summary">
      ${
        diff.against
          ? html`Against the published plan <code title=${diff.against}>${shortId(diff.against)}</code>: `
          : html`Nothing is published for these dates yet: every crew is new. `
      }
      ${plural(n.changed, 'crew')} changed, ${n.added} added, ${n.removed} removed, ${n.unchanged} unchanged;
      ${plural(n.officersMoved, 'officer')} moved, ${plural(n.devicesMoved, 'device')} moved.
    </p>
    ${
      diff.against && shifts.length
        ? html`<h3>Crews changed</h3>
            <div class="table-wrap">
              <table id="crews-changed">
                <thead>
                  <tr>
                    <th scope="col">Shift</th>
                    <th scope="col">Published</th>
                    <th scope="col">Now</th>
                  </tr>
                </thead>
                <tbody>
                  ${shifts.flatMap((s) => [
                    ...s.changed.map(
                      (c) =>
                        html`<tr class="changed">
                          <td>${shift(s.shift)}</td>
                          <td>${crew(c.from)}</td>
                          <td>${crew(c.to)}</td>
                        </tr>`,
                    ),
                    ...s.removed.map(
                      (c) =>
                        html`<tr class="removed">
                          <td>${shift(s.shift)}</td>
                          <td>${crew(c)}</td>
                          <td>${crew(null)}</td>
                        </tr>`,
                    ),
                    ...s.added.map(
                      (c) =>
                        html`<tr class="added">
                          <td>${shift(s.shift)}</td>
                          <td>${crew(null)}</td>
                          <td>${crew(c)}</td>
                        </tr>`,
                    ),
                  ])}
                </tbody>
              </table>
            </div>`
        : nothing
    }
    ${
      diff.against && diff.officersMoved.length
        ? html`<h3>Officers moved</h3>
            <ul id="officers-moved">
              ${diff.officersMoved.map(
                (m) => html`<li>${name(m.officer)}, ${shift(m.shift)}: ${team(m.from)} → ${team(m.to)}</li>`,
              )}
            </ul>`
        : nothing
    }
    ${
      diff.against && diff.devicesMoved.length
        ? html`<h3>Devices moved</h3>
            <ul id="devices-moved">
              ${diff.devicesMoved.map(
                (d) =>
                  html`<li>
                    ${d.device}, ${shift(d.shift)}: ${d.from ? name(d.from) : 'not carried'} →
                    ${d.to ? name(d.to) : 'not carried'}
                  </li>`,
              )}
            </ul>`
        : nothing
    }
  </div>`;
}
