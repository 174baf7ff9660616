import { html, nothing, type TemplateResult } from 'lit-html';
import { applyEdits } from '../../../../shared/rules/crew-check.js';
import { AbstractionKindSchema, type Abstraction } from '../../../../shared/schemas/abstraction.schema.js';
import type { CrewPlanView } from '../../../../shared/schemas/crew-plan.schema.js';
import type { EditCheckResult, EditOp, EditRefusal } from '../../../../shared/schemas/plan-edit.schema.js';
import type { RosterShiftCell } from '../../../../shared/schemas/roster.schema.js';
import type { Scenario } from '../../../../shared/schemas/scenario.schema.js';
import { api, ApiError, errorText } from '../../api.js';
import { addDays, fmtDay } from '../../format.js';
import { ABSENCE_LABEL, isShiftCell, type RosterGrid } from './roster.js';
import { shiftLabel } from './shifts.js';

type Action = 'swap' | 'move' | 'give' | 'take' | 'make' | 'split';
type Verdict =
  { state: 'checking' } | { state: 'ok' } | { state: 'refused'; message: string } | { state: 'error'; message: string };

/** "with PC Jane Smith, carries X2-0001, locked" */
const placeText = (c: RosterShiftCell): string =>
  [
    c.unassigned ? `unassigned — ${c.unassigned}` : c.single ? 'single crew' : `with ${c.partnerName ?? c.partner}`,
    c.carrier ? `carries ${c.device ?? ''}` : '',
    c.locked ? 'locked' : '',
  ]
    .filter(Boolean)
    .join(', ');

export type CellDialogDeps = {
  grid: RosterGrid;
  plan: () => CrewPlanView | null;
  canEdit: () => boolean;
  canRecordAbsence: () => boolean;
  update: () => void;
  signal: AbortSignal;
  /** After an accepted edit (the saved plan) or a recorded absence: reload the plan and roster. */
  changed: (saved?: CrewPlanView) => void;
  showShift: (date: string) => void;
};

/**
 * The dialog a roster cell (or a name in the shift view) opens: record an absence from that day, and on a
 * draft the hand edits — swap, move, give or take a device, make or split a crew — each checked at once by
 * the shared crew check (shared/rules/crew-check.ts) against the plan's scenario, so a refused edit says why
 * before it is sent; the server checks again when it is saved.
 */
export class CellDialog {
  officer = '';
  date = '';
  private choice: Partial<Record<Action, string>> = {};
  private verdict: Partial<Record<Action, Verdict>> = {};
  private scenario: Scenario | null = null;
  private scenarioOf = '';
  private absence = { kind: 'sickness', to: '', note: '' };
  private status = '';
  private failed = false;
  private busy = false;
  private opener: HTMLElement | null = null;

  constructor(private readonly d: CellDialogDeps) {}

  private get dialog(): HTMLDialogElement | null {
    return document.getElementById('cell-dialog') as HTMLDialogElement | null;
  }

  open(officer: string, date: string): void {
    this.opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    this.officer = officer;
    this.date = date;
    this.choice = {};
    this.verdict = {};
    this.absence = { kind: 'sickness', to: date, note: '' };
    this.status = '';
    this.failed = false;
    this.d.grid.selected = { officer, date };
    const plan = this.d.plan();
    if (plan && this.d.canEdit() && plan.status === 'draft') {
      // Split and take need no choice: their verdict is shown as soon as the rules can be run here.
      const precheck = () => {
        const c = this.cell();
        if (this.officer !== officer || !c || this.scenarioOf !== plan.id) return;
        if (c.partner) void this.check('split');
        if (c.carrier) void this.check('take');
      };
      if (this.scenarioOf === plan.id) precheck();
      else void this.loadScenario(plan.id).then(precheck);
    }
    this.d.update();
    queueMicrotask(() => {
      const dlg = this.dialog;
      if (dlg && !dlg.open) dlg.showModal();
    });
  }

  close(): void {
    this.dialog?.close();
  }

  /** Native `close` (Escape included): focus goes back to the cell that opened it. */
  readonly onClose = (): void => {
    this.officer = '';
    this.d.grid.selected = null;
    this.d.update();
    const back = this.opener;
    if (back?.isConnected) back.focus();
  };

  private async loadScenario(id: string): Promise<void> {
    try {
      this.scenario = await api<Scenario>('GET', `/plans/${id}/scenario`, undefined, this.d.signal);
      this.scenarioOf = id;
    } catch {
      this.scenario = null; // the dry-run endpoint checks instead
    }
  }

  private ops(a: Action): EditOp[] | null {
    const c = this.cell();
    if (!c) return null;
    const shift = c.shift;
    const v = this.choice[a];
    const officer = this.officer;
    switch (a) {
      case 'swap':
        return v ? [{ op: 'swap', shift, a: officer, b: v }] : null;
      case 'move':
        return v === undefined ? null : [{ op: 'move', shift, officer, ...(v ? { with: v } : {}) }];
      case 'give':
        return v ? [{ op: 'give_device', shift, officer, device: v }] : null;
      case 'take':
        return [{ op: 'take_device', shift, officer }];
      case 'make':
        return v ? [{ op: 'make_crew', shift, officers: [officer, v] }] : null;
      case 'split':
        return [{ op: 'split_crew', shift, officer }];
    }
  }

  /** Checks an edit at once: locally with the shared rule when the scenario is here, else by a dry run. */
  private async check(a: Action): Promise<void> {
    const ops = this.ops(a);
    const plan = this.d.plan();
    if (!ops || !plan?.plan) {
      delete this.verdict[a];
      this.d.update();
      return;
    }
    if (this.scenario && this.scenarioOf === plan.id) {
      const r = applyEdits(this.scenario, plan.plan, ops);
      this.verdict[a] = r.ok ? { state: 'ok' } : { state: 'refused', message: r.refusal.message };
      this.d.update();
      return;
    }
    this.verdict[a] = { state: 'checking' };
    this.d.update();
    try {
      const r = await api<EditCheckResult>('POST', `/plans/${plan.id}/edits/check`, { ops }, this.d.signal);
      this.verdict[a] = r.ok ? { state: 'ok' } : { state: 'refused', message: r.refusal.message };
    } catch (e) {
      this.verdict[a] = { state: 'error', message: errorText(e) };
    }
    this.d.update();
  }

  private async apply(a: Action): Promise<void> {
    const ops = this.ops(a);
    const plan = this.d.plan();
    if (!ops || !plan) return;
    this.busy = true;
    this.d.update();
    try {
      const saved = await api<CrewPlanView>('POST', `/plans/${plan.id}/edits`, { ops }, this.d.signal);
      this.busy = false;
      this.close();
      this.d.changed(saved);
    } catch (e) {
      this.busy = false;
      const refusal =
        e instanceof ApiError && e.id === 'edit_refused' ? (e.details as EditRefusal | undefined) : undefined;
      this.verdict[a] = refusal
        ? { state: 'refused', message: refusal.message }
        : { state: 'error', message: errorText(e) };
      this.d.update();
    }
  }

  private async recordAbsence(ev: Event): Promise<void> {
    ev.preventDefault();
    this.busy = true;
    this.status = 'Saving…';
    this.failed = false;
    this.d.update();
    try {
      const body = {
        officer: this.officer,
        kind: this.absence.kind,
        from: this.date,
        to: this.absence.to || this.date,
        ...(this.absence.note.trim() ? { note: this.absence.note.trim() } : {}),
      };
      await api<Abstraction>('POST', '/abstractions', body, this.d.signal);
      this.busy = false;
      this.close();
      this.d.changed();
    } catch (e) {
      this.busy = false;
      this.status = errorText(e);
      this.failed = true;
      this.d.update();
    }
  }

  private cell() {
    const c = this.d.grid.officer(this.officer)?.cells[this.date];
    return isShiftCell(c) ? c : null;
  }

  private action(a: Action, label: string, control: TemplateResult | typeof nothing, button: string): TemplateResult {
    const v = this.verdict[a];
    const ready = !!this.ops(a) && v?.state !== 'refused' && v?.state !== 'checking' && !this.busy;
    return html`<div class="edit-action" data-action=${a}>
      ${control === nothing ? html`<span class="action-label">${label}</span>` : control}
      <button type="button" ?disabled=${!ready} @click=${() => void this.apply(a)}>${button}</button>
      <span class="verdict" role="status" id=${`why-${a}`}
        >${
          v?.state === 'refused'
            ? html`<span class="error">Refused: ${v.message}</span>`
            : v?.state === 'error'
              ? html`<span class="error">${v.message}</span>`
              : v?.state === 'checking'
                ? 'Checking…'
                : v?.state === 'ok'
                  ? html`<span class="good">Allowed</span>`
                  : nothing
        }</span
      >
    </div>`;
  }

  private select(a: Action, label: string, options: { value: string; label: string }[], blank: string): TemplateResult {
    return html`<label
      >${label}
      <select
        name=${`edit-${a}`}
        @change=${(e: Event) => {
          const v = (e.target as HTMLSelectElement).value;
          if (v === '__none') delete this.choice[a];
          else this.choice[a] = v;
          void this.check(a);
        }}
      >
        <option value="__none" ?selected=${this.choice[a] === undefined}>${blank}</option>
        ${options.map((o) => html`<option value=${o.value} ?selected=${this.choice[a] === o.value}>${o.label}</option>`)}
      </select></label
    >`;
  }

  private edits(): TemplateResult | typeof nothing {
    const plan = this.d.plan();
    const c = this.cell();
    if (!plan?.plan || !c || plan.status !== 'draft' || !this.d.canEdit()) return nothing;
    const grid = this.d.grid;
    const onShift = (grid.roster?.officers ?? []).filter((o) => {
      const x = o.cells[this.date];
      return o.id !== this.officer && isShiftCell(x) && x.shift === c.shift;
    });
    const describe = (id: string) => {
      const o = grid.officer(id)!;
      const x = o.cells[this.date];
      const where = isShiftCell(x)
        ? x.unassigned
          ? 'unassigned'
          : x.single
            ? 'single'
            : `with ${x.partnerName ?? x.partner ?? ''}`
        : '';
      return `${o.name} (${o.rank}${o.kind !== 'regular' ? `, ${o.kind}` : ''}) — ${where}`;
    };
    const others = onShift.map((o) => ({ value: o.id, label: describe(o.id) }));
    const singles = onShift
      .filter((o) => {
        const x = o.cells[this.date];
        return isShiftCell(x) && x.single;
      })
      .map((o) => ({ value: o.id, label: `join ${describe(o.id)}` }));
    const shift = this.scenario?.shifts.find((s) => s.id === c.shift);
    const used = new Set(
      plan.plan.crews.filter((k) => k.shift === c.shift).flatMap((k) => k.carriers.map((x) => x.device)),
    );
    const devices = (this.scenario?.devices ?? [])
      .filter((d) => d.serviceable && d.station === shift?.station && !used.has(d.serial))
      .map((d) => ({ value: d.serial, label: `${d.serial} (${d.model})` }));
    return html`<fieldset class="edits">
      <legend>Hand edits (the crew is locked once saved)</legend>
      ${this.action('swap', 'Swap', this.select('swap', 'Swap with', others, 'choose an officer…'), 'Swap')}
      ${this.action(
        'move',
        'Move',
        this.select(
          'move',
          'Move to crew',
          [{ value: '', label: 'a single crew of their own' }, ...singles],
          'choose a crew…',
        ),
        'Move',
      )}
      ${
        c.carrier
          ? this.action('take', 'Take device', nothing, `Take device ${c.device ?? ''}`)
          : this.action(
              'give',
              'Give device',
              this.select('give', 'Give device', devices, this.scenario ? 'choose a device…' : 'loading devices…'),
              'Give',
            )
      }
      ${this.action('make', 'Make crew', this.select('make', 'Make crew with', others, 'choose an officer…'), 'Make crew')}
      ${c.partner ? this.action('split', 'Split this crew', nothing, 'Split crew') : nothing}
    </fieldset>`;
  }

  private absenceForm(): TemplateResult | typeof nothing {
    if (!this.d.canRecordAbsence()) return nothing;
    const plan = this.d.plan();
    const last = plan?.to ?? addDays(this.date, 31);
    return html`<form class="absence" id="absence-form" @submit=${(e: Event) => void this.recordAbsence(e)}>
      <fieldset>
        <legend>Record an absence from ${fmtDay(this.date)}</legend>
        <label
          >Kind
          <select name="kind" @change=${(e: Event) => (this.absence.kind = (e.target as HTMLSelectElement).value)}>
            ${AbstractionKindSchema.options.map(
              (k) => html`<option value=${k} ?selected=${k === this.absence.kind}>${ABSENCE_LABEL[k] ?? k}</option>`,
            )}
          </select></label
        >
        <label
          >Last day
          <input
            type="date"
            name="to"
            min=${this.date}
            max=${last > this.date ? last : this.date}
            .value=${this.absence.to}
            @input=${(e: Event) => (this.absence.to = (e.target as HTMLInputElement).value)}
        /></label>
        <label
          >Note
          <input
            name="note"
            maxlength="500"
            .value=${this.absence.note}
            @input=${(e: Event) => (this.absence.note = (e.target as HTMLInputElement).value)}
        /></label>
        <button type="submit" ?disabled=${this.busy}>Record absence</button>
        <span role="status" class=${this.failed ? 'error' : 'muted'}>${this.status}</span>
      </fieldset>
    </form>`;
  }

  view(): TemplateResult {
    const o = this.officer ? this.d.grid.officer(this.officer) : undefined;
    const c = o?.cells[this.date];
    const s = isShiftCell(c) ? this.d.grid.shift(c.shift) : undefined;
    return html`<dialog id="cell-dialog" aria-labelledby="cell-dialog-title" @close=${this.onClose}>
      ${
        o
          ? html`<h2 id="cell-dialog-title">${o.name}, ${fmtDay(this.date)}</h2>
              <p class="muted">
                ${o.rank}${o.kind !== 'regular' ? ` (${o.kind})` : ''} · team ${o.team} · ${o.station} ·
                ${
                  isShiftCell(c)
                    ? html`${shiftLabel(s, c.shift)}: ${placeText(c)}
                      ${c.affected ? html`<strong class="error"> — now ${ABSENCE_LABEL[c.affected]?.toLowerCase()}</strong>` : nothing}`
                    : c
                      ? `${ABSENCE_LABEL[c.abstraction.kind] ?? c.abstraction.kind}${c.abstraction.note ? ` — ${c.abstraction.note}` : ''}`
                      : 'rest day'
                }
              </p>
              ${
                isShiftCell(c)
                  ? html`<p>
                      <button
                        type="button"
                        class="secondary"
                        @click=${() => {
                          this.close();
                          this.d.showShift(this.date);
                        }}
                      >
                        Show the crews of this shift
                      </button>
                    </p>`
                  : nothing
              }
              ${this.edits()} ${this.absenceForm()}`
          : html`<h2 id="cell-dialog-title">Officer</h2>`
      }
      <p><button type="button" class="secondary" @click=${() => this.close()}>Close</button></p>
    </dialog>`;
  }
}
