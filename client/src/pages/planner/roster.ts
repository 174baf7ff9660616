import { html, nothing, type TemplateResult } from 'lit-html';
import { repeat } from 'lit-html/directives/repeat.js';
import type {
  RosterCell,
  RosterOfficer,
  RosterShift,
  RosterShiftCell,
  RosterView,
} from '../../../../shared/schemas/roster.schema.js';
import { fmtDate, fmtDay } from '../../format.js';

/** Height of one roster row in px (fixed, so only the rows in view need to exist). */
export const ROW_PX = 52;
/** Rows rendered above and below the visible ones. */
const OVERSCAN = 12;

export type RosterFilters = { team: string; station: string; carriersOnly: boolean };

export const isShiftCell = (c: RosterCell | undefined): c is RosterShiftCell => !!c && 'shift' in c;

export const ABSENCE_LABEL: Record<string, string> = {
  sickness: 'Sick',
  leave: 'Leave',
  court: 'Court',
  training: 'Training',
};

/**
 * The officers × days grid of a plan. Rows are one lit-html template each, keyed by officer, and only the
 * rows in (or near) the scrolled window exist in the DOM, so a 28-day BCU roster (≈500 officers, ≈14,000
 * cells) renders as quickly as a week for a station. Clicks are handled once on the table (delegated).
 */
export class RosterGrid {
  roster: RosterView | null = null;
  filters: RosterFilters = { team: '', station: '', carriersOnly: false };
  private shifts = new Map<string, RosterShift>();
  private rows: RosterOfficer[] = [];
  private first = 0;
  private visible = 30;
  /** The officer and date last chosen, marked in the grid. */
  selected: { officer: string; date: string } | null = null;

  constructor(private readonly onChange: () => void) {}

  set(roster: RosterView | null): void {
    this.roster = roster;
    this.shifts = new Map((roster?.shifts ?? []).map((s) => [s.id, s]));
    this.applyFilters();
  }

  setFilters(f: Partial<RosterFilters>): void {
    this.filters = { ...this.filters, ...f };
    this.applyFilters();
    this.onChange();
  }

  private applyFilters(): void {
    const f = this.filters;
    this.rows = (this.roster?.officers ?? []).filter(
      (o) =>
        (!f.team || o.team === f.team) &&
        (!f.station || o.station === f.station) &&
        (!f.carriersOnly || Object.values(o.cells).some((c) => isShiftCell(c) && c.carrier)),
    );
  }

  shift(id: string): RosterShift | undefined {
    return this.shifts.get(id);
  }

  officer(id: string): RosterOfficer | undefined {
    return this.roster?.officers.find((o) => o.id === id);
  }

  get shownCount(): number {
    return this.rows.length;
  }

  /** Officers flagged as gone absent after the solve, with the days. */
  affected(): { officer: RosterOfficer; date: string; kind: string }[] {
    const out: { officer: RosterOfficer; date: string; kind: string }[] = [];
    for (const o of this.roster?.officers ?? [])
      for (const [date, c] of Object.entries(o.cells))
        if (isShiftCell(c) && c.affected) out.push({ officer: o, date, kind: c.affected });
    return out;
  }

  /** Scroll handler of the grid's container: re-renders only when the window of rows moves. */
  readonly onScroll = (ev: Event): void => {
    const box = ev.currentTarget as HTMLElement;
    const first = Math.max(0, Math.floor(box.scrollTop / ROW_PX) - OVERSCAN);
    const visible = Math.ceil(box.clientHeight / ROW_PX) + 2 * OVERSCAN;
    if (first !== this.first || visible !== this.visible) {
      this.first = first;
      this.visible = visible;
      this.onChange();
    }
  };

  private cell(o: RosterOfficer, date: string): TemplateResult {
    const c = o.cells[date];
    const sel = this.selected?.officer === o.id && this.selected.date === date ? ' selected' : '';
    if (!c)
      return html`<td class="rest">
        <button
          class="cell"
          data-officer=${o.id}
          data-date=${date}
          aria-label=${`${o.name}, ${fmtDay(date)}: rest day`}
        >
          ·
        </button>
      </td>`;
    if (!isShiftCell(c)) {
      const label = ABSENCE_LABEL[c.abstraction.kind] ?? c.abstraction.kind;
      return html`<td class=${`abs ${c.abstraction.kind}${sel}`}>
        <button class="cell" data-officer=${o.id} data-date=${date} title=${c.abstraction.note ?? ''}>${label}</button>
      </td>`;
    }
    const s = this.shifts.get(c.shift);
    const who = c.unassigned ? 'unassigned' : c.single ? 'single' : (c.partnerName ?? c.partner ?? '');
    const cls = `sh${c.affected ? ' affected' : ''}${c.unassigned ? ' unassigned' : ''}${c.carrier ? ' carrier' : ''}${sel}`;
    return html`<td class=${cls}>
      <button class="cell" data-officer=${o.id} data-date=${date} data-shift=${c.shift}>
        <span class="l1"
          ><b>${s?.name ?? '?'}</b> ${s ? `${s.startLocal}–${s.endLocal}` : ''}${
            c.locked ? html` <span class="lock" title="locked">🔒</span>` : nothing
          }</span
        >
        <span class="l2"
          >${c.affected ? html`<span class="aff">${ABSENCE_LABEL[c.affected] ?? c.affected}!</span> ` : nothing}${who}</span
        >
        ${c.carrier ? html`<span class="l3 tz" title="carries">⚡ ${c.device ?? ''}</span>` : nothing}
      </button>
    </td>`;
  }

  private head(o: RosterOfficer): TemplateResult {
    const t = o.taser;
    return html`<th scope="row" class="who">
      <span class="name">${o.name}</span>
      <span class="meta">${o.rank}${o.kind !== 'regular' ? ` (${o.kind})` : ''} · ${o.team} · ${o.station}</span>
      <span class="meta"
        >${
          t
            ? html`⚡ ${t.models.join('/')} until
              ${fmtDate(t.expires)}${
                t.expires <= (this.roster?.plan.from ?? '')
                  ? html` <span class="pill bad">lapsed</span>`
                  : t.lapsingSoon
                    ? html` <span class="pill warn">lapsing</span>`
                    : nothing
              }${t.suspended ? html` <span class="pill bad">suspended</span>` : nothing}`
            : 'no Taser'
        }</span
      >
    </th>`;
  }

  view(onClick: (ev: Event) => void, onDayClick: (date: string) => void): TemplateResult {
    const r = this.roster;
    if (!r) return html`<p class="muted">Loading the roster…</p>`;
    const first = Math.min(this.first, Math.max(0, this.rows.length - this.visible));
    const shown = this.rows.slice(first, first + this.visible);
    const below = Math.max(0, this.rows.length - first - shown.length);
    const teams = [...new Set(r.officers.map((o) => o.team))].sort();
    const stations = [...new Set(r.officers.map((o) => o.station))].sort();
    return html`<div class="roster-filters">
        <label
          >Team
          <select name="team" @change=${(e: Event) => this.setFilters({ team: (e.target as HTMLSelectElement).value })}>
            <option value="">All teams</option>
            ${teams.map((t) => html`<option value=${t} ?selected=${t === this.filters.team}>${t}</option>`)}
          </select></label
        >
        <label
          >Station
          <select
            name="station"
            @change=${(e: Event) => this.setFilters({ station: (e.target as HTMLSelectElement).value })}
          >
            <option value="">All stations</option>
            ${stations.map((s) => html`<option value=${s} ?selected=${s === this.filters.station}>${s}</option>`)}
          </select></label
        >
        <label class="check"
          ><input
            type="checkbox"
            name="carriersOnly"
            .checked=${this.filters.carriersOnly}
            @change=${(e: Event) => this.setFilters({ carriersOnly: (e.target as HTMLInputElement).checked })}
          />
          Carriers only</label
        >
        <span class="muted" id="roster-count">${this.rows.length} of ${r.officers.length} officers</span>
      </div>
      <div class="roster-scroll" id="roster-scroll" tabindex="0" aria-label="Roster grid" @scroll=${this.onScroll}>
        <table class="roster" id="roster" @click=${onClick}>
          <caption class="sr-only">
            Roster: officers by day
          </caption>
          <thead>
            <tr>
              <th scope="col" class="who">Officer</th>
              ${r.days.map(
                (d) =>
                  html`<th scope="col" class="day">
                    <button class="linklike" data-day=${d} @click=${() => onDayClick(d)} title="Crews by shift">
                      ${fmtDay(d)}
                    </button>
                  </th>`,
              )}
            </tr>
          </thead>
          <tbody>
            ${
              first > 0
                ? html`<tr class="spacer" aria-hidden="true">
                    <td style=${`height:${first * ROW_PX}px`}></td>
                  </tr>`
                : nothing
            }
            ${repeat(
              shown,
              (o) => o.id,
              (o) =>
                html`<tr data-officer=${o.id}>
                  ${this.head(o)}${r.days.map((d) => this.cell(o, d))}
                </tr>`,
            )}
            ${
              below > 0
                ? html`<tr class="spacer" aria-hidden="true">
                    <td style=${`height:${below * ROW_PX}px`}></td>
                  </tr>`
                : nothing
            }
          </tbody>
        </table>
      </div>`;
  }
}
