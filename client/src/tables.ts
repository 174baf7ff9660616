import { html, nothing, type TemplateResult } from 'lit-html';
import { repeat } from 'lit-html/directives/repeat.js';

/**
 * A table of records in its scrolling wrapper: the headings (plus a hidden "Actions" heading when `actions`),
 * one keyed row per record. `contained`: the wrapper keeps a long table's height in bounds (styles.css).
 */
export const recordTable = <T>(o: {
  id: string;
  headers: readonly (string | TemplateResult)[];
  actions?: boolean;
  contained?: boolean;
  items: readonly T[];
  key: (r: T) => string;
  row: (r: T) => TemplateResult;
}): TemplateResult =>
  html`<div class=${o.contained ? 'table-wrap contained' : 'table-wrap'}>
    <table id=${o.id}>
      <thead>
        <tr>
          ${o.headers.map((h) => html`<th>${h}</th>`)}
          ${o.actions ? html`<th><span class="visually-hidden">Actions</span></th>` : nothing}
        </tr>
      </thead>
      <tbody>
        ${repeat(o.items, o.key, o.row)}
      </tbody>
    </table>
  </div>`;
