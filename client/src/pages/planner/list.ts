import { html, nothing, type TemplateResult } from 'lit-html';
import { repeat } from 'lit-html/directives/repeat.js';
import type { PlanProgress, PlanSummary } from '../../../../shared/schemas/crew-plan.schema.js';
import { PlanStatusSchema } from '../../../../shared/schemas/crew-plan.schema.js';
import { fmtDateTime, fmtRange } from '../../format.js';

export const DELETABLE = new Set(['draft', 'failed', 'cancelled']);

const PILL: Record<string, string> = { published: 'good', failed: 'bad', cancelled: 'bad', solving: 'warn' };

export const statusPill = (status: string): TemplateResult =>
  html`<span class=${`pill ${PILL[status] ?? ''}`} data-status=${status}>${status}</span>`;

/** A plan's id as people quote it (a long legacy id cut to eight characters). */
export const shortId = (id: string): string => (id.length > 12 ? id.slice(0, 8) : id);

/** "amendment 2 of plan …", "re-solve 1 of …" or "first build". */
export function revisionText(p: Pick<PlanSummary, 'revision' | 'amendment' | 'amends' | 'basedOn'>): string {
  if (p.amendment && p.amends) return `amendment ${p.amendment} of plan ${shortId(p.amends)}`;
  if (p.revision > 0) return `revision ${p.revision}${p.basedOn ? ` (from plan ${shortId(p.basedOn)})` : ''}`;
  return 'first build';
}

export const unitText = (p: Pick<PlanSummary, 'unit' | 'unitName'>): string =>
  `${p.unitName ?? p.unit.id} (${p.unit.level} ${p.unit.id})`;

const PHASE: Record<string, string> = {
  queued: 'Waiting for a solver',
  validating: 'Checking the data',
  modelling: 'Building the model',
  solving: 'Solving',
  assigning: 'Assigning devices',
  explaining: 'Explaining shortfalls',
  saving: 'Saving the result',
  done: 'Done',
};

/** What a running solve is doing, as a sentence and a bar. */
export function progressView(progress: PlanProgress | null, cancel: (() => void) | null): TemplateResult {
  const p = progress;
  const total = p ? Math.max(p.componentsTotal, 0) : 0;
  return html`<div class="progress" role="status" aria-live="polite">
    <strong>${PHASE[p?.phase ?? 'queued'] ?? p?.phase}…</strong>
    ${p && total > 0 ? html` ${p.componentsDone} of ${total} parts done` : nothing}
    ${p && p.shiftsTotal > 0 ? html` · ${p.shiftsDone} of ${p.shiftsTotal} shifts modelled` : nothing}
    <progress
      aria-label="Solve progress"
      max=${total > 0 ? total : 1}
      value=${total > 0 ? p!.componentsDone : 0}
    ></progress>
    ${cancel ? html`<button type="button" class="secondary" id="cancel-solve" @click=${cancel}>Cancel</button>` : nothing}
  </div>`;
}

export type ListDeps = {
  items: PlanSummary[];
  total: number;
  page: number;
  pageSize: number;
  setPage: (n: number) => void;
  status: string;
  canWrite: boolean;
  setStatus: (s: string) => void;
  open: (id: string) => void;
  remove: (p: PlanSummary) => void;
  cancel: (id: string) => void;
};

/** The plan list: rows that can be told apart, filter by status, open, delete what may be deleted. */
export function listView(d: ListDeps): TemplateResult {
  return html`<div class="list-head">
      <h3 id="plans-title">Plans</h3>
      <label
        >Status
        <select name="status-filter" @change=${(e: Event) => d.setStatus((e.target as HTMLSelectElement).value)}>
          <option value="" ?selected=${!d.status}>Any</option>
          ${PlanStatusSchema.options.map((s) => html`<option value=${s} ?selected=${s === d.status}>${s}</option>`)}
        </select></label
      >
      <span class="muted" id="plans-count"
        >${d.total ? `${(d.page - 1) * d.pageSize + 1}–${(d.page - 1) * d.pageSize + d.items.length} of ${d.total}` : 'No plans'}</span
      >
      ${d.page > 1 ? html`<button type="button" class="secondary" @click=${() => d.setPage(d.page - 1)}>Newer</button>` : nothing}
      ${
        d.page * d.pageSize < d.total
          ? html`<button type="button" class="secondary" @click=${() => d.setPage(d.page + 1)}>Older</button>`
          : nothing
      }
    </div>
    <table id="plans" class="plan-list" aria-labelledby="plans-title">
      <thead>
        <tr>
          <th scope="col">Unit and dates</th>
          <th scope="col">Created</th>
          <th scope="col">Policy · revision</th>
          <th scope="col">Status</th>
          <th scope="col">Figures</th>
          <th scope="col"><span class="sr-only">Actions</span></th>
        </tr>
      </thead>
      <tbody>
        ${repeat(
          d.items,
          (p) => p.id,
          (p) =>
            html`<tr data-plan=${p.id}>
              <td>
                <strong>${unitText(p)}</strong><br />${fmtRange(p.from, p.to)}
                <span class="muted">· plan ${shortId(p.id)}</span>
              </td>
              <td>${fmtDateTime(p.createdAt)}<br /><span class="muted">by ${p.createdBy}</span></td>
              <td>${p.policy ?? '—'}<br /><span class="muted">${revisionText(p)}</span></td>
              <td>
                ${statusPill(p.status)}
                ${p.status === 'solving' && p.progress ? html`<br /><span class="muted">${p.progress.phase}</span>` : nothing}
                ${p.error && p.status !== 'cancelled' ? html`<br /><span class="error">${p.error.message}</span>` : nothing}
              </td>
              <td>
                ${
                  p.stats
                    ? html`${p.stats.crews} crews, ${p.stats.taserCrews} with Taser<br /><span class="muted"
                          >${p.stats.pairsWithoutCarrier} pairs without carrier · ${p.stats.unassigned} unassigned</span
                        >`
                    : html`<span class="muted">—</span>`
                }
              </td>
              <td class="actions">
                <button type="button" class="secondary" data-open=${p.id} @click=${() => d.open(p.id)}>Open</button>
                ${
                  d.canWrite && p.status === 'solving'
                    ? html`<button type="button" class="secondary" @click=${() => d.cancel(p.id)}>Cancel</button>`
                    : nothing
                }
                ${
                  d.canWrite && DELETABLE.has(p.status)
                    ? html`<button
                        type="button"
                        class="secondary danger"
                        data-delete=${p.id}
                        @click=${() => d.remove(p)}
                      >
                        Delete
                      </button>`
                    : nothing
                }
              </td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}
