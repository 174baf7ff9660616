import { html, nothing, type TemplateResult } from 'lit-html';
import { repeat } from 'lit-html/directives/repeat.js';
import type { CrewPlanView } from '../../../../shared/schemas/crew-plan.schema.js';
import type { PlanCrew } from '../../../../shared/schemas/plan.schema.js';
import type { RosterShift } from '../../../../shared/schemas/roster.schema.js';
import { fmtDay } from '../../format.js';
import type { RosterGrid } from './roster.js';

export const crewKey = (c: { shift: string; members: string[] }) => `${c.shift}:${[...c.members].sort().join('+')}`;

/** `Mon 23 Nov · BR E 07:00–17:00` */
export const shiftLabel = (s: RosterShift | undefined, id: string): string =>
  s ? `${fmtDay(s.date)} · ${s.station} ${s.name} ${s.startLocal}–${s.endLocal}` : id;

/**
 * The crews of one shift: names, local times, carriers and devices, lock marks, the officers left
 * unassigned with why, and the explanations of any shortfall with what would fix it. A member's name is a
 * button that opens the same actions as their roster cell.
 */
export function shiftsView(
  plan: CrewPlanView,
  grid: RosterGrid,
  day: string,
  pick: (officer: string, date: string) => void,
  setDay: (day: string) => void,
  toggleLock: ((c: PlanCrew, locked: boolean) => void) | null,
): TemplateResult {
  const r = grid.roster;
  if (!r || !plan.plan) return html`<p class="muted">Loading…</p>`;
  const p = plan.plan;
  const shifts = r.shifts.filter((s) => s.date === day);
  const locks = new Set(plan.locks.map(crewKey));
  const name = (id: string) => grid.officer(id)?.name ?? id;
  const member = (id: string, date: string) =>
    html`<button class="linklike" data-pick=${id} @click=${() => pick(id, date)}>${name(id)}</button>`;
  const crew = (c: PlanCrew, date: string) => {
    const locked = c.locked || locks.has(crewKey(c));
    return html`<li class=${`crew${locked ? ' locked' : ''}`} data-crew=${c.members.join('+')}>
      ${c.members.map((m, i) => html`${i ? ' + ' : ''}${member(m, date)}`)}
      ${
        c.carriers.length
          ? c.carriers.map((k) => html` <span class="tz">⚡ ${name(k.officer)} ${k.device}</span>`)
          : c.members.length === 2
            ? html` <span class="pill bad">no carrier</span>`
            : html` <span class="muted">single</span>`
      }
      ${locked ? html` <span class="lock" title="locked">🔒 locked</span>` : nothing}
      ${
        toggleLock
          ? html` <button
              type="button"
              class="secondary small"
              data-lock=${c.members.join('+')}
              @click=${() => toggleLock(c, locked)}
            >
              ${locked ? 'Unlock' : 'Lock'}
            </button>`
          : nothing
      }
    </li>`;
  };
  return html`<div class="shift-days" role="group" aria-label="Day">
      ${r.days.map(
        (d) =>
          html`<button
            class=${d === day ? '' : 'secondary'}
            aria-pressed=${d === day ? 'true' : 'false'}
            @click=${() => setDay(d)}
          >
            ${fmtDay(d)}
          </button>`,
      )}
    </div>
    ${shifts.length === 0 ? html`<p class="muted">No shift is worked on ${fmtDay(day)}.</p>` : nothing}
    ${repeat(
      shifts,
      (s) => s.id,
      (s) => {
        const crews = p.crews.filter((c) => c.shift === s.id);
        const unassigned = p.unassigned.filter((u) => u.shift === s.id);
        const why = (p.explanations ?? []).filter((x) => x.shift === s.id);
        return html`<section class="card shift" data-shift=${s.id} aria-label=${shiftLabel(s, s.id)}>
          <h3>${shiftLabel(s, s.id)}</h3>
          ${why.map(
            (x) =>
              html`<div class="explanation">
                <strong>${x.message}</strong>
                <ul>
                  ${x.suggestions.map((g) => html`<li>${g.message}</li>`)}
                </ul>
              </div>`,
          )}
          <ul class="crews">
            ${repeat(crews, crewKey, (c) => crew(c, s.date))}
          </ul>
          ${unassigned.map((u) => html`<p class="error">${member(u.officer, s.date)} unassigned: ${u.reason}</p>`)}
        </section>`;
      },
    )}`;
}
