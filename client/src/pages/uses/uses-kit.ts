import { html, nothing, type TemplateResult } from 'lit-html';
import type { Action, Resource } from '../../../../shared/auth/permissions.js';
import { quarterLabel, quarterOf } from '../../../../shared/rules/taser-use.js';
import type { UseLevel } from '../../../../shared/schemas/taser-use.schema.js';
import { tabNav } from '../../tabs.js';

/** The Taser use screens (issue 11), one top-bar entry ("Taser use") with these tabs. */
export const USE_TABS = [
  { path: 'uses', title: 'Uses', resource: 'uses', action: 'read' },
  { path: 'use-quarterly', title: 'Quarterly publication', resource: 'use_statistics', action: 'read' },
  { path: 'use-reconciliation', title: 'Reconciliation', resource: 'uses', action: 'read' },
] as const satisfies readonly { path: string; title: string; resource: Resource; action: Action }[];
export type UsePath = (typeof USE_TABS)[number]['path'];

export const useTabs = (current: UsePath): TemplateResult => tabNav('Taser use', USE_TABS, current, 'no-print');

export const LEVEL_LABEL: Record<UseLevel, string> = {
  drawn: 'Drawn',
  aimed: 'Aimed',
  arced: 'Arced',
  red_dot: 'Red-dotted',
  drive_stun: 'Drive-stun',
  angled_drive_stun: 'Angled drive-stun',
  fired: 'Fired',
};

/** A code such as `18_34` or `not_stated` in words. */
export const words = (code: string): string =>
  code
    .replace(/^(\d+)_(\d+)$/, '$1–$2')
    .replace(/_plus$/, '+')
    .replace(/_/g, ' ')
    .replace(/^./, (c) => c.toUpperCase());

/** The financial-year quarters (April–March, London) from the current one back `n − 1` quarters. */
export function recentQuarters(now: Date, n = 8): string[] {
  const label = quarterOf(now);
  let fy = Number(label.slice(0, 4));
  let q = Number(label.slice(-1));
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    out.push(quarterLabel(fy, q));
    if (q === 1) {
      fy -= 1;
      q = 4;
    } else q -= 1;
  }
  return out;
}

/**
 * A financial-year quarter picker over `quarters` (labels such as "2026-27 Q3"); with `all`, a first option
 * (value '') for every quarter.
 */
export function quarterSelect(
  name: string,
  quarters: readonly string[],
  value: string,
  onPick: (quarter: string) => void,
  all?: string,
): TemplateResult {
  return html`<label
    >Quarter (financial year)
    <select name=${name} @change=${(e: Event) => onPick((e.currentTarget as HTMLSelectElement).value)}>
      ${all === undefined ? nothing : html`<option value="" ?selected=${value === ''}>${all}</option>`}
      ${quarters.map((q) => html`<option value=${q} ?selected=${q === value}>${q}</option>`)}
    </select></label
  >`;
}
